"""What every listener needs, built once at start-up and shared by all threads."""

from __future__ import annotations

from collections.abc import Callable

from archbot.advisor.core import Advisor, Readiness
from archbot.bot.slack.state import SlackState
from archbot.bot.slack.sync import PeriodicSync
from archbot.kernel.config import Config
from archbot.kernel.settings import Settings
from archbot.kernel.types import Filters


class Deps:
    """Settings, channel scopes, Slack state, and the process's one advisor.

    The advisor (embedder, Chroma client, lexical index) is opened here, before the app accepts a
    request, and shared by every worker: opening one per worker raced inside Chroma. `warm` loads what
    the first question would otherwise wait for.
    """

    def __init__(
        self, settings: Settings, open_advisor: Callable[[Settings], Advisor] = Advisor.open
    ) -> None:
        self.settings = settings
        self.config = Config.load(settings.config_file)
        self.state = SlackState(settings.db_path)
        self._advisor = open_advisor(settings)
        self.readiness: Readiness | None = None

    def advisor(self) -> Advisor:
        return self._advisor

    def start_sync(self) -> PeriodicSync | None:
        """Keep the configured sources synced in the background; None when none are configured."""
        if not self.config.sources:
            return None
        interval_s = self.config.sync_interval_minutes * 60.0
        return PeriodicSync(self.settings, self.config, self._advisor, interval_s).start()

    def warm(self) -> Readiness:
        self.readiness = self._advisor.warm()
        return self.readiness

    def not_ready(self) -> str | None:
        """Why /readyz should fail, or None: warmed up, with documents to answer from."""
        if self.readiness is None:
            return "warming up"
        if not self._advisor.documents:  # live: an ingest after start-up makes the replica ready
            return "no documents indexed: run `archbot ingest PATH`"
        return None

    def filters_for(self, channel: str | None) -> Filters:
        """What a channel may draw on: restricted documents only where the config allows them."""
        return self.config.scope_for(channel).filters()
