"""Schedule of works with the award breakdown and the means test statement.

Every amount is the domain's (``domain.works.schedule_totals`` and ``domain.assistance.decide``);
this module only lays them out. In large print the schedule has three columns (the item, its
details in words, the net amount), so nothing is squeezed at 16 pt.
"""

from __future__ import annotations

from decimal import Decimal

from heart_desktop.documents.common import day
from heart_desktop.documents.means_statement import statement
from heart_desktop.documents.model import PackData
from heart_desktop.documents.render import Safe, h, join
from heart_desktop.documents.template import bullets, grid, heading, kv_table, note, para, title
from heart_desktop.domain.award import COUNCIL_HOUSING, award_lines
from heart_desktop.domain.money import fmt

KEY = "works"
TITLE = "Schedule of works and award"
HEADER = ["#", "Location", "Description", "Qty", "Unit", "Rate", "VAT", "Net"]
WIDTHS = [5, 15, 37, 7, 8, 11, 6, 11]  # percent of the width


def _quantity(value: Decimal) -> str:
    return f"{value.normalize():f}"


def schedule(data: PackData) -> Safe:
    if not data.works:
        return para("No works have been costed yet.")
    totals = data.totals
    sums = [("Total before VAT", fmt(totals.net))]
    sums += [(f"VAT at {rate.normalize():f}%", fmt(vat)) for rate, vat in totals.vat_by_rate.items() if vat]
    sums.append(("Cost of works, VAT included", fmt(totals.gross)))
    if data.large_print:
        rows: list[list[object]] = [
            [str(i), join([h("strong", item.description), h("br"),
                           f"{item.location + ': ' if item.location else ''}{_quantity(item.quantity)} {item.unit} "
                           f"at {fmt(item.rate)}, VAT {item.vat_percent.normalize():f}%"]), fmt(item.net)]
            for i, item in enumerate(data.works, start=1)]
        rows += [["", label, amount] for label, amount in sums]
        return grid(["#", "Item", "Net"], rows, right=(2,), totals=len(sums), widths=[8, 62, 30])
    rows = [[str(i), item.location or "", item.description, _quantity(item.quantity), item.unit, fmt(item.rate),
             f"{item.vat_percent.normalize():f}%", fmt(item.net)] for i, item in enumerate(data.works, start=1)]
    rows += [["", "", label, "", "", "", "", amount] for label, amount in sums]
    return grid(HEADER, rows, right=(3, 5, 6, 7), totals=len(sums), widths=WIDTHS, class_="schedule")


def award(data: PackData) -> Safe:
    decision = data.decision
    if decision is None:
        return para(f"The award cannot be worked out yet: {data.decision_problem}.")
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
    out = [grid(["Part of the award", "Amount"], rows, right=(1,), totals=1, widths=[62, 38], row_headers=True)]
    if decision.notes:
        out.append(h("div", bullets(decision.notes), class_="note"))
    deadlines = decision.deadlines
    if a.route == COUNCIL_HOUSING:
        return join(out)  # a council-housing adaptation: no grant application, no statutory clock
    dates = [("Decision due by", f"{day(deadlines.determine_by)} (policy {deadlines.determine_section})")] if (
        deadlines.determine_by) else []  # the statutory six months is a DFG's only (13.1)
    dates.append(("Works to be completed by", f"{day(deadlines.complete_by)} (policy {deadlines.complete_section})"
                  if deadlines.complete_by else f"12 months from approval (policy {deadlines.complete_section})"))
    out.append(kv_table(dates))
    return join(out)


def means_test(data: PackData) -> Safe:
    decision = data.decision
    if decision is None:
        return para("The means test cannot be stated yet.")
    out = []
    applied = decision.award.applied_for
    for key in (("DFG", "DDFA") if applied == "DFG" else (applied,)):
        type_decision = decision.types[key]
        out.append(heading(f"{type_decision.name}: {'offered' if type_decision.eligible else 'not offered'}", 3))
        out.append(bullets(type_decision.reasons))
    means = decision.summary.means_test
    if means is not None:  # the test of resources, stage by stage (documents/means_statement.py)
        out += [heading("Test of resources", 3), statement(means, data.forms.get("financial_assessment"))]
    elif applied == "DFG" and decision.types["DFG"].means_tested:
        out.append(note("No financial assessment in the app: the contribution is the officer's figure from the "
                        "application form."))
    return join(out)


def story(data: PackData) -> Safe:
    return join([title(TITLE), heading("Schedule of works"), schedule(data),
                 heading("How the cost is met"), award(data),
                 heading("Means test statement"), means_test(data)])
