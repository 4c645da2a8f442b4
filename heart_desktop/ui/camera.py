"""Photos from the laptop's camera, where Qt Multimedia finds one, or else from a file.

Qt Multimedia is imported only when a photo is asked for (it is slow to load and absent on some
builds). A captured frame is written to a private temporary folder just long enough for the store
to import it, then deleted: the photo itself only lives inside the encrypted store.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)
IMAGE_FILTER = "Images (*.jpg *.jpeg *.png *.heic *.webp *.bmp *.tif *.tiff);;All files (*)"


def camera_names() -> list[str]:
    """The cameras Qt can see; empty when there are none or Qt Multimedia cannot load."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError as exc:  # e.g. a missing system sound library
        log.info("no camera support: %s", exc)
        return []
    return [device.description() for device in QMediaDevices.videoInputs()]


class CameraDialog(QDialog):
    """A live view and a "Take photo" button; ``photo_path`` is set when a frame was captured."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession, QMediaDevices
        from PySide6.QtMultimediaWidgets import QVideoWidget

        super().__init__(parent)
        self.setWindowTitle("Take a photo")
        self.setAccessibleName("Take a photo with the camera")
        self.photo_path: Path | None = None
        self._folder = folder
        layout = QVBoxLayout(self)
        self.view = QVideoWidget(self)
        self.view.setMinimumSize(480, 360)
        layout.addWidget(self.view, 1)
        self.message = QLabel("", self)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.take = QPushButton("&Take photo", self)
        self.take.setAccessibleName("Take photo")
        cancel = QPushButton("Cancel", self)
        buttons.addStretch(1)
        buttons.addWidget(self.take)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self.camera = QCamera(QMediaDevices.defaultVideoInput(), self)
        self.capture = QImageCapture(self)
        self.session = QMediaCaptureSession(self)
        self.session.setCamera(self.camera)
        self.session.setImageCapture(self.capture)
        self.session.setVideoOutput(self.view)
        self.capture.imageCaptured.connect(self._captured)
        self.capture.errorOccurred.connect(lambda _id, _error, text: self.message.setText(f"Camera: {text}"))
        self.camera.errorOccurred.connect(lambda _error, text: self.message.setText(f"Camera: {text}"))
        self.take.clicked.connect(self.capture.capture)
        cancel.clicked.connect(self.reject)
        self.camera.start()

    def _captured(self, _id: int, image: object) -> None:
        path = self._folder / "camera.jpg"
        if image.save(str(path), "JPG", 90):  # type: ignore[attr-defined]
            self.photo_path = path
            self.accept()
        else:
            self.message.setText("The photo could not be kept. Try again.")

    def done(self, result: int) -> None:
        self.camera.stop()
        super().done(result)


@dataclass
class PickedPhoto:
    """A photo to import; ``discard()`` (call it once imported, or on failure) removes a camera
    frame's temporary copy and leaves a file the officer chose untouched."""

    path: Path
    temporary_folder: Path | None = None

    def discard(self) -> None:
        if self.temporary_folder is not None:
            shutil.rmtree(self.temporary_folder, ignore_errors=True)


def ask_for_photo(parent: QWidget) -> PickedPhoto | None:
    """From the camera when there is one and the officer wants it, else from a file."""
    if camera_names():
        box = QMessageBox(QMessageBox.Icon.Question, "Add a photo", "Take a photo now, or choose a file?",
                          parent=parent)
        camera = box.addButton("Use the &camera", QMessageBox.ButtonRole.AcceptRole)
        chosen_file = box.addButton("Choose a &file…", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is camera:
            folder = Path(tempfile.mkdtemp(prefix="heart-photo-"))
            dialog = CameraDialog(folder, parent)
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.photo_path is not None:
                return PickedPhoto(dialog.photo_path, folder)
            shutil.rmtree(folder, ignore_errors=True)
            return None
        if box.clickedButton() is not chosen_file:
            return None
    path, _ = QFileDialog.getOpenFileName(parent, "Add a photo", "", IMAGE_FILTER)
    return PickedPhoto(Path(path)) if path else None
