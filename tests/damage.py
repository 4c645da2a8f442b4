"""Spoiling a store file the way a failing disk would, for the tests of opening after a crash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from heart_desktop.store import DamagedDatabaseError, Store


def damage_a_page_opening_does_not_read(path: Path, opener: Callable[[], Store]) -> Store:
    """Spoil one page of case data that opening the store does not read (which page that is
    depends on the row ids, so try pages from the middle on), and return the store opened on it."""
    original = path.read_bytes()
    pages = len(original) // 4096
    for page in range(pages // 2, pages - 1):
        data = bytearray(original)
        for offset in range(page * 4096 + 100, page * 4096 + 164):
            data[offset] ^= 0xFF
        path.write_bytes(bytes(data))
        try:
            return opener()
        except DamagedDatabaseError:
            continue  # a page the open reads (the schema, the journal's last page): refused at once
    raise AssertionError("every page tried is read when the store opens")
