"""Git history as metadata: last change, first commit (following renames) and authors, read in one
`git log` pass, stored with each document and carried by citations and "who" answers."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from archbot.bot.cli import main
from archbot.ingest.history import FileHistory, file_histories
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store
from tests.gitrepo import ANN, BOB, GitRepo
from tests.minicorpus import FILES

ENV = {"ARCHBOT_EMBEDDER": "hash"}
UNDATED = """# 9. Run every service on Kubernetes

## Status

Accepted

## Decision

We will run every service on the shared Kubernetes clusters, one namespace per team.
"""


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """The mini corpus committed by Ann in 2023; an undated ADR Bob changes and Ann then renames."""
    repo = GitRepo(tmp_path / "repo")
    docs = {f"docs/{name}": text for name, text in FILES.items()}
    repo.commit({**docs, "docs/adr/0009-k8s.md": UNDATED}, "corpus", ANN, "2023-05-01T09:00:00+00:00")
    repo.commit(
        {"docs/adr/0009-k8s.md": UNDATED + "\nNamespaces are created by the platform team.\n"},
        "namespaces",
        BOB,
        "2024-02-01T09:00:00+00:00",
    )
    repo.rename(
        "docs/adr/0009-k8s.md",
        "docs/adr/0009-run-services-on-kubernetes.md",
        "name",
        ANN,
        "2024-03-01T09:00:00+00:00",
    )
    return repo


def test_one_log_pass_follows_renames(repo: GitRepo) -> None:
    histories = file_histories(repo.work)
    assert histories["docs/adr/0009-run-services-on-kubernetes.md"] == FileHistory(
        updated="2024-03-01", created="2023-05-01", authors=["Ann Author", "Bob Builder"]
    )
    assert histories["docs/adr/0012-adopt-kafka.md"] == FileHistory(
        "2023-05-01", "2023-05-01", ["Ann Author"]
    )
    assert set(file_histories(repo.work, ["docs/standards"])) == {
        "docs/standards/data-retention.md",
        "docs/standards/security-incident-playbook.md",
    }


def test_ingest_of_a_folder_in_a_repository_stores_its_history_with_one_git_log(
    settings: Settings, repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []
    run = subprocess.run

    def counting(args: list[str], **kwargs: object) -> subprocess.CompletedProcess:
        calls.append(args)
        return run(args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("archbot.ingest.git.subprocess.run", counting)
    report = ingest_paths(settings, [repo.work / "docs" / "adr"])
    assert sum(a[:2] == ["git", "log"] for a in calls) == 1 and len(calls) == 2  # rev-parse + log
    doc = Store(settings.db_path).documents()["0009-run-services-on-kubernetes.md"]
    assert (doc.date, doc.created, doc.updated, doc.authors) == (
        None,
        "2023-05-01",
        "2024-03-01",
        ("Ann Author", "Bob Builder"),
    )
    assert doc.when == "2023-05-01" and doc.owners == ("Ann Author", "Bob Builder")
    problems = {i.problem for i in report.lint if i.source == "0009-run-services-on-kubernetes.md"}
    assert problems == {"ADR without date (its first commit, 2023-05-01, stands in)"}


def test_a_folder_outside_any_repository_has_no_history(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "a.md").write_text(UNDATED, encoding="utf-8")
    ingest_paths(settings, [folder])
    doc = Store(settings.db_path).documents()["a.md"]
    assert (doc.created, doc.updated, doc.authors) == (None, None, ())


def ask_json(question: str) -> dict:
    result = CliRunner().invoke(main, ["ask", question, "--json"], env=ENV)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ask_citations_carry_date_updated_and_owners(settings: Settings, repo: GitRepo) -> None:
    ingest_paths(settings, [repo.work / "docs"])
    data = ask_json("who decided to keep web sessions in signed cookies?")
    cited = {c["source"]: c for c in data["citations"]}
    cookie = cited["adr/0003-signed-cookie-sessions.md"]
    assert (cookie["date"], cookie["updated"], cookie["owners"]) == ("2024-01-15", "2023-05-01", ["Ana Lima"])
    assert data["answer"].startswith(
        "ADR 3 (Keep web sessions in signed cookies; accepted, 2024-01-15) [1] was decided by Ana Lima."
    )


def test_who_to_ask_names_the_git_authors_when_no_deciders_are_written(
    settings: Settings, repo: GitRepo
) -> None:
    ingest_paths(settings, [repo.work / "docs"])
    data = ask_json("who should I ask about running services on kubernetes?")
    [first, *_] = data["citations"]
    assert first["source"] == "adr/0009-run-services-on-kubernetes.md"
    assert (first["date"], first["updated"], first["owners"]) == (
        "2023-05-01",
        "2024-03-01",
        ["Ann Author", "Bob Builder"],
    )
    assert data["answer"].startswith("Ask Ann Author and Bob Builder: they wrote ADR 9")
    assert "[1] (Git history, last change 2024-03-01)." in data["answer"].split("\n")[0]


def test_review_citations_carry_the_history_fields(settings: Settings, repo: GitRepo) -> None:
    ingest_paths(settings, [repo.work / "docs"])
    design = repo.work / "draft.md"
    design.write_text(
        "# Sessions\n\n## Proposal\n\nWe will keep web sessions in a shared Redis cluster (see ADR 2).\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["review", str(design), "--json"], env=ENV)
    assert result.exit_code == 0, result.output
    citations = [c for f in json.loads(result.stdout)["findings"] for c in f["citations"]]
    assert citations and all({"date", "updated", "owners"} <= set(c) for c in citations)
    assert all(c["updated"] == "2023-05-01" for c in citations if c["source"].startswith("adr/000"))


def test_a_full_stop_after_the_last_decider_is_not_doubled(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "0023-partition.md").write_text(
        "# 23. Partition the ledger journal by month\n\nDeciders: Marta Kowalczyk, Lena Vogel.\n\n"
        "## Status\n\nAccepted\n\n## Decision\n\nWe will partition the ledger journal by month.\n",
        encoding="utf-8",
    )
    ingest_paths(settings, [folder])
    answer = ask_json("who decided to partition the ledger journal by month?")["answer"]
    assert answer.split("\n")[0].endswith("was decided by Marta Kowalczyk and Lena Vogel.")
