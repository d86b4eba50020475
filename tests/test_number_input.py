"""Numbers typed as the reader writes them (1.234.567 in Spanish, 1 234 567 in Polish), whole
numbers where a question counts things, limits written as people write them, and input that
would cost the server minutes (1E+1000000) or break the stored JSON (NaN) refused at the field."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from sqlalchemy import select

from belong.extensions import db
from belong.models import Answer, Role
from belong.numbers import NumberError, format_number, parse_number
from tests.browser_form import browser_form
from tests.conftest import post_form

BASICS = "/r/alpha/steps/basics"
ASSESS = "/r/alpha/steps/assess"
CONTEXT = "/r/valdo/steps/context"


@pytest.mark.parametrize(
    ("locale", "text", "number"),
    [
        ("es", "1.234.567", Decimal(1234567)),
        ("es", "1.234.567,25", Decimal("1234567.25")),
        ("es", "1 234 567", Decimal(1234567)),
        ("es", "12,5", Decimal("12.5")),
        ("es", "-3", Decimal(-3)),
        ("pl", "1 234 567", Decimal(1234567)),
        ("pl", "1\u00a0234\u00a0567,5", Decimal("1234567.5")),
        ("pl", "1.234.567", Decimal(1234567)),  # points that can only group thousands
        ("pl", "1.234,5", Decimal("1234.5")),
        ("pl", "12,5", Decimal("12.5")),
        ("pl", "12.50", Decimal("12.50")),
        ("en_GB", "1,234,567.5", Decimal("1234567.5")),
        ("en_GB", "1234567", Decimal(1234567)),
    ],
)
def test_numbers_are_read_as_the_reader_writes_them(app, locale, text, number):
    assert parse_number(text, locale=locale) == number


@pytest.mark.parametrize(
    ("locale", "text", "message"),
    [
        ("pl", "1.234", "“1.234” can be read in two ways. Write 1\u00a0234 for the whole number"),
        ("es", "1,234,567", "Enter a number in digits, such as 1.234 or 12,5."),
        ("es", "1234.5", "Enter a number in digits, such as 1.234 or 12,5."),
        ("en_GB", "12,5", "Enter a number in digits, such as 1,234 or 12.5."),
        ("en_GB", "1E+1000000", "Enter a number in digits"),
        ("en_GB", "Infinity", "Enter a number in digits"),
        ("en_GB", "0.0000000000000001", "Use at most 15 digits."),
    ],
)
def test_unclear_numbers_are_refused_with_what_to_write(app, locale, text, message):
    with app.test_request_context("/"), pytest.raises(NumberError) as refused:
        parse_number(text, locale=locale)
    assert message in str(refused.value)


def test_whole_numbers_read_a_foreign_point_as_grouping_and_refuse_decimals(app):
    with app.test_request_context("/"):
        assert parse_number("1.234", whole=True, locale="pl") == 1234
        with pytest.raises(NumberError, match="Enter a whole number"):
            parse_number("12,5", whole=True, locale="es")


def test_stored_numbers_are_shown_in_the_readers_locale(app):
    assert format_number(1234567.5, "es") == "1.234.567,5"
    assert format_number(1234567, "pl") == "1\u00a0234\u00a0567"
    assert format_number(100.0, "en_GB") == "100"  # limits read "100", never "100.0"
    assert format_number(0.123456, "en_GB") == "0.123456"  # every decimal kept in a form
    assert format_number(1e300, "es") == "1e+300"  # stored before these rules: shown as it is


def _speak(client, locale: str) -> None:
    assert post_form(client, "/language", {"locale": locale}, token_from=BASICS).status_code == 302


def _post(client, url: str, **values):
    form = browser_form(client.get(url).get_data(as_text=True))
    for name, value in values.items():
        form[name] = value
    form["action"] = "save"
    return client.post(url, data=form)


def _stored(question_id: str):
    return db.session.scalar(select(Answer.value).where(Answer.question_id == question_id))


@pytest.mark.parametrize(
    ("locale", "typed", "shown"),
    [("es", "1.234.567", "1.234.567"), ("pl", "1 234 567", "1\u00a0234\u00a0567")],
)
def test_a_number_typed_in_spanish_or_polish_is_stored_as_meant(
    client, make, as_user, locale, typed, shown
):
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    _speak(client, locale)
    assert _post(client, BASICS, q_budget=typed).status_code == 302
    assert _stored("budget") == 1234567
    page = client.get(BASICS).get_data(as_text=True)
    assert f'name="q_budget" type="text" value="{shown}"' in page.replace("&nbsp;", "\u00a0")


@pytest.mark.parametrize("typed", ["1E+1000000", "1e5000", "Infinity", "sNaN", "NaN", "-inf"])
def test_numbers_that_are_not_plain_digits_are_refused_at_once(client, make, as_user, typed):
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    started = time.monotonic()
    response = _post(client, BASICS, q_budget=typed, q_lead="Kept")
    assert time.monotonic() - started < 5
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="q_budget-error"' in page and "Enter a number in digits" in page
    assert _stored("budget") is None and _stored("lead") is None


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "1e5000"])
def test_a_table_cell_that_is_not_a_number_is_refused_and_nothing_stored(
    client, make, as_user, typed
):
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    response = _post(client, ASSESS, **{"q_actions-0-action": "Desk", "q_actions-0-cost": typed})
    assert response.status_code == 422
    assert "Actions, row 1: Cost – Enter a number in digits" in response.get_data(as_text=True)
    assert _stored("actions") is None


def test_questions_that_count_people_take_whole_numbers_only(client, make, as_user):
    region = make.region("valdo", template_id="intercultural-region")
    as_user(Role.EDITOR, region)
    response = _post(
        client,
        CONTEXT,
        q_total_population="1284000.5",
        **{"q_population_groups-0-group": "Morocco", "q_population_groups-0-women": "12.5"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Total population of the region – Enter a whole number, such as 1,234." in page
    assert "row 1: Women – Enter a whole number, such as 1,234." in page
    assert 'id="q_total_population" inputmode="numeric"' in page
    assert _stored("total_population") is None
    assert _post(client, CONTEXT, q_total_population="1,284,000").status_code == 302
    assert _stored("total_population") == 1284000


def test_limits_are_written_as_people_write_them(client, make, as_user):
    region = make.region("valdo", template_id="intercultural-region")
    as_user(Role.EDITOR, region)
    response = _post(client, CONTEXT, q_foreign_born_share="150")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a number between 0 and 100." in page and "100.0" not in page
    _speak(client, "es")
    page = _post(client, CONTEXT, q_total_population="-1").get_data(as_text=True)
    assert "Introduzca un número igual o superior a 0." in page
