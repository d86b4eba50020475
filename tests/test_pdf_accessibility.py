"""The strategy PDF is tagged for assistive technology (PDF/UA-1), with a title and a language."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from belong.extensions import db
from belong.models import Role
from tests.conftest import post_form


def _pdf(client, slug: str) -> PdfReader:
    response = client.get(f"/r/{slug}/document.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def test_the_pdf_is_tagged_with_title_and_language(client, make, as_user):
    region = make.region("alpha", template_id="intercultural-region", name="Alpha Valley")
    as_user(Role.EDITOR, region)
    data = {"q_lead_department": "Department of Inclusion", "action": "save"}
    assert post_form(client, "/r/alpha/steps/mandate", data).status_code == 302
    reader = _pdf(client, "alpha")
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])  # a tagged PDF
    structure = root["/StructTreeRoot"].get_object()
    assert structure["/K"]  # the structure tree has content
    assert root["/Lang"] == "en"
    title = reader.metadata.title  # the document's title names the region and the strategy
    assert "Alpha Valley" in title and "Intercultural region strategy" in title
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])  # viewers show the title
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfuaid:part(="1"|>1<)', xmp)  # declares PDF/UA-1
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Department of Inclusion" in text


def test_the_pdf_language_is_the_regions(client, make, as_user):
    region = make.region("beta", template_id="intercultural-region", name="Beta")
    region.language = "pl"
    db.session.commit()
    as_user(Role.EDITOR, region)
    reader = _pdf(client, "beta")
    assert reader.trailer["/Root"]["/Lang"] == "pl"
    cover = reader.pages[0].extract_text().replace(" ", "").lower()
    assert "projekt" in cover  # the draft mark, from the Polish catalogue
