"""A follow-up's evidence is the question as asked: the conversation's words say where to look, and
they rank the record the thread is about first by design, so they do not corroborate it as the
answer to a new question (`offline._pick` keeps a second source beside a lead both retrieval legs
rank first only when both rank it near the top too). Records of two organisations: Nygard records of
a platform team and a MADR record of a web team (real all-MiniLM-L6-v2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archbot.advisor.core import Advisor
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from archbot.kernel.types import Filters, Turn
from tests.minicorpus import write_files

ARCHITECTURE = "platform/doc/adr/0006-build-agent-architecture.md"
CACHE = "platform/doc/adr/0008-dependency-cache-on-build-agents.md"
CORPUS = {
    "platform/doc/adr/0006-build-agent-architecture.md": """# 6. Build agent architecture

Date: 2022-04-11

## Status

Accepted

## Context

We need to decide whether our build agents run as long-lived virtual machines or as ephemeral
containers started for each job. Long-lived virtual machines keep state between jobs, drift from
their image and need patching; ephemeral containers start clean every time.

## Decision

Build agents will run as ephemeral containers on the shared cluster, one container per job.
""",
    "platform/doc/adr/0008-dependency-cache-on-build-agents.md": """# 8. Dependency cache on build agents

Date: 2022-05-02

## Status

Accepted

## Context

Every job downloads all of its dependencies from the internet, which takes minutes and fails when a
registry is down.

## Decision

Build agents will use a shared Nexus proxy as their dependency cache instead of downloading from
public registries.
""",
    "platform/doc/adr/0007-build-agent-credentials.md": """# 7. Build agent credentials

Date: 2022-04-20

## Status

Accepted

## Decision

Build agents get short-lived deploy tokens from the secrets manager for each job.
""",
    "platform/doc/adr/0003-run-services-in-containers.md": """# 3. Run services in containers

Date: 2021-01-10

## Status

Accepted

## Decision

All services run as containers on the shared cluster instead of long-lived virtual machines.
""",
    "platform/doc/adr/0004-virtual-machines-for-databases.md": """# 4. Virtual machines for databases

Date: 2021-02-10

## Status

Accepted

## Decision

Databases keep running on long-lived virtual machines, patched monthly, not in containers.
""",
    "web/docs/decisions/0002-cache-pages-at-the-edge.md": """---
status: accepted
date: 2023-06-01
---
# Cache pages at the edge

## Context and Problem Statement

Pages are rendered on every request.

## Decision Outcome

Chosen option: "CDN cache", because rendered pages are cached at the edge for five minutes.
""",
    "platform/doc/adr/0009-patch-virtual-machines.md": """# 9. Patch long-lived virtual machines monthly

Date: 2022-06-01

## Status

Accepted

## Decision

Long-lived virtual machines are patched monthly from a golden image; ephemeral containers are
rebuilt instead.
""",
    "platform/doc/adr/0010-ephemeral-environments.md": """# 10. Ephemeral environments for pull requests

Date: 2022-07-01

## Status

Accepted

## Decision

Each pull request gets an ephemeral environment of containers, removed when it merges, never a
long-lived virtual machine.
""",
    "platform/doc/adr/0011-container-image-registry.md": """# 11. One container image registry

Date: 2022-08-01

## Status

Accepted

## Decision

Container images, for services and ephemeral jobs alike, are pushed to one registry; virtual
machine images stay in the cloud's image store.
""",
}


@pytest.fixture(scope="module")
def advisor(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Advisor:
    root = tmp_path_factory.mktemp("follow-up-evidence")
    settings = Settings.from_env(
        {
            "ARCHBOT_HOME": str(root / "home"),
            "ARCHBOT_MODEL_CACHE": str(model_cache),
            "ARCHBOT_CHUNK_CHARS": "400",
        }
    )
    ingest_paths(settings, [write_files(root / "kb", CORPUS)])
    return Advisor.open(settings)


def _thread(advisor: Advisor, opening: str) -> list[Turn]:
    answer = advisor.ask(opening)
    assert answer.citations[0].source == ARCHITECTURE, answer.text
    return [Turn("user", opening), Turn("assistant", answer.text, tuple(c.source for c in answer.citations))]


@pytest.mark.parametrize(
    "follow_up", ["what is their dependency cache?", "and where do they cache dependencies?"]
)
def test_a_follow_ups_hits_carry_the_legs_ranks_for_the_question_as_asked(
    advisor: Advisor, follow_up: str
) -> None:
    thread = _thread(advisor, "should build agents be long-lived virtual machines or ephemeral containers?")
    retriever = advisor.retriever
    hits = advisor._retrieve(
        follow_up, thread, Filters(), 12, retriever, advisor.vocabulary(retriever), lambda _: True
    ).hits
    asked = {h.source: h.leg_ranks for h in retriever.search(follow_up, k=12)}
    assert {h.source: h.leg_ranks for h in hits} == {h.source: asked.get(h.source, ()) for h in hits}
    assert asked[CACHE] == (0, 0)
    answer = advisor.ask(follow_up, history=thread)
    assert CACHE in {c.source for c in answer.citations}, answer.text
