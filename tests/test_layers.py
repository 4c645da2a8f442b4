"""The layering of DESIGN.md, checked from the source: every import in every module (those inside
functions and ``TYPE_CHECKING`` blocks included) is read with ``ast``, so an import that runs only
on some path cannot hide. The checker is run on the real tree, and on a copy with a wrong-way import
planted in it, to show that it would catch one."""

from __future__ import annotations

import ast
import shutil
from collections.abc import Iterator
from pathlib import Path

import heart_desktop

ROOT = Path(heart_desktop.__file__).parent
LEAVES = {"paths", "errors", "__init__"}  # below every package: data paths, the shared error type, the version
QT = ("PySide6", "shiboken6")
WRITES = ("INSERT ", "INSERT OR", "UPDATE ", "DELETE FROM", "REPLACE INTO")


def _name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, root: Path) -> Iterator[tuple[str, int]]:
    """Every module a file imports (absolute names), with the line."""
    module = _name(path, root)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            yield base, node.lineno
            for alias in node.names:  # ``from heart_desktop import cli`` imports the module cli
                inside = root.parent.joinpath(*f"{base}.{alias.name}".split("."))
                if base.startswith("heart_desktop") and (inside.with_suffix(".py").exists() or inside.is_dir()):
                    yield f"{base}.{alias.name}", node.lineno


def layer(module: str) -> str:
    """The unit the rules speak of: a package, the sync protocol (shared by laptop and office), or a
    top-level module."""
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    if parts[1:3] == ["sync", "protocol"]:
        return "protocol"
    return parts[1]


ALLOWED: dict[str, set[str]] = {
    "domain": {"domain"},
    "protocol": {"protocol", "domain"},
    "central": {"central", "protocol", "domain", "reports"},
    "reports": {"reports", "domain", "documents"},  # the board PDF uses the tagged renderer
    "formkit": {"formkit", "domain"},
    "store": {"store", "domain", "protocol"},
    "documents": {"documents", "store", "formkit", "domain"},
    "sync": {"sync", "protocol", "store", "domain"},
    "services": {"services", "sync", "protocol", "store", "documents", "formkit", "domain", "reports"},
    "verbs": {"verbs", "services", "sync", "protocol", "store", "documents", "formkit", "domain", "reports"},
}


def violations(root: Path) -> list[str]:
    found: list[str] = []
    graph: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        source = _name(path, root)
        here = layer(source)
        for target, line in imports(path, root):
            where = f"{path.relative_to(root.parent)}:{line} imports {target}"
            if target.startswith(QT) and here not in ("ui", "launch"):
                found.append(f"only ui imports Qt: {where}")
            if not target.startswith("heart_desktop."):
                continue
            there = layer(target)
            if there == "cli" and source != "heart_desktop.__main__":
                found.append(f"nothing imports cli: {where}")
            if here in ALLOWED and there not in ALLOWED[here] | LEAVES:
                found.append(f"{here} may not import {there}: {where}")
            if there != here:
                graph.setdefault(here, set()).add(there)
        if here == "sync":
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                        node.value.lstrip().upper().startswith(WRITES):
                    found.append(f"sync writes store tables only through the store: "
                                 f"{path.relative_to(root.parent)}:{node.lineno}")
    found += [f"a cycle between packages: {' -> '.join(cycle)}" for cycle in _cycles(graph)]
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles, done = [], set()

    def visit(node: str, trail: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in trail:
                cycle = [*trail[trail.index(nxt):], nxt]
                if frozenset(cycle) not in done:
                    done.add(frozenset(cycle))
                    cycles.append(cycle)
            elif nxt not in LEAVES:
                visit(nxt, [*trail, nxt])

    for start in sorted(graph):
        if start not in LEAVES:
            visit(start, [start])
    return cycles


def test_the_layers_hold_in_the_source() -> None:
    assert violations(ROOT) == []


def test_a_planted_wrong_way_import_is_caught(tmp_path: Path) -> None:
    copy = tmp_path / "heart_desktop"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    policy = copy / "domain" / "policy.py"
    policy.write_text(policy.read_text(encoding="utf-8") + "\n\ndef _wrong() -> None:\n"
                      "    from heart_desktop.store import Store  # noqa\n    import PySide6  # noqa\n",
                      encoding="utf-8")
    client = copy / "sync" / "client.py"
    client.write_text(client.read_text(encoding="utf-8") + '\n_WRONG = "DELETE FROM cases"\n', encoding="utf-8")
    found = violations(copy)
    assert any(v.startswith("domain may not import store: heart_desktop/domain/policy.py") for v in found), found
    assert any(v.startswith("only ui imports Qt: heart_desktop/domain/policy.py") for v in found), found
    assert any(v.startswith("sync writes store tables only through the store: heart_desktop/sync/client.py")
               for v in found), found
    assert any("cycle" in v and "domain" in v and "store" in v for v in found), found
