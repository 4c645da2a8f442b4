"""A person's rights at the office (UK GDPR Arts 15, 17, 18): subject access, erasure, restriction.

- ``find`` looks a name up across every case the office holds, as the customer (the applicant),
  a household member, the advocate or the referrer; ``ambiguous`` says when the matches may be
  more than one person (different dates of birth, or a name with no date of birth beside one
  with), so the verb asks for the date of birth instead of exporting someone else's data.
- ``gather`` collects what is held: for a case where the person is the customer, every row of
  the case (case, household, property, visits, forms, hazards, works, notes, contacts,
  decisions, letters and packs, photos, stage events, interventions, feedback, surveys), the
  files of its photos and documents the office holds, and the case's audit trail; where they are
  someone else in the case, the rows that name them (the case row, their household row, and the
  notes, contacts and forms that mention them), so the export is theirs and not the customer's.
- ``erase`` erases a case through retention's own machinery (``central/retention.erase_case``: every
  row and file only it names, a removal for its laptops, ``erased_cases``, measures facts kept
  without the reference), unless a statutory record must be kept (``domain/retention.erasure_refusal``).
- ``restrict`` marks a case so laptops cannot change it (``central/push.RESTRICTED_CASE``) and the
  office's exports say so; ``lift`` ends it.

Each is recorded in the office's own audit chain (``central/audit.record``).
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heart_desktop.central import audit, retention
from heart_desktop.domain.retention import erasure_refusal, statutory_stage

if TYPE_CHECKING:
    from heart_desktop.central.db import CentralDatabase, Transaction
    from heart_desktop.central.service import Device

ROLES = ("customer", "household member", "advocate", "referrer")
# what the index shows of each kind of row, in this order, with a heading
SECTIONS = (("case", "The case"), ("person", "Household"), ("property", "Property"), ("visit", "Visits"),
            ("form_submission", "Forms"), ("hazard_rating", "Hazard ratings"), ("works_item", "Works"),
            ("note", "Notes"), ("contact", "Contacts"), ("decision", "Decisions"),
            ("document", "Letters and packs"), ("attachment", "Photos and signatures"),
            ("stage_event", "Stage events"), ("intervention", "Interventions"), ("feedback", "Feedback"),
            ("survey", "Surveys"), ("appeal", "Appeals"), ("conflict", "Sync conflicts"))
NAMING = ("note", "contact", "form_submission", "appeal")  # rows that may mention someone who is not the customer
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf", "image/webp": "webp"}


class PrivacyRefused(Exception):
    """A request the office will not carry out as asked; the message says why and what to do."""


class Ambiguous(PrivacyRefused):
    """The name may be more than one person; ``count`` is how many records hold it (the route gives
    only the count, the verb for IT lists them)."""

    def __init__(self, message: str, count: int) -> None:
        super().__init__(message)
        self.count = count


@dataclass(frozen=True)
class Match:
    case_id: str
    reference: str | None
    role: str
    name: str
    date_of_birth: str | None
    row: tuple[str, str]  # (entity, id) of the row that names them

    def as_json(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "reference": self.reference, "role": self.role, "name": self.name,
                "date_of_birth": self.date_of_birth}


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def find(db: CentralDatabase, name: str, councils: frozenset[str] | None = None) -> list[Match]:
    """Every place a name appears as a person in a case (of ``councils``, if given: a manager
    sees only the councils they cover), in reference order."""
    wanted = _norm(name)
    if not wanted:
        raise PrivacyRefused("give the person's name (--name)")
    found: list[Match] = []
    with db.transaction() as tx:
        cases = {str(i): json.loads(f) for i, c, f in tx.all("SELECT id, council, fields FROM records "
                                                              "WHERE entity = 'case'")
                 if councils is None or c in councils}
        for row_id, case_id, fields in tx.all("SELECT id, case_id, fields FROM records WHERE entity = 'person'"):
            person = json.loads(fields)
            full = f"{person.get('given_name') or ''} {person.get('family_name') or ''}"
            if _norm(full) == wanted and str(case_id) in cases:
                role = "customer" if person.get("is_applicant") else "household member"
                found.append(Match(str(case_id), cases[str(case_id)].get("reference"), role, full.strip(),
                                   person.get("date_of_birth"), ("person", str(row_id))))
    for case_id, case in cases.items():
        for role, field in (("advocate", "advocate"), ("referrer", "referrer")):
            if isinstance(case.get(field), str) and _norm(case[field]) == wanted:
                found.append(Match(case_id, case.get("reference"), role, case[field].strip(), None, ("case", case_id)))
    return sorted(found, key=lambda m: (m.reference or "", ROLES.index(m.role)))


def choose(matches: list[Match], date_of_birth: str | None) -> tuple[list[Match], list[Match]]:
    """(the matches to export, the ones left out) for a date of birth; raises PrivacyRefused when,
    without one, the matches may be more than one person."""
    if date_of_birth is None:
        people = {m.date_of_birth for m in matches}
        if len(people) > 1:
            lines = "; ".join(f"{m.reference}: {m.role}, born {m.date_of_birth or 'not recorded'}" for m in matches)
            raise Ambiguous(f"{len(matches)} records of that name may be more than one person ({lines}): "
                                 "give --date-of-birth YYYY-MM-DD to say which, so that no one else's data is "
                                 "exported", len(matches))
        return matches, []
    chosen = [m for m in matches if m.date_of_birth == date_of_birth]
    return chosen, [m for m in matches if m.date_of_birth != date_of_birth]


def _case_rows(tx: Transaction, case_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    rows = tx.all("SELECT entity, id, fields FROM records WHERE (entity = 'case' AND id = ?) OR "
                  "(entity != 'case' AND case_id = ?) ORDER BY entity, id", (case_id, case_id))
    return [(str(e), str(i), json.loads(f)) for e, i, f in rows]


def _mentions(fields: dict[str, Any], name: str) -> bool:
    return _norm(name) in _norm(json.dumps(fields, ensure_ascii=False))


def gather(db: CentralDatabase, matches: list[Match]) -> dict[str, Any]:
    """What the office holds about the person in these matches (``data.json``'s ``cases``)."""
    by_case: dict[str, list[Match]] = {}
    for match in matches:
        by_case.setdefault(match.case_id, []).append(match)
    cases = []
    with db.transaction() as tx:
        restricted = {str(r[0]): (str(r[1]), str(r[2])) for r in tx.all_in(
            "SELECT case_id, reason, restricted_at FROM restricted_cases WHERE case_id {values}", sorted(by_case))}
        for case_id, mine in sorted(by_case.items(), key=lambda item: item[1][0].reference or ""):
            rows = _case_rows(tx, case_id)
            roles = sorted({m.role for m in mine}, key=ROLES.index)
            if "customer" not in roles:  # only what names them, not the customer's file
                names = {m.name for m in mine}
                own = {m.row for m in mine}
                rows = [r for r in rows if r[0] == "case" or (r[0], r[1]) in own
                        or (r[0] in NAMING and any(_mentions(r[2], n) for n in names))]
            records: dict[str, list[dict[str, Any]]] = {}
            for entity, row_id, fields in rows:
                records.setdefault(entity, []).append({"id": row_id, **fields})
            files = []
            for entity in ("document", "attachment"):
                for record in records.get(entity, []):
                    sha = record.get("sha256")
                    if not isinstance(sha, str):
                        continue
                    held = tx.one("SELECT 1 FROM files WHERE sha256 = ? AND complete = 1", (sha,)) is not None
                    ext = "pdf" if entity == "document" else EXTENSIONS.get(str(record.get("mime")), "bin")
                    files.append({"entity": entity, "id": record["id"], "sha256": sha,
                                  "title": record.get("title") or record.get("caption") or record.get("filename"),
                                  "path": f"files/{sha}.{ext}" if held else None, "held": held})
            reason = restricted.get(case_id)
            cases.append({"case_id": case_id, "reference": mine[0].reference, "roles": roles,
                          "restricted": {"reason": reason[0], "since": reason[1]} if reason else None,
                          "records": records, "files": files})
    trail = audit.entries(db, case_ids=sorted(by_case))
    for case in cases:
        mine = [e for e in trail if e["case_id"] == case["case_id"]]
        if "customer" not in case["roles"]:  # who looked, and when; the reasons may be about the customer
            mine = [{k: e[k] for k in ("at", "officer", "device_id", "action", "reference")} for e in mine]
        case["audit"] = mine
    return {"cases": cases}


def _file_bytes(db: CentralDatabase, sha: str) -> bytes:
    with db.transaction() as tx:
        row = tx.one("SELECT data FROM files WHERE sha256 = ? AND complete = 1", (sha,))
    return bytes(row[0])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return html.escape(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return html.escape(str(value))


def _table(caption: str, rows: list[dict[str, Any]], columns: Iterable[str] | None = None) -> str:
    names = list(columns) if columns is not None else sorted({k for r in rows for k in r if k != "id"})
    head = "".join(f'<th scope="col">{html.escape(n.replace("_", " ").capitalize())}</th>' for n in names)
    body = "".join("<tr>" + "".join(f"<td>{_cell(r.get(n))}</td>" for n in names) + "</tr>" for r in rows)
    return (f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


HIDDEN = frozenset({"id", "case_id", "deleted"})  # the office's bookkeeping, in data.json only


def _flag(name: str, value: Any) -> Any:
    """A yes/no field in words (the store keeps 1 and 0)."""
    if (name.startswith("is_") or name in ("urgent", "signed", "upheld", "large_print")) and value in (0, 1):
        return "Yes" if value else "No"
    return value


def _record_table(caption: str, record: dict[str, Any]) -> str:
    """One record as a two-column table (what, and what is held), its empty fields left out: a
    person reads down it; a wide table of every field would run off the page."""
    rows = "".join(f'<tr><th scope="row">{html.escape(name.replace("_", " ").capitalize())}</th>'
                   f"<td>{_cell(_flag(name, value))}</td></tr>" for name, value in sorted(record.items())
                   if name not in HIDDEN and value not in (None, "", [], {}))
    return f"<table><caption>{html.escape(caption)}</caption><tbody>{rows}</tbody></table>"


def index_html(request: dict[str, Any], cases: list[dict[str, Any]]) -> str:
    """The readable index: headings per case and per kind of record, tables with header cells. It
    says nothing of records of the same name left out (they are someone else's: IT sees them in
    the verb's summary, never the person)."""
    who = html.escape(request.get("matched_name") or request["name"])
    parts = [f"<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Subject access: {who}"
             "</title><style>body{font-family:sans-serif;max-width:70em;margin:1em auto}table{border-collapse:"
             "collapse;margin:0 0 1em;max-width:100%}td{overflow-wrap:anywhere}"
             "th,td{border:1px solid #555;padding:.25em .5em;text-align:left;vertical-align:top}"
             "caption{text-align:left;font-weight:bold}</style></head><body><main>",
             f"<h1>Information held about {who}</h1>",
             f"<p>Date of birth given: {html.escape(request.get('date_of_birth') or 'not given')}. Made "
             f"{html.escape(request['made_at'])} by {html.escape(request['by'])}. {len(cases)} "
             f"case{'s' if len(cases) != 1 else ''}. The same data, machine-readable, is in data.json; the files "
             "listed are in the files folder.</p>"]
    if not cases:
        parts.append("<p>The office holds no case naming this person.</p>")
    for case in cases:
        ref = html.escape(case["reference"] or case["case_id"])
        parts.append(f"<section><h2>Case {ref}</h2><p>Named as: {html.escape(', '.join(case['roles']))}.</p>")
        if case["restricted"]:
            parts.append(f"<p><strong>Restricted</strong> since {html.escape(case['restricted']['since'])}: "
                         f"{html.escape(case['restricted']['reason'])}</p>")
        known = {entity for entity, _heading in SECTIONS}
        extra = [(e, e.replace("_", " ").capitalize()) for e in sorted(case["records"]) if e not in known]
        for entity, heading in (*SECTIONS, *extra):  # a kind of record added later still shows
            rows = case["records"].get(entity)
            if rows:
                parts.append(f"<h3>{heading}</h3>")
                parts += [_record_table(f"{heading}, case {case['reference']}: {i} of {len(rows)}", row)
                          for i, row in enumerate(rows, 1)]
        if case["files"]:
            rows = [{"file": f["path"] or "not held at the office (on the laptop only)", "title": f["title"],
                     "kind": f["entity"], "sha256": f["sha256"]} for f in case["files"]]
            parts.append("<h3>Files</h3>" + _table(f"Files, case {case['reference']}", rows,
                                                   ("file", "title", "kind", "sha256")))
        parts.append("<h3>Who looked at or changed the case</h3>")
        parts.append(_table(f"Audit trail, case {case['reference']}", case["audit"],
                            ("at", "officer", "device_id", "action", "reason")
                            if "customer" in case["roles"] else ("at", "officer", "device_id", "action"))
                     if case["audit"]
                     else "<p>No audit entries are held for this case.</p>")
        parts.append("</section>")
    parts.append("</main></body></html>\n")
    return "".join(parts)


def subject_access(db: CentralDatabase, name: str, date_of_birth: str | None, out: Path,
                   by: str | None = None) -> dict[str, Any]:
    """Write the ZIP (``index.html``, ``data.json``, ``files/``) and record it in the office audit;
    returns the summary the verb prints."""
    data, summary = export(db, name, date_of_birth, by)
    from heart_desktop.reports.audit import write_private  # the verb's file only: the server never loads it

    write_private(out, data)  # readable by its owner only
    return {"out": str(out), **summary}


def export(db: CentralDatabase, name: str, date_of_birth: str | None, by: str | None = None,
           councils: frozenset[str] | None = None,
           reason: str = "subject access request (UK GDPR Art 15)") -> tuple[bytes, dict[str, Any]]:
    """The ZIP's bytes and its summary (without ``out``), recorded in the office audit with who and
    why; ``councils`` limits it to a manager's councils (the app's route)."""
    matches, left_out = choose(find(db, name, councils), date_of_birth)
    gathered = gather(db, matches)
    by = by or audit.who()
    request = {"name": name, "matched_name": matches[0].name if matches else None, "date_of_birth": date_of_birth,
               "made_at": _now(), "by": by}
    left = [m.as_json() for m in left_out]
    data = {"request": request, "cases": gathered["cases"]}
    buffer = io.BytesIO()
    written: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", index_html(request, gathered["cases"]))
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False, default=str))
        for case in gathered["cases"]:
            for item in case["files"]:
                if item["path"] and item["path"] not in written:
                    archive.writestr(item["path"], _file_bytes(db, item["sha256"]))
                    written.add(item["path"])
    summary_cases = [{"reference": c["reference"], "case_id": c["case_id"], "roles": c["roles"],
                      "restricted": c["restricted"] is not None,
                      "records": {k: len(v) for k, v in sorted(c["records"].items())},
                      "files": sum(1 for f in c["files"] if f["held"]),
                      "files_not_held": sum(1 for f in c["files"] if not f["held"]),
                      "audit_entries": len(c["audit"])} for c in gathered["cases"]]
    with db.transaction(feed=True) as tx:
        seq = audit.record(tx, "subject_access", officer=by, reason=reason,
                           detail={"cases": [c["reference"] for c in gathered["cases"]], "files": len(written),
                                   "date_of_birth_given": date_of_birth is not None})
    return buffer.getvalue(), {"name": name, "date_of_birth": date_of_birth, "cases": summary_cases,
                               "files": len(written), "not_included": left, "audit_seq": seq}


def manager_export(db: CentralDatabase, device: Device, name: str, date_of_birth: str | None,
                   reason: str) -> tuple[bytes, dict[str, Any]]:
    """A manager's request from the app (``POST /subject-access``): managers only, their councils
    only; refusals as ``audit.AuditRefused`` (403 not a manager, 409 may be more than one person,
    with the count and not their data, 404 no one of that name in their councils, 422 no reason)."""
    from heart_desktop.domain.permissions import ACTS, NotPermitted, may

    if not may(device.role, "subject_access"):
        raise audit.AuditRefused(403, "not_permitted", str(NotPermitted(ACTS["subject_access"], device.role)))
    if not reason.strip():
        raise audit.AuditRefused(422, "invalid_request", "reason: give the reason for the request, e.g. its reference")
    try:
        matches, _left = choose(find(db, name, device.councils), date_of_birth)
        if not matches:
            raise audit.AuditRefused(404, "no_person", "no one of that name (and date of birth) is in a case of "
                                     "the councils you cover: check the spelling and the date of birth")
        return export(db, name, date_of_birth, device.officer, device.councils,
                      f"subject access request (UK GDPR Art 15): {reason.strip()}")
    except Ambiguous as exc:
        raise audit.AuditRefused(409, "ambiguous", f"{exc.count} records of that name may be more than one "
                                 "person: give the date of birth to say which") from exc
    except PrivacyRefused as exc:
        raise audit.AuditRefused(422, "invalid_request", str(exc)) from exc


def _case(tx: Transaction, reference: str) -> tuple[str, str, dict[str, Any]]:
    """(case id, council, fields) of the case with this reference at the office."""
    found = tx.one("SELECT case_id FROM case_refs WHERE reference = ?", (reference,))
    row = tx.one("SELECT id, council, fields FROM records WHERE entity = 'case' AND id = ?",
                 (found[0],)) if found else None
    if row is None:
        raise PrivacyRefused(f"there is no case {reference} at the office (check --case; an erased case is gone)")
    return str(row[0]), str(row[1]), json.loads(row[2])


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def erase(db: CentralDatabase, reference: str, reason: str, today: date, by: str | None = None) -> dict[str, Any]:
    """Erase a case at the person's request, or raise PrivacyRefused with why a record is kept."""
    if not reason.strip():
        raise PrivacyRefused("give the reason for the erasure (--reason), e.g. the request's date and reference")
    by = by or audit.who()
    listed = {item["case_id"]: item for item in retention.review(db, today)}
    reasons: dict[str, int] = {}
    with db.transaction(feed=True) as tx:
        case_id, council, fields = _case(tx, reference)
        item = listed[case_id]
        approved = _day(fields.get(f"{statutory_stage(council)}_on"))
        certified = _day(fields.get("signed_off_on") or fields.get("works_complete_on"))
        why = erasure_refusal(council, _day(item["closed_on"]), approved, item["charge"], certified, today,
                              _day(item.get("charge_discharged_on")))
        if why is not None:
            audit.record(tx, "erasure", officer=by, case_id=case_id, entity="case", entity_id=case_id,
                         reason=reason, detail={"reference": reference, "refused": why})
        else:
            tx.execute("DELETE FROM restricted_cases WHERE case_id = ?", (case_id,))
            reasons = retention.erase_case(tx, case_id, council, "erasure_request", today.isoformat(), _now())
            audit.record(tx, "erasure", officer=by, case_id=case_id, entity="case", entity_id=case_id,
                         reason=reason, detail={"erased": True, "audit_reasons": reasons})
    if why is not None:
        raise PrivacyRefused(f"case {reference} cannot be erased: {why}")
    emptied = db.checkpoint()  # SQLite: the log's old page images of the case go too
    return {"reference": reference, "case_id": case_id, "council": council, "erased": True, "reason": reason,
            "today": today.isoformat(), "audit_reasons": reasons, "log_emptied": emptied}


def restrict(db: CentralDatabase, reference: str, reason: str, lift: bool = False,
             by: str | None = None) -> dict[str, Any]:
    """Restrict a case (laptops cannot change it, exports mark it) or lift its restriction."""
    if not reason.strip():
        raise PrivacyRefused("give the reason (--reason), e.g. 'accuracy contested, request of 2026-12-01'")
    by = by or audit.who()
    with db.transaction(feed=True) as tx:
        case_id, _council, _fields = _case(tx, reference)
        held = tx.one("SELECT restricted_at FROM restricted_cases WHERE case_id = ?", (case_id,))
        if lift and held is None:
            raise PrivacyRefused(f"case {reference} is not restricted")
        if not lift and held is not None:
            raise PrivacyRefused(f"case {reference} is already restricted (since {held[0]}); --lift ends it")
        if lift:
            tx.execute("DELETE FROM restricted_cases WHERE case_id = ?", (case_id,))
        else:
            tx.execute("INSERT INTO restricted_cases (case_id, reason, restricted_at, restricted_by) VALUES "
                       "(?, ?, ?, ?)", (case_id, reason, _now(), by))
        audit.record(tx, "restriction", officer=by, case_id=case_id, entity="case", entity_id=case_id,
                     reason=reason, detail={"reference": reference, "lifted": lift})
    return {"reference": reference, "case_id": case_id, "restricted": not lift, "reason": reason}


def restricted_references(db: CentralDatabase) -> list[dict[str, Any]]:
    """Every restricted case, for the exports to mark."""
    with db.transaction() as tx:
        rows = tx.all("SELECT case_id, reason, restricted_at FROM restricted_cases ORDER BY case_id")
        refs = audit.references(tx, [str(r[0]) for r in rows])
    return [{"case_id": r[0], "reference": refs.get(str(r[0])), "reason": r[1], "since": r[2]} for r in rows]
