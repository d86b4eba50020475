"""Load the demo programme. Logins are fixed so the README can list them."""

from __future__ import annotations

from pathlib import Path

import yaml

from belong.demo.contributions import load_demo_contributions
from belong.demo.review import load_demo_review
from belong.extensions import db
from belong.models import Role
from belong.services import accounts, answers
from belong.services import regions as region_service
from belong.templating.registry import get_template

TEMPLATE_ID = "intercultural-region"
PASSWORD = "belong-demo-2026"  # noqa: S105 - fixed demo login, listed in the README
PEOPLE = [
    # email, name, region slug or None for the admin, role, organisation, category
    ("admin@belong.example", "Amira Haddad", None, None, "EU-BELONG secretariat", ""),
    ("coordinator@belong.example", "Carla Mendes", "valdoria", Role.COORDINATOR,
     "Valdoria Regional Government, Department of Social Inclusion", "regional_department"),
    ("editor@belong.example", "Elias Brandt", "valdoria", Role.EDITOR,
     "Valdoria Regional Government, Department of Education", "regional_department"),
    ("contributor@belong.example", "Nadia Okafor", "valdoria", Role.CONTRIBUTOR,
     "Voices of Porto Valdo (migrant-led association)", "migrant_led"),
    ("reviewer@belong.example", "Piotr Zielinski", "valdoria", Role.REVIEWER,
     "Programme expert panel", "academia"),
    ("coordinator.nordmark@belong.example", "Henrik Lund", "nordmark", Role.COORDINATOR,
     "Nordmark County Council", "regional_department"),
    ("contributor.nordmark@belong.example", "Sofia Ricci", "nordmark", Role.CONTRIBUTOR,
     "Nordmark Refugee Council", "ngo"),
]  # fmt: skip
REGIONS = [
    ("valdoria", "Valdoria", "Fictional Republic", "2026-2030"),
    ("nordmark", "Nordmark", "Fictional Kingdom", "2027-2031"),
]


def _demo_answers() -> dict:
    return yaml.safe_load((Path(__file__).parent / "valdoria.yaml").read_text(encoding="utf-8"))


def load_demo() -> None:
    regions = {
        slug: region_service.create_region(name, slug, TEMPLATE_ID, country=country, period=period)
        for slug, name, country, period in REGIONS
    }
    users = {}
    for email, name, slug, role, organisation, category in PEOPLE:
        user = accounts.create_user(email, name, password=PASSWORD, is_admin=slug is None)
        users[email] = user
        if slug:
            region = regions[slug]
            accounts.invite(
                region, email, name, role, hours=1, organisation=organisation, category=category
            )
    coordinator = users["coordinator@belong.example"]
    data = _demo_answers()
    template = get_template(TEMPLATE_ID).definition
    for step in template.steps:
        for question in step.questions:
            value = data["answers"].get(step.id, {}).get(question.id)
            if value is not None:
                answers.set_answer(regions["valdoria"], step.id, question.id, value, coordinator)
    # Nordmark has only begun: its mandate is partly written.
    mandate = template.steps[0]
    first = mandate.questions[0]
    value = data["answers"][mandate.id][first.id]
    answers.set_answer(
        regions["nordmark"],
        mandate.id,
        first.id,
        value,
        users["coordinator.nordmark@belong.example"],
    )
    db.session.flush()
    load_demo_contributions()
    load_demo_review()


def logins_text() -> str:
    lines = [f"Demo logins (password for all: {PASSWORD}):"]
    for email, _name, slug, role, _org, _cat in PEOPLE:
        what = "programme admin" if slug is None else f"{role.value} of {slug}"
        lines.append(f"  {email:<40} {what}")
    return "\n".join(lines)
