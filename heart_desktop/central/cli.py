"""``heart-central``: serve the central office API and administer officers and devices.

Every verb takes ``--db URL`` (``sqlite:///path`` or ``postgresql://...``; default: the
``HEART_CENTRAL_DB`` environment variable). An embedded SQLite database is encrypted (SQLCipher):
its key comes from ``--key-file`` (readable by its owner only), ``$HEART_CENTRAL_KEY_FILE`` or
``$HEART_CENTRAL_KEY``; ``encrypt`` converts a plain one once. Errors print one plain line and exit
non-zero (2 for a missing, unsafe or wrong key).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from collections.abc import Sequence

from heart_desktop import __version__
from heart_desktop.central.settings import OfficeSettings

DB_ENV = "HEART_CENTRAL_DB"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="heart-central", description="HEART central office server.")
    parser.add_argument("--version", action="version", version=f"heart-central {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    def verb(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = verbs.add_parser(name, help=help_text)
        sub.add_argument("--db", default=os.environ.get(DB_ENV), help=f"database URL (default: ${DB_ENV})")
        key_file(sub)
        return sub

    def key_file(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--key-file", help="the embedded SQLite database's key, in a file readable by its owner "
                                            "only (default: $HEART_CENTRAL_KEY_FILE, or the key in $HEART_CENTRAL_KEY)")

    def keep(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--log-days", type=float, default=OfficeSettings.log_days,
                         help=f"keep request log rows this many days (default {OfficeSettings.log_days:g})")
        sub.add_argument("--upload-days", type=float, default=OfficeSettings.upload_days,
                         help="drop a partial upload untouched this many days "
                              f"(default {OfficeSettings.upload_days:g})")

    serve = verb("serve", "serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--tls-cert", help="serve https with this certificate (PEM); laptops refuse plain http "
                                          "except to 127.0.0.1")
    serve.add_argument("--tls-key", help="the certificate's private key (PEM)")
    serve.add_argument("--insecure-http", action="store_true",
                       help="serve plain http on an address other than loopback (only behind a TLS proxy)")
    serve.add_argument("--docs", action="store_true", help="serve the interactive API docs at /api/v1/docs")
    serve.add_argument("--laptop-window-days", type=int, default=None,
                       help="days a closed case stays on the laptops, for every council (default: each council's "
                            "laptop_window_days in resources/policy/retention.toml)")
    keep(serve)
    tidy = verb("prune", "delete request log rows and abandoned partial uploads past their age (also done by "
                         "serve on start and hourly)")
    keep(tidy)
    officer = verbs.add_parser("officer", help="manage officers").add_subparsers(dest="action", required=True)
    add = officer.add_parser("add", help="add or update an officer")
    add.add_argument("--db", default=os.environ.get(DB_ENV))
    key_file(add)
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=("HAO", "OT", "admin", "manager"))
    add.add_argument("--council", action="append", required=True, help="a council they cover (repeat)")
    add.add_argument("--team", help="the team they work in, e.g. 'North adaptations' (kept when left out)")
    listing = officer.add_parser("list", help="list officers with their role, team and councils")
    listing.add_argument("--db", default=os.environ.get(DB_ENV))
    key_file(listing)
    code = verb("enrol-code", "print a one-time enrolment code for an officer's device (the last word); it voids "
                              "their earlier unused code")
    code.add_argument("name")
    code.add_argument("--hours", type=float, default=OfficeSettings.code_hours,
                      help=f"how long the code is valid (default {OfficeSettings.code_hours:g})")
    devices = verb("devices", "list enrolled laptops (id, officer, last contact), to find one to revoke")
    devices.add_argument("--officer", help="only this officer's laptops")
    revoke = verb("revoke", "revoke a device: it locks and wipes its store on its next contact")
    revoke.add_argument("device")
    from heart_desktop.central.report_verb import add_arguments

    retention = verb("retention", "list (--dry-run) or erase (--apply) the closed cases whose retention period has "
                                  "ended (resources/policy/retention.toml)")
    how = retention.add_mutually_exclusive_group(required=True)
    how.add_argument("--dry-run", action="store_true", help="list what would be erased, change nothing")
    how.add_argument("--apply", action="store_true", help="erase what is due; laptops are told to remove it")
    retention.add_argument("--json", action="store_true", help="every case with its rule and date, as JSON")
    retention.add_argument("--today", help="the day to judge by, YYYY-MM-DD (default: today)")
    verb("encrypt", "convert a plain (unencrypted) embedded SQLite database to SQLCipher, once, with the "
                    "server stopped: afterwards every verb needs the same key")
    retention.add_argument("--by", help="who at the office runs this (recorded in the office audit)")
    from heart_desktop.central.privacy_verbs import add_arguments as add_privacy

    add_privacy(verb)
    from heart_desktop.central.charge_verbs import add_arguments as add_charge

    add_charge(verb)
    add_arguments(verb("report", "the partnership measures for a quarter (policy 13.3, 3.15) as json, csv, xlsx "
                                 "or pdf"))
    return parser


def _retention(args: argparse.Namespace) -> int:
    """``retention``: what is due (and, with --apply, erase it)."""
    import json
    from datetime import date

    from heart_desktop.central import retention
    from heart_desktop.central.db import CentralDatabase

    try:
        today = date.fromisoformat(args.today) if args.today else date.today()
    except ValueError:
        print(f"heart-central: --today {args.today!r} is not a date: give YYYY-MM-DD", file=sys.stderr)
        return 2
    db = CentralDatabase(args.db)
    listed = retention.review(db, today)
    erased = retention.apply(db, today, args.by) if args.apply else []
    if args.json:
        print(json.dumps({"today": today.isoformat(), "applied": bool(args.apply), "cases": listed,
                          "erased": [item["case_id"] for item in erased],
                          "audit_reasons": {item["case_id"]: item["audit_reasons"] for item in erased}}, indent=2))
    else:
        due = [item for item in listed if item["action"] == "erase"]
        for item in due:
            print(f"{item['reference'] or item['case_id']}\t{item['council']}\t{item['rule']}\tdue {item['until']}")
        verb_done = "erased" if args.apply else "due (dry run: nothing changed)"
        print(f"{len(due)} of {len(listed)} cases {verb_done}")
    return 0


def _loopback(host: str) -> bool:
    """Only this computer can reach the address (so plain http never crosses a network)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def _encrypt(args: argparse.Namespace) -> int:
    """``encrypt``: the one-off conversion of a plain embedded database (``sqlcipher_export``)."""
    from pathlib import Path

    from heart_desktop.central.db import KEY_ENV, encrypt_plain_file, office_key

    if not args.db.startswith("sqlite:///"):
        print("heart-central: --db: encrypt converts an embedded SQLite database (sqlite:///PATH); PostgreSQL "
              "relies on the database server's own encryption at rest", file=sys.stderr)
        return 2
    secret = office_key(args.key_file)
    if not secret:
        print(f"heart-central: give --key-file FILE (mode 0600) or set {KEY_ENV}: the key the database is "
              "encrypted with", file=sys.stderr)
        return 2
    path = Path(args.db.removeprefix("sqlite:///"))
    version = encrypt_plain_file(path, secret)
    print(f"encrypted {path} (schema {version}) with SQLCipher; serve it with the same key")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.db:
        print(f"heart-central: give --db URL (sqlite:///path or postgresql://...) or set {DB_ENV}", file=sys.stderr)
        return 2
    from heart_desktop.central.db import CentralDatabase, OfficeKeyError, office_key, use_key
    from heart_desktop.central.service import CentralService, ServiceError

    try:
        if args.verb == "encrypt":
            return _encrypt(args)
        use_key(office_key(args.key_file) if args.key_file else None)
        if args.verb == "serve":
            import uvicorn

            from heart_desktop.central.app import create_app
            from heart_desktop.central.logs import configure as configure_logging

            if bool(args.tls_cert) != bool(args.tls_key):
                print("heart-central: give both --tls-cert and --tls-key (or neither, behind a TLS proxy)",
                      file=sys.stderr)
                return 2
            tls = {"ssl_certfile": args.tls_cert, "ssl_keyfile": args.tls_key} if args.tls_cert else {}
            if not tls and not _loopback(args.host):
                if not args.insecure_http:
                    print(f"heart-central: refusing to serve plain http on {args.host}: give --tls-cert and "
                          "--tls-key, or --insecure-http if a TLS proxy in front of this server encrypts the traffic",
                          file=sys.stderr)
                    return 2
                print(f"heart-central: WARNING: serving plain http on {args.host}: device tokens and case data "
                      "cross the network unencrypted unless a TLS proxy is in front", file=sys.stderr)
            if args.laptop_window_days is not None and args.laptop_window_days < 0:
                print("heart-central: --laptop-window-days must be 0 or more (days a closed case stays on the "
                      "laptops)", file=sys.stderr)
                return 2
            settings = OfficeSettings(docs=args.docs, log_days=args.log_days, upload_days=args.upload_days,
                                      laptop_window_days=args.laptop_window_days)
            configure_logging()  # only a server that will run logs: a refused start says so on stderr
            uvicorn.run(create_app(args.db, settings), host=args.host, port=args.port, log_level="warning", **tls)
            return 0
        if args.verb == "prune":
            from heart_desktop.central.housekeeping import prune

            counts = prune(CentralDatabase(args.db), OfficeSettings(log_days=args.log_days,
                                                                    upload_days=args.upload_days))
            print(f"pruned {counts['log']} request log rows, {counts['uploads']} abandoned uploads, "
                  f"{counts['guesses']} old enrolment guesses, {counts['codes']} expired codes")
            return 0
        if args.verb == "retention":
            return _retention(args)
        if args.verb in ("audit-export", "subject-access", "erase", "restrict"):
            from heart_desktop.central.privacy_verbs import run as run_privacy

            return run_privacy(args)
        if args.verb in ("charge", "audit-accept-restart"):
            from heart_desktop.central.charge_verbs import run as run_charge

            return run_charge(args)
        if args.verb == "report":
            from heart_desktop.central.report_verb import run

            return run(args)
        service = CentralService(CentralDatabase(args.db))
        if args.verb == "officer" and args.action == "list":
            for officer in service.officers():
                councils = " ".join(officer["councils"])
                print(f"{officer['name']}\t{officer['role']}\t{officer['team'] or '-'}\t{councils}")
        elif args.verb == "officer":
            service.add_officer(args.name, args.role, args.council, args.team)
            team = f" in team {args.team}" if args.team else ""
            print(f"officer {args.name} ({args.role}){team} covers {', '.join(sorted(set(args.council)))}")
        elif args.verb == "devices":
            for device in service.devices(args.officer):
                state = f"revoked {device['revoked_at']}" if device["revoked_at"] else "active"
                print(f"{device['id']}\t{device['officer']}\t{device['name']}\tenrolled {device['enrolled_at']}\t"
                      f"last seen {device['last_seen'] or 'never'}\t{state}")
        elif args.verb == "enrol-code":
            code = service.enrol_code(args.name, args.hours)
            print(f"One-time enrolment code for {args.name}, valid {args.hours:g} hours: {code}")
        elif args.verb == "revoke":
            service.revoke(args.device)
            print(f"device {args.device} revoked")
        return 0
    except OfficeKeyError as exc:  # no key, an unsafe key file, a wrong key, a plain database
        print(f"heart-central: {exc}", file=sys.stderr)
        return 2
    except (ServiceError, ValueError) as exc:
        print(f"heart-central: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # e.g. the database cannot be reached
        print(f"heart-central: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        use_key(None)


if __name__ == "__main__":
    raise SystemExit(main())
