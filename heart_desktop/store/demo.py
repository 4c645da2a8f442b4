"""Synthetic demo cases: realistic in shape, fictional in every detail, the same for a given seed.

Names are drawn from lists of common first and last names (so no combination is meant to be
anyone), house numbers and inward postcodes are random, and districts are the real Warwickshire
ones so the council, town and postcode agree. Cases are spread over the five councils and every
stage, with households, HHSRS ratings, works schedules, visits, forms, decisions and notes.
Rows are written in bulk (executemany) with one journal entry each, the same entries the
repositories would have written, and a search document per case.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from heart_desktop.domain import hhsrs
from heart_desktop.domain.casework import STAGE_KEYS, check_stage_dates
from heart_desktop.domain.dates import add_months, age_on
from heart_desktop.domain.means_rates import rate_book
from heart_desktop.domain.works import as_answer_row
from heart_desktop.store import demo_answers, search
from heart_desktop.store.cases import STAGE_RANK
from heart_desktop.store.database import Store
from heart_desktop.store.records import score_hazard
from heart_desktop.store.schema import (
    CASE,
    CONTACT,
    DECISION,
    FORM,
    HAZARD,
    NOTE,
    PERSON,
    PROPERTY,
    STAGE_EVENT,
    SYNC_FIELDS,
    VISIT,
    WORKS_ITEM,
    Entity,
    encode,
    journal_value,
)

DEMO_AS_OF = date(2026, 10, 30)  # fixed, so a seed always gives the same store
# one approved case whose completion date (approval + dfg.completion_months, 4.1.16) falls this many
# days after the as-of day, inside the reminder letter's window (letters.toml reminder_days_before)
DEMO_REMINDER_DAYS = 30
COUNCILS: dict[str, str] = {
    "NWBC": "North Warwickshire Borough Council",
    "NBBC": "Nuneaton and Bedworth Borough Council",
    "RBC": "Rugby Borough Council",
    "SDC": "Stratford-on-Avon District Council",
    "WDC": "Warwick District Council",
}
# council -> (postcode district, town)
DISTRICTS: dict[str, tuple[tuple[str, str], ...]] = {
    "NWBC": (("CV9", "Atherstone"), ("CV9", "Mancetter"), ("B46", "Coleshill"), ("B78", "Kingsbury"),
             ("CV7", "Arley")),
    "NBBC": (("CV10", "Nuneaton"), ("CV11", "Nuneaton"), ("CV12", "Bedworth")),
    "RBC": (("CV21", "Rugby"), ("CV22", "Rugby"), ("CV22", "Bilton"), ("CV23", "Dunchurch"),
            ("CV23", "Wolston")),
    "SDC": (("CV37", "Stratford-upon-Avon"), ("CV36", "Shipston-on-Stour"), ("CV47", "Southam"),
            ("B49", "Alcester"), ("B50", "Bidford-on-Avon"), ("B80", "Studley"), ("B95", "Henley-in-Arden"),
            ("CV35", "Wellesbourne")),
    "WDC": (("CV31", "Leamington Spa"), ("CV32", "Leamington Spa"), ("CV33", "Whitnash"), ("CV34", "Warwick"),
            ("CV8", "Kenilworth"), ("CV35", "Hampton Magna")),
}
COUNCIL_WEIGHTS = {"NWBC": 14, "NBBC": 26, "RBC": 20, "SDC": 22, "WDC": 24}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a Royal Mail inward code may use
GIVEN_NAMES = (
    "Margaret", "Susan", "Patricia", "Linda", "Christine", "Janet", "Pauline", "Sandra", "Jean", "Valerie",
    "Barbara", "Carol", "Brenda", "Irene", "Eileen", "Sheila", "Doreen", "Joan", "Maureen", "Ann", "Elaine",
    "Julie", "Karen", "Sarah", "Emma", "Amy", "Sophie", "Olivia", "Grace", "Chloe", "Priya", "Aisha", "Fatima",
    "Harpreet", "Agnieszka", "John", "David", "Michael", "Peter", "Robert", "Alan", "Brian", "Keith", "Colin",
    "Derek", "Graham", "Trevor", "Kenneth", "Roy", "Malcolm", "Stephen", "Paul", "Mark", "Gary", "Darren",
    "Lee", "Jamie", "Oliver", "Jack", "Harry", "Thomas", "Noah", "Leo", "Arjun", "Mohammed", "Imran",
    "Tomasz", "Sean", "Dylan", "Kieran",
)
FAMILY_NAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
    "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Hughes",
    "Edwards", "Turner", "Hill", "Moore", "Cooper", "Ward", "Morris", "King", "Harris", "Baker", "Lewis",
    "Shaw", "Lee", "Patel", "Singh", "Kaur", "Khan", "Hussain", "Begum", "Sharma", "Kowalski", "Nowak",
    "Murphy", "Kelly", "O'Brien", "Bennett", "Bailey", "Cox", "Richardson", "Howard", "Marshall", "Dixon",
    "Goldsmith", "Smithson", "Atherton", "Fletcher", "Mason", "Holmes", "Palmer", "Gibson", "Webb",
)
STREETS = (
    "Church Lane", "High Street", "Mill Road", "Station Road", "Park Avenue", "Victoria Road", "Manor Close",
    "The Green", "Windmill Way", "Orchard Drive", "Coventry Road", "Warwick Road", "Oak Tree Close",
    "Meadow View", "Kingsway", "Queens Road", "Willow Crescent", "Avon Street", "School Lane", "Hawthorn Road",
    "Beech Drive", "Birmingham Road", "Brookside", "Castle Street", "Elm Grove", "Holly Walk", "Jubilee Court",
    "Lime Avenue", "Newbold Road", "Priory Road", "St John's Close", "Tamworth Road", "Cedar Way",
)
OT_NAMES = ("M. Abernethy (OT)", "N. Fairbairn (OT)", "P. Quaye (OT)", "R. Sandhu (OT)")
OFFICERS = ("A. Okafor", "B. Lindqvist", "C. Marsh", "D. Rahman", "E. Kowal", "F. Doyle", "G. Pennington",
            "H. Sato", "I. Brennan", "J. Achterberg", "K. Osei", "L. Whitcombe")
# policy keys (resources/policy common.tenures); owners are the larger share of DFG cases
TENURES = ("owner", "owner", "owner", "private_tenant", "housing_association_tenant", "council_tenant")
PROPERTY_TYPES = ("semi-detached house", "terraced house", "detached house", "bungalow", "ground floor flat",
                  "first floor flat", "maisonette")
URGENT_REASONS = ("Hospital discharge waiting on adaptation", "Palliative care at home",
                  "Safeguarding concern raised by OT", "Repeated falls on stairs", "Carer unable to lift safely")
PRIORITY_FLAGS = ("hospital_discharge", "end_of_life", "safeguarding", "falls_risk", "carer_breakdown")
ASSISTANCE = ("DFG", "DFG", "DFG", "DDFA", "HDG", "Home Safety", "WaSH")
RELATIONSHIPS = ("spouse", "partner", "son", "daughter", "grandchild", "lodger", "parent")
# hazards an adaptations visit often rates, under either scheme's key (a visit rates those of the
# scheme in force on its date)
HAZARDS = ("falls_on_stairs", "falls_on_level", "falls_between_levels", "falls_with_baths", "excess_cold",
           "damp_and_mould_growth", "fire", "fire_and_explosions", "electrical_hazards", "entry_by_intruders",
           "personal_hygiene", "domestic_hygiene", "flames_hot_surfaces", "collision_and_entrapment",
           "collisions_entrapment_ergonomics")
LIKELIHOODS = (5600, 3200, 1800, 1000, 560, 320, 180, 100, 56, 32, 18, 10, 6, 3, 2, 1)
HARMS = ((0.0, 0.2, 2.2, 97.6), (0.1, 1.0, 10.0, 88.9), (1.0, 4.6, 10.0, 84.4), (2.2, 10.0, 21.5, 66.3),
         (4.6, 10.0, 31.6, 53.8), (10.0, 21.5, 31.6, 36.9))
WORKS = (
    ("Stairs", "Supply and fit straight stairlift", "1", "item", 345000, "0"),
    ("Stairs", "Supply and fit curved stairlift", "1", "item", 895000, "0"),
    ("Bathroom", "Remove bath, form level access shower with tray former", "1", "item", 620000, "0"),
    ("Bathroom", "Supply and fit thermostatic shower and seat", "1", "item", 78500, "0"),
    ("Bathroom", "Close-coupled wash/dry toilet", "1", "item", 265000, "0"),
    ("Bathroom", "Anti-slip vinyl flooring", "6.5", "m2", 4800, "20"),
    ("Hall", "Stainless grab rail 600 mm", "2", "nr", 3500, "0"),
    ("Front entrance", "Concrete ramp with handrails, 1:15 gradient", "4.2", "m", 68000, "0"),
    ("Front entrance", "Widen doorway to 900 mm clear opening", "1", "item", 145000, "0"),
    ("Kitchen", "Height-adjustable worktop section", "1.8", "m", 92000, "0"),
    ("Bedroom", "Ceiling track hoist, room-to-room", "1", "item", 480000, "0"),
    ("Garden", "Level paving path to rear door", "12", "m2", 9500, "20"),
    ("Throughout", "Mains smoke and heat alarms", "1", "item", 42000, "20"),
    ("Living room", "Through-floor lift", "1", "item", 1650000, "0"),
)
# the purpose of HGCRA 1996 s.23(1) each demo item serves (policy 4.1.4)
WORKS_PURPOSES = {
    "Supply and fit straight stairlift": "d", "Supply and fit curved stairlift": "d",
    "Remove bath, form level access shower with tray former": "f", "Supply and fit thermostatic shower and seat": "f",
    "Close-coupled wash/dry toilet": "e", "Anti-slip vinyl flooring": "b", "Stainless grab rail 600 mm": "b",
    "Concrete ramp with handrails, 1:15 gradient": "a", "Widen doorway to 900 mm clear opening": "a",
    "Height-adjustable worktop section": "h", "Ceiling track hoist, room-to-room": "d",
    "Level paving path to rear door": "a", "Mains smoke and heat alarms": "b", "Through-floor lift": "d",
}
NOTES = (
    "Spoke to {name} by phone; happy for the visit to go ahead.",
    "OT recommendation received: works necessary and appropriate.",
    "Quotation requested from two contractors.",
    "Customer asked to bring proof of ownership to the visit.",
    "Means test paperwork outstanding; reminder sent.",
    "Neighbour has a key; call ahead before arriving.",
    "Landlord consent form posted to the landlord.",
    "Customer prefers morning appointments.",
)


# casework (issue 15): how enquiries arrive, who refers, what the customer said, how cases end
CHANNELS = ("telephone", "telephone", "telephone", "email", "post", "in_person", "social_care", "health",
            "other_agency")
REFERRERS = {"social_care": ("Adult Social Care, Warwickshire County Council", "01926 410410"),
             "health": ("Community OT, South Warwickshire NHS", "01926 495321"),
             "other_agency": ("Age UK Warwickshire", "01926 458100")}
REASONS = ("I can't get up the stairs any more and I sleep in the chair downstairs.",
           "Getting in and out of the bath is too hard; I need a shower I can walk into.",
           "My husband uses a wheelchair now and can't get through the front door.",
           "I had a fall on the stairs last month and I'm frightened it will happen again.",
           "Coming out of hospital next month and need to manage at home.",
           "The house is cold and damp and my breathing is worse.",
           "Our son needs a room downstairs; he can't manage the stairs.")
DROP_OUTS = ("withdrawn", "withdrawn", "not_eligible", "referred_elsewhere", "no_contact", "moved_away", "died")
DROP_OUT_REASONS = {"withdrawn": "Customer decided to arrange the works privately.",
                    "not_eligible": "Not eligible: the means test contribution exceeds the cost of the works.",
                    "referred_elsewhere": "Referred to the council's housing team for rehousing.",
                    "no_contact": "No reply to three calls and a letter.",
                    "moved_away": "Customer moved to a care home outside the county.",
                    "died": "The customer died; condolences sent.", "refused": "Application refused."}
TEAM_LEADERS = ("T. Leader (team leader)", "S. Hartley (HEART Team Manager)")
SANCTIONS = ("Customer's carer is leaving the country in six weeks; works must be in before then.",
             "Fire service referral: the only exit is blocked for the wheelchair user.",
             "Two of the three cases ahead are waiting on the customer; this one is ready to go.")
CONTACT_SUMMARIES = (("call", "out", "Called to book the visit; customer agreed a morning."),
                     ("call", "out", "Left a voicemail asking for a call back."),
                     ("letter", "out", "Letter sent with the means test form."),
                     ("call", "in", "Daughter rang to ask how long it will take."),
                     ("email", "out", "Emailed the customer the list of documents for the visit."),
                     ("call", "in", "Customer rang: the OT has been."),
                     ("letter", "in", "Customer's letter with proof of ownership received."))
EVENT_OF_STAGE = {"enquiry": "enquiry_received", "telephone_assessment": "telephone_assessment_done",
                  "visit": "visit_done", "contractor_visit": "contractor_visit_done",
                  "quotation": "quotation_received", "application": "pack_signed", "approval": "approved",
                  "works_start": "works_started", "works_complete": "certified_complete", "signed_off": "signed_off"}


@dataclass
class _Batch:
    """Rows waiting to be written, per entity, plus their journal entries and search documents."""

    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    journal: list[tuple[Any, ...]] = field(default_factory=list)
    documents: list[tuple[Any, ...]] = field(default_factory=list)


class _Writer:
    def __init__(self, store: Store, rng: random.Random) -> None:
        self.store, self.rng = store, rng
        self.batch = _Batch()
        self.tx = uuid.uuid4().hex
        # homes with a certified Home Safety Grant, per council: a later case may be the same
        # household again, so its safety grant allowance shows what is left (4.4.6)
        self.safety_homes: dict[str, list[tuple[str, str, int, str]]] = {}
        self.reminder_made = False  # one case of each generate() has its completion date coming up

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def add(self, entity: Entity, values: dict[str, Any]) -> str:
        id = values.pop("id", None) or self.uuid()
        stamp = self.store.clock.now()
        encoded = {k: encode(entity.fields[k], v) for k, v in values.items()}
        row = (id, 1, stamp, self.store.officer, 0,
               *(encoded.get(f, 0 if entity.fields[f] == "bool" else None) for f in entity.fields))
        self.batch.rows.setdefault(entity.table, []).append(row)
        changes = {k: journal_value(entity.fields[k], v) for k, v in encoded.items()
                   if k not in entity.local_fields and v is not None}
        self.batch.journal.append((self.store.device_id, self.tx, stamp, entity.name, id, "insert", 0, 1,
                                   self.store.officer, json.dumps(changes, sort_keys=True, separators=(",", ":"))))
        return id

    def flush(self) -> None:
        conn = self.store.conn
        entities = {e.table: e for e in (CASE, PERSON, PROPERTY, VISIT, FORM, HAZARD, WORKS_ITEM, DECISION, NOTE,
                                         CONTACT, STAGE_EVENT)}
        for table, rows in self.batch.rows.items():
            entity = entities[table]
            columns = (*SYNC_FIELDS, *entity.fields)
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
            conn.executemany(sql, rows)
        self.store.journal.append_many(self.batch.journal)
        conn.executemany("INSERT INTO case_search(rowid, reference, names, address, postcode) VALUES (?, ?, ?, ?, ?)",
                         self.batch.documents)
        self.batch = _Batch()


def _postcode(rng: random.Random, district: str) -> str:
    return f"{district} {rng.randint(0, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"


def _stage_dates(rng: random.Random, stage_index: int, as_of: date) -> dict[str, date | None]:
    """Dates for stages up to ``stage_index`` in order, ending no later than ``as_of``."""
    gaps = [0, rng.randint(1, 20), rng.randint(5, 60), rng.randint(7, 40), rng.randint(7, 45),
            rng.randint(3, 40), rng.randint(10, 120), rng.randint(14, 90), rng.randint(5, 60), rng.randint(2, 30)]
    span = sum(gaps[1:stage_index + 1])
    start = as_of - timedelta(days=span + rng.randint(0, 120))
    dates: dict[str, date | None] = {}
    when = start
    for i, key in enumerate(STAGE_KEYS):
        if i > stage_index:
            dates[key] = None
            continue
        when = when + timedelta(days=gaps[i])
        skipped = key in ("telephone_assessment", "contractor_visit") and 0 < i < stage_index and rng.random() < 0.15
        dates[key] = None if skipped else when
    return dates


def _completion_due(dates: dict[str, date | None], council: str, as_of: date) -> dict[str, date | None] | None:
    """The case's dates moved earlier, all by the same days, so its works must be completed
    DEMO_REMINDER_DAYS after ``as_of`` (the reminder letter is due); ``None`` when the case cannot
    be (its reference's year, taken from the enquiry date, would change). Draws nothing from the
    random streams, so every other demo fact is unchanged."""
    from heart_desktop.domain.policy import policy_set

    approved, enquiry = dates.get("approval"), dates.get("enquiry")
    if approved is None or enquiry is None:
        return None
    months = policy_set().for_case(council, as_of).count("dfg.completion_months")
    finish = as_of + timedelta(days=DEMO_REMINDER_DAYS)
    target = add_months(finish, -months)
    back = approved - target
    if back.days <= 0 or add_months(target, months) != finish or (enquiry - back).year != enquiry.year:
        return None
    return {key: (None if when is None else when - back) for key, when in dates.items()}


def generate(store: Store, cases: int, seed: int = 1, as_of: date = DEMO_AS_OF, batch_size: int = 2000,
             progress: Callable[[int], None] | None = None) -> int:
    """Add ``cases`` synthetic cases; returns how many. Same seed, same cases (ids, names, dates)."""
    rng = random.Random(seed)
    named = store.conn.execute("SELECT 1 FROM meta WHERE key = 'officer' UNION SELECT 1 FROM sync_state "
                               "WHERE key = 'officer'").fetchone()
    if named is None:  # the demo's "me", kept: a share of the cases is theirs (My cases), whoever logs in
        store.name_officer(store.officer)
    writer = _Writer(store, rng)
    conn = store.conn
    next_n = int(conn.execute("SELECT coalesce(max(n), 0) FROM cases").fetchone()[0]) + 1
    serial: dict[tuple[str, int], int] = {}
    for (ref,) in conn.execute("SELECT reference FROM cases"):
        council, year, number = ref.split("/")
        serial[(council, int(year))] = max(serial.get((council, int(year)), 0), int(number))
    councils = list(COUNCIL_WEIGHTS)
    weights = list(COUNCIL_WEIGHTS.values())
    with store.transaction():
        for i in range(cases):
            _one_case(writer, rng, next_n + i, rng.choices(councils, weights)[0], serial, as_of)
            if (i + 1) % batch_size == 0:
                writer.flush()
                if progress:
                    progress(i + 1)
        writer.flush()
        store.audit.append("demo", detail={"cases": cases, "seed": seed})
    if progress:
        progress(cases)
    return cases


def _one_case(w: _Writer, rng: random.Random, n: int, council: str, serial: dict[tuple[str, int], int],
              as_of: date) -> None:
    stage_index = rng.randrange(len(STAGE_KEYS))
    stage = STAGE_KEYS[stage_index]
    dates = _stage_dates(rng, stage_index, as_of)
    if not w.reminder_made and stage in ("approval", "works_start"):
        shifted = _completion_due(dates, council, as_of)
        if shifted is not None:
            dates, w.reminder_made = shifted, True
    check_stage_dates(dates, today=as_of)
    enquiry = dates["enquiry"] or as_of
    key = (council, enquiry.year % 100)
    serial[key] = serial.get(key, 0) + 1
    reference = f"{council}/{key[1]:02d}/{serial[key]:05d}"
    district, town = rng.choice(DISTRICTS[council])
    postcode = _postcode(rng, district)
    family = rng.choice(FAMILY_NAMES)
    applicant = (rng.choice(GIVEN_NAMES), family)
    urgent = rng.random() < 0.08
    flags = sorted(rng.sample(PRIORITY_FLAGS, rng.randint(1, 2))) if urgent else []
    officer = rng.choice(OFFICERS)
    tenure = rng.choice(TENURES)
    # council tenants' adaptations are the council's own works (4.1.12): HEART offers them the
    # home safety check, and assesses an adaptation the council then carries out itself
    assistance = (["Home Safety"] if tenure == "council_tenant"
                  else sorted(set(rng.sample(ASSISTANCE, rng.randint(1, 2)))))
    # a side stream for the award inputs, so the main stream (and every other demo fact) is unchanged
    side = random.Random(n * 7919 + 17)
    if tenure == "council_tenant" and side.random() < 0.5:
        assistance = ["DFG"]  # a major adaptation: the council-housing route
    if "HDG" in assistance and "hospital_discharge" not in flags:
        flags = sorted([*flags, "hospital_discharge"])  # what a Hospital Discharge Grant is for (4.3.1)
    applied = next((demo_answers.SCHEDULE_ASSISTANCE[a] for a in assistance
                    if a in demo_answers.SCHEDULE_ASSISTANCE), "DFG")
    earlier_home = None
    if w.safety_homes.get(council) and side.random() < 0.35:
        earlier_home = side.choice(w.safety_homes[council])
        postcode, town = earlier_home[0], earlier_home[1]
    # the casework facts come from a stream of their own, so every other demo fact is unchanged
    cw = random.Random(n * 104729 + 3)
    # the demo's "me" has a share of the cases (My cases is not empty); the forms keep the drawn name,
    # whose signature strokes come from the main stream
    assigned = w.store.officer if cw.random() < 0.3 else officer
    unallocated_draw = cw.random()
    role = "OT" if cw.random() < 0.2 else "HIO" if "WaSH" in assistance else "HAO"
    channel = cw.choice(CHANNELS)
    referrer = REFERRERS.get(channel)
    last_date = max(d for d in dates.values() if d)
    outcome = outcome_on = outcome_reason = None
    if stage == "signed_off" and cw.random() < 0.7:
        outcome, outcome_reason = "completed", "Works certified and signed off; customer satisfied."
    elif stage_index < STAGE_KEYS.index("approval") and cw.random() < 0.12:  # drop-outs before approval
        outcome = cw.choice(DROP_OUTS)
        outcome_reason = DROP_OUT_REASONS[outcome]
    if outcome:
        outcome_on = min(last_date + timedelta(days=cw.randint(1, 20)), as_of)
    suspended = None
    if outcome is None and cw.random() < 0.04:
        suspended = cw.choice(("local_funds", "customer"))
    sanction_draw = cw.random()
    case_id = w.uuid()
    planned_visit = None
    if stage in ("enquiry", "telephone_assessment") and rng.random() < 0.7:
        # a working day's share of visits falls on the day the demo is made for (as_of)
        ahead = 0 if rng.random() < 0.12 else rng.randint(1, 45)
        planned_visit = f"{as_of + timedelta(days=ahead)}T{rng.choice(('09:30', '11:00', '14:00'))}"
    # half the new enquiries with nothing booked yet wait to be allocated (5.5)
    allocated = not (stage == "enquiry" and planned_visit is None and unallocated_draw < 0.5)
    sanction = None  # a case taken out of order early on, with a team leader's written sanction (9.3)
    if outcome is None and allocated and stage_index <= 2 and sanction_draw < 0.08:
        sanction = (cw.choice(SANCTIONS), cw.choice(TEAM_LEADERS))
    w.add(CASE, {
        "id": case_id, "reference": reference, "council": council,
        "assigned_officer": assigned if allocated else None, "allocated_to": assigned if allocated else None,
        "allocated_role": role if allocated else None,
        "channel": channel, "referrer": referrer[0] if referrer else None,
        "referrer_contact": referrer[1] if referrer else None, "reason": cw.choice(REASONS),
        "contact_preference": "phone", "outcome": outcome, "outcome_on": outcome_on, "outcome_reason": outcome_reason,
        "suspended": suspended, "suspended_on": (as_of - timedelta(days=cw.randint(3, 40))) if suspended else None,
        "priority_reason": sanction[0] if sanction else None, "sanctioned_by": sanction[1] if sanction else None,
        "address": None,
        "assistance_types": assistance, "priority_flags": flags,
        "urgent": urgent, "urgent_reason": rng.choice(URGENT_REASONS) if urgent else None, "stage": stage,
        **{f"{k}_on": v for k, v in dates.items()},
        "stage_rank": STAGE_RANK[stage], "customer": " ".join(applicant), "postcode": postcode,
        "next_visit": None if outcome else planned_visit,
    })
    # household: the applicant, perhaps a partner, children or grandchildren
    people = [(applicant, True, as_of.year - rng.randint(25, 94), None)]
    for _ in range(rng.choices((0, 1, 2, 3), (30, 45, 17, 8))[0]):
        relationship = rng.choice(RELATIONSHIPS)
        young = relationship in ("son", "daughter", "grandchild")
        born = as_of.year - (rng.randint(2, 30) if young else rng.randint(25, 90))
        name = (rng.choice(GIVEN_NAMES), family if rng.random() < 0.8 else rng.choice(FAMILY_NAMES))
        people.append((name, False, born, relationship))
    disabled = rng.randrange(len(people))
    births = [date(born, rng.randint(1, 12), rng.randint(1, 28)) for _, _, born, _ in people]
    phone = f"07{rng.randint(700, 999)} {rng.randint(100000, 999999)}"
    for index, (name, is_applicant, _born, relationship) in enumerate(people):
        w.add(PERSON, {"case_id": case_id, "is_applicant": is_applicant, "is_disabled_person": index == disabled,
                       "given_name": name[0], "family_name": name[1], "date_of_birth": births[index],
                       "relationship": relationship, "phone": phone if is_applicant else None})
    number = rng.randint(1, 180)
    street = rng.choice(STREETS)
    if earlier_home is not None:
        number, street = earlier_home[2], earlier_home[3]
    years_owned = rng.randint(1, 45) if tenure == "owner" else None
    if years_owned is not None:  # nobody has owned a home for longer than they have been an adult
        years_owned = max(min(years_owned, as_of.year - people[0][2] - 18), 1)
    property_type = rng.choice(PROPERTY_TYPES)
    w.batch.rows["cases"][-1] = _with_address(w.batch.rows["cases"][-1], f"{number} {street}, {town}")
    w.add(PROPERTY, {"case_id": case_id, "address_line1": f"{number} {street}", "town": town, "postcode": postcode,
                     "tenure": tenure, "property_type": property_type, "bedrooms": rng.randint(1, 4),
                     "years_owned": years_owned,
                     "landlord": None if tenure == "owner" else "Landlord on file"})
    w.batch.documents.append((n, *search.document(reference, " ".join(" ".join(p[0]) for p in people),
                                                    f"{number} {street} {town}", postcode)))
    if planned_visit:
        w.add(VISIT, {"case_id": case_id, "scheduled_for": planned_visit, "kind": "assessment",
                      "status": "cancelled" if outcome else "planned", "officer": assigned,
                      "outcome": "cancelled_by_customer" if outcome else None})
    safety_pence = 0
    if dates["visit"]:
        visit_id = w.add(VISIT, {"case_id": case_id, "scheduled_for": f"{dates['visit']}T10:00",
                                 "kind": "assessment", "status": "done", "officer": assigned,
                                 "outcome": "done"})
        done = "complete" if stage_index > 2 else "draft"
        safety = demo_answers.home_safety_check(rng, dates["visit"], " ".join(applicant), agreed=done == "complete")
        safety_pence = demo_answers.safety_check_cost_pence(safety)
        w.add(FORM, {"case_id": case_id, "visit_id": visit_id, "form_id": "home_safety_check",
                     "form_version": demo_answers.FORM_VERSION, "status": done, "answers": safety})
        signed = bool(dates["application"])
        others = [(" ".join(p[0]), births[i], p[3] or "other") for i, p in enumerate(people)
                  if i != 0 and i != disabled]
        application = demo_answers.application_details(
            rng, applicant=(" ".join(applicant), births[0]),
            disabled=None if disabled == 0 else (" ".join(people[disabled][0]), births[disabled],
                                                people[disabled][3] or "other"),
            household=others, address=f"{number} {street}\n{town}", postcode=postcode, phone=phone,
            tenure=tenure, years_owned=years_owned, on=dates["application"] or dates["visit"],
            signed=signed or done == "complete",
            contribution=side.choice((0, 0, 1250, 2500, 4000)))
        w.add(FORM, {"case_id": case_id, "visit_id": visit_id, "form_id": "application_details",
                     "form_version": demo_answers.FORM_VERSION, "status": "signed" if signed else done,
                     "answers": application})
        _financial_form(w, n, case_id, visit_id, done, people, births, disabled, application, dates["visit"],
                        tenure, applied)
        if applied == "WaSH":
            w.add(FORM, {"case_id": case_id, "visit_id": visit_id, "form_id": "wash_assessment",
                         "form_version": demo_answers.FORM_VERSION, "status": done,
                         "answers": demo_answers.wash_assessment(side)})
        if stage_index > 2:
            w.add(FORM, {"case_id": case_id, "visit_id": visit_id, "form_id": "ot_needs_assessment",
                         "form_version": demo_answers.FORM_VERSION, "status": "signed",
                         "answers": demo_answers.ot_needs_assessment(
                             rng, dates["visit"], hospital_discharge="hospital_discharge" in flags,
                             ot_name=rng.choice(OT_NAMES), signed=True)})
        in_force = {h.key for h in hhsrs.scheme_for(dates["visit"]).hazards}
        ratings = [(hazard, rng.choice(LIKELIHOODS[2:]), rng.choice(HARMS), demo_answers.hazard_note(rng, hazard))
                   for hazard in rng.sample([h for h in HAZARDS if h in in_force], rng.randint(1, 3))]
        for hazard, likelihood, harm, note in ratings:
            w.add(HAZARD, {"case_id": case_id, "hazard": hazard, "likelihood": likelihood, "harm": list(harm),
                           "rated_on": dates["visit"], "notes": note,
                           **score_hazard(likelihood, harm, dates["visit"])})
        w.add(FORM, {"case_id": case_id, "visit_id": visit_id, "form_id": "hhsrs_assessment",
                     "form_version": demo_answers.FORM_VERSION, "status": "signed" if done == "complete" else done,
                     "answers": demo_answers.hhsrs_assessment(rng, dates["visit"], dwelling=property_type,
                                                              officer=officer, ratings=ratings,
                                                              signed=done == "complete")})
    total = 0
    if dates["quotation"] and (tenure != "council_tenant" or assistance == ["DFG"]):
        rows = []
        chosen = rng.sample(WORKS, rng.randint(2, 5))
        if applied == "HSG":  # minor works within the safety grant (4.4.3, 4.4.7)
            chosen = [w_ for w_ in WORKS if w_[4] * Decimal(w_[2]) <= 50000][:side.randint(1, 2)]
        for position, item in enumerate(chosen):
            location, description, quantity, unit, rate, vat = item
            stored = {"case_id": case_id, "position": position, "location": location, "description": description,
                      "quantity": Decimal(quantity), "unit": unit, "rate_pence": rate, "vat_percent": Decimal(vat)}
            w.add(WORKS_ITEM, stored)
            rows.append({**as_answer_row(stored), "kind": "works", "purpose": WORKS_PURPOSES.get(description, "b")})
            total += int(Decimal(quantity) * rate * (1 + Decimal(vat) / 100))
        # the schedule of works form holds the same rows; approved works are a settled schedule
        w.add(FORM, {"case_id": case_id, "form_id": "works_schedule", "form_version": demo_answers.FORM_VERSION,
                     "status": "complete" if dates["approval"] else "draft",
                     "answers": demo_answers.works_schedule(rng, dates["quotation"], assistance=assistance,
                                                            items=rows, reference=reference)})
    if applied == "HSG" and dates["works_complete"] and total:
        w.safety_homes.setdefault(council, []).append((postcode, town, number, street))
    if dates["approval"] and tenure == "council_tenant":
        w.add(DECISION, {"case_id": case_id, "kind": "assistance", "outcome": "approved",
                         "amount_pence": safety_pence, "reasons": ["4.4 Home Safety Grant"],
                         "decided_by": "Team manager", "decided_on": dates["approval"], "policy_version": "2021"})
    elif dates["approval"]:
        w.add(DECISION, {"case_id": case_id, "kind": "assistance", "outcome": "approved",
                         "amount_pence": min(total, 3_000_000), "reasons": ["4.1 DFG mandatory grant", "7.4 award"],
                         "decided_by": "Team manager", "decided_on": dates["approval"], "policy_version": "2021"})
    for _ in range(rng.choices((0, 1, 2, 3), (30, 40, 20, 10))[0]):
        w.add(NOTE, {"case_id": case_id, "body": rng.choice(NOTES).format(name=applicant[0]), "author": officer,
                     "written_at": f"{enquiry + timedelta(days=rng.randint(0, 30))}T12:00:00Z"})
    if dates["visit"] is None and planned_visit is None and outcome is None and allocated and cw.random() < 0.2:
        # a visit that found nobody in: the diary shows it, the stage stays where it was
        w.add(VISIT, {"id": _id(cw), "case_id": case_id,
                      "scheduled_for": f"{min(enquiry + timedelta(days=7), as_of)}T10:00",
                      "kind": "assessment", "status": "no_access", "officer": assigned, "outcome": "no_access"})
    _casework_rows(w, cw, case_id, dates, assigned if allocated else "Duty desk", " ".join(applicant), channel, as_of,
                   outcome, sanction)


def _with_address(row: tuple[Any, ...], address: str) -> tuple[Any, ...]:
    """The case row with its caseload address (a local column, like the customer's name)."""
    index = len(SYNC_FIELDS) + list(CASE.fields).index("address")
    return (*row[:index], address, *row[index + 1:])


def _id(stream: random.Random) -> str:
    """A row id from the casework stream (the main stream's ids stay as they were)."""
    return str(uuid.UUID(int=stream.getrandbits(128), version=4))


def _casework_rows(w: _Writer, cw: random.Random, case_id: str, dates: dict[str, date | None], officer: str,
                   customer: str, channel: str, as_of: date, outcome: str | None, sanction: Any) -> None:
    """Who set each stage date, and the contact log: the enquiry, calls and letters, a follow-up due."""
    for stage, when in dates.items():
        if when is None:
            continue
        who = "Duty desk" if stage == "enquiry" else officer
        w.add(STAGE_EVENT, {"id": _id(cw), "case_id": case_id, "stage": stage, "stage_on": when,
                            "event": EVENT_OF_STAGE[stage], "reason": None, "set_by": who,
                            "set_at": f"{when}T17:00:00.000Z"})
    enquiry = dates["enquiry"] or as_of
    kind = {"telephone": "call", "email": "email", "post": "letter", "in_person": "visit"}.get(channel, "email")
    w.add(CONTACT, {"id": _id(cw), "case_id": case_id, "at": f"{enquiry}T09:30", "kind": kind, "direction": "in",
                    "who": customer, "summary": "Enquiry taken at the duty desk.", "author": "Duty desk"})
    for _ in range(cw.randint(0, 3)):
        when = min(enquiry + timedelta(days=cw.randint(1, 60)), as_of)
        due = None
        if outcome is None and cw.random() < 0.3:
            due = as_of - timedelta(days=cw.randint(0, 3)) if cw.random() < 0.5 else as_of + timedelta(days=7)
            due = max(due, when)
        at = f"{when}T{cw.choice(('09:15', '11:40', '14:05', '16:20'))}"
        w.add(CONTACT, {"id": _id(cw), "case_id": case_id, "at": at,
                        **dict(zip(("kind", "direction", "summary"), cw.choice(CONTACT_SUMMARIES), strict=True)),
                        "who": customer, "follow_up_on": due, "author": officer})
    if sanction:
        w.add(NOTE, {"id": _id(cw), "case_id": case_id,
                     "body": f"Taken out of order, sanctioned by {sanction[1]} (policy 9.3): {sanction[0]}",
                     "author": sanction[1], "written_at": f"{enquiry}T15:00:00Z"})


def _financial_form(w: _Writer, n: int, case_id: str, visit_id: str, status: str, people: list[Any],
                    births: list[date], disabled: int, application: dict[str, Any], visit: date, tenure: str,
                    applied: str) -> None:
    """Most adult DFG cases visited have a financial assessment (from a stream of their own, so every
    other demo fact stays as it was): the Means test tab then has a test to show."""
    money = random.Random(n * 104729 + 5)
    rates = rate_book().on(visit)
    young, adult = rates.age("relevant_person.young_person_under"), rates.age("age.adult")
    age = age_on(births[disabled], visit)
    if applied != "DFG" or tenure == "council_tenant" or age < young or money.random() < 0.3:
        return
    partner = None
    if disabled == 0:
        partner = next(((" ".join(p[0]), births[i]) for i, p in enumerate(people) if p[3] in ("spouse", "partner")),
                       None)
    elif people[disabled][3] in ("spouse", "partner"):
        partner = (" ".join(people[0][0]), births[0])
    children = [(" ".join(p[0]), births[i]) for i, p in enumerate(people)
                if disabled == 0 and p[3] in ("son", "daughter") and age_on(births[i], visit) < young]
    known = {disabled, *(i for i, p in enumerate(people) if partner and " ".join(p[0]) == partner[0])}
    others = any(i not in known and age_on(births[i], visit) >= adult and (" ".join(p[0]), births[i]) not in children
                 for i, p in enumerate(people))
    benefits = application.get("benefits") or []
    w.add(FORM, {"case_id": case_id, "visit_id": visit_id, "form_id": "financial_assessment",
                 "form_version": demo_answers.FORM_VERSION, "status": status,
                 "answers": demo_answers.financial_assessment(money, age=age, partner=partner, children=children,
                                                              other_adults=others,
                                                              pension_age=rates.age("pension.qualifying_age"),
                                                              passport=benefits[0] if benefits else None)})


def demo_names(store: Store, limit: int = 50) -> Sequence[tuple[str, str, str]]:
    """(given name, family name, postcode) of some demo cases: for the plain-text leak test."""
    return store.conn.execute(
        "SELECT p.given_name, p.family_name, c.postcode FROM people p JOIN cases c ON c.id = p.case_id "
        "WHERE p.is_applicant = 1 LIMIT ?", (limit,)).fetchall()


def record_demo_decisions(store: Store) -> None:
    """The demo's approved cases get the decision their approval date implies, and its refused
    cases the refusal they were closed with (the demo generator writes stage dates, not decisions)."""
    from heart_desktop.domain.policy import policy_set

    version = policy_set().version
    rows = store.conn.execute(
        "SELECT id, coalesce(allocated_to, assigned_officer), approval_on, outcome, outcome_on, outcome_reason "
        "FROM cases c WHERE deleted = 0 AND (approval_on IS NOT NULL OR outcome = 'refused') AND NOT EXISTS "
        "(SELECT 1 FROM decisions d WHERE d.case_id = c.id AND d.kind = 'application' AND d.deleted = 0)").fetchall()
    with store.transaction():
        for case_id, officer, approval_on, outcome, outcome_on, reason in rows:
            refused = outcome == "refused" and not approval_on
            store.decisions.insert({
                "case_id": case_id, "kind": "application", "outcome": "refused" if refused else "approved",
                "reasons": [reason or "The works are not necessary and appropriate for the disabled person's needs"]
                if refused else ["The works are necessary and appropriate, and reasonable and practicable"],
                "decided_by": officer or store.officer, "decided_on": (outcome_on if refused else approval_on)[:10],
                "policy_version": version})


DEMO_APPEAL_STAGES = ("lodged", "supervisors_information", "supervisors_refused", "escalated", "senior_information",
                      "granted", "refused", "decided")


def record_demo_appeals(store: Store, as_of: date = DEMO_AS_OF) -> list[tuple[str, str]]:
    """One demo appeal at each stage of section 12 (``domain.appeals``), each step checked by the
    domain's rules as the app would check it: refused cases appeal the refusal (a special case);
    open cases appeal the assessment (technical, 12.4). Returns (case reference, stage) pairs; a
    store that already holds appeals gets none."""
    from heart_desktop.domain import appeals as ap

    if store.conn.execute("SELECT 1 FROM appeals LIMIT 1").fetchone():
        return []
    refused = [r[0] for r in store.conn.execute(
        "SELECT id FROM cases WHERE deleted = 0 AND outcome = 'refused' ORDER BY reference LIMIT 3")]
    open_ = [r[0] for r in store.conn.execute(
        "SELECT id FROM cases WHERE deleted = 0 AND outcome IS NULL AND visit_on IS NOT NULL ORDER BY reference "
        f"LIMIT {len(DEMO_APPEAL_STAGES)}")]
    rules = ap.appeal_rules(as_of)
    evidence = "Synthetic demo evidence: the officer's notes of the visit and a letter from the GP"
    made: list[tuple[str, str]] = []
    for index, stage in enumerate(DEMO_APPEAL_STAGES):
        special = stage in ("supervisors_refused", "escalated", "refused") and bool(refused)
        pool = refused if special else open_
        if not pool:
            continue
        case_id = pool.pop(0)
        day = as_of - timedelta(days=60 - index)
        kind = "special" if special else "technical"
        appeal = ap.check_lodge(rules, kind, "Demo appeal: the applicant says the assessment missed how often they "
                                "fall on the stairs", day, as_of, "the applicant", assisted=index % 2 == 0)
        keys = rules.kinds[kind].criteria if special else ("hhsrs_hazards",)
        for key in keys:
            claimed = not special or key in ("immediate_risk", "medical_condition", "no_means",
                                             "significant_reduction")
            appeal["answers"] = ap.check_answer(rules, appeal, key, evidence if claimed else "", claimed, as_of)
        if special:  # 12.14: independent medical advice sought on the medical criterion, and received
            appeal["answers"] = ap.check_advice(
                rules, appeal, requested_on=day + timedelta(days=1), source="independent occupational health adviser",
                received_on=day + timedelta(days=5), today=as_of, cost="180.00",
                summary="Synthetic demo advice: the stairs aggravate the condition; a stairlift would help")

        if stage != "lodged":
            first = {"supervisors_information": "further_information", "granted": "granted", "decided": "granted"}
            _demo_decide(rules, appeal, "supervisors", first.get(stage, "refused"), day + timedelta(days=7),
                         as_of, store.officer)
        if stage in ("escalated", "senior_information", "refused"):
            appeal["escalation"] = ap.check_escalation(rules, appeal, day + timedelta(days=9), as_of,
                                                       hearing="attends" if index % 2 else "written",
                                                       hearing_on=day + timedelta(days=20))
        if stage in ("senior_information", "refused"):
            _demo_decide(rules, appeal, "senior", "further_information" if stage == "senior_information" else "refused",
                         day + timedelta(days=21), as_of, store.officer)
        if stage == "decided":
            appeal["outcome"] = ap.check_outcome(rules, appeal, "standard", day + timedelta(days=8), as_of,
                                                 assistance_type="DFG", modification="Demo: limited to the stairlift")
        appeal["stage"] = ap.stage(appeal)
        assert appeal["stage"] == stage, (stage, appeal["stage"])
        with store.transaction():
            store.appeals.insert({**appeal, "case_id": case_id, "lodged_by": store.officer})
        made.append((str(store.cases.get(case_id)["reference"]), stage))
    return made


def _demo_decide(rules: Any, appeal: dict[str, Any], panel: str, decision: str, on: date, as_of: date,
                 officer: str) -> None:
    """One panel decision on a demo appeal, checked by the domain as the app checks it."""
    from heart_desktop.domain.appeals import check_decision

    entry = check_decision(
        rules, appeal, panel, decision, "Demo reasons: the panel weighed the evidence on the form against the "
        "assessment", on, as_of, decided_by=officer)
    appeal["decisions"] = [*appeal["decisions"], entry]
