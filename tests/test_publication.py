"""Publication settings: the coordinator sets the logo, accent colour, imprint details and
signatory; bad input is refused at its field with nothing saved; the draft shows today's
settings and a version the ones it was submitted with; the PDF fetcher serves bundled files
and inline PNG or JPEG images only."""

from __future__ import annotations

import base64
import hashlib
import io

import pytest
from PIL import Image
from sqlalchemy import func, select
from weasyprint.urls import FatalURLFetchingError

from belong.document.fetcher import ASSET_ORIGIN, AssetFetcher
from belong.document.render import STATIC
from belong.extensions import db
from belong.models import AuditEvent, PublicationImage, PublicationSettings, Role
from belong.services import documents, publication, versions
from belong.services.documents import Purpose
from belong.templating.registry import get_template
from tests.conftest import csrf_token

URL = "/r/alpha/settings/publication"
TEMPLATE = "intercultural-region"


def png(width: int = 120, height: int = 60, colour=(29, 90, 140), kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, kind)
    return out.getvalue()


GOOD = {
    "accent": "#1D5A8C",
    "publisher": "Regional Government of Alpha",
    "contact": "Integration Office\nMain Square 1\ninclusion@alpha.example",
    "licence": "cc-by-4.0",
    "eu_funded": "y",
    "eu_statement": "Co-funded by the European Union under the AMIF programme.",
    "signatory_name": "Maria Example",
    "signatory_title": "Minister for Social Affairs",
}


def _post(client, data: dict, files: dict | None = None):
    token = csrf_token(client.get(URL).get_data(as_text=True))
    payload = {"csrf_token": token, **data}
    for name, (content, filename) in (files or {}).items():
        payload[name] = (io.BytesIO(content), filename)
    return client.post(URL, data=payload, content_type="multipart/form-data")


def _counts() -> tuple[int, int]:
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count()).select_from(PublicationSettings)),
        db.session.scalar(select(func.count()).select_from(PublicationImage)),
    )


def _draft_html(app, region) -> str:
    with app.test_request_context():
        return documents.draft_html(region, get_template(region.template_id))


def test_the_coordinator_sets_logo_colour_and_imprint_and_the_draft_shows_them(
    app, client, make, as_user
):
    region = make.region("alpha", template_id=TEMPLATE)
    as_user(Role.COORDINATOR, region)
    home = client.get("/r/alpha/").get_data(as_text=True)
    assert URL in home and "Publication settings" in home

    logo = png()
    response = _post(client, GOOD, {"logo": (logo, "logo.png"), "emblem": (png(90, 60), "eu.png")})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    settings = db.session.scalar(select(PublicationSettings))
    assert settings.accent == "#1d5a8c" and settings.publisher == GOOD["publisher"]
    assert settings.logo_sha256 and settings.emblem_sha256
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "publication_settings_changed")
    )
    assert "publisher" in event.detail["fields"] and "logo_sha256" in event.detail["fields"]
    page = client.get(URL).get_data(as_text=True)
    assert "The current logo (120 × 60 px)." in page
    assert 'value="Regional Government of Alpha"' in page

    html = _draft_html(app, region)
    assert "<style>:root { --accent: #1d5a8c; }</style>" in html
    assert html.count('src="data:image/png;base64,') == 3  # cover, imprint emblem, back cover
    assert "Creative Commons Attribution 4.0 International (CC BY 4.0)" in html
    assert "Co-funded by the European Union under the AMIF programme." in html
    assert 'class="imprint"' in html and 'class="back-cover"' in html

    # The preview shows the accent too: the policy lets that one <style> through by its hash.
    preview = client.get("/r/alpha/document")
    style = ".doc-view { --accent: #1d5a8c; }"
    assert f"<style>{style}</style>" in preview.get_data(as_text=True)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'self' 'sha256-{digest}';" in preview.headers["Content-Security-Policy"]
    assert "script-src 'self';" in preview.headers["Content-Security-Policy"]


def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(client, make, as_user):
    region = make.region("alpha", template_id=TEMPLATE)
    as_user(Role.COORDINATOR, region)
    cases = [
        ({"accent": "#f1c7a8"}, None, "This colour is too light"),
        ({"accent": "blue"}, None, "Give the colour as # and six hexadecimal digits"),
        ({}, ("logo", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.png"), "not a PNG"),
        ({}, ("logo", png(kind="GIF"), "logo.gif"), "not a PNG or JPEG"),
        ({}, ("logo", png(5000, 40), "wide.png"), "this one is 5000 × 40"),
        ({}, ("emblem", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "broken.png"), "not a PNG"),
        ({"eu_funded": "y", "eu_statement": ""}, None, "Give the funding statement"),
        ({"licence": "public-domain-please"}, None, "Not a valid choice"),
    ]
    for fields, upload, message in cases:
        # A valid logo beside the bad field: it is not kept either.
        files = {"logo": (png(), "ok.png")}
        if upload:
            files[upload[0]] = upload[1:]
        response = _post(client, {**GOOD, **fields}, files)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, fields
        assert message in page, (fields, message)
        assert 'class="field-error"' in page and "There is a problem" in page
        assert _counts() == (0, 0), message


def test_a_version_keeps_the_settings_it_was_submitted_with(app, client, make, as_user):
    region = make.region("alpha", template_id=TEMPLATE)
    coordinator = as_user(Role.COORDINATOR, region)
    first_logo = png(colour=(200, 30, 30))
    assert _post(client, GOOD, {"logo": (first_logo, "red.png")}).status_code == 302
    with app.test_request_context():
        version = versions.submit(region, coordinator, "")
    db.session.commit()
    assert version.publication["publisher"] == GOOD["publisher"]

    changed = {**GOOD, "publisher": "Alpha Agency", "accent": "#2e5d34"}
    assert _post(client, changed, {"logo": (png(colour=(0, 0, 0)), "black.png")}).status_code == 302
    assert _counts() == (1, 2)  # the first logo is kept for the version

    template = get_template(TEMPLATE)
    with app.test_request_context():
        frozen = documents.document_html(
            region, template, versions.edition_of(version, Purpose.VERSION)
        )
    first = base64.b64encode(publication.check_image(first_logo).data).decode()
    assert first in frozen and "Regional Government of Alpha" in frozen
    assert "Alpha Agency" not in frozen and "#2e5d34" not in frozen
    draft = _draft_html(app, region)
    assert "Alpha Agency" in draft and first not in draft


def test_removing_the_logo_and_untagging_eu_funding_takes_them_out(app, client, make, as_user):
    region = make.region("alpha", template_id=TEMPLATE)
    as_user(Role.COORDINATOR, region)
    files = {"logo": (png(), "logo.png"), "emblem": (png(90, 60), "eu.png")}
    assert _post(client, GOOD, files).status_code == 302
    without = {k: v for k, v in GOOD.items() if k != "eu_funded"}
    assert _post(client, {**without, "remove_logo": "y"}).status_code == 302
    settings = db.session.scalar(select(PublicationSettings))
    assert settings.logo_sha256 is None and settings.emblem_sha256 is None
    html = _draft_html(app, region)
    assert "data:image/png" not in html and "European Union under" not in html


def test_an_editor_cannot_change_the_settings(client, make, as_user):
    region = make.region("alpha", template_id=TEMPLATE)
    as_user(Role.EDITOR, region)
    assert URL not in client.get("/r/alpha/").get_data(as_text=True)
    assert client.get(URL).status_code == 403


def test_images_are_only_another_regions_by_their_own_region(app, make):
    alpha = make.region("alpha", template_id=TEMPLATE)
    beta = make.region("beta", template_id=TEMPLATE)
    coordinator = make.user(Role.COORDINATOR, alpha)
    with app.test_request_context():
        publication.save(alpha, coordinator, {}, logo=publication.check_image(png()))
        db.session.commit()
        sha = publication.settings_of(alpha).logo_sha256
        # beta's document naming alpha's logo by its hash gets nothing
        assert publication.image_of(beta.id, sha) is None
        shown = publication.document_publication(beta, {"logo_sha256": sha})
    assert shown["logo"] == ""


def test_the_fetcher_serves_bundled_files_and_inline_images_only(tmp_path):
    folder = tmp_path / "template"
    folder.mkdir()
    (folder / "document.css").write_text("p {}")
    elsewhere = tmp_path / "uploads" / "2"
    elsewhere.mkdir(parents=True)
    (elsewhere / "logo.png").write_bytes(png())
    fetcher = AssetFetcher({"template": folder, "static": STATIC})

    assert fetcher.fetch(ASSET_ORIGIN + "template/document.css").read() == b"p {}"
    good = "data:image/png;base64," + base64.b64encode(png()).decode()
    assert fetcher.fetch(good).content_type == "image/png"
    svg = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode()
    refused = [
        ASSET_ORIGIN + "template/../uploads/2/logo.png",  # another region's logo beside it
        ASSET_ORIGIN + "template/%2e%2e/uploads/2/logo.png",
        ASSET_ORIGIN + "uploads/2/logo.png",
        ASSET_ORIGIN + "region/2/logo.png",
        (elsewhere / "logo.png").as_uri(),
        "file:///etc/passwd",
        ASSET_ORIGIN + "static/../../../../etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "data:image/svg+xml;base64," + svg,
        "data:image/png;base64," + svg,  # says PNG, holds SVG
        "data:text/html;base64,PGgxPng8L2gxPg==",
        "data:image/png,%89PNG",
    ]
    for url in refused:
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == len(refused)


def test_an_image_over_the_size_limits_is_refused_and_nothing_is_saved(
    app, client, make, as_user, monkeypatch
):
    # Limits lowered for the test: the test client spools bodies over 500 kB to a temporary
    # file it never closes.
    monkeypatch.setattr(publication, "IMAGE_MAX_BYTES", 200 * 1024)
    app.config["MAX_CONTENT_LENGTH"] = 400 * 1024
    region = make.region("alpha", template_id=TEMPLATE)
    as_user(Role.COORDINATOR, region)
    noise = io.BytesIO()
    Image.effect_noise((300, 300), 90).convert("RGB").save(noise, "PNG")
    assert 200 * 1024 < len(noise.getvalue()) < 400 * 1024
    response = _post(client, GOOD, {"logo": (noise.getvalue(), "big.png")})
    assert response.status_code == 422
    assert "The image is larger than 200 kB." in response.get_data(as_text=True)
    # Larger than a request may be: the friendly "too large" page, nothing kept.
    response = _post(client, GOOD, {"logo": (b"\x89PNG" + b"0" * 450_000, "huge.png")})
    assert response.status_code == 413
    assert _counts() == (0, 0)
