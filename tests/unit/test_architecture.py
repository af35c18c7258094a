"""The import graph of the project's packages, read from the source (ast): dependencies point one
way, and no package imports, even indirectly, one that imports it back.

Layers: `domain` ← `storage` ← `messaging`; `domain`, `storage`, `messaging` ← `application`;
`domain`, `storage` ← `projections` (never the application: read models receive decoded events
through `projections.source.EventSource`); everything ← `api`; everything but `cli` ←
`contexts`, the composition root; everything ← `cli`, the entry point.
Inside a layer, the parts are its context subpackages (`application/workforce/`…) and its flat
shared modules (`application/base.py`…): no cycle between them either. Imports made only for
type checking (`if TYPE_CHECKING:`) count for the layers, not for cycles inside a layer (they
do not run).
"""

import ast
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = (
    "domain",
    "storage",
    "messaging",
    "application",
    "projections",
    "api",
    "contexts",
    "cli",
)
CONTEXTS = frozenset(
    {"accounts", "members", "workforce", "declaration", "risk_assessment", "catalogues"}
)
ALLOWED: dict[str, frozenset[str]] = {
    "domain": frozenset(),
    "storage": frozenset({"domain"}),
    "messaging": frozenset({"domain", "storage"}),
    "application": frozenset({"domain", "storage", "messaging"}),
    "projections": frozenset({"domain", "storage"}),
    "api": frozenset({"domain", "storage", "messaging", "application", "projections"}),
    "contexts": frozenset({"domain", "storage", "messaging", "application", "projections", "api"}),
    "cli": frozenset(
        {"domain", "storage", "messaging", "application", "projections", "api", "contexts"}
    ),
}
"""The layers each layer may import."""


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    typing_only: bool


def modules() -> dict[str, Path]:
    found = {}
    for layer in LAYERS:
        for path in (ROOT / layer).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = modules()


def imports() -> Iterator[Import]:
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(node)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for node in ast.walk(block)
        }
        for node in ast.walk(tree):
            for target in _targets(node):
                if target.split(".")[0] in LAYERS:
                    yield Import(name, target, id(node) in typing_only)


def _targets(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        # `from projections.workforce import audit_summaries` imports that module
        return [
            f"{node.module}.{alias.name}"
            if f"{node.module}.{alias.name}" in MODULES
            else node.module
            for alias in node.names
        ]
    return []


IMPORTS = list(imports())


def part(module: str) -> str:
    """A context subpackage (`application.workforce`), or a flat shared module of its layer
    (`application.base`)."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in CONTEXTS:
        return ".".join(parts[:2])
    while module not in MODULES and "." in module:
        module = module.rpartition(".")[0]
    return module


def cycles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = {stack.pop()}
            while node not in component:
                component.add(stack.pop())
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read() -> None:
    assert "projections.runner" in MODULES
    assert Import("projections.runner", "projections.source", typing_only=False) in IMPORTS


def test_the_layers_depend_one_way() -> None:
    wrong = sorted(
        f"{i.source} imports {i.target}"
        for i in IMPORTS
        if (layer := i.source.split(".")[0]) != (target := i.target.split(".")[0])
        and target not in ALLOWED[layer]
    )

    assert wrong == []


def test_the_allowed_directions_have_no_cycle() -> None:
    assert cycles({layer: set(allowed) for layer, allowed in ALLOWED.items()}) == []


@pytest.mark.parametrize("layer", LAYERS)
def test_no_cycle_between_the_parts_of_a_layer(layer: str) -> None:
    edges: dict[str, set[str]] = defaultdict(set)
    for i in IMPORTS:
        source, target = part(i.source), part(i.target)
        if not i.typing_only and source != target and source.split(".")[0] == layer:
            edges[source].add(target)

    assert [sorted(c) for c in cycles(edges)] == []


def test_read_models_never_reach_into_the_application() -> None:
    """No read model touches what only the application should: its repository, mapper, key
    store or recorder (they get an `EventSource`)."""
    internals = {"repository", "mapper", "subject_keys", "recorder"}
    reaching = sorted(
        f"{name}: .{node.attr}"
        for name, path in MODULES.items()
        if name.startswith("projections.")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr in internals
    )

    assert reaching == []


def test_the_sign_in_tables_are_not_in_the_read_store() -> None:
    """The sign-in tables' store is the application's own: nothing of `projections` there."""
    access_store = [i.target for i in IMPORTS if i.source == "application.accounts.access_store"]

    assert "storage.sql" in access_store
    assert not [target for target in access_store if target.startswith("projections")]
