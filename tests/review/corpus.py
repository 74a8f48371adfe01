"""A tiny decisions-and-standards corpus for review tests, written to disk and ingested for real."""

from __future__ import annotations

from pathlib import Path

from tests.minicorpus import write_files

FILES = {
    "adr/0003-use-rabbitmq-for-events.md": """# 3. Use RabbitMQ for domain events

Date: 2020-01-10

## Status

Superseded by [ADR 9](0009-adopt-kafka-for-events.md)

## Decision

We will use RabbitMQ for domain events, with one exchange per producing service.
""",
    "adr/0009-adopt-kafka-for-events.md": """---
status: accepted
date: 2023-05-01
supersedes: 0003-use-rabbitmq-for-events.md
---
# Adopt Kafka for domain events

## Context and Problem Statement

RabbitMQ queues filled up during the peak and consumers could not replay history.

## Considered Options

1. Kafka on a managed service.
2. Stay on RabbitMQ with larger nodes.

## Decision Outcome

Chosen option: **1, Kafka**. All domain events MUST be published to Kafka. No new RabbitMQ exchanges
or queues may be created; existing RabbitMQ flows will be migrated within six months.
""",
    "adr/0004-use-postgresql.md": """# 4. Use PostgreSQL for service data

Date: 2020-02-01

## Status

Accepted

## Decision

PostgreSQL is the database of every service. MongoDB and Cassandra are not approved as a system of
record. Caches such as Redis are allowed when they can be rebuilt.
""",
    "adr/0005-cache-sessions-in-redis.md": """---
status: accepted
date: 2022-01-01
---
# Cache rendered pages in Redis

## Decision Outcome

Chosen option: **Redis**, a shared cache for rendered pages with a 60 second expiry.
""",
    "standards/api.md": """---
kind: standard
title: API standard
---
# API standard

- Every endpoint MUST be served under a major version path prefix such as `/v1/orders`.
- Internal calls MUST use mutual TLS. Services MUST NOT use shared API keys for internal calls.
""",
    "standards/retention.md": """---
kind: standard
title: Retention standard
---
# Retention standard

Data MUST NOT be kept longer than the schedule allows.

| Data class | Examples | Retention |
|---|---|---|
| Application logs | service logs | **30 days** |
| Payment records | payments, refunds | **10 years** |
""",
}


def write_corpus(root: Path) -> Path:
    return write_files(root, FILES)
