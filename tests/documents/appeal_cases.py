"""A synthetic case whose household's identifiers are written into every free-text field it has, for
the anonymised appeal report's tests, and the check that none of them survives in a text."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from cases import photo

from heart_desktop.store import Store

SIGNED_AT = "2026-03-02T11:30:00"
TODAY = date(2026, 6, 1)

# The household (synthetic): names with hyphens, apostrophes, Mc, a two-letter name, names that
# are common words (Hope, Rose Street), an accent; a flat in a named house.
APPLICANT = {"given_name": "Hope Mary-Jane", "family_name": "O'Sullivan-McAllister", "date_of_birth": date(1949, 7, 9),
             "phone": "01926 334455", "email": "hope.osullivan@example.org", "ni_number": "QQ 12 34 56 B",
             "nhs_number": "485 777 3456"}
PARTNER = {"given_name": "Al", "family_name": "McAllister", "date_of_birth": date(1952, 2, 29),
           "relationship": "husband of Hope O'Sullivan-McAllister"}
ADVOCATE = "Zoë Bhriain-Okafor (daughter), 07700 900456, zoe.bo@example.net"
REFERRER, REFERRER_CONTACT = "Dr Kwame Asante", "kwame.asante@gp.example.uk"
ADDRESS = {"address_line1": "Flat 2, Larkspur House", "address_line2": "14 Rose Street", "town": "Kenilworth",
           "postcode": "CV8 1QZ", "uprn": "100070123456"}

# What an officer might write, each identifier in more than one of the ways people write it.
PLANTED = [
    "Hope O'Sullivan-McAllister (Mrs O’Sullivan-McAllister's husband Al McAllister, born 29/02/1952) of Flat 2, "
    "Larkspur House, 14 Rose Street, Kenilworth CV8 1QZ; DOB 9 July 1949; tel 01926 334455; "
    "hope.osullivan@example.org; NI QQ123456B; NHS 4857773456.",
    "Daughter Zoë Bhriain-Okafor rang from 07700900456 (zoe.bo@example.net), referred by Dr Kwame Asante "
    "(kwame.asante@gp.example.uk). HOPE said the McAllisters at no. 14 (cv81qz, UPRN 100070123456) need help; "
    "mary-jane o'sullivan born 09/07/49, Zoe Okafor, K. Asante, +44 (0)1926 334 455, qq 12 34 56 b. Her lodger "
    "Ezekiel Thorne, her brother Bartholomew Quince (born 8 August 1951) and his girl Tallulah (born "
    "05/05/2015) visit.",
]
NAME_WORDS = ["hope", "mary", "jane", "o'sullivan", "o’sullivan", "osullivan", "sullivan", "mcallister",
              "mcallisters", "al", "zoë", "zoe", "bhriain", "okafor", "kwame", "asante", "larkspur", "rose",
              "kenilworth", "ezekiel", "thorne", "bartholomew", "quince", "tallulah"]
DIGITS = ["1926334455", "7700900456", "4857773456", "100070123456", "1949", "1952", "090749", "29021952"]
FRAGMENTS = ["example.org", "example.net", "gp.example.uk", "cv81qz", "qq123456b", "no.14"]


def leaks(text: str) -> list[str]:
    """Every identifier of the household still in ``text`` (whitespace and case ignored; names as
    whole words; numbers in its digits; addresses, emails and NI numbers with the spaces taken out)."""
    flat = " ".join(text.split()).casefold()
    found = [w for w in NAME_WORDS if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", flat)]
    digits = re.sub(r"\D", "", flat)
    found += [d for d in DIGITS if d in digits]
    squeezed = re.sub(r"[\s\-]", "", flat)
    found += [f for f in FRAGMENTS if f in squeezed]
    found += [w for w in ("1qz", "9 july", "29/02", "05/05/2015", "1951") if w in flat]
    return found


def _text(index: int, what: str) -> str:
    return f"{what}: {PLANTED[index % len(PLANTED)]}"


def identified_case(store: Store, decided: bool = True, photos: int = 2) -> str:
    """A refused case whose every free-text field names the household."""
    with store.transaction():
        case_id = store.cases.create("WDC", assigned_officer="Priya Officer", assistance_types=["DFG"],
                                     enquiry_on=date(2026, 1, 5), application_on=date(2026, 2, 20),
                                     advocate=ADVOCATE, contact_preference="advocate", referrer=REFERRER,
                                     referrer_contact=REFERRER_CONTACT, channel="phone",
                                     reason=_text(0, "Enquiry"), outcome="refused", outcome_on=date(2026, 3, 1),
                                     outcome_reason=_text(1, "Closed on the refusal"))
        store.people.insert({"case_id": case_id, "is_applicant": True, "is_disabled_person": True,
                             "relationship": _text(1, "Self"), **APPLICANT})
        store.people.insert({"case_id": case_id, "is_applicant": False, "is_disabled_person": False, **PARTNER})
        store.properties.insert({"case_id": case_id, **ADDRESS, "tenure": "owner", "years_owned": 20,
                                 "property_type": _text(0, "Terraced house")})
        store.works.insert({"case_id": case_id, "position": 0, "location": _text(1, "Bathroom"),
                            "description": _text(0, "Level access shower"), "quantity": "1", "unit": "item",
                            "rate_pence": 850_000, "vat_percent": "0"})
        store.hazards.rate(case_id, "falls_on_stairs", 32, [0, 10, 21.5, 68.5], date(2026, 2, 10),
                           notes=_text(1, "Steep stair"))
        store.forms.start(case_id, "application_details", "1.0", {
            "applicant_name": "Hope Mary-Jane O'Sullivan-McAllister", "applicant_date_of_birth": "1949-07-09",
            "applicant_ni_number": "QQ123456B", "address": "Flat 2, Larkspur House, 14 Rose Street, Kenilworth",
            "postcode": "CV8 1QZ", "right_to_reside": True, "disabled_is_applicant": True, "tenure": "owner",
            "years_owned": 20, "owners_certificate": True, "qualifying_benefit": False, "consent_to_share": True,
            "declaration_date": "2026-02-20", "household": [{"name": "Ezekiel Thorne"}]})
        # only in the means test's form: a partner and a dependent child the people rows do not list
        store.forms.start(case_id, "financial_assessment", "1.0", {
            "has_partner": True, "partner_name": "Bartholomew Quince", "partner_date_of_birth": "1951-08-08",
            "dependants": [{"name": "Tallulah Quince", "date_of_birth": "2015-05-05"}]})
        store.forms.start(case_id, "ot_needs_assessment", "1.0", {
            "assessment_date": "2026-02-01", "assessment_setting": "home_visit", "ot_name": "Olu Therapist",
            "conditions": _text(0, "Arthritis"),
            "adl_hygiene": {"difficulty": "unable", "need": _text(1, "Cannot bathe")},
            "adaptations": [{"adaptation": "level_access_shower", "details": _text(0, "Shower"),
                             "necessary_and_appropriate": True, "reason": _text(1, "Cannot step into the bath")}]})
        if decided:
            store.decisions.insert({"case_id": case_id, "kind": "application", "outcome": "refused",
                                    "reasons": [_text(0, "Savings over the limit"), _text(1, "Works not eligible")],
                                    "decided_by": "Sam Manager", "decided_on": date(2026, 3, 1)})
        store.notes.insert({"case_id": case_id, "body": _text(0, "Visit"), "author": "Priya Officer",
                            "written_at": "2026-03-02T10:00:00"})
        store.notes.insert({"case_id": case_id, "body": _text(1, "Call"), "author": "Priya Officer",
                            "written_at": "2026-03-04T10:00:00"})
        store.contacts.add(case_id, {"at": "2026-03-03T09:00:00", "kind": "call", "direction": "in",
                                     "who": "Zoë Bhriain-Okafor (daughter of Hope O'Sullivan-McAllister)",
                                     "summary": _text(0, "Asked about an appeal")})
        store.contacts.add(case_id, {"at": "2026-03-05T09:00:00", "kind": "email", "direction": "out",
                                     "who": "hope.osullivan@example.org", "summary": _text(1, "Sent the form")})
    for index in range(photos):
        store.attachments.add(case_id, photo(60 * index + 30), caption=_text(index, f"Photo {index + 1}, bathroom"))
    return case_id


def lodge_appeal(store: Store, case_id: str) -> str:
    """Lodge an appeal on the case through the appeals' use case (the report needs one)."""
    from heart_desktop.services import appeals
    from heart_desktop.services.workbench import Workbench

    bench = Workbench(Path("unused.heartdb"), officer=store.officer)
    bench.store = store
    return str(appeals.lodge(bench, case_id, "special", PLANTED[0], today=date(2026, 3, 10))["id"])


def appeal(case_id: str = "") -> dict[str, Any]:
    """An appeal decided by the Senior Management Panel with its outcome, as ``store.appeals`` keeps it
    (with each criterion's words, as ``domain.appeals.describe`` adds them), every free-text answer
    naming the household."""
    answers = {"immediate_risk": {"claimed": True, "evidence": _text(1, "Falls"), "answered_on": "2026-03-12"},
               "no_means": {"claimed": True, "evidence": _text(0, "No savings"), "answered_on": "2026-03-12"},
               "significant_reduction": {"claimed": True, "evidence": _text(1, "The shower"),
                                         "answered_on": "2026-03-12"}}
    words = {"immediate_risk": ("12.7", "Failure to carry out works will place the applicants or existing "
                                        "family's health and safety at immediate risk"),
             "medical_condition": ("12.7, 12.14", "The applicant or a member of their family has a specific and "
                                                  "serious medical condition or disability"),
             "no_means": ("12.8", "The applicant has no means by which they could reasonably be expected to fund "
                                  "the work"),
             "significant_reduction": ("12.8", "The assisted works must significantly reduce the problems")}
    return {"id": "appeal-1", "case_id": case_id, "kind": "special", "stage": "decided",
            "stage_label": "Decided: outcome recorded", "kind_label": "Special case",
            "kind_section": "12.2 b, 12.5, 12.7, 12.8", "lodged_on": date(2026, 3, 10),
            "grounds": _text(0, "Grounds"), "appellant": "Zoë Bhriain-Okafor (daughter)", "assisted": True,
            "answers": answers,
            "criteria": [{"key": key, "section": section, "words": text, "answer": answers.get(key)}
                         for key, (section, text) in words.items()],
            "decisions": [{"panel": "supervisors", "decision": "refused", "decided_on": "2026-04-01",
                           "reasons": _text(1, "Not immediate"), "decided_by": "Sam Manager", "urgent": False},
                          {"panel": "senior", "decision": "granted", "decided_on": "2026-05-06",
                           "reasons": _text(0, "Risk accepted"), "decided_by": "Head of Service", "urgent": True}],
            "escalation": {"escalated_on": "2026-04-10", "hearing": "attends", "hearing_on": "2026-05-06",
                           "representative": "Kwame Asante", "refusal_reasons": _text(1, "Not immediate"),
                           "implications": _text(0, "Implications"), "information": _text(1, "Information")},
            "outcome": {"form": "special", "panel": "senior", "decided_on": "2026-05-06", "assistance_type": None,
                        "modification": "", "description": _text(0, "A special grant"),
                        "terms": _text(1, "Terms")}}
