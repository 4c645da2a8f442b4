"""Photos in the case workspace: added from a file (no camera on this machine), shown as a
thumbnail, refused with a message when the file is not an image, and a camera frame's temporary
copy removed once it is inside the encrypted store."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_steps import open_first_case, unlocked
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from heart_desktop.ui import camera
from heart_desktop.ui.camera import PickedPhoto
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


def test_a_camera_frame_is_deleted_once_stored(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "capture"
    folder.mkdir()
    frame = a_photo(folder / "camera.jpg")
    panel = open_photos(qtbot, window)
    before = panel.list.count()
    panel.add_picked(PickedPhoto(frame, temporary_folder=folder))
    qtbot.waitUntil(lambda: panel.list.count() == before + 1, timeout=10_000)
    assert not folder.exists()


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
