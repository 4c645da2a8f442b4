"""``heart-desktop pack``: write a case's application pack to a PDF file, headless.

By default the pack is built from the case data as it is now (unsigned); ``--signed`` writes the
frozen bytes of the latest signed version instead, exactly as they were signed. The passphrase
comes from ``HEART_PASSPHRASE`` or a prompt, as for the store verbs.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    pack = subparsers.add_parser("pack", help="write a case's application pack as PDF")
    pack.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    pack.add_argument("--case", required=True, metavar="REF", help="case reference, like WDC/26/00001")
    pack.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF file to write")
    pack.add_argument("--only", metavar="DOC[,DOC]", help="only these documents (cover, application, certificates, "
                                                           "conditions, works, hhsrs, safety, ot, consent)")
    pack.add_argument("--signed", action="store_true", help="the latest signed version's frozen bytes")
    pack.set_defaults(handler=_pack)


def _pack(args: argparse.Namespace) -> int:
    from heart_desktop.documents.model import from_store
    from heart_desktop.documents.pack import KEYS, build_pack
    from heart_desktop.store import NotFoundError
    from heart_desktop.store.packs import Packs
    from heart_desktop.verbs.common import db_path, fail, open_store, passphrase

    only = [part.strip() for part in args.only.split(",")] if args.only else None
    if only and set(only) - set(KEYS):
        raise fail(f"unknown document {sorted(set(only) - set(KEYS))[0]!r}; use {', '.join(KEYS)}")
    if only and args.signed:
        raise fail("--signed writes the whole signed pack as it was signed; leave out --only")
    out = Path(args.out).expanduser()
    with open_store(db_path(args.db), passphrase()) as store:
        try:
            case = store.cases.by_reference(args.case)
        except NotFoundError:
            raise fail(f"there is no case {args.case}") from None
        if args.signed:
            row = Packs(store).latest_signed(case["id"])
            if row is None:
                raise fail(f"case {args.case} has no signed pack yet")
            pdf, note = Packs(store).content(row["id"]), f"signed version {row['version']}"
        else:
            built = build_pack(from_store(store, case["id"]), only=only)
            pdf, note = built.pdf, f"{built.pages} pages"
        store.audit.append("export", case_id=case["id"], entity="document",
                           detail={"kind": "application_pack", "sha256": hashlib.sha256(pdf).hexdigest(),
                                   "signed": args.signed})
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror}") from None
    print(f"wrote {out} ({note}, sha256 {hashlib.sha256(pdf).hexdigest()})")
    return 0
