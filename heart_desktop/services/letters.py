"""The letters' use cases (issue 18): which letters a case can have, preview one, sign and freeze it
(logged as a contact), list the case's letters, their frozen bytes and the HTML copy.

The app's Documents tab, the ``letter`` verb and the tests call these with the :class:`Workbench`,
on the thread that owns its store. ``today`` is the letter's date (passed in, never read here).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from heart_desktop.services.workbench import Workbench


def _facts(session: Workbench, case_id: str, today: date) -> Any:
    from heart_desktop.documents.letters.facts import from_store

    return from_store(session._store(), case_id, today, session.officer)


def available(session: Workbench, case_id: str, *, today: date, options: Mapping[str, Any] | None = None,
              kinds: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Each kind of letter (or those of ``kinds``), with why the case cannot have it yet (``None``
    when it can); ``options`` as for :func:`compose` (the appeal an appeal letter is about)."""
    from heart_desktop.documents.letters import KINDS

    facts = _facts(session, case_id, today)
    return [{"kind": kind, "title": module.TITLE, "refusal": module.refusal(facts, options)}
            for kind, module in KINDS.items() if kinds is None or kind in kinds]


def compose(session: Workbench, case_id: str, kind: str, *, today: date, options: Mapping[str, Any] | None = None,
            print_size: str | None = None) -> Any:
    """The letter's data (``LetterRefused`` when the case cannot have it yet)."""
    from heart_desktop.documents import letters

    return letters.compose(_facts(session, case_id, today), kind, options).with_print_size(print_size)


def preview(session: Workbench, case_id: str, kind: str, *, today: date, options: Mapping[str, Any] | None = None,
            print_size: str | None = None) -> dict[str, Any]:
    """The unsigned letter as it would be sent: its PDF and what it says."""
    from heart_desktop.documents.letters.layout import build_letter

    data = compose(session, case_id, kind, today=today, options=options, print_size=print_size)
    built = build_letter(data)
    return {"kind": kind, "title": data.title, "pdf": built.pdf, "sha256": built.sha256, "pages": built.pages,
            "letter_id": built.letter_id, "fingerprint": built.fingerprint, "addressee": data.addressee.name,
            "print_size": built.print_size, "text": data.text(), "signed": False}


def html_copy(session: Workbench, case_id: str, kind: str, *, today: date,
              options: Mapping[str, Any] | None = None, document_id: str | None = None) -> str:
    """The letter's accessible HTML copy: of the letter as it would be sent today, or with
    ``document_id`` of that signed letter, saying "Signed by … on …" as its frozen PDF does. A signed
    letter's copy is made again from the case, so it is given only while the case still shows what was
    signed (the same fingerprint); otherwise ``LetterRefused`` says to sign a new version."""
    from heart_desktop.documents.letters.layout import letter_html

    if document_id is None:
        data = compose(session, case_id, kind, today=today, options=options)
    else:
        data = _signed_data(session, case_id, kind, document_id, today=today, options=options)
    html = letter_html(data)
    detail: dict[str, Any] = {"kind": f"letter_{kind}_html"}
    if document_id is not None:
        detail["document_id"] = document_id
    session._store().audit.append("export", case_id=case_id, entity="document", detail=detail)
    return html


def _signed_data(session: Workbench, case_id: str, kind: str, document_id: str, *, today: date,
                 options: Mapping[str, Any] | None) -> Any:
    """The signed letter's data with its signature: composed for the day it was signed (the letter's
    date), checked against the fingerprint frozen with it."""
    from heart_desktop.documents.letters import LetterRefused
    from heart_desktop.documents.letters.model import LetterSignature
    from heart_desktop.store.letters import document_kind

    row = session._store().documents.find(document_id)
    if row is None or row.get("case_id") != case_id or row.get("kind") != document_kind(kind) or not row.get("signed"):
        raise LetterRefused(f"there is no signed {kind} letter {document_id} on this case")
    signer = dict((row.get("signatures") or [{}])[0])
    signature = LetterSignature.from_json(signer)
    days = [date.fromisoformat(text[:10]) for text in (signature.signed_at, str(row.get("signed_at") or ""))
            if len(text) >= 10 and text[:4].isdigit() and text[4] == "-"]
    for day in [*days, today]:
        data = compose(session, case_id, kind, today=day, options=options)
        if data.fingerprint == row.get("fingerprint"):
            return data.with_signature(signature)
    raise LetterRefused(f"the case has changed since the {data.title.lower()} (version {row.get('version')}) was "
                        "signed, so its HTML copy would not match the signed letter: sign a new version, or send "
                        "the signed PDF")


def sign(session: Workbench, case_id: str, kind: str, signature: Mapping[str, Any], *, today: date,
         options: Mapping[str, Any] | None = None, print_size: str | None = None,
         at: datetime | None = None) -> dict[str, Any]:
    """Sign the letter as the officer (drawn on screen, or by name), freeze its bytes with their
    SHA-256, and log it in the contact log as a letter sent to its addressee."""
    from heart_desktop.documents.letters.layout import build_letter
    from heart_desktop.documents.letters.model import SIGN_METHODS, LetterSignature
    from heart_desktop.services.casework import CaseworkError, log_contact
    from heart_desktop.store.letters import Letters

    session.require("casework")
    chosen = LetterSignature.from_json({"name": session.officer, **dict(signature)})
    if chosen.method not in SIGN_METHODS:
        raise CaseworkError(f"signature: unknown way of signing {chosen.method!r}; use one of "
                            f"{', '.join(SIGN_METHODS)}", "signature")
    if chosen.method == "drawn" and not any(len(s) > 1 for s in chosen.strokes):
        raise CaseworkError("signature: the signature is empty: sign in the box, or sign by name", "signature")
    if not chosen.signed_at:
        raise CaseworkError("signature: the signature has no time", "signature")
    data = compose(session, case_id, kind, today=today, options=options, print_size=print_size).with_signature(chosen)
    built = build_letter(data)
    store = session._store()
    when = at or datetime.fromisoformat(chosen.signed_at[:19])
    if when.date() > today:
        when = datetime.combine(today, when.time())
    with store.transaction():
        row = Letters(store).freeze(case_id, kind, data.title, built.pdf, built.fingerprint, chosen.as_json(),
                                    data.addressee.name)
        to = data.addressee.name + (f" (for {data.addressee.on_behalf_of})" if data.addressee.on_behalf_of else "")
        contact_id = log_contact(session, case_id, at=when, kind="letter", direction="out", who=to,
                                 summary=f"Letter sent: {data.title} (version {row['version']}, "
                                         f"sha256 {row['sha256'][:12]})", today=today)
    return {"document": row, "pdf": built.pdf, "sha256": row["sha256"], "title": data.title, "pages": built.pages,
            "addressee": data.addressee.name, "contact_id": contact_id, "letter_id": built.letter_id,
            "print_size": built.print_size, "signed": True}


def letters(session: Workbench, case_id: str) -> list[dict[str, Any]]:
    """The case's signed letters, newest first, for the Documents tab."""
    from heart_desktop.store.letters import PREFIX, Letters

    out = []
    for row in Letters(session._store()).for_case(case_id):
        signer = (row.get("signatures") or [{}])[0]
        out.append({"id": row["id"], "kind": str(row["kind"]).removeprefix(PREFIX), "title": row["title"],
                    "version": row["version"], "sha256": row["sha256"], "signed_at": row.get("signed_at"),
                    "signed_by": signer.get("name"), "addressee": signer.get("addressee"),
                    "printed_at": row.get("printed_at"), "posted_at": row.get("posted_at")})
    return out


def content(session: Workbench, document_id: str) -> bytes:
    from heart_desktop.store.letters import Letters

    return Letters(session._store()).content(document_id)
