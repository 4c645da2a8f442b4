"""The audit trail at the sync seam: the entries a laptop sends the office, checked by pydantic
before the office reads them, and the office's answer (the newest entry it holds of the chain).

An entry travels exactly as the laptop hashed it (``detail`` as its JSON text), so the office can
check each hash and link itself (``domain/audit_chain.py``). ``format`` and ``reason_sha256`` are
absent from a laptop that writes only format 1 (the defaults); a format-2 entry may come with its
``reason`` already blanked (its case erased), checked by the digest.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from heart_desktop.sync.protocol.rows import has_surrogate


def _text(value: str) -> str:
    """Text that can be stored (no lone surrogate, no NUL), or refused naming the field."""
    if has_surrogate(value) or "\x00" in value:
        raise ValueError("contains a character that is not text (a lone surrogate or NUL)")
    return value


MAX_AUDIT_BATCH = 500  # entries in one push; the laptop sends 200, and at most AUDIT_BATCH_BYTES of them
AUDIT_BATCH_BYTES = 2 * 1024 * 1024  # the office takes 4 MiB
SHA = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
ID = Annotated[str, Field(pattern=r"^[0-9A-Za-z-]{8,64}$")]


def _up_to(chars: int) -> Any:
    return Annotated[str, Field(max_length=chars), AfterValidator(_text)]


SHORT = _up_to(200)


class AuditEntry(BaseModel):
    """One laptop audit entry, as stored and hashed on the laptop."""

    model_config = ConfigDict(extra="forbid", strict=True)
    seq: Annotated[int, Field(ge=1, le=2**62)]
    at: Annotated[str, Field(min_length=10, max_length=40, pattern=r"^\d{4}-\d\d-\d\dT[0-9:.+Z-]+$")]
    officer: SHORT | None = None  # type: ignore[valid-type]
    device_id: ID
    action: Annotated[str, Field(pattern=r"^[a-z_]{1,40}$")]
    case_id: _up_to(64) | None = None  # type: ignore[valid-type]
    entity: _up_to(40) | None = None  # type: ignore[valid-type]
    entity_id: _up_to(64) | None = None  # type: ignore[valid-type]
    reason: _up_to(2000) | None = None  # type: ignore[valid-type]
    detail: _up_to(200_000)  # type: ignore[valid-type]
    format: Literal[1, 2] = 1
    reason_sha256: SHA | None = None
    prev_hash: SHA
    hash: SHA


class AuditPush(BaseModel):
    """A run of one laptop's entries, oldest first (possibly none: then the office only answers
    with the newest entry it holds, which the laptop checks its own trail against)."""

    model_config = ConfigDict(extra="forbid")
    entries: list[AuditEntry] = Field(default_factory=list, max_length=MAX_AUDIT_BATCH)


class AuditHead(BaseModel):
    """The newest entry the office holds of this laptop's chain (``seq`` 0: none yet)."""

    device_id: str | None = None
    seq: int = 0
    hash: str | None = None


class AuditAnswer(BaseModel):
    accepted: int
    head: AuditHead


def read_answer(body: Any) -> AuditAnswer | None:
    """The office's answer, or None when it is not of that shape."""
    try:
        return AuditAnswer.model_validate(body)
    except ValidationError:
        return None
