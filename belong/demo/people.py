"""The demo's people: one list, printed by `flask demo` and shown in the README (a test keeps
the two the same)."""

from __future__ import annotations

from typing import NamedTuple

from belong.models import Role

PASSWORD = "belong-demo-2026"  # noqa: S105 - fixed demo login, listed in the README


class Person(NamedTuple):
    email: str
    name: str
    region: str | None  # the slug; None for the programme admin
    role: Role | None
    organisation: str
    category: str
    login: str  # what the login is for, as the README's table says


PEOPLE = [
    Person("admin@belong.example", "Amira Haddad", None, None,
           "EU-BELONG secretariat", "", "programme admin"),
    Person("coordinator@belong.example", "Carla Mendes", "valdoria", Role.COORDINATOR,
           "Valdoria Regional Government, Department of Social Inclusion", "regional_department",
           "coordinator of Valdoria (every step answered)"),
    Person("editor@belong.example", "Elias Brandt", "valdoria", Role.EDITOR,
           "Valdoria Regional Government, Department of Education", "regional_department",
           "editor of Valdoria"),
    Person("contributor@belong.example", "Nadia Okafor", "valdoria", Role.CONTRIBUTOR,
           "Voices of Porto Valdo (migrant-led association)", "migrant_led",
           "contributor of Valdoria"),
    Person("reviewer@belong.example", "Piotr Zielinski", "valdoria", Role.REVIEWER,
           "Programme expert panel", "academia", "reviewer of Valdoria"),
    Person("coordinator.nordmark@belong.example", "Henrik Lund", "nordmark", Role.COORDINATOR,
           "Nordmark County Council", "regional_department",
           "coordinator of Nordmark (just started)"),
    Person("contributor.nordmark@belong.example", "Sofia Ricci", "nordmark", Role.CONTRIBUTOR,
           "Nordmark Refugee Council", "ngo", "contributor of Nordmark"),
    Person("ngo@belong.example", "Giulia Ferrante", "valdoria", Role.CONTRIBUTOR,
           "Casa Aperta Foundation", "ngo", "contributor of Valdoria (NGO)"),
    Person("employer@belong.example", "Marco Bellandi", "valdoria", Role.CONTRIBUTOR,
           "Valdoria Chamber of Commerce and Industry", "employer",
           "contributor of Valdoria (employer)"),
    Person("school@belong.example", "Lucia Moretti", "valdoria", Role.CONTRIBUTOR,
           "Regional Teacher Training Centre (CEFORVAL)", "education",
           "contributor of Valdoria (education)"),
    Person("municipality@belong.example", "Tomas Rinaldi", "valdoria", Role.CONTRIBUTOR,
           "Association of Valdorian Municipalities", "municipality",
           "contributor of Valdoria (municipality)"),
]  # fmt: skip


def logins_text() -> str:
    lines = [f"Demo logins (password for all: {PASSWORD}):"]
    lines += [f"  {person.email:<40} {person.login}" for person in PEOPLE]
    return "\n".join(lines)
