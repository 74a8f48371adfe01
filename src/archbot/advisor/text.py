"""The ADR numbers a text names ("ADR 7", "ADR-0007", a link to "../0007-use-rabbitmq.md")."""

from __future__ import annotations

import re

# "ADR 7", "ADR-0007", or a link to a numbered record "(../0007-use-rabbitmq.md)".
ADR_REF = re.compile(r"\bADR[-\s#]*0*(\d{1,4})\b|\(([^)]*?/)?0*(\d{1,4})-[\w-]+\.(?:md|adoc|txt)\)", re.I)


def adr_numbers(text: str) -> tuple[int, ...]:
    """The ADR numbers a text names, in order, each once."""
    numbers = []
    for match in ADR_REF.finditer(text):
        number = int(match.group(1) or match.group(3))
        if number not in numbers:
            numbers.append(number)
    return tuple(numbers)
