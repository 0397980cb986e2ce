"""Response headers every page gets: a strict Content-Security-Policy, and no-store for pages
served to a signed-in user."""

from __future__ import annotations

import secrets

from django.utils.cache import add_never_cache_headers

# Nothing inline: scripts and styles come from this site's static files; no template writes an
# inline style or script. The exceptions are <style> elements the vendored Redoc bundle creates
# at run time: those it makes once started get a per-response nonce (static/api/redoc-init.js);
# the two it inserts as it loads, before it can know the nonce, are allowed by the hash of their
# fixed content (perfect-scrollbar's stylesheet, and an empty one). Images may be data: URIs
# (Swagger UI's icons).
_REDOC_LOAD_STYLES = (
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc=' "
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
)
_POLICY = (
    "default-src 'self'; script-src 'self'; "
    f"style-src 'self' 'nonce-{{nonce}}' {_REDOC_LOAD_STYLES}; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy (request.csp_nonce names this response's nonce) and
    Cache-Control: no-store on what a signed-in user is served (pages, API answers, report
    files) unless the view set its own, so neither a shared proxy nor the browser's back button
    keeps them."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", _POLICY.format(nonce=request.csp_nonce)
        )
        user = getattr(request, "user", None)
        # A view that chose its own caching keeps it (the integration profile: private, with an
        # ETag for conditional requests); everything else is never stored.
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            add_never_cache_headers(response)
        return response
