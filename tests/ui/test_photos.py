"""Photos in the case workspace: added from a file (no camera on this machine), shown as a
thumbnail, refused with a message when the file is not an image, and a camera frame (a fake camera
source) taken into the encrypted store from memory, no file written on the way."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from gui_steps import open_first_case, unlocked
from PIL import Image
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from heart_desktop.ui import camera
from heart_desktop.ui.main_window import MainWindow
from heart_desktop.ui.photos_panel import PhotosPanel


def a_photo(path: Path) -> Path:
    Image.new("RGB", (640, 480), (180, 120, 60)).save(path, "JPEG")
    return path


def open_photos(qtbot: QtBot, window: MainWindow) -> PhotosPanel:
    unlocked(qtbot, window)
    open_first_case(qtbot, window, "CV")
    assert window.workspace is not None
    window.workspace.tabs.setCurrentWidget(window.workspace.photos)
    return window.workspace.photos


def test_without_a_camera_the_file_dialog_is_asked(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    photo = a_photo(tmp_path / "kitchen.jpg")
    monkeypatch.setattr(camera, "camera_names", lambda: [])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(photo), "")))
    panel = open_photos(qtbot, window)
    before = panel.list.count()
    panel.choose_file()
    qtbot.waitUntil(lambda: panel.message.text() == "Photo added.", timeout=10_000)
    qtbot.waitUntil(lambda: panel.list.count() == before + 1, timeout=10_000)
    assert photo.exists()  # the officer's own file is left alone


class FakeCamera:
    """A camera source giving one synthetic frame, as Qt Multimedia's capture would: in memory."""

    def __init__(self) -> None:
        self.frames = 0

    def names(self) -> list[str]:
        return ["Fake test camera"]

    def capture(self, _parent: object) -> bytes:
        self.frames += 1
        image = QImage(640, 480, QImage.Format.Format_RGB32)
        image.fill(QColor(40, 150, 90))
        return camera.jpeg_bytes(image)


def choose_camera_when_asked(qtbot: QtBot) -> None:
    """Click "Use the camera" in the add-photo question once it is shown (it is modal)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.objectName() == "add-photo-choice":
            next(b for b in box.buttons() if "camera" in b.text()).click()
        else:
            QTimer.singleShot(20, click)

    QTimer.singleShot(0, click)


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_a_camera_frame_goes_into_the_store_without_a_file(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    fake = FakeCamera()
    previous = camera.set_camera_source(fake)
    try:
        panel = open_photos(qtbot, window)
        before = panel.list.count()
        around = set(files_under(tmp_path))
        choose_camera_when_asked(qtbot)
        panel.choose_file()
        qtbot.waitUntil(lambda: panel.list.count() == before + 1, timeout=10_000)
    finally:
        camera.set_camera_source(previous)
    assert fake.frames == 1
    assert files_under(temp) == []  # nothing written to the temporary directory
    new_files = [p for p in set(files_under(tmp_path)) - around if "heartdb" not in p.name]
    assert new_files == []  # nor anywhere else: only the encrypted store (and its WAL) changed
    store = window.session.store
    photos = window.worker.call(lambda: [a for a in store.attachments.where("case_id = ?", (panel.case_id,))
                                         if a["filename"] == "camera.jpg"])
    assert len(photos) == 1 and photos[0]["width"] == 640


def test_a_file_that_is_not_an_image_is_refused_with_a_message(qtbot: QtBot, window: MainWindow,
                                                               tmp_path: Path) -> None:
    bogus = tmp_path / "notes.jpg"
    bogus.write_text("not a picture")
    panel = open_photos(qtbot, window)
    before = panel.list.count()
    panel.add_file(str(bogus))
    qtbot.waitUntil(lambda: panel.message.text().startswith("Not added:"), timeout=10_000)
    assert "image" in panel.message.text().lower()
    assert panel.list.count() == before


def test_a_caption_is_typed_for_the_selected_photo_and_kept(qtbot: QtBot, window: MainWindow,
                                                            tmp_path: Path) -> None:
    panel = open_photos(qtbot, window)
    before = panel.list.count()
    panel.add_file(str(a_photo(tmp_path / "IMG_0001.jpg")))
    qtbot.waitUntil(lambda: panel.list.count() == before + 1, timeout=10_000)
    row = next(i for i in range(panel.list.count()) if "IMG_0001" in panel.list.item(i).text())
    assert "no caption yet" in panel.list.item(row).text()
    panel.list.setCurrentRow(row)
    assert panel.caption.isEnabled() and panel.caption.text() == ""
    panel.caption.setFocus()
    qtbot.keyClicks(panel.caption, "Back step: 25 cm, no rail")
    with qtbot.waitSignal(panel.caption_saved, timeout=10_000) as saved:
        qtbot.keyClick(panel.caption, Qt.Key.Key_Return)  # Enter keeps it, no mouse needed
    stored = window.worker.call(lambda: window.session.store.attachments.get(saved.args[0]))
    assert stored["caption"] == "Back step: 25 cm, no rail"
    qtbot.waitUntil(lambda: any(panel.list.item(i).text() == "Back step: 25 cm, no rail"
                                for i in range(panel.list.count())), timeout=10_000)
