"""The pack's means test statement: the test of resources stage by stage, in plain words.

The stages, figures and words are the domain's (``domain.means_test``, the same the Means test tab
shows); this module only lays them out, with the evidence the officer saw and, beside the result,
every figure not yet confirmed from the regulations' text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from heart_desktop.documents.render import Safe, join
from heart_desktop.documents.template import bullets, grid, heading, keep, note, para
from heart_desktop.domain.means_test import WEEKLY, MeansTestResult
from heart_desktop.domain.money import fmt

EVIDENCE: tuple[tuple[str, str], ...] = (
    ("disabled_benefits_evidence", "the disabled person's benefits"),
    ("partner_benefits_evidence", "the partner's benefits"),
    ("disabled_earnings_evidence", "the disabled person's earnings"),
    ("partner_earnings_evidence", "the partner's earnings"),
    ("childcare_evidence", "childcare costs"),
    ("disabled_pensions_evidence", "the disabled person's pensions"),
    ("partner_pensions_evidence", "the partner's pensions"),
    ("disabled_other_income_evidence", "the disabled person's other income"),
    ("partner_other_income_evidence", "the partner's other income"),
    ("savings_evidence", "savings and investments"),
    ("other_property_evidence", "other property or land"),
)
INTRO = ("The test of resources works out what the household is expected to pay towards the works: what it "
         "needs to live on each week (the applicable amount) is set against its weekly income; any income "
         "above that is treated as repaying a loan, and that loan is the contribution. The grant meets the "
         "rest of the cost, up to its maximum.")


OUTCOMES = {  # the stages that decide rather than count: their outcome in a word
    "relevant_persons": lambda r: "nobody (a child's works)" if r.exempt else "see below",
    "passport": lambda r: "not needed" if r.exempt else ("yes: no contribution" if r.passported else "no"),
}


def _figure(value: int | None, unit: str) -> str:
    if value is None:
        return "not needed"
    return fmt(value) + (" a week" if unit == WEEKLY else "")


def statement(result: MeansTestResult, answers: Mapping[str, Any] | None) -> Safe:
    out: list[Safe] = [para(INTRO), heading(result.headline(), 3)]
    rows = [[f"{n}. {stage.title}", _figure(stage.figure, stage.unit) if stage.key not in OUTCOMES
             else OUTCOMES[stage.key](result)] for n, stage in enumerate(result.stages, start=1)]
    out.append(grid(["Stage", "Figure"], rows, right=(1,), totals=1, widths=(70, 30)))
    if result.provisional:
        out.append(heading(f"PROVISIONAL: this result uses {len(result.unconfirmed)} figures not yet confirmed "
                           "from the regulations' text (listed at the end). It may change when they are "
                           "confirmed.", 3))
    out.append(heading("How it was worked out", 3))
    for n, stage in enumerate(result.stages, start=1):
        shown = "" if stage.key in OUTCOMES else f": {_figure(stage.figure, stage.unit)}"
        out.append(keep(para(f"{n}. {stage.title}{shown}"), bullets(list(stage.lines), class_="note"),
                        note(f"({stage.rule})") if stage.rule else None))
    if result.calculator is not None:
        out.append(para(f"The contribution used is the council-approved calculator's figure, "
                        f"{fmt(result.calculator.contribution)} ({result.calculator.source}), recorded by the "
                        f"officer; the app's own test gave {fmt(result.tested_contribution)}."))
    seen = [words for key, words in EVIDENCE if (answers or {}).get(key) is True]
    not_seen = [words for key, words in EVIDENCE if (answers or {}).get(key) is False]
    if seen or not_seen:
        out.append(heading("Evidence", 3))
        if seen:
            out.append(para("Seen by the officer: " + "; ".join(seen) + "."))
        if not_seen:
            out.append(para("Not yet seen: " + "; ".join(not_seen) + "."))
    if result.unconfirmed:
        out.append(heading("Figures not confirmed from the regulations' text", 3))
        out.append(bullets([f"provisional: {figure.caveat()}" for figure in result.unconfirmed], class_="note"))
    return join(out)
