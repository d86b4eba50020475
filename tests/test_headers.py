"""Security headers on every kind of page; no-store on strategy pages and PDFs; safe download
names whatever a region is called."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest

from belong.extensions import db
from belong.models import Role
from belong.services import documents
from tests.conftest import login

STUB_PDF = b"%PDF-1.7 stub"


@pytest.fixture
def stub_pdf(monkeypatch):
    """The headers are the subject here, not the rendering."""
    monkeypatch.setattr(documents, "document_pdf", lambda template, html: STUB_PDF)


def _check_security_headers(response, label: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
    assert directives.get("default-src") == "default-src 'self'", label
    assert directives.get("script-src") == "script-src 'self'", label  # no inline scripts
    assert directives.get("object-src") == "object-src 'none'", label
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", label
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, label
    assert response.headers.get("X-Content-Type-Options") == "nosniff", label
    assert response.headers.get("X-Frame-Options") == "DENY", label
    assert response.headers.get("Referrer-Policy") in ("same-origin", "no-referrer"), label


class _Tags(HTMLParser):
    """The real start tags of a page (text that merely looks like a tag is not one)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k.lower(): v or "" for k, v in attrs}))


def _check_html_obeys_csp(html: str, label: str) -> None:
    """What the policy would block anyway must not be on the page: inline scripts, handlers,
    inline styles, javascript: links."""
    parser = _Tags()
    parser.feed(html)
    assert parser.tags, label
    for tag, attrs in parser.tags:
        where = f"{label}: <{tag} {attrs}>"
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/"), where
        assert not [name for name in attrs if name.startswith("on")], where
        assert "style" not in attrs, where
        for name in ("href", "src", "action", "formaction"):
            assert not attrs.get(name, "").strip().lower().startswith("javascript:"), where
    assert "<style" not in html.lower(), f"{label}: inline stylesheet"


def test_pages_for_visitors_carry_the_headers(client, make):
    make.region("alpha")
    for url, status in [
        ("/login", 200),
        ("/forgot-password", 200),
        ("/set-password/not-a-token", 404),
        ("/r/alpha/", 302),
        ("/static/belong.css", 200),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        _check_security_headers(response, url)
        if response.mimetype == "text/html" and status != 302:
            _check_html_obeys_csp(response.get_data(as_text=True), url)
        response.close()


def test_every_kind_of_signed_in_page_carries_the_headers_and_no_store(client, make, stub_pdf):
    region = make.region("alpha")
    make.region("beta")
    user = make.user(Role.COORDINATOR, region)
    login(client, user.email)
    pages = [
        ("/r/alpha/", 200, "text/html"),
        ("/r/alpha/primer", 200, "text/html"),
        ("/r/alpha/steps/basics", 200, "text/html"),
        ("/r/alpha/steps/assess", 200, "text/html"),
        ("/r/alpha/document", 200, "text/html"),
        ("/r/alpha/document.pdf", 200, "application/pdf"),
        ("/r/alpha/members", 200, "text/html"),
        ("/account/password", 200, "text/html"),
        ("/notifications/", 200, "text/html"),
        ("/r/alpha/versions/", 200, "text/html"),
        ("/r/alpha/input", 200, "text/html"),
        ("/r/alpha/participation", 200, "text/html"),
        ("/r/alpha/participation.csv", 200, "text/csv"),
        ("/r/alpha/audit", 200, "text/html"),
        ("/r/alpha/export.json", 200, "application/json"),
        ("/r/alpha/steps/basics/lead/history", 200, "text/html"),
        ("/r/beta/", 404, "text/html"),  # error page
        ("/r/alpha/steps/nowhere", 404, "text/html"),
    ]
    for url, status, mimetype in pages:
        response = client.get(url)
        assert response.status_code == status, url
        assert response.mimetype == mimetype, url
        _check_security_headers(response, url)
        assert "no-store" in response.headers.get("Cache-Control", ""), url
        if mimetype == "text/html":
            _check_html_obeys_csp(response.get_data(as_text=True), url)


def test_admin_pages_carry_the_headers_and_no_store(client, make):
    make.region("alpha")
    login(client, make.user(admin=True).email)
    for url in ("/admin/regions", "/admin/users/", "/admin/dashboard/", "/admin/audit"):
        response = client.get(url)
        assert response.status_code == 200, url
        _check_security_headers(response, url)
        assert "no-store" in response.headers.get("Cache-Control", ""), url
        _check_html_obeys_csp(response.get_data(as_text=True), url)


def test_a_forbidden_page_carries_the_headers(client, make):
    region = make.region("alpha")
    login(client, make.user(Role.REVIEWER, region).email)
    response = client.get("/r/alpha/members")
    assert response.status_code == 403
    _check_security_headers(response, "403")
    assert "no-store" in response.headers["Cache-Control"]


def test_pdf_downloads_are_never_stored_by_caches(client, make, stub_pdf):
    region = make.region("alpha")
    login(client, make.user(Role.EDITOR, region).email)
    response = client.get("/r/alpha/document.pdf")
    assert response.data == STUB_PDF
    assert response.headers["Cache-Control"] == "no-store"


def _disposition(response) -> tuple[str, str]:
    """(plain filename, decoded filename*) from a one-line Content-Disposition."""
    header = response.headers["Content-Disposition"]
    assert "\r" not in header and "\n" not in header
    match = re.fullmatch(r'attachment; filename="([^"\\]*)"; filename\*=UTF-8\'\'(\S+)', header)
    assert match, header
    plain, encoded = match.groups()
    assert re.fullmatch(r"[A-Za-z0-9._-]+", plain), plain  # nothing that can break out
    assert re.fullmatch(r"[A-Za-z0-9%._~-]+", encoded), encoded  # RFC 5987 attr-chars only
    return plain, unquote(encoded, encoding="utf-8", errors="strict")


@pytest.mark.parametrize(
    "name",
    [
        'a";\r\nX: y',
        "Région Zürich–Ålesund 東京",
        "../../etc/passwd",
        "\u202eevil.exe",
    ],
)
def test_the_download_name_is_safe_for_any_region_name(client, make, stub_pdf, name):
    region = make.region("alpha", name=name)
    login(client, make.user(Role.EDITOR, region).email)
    response = client.get("/r/alpha/document.pdf")
    assert response.status_code == 200
    assert "X" not in response.headers  # no injected header
    plain, decoded = _disposition(response)
    stored = db.session.get(type(region), region.id).name
    assert decoded == f"{stored}-draft-strategy.pdf"
    assert plain.endswith(".pdf")
    assert "/" not in plain and "\\" not in plain


def test_one_place_makes_downloads():
    """Every file to save gets its headers from belong/downloads.py."""
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "belong"
    writers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "Content-Disposition" in path.read_text(encoding="utf-8")
    )
    assert writers == ["downloads.py"]


def test_a_download_name_of_any_script_keeps_a_valid_header(app):
    from belong.downloads import download

    with app.test_request_context():
        response = download(b"x", "Łódź – żółć.csv", "text/csv")
        bare = download(b"x", "Ωμέγα.pdf", "application/pdf")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"odz-zoc.csv\"; filename*=UTF-8''%C5%81%C3%B3d%C5%BA%20%E2%80%93"
        "%20%C5%BC%C3%B3%C5%82%C4%87.csv"
    )
    assert bare.headers["Content-Disposition"].startswith('attachment; filename="download.pdf"')
    assert response.headers["Cache-Control"] == "no-store"
    plain = download(b"x", "programme-dashboard.csv", "text/csv")
    assert plain.headers["Content-Disposition"] == 'attachment; filename="programme-dashboard.csv"'
