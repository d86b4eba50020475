"""Stakeholder input: give, edit, consolidate, count, and keep regions apart."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import func, select

from belong.extensions import db
from belong.models import (
    Answer,
    AnswerRevision,
    Contribution,
    ContributionStatus,
    Membership,
    Notification,
    Role,
)
from belong.services import contributions as service
from belong.templating.registry import get_template
from tests.conftest import csrf_token, login, post_form

STEP = "basics"


def _member(make, role, region, *, category="", organisation="", name=None):
    user = make.user(role, region)
    if name:
        user.name = name
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.region_id == region.id)
    )
    membership.category = category
    membership.organisation = organisation
    db.session.commit()
    return user


def _client(app, user):
    client = app.test_client()
    login(client, user.email)
    return client


def _contribute(client, slug="alpha", step=STEP, body="We need evening meetings.", **extra):
    data = {"prompt": "general", "body": body, **extra}
    return post_form(client, f"/r/{slug}/steps/{step}/input", data)


def _decide(client, contribution_id, slug="alpha", **data):
    url = f"/r/{slug}/input/{contribution_id}/decide"
    page = client.get(url).get_data(as_text=True)
    version = re.search(r'id="version" name="version" type="hidden" value="(\d+)"', page)
    payload = {"csrf_token": csrf_token(page), "version": version.group(1) if version else ""}
    payload.update(data)
    return client.post(url, data=payload)


def _only(model=Contribution):
    return db.session.scalar(select(model))


# ---------------------------------------------------------------- contributors


def test_contributor_adds_and_edits_own_input(app, make):
    region = make.region("alpha")
    nadia = _member(
        make, Role.CONTRIBUTOR, region, category="ngo", organisation="Casa Aperta", name="Nadia"
    )
    client = _client(app, nadia)

    step_page = client.get("/r/alpha/steps/basics").get_data(as_text=True)
    assert "Who should lead, in your view?" in step_page  # the template's prompts
    assert 'id="give-input"' in step_page

    response = _contribute(client, prompt="1", body="Say **equality** first.")
    assert response.status_code == 302
    saved = _only()
    assert (saved.author_id, saved.organisation, saved.category) == (nadia.id, "Casa Aperta", "ngo")
    assert saved.prompt_index == 1 and saved.status is ContributionStatus.PENDING

    page = client.get("/r/alpha/steps/basics").get_data(as_text=True)
    assert "<strong>equality</strong>" in page  # rendered Markdown
    assert "Waiting for the team" in page

    edit_url = f"/r/alpha/input/{saved.id}/edit"
    response = post_form(
        client, edit_url, {"prompt": "1", "body": "Say equality and interaction first."}
    )
    assert response.status_code == 302
    db.session.refresh(saved)
    assert saved.body == "Say equality and interaction first."
    assert saved.version == 2


def test_empty_input_is_refused_with_a_message(app, make):
    region = make.region("alpha")
    client = _client(app, _member(make, Role.CONTRIBUTOR, region))
    response = _contribute(client, body="   ")
    assert response.status_code == 422
    assert "Write your input before sending it." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Contribution.id))) == 0


def test_contributor_cannot_edit_answers_or_anothers_input(app, make):
    region = make.region("alpha")
    author = _member(make, Role.CONTRIBUTOR, region, category="ngo")
    other = _member(make, Role.CONTRIBUTOR, region, category="municipality")
    _contribute(_client(app, author), body="Original words.")
    contribution = _only()

    client = _client(app, other)
    # Answers: the step form is not offered and a forged POST is refused.
    page = client.get("/r/alpha/steps/basics").get_data(as_text=True)
    assert 'id="step-form"' not in page
    token = csrf_token(page)
    response = client.post(
        "/r/alpha/steps/basics",
        data={"csrf_token": token, "q_lead": "Hijacked", "v_lead": "0", "action": "save"},
    )
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(Answer.id))) == 0

    # Another person's input: no edit link, and GET and POST are refused.
    assert f"/input/{contribution.id}/edit" not in page
    edit_url = f"/r/alpha/input/{contribution.id}/edit"
    assert client.get(edit_url).status_code == 403
    response = client.post(edit_url, data={"csrf_token": token, "body": "Rewritten", "prompt": ""})
    assert response.status_code == 403
    # Nor may a contributor decide on input.
    decide = f"/r/alpha/input/{contribution.id}/decide"
    assert client.get(decide).status_code == 403
    response = client.post(decide, data={"csrf_token": token, "decision": "declined"})
    assert response.status_code == 403
    db.session.refresh(contribution)
    assert contribution.body == "Original words."
    assert contribution.status is ContributionStatus.PENDING
    assert contribution.version == 1


def test_posted_fields_cannot_set_status_or_author(app, make):
    region = make.region("alpha")
    user = _member(make, Role.CONTRIBUTOR, region, category="ngo")
    client = _client(app, user)
    _contribute(client, status="adopted", author_id="999", region_id="999", category="media")
    saved = _only()
    assert saved.status is ContributionStatus.PENDING
    assert (saved.author_id, saved.region_id, saved.category) == (user.id, region.id, "ngo")


# ---------------------------------------------------------------- consolidation


@pytest.fixture
def pending(app, make):
    """A region with a coordinator's client and one pending contribution."""
    region = make.region("alpha")
    author = _member(make, Role.CONTRIBUTOR, region, category="ngo", organisation="Casa Aperta")
    author_client = _client(app, author)
    _contribute(author_client, body="Meet in the **mornings**.")
    coordinator = _member(make, Role.COORDINATOR, region)
    return {
        "region": region,
        "author": author,
        "author_client": author_client,
        "team": _client(app, coordinator),
        "contribution": _only(),
    }


def test_coordinator_sees_input_beside_the_draft_and_filters_it(app, make, pending):
    other = _member(make, Role.CONTRIBUTOR, pending["region"], category="municipality")
    _contribute(_client(app, other), body="A municipal view.")
    team = pending["team"]
    page = team.get("/r/alpha/steps/basics").get_data(as_text=True)
    assert 'id="step-form"' in page and "Input received (2)" in page
    assert "Meet in the <strong>mornings</strong>." in page and "A municipal view." in page

    page = team.get("/r/alpha/steps/basics?category=municipality").get_data(as_text=True)
    assert "A municipal view." in page and "mornings" not in page
    page = team.get("/r/alpha/steps/basics?status=declined").get_data(as_text=True)
    assert "No input matches." in page
    page = team.get("/r/alpha/steps/basics?status=nonsense&category=%3Cx%3E").get_data(as_text=True)
    assert "A municipal view." in page and "mornings" in page


def test_input_on_a_step_comes_a_page_at_a_time_keeping_the_filter(app, make, pending):
    region, author = pending["region"], pending["author"]
    for i in range(service.INPUT_PER_PAGE + 4):
        db.session.add(
            Contribution(
                region_id=region.id,
                step_id=STEP,
                author_id=author.id,
                category="ngo" if i % 2 else "municipality",
                body=f"Idea number {i:02d}.",
            )
        )
    db.session.commit()
    team = pending["team"]
    page = team.get("/r/alpha/steps/basics").get_data(as_text=True)
    total = service.INPUT_PER_PAGE + 5
    assert f"Input received ({total})" in page
    assert page.count('class="contribution status-') == service.INPUT_PER_PAGE
    assert f"Page 1 of 2 ({total} matching)" in page and "Previous page" not in page
    assert "Idea number 18." in page and "Idea number 19." not in page

    page = team.get("/r/alpha/steps/basics?input_page=2").get_data(as_text=True)
    assert page.count('class="contribution status-') == 5
    assert "Idea number 19." in page and "Idea number 23." in page and "Next page" not in page

    # Filtered: the pager counts what matches, and its links keep the filter.
    page = team.get("/r/alpha/steps/basics?category=ngo").get_data(as_text=True)
    assert "Pages of input" not in page and page.count('class="contribution status-') == 13
    page = team.get("/r/alpha/steps/basics?category=municipality&input_page=9")
    assert page.status_code == 200  # a page past the end shows the last one
    text = page.get_data(as_text=True)
    assert "Idea number 00." in text and "Idea number 01." not in text


def test_note_then_decline_with_reason_the_contributor_sees(pending):
    c = pending["contribution"]
    response = _decide(pending["team"], c.id, decision="noted")
    assert response.status_code == 302
    db.session.refresh(c)
    assert c.status is ContributionStatus.NOTED and c.decided_at is not None

    response = _decide(pending["team"], c.id, decision="declined", reason="  ")
    assert response.status_code == 422
    assert "Say why it is declined" in response.get_data(as_text=True)
    db.session.refresh(c)
    assert c.status is ContributionStatus.NOTED

    response = _decide(pending["team"], c.id, decision="declined", reason="Out of our remit.")
    assert response.status_code == 302
    db.session.refresh(c)
    assert (c.status, c.reason) == (ContributionStatus.DECLINED, "Out of our remit.")

    mine = pending["author_client"].get("/r/alpha/input").get_data(as_text=True)
    assert "Declined" in mine and "Out of our remit." in mine
    notes = db.session.scalars(
        select(Notification).where(Notification.user_id == pending["author"].id)
    ).all()
    assert [n.kind for n in notes] == ["contribution_decided", "contribution_decided"]


def test_edit_of_declined_input_goes_back_to_the_team(pending):
    c = pending["contribution"]
    _decide(pending["team"], c.id, decision="declined", reason="Too vague.")
    response = post_form(
        pending["author_client"],
        f"/r/alpha/input/{c.id}/edit",
        {"prompt": "general", "body": "Meet on Tuesday mornings at the community centre."},
    )
    assert response.status_code == 302
    db.session.refresh(c)
    assert c.status is ContributionStatus.PENDING


def test_adopt_inserts_into_an_answer_with_history_and_is_final(pending):
    c = pending["contribution"]
    response = _decide(pending["team"], c.id, decision="adopted", insert_into="statement")
    assert response.status_code == 302
    db.session.refresh(c)
    assert c.status is ContributionStatus.ADOPTED and c.adopted_into == "statement"
    answer = db.session.scalar(select(Answer).where(Answer.question_id == "statement"))
    assert answer.value == "Meet in the **mornings**."
    assert db.session.scalar(select(func.count(AnswerRevision.id))) == 1
    page = pending["team"].get("/r/alpha/steps/basics").get_data(as_text=True)
    assert "Meet in the **mornings**." in page  # in the editable answer now

    # The author can no longer edit it: no link, and a POST changes nothing.
    author = pending["author_client"]
    assert f"/input/{c.id}/edit" not in author.get("/r/alpha/input").get_data(as_text=True)
    response = post_form(
        author, f"/r/alpha/input/{c.id}/edit", {"prompt": "general", "body": "Changed my mind."}
    )
    assert response.status_code == 409
    db.session.refresh(c)
    assert c.body == "Meet in the **mornings**."

    # Nor can the team turn it into something else.
    response = _decide(pending["team"], c.id, decision="declined", reason="Oops")
    assert response.status_code == 409
    db.session.refresh(c)
    assert c.status is ContributionStatus.ADOPTED


def test_adopting_appends_to_an_existing_answer(pending):
    from belong.services.answers import set_answer

    set_answer(pending["region"], STEP, "statement", "We commit.", pending["author"])
    db.session.commit()
    c = pending["contribution"]
    _decide(pending["team"], c.id, decision="adopted", insert_into="statement")
    answer = db.session.scalar(select(Answer).where(Answer.question_id == "statement"))
    assert answer.value == "We commit.\n\nMeet in the **mornings**."
    revisions = db.session.scalars(select(AnswerRevision.value).order_by(AnswerRevision.id)).all()
    assert revisions == ["We commit.", "We commit.\n\nMeet in the **mornings**."]


def test_adopting_never_takes_an_answer_over_its_limit(app, pending):
    """The limit a step form keeps (MAX_ANSWER_LENGTH here) holds for adopted text too."""
    from belong.services.answers import set_answer

    app.config["MAX_ANSWER_LENGTH"] = 40
    set_answer(pending["region"], STEP, "statement", "We commit to meet often.", pending["author"])
    db.session.commit()
    c = pending["contribution"]
    response = _decide(pending["team"], c.id, decision="adopted", insert_into="statement")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "would be 51 characters long; its limit is 40" in page
    db.session.refresh(c)
    assert c.status is ContributionStatus.PENDING
    answer = db.session.scalar(select(Answer).where(Answer.question_id == "statement"))
    assert answer.value == "We commit to meet often."
    response = _decide(pending["team"], c.id, decision="adopted", insert_into="")
    assert response.status_code == 302
    db.session.refresh(c)
    assert c.status is ContributionStatus.ADOPTED


def test_insertion_only_into_a_long_text_of_the_step(pending):
    c = pending["contribution"]
    response = _decide(pending["team"], c.id, decision="adopted", insert_into="lead")
    assert response.status_code == 422  # `lead` is a short text: not offered
    response = _decide(pending["team"], c.id, decision="noted", insert_into="statement")
    assert response.status_code == 422
    db.session.refresh(c)
    assert c.status is ContributionStatus.PENDING
    assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_a_decision_on_a_stale_page_is_refused(pending):
    c = pending["contribution"]
    url = f"/r/alpha/input/{c.id}/decide"
    page = pending["team"].get(url).get_data(as_text=True)
    post_form(
        pending["author_client"],
        f"/r/alpha/input/{c.id}/edit",
        {"prompt": "general", "body": "A newer text."},
    )
    response = pending["team"].post(
        url, data={"csrf_token": csrf_token(page), "version": "1", "decision": "adopted"}
    )
    assert response.status_code == 409
    db.session.refresh(c)
    assert c.status is ContributionStatus.PENDING


def test_hostile_markdown_is_sanitised(pending):
    body = "<script>alert(1)</script>[x](javascript:alert(2)) <img src=x onerror=alert(3)>"
    _contribute(pending["author_client"], body=body)
    page = pending["team"].get("/r/alpha/steps/basics").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in page and "onerror" not in page


# ---------------------------------------------------------------- the annex


def _annex(html: str) -> str:
    start = html.index('id="annex-consultation"')
    return html[start : html.index("</body>", start)]


def test_annex_counts_match_the_data(app, make):
    region = make.region("alpha")
    ngo = _member(make, Role.CONTRIBUTOR, region, category="ngo", organisation="Casa Aperta")
    town = _member(make, Role.CONTRIBUTOR, region, category="municipality", organisation="Borgo")
    person = _member(make, Role.CONTRIBUTOR, region, category="", name="Rosa Vidal")
    team = _client(app, _member(make, Role.COORDINATOR, region))
    ngo_client, town_client = _client(app, ngo), _client(app, town)
    _contribute(ngo_client, body="one", show_organisation="y")
    _contribute(ngo_client, body="two", show_organisation="y")
    _contribute(ngo_client, step="assess", body="three", show_organisation="y")
    _contribute(town_client, body="four")  # the municipality did not agree to be named
    _contribute(_client(app, person), step="assess", body="five", show_name="y")
    by_body = {c.body: c for c in db.session.scalars(select(Contribution))}
    _decide(team, by_body["one"].id, decision="adopted")
    _decide(team, by_body["four"].id, decision="adopted")
    _decide(team, by_body["three"].id, decision="declined", reason="No.")

    annex = _annex(team.get("/r/alpha/document").get_data(as_text=True))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", annex))
    assert "input of 3 people, who made 5 contributions; 2 of them were adopted" in text
    basics, assess = text.split("2. Assessment", 1)  # the heading (its table repeats it)
    assert "NGO 2 1" in basics and "Municipality 1 1" in basics and "Total 3 2" in basics
    assert "NGO 1 0" in assess and "No category given 1 0" in assess and "Total 2 0" in assess
    assert "Adopted input came from: Casa Aperta, Municipality." in basics
    assert "Casa Aperta (NGO)" in text
    assert "Borgo" not in text  # counted, not named
    assert "Organisations that took part without being named: 1." in text
    assert "Individuals named at their request: Rosa Vidal." in text

    record = service.consultation_record(region, get_template("sample").definition, unstated="none")
    assert [(s["received"], s["adopted"]) for s in record["steps"]] == [(3, 2), (2, 0)]


def test_annex_in_the_real_template_pdf(app, make):
    """The intercultural template's layout includes the annex, and it reaches the PDF."""
    from pypdf import PdfReader

    from belong.services import documents

    region = make.region("real", template_id="intercultural-region")
    user = _member(make, Role.CONTRIBUTOR, region, category="migrant_led", organisation="FAMV")
    service.add(
        region,
        get_template("intercultural-region").definition.steps[0],
        user,
        db.session.scalar(select(Membership).where(Membership.user_id == user.id)),
        body="Hello",
        prompt_index=0,
        show_organisation=True,
    )
    db.session.commit()
    template = get_template("intercultural-region")
    html = documents.draft_html(region, template)
    assert "Consultation record" in html and "FAMV (Migrant-led organisation)" in html
    pdf = PdfReader(io.BytesIO(documents.document_pdf(template, html)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Consultation record" in text and "FAMV (Migrant-led organisation)" in text


# ---------------------------------------------------------------- participation


def test_participation_overview_and_safe_csv(app, make):
    region = make.region("alpha", name='Alpha";\r\nX-Evil: 1')
    ngo = _member(make, Role.CONTRIBUTOR, region, category="ngo", organisation="=HYPERLINK(1)")
    client = _client(app, ngo)
    _contribute(client, body="=cmd|' /C calc'!A0")
    _contribute(client, step="assess", body="+plain")
    team = _client(app, _member(make, Role.COORDINATOR, region))

    page = team.get("/r/alpha/participation").get_data(as_text=True)
    assert "2 contributions in all." in page
    not_heard = page[page.index("Not yet heard from") : page.index("by category and step")]
    assert "Municipality" in not_heard and "NGO" not in not_heard
    row = re.search(r"<th scope=\"row\">NGO</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r"<td>(?:<strong>)?(\d+)", row) == ["1", "1", "2"]

    response = team.get("/r/alpha/participation.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith('attachment; filename="Alpha-X-Evil-1-participation.csv"')
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 3
    cells = [cell for r in rows[1:] for cell in r]
    assert "'=cmd|' /C calc'!A0" in cells and "'+plain" in cells and "'=HYPERLINK(1)" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_participation_is_for_the_coordinator(app, make):
    region = make.region("alpha")
    for role in (Role.CONTRIBUTOR, Role.EDITOR, Role.REVIEWER):
        client = _client(app, _member(make, role, region))
        assert client.get("/r/alpha/participation").status_code == 403
        assert client.get("/r/alpha/participation.csv").status_code == 403


# ---------------------------------------------------------------- regions apart


def test_a_contributor_of_region_a_sees_nothing_of_region_b(app, make):
    region_a = make.region("alpha")
    region_b = make.region("beta")
    b_author = _member(make, Role.CONTRIBUTOR, region_b, category="ngo")
    _contribute(_client(app, b_author), slug="beta", body="Beta's secret input.")
    theirs = _only()
    a_user = _member(make, Role.CONTRIBUTOR, region_a, category="ngo")
    client = _client(app, a_user)
    token = csrf_token(client.get("/r/alpha/input").get_data(as_text=True))

    for url in (
        "/r/beta/input",
        "/r/beta/steps/basics",
        "/r/beta/steps/basics/input",
        f"/r/beta/input/{theirs.id}/edit",
        f"/r/beta/input/{theirs.id}/decide",
        "/r/beta/participation",
        "/r/beta/participation.csv",
        "/r/beta/members",
        "/r/beta/document",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data={"csrf_token": token, "body": "x"}).status_code in (404, 405)
    # Nor through their own region's addresses with the other region's ids.
    url = f"/r/alpha/input/{theirs.id}/edit"
    assert client.get(url).status_code == 404
    response = client.post(url, data={"csrf_token": token, "body": "x", "prompt": "general"})
    assert response.status_code == 404
    assert "Beta's secret input." not in client.get("/r/alpha/steps/basics").get_data(as_text=True)
    db.session.refresh(theirs)
    assert theirs.body == "Beta's secret input." and theirs.version == 1
    assert db.session.scalar(select(func.count(Contribution.id))) == 1


# ---------------------------------------------------------------- members


def test_members_page_lists_role_organisation_category_and_last_activity(app, make):
    region = make.region("alpha")
    nadia = _member(
        make, Role.CONTRIBUTOR, region, category="ngo", organisation="Casa Aperta", name="Nadia"
    )
    _member(make, Role.EDITOR, region, name="Elias")
    _contribute(_client(app, nadia))  # an audit event in this region
    team = _client(app, _member(make, Role.COORDINATOR, region, name="Carla"))
    page = team.get("/r/alpha/members").get_data(as_text=True)
    nadia_row = re.search(r"<tr>\s*<th scope=\"row\">Nadia.*?</tr>", page, re.S).group(0)
    assert "Contributor" in nadia_row and "Casa Aperta" in nadia_row and "NGO" in nadia_row
    assert "No activity yet" not in nadia_row
    elias_row = re.search(r"<tr>\s*<th scope=\"row\">Elias.*?</tr>", page, re.S).group(0)
    assert "Editor" in elias_row and "No activity yet" in elias_row


def test_coordinator_changes_a_role_and_removes_a_member_who_stays_attributed(app, make):
    region = make.region("alpha")
    nadia = _member(make, Role.CONTRIBUTOR, region, category="ngo", name="Nadia Okafor")
    nadia_client = _client(app, nadia)
    _contribute(nadia_client, body="Keep this.")
    team = _client(app, _member(make, Role.COORDINATOR, region))
    membership = db.session.scalar(select(Membership).where(Membership.user_id == nadia.id))
    membership_id = membership.id

    url = f"/r/alpha/members/{membership_id}"
    response = post_form(team, url, {"role": "editor", "organisation": "FAMV", "category": "ngo"})
    assert response.status_code == 302
    db.session.refresh(membership)
    assert (membership.role, membership.organisation) == (Role.EDITOR, "FAMV")
    assert _only().organisation == ""  # input keeps what it was written under

    confirm = team.get(f"{url}/remove")
    assert confirm.status_code == 200
    assert "Remove Nadia Okafor from Alpha?" in confirm.get_data(as_text=True)
    assert db.session.get(Membership, membership_id) is not None  # asking changes nothing
    response = post_form(team, f"{url}/remove", {})
    assert response.status_code == 302
    assert db.session.get(Membership, membership_id) is None
    assert nadia_client.get("/r/alpha/").status_code == 404
    contribution = _only()
    assert contribution.body == "Keep this." and contribution.author_id == nadia.id
    assert "Nadia Okafor" in team.get("/r/alpha/steps/basics").get_data(as_text=True)


def test_the_last_coordinator_is_neither_demoted_nor_removed(app, make):
    region = make.region("alpha")
    carla = _member(make, Role.COORDINATOR, region)
    team = _client(app, carla)
    membership = db.session.scalar(select(Membership).where(Membership.user_id == carla.id))
    url = f"/r/alpha/members/{membership.id}"
    response = post_form(team, url, {"role": "editor", "organisation": "", "category": ""})
    assert response.status_code == 422
    assert "at least one coordinator" in response.get_data(as_text=True)
    response = post_form(team, f"{url}/remove", {})
    assert response.status_code == 409
    db.session.refresh(membership)
    assert membership.role is Role.COORDINATOR


def test_members_of_another_region_are_not_found(app, make):
    alpha, beta = make.region("alpha"), make.region("beta")
    other = _member(make, Role.CONTRIBUTOR, beta)
    other_membership = db.session.scalar(select(Membership).where(Membership.user_id == other.id))
    team = _client(app, _member(make, Role.COORDINATOR, alpha))
    url = f"/r/alpha/members/{other_membership.id}"
    assert team.get(url).status_code == 404
    assert post_form(team, f"{url}/remove", {}, token_from="/r/alpha/members").status_code == 404
    assert db.session.get(Membership, other_membership.id) is not None


def test_editors_and_contributors_do_not_manage_members(app, make):
    region = make.region("alpha")
    target = db.session.scalar(
        select(Membership).where(Membership.user_id == _member(make, Role.CONTRIBUTOR, region).id)
    )
    for role in (Role.EDITOR, Role.CONTRIBUTOR, Role.REVIEWER):
        client = _client(app, _member(make, role, region))
        token = csrf_token(client.get("/r/alpha/").get_data(as_text=True))
        assert client.get("/r/alpha/members").status_code == 403
        response = client.post(f"/r/alpha/members/{target.id}/remove", data={"csrf_token": token})
        assert response.status_code == 403
    assert db.session.get(Membership, target.id) is not None


# ---------------------------------------------------------------- demo


def test_demo_input_comes_from_several_categories_and_some_is_adopted(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    from belong.models import Region

    valdoria = db.session.scalar(select(Region).where(Region.slug == "valdoria"))
    record = service.consultation_annex(valdoria, get_template(valdoria.template_id).definition)
    categories = {row["label"] for step in record["steps"] for row in step["categories"]}
    assert len(categories) >= 5
    assert 0 < record["adopted"] < record["total"]
    assert record["organisations"]
