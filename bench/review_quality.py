"""Precision and recall of `archbot review` on the seeded fixtures (conflicts and rubric gaps).

Indexes examples/corpus with the real embedding model into a temporary ARCHBOT_HOME, reviews every
doc named by an `*.expected.yaml` and prints the figures, then each miss or extra, for two sets:
tests/fixtures/review (visible while the reviewer was tuned) and tests/fixtures/review_blind
(written afterwards by someone who had not read the reviewer's code). The blind set scored
conflicts 0/1 right and 0/2 found on its first run; the fixes it prompted (permitted uses, forbidden
practices, past-tense clauses) were then checked on both sets, so it is no longer held out.

    .venv/bin/python bench/review_quality.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def main() -> int:
    from archbot.advisor.core import Advisor
    from archbot.advisor.review.rubric import load_rubric
    from archbot.eval.review_scoring import Expected, Score, score
    from archbot.ingest.pipeline import ingest_paths
    from archbot.kernel.settings import Settings

    with tempfile.TemporaryDirectory() as home:
        settings = Settings.from_env({"ARCHBOT_HOME": home})
        ingest_paths(settings, [REPO / "examples" / "corpus"])
        advisor = Advisor.open(settings)
        rubric = load_rubric(settings)
        for folder in ("review", "review_blind"):
            fixtures = sorted((REPO / "tests" / "fixtures" / folder).glob("*.expected.yaml"))
            total = Score()
            for path in fixtures:
                expected = Expected.load(path, REPO)
                review = advisor.review(expected.doc.read_text(encoding="utf-8"), name=expected.doc.name)
                total.add(score(review, expected, rubric))
            _report(folder, len(fixtures), total)
    return 0


def _report(folder: str, fixtures: int, total) -> None:
    print(f"tests/fixtures/{folder}: {fixtures} fixtures")
    print(
        f"  conflicts: precision {total.conflict_precision:.2f} "
        f"({total.conflicts_right}/{total.conflicts_found}), "
        f"recall {total.conflict_recall:.2f} ({total.conflicts_recalled}/{total.conflicts_expected})"
    )
    print(
        f"  gaps:      precision {total.gap_precision:.2f} ({total.gaps_right}/{total.gaps_found}), "
        f"recall {total.gap_recall:.2f} ({total.gaps_right}/{total.gaps_expected})"
    )
    for problem in total.problems:
        print(f"    - {problem}")


if __name__ == "__main__":
    raise SystemExit(main())
