"""Selecting a search's best lexical rows at a million chunks: `top_rows` (partial selection over the
positive scores) against the full `np.argsort` it replaced, in the same process, over score arrays
as sparse as a query's words make them (a share of rows with any query word), and a check that both
rank the same scores (the old sort broke ties in no particular order; `top_rows` by row).

Run: .venv/bin/python -m bench.lexical_top_bench [--rows N]
"""

from __future__ import annotations

import argparse

import numpy as np

from archbot.kernel.lexical import top_rows
from bench import common
from bench.common import percentile, timed

SHARES = (0.001, 0.01, 0.1, 0.5)  # rows with a positive score: a rare name … a common word
REPEATS = 20
N = 80  # the candidates a search asks for (advisor.retrieval.CANDIDATES)


def _full_sort(scores: np.ndarray, n: int) -> np.ndarray:
    """What `LexicalIndex.search` did before."""
    top = np.argsort(-scores)[:n]
    return top[scores[top] > 0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    rows, data = [], {}
    for share in SHARES:
        scores = (rng.random(args.rows, dtype=np.float32) * (rng.random(args.rows) < share)).astype(
            np.float32
        )
        full, partial = [], []
        for _ in range(REPEATS):
            expected, seconds = timed(lambda s=scores: _full_sort(s, N))
            full.append(seconds * 1000)
            got, seconds = timed(lambda s=scores: top_rows(s, N))
            partial.append(seconds * 1000)
            assert np.array_equal(scores[expected], scores[got])
        f50, p50 = percentile(full, 50), percentile(partial, 50)
        data[str(share)] = {"argsort_ms_p50": f50, "top_rows_ms_p50": p50, "speedup": f50 / p50}
        rows.append(
            (f"{share:.1%} of rows scored", f"argsort {f50:.1f} ms, top_rows {p50:.2f} ms ({f50 / p50:.0f}x)")
        )
    common.report(f"Best {N} of {args.rows:,} lexical rows", rows, "lexical_top", data)


if __name__ == "__main__":
    main()
