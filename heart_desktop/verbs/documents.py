"""``heart-desktop pack``: write a case's application pack to a PDF file (and an HTML copy), headless.

By default the pack is built from the case data as it is now (unsigned), in the print size the
case remembers; ``--large-print`` or ``--standard-print`` choose one for this file only.
``--signed`` writes the frozen bytes of the latest signed version instead, exactly as they were
signed. ``--html FILE.html`` writes the HTML copy of the same documents. The passphrase comes from
``HEART_PASSPHRASE`` or a prompt, as for the store verbs.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    from heart_desktop.verbs.common import add_output_arguments, add_print_size

    pack = subparsers.add_parser("pack", help="write a case's application pack as PDF")
    pack.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    pack.add_argument("--case", required=True, metavar="REF", help="case reference, like WDC/26/00001")
    add_output_arguments(pack, "also (or only) write the HTML copy of the documents")
    pack.add_argument("--only", metavar="DOC[,DOC]", help="only these documents (cover, application, certificates, "
                                                           "conditions, works, hhsrs, safety, ot, consent)")
    pack.add_argument("--signed", action="store_true", help="the latest signed version's frozen bytes")
    add_print_size(pack, "large print (at least 16 pt, reflowed), whatever the case remembers")
    pack.set_defaults(handler=_pack)


def _pack(args: argparse.Namespace) -> int:
    from heart_desktop.documents.model import from_store
    from heart_desktop.documents.pack import KEYS, build_pack, pack_html
    from heart_desktop.documents.signing import pack_status
    from heart_desktop.store.packs import Packs
    from heart_desktop.verbs.common import (
        case_by_reference,
        db_path,
        fail,
        need_output,
        open_store,
        passphrase,
        write_outputs,
    )

    only = [part.strip() for part in args.only.split(",")] if args.only else None
    if only and set(only) - set(KEYS):
        raise fail(f"unknown document {sorted(set(only) - set(KEYS))[0]!r}; use {', '.join(KEYS)}")
    if only and args.signed:
        raise fail("--signed writes the whole signed pack as it was signed; leave out --only")
    if args.print_size and args.signed:
        raise fail("--signed writes the signed pack in the print size it was signed in; leave out "
                    f"--{args.print_size}-print")
    need_output(args.out, args.html, "pack")
    out = Path(args.out).expanduser() if args.out else None
    html_out = Path(args.html).expanduser() if args.html else None
    pdf, html, notes = b"", "", []
    with open_store(db_path(args.db), passphrase()) as store:
        case = case_by_reference(store, args.case)
        data = from_store(store, case["id"]).with_print_size(args.print_size)
        row = Packs(store).latest_signed(case["id"]) if args.signed else None
        if args.signed and row is None:
            raise fail(f"case {args.case} has no signed pack yet")
        if out is not None:
            if row is not None:
                pdf = Packs(store).content(row["id"])
                notes.append(f"signed version {row['version']}")
            else:
                built = build_pack(data, only=only)
                pdf = built.pdf
                notes.append(f"{built.pages} pages, {built.print_size} print")
            store.audit.append("export", case_id=case["id"], entity="document",
                               detail={"kind": "application_pack", "sha256": hashlib.sha256(pdf).hexdigest(),
                                       "signed": args.signed}, reason="the application pack as a PDF file")
        if html_out is not None:
            if row is not None:
                if pack_status(store, case["id"]).changed_since_signed:
                    raise fail(f"the case data has changed since version {row['version']} was signed, so an "
                                "HTML copy would not match it; leave out --signed for the data as it is now")
                from heart_desktop.documents.model import PackSignature

                data = data.with_signatures([PackSignature.from_json(s) for s in row.get("signatures") or []])
            html = pack_html(data, only=only)
            store.audit.append("export", case_id=case["id"], entity="document",
                               detail={"kind": "application_pack_html", "signed": args.signed},
                               reason="the application pack's HTML copy")
    write_outputs(out, pdf, html_out, html)
    if out is not None:
        print(f"wrote {out} ({', '.join(notes)}, sha256 {hashlib.sha256(pdf).hexdigest()})")
    if html_out is not None:
        print(f"wrote {html_out} (HTML copy, {len(html.encode()) // 1024} KB)")
    return 0
