"""Named domain computations that ``computed`` fields show live (``compute: hhsrs.rating``).

A rule lives once, in ``domain``: these adapters only turn form answers into the domain's inputs
and its answer into a :class:`Computed` (a value plus the words to show). Computations that need the
case rather than the form (the award split, the Home Safety allowance left to the household) are
supplied by the caller in ``context`` under the same name, so formkit never reaches into the store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from heart_desktop.formkit.definitions import Field, Form
from heart_desktop.formkit.values import is_blank


@dataclass(frozen=True)
class Computed:
    """What a computed field shows: ``value`` for code, ``text`` for people, ``problem`` if none."""

    value: Any
    text: str
    problem: str | None = None


@dataclass(frozen=True)
class ComputeContext:
    form: Form
    field: Field
    path: str
    answers: Mapping[str, Any]
    row: Mapping[str, Any]
    container: Field | None
    context: Mapping[str, Any]


Computation = Callable[[ComputeContext], Computed]
_REGISTRY: dict[str, Computation] = {}


def register(name: str) -> Callable[[Computation], Computation]:
    def wrap(function: Computation) -> Computation:
        _REGISTRY[name] = function
        return function

    return wrap


def names() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))


def compute(ctx: ComputeContext) -> Computed:
    """Run the field's computation: the caller's ``context`` first (it knows the case), then ours."""
    name = ctx.field.compute or ""
    supplied = ctx.context.get(name)
    if supplied is not None:
        result = supplied(ctx) if callable(supplied) else supplied
        return result if isinstance(result, Computed) else Computed(result, str(result))
    function = _REGISTRY.get(name)
    if function is None:
        return Computed(None, "Not available here", f"'{name}' needs the case; it is shown in the case workspace")
    return function(ctx)


# ---------------------------------------------------------------- HHSRS


@register("hhsrs.rating")
def _hhsrs_rating(ctx: ComputeContext) -> Computed:
    """Score, band and category of one hazard from the officer's judgement (domain.hhsrs.rate)."""
    from heart_desktop.domain.hhsrs import RatingError
    from heart_desktop.domain.hhsrs_answers import from_answer, rate_answer

    meta = ctx.container.meta if ctx.container else {}
    scheme = meta.get("scheme")
    if scheme is None:
        return Computed(None, "", "not inside an HHSRS hazard")
    row = ctx.row
    if row.get("assessed") is False:
        return Computed(None, "Not assessed")
    needed = ("likelihood", "class_i", "class_ii", "class_iii")
    if any(is_blank(row.get(key)) for key in needed):
        return Computed(None, "Give the likelihood and classes I to III to see the score")
    answer = from_answer({**row, "assessed": True})
    if not answer.entered:
        return Computed(None, "", "the likelihood and the classes must be numbers")
    try:
        rating = rate_answer(answer, scheme, hazard=meta.get("hhsrs_hazard"))
    except RatingError as exc:
        return Computed(None, "", str(exc))
    assert rating is not None
    return Computed(rating, f"Score {rating.display_score}, band {rating.band}, category {rating.category}")


@register("hhsrs.remainder")
def _hhsrs_remainder(ctx: ComputeContext) -> Computed:
    """Class IV: what classes I to III leave of the scheme's total (domain.hhsrs_answers.remainder)."""
    from heart_desktop.domain.hhsrs_answers import remainder

    meta = ctx.container.meta if ctx.container else {}
    scheme = meta.get("scheme")
    if scheme is None:
        return Computed(None, "", "not inside an HHSRS hazard")
    rest = remainder([ctx.row.get(key) for key in ("class_i", "class_ii", "class_iii")], scheme)
    if rest is None:
        return Computed(None, "Given once classes I to III are entered")
    return Computed(rest, f"{rest:g}%")


@register("hhsrs.national_average")
def _hhsrs_national_average(ctx: ComputeContext) -> Computed:
    from heart_desktop.domain.hhsrs import RatingError, rate

    meta = ctx.container.meta if ctx.container else {}
    average = meta.get("national_average")
    scheme = meta.get("scheme")
    if average is None or scheme is None:
        return Computed(None, "No national average known for this hazard")
    spread = "/".join(f"{h:g}" for h in average.harm)
    text = f"National average ({average.description}): 1 in {average.likelihood:g}, {spread}"
    try:
        rating = rate(average.likelihood, average.harm, scheme)
    except RatingError:
        return Computed(average, text)
    note = "" if average.status == "confirmed" else f" [{average.status}]"
    return Computed(average, f"{text}: score {rating.display_score}, band {rating.band}{note}")


# ---------------------------------------------------------------- works


@register("works.totals")
def _works_totals(ctx: ComputeContext) -> Computed:
    """Net, VAT and gross of the schedule's rows (domain.works.schedule_totals)."""
    from heart_desktop.domain.money import fmt
    from heart_desktop.domain.works import WorksError, item_from_mapping, schedule_totals

    rows = ctx.answers.get("items") or []
    items = []
    for number, row in enumerate(rows, start=1):
        try:
            items.append(item_from_mapping(row))
        except WorksError as exc:
            return Computed(None, "", f"item {number}: {exc}")
    totals = schedule_totals(items)
    return Computed(totals, f"Net {fmt(totals.net)}, VAT {fmt(totals.vat)}, total {fmt(totals.gross)}")


@register("hhsrs.summary")
def _hhsrs_summary(ctx: ComputeContext) -> Computed:
    """How many hazards were assessed, and which are category 1, for the form's summary line."""
    hazards_field = next((f for _, f in ctx.form.top_fields() if f.meta.get("hhsrs")), None)
    if hazards_field is None or not hazards_field.fields:
        return Computed(None, "No hazards listed yet: enter the date the inspection began")
    answers = ctx.answers.get(hazards_field.id) or {}
    category1: list[str] = []
    assessed = 0
    for hazard in hazards_field.fields:
        row = answers.get(hazard.id) or {}
        if row.get("assessed") is not True:
            continue
        assessed += 1
        rating = _hhsrs_rating(ComputeContext(ctx.form, hazard, hazard.id, ctx.answers, row, hazard, ctx.context))
        if rating.value is not None and rating.value.category == 1:
            category1.append(f"{hazard.label} (band {rating.value.band})")
    text = f"{assessed} hazard{'s' if assessed != 1 else ''} assessed; {len(category1)} category 1"
    if category1:
        text += ": " + "; ".join(category1)
    return Computed({"assessed": assessed, "category1": tuple(category1)}, text)
