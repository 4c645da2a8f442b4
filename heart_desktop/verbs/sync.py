"""Headless sync verbs for IT's scripts: ``enrol`` once, then ``sync`` (for example on a schedule).

The passphrase comes from ``HEART_PASSPHRASE`` or a prompt, as for the store verbs.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from heart_desktop.verbs.common import db_path, fail, open_store, passphrase


def add_commands(subparsers: Any) -> None:
    enrol = subparsers.add_parser("enrol", help="enrol this laptop with the central office (one-time code)")
    enrol.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    enrol.add_argument("--server", required=True, help="the central office's address, https://...")
    enrol.add_argument("--code", required=True, help="the one-time code from heart-central enrol-code")
    enrol.add_argument("--ca-bundle", help="a CA bundle to trust for the server's certificate")
    enrol.set_defaults(handler=_enrol)
    sync = subparsers.add_parser("sync", help="push this laptop's changes and pull the office's, once")
    sync.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    sync.add_argument("--json", action="store_true", help="print counts as JSON")
    sync.set_defaults(handler=_sync)
    status = subparsers.add_parser("sync-status", help="what waits to be sent, the last sync, refusals and rows "
                                                       "from the office set aside")
    status.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(handler=_sync_status)
    holding = subparsers.add_parser("holding", help="how many cases this laptop holds and why (open, or closed "
                                                    "within the laptop window, in the officer's councils)")
    holding.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    holding.add_argument("--json", action="store_true", help="print the counts and the window as JSON")
    holding.set_defaults(handler=_holding)


def _holding(args: argparse.Namespace) -> int:
    from heart_desktop.services.workbench import Workbench

    path = db_path(args.db)
    with open_store(path, passphrase()) as store:
        bench = Workbench(path)
        bench.store = store
        held = bench.holding()
    print(json.dumps(held) if args.json else held["text"])
    return 0


def _sync_status(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from heart_desktop.sync.client import sync_status
    from heart_desktop.sync.status import status_text

    with open_store(db_path(args.db), passphrase()) as store:
        status = sync_status(store)
    if args.json:
        print(json.dumps(asdict(status)))
    else:
        print(status_text(status)[0])
    return 0


def _enrol(args: argparse.Namespace) -> int:
    from heart_desktop.sync.client import SyncError, enrol

    path = db_path(args.db)
    new = not path.exists()  # a new officer's laptop: the store is made here, empty, then enrolled
    with open_store(path, passphrase(confirm=new), create=new) as store:
        try:
            device = enrol(store, args.server, args.code, ca_bundle=args.ca_bundle)
        except SyncError as exc:
            raise fail(str(exc)) from None
    print(f"enrolled as device {device}")
    return 0


def _sync(args: argparse.Namespace) -> int:
    from heart_desktop.sync.client import DeviceRevoked, SyncError, sync_once, wipe_store
    from heart_desktop.sync.errors import REVOKED_WIPED

    store = open_store(db_path(args.db), passphrase())
    try:
        report = sync_once(store)
    except DeviceRevoked:
        wipe_store(store)
        raise fail(REVOKED_WIPED) from None
    except SyncError as exc:
        store.close()
        raise fail(str(exc)) from None
    store.close()
    if args.json:
        print(json.dumps(report.as_json()))
    else:
        print(f"pushed {report.pushed}, pulled {report.pulled}, conflicts {len(report.conflicts)}, "
              f"refused {len(report.refused)}")
        for refused in report.refused:
            print(f"  refused {refused['entity']} {refused['id']}: {refused['reason']}")
        if report.left:
            from heart_desktop.sync.status import left_sentence, left_why

            print(left_sentence(report.left))
            for item in report.left:
                print(f"  {item.get('ref') or item['case_id']}: {left_why(item)}")
    return 0
