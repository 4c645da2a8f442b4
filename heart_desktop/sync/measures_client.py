"""Fetching from the office for a manager's laptop: the partnership measures (no personal data)
and, to drill down, the references of the cases a measure counts; and a case's access history as
the office holds it (every laptop's entries)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from heart_desktop.store.sync_state import read_state
from heart_desktop.sync.client import SyncError, _client, _send
from heart_desktop.sync.protocol import TOKEN_HEADER

if TYPE_CHECKING:
    from heart_desktop.store import Store


def _ask(store: Store, path: str, params: list[tuple[str, str]], transport: httpx.BaseTransport | None) -> Any:
    state = read_state(store)
    if not state.get("token"):
        raise SyncError("this laptop is not enrolled yet: ask an administrator for an enrolment code")
    with _client(state["server"], state.get("ca_bundle"), transport) as client:
        return _send(client, "GET", path, params=params, headers={TOKEN_HEADER: state["token"]})


def _params(quarter: str | None, start: str | None, end: str | None, councils: list[str]) -> list[tuple[str, str]]:
    params = [("quarter", quarter)] if quarter else [("from", start or ""), ("to", end or "")]
    return params + [("council", c) for c in councils]


def fetch_measures(store: Store, quarter: str | None = None, start: str | None = None, end: str | None = None,
                   councils: list[str] | None = None, transport: httpx.BaseTransport | None = None) -> dict[str, Any]:
    answer = _ask(store, "/measures", _params(quarter, start, end, councils or []), transport)
    if not isinstance(answer.get("measures"), dict):
        raise SyncError("the answer was not from the HEART server (no measures)")
    return dict(answer)


def fetch_measure_cases(store: Store, measure: str, quarter: str | None = None, start: str | None = None,
                        end: str | None = None, councils: list[str] | None = None, adaptation_type: str | None = None,
                        transport: httpx.BaseTransport | None = None) -> list[str]:
    params = [("measure", measure), *_params(quarter, start, end, councils or [])]
    if adaptation_type:
        params.append(("type", adaptation_type))
    answer = _ask(store, "/measures/cases", params, transport)
    return [str(r) for r in answer.get("references", [])]


def fetch_case_history(store: Store, case_id: str, transport: httpx.BaseTransport | None = None
                       ) -> list[dict[str, Any]]:
    """The office's entries of a case (every laptop's and its own), newest first."""
    answer = _ask(store, f"/audit/cases/{case_id}", [], transport)
    entries = answer.get("entries")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SyncError("the answer was not from the HEART server (no audit entries)")
    return [dict(e) for e in entries]
