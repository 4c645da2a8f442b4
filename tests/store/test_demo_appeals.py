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
        # the special cases show independent medical advice sought and received (12.14)
        special = [r for r in rows if r["kind"] == "special"]
        assert special and all(ap.medical_advice(ap.appeal_rules(date(2026, 10, 30)), r) is not None
                               and not ap.advice_awaited(ap.appeal_rules(date(2026, 10, 30)), r) for r in special)
        assert demo.record_demo_appeals(store, date(2026, 10, 30)) == []  # once only
