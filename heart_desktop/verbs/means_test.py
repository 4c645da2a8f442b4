"""``heart-desktop means-test CASE.json``: the DFG test of resources, headless, stage by stage."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from heart_desktop.domain.money import fmt

if TYPE_CHECKING:
    from heart_desktop.domain.means_test import MeansTestResult


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    verb = subparsers.add_parser("means-test", help="work out the DFG test of resources (the contribution)")
    verb.add_argument("case", metavar="CASE.json", help="the household's finances (see README); - for stdin")
    verb.add_argument("--json", action="store_true", help="print JSON")
    verb.add_argument("--today", metavar="YYYY-MM-DD",
                      help="the date to judge 'in the future' against (default: the computer's date)")
    verb.set_defaults(handler=_means_test)


def stage_text(result: MeansTestResult) -> str:
    """The stages in words, as the officer reads them out."""
    lines = [result.law, ""]
    for number, stage in enumerate(result.stages, start=1):
        figure = "" if stage.figure is None else f": {fmt(stage.figure)}{' a week' if stage.unit == '£/week' else ''}"
        lines.append(f"{number}. {stage.title}{figure}")
        lines += [f"   - {line}" for line in stage.lines]
        if stage.rule:
            lines.append(f"   ({stage.rule})")
    lines += ["", f"Contribution: {fmt(result.contribution)}", result.headline()]
    if result.unconfirmed:
        lines += ["", "PROVISIONAL: the result uses figures not confirmed in the regulations' text:"]
        lines += [f"  - {f.caveat()}" for f in result.unconfirmed]
        if result.calculator is None:
            lines.append("  A council-approved calculator's figure can be recorded instead (council_calculator).")
    return "\n".join(lines)


def _means_test(args: argparse.Namespace) -> int:
    from heart_desktop.domain.case_summary import CaseInputError
    from heart_desktop.domain.means_rates import MeansRatesError
    from heart_desktop.domain.means_test import means_test, read_means_input
    from heart_desktop.domain.policy import PolicyError
    from heart_desktop.errors import CommandError
    from heart_desktop.verbs.common import read_json, today_from

    data = read_json(args.case)
    today = today_from(args.today)
    try:
        result = means_test(read_means_input(data, today=today))
    except CaseInputError as exc:
        raise CommandError(f"{args.case}: field {exc.field}: {exc.problem}", code=2) from None
    except (MeansRatesError, PolicyError) as exc:
        raise CommandError(f"the means test or policy data is damaged: {exc}") from None
    print(json.dumps(result.as_json(), indent=2) if args.json else stage_text(result))
    return 0
