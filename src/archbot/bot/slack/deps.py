"""What every listener needs, built once at start-up and shared by all threads."""

from __future__ import annotations

import threading
from collections.abc import Callable

from archbot.advisor.core import Advisor
from archbot.bot.slack.state import SlackState
from archbot.kernel.config import Config
from archbot.kernel.settings import Settings
from archbot.kernel.types import Filters


class Deps:
    """Settings, channel scopes, Slack state, and an advisor per worker thread.

    The advisor holds a SQLite connection, which belongs to the thread that opened it; the executor's
    threads live as long as the app, so each opens one advisor and keeps it.
    """

    def __init__(
        self, settings: Settings, open_advisor: Callable[[Settings], Advisor] = Advisor.open
    ) -> None:
        self.settings = settings
        self.config = Config.load(settings.config_file)
        self.state = SlackState(settings.db_path)
        self._open_advisor = open_advisor
        self._local = threading.local()

    def advisor(self) -> Advisor:
        advisor = getattr(self._local, "advisor", None)
        if advisor is None:
            advisor = self._local.advisor = self._open_advisor(self.settings)
        return advisor

    def filters_for(self, channel: str | None) -> Filters:
        """What a channel may draw on: restricted documents only where the config allows them."""
        return self.config.scope_for(channel).filters()
