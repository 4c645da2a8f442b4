"""The office's privacy verbs: ``audit-export``, ``subject-access``, ``erase`` and ``restrict``.

Bad input (a date that is not one, an output file of the wrong kind, a name that may be more
than one person, a case not at the office) is exit 2 with what to give instead; a refusal the
law requires (erasure of a statutory record) is exit 1 with the reason. Every run that does
something is recorded in the office's own audit chain.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

VERBS = ("audit-export", "subject-access", "erase", "restrict")


class BadInput(Exception):
    """Exit 2: the message names the option and what to give."""


def add_arguments(verb: Any) -> None:
    """Add the four verbs (``verb(name, help)`` makes a sub-parser with ``--db``)."""
    export = verb("audit-export", "every audit entry of a period (laptops' and the office's), with each chain "
                                  "checked, as CSV or JSON")
    export.add_argument("--from", dest="start", required=True, help="the first day, YYYY-MM-DD")
    export.add_argument("--to", dest="end", required=True, help="the last day, YYYY-MM-DD")
    export.add_argument("--out", required=True, help="the file to write: .csv or .json")
    access = verb("subject-access", "everything held about a person across cases, as a ZIP (index.html, "
                                    "data.json, files)")
    access.add_argument("--name", required=True, help="the person's name as the cases record it")
    access.add_argument("--date-of-birth", help="YYYY-MM-DD: needed when the name may be more than one person")
    access.add_argument("--out", required=True, help="the ZIP file to write")
    erase = verb("erase", "erase a case at the person's request (refused where a statutory record must be kept)")
    erase.add_argument("--case", required=True, help="the case reference, e.g. WDC/26/00001")
    erase.add_argument("--reason", required=True, help="why: the request's date and reference")
    erase.add_argument("--today", help="the day to judge by, YYYY-MM-DD (default: today)")
    restrict = verb("restrict", "restrict a case at the person's request: laptops cannot change it (--lift ends it)")
    restrict.add_argument("--case", required=True, help="the case reference")
    restrict.add_argument("--reason", required=True, help="why it is restricted (or lifted)")
    restrict.add_argument("--lift", action="store_true", help="end the restriction")
    for sub in (export, access, erase, restrict):
        sub.add_argument("--by", help="who at the office runs this (default: the computer account)")
        sub.add_argument("--json", action="store_true", help="print the result as JSON")


def _date(value: str | None, option: str) -> date:
    try:
        return date.fromisoformat(value) if value else date.today()
    except ValueError:
        raise BadInput(f"{option} {value!r} is not a date: give YYYY-MM-DD") from None


def run(args: argparse.Namespace) -> int:
    from heart_desktop.central.db import CentralDatabase
    from heart_desktop.central.privacy import PrivacyRefused

    try:
        db = CentralDatabase(args.db)
        handler = {"audit-export": _export, "subject-access": _access, "erase": _erase,
                   "restrict": _restrict}[args.verb]
        result = handler(db, args)
    except BadInput as exc:
        print(f"heart-central: {exc}", file=sys.stderr)
        return 2
    except PrivacyRefused as exc:
        print(f"heart-central: {exc}", file=sys.stderr)
        refused = "cannot be erased" in str(exc)
        if args.json:
            print(json.dumps({"error": "refused" if refused else "bad_request", "message": str(exc)}, indent=2))
        return 1 if refused else 2
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    return 0


def _export(db: Any, args: argparse.Namespace) -> dict[str, Any]:
    from heart_desktop.central import audit
    from heart_desktop.central.privacy import restricted_references
    from heart_desktop.reports.audit import export_format, write_export

    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    if end < start:
        raise BadInput(f"--to {end} is before --from {start}: give the period's first and last days")
    out = Path(args.out)
    if export_format(out) is None:
        raise BadInput(f"--out {out}: give a file ending .csv or .json")
    if not out.parent.is_dir():
        raise BadInput(f"--out {out}: the folder {out.parent} does not exist")
    entries = audit.entries(db, start.isoformat(), end.isoformat())
    chains = audit.verify_all(db)
    meta = {"from": start.isoformat(), "to": end.isoformat(), "intact": all(c["intact"] for c in chains),
            "chains": chains, "restricted_cases": restricted_references(db)}
    write_export(out, entries, meta)
    with db.transaction(feed=True) as tx:
        seq = audit.record(tx, "audit_export", officer=args.by, reason="audit export for a period",
                           detail={"from": meta["from"], "to": meta["to"], "entries": len(entries), "out": out.name})
    if not args.json:
        state = "every chain intact" if meta["intact"] else "A CHAIN IS BROKEN (see the file)"
        print(f"{len(entries)} audit entries from {meta['from']} to {meta['to']} written to {out}; {state}")
    return {"out": str(out), **{k: meta[k] for k in ("from", "to", "intact", "chains", "restricted_cases")},
            "entries": len(entries), "audit_seq": seq}


def _access(db: Any, args: argparse.Namespace) -> dict[str, Any]:
    from heart_desktop.central.privacy import subject_access

    dob = _date(args.date_of_birth, "--date-of-birth").isoformat() if args.date_of_birth else None
    out = Path(args.out)
    if out.suffix.lower() != ".zip":
        raise BadInput(f"--out {out}: give a file ending .zip")
    if not out.parent.is_dir():
        raise BadInput(f"--out {out}: the folder {out.parent} does not exist")
    summary = subject_access(db, args.name, dob, out, args.by)
    if not args.json:
        refs = ", ".join(c["reference"] or c["case_id"] for c in summary["cases"]) or "no case"
        print(f"{args.name}: {len(summary['cases'])} case(s) ({refs}), {summary['files']} file(s), written to {out}")
    return summary


def _erase(db: Any, args: argparse.Namespace) -> dict[str, Any]:
    from heart_desktop.central.privacy import erase

    result = erase(db, args.case, args.reason, _date(args.today, "--today"), args.by)
    if not args.json:
        print(f"case {args.case} erased; its laptops remove it on their next sync")
    return result


def _restrict(db: Any, args: argparse.Namespace) -> dict[str, Any]:
    from heart_desktop.central.privacy import restrict

    result = restrict(db, args.case, args.reason, args.lift, args.by)
    if not args.json:
        print(f"case {args.case} {'restricted' if result['restricted'] else 'no longer restricted'}")
    return result
