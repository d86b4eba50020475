"""The only URL fetcher WeasyPrint gets: bundled assets and the region's own images (carried
in the HTML as data: URLs of a PNG or JPEG), nothing else."""

from __future__ import annotations

import base64
import binascii
import logging
import mimetypes
import re
from pathlib import Path

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)
ASSET_ORIGIN = "https://assets.belong.invalid/"

# The images a document may carry inline: the region's uploaded logo and emblem, checked and
# re-encoded on upload (belong/services/publication.py). The bytes must begin with the
# format's signature, so a data: URL that says "image/png" and holds SVG or HTML is refused.
_IMAGE_DATA = re.compile(r"^data:(image/png|image/jpeg);base64,([A-Za-z0-9+/=]+)$")
_SIGNATURES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}


def inline_image(url: str) -> tuple[str, bytes] | None:
    """(media type, bytes) of a data: URL that holds a PNG or JPEG; None for anything else."""
    found = _IMAGE_DATA.match(url)
    if found is None:
        return None
    media_type = found[1]
    try:
        data = base64.b64decode(found[2], validate=True)
    except (binascii.Error, ValueError):
        return None
    return (media_type, data) if data.startswith(_SIGNATURES[media_type]) else None


class AssetFetcher(URLFetcher):
    """Serves files from a fixed map of URL prefix -> folder and inline PNG or JPEG images;
    refuses every other URL."""

    def __init__(self, roots: dict[str, Path]) -> None:
        super().__init__(allowed_protocols={"https"}, allow_redirects=False)
        self.roots = {prefix: folder.resolve() for prefix, folder in roots.items()}
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None):
        image = inline_image(url)
        if image is not None:
            return URLFetcherResponse(url, image[1], {"Content-Type": image[0]})
        for prefix, folder in self.roots.items():
            base = ASSET_ORIGIN + prefix + "/"
            if url.startswith(base):
                relative = url[len(base) :].split("?")[0].split("#")[0]
                path = (folder / relative).resolve()
                if path.is_file() and path.is_relative_to(folder) and ".." not in relative:
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        url, path.read_bytes(), {"Content-Type": content_type}
                    )
        self.refused.append(url[:200])
        log.warning("PDF renderer refused to fetch %.200s", url)
        raise FatalURLFetchingError(f"refused to fetch {url[:200]}")
