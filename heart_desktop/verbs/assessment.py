"""Headless verbs over the rules: ``hhsrs`` and ``assess`` (the panel's and admin's tools)."""

from __future__ import annotations

import argparse
import json

from heart_desktop.verbs.common import read_json, today_from


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    hhsrs = subparsers.add_parser("hhsrs", help="score an HHSRS hazard")
    hhsrs.add_argument("--scheme", choices=("2006", "2026"),
                       help="rating scheme (default: the one in force today)")
    hhsrs.add_argument("--likelihood", required=True, metavar="N",
                       help="likelihood of an occurrence in the next 12 months, as 1 in N")
    hhsrs.add_argument("--harm", required=True, metavar="I,II,III[,IV]",
                       help="spread of harm over classes I to IV in percent (IV is the remainder if left out)")
    hhsrs.add_argument("--json", action="store_true", help="print JSON")
    hhsrs.set_defaults(handler=_hhsrs)

    assess = subparsers.add_parser("assess", help="decide which assistance a case can have")
    assess.add_argument("case", metavar="CASE.json", help="case summary (see README); - for stdin")
    assess.add_argument("--json", action="store_true", help="print JSON")
    assess.add_argument("--today", metavar="YYYY-MM-DD",
                        help="the date to judge 'in the future' against (default: the computer's date)")
    assess.set_defaults(handler=_assess)


def _number(text: str, what: str) -> float:
    from heart_desktop.errors import CommandError

    try:
        return float(text)
    except ValueError:
        raise CommandError(f"{what}: {text!r} is not a number") from None


def _hhsrs(args: argparse.Namespace) -> int:
    from heart_desktop.domain import hhsrs
    from heart_desktop.errors import CommandError

    likelihood = _number(args.likelihood, "--likelihood")
    harm = [_number(part, "--harm") for part in args.harm.split(",") if part.strip()]
    try:
        scheme = hhsrs.load_scheme(args.scheme) if args.scheme else hhsrs.scheme_in_force()
        rating = hhsrs.rate(likelihood, harm, scheme)
    except hhsrs.RatingError as exc:
        raise CommandError(str(exc), code=2) from None
    except hhsrs.SchemeFileError as exc:
        raise CommandError(f"the rating scheme data is damaged: {exc}") from None
    if args.json:
        print(json.dumps(rating.to_dict()))
        return 0
    print(scheme.name)
    print(f"Score {rating.display_score} - band {rating.band} - category {rating.category} hazard")
    if scheme.unknown_tables:
        print("Not confirmed in this scheme's data (see resources/hhsrs):")
        for statement in scheme.unknown_tables:
            print(f"  - {statement}")
    return 0


def _assess(args: argparse.Namespace) -> int:
    from heart_desktop.domain.assistance import decide
    from heart_desktop.domain.case_summary import CaseInputError, read_case_summary
    from heart_desktop.domain.decision_report import decision_json, decision_text
    from heart_desktop.domain.policy import PolicyError, policy_set
    from heart_desktop.errors import CommandError

    data = read_json(args.case)
    today = today_from(args.today)
    try:
        policies = policy_set()
        summary = read_case_summary(data, tuple(policies.councils), today=today)
        decision = decide(summary, policies)
    except CaseInputError as exc:
        raise CommandError(f"{args.case}: field {exc.field}: {exc.problem}", code=2) from None
    except PolicyError as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        print(json.dumps(decision_json(decision), indent=2))
    else:
        print(decision_text(decision))
    return 0
