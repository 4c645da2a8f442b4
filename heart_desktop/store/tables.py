"""The store's table layer: sqlite-utils over the open SQLCipher connection.

sqlite-utils (4.x) works on a ``sqlcipher3`` connection as on ``sqlite3``'s, and nests its writes
in savepoints inside a transaction already open, so a migration's table changes and a demo's
bulk inserts stay inside the store's one transaction per action (with ``user_version`` and the
journal). It is used for table creation and changes in migrations from 5 on, bulk inserts, and
counting; not for the case search index, whose documents join three tables (``enable_fts``
indexes the columns of one), nor for the repositories' single-row journalled writes.
"""

from __future__ import annotations

import sqlite_utils

from heart_desktop.store.connection import Connection


def tables(conn: Connection) -> sqlite_utils.Database:
    """The connection as a sqlite-utils database, leaving its settings as they are (no recursive
    triggers turned on, no plugins run)."""
    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
