"""Owner's or tenant's certificate with the landlord's consent request (4.1.3), and the
certificate of future occupation (4.1.18)."""

from __future__ import annotations

from heart_desktop.documents.common import address, is_tenant, signature_boxes
from heart_desktop.documents.model import PackData
from heart_desktop.documents.render import Safe, join
from heart_desktop.documents.template import heading, kv_table, para, title
from heart_desktop.domain.conditions import rule_text
from heart_desktop.domain.policy import PolicyError, policy_set

KEY = "certificates"
TITLE = "Certificates"
FORM = "application_details"
CONSENT_LABELS = {"given": "Given", "requested": "Requested, not yet given", "refused": "Refused",
                  "waived": "Owner's certificate waived as unreasonable in the circumstances"}


def _occupation_years(data: PackData) -> str:
    try:
        policy = policy_set().for_case(str(data.case.get("council")), data.as_at)
        return rule_text(policy, "dfg.occupation_condition_years")
    except PolicyError:
        return "the grant condition period"


def story(data: PackData) -> Safe:
    answers = data.forms.get(FORM, {})
    years = _occupation_years(data)
    out = [title(TITLE), kv_table([("Property", address(data))])]
    if is_tenant(data):
        landlord = data.property.get("landlord") or answers.get("landlord_name")
        out += [
            heading("Tenant's certificate (policy 4.1.3)"),
            para("I certify that I am a tenant of the property named above, that I have the right to occupy it, and "
                 "that the disabled occupant lives there, or intends to, as their only or main residence."),
            signature_boxes(data, ("applicant",)),
            heading("Request for the landlord's consent (policy 4.1.3)"),
            kv_table([("Landlord", landlord), ("Landlord's address", answers.get("landlord_address")),
                      ("Consent so far", CONSENT_LABELS.get(str(answers.get("landlord_consent"))))]),
            para("HEART asks the owner's permission for grant-aided works to a rented home, so that the tenant has "
                 "the right to carry them out and the landlord will not object, reinstate the property or seek to "
                 "end the tenancy because of them."),
            para("As owner of the property, I consent to the works in the schedule of works being carried out, and I "
                 "will not require the property to be reinstated because of them."),
            signature_boxes(data, ("landlord",)),
        ]
    else:
        out += [
            heading("Owner's certificate (policy 4.1.3)"),
            para("I certify that I have, or propose to acquire, an owner's interest in the property named above."),
            signature_boxes(data, ("applicant",)),
        ]
    out += [
        heading("Certificate of future occupation (policy 4.1.18)"),
        para(f"I intend that the disabled occupant will live in the property as their only or main residence "
             f"throughout the grant condition period of {years} from the date the works are certified as complete, "
             "or for as long as their health and other relevant circumstances allow."),
        signature_boxes(data, ("applicant",)),
    ]
    return join(out)
