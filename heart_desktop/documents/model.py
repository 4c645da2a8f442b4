"""The pack's data: everything the documents show, read once from the store into plain values.

The PDF is built from this model alone (the pretix pattern: data first, then a renderer), so
tests can check the model without parsing PDFs, and the model's fingerprint says whether the
data a signed pack shows has changed since. The fingerprint covers what is shown, never when it
was generated or by whom, so the same data gives the same fingerprint and the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from heart_desktop import __version__
from heart_desktop.domain.assistance import Decision, decide
from heart_desktop.domain.case_summary import CaseInputError
from heart_desktop.domain.policy import PolicyError, policy_set
from heart_desktop.domain.works import ScheduleTotals, WorksItem, schedule_totals
from heart_desktop.domain.works import items as works_items

if TYPE_CHECKING:
    from heart_desktop.store import Store

FORM_IDS: tuple[str, ...] = ("application_details", "hhsrs_assessment", "home_safety_check", "ot_needs_assessment",
                             "financial_assessment")
ROLES: dict[str, str] = {
    "applicant": "Applicant",
    "representative": "Disabled person's representative",
    "landlord": "Landlord",
    "officer": "Housing Assessment Officer",
}
# Row fields that are bookkeeping, not something a document shows.
# The print size (large print) is how the pack is laid out, not what it shows: choosing it does not
# make a signed pack "changed since signed".
_SKIP = frozenset({"rev", "updated_at", "updated_by", "deleted", "case_id", "stage_rank", "customer", "postcode",
                   "next_visit", "n", "large_print", "adaptation_type", "needs_major_adaptation",
                   # the case's progress and casework, which the pack does not show: allocating, closing or
                   # deciding a case does not make its signed pack "changed since signed"
                   "stage", "channel", "referrer", "referrer_contact", "reason", "contact_preference", "advocate",
                   "allocated_to", "allocated_role", "priority_reason", "sanctioned_by", "outcome", "outcome_on",
                   "outcome_reason", "suspended", "suspended_on", "extension_to", "extension_reason", "address",
                   "urgent", "urgent_reason",
                   *(f"{key}_on" for key in ("enquiry", "telephone_assessment", "visit", "contractor_visit",
                                             "quotation", "approval", "works_start", "works_complete",
                                             "signed_off"))})
SHOWN_STAGES = ("application",)  # the one stage date the pack prints (the cover's application date)
STANDARD, LARGE = "standard", "large"


@dataclass(frozen=True)
class PackSignature:
    """Who signed the pack, as whom, when, how (``domain.signatures.METHODS``), and the strokes
    (0..1 pad coordinates; none for a typed name or a page signed on paper). ``witness`` is the
    officer who witnessed a mark or a typed name; ``evidence`` the SHA-256 of the photo or scan of
    a page signed on paper."""

    role: str
    name: str
    signed_at: str
    strokes: tuple[tuple[tuple[float, float], ...], ...]
    method: str = "drawn"
    witness: str = ""
    evidence: str = ""

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"role": self.role, "name": self.name, "signed_at": self.signed_at,
                               "strokes": [[[x, y] for x, y in s] for s in self.strokes]}
        if self.method != "drawn":  # a drawn signature's record is as it always was
            out.update({"method": self.method, "witness": self.witness, "evidence": self.evidence})
        return out

    def in_words(self, when: str) -> str:
        from heart_desktop.domain.signatures import signed_in_words

        return signed_in_words(self.name, when, self.method, self.witness)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PackSignature:
        if data.get("role") not in ROLES:
            raise ValueError(f"unknown signer role {data.get('role')!r}; use one of {', '.join(ROLES)}")
        strokes = tuple(tuple((round(float(x), 4), round(float(y), 4)) for x, y in s)
                        for s in data.get("strokes") or [])
        return cls(str(data["role"]), str(data.get("name") or ""), str(data.get("signed_at") or ""), strokes,
                   str(data.get("method") or "drawn"), str(data.get("witness") or ""),
                   str(data.get("evidence") or ""))


@dataclass(frozen=True)
class Photo:
    """A photo of the visit; ``caption`` is the officer's words, also its alternative text ("" if none)."""

    sha256: str
    caption: str
    loader: Callable[[], bytes] = field(compare=False, repr=False)

    @cached_property
    def data(self) -> bytes:
        """The photo's bytes, read once; empty when the store does not have them (not synced yet)."""
        from heart_desktop.store.errors import StoreError

        try:
            return self.loader()
        except StoreError:
            return b""


@dataclass
class PackData:
    """What the pack shows about one case."""

    case: dict[str, Any]
    council_name: str
    people: list[dict[str, Any]]
    property: dict[str, Any]
    stage_dates: dict[str, date | None]
    forms: dict[str, dict[str, Any]]
    hazards: list[dict[str, Any]]
    works: list[WorksItem]
    totals: ScheduleTotals
    decision: Decision | None
    decision_problem: str | None
    photos: list[Photo]
    as_at: date
    policy_version: str
    signatures: tuple[PackSignature, ...] = ()
    shown: dict[str, Any] = field(default_factory=dict)
    print_size: str = STANDARD  # or LARGE: at least 16 pt, reflowed (remembered on the case)

    @property
    def large_print(self) -> bool:
        return self.print_size == LARGE

    @property
    def reference(self) -> str:
        return str(self.case.get("reference") or "")

    @property
    def applicant(self) -> dict[str, Any] | None:
        return next((p for p in self.people if p.get("is_applicant")), None)

    @property
    def disabled_person(self) -> dict[str, Any] | None:
        return next((p for p in self.people if p.get("is_disabled_person")), None)

    @property
    def tenure(self) -> str | None:
        return self.property.get("tenure") or self.forms.get("application_details", {}).get("tenure")

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the data shown (signatures excluded): changes whenever the pack would."""
        return fingerprint(self.shown)

    @property
    def pack_id(self) -> str:
        """SHA-256 of the data and the signatures: the identifier printed on every page."""
        signed = [s.as_json() for s in self.signatures]
        return fingerprint({"shown": self.shown, "signatures": signed, "version": __version__,
                            "print": self.print_size})

    def signature(self, role: str) -> PackSignature | None:
        return next((s for s in self.signatures if s.role == role), None)

    def with_signatures(self, signatures: Sequence[PackSignature]) -> PackData:
        from dataclasses import replace

        return replace(self, signatures=tuple(signatures))

    def with_print_size(self, print_size: str | None) -> PackData:
        """The same data laid out in ``print_size`` (None keeps the case's choice)."""
        from dataclasses import replace

        if print_size is None:
            return self
        if print_size not in (STANDARD, LARGE):
            raise ValueError(f"unknown print size {print_size!r}; use {STANDARD} or {LARGE}")
        return replace(self, print_size=print_size)


def fingerprint(value: Any) -> str:
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _plain(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in _SKIP}


def _latest_forms(forms: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The newest version of each form the pack shows (as the decision reads them)."""
    out: dict[str, dict[str, Any]] = {}
    stamps: dict[str, str] = {}
    for row in forms:
        form_id = str(row.get("form_id"))
        if form_id not in FORM_IDS or row.get("deleted"):
            continue
        stamp = str(row.get("updated_at") or "")
        if stamp >= stamps.get(form_id, ""):
            stamps[form_id] = stamp
            out[form_id] = dict(row.get("answers") or {})
    return out


def _as_at(detail: Mapping[str, Any]) -> date:
    """The day of the latest change to anything shown: the pack's date, stable for unchanged data.
    Rows the pack does not show (visits, notes, other forms, signature images) do not move it, so
    booking a visit does not make a signed pack "changed since signed"."""
    applied = (detail.get("stage_dates") or {}).get("application")
    stamps = [applied.isoformat()] if applied else []  # the case row itself changes with its progress
    shown_rows = {
        "people": detail.get("people") or [],
        "forms": [f for f in detail.get("forms") or [] if f.get("form_id") in FORM_IDS],
        "hazards": detail.get("hazards") or [],
        "works": detail.get("works") or [],
        "attachments": [a for a in detail.get("attachments") or [] if a.get("kind") == "photo"],
    }
    for rows in shown_rows.values():
        stamps += [str(r.get("updated_at") or "") for r in rows]
    prop = detail.get("property") or {}
    stamps.append(str(prop.get("updated_at") or ""))
    latest = max((s for s in stamps if len(s) >= 10), default="")
    try:
        return date.fromisoformat(latest[:10])
    except ValueError:
        return date(2000, 1, 1)


def _works(rows: Sequence[Mapping[str, Any]]) -> list[WorksItem]:
    return works_items(rows)


def from_detail(detail: Mapping[str, Any], photo_loader: Callable[[str], bytes] | None = None) -> PackData:
    """The model from a case detail (``store.cases.detail``); no store access but photo bytes."""
    from heart_desktop.store import case_facts

    policies = policy_set()
    case = dict(detail["case"])
    as_at = _as_at(detail)
    people = [dict(p) for p in detail.get("people") or [] if not p.get("deleted")]
    prop = dict(detail.get("property") or {})
    forms = _latest_forms(detail.get("forms") or [])
    hazards = sorted((dict(h) for h in detail.get("hazards") or [] if not h.get("deleted")),
                     key=lambda h: (-(h.get("score") or 0), str(h.get("hazard"))))
    works = _works([w for w in detail.get("works") or [] if not w.get("deleted")])
    decision: Decision | None = None
    problem: str | None = None
    try:
        summary = case_facts.case_summary(detail, tuple(policies.councils), as_at)
        decision = decide(summary, policies)
    except CaseInputError as exc:
        problem = f"{exc.problem} ({exc.field})"
    except PolicyError as exc:
        problem = str(exc)
    # the caption the officer gave, never the file name: it is what a screen reader says for the photo
    photos = [Photo(str(a["sha256"]), " ".join(str(a.get("caption") or "").split()),
                    (lambda digest=str(a["sha256"]): photo_loader(digest)) if photo_loader else (lambda: b""))
              for a in detail.get("attachments") or [] if a.get("kind") == "photo" and not a.get("deleted")]
    council = policies.councils.get(str(case.get("council")))
    shown = {
        "case": _plain(case),
        "stage_dates": {k: v for k, v in (detail.get("stage_dates") or {}).items() if k in SHOWN_STAGES},
        "people": [_plain(p) for p in people],
        "property": _plain(prop),
        "forms": forms,
        "hazards": [_plain(h) for h in hazards],
        "works": [_plain(w) for w in detail.get("works") or [] if not w.get("deleted")],
        "photos": [[p.sha256, p.caption] for p in photos],
        "policy": policies.version,
        "as_at": as_at,
    }
    return PackData(case=case, council_name=council.name if council else str(case.get("council") or ""),
                    people=people, property=prop, stage_dates=dict(detail.get("stage_dates") or {}), forms=forms,
                    hazards=hazards, works=works, totals=schedule_totals(works), decision=decision,
                    decision_problem=problem, photos=photos, as_at=as_at, policy_version=policies.version,
                    shown=json.loads(json.dumps(shown, sort_keys=True, default=str)),
                    print_size=LARGE if case.get("large_print") else STANDARD)


def from_store(store: Store, case_id: str) -> PackData:
    """Read a case for its pack (no "view" audit row: building a pack is not reading it)."""
    detail = store.cases.detail(case_id, audit=False)
    return from_detail(detail, store.attachments.blobs.get)
