"""The PDF pipeline under attack: hostile text in every free-text field, contribution and comment
fetches nothing outside the bundled assets, embeds nothing, runs no script on any page; a hostile
or enormous document ends with a clear error within the configured bound."""

from __future__ import annotations

import io
import re
import time
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from belong.document import render as render_module
from belong.document.fetcher import ASSET_ORIGIN, AssetFetcher
from belong.document.render import render_pdf_in
from belong.extensions import db
from belong.models import Membership, Region, Role
from belong.services import answers as answer_service
from belong.services import comments, contributions, versions
from belong.templating.registry import get_template
from tests.conftest import csrf_token, login

PASSWD = "/etc/passwd"
CORPUS = [
    '<img src="file:///etc/passwd">',
    '<img src="../../etc/hostname">',
    "![passwd](file:///etc/passwd) ![host](../../etc/hostname)",
    '<a href="http://127.0.0.1:5000/">local</a> [local](http://127.0.0.1:5000/)',
    '<img src="http://169.254.169.254/latest/meta-data/">',
    "[meta](http://169.254.169.254/latest/meta-data/)",
    '<style>@import url("http://127.0.0.1:5000/x.css"); body{background:url(file:///etc/passwd)}'
    "</style>",
    '<p style="background-image: url(http://169.254.169.254/)">styled</p>',
    '<div style="content: url(file:///etc/passwd)">x</div>',
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/>'
    '<use href="http://127.0.0.1:5000/#x"/></svg>',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<a rel="attachment" href="file:///etc/passwd">attached</a>',
    '<object data="file:///etc/passwd"></object><iframe src="http://127.0.0.1:5000/"></iframe>',
    '<base href="file:///etc/"><meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">js</a> [js](javascript:alert(1))',
    '<a href="jav&#x09;ascript:alert(1)">tab</a> <a href=" javascript:alert(1)">space</a>',
]
CORPUS_TEXT = "\n\n".join(CORPUS)


def _lead_chunks() -> list[str]:
    """The short text holds 500 characters: the corpus in pieces that fit."""
    chunks, current = [], ""
    for item in CORPUS:
        if len(current) + len(item) + 1 > 500:
            chunks.append(current)
            current = ""
        current = f"{current} {item}".strip()
    return [*chunks, current]


class SpyFetcher(AssetFetcher):
    """The app's fetcher, recording every URL WeasyPrint asks for."""

    seen: list[str] = []

    def fetch(self, url: str, headers=None):
        SpyFetcher.seen.append(url)
        return super().fetch(url, headers)


@pytest.fixture
def spy(app, monkeypatch):
    """Render in this process so the spy sees every request of the renderer."""
    app.config["PDF_RENDER_ISOLATION"] = "inline"
    SpyFetcher.seen = []
    monkeypatch.setattr(render_module, "AssetFetcher", SpyFetcher)
    return SpyFetcher


def _post_step(client, url: str, fields: dict) -> None:
    page = client.get(url).get_data(as_text=True)
    versions_ = dict(re.findall(r'name="(v_[a-z_]+)" type="hidden" value="(\d*)"', page))
    response = client.post(
        url, data={"csrf_token": csrf_token(page), **versions_, **fields, "action": "save"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def _fill_everything(app, client, region, user, lead: str) -> dict:
    """Every free-text field of the sample template, a contribution and comments."""
    _post_step(client, "/r/alpha/steps/basics", {"q_lead": lead, "q_statement": CORPUS_TEXT})
    rows = {f"q_actions-{i}-action": item for i, item in enumerate(CORPUS)}
    _post_step(
        client,
        "/r/alpha/steps/assess",
        {
            "q_public_statement-choice": "partly",
            "q_public_statement-evidence": CORPUS_TEXT,
            **rows,
        },
    )
    step = get_template(region.template_id).definition.step("basics")
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    with app.test_request_context():
        contribution = contributions.add(
            region, step, user, membership, body=CORPUS_TEXT, prompt_index=None
        )
        version = versions.submit(region, user, CORPUS_TEXT)
        thread = comments.start_thread(
            region, version, user, membership, "basics", "lead", CORPUS_TEXT
        )
        comments.reply(region, thread, user, membership, CORPUS_TEXT)
    db.session.commit()
    return {"contribution": contribution.id, "version": version.number}


def _check_pdf(data: bytes, label: str) -> None:
    assert data.startswith(b"%PDF"), label
    reader = PdfReader(io.BytesIO(data))
    assert reader.attachments == {}, label
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "root:x:0:0" not in text and "/bin/bash" not in text and "nologin" not in text, label
    for page in reader.pages:  # links go to https or mailto, or inside the document
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                uri = str(action["/URI"])
                assert uri.startswith(("https://", "mailto:")), f"{label}: link to {uri}"
            if action:
                assert action.get("/S") != "/JavaScript", label
    catalog = reader.trailer["/Root"]
    assert "/OpenAction" not in catalog or "/JS" not in str(catalog["/OpenAction"]), label
    assert "/JavaScript" not in str(catalog.get("/Names", {})), label


class _Tags(HTMLParser):
    """Every real start tag of a page with its attributes (text and attribute values that
    merely contain "<script>" are not tags)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k.lower(): v or "" for k, v in attrs}))


def _check_html(html: str, label: str) -> None:
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        where = f"{label}: <{tag} {attrs}>"
        assert tag not in {"iframe", "object", "embed", "base", "frame", "applet"}, where
        if tag == "script":
            assert re.fullmatch(r"/static/[\w.-]+\.js", attrs.get("src", "")), where
        if tag == "meta":
            assert "http-equiv" not in attrs, where
        if tag == "link":
            assert attrs.get("rel") in {"stylesheet", "icon"}, where
            assert attrs.get("href", "").startswith("/"), where
        assert not [a for a in attrs if a.startswith("on")], where
        assert "style" not in attrs, where
        for name in ("href", "src", "action", "formaction", "data", "xlink:href"):
            value = re.sub(r"[\x00-\x20]", "", attrs.get(name, "")).lower()
            assert not value.startswith(("javascript:", "file:", "data:", "vbscript:")), where


@pytest.mark.parametrize("lead", _lead_chunks())
def test_the_attack_corpus_fetches_nothing_and_embeds_nothing(app, client, make, spy, lead):
    region = make.region("alpha")
    user = make.user(Role.COORDINATOR, region)
    login(client, user.email)
    made = _fill_everything(app, client, region, user, lead)
    number = made["version"]

    downloads = {
        "draft": "/r/alpha/document.pdf",
        "version": f"/r/alpha/versions/{number}.pdf",
        "review copy": f"/r/alpha/versions/{number}/review-copy.pdf",
    }
    for label, url in downloads.items():
        response = client.get(url)
        assert response.status_code == 200, f"{label}: {response.status_code}"
        assert response.mimetype == "application/pdf"
        _check_pdf(response.data, label)
        if label != "review copy":  # the hostile text is there, as harmless text
            text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
            assert "file:///etc/passwd" in text.replace("\n", ""), label
    # The spy saw the renderer's requests (the stylesheet at least): all of them bundled.
    assert any(url.endswith("/document.css") for url in spy.seen)
    allowed = (ASSET_ORIGIN + "template/", ASSET_ORIGIN + "static/")
    outside = [url for url in spy.seen if not url.startswith(allowed) or ".." in url]
    assert outside == []

    pages = [
        "/r/alpha/",
        "/r/alpha/steps/basics",
        "/r/alpha/steps/assess",
        "/r/alpha/document",
        "/r/alpha/input",
        f"/r/alpha/input/{made['contribution']}/decide",
        "/r/alpha/participation",
        "/r/alpha/versions/",
        f"/r/alpha/versions/{number}",
        "/r/alpha/steps/basics/lead/history",
        "/r/alpha/steps/assess/public_statement/history",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        _check_html(html, url)
    # The hostile text itself is shown as text where it is shown.
    step = client.get("/r/alpha/steps/basics").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in step


def test_the_bounded_renderer_refuses_nothing_for_the_corpus(app, client, make, caplog):
    """The same corpus through the default child-process renderer: no refused fetch logged."""
    region = make.region("alpha")
    user = make.user(Role.COORDINATOR, region)
    login(client, user.email)
    caplog.set_level("WARNING")
    _post_step(client, "/r/alpha/steps/basics", {"q_lead": CORPUS[0], "q_statement": CORPUS_TEXT})
    response = client.get("/r/alpha/document.pdf")
    assert response.status_code == 200
    _check_pdf(response.data, "draft")
    assert "refused to fetch" not in caplog.text


@pytest.mark.parametrize(
    "html",
    [
        '<link rel="attachment" href="file:///etc/passwd">',
        '<a rel="attachment" href="file:///etc/passwd">x</a>',
        '<img src="file:///etc/passwd">',
        '<img src="../../../../etc/hostname">',
        '<img src="http://169.254.169.254/latest/meta-data/">',
        '<img src="http://127.0.0.1:5000/">',
        '<style>@import url("http://127.0.0.1:5000/x.css");</style>',
        '<p style="background: url(file:///etc/passwd)">x</p>',
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<image href="file:///etc/passwd" width="10" height="10"/></svg>',
        f'<img src="{ASSET_ORIGIN}template/../../../../etc/passwd">',
        f'<img src="{ASSET_ORIGIN}template/%2e%2e/%2e%2e/%2e%2e/etc/passwd">',
        f'<img src="{ASSET_ORIGIN}static/../../belong/config.py">',
    ],
)
def test_the_fetcher_alone_refuses_what_the_sanitizer_would_have_removed(tmp_path, html):
    """Defence in depth: raw hostile HTML straight to the renderer is refused by the fetcher."""
    refused: list[str] = []
    try:
        data = render_pdf_in(
            tmp_path, f"<html><body><p>Hi</p>{html}</body></html>", refused=refused
        )
    except BaseException as exc:  # FatalURLFetchingError derives from BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        data = None
    assert refused, "the renderer fetched it"  # asked for, and turned away
    if data is not None:  # WeasyPrint skips a failed SVG image and carries on
        _check_pdf(data, html)


def _timed_pdf(client) -> tuple[float, object]:
    started = time.monotonic()
    response = client.get("/r/alpha/document.pdf")
    return time.monotonic() - started, response


@pytest.fixture
def bounded(app):
    app.config.update(PDF_RENDER_ISOLATION="subprocess", PDF_TIMEOUT_SECONDS=8)
    return 8


def test_an_enormous_table_ends_with_a_clear_error_not_a_hang(app, client, make, bounded):
    region = make.region("alpha")
    user = make.user(Role.COORDINATOR, region)
    step = get_template(region.template_id).definition.step("assess")
    rows = [{"action": f"Action number {i} " + "word " * 10} for i in range(40_000)]
    answer_service.save_step(region, step, {"actions": rows}, {}, user)
    db.session.commit()
    login(client, user.email)
    elapsed, response = _timed_pdf(client)
    assert elapsed < bounded + 45  # the HTML itself is built before the bounded render
    assert response.status_code in (200, 503)
    if response.status_code == 503:
        assert "The document is too large to render" in response.get_data(as_text=True)
    else:
        _check_pdf(response.data, "enormous table")


def test_a_long_unbreakable_text_gives_a_pdf_or_a_clear_error(app, client, make, bounded):
    region = make.region("alpha")
    user = make.user(Role.COORDINATOR, region)
    login(client, user.email)
    unbreakable = "A" * 49_000
    _post_step(client, "/r/alpha/steps/basics", {"q_lead": "B" * 500, "q_statement": unbreakable})
    elapsed, response = _timed_pdf(client)
    assert elapsed < bounded + 45  # the HTML itself is built before the bounded render
    assert response.status_code in (200, 503)
    if response.status_code == 503:
        assert "The document is too large to render" in response.get_data(as_text=True)
    else:
        _check_pdf(response.data, "unbreakable")
    assert db.session.scalar(select(Region.id)) == region.id  # nothing lost either way
