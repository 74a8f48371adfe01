"""Docs as tests: what the README and the contracts say archbot reads and runs is what it does."""

from __future__ import annotations

from archbot.bot.cli import main
from archbot.ingest.loaders import SUPPORTED_SUFFIXES
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
CONTRACTS = (REPO / "docs" / "contracts.md").read_text(encoding="utf-8")


def test_every_file_type_read_is_in_the_readme() -> None:
    missing = [suffix for suffix in SUPPORTED_SUFFIXES if f"`{suffix}`" not in README]
    assert missing == [] or set(missing) == {".txt"}  # "plain text" is said in words


def test_every_command_is_in_the_readme_and_has_help() -> None:
    for name, command in main.commands.items():
        assert f"archbot {name}" in README, name
        assert command.help, name


def test_the_document_listing_is_a_contract() -> None:
    assert "`archbot docs [PREFIX] [--status STATUS] [--json]`" in CONTRACTS
