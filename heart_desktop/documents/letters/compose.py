"""What every letter module shares: the wording of its kind made into blocks, and the letter's data.

A module gives ``compose_letter`` the plain values its wording asks for, the facts of the case its
``when`` parts are for, and the blocks it puts after a part (``then`` in ``letters.toml``); the
letterhead, addressee, date, officer and print size come from the case here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from heart_desktop.documents.letters.facts import CaseFacts
from heart_desktop.documents.letters.model import Block, LetterData, heading, para
from heart_desktop.domain.letters import filled_parts


class LetterRefused(ValueError):
    """A letter the case cannot have yet; the message says why and what must happen first."""


def compose_letter(facts: CaseFacts, kind: str, values: Mapping[str, str], holds: Iterable[str] = (),
                   then: Mapping[str, Sequence[Block]] | None = None, about: Mapping[str, Any] | None = None,
                   officer: str | None = None) -> LetterData:
    wording = facts.wording.letters[kind]
    common = {"reference": facts.reference, "desk": facts.desk, "desk_hours": facts.wording.desk_hours,
              "customer": facts.customer, "address": facts.address()}
    blocks: list[Block] = []
    for part in filled_parts(wording, facts.policy, {**common, **values}, set(holds)):
        if part.heading:
            blocks.append(heading(part.heading))
        blocks.append(para(part.text))
        if part.then:
            blocks.extend((then or {}).get(part.then, ()))
    return LetterData(kind=kind, title=wording.title, section=wording.section, reference=facts.reference,
                      council_name=facts.pack.council_name, desk=facts.desk, addressee=facts.addressee(),
                      dated=facts.today, officer=officer or facts.officer, officer_role=facts.officer_role(),
                      blocks=tuple(blocks), policy_version=facts.pack.policy_version, print_size=facts.print_size,
                      about=dict(about or {}))
