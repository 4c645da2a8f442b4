"""Walk the AT-SPI tree of one application window as a screen reader (Orca) sees it.

Run with the system Python (Debian's python3-pyatspi lives there, not in the virtual environment):
``/usr/bin/python3 atspi_walk.py <pid> <window name>``. Prints one JSON object: the problems found,
by kind, each as "role 'name'" with the path of roles above it. The window is the showing top-level
object of the process whose name is the given one (any showing one if no name matches).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time

import pyatspi  # type: ignore[import-not-found]

INTERACTIVE = {
    "push button", "toggle button", "check box", "radio button", "combo box", "text", "entry",
    "password text", "spin button", "slider", "table", "tree table", "list", "tree", "page tab",
    "page tab list", "menu item", "link", "scroll bar", "dial", "date editor", "list box",
}
FILLERS = {"filler", "unknown", "redundant object"}
CONTAINERS = {"table", "tree table", "list", "tree", "list box"}  # their rows are not walked
MAX_OBJECTS = 6000
PARAGRAPH = 120  # characters: a control's name longer than this (or with a line break) is a paragraph


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("&&", "\0").replace("&", "").replace("\0", "&")).strip()


def _role(obj: object) -> str:
    try:
        return obj.getRoleName()  # type: ignore[attr-defined]
    except Exception:
        return "gone"


def _text_of(obj: object) -> str | None:
    try:
        text = obj.queryText()  # type: ignore[attr-defined]
    except NotImplementedError:
        return None
    except Exception:
        return None
    return text.getText(0, text.characterCount)


def _description(obj: object) -> str:
    try:
        return str(obj.description or "")  # type: ignore[attr-defined]
    except Exception:
        return ""


def _labelled(obj: object) -> bool:
    """Whether something labels the object (a caption whose buddy it is, or its group box)."""
    try:
        relations = obj.getRelationSet()  # type: ignore[attr-defined]
    except Exception:
        return False
    return any(r.getRelationType() == pyatspi.RELATION_LABELLED_BY and r.getNTargets() > 0 for r in relations)


def find_window(pid: int, name: str) -> object | None:
    desktop = pyatspi.Registry.getDesktop(0)
    showing = []
    for app in desktop:
        if app is None:
            continue
        try:
            if app.get_process_id() != pid:
                continue
        except Exception:
            continue
        for window in app:
            if window is None:
                continue
            states = window.getState()
            if states.contains(pyatspi.STATE_SHOWING) or states.contains(pyatspi.STATE_VISIBLE):
                showing.append(window)
    for window in showing:
        if _plain(window.name or "") == _plain(name):
            return window
    return showing[-1] if showing else None


def walk(window: object) -> dict[str, object]:
    problems: dict[str, list[str]] = {"nameless": [], "filler_interactive": [], "label_not_text": [],
                                      "combo_without_caption": [], "name_is_a_paragraph": []}
    counts = {"objects": 0, "focusable": 0, "labels": 0}
    dump: list[str] | None = [] if os.environ.get("HEART_A11Y_DUMP") else None
    stack: list[tuple[object, str]] = [(window, "")]
    while stack and counts["objects"] < MAX_OBJECTS:
        obj, path = stack.pop()
        if obj is None:
            continue
        try:
            states = obj.getState()  # type: ignore[attr-defined]
            role = _role(obj)
            name = obj.name or ""  # type: ignore[attr-defined]
        except Exception:
            continue
        if not states.contains(pyatspi.STATE_SHOWING):
            continue
        counts["objects"] += 1
        focusable = states.contains(pyatspi.STATE_FOCUSABLE)
        where = f"{path}/{role}" if path else role
        described = f"{where} {name!r}"
        if dump is not None:  # HEART_A11Y_DUMP: every object as Orca meets it, for a person to read
            text = _text_of(obj)
            dump.append(f"{where} {name!r}{' focusable' if focusable else ''}"
                        f"{f' text={text[:100]!r}' if text else ''} description={_description(obj)!r}")
        if focusable:
            counts["focusable"] += 1
            if role in FILLERS:
                problems["filler_interactive"].append(described)
            elif role in INTERACTIVE and role != "scroll bar" and not name.strip():
                problems["nameless"].append(described)
            elif role in INTERACTIVE and ("\n" in name or len(name) > PARAGRAPH):
                # a prompt made the name (QInputDialog names its line edit by the whole prompt): Orca reads
                # it all at every focus; the control's name is what it is for, the rest a description
                problems["name_is_a_paragraph"].append(f"{where} {name[:80]!r}… ({len(name)} characters)")
            elif role == "combo box" and not _labelled(obj):
                # AT-SPI names a combo by its current value: what it is for comes from its caption
                problems["combo_without_caption"].append(described)
        if role in ("label", "static", "heading") and not focusable:  # a focusable one is a document view
            counts["labels"] += 1
            text = _text_of(obj)
            if text is not None and name.strip() and _plain(name) != _plain(text):
                problems["label_not_text"].append(f"{where} named {name!r} reads {text[:80]!r}")
        if role in CONTAINERS:
            continue
        try:
            children = list(obj)  # type: ignore[call-overload]
        except Exception:
            children = []
        for child in reversed(children):
            stack.append((child, where if len(where) < 200 else where[-200:]))
    result: dict[str, object] = {"problems": problems, "counts": counts}
    if dump is not None:
        result["objects"] = dump
    return result


def main() -> int:
    pid, name = int(sys.argv[1]), sys.argv[2]
    window = None
    for _ in range(40):  # a process that has just started registers with the registry a moment later
        window = find_window(pid, name)
        if window is not None:
            break
        time.sleep(0.25)
    if window is None:
        print(json.dumps({"error": f"no showing window of process {pid}"}))
        return 2
    result = walk(window)
    result["window"] = window.name  # type: ignore[attr-defined]
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
