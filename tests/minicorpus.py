"""A small corpus written by the tests: a three-step supersession chain, a prose-only supersession,
a standard, a restricted document and an unrelated design doc."""

from __future__ import annotations

from pathlib import Path

FILES = {
    "adr/0001-use-sticky-sessions.md": """# 1. Use sticky sessions for web session state

Date: 2019-02-01

## Status

Superseded by [ADR 2](0002-store-sessions-in-redis.md)

## Context

Web session state lives in the memory of each application server.

## Decision

We will pin each user to one server with sticky sessions on the load balancer.
""",
    "adr/0002-store-sessions-in-redis.md": """# 2. Store web sessions in Redis

Date: 2021-06-10

## Status

Superseded by [ADR 3](0003-signed-cookie-sessions.md)

Supersedes [ADR 1](0001-use-sticky-sessions.md)

## Context

Sticky sessions broke every deploy because users lost their session state.

## Decision

We will keep web session state in a shared Redis cluster.
""",
    "adr/0003-signed-cookie-sessions.md": """---
status: accepted
date: 2024-01-15
deciders: [Ana Lima]
---
# Keep web sessions in signed cookies

## Context and Problem Statement

The Redis session cluster of ADR 2 is an outage risk and costs money. This supersedes ADR 2.

## Decision Outcome

We will keep web session state in signed, encrypted JWT cookies, so servers hold no session state.
""",
    "adr/0007-use-rabbitmq-for-events.md": """# 7. Use RabbitMQ for domain events

Date: 2022-03-14

## Status

Accepted

## Context

Services need to publish domain events such as PaymentCaptured to each other.

## Decision

We will use RabbitMQ topic exchanges for domain events between services.
""",
    "adr/0012-adopt-kafka.md": """---
status: accepted
date: 2024-03-05
supersedes: 0007-use-rabbitmq-for-events.md
---
# Adopt Kafka for event streaming

## Context

RabbitMQ could not replay domain events and lost ordering under load.

## Decision Outcome

We will publish all domain events to Apache Kafka topics, keyed by aggregate id, kept for 7 days.
""",
    "standards/data-retention.md": """---
title: Data retention standard
kind: standard
---
# Data retention standard

## Logs

Application logs MUST be kept for 30 days and then deleted.

Audit logs MUST be kept for 7 years.
""",
    "standards/security-incident-playbook.md": """---
title: Security incident playbook
kind: standard
visibility: restricted
---
# Security incident playbook

## Breach escalation

On a suspected breach of cardholder data, page the security on-call and rotate the HSM master keys.
""",
    "design/merchant-search.md": """---
title: Merchant dashboard search
kind: design
---
# Merchant dashboard search

## Proposal

Merchants search their transactions with OpenSearch, refreshed from the ledger every minute.
""",
}


def write_file(path: Path, data: str | bytes) -> Path:
    """One file, its folders made; bytes written as they are, text as UTF-8."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def write_files(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def write_minicorpus(root: Path) -> Path:
    return write_files(root, FILES)
