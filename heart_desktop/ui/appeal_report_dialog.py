"""The dialog behind the appeal's "Anonymised report for the panel…" button (policy 12.20).

It says what the report leaves out, lists the case's photos each with a box the officer ticks to
include it, which is their confirmation that the photo shows no faces and no house numbers (none is
ticked to begin with: no photos unless chosen), and saves the report as a PDF where the officer
says. The report is made on the store worker by ``services.appeal_report.make``, which records
the export and the confirmations in the case's audit. A case that cannot have the report yet says
why and offers nothing to save.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.services import appeal_report
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.screen_fit import resize_within_screen, scrolling
from heart_desktop.ui.session import Session

BUTTON_TEXT = "Anonymised report for the panel…"
EXPLAINED = ("The report gives the panel the case without the applicant's identity (policy 12.20): names "
             "become roles, dates of birth ages, the postcode its district, and the address, phone numbers, "
             "emails and NI numbers are removed, in every note and contact too. Tick a photo only if the "
             "panel needs it and it shows no faces and no house numbers.")


class AppealReportDialog(QDialog):
    """Choose the photos (each ticked is confirmed as showing no faces or house numbers) and save."""

    loaded = Signal()
    saved = Signal(dict)  # what the service made: out, sha256, pages, masked, photos
    failed = Signal(str)

    def __init__(self, session: Session, case_id: str, appeal_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.case_id, self.appeal_id = session, case_id, appeal_id
        self.setWindowTitle("Anonymised report for the panel")
        self.setAccessibleName("Anonymised report for the panel")
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        intro = QLabel(EXPLAINED, self)
        intro.setWordWrap(True)
        intro.setAccessibleDescription("What the report leaves out")  # read by its words
        layout.addWidget(intro)
        self.photos_widget = QWidget(self)
        self.photos_layout = QVBoxLayout(self.photos_widget)
        # the photos' tick boxes take focus and the area scrolls to them: it takes none itself
        self.photos_area = scrolling(self.photos_widget, self, "Photos of the case")
        self.photos_area.setFrameShape(QFrame.Shape.StyledPanel)
        layout.addWidget(self.photos_area, 1)
        self.message = StatusLabel("Reading the case…", self, kind="Report status")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.save_button = QPushButton("Save report…", self)
        self.save_button.setAccessibleName("Save report…")
        self.save_button.setEnabled(False)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        close.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.ask_where)
        layout.addWidget(buttons)
        resize_within_screen(self, 720, 560)  # at 150% scale the screen is 911x512: the photos scroll
        day = self.today()
        session.worker.submit(lambda: (appeal_report.refusal(session, case_id, appeal_id),
                                       appeal_report.photo_choices(session, case_id, today=day)),
                              lambda result: self._loaded(*result), self._failed)

    def today(self) -> date:
        return self.session.today()

    def _loaded(self, refusal: str | None, photos: list[dict[str, Any]]) -> None:
        for number, photo in enumerate(photos, start=1):
            row = QHBoxLayout()
            picture = QLabel(self.photos_widget)
            pixmap = QPixmap()
            if photo["thumbnail"] and pixmap.loadFromData(photo["thumbnail"]):
                picture.setPixmap(pixmap)
            else:
                picture.setText("(not on this laptop)")
            picture.setAccessibleName(f"Photo {number}")
            text = f"Include photo {number}: I confirm it shows no faces and no house numbers"
            # a check box's text does not wrap: the confirmation goes under it in a label that does,
            # so with a 16 pt font the dialog reflows instead of scrolling sideways; heard as one
            box = QCheckBox(f"&Include photo {number}" if number == 1 else f"Include photo {number}",
                            self.photos_widget)
            box.setAccessibleName(text)
            confirm = QLabel("I confirm it shows no faces and no house numbers", self.photos_widget)
            confirm.setWordWrap(True)
            confirm.setBuddy(box)
            caption = QLabel(f"Its caption, as the panel will read it: {photo['shown_as'] or 'none'}",
                             self.photos_widget)
            caption.setWordWrap(True)
            caption.setAccessibleDescription(f"Caption of photo {number}")  # read by its words
            caption.setBuddy(box)
            self.boxes[photo["id"]] = box
            words = QVBoxLayout()
            words.addWidget(box)
            words.addWidget(confirm)
            words.addWidget(caption)
            words.addStretch(1)
            row.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
            row.addLayout(words, 1)
            self.photos_layout.addLayout(row)
        if not photos:
            self.photos_layout.addWidget(QLabel("The case has no photos: the report will have none.",
                                                self.photos_widget))
        self.photos_layout.addStretch(1)
        if refusal:
            self.message.setText(f"Not available yet: {refusal}.")
        else:
            self.message.setText("No photo is included unless you tick it.")
            self.save_button.setEnabled(True)
        self.loaded.emit()

    def chosen(self) -> list[str]:
        """The photos ticked, in the case's order."""
        return [photo_id for photo_id, box in self.boxes.items() if box.isChecked()]

    def ask_where(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save the anonymised report", str(Path.home() /
                                              "appeal-report.pdf"), "PDF (*.pdf)")
        if name:
            self.save_to(Path(name if name.lower().endswith(".pdf") else f"{name}.pdf"))

    def save_to(self, path: Path) -> None:
        """Make the report with the photos ticked and write it to ``path``."""
        session, case_id, appeal_id = self.session, self.case_id, self.appeal_id
        photos, day = self.chosen(), self.today()
        now = datetime.now().replace(microsecond=0)
        at = now if now.date() == day else datetime.combine(day, now.time())
        self.save_button.setEnabled(False)
        self.message.setText("Making the report…")

        def make() -> dict[str, Any]:
            made = appeal_report.make(session, case_id, today=day, photos=photos, at=at, appeal_id=appeal_id)
            path.write_bytes(made["pdf"])
            return {key: value for key, value in made.items() if key not in ("pdf", "text")} | {"out": str(path)}

        session.worker.submit(make, self._saved, self._failed)

    def _saved(self, made: dict[str, Any]) -> None:
        masked = sum(made["masked"].values())
        self.message.setText(f"Saved {made['out']}: {made['pages']} pages, {len(made['photos'])} photos, "
                             f"{masked} identifying details masked. The export is in the case's audit.")
        self.save_button.setEnabled(True)
        self.saved.emit(made)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(str(error))
        self.save_button.setEnabled(False)
        self.failed.emit(str(error))


class ReportButton(QPushButton):
    """The appeal's "Anonymised report for the panel…" button: opens the dialog for the case (and
    appeal) its callables give when clicked; ``dialog`` is the one last opened."""

    def __init__(self, session: Session, case_id: Callable[[], str | None],
                 appeal_id: Callable[[], str | None] = lambda: None, parent: QWidget | None = None) -> None:
        super().__init__(BUTTON_TEXT, parent)  # no Alt key: every letter of it is taken on the case's screen
        self.setAccessibleName(BUTTON_TEXT)
        self.session, self.case_id, self.appeal_id = session, case_id, appeal_id
        self.dialog: AppealReportDialog | None = None
        self.clicked.connect(self.open_dialog)

    def open_dialog(self) -> None:
        chosen = self.case_id()
        if not chosen:
            return
        self.dialog = AppealReportDialog(self.session, chosen, self.appeal_id(), self.window())
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.open()
