"""Schedule totals in pence: exact, order-independent, and refusing bad items."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heart_desktop.domain.works import WorksError, WorksItem, item_from_mapping, schedule_totals


def item(qty: str, rate: int, vat: str = "0", desc: str = "Grab rail") -> WorksItem:
    return WorksItem("Bathroom", desc, Decimal(qty), "item", rate, Decimal(vat))


def test_totals_of_a_typical_schedule() -> None:
    items = [
        item("1", 450_000, "0", "Level access shower"),
        item("2", 3_550, "20", "Grab rail 600mm"),
        item("2.5", 2_199, "20", "Stair rail (per metre)"),
    ]
    totals = schedule_totals(items)
    # 4500.00 + 71.00 + 54.975 -> 54.98
    assert totals.net == 450_000 + 7_100 + 5_498
    assert totals.vat_by_rate[Decimal("20")] == 2_520  # 20% of 125.98
    assert totals.vat == 2_520
    assert totals.gross == totals.net + totals.vat
    assert totals.items == 3


def test_ten_pence_items_do_not_drift() -> None:
    totals = schedule_totals([item("1", 10, "20")] * 1000)
    assert totals.net == 10_000
    assert totals.vat == 2_000


def test_from_mapping_reads_pounds_and_refuses_bad_fields() -> None:
    parsed = item_from_mapping({"location": "Hall", "description": "Ramp", "quantity": "1",
                                "unit": "item", "rate": "1,250.50", "vat_rate": "20%"})
    assert parsed.rate == 125_050 and parsed.vat_percent == Decimal("20")
    with pytest.raises(WorksError, match="quantity"):
        item_from_mapping({"description": "Ramp", "quantity": "two", "rate": "1"})
    with pytest.raises(WorksError, match="rate"):
        item_from_mapping({"description": "Ramp", "quantity": "1", "rate": "lots"})
    with pytest.raises(WorksError, match="quantity: 0 must be more than 0"):
        item_from_mapping({"description": "Ramp", "quantity": "0", "rate": "1"})
    with pytest.raises(WorksError, match="description"):
        item_from_mapping({"description": " ", "quantity": "1", "rate": "1"})
    with pytest.raises(WorksError, match="rate: a rate cannot be negative"):
        item_from_mapping({"description": "Ramp", "quantity": "1", "rate_pence": -5})
    with pytest.raises(WorksError, match="vat_rate"):
        item_from_mapping({"description": "Ramp", "quantity": "1", "rate": "1", "vat_rate": "120"})


items_strategy = st.lists(
    st.builds(
        item,
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2).map(str),
        st.integers(min_value=0, max_value=5_000_000),
        st.sampled_from(["0", "5", "20"]),
    ),
    max_size=40,
)


@given(items_strategy)
def test_totals_do_not_depend_on_order(items: list[WorksItem]) -> None:
    assert schedule_totals(items) == schedule_totals(list(reversed(items)))


@given(items_strategy)
def test_gross_is_net_plus_vat_and_never_negative(items: list[WorksItem]) -> None:
    totals = schedule_totals(items)
    assert totals.gross == totals.net + totals.vat
    assert totals.net == sum(i.net for i in items)
    assert min(totals.net, totals.vat) >= 0
