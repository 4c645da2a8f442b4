"""Full-text search over case reference, names, address and postcode (FTS5).

The index is contentless (the text lives once, in the encrypted tables) and keyed by
``cases.n``. FTS5's tokeniser splits "CV34 4RL" into ``cv34`` and ``4rl`` and
"NBBC/24/00123" into three tokens, so the document also carries each one squashed together
("cv344rl", "nbbc2400123"): an officer may type a postcode or reference with or without the
space or slashes. Every query word becomes a prefix term, all of which must match ("smi"
finds Smith, never Goldsmith; "cv34" finds every CV34 postcode).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from heart_desktop.store.connection import Connection

_WORD = re.compile(r"\w+", re.UNICODE)
_LIVE_DOC_SQL = """
SELECT c.n, c.reference,
       (SELECT group_concat(p.given_name || ' ' || p.family_name, ' ') FROM people p
         WHERE p.case_id = c.id AND p.deleted = 0),
       (SELECT group_concat(coalesce(a.address_line1, '') || ' ' || coalesce(a.address_line2, '') || ' '
                            || coalesce(a.town, ''), ' ')
          FROM properties a WHERE a.case_id = c.id AND a.deleted = 0),
       (SELECT group_concat(a.postcode, ' ') FROM properties a WHERE a.case_id = c.id AND a.deleted = 0)
  FROM cases c WHERE c.deleted = 0
"""


def squash(text: str) -> str:
    return "".join(_WORD.findall(text or "")).lower()


def document(reference: str, names: str | None, address: str | None, postcodes: str | None) -> tuple[str, ...]:
    """The four indexed columns for one case, with squashed extra tokens."""
    postcode_parts = []
    for postcode in (postcodes or "").split(","):
        postcode_parts += [postcode, squash(postcode)]
    ref = f"{reference} {squash(reference)}"
    return ref, names or "", address or "", " ".join(p for p in postcode_parts if p)


def _postcodes_sql() -> str:
    # group_concat with ',' so that each postcode can be squashed on its own
    return _LIVE_DOC_SQL.replace("group_concat(a.postcode, ' ')", "group_concat(a.postcode, ',')")


def rebuild_index(conn: Connection) -> int:
    """Re-create every case's document (used by the migration that adds search, and demo data)."""
    conn.execute("INSERT INTO case_search(case_search) VALUES ('delete-all')")
    rows = conn.execute(_postcodes_sql()).fetchall()
    conn.executemany("INSERT INTO case_search(rowid, reference, names, address, postcode) VALUES (?, ?, ?, ?, ?)",
                     ((n, *document(ref, names, address, postcodes)) for n, ref, names, address, postcodes in rows))
    return len(rows)


def index_cases(conn: Connection, numbers: Iterable[int]) -> None:
    """Bring the documents of these cases (by ``cases.n``) in step with their rows."""
    sql = _postcodes_sql() + " AND c.n = ?"
    for n in numbers:
        conn.execute("DELETE FROM case_search WHERE rowid = ?", (n,))
        row = conn.execute(sql, (n,)).fetchone()
        if row is not None:
            conn.execute("INSERT INTO case_search(rowid, reference, names, address, postcode) VALUES (?, ?, ?, ?, ?)",
                         (row[0], *document(*row[1:])))


def match_expression(text: str) -> str | None:
    """The FTS5 query for what the officer typed: every word a prefix, all required.

    Words are quoted, so nothing typed can be FTS syntax (``NOT``, ``*``, ``:``, quotes).
    """
    words = [w.lower() for w in _WORD.findall(text or "")]
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


def search_numbers(conn: Connection, text: str, limit: int = 50, candidates: int = 1000) -> Sequence[int]:
    """``cases.n`` of the best matches, best first.

    Only the first ``candidates`` matches (in index order) are ranked: a one-letter prefix can
    match half the caseload, and scoring all of it would cost tens of milliseconds for an
    ordering that means little; a specific query (a name, a postcode, a reference) matches far
    fewer and is ranked in full.
    """
    expression = match_expression(text)
    if expression is None:
        return []
    sql = ("SELECT r FROM (SELECT rowid AS r, rank AS k FROM case_search WHERE case_search MATCH ? LIMIT ?) "
           "ORDER BY k, r LIMIT ?")
    # whole words first ("smith" before "Smithson"), then the prefix matches
    exact = [row[0] for row in conn.execute(sql, (expression.replace("*", ""), candidates, limit))]
    if len(exact) >= limit:
        return exact
    seen = set(exact)
    more = [row[0] for row in conn.execute(sql, (expression, candidates, limit + len(exact)))]
    return (exact + [n for n in more if n not in seen])[:limit]
