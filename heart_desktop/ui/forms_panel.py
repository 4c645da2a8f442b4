"""The case's visit forms: pick one, fill it in the generic renderer, save as you type, complete.

A completed or signed form is a fixed version: editing it starts a new draft that names it as
its base (the store's ``revise``), so sync can tell an edit from a clash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.domain.case_summary import CaseSummary
from heart_desktop.formkit import Form
from heart_desktop.services.form_context import case_context
from heart_desktop.store.case_facts import latest_form
from heart_desktop.ui.autosave import Autosaver
from heart_desktop.ui.camera import ask_for_photo
from heart_desktop.ui.form_view import FormView
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.reflow import Splitter
from heart_desktop.ui.session import Session
from heart_desktop.ui.tables import wrapping_list

STATUS_WORDS = {None: "not started", "draft": "draft", "complete": "complete", "signed": "signed"}


def latest_submissions(forms: list[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """The current version of each form on the case."""
    latest: dict[str, Mapping[str, Any]] = {}
    for form_id in {row["form_id"] for row in forms}:
        row = latest_form(forms, form_id)
        if row is not None:
            latest[form_id] = row
    return latest


class FormsPanel(QWidget):
    form_saved = Signal(str)  # form id
    form_completed = Signal(str)  # form id: a finished form is worth sending to the office at once
    draft_saved = Signal(str)  # form id: its answers are in the store (and the rows kept in step with it)
    answers_edited = Signal(str, dict)  # form id, answers on screen: every edit, before it is saved

    def __init__(self, session: Session, forms: list[Form], summary: Callable[[], CaseSummary | None],
                 parent: QWidget | None = None,
                 starting_answers: Callable[[str], dict[str, Any]] = lambda _form_id: {},
                 more_context: Callable[[], Mapping[str, Any]] = dict) -> None:
        super().__init__(parent)
        self.more_context = more_context  # the case workspace's own computations (the test of resources)
        self.starting_answers = starting_answers  # what a new form begins with, from the loaded case
        self.session, self.worker = session, session.worker
        self.forms = {f.id: f for f in forms}
        self.summary = summary
        self.case_id: str | None = None
        self.submissions: dict[str, Mapping[str, Any]] = {}
        self.current: Form | None = None
        self.submission_id: str | None = None
        self.view: FormView | None = None
        self._shown_rev: int | None = None  # the stored version the open form shows (or wrote itself)
        self.setAccessibleName("Visit forms")
        layout = QHBoxLayout(self)
        splitter = Splitter(Qt.Orientation.Horizontal, self)
        self.list = QListWidget(splitter)
        self.list.setAccessibleName("Forms for this case")
        wrapping_list(self.list)
        right = QWidget(splitter)
        self.right_layout = QVBoxLayout(right)
        bar = QHBoxLayout()
        self.status = StatusLabel("Choose a form.", right)
        self.status.setAccessibleDescription("Form status")
        self.status.setWordWrap(True)
        self.complete_button = QPushButton("Mark form comp&lete", right)
        self.complete_button.setAccessibleName("Mark form complete")
        self.revise_button = QPushButton("&Revise (new version)", right)
        self.revise_button.setAccessibleName("Revise completed form")
        bar.addWidget(self.status, 1)
        bar.addWidget(self.revise_button)
        bar.addWidget(self.complete_button)
        self.right_layout.addLayout(bar)
        self.placeholder = QLabel("", right)
        self.right_layout.addWidget(self.placeholder, 1)
        # the list a fifth of a small screen at most (911 logical pixels at 150%), so the form beside it
        # (the HHSRS editor's tree and scores) is not cut off on the right
        screen = QGuiApplication.primaryScreen()
        wide = screen.availableGeometry().width() if screen is not None else 1366
        splitter.setSizes([min(260, wide // 5), 900])
        layout.addWidget(splitter)
        self.saver = Autosaver(self.worker, self._save, self)
        self.saver.saved.connect(lambda: self.status.setText(self._status_text("Saved")))
        self.saver.saved.connect(lambda: self.draft_saved.emit(self.current.id if self.current else ""))
        self.saver.failed.connect(lambda m: self.status.setText(f"Not saved yet (will retry): {m}"))
        self.list.currentItemChanged.connect(self._chosen)
        self.complete_button.clicked.connect(self.complete)
        self.revise_button.clicked.connect(self.revise)
        self.complete_button.setEnabled(False)
        self.revise_button.setEnabled(False)

    def show_case(self, case_id: str, forms: list[Mapping[str, Any]]) -> None:
        changed_case = case_id != self.case_id
        self.case_id = case_id
        self.submissions = latest_submissions(forms)
        selected = self.current.id if self.current and not changed_case else None
        self.list.blockSignals(True)
        self.list.clear()
        for form in self.forms.values():
            row = self.submissions.get(form.id)
            status = STATUS_WORDS.get(row.get("status") if row else None, "")
            item = QListWidgetItem(f"{form.title} ({status})" if status else form.title)
            item.setData(Qt.ItemDataRole.UserRole, form.id)
            self.list.addItem(item)
            if form.id == selected:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if changed_case:
            self._clear_view()
        elif self._changed_elsewhere():
            self._chosen(self.list.currentItem(), None)  # show what the Works tab or a sync wrote

    def _changed_elsewhere(self) -> bool:
        """Did something other than this view change the open form (and is nothing of ours unsaved)?"""
        if self.current is None or self.submission_id is None or self.saver.has_pending():
            return False
        row = self.submissions.get(self.current.id)
        if row is None:
            return False
        if str(row["id"]) != self.submission_id:
            return True
        # only newer than what this view wrote: a save of ours still on its way is not "elsewhere"
        return int(row.get("rev") or 0) > int(self._shown_rev or 0)

    def open_form(self, form_id: str) -> None:
        for index in range(self.list.count()):
            if self.list.item(index).data(Qt.ItemDataRole.UserRole) == form_id:
                self.list.setCurrentRow(index)
                return

    def _clear_view(self) -> None:
        if self.view is not None:
            self.view.setParent(None)
            self.view.deleteLater()
            self.view = None
        self.current, self.submission_id = None, None
        self.placeholder.setVisible(True)
        self.status.setText("Choose a form.")
        self.complete_button.setEnabled(False)
        self.revise_button.setEnabled(False)

    def _chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        self.saver.flush(wait=True)
        if item is None:
            return
        form = self.forms[item.data(Qt.ItemDataRole.UserRole)]
        row = self.submissions.get(form.id)
        self._clear_view()
        self.current = form
        self.submission_id = str(row["id"]) if row else None
        self._shown_rev = row.get("rev") if row else None
        answers = dict(row.get("answers") or {}) if row else self.starting_answers(form.id)
        self.view = FormView(form, answers, context={**case_context(self.summary), **self.more_context()},
                             attach_photo=self._attach_photo, parent=self)
        self.placeholder.setVisible(False)
        self.right_layout.addWidget(self.view, 1)
        locked = bool(row and row.get("status") in ("complete", "signed"))
        self.view.set_read_only(locked)
        self.complete_button.setEnabled(not locked)
        self.revise_button.setEnabled(locked)
        self.view.answers_changed.connect(self._changed)
        self.status.setText(self._status_text())

    def _status_text(self, prefix: str = "") -> str:
        if self.current is None:
            return ""
        row = self.submissions.get(self.current.id)
        state = STATUS_WORDS.get(row.get("status") if row else None, "")
        words = f"{self.current.title}, version {self.current.version}: {state}"
        return f"{prefix} - {words}" if prefix else words

    def _changed(self, answers: dict[str, Any]) -> None:
        if self.current is None or self.case_id is None:
            return
        self.saver.changed((self.case_id, self.current.id, self.current.version, answers))
        self.answers_edited.emit(self.current.id, answers)

    def _save(self, payload: tuple[str, str, str, dict[str, Any]]) -> None:
        """Runs on the store worker: start the draft on the first answer, then replace its answers."""
        case_id, form_id, version, answers = payload
        if self.submission_id is None or self.current is None or self.current.id != form_id:
            row = self.session.start_form(case_id, form_id, version)
            self.submission_id = str(row["id"])
        self._shown_rev = self.session.save_draft(self.submission_id, answers)
        self.session.after_form_saved(case_id, form_id, answers)

    def complete(self) -> None:
        if self.view is None or self.current is None:
            return
        refused = self.session.form_refusal(self.current.id)
        if refused:
            self.status.setText(self._status_text(f"Cannot complete: {refused}"))
            return
        if not self.view.try_complete():
            self.status.setText(self._status_text("Cannot complete yet - see the marked answers"))
            return
        self.saver.flush(wait=True)
        if self.submission_id is None:
            self.saver.changed((self.case_id, self.current.id, self.current.version, self.view.answers))
            self.saver.flush(wait=True)
        submission = self.submission_id
        assert submission is not None
        self.worker.call(lambda: self.session.complete_form(submission))
        self.view.set_read_only(True)
        self.complete_button.setEnabled(False)
        self.revise_button.setEnabled(True)
        self.status.setText(f"{self.current.title}: complete")
        self.form_saved.emit(self.current.id)
        self.form_completed.emit(self.current.id)

    def revise(self) -> None:
        if self.submission_id is None:
            return
        old = self.submission_id
        self.submission_id = self.worker.call(lambda: self.session.revise_form(old))
        if self.view is not None:
            self.view.set_read_only(False)
        self.complete_button.setEnabled(True)
        self.revise_button.setEnabled(False)
        self.status.setText(self._status_text("New draft version"))
        self._shown_rev = None
        self.form_saved.emit(self.current.id if self.current else "")  # the case reloads: the new version shows

    def _attach_photo(self) -> dict[str, Any] | None:
        if self.case_id is None:
            return None
        picked = ask_for_photo(self)
        if picked is None:
            return None
        case_id = self.case_id
        try:
            attachment = self.worker.call(lambda: self.session.add_photo_ref(case_id, picked.source(), picked.filename))
        except Exception as exc:  # shown to the officer; the form keeps its answers
            self.status.setText(f"Photo not added: {exc}")
            return None
        finally:
            picked.discard()
        return attachment

    def flush(self) -> None:
        self.saver.flush(wait=True)

