"""What the Slack app remembers in SQLite: deliveries seen, answers posted, feedback given.

Requests arrive on short-lived server threads and a sqlite3 connection belongs to the thread that opened
it, so each operation opens its own short connection (WAL mode lets readers and a writer overlap).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from archbot.kernel.store import Store, now_iso
from archbot.kernel.types import Answer

# Slack retries a delivery three times within about five minutes; a day of keys is plenty.
EVENT_KEY_TTL = timedelta(days=1)


@dataclass(frozen=True)
class PostedAnswer:
    id: str
    channel: str
    thread_ts: str | None
    question: str
    answer: str
    citations: str


class SlackState:
    def __init__(self, db_path: Path) -> None:
        self._path = db_path
        Store(db_path).close()  # applies any pending migrations once, up front

    @contextmanager
    def _db(self) -> Iterator[Database]:
        db = Database(self._path)
        db.execute("PRAGMA busy_timeout=5000")
        try:
            yield db
        finally:
            db.close()

    def claim(self, key: str) -> bool:
        """True the first time `key` is seen; atomic, so two racing deliveries cannot both win."""
        cutoff = (datetime.now(UTC) - EVENT_KEY_TTL).isoformat(timespec="seconds")
        with self._db() as db, db.atomic():
            db.execute("delete from slack_events where received_at < ?", [cutoff])
            cursor = db.execute(
                "insert or ignore into slack_events (key, received_at) values (?, ?)", [key, now_iso()]
            )
        return cursor.rowcount == 1

    def record_answer(
        self,
        *,
        channel: str,
        thread_ts: str | None,
        message_ts: str | None,
        user: str | None,
        question: str,
        answer: Answer,
        answer_id: str,
    ) -> None:
        with self._db() as db:
            db["slack_answers"].insert(
                {
                    "id": answer_id,
                    "created_at": now_iso(),
                    "channel": channel,
                    "thread_ts": thread_ts,
                    "message_ts": message_ts,
                    "user": user,
                    "question": question,
                    "answer": answer.text,
                    "citations": json.dumps([c.to_json() for c in answer.citations]),
                },
                pk="id",
            )

    def answered_in(self, channel: str, thread_ts: str) -> bool:
        """Whether archbot has answered in this thread, which makes follow-ups there its business."""
        with self._db() as db:
            rows = db.execute(
                "select 1 from slack_answers where channel = ? and thread_ts = ? limit 1",
                [channel, thread_ts],
            ).fetchall()
        return bool(rows)

    def answer(self, answer_id: str) -> PostedAnswer | None:
        with self._db() as db:
            rows = list(db.query("select * from slack_answers where id = ?", [answer_id]))
        if not rows:
            return None
        row = rows[0]
        return PostedAnswer(
            row["id"], row["channel"], row["thread_ts"], row["question"], row["answer"], row["citations"]
        )

    def record_feedback(self, posted: PostedAnswer, user: str, vote: str) -> None:
        """One vote per person per answer: clicking again changes the vote instead of adding one."""
        with self._db() as db, db.atomic():
            db["feedback"].delete_where("answer_id = ? and user = ?", [posted.id, user])
            db["feedback"].insert(
                {
                    "created_at": now_iso(),
                    "user": user,
                    "channel": posted.channel,
                    "thread_ts": posted.thread_ts,
                    "question": posted.question,
                    "answer": posted.answer,
                    "citations": posted.citations,
                    "vote": vote,
                    "answer_id": posted.id,
                }
            )


def new_answer_id() -> str:
    return uuid.uuid4().hex
