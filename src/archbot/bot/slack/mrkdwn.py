"""Markdown (what the advisor core writes) to Slack mrkdwn (what Slack renders).

Slack's mrkdwn is not Markdown: `**bold**` shows asterisks, `[t](u)` is not a link, headings and nested
lists do not exist. Converting from markdown-it's syntax tree rather than with regexes keeps code spans
and fenced blocks untouched and escapes `&`, `<` and `>` exactly once, as Slack requires.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_BULLETS = ("•", "◦", "▪")
_INDENT = "    "


def escape(text: str) -> str:
    """Slack's three control characters; everything else is literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str | None = None) -> str:
    """A Slack link; `|` and angle brackets would end it early, so they are escaped away."""
    safe_url = url.replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
    if not label or label == url:
        return f"<{safe_url}>"
    return f"<{safe_url}|{escape(label).replace('|', '¦')}>"


def to_mrkdwn(markdown: str) -> str:
    """Slack mrkdwn for a Markdown string."""
    tree = SyntaxTreeNode(_PARSER.parse(markdown))
    return "\n".join(_blocks(tree.children, depth=0)).strip()


def _blocks(nodes: list[SyntaxTreeNode], depth: int) -> list[str]:
    lines: list[str] = []
    for node in nodes:
        rendered = _block(node, depth)
        if rendered is None:
            continue
        if lines and depth == 0:
            lines.append("")
        lines.append(rendered)
    return lines


def _block(node: SyntaxTreeNode, depth: int) -> str | None:
    kind = node.type
    if kind == "paragraph":
        return _inline_of(node)
    if kind == "heading":
        return f"*{_inline_of(node, plain=True)}*"
    if kind in ("bullet_list", "ordered_list"):
        return _list(node, depth)
    if kind == "blockquote":
        inner = "\n".join(_blocks(node.children, depth=0))
        return "\n".join(f"> {line}" if line else ">" for line in inner.splitlines())
    if kind in ("fence", "code_block"):
        return f"```\n{escape(node.content.rstrip(chr(10)))}\n```"
    if kind == "hr":
        return "──────────"
    if kind == "table":
        return _table(node)
    if kind == "html_block":
        return escape(node.content.rstrip("\n"))
    return None


def _list(node: SyntaxTreeNode, depth: int) -> str:
    ordered = node.type == "ordered_list"
    start = int(node.attrs.get("start", 1)) if ordered else 1
    lines: list[str] = []
    for offset, item in enumerate(node.children):
        marker = f"{start + offset}." if ordered else _BULLETS[depth % len(_BULLETS)]
        parts = [_block(child, depth + 1) for child in item.children]
        text = "\n".join(p for p in parts if p is not None)
        first, _, rest = text.partition("\n")
        lines.append(f"{_INDENT * depth}{marker} {first}")
        if rest:
            lines.extend(
                line if line.startswith(_INDENT) else f"{_INDENT * (depth + 1)}{line}"
                for line in rest.splitlines()
            )
    return "\n".join(lines)


def _table(node: SyntaxTreeNode) -> str:
    """Slack has no tables; rows of `a | b` cells keep them readable."""
    rows = [
        " | ".join(_inline_of(cell) for cell in row.children)
        for section in node.children
        for row in section.children
    ]
    return "\n".join(rows)


def _inline_of(node: SyntaxTreeNode, plain: bool = False) -> str:
    inline = next((c for c in node.children if c.type == "inline"), None)
    return _inline(inline.children, plain) if inline else ""


def _inline(nodes: list[SyntaxTreeNode], plain: bool = False) -> str:
    out: list[str] = []
    for node in nodes:
        kind = node.type
        if kind == "text":
            out.append(escape(node.content))
        elif kind == "strong":
            inner = _inline(node.children, plain)
            out.append(inner if plain else f"*{inner}*")
        elif kind == "em":
            out.append(f"_{_inline(node.children, plain)}_")
        elif kind == "s":
            out.append(f"~{_inline(node.children, plain)}~")
        elif kind == "code_inline":
            out.append(f"`{escape(node.content)}`")
        elif kind == "link":
            out.append(link(str(node.attrs.get("href", "")), _plain_text(node)))
        elif kind == "image":
            out.append(link(str(node.attrs.get("src", "")), _plain_text(node) or None))
        elif kind == "softbreak" or kind == "hardbreak":
            out.append("\n")
        elif kind == "html_inline":
            out.append(escape(node.content))
    return "".join(out)


def _plain_text(node: SyntaxTreeNode) -> str:
    """A link's label without formatting: Slack does not render markup inside `<url|label>`."""
    if node.type in ("text", "code_inline"):
        return node.content
    return "".join(_plain_text(child) for child in node.children)
