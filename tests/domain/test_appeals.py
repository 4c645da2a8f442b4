"""Appeals (policy section 12): the rules as data and the appeal's state machine."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heart_desktop.domain import appeals as ap
from heart_desktop.domain.policy import PolicyFileError

TODAY = date(2026, 11, 30)
RULES = ap.appeal_rules(TODAY)
EVIDENCE = "GP letter of 2 November: falls on the stairs twice this month"


def lodged(kind: str = "special") -> dict:
    return ap.check_lodge(RULES, kind, "The stairlift refused is the only way Mrs Example can reach the bathroom",
                          date(2026, 11, 2), TODAY)


def answered(appeal: dict, keys: list[str], claimed: bool = True) -> dict:
    for key in keys:
        appeal = {**appeal, "answers": ap.check_answer(RULES, appeal, key, EVIDENCE, claimed, TODAY)}
    return appeal


SPECIAL_ALL = ["immediate_risk", "medical_condition", "family_together", "statutory_services", "wider_benefit",
               "no_means", "significant_reduction"]


def decided(appeal: dict, panel: str, decision: str, on: date, urgent: bool = False) -> dict:
    entry = ap.check_decision(RULES, appeal, panel, decision, "The panel weighed the GP letter and the works",
                              on, TODAY, urgent=urgent, decided_by="Pat Manager")
    return {**appeal, "decisions": [*appeal["decisions"], entry]}


def test_the_data_names_each_item_with_its_section_and_no_deadline() -> None:
    assert RULES.panels["supervisors"].members == ("Private Sector Housing Manager", "HEART Service Manager")
    assert RULES.panels["senior"].name == "Senior Management Panel"
    assert {c.group for c in RULES.criteria.values()} == {"12.4", "12.7", "12.8"}
    assert all(c.section for c in RULES.criteria.values())
    assert set(RULES.outcomes) == {"standard", "special"}
    import tomllib

    def keys(item: object) -> list[str]:
        if isinstance(item, dict):
            return [k for key, value in item.items() for k in (key, *keys(value))]
        return [k for v in item for k in keys(v)] if isinstance(item, list) else []

    found = keys(tomllib.loads(ap.appeals_path().read_text(encoding="utf-8")))
    assert not [k for k in found if "days" in k or "deadline" in k or "limit" in k]  # 12 sets none


def test_a_broken_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "appeals.toml"
    bad.write_text('[[version]]\neffective_from = "2017-06-30"\n[version.kinds.technical]\ncriteria = ["nope"]\n'
                   'section = "12.4"\n')
    with pytest.raises(PolicyFileError, match="nope"):
        ap.appeal_rules(TODAY, bad)


def test_lodging_needs_a_kind_and_the_written_case() -> None:
    with pytest.raises(ap.AppealError, match="kind"):
        ap.check_lodge(RULES, "angry", "a long enough reason here", TODAY, TODAY)
    with pytest.raises(ap.AppealError, match="grounds"):
        ap.check_lodge(RULES, "technical", "  ", TODAY, TODAY)
    with pytest.raises(ap.AppealError, match="future"):
        ap.check_lodge(RULES, "technical", "a long enough reason here", date(2026, 12, 1), TODAY)
    # no time limit: an appeal lodged years after the refusal is accepted
    assert ap.stage(ap.check_lodge(RULES, "technical", "a long enough reason", date(2019, 1, 1), TODAY)) == "lodged"


def test_a_panel_decides_only_once_every_criterion_is_answered_with_evidence() -> None:
    appeal = answered(lodged(), SPECIAL_ALL[:3])
    with pytest.raises(ap.AppealError, match="still to answer: statutory_services"):
        decided(appeal, "supervisors", "refused", date(2026, 11, 20))
    with pytest.raises(ap.AppealError, match="evidence"):
        ap.check_answer(RULES, appeal, "no_means", "", True, TODAY)
    with pytest.raises(ap.AppealError, match="not a criterion"):
        ap.check_answer(RULES, appeal, "hhsrs_hazards", EVIDENCE, True, TODAY)
    # asking for further information needs no complete answers
    asked = decided(appeal, "supervisors", "further_information", date(2026, 11, 10))
    assert ap.stage(asked) == ap.SUPERVISORS_INFORMATION and ap.panel_due(asked) == "supervisors"


def test_a_technical_appeal_needs_one_matter_disputed() -> None:
    appeal = lodged("technical")
    with pytest.raises(ap.AppealError, match=r"12\.4"):
        decided(appeal, "supervisors", "granted", date(2026, 11, 20))
    appeal = answered(appeal, ["remedial_works"])
    assert ap.stage(decided(appeal, "supervisors", "granted", date(2026, 11, 20))) == ap.AWAITING_OUTCOME


def test_a_special_case_is_granted_only_within_12_7_and_12_8() -> None:
    appeal = answered(answered(lodged(), SPECIAL_ALL[:5], claimed=False), SPECIAL_ALL[5:])
    with pytest.raises(ap.AppealError, match=r"12\.7"):
        decided(appeal, "supervisors", "granted", date(2026, 11, 20))
    appeal = answered(answered(lodged(), SPECIAL_ALL[:6]), ["significant_reduction"], claimed=False)
    with pytest.raises(ap.AppealError, match=r"12\.8"):
        decided(appeal, "supervisors", "granted", date(2026, 11, 20))
    # but it may be refused on them
    assert ap.stage(decided(appeal, "supervisors", "refused", date(2026, 11, 20))) == ap.SUPERVISORS_REFUSED


def test_reasons_are_required_and_urgency_only_on_a_grant() -> None:
    appeal = answered(lodged(), SPECIAL_ALL)
    with pytest.raises(ap.AppealError, match="reasons for refusing"):
        ap.check_decision(RULES, appeal, "supervisors", "refused", "", date(2026, 11, 20), TODAY)
    with pytest.raises(ap.AppealError, match="urgent"):
        decided(appeal, "supervisors", "refused", date(2026, 11, 20), urgent=True)
    with pytest.raises(ap.AppealError, match="before the day the appeal was lodged"):
        decided(appeal, "supervisors", "refused", date(2026, 11, 1))


def test_the_whole_way_from_refusal_through_both_panels_to_an_outcome() -> None:
    appeal = answered(lodged(), SPECIAL_ALL)
    with pytest.raises(ap.AppealError, match="Senior Management Panel hears it only"):
        decided(appeal, "senior", "granted", date(2026, 11, 20))
    with pytest.raises(ap.AppealError, match="cannot escalate yet"):
        ap.check_escalation(RULES, appeal, date(2026, 11, 21), TODAY, hearing="attends", hearing_on=None)
    appeal = decided(appeal, "supervisors", "refused", date(2026, 11, 10))
    assert ap.next_steps(appeal) == ["escalate"]
    with pytest.raises(ap.AppealError, match="representative"):
        ap.check_escalation(RULES, appeal, date(2026, 11, 12), TODAY, hearing="written",
                            hearing_on=date(2026, 11, 25), representative="A Friend")
    with pytest.raises(ap.AppealError, match="hearing_on"):
        ap.check_escalation(RULES, appeal, date(2026, 11, 12), TODAY, hearing="attends", hearing_on=date(2026, 11, 1))
    escalation = ap.check_escalation(RULES, appeal, date(2026, 11, 12), TODAY, hearing="attends",
                                     hearing_on=date(2026, 11, 25), representative="A Friend (advocate)",
                                     implications="A stairlift of about £4,000")
    assert escalation["refusal_reasons"].startswith("The panel weighed")
    appeal = {**appeal, "escalation": escalation}
    assert ap.stage(appeal) == ap.ESCALATED and ap.panel_due(appeal) == "senior"
    with pytest.raises(ap.AppealError, match="Senior Management Panel's to decide"):
        decided(appeal, "supervisors", "granted", date(2026, 11, 26))
    with pytest.raises(ap.AppealError, match="before the hearing"):
        decided(appeal, "senior", "granted", date(2026, 11, 24))
    with pytest.raises(ap.AppealError, match="cannot record an outcome"):
        ap.check_outcome(RULES, appeal, "standard", date(2026, 11, 26), TODAY, assistance_type="DFG")
    appeal = decided(appeal, "senior", "granted", date(2026, 11, 26), urgent=True)
    assert ap.stage(appeal) == ap.AWAITING_OUTCOME and ap.granting_panel(appeal) == "senior"
    with pytest.raises(ap.AppealError, match="cannot escalate a granted appeal"):
        ap.check_escalation(RULES, appeal, date(2026, 11, 27), TODAY, hearing="written", hearing_on=None)
    with pytest.raises(ap.AppealError, match="assistance_type"):
        ap.check_outcome(RULES, appeal, "standard", date(2026, 11, 27), TODAY, assistance_type="XYZ")
    with pytest.raises(ap.AppealError, match="terms"):
        ap.check_outcome(RULES, appeal, "special", date(2026, 11, 27), TODAY,
                         description="A special grant for a through-floor lift")
    outcome = ap.check_outcome(RULES, appeal, "standard", date(2026, 11, 27), TODAY, assistance_type="DDFA",
                               modification="Limit raised to the cost of the stairlift")
    appeal = {**appeal, "outcome": outcome}
    assert ap.stage(appeal) == ap.DECIDED and ap.next_steps(appeal) == []
    with pytest.raises(ap.AppealError, match="finished"):
        ap.check_answer(RULES, appeal, "no_means", EVIDENCE, True, TODAY)


def test_a_grant_reopens_a_refused_case_in_enquiry_order_unless_urgent() -> None:
    appeal = answered(lodged("technical"), ["hhsrs_hazards"])
    entry = ap.check_decision(RULES, appeal, "supervisors", "granted", "The hazard was under-rated", TODAY, TODAY)
    effect = ap.case_effect(RULES, entry, {"outcome": "refused"})
    assert effect is not None and effect.reopen and not effect.urgent
    assert "date of the initial enquiry" in effect.note and "12.19" in effect.note
    urgent = ap.check_decision(RULES, appeal, "supervisors", "granted", "The hazard was under-rated", TODAY, TODAY,
                               urgent=True)
    effect = ap.case_effect(RULES, urgent, {"outcome": None})
    assert effect is not None and effect.urgent and not effect.reopen
    refused = ap.check_decision(RULES, appeal, "supervisors", "refused", "The rating stands as assessed", TODAY,
                                TODAY)
    assert ap.case_effect(RULES, refused, {"outcome": "refused"}) is None


def test_a_senior_refusal_is_final() -> None:
    appeal = decided(answered(lodged("technical"), ["hhsrs_hazards"]), "supervisors", "refused", date(2026, 11, 5))
    appeal = {**appeal, "escalation": ap.check_escalation(RULES, appeal, date(2026, 11, 6), TODAY, hearing="written",
                                                          hearing_on=None)}
    appeal = decided(appeal, "senior", "refused", date(2026, 11, 20))
    assert ap.stage(appeal) == ap.REFUSED_FINALLY and ap.next_steps(appeal) == []
    with pytest.raises(ap.AppealError, match="finished"):
        ap.check_escalation(RULES, appeal, date(2026, 11, 21), TODAY, hearing="written", hearing_on=None)


# --- any order of steps: the state machine never lets a step through out of order ------------------

STEP = st.one_of(
    st.tuples(st.just("answer"), st.sampled_from(sorted(RULES.criteria)), st.booleans()),
    st.tuples(st.just("decide"), st.sampled_from(["supervisors", "senior"]),
              st.sampled_from(["granted", "refused", "further_information"]), st.booleans()),
    st.tuples(st.just("escalate"), st.sampled_from(["attends", "written"])),
    st.tuples(st.just("outcome"), st.sampled_from(["standard", "special"])),
)


@settings(max_examples=200, deadline=None)
@given(kind=st.sampled_from(["technical", "special"]), steps=st.lists(STEP, max_size=25))
def test_no_order_of_steps_gets_one_through_out_of_turn(kind: str, steps: list[tuple]) -> None:
    appeal = lodged(kind)
    for step in steps:
        before = ap.stage(appeal)
        allowed = ap.next_steps(appeal)
        try:
            if step[0] == "answer":
                appeal = {**appeal, "answers": ap.check_answer(RULES, appeal, step[1], EVIDENCE, step[2], TODAY)}
            elif step[0] == "decide":
                due = ap.panel_due(appeal)
                entry = ap.check_decision(RULES, appeal, step[1], step[2], "Reasons the panel gave in full", TODAY,
                                          TODAY, urgent=step[3])
                assert step[1] == due and (step[2] == "granted" or not step[3])
                appeal = {**appeal, "decisions": [*appeal["decisions"], entry]}
            elif step[0] == "escalate":
                appeal = {**appeal, "escalation": ap.check_escalation(RULES, appeal, TODAY, TODAY, hearing=step[1],
                                                                      hearing_on=TODAY)}
                assert before == ap.SUPERVISORS_REFUSED
            else:
                appeal = {**appeal, "outcome": ap.check_outcome(
                    RULES, appeal, step[1], TODAY, TODAY, assistance_type="DFG" if step[1] == "standard" else None,
                    description="A special grant for the stairlift", terms="Recovered when no longer needed")}
                assert before == ap.AWAITING_OUTCOME
        except ap.AppealError:
            assert ap.stage(appeal) == before  # a refused step changes nothing
            continue
        assert step[0] in allowed
        assert ap.stage(appeal) in ap.STAGE_LABELS
    if ap.stage(appeal) in (ap.DECIDED, ap.REFUSED_FINALLY):
        assert ap.next_steps(appeal) == []


# --- 12.14: independent medical advice ---------------------------------------------------------------------


def test_medical_advice_only_where_the_medical_criterion_is_claimed() -> None:
    asked = date(2026, 11, 10)
    with pytest.raises(ap.AppealError, match="no medical criterion") as technical:
        ap.check_advice(RULES, lodged("technical"), requested_on=asked, source="independent OT", today=TODAY)
    assert technical.value.field == "criterion"
    unclaimed = answered(lodged(), ["medical_condition"], claimed=False)
    with pytest.raises(ap.AppealError, match="'medical_condition' as claimed") as first:
        ap.check_advice(RULES, unclaimed, requested_on=asked, source="independent OT", today=TODAY)
    assert first.value.field == "criterion"
    appeal = answered(lodged(), ["medical_condition"])
    answers = ap.check_advice(RULES, appeal, requested_on=asked, source="Independent occupational health adviser",
                              today=TODAY, cost="£1,250.5")
    advice = answers["medical_condition"]["advice"]
    assert advice == {"requested_on": "2026-11-10", "source": "Independent occupational health adviser",
                      "received_on": None, "summary": "", "cost": "1250.50"}
    # a re-answer of the criterion keeps the advice recorded on it
    again = ap.check_answer(RULES, {**appeal, "answers": answers}, "medical_condition", EVIDENCE + " (updated)",
                            True, TODAY)
    assert again["medical_condition"]["advice"] == advice


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"requested_on": date(2026, 11, 1)}, "requested_on", "before the day the appeal was lodged"),
    ({"requested_on": date(2026, 12, 1)}, "requested_on", "in the future"),
    ({"requested_on": None}, "requested_on", "give the date"),
    ({"source": " "}, "source", "by their role"),
    ({"source": "x" * 201}, "source", "at most 200"),
    ({"received_on": date(2026, 11, 9), "summary": "Stairs aggravate the arthritis"}, "received_on",
     "before the request"),
    ({"received_on": date(2026, 11, 20), "summary": "ok"}, "summary", "summarise"),
    ({"summary": "Stairs aggravate the arthritis"}, "received_on", "give received_on"),
    ({"cost": "lots"}, "cost", "amount of money"),
    ({"cost": "-5"}, "cost", "pounds and pence"),
    ({"cost": "10.005"}, "cost", "pounds and pence"),
])
def test_bad_medical_advice_names_its_field(changes: dict, field: str, words: str) -> None:
    appeal = answered(lodged(), ["medical_condition"])
    given_ = {"requested_on": date(2026, 11, 10), "source": "independent OT", **changes}
    with pytest.raises(ap.AppealError, match=words) as bad:
        ap.check_advice(RULES, appeal, today=TODAY, **given_)
    assert bad.value.field == field


def test_the_panel_waits_for_advice_asked_for_and_the_words_come_from_the_data() -> None:
    appeal = answered(lodged(), SPECIAL_ALL)
    asked = {**appeal, "answers": ap.check_advice(RULES, appeal, requested_on=date(2026, 11, 10),
                                                  source="independent OT", today=TODAY)}
    with pytest.raises(ap.AppealError, match="has not been received") as waiting:
        decided(asked, "supervisors", "granted", date(2026, 11, 25))
    assert waiting.value.field == "decision"
    assert ap.advice_awaited(RULES, asked)
    decided(asked, "supervisors", "further_information", date(2026, 11, 25))  # asking for it is allowed
    assert ap.advice_sentences(RULES, asked)[1] == RULES.advice.awaited
    back = {**asked, "answers": ap.check_advice(RULES, asked, requested_on=date(2026, 11, 10), source="independent OT",
                                                received_on=date(2026, 11, 20), today=TODAY,
                                                summary="The stairs aggravate the condition; a stairlift helps")}
    assert decided(back, "supervisors", "granted", date(2026, 11, 25))["decisions"][-1]["decision"] == "granted"
    words = ap.advice_sentences(RULES, back)
    assert "asked for on 10/11/2026 from independent OT (policy 12.14)" in words[0]
    assert "received on 20/11/2026" in words[1]
    view = ap.describe(RULES, back)["medical_advice"]
    assert (view["criterion"], view["section"], view["awaited"]) == ("medical_condition", "12.14", False)
    assert RULES.advice.section == "12.14" and RULES.criteria["medical_condition"].section == "12.7, 12.14"
