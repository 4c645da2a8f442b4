"""The Reports > Partnership measures use case: fetch a quarter's figures from the office (managers
only), keep the last fetch in the store for when the laptop is offline, drill from a measure to
the case references it counts (and which of them this laptop holds), export XLSX and PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heart_desktop.domain.measures import parse_quarter, previous_quarters
from heart_desktop.domain.permissions import require
from heart_desktop.reports.files import write
from heart_desktop.store import measure_cache
from heart_desktop.store.sync_state import read_state

if TYPE_CHECKING:
    from heart_desktop.store import Store


@dataclass(frozen=True)
class Figures:
    report: dict[str, Any]
    fetched_at: str
    offline: bool  # shown from the store because the office could not be reached
    problem: str = ""  # why the office was not asked or did not answer


def cache_key(quarter: str, council: str | None) -> str:
    return f"{quarter}|{council or 'all'}"


class MeasuresService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def role(self) -> str | None:
        return read_state(self.store).get("role")

    def councils(self) -> list[str]:
        return (read_state(self.store).get("councils") or "").split()

    def figures(self, quarter: str, council: str | None = None) -> Figures:
        """The office's figures, fetched now; offline, the last ones fetched with when."""
        from heart_desktop.sync.client import DeviceRevoked, SyncError  # the HTTP client loads when asked
        from heart_desktop.sync.measures_client import fetch_measures

        require(self.role(), "view_measures")
        parse_quarter(quarter)  # a bad quarter is refused before anything is sent
        key = cache_key(quarter, council)
        try:
            report = fetch_measures(self.store, quarter=quarter, councils=[council] if council else [])
            history = [fetch_measures(self.store, quarter=q.label, councils=[council] if council else [])
                       for q in previous_quarters(parse_quarter(quarter), 4)[:-1]]
        except DeviceRevoked:
            raise  # no cached figures for a revoked laptop: the caller wipes it
        except SyncError as exc:
            cached = measure_cache.load(self.store, key)
            if cached is None:
                raise
            return Figures(cached[1], cached[0], True, str(exc))
        report["history"] = [*[{"period": h["period"], "measures": {k: {"title": v["title"], "total": v["total"]}
                                                                     for k, v in h["measures"].items()}}
                               for h in history], {"period": report["period"], "measures": report["measures"]}]
        fetched = datetime.now(UTC).isoformat(timespec="seconds")
        measure_cache.save(self.store, key, fetched, report)
        return Figures(report, fetched, False)

    def cases(self, measure: str, quarter: str, council: str | None = None,
              adaptation_type: str | None = None) -> list[tuple[str, str | None]]:
        """(reference, the local case id where this laptop holds it) for each case counted."""
        from heart_desktop.sync.measures_client import fetch_measure_cases

        require(self.role(), "view_measures")
        references = fetch_measure_cases(self.store, measure, quarter=quarter, councils=[council] if council else [],
                                         adaptation_type=adaptation_type)
        held = {}
        if references:
            marks = ", ".join("?" for _ in references)
            held = dict(self.store.conn.execute(f"SELECT reference, id FROM cases WHERE reference IN ({marks}) "
                                                "AND deleted = 0", references).fetchall())
        return [(ref, held.get(ref)) for ref in references]

    def export(self, figures: Figures, fmt: str, out: Path) -> None:
        """The same XLSX or PDF as ``heart-central report`` writes."""
        write(figures.report, fmt, out, figures.report.get("history", []))


# --- what the case records for the measures: interventions, feedback, the survey -----------------



def intervention_kinds() -> list[tuple[str, str]]:
    """(kind, label) in the table's order (KPI 11 a to 19 d)."""
    from heart_desktop.domain.measures import measure_set

    ms = measure_set()
    return [(m.kind, f"{m.key}: {m.title}") for m in ms.measures if m.kind in ms.intervention_kinds]


def case_measures(store: Store, case_id: str) -> dict[str, Any]:
    """The case's interventions and feedback, and how many surveys it has (never their answers)."""
    case = store.cases.get(case_id)
    return {"interventions": store.interventions.for_case(case_id), "feedback": store.feedback.for_case(case_id),
            "surveys": len(store.surveys.for_case(case_id)), "signed_off_on": case.get("signed_off_on"),
            "outcome": case.get("outcome")}


def add_intervention(store: Store, case_id: str, kind: str, delivered_on: Any, notes: str = "") -> str:
    from heart_desktop.domain.measures import MeasuresError, measure_set

    if kind not in measure_set().intervention_kinds:
        raise MeasuresError(f"{kind!r} is not an intervention the partnership counts")
    return str(store.interventions.add(case_id, kind, delivered_on, notes.strip() or None))


def add_feedback(store: Store, case_id: str, kind: str, received_on: Any, summary: str, upheld: bool | None = None,
                 decided_on: Any = None) -> str:
    from heart_desktop.domain.measures import MeasuresError

    if kind not in ("compliment", "complaint"):
        raise MeasuresError("feedback is a compliment or a complaint")
    if kind == "compliment" and (upheld is not None or decided_on is not None):
        raise MeasuresError("a compliment is not upheld or decided: only a complaint is")
    if upheld is not None and decided_on is None:
        raise MeasuresError("say when the complaint was decided")
    return str(store.feedback.insert({"case_id": case_id, "kind": kind, "received_on": received_on,
                                      "summary": summary.strip() or None, "upheld": upheld,
                                      "decided_on": decided_on}))


def record_survey(store: Store, case_id: str, answered_on: Any, answers: dict[str, str]) -> str:
    from heart_desktop.domain.measures import MeasuresError, measure_set

    ms = measure_set()
    missing = [theme for theme in ms.survey_themes if not answers.get(theme)]
    if missing:
        raise MeasuresError(f"answer every question ({', '.join(missing)})")
    return str(store.surveys.insert({"case_id": case_id, "answered_on": answered_on, "answers": dict(answers)}))
