"""Writing an audit export: the office's (``heart-central audit-export``) and the app's (a manager's
"Export audit for a period…") are the same shape, so IT reads both with the same tools.

CSV: one row per entry with the columns of ``domain.audit_chain.EXPORT_COLUMNS`` and ``chain``
(``intact`` or where the entry's device chain first breaks). JSON: ``{"from", "to", "made_at",
"intact", "chains": [...], "restricted_cases": [...], "entries": [...]}``.

A reason blanked with its erased case is marked, not left looking like an entry that had none: the
CSV's reason reads ``ERASED_REASON`` and each JSON entry carries ``reason_erased`` (true or false,
its ``reason`` null and its ``reason_sha256`` kept either way).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from heart_desktop.domain.audit_chain import EXPORT_COLUMNS, reason_erased

FORMATS = ("csv", "json")
CSV_COLUMNS = (*EXPORT_COLUMNS, "chain")
ERASED_REASON = "(removed with the erased case)"


def export_format(path: Path) -> str | None:
    """``csv`` or ``json`` from the file's name, or None for any other."""
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def chain_words(chains: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Each device's chain in a word or two for the CSV's ``chain`` column."""
    words = {}
    for chain in chains:
        broken = chain.get("first_broken")
        words[str(chain["device_id"])] = ("intact" if broken is None
                                          else f"broken at entry {broken['seq']}: {broken['problem']}")
    return words


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only (0600): an export names people and what was done
    with their cases. An existing file is replaced and its mode narrowed."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
    finally:
        os.close(fd)


def write_export(path: Path, entries: Sequence[Mapping[str, Any]], meta: Mapping[str, Any]) -> None:
    """Write the export (its format from the file name: see ``export_format``)."""
    chains = list(meta.get("chains") or [])
    if export_format(path) == "json":
        marked = [{**e, "reason_erased": reason_erased(e)} for e in entries]
        write_private(path, json.dumps({**meta, "entries": marked}, indent=2,
                                       ensure_ascii=False, default=str).encode("utf-8"))
        return
    words = chain_words(chains)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        shown = {**entry, "reason": ERASED_REASON} if reason_erased(entry) else entry
        writer.writerow([*(shown.get(c) for c in EXPORT_COLUMNS), words.get(str(entry.get("device_id")), "")])
    write_private(path, buffer.getvalue().encode("utf-8"))
