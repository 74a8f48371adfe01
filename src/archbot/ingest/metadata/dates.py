"""Dates, deciders and tags as documents write them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from archbot.ingest.structure import plain

# --- dates, people, tags --------------------------------------------------------------------------

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
_MONTH = rf"({'|'.join(_MONTH_NAMES)})[a-z]*\.?"


def valid_date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def iso_date(value: object) -> str | None:
    """YYYY-MM-DD (or YYYY-MM when only a month is known) from the forms ADRs use."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    text = str(value).strip().lower()
    patterns: tuple[tuple[str, Callable[[tuple[str, ...]], str | None]], ...] = (
        (r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", lambda g: valid_date(int(g[0]), int(g[1]), int(g[2]))),
        (r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", lambda g: _day_month(int(g[0]), int(g[1]), int(g[2]))),
        (
            rf"(\d{{1,2}})(?:st|nd|rd|th)?[\s-]+{_MONTH}(?:,?\s+|-)(\d{{4}})",
            lambda g: _named(g[2], g[1], g[0]),
        ),
        (rf"{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", lambda g: _named(g[2], g[0], g[1])),
        (rf"{_MONTH},?\s+(\d{{4}})", lambda g: f"{g[1]}-{_MONTHS[g[0]]:02d}"),
        (r"(\d{4})-(\d{2})(?!\d)", lambda g: f"{g[0]}-{g[1]}" if 1 <= int(g[1]) <= 12 else None),
        (r"(\d{4})(\d{2})(\d{2})", lambda g: valid_date(int(g[0]), int(g[1]), int(g[2]))),
    )
    for pattern, convert in patterns:
        match = re.search(pattern, text)
        if match and (found := convert(match.groups())):
            return found
    return None


def _day_month(first: int, second: int, year: int) -> str | None:
    """dd/mm/yyyy unless that is impossible (the corpus is mostly British; US dates still parse)."""
    return valid_date(year, second, first) or valid_date(year, first, second)


def _named(year: str, month: str, day: str) -> str | None:
    return valid_date(int(year), _MONTHS[month[:3]], int(day))


def names(value: object) -> tuple[str, ...]:
    """Front matter lists or `a, b; c` lines; template placeholders (`[...]`, `{...}`) are not names."""
    items = value if isinstance(value, list | tuple) else re.split(r"[,;]", str(value or ""))
    names = (plain(str(item)).strip(" []") for item in items)
    return tuple(dict.fromkeys(n for n in names if n and not n.startswith("{")))
