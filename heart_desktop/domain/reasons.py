"""A reason with its policy section, and one assistance type's verdict built from reasons.

Kept apart from the rules so the award split and the reports can use them without importing
the rules themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from heart_desktop.domain.money import Pence

TYPE_NAMES: dict[str, str] = {
    "DFG": "Disabled Facilities Grant",
    "DDFA": "Discretionary Disabled Facilities Assistance",
    "HDG": "Hospital Discharge Grant",
    "HSG": "Home Safety Grant",
    "WaSH": "Warm and Safer Homes grant",
}


@dataclass(frozen=True)
class Reason:
    text: str
    section: str

    def __str__(self) -> str:
        return f"{self.text} (policy {self.section})"


@dataclass
class TypeDecision:
    type: str
    eligible: bool
    reasons: list[Reason] = field(default_factory=list)
    max_award: Pence = 0
    means_tested: bool = False
    allowance_left: Pence | None = None
    contribution: Pence = 0
    covered_by_contribution: bool = False  # refused only because the customer's share meets the cost

    @property
    def name(self) -> str:
        return TYPE_NAMES[self.type]

    def why(self, text: str, section: str) -> None:
        self.reasons.append(Reason(text, section))

    def refuse(self, text: str, section: str) -> None:
        self.eligible = False
        self.why(text, section)
