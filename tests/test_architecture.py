"""Dependencies point one way: nothing but ``ui`` may import Qt (DESIGN.md)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import heart_desktop

QT_FREE = ("domain", "store", "formkit", "documents", "sync", "central")


def test_only_the_ui_imports_qt() -> None:
    modules = [
        info.name
        for info in pkgutil.walk_packages(heart_desktop.__path__, "heart_desktop.")
        if info.name.split(".")[1] in QT_FREE
    ]
    assert any(m.startswith("heart_desktop.domain.") for m in modules)
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"Qt imported outside ui/: {done.stdout}"


def test_domain_imports_nothing_from_other_layers() -> None:
    script = (
        "import importlib, pkgutil, sys, heart_desktop.domain as d\n"
        "for info in pkgutil.walk_packages(d.__path__, 'heart_desktop.domain.'):\n"
        "    importlib.import_module(info.name)\n"
        "layers = ('store', 'formkit', 'documents', 'sync', 'central', 'ui')\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[:2][-1] in layers"
        " and m.startswith('heart_desktop.'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_heart_central_entry_point_answers() -> None:
    done = subprocess.run([sys.executable, "-m", "heart_desktop.central.cli", "--version"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith("heart-central ")
