"""Casework from the first call to the closed case (policy 5.1 to 5.11, 9, 13.1, 13.2), free of Qt.

The duty desk records an enquiry (:func:`new_enquiry`, or a batch with :func:`import_referrals`);
the duty desk or a team leader allocates it (:func:`allocate`); the officer books, moves and
records the outcome of visits, logs calls, letters, emails and visits with their follow-ups, and
the events the app records set the stage dates (:func:`record_event`), which the officer may
correct with a reason; the case closes with an outcome, may be suspended, and its completion
period extended. The waiting lists follow ``domain.queue``; taking a case out of order needs a
9.3 sanction.

Each function takes the :class:`Workbench` and runs on the thread that owns its store; every write
is one store transaction (journalled, synced, announced on the change hub) and every author field
is the signed-in officer (``store.officer``). ``today`` is always given by the caller (the app's
clock, or a test's day), never read here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from heart_desktop.domain import queue as queues
from heart_desktop.domain.casework import (
    CORRECTED,
    EVENT_BY_KEY,
    STAGE_KEYS,
    STAGE_LABELS,
    StageOrderError,
    check_stage_dates,
    completion_due,
    current_stage,
    event_dates,
    still_to_do,
)
from heart_desktop.domain.intake import (
    CSV_COLUMNS,
    CSV_REQUIRED,
    Enquiry,
    IntakeError,
    enquiry_from_csv_row,
    read_enquiry,
    read_property,
)
from heart_desktop.domain.process import process
from heart_desktop.services.workbench import Workbench

# the channel an enquiry came by -> the contact it was (referrals from agencies come as they come)
CHANNEL_CONTACT = {"telephone": "call", "email": "email", "post": "letter", "in_person": "visit"}
VISIT_STATUS = {"done": "done", "no_access": "no_access", "cancelled_by_customer": "cancelled"}
VISIT_EVENT = {"contractor": "contractor_visit_done", "assessment": "visit_done", "ot": "visit_done",
               "review": "visit_done"}
HOME_FORMS = {"hhsrs_assessment": "inspection_start", "home_safety_check": "visit_date",
              "ot_needs_assessment": "assessment_date"}
FORM_TITLES = {"hhsrs_assessment": "HHSRS assessment", "home_safety_check": "home safety check",
               "ot_needs_assessment": "OT needs assessment", "application_details": "application details",
               "works_schedule": "schedule of works", "wash_assessment": "WaSH assessment"}
MIN_JUSTIFICATION = 15  # characters: a written justification, not a word (9.3)


class CaseworkError(ValueError):
    """A casework action refused, with what to do; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class LikelyDuplicate(CaseworkError):
    """A new enquiry looks like a case already on file (same name, date of birth and postcode)."""

    def __init__(self, cases: list[dict[str, Any]]) -> None:
        first = cases[0]
        also = f" (and {len(cases) - 1} more)" if len(cases) > 1 else ""
        super().__init__(f"likely duplicate of {first['reference']}{also}: the same name, date of birth and "
                         "postcode are on file; open that case, or save anyway (--force)")
        self.cases = cases


class OutOfOrder(CaseworkError):
    """Taking a case while others wait ahead of it, without a 9.3 sanction."""

    def __init__(self, ahead: int, first: str) -> None:
        super().__init__(f"{ahead} case{'s' if ahead != 1 else ''} wait{'s' if ahead == 1 else ''} ahead of this one "
                         f"(next: {first}); taking it out of order needs the written sanction of the Head of "
                         "Service, the HEART Team Manager or a team leader (policy 9.3)")
        self.ahead, self.first = ahead, first


def _required(text: str | None, field: str, what: str) -> str:
    if text is None or not str(text).strip():
        raise CaseworkError(f"{field}: {what}", field)
    return str(text).strip()


def _listed(value: str | None, name: str, field: str, on: date) -> str:
    labels = process(on).labels(name)
    if value not in labels:
        raise CaseworkError(f"{field}: {value!r} is not one of {', '.join(labels)}", field)
    return str(value)


def _stamp(when: datetime) -> str:
    return when.replace(second=0, microsecond=0).isoformat(timespec="minutes")


# --- intake (5.1) ------------------------------------------------------------------------------------


def duplicates(bench: Workbench, enquiry: Enquiry) -> list[dict[str, Any]]:
    from heart_desktop.store.casework import likely_duplicates

    c = enquiry.customer
    return likely_duplicates(bench._store(), c.given_name, c.family_name, c.date_of_birth, enquiry.postcode)


def new_enquiry(bench: Workbench, data: Mapping[str, Any], *, today: date, force: bool = False) -> dict[str, Any]:
    """Record an enquiry as the duty desk takes it; returns ``{"id", "reference", "council", "stage",
    "notes", "reference_confirmed"}``. Raises ``IntakeError`` naming a bad field, or
    ``LikelyDuplicate`` (unless ``force``) naming the case already on file."""
    enquiry = read_enquiry(data, today)
    found = duplicates(bench, enquiry)
    if found and not force:
        raise LikelyDuplicate(found)
    store = bench._store()
    with store.transaction():
        case_id = _create(bench, enquiry, today)
    case = store.cases.get(case_id)
    return {"id": case_id, "reference": case["reference"], "council": case["council"], "stage": case["stage"],
            "notes": list(enquiry.notes), "reference_confirmed": False,
            "duplicates": [d["reference"] for d in found]}


def _create(bench: Workbench, enquiry: Enquiry, today: date) -> str:
    store = bench._store()
    case_id = store.cases.create(
        enquiry.council, reference=store.cases.next_reference(enquiry.council, on=enquiry.received),
        enquiry_on=enquiry.received, channel=enquiry.channel, referrer=enquiry.referrer,
        referrer_contact=enquiry.referrer_contact, reason=enquiry.reason,
        contact_preference=enquiry.contact_preference, advocate=enquiry.advocate,
        priority_flags=enquiry.priority_flags, assistance_types=list(enquiry.assistance))
    customer = enquiry.customer
    store.people.insert({"case_id": case_id, "is_applicant": True, "is_disabled_person": customer.disabled,
                         "given_name": customer.given_name, "family_name": customer.family_name,
                         "date_of_birth": customer.date_of_birth, "phone": customer.phone, "email": customer.email,
                         "ni_number": customer.ni_number})
    for person in enquiry.household:
        store.people.insert({"case_id": case_id, "is_applicant": False, "is_disabled_person": person.disabled,
                             "given_name": person.given_name, "family_name": person.family_name,
                             "date_of_birth": person.date_of_birth, "relationship": person.relationship,
                             "phone": person.phone, "email": person.email, "ni_number": person.ni_number})
    store.properties.insert({"case_id": case_id, "address_line1": enquiry.address_line1,
                             "address_line2": enquiry.address_line2, "town": enquiry.town,
                             "postcode": enquiry.postcode})
    store.stage_events.record(case_id, "enquiry", enquiry.received, "enquiry_received",
                              f"{process(enquiry.received).label('channels', enquiry.channel)}"
                              + (f" from {enquiry.referrer}" if enquiry.referrer else ""))
    kind = CHANNEL_CONTACT.get(enquiry.channel)
    if kind:
        at = datetime.combine(enquiry.received, datetime.min.time()).replace(hour=9)
        store.contacts.add(case_id, {"at": _stamp(at), "kind": kind, "direction": "in",
                                     "who": enquiry.referrer or customer.name,
                                     "summary": f"Enquiry: {enquiry.reason}"})
    store.audit.append("change", case_id=case_id, entity="case", entity_id=case_id,
                       detail={"created": "enquiry", "channel": enquiry.channel})
    return case_id


class ImportRefused(CaseworkError):
    """A batch refused at its first bad row: the line number and field; nothing was imported."""

    def __init__(self, line: int, field: str, problem: str) -> None:
        super().__init__(f"line {line}: field {field}: {problem.rstrip('.')}; nothing was imported", field)
        self.line, self.problem = line, problem


def read_referrals(text: str, today: date) -> list[tuple[int, Enquiry]]:
    """Every row of a CSV of referrals, checked; raises ``ImportRefused`` at the first bad row (its
    line number and field). The header names the columns (``domain.intake.CSV_COLUMNS``)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if unknown:
        raise ImportRefused(1, unknown[0],
                            f"is not a column of a referral (known: {', '.join(CSV_COLUMNS)})")
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        raise ImportRefused(1, missing[0], "the header needs this column")
    out = []
    for row in reader:
        line = reader.line_num
        try:
            out.append((line, read_enquiry(enquiry_from_csv_row(row), today)))
        except IntakeError as exc:
            raise ImportRefused(line, exc.field, exc.message) from None
    if not out:
        raise ImportRefused(2, "(row)", "the file has a header but no referrals")
    return out


def import_referrals(bench: Workbench, text: str, *, today: date, force: bool = False) -> list[dict[str, Any]]:
    """Import a batch of referrals: all of them, or (a bad row, a likely duplicate) none."""
    rows = read_referrals(text, today)
    seen: dict[tuple[str, str, date | None, str], int] = {}
    for line, enquiry in rows:
        c = enquiry.customer
        key = (c.given_name.lower(), c.family_name.lower(), c.date_of_birth, enquiry.postcode)
        if key in seen and not force:
            raise ImportRefused(line, "customer.name",
                                f"the same person as line {seen[key]} (name, date of birth and postcode)")
        seen[key] = line
        found = duplicates(bench, enquiry)
        if found and not force:
            raise ImportRefused(line, "customer.name",
                                f"likely duplicate of {found[0]['reference']} (name, date of birth and postcode); "
                                "use --force to import it anyway")
    store = bench._store()
    made = []
    with store.transaction():
        for line, enquiry in rows:
            case_id = _create(bench, enquiry, today)
            case = store.cases.get(case_id)
            made.append({"line": line, "id": case_id, "reference": case["reference"], "council": case["council"],
                         "stage": case["stage"]})
    return made


# --- details (editable, validated, journalled) -------------------------------------------------------


def details_data(detail: Mapping[str, Any]) -> dict[str, Any]:
    """The case's details in the shape of an enquiry (what the details dialog edits)."""
    case = detail["case"]
    people = detail.get("people") or []
    applicant = next((p for p in people if p.get("is_applicant")), people[0] if people else {})
    prop = detail.get("property") or {}

    def person(p: Mapping[str, Any]) -> dict[str, Any]:
        return {"id": p.get("id"), "given_name": p.get("given_name"), "family_name": p.get("family_name"),
                "date_of_birth": p.get("date_of_birth").isoformat() if p.get("date_of_birth") else None,
                "phone": p.get("phone"), "email": p.get("email"), "ni_number": p.get("ni_number"),
                "disabled": bool(p.get("is_disabled_person")), "relationship": p.get("relationship")}

    return {
        "received": case["enquiry_on"].isoformat() if case.get("enquiry_on") else None,
        "channel": case.get("channel"), "referrer": case.get("referrer"),
        "referrer_contact": case.get("referrer_contact"), "reason": case.get("reason"),
        "contact_preference": case.get("contact_preference"), "advocate": case.get("advocate"),
        "council": case.get("council"),
        "customer": person(applicant) if applicant else {},
        "household": [person(p) for p in people if p is not applicant],
        "address": {"line1": prop.get("address_line1"), "line2": prop.get("address_line2"), "town": prop.get("town"),
                    "postcode": prop.get("postcode")},
        "property": {k: prop.get(k) for k in ("tenure", "property_type", "bedrooms", "years_owned", "landlord")},
    }


def _tenures() -> tuple[str, ...]:
    from heart_desktop.domain.policy import policy_set

    sets = policy_set()
    council = next(iter(sets.councils))
    return sets.for_case(council, max(sets.effective_dates(council))).tenures("common.tenures")


def save_details(bench: Workbench, case_id: str, data: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """Change the customer, household, address and contact details, checked as an enquiry is
    (``IntakeError`` names the field); only what differs is written, each change journalled."""
    store = bench._store()
    case = store.cases.get(case_id)
    ids = {"customer": (data.get("customer") or {}).get("id"),
           **{f"household[{i}]": p.get("id") for i, p in enumerate(data.get("household") or [])}}

    def strip(person: Any) -> Any:
        return {k: v for k, v in person.items() if k != "id"} if isinstance(person, Mapping) else person

    checked = {k: v for k, v in data.items() if k in ("channel", "referrer", "referrer_contact", "reason",
                                                       "contact_preference", "advocate", "council", "address")}
    checked.update({"received": case["enquiry_on"] or today, "customer": strip(data.get("customer")),
                    "household": [strip(p) for p in data.get("household") or []]})
    checked.setdefault("channel", case.get("channel") or "telephone")
    checked.setdefault("reason", case.get("reason") or "(not recorded)")
    enquiry = read_enquiry(checked, max(today, case["enquiry_on"] or today))
    facts = read_property(data.get("property"), _tenures())
    people = {p["id"]: p for p in store.people.for_case(case_id)}
    with store.transaction():
        changes = {"channel": enquiry.channel, "referrer": enquiry.referrer,
                   "referrer_contact": enquiry.referrer_contact, "reason": enquiry.reason,
                   "contact_preference": enquiry.contact_preference, "advocate": enquiry.advocate}
        if enquiry.council != case["council"]:
            changes["council"] = enquiry.council
        store.cases.update(case_id, changes)
        wanted = [("customer", enquiry.customer, True)] + [
            (f"household[{i}]", p, False) for i, p in enumerate(enquiry.household)]
        kept = set()
        for key, person, is_applicant in wanted:
            values = {"given_name": person.given_name, "family_name": person.family_name,
                      "date_of_birth": person.date_of_birth, "phone": person.phone, "email": person.email,
                      "ni_number": person.ni_number, "is_disabled_person": person.disabled,
                      "is_applicant": is_applicant}
            if not is_applicant:
                values["relationship"] = person.relationship
            row_id = ids.get(key)
            if row_id and row_id in people:
                current = people[row_id]
                diff = {k: v for k, v in values.items() if current.get(k) != v}
                if diff:
                    store.people.update(row_id, diff)
                kept.add(row_id)
            else:
                kept.add(store.people.insert({"case_id": case_id, **values}))
        for row_id in set(people) - kept:
            store.people.delete(row_id)
        prop = store.properties.for_case_one(case_id)
        address = {"address_line1": enquiry.address_line1, "address_line2": enquiry.address_line2,
                   "town": enquiry.town, "postcode": enquiry.postcode, **facts}
        if prop is None:
            store.properties.insert({"case_id": case_id, **address})
        else:
            diff = {k: v for k, v in address.items() if prop.get(k) != v}
            if diff:
                store.properties.update(prop["id"], diff)
    return {"council": enquiry.council, "notes": list(enquiry.notes)}


# --- allocation (5.5) and the waiting lists (9.1 to 9.3) ---------------------------------------------


def _area(council: str) -> str:
    from heart_desktop.domain.policy import policy_set

    found = policy_set().councils.get(council)
    return found.area if found else ""


def _team(row: Mapping[str, Any], on: date) -> str:
    lists = process(on)
    specialist = queues.is_specialist(row.get("allocated_role"), row.get("assistance_types") or [],
                                      lists.specialist_role, lists.specialist_assistance)
    return queues.SPECIALIST if specialist else queues.MAIN


def _waiting(row: Mapping[str, Any]) -> queues.Waiting:
    return queues.Waiting(str(row["id"]), str(row["reference"]), row.get("enquiry_on"), bool(row.get("urgent")),
                          bool(row.get("priority_reason")), "vulnerable" in (row.get("priority_flags") or []),
                          row.get("suspended"))


def waiting_list(bench: Workbench, queue: str, *, today: date, team: str = queues.MAIN, area: str | None = None,
                 resources_short: bool = False) -> list[dict[str, Any]]:
    """The cases waiting in ``queue`` (``allocation`` or a stage key), in the order they are to be
    taken, for one team (main or the specialist HIOs) and optionally one duty desk area."""
    from heart_desktop.store.casework import open_at_stage

    stage = queues.stage_before(queue)
    rows = open_at_stage(bench._store(), stage, unallocated=True if queue == queues.ALLOCATION else None)
    rows = [r for r in rows if _team(r, today) == team and (area is None or _area(r["council"]) == area)]
    by_id = {r["id"]: r for r in rows}
    places = queues.order([_waiting(r) for r in rows], resources_short)
    return [{**by_id[p.case.case_id], "position": p.position, "why": p.why,
             "waiting_days": (today - p.case.enquiry_on).days if p.case.enquiry_on else None} for p in places]


def queue_of(case: Mapping[str, Any]) -> str | None:
    """The queue a case waits in now (None once closed or signed off)."""
    if case.get("outcome"):
        return None
    if not case.get("assigned_officer") and (case.get("stage") or "enquiry") == "enquiry":
        return queues.ALLOCATION
    index = STAGE_KEYS.index(case.get("stage") or "enquiry")
    return STAGE_KEYS[index + 1] if index + 1 < len(STAGE_KEYS) else None


def place_in_queue(bench: Workbench, case_id: str, *, today: date) -> dict[str, Any] | None:
    """Where the case stands in its queue: ``{"queue", "label", "position", "of", "ahead", "ahead_ids", "why"}``
    (``ahead``: the references of the cases waiting before it, not suspended; ``ahead_ids`` their ids)."""
    store = bench._store()
    case = store.cases.get(case_id)
    queue = queue_of(case)
    if queue is None:
        return None
    listed = waiting_list(bench, queue, today=today, team=_team(case, today), area=_area(case["council"]))
    mine = next((r for r in listed if r["id"] == case_id), None)
    if mine is None:
        return None
    ahead = [r for r in listed if r["position"] < mine["position"] and not r.get("suspended")]
    return {"queue": queue, "label": queues.QUEUE_LABELS[queue], "position": mine["position"], "of": len(listed),
            "ahead": [r["reference"] for r in ahead], "ahead_ids": [r["id"] for r in ahead], "why": mine["why"]}


def allocate(bench: Workbench, case_id: str, officer: str, role: str, *, today: date,
             reason: str | None = None) -> dict[str, Any]:
    """Allocate (or re-allocate, with a reason) a case to an HAO, OT or Home Improvement Officer
    (5.5); a first allocation takes the cases in queue order unless this one has a 9.3 sanction."""
    bench.require("allocate")
    officer = _required(officer, "allocated_to", "name the officer the case is allocated to")
    role = _listed(role, "allocation_roles", "allocated_role", today)
    store = bench._store()
    case = store.cases.get(case_id)
    if case.get("outcome"):
        raise CaseworkError("the case is closed: it cannot be allocated")
    before = case.get("allocated_to") or case.get("assigned_officer")
    if before and before != officer:
        reason = _required(reason, "reason", "say why the case is re-allocated")
    if not before:
        _in_queue_order(bench, case, queues.ALLOCATION, today)
    with store.transaction():
        store.cases.update(case_id, {"allocated_to": officer, "allocated_role": role, "assigned_officer": officer})
        label = process(today).label("allocation_roles", role)
        text = (f"Re-allocated from {before} to {officer} ({label}): {reason}" if before and before != officer
                else f"Allocated to {officer} ({label})")
        store.notes.add(case_id, text)
        store.audit.append("change", case_id=case_id, entity="case", entity_id=case_id,
                           detail={"allocated_to": officer, "allocated_role": role})
    return store.cases.get(case_id)


def sanction_out_of_order(bench: Workbench, case_id: str, justification: str, *, today: date) -> dict[str, Any]:
    """Take a case out of chronological order (9.3): only the Head of Service, the HEART Team Manager
    or a team leader may, with a written justification, kept on the case for anyone who opens it."""
    bench.require("sanction_out_of_order")
    text = _required(justification, "priority_reason", "write the justification for taking the case out of order")
    if len(text) < MIN_JUSTIFICATION:
        raise CaseworkError(f"priority_reason: write the justification in full (at least {MIN_JUSTIFICATION} "
                            "characters): it is kept on file (policy 9.3)", "priority_reason")
    store = bench._store()
    with store.transaction():
        store.cases.update(case_id, {"priority_reason": text, "sanctioned_by": store.officer})
        store.notes.add(case_id, f"Taken out of order, sanctioned by {store.officer} on {today:%d/%m/%Y} "
                                 f"(policy 9.3): {text}")
        store.audit.append("change", case_id=case_id, entity="case", entity_id=case_id,
                           detail={"sanction": "out_of_order"})
    return store.cases.get(case_id)


# --- stage dates from what happened (13.1) -----------------------------------------------------------


def _early_start(bench: Workbench, case_id: str) -> str:
    from heart_desktop.store.case_facts import SCHEDULE_FORM, latest_answers

    return str(latest_answers(bench._store().forms.for_case(case_id), SCHEDULE_FORM).get("early_start_reason") or "")


def record_event(bench: Workbench, case_id: str, event: str, on: date, *, today: date,
                 reason: str | None = None) -> dict[str, date | None]:
    """Something happened on ``on``: its stage takes that date when it has none yet (with who set it
    and why on the timeline). Refuses a date out of order or in the future (``StageOrderError``)."""
    store = bench._store()
    with store.transaction():
        dates = store.stages.get(case_id)
        proposed = event_dates(dates, event, on, today, _early_start(bench, case_id))
        if proposed is None:
            return dates
        stage = EVENT_BY_KEY[event].stage
        merged = store.stages.set_many(case_id, {stage: on}, today=today)
        store.stage_events.record(case_id, stage, on, event, reason)
    return merged


def record_event_quietly(bench: Workbench, case_id: str, event: str, on: date, *, today: date,
                         reason: str | None = None) -> str | None:
    """The same, for events that come from another record (a signed pack, a completed form): a date
    that cannot be set is said in a note, never a reason to refuse the record itself."""
    try:
        record_event(bench, case_id, event, on, today=today, reason=reason)
    except StageOrderError as exc:
        bench._store().notes.add(case_id, f"{EVENT_BY_KEY[event].label} on {on:%d/%m/%Y}: the stage date was not "
                                          f"set ({exc}); correct it on the timeline")
        return str(exc)
    return None


def correct_stage(bench: Workbench, case_id: str, stage: str, on: date | None, reason: str, *,
                  today: date) -> dict[str, date | None]:
    """An officer's correction of a stage date (or its removal), with the reason, on the timeline."""
    reason = _required(reason, "reason", "say why the date is corrected")
    if stage not in STAGE_KEYS:
        raise CaseworkError(f"stage: {stage!r} is not a stage ({', '.join(STAGE_KEYS)})", "stage")
    store = bench._store()
    with store.transaction():
        merged = store.stages.set_many(case_id, {stage: on}, today=today)
        store.stage_events.record(case_id, stage, on, CORRECTED, reason)
    return merged


def timeline(bench: Workbench, case_id: str) -> list[dict[str, Any]]:
    """Each stage with its date and who set it, from what, and why."""
    store = bench._store()
    dates = store.stages.get(case_id)
    latest = store.stage_events.latest(case_id)
    out = []
    for key in STAGE_KEYS:
        event = latest.get(key)
        out.append({"stage": key, "label": STAGE_LABELS[key], "on": dates.get(key),
                    "set_by": event["set_by"] if event else None,
                    "event": event["event"] if event else None, "reason": event["reason"] if event else None})
    return out


def after_form_completed(bench: Workbench, case_id: str, form_id: str, answers: Mapping[str, Any], *,
                         today: date) -> None:
    """A home visit form completed means the visit happened: the visit stage takes its date."""
    key = HOME_FORMS.get(form_id)
    if key is None:
        return
    from heart_desktop.domain.validate import parse_date

    try:
        on = parse_date(str(answers.get(key) or ""))
    except ValueError:
        on = today
    record_event_quietly(bench, case_id, "visit_done", min(on, today), today=today,
                         reason=f"{FORM_TITLES.get(form_id, form_id)} completed")


def after_pack_signed(bench: Workbench, case_id: str, *, today: date) -> None:
    """The signed pack is the application (5.5, 13.1)."""
    record_event_quietly(bench, case_id, "pack_signed", today, today=today, reason="application pack signed")


# --- the diary: visits --------------------------------------------------------------------------------


def _in_queue_order(bench: Workbench, case: Mapping[str, Any], queue: str, today: date) -> None:
    """Taking a case from ``queue`` while cases wait ahead of it needs a 9.3 sanction; a case ahead
    that already has its visit booked has been taken, and does not count."""
    if case.get("priority_reason") or queue_of(case) != queue:
        return
    place = place_in_queue(bench, case["id"], today=today)
    if not place or not place["ahead"]:
        return
    store = bench._store()
    takes = process(today).visit_takes_from_queue
    waiting = [ref for ref, case_id in zip(place["ahead"], place["ahead_ids"], strict=True)
               if not any(v.get("status") == "planned" and v.get("kind") in takes
                          for v in store.visits.for_case(case_id))]
    if waiting:
        raise OutOfOrder(len(waiting), waiting[0])


def book_visit(bench: Workbench, case_id: str, when: datetime, kind: str, *, today: date,
               officer: str | None = None) -> str:
    kind = _listed(kind, "visit_kinds", "kind", today)
    if when.date() < today:
        raise CaseworkError(f"scheduled_for: {when:%d/%m/%Y} is in the past: book a visit from today on",
                            "scheduled_for")
    store = bench._store()
    case = store.cases.get(case_id)
    if case.get("outcome"):
        raise CaseworkError("the case is closed: no visits can be booked")
    if kind in process(today).visit_takes_from_queue:
        _in_queue_order(bench, case, "visit", today)
    who = (officer or "").strip() or case.get("allocated_to") or case.get("assigned_officer") or store.officer
    return str(store.visits.insert({"case_id": case_id, "scheduled_for": _stamp(when), "kind": kind,
                                    "status": "planned", "officer": who}))


def _planned(bench: Workbench, visit_id: str) -> dict[str, Any]:
    visit = bench._store().visits.get(visit_id)
    if visit.get("status") != "planned":
        raise CaseworkError(f"the visit already has its outcome ({visit.get('outcome') or visit.get('status')})")
    return visit


def move_visit(bench: Workbench, visit_id: str, when: datetime, reason: str, *, today: date) -> None:
    reason = _required(reason, "moved_reason", "say why the visit is moved")
    visit = _planned(bench, visit_id)
    if when.date() < today:
        raise CaseworkError(f"scheduled_for: {when:%d/%m/%Y} is in the past", "scheduled_for")
    store = bench._store()
    with store.transaction():
        store.visits.update(visit_id, {"scheduled_for": _stamp(when), "moved_reason": reason})
        store.notes.add(visit["case_id"], f"Visit of {visit['scheduled_for'][:16].replace('T', ' ')} moved to "
                                          f"{_stamp(when).replace('T', ' ')}: {reason}")


def visit_outcome(bench: Workbench, visit_id: str, outcome: str, *, today: date, note: str | None = None) -> None:
    """Done, no access or cancelled by the customer. A done visit sets its stage's date (a home visit
    the face-to-face assessment, a contractor's the contractor visit) and is logged as a contact."""
    outcome = _listed(outcome, "visit_outcomes", "outcome", today)
    visit = _planned(bench, visit_id)
    on = date.fromisoformat(str(visit["scheduled_for"])[:10])
    if outcome != "cancelled_by_customer" and on > today:
        raise CaseworkError(f"outcome: the visit is booked for {on:%d/%m/%Y}: its outcome is known on the day",
                            "outcome")
    store = bench._store()
    case_id = visit["case_id"]
    with store.transaction():
        store.visits.update(visit_id, {"outcome": outcome, "status": VISIT_STATUS[outcome]})
        words = process(today).label("visit_outcomes", outcome)
        kind = process(today).label("visit_kinds", visit.get("kind"))
        summary = f"{kind}: {words.lower()}" + (f". {note.strip()}" if note and note.strip() else "")
        if outcome != "cancelled_by_customer":
            store.contacts.add(case_id, {"at": str(visit["scheduled_for"])[:16], "kind": "visit", "direction": "out",
                                         "who": store.cases.get(case_id).get("customer"), "summary": summary})
        else:
            store.notes.add(case_id, summary)
        event = VISIT_EVENT.get(str(visit.get("kind") or "assessment"))
        if outcome == "done" and event:
            record_event(bench, case_id, event, on, today=today, reason=f"{kind} done")


# --- the contact log ---------------------------------------------------------------------------------


def log_contact(bench: Workbench, case_id: str, *, at: datetime, kind: str, direction: str, who: str | None,
                summary: str, today: date, follow_up_on: date | None = None,
                telephone_assessment: bool = False) -> str:
    kind = _listed(kind, "contact_kinds", "kind", today)
    direction = _listed(direction, "contact_directions", "direction", today)
    summary = _required(summary, "summary", "say what was said or sent")
    if at.date() > today:
        raise CaseworkError(f"at: {at:%d/%m/%Y} is in the future: log a contact once it has happened", "at")
    if follow_up_on is not None and follow_up_on < at.date():
        raise CaseworkError(f"follow_up_on: {follow_up_on:%d/%m/%Y} is before the contact itself", "follow_up_on")
    if telephone_assessment and kind != "call":
        raise CaseworkError("kind: a telephone assessment is a call", "kind")
    store = bench._store()
    with store.transaction():
        contact = store.contacts.add(case_id, {"at": _stamp(at), "kind": kind, "direction": direction,
                                               "who": (who or "").strip() or None, "summary": summary,
                                               "follow_up_on": follow_up_on})
        if telephone_assessment:
            record_event(bench, case_id, "telephone_assessment_done", at.date(), today=today,
                         reason="telephone assessment call logged")
    return str(contact)


def follow_up_done(bench: Workbench, contact_id: str, *, today: date) -> None:
    bench._store().contacts.update(contact_id, {"followed_up_on": today})


# --- the application's decision, outcomes and clocks -------------------------------------------------


def decide_application(bench: Workbench, case_id: str, outcome: str, on: date, reason: str, *, today: date,
                       amount_pence: int | None = None, ddfa_loan_pence: int | None = None) -> None:
    """Approval (a team leader's, 5.5, 5.6) sets the approval date and starts the 12-month completion
    clock; a refusal determines the application too (the 6-month clock stops, 13.1) and closes the
    case with the outcome ``refused``. An approval with ``ddfa_loan_pence`` also records the DDFA
    0% loan (4.2) as a decision of kind ``ddfa_loan``: the office keeps the case while that charge
    is registered (central/retention.py)."""
    if outcome not in ("approved", "refused"):
        raise CaseworkError(f"outcome: {outcome!r} is not approved or refused", "outcome")
    if ddfa_loan_pence is not None and (outcome != "approved" or ddfa_loan_pence <= 0):
        raise CaseworkError("ddfa_loan_pence: a DDFA loan is an amount above 0 on an approval; leave it out "
                            "otherwise", "ddfa_loan_pence")
    bench.require("approve" if outcome == "approved" else "decide")
    reason = _required(reason, "reason", "give the reasons for the decision (they go in the letter)")
    if on > today:
        raise CaseworkError(f"decided_on: {on:%d/%m/%Y} is in the future", "decided_on")
    store = bench._store()
    dates = store.stages.get(case_id)
    if not dates.get("application"):
        raise CaseworkError("there is no application to decide yet: the signed pack is the application")
    with store.transaction():
        store.decisions.insert({"case_id": case_id, "kind": "application", "outcome": outcome,
                                "amount_pence": amount_pence, "reasons": [reason], "decided_by": store.officer,
                                "decided_on": on, "policy_version": bench.policy_version()})
        if ddfa_loan_pence:
            store.decisions.insert({"case_id": case_id, "kind": "ddfa_loan", "outcome": "approved",
                                    "amount_pence": ddfa_loan_pence, "reasons": [reason],
                                    "decided_by": store.officer, "decided_on": on,
                                    "policy_version": bench.policy_version()})
        if outcome == "approved":
            record_event(bench, case_id, "approved", on, today=today, reason=reason)
        else:
            close_case(bench, case_id, "refused", on, reason, today=today)


def close_case(bench: Workbench, case_id: str, outcome: str, on: date, reason: str, *,
               today: date) -> dict[str, Any]:
    """Close the case with its outcome, date and reason; a case closed without the works delivered
    is a drop-out (KPI 20)."""
    bench.require("close_case")
    lists = process(today)
    outcome = _listed(outcome, "outcomes", "outcome", today)
    reason = _required(reason, "reason", "say why the case closes")
    store = bench._store()
    case = store.cases.get(case_id)
    if case.get("outcome"):
        raise CaseworkError(f"the case is already closed ({lists.label('outcomes', case['outcome'])})")
    if on > today:
        raise CaseworkError(f"outcome_on: {on:%d/%m/%Y} is in the future", "outcome_on")
    dates = store.stages.get(case_id)
    last = max((d for d in dates.values() if d), default=None)
    if last and on < last:
        raise CaseworkError(f"outcome_on: {on:%d/%m/%Y} is before the case's latest stage date "
                            f"({last:%d/%m/%Y})", "outcome_on")
    if lists.outcomes[outcome].delivered and not dates.get("works_complete"):
        raise CaseworkError("outcome: a case closes as completed once the works are certified complete; record "
                            "that first", "outcome")
    with store.transaction():
        store.cases.update(case_id, {"outcome": outcome, "outcome_on": on, "outcome_reason": reason,
                                     "suspended": None, "suspended_on": None})
        store.notes.add(case_id, f"Closed on {on:%d/%m/%Y}: {lists.label('outcomes', outcome)}. {reason}")
        store.audit.append("change", case_id=case_id, entity="case", entity_id=case_id, detail={"outcome": outcome})
    return store.cases.get(case_id)


def suspend(bench: Workbench, case_id: str, kind: str, reason: str, *, today: date) -> str:
    """Suspend pending local funds (9.1) or pending the customer; returns what it does to the clocks."""
    lists = process(today)
    kind = _listed(kind, "suspensions", "suspended", today)
    reason = _required(reason, "reason", "say what the case waits for")
    store = bench._store()
    case = store.cases.get(case_id)
    if case.get("outcome"):
        raise CaseworkError("the case is closed: it cannot be suspended")
    effect = lists.suspensions[kind].clock_effect
    with store.transaction():
        store.cases.update(case_id, {"suspended": kind, "suspended_on": today})
        store.notes.add(case_id, f"Suspended {lists.suspensions[kind].label.lower()} "
                                 f"(policy {lists.suspensions[kind].section}): {reason}. {effect}")
    return effect


def resume(bench: Workbench, case_id: str, *, today: date) -> None:
    store = bench._store()
    case = store.cases.get(case_id)
    if not case.get("suspended"):
        raise CaseworkError("the case is not suspended")
    since = case.get("suspended_on")
    with store.transaction():
        store.cases.update(case_id, {"suspended": None, "suspended_on": None})
        days = f" after {(today - since).days} days" if since else ""
        store.notes.add(case_id, f"Resumed{days}")


def extend_completion(bench: Workbench, case_id: str, to: date, reason: str, *, today: date) -> None:
    """Extend the 12-month completion period (13.2) to a new date, with the reason."""
    from heart_desktop.domain.policy import policy_for

    bench.require("extend_completion")
    reason = _required(reason, "extension_reason", "give the valid reason agreed for the extension (13.2)")
    store = bench._store()
    case = store.cases.get(case_id)
    dates = store.stages.get(case_id)
    if not dates.get("approval"):
        raise CaseworkError("the completion period runs from approval: there is no approval yet")
    if dates.get("works_complete"):
        raise CaseworkError("the works are already certified complete")
    due = case.get("extension_to") or completion_due(dates, policy_for(case["council"], dates["approval"]))
    if due is not None and to <= due:
        raise CaseworkError(f"extension_to: {to:%d/%m/%Y} is not after the present completion date "
                            f"({due:%d/%m/%Y})", "extension_to")
    with store.transaction():
        store.cases.update(case_id, {"extension_to": to, "extension_reason": reason})
        store.notes.add(case_id, f"Completion period extended to {to:%d/%m/%Y} (policy 13.2): {reason}")


def clocks(detail: Mapping[str, Any], applied_for: str = "DFG") -> list[Any]:
    """The case's statutory clocks: a refusal stops the determination clock; an extension moves the
    completion date."""
    from heart_desktop.domain.casework import statutory_clocks
    from heart_desktop.domain.policy import policy_for

    case = detail["case"]
    dates = detail.get("stage_dates") or {}
    on = dates.get("application") or case.get("enquiry_on") or date(2017, 6, 30)
    refused = case.get("outcome_on") if case.get("outcome") == "refused" else None
    return statutory_clocks(dates, policy_for(case["council"], on), applied_for, refused_on=refused,
                            extension_to=case.get("extension_to"))


# --- the officer's day -------------------------------------------------------------------------------


def today_view(bench: Workbench, day: date, officer: str | None = None) -> dict[str, Any]:
    """The officer's visits on ``day`` (address, phone, what is still to do on each case) and the
    follow-ups due by then."""
    from heart_desktop.store.casework import follow_ups_due, form_states, visits_on

    store = bench._store()
    me = officer or store.officer
    visits = [v for v in visits_on(store, day, me) if not v.get("outcome")]
    follow = follow_ups_due(store, day, me)
    due: dict[str, int] = {}
    for item in follow:
        due[item["case_id"]] = due.get(item["case_id"], 0) + 1
    for visit in visits:
        unfinished = [FORM_TITLES.get(f, f.replace("_", " ")) for f, status in form_states(store, visit["case_id"])
                      if status == "draft"]
        visit["to_do"] = still_to_do(visit["stage"], visit.get("outcome"), visit.get("suspended"), unfinished,
                                     due.get(visit["case_id"], 0))
    return {"day": day, "officer": me, "visits": visits, "follow_ups": follow}


def case_header(bench: Workbench, case_id: str, *, today: date) -> dict[str, Any]:
    """What the case's header says beside its name: allocation, queue place, sanction, suspension,
    outcome and whether the office has confirmed the reference."""
    store = bench._store()
    case = store.cases.get(case_id)
    lists = process(today)
    return {
        "allocated": (f"{case['allocated_to'] or case['assigned_officer']} "
                      f"({lists.label('allocation_roles', case.get('allocated_role'))})"
                      if case.get("allocated_role") else case.get("assigned_officer")),
        "queue": place_in_queue(bench, case_id, today=today),
        "sanction": (f"Taken out of order, sanctioned by {case.get('sanctioned_by') or 'a team leader'} "
                     f"(policy 9.3): {case['priority_reason']}") if case.get("priority_reason") else None,
        "suspended": (f"Suspended: {lists.suspensions[case['suspended']].label.lower()} since "
                      f"{case['suspended_on']:%d/%m/%Y}. {lists.suspensions[case['suspended']].clock_effect}"
                      if case.get("suspended") in lists.suspensions and case.get("suspended_on")
                      else None),
        "outcome": (f"Closed on {case['outcome_on']:%d/%m/%Y}: {lists.label('outcomes', case['outcome'])}. "
                    f"{case.get('outcome_reason') or ''}".strip()) if case.get("outcome") else None,
        "drop_out": bool(case.get("outcome")) and not lists.outcomes[case["outcome"]].delivered
        if case.get("outcome") in lists.outcomes else False,
        "reference_confirmed": store.cases.reference_confirmed(case_id) or not _enrolled(bench),
        "stage": current_stage(store.stages.get(case_id)),
    }


def _enrolled(bench: Workbench) -> bool:
    from heart_desktop.store.sync_state import read_state

    return bool(read_state(bench._store()).get("token"))


def case_json(store: Any, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``heart-desktop cases --json``: each case with its stage dates, outcome, allocation, urgency and
    the out-of-order sanction's justification."""
    out = []
    for row in rows:
        case = store.cases.get(row["id"])
        out.append({
            "reference": row["reference"], "customer": row.get("customer"), "postcode": row.get("postcode"),
            "council": row["council"], "stage": row["stage"], "urgent": bool(row.get("urgent")),
            "officer": row.get("officer"), "next_visit": row.get("next_visit"), "address": row.get("address"),
            "stage_dates": {k: case[f"{k}_on"].isoformat() for k in STAGE_KEYS if case.get(f"{k}_on")},
            "outcome": case.get("outcome"),
            "outcome_on": case["outcome_on"].isoformat() if case.get("outcome_on") else None,
            "allocated_to": case.get("allocated_to") or case.get("assigned_officer"),
            "allocated_role": case.get("allocated_role"), "priority_reason": case.get("priority_reason"),
            "suspended": case.get("suspended"),
        })
    return out


__all__ = ["CaseworkError", "ImportRefused", "IntakeError", "LikelyDuplicate", "OutOfOrder", "check_stage_dates"]
