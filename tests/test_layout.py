"""The layout shows the data flow: every import inside kg/ goes down the stages (load -> check ->
build -> shapes -> infer -> output -> the property-graph view -> consumers -> pipeline -> cli),
never back up, never in a circle (function-level imports count too), and no module imports
another module's private name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KG = Path(__file__).resolve().parent.parent / "kg"

#: Stage of each top-level part of kg/, lowest first. A module may import only modules of its own
#: part or of a lower stage. Consumers are ordered among themselves the same way.
STAGES: list[tuple[str, ...]] = [
    ("kg.errors", "kg.locations", "kg.ontology.terms", "kg.text", "kg.suggest"),
    ("kg.vocab",),
    ("kg.ontology", "kg.ntriples"),
    ("kg.project",),
    ("kg.load",),
    ("kg.check",),
    ("kg.build",),
    ("kg.shapes",),
    ("kg.infer",),
    ("kg.output",),
    ("kg.property_graph", "kg.paths"),
    ("kg.query",),
    ("kg.export",),
    ("kg.viz",),
    ("kg.analyze",),
    ("kg.serve",),
    ("kg.curate",),
    ("kg.pipeline",),
    ("kg", "kg.__main__", "kg.cli", "kg.bench"),
]


def _modules() -> dict[str, Path]:
    mods = {}
    for path in KG.rglob("*.py"):
        name = ".".join(("kg", *path.relative_to(KG).with_suffix("").parts))
        mods[name.removesuffix(".__init__")] = path
    return mods


MODULES = _modules()


def _part(module: str) -> str:
    """The entry of STAGES a module belongs to (the longest that names it or a parent)."""
    best = ""
    for stage in STAGES:
        for part in stage:
            if (module == part or module.startswith(part + ".")) and len(part) > len(best):
                best = part
    assert best, f"{module} is in no stage of tests/test_layout.py: add it"
    return best


def _rank(module: str) -> int:
    part = _part(module)
    return next(i for i, stage in enumerate(STAGES) if part in stage)


def _imports(module: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import, at any depth, but those
    under ``if TYPE_CHECKING``."""
    found: list[tuple[str, list[str], int]] = []

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            if "TYPE_CHECKING" in ast.unparse(node.test):
                for child in node.orelse:
                    self.visit(child)
                return
            self.generic_visit(node)

        def visit_Import(self, node: ast.Import) -> None:
            found.extend((alias.name, [], node.lineno) for alias in node.names)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            if node.level:
                package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                package = package[:len(package) - node.level + 1]
                base = ".".join(package + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names = [alias.name for alias in node.names]
            found.append((base, names, node.lineno))
            found.extend((f"{base}.{name}", [], node.lineno) for name in names if f"{base}.{name}" in MODULES)

    Visitor().visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


EDGES = {m: [(t, names, line) for t, names, line in _imports(m, p) if t in MODULES and t != m]
         for m, p in sorted(MODULES.items())}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_down_the_stages(module):
    for target, _, line in EDGES[module]:
        assert _rank(target) <= _rank(module), (
            f"{MODULES[module]}:{line}: {module} (stage {_part(module)}) imports {target} "
            f"(stage {_part(target)}), a later stage")


def test_no_import_cycle():
    graph = {m: {t for t, _, _ in edges} for m, edges in EDGES.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []
    counter = [0]

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


def test_no_private_name_is_imported_across_modules():
    found = [f"{MODULES[m]}:{line}: {m} imports {name} from {target}"
             for m, edges in EDGES.items() for target, names, line in edges for name in names
             if name.startswith("_") and not name.startswith("__")]
    private_modules = [f"{MODULES[m]}:{line}: {m} imports the private module {target}"
                       for m, edges in EDGES.items() for target, _, line in edges
                       if any(part.startswith("_") and not part.startswith("__") for part in target.split("."))]
    assert not found + private_modules, "\n".join(found + private_modules)


def test_the_tests_import_no_private_name():
    tests = Path(__file__).resolve().parent
    found = []
    for path in sorted(tests.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kg"):
                found += [f"{path.name}:{node.lineno}: {a.name} from {node.module}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert not found, "\n".join(found)
