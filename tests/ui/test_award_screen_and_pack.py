"""The Eligibility tab and the pack's 'How the cost is met' show the same figures, for an HDG, a
WaSH, an HSG and a council tenant's case (real store, real PDF read back with pypdf)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from heart_desktop.documents.model import from_store
from heart_desktop.documents.pack import build_pack
from heart_desktop.domain.assistance import decide
from heart_desktop.domain.policy import policy_set
from heart_desktop.store import Store
from heart_desktop.store.case_facts import case_summary
from heart_desktop.ui.eligibility_panel import EligibilityPanel

sys.path.insert(0, str(Path(__file__).parents[1] / "documents"))
from pdftext import page_texts

AS_AT = date(2026, 11, 20)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "store.heartdb", "award tests", create=True, kdf_iter=1000, officer="T. Tester")
    yield s
    s.close()


def _case(store: Store, applied_for: str, tenure: str, works: list[tuple[str, int]], *,
          flags: list[str] = (), benefit: bool = True, extra_forms: dict[str, dict[str, Any]] | None = None) -> str:
    with store.transaction():
        case_id = store.cases.create("WDC", assigned_officer="T. Tester", priority_flags=list(flags),
                                     enquiry_on=date(2026, 9, 1), application_on=date(2026, 10, 5))
        store.people.insert({"case_id": case_id, "given_name": "Edna", "family_name": "Fairweather",
                             "is_applicant": True, "is_disabled_person": True, "date_of_birth": date(1950, 3, 14)})
        store.properties.insert({"case_id": case_id, "address_line1": "3 Elm Grove", "town": "Warwick",
                                 "postcode": "CV34 5XY", "tenure": tenure,
                                 "years_owned": 12 if tenure == "owner" else None})
        for position, (description, pence) in enumerate(works):
            store.works.insert({"case_id": case_id, "position": position, "location": "Home",
                                "description": description, "quantity": Decimal(1), "unit": "item",
                                "rate_pence": pence, "vat_percent": Decimal(0)})
        store.hazards.rate(case_id, "excess_cold", 10, [10.0, 21.5, 31.6, 36.9], date(2026, 9, 20))
        store.forms.start(case_id, "application_details", "1.0", {"tenure": tenure, "qualifying_benefit": benefit})
        store.forms.start(case_id, "works_schedule", "1.0", {"assistance_type": applied_for})
        for form_id, answers in (extra_forms or {}).items():
            store.forms.start(case_id, form_id, "1.0", answers)
    return case_id


CASES = {
    "HDG": dict(applied_for="HDG", tenure="owner", works=[("Ramp and rails", 1_200_000)], flags=["hospital_discharge"]),
    "WaSH": dict(applied_for="WaSH", tenure="owner", works=[("New boiler", 600_000)], benefit=False,
                 extra_forms={"wash_assessment": {"health_risk": True, "reasonable_care": True},
                              "application_details": {"tenure": "owner", "qualifying_benefit": False,
                                                      "means_test_contribution": "2500.00"}}),
    "HSG": dict(applied_for="HSG", tenure="private_tenant", works=[("Grab rails", 50_000)]),
    "council": dict(applied_for="DFG", tenure="council_tenant", works=[("Level access shower", 1_200_000)]),
}
EXPECTED = {
    "HDG": {"hdg": "£10,000.00", "shortfall": "£2,000.00", "fees": "£1,250.00", "total_award": "£11,250.00"},
    "WaSH": {"customer_contribution": "£2,500.00", "wash": "£3,500.00", "fees": "£437.50"},
    "HSG": {"hsg": "£500.00", "fees": "£62.50", "total_award": "£562.50"},
    "council": {"council_funded": "£12,000.00"},
}


@pytest.mark.parametrize("kind", list(CASES))
def test_the_tab_and_the_pack_show_the_same_award(qtbot: QtBot, store: Store, kind: str) -> None:
    case_id = _case(store, **CASES[kind])
    decision = decide(case_summary(store.cases.detail(case_id, audit=False), tuple(policy_set().councils), AS_AT))
    panel = EligibilityPanel()
    qtbot.addWidget(panel)
    panel.show_decision(decision)
    shown = {key: label.text() for key, label in panel.award_labels.items()}
    for key, text in EXPECTED[kind].items():
        assert shown[key] == text, key
    pack = " ".join(page_texts(build_pack(from_store(store, case_id), only=["works"]).pdf))
    award_part = pack.split("How the cost is met", 1)[1]
    rows = [(panel.award_form.itemAt(i, panel.award_form.ItemRole.LabelRole).widget().text().strip(),
             panel.award_form.itemAt(i, panel.award_form.ItemRole.FieldRole).widget().text())
            for i in range(panel.award_form.rowCount())]
    for label, amount in rows:
        if label.startswith("Repayable"):
            continue
        assert f"{label} {amount}" in award_part, (label, amount)
    if kind == "council":
        assert "council-housing" in panel.route.text() and "council-housing" in panel.award_box.accessibleName()
        assert "Shortfall" not in award_part and "charitable" not in award_part
        assert "Decision due by" not in award_part
    else:  # HEART's own assistance has no statutory six months (13.1), but 12 months to complete
        assert "Decision due by" not in award_part and "Works to be completed by" in award_part
