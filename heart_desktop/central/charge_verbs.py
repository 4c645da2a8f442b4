"""The office verbs for a case's charge and a laptop's restarted audit chain (issue 20): ``charge``
marks a DDFA charge discharged (repaid); ``audit-accept-restart`` lets a laptop restored from a
backup start a new segment of its audit chain. Both are recorded in the office's own audit chain."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from typing import Any


def add_arguments(verb: Callable[[str, str], argparse.ArgumentParser]) -> None:
    charge = verb("charge", "mark a case's DDFA charge discharged (repaid): its retention period then runs from "
                            "the discharge")
    charge.add_argument("--case", required=True, help="the case's reference")
    charge.add_argument("--discharged-on", required=True, help="the day the charge was repaid, YYYY-MM-DD")
    charge.add_argument("--reason", required=True, help="why (recorded in the office audit)")
    charge.add_argument("--today", help="the day to judge by, YYYY-MM-DD (default: today)")
    charge.add_argument("--by", help="who at the office runs this (recorded in the office audit)")
    charge.add_argument("--json", action="store_true", help="the case's retention after the discharge, as JSON")
    restart = verb("audit-accept-restart", "accept, once, a restarted audit chain from a laptop restored from a "
                                           "backup (its next entries reuse numbers the office holds)")
    restart.add_argument("--device", required=True, help="the laptop's device id (heart-central devices)")
    restart.add_argument("--fork-seq", type=int, metavar="N", help="required: the last entry the laptop's restored "
                         "trail shares with the office's copy (the sync refusal names it: 'forks after entry N')")
    restart.add_argument("--fork-hash", metavar="HASH", help="that entry's hash (or its first 12+ characters), "
                         "checked against the office's")
    restart.add_argument("--reason", required=True, help="why (recorded in the office audit)")
    restart.add_argument("--by", help="who at the office runs this (recorded in the office audit)")
    restart.add_argument("--json", action="store_true", help="what was recorded, as JSON")


def _date(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{flag} {value!r} is not a date: give YYYY-MM-DD") from None


def run(args: argparse.Namespace) -> int:
    from heart_desktop.central import audit_restart, retention
    from heart_desktop.central.db import CentralDatabase

    db = CentralDatabase(args.db)
    result: dict[str, Any]
    try:
        if args.verb == "charge":
            discharged_on = _date(args.discharged_on, "--discharged-on")
            today = _date(args.today, "--today") or date.today()
            assert discharged_on is not None
            result = retention.discharge(db, args.case, discharged_on, args.reason, today, args.by)
            text = (f"DDFA charge of case {args.case} discharged on {discharged_on.isoformat()}: "
                    f"{result['reason']}")
        else:
            result = audit_restart.accept(db, args.device, args.reason, args.by, fork_seq=args.fork_seq,
                                          fork_hash=args.fork_hash.lower() if args.fork_hash else None)
            text = (f"device {result['device_id']}: the office will accept one restarted audit chain (segment "
                    f"{result['segment']}) forking after entry {result['fork_seq']}; the old chain ends at entry "
                    f"{result['old_newest_seq']}")
    except ValueError as exc:  # ChargeRefused, RestartRefused, a bad date: what to give instead
        print(f"heart-central: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2) if args.json else text)
    return 0
