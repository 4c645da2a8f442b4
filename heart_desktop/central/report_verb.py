"""``heart-central report``: the partnership measures for a quarter or dates, as JSON, CSV, XLSX
or the board's PDF. Bad input (a quarter that is not one, an unknown council, dates backwards)
is one plain line and exit 2."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from heart_desktop.domain.measures import MeasuresError, Period, parse_quarter, parse_range, previous_quarters
from heart_desktop.reports.files import FORMATS


def add_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--quarter", help="financial quarter, e.g. 2026/27-Q3 (Q1 is April to June)")
    sub.add_argument("--from", dest="start", help="first day, YYYY-MM-DD (with --to, instead of --quarter)")
    sub.add_argument("--to", dest="end", help="last day, YYYY-MM-DD")
    sub.add_argument("--council", action="append", help="only this council (repeat); all five by default")
    sub.add_argument("--format", choices=FORMATS, default="json")
    sub.add_argument("--out", help="the file to write (default: JSON and CSV to standard output)")


def period_of(args: argparse.Namespace) -> Period:
    if args.quarter and (args.start or args.end):
        raise MeasuresError("give --quarter or --from and --to, not both")
    if args.quarter:
        return parse_quarter(args.quarter)
    if args.start and args.end:
        return parse_range(args.start, args.end)
    raise MeasuresError("give --quarter 2026/27-Q3, or --from YYYY-MM-DD --to YYYY-MM-DD")


def run(args: argparse.Namespace) -> int:
    from heart_desktop.central import measures
    from heart_desktop.central.db import CentralDatabase
    from heart_desktop.reports.files import to_csv, write

    try:
        period = period_of(args)
        from heart_desktop.domain.measures import check_councils

        chosen = check_councils(args.council or [])
        if args.format in ("xlsx", "pdf") and not args.out:
            raise MeasuresError(f"--format {args.format} needs --out FILE")
    except MeasuresError as exc:
        print(f"heart-central: {exc}", file=sys.stderr)
        return 2
    db = CentralDatabase(args.db)
    report = measures.report(db, period, chosen or None)
    history = []
    if args.format == "pdf":
        history = [measures.report(db, q, chosen or None, fresh=False) for q in previous_quarters(period, 4)]
    if args.out:
        write(report, args.format, Path(args.out), history)
        print(f"wrote {args.format} report for {period.start} to {period.end} to {args.out}")
    else:
        import json

        sys.stdout.write(to_csv(report) if args.format == "csv" else json.dumps(report, indent=1) + "\n")
    return 0
