"""Conversions run in a worker process, so a file that hangs a parser or eats memory costs only itself.

The worker (`serve.py`) is a fresh interpreter that imports only the converters, never torch or
Chroma. It is started on the first conversion, lives for the whole run, and is killed and replaced
when a conversion overruns ARCHBOT_CONVERT_TIMEOUT or the worker dies; its address space is capped at
ARCHBOT_CONVERT_MEMORY_MB, so a file that would need more fails with MemoryError there, not here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from types import TracebackType

from archbot.ingest.formats.limits import Limits
from archbot.ingest.formats.markdown import Converted
from archbot.ingest.loaders import SkipFile


class _Worker:
    def __init__(self, memory_mb: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "archbot.ingest.formats.serve", str(memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.answers = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        self.requests.close()
        self.answers.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


class Converter:
    """Converts PDF, DOCX and HTML bytes to Markdown in a bounded worker; one at a time (thread-safe)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._lock = threading.Lock()
        self._worker: _Worker | None = None

    def __enter__(self) -> Converter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def convert(self, fmt: str, data: bytes) -> Converted:
        with self._lock:
            try:
                worker = self._start()
                worker.requests.send((fmt, data, self.limits))
                if not worker.answers.poll(self.limits.timeout_s):
                    self._stop()
                    raise SkipFile(
                        f"conversion took longer than {self.limits.timeout_s:g} s (ARCHBOT_CONVERT_TIMEOUT): "
                        "split it or export it again"
                    )
                status, value = worker.answers.recv()
                if status == "restart":
                    self._stop()  # a fresh worker for the next file
            except (EOFError, OSError):
                self._stop()
                raise SkipFile(
                    "the converter stopped on it (out of memory?): split it or export it again"
                ) from None
        if status in ("skip", "restart"):
            raise SkipFile(value)
        return value

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _start(self) -> _Worker:
        """A live worker that has said it is ready, so its start-up never counts against a file's time."""
        if self._worker is not None and self._worker.alive():
            return self._worker
        self._stop()
        self._worker = _Worker(self.limits.memory_mb)
        self._worker.answers.recv()  # EOFError if it dies starting
        return self._worker

    def _stop(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None
