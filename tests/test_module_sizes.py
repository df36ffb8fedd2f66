"""No module over ~500 lines without a reason written at its top (issue 21): a long
module says in its docstring why it is one module ("Why one module ...")."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "reader"
LIMIT = 500


def test_long_modules_say_why_they_are_one_module() -> None:
    unexplained = []
    for path in sorted(ROOT.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.count("\n")
        if lines <= LIMIT:
            continue
        doc = ast.get_docstring(ast.parse(source)) or ""
        if "Why one module" not in doc:
            unexplained.append(f"{path.relative_to(ROOT.parent)} ({lines} lines)")
    assert not unexplained, "long modules without a reason at the top:\n" + "\n".join(unexplained)
