"""Evaluation runs in the SQLite database under ARCHBOT_HOME (tables `eval_runs`, `eval_items`).

Per-kind breakdowns and judge summaries are not stored separately: they are recomputed from the
items, so there is one source of truth for every number a report or a comparison shows.
"""

from __future__ import annotations

import json

from archbot.eval.judge import judge_summary
from archbot.eval.results import EvalRun, ItemResult
from archbot.kernel.errors import InputError
from archbot.kernel.store import Store


class RunStore:
    def __init__(self, store: Store) -> None:
        self.db = store.db

    def save(self, run: EvalRun) -> None:
        with self.db.atomic():
            self.db["eval_runs"].insert(
                {
                    "id": run.id,
                    "created_at": run.created_at,
                    "dataset": run.dataset,
                    "dataset_hash": run.dataset_hash,
                    "git_commit": run.git_commit,
                    "config": json.dumps(run.config),
                    "metrics": json.dumps(run.metrics),
                }
            )
            self.db["eval_items"].insert_all(
                {
                    "run_id": run.id,
                    "item_id": item.id,
                    "kind": item.kind,
                    "data": json.dumps({k: v for k, v in item.to_json().items() if k != "metrics"}),
                    "metrics": json.dumps(item.metrics),
                }
                for item in run.items
            )

    def resolve(self, ref: str) -> str:
        """A run id from a full id, a unique prefix, `latest` or `previous` (the one before latest)."""
        if ref in ("latest", "previous"):
            offset = 0 if ref == "latest" else 1
            rows = list(
                self.db.query(
                    "select id from eval_runs order by created_at desc, rowid desc limit 1 offset ?", [offset]
                )
            )
            if not rows:
                raise InputError(
                    f"There is no {ref} evaluation run.", "Run `archbot eval run DATASET` first."
                )
            return rows[0]["id"]
        rows = list(
            self.db.query(
                "select id from eval_runs where substr(id, 1, length(:ref)) = :ref order by id", {"ref": ref}
            )
        )
        if len(rows) == 1:
            return rows[0]["id"]
        if not rows:
            raise InputError(f"No evaluation run {ref!r}.", "List runs with `archbot eval runs`.")
        raise InputError(
            f"{ref!r} matches {len(rows)} runs.",
            "Give more of the id: " + ", ".join(r["id"] for r in rows[:5]),
        )

    def load(self, ref: str) -> EvalRun:
        run_id = self.resolve(ref)
        row = self.db["eval_runs"].get(run_id)
        items = [
            ItemResult.from_json({**json.loads(r["data"]), "metrics": json.loads(r["metrics"])})
            for r in self.db.query(
                "select data, metrics from eval_items where run_id = ? order by rowid", [run_id]
            )
        ]
        return EvalRun(
            id=row["id"],
            created_at=row["created_at"],
            dataset=row["dataset"],
            dataset_hash=row["dataset_hash"],
            git_commit=row["git_commit"],
            config=json.loads(row["config"]),
            metrics=json.loads(row["metrics"]),
            items=items,
            judge=judge_summary(items),
        )

    def history(self, dataset: str, until: str | None = None) -> list[dict]:
        """Earlier runs on a dataset of the same name (oldest first): id, created_at, commit, metrics."""
        sql = "select id, created_at, git_commit, metrics from eval_runs where dataset = ?"
        params: list[str] = [dataset]
        if until:
            sql += " and created_at <= (select created_at from eval_runs where id = ?)"
            params.append(until)
        rows = self.db.query(sql + " order by created_at, rowid", params)
        return [{**r, "metrics": json.loads(r["metrics"])} for r in rows]

    def runs(self, limit: int = 20) -> list[dict]:
        rows = self.db.query(
            "select id, created_at, dataset, git_commit, metrics from eval_runs "
            "order by created_at desc, rowid desc limit ?",
            [limit],
        )
        return [{**r, "metrics": json.loads(r["metrics"])} for r in rows]
