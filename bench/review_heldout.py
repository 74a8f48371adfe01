"""Conflict recall and precision of `archbot review` on design docs other people wrote.

`../shared/corpora/dev_reviews/` holds design docs with planted conflicts against one organisation's
ADRs and standards each, and `expected.json` keyed by file name: `corpus` (the organisation's folder
under `dev/`) and `conflicts[]` with `line_hint` (a verbatim piece of the doc's line) and `any_of`
(the documents a right conflict cites). Each organisation is indexed into its own ARCHBOT_HOME, so
sources are relative to its folder as `any_of` is. A conflict finding is right when its evidence holds
the line hint and it cites one of `any_of`; every other conflict finding is a false one.

    .venv/bin/python -m bench.review_heldout [--verbose] [--with-llm] [--min-found N] [--max-false N]
        [--reviews DIR --corpora DIR] [--cross]

`--reviews` and `--corpora` run a fresh batch laid out the same way (docs and `expected.json` in
DIR, each organisation's folder under the corpora DIR); `--cross` also reviews each doc against
every other organisation's corpus, where any conflict is a false one.

With `--with-llm` the chat model of ARCHBOT_LLM (and ARCHBOT_LLM_BASE_URL, _API_KEY, _TIMEOUT) judges
the conflicts as in `archbot review` (ADR 19); without it the review is the offline one the gate holds.

With `--min-found` / `--max-false` it exits 1 when fewer planted conflicts are found or more false ones
raised: the eval gate (scripts/eval-gate.sh) holds the measured level this way.
It also reports the time per review (warm, after one review of the same organisation) against a warm
`ask` in the same process, and per 100 lines of design doc.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from archbot.kernel.types import Finding
from bench.common import DEV_CORPUS, report, require_dev_corpus

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REVIEWS = DEV_CORPUS.parent / "dev_reviews"


def _norm(text: str) -> str:
    return " ".join(text.replace("`", "").replace('"', "").lower().split())


def _matches(finding: Finding, wanted: dict) -> bool:
    """The finding quotes the planted line and cites one of the decisions it contradicts."""
    quoted = _norm(wanted["line_hint"]) in _norm(finding.evidence or "")
    return quoted and bool({c.source for c in finding.citations} & set(wanted["any_of"]))


def main() -> int:
    from archbot.advisor.core import Advisor
    from archbot.ingest.pipeline import ingest_paths
    from archbot.kernel.settings import Settings

    reviews = Path(_option("--reviews", str(REVIEWS)))
    corpora = Path(_option("--corpora", str(DEV_CORPUS)))
    if corpora == DEV_CORPUS:
        require_dev_corpus()
    verbose = "--verbose" in sys.argv
    cross = "--cross" in sys.argv
    min_found = _flag("--min-found", 0)
    max_false = _flag("--max-false", sys.maxsize)
    with_llm = "--with-llm" in sys.argv
    model_env = {k: v for k, v in os.environ.items() if with_llm and k.startswith("ARCHBOT_LLM")}
    expected = json.loads((reviews / "expected.json").read_text(encoding="utf-8"))
    by_corpus: dict[str, list[str]] = defaultdict(list)
    for doc, spec in expected.items():
        by_corpus[spec["corpus"]].append(doc)
    cross_false = 0
    planted = found = right = false = 0
    per_doc: dict[str, dict] = {}
    review_seconds: list[float] = []
    ask_seconds: list[float] = []
    lines = 0
    with tempfile.TemporaryDirectory() as root:
        for corpus, docs in sorted(by_corpus.items()):
            settings = Settings.from_env({**model_env, "ARCHBOT_HOME": str(Path(root) / corpus)})
            ingest_paths(settings, [corpora / corpus])
            advisor = Advisor.open(settings)
            advisor.review((reviews / docs[0]).read_text(encoding="utf-8"), name=docs[0])  # warm
            if cross:
                for other in (d for d in expected if expected[d]["corpus"] != corpus):
                    review = advisor.review((reviews / other).read_text(encoding="utf-8"), name=other)
                    wrong = [f for f in review.findings if f.kind == "conflict"]
                    cross_false += len(wrong)
                    if verbose and wrong:
                        print(f"cross {other} against {corpus}: {len(wrong)} conflicts")
            started = time.perf_counter()
            advisor.ask("which decisions are in force?")
            ask_seconds.append(time.perf_counter() - started)
            for doc in docs:
                text = (reviews / doc).read_text(encoding="utf-8")
                started = time.perf_counter()
                review = advisor.review(text, name=doc)
                review_seconds.append(time.perf_counter() - started)
                lines += len(text.splitlines())
                conflicts = [f for f in review.findings if f.kind == "conflict"]
                wanted = expected[doc]["conflicts"]
                hits = [any(_matches(f, w) for f in conflicts) for w in wanted]
                wrong = [f for f in conflicts if not any(_matches(f, w) for w in wanted)]
                planted += len(wanted)
                found += sum(hits)
                right += len(conflicts) - len(wrong)
                false += len(wrong)
                per_doc[doc] = {"planted": len(wanted), "found": sum(hits), "false": len(wrong)}
                if verbose:
                    print(f"{doc}: found {sum(hits)}/{len(wanted)}, false {len(wrong)}")
                    for w, hit in zip(wanted, hits, strict=True):
                        print(f"   {'✓' if hit else '✗'} {w['line_hint']!r} -> {w['any_of'][0]}")
                    for f in wrong:
                        cited = ", ".join(c.source for c in f.citations)
                        print(f"   false: {f.evidence!r} -> {cited}")
    precision = right / (right + false) if right + false else 1.0
    per_review = sum(review_seconds) / len(review_seconds)
    per_ask = sum(ask_seconds) / len(ask_seconds)
    report(
        f"Review on held-out design docs ({reviews.name})" + (" with the chat model" if with_llm else ""),
        [
            ("docs", str(len(expected))),
            ("conflicts found", f"{found}/{planted}"),
            ("false conflicts", str(false)),
            ("false conflicts across organisations", str(cross_false) if cross else "not run"),
            ("precision", f"{precision:.2f}"),
            (
                "review (warm)",
                f"{per_review:.2f} s mean, {max(review_seconds):.2f} s max, "
                f"{per_review / per_ask:.0f}× an ask",
            ),
            ("per 100 doc lines", f"{sum(review_seconds) / lines * 100:.2f} s"),
        ],
        "review_heldout_llm" if with_llm else "review_heldout",
        {
            "planted": planted,
            "found": found,
            "false": false,
            "cross_false": cross_false if cross else None,
            "precision": precision,
            "docs": per_doc,
            "review_s_mean": per_review,
            "review_s_max": max(review_seconds),
            "ask_s_mean": per_ask,
            "review_s_per_100_lines": sum(review_seconds) / lines * 100,
        },
    )
    if found < min_found or false > max_false:
        print(
            f"review gate missed: found {found} (at least {min_found}), false {false} (at most {max_false})"
        )
        return 1
    return 0


def _option(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def _flag(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


if __name__ == "__main__":
    raise SystemExit(main())
