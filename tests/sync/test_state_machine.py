"""A hypothesis state machine: three laptops of a team covering WDC and SDC, a fourth of an officer
whose councils the office changes, a hostile device, and the office. Laptops create cases, edit
them, move them between councils, write notes, sync, lose answers, restart and have their clocks
skewed; the hostile device pushes rows that break the schema and meddles with photo uploads; in
any order. Invariants: no
acknowledged write is lost, nothing is duplicated, cursors only move forward, a replayed request is
harmless, every conflict reaches every laptop, no bad row is stored, and at the end the team's
laptops agree and every laptop holds exactly the cases its officer covers."""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import tempfile
from datetime import date
from pathlib import Path

import httpx
from hostile import Device, change
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from PIL import Image
from sync_server import FAST_KDF, PASSPHRASE, Server

from heart_desktop.store import Store
from heart_desktop.store.sync_apply import read_state
from heart_desktop.sync.client import SyncError, enrol, sync_once

LAPTOPS = 3
REASONS = ("Hospital discharge", "Falls on stairs", "Carer unable to lift", "Palliative care")


class LostAnswer(httpx.BaseTransport):
    """The push reaches the office and is applied, but its answer never comes back."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path.endswith("/push"):
            response.read()
            raise httpx.ReadError("the answer was lost", request=request)
        return response


class Office(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="heart-sm-"))
        self.server = Server(f"sqlite:///{self.folder / 'central.sqlite'}")
        self.server.start()
        self.server.service.add_officer("Team", "HAO", ["WDC", "SDC"])
        self.laptops: list[Store] = []
        for n in range(LAPTOPS):
            store = Store.open(self.folder / f"l{n}.heartdb", PASSPHRASE, officer=f"Officer {n}", create=True,
                               kdf_iter=FAST_KDF)
            enrol(store, self.server.url, self.server.service.enrol_code("Team"))
            self.laptops.append(store)
        self.server.service.add_officer("South", "HAO", ["SDC"])
        self.south = Store.open(self.folder / "south.heartdb", PASSPHRASE, officer="South", create=True,
                                kdf_iter=FAST_KDF)
        enrol(self.south, self.server.url, self.server.service.enrol_code("South"))
        self.south_councils = ("SDC",)
        self.hostile = Device(self.server, "Hostile", ("WDC", "SDC"))
        self.bad_rows: set[str] = set()
        self.cursors = [0] * LAPTOPS
        self.notes_written: dict[int, set[str]] = {n: set() for n in range(LAPTOPS)}
        self.acknowledged: set[str] = set()  # note bodies the office has confirmed
        self.counter = 0

    def teardown(self) -> None:
        for store in [*getattr(self, "laptops", []), *([self.south] if hasattr(self, "south") else [])]:
            store.close()
        if hasattr(self, "server"):
            self.server.stop()
            shutil.rmtree(self.folder, ignore_errors=True)

    # --- what officers do --------------------------------------------------------------------------

    def _cases(self, n: int) -> list[str]:
        return [row["id"] for row in self.laptops[n].cases.page(0, 100, sort="reference")]

    @rule(n=st.integers(0, LAPTOPS - 1))
    def create_case(self, n: int) -> None:
        store = self.laptops[n]
        with store.transaction():
            case_id = store.cases.create("WDC", enquiry_on=date(2026, 11, 2))
            self._note(n, case_id)

    def _note(self, n: int, case_id: str) -> None:
        self.counter += 1
        body = f"note {self.counter} by laptop {n}"
        self.laptops[n].notes.add(case_id, body)
        self.notes_written[n].add(body)

    @precondition(lambda self: any(self._cases(n) for n in range(LAPTOPS)))
    @rule(n=st.integers(0, LAPTOPS - 1), pick=st.integers(0, 99), reason=st.sampled_from(REASONS))
    def edit_case(self, n: int, pick: int, reason: str) -> None:
        cases = self._cases(n)
        if cases:
            self.laptops[n].cases.update(cases[pick % len(cases)], {"urgent_reason": reason})

    @precondition(lambda self: any(self._cases(n) for n in range(LAPTOPS)))
    @rule(n=st.integers(0, LAPTOPS - 1), pick=st.integers(0, 99))
    def move_case(self, n: int, pick: int) -> None:
        cases = self._cases(n)
        if cases:
            case_id = cases[pick % len(cases)]
            council = self.laptops[n].cases.get(case_id)["council"]
            self.laptops[n].cases.update(case_id, {"council": "SDC" if council == "WDC" else "WDC"})

    @rule(wide=st.booleans())
    def change_south_councils(self, wide: bool) -> None:
        self.south_councils = ("SDC", "WDC") if wide else ("SDC",)
        self.server.service.add_officer("South", "HAO", list(self.south_councils))

    @rule()
    def sync_south(self) -> None:
        sync_once(self.south)

    @precondition(lambda self: any(self._cases(n) for n in range(LAPTOPS)))
    @rule(pick=st.integers(0, 99), kind=st.sampled_from(("undated", "bedrooms", "birth", "surrogate")))
    def hostile_bad_row(self, pick: int, kind: str) -> None:
        cases = self._cases(0) or self._cases(1) or self._cases(2)
        case_id = cases[pick % len(cases)]
        rows = {
            "undated": change("note", {"case_id": case_id, "body": "no date"}),
            "bedrooms": change("property", {"case_id": case_id, "address_line1": "1 Road", "postcode": "CV34 4RL",
                                            "bedrooms": "many"}),
            "birth": change("person", {"case_id": case_id, "given_name": "A", "family_name": "B",
                                       "date_of_birth": "not a date"}),
            "surrogate": change("note", {"case_id": case_id, "body": "\ud800", "written_at": "2026-11-23T10:00:00Z"}),
        }
        sent = self.hostile.send(rows[kind])
        if kind == "surrogate":  # not text at all: the whole batch is refused
            assert sent.status_code == 400
        else:
            assert sent.status_code == 200 and sent.json()["accepted"] == 0 and len(sent.json()["refused"]) == 1
        self.bad_rows.add(rows[kind]["id"])

    @precondition(lambda self: any(self.laptops[n].attachments.where("1") for n in range(LAPTOPS)))
    @rule(pick=st.integers(0, 99), extra=st.integers(-5, 5), junk=st.binary(max_size=64))
    def hostile_interferes_with_an_upload(self, pick: int, extra: int, junk: bytes) -> None:
        """A device that knows a photo's SHA-256 starts its upload first, with a wrong length, and
        sends junk or an empty chunk: the laptop's own upload must still complete."""
        photos = [a for n in range(LAPTOPS) for a in self.laptops[n].attachments.where("1")]
        photo = photos[pick % len(photos)]
        url = f"{self.server.url}/api/v1/files/{photo['sha256']}"
        headers = {"X-Heart-Device-Token": self.hostile.token}
        created = httpx.post(url, headers={**headers, "Upload-Length": str(max(1, photo["size"] + extra))})
        assert created.status_code < 500
        sent = httpx.patch(url, content=junk, headers={**headers, "Upload-Offset": "0",
                                                       "Content-Type": "application/offset+octet-stream"})
        assert sent.status_code < 500
        got = httpx.get(url, headers=headers)  # its officer covers the case: the real photo, or nothing yet
        assert got.status_code == 404 or hashlib.sha256(got.content).hexdigest() == photo["sha256"]

    @rule(n=st.integers(0, LAPTOPS - 1), pick=st.integers(0, 99))
    def add_note(self, n: int, pick: int) -> None:
        cases = self._cases(n)
        if cases:
            self._note(n, cases[pick % len(cases)])

    @rule(n=st.integers(0, LAPTOPS - 1), pick=st.integers(0, 99), shade=st.integers(0, 255))
    def attach_photo(self, n: int, pick: int, shade: int) -> None:
        cases = self._cases(n)
        if cases:
            image = Image.new("RGB", (64, 48), (shade, 255 - shade, pick % 256))
            out = io.BytesIO()
            image.save(out, "PNG")
            self.laptops[n].attachments.add(cases[pick % len(cases)], out.getvalue(), caption=f"photo {shade}")

    @rule(n=st.integers(0, LAPTOPS - 1), pick=st.integers(0, 99))
    def complete_a_form(self, n: int, pick: int) -> None:
        cases = self._cases(n)
        if cases:
            store = self.laptops[n]
            form = store.forms.start(cases[pick % len(cases)], "home_safety_check", "1.0", {"visit_date": "2026-11-02"})
            store.forms.complete(form)

    # --- the network, the laptops --------------------------------------------------------------------

    def _synced(self, n: int) -> None:
        cursor = int(read_state(self.laptops[n]).get("cursor") or 0)
        assert cursor >= self.cursors[n], "a cursor moved backwards"
        self.cursors[n] = cursor
        acked = {body for (body,) in self.laptops[n].conn.execute(
            "SELECT n.body FROM notes n WHERE n.id IN (SELECT entity_id FROM journal WHERE acked_at IS NOT NULL "
            "AND entity = 'note')")}
        self.acknowledged |= acked & self.notes_written[n]

    @rule(n=st.integers(0, LAPTOPS - 1))
    def sync(self, n: int) -> None:
        sync_once(self.laptops[n])
        self._synced(n)

    @rule(n=st.integers(0, LAPTOPS - 1))
    def sync_but_the_answer_is_lost(self, n: int) -> None:
        with contextlib.suppress(SyncError):  # the laptop sees a network error; the office applied the batch
            sync_once(self.laptops[n], transport=LostAnswer())
        self._synced(n)

    @rule(n=st.integers(0, LAPTOPS - 1))
    def restart(self, n: int) -> None:
        """The laptop's app is closed and opened again (or the battery died between transactions)."""
        store = self.laptops[n]
        path = store.path
        store.conn.close()  # no clean close
        self.laptops[n] = Store.open(path, PASSPHRASE, officer=f"Officer {n}", kdf_iter=FAST_KDF, check="auto")

    @rule(n=st.integers(0, LAPTOPS - 1), hours=st.integers(-6, 6))
    def skew_clock(self, n: int, hours: int) -> None:
        clock = self.laptops[n].clock
        real = clock._now
        clock._now = lambda: real() + hours * 3_600_000

    # --- invariants ----------------------------------------------------------------------------------

    @invariant()
    def nothing_duplicated_at_the_office(self) -> None:
        if not hasattr(self, "server"):
            return
        with self.server.service.db.transaction() as tx:
            inserts = tx.all("SELECT id, count(*) FROM feed WHERE entity = 'note' AND op = 'insert' GROUP BY id")
        assert all(count == 1 for _id, count in inserts)
        with self.server.service.db.transaction() as tx:
            stored = {i for (i,) in tx.all("SELECT id FROM records")} | {i for (i,) in tx.all("SELECT id FROM feed")}
        assert not stored & self.bad_rows, "a bad row was stored"

    def teardown_checks(self) -> None:
        for _ in range(2):  # everyone syncs twice: the last round brings everyone's last changes
            for n in range(LAPTOPS):
                sync_once(self.laptops[n])
            sync_once(self.south)
        with self.server.service.db.transaction() as tx:
            office = {c: council for c, council in tx.all("SELECT id, council FROM records WHERE entity = 'case'")}
        for store, councils in ((self.south, self.south_councils), *((lap, ("WDC", "SDC")) for lap in self.laptops)):
            held = {c: council for c, council in store.conn.execute("SELECT id, council FROM cases")}
            assert held == {c: v for c, v in office.items() if v in councils}, "a laptop holds the wrong cases"
            set_aside = store.conn.execute("SELECT entity, reason FROM sync_quarantine").fetchall()
            assert not set_aside, f"rows set aside: {set_aside}"
        views = []
        for store in self.laptops:
            cases = {r["id"]: r for r in (store.cases.get(c) for c in self._cases(self.laptops.index(store)))}
            notes = {b for (b,) in store.conn.execute("SELECT body FROM notes WHERE deleted = 0")}
            conflicts = {c["id"] for c in store.conflicts.where("1")}
            photos = {(a["case_id"], a["sha256"]) for a in store.attachments.where("1")}
            for attachment in store.attachments.where("1"):
                assert store.attachments.content(attachment["id"])  # every photo's bytes arrived whole
            forms = {(f["id"], f["status"]) for f in store.forms.where("1")}
            views.append(({k: v["urgent_reason"] for k, v in cases.items()}, notes, conflicts, photos, forms))
            assert self.acknowledged <= notes, "an acknowledged note was lost"
            assert len(notes) == len({b for (b,) in store.conn.execute("SELECT body FROM notes")})
        assert all(view == views[0] for view in views), "the laptops do not agree"
        written = set().union(*self.notes_written.values())
        assert views[0][1] == written  # every note written anywhere is everywhere


class OfficeWithChecks(Office):
    def teardown(self) -> None:
        try:
            if hasattr(self, "laptops"):
                self.teardown_checks()
        finally:
            super().teardown()


OfficeWithChecks.TestCase.settings = settings(max_examples=12, stateful_step_count=18, deadline=None,
                                              suppress_health_check=[HealthCheck.too_slow])
TestOffice = OfficeWithChecks.TestCase
