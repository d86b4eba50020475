"""The only URL fetcher WeasyPrint gets: bundled assets and data: URLs, nothing else."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)
ASSET_ORIGIN = "https://assets.belong.invalid/"


class AssetFetcher(URLFetcher):
    """Serves files from a fixed map of URL prefix -> folder; refuses every other URL."""

    def __init__(self, roots: dict[str, Path]) -> None:
        super().__init__(allowed_protocols={"https"}, allow_redirects=False)
        self.roots = {prefix: folder.resolve() for prefix, folder in roots.items()}
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None):
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
