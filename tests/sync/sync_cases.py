"""Cases as the sync tests make them on a laptop."""

from __future__ import annotations

from datetime import date

from heart_desktop.store import Store


def new_case(store: Store, council: str = "WDC", family: str = "Fairweather", form: bool = False) -> str:
    """A case with its applicant, home and (with ``form``) a draft home safety check."""
    with store.transaction():
        case_id = store.cases.create(council, assigned_officer=store.officer, enquiry_on=date(2026, 11, 2))
        store.people.insert({"case_id": case_id, "given_name": "Edna", "family_name": family, "is_applicant": True,
                             "date_of_birth": date(1950, 3, 14)})
        store.properties.insert({"case_id": case_id, "address_line1": "12 Mill Road", "town": "Warwick",
                                 "postcode": "CV34 4RL"})
        if form:
            store.forms.start(case_id, "home_safety_check", "1.0", {"visit_date": "2026-11-02"})
    return case_id
