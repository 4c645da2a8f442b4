"""A day's use leaves no personal data in plain bytes (issue 20): marker names, an address and a
postcode are seeded into a case made through the services; a photo comes from a (fake) camera; the
pack is previewed and printed to the officer's own PDF file through the print path; the store is
backed up and synced with the (encrypted) office; then the laptop is wiped. Every file under the
data directory, the temporary directories, the log directory and the office's database is then read
byte by byte for the markers: none is found. Only the PDF the officer chose to save is left out.
"""

from __future__ import annotations

import gzip
import io
import logging
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sync_server import PASSPHRASE, Server

from heart_desktop import logs, paths
from heart_desktop.central.db import CentralDatabase
from heart_desktop.cli import main as heart_desktop
from heart_desktop.documents.print_output import PrintTarget, send
from heart_desktop.services import casework, packs
from heart_desktop.services.workbench import Workbench
from heart_desktop.store import Store
from heart_desktop.sync.client import enrol, sync_once, wipe_store
from heart_desktop.ui import camera
from heart_desktop.ui.pack_preview import load

GIVEN, FAMILY = "Zebedee", "Quarrington-Vlasic"  # synthetic markers, found nowhere else
STREET, POSTCODE = "41 Marigold Wharf", "CV47 9ZQ"
MARKERS = (GIVEN, FAMILY, STREET, POSTCODE)


class FakeCamera:
    """A camera source that gives a synthetic frame in memory, as Qt Multimedia's capture does."""

    def names(self) -> list[str]:
        return ["Fake test camera"]

    def capture(self, _parent: object) -> bytes:
        image = QImage(320, 240, QImage.Format.Format_RGB32)
        image.fill(QColor(200, 90, 40))
        return camera.jpeg_bytes(image)


def take_photo(qtbot: QtBot) -> camera.PickedPhoto:
    """The officer asks for a photo and chooses the camera in the question that follows."""
    parent = QWidget()
    qtbot.addWidget(parent)

    def click() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.objectName() == "add-photo-choice":
            next(b for b in box.buttons() if "camera" in b.text()).click()
        else:
            QTimer.singleShot(20, click)

    QTimer.singleShot(0, click)
    picked = camera.ask_for_photo(parent, FakeCamera())
    assert picked is not None and picked.data and picked.path is None
    return picked


def readable(data: bytes) -> bytes:
    """A file's bytes, and what anyone can read out of them without a key: a PDF's text, the
    members of a ZIP, a gzip stream unpacked."""
    found = [data]
    if data.startswith(b"%PDF"):
        found += [page.extract_text().encode() for page in PdfReader(io.BytesIO(data)).pages]
    elif data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found += [archive.read(name) for name in archive.namelist()]
    elif data.startswith(b"\x1f\x8b"):
        found.append(gzip.decompress(data))
    return b"\n".join(found)


def plain_hits(root: Path, skip: set[Path]) -> list[tuple[str, str]]:
    """Each (file, marker) where a marker can be read from a file under ``root`` without a key."""
    hits = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p not in skip):
        data = readable(path.read_bytes())
        hits += [(str(path.relative_to(root)), m) for m in MARKERS if m.encode() in data]
    return hits


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_a_days_use_leaves_no_plain_personal_data(server: Server, qtbot: QtBot, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir, log_dir, temp = tmp_path / "data", tmp_path / "logs", tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(data_dir))
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(log_dir))
    monkeypatch.setenv(paths.TEMP_DIR_ENV, str(tmp_path / "runtime" / "tmp"))
    for name in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(name, str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    private = paths.open_private_temp()  # as the app does when it starts
    log_file = logs.configure()
    handlers = [h for h in logging.getLogger(logs.ROOT).handlers if getattr(h, "baseFilename", "") == str(log_file)]
    try:
        server.service.add_officer("A. Okafor", "HAO", ["SDC"])
        store = Store.open(paths.profile_db_path("officer"), PASSPHRASE, officer="A. Okafor", create=True)
        enrol(store, server.url, server.service.enrol_code("A. Okafor"))
        bench = Workbench(store.path)
        bench.store = store
        case = casework.new_enquiry(bench, {
            "received": "2026-11-27", "channel": "telephone", "council": "SDC", "reason": "Stairs",
            "customer": {"name": f"{GIVEN} {FAMILY}", "date_of_birth": "1950-03-14"},
            "address": {"line1": STREET, "town": "Warwick", "postcode": POSTCODE}}, today=date(2026, 11, 27))
        case_id = case["id"]
        bench.add_note(case_id, f"Rang {GIVEN} {FAMILY} at {STREET}, {POSTCODE}")

        picked = take_photo(qtbot)
        photo = bench.add_photo(case_id, picked.source(), filename=picked.filename)
        picked.discard()
        bench.set_caption(photo, f"The stairs at {STREET}")

        built = packs.build(bench, case_id)
        document, _buffer = load(built["pdf"])  # the preview: from memory
        assert document.pageCount() == built["pages"]
        saved = tmp_path / "officer's own folder" / "pack.pdf"  # the officer chose to save it: their file
        saved.parent.mkdir()
        assert send([built["pdf"]], PrintTarget(file=saved)) == built["pages"]
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(saved.read_bytes())).pages)
        assert FAMILY in text  # the markers really went through the pack

        backup = data_dir / "backups" / "officer-2026-11-27.heartdb"  # IT's backup verb, as scheduled
        monkeypatch.setenv("HEART_PASSPHRASE", PASSPHRASE)
        assert heart_desktop(["backup", "--db", str(store.path), "--out", str(backup)]) == 0
        assert backup.exists()
        report = sync_once(store)
        assert report.pushed > 0 and not report.refused
        with CentralDatabase(server.db_url).transaction() as tx:  # the office has them (encrypted)
            assert any(FAMILY in fields for (fields,) in tx.all("SELECT fields FROM records WHERE entity = 'person'"))

        wipe_store(store)  # the laptop is revoked, or handed back
        assert not store.path.exists() and not backup.exists()
        for handler in handlers:
            handler.flush()
        assert log_file.stat().st_size > 0  # the day was logged (and is scanned)

        scanned = [data_dir, log_dir, temp, private, Path(server.db_url.removeprefix("sqlite:///"))]
        assert all(p.exists() for p in scanned)
        assert plain_hits(tmp_path, skip={saved}) == []
        assert {m for _f, m in plain_hits(saved.parent, set())} == set(MARKERS)  # the scan finds them where they are
    finally:
        for handler in handlers:
            logging.getLogger(logs.ROOT).removeHandler(handler)
            handler.close()
        paths.remove_private_temp(private)
