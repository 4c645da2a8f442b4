"""The pack's use cases: build, sign, show a signed version, print size, the HTML copy, and the
print queue's print and post.

Each function takes the :class:`Workbench` and uses its open store on the thread that owns it
(the app's store worker); plain values out. Writes announce on the store's change hub.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from heart_desktop.services.workbench import Workbench


def build(session: Workbench, case_id: str) -> dict[str, Any]:
    """The unsigned pack of the data as it is now (in the case's print size), and its status."""
    from heart_desktop.documents.model import from_store
    from heart_desktop.documents.pack import build_pack

    store = session._store()
    built = build_pack(from_store(store, case_id))
    out = status(session, case_id)
    out.update({"pdf": built.pdf, "ranges": built.ranges, "titles": built.titles, "pages": built.pages,
                "pack_id": built.pack_id, "print_size": built.print_size})
    return out


def set_large_print(session: Workbench, case_id: str, large: bool) -> dict[str, Any]:
    """Remember the customer's print size on the case (synced); their documents follow it."""
    store = session._store()
    if bool(store.cases.get(case_id).get("large_print")) != large:
        store.cases.update(case_id, {"large_print": large})
    return status(session, case_id)


def html_copy(session: Workbench, case_id: str) -> str:
    """The HTML copy of the pack as the data is now, for a customer who reads with their own software."""
    from heart_desktop.documents.model import from_store
    from heart_desktop.documents.pack import pack_html

    store = session._store()
    html = pack_html(from_store(store, case_id))
    store.audit.append("export", case_id=case_id, entity="document", detail={"kind": "application_pack_html"},
                       reason="the application pack's HTML copy")
    return html


def status(session: Workbench, case_id: str) -> dict[str, Any]:
    from heart_desktop.documents.common import is_tenant
    from heart_desktop.documents.model import from_store
    from heart_desktop.documents.render import warm_up
    from heart_desktop.documents.signing import pack_status
    from heart_desktop.store.packs import Packs

    warm_up()  # once per process: the Documents tab is open, a pack will be asked for
    store = session._store()
    current = pack_status(store, case_id)
    data = from_store(store, case_id)
    return {"case_id": case_id, "state": current.state, "signed": current.signed,
            "changed_since_signed": current.changed_since_signed,
            "versions": Packs(store).signed_versions(case_id), "tenant": is_tenant(data),
            "photos": [{"sha256": photo.sha256, "caption": photo.caption} for photo in data.photos],
            "large_print": data.large_print, "uncaptioned": sum(1 for p in data.photos if not p.caption),
            "applicant": (f"{data.applicant.get('given_name', '')} {data.applicant.get('family_name', '')}".strip()
                          if data.applicant else ""),
            "officer": session.officer}


def sign(session: Workbench, case_id: str, signatures: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    from heart_desktop.documents.signing import sign_pack
    from heart_desktop.services.casework import after_pack_signed

    session.require("sign_pack")
    store = session._store()
    with store.transaction():
        # the signed pack is the application (5.5, 13.1): its date is on the cover of what is signed
        after_pack_signed(session, case_id, today=session.today())
        row = sign_pack(store, case_id, signatures)
    return {**status(session, case_id), "pdf": signed_bytes(session, row["id"]), "document": row}


def signed_bytes(session: Workbench, document_id: str) -> bytes:
    from heart_desktop.store.packs import Packs

    return Packs(session._store()).content(document_id)


def audit_print(session: Workbench, case_id: str, detail: Mapping[str, Any]) -> None:
    session._store().audit.append("print", case_id=case_id, entity="document", detail=dict(detail),
                                  reason="the application pack printed")


def queue(session: Workbench, council: str | None, search: str | None) -> list[dict[str, Any]]:
    from heart_desktop.store.packs import Packs

    return Packs(session._store()).queue(council=council or None, search=search or None)


def queue_bytes(session: Workbench, document_ids: Sequence[str]) -> list[bytes]:
    return [signed_bytes(session, document_id) for document_id in document_ids]


def mark_printed(session: Workbench, document_ids: Sequence[str]) -> int:
    from heart_desktop.store.packs import Packs

    session.require("print_post")
    return Packs(session._store()).mark_printed(document_ids)


def mark_posted(session: Workbench, document_ids: Sequence[str]) -> int:
    from heart_desktop.store.packs import Packs

    session.require("print_post")
    return Packs(session._store()).mark_posted(document_ids)
