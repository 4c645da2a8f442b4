"""Demo data (deterministic, every council and stage, Warwickshire postcodes) and the rule that
nothing readable reaches the disk: neither the main file nor the WAL holds a name or postcode."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from heart_desktop.domain.casework import STAGE_KEYS, check_stage_dates
from heart_desktop.domain.validate import postcode_district
from heart_desktop.store import Store
from heart_desktop.store.demo import COUNCILS, DISTRICTS, demo_names, generate


def test_demo_is_deterministic_and_covers_everything(tmp_path: Path, open_store: Callable[..., Store]) -> None:
    with open_store(tmp_path / "a.heartdb") as a, open_store(tmp_path / "b.heartdb") as b:
        generate(a, 300, seed=7)
        generate(b, 300, seed=7)
        rows_a = a.conn.execute("SELECT id, reference, customer, postcode, stage FROM cases ORDER BY n").fetchall()
        rows_b = b.conn.execute("SELECT id, reference, customer, postcode, stage FROM cases ORDER BY n").fetchall()
        assert rows_a == rows_b
        people = "SELECT id, given_name, family_name, date_of_birth FROM people ORDER BY rowid"
        assert a.conn.execute(people).fetchall() == b.conn.execute(people).fetchall()
        assert {r[4] for r in rows_a} == set(STAGE_KEYS)
        assert {r[1].split("/")[0] for r in rows_a} == set(COUNCILS)
        counts = a.counts()
        for table in ("people", "properties", "visits", "form_submissions", "hazard_ratings", "works_items",
                      "decisions", "notes"):
            assert counts[table] > 0, table
        assert a.journal.count() == sum(counts[t] for t in counts if t not in ("journal", "audit", "blobs"))
        for case in a.cases.where("1", limit=300):
            district = postcode_district(case["postcode"])
            council = case["council"]
            assert district in {d for d, _town in DISTRICTS[council]}, (council, case["postcode"])
            check_stage_dates(a.stages.get(case["id"]))
        assert a.integrity() == "ok"
    with open_store(tmp_path / "c.heartdb") as c:
        generate(c, 50, seed=8)
        assert c.conn.execute("SELECT customer FROM cases ORDER BY n").fetchall() != [(r[2],) for r in rows_a[:50]]


def test_demo_cases_are_searchable(tmp_path: Path, open_store: Callable[..., Store]) -> None:
    with open_store(tmp_path / "a.heartdb") as s:
        generate(s, 200, seed=3)
        given, family, postcode = demo_names(s, 1)[0]
        assert any(r["customer"] == f"{given} {family}" for r in s.cases.search(f"{given} {family}", 200))
        assert all(r["postcode"].startswith(postcode.split()[0]) for r in s.cases.search(postcode.split()[0], 50))
        assert s.cases.search(postcode.replace(" ", ""))


def test_no_plain_text_on_disk(tmp_path: Path, open_store: Callable[..., Store], make_case: Callable[..., str]) -> None:
    path = tmp_path / "secret.heartdb"
    store = open_store(path)
    generate(store, 150, seed=5)
    make_case(store, given="Zebedee", family="Quillfeather", postcode="CV37 6QW")  # lands in the WAL
    store.forms.start(store.cases.page(0, 1)[0]["id"], "notes", "1", {"secret": "Quillfeather kitchen"})
    wal = Path(f"{path}-wal")
    assert wal.exists() and wal.stat().st_size > 0
    needles = {"Zebedee", "Quillfeather", "CV37 6QW", "CV376QW"}
    for given, family, postcode in demo_names(store, 60):
        needles |= {given, family, postcode}
    # exact bytes, five or more long: a random match in a few MB of ciphertext is then ~1e-6
    needles = {n for n in needles if len(n) >= 5}
    for file in (path, wal):
        data = file.read_bytes()
        leaked = [n for n in needles if n.encode() in data or n.encode("utf-16-le") in data]
        assert leaked == [], f"{file.name} holds {leaked}"
        assert b"SQLite format 3" not in data[:100]
    store.close()
    data = path.read_bytes()
    assert not [n for n in needles if n.encode() in data]


def test_store_never_imports_qt() -> None:
    code = ("import sys; import heart_desktop.store, heart_desktop.store.demo, heart_desktop.store.backup, "
            "heart_desktop.verbs.stores, heart_desktop.services.workbench, heart_desktop.store.attachments; "
            "assert 'PySide6' not in sys.modules, 'store, its verbs or the services imported Qt'")
    subprocess.run([sys.executable, "-c", code], check=True)
