"""The demo store holds an appeal at each stage of section 12, each a row the office would accept."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from heart_desktop.domain import appeals as ap
from heart_desktop.store import Store, demo
from heart_desktop.sync.protocol.rows import check_fields


def test_the_demo_has_an_appeal_at_each_stage(tmp_path: Path) -> None:
    with Store.open(tmp_path / "demo.heartdb", "demo", create=True, kdf_iter=1000, officer="Demo officer") as store:
        demo.generate(store, 60, as_of=date(2026, 10, 30), seed=7)
        made = demo.record_demo_appeals(store, date(2026, 10, 30))
        assert [stage for _ref, stage in made] == list(demo.DEMO_APPEAL_STAGES)
        assert set(demo.DEMO_APPEAL_STAGES) == set(ap.STAGE_LABELS)
        rows = store.appeals.where()
        assert sorted(r["stage"] for r in rows) == sorted(demo.DEMO_APPEAL_STAGES)
        for row in rows:
            assert ap.stage(row) == row["stage"]
            (raw,) = store.conn.execute("SELECT changes FROM journal WHERE entity = 'appeal' AND entity_id = ?",
                                        (row["id"],)).fetchone()
            fields = json.loads(raw)
            check_fields("appeal", row["id"], fields, new=True)
        assert demo.record_demo_appeals(store, date(2026, 10, 30)) == []  # once only


def test_the_demos_special_cases_show_medical_advice_received(tmp_path: Path) -> None:
    """Refused cases appeal as special cases, each with 12.14 advice sought and received."""
    with Store.open(tmp_path / "demo.heartdb", "demo", create=True, kdf_iter=1000, officer="Demo officer") as store:
        demo.generate(store, 60, as_of=date(2026, 10, 30), seed=7)
        for (case_id,) in store.conn.execute("SELECT id FROM cases WHERE outcome IS NULL ORDER BY reference DESC "
                                             "LIMIT 3").fetchall():
            store.cases.update(case_id, {"outcome": "refused", "outcome_on": "2026-08-01",
                                         "outcome_reason": "Synthetic: the works are not necessary"})
        demo.record_demo_appeals(store, date(2026, 10, 30))
        rules = ap.appeal_rules(date(2026, 10, 30))
        special = [r for r in store.appeals.where() if r["kind"] == "special"]
        assert len(special) == 3
        for row in special:
            found = ap.medical_advice(rules, row)
            assert found is not None and found[0] == "medical_condition" and not ap.advice_awaited(rules, row)
            assert found[1]["cost"] == "180.00" and found[1]["source"] == "independent occupational health adviser"
            (raw,) = store.conn.execute("SELECT changes FROM journal WHERE entity = 'appeal' AND entity_id = ?",
                                        (row["id"],)).fetchone()
            check_fields("appeal", row["id"], json.loads(raw), new=True)
