"""The office's roster for a laptop: the officers who share a council with its officer, so that
cases can be allocated to colleagues by the names the office knows them by (policy 5.5).

Checked at the laptop like every other answer: a roster that is not this shape is ignored, and
the laptop keeps the one it had."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from heart_desktop.sync.protocol.rows import Name

MAX_ROSTER = 2000  # officers in one roster: far more than the partnership employs


class RosterOfficer(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    name: Name
    role: Annotated[str, Field(max_length=20)]
    team: Annotated[str, Field(max_length=200)] = ""
    councils: Annotated[list[Annotated[str, Field(max_length=10)]], Field(max_length=10)]


class Roster(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    officers: Annotated[list[RosterOfficer], Field(max_length=MAX_ROSTER)]


def read_roster(body: Any) -> list[dict[str, Any]] | None:
    """The officers of a roster answer, or None when it is not one."""
    try:
        return [o.model_dump() for o in Roster.model_validate(body).officers]
    except ValidationError:
        return None
