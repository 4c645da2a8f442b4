"""The DFG test of resources (Housing Renewal Grants Regulations 1996, Part II, as amended in
England), stage by stage, so an officer can explain every figure at the kitchen table (policy 12).

The stages follow the regulations: who is assessed (reg 5), the passported short-cut (reg 10(3) and
policy 4.1.11), the applicable amount (reg 10, Schedules 1 and 1A), the assessed weekly income
(earnings less disregards and childcare, other income, tariff income from capital: Part II
Chapters V to IX, Schedules 2 to 4), the excess, the affordable loan (reg 12) and the contribution
less any earlier contribution (reg 13, policy 4.1.11). Every stage returns its figure, the words that
explain it and the figures it used; a figure that was not read in the regulations' text makes the
result *provisional*, named, never a silent guess. Figures come from ``means_rates``; the policy's
own rules (the child exemption, HEART's qualifying benefits, the successive-grant windows) from
``policy``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from heart_desktop.domain.case_summary import TENURES, CaseInputError
from heart_desktop.domain.dates import add_years
from heart_desktop.domain.means_rates import Figure, RateBook, Rates, rate_book
from heart_desktop.domain.money import Pence, apply_rate, fmt, pounds_number
from heart_desktop.domain.policy import Policy, PolicyError, PolicySet, policy_set
from heart_desktop.domain.validate import parse_date, parse_money

RELATIONS: tuple[str, ...] = ("disabled_person", "partner", "child", "other")
WEEKLY = "£/week"
POUNDS = "£"
LAW = "SI 1996/2890"


# --- what the test is told -------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """Someone in the household as the test sees them; incomes weekly, net of tax and NI."""

    age: int
    relation: str
    weekly_income: Pence = 0  # pensions and other income that counts in full
    weekly_earnings: Pence = 0  # net earnings from work (the earnings disregard applies)
    benefits: tuple[str, ...] = ()
    paid_carer: bool = False  # someone gets Carer's Allowance for caring for this person
    name: str = ""

    def words(self) -> str:
        who = {"disabled_person": "the disabled person", "partner": "their partner", "child": "a child",
               "other": "another member of the household"}[self.relation]
        return f"{self.name} ({who}, {self.age})" if self.name else f"{who} ({self.age})"


@dataclass(frozen=True)
class CalculatorFigure:
    """A contribution a council-approved calculator gave, recorded by the officer with its source."""

    contribution: Pence
    source: str


@dataclass(frozen=True)
class MeansInput:
    application_date: date
    tenure: str
    people: tuple[Person, ...]
    capital: Pence = 0
    childcare_costs: Pence = 0  # a week
    previous_contribution: Pence = 0
    previous_certified_date: date | None = None
    calculator: CalculatorFigure | None = None
    council: str = ""


# --- what the test says ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """One stage: its figure (None when the stage was not needed), the rule, and the working."""

    key: str
    title: str
    figure: Pence | None
    unit: str
    rule: str
    lines: tuple[str, ...] = ()
    unconfirmed: tuple[str, ...] = ()  # keys of figures used here that are not confirmed

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title,
                "figure": None if self.figure is None else pounds_number(self.figure), "unit": self.unit,
                "rule": self.rule, "lines": list(self.lines), "unconfirmed": list(self.unconfirmed)}


@dataclass(frozen=True)
class MeansTestResult:
    """The whole test. ``contribution`` is what the award uses (the officer's calculator figure when
    recorded); ``tested_contribution`` the app's own; both after any earlier contribution."""

    contribution: Pence
    tested_contribution: Pence
    passported: bool
    exempt: bool
    tenure_kind: str  # owner | tenant
    applicable_amount: Pence | None
    assessed_income: Pence | None
    excess_income: Pence | None
    affordable_loan: Pence | None
    earlier_contribution: Pence
    stages: tuple[Stage, ...]
    reasons: tuple[str, ...]
    unconfirmed: tuple[Figure, ...]
    calculator: CalculatorFigure | None
    passporting_benefits: tuple[str, ...] = ()
    law: str = ""
    heart_passport: bool = False  # passported by a benefit on HEART's own list (policy 4.5.4)

    @property
    def provisional(self) -> bool:
        """The contribution the award uses rests on a figure not read in the regulations."""
        return bool(self.unconfirmed) and self.calculator is None

    @property
    def caveats(self) -> tuple[str, ...]:
        return tuple(f"provisional: {f.caveat()}" for f in self.unconfirmed)

    def stage(self, key: str) -> Stage | None:
        return next((s for s in self.stages if s.key == key), None)

    def decision_words(self) -> str:
        """How the assistance decision names where its contribution came from."""
        if self.calculator is not None:
            return f"from the council-approved calculator ({self.calculator.source}), recorded by the officer"
        if self.provisional:
            keys = sorted((f.key for f in self.unconfirmed), key=lambda k: (not k.startswith("reg12"), k))
            return (f"PROVISIONAL: {len(keys)} figures not confirmed, {keys[0]} among them; the test of "
                    "resources lists them")
        return "by the app's test of resources, stage by stage"

    def headline(self) -> str:
        """One sentence for the decision's reasons and the screen's heading."""
        if self.exempt:
            return "Not means tested: no relevant person (works for a disabled child or young person)"
        if self.passported:
            return f"Passported ({', '.join(self.passporting_benefits)}): no contribution"
        if self.calculator is not None:
            return (f"Contribution {fmt(self.contribution)} from the council's calculator "
                    f"({self.calculator.source}); the app's test gives {fmt(self.tested_contribution)}")
        words = f"Test of resources: contribution {fmt(self.contribution)}"
        return words + (" (provisional: figures not confirmed)" if self.provisional else "")

    def as_json(self) -> dict[str, Any]:
        def money(value: Pence | None) -> int | float | None:
            return None if value is None else pounds_number(value)

        return {
            "contribution": pounds_number(self.contribution),
            "tested_contribution": pounds_number(self.tested_contribution),
            "passported": self.passported,
            "exempt": self.exempt,
            "tenure": self.tenure_kind,
            "applicable_amount": money(self.applicable_amount),
            "assessed_income": money(self.assessed_income),
            "excess_income": money(self.excess_income),
            "affordable_loan": money(self.affordable_loan),
            "earlier_contribution": pounds_number(self.earlier_contribution),
            "stages": [s.as_json() for s in self.stages],
            "provisional": self.provisional,
            "reasons": list(self.reasons),
            "unconfirmed": [{"key": f.key, "value": f.shown, "section": f.section, "source": f.source}
                            for f in self.unconfirmed],
            "council_calculator": None if self.calculator is None else {
                "contribution": pounds_number(self.calculator.contribution), "source": self.calculator.source},
            "law": self.law,
        }


# --- reading the input ------------------------------------------------------------------------------

FINANCIAL_FIELDS: tuple[str, ...] = ("people", "capital", "childcare_costs", "previous_contribution",
                                     "previous_certified_date", "council_calculator")


def _money(data: Mapping[str, Any], name: str, where: str) -> Pence:
    value = data.get(name)
    if value in (None, ""):
        return 0
    if isinstance(value, bool):
        raise CaseInputError(where, f"{value!r} must be an amount in pounds")
    try:
        return parse_money(value)
    except ValueError as exc:
        raise CaseInputError(where, str(exc)) from None


def _date(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return parse_date(value)
    except (TypeError, ValueError):
        raise CaseInputError(where, f"{value!r} is not a date; write it as YYYY-MM-DD") from None


def _person(item: Any, where: str, book: RateBook) -> Person:
    if not isinstance(item, Mapping):
        raise CaseInputError(where, "must be an object with age, relation, weekly_income and benefits")
    age = item.get("age")
    if isinstance(age, bool) or not isinstance(age, int | float) or age != int(age):
        raise CaseInputError(f"{where}.age", f"{age!r} is not an age in whole years")
    if not 0 <= age <= 125:
        raise CaseInputError(f"{where}.age", f"{age!r} is not a possible age (0 to 125)")
    relation = item.get("relation")
    if relation not in RELATIONS:
        raise CaseInputError(f"{where}.relation", f"{relation!r} is not one of {', '.join(RELATIONS)}")
    benefits = item.get("benefits") or []
    if not isinstance(benefits, list):
        raise CaseInputError(f"{where}.benefits", "must be a list of benefit keys (see README)")
    for index, benefit in enumerate(benefits):
        if benefit not in book.benefit_labels:
            raise CaseInputError(f"{where}.benefits[{index}]", f"{benefit!r} is not a benefit the test knows; use one "
                                 f"of {', '.join(book.benefit_labels)}")
    paid_carer = item.get("paid_carer", False)
    if not isinstance(paid_carer, bool):
        raise CaseInputError(f"{where}.paid_carer", f"{paid_carer!r} must be true or false")
    name = item.get("name") or ""
    if not isinstance(name, str):
        raise CaseInputError(f"{where}.name", f"{name!r} must be text")
    return Person(age=int(age), relation=str(relation),
                  weekly_income=_money(item, "weekly_income", f"{where}.weekly_income"),
                  weekly_earnings=_money(item, "weekly_earnings", f"{where}.weekly_earnings"),
                  benefits=tuple(dict.fromkeys(benefits)), paid_carer=paid_carer, name=name.strip())


def read_means_input(data: Mapping[str, Any], today: date | None = None, book: RateBook | None = None) -> MeansInput:
    """Check and convert the JSON the means-test verb reads (pounds; weekly incomes), naming the
    field of any mistake."""
    book = book or rate_book()
    if not isinstance(data, Mapping):
        raise CaseInputError("case", "the file must hold one JSON object")
    application = _date(data.get("application_date"), "application_date")
    if application is None:
        raise CaseInputError("application_date", "is required: give a date as YYYY-MM-DD")
    if today is not None and application > today:
        raise CaseInputError("application_date", f"{application:%d/%m/%Y} is in the future (today is "
                             f"{today:%d/%m/%Y}): give the date the application was made")
    tenure = data.get("tenure")
    if tenure not in TENURES:
        raise CaseInputError("tenure", f"{tenure!r} is not one of {', '.join(TENURES)}")
    items = data.get("people")
    if not isinstance(items, list) or not items:
        raise CaseInputError("people", "is required: a list of {age, relation, weekly_income, benefits}, "
                             "the disabled person first")
    people = tuple(_person(item, f"people[{i}]", book) for i, item in enumerate(items))
    if not any(p.relation == "disabled_person" for p in people):
        raise CaseInputError("people", "nobody has relation 'disabled_person': the test starts from the "
                             "disabled occupant")
    partners = [i for i, p in enumerate(people) if p.relation == "partner"]
    if len(partners) > 1:
        raise CaseInputError(f"people[{partners[1]}].relation", "only one partner of the disabled person "
                             "can be assessed with them (reg 5(2))")
    calculator = None
    raw = data.get("council_calculator")
    if raw not in (None, {}):
        if not isinstance(raw, Mapping):
            raise CaseInputError("council_calculator", "must be an object with contribution and source")
        source = raw.get("source")
        if not isinstance(source, str) or not source.strip():
            raise CaseInputError("council_calculator.source", "is required with a calculator figure: name the "
                                 "council-approved calculator and the date it was run")
        calculator = CalculatorFigure(_money(raw, "contribution", "council_calculator.contribution"),
                                      source.strip())
    certified = _date(data.get("previous_certified_date"), "previous_certified_date")
    if certified is not None and certified > application:
        raise CaseInputError("previous_certified_date", f"{certified:%d/%m/%Y} is after the application_date: "
                             "an earlier grant is certified before the new application")
    council = data.get("council") or ""
    if not isinstance(council, str):
        raise CaseInputError("council", f"{council!r} must be a council code")
    return MeansInput(
        application_date=application, tenure=str(tenure), people=people,
        capital=_money(data, "capital", "capital"),
        childcare_costs=_money(data, "childcare_costs", "childcare_costs"),
        previous_contribution=_money(data, "previous_contribution", "previous_contribution"),
        previous_certified_date=certified, calculator=calculator, council=council,
    )


# --- the stages ---------------------------------------------------------------------------------------


@dataclass
class _Trace:
    """The figures a stage asked for, so the stage can say which of them are unconfirmed."""

    rates: Rates
    used: dict[str, Figure] = field(default_factory=dict)

    def fig(self, key: str) -> Figure:
        figure = self.rates.figure(key)
        self.used[key] = figure
        return figure

    def money(self, key: str) -> Pence:
        self.fig(key)
        return self.rates.money(key)

    def age(self, key: str) -> int:
        self.fig(key)
        return self.rates.age(key)

    def benefits(self, key: str) -> frozenset[str]:
        self.fig(key)
        return self.rates.benefits(key)

    def section(self, key: str) -> str:
        return self.fig(key).section

    def stage(self, key: str, title: str, figure: Pence | None, unit: str, rule: str, lines: Iterable[str]) -> Stage:
        unconfirmed = tuple(k for k, f in self.used.items() if not f.confirmed)
        stage = Stage(key, title, figure, unit, rule, tuple(lines), unconfirmed)
        self.used = {}
        return stage


@dataclass
class _Unit:
    """A relevant person, with their partner and (for the first) the dependent children."""

    head: Person
    partner: Person | None
    children: list[Person]

    @property
    def adults(self) -> list[Person]:
        return [self.head, *([self.partner] if self.partner else [])]

    def receives(self, benefits: frozenset[str]) -> list[Person]:
        return [p for p in self.adults if set(p.benefits) & benefits]


def _first_up(text: str) -> str:
    """The first letter in capitals, the rest as written (names keep theirs)."""
    return text[:1].upper() + text[1:]


def _labels(book: RateBook, benefits: Iterable[str]) -> str:
    return ", ".join(book.label(b) for b in benefits)


def _tenure_kind(tenure: str) -> str:
    return "owner" if tenure == "owner" else "tenant"


class _Test:
    def __init__(self, data: MeansInput, rates: Rates, policy: Policy) -> None:
        self.data, self.rates, self.policy = data, rates, policy
        self.book = rates.book
        self.trace = _Trace(rates)
        self.stages: list[Stage] = []
        self.reasons: list[str] = []
        self.all_used: dict[str, Figure] = {}

    def add(self, stage: Stage) -> None:
        self.all_used.update({k: self.rates.figure(k) for k in stage.unconfirmed})
        self.stages.append(stage)

    # stage 1 -----------------------------------------------------------------------------------------

    def units(self) -> tuple[list[_Unit], list[Person], list[str]]:
        """Relevant persons (reg 5): adult disabled occupants and the partner; children; the rest."""
        exempt_age = self.policy.count("dfg.means_test_exempt_max_age")
        young = self.trace.age("relevant_person.young_person_under")
        people = self.data.people
        disabled = [p for p in people if p.relation == "disabled_person"]
        adults = [p for p in disabled if p.age > exempt_age]
        partner = next((p for p in people if p.relation == "partner"), None)
        children = [p for p in people if p.relation == "child" and p.age < young]
        others = [p for p in people if p.relation == "other" or (p.relation == "child" and p.age >= young)]
        lines: list[str] = []
        units: list[_Unit] = []
        for index, person in enumerate(adults):
            units.append(_Unit(person, partner if index == 0 else None, children if index == 0 else []))
        for person in disabled:
            if person.age <= exempt_age:
                lines.append(f"{_first_up(person.words())} is {exempt_age} or younger: not a relevant person "
                             f"(policy {self.policy.section('dfg.means_test_exempt_max_age')}: exempt from the test; "
                             "reg 5: never a child or young person)")
        if units:
            head = units[0]
            if head.partner is not None:
                lines.append(f"{_first_up(head.head.words())} and {head.partner.words()} are assessed together "
                             "as one couple: only one of a couple is the relevant person, and the partner's income "
                             "and capital count with theirs (reg 5(2))")
            else:
                lines.append(f"{_first_up(head.head.words())} is the relevant person (reg 5(1)(a))")
            for unit in units[1:]:
                lines.append(f"{_first_up(unit.head.words())} is also a relevant person, assessed on their own "
                             "(reg 5(1)(a), reg 10(1)(a))")
            if children:
                lines.append(f"Dependent children and young people (under {young}): "
                             + ", ".join(str(c.age) for c in children))
            if others:
                lines.append("Other people in the household are not assessed (non-dependants): "
                             + ", ".join(p.words() for p in others))
        rule = f"{LAW} reg 5 (substituted by SI 2008/1190 reg 4(1)); policy 4.1.11"
        self.add(self.trace.stage("relevant_persons", "Who is assessed", None, "", rule, lines))
        return units, children, others

    # stage 2 -----------------------------------------------------------------------------------------

    def passport(self, units: list[_Unit]) -> tuple[list[str], bool]:
        statutory = self.trace.benefits("passport.statutory")
        heart = frozenset(key for key, _label in self.policy.choices("wash.qualifying_benefits"))
        queried = self.trace.benefits("passport.queried")
        found: list[str] = []
        lines: list[str] = []
        on_heart_list = False
        for unit in units:
            for person in unit.adults:
                for benefit in person.benefits:
                    which = []
                    if benefit in statutory:
                        which.append(f"the regulations' list, {self.trace.section('passport.statutory')}")
                    if benefit in heart:
                        on_heart_list = True
                        section = self.policy.section("wash.qualifying_benefits")
                        which.append(f"HEART's qualifying benefits, policy {section}")
                    if not which:
                        continue
                    found.append(self.book.label(benefit))
                    text = f"{_first_up(person.words())} receives {self.book.label(benefit)} ({'; '.join(which)})"
                    if benefit in queried:
                        text += ": the policy itself queries this benefit ('? or perhaps not'); confirm with a manager"
                    lines.append(text)
        if found:
            lines.append("A relevant person on a benefit in the regulations' list is treated as having £1 a week "
                         f"({self.trace.section('passported_weekly_amount')}), so there is no excess")
            lines.append(f"Passported: no further test and no contribution (policy "
                         f"{self.policy.section('dfg.passported_benefit_exempt')})")
        else:
            lines.append("No passporting benefit: the test goes on")
        rule = f"{LAW} reg 10(3) (SI 2008/1190 reg 4(2)); policy 4.1.11, 4.5.4"
        self.add(self.trace.stage("passport", "Passported benefits", None, "", rule, lines))
        return list(dict.fromkeys(found)), on_heart_list

    # stage 3 -----------------------------------------------------------------------------------------

    def pension_rates(self, unit: _Unit) -> bool:
        qualifying = self.trace.age("pension.qualifying_age")
        return any(p.age >= qualifying for p in unit.adults)

    def premiums(self, unit: _Unit, others: list[Person], pension: bool, lines: list[str]) -> tuple[Pence, set[str]]:
        """The premiums of one unit (Schedule 1 Parts II to IV), and which kinds applied."""
        t = self.trace
        total, kinds = 0, set()
        couple = unit.partner is not None

        def add(key: str, words: str, times: int = 1) -> None:
            nonlocal total
            amount = t.money(key) * times
            total += amount
            count = f" × {times}" if times > 1 else ""
            lines.append(f"{words}{count}: {fmt(amount)} ({t.section(key)})")

        if unit.children:
            add("premium.family" if couple else "premium.family_lone_parent",
                "Family premium" + ("" if couple else ", lone parent"))
            if any(c.age < t.age("age.baby_under") for c in unit.children):
                add("premium.baby_under_one", "Baby under one addition")
        disability = t.benefits("premium_benefits.disability")
        if not pension and unit.receives(disability):
            add("premium.disability_couple" if couple else "premium.disability_single",
                f"Disability premium ({'couple' if couple else 'single'}): "
                + ", ".join(p.words() for p in unit.receives(disability)) + " receives a disability benefit")
            kinds.add("disability")
        enhanced = t.benefits("premium_benefits.enhanced")
        if not pension and unit.receives(enhanced):
            add("premium.enhanced_couple" if couple else "premium.enhanced_single",
                f"Enhanced disability premium ({'couple' if couple else 'single'})")
        severe_benefits = t.benefits("premium_benefits.severe")
        carers = t.benefits("premium_benefits.carer")
        non_dependants = [p for p in others if p.age >= t.age("age.adult")]
        receiving = unit.receives(severe_benefits)
        if receiving:
            unpaid = [p for p in receiving if not p.paid_carer]
            if non_dependants:
                lines.append("No severe disability premium: another adult lives in the household (a non-dependant)")
            elif couple and len(receiving) < 2:
                lines.append("No severe disability premium: for a couple, both must receive a qualifying disability "
                             "benefit")
            elif not unpaid:
                lines.append("No severe disability premium: someone is paid Carer's Allowance for their care")
            else:
                key = ("premium.severe_single" if not couple else
                       "premium.severe_couple_both" if len(unpaid) == 2 else "premium.severe_couple_one")
                add(key, "Severe disability premium" + ("" if not couple else " (couple, no carer paid)"
                                                         if len(unpaid) == 2 else " (couple, a carer paid for one)"))
                kinds.add("severe")
        for person in unit.receives(carers):
            add("premium.carer", f"Carer premium: {person.words()} receives Carer's Allowance")
            kinds.add("carer")
        child_disabled = t.benefits("premium_benefits.disabled_child")
        disabled_children = [c for c in unit.children if set(c.benefits) & child_disabled]
        if disabled_children:
            add("premium.disabled_child", "Disabled child premium", len(disabled_children))
        enhanced_children = [c for c in unit.children if set(c.benefits) & enhanced]
        if enhanced_children:
            add("premium.enhanced_child", "Enhanced disability premium, child", len(enhanced_children))
        return total, kinds

    def personal_allowance(self, unit: _Unit, pension: bool) -> tuple[str, str]:
        """(figure key, words) of the unit's personal allowance (Schedule 1 Part I, Schedule 1A)."""
        ages = [p.age for p in unit.adults]
        if pension:
            higher = max(ages) >= self.trace.age("pension.higher_rate_age")
            if unit.partner is None:
                return ("personal_allowance.pension_single_higher" if higher else "personal_allowance.pension_single",
                        "Personal allowance, single, pension age")
            return ("personal_allowance.pension_couple_higher" if higher else "personal_allowance.pension_couple",
                    "Personal allowance, couple, pension age")
        age = unit.head.age
        adult = self.trace.age("age.adult")
        if unit.partner is not None:
            if max(ages) < adult:
                return "personal_allowance.couple_both_under_18", "Personal allowance, couple, both under 18"
            return "personal_allowance.couple_18_plus", "Personal allowance, couple, one or both 18 or over"
        if unit.children:
            if age < adult:
                return "personal_allowance.lone_parent_under_18", "Personal allowance, lone parent under 18"
            return "personal_allowance.lone_parent_18_plus", "Personal allowance, lone parent 18 or over"
        if age < self.trace.age("age.single_higher_rate_from"):
            return "personal_allowance.single_under_25", "Personal allowance, single, under 25"
        return "personal_allowance.single_25_plus", "Personal allowance, single, 25 or over"

    def applicable_amount(self, units: list[_Unit], others: list[Person]) -> tuple[Pence, dict[int, set[str]]]:
        t = self.trace
        lines: list[str] = []
        total = 0
        kinds: dict[int, set[str]] = {}
        for index, unit in enumerate(units):
            pension = self.pension_rates(unit)
            if len(units) > 1:
                lines.append(f"{_first_up(unit.head.words())}:")
            key, words = self.personal_allowance(unit, pension)
            allowance = t.money(key)
            lines.append(f"{words}: {fmt(allowance)} ({t.section(key)})")
            total += allowance
            if unit.children:
                each = t.money("child_allowance")
                total += each * len(unit.children)
                times = f" × {len(unit.children)}" if len(unit.children) > 1 else ""
                lines.append(f"Allowance for each dependent child or young person{times}: "
                             f"{fmt(each * len(unit.children))} ({t.section('child_allowance')})")
            premiums, kinds[index] = self.premiums(unit, others, pension, lines)
            total += premiums
        housing = t.money("housing_allowance")
        total += housing
        lines.append(f"Housing allowance, once for the application: {fmt(housing)} ({t.section('housing_allowance')})")
        lines.append(f"Applicable amount: {fmt(total)} a week")
        rule = f"{LAW} reg 10 (SI 2008/1190 reg 4(2)), reg 14, Schedules 1 and 1A"
        self.add(t.stage("applicable_amount", "Applicable amount (what the household needs to live on)", total,
                         WEEKLY, rule, lines))
        return total, kinds

    # stage 4 -----------------------------------------------------------------------------------------

    def earnings_disregard(self, unit: _Unit, kinds: set[str]) -> tuple[str, str]:
        if kinds & {"disability", "severe", "carer"}:
            return "earnings_disregard.disabled_or_carer", "disability or carer premium applies"
        if unit.partner is None and unit.children:
            return "earnings_disregard.lone_parent", "lone parent"
        if unit.partner is not None:
            return "earnings_disregard.couple", "couple"
        return "earnings_disregard.single", "single person"

    def childcare(self, unit: _Unit, earnings_left: Pence, lines: list[str]) -> Pence:
        """Relevant childcare charges taken from earnings (reg 19), within the weekly limits."""
        t = self.trace
        costs = self.data.childcare_costs
        if not costs:
            return 0
        under = t.age("childcare.child_under")
        disabled_under = t.age("childcare.disabled_child_under")
        child_disabled = t.benefits("premium_benefits.disabled_child")
        eligible = [c for c in unit.children
                    if c.age < (disabled_under if set(c.benefits) & child_disabled else under)]
        working = [p for p in unit.adults if p.weekly_earnings > 0]
        couple = unit.partner is not None
        incapacitated = couple and any(set(p.benefits) & t.benefits("premium_benefits.disability")
                                       for p in unit.adults if p.weekly_earnings == 0)
        if not eligible:
            lines.append(f"Childcare costs {fmt(costs)} a week not deducted: no child under {under} "
                         f"(under {disabled_under} if disabled) ({t.section('childcare.child_under')})")
            return 0
        if not working or (couple and len(working) < 2 and not incapacitated):
            lines.append(f"Childcare costs {fmt(costs)} a week not deducted: only when a lone parent works, or both "
                         "of a couple work (or one works and the other is disabled) "
                         f"({t.section('childcare.child_under')})")
            return 0
        key = "childcare.max_one_child" if len(eligible) == 1 else "childcare.max_two_or_more"
        limit = t.money(key)
        taken = min(costs, limit, earnings_left)
        capped = f", the limit for {'one child' if len(eligible) == 1 else 'two or more'} is {fmt(limit)}" if (
            costs > limit) else ""
        lines.append(f"Less childcare charges: {fmt(taken)} a week (paid {fmt(costs)}{capped}; {t.section(key)})")
        return taken

    def tariff(self, units: list[_Unit], lines: list[str]) -> Pence:
        t = self.trace
        capital = self.data.capital
        disregard_all = t.benefits("capital.disregard_all_if")
        on_benefit = [(p, b) for u in units for p in u.adults for b in p.benefits if b in disregard_all]
        if on_benefit:
            person, benefit = on_benefit[0]
            lines.append(f"Capital {fmt(capital)} ignored in full: {person.words()} receives "
                         f"{self.book.label(benefit)} ({t.section('capital.disregard_all_if')})")
            return 0
        threshold = t.money("tariff.threshold")
        if capital <= threshold:
            lines.append(f"Savings and capital {fmt(capital)}: no tariff income, because capital up to "
                         f"{fmt(threshold)} is ignored ({t.section('tariff.threshold')})")
            return 0
        pension = self.pension_rates(units[0])
        step = t.money("tariff.step_pension" if pension else "tariff.step")
        per = t.money("tariff.per_step")
        above = capital - threshold
        steps = -(-above // step)
        tariff = steps * per
        lines.append(f"Tariff income from capital: {fmt(capital)} less the {fmt(threshold)} ignored leaves "
                     f"{fmt(above)}; {fmt(per)} a week for each {fmt(step)} or part of it"
                     f"{' (pension age)' if pension else ''} = {steps} × {fmt(per)} = {fmt(tariff)} a week "
                     f"({t.section('tariff.step_pension' if pension else 'tariff.step')})")
        return tariff

    def income(self, units: list[_Unit], kinds: dict[int, set[str]]) -> Pence:
        t = self.trace
        lines: list[str] = []
        total = 0
        for index, unit in enumerate(units):
            earnings = sum(p.weekly_earnings for p in unit.adults)
            if earnings:
                for person in unit.adults:
                    if person.weekly_earnings:
                        lines.append(f"Earnings of {person.words()}: {fmt(person.weekly_earnings)} a week, "
                                     "net of tax and National Insurance")
                key, why = self.earnings_disregard(unit, kinds.get(index, set()))
                disregard = min(t.money(key), earnings)
                lines.append(f"Less the earnings disregard ({why}): {fmt(disregard)} ({t.section(key)})")
                left = earnings - disregard
                left -= self.childcare(unit, left, lines)
                total += left
            elif index == 0 and self.data.childcare_costs:
                self.childcare(unit, 0, lines)
            for person in unit.adults:
                if person.weekly_income:
                    lines.append(f"Other income of {person.words()} (pensions and benefits that count): "
                                 f"{fmt(person.weekly_income)} a week")
                    total += person.weekly_income
        disregarded = t.benefits("income.disregarded_benefits")
        ignored = t.benefits("income.disregarded_disability_benefits")
        received = [b for u in units for p in u.adults for b in p.benefits if b in disregarded]
        if received:
            lines.append(f"Not counted: {_labels(self.book, dict.fromkeys(received))} "
                         f"({t.section('income.disregarded_benefits')})")
        shown = [b for u in units for p in u.adults for b in p.benefits if b in ignored and b not in disregarded]
        if shown:
            lines.append(f"Not counted: {_labels(self.book, dict.fromkeys(shown))} "
                         f"({t.section('income.disregarded_disability_benefits')})")
        total += self.tariff(units, lines)
        lines.append(f"Assessed weekly income: {fmt(total)}")
        rule = f"{LAW} Part II Chapters V to IX, Schedules 2 to 4 (SI 2008/3104)"
        self.add(t.stage("assessed_income", "Assessed weekly income", total, WEEKLY, rule, lines))
        return total

    # stages 5 to 7 ----------------------------------------------------------------------------------

    def excess(self, income: Pence, applicable: Pence) -> Pence:
        excess = max(income - applicable, 0)
        if income > applicable:
            lines = [f"{fmt(income)} income less {fmt(applicable)} applicable amount = {fmt(excess)} a week"]
        else:
            lines = [f"Income {fmt(income)} is not more than the applicable amount {fmt(applicable)}: no excess, so "
                     "no contribution"]
        self.add(self.trace.stage("excess_income", "Excess income", excess, WEEKLY, f"{LAW} reg 11, reg 12(1)", lines))
        return excess

    def affordable_loan(self, excess: Pence) -> Pence:
        t = self.trace
        kind = _tenure_kind(self.data.tenure)
        key = f"reg12.{kind}"
        figure = t.fig(key)
        years = self.policy.count(f"dfg.contribution_carry_years_{kind}")
        lines = [f"{'An owner-occupier' if kind == 'owner' else 'A tenant'}'s application: the excess income is "
                 f"treated as repaying a notional loan over {years} years"]
        loan, start = 0, 0
        for band in self.rates.bands(key):
            top = excess if band.up_to is None else min(excess, band.up_to)
            if top <= start:
                break
            part = apply_rate(top - start, band.multiplier)
            loan += part
            lines.append(f"{fmt(top - start)} a week × {float(band.multiplier):g} = {fmt(part)}")
            start = top
        if not excess:
            lines = ["No excess income: no affordable loan"]
        lines.append(f"Affordable loan: {fmt(loan)} ({figure.section})")
        self.add(t.stage("affordable_loan", "Affordable loan", loan, POUNDS, f"{LAW} reg 12", lines))
        return loan

    def earlier(self) -> tuple[Pence, str | None]:
        """An earlier contribution within 10 (owner) or 5 (tenant) years offsets this one (4.1.11)."""
        amount = self.data.previous_contribution
        if not amount:
            return 0, None
        kind = _tenure_kind(self.data.tenure)
        key = f"dfg.contribution_carry_years_{kind}"
        years = self.policy.count(key)
        certified = self.data.previous_certified_date
        window = f"within {years} years ({'owner' if kind == 'owner' else 'tenant'}; policy {self.policy.section(key)})"
        if certified is None:
            return amount, f"{fmt(amount)} contributed to an earlier grant, taken as {window}"
        since = add_years(self.data.application_date, -years)
        if since < certified <= self.data.application_date:
            return amount, f"{fmt(amount)} contributed to an earlier grant certified {certified:%d/%m/%Y}, {window}"
        return 0, (f"The {fmt(amount)} contributed to a grant certified {certified:%d/%m/%Y} is not offset: it is not "
                   f"{window}")

    def contribution(self, loan: Pence) -> tuple[Pence, Pence, Pence]:
        offset, words = self.earlier()
        tested = max(loan - offset, 0)
        lines = [f"Affordable loan {fmt(loan)}"]
        if words:
            lines.append(words)
            if offset:
                lines.append(f"{fmt(loan)} less {fmt(offset)} = {fmt(tested)}")
        lines.append(f"Contribution from the test: {fmt(tested)}")
        used = tested
        calculator = self.data.calculator
        if calculator is not None:
            used = max(calculator.contribution - offset, 0)
            lines.append(f"The officer recorded {fmt(calculator.contribution)} from a council-approved calculator "
                         f"({calculator.source})" + (f", less {fmt(offset)} earlier = {fmt(used)}" if offset else "")
                         + ": that figure is the contribution the award uses")
        rule = f"{LAW} reg 12, reg 13; policy 4.1.11"
        self.add(self.trace.stage("contribution", "Contribution", used, POUNDS, rule, lines))
        return used, tested, offset


def _skipped(key: str, title: str, unit: str, why: str) -> Stage:
    return Stage(key, title, None, unit, "", (f"Not needed: {why}",))


LATER_STAGES: tuple[tuple[str, str, str], ...] = (
    ("applicable_amount", "Applicable amount (what the household needs to live on)", WEEKLY),
    ("assessed_income", "Assessed weekly income", WEEKLY),
    ("excess_income", "Excess income", WEEKLY),
    ("affordable_loan", "Affordable loan", POUNDS),
)


def assess_means(data: MeansInput, rates: Rates, policy: Policy) -> MeansTestResult:
    """Run the test on ``data`` with the figures and the policy in force on its application date."""
    test = _Test(data, rates, policy)
    kind = _tenure_kind(data.tenure)
    units, _children, others = test.units()
    law = rates.book.law

    def short(exempt: bool, passporting: Sequence[str], why: str, reason: str, heart: bool = False) -> MeansTestResult:
        stages = [*test.stages, *(_skipped(k, t, u, why) for k, t, u in LATER_STAGES),
                  Stage("contribution", "Contribution", 0, POUNDS, "policy 4.1.11", (reason,))]
        return MeansTestResult(0, 0, passported=bool(passporting), exempt=exempt, tenure_kind=kind,
                               applicable_amount=None, assessed_income=None, excess_income=None, affordable_loan=None,
                               earlier_contribution=0, stages=tuple(stages), reasons=(reason,), unconfirmed=(),
                               calculator=None, passporting_benefits=tuple(passporting), law=law, heart_passport=heart)

    if not units:
        return short(True, (), "nobody to assess",
                     "No relevant person: the works are for a disabled child or young person, so there is no means "
                     f"test and no contribution (policy {policy.section('dfg.means_test_exempt_max_age')})")
    passporting, heart = test.passport(units)
    if passporting:
        return short(False, passporting, "passported",
                     f"Passported ({', '.join(passporting)}): no contribution (policy "
                     f"{policy.section('dfg.passported_benefit_exempt')})", heart)
    applicable, kinds = test.applicable_amount(units, others)
    income = test.income(units, kinds)
    excess = test.excess(income, applicable)
    loan = test.affordable_loan(excess)
    used, tested, offset = test.contribution(loan)
    unconfirmed = tuple(test.all_used.values())
    reasons = [f"Applicable amount {fmt(applicable)} a week; assessed income {fmt(income)} a week; excess "
               f"{fmt(excess)} a week; affordable loan {fmt(loan)}; contribution {fmt(tested)}"]
    if data.calculator is not None:
        reasons.append(f"The award uses the council calculator's figure {fmt(used)} ({data.calculator.source}), "
                       "recorded by the officer")
    reasons += [f"provisional: {f.caveat()}" for f in unconfirmed]
    return MeansTestResult(used, tested, passported=False, exempt=False, tenure_kind=kind,
                           applicable_amount=applicable, assessed_income=income, excess_income=excess,
                           affordable_loan=loan, earlier_contribution=offset, stages=tuple(test.stages),
                           reasons=tuple(reasons), unconfirmed=unconfirmed, calculator=data.calculator, law=law)


_POLICIES: dict[str, PolicySet] = {}


def _policies() -> PolicySet:
    """The bundled policy, found once per resources folder (a keystroke need not look it up again)."""
    import os

    from heart_desktop.paths import RESOURCES_ENV

    where = os.environ.get(RESOURCES_ENV, "")
    if where not in _POLICIES:
        _POLICIES[where] = policy_set()
    return _POLICIES[where]


def means_test(data: MeansInput, policies: PolicySet | None = None, book: RateBook | None = None) -> MeansTestResult:
    """The test under the policy (the case's council, or the base rules) and figures in force on the
    application date; a date with no figures in force is refused naming application_date."""
    from heart_desktop.domain.means_rates import MeansRatesError

    loaded = policies or _policies()
    book = book or rate_book()
    if data.council and data.council not in loaded.councils:
        raise CaseInputError("council", f"{data.council!r} is not one of {', '.join(loaded.councils)}")
    rates = book.on(data.application_date)
    try:
        first = rates.first_day()
        if data.application_date < first:
            raise MeansRatesError(f"{data.application_date:%d/%m/%Y} is before the means test data starts "
                                  f"({first:%d/%m/%Y})")
        policy = (loaded.for_case(data.council, data.application_date) if data.council
                  else Policy(loaded, "", data.application_date))
        return assess_means(data, rates, policy)
    except (MeansRatesError, PolicyError) as exc:
        raise CaseInputError("application_date", str(exc)) from None
