"""archbot: an architecture advisor that answers from ADRs, standards and design docs, with citations.

Layers, lowest first (`make lint` checks them with import-linter): `kernel` (settings, types, store,
index, embedder) ← `ingest` and `advisor` ← `bot` (CLI, Slack) and `eval`.
"""
