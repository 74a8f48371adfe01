"""Ingestion: files → parsed documents with ADR metadata → heading-aware chunks → Chroma + manifest."""
