"""`archbot slack` keeps the configured sources synced in the background, every
`sync_interval_minutes`.

The syncer shares the advisor's embedder and vector index, so the bot holds one model. Each sync that
changes something commits a new manifest generation; the advisor builds the next retriever aside on
the next question and swaps it in, so answers never wait for a sync.
"""

from __future__ import annotations

import logging
import threading

from archbot.advisor.core import Advisor
from archbot.ingest.pipeline import Ingestor
from archbot.ingest.sources import SourceReport, SourceSyncer
from archbot.kernel.config import Config
from archbot.kernel.errors import new_reference
from archbot.kernel.settings import Settings

log = logging.getLogger(__name__)


class PeriodicSync:
    """A daemon thread that syncs at once, then every `interval_s` seconds until `stop`."""

    def __init__(self, settings: Settings, config: Config, advisor: Advisor, interval_s: float) -> None:
        self.syncer = SourceSyncer(
            settings,
            config,
            make_ingestor=lambda: Ingestor(settings, embedder=advisor.embedder, index=advisor.index),
        )
        self.interval_s = interval_s
        self.synced = threading.Event()  # set after each run, for whoever waits on the first one
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="archbot-sync", daemon=True)

    def start(self) -> PeriodicSync:
        self._thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def run_once(self) -> list[SourceReport]:
        reports = self.syncer.sync_all()
        for r in reports:
            if r.error:
                log.warning("sync of source %r failed: %s", r.name, r.error)
            else:
                i = r.ingest
                log.info(
                    "synced source %r at %s: %d added, %d updated, %d removed, %d chunks embedded",
                    r.name,
                    (r.commit or "-")[:12],
                    i.added,
                    i.updated,
                    i.removed,
                    i.chunks_embedded,
                )
        return reports

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("background sync failed (ref %s)", new_reference())
            self.synced.set()
            self._stop.wait(self.interval_s)
