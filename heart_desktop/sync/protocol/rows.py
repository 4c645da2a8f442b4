"""Every synced row's fields, declared once for the laptop and the office: types, ranges, the values
a field may take, which fields a new row needs and which may never change.

The models are pydantic v2: FastAPI (the office) already depends on it, so the laptop and the
office validate with the same library and the same declarations, the office's OpenAPI can show
them, and its error locations name the field. (msgspec is faster but would be a second validation
library beside FastAPI's.) The models only *check*: a change travels and is stored as it was sent
(dates as ISO text, flags as 0/1 or true/false, decimals as text), which is the journal's form.

Each field may be left out of a change (an update carries only what changed); ``REQUIRED`` lists
the fields a new row must carry, and none of them may ever be set to null. ``IMMUTABLE`` lists
the fields an update may not change once set (the office numbers cases; a row never moves to
another case), and ``FROZEN_WHEN_SIGNED`` those of a signed pack.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, ValidationError

from heart_desktop.domain.casework import STAGE_KEYS
from heart_desktop.domain.policy import policy_set

_ROW_ID = re.compile(r"^[0-9A-Za-z-]{8,64}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_TEXT = 2_000  # a name, a reason, a caption
MAX_LONG_TEXT = 100_000  # a note's body


class RowError(ValueError):
    """A change whose fields do not fit the schema; the text names the entity, id and field."""


_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogate(text: str) -> bool:
    """A lone UTF-16 surrogate (``"\\ud800"`` in JSON) cannot be stored as UTF-8 anywhere."""
    return _SURROGATE.search(text) is not None


def _clean(text: str) -> str:
    if has_surrogate(text) or "\x00" in text:
        raise ValueError("contains a character that is not text (a lone surrogate or NUL)")
    return text


def _iso_date(text: str) -> str:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    if len(text) != 10 or not 1880 <= value.year <= 2200:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)")
    return text


def _iso_stamp(text: str) -> str:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is not a date and time (ISO 8601)") from None
    return text


def _decimal(value: str | int | float) -> str | int | float:
    if isinstance(value, bool):
        raise ValueError("is a flag, not a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not number.is_finite() or (isinstance(value, float) and not math.isfinite(value)) or abs(number) > 10**9:
        raise ValueError(f"{value!r} is not a number in range")
    return value


def _one_of(allowed: tuple[str, ...] | frozenset[str], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"{value!r} is not a {what} ({', '.join(sorted(allowed))})")
        return value

    return AfterValidator(check)


def _matching(pattern: re.Pattern[str], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f"{value!r} is not {what}")
        return value

    return AfterValidator(check)


@cache
def _councils() -> frozenset[str]:
    return frozenset(policy_set().councils)


def _council(value: str) -> str:
    if value not in _councils():
        raise ValueError(f"{value!r} is not a HEART council ({', '.join(sorted(_councils()))})")
    return value


@cache
def _tenures() -> frozenset[str]:
    sets = policy_set()
    council = next(iter(sets.councils))
    return frozenset(sets.for_case(council, max(sets.effective_dates(council))).tenures("common.tenures"))


def _tenure(value: str) -> str:
    if value not in _tenures():
        raise ValueError(f"{value!r} is not a tenure ({', '.join(sorted(_tenures()))})")
    return value


def _measures() -> Any:
    from heart_desktop.domain.measures import measure_set

    return measure_set()


def _in(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"{value!r} is not a {what} ({', '.join(allowed)})")
    return value


def _adaptation_type(value: str) -> str:
    return _in(value, tuple(_measures().adaptation_types), "type of major adaptation")


def _intervention_kind(value: str) -> str:
    return _in(value, tuple(_measures().intervention_kinds), "kind of intervention")


def _nhs_number(value: str) -> str:
    from heart_desktop.domain.validate import check_nhs_number

    problem = check_nhs_number(value)
    if problem:
        raise ValueError(problem)
    return value


def _survey_answers(value: dict[str, Any]) -> dict[str, Any]:
    """Each theme of the satisfaction survey rated on its scale, or not applicable."""
    measures = _measures()
    allowed = (*measures.ratings, "not_applicable")
    for theme, rating in value.items():
        if theme not in measures.survey_themes:
            raise ValueError(f"{theme!r} is not a survey theme ({', '.join(measures.survey_themes)})")
        if rating is not None and rating not in allowed:
            raise ValueError(f"{rating!r} is not a rating ({', '.join(allowed)})")
    return value


def _json_text(value: Any, depth: int = 0) -> Any:
    """Free JSON (answers, reasons): every key and string is text, nested at most 32 deep."""
    if depth > 32:
        raise ValueError("is nested too deeply")
    if isinstance(value, str):
        _clean(value)
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError("holds a number that is not finite")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _clean(str(key))
            _json_text(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _json_text(item, depth + 1)
    return value


Text = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(_clean)]
LongText = Annotated[str, Field(min_length=1, max_length=MAX_LONG_TEXT), AfterValidator(_clean)]
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_clean)]
RowId = Annotated[str, _matching(_ROW_ID, "a row id")]
Sha256 = Annotated[str, _matching(_SHA256, "a SHA-256 (64 lower-case hex digits)")]
IsoDate = Annotated[str, Field(max_length=10), AfterValidator(_iso_date)]
Stamp = Annotated[str, Field(max_length=40), AfterValidator(_iso_stamp)]
Flag = StrictBool | Literal[0, 1]
Count = Annotated[StrictInt, Field(ge=0, le=1_000_000)]
Pence = Annotated[StrictInt, Field(ge=0, le=10_000_000_000)]
Real = Annotated[StrictFloat, Field(allow_inf_nan=False)]
Number = Annotated[str | StrictInt | Real, AfterValidator(_decimal)]
Council = Annotated[str, AfterValidator(_council)]
Json = Annotated[Any, AfterValidator(_json_text)]
JsonObject = Annotated[dict[str, Any], AfterValidator(_json_text)]
JsonList = Annotated[list[Any], AfterValidator(_json_text)]
Labels = Annotated[list[Text], Field(max_length=50)]


class Row(BaseModel):
    """Every field optional (an update carries only what changed); nothing unknown."""

    model_config = ConfigDict(extra="forbid")
    deleted: Flag | None = None


def _listed(name: str, what: str) -> Any:
    """A value from one of the process lists of ``resources/policy/casework.toml``."""

    def check(value: str) -> str:
        from heart_desktop.domain.process import process

        allowed = process().keys(name)
        if value not in allowed:
            raise ValueError(f"{value!r} is not a {what} ({', '.join(sorted(allowed))})")
        return value

    return check


class CaseRow(Row):
    reference: Annotated[str, Field(max_length=40), AfterValidator(_clean)] | None = None
    council: Council | None = None
    assigned_officer: Text | None = None
    assistance_types: Labels | None = None
    priority_flags: Labels | None = None
    urgent: Flag | None = None
    urgent_reason: Text | None = None
    stage: Annotated[str, _one_of(STAGE_KEYS, "stage")] | None = None
    enquiry_on: IsoDate | None = None
    telephone_assessment_on: IsoDate | None = None
    visit_on: IsoDate | None = None
    contractor_visit_on: IsoDate | None = None
    quotation_on: IsoDate | None = None
    application_on: IsoDate | None = None
    approval_on: IsoDate | None = None
    works_start_on: IsoDate | None = None
    works_complete_on: IsoDate | None = None
    signed_off_on: IsoDate | None = None
    # casework (the lists are resources/policy/casework.toml's, through domain.process)
    channel: Annotated[str, AfterValidator(_listed("channels", "channel"))] | None = None
    referrer: Text | None = None
    referrer_contact: Text | None = None
    reason: Annotated[str, Field(max_length=MAX_LONG_TEXT), AfterValidator(_clean)] | None = None
    contact_preference: Annotated[str, AfterValidator(_listed("contact_preferences", "contact preference"))] | None \
        = None
    advocate: Text | None = None
    allocated_to: Text | None = None
    allocated_role: Annotated[str, AfterValidator(_listed("allocation_roles", "role to allocate to"))] | None = None
    priority_reason: Text | None = None
    sanctioned_by: Text | None = None
    outcome: Annotated[str, AfterValidator(_listed("outcomes", "case outcome"))] | None = None
    outcome_on: IsoDate | None = None
    outcome_reason: Text | None = None
    suspended: Annotated[str, AfterValidator(_listed("suspensions", "kind of suspension"))] | None = None
    suspended_on: IsoDate | None = None
    extension_to: IsoDate | None = None
    extension_reason: Text | None = None
    adaptation_type: Annotated[str, AfterValidator(_adaptation_type)] | None = None  # the partnership measures
    needs_major_adaptation: Flag | None = None
    large_print: Flag | None = None  # the customer's documents in large print (issue 17)


class ChildRow(Row):
    case_id: RowId | None = None


class PersonRow(ChildRow):
    is_applicant: Flag | None = None
    is_disabled_person: Flag | None = None
    given_name: Name | None = None
    family_name: Name | None = None
    date_of_birth: IsoDate | None = None
    relationship: Text | None = None
    phone: Annotated[str, Field(max_length=40), AfterValidator(_clean)] | None = None
    ni_number: Annotated[str, Field(max_length=13), AfterValidator(_clean)] | None = None
    nhs_number: Annotated[str, Field(max_length=12), AfterValidator(_nhs_number)] | None = None
    email: Annotated[str, Field(max_length=200), AfterValidator(_clean)] | None = None


class PropertyRow(ChildRow):
    address_line1: Name | None = None
    address_line2: Text | None = None
    town: Text | None = None
    postcode: Annotated[str, Field(min_length=2, max_length=10), AfterValidator(_clean)] | None = None
    uprn: Annotated[str, Field(max_length=12), AfterValidator(_clean)] | None = None
    tenure: Annotated[str, AfterValidator(_tenure)] | None = None
    property_type: Text | None = None
    bedrooms: Annotated[StrictInt, Field(ge=0, le=50)] | None = None
    years_owned: Annotated[StrictInt | Real, Field(ge=0, le=120)] | None = None
    landlord: Text | None = None


class VisitRow(ChildRow):
    scheduled_for: Stamp | None = None
    kind: Text | None = None
    status: Annotated[str, Field(max_length=40)] | None = None
    officer: Text | None = None
    outcome: Annotated[str, AfterValidator(_listed("visit_outcomes", "visit outcome"))] | None = None
    moved_reason: Text | None = None


FORM_STATES = ("draft", "complete", "signed")


class FormRow(ChildRow):
    visit_id: RowId | None = None
    form_id: Annotated[str, Field(min_length=1, max_length=80), AfterValidator(_clean)] | None = None
    form_version: Annotated[str, Field(min_length=1, max_length=20), AfterValidator(_clean)] | None = None
    answers: JsonObject | None = None
    status: Annotated[str, _one_of(FORM_STATES, "form state")] | None = None
    base_id: RowId | None = None
    completed_at: Stamp | None = None
    signed_at: Stamp | None = None
    signed_by: Text | None = None


class HazardRow(ChildRow):
    hazard: Annotated[str, Field(min_length=1, max_length=80), AfterValidator(_clean)] | None = None
    likelihood: Annotated[StrictInt, Field(ge=1, le=100_000)] | None = None
    harm: Annotated[list[StrictInt | Real], Field(max_length=10)] | None = None
    score: Annotated[StrictInt, Field(ge=0, le=10_000_000)] | None = None
    band: Annotated[str, Field(max_length=10)] | None = None  # A to J (2006), High, Medium or Low (2026)
    category: Annotated[StrictInt, Field(ge=1, le=2)] | None = None
    scheme_id: Annotated[str, Field(max_length=40)] | None = None
    rated_on: IsoDate | None = None
    notes: Annotated[str, Field(max_length=MAX_LONG_TEXT), AfterValidator(_clean)] | None = None


class WorksItemRow(ChildRow):
    position: Count | None = None
    location: Text | None = None
    description: Name | None = None
    quantity: Number | None = None
    unit: Annotated[str, Field(min_length=1, max_length=20), AfterValidator(_clean)] | None = None
    rate_pence: Pence | None = None
    vat_percent: Number | None = None


class AttachmentRow(ChildRow):
    sha256: Sha256 | None = None
    kind: Annotated[str, _one_of(("photo", "signature"), "kind of attachment")] | None = None
    filename: Text | None = None
    caption: Text | None = None
    mime: Annotated[str, Field(min_length=3, max_length=80)] | None = None
    width: Count | None = None
    height: Count | None = None
    size: Annotated[StrictInt, Field(ge=1, le=64 * 1024 * 1024)] | None = None
    taken_at: Stamp | None = None


class DocumentRow(ChildRow):
    kind: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    title: Name | None = None
    version: Annotated[StrictInt, Field(ge=1, le=10_000)] | None = None
    sha256: Sha256 | None = None
    size: Annotated[StrictInt, Field(ge=1, le=64 * 1024 * 1024)] | None = None
    signed: Flag | None = None
    created_at: Stamp | None = None
    fingerprint: Annotated[str, Field(max_length=128)] | None = None
    signatures: JsonList | None = None
    signed_at: Stamp | None = None
    printed_at: Stamp | None = None
    printed_by: Text | None = None
    posted_at: Stamp | None = None
    posted_by: Text | None = None


class DecisionRow(ChildRow):
    kind: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    outcome: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    amount_pence: Pence | None = None
    reasons: JsonList | None = None
    decided_by: Text | None = None
    decided_on: IsoDate | None = None
    policy_version: Annotated[str, Field(max_length=40)] | None = None


class NoteRow(ChildRow):
    body: LongText | None = None
    author: Text | None = None
    written_at: Stamp | None = None


class InterventionRow(ChildRow):
    kind: Annotated[str, AfterValidator(_intervention_kind)] | None = None
    delivered_on: IsoDate | None = None
    officer: Text | None = None
    notes: Annotated[str, Field(max_length=MAX_LONG_TEXT), AfterValidator(_clean)] | None = None


class FeedbackRow(ChildRow):
    kind: Annotated[str, _one_of(("compliment", "complaint"), "kind of feedback")] | None = None
    received_on: IsoDate | None = None
    upheld: Flag | None = None
    decided_on: IsoDate | None = None
    summary: Annotated[str, Field(max_length=MAX_LONG_TEXT), AfterValidator(_clean)] | None = None


class SurveyRow(ChildRow):
    answered_on: IsoDate | None = None
    answers: Annotated[dict[str, Any], AfterValidator(_survey_answers)] | None = None


class ConflictRow(ChildRow):
    entity: Annotated[str, Field(max_length=40)] | None = None
    record_id: RowId | None = None
    field: Annotated[str, Field(max_length=80)] | None = None
    kept: Json = None
    offered: Json = None
    offered_by: Text | None = None
    offered_at: Stamp | None = None
    resolution: Annotated[str, _one_of(("kept", "offered", "edited"), "resolution")] | None = None
    resolved_by: Text | None = None
    resolved_at: Stamp | None = None


class ContactRow(ChildRow):
    at: Stamp | None = None
    kind: Annotated[str, AfterValidator(_listed("contact_kinds", "kind of contact"))] | None = None
    direction: Annotated[str, AfterValidator(_listed("contact_directions", "direction"))] | None = None
    who: Text | None = None
    summary: LongText | None = None
    follow_up_on: IsoDate | None = None
    followed_up_on: IsoDate | None = None
    author: Text | None = None


class StageEventRow(ChildRow):
    stage: Annotated[str, _one_of(STAGE_KEYS, "stage")] | None = None
    stage_on: IsoDate | None = None
    event: Annotated[str, Field(min_length=1, max_length=40), AfterValidator(_clean)] | None = None
    reason: Text | None = None
    set_by: Text | None = None
    set_at: Stamp | None = None


APPEAL_KINDS = ("technical", "special")
PANELS = ("supervisors", "senior")
APPEAL_STAGES = ("lodged", "supervisors_information", "supervisors_refused", "escalated", "senior_information",
                 "granted", "refused", "decided")
Reasons = Annotated[str, Field(max_length=MAX_LONG_TEXT), AfterValidator(_clean)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AppealAdvice(_Part):
    """Independent medical advice on the medical criterion (12.14); the source is a role."""

    requested_on: IsoDate
    source: Text
    received_on: IsoDate | None = None
    summary: Reasons = ""
    cost: Annotated[str, Field(max_length=12, pattern=r"^\d{1,6}\.\d{2}$")] | None = None


class AppealAnswer(_Part):
    claimed: StrictBool
    evidence: Reasons = ""
    answered_on: IsoDate | None = None
    advice: AppealAdvice | None = None


class AppealDecision(_Part):
    """One panel's decision (12.11-12.17), as the laptop records it."""

    panel: Annotated[str, _one_of(PANELS, "panel")]
    decision: Annotated[str, _one_of(("granted", "refused", "further_information"), "panel decision")]
    reasons: Reasons
    decided_on: IsoDate
    decided_by: Text = ""
    urgent: StrictBool = False
    members: Annotated[list[Text], Field(max_length=10)] = Field(default_factory=list)


class AppealEscalation(_Part):
    escalated_on: IsoDate
    hearing: Annotated[str, _one_of(("attends", "written"), "kind of hearing")]
    hearing_on: IsoDate | None = None
    representative: Text = ""
    refusal_reasons: Reasons = ""
    implications: Reasons = ""
    information: Reasons = ""


class AppealOutcome(_Part):
    form: Annotated[str, _one_of(("standard", "special"), "form of assistance")]
    panel: Annotated[str, _one_of(PANELS, "panel")]
    decided_on: IsoDate
    assistance_type: Annotated[str, Field(max_length=10)] | None = None
    modification: Reasons = ""
    description: Reasons = ""
    terms: Reasons = ""


class AppealRow(ChildRow):
    kind: Annotated[str, _one_of(APPEAL_KINDS, "kind of appeal")] | None = None
    lodged_on: IsoDate | None = None
    grounds: LongText | None = None
    appellant: Text | None = None
    assisted: Flag | None = None
    lodged_by: Text | None = None
    answers: Annotated[dict[Annotated[str, Field(max_length=40)], AppealAnswer], Field(max_length=20)] | None = None
    decisions: Annotated[list[AppealDecision], Field(max_length=50)] | None = None
    escalation: AppealEscalation | None = None
    outcome: AppealOutcome | None = None
    stage: Annotated[str, _one_of(APPEAL_STAGES, "appeal stage")] | None = None


MODELS: dict[str, type[Row]] = {
    "case": CaseRow, "person": PersonRow, "property": PropertyRow, "visit": VisitRow, "form_submission": FormRow,
    "hazard_rating": HazardRow, "works_item": WorksItemRow, "attachment": AttachmentRow, "document": DocumentRow,
    "decision": DecisionRow, "note": NoteRow, "intervention": InterventionRow, "feedback": FeedbackRow,
    "survey": SurveyRow, "conflict": ConflictRow, "contact": ContactRow, "stage_event": StageEventRow,
    "appeal": AppealRow,
}

# the fields a new row must carry (the store's NOT NULL columns without a default)
REQUIRED: dict[str, frozenset[str]] = {
    "case": frozenset({"council"}),
    "person": frozenset({"case_id", "given_name", "family_name"}),
    "property": frozenset({"case_id", "address_line1", "postcode"}),
    "visit": frozenset({"case_id", "scheduled_for"}),
    "form_submission": frozenset({"case_id", "form_id", "form_version"}),
    "hazard_rating": frozenset({"case_id", "hazard", "likelihood"}),
    "works_item": frozenset({"case_id", "description", "quantity", "unit", "rate_pence", "vat_percent"}),
    "attachment": frozenset({"case_id", "sha256", "kind", "mime", "size"}),
    "document": frozenset({"case_id", "kind", "title", "sha256", "size", "created_at"}),
    "decision": frozenset({"case_id", "kind", "outcome"}),
    "note": frozenset({"case_id", "body", "written_at"}),
    "intervention": frozenset({"case_id", "kind", "delivered_on"}),
    "feedback": frozenset({"case_id", "kind", "received_on"}),
    "survey": frozenset({"case_id", "answered_on"}),
    "conflict": frozenset({"case_id", "entity", "record_id", "field"}),
    "contact": frozenset({"case_id", "at", "kind", "direction", "summary"}),
    "stage_event": frozenset({"case_id", "stage", "event", "set_at"}),
    "appeal": frozenset({"case_id", "kind", "lodged_on", "grounds"}),
}


def store_needs(entity: str) -> frozenset[str]:
    """What a new row must carry to be stored on a laptop: the required fields, and for a case its
    reference (which the office assigns when a laptop leaves it out)."""
    return REQUIRED[entity] | ({"reference"} if entity == "case" else frozenset())


# fields no update may change once set: the office assigns references; rows never change case
IMMUTABLE: dict[str, frozenset[str]] = {
    "case": frozenset({"reference"}),
    **{name: frozenset({"case_id"}) for name in MODELS if name != "case"},
}
# a signed pack is what the customer signed: only the print queue's marks may follow
FROZEN_WHEN_SIGNED: frozenset[str] = frozenset({
    "kind", "title", "version", "sha256", "size", "signed", "created_at", "fingerprint", "signatures", "signed_at"})
# fields that say who did something: the office writes the authenticated officer into them
AUTHOR_FIELDS: dict[str, frozenset[str]] = {
    "note": frozenset({"author"}), "intervention": frozenset({"officer"}), "form_submission": frozenset({"signed_by"}),
    "decision": frozenset({"decided_by"}), "document": frozenset({"printed_by", "posted_by"}),
    "conflict": frozenset({"resolved_by", "offered_by"}), "contact": frozenset({"author"}),
    "stage_event": frozenset({"set_by"}), "case": frozenset({"sanctioned_by"}), "appeal": frozenset({"lodged_by"}),
}
PATCH_FIELDS: dict[str, frozenset[str]] = {"form_submission": frozenset({"answers"})}


class AnswersPatch(BaseModel):
    """A form's answers sent key by key: the keys to set and the keys to remove."""

    model_config = ConfigDict(extra="forbid")
    patch: JsonObject = Field(default_factory=dict)
    unset: list[Annotated[str, Field(max_length=200), AfterValidator(_clean)]] = Field(default_factory=list)


def fields_of(entity: str) -> frozenset[str]:
    return frozenset(MODELS[entity].model_fields)


def check_fields(entity: str, row_id: str, fields: Mapping[str, Any], *, new: bool, update: bool = False) -> None:
    """Refuse fields that do not fit ``entity``'s schema, naming the entity, id and field.

    ``new``: the row does not exist yet, so its required fields must be there. ``update``: a patch
    field (a form's answers) comes as ``{"patch": ..., "unset": [...]}``.
    """
    model = MODELS.get(entity)
    if model is None:
        raise RowError(f"unknown entity {entity!r}")
    values = fields if isinstance(fields, dict) else dict(fields)
    patches = PATCH_FIELDS.get(entity)
    if update and patches and not patches.isdisjoint(values):
        values = dict(values)  # the patch is checked as one, the rest by the row's model
        for name in sorted(patches & set(values)):
            try:
                AnswersPatch.model_validate(values.pop(name))
            except ValidationError as exc:
                raise RowError(_reason(entity, row_id, exc, prefix=name)) from None
    try:
        model.model_validate(values)
    except ValidationError as exc:
        raise RowError(_reason(entity, row_id, exc)) from None
    required = REQUIRED[entity]
    if not new and required.isdisjoint(fields):
        return
    missing = sorted(required - {k for k, v in fields.items() if v is not None}) if new else []
    nulled = sorted(k for k in required & set(fields) if fields[k] is None)
    if missing or nulled:
        name = (missing or nulled)[0]
        raise RowError(f"{entity} {row_id}: field {name!r} is required and cannot be empty")


def _reason(entity: str, row_id: str, exc: ValidationError, prefix: str = "") -> str:
    error = exc.errors(include_url=False)[0]
    where = str(error["loc"][0]) if error["loc"] else ""  # the field (not pydantic's union branch)
    where = f"{prefix}.{where}" if prefix and where else prefix or where
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "not a field of this entity"
    return f"{entity} {row_id}: field {where!r}: {message}"
