"""No import cycles among ``reader``'s modules (issue 21).

The graph: one node per module under ``reader/`` (a package is its ``__init__``),
one edge per ``reader.*`` import, wherever it stands: at module level or inside a
function. Function-level imports count because they are how a cycle hides: the
old ``cli`` imported ``cli_feeds`` inside a function while ``cli_feeds`` imported
``cli`` at the top, and each screen that imports another screen to open it does so
inside an action. Not counted: an ``if TYPE_CHECKING:`` block (it never runs), and
the implied import of a submodule's package ``__init__`` (a package that re-exports
its submodules would otherwise be a cycle with each of them). ``from reader.a import
b`` is an edge to ``reader.a.b`` when that is a module, else to ``reader.a``.

Two rules. Module-level imports (those that run when a module is first imported)
form no cycle at all: such a cycle breaks depending on which module is imported
first. Over all imports, every cycle fails the test, named module by module, unless
it lies within an entry of ``KNOWN_CYCLES``: cycles known and being removed, by a
name saying what they are; an entry whose modules no longer form a cycle fails
too, so the list only shrinks. Reads the source with ``ast``: imports nothing from
``reader``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "reader"

KNOWN_CYCLES: dict[str, frozenset[str]] = {}
"""Import cycles allowed for now: a cycle passes when all its modules are in one entry."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    """The import statements that run when the module is imported."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                found += _top_level_imports(node.body)
            found += _top_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                found += _top_level_imports(block)
            for handler in node.handlers:
                found += _top_level_imports(handler.body)
        elif isinstance(node, ast.With):
            found += _top_level_imports(node.body)
    return found


def _all_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, but those under ``if TYPE_CHECKING:``."""
    skipped = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _is_type_checking(node.test)
        for stmt in node.body
        for n in ast.walk(stmt)
    }
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in skipped
    ]


def import_graph(module_level_only: bool = False) -> dict[str, set[str]]:
    files = {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        imports = _top_level_imports(tree.body) if module_level_only else _all_imports(tree)
        for node in imports:
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    package = name.split(".") if is_package else name.split(".")[:-1]
                    package = package[: len(package) - (node.level - 1)]
                    base = ".".join([*package, *([base] if base else [])])
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                    for alias in node.names
                ]
            for target in targets:
                while target and target not in files:  # `import reader.a.b.C`-like names
                    target = target.rpartition(".")[0]
                if target.startswith("reader") and target != name:
                    graph[name].add(target)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components of more than one module, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def one_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """A shortest cycle through the component's first module, for the message."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for succ in sorted(graph[node] & members):
            if succ == start:
                return [*paths[node], start]
            if succ not in paths:
                paths[succ] = [*paths[node], succ]
                queue.append(succ)
    return component


def _named(graph: dict[str, set[str]], components: list[list[str]]) -> str:
    return "; ".join(" -> ".join(one_cycle(graph, c)) for c in components)


def test_the_graph_sees_real_imports() -> None:
    graph = import_graph()
    assert "reader.cli.base" in graph["reader.cli.feeds"]  # module level
    assert "reader.ingest.feeds.refresh" in graph["reader.library"]  # inside a method
    assert "reader.models" not in graph["reader.library"]  # TYPE_CHECKING only
    assert (
        "reader.ingest.feeds.refresh" not in import_graph(module_level_only=True)["reader.library"]
    )


def test_no_import_cycles_at_module_level() -> None:
    graph = import_graph(module_level_only=True)
    components = strongly_connected(graph)
    assert not components, "import cycles at module level: " + _named(graph, components)


def test_no_import_cycles_but_the_known_ones() -> None:
    graph = import_graph()
    new = [
        c
        for c in strongly_connected(graph)
        if not any(set(c) <= known for known in KNOWN_CYCLES.values())
    ]
    assert not new, "import cycles: " + _named(graph, new)


def test_known_cycles_still_exist() -> None:
    """An allow-list entry whose modules form no cycle any more is removed from the list."""
    components = strongly_connected(import_graph())
    gone = [
        name for name, known in KNOWN_CYCLES.items() if not any(set(c) <= known for c in components)
    ]
    assert not gone, f"no longer cycles, remove from KNOWN_CYCLES: {', '.join(gone)}"


def test_a_cycle_is_found_and_named() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(graph) == [["a", "b", "c"]]
    assert one_cycle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]


def test_command_modules_share_only_the_base() -> None:
    """A ``reader.cli`` command module imports ``reader.cli.base``, never another command
    module or the package's ``__init__`` (docs/architecture.md)."""
    graph = import_graph()
    wrong = {
        name: sorted(t for t in targets if t.startswith("reader.cli") and t != "reader.cli.base")
        for name, targets in graph.items()
        if name.startswith("reader.cli.") and name != "reader.cli.base"
    }
    assert not any(wrong.values()), wrong
    assert not any(t.startswith("reader.cli") for t in graph["reader.cli.base"])
