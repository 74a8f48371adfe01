"""A folder of odd and hostile files: ingest completes, indexes the good files, and a secret outside
the folder reaches no chunk, answer or `docs --json` entry."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from archbot.bot.cli import main
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store
from tests.minicorpus import write_file

ENV = {"ARCHBOT_EMBEDDER": "hash"}
SECRET = "TOKEN-8d1e77a0"


def _hostile_folder(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.md"
    write_file(secret, f"# Secret\n\n{SECRET}\n")
    root = tmp_path / "adr"
    write_file(root / "0001-use-postgres.md", "# 1. Use Postgres\n\nStatus: Accepted\n\nWe use Postgres.\n")
    # A day and month swapped, as real repositories have: a string, judged by the date reader.
    write_file(
        root / "0002-swapped-date.md", "---\ndate: 2021-13-05\nstatus: accepted\n---\n# 2. Cache\n\nText.\n"
    )
    write_file(
        root / "0003-list-status.md", "---\nstatus: [accepted, final]\ntitle: {a: 1}\n---\n# 3. X\n\nText.\n"
    )
    write_file(root / "0004-list-front-matter.md", "---\n- one\n- two\n---\n# 4. Lists\n\nText.\n")
    bomb = "".join(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 9))
    write_file(root / "0005-alias-bomb.md", f"---\nl0: &l0 [lol]\n{bomb}---\n# 5. Bomb\n\nText.\n")
    write_file(root / "0006-deep.md", "# 6. Deep\n\n" + "- " * 20_000 + "x\n\nStatus: Proposed\n")
    write_file(root / "0007-nul.md", b"# 7. Nul\n\x00\x00 binary\n")
    (root / "0008-link-out.md").symlink_to(secret)
    (root / "linked-folder").symlink_to(secret.parent, target_is_directory=True)
    write_file(root / "0009-include.rst", f"Include\n=======\n\n.. include:: {secret}\n\nKept text.\n")
    write_file(root / "0010-include.adoc", f"= Include\n\ninclude::{secret}[]\n\nKept text.\n")
    write_file(root / "0011-raw.rst", f"Raw\n===\n\n.. raw:: html\n   :file: {secret}\n\nKept text.\n")
    return root


def test_ingest_completes_and_nothing_outside_the_folder_is_read(settings: Settings, tmp_path: Path) -> None:
    root = _hostile_folder(tmp_path)

    result = CliRunner().invoke(main, ["ingest", str(root), "--json"], env=ENV)

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    skipped = {s["source"]: s["reason"] for s in report["skipped"]}
    assert "binary" in skipped["0007-nul.md"]
    assert "outside the ingested folder" in skipped["0008-link-out.md"]
    assert "outside the ingested folder" in skipped["linked-folder"]
    store = Store(settings.db_path)
    documents = store.documents()
    chunks = store.chunks()
    store.close()
    assert set(documents) == {
        "0001-use-postgres.md",
        "0002-swapped-date.md",
        "0003-list-status.md",
        "0004-list-front-matter.md",
        "0005-alias-bomb.md",
        "0006-deep.md",
        "0009-include.rst",
        "0010-include.adoc",
        "0011-raw.rst",
    }
    assert documents["0001-use-postgres.md"].status == "accepted"
    assert documents["0002-swapped-date.md"].status == "accepted"
    assert documents["0002-swapped-date.md"].date is None
    assert any("2021-13-05" in w["reason"] for w in report["lint"] + report["warnings"])
    assert any("alias" in w["reason"] for w in report["lint"] + report["warnings"])
    assert all(SECRET not in chunk.text for chunk in chunks)
    assert any("Kept text." in chunk.text for chunk in chunks if chunk.source == "0010-include.adoc")

    docs = CliRunner().invoke(main, ["docs", "--json"], env=ENV)
    answer = CliRunner().invoke(main, ["ask", "what is the secret token?", "--json"], env=ENV)
    assert docs.exit_code == 0 and answer.exit_code == 0
    assert SECRET not in docs.output and SECRET not in answer.output
