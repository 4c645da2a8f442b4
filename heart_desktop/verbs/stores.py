"""Headless verbs for IT and admin: init, demo, check, cases, backup, restore.

The passphrase comes from ``HEART_PASSPHRASE`` or a prompt, never from the command line (it
would show in shell history and the process list). Every expected failure is a plain message
and a non-zero exit through ``CommandError``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import date
from pathlib import Path
from typing import Any

from heart_desktop.verbs.common import PASSPHRASE_ENV, db_path, fail, open_store, passphrase


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser("demo", help="fill a store with synthetic demo cases")
    demo.add_argument("--db", help="store file (default: $HEART_DB, then the demo profile's store)")
    demo.add_argument("--cases", type=int, default=500, help="how many cases to add (default 500)")
    demo.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same cases")
    demo.add_argument("--officer", default="A. Okafor",
                      help="the officer a new demo store writes as until it is enrolled (default A. Okafor)")
    demo.add_argument("--as-of", type=_as_of, default=None, metavar="YYYY-MM-DD",
                      help="the day the demo is made for (stage dates end by then, some visits fall on it); "
                           "default 2026-10-30, so a seed always gives the same store")
    demo.set_defaults(handler=_demo)

    init = subparsers.add_parser("init", help="create an empty store (refused where one exists)")
    init.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    init.add_argument("--officer", default=None, help="the officer the laptop writes as (default: $USER)")
    init.add_argument("--json", action="store_true", help="print JSON")
    init.set_defaults(handler=_init)

    check = subparsers.add_parser("check", help="integrity check, schema version and row counts of a store")
    check.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    check.add_argument("--json", action="store_true", help="print JSON")
    check.set_defaults(handler=_check)

    cases = subparsers.add_parser("cases", help="list the cases in a store")
    cases.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    cases.add_argument("--search", help="full-text search: reference, name, address or postcode")
    cases.add_argument("--limit", type=int, default=None, help="at most this many cases")
    cases.add_argument("--json", action="store_true", help="print JSON")
    cases.set_defaults(handler=_cases)

    backup = subparsers.add_parser("backup", help="make a consistent encrypted copy of a store")
    backup.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    backup.add_argument("--out", required=True, help="the backup file to write")
    backup.set_defaults(handler=_backup)

    restore = subparsers.add_parser("restore", help="put a backup in place as the store")
    restore.add_argument("--from", dest="source", required=True, help="the backup file")
    restore.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    restore.add_argument("--force", action="store_true", help="replace an existing store")
    restore.set_defaults(handler=_restore)


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-10-30") from None


def _demo(args: argparse.Namespace) -> int:
    from heart_desktop.store import DEMO_PASSPHRASE
    from heart_desktop.store.demo import DEMO_AS_OF, generate, record_demo_appeals, record_demo_decisions

    if args.cases < 0:
        raise fail("--cases must be 0 or more")
    path = db_path(args.db)
    new = not path.exists()
    store = open_store(path, passphrase(default=DEMO_PASSPHRASE), create=True)
    started = time.perf_counter()
    with store:
        if new:
            store.name_officer(args.officer)  # the demo's "me": never the computer's login
        generate(store, args.cases, seed=args.seed, **({"as_of": args.as_of} if args.as_of else {}))
        record_demo_decisions(store)  # the decisions the approval dates and refusals imply (letters need them)
        record_demo_appeals(store, args.as_of or DEMO_AS_OF)  # an appeal at each stage of section 12
        total = store.counts()["cases"]
    seconds = time.perf_counter() - started
    print(f"added {args.cases} demo cases to {path} in {seconds:.1f} s ({total} cases in the store)")
    if PASSPHRASE_ENV not in os.environ:
        print(f"the demo passphrase is {DEMO_PASSPHRASE!r}")
    return 0


def _init(args: argparse.Namespace) -> int:
    """Create an empty store so IT can script a new laptop's set-up; never touch an existing one."""
    from heart_desktop.store import OpenError, Store

    path = db_path(args.db)
    if path.exists():
        raise fail(f"a store already exists at {path}; nothing was changed")
    secret = passphrase(confirm=True)
    try:
        with Store.open(path, secret, officer=args.officer or os.environ.get("USER", "officer"),
                        create=True) as store:
            if args.officer:
                store.name_officer(args.officer)  # kept: author fields never fall back to the login
            report = {"db": str(path), "schema_version": store.schema_version, "cases": store.counts()["cases"]}
    except OpenError as exc:
        raise fail(str(exc)) from None
    if args.json:
        print(json.dumps(report))
    else:
        print(f"created an empty store at {path} (schema version {report['schema_version']})")
    return 0


def _check(args: argparse.Namespace) -> int:
    import sqlcipher3

    with open_store(db_path(args.db), passphrase(), check=False) as store:  # the full integrity_check follows
        try:
            integrity = store.integrity()
            report: dict[str, Any] = {"integrity": integrity, "schema_version": store.schema_version, "counts": {}}
            if integrity == "ok":
                report["counts"] = store.counts()
                report["journal_pending"] = store.journal.count(pending_only=True)
        except sqlcipher3.DatabaseError as exc:
            raise fail(f"the store is damaged ({exc}); restore it from a backup") from None
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"integrity: {report['integrity']}")
        print(f"schema version: {report['schema_version']}")
        for table, count in report["counts"].items():
            print(f"  {table}: {count}")
    return 0 if report["integrity"] == "ok" else 1


def _cases(args: argparse.Namespace) -> int:
    with open_store(db_path(args.db), passphrase()) as store:
        if args.search:
            rows = store.cases.search(args.search, limit=args.limit or 100)
        else:
            rows = store.cases.page(0, args.limit or 1_000_000, sort="reference")
        from heart_desktop.services.casework import case_json

        listed = case_json(store, rows)  # with stage dates, outcome, allocation and the 9.3 sanction
    if args.json:
        print(json.dumps(listed, indent=2))
    else:
        for r in listed:
            print(f"{r['reference']:<16} {r['customer'] or '':<28} {r['postcode'] or '':<9} {r['council']:<5} "
                  f"{r['stage']}")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from heart_desktop.store import StoreError

    out = Path(args.out).expanduser()
    with open_store(db_path(args.db), passphrase()) as store:
        try:
            store.backup(out)
        except StoreError as exc:
            raise fail(str(exc)) from None
    print(f"backed up to {out}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from heart_desktop.store import OpenError, StoreError
    from heart_desktop.store.backup import restore_store

    source = Path(args.source).expanduser()
    if not source.exists():
        raise fail(f"there is no backup at {source}")
    db = db_path(args.db)
    try:
        restore_store(source, db, passphrase(), force=args.force)
    except OpenError as exc:
        raise fail(f"cannot restore from {source}: {exc}") from None
    except StoreError as exc:
        raise fail(str(exc)) from None
    print(f"restored {source} to {db}")
    return 0
