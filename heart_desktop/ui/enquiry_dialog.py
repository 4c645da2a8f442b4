"""Cases > New enquiry (Ctrl+N): the enquiry as the duty desk takes it (policy 5.1), and the same
form to edit a case's details later.

Date and channel, who referred and how to reach them; the customer and household (names, dates of
birth, who is disabled); the address, with the council worked out from the postcode as it is typed
(asked where the district lies in two councils; refused outside Warwickshire, 5.11); phone, email
and how the customer prefers to be contacted, including through an advocate or carer; the reason in
the customer's words; and the urgency grounds known so far (9.1). The checks are the domain's
(``domain.intake``): a refusal names the field, puts the cursor in it, and keeps everything typed.
A likely duplicate (same name, date of birth and postcode) is offered before anything is saved.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.domain.intake import URGENCY_GROUNDS
from heart_desktop.domain.policy import policy_set
from heart_desktop.domain.process import process
from heart_desktop.domain.validate import check_warwickshire_postcode, postcode_district
from heart_desktop.ui.form_dialog import named_button, plain
from heart_desktop.ui.labels import StatusLabel, describe_field
from heart_desktop.ui.reflow import Reflow, WrapCheckBox, wrap_title
from heart_desktop.ui.screen_fit import resize_within_screen

NEW, DETAILS = "new", "details"
TENURES = {"owner": "Owner-occupier", "private_tenant": "Private tenant", "council_tenant": "Council tenant",
           "housing_association_tenant": "Housing association tenant"}
HOUSEHOLD_COLUMNS = ("Name", "Date of birth", "Relationship", "Disabled")

# what domain.intake refuses to record without (marked * on screen and in the accessible name)
REQUIRED = frozenset({"received", "channel", "customer.name", "customer.date_of_birth", "address.line1",
                      "address.postcode", "reason"})


class EnquiryDialog(QDialog):
    """``submitted(data, force)`` with the enquiry as ``domain.intake`` reads it; the caller runs the
    use case and answers with :meth:`refused`, :meth:`offer_duplicate` or ``accept()``."""

    submitted = Signal(dict, bool)
    open_existing = Signal(str)  # case id of the likely duplicate

    def __init__(self, today: date, mode: str = NEW, data: Mapping[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.today = today
        self.lists = process(today)
        title = "New enquiry" if mode == NEW else "Edit the case's details"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.fields: dict[str, QWidget] = {}
        self.names: dict[str, str] = {}
        self._duplicate_id: str | None = None
        outer = QVBoxLayout(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the fields take focus; the form scrolls to them
        scroll.setAccessibleName(title)
        body = QWidget(scroll)
        self.body = body
        layout = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        # two columns side by side when they fit, one above the other when they do not (150%, 16 pt):
        # side by side they were cut off on the right, the scroll area having no sideways bar
        self.columns = Reflow(body)
        left_pane, right_pane = QWidget(self.columns), QWidget(self.columns)
        left, right = QVBoxLayout(left_pane), QVBoxLayout(right_pane)
        for column in (left, right):
            column.setContentsMargins(0, 0, 0, 0)
        self.columns.box.addWidget(left_pane, 2)
        self.columns.box.addWidget(right_pane, 3)
        layout.addWidget(self.columns)

        enquiry = self._group("Enquiry (policy 5.1)", left)
        self.received = QDateEdit(body)
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("dd/MM/yyyy")
        self.received.setDate(QDate(today))
        self._row(enquiry, "&Received on", self.received, "received")
        self.channel = QComboBox(body)
        for key, label in self.lists.labels("channels").items():
            self.channel.addItem(label, key)
        self._row(enquiry, "C&hannel", self.channel, "channel")
        self.referrer = QLineEdit(body)
        self.referrer.setPlaceholderText("Self, or the person or service who referred")
        self._row(enquiry, "Referred &by", self.referrer, "referrer")
        self.referrer_contact = QLineEdit(body)
        self._row(enquiry, "Referrer's con&tact", self.referrer_contact, "referrer_contact")

        customer = self._group("Customer", left)
        self.name = QLineEdit(body)
        self.name.setPlaceholderText("Given and family name")
        self._row(customer, "Full &name", self.name, "customer.name")
        self.fields["customer.given_name"] = self.fields["customer.family_name"] = self.name
        self.names["customer.given_name"] = self.names["customer.family_name"] = "Full name"
        self.born = QLineEdit(body)
        self.born.setPlaceholderText("DD/MM/YYYY")
        self._row(customer, "Date of b&irth", self.born, "customer.date_of_birth")
        self.phone = QLineEdit(body)
        self._row(customer, "&Phone", self.phone, "customer.phone")
        self.email = QLineEdit(body)
        self._row(customer, "&Email", self.email, "customer.email")
        self.ni_number = QLineEdit(body)
        self.ni_number.setPlaceholderText("AB 12 34 56 C (if known)")
        self._row(customer, "NI n&umber", self.ni_number, "customer.ni_number")
        self.disabled = QCheckBox("The customer is the &disabled person", body)
        self.disabled.setAccessibleName(plain(self.disabled.text()))
        self.disabled.setChecked(True)
        customer.addRow("", self.disabled)
        self.fields["customer.disabled"] = self.disabled
        self.names["customer.disabled"] = "Disabled person"

        household = QGroupBox("Household: everyone else who lives there", body)
        household_layout = QVBoxLayout(household)
        self.household = QTableWidget(0, len(HOUSEHOLD_COLUMNS), household)
        self.household.setHorizontalHeaderLabels(HOUSEHOLD_COLUMNS)
        self.household.setAccessibleName("Household members")
        self.household.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.household.setTabKeyNavigation(False)
        self.household.verticalHeader().setVisible(False)
        header = self.household.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.household.setMinimumHeight(90)
        self.household.setMaximumHeight(140)
        household_layout.addWidget(self.household)
        row = QHBoxLayout()
        self.add_member = named_button("Add a household &member", household)
        self.remove_member = named_button("Rem&ove member", household)
        row.addWidget(self.add_member)
        row.addWidget(self.remove_member)
        row.addStretch(1)
        household_layout.addLayout(row)
        left.addWidget(household)
        self.fields["household"] = self.household
        self.names["household"] = "Household"
        self.add_member.clicked.connect(lambda: self.add_person())
        self.remove_member.clicked.connect(self._remove_person)

        address = self._group("Address of the property", right)
        self.line1 = QLineEdit(body)
        self._row(address, "Address line &1", self.line1, "address.line1")
        self.line2 = QLineEdit(body)
        self._row(address, "Address line &2", self.line2, "address.line2")
        self.town = QLineEdit(body)
        self._row(address, "To&wn", self.town, "address.town")
        self.postcode = QLineEdit(body)
        self.postcode.setPlaceholderText("CV34 4RL")
        self._row(address, "Post&code", self.postcode, "address.postcode")
        self.council = QComboBox(body)
        self.council.addItem("From the postcode", None)
        for code, council in policy_set().councils.items():
            self.council.addItem(f"{code} - {council.name}", code)
        self._row(address, "Counci&l", self.council, "council")
        self.council_hint = StatusLabel("", body)
        self.council_hint.setWordWrap(True)
        self.council_hint.setAccessibleDescription("Council from the postcode")
        address.addRow("", self.council_hint)
        self.postcode.textChanged.connect(self._postcode_changed)

        self.property_fields: dict[str, QWidget] = {}
        if mode == DETAILS:
            facts = self._group("Tenure and property", right)
            self.tenure = QComboBox(body)
            self.tenure.addItem("Not recorded", None)
            for key, label in TENURES.items():
                self.tenure.addItem(label, key)
            self._row(facts, "Tenure", self.tenure, "property.tenure")
            for key, label in (("property_type", "Type of property"), ("bedrooms", "Bedrooms"),
                               ("years_owned", "Years owned"), ("landlord", "Landlord")):
                edit = QLineEdit(body)
                self._row(facts, label, edit, f"property.{key}")
                self.property_fields[key] = edit

        contact = self._group("Contact", right)
        self.preference = QComboBox(body)
        self.preference.addItem("As the details allow", None)
        for key, label in self.lists.labels("contact_preferences").items():
            self.preference.addItem(label, key)
        self._row(contact, "Contact pre&ference", self.preference, "contact_preference")
        self.advocate = QLineEdit(body)
        self.advocate.setPlaceholderText("Name, relationship, phone")
        self._row(contact, "Ad&vocate or carer", self.advocate, "advocate")
        self.reason = QPlainTextEdit(body)
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("What the customer said they need, in their words")
        self.reason.setMaximumHeight(80)
        self._row(contact, "Reason for the enquir&y", self.reason, "reason")

        self.urgency: dict[str, QCheckBox] = {}
        self.vulnerable = WrapCheckBox("Vulnerable group or individual (policy &9.2)", body)
        if mode == NEW:
            urgent = QGroupBox("Urgency grounds known so far (policy 9.1; a senior supervisor agrees later)", body)
            urgent_layout = QVBoxLayout(urgent)
            wrap_title(urgent, urgent_layout)
            for key, reason in URGENCY_GROUNDS.items():
                box = WrapCheckBox(reason[0].upper() + reason[1:], urgent)
                box.setAccessibleName(box.text())
                urgent_layout.addWidget(box)
                self.urgency[key] = box
            self.vulnerable.setAccessibleName(plain(self.vulnerable.text()))
            urgent_layout.addWidget(self.vulnerable)
            right.addWidget(urgent)
            self.fields["urgency"] = next(iter(self.urgency.values()))
            self.names["urgency"] = "Urgency grounds"
            self.fields["vulnerable"] = self.vulnerable
            self.names["vulnerable"] = "Vulnerable group"
        else:
            self.vulnerable.setVisible(False)
        right.addStretch(1)

        self.duplicate_box = QFrame(self)
        self.duplicate_box.setObjectName("duplicate")
        self.duplicate_box.setFrameShape(QFrame.Shape.StyledPanel)
        duplicate_layout = QHBoxLayout(self.duplicate_box)
        self.duplicate_text = StatusLabel("", self.duplicate_box)
        self.duplicate_text.setWordWrap(True)
        self.duplicate_text.setAccessibleDescription("Likely duplicate")
        self.open_duplicate = named_button("Open the e&xisting case", self.duplicate_box)
        self.save_anyway = named_button("Save &anyway", self.duplicate_box)
        duplicate_layout.addWidget(self.duplicate_text, 1)
        duplicate_layout.addWidget(self.open_duplicate)
        duplicate_layout.addWidget(self.save_anyway)
        self.duplicate_box.setVisible(False)
        outer.addWidget(self.duplicate_box)
        self.open_duplicate.clicked.connect(self._open_duplicate)
        self.save_anyway.clicked.connect(lambda: self._submit(force=True))

        self.message = StatusLabel("", self)
        self.message.setObjectName("problem")
        self.message.setWordWrap(True)
        self.message.setAccessibleDescription("Problem")
        outer.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = named_button("&Save enquiry" if mode == NEW else "&Save details", self)
        self.save_button.setDefault(True)
        self.cancel_button = named_button("Cancel", self)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        outer.addLayout(buttons)
        self.save_button.clicked.connect(lambda: self._submit(force=False))
        self.cancel_button.clicked.connect(self.reject)
        if data:
            self.fill(data)
        if mode == DETAILS:  # the enquiry's date is a stage date: it is corrected on the timeline
            self.received.setEnabled(False)
            self.received.setToolTip("Correct the enquiry date on the timeline, with the reason")
        for combo in body.findChildren(QComboBox):  # long choices never widen the form (1366x768)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
        resize_within_screen(self, 1260, 720)

    # --- building ------------------------------------------------------------------------------

    def _group(self, title: str, column: QVBoxLayout) -> QFormLayout:
        box = QGroupBox(title, column.parentWidget() or self.body)
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        column.addWidget(box)
        return form

    def _row(self, form: QFormLayout, text: str, widget: QWidget, field: str) -> None:
        required = field in REQUIRED
        label = QLabel(f"{text} *" if required else text, self.body)
        label.setBuddy(widget)
        describe_field(widget, plain(text), required=required)
        form.addRow(label, widget)
        self.fields[field] = widget
        self.names[field] = plain(text)

    def add_person(self, person: Mapping[str, Any] | None = None) -> int:
        person = person or {}
        row = self.household.rowCount()
        self.household.insertRow(row)
        name = " ".join(str(person.get(k) or "") for k in ("given_name", "family_name")).strip() or str(
            person.get("name") or "")
        born = person.get("date_of_birth") or ""
        if born:
            with contextlib.suppress(ValueError):
                born = f"{date.fromisoformat(str(born)):%d/%m/%Y}"
        for column, text in enumerate((name, str(born), str(person.get("relationship") or ""))):
            item = QTableWidgetItem(text)
            if column == 0:
                item.setData(Qt.ItemDataRole.UserRole, person.get("id"))
            self.household.setItem(row, column, item)
        flag = QTableWidgetItem("")
        flag.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        flag.setCheckState(Qt.CheckState.Checked if person.get("disabled") else Qt.CheckState.Unchecked)
        flag.setData(Qt.ItemDataRole.AccessibleTextRole, "Disabled")
        self.household.setItem(row, 3, flag)
        self.household.setCurrentCell(row, 0)
        return row

    def _remove_person(self) -> None:
        row = self.household.currentRow()
        if row >= 0:
            self.household.removeRow(row)

    def _postcode_changed(self, text: str) -> None:
        district = postcode_district(text)
        if district is None:
            self.council_hint.setText("")
            return
        check = check_warwickshire_postcode(text)
        if not check.in_warwickshire:
            self.council_hint.setText(f"{district} is outside Warwickshire (policy 5.11).")
            return
        names = policy_set().councils
        if len(check.councils) == 1:
            self.council_hint.setText(f"{district}: {names[check.councils[0]].name}."
                                      + (f" {check.message}" if check.message else ""))
        else:
            self.council_hint.setText(f"{district} lies in {' and '.join(check.councils)}: choose the council.")

    # --- data ----------------------------------------------------------------------------------

    def fill(self, data: Mapping[str, Any]) -> None:
        """Show a case's details (the details dialog) or an enquiry's fields."""
        if data.get("received"):
            self.received.setDate(QDate(date.fromisoformat(str(data["received"]))))
        if data.get("channel"):
            self.channel.setCurrentIndex(max(0, self.channel.findData(data["channel"])))
        self.referrer.setText(str(data.get("referrer") or ""))
        self.referrer_contact.setText(str(data.get("referrer_contact") or ""))
        customer = data.get("customer") or {}
        self._customer_id = customer.get("id")
        self.name.setText(" ".join(str(customer.get(k) or "") for k in ("given_name", "family_name")).strip()
                          or str(customer.get("name") or ""))
        born = customer.get("date_of_birth")
        self.born.setText(f"{date.fromisoformat(str(born)):%d/%m/%Y}" if born else "")
        self.phone.setText(str(customer.get("phone") or ""))
        self.email.setText(str(customer.get("email") or ""))
        self.ni_number.setText(str(customer.get("ni_number") or ""))
        self.disabled.setChecked(bool(customer.get("disabled")))
        self.household.setRowCount(0)
        for person in data.get("household") or []:
            self.add_person(person)
        address = data.get("address") or {}
        self.line1.setText(str(address.get("line1") or ""))
        self.line2.setText(str(address.get("line2") or ""))
        self.town.setText(str(address.get("town") or ""))
        self.postcode.setText(str(address.get("postcode") or ""))
        if data.get("council"):
            self.council.setCurrentIndex(max(0, self.council.findData(data["council"])))
        if data.get("contact_preference"):
            self.preference.setCurrentIndex(max(0, self.preference.findData(data["contact_preference"])))
        self.advocate.setText(str(data.get("advocate") or ""))
        self.reason.setPlainText(str(data.get("reason") or ""))
        facts = data.get("property") or {}
        if self.mode == DETAILS:
            self.tenure.setCurrentIndex(max(0, self.tenure.findData(facts.get("tenure"))))
            for key, edit in self.property_fields.items():
                value = facts.get(key)
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                assert isinstance(edit, QLineEdit)
                edit.setText("" if value is None else str(value))

    def data(self) -> dict[str, Any]:
        """The form as ``domain.intake.read_enquiry`` reads it (nothing is dropped: a bad value is
        sent as typed, so the check names it)."""
        customer: dict[str, Any] = {"name": self.name.text().strip(), "date_of_birth": self.born.text().strip(),
                                    "phone": self.phone.text().strip(), "email": self.email.text().strip(),
                                    "ni_number": self.ni_number.text().strip(),
                                    "disabled": self.disabled.isChecked()}
        if getattr(self, "_customer_id", None):
            customer["id"] = self._customer_id
        household = []
        for row in range(self.household.rowCount()):
            def cell(column: int, row: int = row) -> str:
                item = self.household.item(row, column)
                return item.text().strip() if item is not None else ""

            first = self.household.item(row, 0)
            if not any(cell(c) for c in range(3)):
                continue
            person: dict[str, Any] = {"name": cell(0), "date_of_birth": cell(1), "relationship": cell(2),
                                      "disabled": self.household.item(row, 3).checkState() == Qt.CheckState.Checked}
            if first is not None and first.data(Qt.ItemDataRole.UserRole):
                person["id"] = first.data(Qt.ItemDataRole.UserRole)
            household.append(person)
        out: dict[str, Any] = {
            "received": self.received.date().toPython().isoformat(), "channel": self.channel.currentData(),
            "referrer": self.referrer.text().strip(), "referrer_contact": self.referrer_contact.text().strip(),
            "customer": customer, "household": household,
            "address": {"line1": self.line1.text().strip(), "line2": self.line2.text().strip(),
                        "town": self.town.text().strip(), "postcode": self.postcode.text().strip()},
            "council": self.council.currentData(), "contact_preference": self.preference.currentData(),
            "advocate": self.advocate.text().strip(), "reason": self.reason.toPlainText().strip(),
        }
        if self.mode == NEW:
            out["urgency"] = [key for key, box in self.urgency.items() if box.isChecked()]
            out["vulnerable"] = self.vulnerable.isChecked()
        else:
            out["property"] = {"tenure": self.tenure.currentData(), **{
                key: edit.text().strip() for key, edit in self.property_fields.items()
                if isinstance(edit, QLineEdit)}}
        return {k: v for k, v in out.items() if v not in (None, "")}

    # --- answers from the use case -------------------------------------------------------------

    def _submit(self, force: bool) -> None:
        self.message.setText("")
        self._mark(None)
        if not force:
            self.duplicate_box.setVisible(False)
        self.save_button.setEnabled(False)
        self.submitted.emit(self.data(), force)

    def refused(self, field: str | None, message: str) -> None:
        """Name the field and what is wrong; the cursor goes to it; nothing typed is lost."""
        self.save_button.setEnabled(True)
        key = field or ""
        widget = self.fields.get(key)
        if widget is None and key.startswith("household["):
            row = int(key[len("household["):key.index("]")])
            column = {"name": 0, "given_name": 0, "family_name": 0, "date_of_birth": 1, "relationship": 2,
                      "disabled": 3}.get(key.rsplit(".", 1)[-1], 0)
            self.household.setCurrentCell(row, column)
            widget = self.household
            name = f"Household member {row + 1}: {HOUSEHOLD_COLUMNS[column].lower()}"
        else:
            name = self.names.get(key, key)
        self.message.setText(f"{name}: {message}" if name else message)
        self._mark(widget)
        if widget is not None:
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def _mark(self, widget: QWidget | None) -> None:
        """The field at fault is outlined (the style sheet's ``invalid``) and says what is wrong to
        assistive technology (its description); the others are not."""
        described: set[int] = set()
        for key, other in self.fields.items():
            if id(other) in described:  # a widget under two keys (the name's parts): its first key names it
                continue
            described.add(id(other))
            describe_field(other, self.names.get(key, key), required=key in REQUIRED,
                           problem=self.message.text() if other is widget else "")
        for other in set(self.fields.values()):
            if other.property("invalid") != (other is widget):
                other.setProperty("invalid", other is widget)
                other.style().unpolish(other)
                other.style().polish(other)

    def offer_duplicate(self, cases: list[dict[str, Any]]) -> None:
        """A likely duplicate: open it, or save anyway."""
        self.save_button.setEnabled(True)
        first = cases[0]
        state = f"closed ({first['outcome']})" if first.get("outcome") else f"at stage {first.get('stage')}"
        more = f" and {len(cases) - 1} more" if len(cases) > 1 else ""
        self.duplicate_text.setText(f"Likely duplicate: {first['reference']}{more} has {first['given_name']} "
                                    f"{first['family_name']} with the same date of birth and postcode ({state}).")
        self._duplicate_id = str(first["id"])
        self.duplicate_box.setVisible(True)
        self.open_duplicate.setFocus()

    def _open_duplicate(self) -> None:
        if self._duplicate_id:
            self.open_existing.emit(self._duplicate_id)
            self.reject()

    def failed(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self.message.setText(message)
