"""The demo's results chain as records. Valdoria's come from the loose tables it first wrote
(`plan_tables` in belong/demo/valdoria.yaml) by the same rules as an existing region's answers
(belong/services/records_from_answers.py), then are completed as a team would: each specific
objective served by an action and measured by an indicator, every principle tracked, each
action's budget spread over its years with the status of each funding line, the training plan
costed as an action, and the costs beyond the actions (coordination, evaluation, surveys,
reporting) as cost lines. Nordmark has just begun: two priority areas and one objective."""

from __future__ import annotations

from datetime import date

from belong.models import Region, User
from belong.services import records as record_service
from belong.services.records_from_answers import convert

# Where a funding source stands, per year (as the budget summary says): the regional budget
# is voted for 2026-2027, ESF+ allocated; the other calls are still open.
SECURED_UNTIL = {"regional budget": 2027, "esf+": 2030, "casa aperta foundation in kind": 2030}
TO_BE_SOUGHT = {"erasmus+ teacher mobility"}

# Action (start of its title) -> policy areas, and the specific objectives (start of their
# statement) it also serves beyond the one its row named.
ACTIONS = {
    "Regional interpreting": (["public_services"], []),
    "Diversity monitoring": (["public_services", "commitment"], []),
    "Anti-discrimination outreach": (
        ["anti_discrimination", "mediation"],
        ["Non-discrimination clauses"],
    ),
    "Valdoria Recognises": (["labour_market"], ["150 employers"]),
    "Language-and-work": (["labour_market", "language"], []),
    "Intercultural schools": (["education"], ["Early school leaving", "A regional plan to reduce"]),
    "Shared neighbourhood": (["public_space", "neighbourhoods"], []),
    "Anti-rumour": (["media"], []),
    "Reform of the Regional Council": (["participation"], ["40 graduates"]),
    "Leadership programme": (["leadership_citizenship"], []),
}
ACTION_PRINCIPLES = {
    "Valdoria Recognises": ["diversity_advantage", "real_equality"],
    "Anti-rumour": ["interaction"],
    "Reform of the Regional Council": ["participation"],
}
TRAINING = {
    "title": "Intercultural competence training plan",
    "description": (
        "Online modules, learning labs and workshops for front-line staff, managers, teachers "
        "and partner organisations, with a train-the-trainers scheme; the training chapter "
        "gives the groups, formats and schedule."
    ),
    "lead": "Regional School of Public Administration",
    "partners": "University of Porto Valdo; FAMV; Casa Aperta Foundation",
    "start": "2026-01-01",
    "end": "2030-12-31",
    "policy_areas": ["competence"],
    "principles": ["real_equality", "interaction"],
    "milestones": [
        {"milestone": "Online module open to all regional staff", "date": "2026-09-30"},
        {"milestone": "20 in-house trainers certified", "date": "2027-12-31"},
    ],
    "amount": 780000,
    "source": "Regional budget",
    "serves": ["Interpreting or mediation", "60 schools"],
}
# Indicator (start of its name) -> type, principles, objective measured (start of statement).
INDICATORS = {
    "Overall intercultural self-assessment score": (
        "impact",
        ["real_equality", "diversity_advantage", "interaction", "participation"],
        None,
    ),
    "Employment rate gap": ("impact", ["real_equality"], "1,500 women"),
    "Average time to recognition": ("outcome", ["diversity_advantage"], "Average time"),
    "Early school leaving": ("outcome", ["real_equality"], "Early school leaving"),
    "Staff trained": ("output", ["real_equality", "interaction"], None),
    "Residents reporting positive contact": ("outcome", ["interaction"], "Weekly positive"),
    "Discrimination reports": ("outcome", ["real_equality"], "Reports to the Equality"),
    "Health and social care consultations": ("output", ["real_equality"], "Interpreting"),
}
# The diagnosis finding behind each priority area, by its title.
PRIORITY_FINDINGS = {
    "Fair and accessible public services": (
        "Self-assessment: public services 21 and anti-discrimination 36 out of 100, among the "
        "weakest areas. Diagnosis: 27% of respondents born abroad reported discrimination in "
        "the past year (Living Together Survey 2025)."
    ),
    "Work, skills and recognition": (
        "Self-assessment: language 43 out of 100. Diagnosis: the employment rate of women born "
        "outside the EU is 24 points below that of all women (Labour Force Survey 2024)."
    ),
    "Schools and young people": (
        "Self-assessment: education 36 out of 100. Diagnosis: early school leaving is 21% among "
        "young people born abroad against 9% overall (school register 2024)."
    ),
    "Shared spaces and participation": (
        "Self-assessment: leadership and citizenship 29 and public space 36 out of 100. "
        "Diagnosis: 38% of residents meet people of other backgrounds at least weekly (Living "
        "Together Survey 2025)."
    ),
}


# What each specific objective starts from and aims at (agreeing with the indicators that
# measure it): baseline, target, target date, responsible; keyed by the statement's start.
HEALTH, EQUALITY = "Valdoria Regional Health Service", "Regional Equality Office"
WORK, SCHOOLS = (
    "Department of Employment and Economy",
    "Department of Education and Vocational Training",
)
COEXISTENCE = "Unit for Coexistence"
OBJECTIVE_TARGETS = {
    "Interpreting or mediation": (
        "2 hospitals; 3,100 supported consultations (2024)",
        "All hospitals and primary-care districts; 12,000 consultations a year",
        "2028-12-31",
        HEALTH,
    ),
    "Diversity of the regional": (
        "Not measured (2025)",
        "Measured every year from 2026; recruitment plan in force",
        "2027-12-31",
        "Directorate-General for Social Cohesion and Equal Opportunities",
    ),
    "Non-discrimination clauses": (
        "0% (2025)",
        "100% of grants and contracts",
        "2027-12-31",
        EQUALITY,
    ),
    "Reports to the Equality Office": (
        "46 reports; 52% closed within 90 days (2024)",
        "250 reports; 80% closed within 90 days",
        "2030-12-31",
        EQUALITY,
    ),
    "Average time to recognition": ("11 months (2025)", "5 months", "2029-12-31", WORK),
    "1,500 women": (
        "Employment gap of 24 points for women born outside the EU (2024)",
        "1,500 women complete the pathway; gap down to 15 points",
        "2030-12-31",
        WORK,
    ),
    "150 employers": ("12 employers (2025)", "150 employers", "2030-12-31", WORK),
    "Early school leaving": ("21% (2024)", "12%", "2030-12-31", SCHOOLS),
    "60 schools": ("4 schools (2025)", "60 schools", "2030-12-31", SCHOOLS),
    "A regional plan to reduce": (
        "No plan (2025)",
        "Plan agreed with municipalities",
        "2027-12-31",
        SCHOOLS,
    ),
    "30 public spaces": ("0 (2025)", "30 public spaces", "2030-12-31", COEXISTENCE),
    "Weekly positive contact": ("38% (2025)", "50% of residents", "2030-12-31", COEXISTENCE),
    "40 graduates": (
        "No programme (2025)",
        "40 graduates; a member with a migrant background on each regional advisory body",
        "2030-12-31",
        COEXISTENCE,
    ),
}


NEW_INDICATORS = [
    (
        "Share of regional staff born abroad, from the yearly workforce survey",
        "outcome",
        ["real_equality"],
        "Diversity of the regional",
        "not measured",
        2025,
        "measured every year",
        2026,
    ),
    (
        "Share of regional grants and contracts with a non-discrimination clause",
        "output",
        ["real_equality"],
        "Non-discrimination clauses",
        "0%",
        2025,
        "100%",
        2027,
    ),
    (
        "Employers applying the Valdoria Diversity Charter with a yearly action plan",
        "outcome",
        ["diversity_advantage"],
        "150 employers",
        "12",
        2025,
        "150",
        2030,
    ),
    (
        "Schools with an intercultural school plan and a parent mediator",
        "output",
        ["interaction", "diversity_advantage"],
        "60 schools",
        "4",
        2025,
        "60",
        2030,
    ),
    (
        "Regional plan on school concentration agreed with municipalities",
        "output",
        ["real_equality"],
        "A regional plan to reduce",
        "none",
        2025,
        "agreed",
        2027,
    ),
    (
        "Public spaces co-designed and renewed with mixed groups of residents",
        "output",
        ["interaction", "participation"],
        "30 public spaces",
        "0",
        2025,
        "30",
        2030,
    ),
    (
        "Regional agency boards with at least one member with a migrant background",
        "outcome",
        ["participation"],
        "40 graduates",
        "2 of 14",
        2025,
        "14 of 14",
        2030,
    ),
]


# The costs beyond the actions (title, category, description, (year, source, amount) lines):
# the governance of the strategy, its evaluation and its surveys, as the governance chapter
# describes them.
YEARS = range(2026, 2031)
COST_LINES = [
    (
        "Strategy secretariat in the Unit for Coexistence (two posts)",
        "coordination",
        "Prepares the steering committee, follows the actions with the departments' focal "
        "points and writes the annual report.",
        [(year, "Regional budget", 110000) for year in YEARS],
    ),
    (
        "Steering committee, focal points and municipal coexistence network",
        "coordination",
        "Meetings, interpreting and travel for the twice-yearly committee, the quarterly "
        "focal points and the sub-regional network of municipal coexistence officers.",
        [(year, "Regional budget", 18000) for year in YEARS],
    ),
    (
        "Mid-term evaluation by the University of Porto Valdo",
        "evaluation",
        "Independent evaluation in 2028: indicator analysis, interviews and focus groups.",
        [(2028, "ESF+", 65000)],
    ),
    (
        "Final evaluation",
        "evaluation",
        "Results against the vision and objectives, to prepare the next strategy.",
        [(2030, "ESF+", 75000)],
    ),
    (
        "Valdoria Living Together Survey, 2027 and 2030 waves",
        "surveys",
        "The residents' survey behind the interaction and discrimination indicators.",
        [(2027, "Regional budget", 48000), (2030, "Regional budget", 52000)],
    ),
    (
        "Second and final intercultural self-assessment",
        "surveys",
        "The self-assessment repeated in 2028 and 2030, with the indicator data it needs.",
        [(2028, "Regional budget", 12000), (2030, "Regional budget", 12000)],
    ),
    (
        "Annual public progress report with an easy-read summary",
        "communication",
        "Layout, translation and an easy-read version of the report published each April.",
        [(year, "Regional budget", 9000) for year in YEARS],
    ),
]


def cost_lines() -> list[dict]:
    """Valdoria's cost lines, each budget line with the status of its source that year."""
    return [
        {
            "kind": "cost_line",
            "key": f"cost_line-{number}",
            "values": {
                "title": title,
                "category": category,
                "description": description,
                "budget": [
                    {"year": y, "source": s, "amount": a, "status": _status(s, y)}
                    for y, s, a in lines
                ],
            },
        }
        for number, (title, category, description, lines) in enumerate(COST_LINES, start=1)
    ]


def _by_start(records: list[dict], field: str, start: str) -> dict:
    return next(r for r in records if str(r["values"].get(field, "")).startswith(start))


def _status(source: str, year: int) -> str:
    name = source.casefold()
    if name in TO_BE_SOUGHT:
        return "to_be_sought"
    return "secured" if year <= SECURED_UNTIL.get(name, 0) else "pending"


def spread(amount: float, source: str, start: str, end: str) -> list[dict]:
    """An amount over the years of a period, by the months in each year; whole euros, the
    rounding left in the last year so the lines add up to the amount."""
    amount = round(amount)
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    months = {}
    for year in range(first.year, last.year + 1):
        begin = first.month if year == first.year else 1
        finish = last.month if year == last.year else 12
        months[year] = finish - begin + 1
    total_months = sum(months.values())
    lines, given = [], 0
    for year, count in months.items():
        share = round(amount * count / total_months) if year != last.year else amount - given
        given += share
        lines.append(
            {"year": year, "source": source, "amount": share, "status": _status(source, year)}
        )
    return lines


def valdoria_records(tables: dict) -> list[dict]:
    """Valdoria's records (kind, key, values), from its plan tables and completed."""
    keyed = {(step, q): v for step, questions in tables.items() for q, v in questions.items()}
    records, _unmatched = convert(keyed)
    for priority in [r for r in records if r["kind"] == "priority"]:
        finding = PRIORITY_FINDINGS.get(priority["values"]["title"])
        if finding:
            priority["values"]["finding"] = finding
    objectives = [r for r in records if r["kind"] == "objective"]
    for objective in objectives:
        values = objective["values"]
        found = next((k for k in OBJECTIVE_TARGETS if values["statement"].startswith(k)), None)
        if found is not None:
            fields = ("baseline", "target", "target_date", "responsible")
            values.update(zip(fields, OBJECTIVE_TARGETS[found], strict=True))
    actions = [r for r in records if r["kind"] == "action"]
    for action in actions:
        values = action["values"]
        start = next(k for k in ACTIONS if values["title"].startswith(k))
        areas, more = ACTIONS[start]
        values["policy_areas"] = areas
        served = list(values.get("objectives") or [])
        served += [_by_start(objectives, "statement", m)["key"] for m in more]
        values["objectives"] = list(dict.fromkeys(served))  # each once
        if start in ACTION_PRINCIPLES:
            values["principles"] = ACTION_PRINCIPLES[start]
        lines = []
        for line in values.pop("budget", None) or []:
            lines += spread(line["amount"], line["source"], values["start"], values["end"])
        values["budget"] = lines
    training = dict(TRAINING)
    amount, source = training.pop("amount"), training.pop("source")
    serves = training.pop("serves")
    training["objectives"] = [_by_start(objectives, "statement", s)["key"] for s in serves]
    training["budget"] = spread(amount, source, training["start"], training["end"])
    last_action = max(i for i, r in enumerate(records) if r["kind"] == "action")
    training_record = {"kind": "action", "key": "action-training", "values": training}
    records.insert(last_action + 1, training_record)
    for indicator in [r for r in records if r["kind"] == "indicator"]:
        values = indicator["values"]
        found = next((k for k in INDICATORS if values["name"].startswith(k)), None)
        if found is None:  # an action's own indicator: an output of that action
            values["type"] = "output"
            continue
        kind, principles, objective = INDICATORS[found]
        values["type"], values["principles"] = kind, principles
        if objective:
            values["objective"] = _by_start(objectives, "statement", objective)["key"]
        elif found == "Staff trained":
            values["action"] = "action-training"
    for number, (name, kind, principles, objective, base, base_year, target, year) in enumerate(
        NEW_INDICATORS, start=1
    ):
        records.append(
            {
                "kind": "indicator",
                "key": f"indicator-objective-{number}",
                "values": {
                    "name": name,
                    "type": kind,
                    "principles": principles,
                    "objective": _by_start(objectives, "statement", objective)["key"],
                    "baseline": base,
                    "baseline_year": base_year,
                    "target": target,
                    "target_year": year,
                    "source": "Regional Observatory on Diversity",
                    "frequency": "Yearly",
                },
            }
        )
    return records + cost_lines()


NORDMARK = [
    (
        "priority",
        "priority-1",
        {
            "title": "Welcoming new arrivals",
            "finding": (
                "Half of the new arrivals of 2025 did not find the municipal services they "
                "needed in their first three months."
            ),
        },
    ),
    ("priority", "priority-2", {"title": "Language and work"}),
    (
        "objective",
        "objective-1",
        {
            "statement": "A welcome point in every district by 2029",
            "level": "specific",
            "priority": "priority-1",
        },
    ),
]


def load_records(region: Region, tables: dict | None, author: User) -> None:
    """Write the demo records of Valdoria (from its plan tables) or Nordmark."""
    if region.slug == "valdoria":
        made = [(r["kind"], r["key"], r["values"]) for r in valdoria_records(tables or {})]
    else:
        made = NORDMARK
    for kind, key, values in made:
        record_service.add_record(region, kind, values, author, key=key)
