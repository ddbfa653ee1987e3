"""What the demo plan says: a pump maker, its vision, units, people, objectives and actions.

Dates are relative so that the demo reads the same whatever day it is written on: a
``Period`` is (years after the current year, month), a ``CalendarDay`` is (years after the
current year, month, day), and an ``int`` day is a number of days after today.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from hoshin.domain.model import (
    Direction,
    Level,
    Organization,
    Person,
    RiskLevel,
    SituationItem,
    Strength,
    Unit,
)

Profile = Literal["ahead", "on", "amber", "red"]
Period = tuple[int, int]
CalendarDay = tuple[int, int, int]
Form = Literal["dates", "duration", "start"]

ORGANIZATION = Organization("Northbeck Pumps Ltd")
DOMAIN = "northbeck.example"
STATEMENT = (
    "By {horizon}, every Northbeck pump runs ten years without an unplanned stop, built "
    "by people who go home safe every day"
)
PURPOSE = "Keep water, heat and industry flowing for the communities our customers serve"
VALUES = (
    "Safety first, always",
    "Go and see for yourself",
    "Respect for every person",
    "The customer decides what quality is",
    "Improve a little every day",
)

# The current position the plan answers. Every weakness and threat is addressed but T2,
# which A4 answers without naming it (the assistant suggests it); O2 is left to the
# assistant too (T12 connects pumps).
SITUATION = (
    SituationItem("S1", "strength", "A 40-year name for pumps that run in the hardest duty"),
    SituationItem("S2", "strength", "Sixty service technicians within two hours of most sites"),
    SituationItem("S3", "strength", "Seal design and endurance testing done in-house"),
    SituationItem(
        "W1", "weakness", "24 warranty claims per 1,000 pumps, twice the industry's, most seals"
    ),
    SituationItem("W2", "weakness", "6 lost-time injuries per million hours, above our sector"),
    SituationItem("W3", "weakness", "Only 78% of orders ship on time in full; lead time 9 weeks"),
    SituationItem("O1", "opportunity", "Utilities want to buy guaranteed uptime, not spare parts"),
    SituationItem("O2", "opportunity", "Connected pumps let service see a failure coming"),
    SituationItem("T1", "threat", "Low-cost imports undercut our price on standard pumps by 25%"),
    SituationItem("T2", "threat", "A rival promises a technician on site within 4 hours"),
)
# objective -> the situation items it addresses
ADDRESSES: Mapping[str, tuple[str, ...]] = {
    "B1": ("W1", "T1"),
    "B2": ("O1",),
    "B3": ("W2",),
    "B4": ("W3", "T1"),
    "A1": ("W1",),
    "A3": ("O1",),
    "A5": ("W2",),
    "A7": ("W3",),
}
# risk -> how much it matters and what would show it is happening
RISK_SIGNS: Mapping[str, tuple[RiskLevel, str | None]] = {
    "Technicians keep using paper job sheets": (
        "low", "Over 20% of jobs still closed on paper after 4 weeks"
    ),
    "Guard supplier's lead time slips past 10 weeks": (
        "high", "No confirmed ship date 8 weeks before the due day"
    ),
    "The endurance rig breaks down mid-test": ("medium", "Two unplanned rig stops in a month"),
    "Customers will not let the kit onto their network": (
        "high", "Two of the first five sites refuse the network survey"
    ),
    "Too few qualified technicians on the job market": (
        "medium", "Under 3 qualified applicants a vacancy after 6 weeks"
    ),
    "The supplier asks for 40% up front": ("low", None),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """A metric and how its made-up history behaves (``profile`` sets its latest status)."""

    id: str
    name: str
    unit: str
    baseline: float
    target: float | None
    direction: Direction = "increase"
    profile: Profile = "on"
    decimals: int = 1
    rate: float | None = None
    compound: bool = False
    quarterly: bool = False
    band: tuple[float, float] | None = None
    cap: float | None = None  # the most the measure can be; 100 for a percentage
    pace: float = 0.8
    targets: tuple[tuple[int, float], ...] = ()
    since: Period | None = None
    weight: float = 1.0
    tolerance: float | None = None
    owner: str | None = None  # who enters its actuals when not the objective's owner


@dataclass(frozen=True, slots=True)
class ObjectiveSpec:
    """An objective; the title is a template with {y0}, {y}, {final} and {end}."""

    id: str
    title: str
    level: Level
    owner: str
    supports: Mapping[str, float] = field(default_factory=dict)
    metrics: tuple[MetricSpec, ...] = ()
    start: Period = (0, 1)
    end: Period = (0, 12)
    ends_after_today: int | None = None
    customer_benefit: str | None = None
    description: str | None = None
    tolerance: float | None = None


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """An action on its intended dates; ``form`` says which of them the plan file shows."""

    id: str
    title: str
    owner: str
    serves: tuple[str, ...]
    start: CalendarDay | int
    due: CalendarDay | int
    form: Form = "dates"
    moves: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    budget: float | None = None
    fte: float | None = None
    risks: tuple[tuple[str, str], ...] = ()
    progress: float | None = None


# Each unit's lead is told of its escalations (a missing actual, a red month): the chief
# executive, the operations director, and the head of each department.
UNITS = (
    Unit("exec", "Executive team", lead="okafor"),
    Unit("ops", "Operations", "exec", lead="nowak"),
    Unit("machining", "Machining", "ops", lead="eriksson"),
    Unit("assembly", "Assembly and test", "ops", lead="alvarez"),
    Unit("quality", "Quality", "exec", lead="larsen"),
    Unit("engineering", "Engineering", "exec", lead="chen"),
    Unit("service", "Sales and service", "exec", lead="martins"),
)

_PEOPLE = (
    ("okafor", "Margaret Okafor", "exec"),  # chief executive
    ("whitaker", "Daniel Whitaker", "exec"),  # finance
    ("raman", "Priya Raman", "exec"),  # people and training
    ("nowak", "Tomasz Nowak", "ops"),  # operations director
    ("rossi", "Elena Rossi", "ops"),  # purchasing
    ("hughes", "Gareth Hughes", "ops"),  # maintenance
    ("benali", "Fatima Benali", "ops"),  # health and safety
    ("eriksson", "Lars Eriksson", "machining"),
    ("mensah", "Aisha Mensah", "machining"),
    ("obrien", "Kevin O'Brien", "machining"),
    ("tanaka", "Yuki Tanaka", "machining"),
    ("alvarez", "Sofia Alvarez", "assembly"),
    ("reid", "Marcus Reid", "assembly"),
    ("schulz", "Hannah Schulz", "assembly"),
    ("patel", "Ravi Patel", "assembly"),
    ("larsen", "Ingrid Larsen", "quality"),
    ("haddad", "Omar Haddad", "quality"),
    ("dubois", "Chloe Dubois", "quality"),
    ("becker", "Jonas Becker", "quality"),
    ("chen", "Wei Chen", "engineering"),
    ("petrova", "Nadia Petrova", "engineering"),
    ("adeyemi", "Samuel Adeyemi", "engineering"),
    ("martins", "Laura Martins", "service"),
    ("walsh", "Patrick Walsh", "service"),
    ("lin", "Mei Lin", "service"),
    ("mendes", "Carlos Mendes", "service"),
    ("johansson", "Emma Johansson", "service"),
    ("kim", "Grace Kim", "service"),
)


def _email(name: str) -> str:
    first, last = name.lower().replace("'", "").split(" ", 1)
    return f"{first}.{last.replace(' ', '')}@{DOMAIN}"


PEOPLE = tuple(Person(key, name, unit, _email(name)) for key, name, unit in _PEOPLE)
UNIT_OF = {person.id: person.unit for person in PEOPLE}

FIRST: Period = (-1, 1)  # breakthroughs run five years from January of last year
FINAL: Period = (3, 12)


def _breakthrough(
    key: str, title: str, owner: str, metrics: tuple[MetricSpec, ...], benefit: str | None
) -> ObjectiveSpec:
    return ObjectiveSpec(
        key, title, "breakthrough", owner, {}, metrics, FIRST, FINAL, customer_benefit=benefit
    )


BREAKTHROUGHS = (
    _breakthrough(
        "B1",
        "Halve warranty claims every year: from 24 to under 1 per 1,000 pumps by Dec {final}",
        "larsen",
        (
            MetricSpec(
                "warranty-claims",
                "Warranty claims per 1,000 pumps shipped, rolling 12 months",
                "claims per 1,000",
                24,
                None,
                "decrease",
                decimals=2,
                rate=-0.5,
                pace=0.4,
                owner="haddad",  # the quality engineer keeps the warranty figures
            ),
        ),
        "A pump that is bought once and then forgotten",
    ),
    _breakthrough(
        "B2",
        "Grow service revenue 20% a year, from EUR 18M to EUR 45M by Dec {final}",
        "martins",
        (
            MetricSpec(
                "service-revenue",
                "Service revenue, rolling 12 months",
                "EUR M",
                18,
                None,
                profile="amber",
                decimals=2,
                rate=0.2,
                pace=0.4,
                owner="whitaker",  # finance closes the revenue each month
            ),
        ),
        "Customers buy uptime, not spare parts",
    ),
    _breakthrough(
        "B3",
        "Zero harm: cut lost-time injuries from 6.0 to 1.0 per million hours by Dec {final}",
        "okafor",
        (
            MetricSpec(
                "ltifr",
                "Lost-time injury frequency, rolling 12 months",
                "per million hours",
                6,
                1,
                "decrease",
                decimals=2,
                pace=0.4,
                owner="benali",  # health and safety counts the injuries and hours
            ),
        ),
        None,
    ),
    _breakthrough(
        "B4",
        "Ship 97% of orders on time in full (from 78%) in 4 weeks (from 9) by Dec {final}",
        "nowak",
        (
            MetricSpec(
                "otif",
                "Orders shipped on time in full",
                "%",
                78,
                97,
                profile="amber",
                pace=0.4,
                weight=2,
            ),
            MetricSpec("lead-time", "Order-to-ship lead time", "weeks", 9, 4, "decrease", pace=0.4),
        ),
        "Pumps arrive on the day the installer is booked",
    ),
)

ANNUAL = (
    ObjectiveSpec(
        "A1",
        "Cut seal failures, our top warranty cause, from 5.0 to 2.5 per 1,000 pumps by Dec {y}",
        "annual",
        "larsen",
        {"B1": 1},
        (
            MetricSpec(
                "seal-failures",
                "Seal failures in the field per 1,000 pumps",
                "per 1,000",
                5,
                2.5,
                "decrease",
                "red",
                decimals=2,
                owner="dubois",  # the field-failure analyst of quality
            ),
        ),
        description="Seal leaks are 41% of warranty claims in the last 3 years' Pareto",
    ),
    ObjectiveSpec(
        "A2",
        "Raise first-pass yield at final test from 91% to 96% by Dec {y}",
        "annual",
        "alvarez",
        {"B1": 1},
        (MetricSpec("fpy", "First-pass yield at final test", "%", 91, 96, profile="ahead"),),
    ),
    ObjectiveSpec(
        "A3",
        "Grow active service contracts from 640 to 800 by Dec {y}",
        "annual",
        "martins",
        {"B2": 1},
        (
            MetricSpec(
                "service-contracts", "Active service contracts", "contracts", 640, 800, decimals=0
            ),
        ),
    ),
    ObjectiveSpec(
        "A4",
        "Reach 90% of service call-outs on site within 4 hours (from 72%) by Dec {y}",
        "annual",
        "walsh",
        {"B2": 1},
        (
            MetricSpec(
                "callout-4h",
                "Call-outs on site within 4 hours",
                "%",
                72,
                90,
                profile="red",
                owner="kim",  # the service desk logs every call-out
            ),
        ),
        customer_benefit="A stopped pump is running again the same morning",
    ),
    ObjectiveSpec(
        "A5",
        "Cut lost-time injuries from 5.0 to 4.0 per million hours by Dec {y}",
        "annual",
        "benali",
        {"B3": 1},
        (
            MetricSpec(
                "ltifr-year",
                "Lost-time injury frequency, this year",
                "per million hours",
                5,
                4,
                "decrease",
                decimals=2,
            ),
        ),
    ),
    ObjectiveSpec(
        "A6",
        "Close 95% of near-miss reports within 14 days (from 68%) by Dec {y}",
        "annual",
        "benali",
        {"B3": 1},
        (
            MetricSpec(
                "near-miss-closed",
                "Near-miss reports closed in 14 days",
                "%",
                68,
                95,
                profile="amber",
            ),
        ),
    ),
    ObjectiveSpec(
        "A7",
        "Raise assembly schedule adherence from 80% to 92% by Dec {y}",
        "annual",
        "alvarez",
        {"B4": 1},
        (
            MetricSpec(
                "schedule-adherence",
                "Assembly orders finished on the planned day",
                "%",
                80,
                92,
                profile="red",
                since=(-1, 9),  # measured since the line 1 re-layout last September
                targets=((8, 87),),  # the August shutdown: the plan holds July's level
            ),
        ),
        # Adherence is the promise to customers: a slip of 5% of the gain is already red.
        tolerance=0.05,
    ),
    ObjectiveSpec(
        "A8",
        "Cut work in progress from 14 to 8 days of output by Dec {y}",
        "annual",
        "eriksson",
        {"B4": 1},
        (MetricSpec("wip-days", "Work in progress", "days of output", 14, 8, "decrease"),),
    ),
    ObjectiveSpec(
        "A9",
        "Keep finished-goods stock between 4 and 6 weeks of cover in every month of {y}",
        "annual",
        "nowak",
        {"B4": 1, "B2": 0.5},
        (MetricSpec("fg-cover", "Finished-goods stock", "weeks of cover", 5, None, band=(4, 6)),),
        description="Enough stock to ship spares in 24 hours without tying up cash",
    ),
)


def _team(
    key: str, title: str, owner: str, supports: dict[str, float], metric: MetricSpec, end: int = 12
) -> ObjectiveSpec:
    return ObjectiveSpec(key, title, "team", owner, supports, (metric,), end=(0, end))


TEAM = (
    _team(
        "T1",
        "Check 100% of seal faces for flatness before assembly by Jun {y} (from 55%)",
        "haddad",
        {"A1": 1},
        MetricSpec("seal-checks", "Seal faces checked for flatness", "%", 55, 100, pace=0.5),
        end=6,
    ),
    _team(
        "T2",
        "Close 85% of complaint 8D reports within 30 days (from 40%) by Dec {y}",
        "dubois",
        {"A1": 0.6, "A2": 0.4},
        MetricSpec(
            "8d-on-time", "8D reports closed within 30 days", "%", 40, 85, profile="amber", pace=0.5
        ),
    ),
    _team(
        "T3",
        "Cut final-test leak failures from 4.5% to 1.5% of pumps by Dec {y}",
        "schulz",
        {"A2": 1},
        MetricSpec(
            "test-leaks", "Pumps failing the leak test", "%", 4.5, 1.5, "decrease", decimals=2
        ),
    ),
    _team(
        "T4",
        "Halve machining defects from 1,800 to 900 parts per million by Dec {y}",
        "eriksson",
        {"A2": 1},
        MetricSpec(
            "machining-ppm",
            "Machined parts rejected",
            "ppm",
            1800,
            900,
            "decrease",
            "ahead",
            decimals=0,
            compound=True,
            owner="tanaka",  # the machining inspector counts the rejects
        ),
    ),
    _team(
        "T5",
        "Cut changeover time on CNC cells 1-4 from 95 to 45 minutes by Dec {y}",
        "obrien",
        {"A8": 1},
        MetricSpec("changeover", "Average changeover", "minutes", 95, 45, "decrease"),
    ),
    _team(
        "T6",
        "Fit interlocked guards to all 38 machining centres by Oct {y} (from 22)",
        "hughes",
        {"A5": 1},
        MetricSpec(
            "guarded-machines",
            "Machining centres with interlocked guards",
            "machines",
            22,
            38,
            decimals=0,
            cap=38,
            pace=0.5,
        ),
        end=10,
    ),
    _team(
        "T7",
        "Raise line 2 schedule adherence from 78% to 92% by Dec {y}",
        "reid",
        {"A7": 1},
        MetricSpec(
            "line2-adherence",
            "Line 2 orders finished on the planned day",
            "%",
            78,
            92,
            profile="amber",
        ),
    ),
    _team(
        "T8",
        "Cut assembly stock-outs from 35 to 5 a month with kanban on 120 parts by Sep {y}",
        "patel",
        {"A8": 1, "A9": 0.5},
        MetricSpec(
            "stock-outs",
            "Assembly stops for a missing part",
            "per month",
            35,
            5,
            "decrease",
            decimals=0,
        ),
        end=9,
    ),
    _team(
        "T9",
        "Run 60 safety walks a month in machining and assembly (from 30) by Dec {y}",
        "benali",
        {"A6": 1, "A5": 0.5},
        MetricSpec("safety-walks", "Safety walks done", "per month", 30, 60, decimals=0, pace=0.4),
    ),
    ObjectiveSpec(
        "T10",
        "Commission powder-coating line 3 at 40 pump casings an hour by {end}",
        "team",
        "nowak",
        {"A7": 0.5, "A8": 0.5},
        start=(-1, 9),
        ends_after_today=5,
        description="Brings coating in-house: casings now wait 6 days at an outside coater",
    ),
    _team(
        "T11",
        "Cut seal-face wear on the test rig from 12 to 4 microns per 1,000 hours by Aug {y}",
        "petrova",
        {"A1": 1},
        MetricSpec(
            "seal-wear",
            "Seal-face wear on the endurance rig",
            "microns per 1,000 h",
            12,
            4,
            "decrease",
            "ahead",
        ),
        end=8,
    ),
    ObjectiveSpec(
        "T12",
        "Connect 300 installed pumps to remote monitoring (from 120) by Nov {y}",
        "team",
        "adeyemi",
        {"A3": 1},
        (
            MetricSpec(
                "connected-pumps",
                "Installed pumps sending data",
                "pumps",
                120,
                300,
                decimals=0,
                pace=0.3,
            ),
        ),
        end=(0, 11),
        customer_benefit="Customers hear about a failing bearing weeks before it stops a plant",
    ),
    _team(
        "T13",
        "Turn 25% of expiring warranties into service contracts (from 15%) by Dec {y}",
        "lin",
        {"A3": 1},
        MetricSpec(
            "warranty-conversion", "Expiring warranties renewed as contracts", "%", 15, 25, pace=0.6
        ),
    ),
    _team(
        "T14",
        "Raise our customers' net promoter score from 32 to 45 by Dec {y}",
        "mendes",
        {"A4": 1, "A3": 0.5},
        MetricSpec(
            "nps",
            "Net promoter score (quarterly survey)",
            "points",
            32,
            45,
            profile="ahead",
            decimals=0,
            quarterly=True,
            tolerance=0.15,  # a survey of 60 customers is noisy
        ),
    ),
    _team(
        "T15",
        "Dispatch 85% of service calls within 30 minutes (from 55%) by Dec {y}",
        "johansson",
        {"A4": 1},
        MetricSpec(
            "dispatch-30min",
            "Calls dispatched within 30 minutes",
            "%",
            55,
            85,
            profile="amber",
            pace=0.6,
        ),
    ),
)


def _individual(
    key: str, title: str, owner: str, supports: str, metric: MetricSpec
) -> ObjectiveSpec:
    return ObjectiveSpec(key, title, "individual", owner, {supports: 1}, (metric,))


INDIVIDUAL = (
    _individual(
        "I1",
        "Cut the flatness check from 6 to 2 minutes a seal by Dec {y}",
        "becker",
        "T1",
        MetricSpec("check-time", "Flatness check time", "minutes", 6, 2, "decrease"),
    ),
    _individual(
        "I2",
        "Cut porosity rejects on bought-in castings from 3.2% to 1.0% by Dec {y}",
        "dubois",
        "T3",
        MetricSpec(
            "porosity", "Castings rejected for porosity", "%", 3.2, 1, "decrease", "amber", 2
        ),
    ),
    _individual(
        "I3",
        "Cut first-article inspection on the CMM from 4.0 to 1.5 hours by Dec {y}",
        "tanaka",
        "T4",
        MetricSpec(
            "fai-hours", "First-article inspection", "hours", 4, 1.5, "decrease", decimals=2
        ),
    ),
    _individual(
        "I4",
        "Pre-stage 95% of cell 1 changeovers on a kit cart (from 50%) by Dec {y}",
        "mensah",
        "T5",
        MetricSpec("kit-carts", "Changeovers pre-staged", "%", 50, 95, pace=0.5),
    ),
    _individual(
        "I5",
        "Lift line 2 OEE from 61% to 72% by Dec {y}",
        "reid",
        "T7",
        MetricSpec("line2-oee", "Line 2 OEE", "%", 61, 72, profile="amber"),
    ),
    _individual(
        "I6",
        "Raise supplier on-time delivery of kanban parts from 85% to 98% by Dec {y}",
        "rossi",
        "T8",
        MetricSpec("supplier-otd", "Kanban parts delivered on time", "%", 85, 98),
    ),
    _individual(
        "I7",
        "Raise safety training completion from 70% to 98% of staff by Dec {y}",
        "raman",
        "T9",
        MetricSpec("safety-training", "Staff with current safety training", "%", 70, 98, pace=0.6),
    ),
    _individual(
        "I8",
        "Cut the cartridge seal's unit cost from EUR 62 to EUR 48 by Dec {y}",
        "petrova",
        "T11",
        MetricSpec("seal-cost", "Cartridge seal unit cost", "EUR", 62, 48, "decrease", "ahead", 2),
    ),
    _individual(
        "I9",
        "Cut remote-monitoring kit install time from 6 to 2 hours by Dec {y}",
        "adeyemi",
        "T12",
        MetricSpec("kit-install", "Kit install time", "hours", 6, 2, "decrease", decimals=2),
    ),
    _individual(
        "I10",
        "Quote 90% of contract renewals 60 days before expiry (from 50%) by Dec {y}",
        "lin",
        "T13",
        MetricSpec("early-quotes", "Renewals quoted 60 days ahead", "%", 50, 90, pace=0.5),
    ),
    _individual(
        "I11",
        "Cut average dispatch time from 50 to 20 minutes by Dec {y}",
        "johansson",
        "T15",
        MetricSpec(
            "dispatch-time", "Average time to dispatch", "minutes", 50, 20, "decrease", "amber", 0
        ),
    ),
    _individual(
        "I12",
        "Call back 100% of detractors within 48 hours (from 60%) by Dec {y}",
        "kim",
        "T14",
        MetricSpec("callbacks", "Detractors called back within 48 hours", "%", 60, 100, pace=0.5),
    ),
)

OBJECTIVES = BREAKTHROUGHS + ANNUAL + TEAM + INDIVIDUAL

# The links that are not strong, (from, to) -> strength: the X-matrix's ○ and △. A second
# objective supported at a lower weight is helped less directly; a survey moves NPS only weakly.
WEAKER_LINKS: Mapping[tuple[str, str], Strength] = {
    ("A9", "B2"): "medium",
    ("T2", "A2"): "medium",
    ("T8", "A9"): "medium",
    ("T9", "A5"): "weak",
    ("T14", "A3"): "medium",
    ("a22", "T14"): "medium",
    ("a22", "nps"): "weak",
}

ACTIONS = (
    ActionSpec(
        "a1",
        "Pareto 3 years of warranty claims by failure mode",
        "larsen",
        ("B1",),
        (-1, 2, 2),
        (-1, 3, 27),
        fte=0.2,
    ),
    ActionSpec(
        "a2",
        "Pilot 8D problem solving on the 10 worst complaints",
        "haddad",
        ("B1",),
        (-1, 4, 1),
        (-1, 9, 30),
        requires=("a1",),
        fte=0.3,
    ),
    ActionSpec(
        "a3",
        "Choose a field-service system from 4 shortlisted vendors",
        "walsh",
        ("B2",),
        (-1, 3, 2),
        (-1, 6, 30),
        budget=15_000,
        fte=0.2,
    ),
    ActionSpec(
        "a4",
        "Take the field-service system live in 3 regions",
        "walsh",
        ("A4",),
        (-1, 7, 1),
        (0, 2, 27),
        moves=("callout-4h",),
        requires=("a3",),
        budget=240_000,
        fte=0.4,
        risks=(
            (
                "Technicians keep using paper job sheets",
                "A super-user in every region; paper sheets withdrawn after 4 weeks",
            ),
        ),
    ),
    ActionSpec(
        "a5",
        "Run a safety culture survey of all 1,100 staff",
        "benali",
        ("B3",),
        (-1, 3, 2),
        (-1, 4, 30),
        form="start",
        budget=12_000,
    ),
    ActionSpec(
        "a6",
        "Design a go/no-go flatness gauge for seal faces",
        "becker",
        ("T1",),
        (0, 1, 6),
        (0, 2, 27),
        moves=("seal-checks",),
        budget=18_000,
        fte=0.3,
    ),
    ActionSpec(
        "a7",
        "Train 24 seal assemblers on the gauge across 3 shifts",
        "haddad",
        ("T1", "I1"),
        (0, 3, 2),
        (0, 4, 30),
        form="duration",
        requires=("a6",),
        fte=0.2,
    ),
    ActionSpec(
        "a8",
        "Log leak-test data on all 4 test benches",
        "schulz",
        ("T3",),
        (0, 2, 2),
        (0, 5, 29),
        budget=26_000,
        fte=0.2,
    ),
    ActionSpec(
        "a9",
        "Find the top 3 leak paths with a designed experiment",
        "schulz",
        ("T3",),
        (0, 6, 1),
        (0, 8, 31),
        form="start",
        moves=("test-leaks",),
        requires=("a8",),
        fte=0.3,
    ),
    ActionSpec(
        "a10",
        "Run a SMED workshop on CNC cell 1",
        "obrien",
        ("T5", "I4"),
        (0, 1, 12),
        (0, 3, 13),
        budget=8_000,
        fte=0.3,
    ),
    ActionSpec(
        "a11",
        "Roll the SMED standard out to CNC cells 2-4",
        "obrien",
        ("T5",),
        (0, 3, 16),
        (0, 7, 10),
        form="duration",
        moves=("changeover",),
        requires=("a10",),
        fte=0.4,
    ),
    ActionSpec(
        "a12",
        "Fit interlocked guards to 16 machining centres",
        "tanaka",
        ("T6",),
        (0, 3, 2),
        (0, 9, 30),
        moves=("guarded-machines",),
        budget=180_000,
        fte=0.3,
        risks=(
            (
                "Guard supplier's lead time slips past 10 weeks",
                "A second supplier has quoted; light curtains as a stopgap",
            ),
        ),
    ),
    ActionSpec(
        "a13",
        "Install kanban racks and cards for 120 part numbers",
        "patel",
        ("T8",),
        (0, 2, 2),
        (0, 6, 26),
        moves=("stock-outs",),
        budget=35_000,
        fte=0.5,
    ),
    ActionSpec(
        "a14",
        "Start a daily 10-minute tier-1 meeting on line 2",
        "reid",
        ("T7",),
        (0, 1, 12),
        (0, 3, 31),
        fte=0.1,
    ),
    ActionSpec(
        "a15",
        "Rebalance line 2 to a 6-minute takt",
        "reid",
        ("T7", "I5"),
        (0, 4, 6),
        (0, 6, 19),
        form="start",
        moves=("line2-adherence", "line2-oee"),
        requires=("a14",),
        fte=0.3,
    ),
    ActionSpec(
        "a16",
        "Train 12 team leaders to lead safety walks",
        "raman",
        ("T9",),
        (0, 2, 2),
        (0, 4, 24),
        moves=("safety-walks",),
        budget=9_000,
        fte=0.2,
    ),
    ActionSpec(
        "a17",
        "Put the near-miss app on 30 shop-floor tablets",
        "benali",
        ("A6",),
        (0, 3, 2),
        (0, 5, 29),
        moves=("near-miss-closed",),
        budget=14_000,
        fte=0.2,
    ),
    ActionSpec(
        "a18",
        "Run 5,000 rig hours on cartridge seal design B",
        "petrova",
        ("T11",),
        (0, 1, 5),
        (0, 7, 31),
        moves=("seal-wear",),
        budget=60_000,
        fte=0.3,
        risks=(
            (
                "The endurance rig breaks down mid-test",
                "The university's rig is booked as a backup",
            ),
        ),
    ),
    ActionSpec(
        "a19",
        "Release the cartridge seal to production drawings",
        "chen",
        ("T11",),
        (0, 8, 3),
        (0, 8, 28),
        form="duration",
        requires=("a18",),
        fte=0.2,
    ),
    ActionSpec(
        "a20",
        "Fit remote-monitoring kits to 180 installed pumps",
        "adeyemi",
        ("T12",),
        (0, 3, 2),
        (0, 11, 13),
        moves=("connected-pumps",),
        budget=310_000,
        fte=0.5,
        risks=(
            (
                "Customers will not let the kit onto their network",
                "Offer a cellular gateway that stays off the customer's network",
            ),
        ),
    ),
    ActionSpec(
        "a21",
        "Call every customer 90 days before their warranty ends",
        "lin",
        ("T13",),
        (0, 2, 2),
        (0, 12, 18),
        moves=("warranty-conversion",),
        fte=0.3,
    ),
    ActionSpec(
        "a22",
        "Survey customers each quarter and call back every detractor",
        "mendes",
        ("T14",),
        (0, 1, 5),
        (0, 12, 18),
        moves=("nps",),
        budget=20_000,
        fte=0.2,
    ),
    ActionSpec(
        "a23",
        "Route service calls by skill and postcode",
        "johansson",
        ("T15",),
        (0, 4, 6),
        (0, 6, 26),
        form="start",
        moves=("dispatch-30min",),
        requires=("a4",),
        budget=30_000,
        fte=0.3,
    ),
    ActionSpec(
        "a24",
        "Hire and onboard 6 field technicians",
        "walsh",
        ("A4",),
        (0, 2, 2),
        (0, 7, 31),
        moves=("callout-4h",),
        budget=420_000,
        fte=0.3,
        risks=(
            (
                "Too few qualified technicians on the job market",
                "Two apprentices from the college programme and an agency partner",
            ),
        ),
    ),
    ActionSpec(
        "a25",
        "Set min/max stock levels for the 40 best-selling pumps",
        "patel",
        ("A9",),
        (0, 1, 12),
        (0, 2, 27),
        moves=("fg-cover",),
        fte=0.3,
    ),
    ActionSpec(
        "a26",
        "Pilot a predictive-maintenance contract with 5 water utilities",
        "martins",
        ("B2",),
        (0, 9, 1),
        (1, 3, 31),
        budget=80_000,
        fte=0.3,
    ),
    ActionSpec(
        "a27",
        "Open a service hub at the Rotterdam port",
        "martins",
        ("B2",),
        (1, 3, 1),
        (1, 9, 30),
        budget=650_000,
        fte=0.5,
        risks=(
            (
                "The workshop permit takes more than 6 months",
                "Rent a serviced unit while the permit runs",
            ),
        ),
    ),
    # Powder-coating line 3 runs on days from today: its contract is late, so the chain
    # behind T10 cannot make the deadline, and Gareth Hughes is booked above 1.0 FTE.
    ActionSpec(
        "a28",
        "Sign the supply contract for powder-coating line 3",
        "rossi",
        ("T10",),
        -75,
        -18,
        progress=80,
        risks=(("The supplier asks for 40% up front", "Finance offers a bank guarantee instead"),),
    ),
    ActionSpec(
        "a29",
        "Install powder-coating line 3",
        "hughes",
        ("T10",),
        1,
        90,
        form="duration",
        requires=("a28",),
        budget=1_400_000,
        risks=(("Parts of the line arrive missing", "The supplier's engineer stays on site"),),
    ),
    ActionSpec(
        "a30",
        "Commission line 3 and pass the 1,000-hour salt-spray test",
        "tanaka",
        ("T10",),
        91,
        135,
        form="duration",
        requires=("a29",),
    ),
    ActionSpec(
        "a31",
        "Ramp line 3 up to 40 casings an hour",
        "alvarez",
        ("T10",),
        136,
        195,
        form="duration",
        requires=("a30",),
        fte=0.5,
    ),
    ActionSpec(
        "a32",
        "Move CNC cell 5 to make room for line 3",
        "hughes",
        ("T10",),
        -20,
        40,
        budget=45_000,
        fte=0.6,
    ),
    ActionSpec(
        "a33",
        "Lay the foundations and utilities for line 3",
        "hughes",
        ("T10",),
        -10,
        50,
        budget=120_000,
        fte=0.5,
    ),
)

# metric -> (cause, action, owner) of this month's open countermeasure, then of a closed one
# three months earlier.
COUNTERMEASURES: dict[str, tuple[tuple[str, str, str], tuple[str, str, str]]] = {
    "seal-failures": (
        (
            "3,000 seal springs from a new supplier lose preload in hot-water duty",
            "Quarantine the batch, re-spring 210 pumps in the field, preload test at goods-in",
            "dubois",
        ),
        (
            "Assembly grease was changed without a trial",
            "Back to the approved grease; change control for every consumable",
            "haddad",
        ),
    ),
    "schedule-adherence": (
        (
            "Casings come back late from the outside coater (a 6-day queue)",
            "Daily call with the coater and two extra trucks a week until line 3 runs",
            "alvarez",
        ),
        (
            "Two test benches were down for recalibration at once",
            "Calibrate one bench per weekend from now on",
            "schulz",
        ),
    ),
}
