"""Loading JSONL datasets: what CONTRACTS.md allows, and errors that name the broken line."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from archbot.eval.dataset import load_dataset
from archbot.kernel.errors import InputError
from tests.conftest import EXAMPLE_CORPUS, REPO


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "d.jsonl"
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_items_ignoring_unknown_fields_and_blank_lines(tmp_path: Path) -> None:
    text = (
        '{"id": "a", "question": " q1 ", "relevant": ["x.md"], "kind": "status", "current": "x.md", '
        '"must_say": "yes|no", "extra": {"nested": 1}}\n\n'
        '{"id": 2, "question": "q2", "relevant": []}\n'
    )
    dataset = load_dataset(write(tmp_path, text))
    first, second = dataset.items
    assert (first.id, first.question, first.relevant, first.current, first.must_say) == (
        "a",
        "q1",
        ("x.md",),
        "x.md",
        "yes|no",
    )
    assert first.group == "status" and not first.should_abstain
    assert second.id == "2" and second.should_abstain and second.group == "abstain" and second.answer is None
    assert dataset.sha256 == hashlib.sha256(text.encode()).hexdigest()


def test_relevant_defaults_to_abstain(tmp_path: Path) -> None:
    (item,) = load_dataset(write(tmp_path, '{"id": "a", "question": "q"}')).items
    assert item.should_abstain


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "line 2 is not valid JSON"),
        ("[1, 2]", "line 2: expected a JSON object"),
        ('{"question": "q"}', "line 2: missing `id`"),
        ('{"id": "b", "question": ""}', "line 2: missing `question`"),
        ('{"id": "b", "question": "q", "relevant": "x.md"}', "`relevant` must be a list"),
        ('{"id": "a", "question": "q"}', "duplicate id 'a'"),
        ('{"id": "b", "question": "q", "must_say": "("}', "not a valid regular expression"),
        ('{"id": "b", "question": "q", "answer": 3}', "`answer` must be a string"),
    ],
)
def test_errors_name_the_line(tmp_path: Path, line: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace("[", r"\[")):
        load_dataset(write(tmp_path, '{"id": "a", "question": "q"}\n' + line + "\n"))


def test_missing_or_empty_files_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Cannot read"):
        load_dataset(tmp_path / "absent.jsonl")
    with pytest.raises(InputError, match="no items"):
        load_dataset(write(tmp_path, "\n"))


@pytest.mark.parametrize("name", ["example.jsonl", "example_blind.jsonl"])
def test_shipped_datasets_name_documents_of_the_example_corpus(name: str) -> None:
    dataset = load_dataset(REPO / "src" / "archbot" / "eval" / "datasets" / name)
    named = {s for item in dataset.items for s in (*item.relevant, item.current) if s}
    assert named and all((EXAMPLE_CORPUS / source).is_file() for source in named), sorted(named)
    assert any(item.should_abstain for item in dataset.items)
