"""``heart-desktop --self-check``: what IT runs after deploying a build, with no display needed.

Each check exercises a part of the application the way it runs for an officer, from the files the
build actually contains: an encrypted store is created and reopened in a temporary folder, every
form definition and every council's policy is loaded, and a demo pack is built twice to show the
PDF is stable byte for byte. A check that fails says what failed and why; the exit status is the
number of failed checks (0 when all pass).
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from heart_desktop import __version__, paths

PASSPHRASE = "self-check passphrase"
CASES = 3


@dataclass(frozen=True)
class Outcome:
    name: str
    passed: bool
    detail: str
    seconds: float


class Checks:
    """The checks share one temporary folder (and the store the first one makes)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.store_path = folder / "self-check.heartdb"

    def resources(self) -> str:
        missing = [str(p) for p in (paths.resources_dir() / "policy", paths.resources_dir() / "hhsrs",
                                    paths.resources_dir() / "fonts", paths.forms_dir()) if not p.is_dir()]
        if missing:
            raise RuntimeError(f"bundled folders missing: {', '.join(missing)}")
        return f"resources in {paths.resources_dir().parent}"

    def store(self) -> str:
        from heart_desktop.store import Store, demo

        with Store.open(self.store_path, PASSPHRASE, officer="Self-check", create=True) as store:
            demo.generate(store, CASES, seed=1)
        with Store.open(self.store_path, PASSPHRASE, officer="Self-check", check=True) as store:
            counts = store.counts()
        if counts.get("cases") != CASES:
            raise RuntimeError(f"expected {CASES} cases after reopening, found {counts.get('cases')}")
        if self.store_path.read_bytes()[:16] == b"SQLite format 3\x00":
            raise RuntimeError("the store file is not encrypted")
        return f"encrypted store created, reopened and checked ({CASES} demo cases)"

    def forms(self) -> str:
        from heart_desktop.formkit import check_all_forms

        forms = check_all_forms(paths.forms_dir())
        return f"{len(forms)} form definitions: {', '.join(f.id for f in forms)}"

    def policy(self) -> str:
        from heart_desktop.domain.hhsrs import load_scheme
        from heart_desktop.domain.policy import policy_for, policy_set

        policies = policy_set()
        for council in policies.councils:
            policy_for(council, date.today())
        schemes = [load_scheme(key) for key in ("2006", "2026")]
        from heart_desktop.domain.means_rates import rate_book

        rates = rate_book()
        unconfirmed = sum(1 for versions in rates.figures.values() if not versions[-1].confirmed)
        return (f"policy v{policies.version} for {len(policies.councils)} councils; "
                f"HHSRS schemes {', '.join(s.id for s in schemes)}; means test figures {len(rates.figures)} "
                f"({unconfirmed} not confirmed)")

    def pack(self) -> str:
        try:
            from heart_desktop.documents import build_pack_bytes
        except ImportError as exc:
            raise RuntimeError(f"the pack builder is not available: {exc}") from exc
        from heart_desktop.store import Store

        with Store.open(self.store_path, PASSPHRASE, officer="Self-check") as store:
            case_id = store.conn.execute("SELECT id FROM cases ORDER BY reference LIMIT 1").fetchone()[0]
            first = build_pack_bytes(store, case_id)
            second = build_pack_bytes(store, case_id)
        out = self.folder / "self-check-pack.pdf"
        out.write_bytes(first)
        digests = {hashlib.sha256(first).hexdigest(), hashlib.sha256(second).hexdigest()}
        if len(digests) != 1 or not first.startswith(b"%PDF"):
            raise RuntimeError("building the same pack twice gave different bytes")
        return f"demo pack {len(first) // 1024} KB, SHA-256 {digests.pop()[:16]}… stable"


    def sync_rows(self) -> str:
        """The row schema (pydantic) and the quarantine work in this build: a good row from the
        office applies, a bad one is set aside."""
        from heart_desktop.store import Store
        from heart_desktop.store.sync_apply import apply_page, quarantined

        with Store.open(self.store_path, PASSPHRASE, officer="Self-check") as store:
            case_id = store.conn.execute("SELECT id FROM cases ORDER BY reference LIMIT 1").fetchone()[0]
            stamp = "2026-01-01T00:00:00.000Z-0000-selfcheck"
            page = [{"entity": "note", "id": f"selfcheck-{kind}", "op": "insert", "base_rev": 0, "rev": 1,
                     "hlc": stamp, "officer": "Self-check", "case_id": case_id, "seq": n, "fields": fields}
                    for n, (kind, fields) in enumerate((
                        ("good", {"case_id": case_id, "body": "checked", "written_at": stamp[:24]}),
                        ("bad", {"case_id": case_id, "body": "no date"})), start=1)]
            written = apply_page(store, page, 2)
            count, _rows = quarantined(store)
        if (written, count) != (1, 1):
            raise RuntimeError(f"a page of one good and one bad row wrote {written} and set aside {count}")
        return "a good row from the office applied, a bad one set aside"


def run_checks(folder: Path) -> list[Outcome]:
    checks = Checks(folder)
    steps: list[tuple[str, Callable[[], str]]] = [
        ("bundled files", checks.resources), ("encrypted store", checks.store), ("form definitions", checks.forms),
        ("policy and HHSRS", checks.policy), ("application pack", checks.pack), ("sync rows", checks.sync_rows),
    ]
    outcomes = []
    for name, step in steps:
        started = time.perf_counter()
        try:
            detail, passed = step(), True
        except Exception as exc:  # every failure is reported, and the other checks still run
            detail, passed = f"{type(exc).__name__}: {exc}", False
        outcomes.append(Outcome(name, passed, detail, time.perf_counter() - started))
    return outcomes


def self_check(out: TextIO | None = None) -> int:
    """Run every check in a temporary folder (removed afterwards); the exit status is the failures."""
    out = out or sys.stdout
    frozen = " (built)" if getattr(sys, "frozen", False) else ""
    print(f"HEART Desktop {__version__}{frozen} self-check", file=out)
    folder = Path(tempfile.mkdtemp(prefix="heart-self-check-"))
    try:
        outcomes = run_checks(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for o in outcomes:
        print(f"  {'ok  ' if o.passed else 'FAIL'} {o.name}: {o.detail} ({o.seconds:.2f} s)", file=out)
    failed = [o.name for o in outcomes if not o.passed]
    print(f"self-check failed: {', '.join(failed)}" if failed else "self-check passed", file=out)
    return len(failed)
