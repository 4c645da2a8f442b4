"""Headless casework verbs: ``case new`` (one enquiry from JSON), ``case import`` (a batch of referrals
from CSV), ``case close`` (an outcome), ``case decide`` (the decision on the application, with the DDFA loan of
an approval) and ``case reopen`` (a closed case, with the reason). The
``cases`` listing is in ``verbs.stores``. They write through the same use cases as the app
(``services.casework``), as the store's officer (the enrolled one), within that officer's role. Bad
input exits 2 naming the field; a likely duplicate exits 3 naming the case already on file."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from heart_desktop.errors import EXIT_USAGE, CommandError
from heart_desktop.verbs.common import db_path, fail, passphrase

EXIT_DUPLICATE = 3
T = TypeVar("T")


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    case = subparsers.add_parser("case", help="record an enquiry, import referrals, close a case")
    verbs = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)

    new = verbs.add_parser("new", help="record an enquiry as the duty desk takes it (policy 5.1)")
    new.add_argument("file", metavar="FILE.json", help="the enquiry (see README); - reads standard input")
    _common(new)
    new.add_argument("--force", action="store_true", help="save even when it looks like a case already on file")
    new.set_defaults(handler=_new)

    batch = verbs.add_parser("import", help="import a batch of referrals from CSV: all of them or none")
    batch.add_argument("file", metavar="FILE.csv", help="one referral per row; the header names the columns")
    _common(batch)
    batch.add_argument("--force", action="store_true", help="import rows that look like cases already on file")
    batch.set_defaults(handler=_import)

    close = verbs.add_parser("close", help="close a case with its outcome, date and reason")
    close.add_argument("--case", required=True, metavar="REF", help="the case reference, e.g. WDC/26/00123")
    close.add_argument("--outcome", required=True, help="completed, withdrawn, not_eligible, refused, "
                                                       "referred_elsewhere, died, moved_away or no_contact")
    close.add_argument("--reason", required=True, help="why the case closes")
    close.add_argument("--on", metavar="YYYY-MM-DD", help="the date of the outcome (default: today)")
    _common(close)
    close.set_defaults(handler=_close)

    decide = verbs.add_parser("decide", help="record the decision on the application (an approval may carry the "
                                             "DDFA 0%% loan, 4.2)")
    decide.add_argument("--case", required=True, metavar="REF", help="the case reference, e.g. WDC/26/00123")
    decide.add_argument("--outcome", required=True, choices=("approved", "refused"))
    decide.add_argument("--reason", required=True, help="the reasons for the decision (they go in the letter)")
    decide.add_argument("--on", metavar="YYYY-MM-DD", help="the date of the decision (default: today)")
    decide.add_argument("--amount", metavar="POUNDS", help="the grant approved, e.g. 12500.00")
    decide.add_argument("--ddfa-loan", metavar="POUNDS", help="the DDFA 0%% loan approved with it (4.2), e.g. "
                        "5000.00: a charge the office keeps the case for; an approval only")
    _common(decide)
    decide.set_defaults(handler=_decide)

    reopen = verbs.add_parser("reopen", help="reopen a closed case, with the reason (it waits again by enquiry date)")
    reopen.add_argument("--case", required=True, metavar="REF", help="the case reference, e.g. WDC/26/00123")
    reopen.add_argument("--reason", required=True, help="why the case is reopened")
    _common(reopen)
    reopen.set_defaults(handler=_reopen)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="the day it is recorded (default: the computer's date)")


def _day(text: str | None, what: str) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{what}: {text!r} is not a date like 2026-11-30", code=EXIT_USAGE) from None


def _bench(args: argparse.Namespace) -> Any:
    from heart_desktop.services.workbench import OpenFailure, Workbench

    path = db_path(args.db)
    if not path.exists():
        raise fail(f"there is no store at {path}")
    bench = Workbench(path)
    try:
        bench.open(passphrase())
    except OpenFailure as exc:
        raise fail(str(exc)) from None
    return bench


def _read(file: str, what: str) -> str:
    if file == "-":
        return sys.stdin.read()
    try:
        return Path(file).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise fail(f"cannot read {what} {file}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{file} is not UTF-8 text", code=EXIT_USAGE) from None


def _refused(exc: Exception, flags: Mapping[str, str] | None = None) -> CommandError:
    """The exit for a refusal: 3 a likely duplicate, 1 the role, 2 bad input. A service's message that
    starts with its field's name (``ddfa_loan_pence: …``) is given the verb's flag for it instead."""
    from heart_desktop.domain.permissions import NotPermitted
    from heart_desktop.services.casework import CaseworkError, LikelyDuplicate

    if isinstance(exc, LikelyDuplicate):
        return CommandError(str(exc), code=EXIT_DUPLICATE)
    if isinstance(exc, NotPermitted):
        return CommandError(str(exc))
    message = str(exc)
    field = exc.field if isinstance(exc, CaseworkError) else None
    if field and field in (flags or {}) and message.startswith(f"{field}: "):
        message = f"{(flags or {})[field]}: {message[len(field) + 2:]}"
    return CommandError(message, code=EXIT_USAGE)


def _say(args: argparse.Namespace, report: Mapping[str, Any], line: str) -> int:
    """Print the verb's report as JSON with ``--json``, else its one line for a person."""
    print(json.dumps(report) if args.json else line)
    return 0


def _on_case(args: argparse.Namespace, act: Callable[[Any, dict[str, Any]], T],
             flags: Mapping[str, str] | None = None) -> T:
    """Open the store, find ``--case`` and run ``act(bench, case)``: the block every verb on one case
    shares, so a missing case exits 1 and a refusal exits as ``_refused`` says, the store closed after."""
    from heart_desktop.domain.permissions import NotPermitted
    from heart_desktop.services.casework import CaseworkError
    from heart_desktop.store.errors import NotFoundError

    bench = _bench(args)
    try:
        case = bench._store().cases.by_reference(args.case)
        return act(bench, case)
    except NotFoundError:
        raise fail(f"there is no case {args.case} in this store") from None
    except (CaseworkError, NotPermitted) as exc:
        raise _refused(exc, flags) from None
    finally:
        bench.close()


def _new(args: argparse.Namespace) -> int:
    from heart_desktop.domain.casework import StageOrderError
    from heart_desktop.domain.intake import IntakeError
    from heart_desktop.domain.permissions import NotPermitted
    from heart_desktop.services import casework

    today = _day(args.today, "--today")
    text = _read(args.file, "the enquiry")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"{args.file} is not JSON: {exc.msg} at line {exc.lineno}", code=EXIT_USAGE) from None
    bench = _bench(args)
    try:
        made = casework.new_enquiry(bench, data, today=today, force=args.force)
    except (IntakeError, casework.CaseworkError, StageOrderError, NotPermitted) as exc:
        raise _refused(exc) from None
    finally:
        bench.close()
    report = {"reference": made["reference"], "council": made["council"], "stage": made["stage"], "id": made["id"],
              "reference_confirmed": made["reference_confirmed"], "notes": made["notes"],
              "duplicates": made["duplicates"]}
    if args.json:
        print(json.dumps(report))
    else:
        print(f"recorded enquiry {made['reference']} ({made['council']}); the reference is provisional until the "
              "office confirms it at the next sync")
        for note in made["notes"]:
            print(f"  to confirm: {note}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from heart_desktop.domain.casework import StageOrderError
    from heart_desktop.domain.permissions import NotPermitted
    from heart_desktop.services import casework

    today = _day(args.today, "--today")
    text = _read(args.file, "the referrals")
    bench = _bench(args)
    try:
        made = casework.import_referrals(bench, text, today=today, force=args.force)
    except (casework.CaseworkError, StageOrderError, NotPermitted) as exc:
        raise _refused(exc) from None
    finally:
        bench.close()
    if args.json:
        print(json.dumps({"imported": len(made), "cases": [{k: m[k] for k in ("line", "reference", "council",
                                                                            "stage")} for m in made]}))
    else:
        print(f"imported {len(made)} referral{'s' if len(made) != 1 else ''}: "
              + ", ".join(m["reference"] for m in made))
    return 0


def _close(args: argparse.Namespace) -> int:
    from heart_desktop.services import casework

    today = _day(args.today, "--today")
    on = _day(args.on, "--on") if args.on else today
    closed = _on_case(args, lambda bench, case: casework.close_case(bench, case["id"], args.outcome, on, args.reason,
                                                                    today=today))
    report = {"reference": closed["reference"], "outcome": closed["outcome"],
              "outcome_on": closed["outcome_on"].isoformat(), "outcome_reason": closed["outcome_reason"]}
    return _say(args, report, f"closed {closed['reference']}: {closed['outcome']} on {closed['outcome_on']:%d/%m/%Y}")


def _amount(text: str | None, what: str) -> int | None:
    from heart_desktop.domain.money import MoneyError, typed_amount

    if text is None:
        return None
    try:
        return typed_amount(text)
    except MoneyError as exc:
        raise CommandError(f"{what}: {exc}", code=EXIT_USAGE) from None


def _decide(args: argparse.Namespace) -> int:
    from heart_desktop.services import casework

    today = _day(args.today, "--today")
    on = _day(args.on, "--on") if args.on else today
    amount, loan = _amount(args.amount, "--amount"), _amount(args.ddfa_loan, "--ddfa-loan")
    # the service refuses a loan on a refusal, or of nothing; its message speaks, with the verb's flag
    _on_case(args, lambda bench, case: casework.decide_application(
        bench, case["id"], args.outcome, on, args.reason, today=today, amount_pence=amount, ddfa_loan_pence=loan),
        {"ddfa_loan_pence": "--ddfa-loan"})
    report = {"reference": args.case, "outcome": args.outcome, "decided_on": on.isoformat(), "amount_pence": amount,
              "ddfa_loan_pence": loan}
    loaned = f", with a DDFA loan of {args.ddfa_loan}" if loan else ""
    return _say(args, report, f"recorded the decision on {args.case}: {args.outcome} on {on:%d/%m/%Y}{loaned}")


def _reopen(args: argparse.Namespace) -> int:
    from heart_desktop.services import appeals, casework

    today = _day(args.today, "--today")

    def act(bench: Any, case: dict[str, Any]) -> Any:
        appeals.reopen_case(bench, case["id"], args.reason, today=today)
        return casework.place_in_queue(bench, case["id"], today=today)

    place = _on_case(args, act)
    report = {"reference": args.case, "outcome": None, "queue": place}
    where = f"; {place['label'].lower()}: {place['position']} of {place['of']}" if place else ""
    return _say(args, report, f"reopened {args.case}{where}")
