"""The financial assessment, filled in as an officer would, changes the Means test tab as it is
typed, then the Eligibility tab's award and the signed pack's means test statement (real store,
real PDF read back with pypdf)."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from gui_steps import unlocked
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from heart_desktop.documents.model import from_store
from heart_desktop.documents.pack import build_pack
from heart_desktop.ui.form_view import FormView
from heart_desktop.ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).parents[1] / "documents"))
from pdftext import page_texts


def _case(window: MainWindow) -> str:
    store = window.session.store

    def make() -> str:
        with store.transaction():
            case_id = store.cases.create("WDC", assigned_officer="T. Tester", enquiry_on=date(2026, 9, 1),
                                         application_on=date(2026, 10, 5))
            store.people.insert({"case_id": case_id, "given_name": "Rowan", "family_name": "Testcase",
                                 "is_applicant": True, "is_disabled_person": True, "date_of_birth": date(1981, 3, 14)})
            store.properties.insert({"case_id": case_id, "address_line1": "7 Test Lane", "town": "Warwick",
                                     "postcode": "CV34 4RL", "tenure": "owner", "years_owned": 9})
            store.works.insert({"case_id": case_id, "position": 0, "location": "Bathroom",
                                "description": "Level access shower", "quantity": Decimal(1), "unit": "item",
                                "rate_pence": 1_500_000, "vat_percent": Decimal(0)})
            store.forms.start(case_id, "application_details", "1.0",
                              {"tenure": "owner", "qualifying_benefit": False, "means_test_contribution": "2500.00"})
        return case_id

    return window.worker.call(make)


def _line(view: FormView, path: str) -> QLineEdit:
    widget = view.rows[path].editor.widget  # type: ignore[union-attr]
    assert isinstance(widget, QLineEdit)
    return widget


def _choose(view: FormView, path: str, value: object) -> None:
    combo = view.rows[path].editor.widget  # type: ignore[union-attr]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(value))


def _pack_text(window: MainWindow, case_id: str) -> str:
    data = window.worker.call(lambda: from_store(window.session.store, case_id))
    return " ".join(page_texts(build_pack(data, only=["works"]).pdf))


def test_filling_the_financial_assessment_drives_the_tabs_and_the_pack(qtbot: QtBot, window: MainWindow) -> None:
    unlocked(qtbot, window)
    case_id = _case(window)
    window.open_case(case_id)
    workspace = window.workspace
    assert workspace is not None
    qtbot.waitUntil(lambda: workspace.is_loaded() and workspace.case_id == case_id, timeout=10_000)
    means, eligibility = workspace.means, workspace.eligibility
    workspace.tabs.setCurrentWidget(means)
    assert "officer's figure" in means.contribution.text() and "£2,500.00" in means.contribution.text()
    assert eligibility.award_labels["customer_contribution"].text() == "£2,500.00"
    before = _pack_text(window, case_id)
    assert "officer's figure" in before and "Test of resources" not in before

    means.open_form.click()  # "Fill in the financial assessment"
    forms = workspace.forms
    assert workspace.tabs.currentWidget() is forms and forms.current is not None
    assert forms.current.id == "financial_assessment"
    view = forms.view
    assert view is not None
    for path in ("has_partner", "other_adults", "paid_carer"):
        _choose(view, path, False)
    qtbot.keyClicks(_line(view, "disabled_earnings/amount"), "1300")
    _choose(view, "disabled_earnings/period", "month")
    # the conversion shows at the kitchen table, and the stages follow as each answer is typed
    assert view.rows["disabled_earnings/weekly"].editor.widget.text() == (  # type: ignore[union-attr]
        "£1,300.00 a month = £300.00 a week (× 12 ÷ 52)")
    # single, 45: 60.50 + 61.30 = 121.80 a week; 300.00 - 5.00 = 295.00; excess 173.20; × 53.35
    figures = means.stage_figures()
    assert figures["applicable_amount"] == "£121.80 a week"
    assert figures["assessed_income"] == "£295.00 a week"
    assert figures["contribution"] == "£9,240.22"
    assert means.provisional.isVisibleTo(means) and "reg12.owner" in means.provisional.text()
    assert "£9,240.22" in means.contribution.text()
    assert eligibility.award_labels["customer_contribution"].text() == "£9,240.22"  # before the autosave

    # halfway, the customer goes for a bank statement: the savings typed so far are saved as a draft
    qtbot.keyClicks(_line(view, "savings"), "7400")
    assert "£6.00 a week" in view.rows["capital_check"].editor.widget.text()  # type: ignore[union-attr]
    workspace.flush_drafts()
    submission = forms.submission_id
    stored = window.worker.call(lambda: window.session.store.forms.load(submission))
    assert stored["status"] == "draft" and stored["answers"]["savings"] == "7400.00"
    # 295.00 + £6 tariff (1,400 above £6,000 in parts of £250) = 301.00; excess 179.20; × 53.35 = 9,560.32
    assert means.stage_figures()["contribution"] == "£9,560.32"

    after = _pack_text(window, case_id)
    statement = after.split("Means test statement", 1)[1]
    assert "Test of resources" in statement and "£9,560.32" in statement
    assert "3. Applicable amount (what the household needs to live on) £121.80 a week" in statement
    assert "PROVISIONAL" in statement and "reg12.owner" in statement
    assert "Customer's contribution (assessed by the means test) £9,560.32" in after
