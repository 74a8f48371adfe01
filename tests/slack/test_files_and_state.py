"""File reading rules, command parsing, and the Slack tables in SQLite."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient

from archbot.bot.slack.files import download_text, file_id_from_link, is_readable
from archbot.bot.slack.listeners.commands import parse
from archbot.bot.slack.state import SlackState
from archbot.kernel.errors import InputError
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store


def test_readable_types() -> None:
    assert is_readable({"name": "design.md", "filetype": "markdown"})
    assert is_readable({"name": "notes.TXT", "filetype": "unknown"})
    assert not is_readable({"name": "diagram.png", "filetype": "png"})
    assert is_readable({"name": "spec.pdf", "filetype": "pdf"})
    assert is_readable({"name": "spec", "filetype": "docx"})
    assert is_readable({"name": "page.HTML", "filetype": "unknown"})


SMALL = Settings(max_file_bytes=1000)


def test_token_is_never_sent_outside_slack() -> None:
    client = WebClient(token="xoxb-secret", base_url="https://slack.com/api/")
    file = {"name": "x.md", "url_private": "https://evil.example.com/x.md", "size": 10}
    with pytest.raises(InputError, match="not hosted by Slack"):
        download_text(client, file, SMALL)
    plain_http = {"name": "x.md", "url_private": "http://files.slack.com/x.md", "size": 10}
    with pytest.raises(InputError, match="not hosted by Slack"):
        download_text(client, plain_http, SMALL)


def test_oversized_file_is_refused_before_download() -> None:
    client = WebClient(token="xoxb-secret")
    file = {"name": "big.md", "url_private": "https://files.slack.com/big.md", "size": 5000}
    with pytest.raises(InputError, match="larger than"):
        download_text(client, file, SMALL)


def test_file_id_from_a_slack_file_link() -> None:
    assert file_id_from_link("https://acme.slack.com/files/U012AB/F0ABC123/design.md") == "F0ABC123"
    assert file_id_from_link("https://wiki.example.com/design") is None


def test_parse_command() -> None:
    assert parse("  Ask  are we on kafka? ") == ("ask", "are we on kafka?")
    assert parse("") == ("", "")


def test_slack_tables_after_migration(settings: Settings) -> None:
    db = Store(settings.db_path).db
    assert {"slack_answers", "slack_events", "feedback"} <= set(db.table_names())
    assert db["slack_answers"].columns_dict == {
        "id": str,
        "created_at": str,
        "channel": str,
        "thread_ts": str,
        "message_ts": str,
        "user": str,
        "question": str,
        "answer": str,
        "citations": str,
    }
    assert "answer_id" in db["feedback"].columns_dict


def test_claim_is_true_only_the_first_time(settings: Settings) -> None:
    state = SlackState(settings.db_path)
    assert state.claim("event:Ev1")
    assert not state.claim("event:Ev1")
    assert state.claim("event:Ev2")
