"""Medical advice cleared on a laptop (policy 12.14) reaches the office as the rest of the appeal
does: the office's appeal has the answer without its advice, another laptop sees none, and the
clearing is in the audit the office receives, with its reason. Real office on 127.0.0.1 (SQLite and
PostgreSQL), real SQLCipher laptops."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sync_server import Server
from test_appeals_office import DAY, bench_for, medical_appeal, office_appeal

from heart_desktop.domain.appeals import AppealError
from heart_desktop.services import appeals
from heart_desktop.store import Store
from heart_desktop.sync.client import sync_once

WHY = "recorded on the wrong appeal: the advice is for the earlier application"


def test_cleared_advice_is_synced_and_audited(laptop: Callable[..., Store], tmp_path: Path, server: Server) -> None:
    hao = laptop("hao", "A. Okafor", ("WDC",))
    bench = bench_for(hao, tmp_path, "HAO")
    made = medical_appeal(bench)
    appeals.advice(bench, made["id"], today=DAY, requested_on=date(2026, 11, 10),
                   source="independent occupational health adviser")
    assert sync_once(hao).refused == []
    assert "advice" in office_appeal(server, made["id"])["answers"]["medical_condition"]

    with pytest.raises(AppealError, match="reason"):
        appeals.clear_advice(bench, made["id"], "  ", today=DAY)
    assert appeals.view(bench, made["id"])["medical_advice"] is not None  # nothing changed by the refusal
    view = appeals.clear_advice(bench, made["id"], WHY, today=DAY)
    assert view["medical_advice"] is None
    assert sync_once(hao).refused == []
    answer = office_appeal(server, made["id"])["answers"]["medical_condition"]
    assert "advice" not in answer and answer["evidence"] == "GP letter: the stairs aggravate the arthritis"
    other = laptop("other", "K. Osei", ("WDC",), role="OT")
    sync_once(other)
    assert appeals.view(bench_for(other, tmp_path, "OT"), made["id"])["medical_advice"] is None
    with server.service.db.transaction() as tx:
        rows = tx.all("SELECT reason, detail FROM audit_entries WHERE case_id = ? AND entity = 'appeal'",
                      (made["case_id"],))
    assert [r[0] for r in rows if '"advice_cleared"' in str(r[1])] == [WHY]
