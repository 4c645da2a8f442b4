"""``heart-desktop audit``: a case's access history on this laptop, and the trail's chain checked.

``--case REF`` lists who viewed, printed, exported or changed the case (``--json`` for the
entries); ``--verify`` checks every entry's hash link and names the first broken one (exit 1).
"""

from __future__ import annotations

import argparse
import json

from heart_desktop.verbs.common import db_path, fail, open_store, passphrase


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    audit = subparsers.add_parser("audit", help="a case's access history, or --verify the audit trail's hash chain")
    audit.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    audit.add_argument("--case", help="the case reference")
    audit.add_argument("--verify", action="store_true", help="check the chain; name the first broken link")
    audit.add_argument("--json", action="store_true", help="print JSON")
    audit.set_defaults(handler=_audit)


def _audit(args: argparse.Namespace) -> int:
    from heart_desktop.services.audit import case_history, verify_store
    from heart_desktop.store import NotFoundError

    if not args.case and not args.verify:
        raise fail("give --case REF for a case's access history, or --verify to check the audit trail")
    with open_store(db_path(args.db), passphrase()) as store:
        if args.verify:
            from heart_desktop.store.sync_state import read_state

            count, broken = verify_store(store)
            state = read_state(store)
            # what the office said at the last sync: it alone can see an entry cut from the end
            office = {"sent_up_to": int(state.get("audit_sent") or 0), "problem": state.get("audit_problem")}
            result = {"entries": count, "intact": broken is None,
                      "first_broken": None if broken is None else {"device_id": broken.device_id,
                                                                   "seq": broken.seq, "problem": broken.problem},
                      "office": office}
            if args.json:
                print(json.dumps(result, indent=2))
            elif broken is None:
                print(f"the audit trail holds: {count} entries, every link intact")
            else:
                print(f"the audit trail is broken at {broken.describe()}")
            if not args.json and office["problem"]:
                print(f"at the last sync, {office['problem']}")
            return 0 if broken is None and not office["problem"] else 1
        try:
            case = store.cases.by_reference(args.case)
        except NotFoundError:
            raise fail(f"there is no case {args.case} in this store") from None
        rows = case_history(store, case["id"])  # IT with the passphrase: the manager's view
    if args.json:
        print(json.dumps({"reference": args.case, "entries": rows}, indent=2))
    else:
        for row in rows:
            reason = f" ({row['reason']})" if row["reason"] else ""
            print(f"{row['at']}  {row['officer']:<20} {row['what']:<10} device {row['device_id'][:8]}{reason}")
    return 0
