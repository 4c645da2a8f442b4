"""The office database's versions: one numbered list of steps, shared by SQLite and PostgreSQL.

Why not Alembic: the server speaks plain SQL through a thin adapter (``central/db.py``) with no
SQLAlchemy models, so Alembic would bring SQLAlchemy, an engine per dialect and a directory of
revision scripts to run a handful of ``CREATE``/``ALTER`` statements that are already written for
both databases. A list of numbered steps in one module does the same job in a few lines and can
be read top to bottom: the database records the last step applied in ``schema_version``, opening
it applies the steps after that in order, each in its own transaction (both SQLite and PostgreSQL
run DDL inside a transaction, so a failed step leaves the database at the version before it).

To change the schema, append a step to ``STEPS`` (never edit one that has shipped); the test in
``tests/sync/test_office_db.py`` builds a database at every earlier version and opens it.

A database made before versioning (the tables of version 1 without ``schema_version``) is taken
as version 0: step 1 is idempotent (``IF NOT EXISTS``, columns added only when missing).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from heart_desktop.central.db import CentralDatabase, Transaction

# Version 1: the tables as they were before versioning ({serial} and {blob} per database).
_V1_TABLES = """
CREATE TABLE IF NOT EXISTS officers (name TEXT PRIMARY KEY, role TEXT NOT NULL, councils TEXT NOT NULL,
    created_at TEXT NOT NULL, team TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS enrol_codes (code_hash TEXT PRIMARY KEY, officer TEXT NOT NULL REFERENCES officers(name),
    created_at TEXT NOT NULL, used_at TEXT);
CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, officer TEXT NOT NULL REFERENCES officers(name),
    token_hash TEXT NOT NULL UNIQUE, name TEXT, enrolled_at TEXT NOT NULL, revoked_at TEXT, last_seen TEXT,
    last_seq BIGINT NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS batches (device_id TEXT NOT NULL, batch_key TEXT NOT NULL, content_hash TEXT NOT NULL,
    device_seq BIGINT NOT NULL, response TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (device_id, batch_key));
CREATE TABLE IF NOT EXISTS records (entity TEXT NOT NULL, id TEXT NOT NULL, case_id TEXT, council TEXT,
    rev BIGINT NOT NULL, fields TEXT NOT NULL, hlc TEXT NOT NULL, PRIMARY KEY (entity, id));
CREATE TABLE IF NOT EXISTS conflicts (id {serial}, entity TEXT NOT NULL, record_id TEXT NOT NULL,
    field TEXT NOT NULL, kept TEXT, offered TEXT, device_id TEXT NOT NULL, officer TEXT NOT NULL, hlc TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS request_log (id {serial}, at TEXT NOT NULL, device_id TEXT, method TEXT NOT NULL,
    path TEXT NOT NULL, status INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS feed (seq {serial}, entity TEXT NOT NULL, id TEXT NOT NULL, case_id TEXT,
    council TEXT, op TEXT NOT NULL, base_rev BIGINT NOT NULL, rev BIGINT NOT NULL, hlc TEXT NOT NULL,
    officer TEXT NOT NULL, device_id TEXT NOT NULL, fields TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (sha256 TEXT PRIMARY KEY, length BIGINT NOT NULL, received BIGINT NOT NULL,
    complete INTEGER NOT NULL DEFAULT 0, data {blob});
CREATE TABLE IF NOT EXISTS file_chunks (sha256 TEXT NOT NULL, at BIGINT NOT NULL, data {blob} NOT NULL,
    PRIMARY KEY (sha256, at));
CREATE TABLE IF NOT EXISTS case_refs (reference TEXT PRIMARY KEY, case_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS file_refs (entity TEXT NOT NULL, record_id TEXT NOT NULL, sha256 TEXT NOT NULL,
    PRIMARY KEY (entity, record_id));
CREATE INDEX IF NOT EXISTS file_refs_sha256 ON file_refs (sha256);
CREATE INDEX IF NOT EXISTS feed_council ON feed (council, seq);
CREATE INDEX IF NOT EXISTS records_case ON records (case_id);
"""

# Columns that version 1 gained before versioning existed: (table, column, definition).
_V1_ADDED_COLUMNS = (("officers", "team", "TEXT NOT NULL DEFAULT ''"),)


@dataclass(frozen=True)
class Dialect:
    kind: str  # "sqlite" or "postgresql"

    @property
    def serial(self) -> str:
        return "INTEGER PRIMARY KEY AUTOINCREMENT" if self.kind == "sqlite" else "BIGSERIAL PRIMARY KEY"

    @property
    def blob(self) -> str:
        return "BLOB" if self.kind == "sqlite" else "BYTEA"


def _script(tx: Transaction, dialect: Dialect, sql: str) -> None:
    for statement in sql.format(serial=dialect.serial, blob=dialect.blob).split(";"):
        if statement.strip():
            tx.execute(statement)


def _v1(tx: Transaction, dialect: Dialect) -> None:
    _script(tx, dialect, _V1_TABLES)
    for table, column, definition in _V1_ADDED_COLUMNS:
        if column not in tx.columns(table):
            tx.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")


def _v2(tx: Transaction, dialect: Dialect) -> None:
    """Uploads owned by their device; who proved they hold a file; expiring enrolment codes and
    throttled guesses; indexes for pruning the log and finding who wrote a row."""
    _script(tx, dialect, """
CREATE TABLE uploads (sha256 TEXT NOT NULL, device_id TEXT NOT NULL, length BIGINT NOT NULL,
    received BIGINT NOT NULL DEFAULT 0, failed_at BIGINT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (sha256, device_id));
CREATE TABLE upload_chunks (sha256 TEXT NOT NULL, device_id TEXT NOT NULL, at BIGINT NOT NULL,
    data {blob} NOT NULL, PRIMARY KEY (sha256, device_id, at));
CREATE INDEX uploads_updated ON uploads (updated_at);
CREATE TABLE file_uploaders (sha256 TEXT NOT NULL, officer TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (sha256, officer));
CREATE TABLE enrol_failures (id {serial}, at TEXT NOT NULL, address TEXT NOT NULL);
CREATE INDEX enrol_failures_at ON enrol_failures (at);
CREATE INDEX enrol_failures_address ON enrol_failures (address, at);
ALTER TABLE enrol_codes ADD COLUMN expires_at TEXT;
CREATE INDEX request_log_at ON request_log (at);
CREATE INDEX feed_record ON feed (entity, id)
""")
    # codes made before they expired get the default lifetime from when they were made
    for code_hash, created_at in tx.all("SELECT code_hash, created_at FROM enrol_codes WHERE used_at IS NULL"):
        expires = datetime.fromisoformat(created_at) + timedelta(hours=72)
        tx.execute("UPDATE enrol_codes SET expires_at = ? WHERE code_hash = ?",
                   (expires.isoformat(timespec="seconds"), code_hash))
    # partial uploads had no owner: they are dropped (the laptop starts that file again); a file
    # that had arrived is kept, its uploader taken to be the officer of the first row naming it
    tx.execute("DELETE FROM files WHERE complete = 0")
    tx.execute("DROP TABLE file_chunks")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for (sha256,) in tx.all("SELECT sha256 FROM files"):
        for officer, fields in tx.all("SELECT f.officer, f.fields FROM feed f JOIN file_refs r ON "
                                      "r.entity = f.entity AND r.record_id = f.id WHERE r.sha256 = ? "
                                      "ORDER BY f.seq", (sha256,)):
            if json.loads(fields).get("sha256") == sha256:
                tx.execute("INSERT INTO file_uploaders (sha256, officer, at) VALUES (?, ?, ?)", (sha256, officer, now))
                break


def _v3(tx: Transaction, dialect: Dialect) -> None:
    """Scope follows the case: feed entries addressed to one device (the whole case, or a removal,
    when its officer's councils change) and the councils each device was last served; an index
    for the rows of a council (the digest, a council's snapshot)."""
    _script(tx, dialect, """
ALTER TABLE feed ADD COLUMN target TEXT;
ALTER TABLE devices ADD COLUMN scope TEXT;
CREATE INDEX feed_target ON feed (target, seq);
CREATE INDEX records_council ON records (council, entity)
""")


def _v4(tx: Transaction, dialect: Dialect) -> None:
    """The partnership measures: each case reduced to its facts (dates as day numbers, flags) and
    its events (interventions, feedback, survey answers), derived from ``records`` by
    ``central/measures.py`` up to a feed sequence number, indexed on the dates a quarter is cut by."""
    _script(tx, dialect, """
CREATE TABLE measure_facts (case_id TEXT PRIMARY KEY, reference TEXT, council TEXT, tenure TEXT, urgent BIGINT,
    adaptation_type TEXT, needs_major_adaptation BIGINT, outcome TEXT, enquiry_on BIGINT,
    telephone_assessment_on BIGINT, visit_on BIGINT, contractor_visit_on BIGINT, quotation_on BIGINT,
    application_on BIGINT, approval_on BIGINT, works_start_on BIGINT, works_complete_on BIGINT, signed_off_on BIGINT,
    outcome_on BIGINT, cost_pence BIGINT, nhs_number BIGINT, adl_nutrition BIGINT, adl_hygiene BIGINT,
    adl_toilet BIGINT, adl_clothing BIGINT, adl_safe_home BIGINT, adl_habitable_home BIGINT,
    adl_relationships BIGINT, adl_work_education BIGINT, adl_community BIGINT, adl_caring BIGINT,
    working_days BIGINT, within_target BIGINT, decided_in_time BIGINT);
CREATE INDEX measure_facts_enquiry ON measure_facts (enquiry_on);
CREATE INDEX measure_facts_telephone ON measure_facts (telephone_assessment_on);
CREATE INDEX measure_facts_visit ON measure_facts (visit_on);
CREATE INDEX measure_facts_approval ON measure_facts (approval_on);
CREATE INDEX measure_facts_complete ON measure_facts (works_complete_on);
CREATE INDEX measure_facts_outcome ON measure_facts (outcome_on);
CREATE TABLE measure_events (event_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, council TEXT, kind TEXT NOT NULL,
    on_date BIGINT, decided_on BIGINT, flag BIGINT);
CREATE INDEX measure_events_case ON measure_events (case_id);
CREATE INDEX measure_events_on ON measure_events (on_date);
CREATE INDEX measure_events_decided ON measure_events (decided_on);
CREATE TABLE measure_state (name TEXT PRIMARY KEY, seq BIGINT NOT NULL, version TEXT NOT NULL, at TEXT NOT NULL)
""")


def _v5(tx: Transaction, dialect: Dialect) -> None:
    """Retention (issue 20): the cases erased at the office, so a laptop that still holds one
    cannot push it back, and the rule each was erased under."""
    _script(tx, dialect, """
CREATE TABLE erased_cases (case_id TEXT PRIMARY KEY, council TEXT, rule TEXT NOT NULL, due_on TEXT NOT NULL,
    erased_at TEXT NOT NULL)
""")


AUDIT_APPEND_ONLY = "the audit trail at the office is append-only"


def _v6(tx: Transaction, dialect: Dialect) -> None:
    """The audit trail at the office (issue 20): every laptop's entries as they were chained there,
    and the office's own (device ``office``), append-only (a trigger refuses UPDATE, DELETE and, on
    PostgreSQL, TRUNCATE); which laptop sends which chain; and the cases restricted at a person's
    request (laptops may not change them)."""
    _script(tx, dialect, """
CREATE TABLE audit_entries (id {serial}, device_id TEXT NOT NULL, seq BIGINT NOT NULL, at TEXT NOT NULL,
    officer TEXT, action TEXT NOT NULL, case_id TEXT, entity TEXT, entity_id TEXT, reason TEXT,
    detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, received_at TEXT NOT NULL,
    sent_by TEXT NOT NULL, UNIQUE (device_id, seq));
CREATE INDEX audit_entries_case ON audit_entries (case_id);
CREATE INDEX audit_entries_at ON audit_entries (at);
CREATE TABLE audit_chains (chain_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, bound_at TEXT NOT NULL);
CREATE TABLE restricted_cases (case_id TEXT PRIMARY KEY, reason TEXT NOT NULL, restricted_at TEXT NOT NULL,
    restricted_by TEXT NOT NULL)
""")
    if dialect.kind == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            tx.execute(f"CREATE TRIGGER audit_entries_no_{verb.lower()} BEFORE {verb} ON audit_entries "
                       f"BEGIN SELECT RAISE(ABORT, '{AUDIT_APPEND_ONLY}'); END")
        return
    tx.execute("CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"RAISE EXCEPTION '{AUDIT_APPEND_ONLY}'; END $$")
    tx.execute("CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries FOR EACH ROW "
               "EXECUTE FUNCTION audit_entries_append_only()")
    tx.execute("CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries FOR EACH STATEMENT "
               "EXECUTE FUNCTION audit_entries_append_only()")


# the columns of audit_entries that a reason's erasure leaves as they were (all but ``reason``)
AUDIT_KEPT = ("id", "device_id", "seq", "at", "officer", "action", "case_id", "entity", "entity_id", "detail",
              "prev_hash", "hash", "received_at", "sent_by", "format", "reason_sha256")
# the one change the append-only trigger lets through: a format-2 entry's reason set to NULL (it is
# hashed by its digest), nothing else changed, for a case the office erased
_ERASABLE = ("OLD.format >= 2 AND OLD.reason IS NOT NULL AND NEW.reason IS NULL AND OLD.reason_sha256 IS NOT NULL "
             "AND OLD.case_id IS NOT NULL AND EXISTS (SELECT 1 FROM erased_cases e WHERE e.case_id = OLD.case_id)")


def _v7(tx: Transaction, dialect: Dialect) -> None:
    """Audit chain format 2 (issue 20, ``domain/audit_chain.py``): an entry hashes its reason's SHA-256,
    so the reason of an erased case's entry can be blanked with the chain intact. Old entries keep
    format 1. The append-only trigger now lets that one UPDATE through and still refuses every other
    UPDATE, every DELETE and (PostgreSQL) TRUNCATE."""
    _script(tx, dialect, """
ALTER TABLE audit_entries ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_entries ADD COLUMN reason_sha256 TEXT
""")
    if dialect.kind == "sqlite":
        have = tx.columns("audit_entries")
        if have != {*AUDIT_KEPT, "reason"}:  # the trigger must name every column it holds unchanged
            raise RuntimeError(f"office migration 7: audit_entries has unexpected columns {sorted(have)}")
        same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in AUDIT_KEPT)
        tx.execute("DROP TRIGGER audit_entries_no_update")
        tx.execute(f"CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries WHEN NOT ({_ERASABLE} "
                   f"AND {same}) BEGIN SELECT RAISE(ABORT, '{AUDIT_APPEND_ONLY}'); END")
        return
    # PostgreSQL: every column but the reason compared at once, so a column added later is held too
    tx.execute("DROP TRIGGER audit_entries_no_change ON audit_entries")
    tx.execute("CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries FOR EACH ROW "
               "EXECUTE FUNCTION audit_entries_append_only()")
    tx.execute("CREATE FUNCTION audit_entries_reason_erasure() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"IF {_ERASABLE} THEN IF (to_jsonb(NEW) - 'reason') = (to_jsonb(OLD) - 'reason') THEN RETURN NEW; "
               f"END IF; END IF; RAISE EXCEPTION '{AUDIT_APPEND_ONLY}'; END $$")
    tx.execute("CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries FOR EACH ROW "
               "EXECUTE FUNCTION audit_entries_reason_erasure()")


# Append new steps here; step N takes a database from version N-1 to N.
STEPS: list[Callable[[Transaction, Dialect], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7]
LATEST = len(STEPS)


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer heart-central than this one."""


def version(tx: Transaction) -> int:
    """The version recorded in the database; 0 for one made before versioning (or empty)."""
    row = tx.one("SELECT max(version) FROM schema_version")
    return int(row[0]) if row and row[0] is not None else 0


def migrate(db: CentralDatabase, up_to: int = LATEST) -> int:
    """Bring the database to version ``up_to`` (the latest by default), one step per transaction,
    under the feed lock so two servers starting together do not both migrate; returns the version."""
    dialect = Dialect(db.kind)
    while True:
        with db.transaction(feed=True) as tx:
            tx.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT "
                       "NOT NULL)")
            current = version(tx)
            if current > LATEST:
                raise SchemaTooNew(f"the office database is at version {current} but this heart-central knows "
                                   f"versions up to {LATEST}: upgrade heart-central")
            if current >= up_to:
                return current
            STEPS[current](tx, dialect)
            tx.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                       (current + 1, datetime.now(UTC).isoformat(timespec="seconds")))
