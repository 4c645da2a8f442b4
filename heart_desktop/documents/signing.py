"""Signing a pack: draw the signatures into it, freeze it, and tell when the data has moved on.

A signed pack is built once, with the signatures drawn as vectors in their boxes, and its bytes
are stored (``store.packs``); they are never rebuilt. Its fingerprint is the hash of the case
data it shows; when the fingerprint of today's data differs, the pack is "changed since
signed" and a new version must be generated and signed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from heart_desktop.documents.model import ROLES, PackSignature, from_store
from heart_desktop.documents.pack import build_pack
from heart_desktop.domain.signatures import SignatureError, check_signature
from heart_desktop.store.packs import Packs

if TYPE_CHECKING:
    from heart_desktop.store import Store


class SigningError(ValueError):
    """Signatures that cannot make a signed pack; the message says what to do."""


@dataclass(frozen=True)
class PackStatus:
    signed: dict[str, Any] | None  # the latest signed version's document row
    fingerprint: str  # of the case data as it is now
    changed_since_signed: bool

    @property
    def state(self) -> str:
        if self.signed is None:
            return "not signed"
        return "changed since signed" if self.changed_since_signed else "signed"


def _signatures(raw: Sequence[Mapping[str, Any] | PackSignature]) -> list[PackSignature]:
    signatures = [s if isinstance(s, PackSignature) else PackSignature.from_json(s) for s in raw]
    roles = [s.role for s in signatures]
    if len(set(roles)) != len(roles):
        raise SigningError("Each person signs once: a role appears twice.")
    for s in signatures:
        try:
            check_signature(s.method, ROLES[s.role].lower(), any(len(stroke) > 1 for stroke in s.strokes),
                            s.witness, bool(s.witness), s.evidence)
        except SignatureError as exc:
            raise SigningError(str(exc)) from None
        if not s.signed_at:
            raise SigningError(f"The {ROLES[s.role].lower()}'s signature has no time.")
    if not {"applicant", "representative"} & set(roles):
        raise SigningError("The applicant, or the disabled person's representative, must sign the pack.")
    order = list(ROLES)
    return sorted(signatures, key=lambda s: order.index(s.role))


def sign_pack(store: Store, case_id: str, signatures: Sequence[Mapping[str, Any] | PackSignature]) -> dict[str, Any]:
    """Build, sign and freeze a new version of the pack; returns its document row."""
    chosen = _signatures(signatures)
    built = build_pack(from_store(store, case_id).with_signatures(chosen))
    latest = max(s.signed_at for s in chosen)
    return Packs(store).freeze(case_id, built.pdf, built.fingerprint, [s.as_json() for s in chosen], signed_at=latest)


def pack_status(store: Store, case_id: str) -> PackStatus:
    signed = Packs(store).latest_signed(case_id)
    now = from_store(store, case_id).fingerprint
    return PackStatus(signed, now, signed is not None and signed.get("fingerprint") != now)
