"""`/archbot ask QUESTION`, `/archbot review TEXT|FILE-LINK` and `/archbot help`.

Slash commands have no thread to answer in; replies go to the command's `response_url`, visible only
to the person who asked, replacing the "working on it" acknowledgement.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from slack_bolt import Ack, App
from slack_sdk import WebClient

from archbot.bot.slack import blocks, jobs
from archbot.bot.slack.client import make_webhook
from archbot.bot.slack.deps import Deps
from archbot.bot.slack.files import file_id_from_link
from archbot.bot.slack.replies import ResponseUrlReply

COMMAND = "/archbot"
NOT_A_SLACK_FILE = (
    "I only read files shared in Slack and pasted text, not web pages. Share the document in Slack "
    f"and pass its link, or paste its text. I read {blocks.READABLE_TYPES}."
)
_LONE_LINK = re.compile(r"^<?https?://\S+>?$")


def parse(text: str | None) -> tuple[str, str]:
    """(subcommand, rest): `ask are we on kafka?` → ("ask", "are we on kafka?")."""
    sub, _, rest = (text or "").strip().partition(" ")
    return sub.lower(), rest.strip()


def register(app: App, deps: Deps) -> None:
    def wants(sub: str) -> Callable[[dict], bool]:
        def matcher(command: dict) -> bool:
            name, rest = parse(command.get("text"))
            return name == sub and bool(rest)

        return matcher

    def ack_ask(ack: Ack) -> None:
        ack(text="🔎 Looking through the docs…")

    def ack_review(ack: Ack) -> None:
        ack(text="📝 Reading it…")

    def ask(command: dict) -> None:
        jobs.answer_question(deps, _reply(command), parse(command.get("text"))[1])

    def review(command: dict, client: WebClient) -> None:
        reply = _reply(command)
        text = parse(command.get("text"))[1]
        file_id = file_id_from_link(text)
        if file_id:
            jobs.review_files(deps, client, reply, [{"id": file_id, "file_access": "check_file_info"}])
        elif _LONE_LINK.match(text):
            reply.post(NOT_A_SLACK_FILE, blocks.text_blocks(NOT_A_SLACK_FILE))
        else:
            jobs.review_text(deps, reply, text, name="pasted text")

    def show_help(ack: Ack, command: dict) -> None:
        name, _ = parse(command.get("text"))
        prefix = "" if name in ("", "help") else f"I don't know `{name}` (or it needs more text).\n\n"
        ack(text=prefix + blocks.HELP, blocks=blocks.text_blocks(prefix + blocks.HELP))

    app.command(COMMAND, matchers=[wants("ask")])(ack=ack_ask, lazy=[ask])
    app.command(COMMAND, matchers=[wants("review")])(ack=ack_review, lazy=[review])
    app.command(COMMAND)(show_help)


def _reply(command: dict) -> ResponseUrlReply:
    return ResponseUrlReply(make_webhook(command["response_url"]), command["channel_id"], command["user_id"])
