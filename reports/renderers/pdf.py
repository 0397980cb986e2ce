"""PDF reports with WeasyPrint, whose URL fetcher reads only this app's static files.

Report HTML holds user text; escaping keeps it text, and the fetcher is the second wall: even
markup that slipped through could not make the worker read local files (`file:///etc/...`) or
call internal services (`http://169.254.169.254/`). Only URLs under STATIC_BASE that resolve
to a file inside reports/static/ are read; everything else is refused, and
WeasyPrint renders without it.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports.renderers.html import STATIC_DIR, STYLESHEET, report_html_render

# A reserved name (RFC 2606) that never resolves: relative URLs in the report join onto it,
# and the fetcher below answers for it without touching the network.
BASE_URL = "https://report.invalid/"
STATIC_BASE = BASE_URL + "static/"


class StaticFilesOnlyFetcher(URLFetcher):
    """Serves https://report.invalid/static/<path> from the app's static directory."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.prefix = STATIC_BASE
        self.root = STATIC_DIR.resolve()

    def path_for(self, url: str) -> Path:
        """The file a URL names, or ValueError when the URL is not one of ours."""
        parts = urlsplit(url)
        if not url.startswith(self.prefix) or parts.query or parts.fragment:
            raise ValueError(f"Refused to fetch {url!r}: only the app's static files")
        relative = unquote(url[len(self.prefix) :])
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ValueError(f"Refused to fetch {url!r}: not a static file of the reports app")
        return path

    def fetch(self, url, headers=None):
        path = self.path_for(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, path.read_bytes(), headers={"Content-Type": content_type}, status=200
        )


def report_pdf_render(*, kind: str, context: dict) -> bytes:
    """The report as PDF bytes."""
    html = report_html_render(kind=kind, context=context, stylesheet_url=STATIC_BASE + STYLESHEET)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnlyFetcher()).write_pdf()
