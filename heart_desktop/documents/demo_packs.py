"""Signed packs for the demo store, so the Documents tab and the admin print queue have something
to show. The signatures are the synthetic ones of the demo's application forms."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

from heart_desktop.documents.demo_photos import draw, scene_for
from heart_desktop.documents.signing import sign_pack
from heart_desktop.store import Store
from heart_desktop.store.demo_answers import signature


def _across_councils(rows: list[tuple], limit: int) -> list[tuple]:
    """Take cases from each council in turn (references start with the council's code)."""
    by_council: dict[str, list[tuple]] = {}
    for row in rows:
        by_council.setdefault(str(row[-1]), []).append(row[:-1])
    picked: list[tuple] = []
    while len(picked) < limit and any(by_council.values()):
        for queue in by_council.values():
            if queue and len(picked) < limit:
                picked.append(queue.pop(0))
    return picked


def sign_demo_packs(store: Store, limit: int = 6, seed: int = 1) -> list[str]:
    """Sign and freeze the pack of up to ``limit`` cases that have applied; returns their ids."""
    rng = random.Random(seed)
    rows = store.conn.execute(
        """SELECT c.id, c.assigned_officer, c.application_on, f.answers, c.council
             FROM cases c JOIN form_submissions f ON f.case_id = c.id
            WHERE c.deleted = 0 AND c.stage IN ('application', 'approval')
              AND f.form_id = 'application_details' AND f.status = 'signed' AND f.deleted = 0
            ORDER BY c.reference LIMIT 400""").fetchall()
    signed = []
    for case_id, officer, applied_on, answers_json in _across_councils(rows, limit):
        applicant = json.loads(answers_json).get("applicant_signature")
        if not applicant:
            continue
        at = f"{applied_on}T11:30:00"
        signers = [{"role": "applicant", "name": applicant["name"], "signed_at": at, "strokes": applicant["strokes"]},
                   {"role": "officer", **{k: v for k, v in signature(rng, officer or "Officer", at).items()
                                          if k in ("name", "signed_at", "strokes")}}]
        _photograph_hazards(store, case_id, seed=len(signed))
        sign_pack(store, case_id, signers)
        signed.append(case_id)
    return signed


def _photograph_hazards(store: Store, case_id: str, seed: int) -> None:
    """Attach a drawn photo to each hazard of the case's HHSRS assessment, in a revised version of
    the form (the signed one stays as it was, as an officer's later revision would leave it)."""
    from heart_desktop.store.case_facts import latest_form

    form = latest_form(store.forms.for_case(case_id), "hhsrs_assessment")
    if form is None or not (form.get("answers") or {}).get("hazards"):
        return
    answers = json.loads(json.dumps(form["answers"]))
    for number, (key, hazard) in enumerate(sorted(answers["hazards"].items())):
        scene, caption = scene_for(key)
        attachment = store.attachments.get(store.attachments.add(
            case_id, draw(scene, seed * 10 + number), caption=caption, filename=f"{key}.jpg"))
        hazard["photos"] = [{"sha256": attachment["sha256"], "caption": caption}]
    with store.transaction():
        draft = form["id"] if form["status"] == "draft" else store.forms.revise(form["id"])
        store.forms.save_draft(draft, answers)
        store.forms.complete(draft)
        store.forms.sign(draft, signed_by=answers.get("officer_name"))


def ensure_demo_store(db_path: Path, cases: int = 2000) -> bool:
    """Create the demo store with synthetic cases unless it exists; True when it was created."""
    from heart_desktop.store import DEMO_PASSPHRASE, demo

    if db_path.exists():
        return False
    db_path.parent.mkdir(parents=True, exist_ok=True)
    partial = db_path.with_name(db_path.name + ".creating")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    with Store.open(partial, DEMO_PASSPHRASE, officer="Demo officer", create=True) as store:
        # made for today, so the caseload opens on today's visits
        demo.generate(store, cases, as_of=date.today())
        sign_demo_packs(store)  # a few signed packs for the Documents tab and the print queue
        from heart_desktop.documents.letters.demo_letters import sign_demo_letters

        sign_demo_letters(store, date.today())  # letters of each kind the demo's cases can have
    partial.rename(db_path)  # only a finished store ever has the real name
    return True
