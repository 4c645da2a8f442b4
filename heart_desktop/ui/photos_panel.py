"""Photos of a case: thumbnails, add from a file, open large. Bytes stay in the encrypted store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.ui.camera import PickedPhoto, ask_for_photo
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.reflow import ScrollRegion
from heart_desktop.ui.screen_fit import resize_within_screen
from heart_desktop.ui.session import Session
from heart_desktop.ui.worker import StoreWorker


def pixmap_from(data: bytes) -> QPixmap:
    pixmap = QPixmap()
    pixmap.loadFromData(data)
    return pixmap


class PhotoViewer(QDialog):
    def __init__(self, data: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(f"Photo: {title}")
        layout = QVBoxLayout(self)
        area = ScrollRegion(self)  # focusable so the arrow keys scroll the picture: a pane, not a filler
        area.setAccessibleName(f"Photo: {title} (arrow keys scroll)")
        label = QLabel(area)
        label.setPixmap(pixmap_from(data))
        label.setAccessibleName(title)
        area.setWidget(label)
        layout.addWidget(area)
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        layout.addWidget(close)
        resize_within_screen(self, 1000, 700)


class PhotosPanel(QWidget):
    photo_added = Signal()
    caption_saved = Signal(str)  # attachment id

    def __init__(self, session: Session, worker: StoreWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker = session, worker
        self.case_id: str | None = None
        self.setAccessibleName("Photos")
        layout = QVBoxLayout(self)
        self.list = QListWidget(self)
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(160, 160))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setSpacing(8)
        self.list.setAccessibleName("Photo thumbnails (Enter opens)")
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton("&Add photo…", self)
        self.add_button.setAccessibleName("Add photo from the camera or a file")
        self.open_button = QPushButton("Open &large", self)
        self.open_button.setAccessibleName("Open selected photo large")
        row.addWidget(self.add_button)
        row.addWidget(self.open_button)
        row.addStretch(1)
        layout.addLayout(row)
        # the caption is what the pack's PDF and HTML copy give a screen reader for the photo
        caption_row = QHBoxLayout()
        caption_label = QLabel("Capt&ion (read aloud to people who cannot see the photo):", self)
        self.caption = QLineEdit(self)
        self.caption.setMaxLength(300)
        self.caption.setPlaceholderText("What the photo shows, e.g. Stairs: no second handrail, worn nosings")
        self.caption.setAccessibleName("Caption of the selected photo, read aloud to people who cannot see it")
        caption_label.setBuddy(self.caption)
        self.save_caption_button = QPushButton("Sa&ve caption", self)
        self.save_caption_button.setAccessibleName("Save the caption of the selected photo")
        caption_row.addWidget(caption_label)
        caption_row.addWidget(self.caption, 1)
        caption_row.addWidget(self.save_caption_button)
        layout.addLayout(caption_row)
        self._caption_enabled(False)
        self.message = StatusLabel("", self)
        self.message.setWordWrap(True)
        self.message.setAccessibleDescription("Photos message")
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self.choose_file)
        self.open_button.clicked.connect(self.open_selected)
        self.list.itemActivated.connect(lambda _item: self.open_selected())
        self.list.currentItemChanged.connect(lambda item, _previous: self._show_caption(item))
        self.caption.returnPressed.connect(self.save_caption)
        self.save_caption_button.clicked.connect(self.save_caption)

    def show_photos(self, case_id: str, attachments: Sequence[Mapping[str, Any]]) -> None:
        if case_id != self.case_id:
            self.message.setText("")
            self.list.setProperty("keep_row", 0)
        self.case_id = case_id
        self.list.clear()
        photos = [a for a in attachments if a.get("kind") == "photo" and not a.get("deleted")]
        if not photos:
            self.message.setText("No photos yet. Add one from the camera or a file.")
        chosen = self.list.property("keep_row")
        for attachment in photos:
            caption = str(attachment.get("caption") or "")
            title = caption or f"{attachment.get('filename') or 'Photo'} (no caption yet)"
            item = QListWidgetItem(str(title))
            item.setData(Qt.ItemDataRole.UserRole, attachment["id"])
            item.setData(Qt.ItemDataRole.UserRole + 1, caption)
            item.setToolTip(f"{title} - {attachment.get('width')}x{attachment.get('height')}")
            self.list.addItem(item)
            attachment_id = str(attachment["id"])
            self.worker.submit(lambda a=attachment_id: self.session.thumbnail(a),
                               lambda data, i=item: i.setIcon(pixmap_from(data)),
                               lambda _e: None)
        if photos:
            self.list.setCurrentRow(min(int(chosen or 0), len(photos) - 1))
        else:
            self._show_caption(None)

    def _caption_enabled(self, enabled: bool) -> None:
        self.caption.setEnabled(enabled)
        self.save_caption_button.setEnabled(enabled)

    def _show_caption(self, item: QListWidgetItem | None) -> None:
        self._caption_enabled(item is not None)
        self.caption.setText(str(item.data(Qt.ItemDataRole.UserRole + 1) or "") if item is not None else "")

    def save_caption(self) -> None:
        """Keep the caption typed for the selected photo (the pack shows it, and reads it aloud)."""
        item = self.list.currentItem()
        if item is None:
            return
        attachment_id, caption = str(item.data(Qt.ItemDataRole.UserRole)), " ".join(self.caption.text().split())
        self.list.setProperty("keep_row", self.list.currentRow())
        self.worker.submit(lambda: self.session.set_caption(attachment_id, caption),
                           lambda _n: self._caption_saved(attachment_id, caption),
                           lambda error: self.message.setText(f"Caption not saved: {error}"))

    def _caption_saved(self, attachment_id: str, caption: str) -> None:
        self.message.setText("Caption saved." if caption else "Caption removed: give one, it is read aloud.")
        self.caption_saved.emit(attachment_id)

    def choose_file(self) -> None:
        picked = ask_for_photo(self)
        if picked is not None:
            self.add_picked(picked)

    def add_file(self, path: str) -> None:
        self.add_picked(PickedPhoto(Path(path)))

    def add_picked(self, picked: PickedPhoto) -> None:
        if self.case_id is None:
            picked.discard()
            return
        case_id = self.case_id

        def import_photo() -> str:
            try:
                return self.session.add_photo(case_id, picked.source(), filename=picked.filename)
            finally:
                picked.discard()

        self.message.setText("Adding the photo…")
        self.worker.submit(import_photo, lambda _id: self._added(),
                           lambda error: self.message.setText(f"Not added: {error}"))

    def _added(self) -> None:
        self.message.setText("Photo added.")
        self.photo_added.emit()

    def open_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        attachment_id = str(item.data(Qt.ItemDataRole.UserRole))
        self.worker.submit(lambda: self.session.photo(attachment_id),
                           lambda data: PhotoViewer(data, item.text(), self).exec(),
                           lambda error: self.message.setText(f"Cannot open the photo: {error}"))
