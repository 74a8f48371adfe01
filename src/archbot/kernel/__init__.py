"""Shared kernel: settings, errors, value types, embedder, index access and the SQLite store.

Both `ingest/` and the advisor core import from here; nothing here imports them.
"""
