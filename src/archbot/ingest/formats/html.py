"""HTML → Markdown with BeautifulSoup and markdownify: the page's own content, not its chrome.

Confluence and Google Docs exports and ordinary pages keep their content in different places; the
selectors in `prompts/formats.yaml` say where, first match wins, and what chrome (navigation, header,
footer, scripts, sidebars) is dropped. Headings, lists, links and tables (as pipe tables) are kept.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

from archbot.ingest.formats.limits import Limits
from archbot.ingest.formats.markdown import Converted, heading, join_blocks, vocabulary
from archbot.ingest.loaders import SkipFile

_FIRST_HEADING = re.compile(r"^(#{1,6}) ", re.M)
_CONVERTER = MarkdownConverter(heading_style="ATX", bullets="-", strip=["img"], escape_misc=False)


def convert(data: bytes, limits: Limits) -> Converted:
    cues = vocabulary()["html"]
    soup = BeautifulSoup(data, "lxml")
    title = _title(soup, cues["title"])
    for selector in cues["chrome"]:
        for element in soup.select(selector):
            element.decompose()
    main = _main(soup, cues["main"])
    body = re.sub(r"\n{3,}", "\n\n", _CONVERTER.convert_soup(main)).strip()
    if not body:
        raise SkipFile("no text: the page has no content outside its navigation; export the page itself")
    first = _FIRST_HEADING.search(body)
    blocks = [body] if (first and len(first.group(1)) == 1) or not title else [heading(1, title), body]
    return Converted(join_blocks(blocks))


def _title(soup: BeautifulSoup, selectors: list[str]) -> str:
    for selector in selectors:
        found = soup.select_one(selector)
        if found is not None and found.get_text(strip=True):
            return " ".join(found.get_text(" ").split())
    return ""


def _main(soup: BeautifulSoup, selectors: list[str]) -> Tag:
    for selector in selectors:
        found = soup.select_one(selector)
        if found is not None and found.get_text(strip=True):
            return found
    return soup.body or soup
