"""Repositories for the rows that hang off a case: people, property, visits, hazards, works,
decisions and notes. Writes to people, property and visits refresh the case's caseload columns
and search document in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from heart_desktop.store.errors import StoreError
from heart_desktop.store.repository import Repository
from heart_desktop.store.schema import (
    CONFLICT,
    DECISION,
    FEEDBACK,
    HAZARD,
    INTERVENTION,
    NOTE,
    PERSON,
    PROPERTY,
    SURVEY,
    VISIT,
    WORKS_ITEM,
)

if TYPE_CHECKING:
    from heart_desktop.store.database import Store


class _CaseChild(Repository):
    """A child row whose changes alter what the caseload shows about its case."""

    refreshes_case = False

    def _after_write(self, id: str, changes: Mapping[str, Any]) -> None:
        if self.refreshes_case:
            row = self.store.conn.execute(f"SELECT case_id FROM {self.entity.table} WHERE id = ?", (id,)).fetchone()
            self.store.cases.refresh_derived(row[0])


class People(_CaseChild):
    refreshes_case = True

    def __init__(self, store: Store) -> None:
        super().__init__(store, PERSON)

    def applicant(self, case_id: str) -> dict[str, Any] | None:
        found = self.where("case_id = ? AND is_applicant = 1", (case_id,))
        return found[0] if found else None


class Properties(_CaseChild):
    refreshes_case = True

    def __init__(self, store: Store) -> None:
        super().__init__(store, PROPERTY)

    def for_case_one(self, case_id: str) -> dict[str, Any] | None:
        found = self.for_case(case_id)
        return found[0] if found else None

    def insert(self, values: Mapping[str, Any]) -> str:
        from heart_desktop.domain.validate import normalise_postcode

        values = dict(values)
        if values.get("postcode"):
            values["postcode"] = normalise_postcode(values["postcode"])
        return super().insert(values)


class Visits(_CaseChild):
    refreshes_case = True

    def __init__(self, store: Store) -> None:
        super().__init__(store, VISIT)

    def upcoming(self, on_or_after: date, limit: int = 50) -> list[dict[str, Any]]:
        return self.where("status = 'planned' AND scheduled_for >= ?", (on_or_after.isoformat(),),
                          order_by="scheduled_for", limit=limit)


class Hazards(_CaseChild):
    """HHSRS ratings. Score and band come from ``domain.hhsrs`` when it is available; the
    inputs (likelihood, harm outcomes, date) are always stored so a rating can be re-scored."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, HAZARD)

    def rate(self, case_id: str, hazard: str, likelihood: int, harm: Sequence[float], rated_on: date,
             notes: str | None = None) -> str:
        scored = score_hazard(likelihood, harm, rated_on)
        return self.insert({"case_id": case_id, "hazard": hazard, "likelihood": likelihood, "harm": list(harm),
                            "rated_on": rated_on, "notes": notes, **scored})

def score_hazard(likelihood: int, harm: Sequence[float], on: date) -> dict[str, Any]:
    """Score, band, category and scheme from the domain's HHSRS rules; empty if not available."""
    try:
        from heart_desktop.domain import hhsrs  # another area; may not have landed yet
    except ImportError:
        return {}
    try:
        scheme = hhsrs.scheme_for(on)
        rating = hhsrs.rate(likelihood, tuple(harm), scheme)
    except (AttributeError, TypeError, ValueError):
        return {}
    out: dict[str, Any] = {}
    score = getattr(rating, "display_score", None)  # the whole number officers and paperwork show
    if score is None and getattr(rating, "score", None) is not None:
        score = round(rating.score)
    if score is not None:
        out["score"] = int(score)
    for name in ("band", "category", "scheme_id"):
        value = getattr(rating, name, None)
        if value is not None:
            out[name] = value if name != "category" else _category_number(value)
    return out


def _category_number(value: Any) -> int | None:
    text = str(getattr(value, "value", value))
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits) if digits else None


class WorksItems(_CaseChild):
    def __init__(self, store: Store) -> None:
        super().__init__(store, WORKS_ITEM)

    def schedule(self, case_id: str) -> list[Any]:
        """The case's live items as ``domain.works.WorksItem`` for totals."""
        from heart_desktop.domain.works import items

        return list(items(self.for_case(case_id)))


class Decisions(_CaseChild):
    def __init__(self, store: Store) -> None:
        super().__init__(store, DECISION)


class Notes(_CaseChild):
    def __init__(self, store: Store) -> None:
        super().__init__(store, NOTE)

    def add(self, case_id: str, body: str) -> str:
        return self.insert({"case_id": case_id, "body": body, "author": self.store.officer,
                            "written_at": self.store.clock.now()[:24]})


class Interventions(_CaseChild):
    """What the service delivered for a case (KPI 11 a to 19 d): one row is one instance."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, INTERVENTION)

    def add(self, case_id: str, kind: str, delivered_on: date, notes: str | None = None) -> str:
        return self.insert({"case_id": case_id, "kind": kind, "delivered_on": delivered_on,
                            "officer": self.store.officer, "notes": notes})


class Feedback(_CaseChild):
    """Compliments and formal complaints (KPI 21 to 23)."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, FEEDBACK)


class Surveys(_CaseChild):
    """Satisfaction survey answers (KPM 24 to 29): reported in aggregate only; the case shows that
    one was received, never what it says."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, SURVEY)


class Conflicts(_CaseChild):
    """Conflicts the office reported: the same field changed on two laptops. Resolving one is an
    ordinary change (journalled, synced); keeping the offered or an edited value also changes the
    record itself, as a new edit on top of the office's."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, CONFLICT)

    def open(self, case_id: str | None = None) -> list[dict[str, Any]]:
        where, params = "resolution IS NULL", []
        if case_id is not None:
            where += " AND case_id = ?"
            params.append(case_id)
        return self.where(where, params)

    def resolve(self, conflict_id: str, resolution: str, value: Any = None) -> None:
        if resolution not in ("kept", "offered", "edited"):
            raise StoreError(f"unknown resolution {resolution!r}: use kept, offered or edited")
        conflict = self.get(conflict_id)
        with self.store.transaction():
            # two versions built on the same one: the decision is which counts; both stay on file
            if resolution != "kept" and conflict["field"] != "base_id":
                chosen = conflict["offered"] if resolution == "offered" else value
                repository = self.store.repository_for(conflict["entity"])
                repository.update(conflict["record_id"], {conflict["field"]: chosen})
            self.update(conflict_id, {"resolution": resolution, "resolved_by": self.store.officer,
                                      "resolved_at": self.store.clock.now()[:24]})
