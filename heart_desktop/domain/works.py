"""A schedule of works and its totals, in whole pence.

Quantities are Decimals (a run of 2.5 m of rail is normal) and rates are pence, so a line's
net is exact before it is rounded once, half up, to the penny. VAT is worked out per VAT rate on
the sum of the lines at that rate (invoice-level rounding, HMRC VAT Notice 700 section 16), so
adding the same items in any order gives the same totals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from heart_desktop.domain.money import MoneyError, Pence, apply_rate, pence

VAT_RATES_PERCENT: tuple[str, ...] = ("0", "5", "20")


class WorksError(ValueError):
    """A works item that cannot be costed; the message names the field."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field


@dataclass(frozen=True)
class WorksItem:
    location: str
    description: str
    quantity: Decimal
    unit: str
    rate: Pence
    vat_percent: Decimal

    def __post_init__(self) -> None:
        if not self.description.strip():
            raise WorksError("description", "say what the work is")
        if not self.quantity.is_finite() or self.quantity <= 0:
            raise WorksError("quantity", f"{self.quantity} must be more than 0")
        if self.rate < 0:
            raise WorksError("rate", "a rate cannot be negative")
        if not self.vat_percent.is_finite() or not 0 <= self.vat_percent <= 100:
            raise WorksError("vat_rate", f"{self.vat_percent}% must be between 0 and 100")

    @property
    def net(self) -> Pence:
        return apply_rate(self.rate, Fraction(self.quantity))

    @property
    def vat_rate(self) -> Fraction:
        return Fraction(self.vat_percent) / 100


@dataclass(frozen=True)
class ScheduleTotals:
    net: Pence
    vat: Pence
    gross: Pence
    vat_by_rate: Mapping[Decimal, Pence]
    items: int


def schedule_totals(items: Iterable[WorksItem]) -> ScheduleTotals:
    """Net, VAT (per rate, rounded once per rate) and gross for a schedule."""
    net_by_rate: dict[Decimal, Pence] = {}
    count = 0
    for item in items:
        net_by_rate[item.vat_percent] = net_by_rate.get(item.vat_percent, 0) + item.net
        count += 1
    vat_by_rate = {
        rate: apply_rate(net, Fraction(rate) / 100) for rate, net in sorted(net_by_rate.items())
    }
    net = sum(net_by_rate.values())
    vat = sum(vat_by_rate.values())
    return ScheduleTotals(net=net, vat=vat, gross=net + vat, vat_by_rate=vat_by_rate, items=count)


def item_from_mapping(data: Mapping[str, Any]) -> WorksItem:
    """Build an item from either shape a works row takes: the stored and synced row
    (``rate_pence``, ``vat_percent``) or the schedule form's and the Works tab's row (``rate`` in
    pounds, ``vat_rate`` as the VAT choice). The names differ because the units do; this and
    :func:`stored_values` / :func:`as_answer_row` are the only places that know both."""
    if "vat_percent" in data and "vat_rate" not in data:
        data = {**data, "vat_rate": data["vat_percent"]}
    try:
        quantity = Decimal(str(data.get("quantity", "1")).strip())
    except InvalidOperation:
        raise WorksError("quantity", f"{data.get('quantity')!r} is not a number") from None
    try:
        rate = int(data["rate_pence"]) if "rate_pence" in data else pence(data.get("rate", ""))
    except (MoneyError, ValueError, TypeError):
        raise WorksError("rate", f"{data.get('rate')!r} is not an amount of money") from None
    try:
        vat = Decimal(str(data.get("vat_rate", "0")).strip().rstrip("%"))
    except InvalidOperation:
        raise WorksError("vat_rate", f"{data.get('vat_rate')!r} is not a percentage") from None
    return WorksItem(
        location=str(data.get("location", "")).strip(),
        description=str(data.get("description", "")),
        quantity=quantity,
        unit=str(data.get("unit", "item")).strip() or "item",
        rate=rate,
        vat_percent=vat,
    )


def stored_values(item: WorksItem) -> dict[str, Any]:
    """An item as the store keeps and sync sends it (pence, VAT as a percentage)."""
    return {"location": item.location, "description": item.description, "quantity": item.quantity,
            "unit": item.unit, "rate_pence": item.rate, "vat_percent": item.vat_percent}


def items(rows: Iterable[Mapping[str, Any]]) -> list[WorksItem]:
    """The rows that can be costed, as items (deleted and unfinished rows left out)."""
    out = []
    for row in rows:
        if row.get("deleted"):
            continue
        try:
            out.append(item_from_mapping(row))
        except WorksError:
            continue
    return out


def as_answer_row(data: Mapping[str, Any]) -> dict[str, str]:
    """A works row of either shape as a row of the schedule of works form and of the Works tab:
    text in the form's own terms (pounds, VAT as the choice value)."""
    item = item_from_mapping(data)
    return {"location": item.location, "description": item.description, "quantity": _plain(item.quantity),
            "unit": item.unit, "rate": f"{item.rate // 100}.{item.rate % 100:02d}",
            "vat_rate": _plain(item.vat_percent)}


def answer_rows(stored: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Stored works items (deleted ones left out) as form rows; a row another laptop sent that
    cannot be costed is shown as it is, for correcting."""
    rows = []
    for row in stored:
        if row.get("deleted"):
            continue
        try:
            rows.append(as_answer_row(row))
        except WorksError:
            rate = row.get("rate_pence")
            rows.append({"location": str(row.get("location") or ""), "description": str(row.get("description") or ""),
                         "quantity": str(row.get("quantity") or ""), "unit": str(row.get("unit") or "item"),
                         "rate": f"{int(rate) / 100:.2f}" if isinstance(rate, int) else "",
                         "vat_rate": str(row.get("vat_percent") or "0")})
    return rows


def costable_rows(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The rows that can be costed as they stand; a row still being typed waits on screen."""
    costable = []
    for row in rows:
        try:
            item_from_mapping(row)
        except WorksError:
            continue
        costable.append(row)
    return costable


def _plain(number: Decimal) -> str:
    """20 not 20.00 or 2E+1: how a person writes a quantity or a VAT rate."""
    return format(number.normalize(), "f")
