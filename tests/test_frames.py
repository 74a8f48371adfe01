"""Decision frames, decision logs and implicit replacement: built corpora in several templates, then
the dev corpus (real records of several organisations), all asserted as structured facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from archbot.ingest.frames import REMOVAL, frames_for, title_parts
from archbot.ingest.links import resolve_links
from archbot.ingest.loaders import LoadedFile, SkipRecord, discover, load_file
from archbot.ingest.metadata import Parsed, parse_document
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store
from archbot.kernel.types import DecisionFrame


def _parse(files: dict[str, str]) -> dict[str, Parsed]:
    fmt = {"md": "markdown", "adoc": "asciidoc"}
    return {
        source: parse_document(LoadedFile(source, text, "h", fmt[source.rsplit(".", 1)[1]]))
        for source, text in files.items()
    }


def _frames(files: dict[str, str]) -> tuple[dict[str, list[DecisionFrame]], list]:
    parsed = _parse(files)
    documents, _ = resolve_links(parsed)
    return frames_for(
        documents, {s: p.fmt for s, p in parsed.items()}, {s: p.units for s, p in parsed.items()}
    )


NYGARD = """# 4. Use RabbitMQ for domain events

Date: 2021-03-02

## Status

Accepted

## Context

Services need to publish domain events. We looked at Kafka and RabbitMQ.

## Decision

We will use RabbitMQ for all domain events. Producers MUST publish through the outbox.

## Consequences

Consumers MUST NOT read another service's queue.
"""

MADR = """---
status: accepted
date: 2022-05-01
deciders: Ana, Bo
---
# Use PostgreSQL for order storage

## Context and Problem Statement

Orders need a durable store.

## Considered Options

* PostgreSQL
* MongoDB
* DynamoDB

## Decision Outcome

Chosen option: "PostgreSQL", because the team knows it and it has transactions.

## Pros and Cons of the Options

### MongoDB

* Bad, because no multi-document transactions on our version
"""

Y_STATEMENT = """# Session storage

* Status: accepted
* Date: 2023-01-10

## Decision

In the context of the web tier, facing lost sessions on deploys, we decided for Redis and neglected
sticky sessions, to achieve stateless web nodes, accepting one more service to run.
"""


def test_frames_read_three_templates() -> None:
    frames, _ = _frames(
        {"adr/0004-rabbitmq.md": NYGARD, "adr/0005-orders.md": MADR, "adr/0006-session.md": Y_STATEMENT}
    )
    nygard, madr, y = (
        frames[s][0] for s in ("adr/0004-rabbitmq.md", "adr/0005-orders.md", "adr/0006-session.md")
    )
    assert nygard.choice == "RabbitMQ" and nygard.subject == "domain events"
    assert nygard.chosen and nygard.chosen.startswith("We will use RabbitMQ")
    assert len(nygard.constraints) == 2 and all("MUST" in c for c in nygard.constraints)
    assert (nygard.status, nygard.date, nygard.number) == ("accepted", "2021-03-02", 4)
    assert madr.chosen == "PostgreSQL" and madr.subject == "order storage"
    assert set(madr.considered) == {"MongoDB", "DynamoDB"}
    assert y.chosen == "Redis" and y.considered == ("sticky sessions",)


@pytest.mark.parametrize(
    ("title", "parts"),
    [
        ("Use bash and Go as core languages", ("bash and Go", "core languages", "")),
        ("ADR 18: Use RDS instead of provisioned EC2 databases", ("RDS", "", "provisioned EC2 databases")),
        ("Use Kafka over RabbitMQ for domain events", ("Kafka", "domain events", "RabbitMQ")),
        ("AMP Removal", (REMOVAL, "AMP", "")),
        ("17. Remove monorepo", (REMOVAL, "monorepo", "")),
        ("Multiple sites", ("", "Multiple sites", "")),
    ],
)
def test_titles_give_choice_subject_and_option_not_chosen(title: str, parts: tuple[str, str, str]) -> None:
    assert title_parts(title) == parts


DECISION_LOG = """# Platform decision log

## 445. Use Jenkins for builds

- Status: Superseded by 446
- Date: 2020-02-01

We will build every service on the shared Jenkins.

## 446. Use GitHub Actions for builds

- Status: Accepted
- Date: 2021-06-15

We will build every service with GitHub Actions workflows.

## 447. Keep one repository per service

- Status: Proposed
- Date: 2021-07-01

We will keep one repository per service.
"""


def test_a_decision_log_yields_one_decision_per_entry() -> None:
    parsed = _parse({"log/decisions.md": DECISION_LOG})["log/decisions.md"]
    assert parsed.document.status is None  # the log itself is not one decision
    frames, _ = _frames({"log/decisions.md": DECISION_LOG})
    entries = {f.number: f for f in frames["log/decisions.md"]}
    assert set(entries) == {445, 446, 447}
    assert (entries[445].status, entries[445].date) == ("superseded", "2020-02-01")
    assert entries[445].superseded_by == ("446. Use GitHub Actions for builds",)
    assert (entries[446].status, entries[447].status) == ("accepted", "proposed")
    assert entries[446].chosen and "GitHub Actions" in entries[446].chosen


def test_log_entries_are_indexed_and_cited_on_their_own(settings: Settings, tmp_path: Path) -> None:
    from archbot.advisor.core import Advisor

    root = tmp_path / "kb"
    (root / "log").mkdir(parents=True)
    (root / "log" / "decisions.md").write_text(DECISION_LOG)
    ingest_paths(settings, [root])
    store = Store(settings.db_path)
    sections = [c.section for c in store.chunks()]
    assert len(sections) == 3 and all(s.split(" > ")[0][:3] in ("445", "446", "447") for s in sections)
    answer = Advisor.open(settings).ask("do we still build on the shared Jenkins?")
    lead = answer.citations[0]
    assert lead.section and lead.section.startswith("445") and lead.status == "superseded"
    assert "446" in answer.text.splitlines()[0]


CHANGELOG = """= Changelog

== Rule changes

* `2024-03-01`: new rule <<12>> on pagination
* `2023-10-10`: remove never-implemented rule "MUST sign every event"
* `2023-01-05`: relaxed <<7>> from MUST to SHOULD
"""


def test_a_dated_change_log_is_chunked_per_entry(settings: Settings, tmp_path: Path) -> None:
    root = tmp_path / "kb"
    root.mkdir()
    (root / "changelog.adoc").write_text(CHANGELOG)
    ingest_paths(settings, [root])
    sections = [c.section for c in Store(settings.db_path).chunks() if "`20" in c.text]
    assert [s.split(" > ")[-1][:10] for s in sections] == ["2024-03-01", "2023-10-10", "2023-01-05"]


# Two organisations' conventions: a Nygard folder and a MADR folder, each with a later decision on
# the same subject that says nothing about the earlier one.
IMPLICIT = {
    "org-a/adr/0004-use-bash-node-and-python-as-core-languages.md": (
        "# 4. Use bash, Node.js and Python as core languages\n\nDate: 2019-01-01\n\n## Status\n\nAccepted\n\n"
        "## Decision\n\nWe will write tools in bash, Node.js and Python.\n"
    ),
    "org-a/adr/0019-use-bash-and-go-as-core-languages.md": (
        "# 19. Use bash and Go as core languages\n\nDate: 2022-06-14\n\n## Status\n\nAccepted\n\n"
        "## Decision\n\nWe will write tools in bash and Go.\n"
    ),
    "org-a/adr/0020-use-terraform-for-dns.md": (
        "# 20. Use Terraform for DNS\n\nDate: 2022-07-01\n\n## Status\n\nAccepted\n\n"
        "## Decision\n\nWe will.\n"
    ),
    "org-b/decisions/0002-amp.md": (
        "---\nstatus: accepted\ndate: 2018-01-01\n---\n# AMP\n\n## Decision Outcome\n\n"
        "Chosen option: serve AMP pages\n"
    ),
    "org-b/decisions/0030-amp-removal.md": (
        "---\nstatus: accepted\ndate: 2023-01-01\n---\n# AMP Removal\n\n## Decision Outcome\n\n"
        "Chosen option: stop serving AMP pages\n"
    ),
}


def test_implicit_replacement_is_reported_never_asserted() -> None:
    frames, replacements = _frames(IMPLICIT)
    pairs = {(r.later.split("/")[-1], r.earlier.split("/")[-1]) for r in replacements}
    assert pairs == {
        ("0019-use-bash-and-go-as-core-languages.md", "0004-use-bash-node-and-python-as-core-languages.md"),
        ("0030-amp-removal.md", "0002-amp.md"),
    }
    earlier = frames["org-a/adr/0004-use-bash-node-and-python-as-core-languages.md"][0]
    assert earlier.may_be_replaced_by == ("org-a/adr/0019-use-bash-and-go-as-core-languages.md",)
    parsed = _parse(IMPLICIT)
    documents, _ = resolve_links(parsed)
    assert all(d.status == "accepted" and not d.superseded_by for d in documents.values())


def test_frames_are_stored_and_the_lint_reports_implicit_replacement(
    settings: Settings, tmp_path: Path
) -> None:
    root = tmp_path / "kb"
    for source, text in IMPLICIT.items():
        (root / source).parent.mkdir(parents=True, exist_ok=True)
        (root / source).write_text(text)
    report = ingest_paths(settings, [root])
    lint = [i.problem for i in report.lint if "may replace" in i.problem]
    assert any(p.startswith("ADR 19 may replace ADR 4: both decide core languages") for p in lint)
    stored = Store(settings.db_path).frames()
    assert stored["org-a/adr/0019-use-bash-and-go-as-core-languages.md"][0].choice == "bash and Go"


# --- the dev corpus: real records of several organisations ---------------------------------------


@pytest.fixture(scope="module")
def dev_frames(dev_corpus: Path) -> tuple[dict[str, list[DecisionFrame]], list]:
    parsed = {}
    for item in discover(dev_corpus):
        assert not isinstance(item, SkipRecord)
        path, source = item
        parsed[source] = parse_document(load_file(path, source, 1_000_000))
    documents, _ = resolve_links(parsed)
    return frames_for(
        documents, {s: p.fmt for s, p in parsed.items()}, {s: p.units for s, p in parsed.items()}
    )


@pytest.mark.integration
def test_dev_frames_across_organisations(dev_frames: tuple[dict[str, list[DecisionFrame]], list]) -> None:
    frames, replacements = dev_frames
    by_name = {s.rsplit("/", 1)[-1]: fs[0] for s, fs in frames.items()}
    madr = by_name["0011-use-asterisk-as-list-marker.md"]  # MADR's own records
    assert madr.chosen == "Use an asterisk" and "Use a hyphen" in madr.considered
    govuk = by_name["0018-use-rds-instead-of-provisioned-ec2-databases.md"]  # GOV.UK, Nygard
    assert govuk.choice == "RDS" and "provisioned EC2 databases" in govuk.considered
    dcr = by_name["006-support-for-frontend-only.md"]  # the Guardian, Nygard without a title verb
    assert dcr.chosen and "remove all sites functionality" in dcr.chosen
    adrs = [fs[0] for fs in frames.values() if fs[0].status]
    assert sum(1 for f in adrs if f.chosen) / len(adrs) >= 0.9
    pairs = {(r.later.rsplit("/", 1)[-1], r.earlier.rsplit("/", 1)[-1]) for r in replacements}
    assert ("030-amp-removal.md", "011-amp.md") in pairs


def test_asking_for_the_other_options_names_what_the_decision_set_aside(
    settings: Settings, tmp_path: Path
) -> None:
    from archbot.advisor.core import Advisor
    from tests.minicorpus import write_files

    files = {  # a Nygard record listing its options in the context, and a MADR one with a section
        "platform/adr/0023-use-opa-gatekeeper.md": "# 23. Use OPA Gatekeeper\n\n## Status\n\nAccepted\n\n"
        "## Context\n\nWe chose to test two tools:\n\n* Kyverno\n* OPA Gatekeeper\n\n## Decision\n\n"
        "We have chosen to adopt OPA Gatekeeper for policies on Kubernetes objects.\n",
        "shop/decisions/0005-use-postgresql-for-orders.md": MADR,
    }
    ingest_paths(settings, [write_files(tmp_path / "kb", files)])
    advisor = Advisor.open(settings)
    answer = advisor.ask("what was the other option to OPA Gatekeeper for Kubernetes policies?")
    first = answer.text.splitlines()[0]
    assert "Kyverno" in first and "OPA Gatekeeper" in first
    madr = advisor.ask("which alternatives to PostgreSQL were considered for order storage?").text
    assert "MongoDB" in madr.splitlines()[0] and "DynamoDB" in madr.splitlines()[0]


def test_answers_mention_a_later_decision_that_may_replace_the_one_cited(
    settings: Settings, tmp_path: Path
) -> None:
    from archbot.advisor.core import Advisor
    from tests.minicorpus import write_files

    ingest_paths(settings, [write_files(tmp_path / "kb", IMPLICIT)])
    answer = Advisor.open(settings).ask("what are the core languages, bash, Node.js and Python?")
    by_source = {c.source: c.n for c in answer.citations}
    later = "org-a/adr/0019-use-bash-and-go-as-core-languages.md"
    note = next(line for line in answer.text.splitlines() if line.startswith("Note:"))
    assert f"[{by_source[later]}]" in note and "may replace ADR 4" in note


@pytest.mark.parametrize(
    ("line", "chosen"),
    [
        (
            "Chosen option: **1, Apache Kafka on Amazon MSK**, because it scales.",
            "Apache Kafka on Amazon MSK",
        ),
        ('Chosen option: "Option 2: the core API is responsible"', "the core API is responsible"),
    ],
)
def test_an_option_number_is_not_part_of_the_choice(line: str, chosen: str) -> None:
    text = f"---\nstatus: accepted\n---\n# Events\n\n## Decision Outcome\n\n{line}\n"
    frames, _ = _frames({"adr/0001-events.md": text})
    assert frames["adr/0001-events.md"][0].chosen == chosen
