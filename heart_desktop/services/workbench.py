"""The use cases of the case screens, free of Qt: open a store, read the caseload and a case,
save and complete forms, rate hazards, edit works, record stages, photos and notes, urgency.

``ui.session.Session`` is this with the app's store worker beside it; the headless verbs and the
tests call it directly. The pack, print and conflict use cases are in the modules beside it.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

# The store and the policy are imported when first used (after the unlock page is on screen), so
# they do not delay the first window.
if TYPE_CHECKING:
    from heart_desktop.store import OpenError, Store


class CaseQuery(Protocol):
    """What the caseload asks for: filters, a search, a sort and the day it counts from."""

    search: str
    sort: str
    descending: bool
    today: date

    def filters(self) -> dict[str, Any]: ...


def policy_set() -> Any:
    from heart_desktop.domain.policy import policy_set as loaded

    return loaded()


class OpenFailure(Exception):
    """Why the store did not open, worded for the officer; ``inline`` ones show on the page."""

    def __init__(self, title: str, message: str, inline: bool = False) -> None:
        super().__init__(message)
        self.title, self.inline = title, inline


def explain_open_error(error: OpenError) -> OpenFailure:
    from heart_desktop.store import (
        DamagedDatabaseError,
        NewerSchemaError,
        NotADatabaseError,
        StoreNotFoundError,
        WrongPassphraseError,
    )

    if isinstance(error, WrongPassphraseError):
        return OpenFailure("Wrong passphrase", "That passphrase does not unlock this store. Check Caps Lock "
                           "and try again.", inline=True)
    if isinstance(error, NotADatabaseError):
        return OpenFailure("Not a HEART store", f"{error}\n\nThe file has not been changed. Choose your own "
                           "store file, or ask IT which file is yours.")
    if isinstance(error, DamagedDatabaseError):
        return OpenFailure("The store is damaged", f"{error}\n\nNothing has been changed or overwritten. Ask IT "
                           "to restore your latest backup (heart-desktop restore) and keep this file for them.")
    if isinstance(error, NewerSchemaError):
        return OpenFailure("Store from a newer version", f"{error}")
    if isinstance(error, StoreNotFoundError):
        return OpenFailure("Store not found", f"{error}")
    return OpenFailure("Cannot open the store", str(error))


class Workbench:
    """One officer's hold on one store: every use case of the case screens, for the app, the
    verbs and the tests alike. Methods after ``open`` run on whatever thread owns the store (the
    app's store worker); they return plain dicts and lists. Each write commits through a store
    transaction, which announces what changed on ``store.changes``."""

    def __init__(self, path: Path, officer: str | None = None) -> None:
        self.path = path
        self.officer = officer or _default_officer()
        self.store: Store | None = None
        self.role: str | None = None  # the office's role for this officer, once enrolled
        self.today: Callable[[], date] = date.today  # the day the screens count from (a test gives its own)
        self._salt = os.urandom(16)
        self._check: bytes | None = None

    # --- no store needed -----------------------------------------------------------------------

    def exists(self) -> bool:
        """A store to unlock (not one whose creation was cut short: the officer creates it again)."""
        from heart_desktop.paths import store_exists

        return store_exists(self.path)

    def verify(self, passphrase: str) -> bool:
        """Re-unlock after a lock without touching the disk: compare with a salted hash in memory."""
        import hmac

        return self._check is not None and hmac.compare_digest(self._check, self._hash(passphrase))

    def _hash(self, passphrase: str) -> bytes:
        import hashlib  # not before the unlock window is drawn (OpenSSL is slow to load)

        return hashlib.scrypt(passphrase.encode(), salt=self._salt, n=2**14, r=8, p=1)

    @staticmethod
    def policy_version() -> str:
        return policy_set().version

    @staticmethod
    def councils() -> dict[str, str]:
        return {code: council.name for code, council in policy_set().councils.items()}

    # --- store worker ----------------------------------------------------------------------------

    def open(self, passphrase: str, create: bool = False, officer_name: str = "") -> None:
        """Open (or create) the store; a new store is named for ``officer_name``, the author of what it
        records until the laptop is enrolled."""
        from heart_desktop.store import OpenError, Store

        try:
            self.store = Store.open(self.path, passphrase, officer=self.officer, create=create, check="background")
        except OpenError as exc:
            raise explain_open_error(exc) from exc
        if create and officer_name:
            self.store.name_officer(officer_name)
            self.officer = self.store.officer
        if self.store.check_pending:  # an unclean close: read the whole file while the officer works
            self.store.check_in_background(self.store_checked)
        self._check = self._hash(passphrase)
        self.learn_role()
        self.store.audit.append("unlock", detail={"officer": self.officer})

    def store_checked(self, problem: str | None) -> None:
        """The background check's answer (on its own thread): the app stops using a damaged store."""

    def learn_role(self) -> None:
        """Who the office enrolled this laptop for, and their role (after unlock and enrolment)."""
        from heart_desktop.store.sync_state import read_state

        store = self._store()
        state = read_state(store)
        if state.get("token") and state.get("officer"):
            store.officer = state["officer"]  # enrolled on another connection: write as them from now on
        self.officer = store.officer
        self.role = state.get("role") if state.get("token") else None

    def refusal(self, act: str) -> str | None:
        """Why this officer may not do ``act`` (``domain.permissions``), or None. A laptop not yet
        enrolled has no role: nothing it records leaves it until the office, which checks again,
        takes it."""
        from heart_desktop.domain.permissions import ACTS, NotPermitted, may

        if self.role is None or may(self.role, act):
            return None
        return str(NotPermitted(ACTS[act], self.role))

    def require(self, act: str) -> None:
        from heart_desktop.domain.permissions import ACTS, NotPermitted

        if self.refusal(act) is not None:
            raise NotPermitted(ACTS[act], self.role or "")

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def _store(self) -> Store:
        """The open store (for the use-case modules beside this one)."""
        if self.store is None:
            raise RuntimeError("the store is not open")
        return self.store

    def drafts(self, limit: int = 20) -> list[dict[str, Any]]:
        """This officer's autosaved, unfinished forms, newest first (offered back at start)."""
        return self._store().forms.drafts(officer=self.officer, limit=limit)

    def officers(self) -> list[str]:
        """The officers cases can be allocated to: the office's roster of colleagues (from the last
        sync) and anyone the laptop's cases already name."""
        from heart_desktop.store.sync_state import roster

        store = self._store()
        return sorted({*(o["name"] for o in roster(store)), *store.cases.officers()})

    def holding(self) -> dict[str, Any]:
        """How many cases this laptop holds and why (open, or closed within the laptop window, in
        the officer's councils): the counts, the window and the caseload's sentence."""
        from heart_desktop.domain.retention import holding_sentence, laptop_window_days
        from heart_desktop.store.sync_apply import held_cases

        held = held_cases(self._store())
        window = None
        if held["enrolled"]:  # the office's window, as last pulled, else the retention schedule's
            window = {c: int((held["window_days"] or {}).get(c, laptop_window_days(c))) for c in held["councils"]}
        return {**held, "window_days": window, "text": holding_sentence(held["cases"], held["councils"], window)}

    def count_cases(self, query: CaseQuery) -> int:
        return self._store().cases.count({**query.filters(), "search": query.search})

    def page_cases(self, query: CaseQuery, offset: int, limit: int) -> list[dict[str, Any]]:
        return self._store().cases.page(offset, limit, sort=query.sort, descending=query.descending,
                                        filters={**query.filters(), "search": query.search}, today=query.today)

    def load_case(self, case_id: str) -> dict[str, Any]:
        return self._store().cases.detail(case_id)

    def record_stage(self, case_id: str, stage: str, when: date) -> dict[str, date | None]:
        return self._store().stages.set(case_id, stage, when)

    def save_works(self, case_id: str, items: Sequence[Mapping[str, Any]], *, update_form: bool = True) -> None:
        """Make the stored schedule match the editor's rows (one transaction, journalled). The
        schedule of works form is the same schedule: its draft takes the rows too (``update_form``),
        and a completed one is not changed behind its back (the Works tab is read-only then)."""
        from heart_desktop.domain.works import as_answer_row, item_from_mapping, stored_values

        store = self._store()
        with store.transaction():
            if update_form:
                self._refuse_if_schedule_complete(case_id)
            existing = store.works.for_case(case_id)
            for position, raw in enumerate(items):
                values = {"position": position, **stored_values(item_from_mapping(raw))}
                if position < len(existing):
                    current = existing[position]
                    changed = {k: v for k, v in values.items() if current.get(k) != v}
                    if changed:
                        store.works.update(current["id"], changed)
                else:
                    store.works.insert({"case_id": case_id, **values})
            for row in existing[len(items):]:
                store.works.delete(row["id"])
            draft = self._schedule_form(case_id)
            if update_form and draft is not None and draft["status"] == "draft":
                before = (draft.get("answers") or {}).get("items") or []
                rows = [{**_form_only(before, index),
                         **as_answer_row(raw)}
                        for index, raw in enumerate(items)]
                if (draft.get("answers") or {}).get("items") != rows:
                    store.forms.save_draft(draft["id"], {**(draft.get("answers") or {}), "items": rows})

    def works_for(self, case_id: str) -> list[dict[str, Any]]:
        return self._store().works.for_case(case_id)

    def _schedule_form(self, case_id: str) -> Mapping[str, Any] | None:
        """The newest version of the case's schedule of works form, if it has one."""
        from heart_desktop.store.case_facts import SCHEDULE_FORM, latest_form

        return latest_form(self._store().forms.for_case(case_id), SCHEDULE_FORM)

    def _refuse_if_schedule_complete(self, case_id: str) -> None:
        from heart_desktop.store.errors import FormLockedError

        form = self._schedule_form(case_id)
        if form is not None and form["status"] != "draft":
            raise FormLockedError("the schedule of works form is complete: revise it (Forms tab) to change the works")

    def save_hazards(self, case_id: str, answers: Mapping[str, Mapping[str, Any]], rated_on: date) -> None:
        from heart_desktop.store.records import score_hazard

        store = self._store()
        with store.transaction():
            current = {row["hazard"]: row for row in store.hazards.for_case(case_id)}
            for key, answer in answers.items():
                row = current.get(key)
                if not answer.get("assessed"):
                    if row is not None:
                        store.hazards.delete(row["id"])
                    continue
                harm = [float(v) for v in answer.get("harm", [])]
                likelihood = answer.get("likelihood")
                if row is None:
                    store.hazards.rate(case_id, key, likelihood, harm, rated_on, notes=answer.get("notes") or None)
                else:
                    store.hazards.update(row["id"], {"likelihood": likelihood, "harm": harm,
                                                     "notes": answer.get("notes") or None, "rated_on": rated_on,
                                                     **score_hazard(likelihood, harm, rated_on)})

    def start_form(self, case_id: str, form_id: str, version: str) -> dict[str, Any]:
        store = self._store()
        submission = store.forms.start(case_id, form_id, version)
        return store.forms.load(submission)

    def save_draft(self, submission_id: str, answers: Mapping[str, Any]) -> int:
        return self._store().forms.save_draft(submission_id, answers)

    def complete_form(self, submission_id: str) -> int:
        from heart_desktop.domain.permissions import form_act
        from heart_desktop.services.casework import after_form_completed

        store = self._store()
        form = store.forms.load(submission_id)
        self.require(form_act(str(form.get("form_id") or "")))
        with store.transaction():
            rev = store.forms.complete(submission_id)
            # a home visit form completed: the visit happened (the stage date, with who set it)
            after_form_completed(self, form["case_id"], str(form["form_id"]), form.get("answers") or {},
                                 today=self.today())
        return rev

    def form_refusal(self, form_id: str) -> str | None:
        """Why this officer may not complete a form of this kind, or None."""
        from heart_desktop.domain.permissions import form_act

        return self.refusal(form_act(form_id))

    def revise_form(self, submission_id: str) -> str:
        return self._store().forms.revise(submission_id)

    def after_form_saved(self, case_id: str, form_id: str, answers: Mapping[str, Any]) -> None:
        """Keep the structured rows other screens read in step with a form (the HHSRS ratings, the
        works items)."""
        from heart_desktop.store.case_facts import SCHEDULE_FORM

        if form_id == SCHEDULE_FORM:
            from heart_desktop.domain.works import costable_rows

            self.save_works(case_id, costable_rows(answers.get("items") or []), update_form=False)
            return
        if form_id != "hhsrs_assessment":
            return
        from heart_desktop.domain import hhsrs
        from heart_desktop.domain.hhsrs_answers import from_answer, rate_answer
        from heart_desktop.domain.validate import parse_date

        try:
            started = parse_date(str(answers.get("inspection_start") or ""))
        except ValueError:
            return  # no scheme until the inspection date is given
        scheme = hhsrs.scheme_for(started)
        ratings = {}
        for key, answer in (answers.get("hazards") or {}).items():
            if not isinstance(answer, Mapping):
                continue
            read = from_answer(answer)
            try:
                rating = rate_answer(read, scheme, hazard=key)
            except hhsrs.RatingError:
                rating = None
            if rating is None:  # not assessed, not all entered (a blank is not 0), or not scoreable yet
                ratings[key] = {"assessed": False}
                continue
            ratings[key] = {"assessed": True, "likelihood": read.likelihood, "harm": list(read.harm),
                            "notes": read.notes}
        self.save_hazards(case_id, ratings, started)

    def add_photo_ref(self, case_id: str, source: bytes | str, filename: str | None = None) -> dict[str, Any]:
        """Attach a photo (a file's path, or a camera frame's bytes: never written to disk) and
        return the reference a form answer keeps."""
        store = self._store()
        attachment = store.attachments.get(store.attachments.add(case_id, source, filename=filename))
        return {"sha256": attachment["sha256"], "caption": attachment.get("filename") or ""}

    def add_photo(self, case_id: str, source: bytes | str, caption: str | None = None,
                  filename: str | None = None) -> str:
        """Attach a photo from a file's path or from bytes in memory (a camera frame)."""
        return self._store().attachments.add(case_id, source, caption=caption, filename=filename)

    def set_caption(self, attachment_id: str, caption: str) -> int:
        """The officer's caption of a photo: shown under it in the pack and read aloud as its
        alternative text (the PDF's /Alt, the HTML copy's alt)."""
        return self._store().attachments.update(attachment_id, {"caption": caption or None})

    def thumbnail(self, attachment_id: str, size: int = 160) -> bytes:
        return self._store().attachments.thumbnail(attachment_id, size)

    def photo(self, attachment_id: str) -> bytes:
        return self._store().attachments.content(attachment_id)

    def add_note(self, case_id: str, body: str) -> str:
        return self._store().notes.add(case_id, body)

    def mark_urgent(self, case_id: str, agreed_by: str) -> str:
        """Make the case urgent on the 9.1 grounds its OT assessment gives, with the supervisor's
        agreement recorded in the reason, a note and the audit log; returns the reason."""
        from heart_desktop.domain.priority import urgent_reason

        self.require("agree_urgency")
        store = self._store()
        detail = store.cases.detail(case_id, audit=False)
        grounds = self.urgency_grounds(detail)
        reason = urgent_reason(grounds, agreed_by)
        flags = sorted({*(detail["case"].get("priority_flags") or []), *(g.flag for g in grounds)})
        with store.transaction():
            store.cases.update(case_id, {"urgent": True, "urgent_reason": reason, "priority_flags": flags})
            store.notes.add(case_id, f"Marked urgent: {reason}")
            store.audit.append("change", case_id=case_id, entity="case", entity_id=case_id,
                               detail={"urgent": True, "agreed_by": agreed_by.strip()})
        return reason

    @staticmethod
    def urgency_grounds(detail: Mapping[str, Any]) -> list[Any]:
        """The 9.1 grounds known on a case: the OT assessment's, and those the duty desk noted at the
        enquiry (its priority flags)."""
        from heart_desktop.domain.priority import GROUNDS, urgency_grounds
        from heart_desktop.store.case_facts import latest_answers

        found = urgency_grounds(latest_answers(detail.get("forms") or [], "ot_needs_assessment"))
        flags = set(detail["case"].get("priority_flags") or [])
        known = {g.flag for g in found}
        return found + [g for key, g in GROUNDS if key in flags and g.flag not in known]

    def audit_lock(self) -> None:
        if self.store is not None:
            self._store().audit.append("lock")


def _default_officer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "officer"


def _form_only(rows: Sequence[Any], index: int) -> dict[str, Any]:
    """What only the schedule of works form knows about a row (its kind and s.23(1) purpose):
    kept when the Works tab rewrites the rows, so a tagged item stays tagged."""
    row = rows[index] if index < len(rows) and isinstance(rows[index], Mapping) else {}
    return {key: row[key] for key in ("kind", "purpose") if key in row}
