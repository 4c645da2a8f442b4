"""A manager's subject access request from the app: asked of the office (which alone holds every
laptop's records), the ZIP saved where the manager chose, readable by its owner only."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heart_desktop.domain.permissions import ACTS, NotPermitted, may
from heart_desktop.reports.audit import write_private
from heart_desktop.sync.privacy_client import request_subject_access

if TYPE_CHECKING:
    from heart_desktop.store import Store

_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")


class RequestInvalid(ValueError):
    """A field of the request is missing or malformed; the message names it."""


def refusal(role: str | None) -> str | None:
    """Why this role may not make a subject access request, or None for a manager."""
    if role is not None and may(role, "subject_access"):
        return None
    return str(NotPermitted(ACTS["subject_access"], role or "not enrolled"))


def subject_access(store: Store, role: str | None, name: str, date_of_birth: str | None, reason: str,
                   out: Path) -> dict[str, Any]:
    """Ask the office for the person's export and write it to ``out``; raises RequestInvalid,
    SyncError (offline) or SubjectAccessRefused (ambiguous, none found, not a manager)."""
    refused = refusal(role)
    if refused is not None:
        raise RequestInvalid(refused)
    if not name.strip():
        raise RequestInvalid("name: give the person's full name")
    if date_of_birth and not _DAY.match(date_of_birth):
        raise RequestInvalid("date of birth: give it as YYYY-MM-DD, or leave it empty")
    if not reason.strip():
        raise RequestInvalid("reason: give the request's date and reference")
    if not str(out).strip() or out.suffix.lower() != ".zip":
        raise RequestInvalid("file: choose where to save the ZIP (a .zip file)")
    data = request_subject_access(store, name.strip(), date_of_birth or None, reason.strip())
    write_private(out, data)
    return {"out": str(out), "bytes": len(data)}
