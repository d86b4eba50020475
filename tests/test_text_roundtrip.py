"""Whatever text people paste (emoji, right-to-left, control characters, 100k characters)
is stored exactly as the form keeps it (control characters taken out, line and paragraph
separators as newlines), or refused with a message at the field, or (when
the request itself is too large) refused with the friendly 413 page. Never a 500.
Also: oversize input saves nothing."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from belong.extensions import db
from belong.models import Answer, AnswerRevision, Role
from belong.text import clean_text
from tests.conftest import csrf_token

STEP = "/r/alpha/steps/basics"
LIMIT = 50_000  # MAX_ANSWER_LENGTH
SHORT_LIMIT = 500

TEXT = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=("Cs",)),  # anything a browser can send
        st.sampled_from("🌍🎉👩🏽‍🔬 مرحبا שלום \u200f\u200e\u202e\r\n\t\x00"),
    ),
    max_size=300,
)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _post(client, field: str, text: str):
    html = client.get(STEP).get_data(as_text=True)
    versions = dict(re.findall(r'name="(v_[a-z_]+)" type="hidden" value="(\d+)"', html))
    data = {"csrf_token": csrf_token(html), **versions, field: text, "action": "save"}
    return client.post(STEP, data=data)


def _stored(question_id: str):
    db.session.expire_all()
    return db.session.scalar(select(Answer.value).where(Answer.question_id == question_id))


def _cleaned(text: str, *, multiline: bool) -> str:
    """Line ends unified, control characters gone (belong/text.py), what the limit counts."""
    return clean_text(text, single_line=not multiline)


def _as_kept(text: str, *, multiline: bool) -> str | None:
    """What the form keeps of a text: cleaned, outer blanks trimmed."""
    text = _cleaned(text, multiline=multiline)
    text = text.rstrip() if multiline else text.strip()
    return text or None


def _check(client, field: str, question_id: str, text: str, *, limit: int, multiline: bool):
    before = _stored(question_id)
    revisions = db.session.query(AnswerRevision).count()
    response = _post(client, field, text)
    page = response.get_data(as_text=True)
    assert response.status_code in (302, 413, 422), page[:500]
    if response.status_code == 302:
        assert len(_cleaned(text, multiline=multiline)) <= limit
        kept = _as_kept(text, multiline=multiline)
        assert _stored(question_id) == (kept if kept is not None else None)
        return
    # Refused: a message says why, and nothing at all was saved.
    if response.status_code == 422:
        assert f'id="{field}-error"' in page
        assert len(_cleaned(text, multiline=multiline)) > limit
    else:
        assert "too large to save. Nothing was saved" in page
    assert _stored(question_id) == before
    assert db.session.query(AnswerRevision).count() == revisions


@given(text=TEXT)
@example(text="Inclusión 🌍 — مرحبا بكم في المنطقة ‏(RTL)‏ שלום")
@example(text="\u202eevil override\u202c and \u200f marks")
@example(text="a" * 100_000)  # over the answer limit: a field error
@example(text="é" * LIMIT)  # exactly the limit: stored
@example(text="before\x00after \u2029end")  # NUL taken out, the separator a newline
@example(text="line\r\nline\rline\n")
@SETTINGS
def test_long_answers_round_trip_or_get_a_field_error(client, make, as_user, text):
    if not hasattr(client, "_belong_ready"):
        as_user(Role.EDITOR, make.region("alpha"))
        client._belong_ready = True
    _check(client, "q_statement", "statement", text, limit=LIMIT, multiline=True)


@given(text=TEXT)
@example(text="  Département ✓  ")
@example(text="x" * (SHORT_LIMIT + 1))
@example(text="\x00")
@SETTINGS
def test_short_answers_round_trip_or_get_a_field_error(client, make, as_user, text):
    if not hasattr(client, "_belong_ready"):
        as_user(Role.EDITOR, make.region("alpha"))
        client._belong_ready = True
    _check(client, "q_lead", "lead", text, limit=SHORT_LIMIT, multiline=False)


def test_a_request_over_the_size_limit_gets_a_friendly_413_and_saves_nothing(client, make, as_user):
    as_user(Role.EDITOR, make.region("alpha"))
    html = client.get(STEP).get_data(as_text=True)

    def post(size: int, **kwargs):
        data = {
            "csrf_token": csrf_token(html),
            "q_lead": "Short and fine",
            "q_statement": "x" * size,
            "action": "save",
        }
        return client.post(STEP, data=data, **kwargs)

    # Under the request limits but over the answer limit: a message at the field.
    response = post(1_100_000)
    assert response.status_code == 422
    assert 'id="q_statement-error"' in response.get_data(as_text=True)
    # Over MAX_CONTENT_LENGTH, and a field over MAX_FORM_MEMORY_SIZE: the 413 page.
    boundary = "belongboundary"
    multipart = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="q_statement"\r\n\r\n'
        f"{'x' * 1_100_000}\r\n--{boundary}--\r\n"
    ).encode()
    as_multipart = client.post(
        STEP, data=multipart, content_type=f"multipart/form-data; boundary={boundary}"
    )
    for response in (post(2_500_000), as_multipart):
        page = response.get_data(as_text=True)
        assert response.status_code == 413
        assert "Nothing was saved" in page and "shorten the longest text" in page
        assert "<title>" in page and "</html>" in page
    autosave = client.post(
        STEP + "/autosave",
        data={"q_statement": "x" * 2_500_000},
        headers={"X-CSRFToken": csrf_token(html)},
    )
    assert autosave.status_code == 413
    assert db.session.scalar(select(Answer)) is None
