"""``heart-desktop appeal``: appeals to the panels (policy section 12), headless.

``appeal new`` lodges an appeal with the applicant's written case; ``answer`` answers one criterion
with its evidence; ``advice`` records independent medical advice on the medical criterion (12.14), or with
``--clear --reason TEXT`` clears it;
``decide`` records a panel's decision (the panel roles only); ``escalate`` takes a refusal to the
Senior Management Panel; ``outcome`` records what the granting panel offers;
``show`` lists the case's appeals. Each step acts on the case's latest appeal unless ``--appeal ID``
names another. They write through ``services.appeals`` as the store's officer, within that
officer's role. Bad input, or a step out of order, exits 2 with the field and the reason; a step the
officer's role may not take exits 1 saying who may.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from heart_desktop.errors import EXIT_USAGE, CommandError
from heart_desktop.verbs.common import fail

APPEAL_KEYS = ("id", "kind", "kind_label", "kind_section", "lodged_on", "grounds", "appellant", "assisted",
               "lodged_by", "stage", "stage_label", "next", "panel_due", "may_decide", "may_record_outcome",
               "criteria", "unanswered", "medical_advice", "decisions", "escalation", "outcome")


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    appeal = subparsers.add_parser("appeal", help="appeals to the panels (policy section 12)")
    verbs = appeal.add_subparsers(dest="appeal_command", metavar="ACTION", required=True)

    new = _action(verbs, "new", "lodge an appeal with the applicant's written case (12.10)", _new, which=False)
    new.add_argument("--kind", required=True, choices=("technical", "special"),
                     help="technical or professional (12.4), or a special case (12.5)")
    new.add_argument("--grounds", required=True, metavar="TEXT", help="the applicant's case, as they put it")
    new.add_argument("--appellant", metavar="NAME", help="who appeals (the applicant, or their advocate or agent)")
    new.add_argument("--assisted", action="store_true", help="HEART helped the applicant with the form (12.10)")
    _day(new, "--lodged-on", "the day it was lodged (default: today)")

    answer = _action(verbs, "answer", "answer one criterion with its evidence (12.4, 12.7, 12.8)", _answer)
    answer.add_argument("--criterion", required=True, metavar="KEY", help="the criterion's key (appeal show)")
    answer.add_argument("--evidence", metavar="TEXT", help="what shows it")
    answer.add_argument("--not-claimed", action="store_true", help="the applicant does not claim this one")

    advice = _action(verbs, "advice", "record independent medical advice on the medical criterion (12.14), or "
                                      "clear it", _advice)
    _day(advice, "--requested-on", "the day it was asked for (needed unless --clear)")
    advice.add_argument("--from", dest="source", metavar="ROLE",
                        help="who gives it, by role (e.g. 'independent occupational health adviser'; needed unless "
                             "--clear)")
    _day(advice, "--received-on", "the day it came back")
    advice.add_argument("--summary", metavar="TEXT", help="what the advice says (with --received-on)")
    advice.add_argument("--cost", metavar="POUNDS", help="its revenue cost, e.g. 150.00 (12.14)")
    advice.add_argument("--clear", action="store_true",
                        help="clear the advice recorded (asked for in error, or on the wrong appeal), with --reason")
    advice.add_argument("--reason", metavar="TEXT", help="with --clear: why (kept in the audit trail)")

    decide = _action(verbs, "decide", "record a panel's decision and its reasons (the panels only)", _decide)
    decide.add_argument("--panel", required=True, choices=("supervisors", "senior"))
    decide.add_argument("--decision", required=True, choices=("granted", "refused", "further_information"))
    decide.add_argument("--reasons", required=True, metavar="TEXT", help="the reasons (they go in the letter)")
    decide.add_argument("--urgent", action="store_true", help="a grant: the panel orders the case dealt with "
                                                              "urgently (12.19)")
    _day(decide, "--on", "the day the panel decided (default: today)")

    escalate = _action(verbs, "escalate", "take a refusal to the Senior Management Panel (12.6, 12.16)", _escalate)
    how = escalate.add_mutually_exclusive_group(required=True)
    how.add_argument("--attends", dest="hearing", action="store_const", const="attends",
                     help="the appellant attends the hearing")
    how.add_argument("--written", dest="hearing", action="store_const", const="written",
                     help="a written hearing, at the appellant's request")
    _day(escalate, "--hearing-on", "the hearing's date")
    escalate.add_argument("--representative", metavar="NAME", help="who helps or presents the case at the hearing")
    escalate.add_argument("--implications", metavar="TEXT", help="the implications of a positive decision (12.15)")
    escalate.add_argument("--information", metavar="TEXT", help="the further information required (12.15)")
    _day(escalate, "--on", "the day it was escalated (default: today)")

    outcome = _action(verbs, "outcome", "record what the panel that granted the appeal offers (12.21)", _outcome)
    outcome.add_argument("--form", required=True, choices=("standard", "special"),
                         help="a standard form of assistance (possibly modified), or a special form")
    outcome.add_argument("--type", dest="assistance_type", metavar="TYPE", help="standard: DFG, DDFA, HDG, HSG or WaSH")
    outcome.add_argument("--modification", metavar="TEXT", help="standard: how it is modified")
    outcome.add_argument("--description", metavar="TEXT", help="special: the assistance and the issues it addresses")
    outcome.add_argument("--terms", metavar="TEXT", help="special: the terms and conditions imposed")
    _day(outcome, "--on", "the day the panel decided it (default: today)")

    _action(verbs, "show", "the case's appeals, each with its stage and what may be done next", _show, which=False)


def _action(verbs: argparse._SubParsersAction, name: str, summary: str, handler: Callable[[argparse.Namespace], int],
            which: bool = True) -> argparse.ArgumentParser:
    """One ``appeal`` action: its parser with the options every action takes, run by ``handler``."""
    parser = verbs.add_parser(name, help=summary)
    _common(parser, which)
    parser.set_defaults(handler=handler)
    return parser


def _day(parser: argparse.ArgumentParser, flag: str, summary: str, required: bool = False) -> None:
    parser.add_argument(flag, required=required, metavar="YYYY-MM-DD", help=summary)


def _common(parser: argparse.ArgumentParser, which: bool = True) -> None:
    parser.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    parser.add_argument("--case", required=True, metavar="REF", help="the case reference, e.g. WDC/26/00123")
    if which:
        parser.add_argument("--appeal", metavar="ID", help="which appeal (default: the case's latest)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="the day it is recorded (default: the computer's date)")


def _date(text: str | None, flag: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{flag}: {text!r} is not a date like 2026-11-30", code=EXIT_USAGE) from None


def as_json(view: Mapping[str, Any]) -> dict[str, Any]:
    """An appeal as every ``appeal`` verb prints it (README, "Appeals to the panels")."""
    out = {k: view.get(k) for k in APPEAL_KEYS}
    out["lodged_on"] = str(view["lodged_on"])
    return out


def _run(args: argparse.Namespace, step: Any) -> int:
    """Open the store, find the case (and its appeal), run ``step(bench, case, appeal_id, today)``
    and print the appeal it returns."""
    from heart_desktop.domain.appeals import AppealError
    from heart_desktop.domain.permissions import NotPermitted
    from heart_desktop.services.casework import CaseworkError
    from heart_desktop.store import NotFoundError
    from heart_desktop.store import appeals as rows
    from heart_desktop.verbs.cases import _bench

    today = _date(args.today, "--today") or date.today()
    bench = _bench(args)
    bench.today = lambda: today
    try:
        store = bench._store()
        try:
            case = store.cases.by_reference(args.case)
        except NotFoundError:
            raise fail(f"there is no case {args.case} in this store") from None
        appeal_id = getattr(args, "appeal", None)
        if hasattr(args, "appeal"):
            if appeal_id:
                found = store.appeals.find(appeal_id)
                if found is None or found["case_id"] != case["id"]:
                    raise CommandError(f"--appeal: case {args.case} has no appeal {appeal_id}", code=EXIT_USAGE)
            else:
                latest = rows.latest(store, case["id"])
                if latest is None:
                    raise CommandError(f"--case: {args.case} has no appeal: lodge one first (appeal new)",
                                       code=EXIT_USAGE)
                appeal_id = latest["id"]
        result = step(bench, case, appeal_id, today)
    except (AppealError, CaseworkError) as exc:
        raise CommandError(str(exc), code=EXIT_USAGE) from None
    except NotPermitted as exc:
        raise fail(str(exc)) from None
    finally:
        bench.close()
    if isinstance(result, list):
        report: dict[str, Any] = {"reference": args.case, "appeals": [as_json(v) for v in result]}
    else:
        report = {"reference": args.case, "appeal": as_json(result)}
    if args.json:
        print(json.dumps(report, indent=2, default=str))
    else:
        for view in report.get("appeals") or [report["appeal"]]:
            print(f"{args.case} appeal {view['id']}: {view['kind_label']} lodged {view['lodged_on']}; "
                  f"{view['stage_label']}" + (f"; next: {', '.join(view['next'])}" if view["next"] else ""))
    return 0


def _new(args: argparse.Namespace) -> int:
    from heart_desktop.services import appeals

    def step(bench: Any, case: Mapping[str, Any], _appeal: str | None, today: date) -> Any:
        return appeals.lodge(bench, case["id"], args.kind, args.grounds, today=today,
                             lodged_on=_date(args.lodged_on, "--lodged-on"), appellant=args.appellant,
                             assisted=args.assisted)

    return _run(args, step)


def _answer(args: argparse.Namespace) -> int:
    from heart_desktop.services import appeals

    return _run(args, lambda bench, case, appeal_id, today: appeals.answer(
        bench, appeal_id, args.criterion, args.evidence, today=today, claimed=not args.not_claimed))


def _advice(args: argparse.Namespace) -> int:
    from heart_desktop.services import appeals

    recording = {"--requested-on": args.requested_on, "--from": args.source, "--received-on": args.received_on,
                 "--summary": args.summary, "--cost": args.cost}
    if args.clear:
        given = [flag for flag, value in recording.items() if value is not None]
        if given:
            raise CommandError(f"--clear: it clears the advice; leave out {', '.join(given)}", code=EXIT_USAGE)
        return _run(args, lambda bench, case, appeal_id, today: appeals.clear_advice(
            bench, appeal_id, args.reason, today=today))
    if args.reason is not None:
        raise CommandError("--reason: goes with --clear (why the advice is cleared)", code=EXIT_USAGE)
    missing = [flag for flag in ("--requested-on", "--from") if not recording[flag]]
    if missing:
        raise CommandError(f"{' and '.join(missing)}: needed to record the advice (or --clear to clear it)",
                           code=EXIT_USAGE)
    return _run(args, lambda bench, case, appeal_id, today: appeals.advice(
        bench, appeal_id, today=today, requested_on=_date(args.requested_on, "--requested-on"), source=args.source,
        received_on=_date(args.received_on, "--received-on"), summary=args.summary, cost=args.cost))


def _decide(args: argparse.Namespace) -> int:
    from heart_desktop.services import appeals

    return _run(args, lambda bench, case, appeal_id, today: appeals.decide(
        bench, appeal_id, args.panel, args.decision, args.reasons, today=today, decided_on=_date(args.on, "--on"),
        urgent=args.urgent))


def _escalate(args: argparse.Namespace) -> int:
    from heart_desktop.services import appeals

    return _run(args, lambda bench, case, appeal_id, today: appeals.escalate(
        bench, appeal_id, today=today, hearing=args.hearing, escalated_on=_date(args.on, "--on"),
        hearing_on=_date(args.hearing_on, "--hearing-on"), representative=args.representative,
        implications=args.implications, information=args.information))


def _outcome(args: argparse.Namespace) -> int:
    from heart_desktop.services import appeals

    return _run(args, lambda bench, case, appeal_id, today: appeals.outcome(
        bench, appeal_id, args.form, today=today, decided_on=_date(args.on, "--on"),
        assistance_type=args.assistance_type, modification=args.modification, description=args.description,
        terms=args.terms))


def _show(args: argparse.Namespace) -> int:
    from heart_desktop.services import appeals

    return _run(args, lambda bench, case, _appeal, today: appeals.appeals_for(bench, case["id"]))
