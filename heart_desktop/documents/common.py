"""Small helpers the documents share: names, addresses, dates and the signature boxes of a role."""

from __future__ import annotations

from datetime import date
from typing import Any

from heart_desktop.documents.model import ROLES, PackData
from heart_desktop.documents.render import Safe, join
from heart_desktop.documents.template import signature_block

TENURE_LABELS = {"owner": "Owner-occupier", "private_tenant": "Private tenant", "council_tenant": "Council tenant",
                 "housing_association_tenant": "Housing association tenant"}


def person_name(person: dict[str, Any] | None) -> str | None:
    if not person:
        return None
    name = f"{person.get('given_name') or ''} {person.get('family_name') or ''}".strip()
    return name or None


def day(value: Any) -> str | None:
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, str) and len(value) >= 10:
        try:
            return f"{date.fromisoformat(value[:10]):%d/%m/%Y}"
        except ValueError:
            return value
    return None


def address(data: PackData) -> str | None:
    prop = data.property
    lines = [str(prop[k]) for k in ("address_line1", "address_line2", "town") if prop.get(k)]
    if prop.get("postcode"):
        lines.append(str(prop["postcode"]))
    if lines:
        return ", ".join(lines)
    answer = data.forms.get("application_details", {}).get("address")
    return str(answer) if answer else None


def signer_name(data: PackData, role: str) -> str:
    """The signer's name from the signature, else the name the case holds for that role."""
    signed = data.signature(role)
    if signed and signed.name:
        return signed.name
    if role == "applicant":
        return person_name(data.applicant) or ""
    if role == "officer":
        return str(data.case.get("assigned_officer") or "")
    if role == "landlord":
        return str(data.property.get("landlord") or data.forms.get("application_details", {}).get("landlord_name")
                   or "")
    return ""


def signature_boxes(data: PackData, roles: tuple[str, ...], note: str = "") -> Safe:
    """One signature block per role; signed roles show their strokes and say who signed and when."""
    blocks = []
    for role in roles:
        signed = data.signature(role)
        label = ROLES[role] + (f" {note}" if note and role == "representative" else "")
        blocks.append(signature_block(label, signer_name(data, role), signed.signed_at if signed else "",
                                      signed.strokes if signed else (), signed=signed))
    return join(blocks)


def is_tenant(data: PackData) -> bool:
    return bool(data.tenure) and data.tenure != "owner"
