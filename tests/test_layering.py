"""The layering contract in pyproject.toml holds, and breaks when code crosses it (import-linter)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(src: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(REPO / "pyproject.toml")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the package to break on purpose."""
    src = tmp_path / "src"
    shutil.copytree(REPO / "src" / "archbot", src / "archbot", ignore=shutil.ignore_patterns("__pycache__"))
    return src


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_tree_keeps_every_contract(tree: Path, tmp_path: Path) -> None:
    result = _lint(tree, tmp_path)
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


def test_the_kernel_importing_a_frontend_breaks_the_layers(tree: Path, tmp_path: Path) -> None:
    _append(tree / "archbot" / "kernel" / "types.py", "import archbot.bot.render  # noqa")
    result = _lint(tree, tmp_path)
    assert result.returncode == 1
    assert "Layers" in result.stdout and "BROKEN" in result.stdout
    assert "archbot.kernel.types -> archbot.bot.render" in result.stdout


def test_the_advisor_importing_slack_is_forbidden(tree: Path, tmp_path: Path) -> None:
    _append(tree / "archbot" / "advisor" / "text.py", "import slack_sdk  # noqa")
    result = _lint(tree, tmp_path)
    assert result.returncode == 1
    assert "archbot.advisor.text -> slack_sdk" in result.stdout


def test_a_cycle_between_two_modules_is_caught(tree: Path, tmp_path: Path) -> None:
    # The review already imports the text helpers; the reverse import closes a cycle.
    _append(tree / "archbot" / "advisor" / "text.py", "import archbot.advisor.review.doc  # noqa")
    result = _lint(tree, tmp_path)
    assert result.returncode == 1
    assert "cycle" in result.stdout.lower()


def test_no_module_imports_itself_through_others() -> None:
    """Strongly connected modules would hide a cycle inside one package's siblings."""
    import grimp

    graph = grimp.build_graph("archbot")
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph.find_modules_directly_imported_by(module):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while (top := stack.pop()) != module:
                component.append(top)
            if component:
                cycles.append([module, *component])

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    assert cycles == []
