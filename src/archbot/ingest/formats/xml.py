"""XML specifications → Markdown, read by their structure with lxml (docs/adr/0022).

Standards bodies write records as XML (XSF XEPs, IETF xml2rfc, DocBook): sections titled by an
attribute or a child, paragraphs of mixed text, a header of short text-only elements. Those
become headings, paragraphs and `**name**: value` items, so the header's fields reach the same
readers as any other format's. The parser loads no DTD and resolves no entity (no file or network
access); an XML file with no prose (data, configuration) is skipped as not a document.
"""

from __future__ import annotations

from lxml import etree

from archbot.ingest.formats.limits import Limits
from archbot.ingest.formats.markdown import Converted, escape_line, heading, join_blocks, vocabulary
from archbot.ingest.loaders import SkipFile

_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "recover": True,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


def convert(data: bytes, limits: Limits) -> Converted:
    root = etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS))
    if root is None:
        raise SkipFile("no XML element could be read: fix the markup")
    writer = _Writer(vocabulary()["xml"])
    writer.element(root, 1)
    if not writer.has_prose:
        raise SkipFile("XML with no prose: a data or configuration file, not a document")
    title = writer.title
    blocks = [heading(1, title)] if title else []
    return Converted(join_blocks(blocks + writer.blocks))


def _tag(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _words(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


class _Writer:
    def __init__(self, cues: dict) -> None:
        self.cues = cues
        self.blocks: list[str] = []
        self.title = ""
        self.has_prose = False

    def element(self, element: etree._Element, level: int) -> None:
        children = [c for c in element if _tag(c)]
        tag = _tag(element)
        if tag in self.cues["code_elements"]:
            self.blocks.append("```\n" + "".join(element.itertext()).strip("\n") + "\n```")
            return
        section = self._section_title(element, children)
        if section is not None:
            level = min(level + 1, 6)
            if not self.title:
                self.title = section
            else:
                self.blocks.append(heading(level, section))
        if (element.text or "").strip() and children and not section:
            self._paragraph(element)
            return
        if not children:
            self._leaf(element, tag)
            return
        if all(_tag(c) in self.cues["item_elements"] for c in children):
            self.blocks.append("\n".join(f"- {_words(c)}" for c in children))
            return
        if self._is_list_field(children):
            self.blocks.append(f"- **{tag}**: " + ", ".join(_words(c) for c in children))
            return
        if self._is_record(children):
            # A repeated entry (a revision: version, date, remark) is one line, not fields of the document.
            self.blocks.append(f"- {tag}: " + " · ".join(_words(c) for c in children))
            return
        for child in children:
            if _tag(child) not in self.cues["title_elements"] or child is not children[0]:
                self.element(child, level)

    def _section_title(self, element: etree._Element, children: list[etree._Element]) -> str | None:
        for name in self.cues["section_attributes"]:
            if element.get(name):
                return " ".join(element.get(name).split())
        first = children[0] if children else None
        if first is not None and _tag(first) in self.cues["title_elements"] and not list(first):
            return _words(first) or None
        return None

    def _leaf(self, element: etree._Element, tag: str) -> None:
        text = _words(element)
        if not text:
            return
        if len(text) <= self.cues["field_max_chars"] and len(text.split()) < self.cues["min_prose_words"]:
            self.blocks.append(f"- **{tag}**: {text}")
        else:
            self._paragraph(element)

    def _paragraph(self, element: etree._Element) -> None:
        text = _words(element)
        if len(text.split()) >= self.cues["min_prose_words"]:
            self.has_prose = True
        self.blocks.append(escape_line(text))

    def _is_record(self, children: list[etree._Element]) -> bool:
        """`<revision><version/><date/><remark/></revision>`: distinct short text-only children."""
        tags = [_tag(c) for c in children]
        return (
            len(tags) >= 2
            and len(set(tags)) == len(tags)
            and not set(tags) & set(self.cues["code_elements"])
            and all(not list(c) and len(_words(c)) <= self.cues["field_max_chars"] for c in children)
            and sum(len(_words(c).split()) >= self.cues["min_prose_words"] for c in children) <= 1
        )

    def _is_list_field(self, children: list[etree._Element]) -> bool:
        """`<supersededby><spec>XEP-0080</spec></supersededby>`: one kind of short text-only child."""
        return len({_tag(c) for c in children}) == 1 and all(
            not list(c) and len(_words(c)) <= self.cues["field_max_chars"] for c in children
        )
