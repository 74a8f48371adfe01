"""Acknowledgements shared by listener kinds."""

from __future__ import annotations

from slack_bolt import Ack


def ack_only(ack: Ack) -> None:
    """Acknowledge a request whose work happens in a lazy function."""
    ack()


def auto_ack() -> None:
    """Bolt acknowledges events itself; nothing else may happen on the request thread."""
