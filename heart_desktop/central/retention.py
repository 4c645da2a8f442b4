"""The office's retention job: which closed cases have passed their date, and erasing them.

Each case's rule comes from ``domain.retention`` (the schedule in resources/policy/retention.toml).
Erasing a case deletes every row of it (and files only it names), tells every laptop of its council
to remove it (a ``remove`` feed entry), and records it in ``erased_cases`` so a laptop that still
holds it cannot push it back. Its partnership-measures facts stay, anonymised (no reference), so
the figures for past quarters do not change: ``central.measures`` never re-derives an erased case.

Charge state is derived from what the office holds: a DFG charge when the tenure is one the policy
makes repayable and the cost is above the repayable threshold, from the certified (signed-off, or
works complete) date; a DDFA charge when the case has an approved decision of kind ``ddfa_loan``
with an amount (the discretionary 0% loan, repayable on sale or transfer, policy 4.2), kept while it
is registered. IT marks a repaid DDFA charge discharged (``heart-central charge``): the discharge is
an entry in the office's own audit chain (so it cannot be edited or dropped), and from it the grant
file's normal period runs again (rule ``ddfa_discharged`` in retention.toml).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from heart_desktop.central import audit, measures
from heart_desktop.central.push import FEED_COLUMNS
from heart_desktop.domain.policy import PolicyError, policy_for
from heart_desktop.domain.retention import Decision, decide
from heart_desktop.sync.protocol import canonical

if TYPE_CHECKING:
    from heart_desktop.central.db import CentralDatabase, Transaction

ERASED = "erased"  # the feed entry's ``to``: the case left every council


def _charge(council: str, case: dict[str, Any], cost: int | None, today: date) -> tuple[str | None, date | None]:
    certified = case.get("signed_off_on") or case.get("works_complete_on")
    certified_on = date.fromisoformat(str(certified)[:10]) if certified else None
    try:
        policy = policy_for(council, certified_on or today)
        repayable = (case.get("tenure") in policy.tenures("dfg.repayable_tenures") and cost is not None
                     and cost > policy.money("dfg.repayable_threshold"))
    except PolicyError:
        repayable = False
    return ("dfg" if repayable and certified_on else None), certified_on


DDFA_LOAN = "ddfa_loan"  # the decision kind that registers a DDFA charge
DISCHARGE = "charge_discharge"  # the office audit action that discharges one


def ddfa_loans(tx: Transaction) -> dict[str, dict[str, Any]]:
    """Each case's approved DDFA loan decision (the latest): ``{case_id: {amount_pence, decided_on}}``."""
    loans: dict[str, dict[str, Any]] = {}
    for case_id, fields in tx.all("SELECT case_id, fields FROM records WHERE entity = 'decision' ORDER BY id"):
        row = json.loads(fields)
        if (row.get("kind") == DDFA_LOAN and row.get("outcome") == "approved" and not row.get("deleted")
                and int(row.get("amount_pence") or 0) > 0):
            loans[str(case_id)] = {"amount_pence": int(row["amount_pence"]), "decided_on": row.get("decided_on")}
    return loans


def discharges(tx: Transaction) -> dict[str, dict[str, Any]]:
    """Each case's DDFA charge discharge, from the office's audit chain: ``{case_id: detail}``."""
    found: dict[str, dict[str, Any]] = {}
    for case_id, detail in tx.all("SELECT case_id, detail FROM audit_entries WHERE device_id = ? AND action = ? "
                                  "ORDER BY seq", (audit.OFFICE, DISCHARGE)):
        found[str(case_id)] = json.loads(detail)
    return found


def review(db: CentralDatabase, today: date) -> list[dict[str, Any]]:
    """Every case at the office with its retention rule and date (erased ones are not listed)."""
    measures.refresh(db)
    with db.transaction() as tx:
        rows = tx.all("SELECT r.id, r.council, r.fields, f.cost_pence, f.tenure FROM records r LEFT JOIN "
                      "measure_facts f ON f.case_id = r.id WHERE r.entity = 'case' ORDER BY r.id")
        loans, discharged = ddfa_loans(tx), discharges(tx)
    listed = []
    for case_id, council, fields, cost, tenure in rows:
        case = json.loads(fields)
        case.setdefault("tenure", tenure)  # the property's tenure, as the measures' facts hold it
        closed = case.get("outcome_on")
        closed_on = date.fromisoformat(str(closed)[:10]) if closed and case.get("outcome") else None
        charge, certified_on = _charge(str(council), case, cost, today)
        loan = loans.get(str(case_id))
        discharged_on = None
        if loan is not None:  # a DDFA charge outlasts any DFG one: it does not expire while registered
            charge = "ddfa"
            gone = discharged.get(str(case_id))
            discharged_on = date.fromisoformat(gone["discharged_on"]) if gone else None
        decision: Decision = decide(str(council), closed_on, charge, certified_on, today, discharged_on)
        listed.append({"case_id": case_id, "reference": case.get("reference"), "council": council,
                       "closed_on": closed_on.isoformat() if closed_on else None, "charge": charge,
                       "ddfa_loan_pence": loan["amount_pence"] if loan else None,
                       "charge_discharged_on": discharged_on.isoformat() if discharged_on else None,
                       "action": decision.action, "rule": decision.rule,
                       "until": decision.until.isoformat() if decision.until else None,
                       "reason": decision.reason, "source": decision.source})
    return listed


def erase_case(tx: Transaction, case_id: str, council: str, rule: str, due_on: str, now: str) -> dict[str, int]:
    """Erase one case at the office (rows, files, feed copies; a removal for its laptops; measures
    facts kept without the reference) and blank its audit entries' free-text reasons where their
    format allows (``audit.erase_reasons``); returns ``{"erased": n, "kept": n}`` of those reasons.
    On SQLite what it deletes is overwritten in the file (SQLCipher keys each connection with
    ``secure_delete`` on); the caller checkpoints after the commit, so the log keeps no old copy."""
    shas = [r[0] for r in tx.all("SELECT DISTINCT sha256 FROM file_refs r JOIN records c ON c.entity = r.entity "
                                 "AND c.id = r.record_id WHERE c.case_id = ?", (case_id,))]
    tx.execute("DELETE FROM file_refs WHERE (entity, record_id) IN (SELECT entity, id FROM records WHERE "
               "case_id = ?)", (case_id,))
    for sha in shas:  # a file another case still names stays
        if tx.one("SELECT 1 FROM file_refs WHERE sha256 = ?", (sha,)) is None:
            tx.execute("DELETE FROM files WHERE sha256 = ?", (sha,))
            tx.execute("DELETE FROM file_uploaders WHERE sha256 = ?", (sha,))
    tx.execute("DELETE FROM records WHERE case_id = ? OR (entity = 'case' AND id = ?)", (case_id, case_id))
    tx.execute("DELETE FROM case_refs WHERE case_id = ?", (case_id,))
    tx.execute("DELETE FROM conflicts WHERE record_id = ?", (case_id,))
    # the feed's copies of the case's rows go too; one removal tells its council's laptops
    tx.execute("DELETE FROM feed WHERE case_id = ?", (case_id,))
    hlc = f"{now[:19]}.000Z-0000-office"
    tx.insert_rows("feed", FEED_COLUMNS, [("case", case_id, case_id, council, "remove", 0, 0, hlc, "office",
                                           "office", canonical({"to": ERASED, "rule": rule}), None)])
    tx.execute("UPDATE measure_facts SET reference = NULL WHERE case_id = ?", (case_id,))
    tx.execute("INSERT INTO erased_cases (case_id, council, rule, due_on, erased_at) VALUES (?, ?, ?, ?, ?)",
               (case_id, council, rule, due_on, now))
    return audit.erase_reasons(tx, case_id)


def apply(db: CentralDatabase, today: date, by: str | None = None) -> list[dict[str, Any]]:
    """Erase every case whose date has passed, each recorded in the office's audit (``by``: who
    ran it); returns what was erased (as ``review`` lists it)."""
    due = [item for item in review(db, today) if item["action"] == "erase"]
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with db.transaction(feed=True) as tx:
        for item in due:
            reasons = erase_case(tx, item["case_id"], str(item["council"]), item["rule"], str(item["until"]), now)
            item["audit_reasons"] = reasons
            audit.record(tx, "retention", officer=by, case_id=item["case_id"], entity="case",
                         entity_id=item["case_id"], reason=f"retention period ended ({item['rule']})",
                         detail={"rule": item["rule"], "due_on": item["until"], "source": item["source"],
                                 "audit_reasons": reasons})
    if due:
        db.checkpoint()
    return due


class ChargeRefused(ValueError):
    """A discharge the office will not record, saying what to give instead (the verb exits 2)."""


def discharge(db: CentralDatabase, reference: str, discharged_on: date, reason: str, today: date,
              by: str | None = None) -> dict[str, Any]:
    """Mark a case's DDFA charge discharged (repaid) on ``discharged_on``, recorded in the office's
    audit chain; returns the case's retention after it (as ``review`` lists it)."""
    if not reason.strip():
        raise ChargeRefused("--reason: say why the charge is discharged, e.g. 'repaid on sale, land registry "
                            "form RX4 sent'")
    if discharged_on > today:
        raise ChargeRefused(f"--discharged-on: {discharged_on.isoformat()} is in the future; give the day it was "
                            "repaid")
    with db.transaction(feed=True) as tx:
        found = tx.one("SELECT case_id FROM case_refs WHERE reference = ?", (reference,))
        if found is None:
            raise ChargeRefused(f"--case: there is no case {reference} at the office (check the reference; an "
                                "erased case is gone)")
        case_id = str(found[0])
        loan = ddfa_loans(tx).get(case_id)
        if loan is None:
            raise ChargeRefused(f"--case: case {reference} has no approved DDFA loan at the office, so no DDFA "
                                "charge to discharge (a DFG charge ends by itself 10 years from certification)")
        if case_id in discharges(tx):
            raise ChargeRefused(f"--case: the DDFA charge of case {reference} is already discharged")
        decided = loan.get("decided_on")
        if decided and discharged_on < date.fromisoformat(str(decided)[:10]):
            raise ChargeRefused(f"--discharged-on: {discharged_on.isoformat()} is before the loan was approved "
                                f"({str(decided)[:10]})")
        audit.record(tx, DISCHARGE, officer=by, case_id=case_id, entity="case", entity_id=case_id, reason=reason,
                     detail={"charge": "ddfa", "discharged_on": discharged_on.isoformat(),
                             "amount_pence": loan["amount_pence"], "reference": reference})
    return next(item for item in review(db, today) if item["case_id"] == case_id)


def erased_ids(tx: Transaction, case_ids: list[str]) -> set[str]:
    """Which of these cases were erased at the office."""
    return {r[0] for r in tx.all_in("SELECT case_id FROM erased_cases WHERE case_id {values}", case_ids)}
