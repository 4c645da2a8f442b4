"""A manager's subject access request from the app: ``POST /api/v1/subject-access`` over HTTP on
127.0.0.1 gives the ZIP the verb makes, for the councils the manager covers, recorded in the office's
audit with who and the reason; anyone else is refused, and a name that may be two people gives only
how many records hold it."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from hostile import Device
from sync_server import Server
from test_casework_office import DAY, ENQUIRY, bench_for

from heart_desktop.central.db import CentralDatabase
from heart_desktop.services import casework
from heart_desktop.store import Store
from heart_desktop.sync.client import sync_once
from heart_desktop.sync.privacy_client import SubjectAccessRefused, request_subject_access
from heart_desktop.sync.protocol import API, TOKEN_HEADER


def _enquiry(store: Store, tmp_path: Path, name: str, dob: str) -> dict[str, str]:
    return casework.new_enquiry(bench_for(store, tmp_path), {**ENQUIRY, "customer": {"name": name,
                                "date_of_birth": dob}}, today=DAY, force=True)


def _ask(server: Server, device: Device, **body: str | None) -> httpx.Response:
    return httpx.post(f"{server.url}{API}/subject-access", json=body, headers={TOKEN_HEADER: device.token})


def test_a_manager_gets_the_zip_of_their_councils_and_the_audit_says_who_and_why(
        laptop: Callable[..., Store], server: Server, tmp_path: Path) -> None:
    wdc = laptop("wdc", "A. Okafor", ("WDC",))
    mine = _enquiry(wdc, tmp_path, "Edna Fairweather", "1950-03-14")
    sync_once(wdc)
    sdc = laptop("sdc", "B. Hale", ("SDC",))
    theirs = _enquiry(sdc, tmp_path, "Ivor Elsewhere", "1941-07-01")
    sync_once(sdc)
    manager = Device(server, "M. Manager", ("WDC",), role="manager")

    answer = _ask(server, manager, name="edna  FAIRWEATHER", date_of_birth="1950-03-14", reason="SAR-17 of 2026-12-01")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    data = json.loads(archive.read("data.json"))
    assert [c["reference"] for c in data["cases"]] == [mine["reference"]]
    assert "index.html" in archive.namelist()
    assert answer.headers["X-Heart-Cases"] == "1"
    with CentralDatabase(server.db_url).transaction() as tx:
        row = tx.one("SELECT officer, reason FROM audit_entries WHERE action = 'subject_access' ORDER BY id DESC")
    assert row == ("M. Manager", "subject access request (UK GDPR Art 15): SAR-17 of 2026-12-01")

    # another council's person is not found for this manager (nor said to exist)
    other = _ask(server, manager, name="Ivor Elsewhere", date_of_birth="1941-07-01", reason="SAR-18")
    assert (other.status_code, other.json()["error"]) == (404, "no_person")
    assert theirs["reference"] not in other.text


def test_refusals_not_a_manager_ambiguous_no_reason(
        laptop: Callable[..., Store], server: Server, tmp_path: Path) -> None:
    wdc = laptop("wdc", "A. Okafor", ("WDC",))
    first = _enquiry(wdc, tmp_path, "Sam Twice", "1950-03-14")
    second = _enquiry(wdc, tmp_path, "Sam Twice", "1962-09-30")
    sync_once(wdc)
    officer = Device(server, "H. Officer", ("WDC",), role="HAO")
    manager = Device(server, "M. Manager", ("WDC",), role="manager")
    with CentralDatabase(server.db_url).transaction() as tx:
        before = tx.one("SELECT count(*) FROM audit_entries WHERE action = 'subject_access'")[0]

    refused = _ask(server, officer, name="Sam Twice", date_of_birth="1950-03-14", reason="SAR-19")
    assert refused.status_code == 403 and refused.json()["error"] == "not_permitted"

    ambiguous = _ask(server, manager, name="Sam Twice", reason="SAR-19")
    assert ambiguous.status_code == 409
    assert ambiguous.json()["error"] == "ambiguous" and ambiguous.json()["message"].startswith("2 records")
    for case in (first, second):  # the count, not the candidates' data
        assert case["reference"] not in ambiguous.text
    assert "1962" not in ambiguous.text and "1950" not in ambiguous.text

    for body in ({"name": "Sam Twice", "reason": ""}, {"name": "", "reason": "x"},
                 {"name": "Sam Twice", "date_of_birth": "14/03/1950", "reason": "x"},
                 {"name": "Sam Twice", "reason": "   "}):
        bad = _ask(server, manager, **body)
        assert bad.status_code == 422, (body, bad.text)
    with CentralDatabase(server.db_url).transaction() as tx:
        assert tx.one("SELECT count(*) FROM audit_entries WHERE action = 'subject_access'")[0] == before

    chosen = _ask(server, manager, name="Sam Twice", date_of_birth="1962-09-30", reason="SAR-19")
    assert chosen.status_code == 200
    data = json.loads(zipfile.ZipFile(io.BytesIO(chosen.content)).read("data.json"))
    assert [c["reference"] for c in data["cases"]] == [second["reference"]]


def test_the_app_client_saves_nothing_but_says_why(
        laptop: Callable[..., Store], server: Server, tmp_path: Path) -> None:
    wdc = laptop("wdc", "A. Okafor", ("WDC",))
    _enquiry(wdc, tmp_path, "Sam Twice", "1950-03-14")
    _enquiry(wdc, tmp_path, "Sam Twice", "1962-09-30")
    sync_once(wdc)
    manager = laptop("mgr", "M. Manager", ("WDC",), role="manager")
    data = request_subject_access(manager, "Sam Twice", "1950-03-14", "SAR-20")
    assert json.loads(zipfile.ZipFile(io.BytesIO(data)).read("data.json"))["cases"][0]["roles"] == ["customer"]
    with pytest.raises(SubjectAccessRefused) as ambiguous:
        request_subject_access(manager, "Sam Twice", None, "SAR-20")
    assert ambiguous.value.kind == "ambiguous" and "date of birth" in str(ambiguous.value)
    with pytest.raises(SubjectAccessRefused) as none:
        request_subject_access(manager, "Nobody Here", None, "SAR-20")
    assert none.value.kind == "none"
    with pytest.raises(SubjectAccessRefused) as refused:
        request_subject_access(wdc, "Sam Twice", "1950-03-14", "SAR-20")
    assert refused.value.kind == "refused" and "manager" in str(refused.value).lower()
