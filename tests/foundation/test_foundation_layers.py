"""The layers of docs/ARCHITECTURE.md, read from the source: the ground (vault/, audit.py and the
small modules beneath it) never imports the one door or a capability, the door imports only the
ground, and no two modules import each other, directly or round a loop (imports inside functions
count too: a call-time import is how a cycle hides)."""
from __future__ import annotations

import ast
from pathlib import Path

import triage_app

ROOT = Path(triage_app.__file__).parent
GROUND = ("triage_app.vault", "triage_app.audit", "triage_app.permissions", "triage_app.errors",
          "triage_app.fileio", "triage_app.paths")
DOOR = "triage_app.session"


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(root: Path = ROOT) -> dict[str, Path]:
    return {_module_name(p, root): p for p in root.rglob("*.py")}


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The triage_app modules `name` imports anywhere in its source (absolute and relative)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(up + ([base] if base else []))
            for a in node.names:
                sub = f"{base}.{a.name}"
                found.add(sub if sub in known else base)
    targets: set[str] = set()
    for mod in found:
        if not _within(mod, "triage_app"):
            continue
        while mod and mod not in known:
            mod = mod.rpartition(".")[0]
        # Importing a.b.c runs the packages a.b and a first, unless the importer is already inside them.
        parts = mod.split(".")
        for i in range(2, len(parts) + 1):
            target = ".".join(parts[:i])
            if target in known and not _within(name, target) and target != "triage_app":
                targets.add(target)
    return targets - {name}


def _graph(root: Path = ROOT) -> dict[str, set[str]]:
    mods = _modules(root)
    return {name: _imports(name, path, set(mods)) for name, path in mods.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]; counter[0] += 1
        stack.append(root); on.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]; counter[0] += 1
                    stack.append(child); on.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        m = stack.pop(); on.discard(m); comp.append(m)
                        if m == node:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def test_the_ground_imports_only_the_ground():
    graph = _graph()
    wrong = {f"{m} imports {t}" for m, ts in graph.items() if any(_within(m, g) for g in GROUND)
             for t in ts if not any(_within(t, g) for g in GROUND)}
    assert not wrong, sorted(wrong)


def test_the_door_imports_only_the_ground():
    wrong = {t for t in _graph()[DOOR] if not any(_within(t, g) for g in GROUND)}
    assert not wrong, sorted(wrong)


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_the_checker_finds_a_loop():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_checker_reads_absolute_relative_and_call_time_imports(tmp_path):
    pkg = tmp_path / "triage_app"
    for folder in (pkg, pkg / "vault", pkg / "review"):
        folder.mkdir(exist_ok=True)
        (folder / "__init__.py").write_text("")
    for name in ("session.py", "review/summary.py", "vault/connection.py"):
        (pkg / name).write_text("")
    (pkg / "vault" / "__init__.py").write_text("def f():\n    from triage_app.session import Session\n")
    (pkg / "vault" / "rekey.py").write_text("from ..review import summary\nfrom . import connection\n")
    graph = _graph(pkg)
    assert graph["triage_app.vault"] == {"triage_app.session"}
    assert graph["triage_app.vault.rekey"] == {"triage_app.review", "triage_app.review.summary",
                                               "triage_app.vault.connection"}
