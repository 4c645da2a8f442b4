"""Schedule of works with the award breakdown and the means test statement.

Every amount is the domain's (``domain.works.schedule_totals`` and ``domain.assistance.decide``);
this module only lays them out.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from heart_desktop.documents.common import day
from heart_desktop.documents.means_statement import statement
from heart_desktop.documents.model import PackData
from heart_desktop.documents.styles import styles
from heart_desktop.documents.template import CONTENT_WIDTH, grid, kv_table, para
from heart_desktop.domain.award import COUNCIL_HOUSING, award_lines
from heart_desktop.domain.money import fmt

KEY = "works"
TITLE = "Schedule of works and award"
WIDTHS = [8 * mm, 26 * mm, 0, 14 * mm, 14 * mm, 22 * mm, 12 * mm, 24 * mm]
WIDTHS[2] = CONTENT_WIDTH - sum(WIDTHS)


def _quantity(value: Decimal) -> str:
    return f"{value.normalize():f}"


def schedule(data: PackData) -> list[Flowable]:
    s = styles()
    if not data.works:
        return [para("No works have been costed yet.", s.body)]
    rows: list[list[object]] = [
        [str(i), item.location or "", item.description, _quantity(item.quantity), item.unit, fmt(item.rate),
         f"{item.vat_percent.normalize():f}%", fmt(item.net)]
        for i, item in enumerate(data.works, start=1)
    ]
    totals = data.totals
    rows.append(["", "", "Total before VAT", "", "", "", "", fmt(totals.net)])
    for rate, vat in totals.vat_by_rate.items():
        if vat:
            rows.append(["", "", f"VAT at {rate.normalize():f}%", "", "", "", "", fmt(vat)])
    rows.append(["", "", "Cost of works, VAT included", "", "", "", "", fmt(totals.gross)])
    extra = len(rows) - len(data.works)
    return [grid(["#", "Location", "Description", "Qty", "Unit", "Rate", "VAT", "Net"], rows, WIDTHS,
                 right=(3, 5, 6, 7), totals=extra)]


def award(data: PackData) -> list[Flowable]:
    s = styles()
    decision = data.decision
    if decision is None:
        return [para(f"The award cannot be worked out yet: {data.decision_problem}.")]
    a = decision.award
    if a.charge_expires:
        expires = f"{fmt(a.repayable_charge)} until {day(a.charge_expires)}"
    elif a.repayable_charge:
        expires = (f"{fmt(a.repayable_charge)} for {a.charge_years} years from the certified completion date "
                   "(date set when the works are certified)")
    else:
        expires = "No charge"
    # the same lines, in the same order, as the Eligibility tab (domain.award.award_lines)
    rows: list[list[object]] = [[line.label, fmt(line.amount)] for line in award_lines(a)]
    if a.route != COUNCIL_HOUSING:
        rows.insert(len(rows) - 1, ["Repayable grant charge", expires])  # the total stays last, in bold
    out: list[Flowable] = [grid(["", "Amount"], rows, [CONTENT_WIDTH - 60 * mm, 60 * mm], right=(1,), totals=1)]
    if decision.notes:
        out.append(Spacer(1, 4))
        out += [para(f"• {note}", s.small) for note in decision.notes]
    deadlines = decision.deadlines
    if a.route == COUNCIL_HOUSING:
        return out  # a council-housing adaptation: no grant application, no statutory clock
    rows = [("Decision due by", f"{day(deadlines.determine_by)} (policy {deadlines.determine_section})")] if (
        deadlines.determine_by) else []  # the statutory six months is a DFG's only (13.1)
    rows.append(("Works to be completed by", f"{day(deadlines.complete_by)} (policy {deadlines.complete_section})"
                 if deadlines.complete_by else f"12 months from approval (policy {deadlines.complete_section})"))
    out += [Spacer(1, 2), kv_table(rows)]
    return out


def means_test(data: PackData) -> list[Flowable]:
    decision = data.decision
    if decision is None:
        return [para("The means test cannot be stated yet.")]
    out: list[Flowable] = []
    applied = decision.award.applied_for
    for key in (("DFG", "DDFA") if applied == "DFG" else (applied,)):
        type_decision = decision.types[key]
        out.append(para(f"{type_decision.name}: {'offered' if type_decision.eligible else 'not offered'}",
                        styles().h3))
        out += [para(f"• {reason}", styles().body) for reason in type_decision.reasons]
    means = decision.summary.means_test
    if means is not None:  # the test of resources, stage by stage (documents/means_statement.py)
        out += [para("Test of resources", styles().h3), *statement(means, data.forms.get("financial_assessment"))]
    elif applied == "DFG" and decision.types["DFG"].means_tested:
        out.append(para("No financial assessment in the app: the contribution is the officer's figure from the "
                        "application form.", styles().small))
    return out


def story(data: PackData) -> list[Flowable]:
    s = styles()
    return [para(TITLE, s.title), para("Schedule of works", s.h2_table), *schedule(data),
            para("How the cost is met", s.h2), *award(data),
            para("Means test statement", s.h2), *means_test(data)]
