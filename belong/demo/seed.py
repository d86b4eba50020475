"""Load the demo programme. Logins are fixed so the README can list them (belong/demo/people.py)."""

from __future__ import annotations

from collections.abc import Callable

from belong.demo import texts
from belong.demo.contributions import load_demo_contributions
from belong.demo.people import PASSWORD, PEOPLE, logins_text
from belong.demo.publication import load_demo_publication
from belong.demo.records import load_records
from belong.demo.review import load_demo_review
from belong.extensions import db
from belong.models import Region, User
from belong.services import accounts, answers
from belong.services import regions as region_service
from belong.services.records import add_record
from belong.services.records_from_answers import convert_lists
from belong.templating.registry import get_template

__all__ = ["PASSWORD", "load_demo", "logins_text"]

TEMPLATE_ID = "intercultural-region"
# slug, name, country, period, who wrote its answers (belong/demo/<slug>.yaml)
REGIONS = [
    ("valdoria", "Valdoria", "Fictional Republic", "2026-2030", "coordinator@belong.example"),
    ("nordmark", "Nordmark", "Fictional Kingdom", "2027-2031",
     "coordinator.nordmark@belong.example"),
]  # fmt: skip


def _demo_answers() -> dict:
    """Valdoria's data as loaded (tests compare the document with it)."""
    return texts.load("valdoria")


def _people(regions: dict[str, Region]) -> dict[str, User]:
    password_hash = accounts.hash_password(PASSWORD)  # once: hashing is slow on purpose
    users = {}
    for person in PEOPLE:
        user = accounts.create_user(person.email, person.name, is_admin=person.region is None)
        user.password_hash = password_hash
        if person.region:
            accounts.invite(
                regions[person.region],
                person.email,
                person.name,
                person.role,
                hours=1,
                organisation=person.organisation,
                category=person.category,
            )
        users[person.email] = user
    return users


def _answers(region: Region, data: dict, author: User) -> None:
    """Write the region's answers in the template's order; the rows of its stakeholder
    register and training groups become records, as an existing region's do."""
    for step in get_template(TEMPLATE_ID).definition.steps:
        for question in step.questions:
            value = data.get(step.id, {}).get(question.id)
            if value is not None and question.stores_answer:
                answers.set_answer(region, step.id, question.id, value, author)
    keyed = {(step, q): value for step, found in data.items() for q, value in found.items()}
    for record in convert_lists(keyed):
        add_record(region, record["kind"], record["values"], author, key=record["key"])


def load_demo(say: Callable[[str], None] = lambda _message: None) -> None:
    """Load every part of the demo; `say` is told as each part starts (the command prints it)."""
    say("Regions and people...")
    regions = {
        slug: region_service.create_region(name, slug, TEMPLATE_ID, country=country, period=period)
        for slug, name, country, period, _author in REGIONS
    }
    users = _people(regions)
    for slug, name, _country, _period, author in REGIONS:
        say(f"Answers of {name}...")
        _answers(regions[slug], texts.load(slug)["answers"], users[author])
        load_records(regions[slug], texts.load(slug).get("plan_tables"), users[author])
    say("Publication settings...")
    load_demo_publication(regions["valdoria"], users["coordinator@belong.example"])
    db.session.flush()
    say("Stakeholder input...")
    load_demo_contributions()
    load_demo_review(say)
