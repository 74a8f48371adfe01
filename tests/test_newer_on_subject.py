"""Where something stands: a newer document of the same collection among the best retrieved is put
beside a decision in force, with both dates, and never called its successor (ADR 23)."""

from __future__ import annotations

from pathlib import Path

from archbot.advisor.core import Advisor
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from tests.gitrepo import ANN, BOB, GitRepo
from tests.minicorpus import write_files

# An organisation whose records carry their dates in the text: an ADR chose Jenkins; a CI how-to
# written four years later describes GitHub Actions and says nothing of the ADR.
TEXT_DATED = {
    "platform/adr/0005-use-jenkins-for-ci.md": (
        "# 5. Use Jenkins for CI\n\nDate: 2019-03-01\n\n## Status\n\nAccepted\n\n## Decision\n\n"
        "We will run every build and test pipeline on our self-hosted Jenkins servers.\n"
    ),
    "platform/howto/continuous-integration.md": (
        "---\ndate: 2023-05-10\n---\n# How CI works\n\nEvery build and test pipeline runs on GitHub "
        "Actions workflows kept in each repository; runners are hosted by GitHub.\n"
    ),
    "other-team/adr/0001-use-postgres.md": (
        "# 1. Use Postgres\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\nWe use Postgres for builds data.\n"
    ),
}

# An organisation whose records carry no date: Git history gives them (first and last commit).
UNDATED_ADR = (
    "# 3. Deploy with Capistrano\n\n## Status\n\nAccepted\n\n## Decision\n\n"
    "We will deploy the web application to the servers with Capistrano recipes.\n"
)
RUNBOOK = (
    "# Deploying the web application\n\nThe web application is deployed to the servers by the "
    "Kubernetes Helm chart in deploy/chart; run `make deploy` from the main branch.\n"
)


def _sources(answer) -> list[str]:
    return [c.source for c in answer.citations]


def test_a_newer_page_beside_a_decision_dated_in_its_text(settings: Settings, tmp_path: Path) -> None:
    ingest_paths(settings, [write_files(tmp_path / "kb", TEXT_DATED)])
    advisor = Advisor.open(settings)

    answer = advisor.ask("are we still on jenkins for our ci pipelines?")

    assert _sources(answer)[:2] == [
        "platform/adr/0005-use-jenkins-for-ci.md",
        "platform/howto/continuous-integration.md",
    ]
    assert "2023-05-10" in answer.text and "2019-03-01" in answer.text
    assert "superseded" not in answer.text.lower()
    assert "other-team/adr/0001-use-postgres.md" not in _sources(answer)


def test_a_newer_page_dated_by_git_history(settings: Settings, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.commit(
        {"web/adr/0003-deploy-with-capistrano.md": UNDATED_ADR}, "adr", ANN, "2018-02-01T09:00:00+00:00"
    )
    repo.commit({"web/runbooks/deploy.md": RUNBOOK}, "runbook", BOB, "2024-09-12T09:00:00+00:00")
    ingest_paths(settings, [repo.work])
    advisor = Advisor.open(settings)

    answer = advisor.ask("do we still deploy the web application with capistrano?")

    assert "web/runbooks/deploy.md" in _sources(answer)
    assert "2024-09-12" in answer.text


def test_only_questions_about_where_things_stand_get_the_timeline(settings: Settings, tmp_path: Path) -> None:
    ingest_paths(settings, [write_files(tmp_path / "kb", TEXT_DATED)])
    advisor = Advisor.open(settings)

    answer = advisor.ask("what did ADR 5 decide for ci pipelines?")

    assert _sources(answer)[0] == "platform/adr/0005-use-jenkins-for-ci.md"
    assert "newest document" not in answer.text
