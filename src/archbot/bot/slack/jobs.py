"""The slow work behind every listener: answer a question, review a document.

These run on the app's executor after Slack has been acknowledged. Each reports its own failures:
an `ArchbotError` is written for users, so they see it; anything else is logged with a reference id
and the user sees only that id.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from archbot.bot.slack import blocks
from archbot.bot.slack.blocks import READABLE_TYPES
from archbot.bot.slack.deps import Deps
from archbot.bot.slack.executor import overloaded
from archbot.bot.slack.files import complete, download_text, is_readable, unreadable_message
from archbot.bot.slack.mrkdwn import to_mrkdwn
from archbot.bot.slack.replies import Reply
from archbot.bot.slack.state import new_answer_id
from archbot.kernel.errors import ArchbotError, InputError, new_reference
from archbot.kernel.types import Filters, Turn

log = logging.getLogger(__name__)

MAX_FILES_PER_MESSAGE = 3
NOT_A_MEMBER = frozenset({"not_in_channel", "channel_not_found"})
# Slack truncates a message's `text` beyond about 4000 characters; blocks carry the full answer.
TEXT_CHARS = 3900
BUSY = "⏳ I'm busy answering other people right now. Please try again in a minute."


def turned_away(reply: Reply, what: str) -> bool:
    """When every worker and queue slot is taken, say so at once instead of queueing without bound."""
    if not overloaded():
        return False
    log.info("%s: busy, asked %s to try again", what, reply.user)
    reply.fail(BUSY)
    return True


def _since_event(reply: Reply) -> str:
    """Seconds from the user's message (its Slack timestamp) to now, when the reply has one."""
    try:
        seconds = time.time() - float(reply.message_ts or "")
    except ValueError:
        return "n/a"
    return f"{seconds:.2f} s" if 0 <= seconds < 86_400 else "n/a"


@contextmanager
def reporting(reply: Reply, what: str) -> Iterator[None]:
    reply.working()
    try:
        yield
    except ArchbotError as exc:
        log.info("%s: %s", what, exc.message)
        reply.fail(f"⚠️ {exc}")
    except Exception as exc:
        if isinstance(exc, SlackApiError) and exc.response.get("error") in NOT_A_MEMBER:
            log.info("%s: not a member of %s", what, reply.channel)
            reply.fail("⚠️ I'm not in this conversation. Invite me with `/invite @archbot` and try again.")
            return
        reference = new_reference()
        log.exception("%s failed (reference %s)", what, reference)
        reply.fail(f"⚠️ Sorry, something went wrong on my side. Reference: `{reference}`.")
    finally:
        reply.done()


def answer_question(
    deps: Deps, reply: Reply, question: str, history: Callable[[], Sequence[Turn]] = tuple
) -> None:
    """`history` is read inside the job, so a failure to fetch the thread is reported like any other."""
    if turned_away(reply, "answer"):
        return
    started = time.perf_counter()
    with reporting(reply, "answer"):
        filters = deps.filters_for(reply.channel)
        answer = deps.advisor().ask(question, history=history(), filters=filters)
        answer_id = new_answer_id()
        # Recorded before posting, so a follow-up sent the moment the answer appears finds the thread.
        deps.state.record_answer(
            channel=reply.channel,
            thread_ts=reply.thread_ts,
            message_ts=reply.message_ts,
            user=reply.user,
            question=question,
            answer=answer,
            answer_id=answer_id,
        )
        reply.post(to_mrkdwn(answer.text)[:TEXT_CHARS], blocks.answer_blocks(answer, answer_id))
        log.info(
            "answered in %.2f s of work, %s from event to reply (%s)",
            time.perf_counter() - started,
            _since_event(reply),
            answer.answerer,
        )


def quietly(what: str, work: Callable[[], object]) -> None:
    """For background work with no conversation to report to (greetings, App Home, thank-yous)."""
    try:
        work()
    except Exception:
        log.exception("%s failed (reference %s)", what, new_reference())


def post_help(reply: Reply) -> None:
    """For an empty mention: quick, so no progress signal."""
    try:
        reply.post(blocks.fallback(blocks.HELP), blocks.help_blocks())
    except SlackApiError as exc:
        log.warning("could not post help: %s", exc.response.get("error"))


def review_text(deps: Deps, reply: Reply, text: str, name: str) -> None:
    if turned_away(reply, "review"):
        return
    with reporting(reply, "review"):
        if not text.strip():
            raise InputError(
                "There is no text to review.", f"Paste the document, or share it as {READABLE_TYPES}."
            )
        _post_review(deps, reply, text, name, deps.filters_for(reply.channel))


def review_files(deps: Deps, client: WebClient, reply: Reply, files: Sequence[dict]) -> None:
    """Reviews the readable files among `files`; names the others and says which types work."""
    if turned_away(reply, "file review"):
        return
    with reporting(reply, "file review"):
        complete_files = [complete(client, f) for f in files[:MAX_FILES_PER_MESSAGE]]
        readable = [f for f in complete_files if is_readable(f)]
        unreadable = [str(f.get("name") or f.get("id")) for f in complete_files if not is_readable(f)]
        if unreadable:
            message = unreadable_message(unreadable)
            reply.post(message, blocks.text_blocks(message))
        filters = deps.filters_for(reply.channel)
        for file in readable:
            shared = download_text(client, file, deps.settings)
            _post_review(deps, reply, shared.text, shared.name, filters)


def _post_review(deps: Deps, reply: Reply, text: str, name: str, filters: Filters) -> None:
    review = deps.advisor().review(text, name=name, filters=filters)
    reply.post(blocks.review_fallback(review, name), blocks.review_blocks(review, name))
