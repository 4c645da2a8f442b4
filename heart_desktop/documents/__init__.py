"""The application pack as tagged PDF (PDF/UA-1, WeasyPrint) and as HTML: one module per document,
``render`` for the HTML-to-PDF layer every customer document shares, ``pack`` to assemble them.

Public entry point: :func:`build_pack_bytes` (used by the installer's self-check), deterministic
for unchanged case data. Nothing here imports Qt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from heart_desktop.store import Store


def build_pack_bytes(store: Store, case_id: str) -> bytes:
    """The unsigned pack for a case as PDF bytes; the same case data always gives the same bytes."""
    from heart_desktop.documents.model import from_store
    from heart_desktop.documents.pack import build_pack

    return build_pack(from_store(store, case_id)).pdf


__all__ = ["build_pack_bytes"]
