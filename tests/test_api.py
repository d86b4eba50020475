"""The read-only API: personal access tokens (made on the account page, shown once, hashed,
revoked, expiring), the same access as the pages, problem details, the rate limit, and an
OpenAPI description that validates and describes what the API answers."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from openapi_spec_validator import validate
from sqlalchemy import select

from belong.extensions import db
from belong.models import ApiToken, Membership, Role
from belong.models.base import utcnow
from belong.services import accounts, api_tokens, members, records
from belong.services import answers as answer_service
from belong.templating.registry import get_template
from tests.conftest import login, post_form

PROBLEM_FIELDS = {"type", "title", "status", "detail"}


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _token_for(user, days: int = 30) -> str:
    _token, secret = api_tokens.create(user, "Script", days)
    db.session.commit()
    return secret


def _assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert set(body) == PROBLEM_FIELDS and body["status"] == status and body["detail"]
    return body


def _answered_region(make, slug="alpha"):
    region = make.region(slug)
    coordinator = make.user(Role.COORDINATOR, region)
    step = get_template(region.template_id).definition.step("basics")
    answer_service.save_step(
        region, step, {"lead": "Social affairs", "budget": 1500}, {}, coordinator
    )
    db.session.commit()
    return region, coordinator


def test_a_token_is_shown_once_stored_hashed_and_revoked_on_the_account_page(client, make):
    _region, coordinator = _answered_region(make)
    login(client, coordinator.email)
    made = post_form(client, "/account/tokens", {"name": "Monitoring", "days": "30"})
    assert made.status_code == 201
    page = made.get_data(as_text=True)
    secret = re.search(r'id="new-token"[^>]*value="(blg_[^"]+)"', page).group(1)
    assert "shown only this once" in page

    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in repr(db.session.execute(select(ApiToken.__table__)).all())
    assert 29 <= (api_tokens._aware(stored.expires_at) - utcnow()).days <= 30
    # Never again: the list shows the name and the first characters only.
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "Monitoring" in listing and stored.prefix in listing and secret not in listing

    read = client.get("/api/v1/regions/alpha", headers=_bearer(secret))
    assert read.status_code == 200 and read.get_json()["name"] == "Alpha"
    assert "Set-Cookie" not in read.headers and read.headers["Cache-Control"] == "no-store"

    confirm = client.get(f"/account/tokens/{stored.id}/revoke")
    assert "loses access at once" in confirm.get_data(as_text=True)
    revoked = post_form(client, f"/account/tokens/{stored.id}/revoke", {})
    assert revoked.status_code == 302
    assert db.session.scalar(select(ApiToken)) is None
    _assert_problem(client.get("/api/v1/regions/alpha", headers=_bearer(secret)), 401)


def test_a_token_needs_a_name_and_an_offered_lifetime(client, make):
    user = make.user()
    login(client, user.email)
    refused = post_form(client, "/account/tokens", {"name": "", "days": "3650"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Give the token a name." in page
    assert db.session.scalar(select(ApiToken)) is None


def test_a_person_has_at_most_ten_tokens(client, make):
    user = make.user()
    for number in range(api_tokens.MAX_TOKENS):
        api_tokens.create(user, f"Token {number}", 7)
    db.session.commit()
    login(client, user.email)
    refused = post_form(client, "/account/tokens", {"name": "One more", "days": "7"})
    assert refused.status_code == 422
    assert "Revoke one first." in refused.get_data(as_text=True)


def test_nobody_revokes_another_persons_token(client, make):
    owner, other = make.user(), make.user()
    token, _secret = api_tokens.create(owner, "Mine", 7)
    db.session.commit()
    login(client, other.email)
    assert client.get(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, token.id) is not None


def test_an_expired_token_is_refused(client, make):
    _region, coordinator = _answered_region(make)
    secret = _token_for(coordinator)
    token = db.session.scalar(select(ApiToken))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    body = _assert_problem(client.get("/api/v1/regions", headers=_bearer(secret)), 401)
    assert "expired" in body["detail"]


def test_no_token_or_a_session_cookie_alone_is_401_with_a_challenge(client, make):
    _region, coordinator = _answered_region(make)
    login(client, coordinator.email)  # a browser session is not an API credential
    response = client.get("/api/v1/regions/alpha")
    _assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    _assert_problem(client.get("/api/v1/regions", headers=_bearer("blg_made-up")), 401)


def test_the_api_reads_progress_steps_answers_and_versions(client, make):
    region, coordinator = _answered_region(make)
    make.version(region, coordinator, 1)
    secret = _token_for(coordinator)

    listing = client.get("/api/v1/regions", headers=_bearer(secret)).get_json()
    assert [r["slug"] for r in listing["regions"]] == ["alpha"]
    assert listing["regions"][0]["role"] == "coordinator" and listing["total"] == 1

    detail = client.get("/api/v1/regions/alpha", headers=_bearer(secret)).get_json()
    basics = next(s for s in detail["steps"] if s["id"] == "basics")
    assert basics["state"] == "in_progress" and "statement" in basics["missing_required"]
    assert detail["latest_version"] == 1

    step = client.get(basics["links"]["self"], headers=_bearer(secret)).get_json()
    answers = {a["question"]: a for a in step["answers"]}
    assert answers["lead"]["value"] == "Social affairs" and answers["lead"]["answered"]
    assert answers["budget"]["value"] == 1500
    assert answers["statement"]["value"] is None and not answers["statement"]["answered"]

    versions = client.get(detail["links"]["versions"], headers=_bearer(secret)).get_json()
    (version,) = versions["versions"]
    assert version["number"] == 1 and version["pdf_ready"] and version["sha256"]
    pdf = client.get(version["links"]["pdf"], headers=_bearer(secret))
    assert pdf.mimetype == "application/pdf"
    assert hashlib.sha256(pdf.data).hexdigest() == version["sha256"]
    pdf.close()
    word = client.get(version["links"]["docx"], headers=_bearer(secret))
    assert word.data.startswith(b"PK") and "wordprocessingml" in word.mimetype
    word.close()
    _assert_problem(client.get("/api/v1/regions/alpha/steps/nope", headers=_bearer(secret)), 404)
    _assert_problem(client.get("/api/v1/regions/alpha/versions/9", headers=_bearer(secret)), 404)


def test_another_regions_data_is_404_and_a_removed_members_token_stops_reading(client, make):
    alpha, _coordinator = _answered_region(make, "alpha")
    _beta, _other = _answered_region(make, "beta")
    contributor = make.user(Role.CONTRIBUTOR, alpha)
    secret = _token_for(contributor)
    for url in ("/api/v1/regions/beta", "/api/v1/regions/beta/steps/basics"):
        _assert_problem(client.get(url, headers=_bearer(secret)), 404)
    listing = client.get("/api/v1/regions", headers=_bearer(secret)).get_json()
    assert [r["slug"] for r in listing["regions"]] == ["alpha"]
    assert client.get("/api/v1/regions/alpha", headers=_bearer(secret)).status_code == 200

    membership = db.session.scalar(select(Membership).where(Membership.user_id == contributor.id))
    members.remove_member(membership)
    db.session.commit()
    _assert_problem(client.get("/api/v1/regions/alpha", headers=_bearer(secret)), 404)
    assert client.get("/api/v1/regions", headers=_bearer(secret)).get_json()["regions"] == []


def test_a_disabled_persons_token_stops_working(client, make):
    _alpha, coordinator = _answered_region(make)
    secret = _token_for(coordinator)
    admin = make.user(admin=True)
    from belong.services import account_security

    account_security.disable_user(coordinator, admin)
    db.session.commit()
    _assert_problem(client.get("/api/v1/regions", headers=_bearer(secret)), 401)


def test_too_many_requests_is_a_429_problem_with_retry_after(app, client, make):
    _alpha, coordinator = _answered_region(make)
    secret = _token_for(coordinator)
    app.config.update(API_REQUESTS_PER_WINDOW=3, API_UNAUTHENTICATED_PER_WINDOW=2)
    for _ in range(3):
        assert client.get("/api/v1/regions", headers=_bearer(secret)).status_code == 200
    limited = client.get("/api/v1/regions", headers=_bearer(secret))
    _assert_problem(limited, 429)
    assert limited.headers["Retry-After"] == str(app.config["API_WINDOW_SECONDS"])
    # Without a valid token, requests are counted per address.
    for _ in range(2):
        _assert_problem(client.get("/api/v1/regions"), 401)
    _assert_problem(client.get("/api/v1/regions"), 429)


def test_bad_parameters_and_methods_are_problems(client, make):
    _alpha, coordinator = _answered_region(make)
    secret = _token_for(coordinator)
    bad = _assert_problem(client.get("/api/v1/regions?per_page=1000", headers=_bearer(secret)), 422)
    assert "per_page" in bad["detail"]
    _assert_problem(client.post("/api/v1/regions", headers=_bearer(secret)), 405)
    _assert_problem(client.get("/api/v1/nothing-here", headers=_bearer(secret)), 404)


def test_an_admin_reads_every_region_a_page_at_a_time(client, make):
    for slug in ("alpha", "beta", "gamma"):
        make.region(slug)
    admin = make.user(admin=True)
    secret = _token_for(admin)
    first = client.get("/api/v1/regions?per_page=2", headers=_bearer(secret)).get_json()
    assert [r["slug"] for r in first["regions"]] == ["alpha", "beta"]
    assert (first["page"], first["pages"], first["total"]) == (1, 2, 3)
    second = client.get("/api/v1/regions?per_page=2&page=2", headers=_bearer(secret)).get_json()
    assert [r["slug"] for r in second["regions"]] == ["gamma"] and second["regions"][0][
        "role"
    ] is None


def test_the_openapi_description_validates_and_names_every_api_route(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)  # raises on an invalid OpenAPI document
    described = set(spec["paths"])
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi"
    }
    assert described == routes
    assert spec["components"]["securitySchemes"]["token"] == {"type": "http", "scheme": "bearer"}
    assert {"type", "title", "status", "detail"} <= set(
        spec["components"]["schemas"]["Problem"]["properties"]
    )
    regions = spec["paths"]["/api/v1/regions/{slug}"]["get"]["responses"]
    assert "application/problem+json" in regions["404"]["content"]
    pdf = spec["paths"]["/api/v1/regions/{slug}/versions/{number}/pdf"]["get"]["responses"]
    assert "application/pdf" in pdf["200"]["content"]


def test_responses_match_their_described_schemas(client, make):
    """What the API answers validates against the schema the description gives for it."""
    from jsonschema import Draft202012Validator

    region, coordinator = _answered_region(make)
    make.version(region, coordinator, 1)
    secret = _token_for(coordinator)
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    for path, name in (
        ("/api/v1/regions", "RegionList"),
        ("/api/v1/regions/alpha", "RegionDetail"),
        ("/api/v1/regions/alpha/steps/basics", "StepDetail"),
        ("/api/v1/regions/alpha/versions", "VersionList"),
        ("/api/v1/regions/alpha/versions/1", "VersionItem"),
    ):
        body = client.get(path, headers=_bearer(secret)).get_json()
        schema = {**schemas[name], "components": {"schemas": schemas}}
        errors = list(Draft202012Validator(schema).iter_errors(body))
        assert not errors, (path, errors[:1])


def test_the_token_holders_invitation_does_not_matter(app, make):
    """A token reads as its person whatever other links they hold: invitation tokens are
    a different table and never API credentials."""
    region = make.region("alpha")
    invitation = accounts.invite(region, "new@example.org", "New", Role.EDITOR, hours=1)
    db.session.commit()
    assert api_tokens.authenticate(invitation.secret) is None


def test_the_api_lists_the_strategy_checks_as_the_region_home_does(client, make):
    region = make.region("north", template_id="intercultural-region")
    coordinator = make.user(Role.COORDINATOR, region)
    secret = _token_for(coordinator)
    body = client.get("/api/v1/regions/north/checks", headers=_bearer(secret)).get_json()
    statuses = [item["status"] for item in body["items"]]
    assert statuses == sorted(statuses, key=["fail", "warning", "pass"].index)  # failures first
    assert body["counts"]["fail"] == statuses.count("fail") > 0  # nothing answered yet
    complete = next(i for i in body["items"] if i["id"] == "required_steps")
    assert complete["status"] == "fail" and complete["advice"]
    assert complete["page"].startswith("/r/north/steps/")
    home = client.get("/r/north/", headers=_bearer(secret))  # a token never opens a page
    assert home.status_code == 302
    _assert_problem(client.get("/api/v1/regions/elsewhere/checks", headers=_bearer(secret)), 404)


def test_the_api_lists_a_kinds_records_with_their_keys_and_references(client, make):
    region, coordinator = _answered_region(make)
    whole = records.add_record(region, "goal", {"name": "Welcome everyone"}, coordinator)
    part = records.add_record(
        region, "goal", {"name": "A desk in every town", "parent": [whole.key]}, coordinator
    )
    db.session.commit()
    secret = _token_for(coordinator)
    body = client.get("/api/v1/regions/alpha/records/goal", headers=_bearer(secret)).get_json()
    assert body["kind"] == "goal" and body["label"] == "Goals"
    assert [i["key"] for i in body["items"]] == [whole.key, part.key]
    second = body["items"][1]
    assert second["title"] == "A desk in every town" and second["refs"]["parent"] == [whole.key]
    assert second["page"] == f"/r/alpha/records/goal/{part.key}"
    _assert_problem(client.get("/api/v1/regions/alpha/records/nope", headers=_bearer(secret)), 404)
