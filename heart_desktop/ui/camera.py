"""Photos from the laptop's camera, where Qt Multimedia finds one, or else from a file.

Qt Multimedia is imported only when a photo is asked for (it is slow to load and absent on some
builds). A captured frame is encoded as JPEG into memory (a QBuffer) and handed to the store as
bytes: no plain copy of the photo is ever written to disk, it only lives inside the encrypted store.

The camera is a :class:`CameraSource` (``set_camera_source`` swaps it), so a machine without Qt
Multimedia, or a test, can give frames from elsewhere.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.ui.messages import message_box

log = logging.getLogger(__name__)
IMAGE_FILTER = "Images (*.jpg *.jpeg *.png *.heic *.webp *.bmp *.tif *.tiff);;All files (*)"
JPEG_QUALITY = 90


def jpeg_bytes(image: QImage, quality: int = JPEG_QUALITY) -> bytes:
    """The frame as JPEG, encoded in memory (never through a file)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "JPG", quality):
        raise ValueError("the camera frame could not be encoded as JPEG")
    buffer.close()
    return bytes(data.data())


class CameraSource(Protocol):
    """Where camera photos come from: ``names()`` the cameras there are, ``capture()`` one frame
    as JPEG bytes (None when the officer cancelled)."""

    def names(self) -> list[str]: ...

    def capture(self, parent: QWidget | None) -> bytes | None: ...


class QtCameraSource:
    """The laptop's own camera through Qt Multimedia: a live view and a "Take photo" button."""

    def names(self) -> list[str]:
        return camera_names()

    def capture(self, parent: QWidget | None) -> bytes | None:
        dialog = CameraDialog(parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.photo
        return None


_source: CameraSource = QtCameraSource()


def camera_source() -> CameraSource:
    return _source


def set_camera_source(source: CameraSource) -> CameraSource:
    """Use ``source`` for camera photos from now on; returns the one it replaces."""
    global _source
    previous, _source = _source, source
    return previous


def camera_names() -> list[str]:
    """The cameras Qt can see; empty when there are none or Qt Multimedia cannot load."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError as exc:  # e.g. a missing system sound library
        log.info("no camera support: %s", exc)
        return []
    return [device.description() for device in QMediaDevices.videoInputs()]


class CameraDialog(QDialog):
    """A live view and a "Take photo" button; ``photo`` holds the frame's JPEG bytes once taken."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession, QMediaDevices
        from PySide6.QtMultimediaWidgets import QVideoWidget

        super().__init__(parent)
        self.setWindowTitle("Take a photo")
        self.setAccessibleName("Take a photo with the camera")
        self.photo: bytes | None = None
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
        # imageCaptured gives the frame in memory; capture() (not captureToFile) writes no file
        self.capture.imageCaptured.connect(self._captured)
        self.capture.errorOccurred.connect(lambda _id, _error, text: self.message.setText(f"Camera: {text}"))
        self.camera.errorOccurred.connect(lambda _error, text: self.message.setText(f"Camera: {text}"))
        self.take.clicked.connect(self.capture.capture)
        cancel.clicked.connect(self.reject)
        self.camera.start()

    def _captured(self, _id: int, image: QImage) -> None:
        try:
            self.photo = jpeg_bytes(image)
        except ValueError:
            self.message.setText("The photo could not be kept. Try again.")
            return
        self.accept()

    def done(self, result: int) -> None:
        self.camera.stop()
        super().done(result)


@dataclass
class PickedPhoto:
    """A photo to import: a file the officer chose (``path``, left untouched), or a camera frame
    held in memory (``data``, with the name it is filed under)."""

    path: Path | None = None
    data: bytes | None = None
    filename: str | None = None  # a chosen file keeps its own name

    def source(self) -> bytes | str:
        """What the store imports: the frame's bytes, or the chosen file's path."""
        if self.data is not None:
            return self.data
        assert self.path is not None
        return str(self.path)

    def discard(self) -> None:
        """Drop the frame from memory once imported (or on failure); a chosen file stays."""
        self.data = None


def photo_source_box(parent: QWidget | None) -> tuple[QMessageBox, QAbstractButton, QAbstractButton]:
    """Camera or file? The box, its camera button and its file button (and Cancel)."""
    box = message_box(parent, QMessageBox.Icon.Question, "Add a photo", "Take a photo now, or choose a file?", ())
    box.setObjectName("add-photo-choice")
    camera = box.addButton("Use the &camera", QMessageBox.ButtonRole.AcceptRole)
    chosen_file = box.addButton("Choose a &file…", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    return box, camera, chosen_file


def ask_for_photo(parent: QWidget, source: CameraSource | None = None) -> PickedPhoto | None:
    """From the camera when there is one and the officer wants it, else from a file."""
    source = source or camera_source()
    if source.names():
        box, camera, chosen_file = photo_source_box(parent)
        box.exec()
        if box.clickedButton() is camera:
            data = source.capture(parent)
            return PickedPhoto(data=data, filename="camera.jpg") if data else None
        if box.clickedButton() is not chosen_file:
            return None
    path, _ = QFileDialog.getOpenFileName(parent, "Add a photo", "", IMAGE_FILTER)
    return PickedPhoto(Path(path)) if path else None
