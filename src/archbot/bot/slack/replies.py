"""Where a reply goes and how progress shows while archbot works.

A question asked in a message is answered in that message's thread, with 👀 on it while working (and
the assistant status in an assistant thread). A review can take longer, so it first posts a placeholder
that the result replaces in place. Slash commands have no thread: they answer through `response_url`.
Failing to tell the user about a failure must not raise again, so `fail` only logs what it cannot post.
"""

from __future__ import annotations

import logging
from typing import Protocol

from slack_bolt.context.set_status import SetStatus
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient, WebhookResponse

from archbot.kernel.errors import new_reference

log = logging.getLogger(__name__)

WORKING_REACTION = "eyes"


class Reply(Protocol):
    channel: str
    thread_ts: str | None
    message_ts: str | None
    user: str | None

    def working(self) -> None:
        """Show that archbot is on it."""

    def post(self, text: str, blocks: list[dict]) -> None:
        """Deliver the result."""

    def fail(self, text: str) -> None:
        """Tell the user something went wrong; never raises."""

    def done(self) -> None:
        """Remove the progress signal; never raises."""


class ThreadReply:
    def __init__(
        self,
        client: WebClient,
        channel: str,
        message_ts: str,
        thread_ts: str | None,
        user: str | None,
        set_status: SetStatus | None = None,
        webhook: WebhookClient | None = None,
    ) -> None:
        """`webhook` (a response_url) is the last resort for failures when archbot cannot post in the
        conversation, e.g. a shortcut used in a channel it is not in."""
        self.client = client
        self.channel = channel
        self.message_ts: str | None = message_ts
        self.thread_ts: str | None = thread_ts or message_ts
        self.user = user
        self._set_status = set_status
        self._webhook = webhook
        self._reacted = False

    def working(self) -> None:
        self._reacted = _quietly(
            "reactions.add",
            self.client.reactions_add,
            channel=self.channel,
            timestamp=self.message_ts,
            name=WORKING_REACTION,
        )
        if self._set_status is not None:
            _quietly("assistant.threads.setStatus", self._set_status, status="is reading the docs…")

    def post(self, text: str, blocks: list[dict]) -> None:
        self.client.chat_postMessage(
            channel=self.channel, thread_ts=self.thread_ts, text=text, blocks=blocks, unfurl_links=False
        )

    def fail(self, text: str) -> None:
        if _quietly(
            "chat.postMessage",
            self.client.chat_postMessage,
            channel=self.channel,
            thread_ts=self.thread_ts,
            text=text,
        ):
            return
        if self.user and _quietly(
            "chat.postEphemeral",
            self.client.chat_postEphemeral,
            channel=self.channel,
            user=self.user,
            thread_ts=self.thread_ts,
            text=text,
        ):
            return
        if self._webhook is not None:
            try:
                _check(self._webhook.send(text=text, response_type="ephemeral"))
            except Exception:
                log.exception(
                    "could not send an error message via response_url (reference %s)", new_reference()
                )

    def done(self) -> None:
        if self._reacted:
            _quietly(
                "reactions.remove",
                self.client.reactions_remove,
                channel=self.channel,
                timestamp=self.message_ts,
                name=WORKING_REACTION,
            )
            self._reacted = False


class PlaceholderReply(ThreadReply):
    """Posts `placeholder` in the thread first; the result or the failure replaces it."""

    def __init__(
        self,
        client: WebClient,
        channel: str,
        message_ts: str,
        thread_ts: str | None,
        user: str | None,
        *,
        placeholder: str,
        webhook: WebhookClient | None = None,
    ) -> None:
        super().__init__(client, channel, message_ts, thread_ts, user, webhook=webhook)
        self._placeholder = placeholder
        self._placeholder_ts: str | None = None

    def working(self) -> None:
        try:
            response = self.client.chat_postMessage(
                channel=self.channel, thread_ts=self.thread_ts, text=self._placeholder
            )
            self._placeholder_ts = response["ts"]
        except SlackApiError:
            log.warning("could not post a progress placeholder; the result will be posted instead")

    def post(self, text: str, blocks: list[dict]) -> None:
        """The first result replaces the placeholder; any further one is a new message."""
        placeholder, self._placeholder_ts = self._placeholder_ts, None
        if placeholder is None:
            super().post(text, blocks)
        else:
            self.client.chat_update(channel=self.channel, ts=placeholder, text=text, blocks=blocks)

    def fail(self, text: str) -> None:
        placeholder, self._placeholder_ts = self._placeholder_ts, None
        if placeholder is None or not _quietly(
            "chat.update", self.client.chat_update, channel=self.channel, ts=placeholder, text=text, blocks=[]
        ):
            super().fail(text)


class ResponseUrlReply:
    """Slash commands: the command's acknowledgement already said "working on it"."""

    def __init__(self, webhook: WebhookClient, channel: str, user: str | None) -> None:
        self._webhook = webhook
        self.channel = channel
        self.user = user
        self.thread_ts: str | None = None
        self.message_ts: str | None = None

    def working(self) -> None:
        """The acknowledgement is the progress message."""

    def post(self, text: str, blocks: list[dict]) -> None:
        _check(self._webhook.send(text=text, blocks=blocks, replace_original=True))

    def fail(self, text: str) -> None:
        try:
            _check(self._webhook.send(text=text, replace_original=True))
        except Exception:
            log.exception("could not send an error message via response_url (reference %s)", new_reference())

    def done(self) -> None:
        """Nothing to clean up."""


def _check(response: WebhookResponse) -> None:
    if response.status_code >= 400:
        raise RuntimeError(f"response_url answered HTTP {response.status_code}")


def _quietly(method: str, call: object, **kwargs: object) -> bool:
    """Calls a Web API method whose failure should not stop the work; True if it succeeded."""
    try:
        call(**kwargs)  # type: ignore[operator]
        return True
    except SlackApiError as exc:
        log.warning("%s failed: %s", method, exc.response.get("error") if exc.response else "no response")
        return False
