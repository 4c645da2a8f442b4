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
from heart_desktop.store.sync_apply import read_state
from heart_desktop.sync.client import SyncError
from heart_desktop.sync.measures_client import fetch_measure_cases, fetch_measures

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
        require(self.role(), "view_measures")
        parse_quarter(quarter)  # a bad quarter is refused before anything is sent
        key = cache_key(quarter, council)
        try:
            report = fetch_measures(self.store, quarter=quarter, councils=[council] if council else [])
            history = [fetch_measures(self.store, quarter=q.label, councils=[council] if council else [])
                       for q in previous_quarters(parse_quarter(quarter), 4)[:-1]]
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
