"""Where errors become text: user-facing errors as their message, anything else as a reference id."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TypeVar

import click

from archbot.kernel.errors import ArchbotError, new_reference

errors_log = logging.getLogger("archbot.errors")
F = TypeVar("F", bound=Callable)


def configure_logging(home: Path, verbose: bool = False) -> Path:
    """Warnings to stderr; unexpected errors with their traceback to ARCHBOT_HOME/archbot.log only."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "chromadb", "sentence_transformers", "transformers", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    path = home / "archbot.log"
    if not errors_log.handlers:
        home.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        errors_log.addHandler(handler)
        errors_log.propagate = False
    return path


def friendly_errors(func: F) -> F:
    """CLI commands never show a traceback: a fixable error says how to fix it, anything else gets an id."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ArchbotError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt, SystemExit):
            raise
        except Exception:
            ref = new_reference()
            errors_log.exception("unexpected error (ref %s)", ref)
            click.echo(
                f"Something went wrong (reference {ref}); archbot.log in ARCHBOT_HOME has the details.",
                err=True,
            )
            sys.exit(2)

    return wrapper  # type: ignore[return-value]
