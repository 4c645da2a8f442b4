"""Synthetic cases for the pack tests, written through the repositories (no demo data)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from heart_desktop.store import Store

SIGNED_AT = "2026-03-02T11:30:00"


def photo(shade: int, size: tuple[int, int] = (320, 240)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (shade, 120, 255 - shade)).save(out, format="PNG")
    return out.getvalue()


def strokes(offset: float = 0.0) -> list[list[list[float]]]:
    """A short scribble in pad coordinates (0..1)."""
    return [[[0.1 + offset, 0.6], [0.2 + offset, 0.3], [0.3 + offset, 0.7], [0.4 + offset, 0.35]],
            [[0.5, 0.5], [0.7, 0.45], [0.9, 0.55]]]


def signature(role: str, name: str, offset: float = 0.0) -> dict[str, Any]:
    return {"role": role, "name": name, "signed_at": SIGNED_AT, "strokes": strokes(offset)}


def make_case(store: Store, tenure: str = "owner", works: int = 5, photos: int = 4, rate_pence: int = 650_000,
              forms: bool = True) -> str:
    """An owner (or tenant) case with application and OT forms, works, hazards and photos."""
    with store.transaction():
        case_id = store.cases.create("WDC", store.cases.next_reference("WDC", on=date(2026, 1, 5)),
                                     assigned_officer="Priya Officer", assistance_types=["DFG"],
                                     enquiry_on=date(2026, 1, 5), application_on=date(2026, 2, 20))
        store.people.insert({"case_id": case_id, "given_name": "Edna", "family_name": "Fairweather",
                             "is_applicant": True, "is_disabled_person": True, "date_of_birth": date(1950, 3, 14),
                             "ni_number": "AB123456C", "phone": "01926 456789"})
        store.properties.insert({"case_id": case_id, "address_line1": "3 Elm Grove", "town": "Warwick",
                                 "postcode": "CV34 5XY", "tenure": tenure, "years_owned": 12 if tenure == "owner"
                                 else None, "landlord": None if tenure == "owner" else "Avon Lettings Ltd"})
        for position in range(works):
            store.works.insert({"case_id": case_id, "position": position, "location": f"Room {position + 1}",
                                "description": f"Works item {position + 1}: level access shower",
                                "quantity": "1", "unit": "item", "rate_pence": rate_pence, "vat_percent": "0"})
        store.hazards.rate(case_id, "falls_on_stairs", 32, [0, 10, 21.5, 68.5], date(2026, 2, 10),
                           notes="Steep stair, no second handrail")
        if forms:
            answers: dict[str, Any] = {
                "applicant_name": "Edna Fairweather", "applicant_date_of_birth": "1950-03-14",
                "applicant_ni_number": "AB123456C", "address": "3 Elm Grove, Warwick", "postcode": "CV34 5XY",
                "right_to_reside": True, "disabled_is_applicant": True, "tenure": tenure,
                "qualifying_benefit": True, "benefits": ["pension_credit_guarantee"], "consent_to_share": True,
                "declaration_date": "2026-02-20",
            }
            if tenure == "owner":
                answers.update({"years_owned": 12, "owners_certificate": True})
            else:
                answers.update({"landlord_name": "Avon Lettings Ltd", "landlord_address": "1 High St, Warwick",
                                "tenants_certificate": True, "landlord_consent": "requested"})
            store.forms.start(case_id, "application_details", "1.0", answers)
            store.forms.start(case_id, "ot_needs_assessment", "1.0", {
                "assessment_date": "2026-02-01", "assessment_setting": "home_visit", "ot_name": "Olu Therapist",
                "conditions": "Arthritis", "adaptations": [{"adaptation": "level_access_shower",
                                                            "necessary_and_appropriate": True,
                                                            "reason": "Cannot step into the bath"}]})
    for index in range(photos):
        store.attachments.add(case_id, photo(40 * index + 20), caption=f"Photo {index + 1}: bathroom")
    return case_id
