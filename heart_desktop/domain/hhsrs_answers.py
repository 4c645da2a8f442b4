"""An officer's answer for one hazard, and its rating: the one conversion every layer asks.

The HHSRS form stores a hazard as ``{assessed, likelihood, class_i, class_ii, class_iii, notes}``
(choice values may be text); the assessment widget and the store work with ``harm`` as a list.
Both come here. A blank likelihood or class of harm stays blank: no score is given until all four
are entered (an untouched 0/0/0 is not an answer), and class IV is the remainder of the scheme's
own total, not a number written into a form or a PDF.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from heart_desktop.domain import hhsrs

CLASS_KEYS = ("class_i", "class_ii", "class_iii")
NOT_ENTERED = "enter the likelihood and the spread of harm in classes I to III"


def number(value: Any) -> float | None:
    """A figure as typed or chosen (``"0.5"``, 18, ``""``): a float, or None when blank or not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        text = str(value).strip()
        return float(text) if text else None
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class HazardAnswer:
    assessed: bool
    likelihood: float | None
    harm: tuple[float | None, float | None, float | None]
    notes: str = ""

    @property
    def entered(self) -> bool:
        """Whether the likelihood and classes I to III have all been given."""
        return self.likelihood is not None and all(value is not None for value in self.harm)


def from_answer(answer: Mapping[str, Any]) -> HazardAnswer:
    """Read either shape: the form's ``class_i``..``class_iii`` or the widget's ``harm`` list."""
    if "harm" in answer and isinstance(answer.get("harm"), Sequence) and not isinstance(answer.get("harm"), str):
        listed = [number(v) for v in list(answer["harm"])[:3]]
    else:
        listed = [number(answer.get(key)) for key in CLASS_KEYS]
    listed += [None] * (3 - len(listed))
    return HazardAnswer(bool(answer.get("assessed")), number(answer.get("likelihood")),
                        (listed[0], listed[1], listed[2]), str(answer.get("notes") or ""))


def rate_answer(answer: HazardAnswer | Mapping[str, Any], scheme: hhsrs.Scheme,
                hazard: str | None = None) -> hhsrs.Rating | None:
    """The rating of an assessed, fully entered hazard; None when it is not assessed or not yet
    entered. Figures the scheme refuses raise :class:`hhsrs.RatingError` with the reason."""
    read = answer if isinstance(answer, HazardAnswer) else from_answer(answer)
    if not read.assessed or not read.entered:
        return None
    assert read.likelihood is not None
    return hhsrs.rate(read.likelihood, [float(v) for v in read.harm if v is not None], scheme, hazard=hazard)


def remainder(harm: Sequence[float | None], scheme: hhsrs.Scheme) -> float | None:
    """Class IV: what classes I to III leave of the scheme's total; None until all three are given."""
    values = [number(v) for v in list(harm)[:3]]
    if len(values) < 3 or any(v is None for v in values):
        return None
    return max(float(scheme.harm_total) - sum(v for v in values if v is not None), 0.0)


def spread(harm: Sequence[Any], scheme: hhsrs.Scheme) -> tuple[float, ...]:
    """All four classes for display: those stored, with class IV from the scheme when three are."""
    values = [number(v) for v in list(harm)[:4]]
    if any(v is None for v in values):
        return ()
    given = tuple(float(v) for v in values if v is not None)
    if len(given) == 3:
        rest = remainder(given, scheme)
        return (*given, rest) if rest is not None else given
    return given
