"""The reading benchmark: what archbot reads from decision records of 20 organisations nobody here
wrote, scored against a hand-labelled gold of 60 records (`gold.jsonl`, see README.md).

    python -m bench.reading_pool.run [--pool /work/pool] [--src SRC] [--json]

It ingests the pool as a user would (`archbot ingest`, the tiny hash embedder: reading does not
depend on the model) into a fresh home, then reads the manifest's documents (the table `archbot docs`
prints) and reports, on the 60: precision and recall of the status and of the successor; over every
record of `records.txt`: the share with a status, with a relation, with a chosen option. `--src`
runs another checkout's `src/` (the first run was made with the session's starting commit).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold.jsonl"
RECORDS = HERE / "records.txt"
DEFAULT_POOL = Path("/work/pool")


def ingest(pool: Path, home: Path, src: Path | None) -> tuple[dict, float]:
    env = dict(os.environ, ARCHBOT_HOME=str(home), ARCHBOT_EMBEDDER="hash", HF_HUB_OFFLINE="1")
    if src is not None:
        env["PYTHONPATH"] = str(src)
    command = [
        sys.executable,
        "-c",
        "from archbot.bot.cli import main; main()",
        "ingest",
        str(pool),
        "--json",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout), time.perf_counter() - started


def manifest(home: Path) -> tuple[dict[str, dict], dict[str, int]]:
    db = sqlite3.connect(home / "archbot.db")
    db.row_factory = sqlite3.Row
    documents = {row["source"]: dict(row) for row in db.execute("select * from documents")}
    choices: dict[str, int] = {}
    for row in db.execute("select source, choice, chosen from frames"):
        if row["choice"] or row["chosen"]:
            choices[row["source"]] = choices.get(row["source"], 0) + 1
    db.close()
    return documents, choices


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 3) if total else None


def score(gold: list[dict], documents: dict[str, dict]) -> dict:
    status_hits = status_predicted = status_gold = 0
    succ_hits = succ_predicted = succ_gold = 0
    misses = []
    for item in gold:
        doc = documents.get(item["source"])
        read = doc["status"] if doc else None
        if read is not None:
            status_predicted += 1
        if item["status"] is not None:
            status_gold += 1
        if read is not None and read == item["status"]:
            status_hits += 1
        elif read != item["status"]:
            misses.append({"source": item["source"], "gold": item["status"], "read": read, "kind": "status"})
        expected = {s for s in item["successor"] if not s.startswith("?")}
        found = set(json.loads(doc["superseded_by"] or "[]")) if doc else set()
        succ_hits += len(expected & found)
        succ_predicted += len(found)
        succ_gold += len(expected)
        if expected != found:
            misses.append(
                {
                    "source": item["source"],
                    "gold": sorted(expected),
                    "read": sorted(found),
                    "kind": "successor",
                }
            )
    return {
        "status_precision": _ratio(status_hits, status_predicted),
        "status_recall": _ratio(status_hits, status_gold),
        "status_counts": {"right": status_hits, "read": status_predicted, "gold": status_gold},
        "successor_precision": _ratio(succ_hits, succ_predicted),
        "successor_recall": _ratio(succ_hits, succ_gold),
        "successor_counts": {"right": succ_hits, "read": succ_predicted, "gold": succ_gold},
        "misses": misses,
    }


def coverage(records: list[str], documents: dict[str, dict], choices: dict[str, int]) -> dict:
    indexed = [documents[r] for r in records if r in documents]
    related = [
        d for d in indexed if json.loads(d["superseded_by"] or "[]") or json.loads(d["supersedes"] or "[]")
    ]
    by_format: dict[str, list[int]] = {}
    for record in records:
        fmt = record.rsplit(".", 1)[-1]
        doc = documents.get(record)
        counts = by_format.setdefault(fmt, [0, 0, 0])
        counts[0] += 1
        counts[1] += doc is not None
        counts[2] += bool(doc and doc["status"])
    return {
        "records": len(records),
        "indexed": len(indexed),
        "with_status": sum(1 for d in indexed if d["status"]),
        "with_relation": len(related),
        "with_chosen_option": sum(1 for r in records if r in choices),
        "by_format": {
            fmt: dict(zip(("records", "indexed", "with_status"), c, strict=True))
            for fmt, c in by_format.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pool", type=Path, default=DEFAULT_POOL)
    parser.add_argument("--src", type=Path, default=None, help="another checkout's src/ to run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.pool.is_dir():
        sys.exit(f"No pool at {args.pool}: copy the records of pool.yaml there (README.md).")
    gold = [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]
    records = [line.strip() for line in RECORDS.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as home:
        report, seconds = ingest(args.pool, Path(home), args.src)
        documents, choices = manifest(Path(home))
    result = {
        "gold": score(gold, documents),
        "pool": coverage(records, documents, choices),
        "skipped": len(report["skipped"]),
        "ingest_seconds": round(seconds, 1),
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return
    g, p = result["gold"], result["pool"]
    print(f"gold 60: status P {g['status_precision']} R {g['status_recall']} {g['status_counts']}")
    print(
        f"         successor P {g['successor_precision']} R {g['successor_recall']} {g['successor_counts']}"
    )
    print(
        f"pool {p['records']}: indexed {p['indexed']}, status {p['with_status']}, "
        f"relation {p['with_relation']}, chosen option {p['with_chosen_option']}"
    )
    for fmt, counts in sorted(p["by_format"].items()):
        print(f"  {fmt}: {counts}")
    print(f"skipped files {result['skipped']}, ingest {result['ingest_seconds']} s")


if __name__ == "__main__":
    main()
