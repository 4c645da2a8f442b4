"""What every letter reads about a case, once: the pack's model (people, address, the decision worked
out by ``domain.assistance``), the casework records (visits, recorded decisions, contacts), the
duty desk of the customer's area, the policy in force, and the letters' wording for the day.

The letter modules take their figures from here (the award's lines, the means-tested contribution,
the policy's rules), never from anything typed into a letter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from heart_desktop.documents.common import person_name
from heart_desktop.documents.letters.model import LARGE, STANDARD, Addressee
from heart_desktop.documents.model import PackData, from_detail
from heart_desktop.domain.letters import LettersVersion, letters_version
from heart_desktop.domain.money import Pence, fmt
from heart_desktop.domain.policy import Policy, policy_set
from heart_desktop.domain.process import Process, process

if TYPE_CHECKING:
    from heart_desktop.store import Store


@dataclass
class CaseFacts:
    pack: PackData
    detail: Mapping[str, Any]
    today: date
    officer: str
    policy: Policy
    wording: LettersVersion
    lists: Process
    desk: str

    @property
    def case(self) -> dict[str, Any]:
        return self.pack.case

    @property
    def reference(self) -> str:
        return self.pack.reference

    @property
    def stage_dates(self) -> dict[str, date | None]:
        return self.pack.stage_dates

    @property
    def customer(self) -> str:
        return person_name(self.pack.applicant) or str(self.case.get("customer") or "the customer")

    def recorded_decision(self) -> dict[str, Any] | None:
        """The latest decision on the application recorded on the case (``services.casework``)."""
        rows = [d for d in self.detail.get("decisions") or []
                if d.get("kind") == "application" and not d.get("deleted")]
        return max(rows, key=lambda d: (str(d.get("decided_on") or ""), str(d.get("updated_at") or "")),
                   default=None)

    def visits(self) -> list[dict[str, Any]]:
        return sorted((dict(v) for v in self.detail.get("visits") or [] if not v.get("deleted")),
                      key=lambda v: str(v.get("scheduled_for") or ""))

    def address_lines(self) -> tuple[str, ...]:
        prop = self.pack.property
        lines = [str(prop[k]) for k in ("address_line1", "address_line2", "town", "postcode") if prop.get(k)]
        if not lines and self.case.get("address"):
            lines = [str(self.case["address"])]
        return tuple(lines)

    def address(self) -> str:
        return ", ".join(self.address_lines())

    def addressee(self) -> Addressee:
        """To the advocate, on the customer's behalf, when the case says to contact them through one
        (5.5, "otherwise as directed"); otherwise to the customer."""
        advocate = str(self.case.get("advocate") or "").strip()
        if self.case.get("contact_preference") == "advocate" and advocate:
            name = advocate_name(advocate)
            return Addressee(name, self.address_lines(), f"Dear {name}", on_behalf_of=self.customer)
        return Addressee(self.customer, self.address_lines(), f"Dear {self.customer}")

    def money(self, amount: Pence) -> str:
        return fmt(amount)

    def day(self, value: date | str | None) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            value = date.fromisoformat(value[:10])
        return f"{value.day} {value:%B %Y}"

    @property
    def print_size(self) -> str:
        return LARGE if self.pack.large_print else STANDARD

    def officer_role(self) -> str:
        role = self.case.get("allocated_role")
        return self.lists.label("allocation_roles", role) if role else ""


def advocate_name(text: str) -> str:
    """The advocate's name from what the case holds ("Jane Doe (daughter), 07700 900123" -> "Jane Doe")."""
    for stop in ("(", ",", ";", " - "):
        text = text.split(stop)[0]
    return " ".join(text.split()) or "the customer's advocate"


def desk_for(council: str) -> str:
    """The HEART duty desk serving the council's area (5.1), as ``councils.toml`` names it."""
    import tomllib

    with (policy_set().directory / "councils.toml").open("rb") as handle:
        doc = tomllib.load(handle)
    area = (doc.get("councils", {}).get(council) or {}).get("area")
    return str((doc.get("areas", {}).get(area) or {}).get("label") or "the HEART duty desk")


def from_store(store: Store, case_id: str, today: date, officer: str) -> CaseFacts:
    detail = store.cases.detail(case_id, audit=False)
    return from_case_detail(detail, today, officer, store.attachments.blobs.get)


def from_case_detail(detail: Mapping[str, Any], today: date, officer: str, loader: Any = None) -> CaseFacts:
    pack = from_detail(detail, loader)
    council = str(pack.case.get("council") or "")
    return CaseFacts(pack=pack, detail=detail, today=today, officer=officer,
                     policy=policy_set().for_case(council, today), wording=letters_version(today),
                     lists=process(today), desk=desk_for(council))
