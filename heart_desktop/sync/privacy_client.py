"""A manager's subject access request from the app: ``POST /api/v1/subject-access`` answers with the
ZIP the office's verb makes (``central.privacy``), of the councils the manager covers."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import httpx

from heart_desktop.store.sync_apply import read_state
from heart_desktop.sync.client import _answer, _client
from heart_desktop.sync.errors import DeviceRevoked, SyncError
from heart_desktop.sync.protocol import TOKEN_HEADER

if TYPE_CHECKING:
    from heart_desktop.store import Store


class SubjectAccessRefused(SyncError):
    """The office would not make the export; ``kind`` is ``ambiguous`` (give the date of birth),
    ``none`` (no one of that name in the manager's councils) or ``refused``, for the dialog."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def request_subject_access(store: Store, name: str, date_of_birth: str | None, reason: str,
                           transport: httpx.BaseTransport | None = None) -> bytes:
    """The ZIP's bytes; SyncError when offline, SubjectAccessRefused when the office says no,
    DeviceRevoked when the office revoked this laptop (the caller wipes it: ``sync.errors``)."""
    state = read_state(store)
    if not state.get("token"):
        raise SyncError("this laptop is not enrolled yet: ask an administrator for an enrolment code")
    body = {"name": name, "date_of_birth": date_of_birth or None, "reason": reason}
    try:
        with _client(state["server"], state.get("ca_bundle"), transport) as client:
            response = client.post("/subject-access", json=body, headers={TOKEN_HEADER: state["token"]})
    except httpx.TransportError as exc:
        raise SyncError(f"the office could not be reached ({type(exc).__name__}): connect to the council's "
                        "network and try again") from exc
    if response.status_code == 200 and response.headers.get("content-type", "").startswith("application/zip"):
        return response.content
    try:
        _answer(response)
    except DeviceRevoked:
        raise  # not a refusal of the request: the caller wipes the laptop, as a revoked sync does
    except SyncError as exc:
        error = ""
        with contextlib.suppress(ValueError):
            error = str(response.json().get("error") or "")
        kind = {"ambiguous": "ambiguous", "no_person": "none"}.get(error, "refused")
        raise SubjectAccessRefused(str(exc).removeprefix("the server refused: "), kind) from exc
    raise SyncError("the answer was not from the HEART server (no ZIP)")
