"""``heart-desktop appeal-report``: the anonymised appeal report of a case for the panel (policy
12.20), as a PDF file, headless.

Each ``--photo ID`` is a photo the officer includes and, by naming it, confirms shows no faces and
no house numbers; with none, the report has no photos. The export is recorded in the case's audit.
A case that cannot have the report (no appeal lodged) is refused with the reason, exit status 2.
The passphrase comes from ``HEART_PASSPHRASE`` or a prompt.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path

from heart_desktop.errors import EXIT_USAGE, CommandError


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser("appeal-report", help="write the anonymised appeal report of a case (12.20)")
    report.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    report.add_argument("--case", required=True, metavar="REF", help="case reference, like WDC/26/00001")
    report.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF file to write")
    report.add_argument("--photo", action="append", default=[], metavar="ID",
                        help="include this photo, confirming it shows no faces and no house numbers (repeat)")
    report.add_argument("--appeal", metavar="ID", help="which appeal (default: the latest lodged)")
    report.add_argument("--today", metavar="YYYY-MM-DD", help="the report's date, for ages (default: today)")
    report.add_argument("--json", action="store_true", help="print JSON")
    report.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    from heart_desktop.documents.appeal_report import ReportRefused
    from heart_desktop.domain.permissions import NotPermitted
    from heart_desktop.services import appeal_report
    from heart_desktop.store import NotFoundError
    from heart_desktop.verbs.cases import _bench
    from heart_desktop.verbs.common import today_from

    def fail(message: str) -> CommandError:
        return CommandError(message, EXIT_USAGE)  # what the officer can put right: exit status 2

    today = today_from(args.today)
    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".pdf":
        raise fail(f"--out: {args.out!r} should be a .pdf file")
    if not out.parent.is_dir():
        raise fail(f"--out: there is no folder {out.parent}")
    bench = _bench(args)
    try:
        try:
            case = bench._store().cases.by_reference(args.case)
        except NotFoundError:
            raise fail(f"--case: there is no case {args.case}") from None
        now = datetime.now().replace(microsecond=0)
        at = now if now.date() == today else datetime.combine(today, now.time())
        made = appeal_report.make(bench, case["id"], today=today, photos=args.photo, at=at, appeal_id=args.appeal)
    except (ReportRefused, NotPermitted) as exc:
        raise fail(str(exc)) from None
    finally:
        bench.close()
    try:
        out.write_bytes(made["pdf"])
    except OSError as exc:
        raise CommandError(f"cannot write {exc.filename}: {exc.strerror}") from None
    report = {"reference": args.case, "out": str(out), "pages": made["pages"], "sha256": made["sha256"],
              "report_id": made["report_id"], "appeal_id": made["appeal_id"], "masked": made["masked"],
              "masked_total": sum(made["masked"].values()), "photos": made["photos"], "dated": today.isoformat()}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        masked = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in made["masked"].items()) or "nothing"
        print(f"wrote {out} (anonymised appeal report, {made['pages']} pages, {len(made['photos'])} photos, "
              f"masked: {masked}; sha256 {made['sha256']})")
    return 0
