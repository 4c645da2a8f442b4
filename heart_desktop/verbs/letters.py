"""``heart-desktop letter``: write a case's letter to a PDF file (and an HTML copy), headless.

``--kind`` is acknowledgement, visit, decision, completion or reminder, or a letter of an appeal
(appeal_received, appeal_supervisors, appeal_hearing, appeal_senior; ``--appeal ID``, default the
case's latest). Without ``--sign`` the
letter is a preview of the case as it is now (nothing is stored); with ``--sign`` the store's
officer signs it by name, its bytes are frozen with their SHA-256 and it is logged as a letter in
the contact log. A letter the case cannot have yet (no decision recorded, say) is refused with the
reason, exit status 2. The passphrase comes from ``HEART_PASSPHRASE`` or a prompt.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    from heart_desktop.documents.letters import KINDS
    from heart_desktop.verbs.common import add_output_arguments, add_print_size

    letter = subparsers.add_parser("letter", help="write a letter of a case (acknowledgement, visit, decision, ...)")
    letter.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    letter.add_argument("--case", required=True, metavar="REF", help="case reference, like WDC/26/00001")
    letter.add_argument("--kind", required=True, choices=tuple(KINDS), help="which letter")
    add_output_arguments(letter, "also (or only) write the HTML copy")
    letter.add_argument("--visit", metavar="ID", help="the visit a visit letter is about (default: the next one)")
    letter.add_argument("--appeal", metavar="ID", help="the appeal an appeal letter is about (default: the latest)")
    letter.add_argument("--sign", action="store_true",
                        help="sign it by name as the store's officer, freeze it and log it as a contact")
    letter.add_argument("--today", metavar="YYYY-MM-DD", help="the letter's date (default: the computer's date)")
    letter.add_argument("--json", action="store_true", help="print JSON")
    add_print_size(letter, "large print (at least 16 pt), whatever the case remembers")
    letter.set_defaults(handler=_letter)


def _letter(args: argparse.Namespace) -> int:
    from heart_desktop.documents.letters import LetterRefused
    from heart_desktop.domain.permissions import NotPermitted
    from heart_desktop.services import letters
    from heart_desktop.services.casework import CaseworkError
    from heart_desktop.verbs.cases import _bench
    from heart_desktop.verbs.common import case_by_reference, fail, need_output, today_from, write_outputs

    need_output(args.out, args.html, "letter")
    today = today_from(args.today)
    options = {k: v for k, v in (("visit", args.visit), ("appeal", args.appeal)) if v}
    bench = _bench(args)
    bench.today = lambda: today
    try:
        case = case_by_reference(bench._store(), args.case)
        html = ""
        if args.sign:
            when = datetime.now().replace(microsecond=0)
            if when.date() != today:
                when = datetime.combine(today, when.time())
            made: dict[str, Any] = letters.sign(bench, case["id"], args.kind,
                                                {"method": "by_name", "signed_at": when.isoformat()},
                                                today=today, options=options, print_size=args.print_size)
        else:
            made = letters.preview(bench, case["id"], args.kind, today=today, options=options,
                                   print_size=args.print_size)
        if args.html:
            html = letters.html_copy(bench, case["id"], args.kind, today=today, options=options,
                                     document_id=made["document"]["id"] if made["signed"] else None)
    except (LetterRefused, CaseworkError, NotPermitted) as exc:
        raise fail(str(exc)) from None
    finally:
        bench.close()
    write_outputs(args.out, made["pdf"], args.html, html)
    report = {"reference": args.case, "kind": args.kind, "title": made["title"], "addressee": made["addressee"],
              "signed": made["signed"], "sha256": made["sha256"], "pages": made["pages"],
              "print_size": made["print_size"], "letter_id": made["letter_id"], "out": args.out, "html": args.html,
              "document_id": made["document"]["id"] if made["signed"] else None,
              "version": made["document"]["version"] if made["signed"] else None,
              "contact_id": made.get("contact_id")}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        state = f"signed, version {report['version']}" if made["signed"] else "preview, not signed"
        print(f"wrote {args.out or args.html} ({made['title']}, to {made['addressee']}, {made['pages']} pages, "
              f"{state}, sha256 {made['sha256']})")
    return 0
