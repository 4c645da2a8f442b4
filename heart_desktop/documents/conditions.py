"""Statement of the conditions of the assistance offered (RRO 2002 article 3(5), policy 6.1).

The wording and the numbers come from the policy data (``domain.conditions``), for each type
of assistance the decision offers; nothing here is a rule.
"""

from __future__ import annotations

from heart_desktop.documents.common import signature_boxes
from heart_desktop.documents.model import PackData
from heart_desktop.documents.render import Safe, join
from heart_desktop.documents.template import heading, keep, note, para, title
from heart_desktop.domain.assistance import TYPE_NAMES
from heart_desktop.domain.conditions import conditions_for, offered_types

KEY = "conditions"
TITLE = "Statement of conditions"


def story(data: PackData) -> Safe:
    out = [
        title("Statement of the conditions of the assistance offered"),
        note("Given with the application under article 3(5) of the Regulatory Reform (Housing Assistance) "
             "(England and Wales) Order 2002 and section 6.1 of the HEART Financial Assistance Policy. Ask your "
             "key worker if anything here is unclear."),
    ]
    if data.decision is None:
        out.append(para("The assistance offered cannot be worked out yet, so its conditions cannot be listed: "
                        f"{data.decision_problem}. A statement will be given with the decision."))
        return join(out)
    types = offered_types(data.decision)
    if data.decision.award.route == "council_housing":
        out.append(para("This is a council-housing adaptation: the council carries out the works to its own "
                        "home as your landlord, without a grant, so no grant conditions apply (policy 4.1.12)."))
        return join(out)
    if not types:
        out.append(para("No assistance is offered on the information recorded, so no conditions apply."))
        return join(out)
    out.append(para("Assistance offered: " + "; ".join(TYPE_NAMES[t] for t in types) + "."))
    for number, condition in enumerate(conditions_for(data.decision), start=1):
        out.append(keep(heading(f"{number}. {condition.title}"),
                        para(f"{condition.text} (policy {condition.section})", "condition")))
    out.append(keep(heading("I have read these conditions and accept them."), signature_boxes(data, ("applicant",))))
    return join(out)
