"""The household's earlier awards, from the store: the other cases at the same property whose
works are certified, each judged by the same rules as the open case.

A later case needs them for the Home Safety Grant's 3-year allowance (4.4.6), the WaSH no-repeat
period (4.5.4(4)) and a contribution already made to an earlier DFG (4.1.11). Synced cases are in
the same store, so they count too. An earlier case is judged without its own earlier awards (one
level back is what each of those rules looks at), as it stood on its certified date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from heart_desktop.domain.assistance import decide
from heart_desktop.domain.award import certified_award
from heart_desktop.domain.case_summary import CaseInputError
from heart_desktop.domain.policy import PolicyError


def _address_key(prop: Mapping[str, Any] | None) -> tuple[str, str] | None:
    if not prop:
        return None
    if prop.get("uprn"):
        return ("uprn", str(prop["uprn"]).strip())
    line = re.sub(r"[^a-z0-9]", "", str(prop.get("address_line1") or "").lower())
    postcode = re.sub(r"\s+", "", str(prop.get("postcode") or "").upper())
    return ("address", f"{line}|{postcode}") if line and postcode else None


def household_awards(store: Any, case_id: str, prop: Mapping[str, Any] | None,
                     councils: Sequence[str]) -> list[dict[str, Any]]:
    """The certified awards of the other cases at this property, as previous_awards entries."""
    from heart_desktop.store.case_facts import case_summary

    key = _address_key(prop)
    if key is None:
        return []
    if key[0] == "uprn":
        rows = store.properties.where("uprn = ? AND case_id != ?", (key[1], case_id))
    else:
        rows = [r for r in store.properties.where("postcode = ? AND case_id != ?", (prop.get("postcode"), case_id))
                if _address_key(r) == key]
    awards = []
    for row in rows:
        other = store.cases.detail(row["case_id"], audit=False, household=False)
        certified = (other.get("stage_dates") or {}).get("works_complete")
        if certified is None:
            continue
        try:
            decision = decide(case_summary(other, councils, certified))  # as it stood when certified
        except (CaseInputError, PolicyError):
            continue  # an earlier case that cannot be judged cannot count; its own screen says why
        found = certified_award(decision.award, certified)
        if found is not None:
            awards.append(found)
    return sorted(awards, key=lambda a: str(a["certified_date"]))
