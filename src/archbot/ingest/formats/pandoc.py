"""AsciiDoc, reStructuredText and MediaWiki → Markdown through pandoc's own readers (docs/adr/0022).

pandoc (the `pypandoc-binary` wheel) parses each format with a real reader: AsciiDoc tables,
attributes, admonitions and definition lists; reST field lists, docinfo, grid tables and
list-tables. It runs as its own process with `--sandbox` (no file is read but the input: no
`include::`, no `.. include::`, no `raw :file:`, no images fetched), a heap cap and a timeout.

The AST is then made into what every reader of ours reads: the document's metadata (AsciiDoc
attribute entries) becomes YAML front matter, the title a level-1 heading, definition lists (reST
field lists and docinfo among them) `**Term**: definition` items, Sphinx roles their text,
admonitions quotes that say their kind, and the body GitHub-flavoured Markdown written by pandoc.
"""

from __future__ import annotations

import json
import subprocess
from functools import lru_cache
from typing import Any

import yaml

from archbot.ingest.formats.limits import Limits
from archbot.ingest.formats.markdown import Converted
from archbot.ingest.loaders import SkipFile
from archbot.ingest.structure import split_front_matter

# The reader pandoc uses for each of our format names.
READERS = {"asciidoc": "asciidoc", "rst": "rst", "mediawiki": "mediawiki"}
# Extensions pandoc would otherwise honour that reach outside the document or guess structure.
_WRITER = "gfm-raw_html"

Node = dict[str, Any]


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    try:
        import pypandoc
    except ImportError:  # pragma: no cover - a dependency of the package
        raise SkipFile("pandoc is not installed: `pip install pypandoc-binary`") from None
    return str(pypandoc.get_pandoc_path())


def convert(fmt: str, data: bytes, limits: Limits) -> Converted:
    """`data` of `fmt` ("asciidoc" or "rst") as Markdown with front matter, or `SkipFile` saying why not."""
    warnings: list[str] = []
    attributes: dict[str, object] = {}
    if fmt == "asciidoc":
        # Jekyll-style front matter over an AsciiDoc document (Asciidoctor's skip-front-matter).
        front, body, _ = split_front_matter(data.decode())
        data, found, skipped = _asciidoc_lines(body.encode() if front else data)
        attributes = {**front, **found}
        if skipped:
            warnings.append(f"{skipped} include directive(s) not read: archbot reads no other file")
    ast = json.loads(_run(["-f", READERS[fmt], "-t", "json"], data, limits))
    meta = {key: _meta_value(value) for key, value in ast.get("meta", {}).items()}
    meta.update({key: value for key, value in attributes.items() if key not in meta})
    title = meta.pop("title", "")
    ast["meta"] = {}
    ast["blocks"] = _walk_blocks(ast.get("blocks", []))
    # AsciiDoc's `==` sections sit under its `=` title: one level below the Markdown title.
    shift = ["--shift-heading-level-by=1"] if title and fmt == "asciidoc" else []
    writer = ["-f", "json", "-t", _WRITER, "--wrap=none", *shift]
    body = _run(writer, json.dumps(ast).encode(), limits).decode()
    parts = []
    if meta:
        parts.append("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n")
    if title:
        parts.append(f"# {' '.join(str(title).split())}\n")
    parts.append(body.strip("\n") + "\n")  # an indented code block may open the body
    if not body.strip() and not title:
        raise SkipFile(f"no text: pandoc read no content from this {fmt} file")
    return Converted("\n".join(parts), tuple(warnings))


# The characters whose runs of four or more delimit an AsciiDoc block (listing, literal, example,
# sidebar, quote, comment, passthrough): nothing inside one is a line-level directive.
_ADOC_DELIMITERS = frozenset("-.=+_*/")


def _asciidoc_lines(data: bytes) -> tuple[bytes, dict[str, str], int]:
    """The line-level directives of AsciiDoc read before pandoc parses the rest: attribute entries
    (`:status: Accepted`, anywhere outside a block) are the document's fields, comments are dropped,
    and `include::` lines are dropped, as the sandbox refuses them by failing the whole file.
    (pandoc's reader, new in 3.7, reads attribute entries only in the header and stops on a
    `pass:[…]` in one.)"""
    attributes: dict[str, str] = {}
    kept: list[str] = []
    skipped = 0
    delimiter: str | None = None
    for line in data.decode().split("\n"):
        bare = line.rstrip()
        if bare.lstrip().startswith("include::"):  # processed inside blocks too
            skipped += 1
            continue
        if len(bare) >= 4 and len(set(bare)) == 1 and bare[0] in _ADOC_DELIMITERS:
            delimiter = None if bare == delimiter else delimiter or bare
        elif delimiter is None:
            if bare.startswith("//"):
                continue
            entry = _attribute_entry(bare)
            if entry is not None:
                if entry[1]:
                    attributes.setdefault(entry[0], entry[1])
                continue
        kept.append(line)
    return "\n".join(kept).encode(), attributes, skipped


def _attribute_entry(line: str) -> tuple[str, str] | None:
    """(name, value) of `:name: value` (or `:name!:`, an unset, with no value)."""
    if not line.startswith(":"):
        return None
    name, colon, value = line[1:].partition(":")
    bare = name.rstrip("!")
    if not colon or not bare or not all(c.isalnum() or c in "-_" for c in bare):
        return None
    return bare.lower(), value.strip()


def _run(args: list[str], data: bytes, limits: Limits) -> bytes:
    command = [pandoc_path(), "--sandbox", *args, "+RTS", f"-M{limits.memory_mb}m", "-RTS"]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=limits.timeout_s, check=False)
    except subprocess.TimeoutExpired:
        raise SkipFile(
            f"conversion took longer than {limits.timeout_s:g} s (ARCHBOT_CONVERT_TIMEOUT): split it"
        ) from None
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").splitlines()
        detail = next((line.strip() for line in lines if any(c.isalpha() for c in line)), "pandoc failed")
        raise SkipFile(f"unreadable ({detail}): fix the markup")
    return done.stdout


# --- metadata ---------------------------------------------------------------------------------------


def _meta_value(value: Node) -> object:
    kind, content = value.get("t"), value.get("c")
    if kind == "MetaMap":
        return {k: _meta_value(v) for k, v in content.items()}
    if kind == "MetaList":
        return [_meta_value(v) for v in content]
    if kind in ("MetaInlines", "MetaBlocks"):
        return _plain(content)
    if kind == "MetaBool":
        return bool(content)
    return str(content)


def _plain(content: Any) -> str:
    """The words of an inline or block list."""
    words: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            kind = node.get("t")
            if kind == "Str":
                words.append(node["c"])
            elif kind in ("Space", "SoftBreak", "LineBreak"):
                words.append(" ")
            elif kind in ("Code", "Math"):
                words.append(node["c"][-1])
            elif kind in ("RawInline", "RawBlock", "Note"):
                return
            elif kind == "Link" or kind == "Image":
                visit(node["c"][1])
            else:
                visit(node.get("c"))

    visit(content)
    return " ".join("".join(words).split())


# --- the body -----------------------------------------------------------------------------------------


def _walk_blocks(blocks: list[Node]) -> list[Node]:
    out: list[Node] = []
    for block in blocks:
        out += _block(block)
    return out


def _block(block: Node) -> list[Node]:
    kind, content = block.get("t"), block.get("c")
    if kind == "RawBlock":
        return []
    if kind == "DefinitionList":
        return [{"t": "BulletList", "c": [_definition_item(t, d) for t, d in content]}]
    if kind == "Div":
        (_, classes, _), inner = content
        inner = [b for b in inner if not (b.get("t") == "Div" and "title" in b["c"][0][1])]
        label = next((c for c in classes if c not in ("admonition",)), "")
        body = _walk_blocks(inner)
        if label and body:
            return [{"t": "BlockQuote", "c": [_label(label), *body]}]
        return body
    if kind in ("BlockQuote",):
        return [{"t": kind, "c": _walk_blocks(content)}]
    if kind in ("BulletList",):
        return [{"t": kind, "c": [_walk_blocks(item) for item in content]}]
    if kind == "OrderedList":
        return [{"t": kind, "c": [content[0], [_walk_blocks(item) for item in content[1]]]}]
    if kind == "Header":
        return [_numbered_header(_inline_fix(block))]
    if kind in ("Para", "Plain", "LineBlock"):
        return [_inline_fix(block)]
    if kind == "Figure":
        return _walk_blocks(content[2])
    if kind == "Table":
        return [_inline_fix(block)]
    return [block]


def _numbered_header(header: Node) -> Node:
    """A section anchored by a number (AsciiDoc `[#106]` over a rule) keeps it in its heading: rules
    are cited by it ("see #106")."""
    level, (identifier, classes, attributes), inlines = header["c"]
    if identifier.isdigit():
        inlines = [*inlines, {"t": "Space"}, {"t": "Str", "c": f"(#{identifier})"}]
    return {"t": "Header", "c": [level, [identifier, classes, attributes], inlines]}


def _definition_item(term: list[Node], definitions: list[list[Node]]) -> list[Node]:
    first = [{"t": "Strong", "c": term}, {"t": "Str", "c": ":"}]
    blocks = [b for d in definitions for b in _walk_blocks(d)]
    if blocks and blocks[0].get("t") in ("Para", "Plain"):
        return [{"t": "Plain", "c": [*first, {"t": "Space"}, *blocks[0]["c"]]}, *blocks[1:]]
    return [{"t": "Plain", "c": first}, *blocks]


def _label(kind: str) -> Node:
    return {"t": "Para", "c": [{"t": "Strong", "c": [{"t": "Str", "c": kind.capitalize() + ":"}]}]}


def _inline_fix(node: Any) -> Any:
    """Links lose their attributes (so pandoc writes Markdown links, not HTML) and a cross-reference
    to another document (`xref:rfc-0020.adoc[…]`, read as `#rfc-0020.adoc`) points at the file."""
    if isinstance(node, list):
        return [_inline_fix(item) for item in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("t")
    if kind == "Link":
        _, text, (target, title) = node["c"]
        return {"t": "Link", "c": [["", [], []], _inline_fix(text), [_document_target(target), title]]}
    if kind in ("RawInline", "Note"):
        return {"t": "Str", "c": ""}
    if kind == "Code" and "interpreted-text" in node["c"][0][1]:
        return _role(node["c"][0][2], node["c"][1])
    if kind == "Image":
        return {"t": "Span", "c": [["", [], []], _inline_fix(node["c"][1])]}
    if "c" in node:
        return {**node, "c": _inline_fix(node["c"])}
    return node


def _role(attributes: list[list[str]], text: str) -> Node:
    """A Sphinx role (`:ref:`, `:doc:`, `:pep:`) is its label; a `:doc:` links to the document."""
    role = dict(attributes).get("role", "")
    label, _, target = text.partition(" <")
    target = target.rstrip(">") or label
    words = {"t": "Str", "c": label.strip()}
    if role == "doc":
        return {"t": "Link", "c": [["", [], []], [words], [target.strip() + ".rst", ""]]}
    return words


def _document_target(target: str) -> str:
    bare = target[1:] if target.startswith("#") else target
    if bare.lower().endswith((".adoc", ".asciidoc", ".rst", ".md", ".html")) or ".adoc#" in bare:
        return bare
    return target
