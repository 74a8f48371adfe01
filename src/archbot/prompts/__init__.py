"""Prompt and rubric files, loaded explicitly by name (see kernel.prompts)."""
