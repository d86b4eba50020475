"""The one place that makes a response a file to save (PDFs, CSV and JSON exports)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath
from urllib.parse import quote

from flask import Response


def download(body: str | bytes, filename: str, mimetype: str) -> Response:
    """`body` saved as `filename`: the header stays valid whatever the name holds (an ASCII
    name, and the name in UTF-8 beside it when they differ), and no cache keeps a copy."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-")
    if not ascii_name.strip(".") or ascii_name.startswith("."):
        ascii_name = "download" + PurePath(filename).suffix
    response = Response(body, mimetype=mimetype)
    disposition = f'attachment; filename="{ascii_name}"'
    if ascii_name != filename:
        disposition += f"; filename*=UTF-8''{quote(filename, safe='')}"
    response.headers["Content-Disposition"] = disposition
    response.headers["Cache-Control"] = "no-store"
    return response
