"""Appeals through the use cases (``services.appeals``) on a real store: lodging on a refused case,
criteria answered, each panel's decision (the panel roles only), escalation and the outcome, the
case reopened in its place by enquiry date on a grant, urgency when the panel orders it, every
step journalled for sync and announced on the change hub. The day is given."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "documents"))

from cases import make_case

from heart_desktop.domain.appeals import AppealError
from heart_desktop.domain.permissions import NotPermitted
from heart_desktop.services import appeals, casework
from heart_desktop.services.workbench import Workbench
from heart_desktop.store import Store
from heart_desktop.store import appeals as appeal_rows
from heart_desktop.store.changes import Change

DAY = date(2026, 3, 20)
EVIDENCE = "OT report of 1 March: two falls on the stairs since January"
SPECIAL = ["immediate_risk", "medical_condition", "family_together", "statutory_services", "wider_benefit",
           "no_means", "significant_reduction"]


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Workbench]:
    bench = Workbench(tmp_path / "s.heartdb", officer="Priya Officer")
    bench.store = Store.open(bench.path, "appeal tests", officer="Priya Officer", create=True, kdf_iter=1000)
    yield bench
    bench.close()


@pytest.fixture
def refused(bench: Workbench) -> str:
    case_id = make_case(bench._store())
    casework.decide_application(bench, case_id, "refused", date(2026, 3, 2),
                                "The works are not necessary and appropriate (OT assessment)", today=DAY)
    assert bench._store().cases.get(case_id)["outcome"] == "refused"
    return case_id


def lodge_special(bench: Workbench, case_id: str) -> str:
    made = appeals.lodge(bench, case_id, "special", "A stairlift is the only safe way up to the bathroom",
                         today=DAY, lodged_on=date(2026, 3, 6), appellant="Edna Fairweather", assisted=True)
    for key in SPECIAL:
        appeals.answer(bench, made["id"], key, EVIDENCE, today=DAY)
    return str(made["id"])


def test_an_appeal_is_lodged_and_answered_and_journalled(bench: Workbench, refused: str) -> None:
    heard: list[Change] = []
    bench._store().changes.subscribe(heard.append)
    appeal_id = lodge_special(bench, refused)
    (row,) = appeal_rows.for_case(bench._store(), refused)
    assert row["id"] == appeal_id and row["kind"] == "special" and row["lodged_by"] == "Priya Officer"
    assert row["lodged_on"] == date(2026, 3, 6) and row["assisted"] and row["stage"] == "lodged"
    assert set(row["answers"]) == set(SPECIAL) and row["answers"]["no_means"]["evidence"] == EVIDENCE
    journal = bench._store().conn.execute("SELECT count(*) FROM journal WHERE entity = 'appeal'").fetchone()[0]
    assert journal == 1 + len(SPECIAL)
    assert any(refused in change.case_ids and "appeal" in change.kinds for change in heard)
    shown = appeals.view(bench, appeal_id)
    assert shown["next"] == ["answer", "decide"] and shown["panel_due"] == "supervisors" and not shown["unanswered"]


def test_only_the_panel_roles_record_panel_decisions(bench: Workbench, refused: str) -> None:
    appeal_id = lodge_special(bench, refused)
    bench.role = "HAO"
    with pytest.raises(NotPermitted, match="only a manager or team leader may record a decision of the "
                                           "Supervisors Panel"):
        appeals.decide(bench, appeal_id, "supervisors", "granted", "The risk of falls is immediate", today=DAY)
    assert appeals.view(bench, appeal_id)["may_decide"] is False
    assert appeal_rows.get(bench._store(), appeal_id)["decisions"] == []
    appeals.answer(bench, appeal_id, "wider_benefit", "", claimed=False, today=DAY)  # casework: the HAO may
    bench.role = "manager"
    assert appeals.view(bench, appeal_id)["may_decide"] is True


def test_refusal_escalation_and_a_senior_grant_reopen_the_case_in_enquiry_order(bench: Workbench,
                                                                               refused: str) -> None:
    store = bench._store()
    appeal_id = lodge_special(bench, refused)
    bench.role = "manager"
    with pytest.raises(AppealError, match="cannot escalate yet"):
        appeals.escalate(bench, appeal_id, today=DAY, hearing="attends")
    appeals.decide(bench, appeal_id, "supervisors", "refused", "The risk is not immediate on the OT's evidence",
                   today=DAY, decided_on=date(2026, 3, 10))
    assert store.cases.get(refused)["outcome"] == "refused"  # a refusal leaves the case closed
    shown = appeals.escalate(bench, appeal_id, today=DAY, escalated_on=date(2026, 3, 11), hearing="attends",
                             hearing_on=date(2026, 3, 18), representative="Jo Fairweather (daughter)",
                             implications="A stairlift, about £4,000 of DDFA")
    assert shown["stage"] == "escalated" and shown["escalation"]["representative"] == "Jo Fairweather (daughter)"
    with pytest.raises(AppealError, match="Senior Management Panel's to decide"):
        appeals.decide(bench, appeal_id, "supervisors", "granted", "On reflection the risk is immediate", today=DAY)
    shown = appeals.decide(bench, appeal_id, "senior", "granted", "The falls put Mrs Fairweather at immediate risk",
                           today=DAY, decided_on=date(2026, 3, 18))
    assert shown["stage"] == "granted" and shown["next"] == ["outcome"]
    case = store.cases.get(refused)
    assert case["outcome"] is None and not case["urgent"]  # reopened, in its place by enquiry date
    place = casework.place_in_queue(bench, refused, today=DAY)
    assert place is not None and place["why"] == "in order of the enquiry date (5.2, 9.1)"
    notes = " ".join(n["body"] for n in store.notes.for_case(refused))
    assert "Reopened on 20/03/2026" in notes and "12.19" in notes
    shown = appeals.outcome(bench, appeal_id, "standard", today=DAY, assistance_type="DDFA",
                            modification="Up to the cost of a straight stairlift")
    assert shown["stage"] == "decided" and shown["outcome"]["panel"] == "senior"
    assert shown["outcome"]["assistance_type"] == "DDFA"


def test_a_grant_that_orders_urgency_puts_the_case_first(bench: Workbench, refused: str) -> None:
    appeal_id = lodge_special(bench, refused)
    bench.role = "manager"
    appeals.decide(bench, appeal_id, "supervisors", "granted", "The risk of falls is immediate", today=DAY,
                   urgent=True)
    case = bench._store().cases.get(refused)
    assert case["urgent"] and "dealt with urgently" in case["urgent_reason"] and case["outcome"] is None
    place = casework.place_in_queue(bench, refused, today=DAY)
    assert place is not None and place["why"].startswith("urgent")


def test_the_outcome_is_the_granting_panels_and_a_special_form_needs_its_terms(bench: Workbench,
                                                                             refused: str) -> None:
    appeal_id = lodge_special(bench, refused)
    bench.role = "manager"
    appeals.decide(bench, appeal_id, "supervisors", "granted", "The risk of falls is immediate", today=DAY)
    bench.role = "OT"
    with pytest.raises(NotPermitted, match="Supervisors Panel"):
        appeals.outcome(bench, appeal_id, "special", today=DAY, description="A grant for a through-floor lift",
                        terms="Repayable if the home is sold within five years")
    bench.role = "manager"
    with pytest.raises(AppealError, match="terms"):
        appeals.outcome(bench, appeal_id, "special", today=DAY, description="A grant for a through-floor lift")
    shown = appeals.outcome(bench, appeal_id, "special", today=DAY, description="A grant for a through-floor lift",
                            terms="Repayable if the home is sold within five years")
    assert shown["outcome"]["form"] == "special" and shown["outcome"]["terms"].startswith("Repayable")


def test_a_closed_case_can_be_reopened_with_a_reason(bench: Workbench, refused: str) -> None:
    from heart_desktop.services.casework import CaseworkError

    with pytest.raises(CaseworkError, match="reason"):
        appeals.reopen_case(bench, refused, " ", today=DAY)
    case = appeals.reopen_case(bench, refused, "Closed by mistake on the wrong case", today=DAY)
    assert case["outcome"] is None and case["outcome_on"] is None
    with pytest.raises(CaseworkError, match="not closed"):
        appeals.reopen_case(bench, refused, "again", today=DAY)
    casework.close_case(bench, refused, "withdrawn", DAY, "The customer withdrew the enquiry", today=DAY)
    bench.role = "admin"
    with pytest.raises(NotPermitted, match="reopen a closed case"):
        appeals.reopen_case(bench, refused, "The customer asked again", today=DAY)
