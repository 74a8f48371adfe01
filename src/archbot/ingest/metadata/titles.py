"""Title, ADR number and file-name date of a document."""

from __future__ import annotations

import posixpath
import re

from archbot.ingest.loaders import supported_suffix
from archbot.ingest.metadata.dates import valid_date

# --- title and number -----------------------------------------------------------------------------

_TITLE_NUMBER = re.compile(
    r"^(?:(?:ADR|RFC)[\s#_-]*(\d{1,5})\s*[.:)\-–—]?|(\d{1,5})\s*(?:[.:)]|\s[-–—]))\s+(?=\S)", re.I
)
# A number at the start of a file name, after an optional series prefix: `0007-…`, `adr-7`,
# `rfc0505`, or a series of its own followed by a separator (`eep-0033`, `bip-0002`, `KEEP-0430`).
_FILE_NUMBER = re.compile(r"^(?:(?:adr|rfc)[-_ ]?|(?P<series>[a-z]{2,6})[-_])?(\d{1,5})(?=[-_. ]|$)", re.I)
_FILE_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?=[-_. ]|$)")


def stem_of(source: str) -> str:
    """The file name without its (possibly chained) supported suffix."""
    name = posixpath.basename(source)
    suffix = supported_suffix(name)
    return name[: -len(suffix)] if suffix else posixpath.splitext(name)[0]


def split_title_number(title: str) -> tuple[str, int | None]:
    """`7. Use Kafka` / `ADR-007: Use Kafka` -> ("Use Kafka", 7)."""
    match = _TITLE_NUMBER.match(title)
    if not match:
        return title, None
    return title[match.end() :].strip(), int(match.group(1) or match.group(2))


def file_number(stem: str) -> int | None:
    if file_date(stem):
        return None
    match = _FILE_NUMBER.match(stem)
    return int(match.group(2)) if match else None


def file_series(stem: str) -> str | None:
    """The series a file name numbers its record in (`eep` of `eep-0033`), lowercased; None for
    plain numbers and ADR or RFC numbers, which every organisation uses."""
    match = _FILE_NUMBER.match(stem)
    return match.group("series").lower() if match and match.group("series") else None


def file_date(stem: str) -> str | None:
    match = _FILE_DATE.match(stem)
    return valid_date(*map(int, match.groups())) if match else None


SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+){2,}")


def humanise(stem: str) -> str:
    words = re.sub(r"[-_]+", " ", _FILE_DATE.sub("", _FILE_NUMBER.sub("", stem))).strip()
    return (words[:1].upper() + words[1:]) if words else stem
