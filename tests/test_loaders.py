"""Finding and reading files: every bad input becomes a skip with a reason, never a crash."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from archbot.ingest.loaders import SkipFile, SkipRecord, discover, format_of, load_file, supported_suffix
from archbot.kernel.errors import InputError
from tests.minicorpus import write_file

MB = 1_000_000


@pytest.mark.parametrize(
    ("name", "suffix", "fmt"),
    [
        ("logging.html.md.erb", ".html.md.erb", "markdown"),
        ("page.md.erb", ".md.erb", "markdown"),
        ("0001-x.MD", ".md", "markdown"),
        ("notes.markdown", ".markdown", "markdown"),
        ("comp.mdx", ".mdx", "markdown"),
        ("rules.adoc", ".adoc", "asciidoc"),
        ("rules.asciidoc", ".asciidoc", "asciidoc"),
        ("readme.txt", ".txt", "text"),
        ("0021-use-grpc.pdf", ".pdf", "pdf"),
        ("flags.docx", ".docx", "docx"),
        ("page.html", ".html", "html"),
        ("PAGE.HTM", ".htm", "html"),
    ],
)
def test_suffix_chain_decides_format(name: str, suffix: str, fmt: str) -> None:
    assert supported_suffix(name) == suffix
    assert format_of(name) == fmt


@pytest.mark.parametrize("name", ["view.erb", "image.png", "doc.md.bak", ".md"])
def test_unsupported_names(name: str) -> None:
    assert supported_suffix(name) is None


def test_discover_walks_sorted_with_slash_sources_and_skips_hidden_and_node_modules(tmp_path: Path) -> None:
    write_file(tmp_path / "b" / "0002-b.md", "# B")
    write_file(tmp_path / "a.adoc", "= A")
    write_file(tmp_path / "b" / "sub" / "c.html.md.erb", "# C")
    write_file(tmp_path / "b" / "image.png", b"\x89PNG")
    write_file(tmp_path / ".git" / "x.md", "# hidden")
    write_file(tmp_path / "node_modules" / "pkg" / "README.md", "# dep")

    found = list(discover(tmp_path))

    assert [source for _, source in found] == ["a.adoc", "b/0002-b.md", "b/sub/c.html.md.erb"]
    assert all(path.is_file() for path, _ in found)


def test_discover_single_file_uses_its_name(tmp_path: Path) -> None:
    path = write_file(tmp_path / "deep" / "0007-use-kafka.md", "# 7. Use Kafka")
    assert list(discover(path)) == [(path, "0007-use-kafka.md")]


def test_discover_single_unsupported_file_is_reported(tmp_path: Path) -> None:
    path = write_file(tmp_path / "diagram.png", b"\x89PNG")
    (record,) = discover(path)
    assert isinstance(record, SkipRecord)
    assert "unsupported file type" in record.reason


def test_discover_missing_root_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        list(discover(tmp_path / "nope"))


def test_symlink_loop_is_reported_not_followed(tmp_path: Path) -> None:
    write_file(tmp_path / "docs" / "adr.md", "# ADR")
    (tmp_path / "docs" / "again").symlink_to(tmp_path / "docs", target_is_directory=True)

    found = list(discover(tmp_path))

    files = [item[1] for item in found if isinstance(item, tuple)]
    skips = [item for item in found if isinstance(item, SkipRecord)]
    assert files == ["docs/adr.md"]
    assert skips == [SkipRecord("docs/again", "symlink loop: points back to 'docs'")]


def test_symlink_to_a_walked_folder_is_walked_once(tmp_path: Path) -> None:
    write_file(tmp_path / "a" / "x.md", "# X")
    (tmp_path / "b").symlink_to(tmp_path / "a", target_is_directory=True)

    found = list(discover(tmp_path))

    assert [item[1] for item in found if isinstance(item, tuple)] == ["a/x.md"]
    (skip,) = [item for item in found if isinstance(item, SkipRecord)]
    assert skip.source == "b" and "same folder as 'a'" in skip.reason


def test_symlinks_out_of_the_root_are_reported_not_followed(tmp_path: Path) -> None:
    write_file(tmp_path / "elsewhere" / "0001-x.md", "# X")
    write_file(tmp_path / "secret.md", "# Secret")
    root = tmp_path / "root"
    write_file(root / "inside" / "0002-y.md", "# Y")
    (root / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (root / "leak.md").symlink_to(tmp_path / "secret.md")
    (root / "alias.md").symlink_to(root / "inside" / "0002-y.md")

    found = list(discover(root))

    assert [source for _, source in (f for f in found if not isinstance(f, SkipRecord))] == [
        "alias.md",
        "inside/0002-y.md",
    ]
    assert {s.source for s in found if isinstance(s, SkipRecord)} == {"leak.md", "linked"}


def test_broken_symlink_is_reported(tmp_path: Path) -> None:
    (tmp_path / "gone.md").symlink_to(tmp_path / "missing.md")
    assert list(discover(tmp_path)) == [SkipRecord("gone.md", "broken symlink (its target does not exist)")]


def test_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    write_file(locked / "x.md", "# X")
    write_file(tmp_path / "open.md", "# open")
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads anything: simulate what a normal user would hit
        real_scandir = os.scandir
        monkeypatch.setattr(
            os, "scandir", lambda p: _raise(PermissionError()) if Path(p) == locked else real_scandir(p)
        )
    try:
        found = list(discover(tmp_path))
    finally:
        locked.chmod(0o755)
    assert SkipRecord("locked", "unreadable folder (permission denied)") in found
    assert (tmp_path / "open.md", "open.md") in found


def _raise(exc: Exception) -> None:
    raise exc


def test_load_utf8_text(tmp_path: Path) -> None:
    raw = "\ufeff# Título\r\n\r\nBody\r\n".encode()
    path = write_file(tmp_path / "x.md", raw)

    loaded = load_file(path, "docs/x.md", MB)

    assert loaded.source == "docs/x.md"
    assert loaded.text == "# Título\n\nBody\n"
    assert loaded.fmt == "markdown"
    assert loaded.content_hash == hashlib.sha256(raw).hexdigest()
    assert loaded.warnings == ()


def test_cp1252_is_read_with_a_warning(tmp_path: Path) -> None:
    path = write_file(tmp_path / "old.txt", b"Caf\xe9 \x93quoted\x94 \x80 5")

    loaded = load_file(path, "old.txt", MB)

    assert loaded.text == "Café “quoted” € 5"
    assert loaded.warnings == ("not UTF-8: decoded as cp1252",)


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path: Path) -> None:
    path = write_file(tmp_path / "odd.md", b"caf\xe9 \x81 ok")
    loaded = load_file(path, "odd.md", MB)
    assert loaded.warnings == ("not UTF-8: decoded as latin-1",)
    assert loaded.text.startswith("café")


def test_utf16_with_bom_is_text_not_binary(tmp_path: Path) -> None:
    path = write_file(tmp_path / "w.md", "# Windows\n".encode("utf-16"))
    loaded = load_file(path, "w.md", MB)
    assert loaded.text == "# Windows\n"
    assert loaded.warnings == ("not UTF-8: decoded as UTF-16",)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "contains only whitespace"),
        (b"PK\x03\x04\x00\x00binary", "binary file (NUL bytes) with a text extension"),
        (bytes(range(1, 9)) * 20 + b"text", "binary file (mostly non-text bytes) with a text extension"),
    ],
)
def test_unusable_files_are_skipped_with_a_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    path = write_file(tmp_path / "bad.md", data)
    with pytest.raises(SkipFile) as caught:
        load_file(path, "bad.md", MB)
    assert caught.value.reason == reason


def test_file_over_the_cap_is_skipped_naming_the_setting(tmp_path: Path) -> None:
    path = write_file(tmp_path / "huge.md", "# big\n" + "x" * 2_400_000)
    with pytest.raises(SkipFile) as caught:
        load_file(path, "huge.md", MB)
    assert caught.value.reason == "2.4 MB, larger than the 1.0 MB cap (ARCHBOT_MAX_FILE_BYTES)"


def test_unreadable_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_file(tmp_path / "secret.md", "# secret")
    path.chmod(0)
    if os.geteuid() == 0:
        monkeypatch.setattr(Path, "open", lambda *a, **k: _raise(PermissionError()))
    try:
        with pytest.raises(SkipFile) as caught:
            load_file(path, "secret.md", MB)
    finally:
        path.chmod(0o644)
    assert caught.value.reason == "unreadable (permission denied)"
