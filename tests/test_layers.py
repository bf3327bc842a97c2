"""The house shows the flow: each subpackage imports only from the layers below it.

The layers, lowest first (a module may import from its own layer's package and from any
layer listed before it, never from one after it; packages that share a layer do not
import each other):

    bottom   reliefkit._arrow, _lazy, _resources, errors
    text     number formatter, words, ID numbers and masking, file-name slugs
    safety   escaping, atomic writes, determinism, writers, disclosure, privacy gate
    io       schema, aliases, reading, coercion, validation, problems, writing
    store    the validated region as Parquet partitioned by district (read once, a district reads its rows)
    policy   dated parameters, schemes
    region   Region, the day rules
    figures | simulate | sample     the facts; the scheme simulation; synthetic regions
    report   narrative, documents, charts, publication, publicity
    notebook what the thin notebooks call
    dashboard the office's dashboard (Voilà over the explorer and a scheme playground)
    run      papermill jobs, index, manifest
    cli      the reliefkit command
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "reliefkit"
LAYERS = [
    {"_arrow", "_hashing", "_lazy", "_resources", "errors", "__init__"},
    {"text"},
    {"safety"},
    {"io"},
    {"store"},
    {"policy"},
    {"region"},
    {"figures", "simulate", "sample"},
    {"report"},
    {"notebook"},
    {"dashboard"},
    {"run"},
    {"cli"},
]
LEVEL = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _part(module: str) -> str:
    """The subpackage (or bottom module) a dotted module name belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path, module_level_only: bool = False) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if module_level_only else ast.walk(tree)
    out = []
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "reliefkit":
                out += [(node.lineno, f"reliefkit.{a.name}") for a in node.names if a.name != "__version__"]
            elif node.module.startswith("reliefkit."):
                out += [(node.lineno, node.module)]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("reliefkit.")]
        elif isinstance(node, ast.ImportFrom) and node.level:
            out.append((node.lineno, "relative import"))
    return out


def _modules() -> dict[str, Path]:
    return {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts): p for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_subpackage_has_a_layer():
    parts = {_part(m) for m in _modules()}
    assert parts <= set(LEVEL), sorted(parts - set(LEVEL))


def test_imports_point_down_only():
    wrong = []
    for module, path in _modules().items():
        own = _part(module)
        for line, target in _imports(path):
            if target == "relative import":
                wrong.append(f"{module}:{line} uses a relative import")
                continue
            other = _part(target)
            if other == own or own == "__init__":
                continue  # a package's own modules; the top package's lazy exports
            if LEVEL[other] >= LEVEL[own]:
                wrong.append(f"{module}:{line} imports {target} ({other} is not below {own})")
    assert not wrong, "\n".join(wrong)


def test_no_import_circle_between_modules():
    graph = {m: {t for _, t in _imports(p, module_level_only=True) if t in _modules()} for m, p in _modules().items()}
    state: dict[str, int] = {}

    def visit(m: str, stack: list[str]) -> list[str] | None:
        state[m] = 1
        for t in sorted(graph[m]):
            if state.get(t) == 1:
                return stack + [m, t]
            if t not in state and (found := visit(t, stack + [m])):
                return found
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            circle = visit(m, [])
            assert circle is None, " → ".join(circle)


def test_import_reliefkit_loads_no_pandas_numpy_or_plotting():
    code = ("import sys, reliefkit, reliefkit.cli; "
            "print(sorted(m for m in ('pandas', 'numpy', 'matplotlib', 'jinja2', 'papermill', 'ipywidgets') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
