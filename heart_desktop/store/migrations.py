"""Numbered migrations, each one transaction, the version kept in ``PRAGMA user_version``.

Migration 1 creates the base schema; later ones alter it. The SQL here is frozen history: a
released migration is never edited, a change is a new migration. ``user_version`` is written
inside the same transaction as the migration, so a crash leaves the file at the old version
with none of the new DDL, or at the new version with all of it. (sqlite-utils' ``Migrations``
records applied names in a table instead; the issue asks for ``user_version``, and a single
integer makes "a file from a newer app" a one-line check.)
"""

from __future__ import annotations

from collections.abc import Callable

from heart_desktop.store.connection import Connection

SYNC_COLUMNS = """
    id TEXT NOT NULL UNIQUE,
    rev INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))"""

STAGE_COLUMNS = ",\n".join(
    f"    {key}_on TEXT" for key in (
        "enquiry", "telephone_assessment", "visit", "contractor_visit", "quotation", "application",
        "approval", "works_start", "works_complete", "signed_off",
    )
)


def _child(table: str, columns: str) -> str:
    return f"""
CREATE TABLE {table} (
    {SYNC_COLUMNS.strip()},
    case_id TEXT NOT NULL REFERENCES cases(id),
{columns}
);
CREATE INDEX {table}_case ON {table}(case_id);
"""


BASE_SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE cases (
    n INTEGER PRIMARY KEY,  -- stable local row number (the search index points at it)
    {SYNC_COLUMNS.strip()},
    reference TEXT NOT NULL UNIQUE,
    council TEXT NOT NULL,
    assigned_officer TEXT,
    assistance_types TEXT NOT NULL DEFAULT '[]',
    priority_flags TEXT NOT NULL DEFAULT '[]',
    urgent INTEGER NOT NULL DEFAULT 0,
    urgent_reason TEXT,
    stage TEXT NOT NULL DEFAULT 'enquiry',
{STAGE_COLUMNS},
    -- local, derived from other rows for the caseload list; never journalled
    stage_rank INTEGER NOT NULL DEFAULT 0,
    customer TEXT,
    postcode TEXT,
    next_visit TEXT
);
{_child("people", '''    is_applicant INTEGER NOT NULL DEFAULT 0,
    is_disabled_person INTEGER NOT NULL DEFAULT 0,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    date_of_birth TEXT,
    relationship TEXT,
    phone TEXT,
    ni_number TEXT''')}
{_child("properties", '''    address_line1 TEXT NOT NULL,
    address_line2 TEXT,
    town TEXT,
    postcode TEXT NOT NULL,
    uprn TEXT,
    tenure TEXT,
    property_type TEXT,
    bedrooms INTEGER,
    years_owned REAL,
    landlord TEXT''')}
{_child("visits", '''    scheduled_for TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'assessment',
    status TEXT NOT NULL DEFAULT 'planned',
    officer TEXT,
    outcome TEXT''')}
CREATE INDEX visits_when ON visits(scheduled_for);
{_child("form_submissions", '''    visit_id TEXT REFERENCES visits(id),
    form_id TEXT NOT NULL,
    form_version TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '{{}}',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'complete', 'signed')),
    base_id TEXT,
    completed_at TEXT,
    signed_at TEXT,
    signed_by TEXT''')}
{_child("hazard_ratings", '''    hazard TEXT NOT NULL,
    likelihood INTEGER NOT NULL,
    harm TEXT NOT NULL DEFAULT '[]',
    score INTEGER,
    band TEXT,
    category INTEGER,
    scheme_id TEXT,
    rated_on TEXT,
    notes TEXT''')}
{_child("works_items", '''    position INTEGER NOT NULL DEFAULT 0,
    location TEXT,
    description TEXT NOT NULL,
    quantity TEXT NOT NULL,
    unit TEXT NOT NULL,
    rate_pence INTEGER NOT NULL,
    vat_percent TEXT NOT NULL''')}
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    created_at TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE thumbnails (
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (sha256, size)
);
{_child("attachments", '''    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    kind TEXT NOT NULL CHECK (kind IN ('photo', 'signature')),
    filename TEXT,
    caption TEXT,
    mime TEXT NOT NULL,
    width INTEGER,
    height INTEGER,
    size INTEGER NOT NULL,
    taken_at TEXT''')}
{_child("documents", '''    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    size INTEGER NOT NULL,
    signed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL''')}
{_child("decisions", '''    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    amount_pence INTEGER,
    reasons TEXT NOT NULL DEFAULT '[]',
    decided_by TEXT,
    decided_on TEXT,
    policy_version TEXT''')}
{_child("notes", '''    body TEXT NOT NULL,
    author TEXT,
    written_at TEXT NOT NULL''')}

-- The change journal: the transactional outbox that sync pushes (DESIGN.md, Sync).
CREATE TABLE journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- per-device, only ever increases, never reused
    device_id TEXT NOT NULL,
    tx TEXT NOT NULL,                       -- entries written in one transaction share it
    hlc TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    base_rev INTEGER NOT NULL,
    rev INTEGER NOT NULL,
    officer TEXT NOT NULL,
    changes TEXT NOT NULL,
    batch_id TEXT,                          -- idempotency key of the push batch it went in
    acked_at TEXT                           -- set when the server confirmed it
);
CREATE INDEX journal_unacked ON journal(seq) WHERE acked_at IS NULL;
CREATE TRIGGER journal_immutable BEFORE UPDATE OF seq, device_id, tx, hlc, entity, entity_id, op,
    base_rev, rev, officer, changes ON journal
BEGIN SELECT RAISE(ABORT, 'journal entries cannot be changed'); END;
CREATE TRIGGER journal_keep_unacked BEFORE DELETE ON journal WHEN OLD.acked_at IS NULL
BEGIN SELECT RAISE(ABORT, 'an unacknowledged journal entry cannot be deleted'); END;

-- Who opened, changed, signed, printed or exported what: append-only.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    officer TEXT NOT NULL,
    device_id TEXT NOT NULL,
    action TEXT NOT NULL,
    case_id TEXT,
    entity TEXT,
    entity_id TEXT,
    detail TEXT NOT NULL DEFAULT '{{}}'
);
CREATE INDEX audit_case ON audit(case_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""

# Search over reference, names, address and postcode; and the caseload list's sort orders.
SEARCH_SCHEMA = """
CREATE VIRTUAL TABLE case_search USING fts5(
    reference, names, address, postcode,
    content='', contentless_delete=1, prefix='2 3 4', tokenize='unicode61 remove_diacritics 2'
);
-- partial indexes over live cases: a page at any offset is read from the index alone
CREATE INDEX cases_default ON cases(urgent DESC, reference) WHERE deleted = 0;
CREATE INDEX cases_reference ON cases(reference) WHERE deleted = 0;
CREATE INDEX cases_customer ON cases(customer COLLATE NOCASE, reference) WHERE deleted = 0;
CREATE INDEX cases_postcode ON cases(postcode, reference) WHERE deleted = 0;
CREATE INDEX cases_council ON cases(council, reference) WHERE deleted = 0;
CREATE INDEX cases_stage ON cases(stage_rank, reference) WHERE deleted = 0;
CREATE INDEX cases_officer ON cases(assigned_officer, reference) WHERE deleted = 0;
CREATE INDEX cases_next_visit ON cases(next_visit IS NULL, next_visit, reference) WHERE deleted = 0;
CREATE INDEX cases_urgent ON cases(urgent, reference) WHERE deleted = 0;
CREATE INDEX form_drafts ON form_submissions(updated_at) WHERE status = 'draft' AND deleted = 0;
"""


def _m1_base(conn: Connection) -> None:
    _script(conn, BASE_SCHEMA)


def _m2_search(conn: Connection) -> None:
    from heart_desktop.store.search import rebuild_index

    _script(conn, SEARCH_SCHEMA)
    rebuild_index(conn)


def _script(conn: Connection, sql: str) -> None:
    """Run DDL statement by statement (``executescript`` would COMMIT our transaction)."""
    import sqlcipher3

    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlcipher3.complete_statement(buffer):
            if buffer.strip():
                conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        conn.execute(buffer)


# Signed application packs (documents/pack): who signed, the fingerprint of the data shown,
# and the admin print queue's printed/posted marks.
PACKS_SCHEMA = """
ALTER TABLE documents ADD COLUMN fingerprint TEXT;
ALTER TABLE documents ADD COLUMN signatures TEXT NOT NULL DEFAULT '[]';
ALTER TABLE documents ADD COLUMN signed_at TEXT;
ALTER TABLE documents ADD COLUMN printed_at TEXT;
ALTER TABLE documents ADD COLUMN printed_by TEXT;
ALTER TABLE documents ADD COLUMN posted_at TEXT;
ALTER TABLE documents ADD COLUMN posted_by TEXT;
CREATE INDEX documents_print_queue ON documents(kind, created_at)
    WHERE signed = 1 AND posted_at IS NULL AND deleted = 0;
"""


def _m3_packs(conn: Connection) -> None:
    _script(conn, PACKS_SCHEMA)


# Sync conflicts: the same field changed on two laptops. The office keeps its value and sends the
# conflict to every laptop of the case's council; a person resolves it, and the resolution syncs.
CONFLICTS_SCHEMA = f"""
{_child("conflicts", '''    entity TEXT NOT NULL,
    record_id TEXT NOT NULL,
    field TEXT NOT NULL,
    kept TEXT,
    offered TEXT,
    offered_by TEXT,
    offered_at TEXT,
    resolution TEXT CHECK (resolution IN ('kept', 'offered', 'edited')),
    resolved_by TEXT,
    resolved_at TEXT''')}
CREATE INDEX conflicts_open ON conflicts(case_id) WHERE resolution IS NULL AND deleted = 0;
"""


def _m4_conflicts(conn: Connection) -> None:
    _script(conn, CONFLICTS_SCHEMA)


def _m5_quarantine(conn: Connection) -> None:
    """Rows from the office this laptop could not apply (an older office, a newer schema, a bad row):
    set aside with the reason so the rest of the page applies and the cursor moves on. The table
    is created through the store's table layer (sqlite-utils on the SQLCipher connection, inside the
    migration's transaction). Migrations from here on make their table changes the same way
    (``create``, ``add_column``, ``transform``); 1 to 4 stay as the SQL they were released with.
    (An earlier note here said sqlite-utils on the store's connection slowed later statements
    twofold; measured again by CPU time with 2,000 journalled writes, it does not.)"""
    from heart_desktop.store.tables import tables

    tables(conn)["sync_quarantine"].create(
        {"n": int, "seq": int, "entity": str, "entity_id": str, "case_id": str, "reason": str, "change": str,
         "at": str},
        pk="n", not_null={"entity", "entity_id", "reason", "change", "at"})


# Casework's case fields (intake, allocation, outcomes): added here only where missing, so this
# migration and casework's own can land in either order.
CASEWORK_COLUMNS = (("cases", "channel", "TEXT"), ("cases", "allocated_to", "TEXT"), ("cases", "outcome", "TEXT"),
                    ("cases", "outcome_on", "TEXT"), ("cases", "outcome_reason", "TEXT"),
                    ("cases", "priority_reason", "TEXT"))
MEASURES_COLUMNS = (("cases", "adaptation_type", "TEXT"), ("cases", "needs_major_adaptation", "INTEGER"),
                    ("people", "nhs_number", "TEXT"))
_SURVEY_COLUMNS = """    answered_on TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '{}'"""
MEASURES_SCHEMA = _child("interventions", """    kind TEXT NOT NULL,
    delivered_on TEXT NOT NULL,
    officer TEXT,
    notes TEXT""") + _child("feedback", """    kind TEXT NOT NULL CHECK (kind IN ('compliment', 'complaint')),
    received_on TEXT NOT NULL,
    upheld INTEGER,
    decided_on TEXT,
    summary TEXT""") + _child("surveys", _SURVEY_COLUMNS) + """
CREATE TABLE measure_reports (key TEXT PRIMARY KEY, fetched_at TEXT NOT NULL, report TEXT NOT NULL);
"""


def _m6_measures(conn: Connection) -> None:
    """The partnership measures: interventions, compliments and complaints, satisfaction surveys,
    the case's adaptation type and need, the NHS number, and the last figures fetched from the
    office (local, never synced)."""
    for table, column, definition in (*CASEWORK_COLUMNS, *MEASURES_COLUMNS):
        if column not in {row[1] for row in conn.execute(f"PRAGMA table_info({table})").fetchall()}:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
    _script(conn, MEASURES_SCHEMA)


def _m7_large_print(conn: Connection) -> None:
    """The customer's print size, remembered on the case (issue 17): their pack and letters come in
    large print (at least 16 pt, reflowed). Synced as a case field."""
    conn.execute("ALTER TABLE cases ADD COLUMN large_print INTEGER NOT NULL DEFAULT 0 CHECK (large_print IN (0, 1))")


# Casework from the first call to the closed case (issue 15): the enquiry's intake fields, allocation,
# the out-of-order sanction, the outcome and the clocks on the case; email on a person; a moved
# visit's reason; the contact log; and who set each stage date and why.
CASEWORK_ALTERS = (
    ("cases", "channel", "TEXT"),
    ("cases", "referrer", "TEXT"),
    ("cases", "referrer_contact", "TEXT"),
    ("cases", "reason", "TEXT"),
    ("cases", "contact_preference", "TEXT"),
    ("cases", "advocate", "TEXT"),
    ("cases", "allocated_to", "TEXT"),
    ("cases", "allocated_role", "TEXT"),
    ("cases", "priority_reason", "TEXT"),
    ("cases", "sanctioned_by", "TEXT"),
    ("cases", "outcome", "TEXT"),
    ("cases", "outcome_on", "TEXT"),
    ("cases", "outcome_reason", "TEXT"),
    ("cases", "suspended", "TEXT"),
    ("cases", "suspended_on", "TEXT"),
    ("cases", "extension_to", "TEXT"),
    ("cases", "extension_reason", "TEXT"),
    ("cases", "address", "TEXT"),
    ("people", "email", "TEXT"),
    ("visits", "moved_reason", "TEXT"),
)
CASEWORK_SCHEMA = f"""
{_child("contacts", '''    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    direction TEXT NOT NULL,
    who TEXT,
    summary TEXT NOT NULL,
    follow_up_on TEXT,
    followed_up_on TEXT,
    author TEXT''')}
CREATE INDEX contacts_follow_up ON contacts(follow_up_on) WHERE follow_up_on IS NOT NULL
    AND followed_up_on IS NULL AND deleted = 0;
{_child("stage_events", '''    stage TEXT NOT NULL,
    stage_on TEXT,
    event TEXT NOT NULL,
    reason TEXT,
    set_by TEXT,
    set_at TEXT NOT NULL''')}
CREATE INDEX cases_address ON cases(address COLLATE NOCASE, reference) WHERE deleted = 0;
CREATE INDEX cases_enquiry ON cases(stage_rank, enquiry_on, reference) WHERE deleted = 0 AND outcome IS NULL;
UPDATE cases SET address = (SELECT address_line1 || coalesce(', ' || town, '') FROM properties
                             WHERE case_id = cases.id AND deleted = 0 ORDER BY rowid LIMIT 1);
"""


def _m8_casework(conn: Connection) -> None:
    for table, column, definition in CASEWORK_ALTERS:  # migration 6 added some of them already
        if column not in {row[1] for row in conn.execute(f"PRAGMA table_info({table})").fetchall()}:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
    _script(conn, CASEWORK_SCHEMA)


# The audit trail made readable and tamper-evident (issue 20): each entry numbered per device,
# with why it was made and the SHA-256 chain (domain/audit_chain.py); the backups and migration
# copies this store made, so a wipe finds them all.
AUDIT_CHAIN_SCHEMA = """
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE UNIQUE INDEX audit_seq ON audit(seq);
CREATE TABLE backups (
    path TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('backup', 'migration')),
    made_at TEXT NOT NULL
);
"""


def _m9_audit_chain(conn: Connection) -> None:
    from heart_desktop.domain.audit_chain import GENESIS, entry_hash

    conn.execute("DROP TRIGGER audit_no_update")  # the entries written before now get their links, once
    conn.execute("DROP TRIGGER audit_no_delete")
    for column in ("seq INTEGER", "reason TEXT", "prev_hash TEXT", "hash TEXT"):
        conn.execute(f"ALTER TABLE audit ADD COLUMN {column}")
    keys = ("id", "at", "officer", "device_id", "action", "case_id", "entity", "entity_id", "detail")
    prev = GENESIS
    rows = conn.execute(f"SELECT {', '.join(keys)} FROM audit ORDER BY id").fetchall()
    for seq, row in enumerate(rows, start=1):
        entry = {**dict(zip(keys, row, strict=True)), "seq": seq, "reason": None}
        digest = entry_hash(prev, entry)
        conn.execute("UPDATE audit SET seq = ?, prev_hash = ?, hash = ? WHERE id = ?", (seq, prev, digest, row[0]))
        prev = digest
    _script(conn, AUDIT_CHAIN_SCHEMA)


# Appeals to the panels (issue 18, policy section 12): one row per appeal, a child of its case; the
# answers, the panels' decisions, the escalation and the outcome as JSON (domain/appeals.py).
APPEALS_SCHEMA = _child("appeals", """    kind TEXT NOT NULL CHECK (kind IN ('technical', 'special')),
    lodged_on TEXT NOT NULL,
    grounds TEXT NOT NULL,
    appellant TEXT,
    assisted INTEGER NOT NULL DEFAULT 0 CHECK (assisted IN (0, 1)),
    lodged_by TEXT,
    answers TEXT NOT NULL DEFAULT '{}',
    decisions TEXT NOT NULL DEFAULT '[]',
    escalation TEXT,
    outcome TEXT,
    stage TEXT NOT NULL DEFAULT 'lodged'""")


def _m10_appeals(conn: Connection) -> None:
    _script(conn, APPEALS_SCHEMA)


# Audit chain format 2 (issue 20): each new entry hashes its reason's SHA-256 instead of the text
# (domain/audit_chain.py), so the text of an erased case's entries can be blanked with the chain
# intact. Entries written before keep format 1. The append-only trigger lets through exactly one
# UPDATE: the reason of a format-2 entry set to NULL, every other column unchanged, for a case no
# longer on this laptop. Deletes stay refused.
AUDIT_FORMAT_2 = """
ALTER TABLE audit ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit ADD COLUMN reason_sha256 TEXT;
DROP TRIGGER audit_no_update;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
WHEN NOT (OLD.format >= 2 AND OLD.reason IS NOT NULL AND NEW.reason IS NULL AND OLD.reason_sha256 IS NOT NULL
          AND NEW.reason_sha256 IS OLD.reason_sha256 AND NEW.format IS OLD.format AND NEW.id IS OLD.id
          AND NEW.seq IS OLD.seq AND NEW.at IS OLD.at AND NEW.officer IS OLD.officer
          AND NEW.device_id IS OLD.device_id AND NEW.action IS OLD.action AND NEW.case_id IS OLD.case_id
          AND NEW.entity IS OLD.entity AND NEW.entity_id IS OLD.entity_id AND NEW.detail IS OLD.detail
          AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash
          AND OLD.case_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cases WHERE id = OLD.case_id))
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


def _m11_audit_format_2(conn: Connection) -> None:
    columns = {row[1] for row in conn.execute("PRAGMA table_info(audit)").fetchall()}
    if columns != {"id", "at", "officer", "device_id", "action", "case_id", "entity", "entity_id", "detail", "seq",
                   "reason", "prev_hash", "hash"}:  # the trigger must name every column it holds unchanged
        raise RuntimeError(f"migration 11: the audit table has unexpected columns {sorted(columns)}")
    _script(conn, AUDIT_FORMAT_2)


MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "base schema", _m1_base),
    (2, "full-text search and caseload indexes", _m2_search),
    (3, "signed application packs and the print queue", _m3_packs),
    (4, "sync conflicts", _m4_conflicts),
    (5, "rows from the office set aside", _m5_quarantine),
    (6, "partnership measures: interventions, feedback, surveys", _m6_measures),
    (7, "large print remembered on the case", _m7_large_print),
    (8, "casework: intake, allocation, contacts, stage events, outcomes", _m8_casework),
    (9, "the audit trail chained by hash; the backups made listed", _m9_audit_chain),
    (10, "appeals to the panels", _m10_appeals),
    (11, "audit chain format 2: an erased case's reasons can be blanked", _m11_audit_format_2),
)
LATEST = MIGRATIONS[-1][0]


def schema_version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Connection, target: int = LATEST) -> list[int]:
    """Apply every pending migration up to ``target``, each in its own transaction."""
    applied = []
    for number, _name, fn in MIGRATIONS:
        if number > target or number <= schema_version(conn):
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) >= number:  # another process got there first
                conn.execute("ROLLBACK")
                continue
            fn(conn)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(number)
    return applied
