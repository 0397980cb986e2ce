"""Print the OIDC_* variables for an identity provider, read from its discovery document."""

from __future__ import annotations

import requests
from django.core.management.base import BaseCommand, CommandError

# Our setting → the discovery document's key (OpenID Connect Discovery 1.0, section 3).
VARIABLES = {
    "OIDC_ISSUER": "issuer",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class Command(BaseCommand):
    help = "Print the OIDC_* variables of an identity provider from its discovery document."

    def add_arguments(self, parser):
        parser.add_argument("issuer", help="the provider's issuer URL")

    def handle(self, *args, issuer: str, **options):
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=10)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise CommandError(f"Cannot read {url}: {error}") from error
        if document.get("issuer") != issuer:
            raise CommandError(f"{url} names another issuer: {document.get('issuer')!r}")
        if missing := [key for key in VARIABLES.values() if not document.get(key)]:
            raise CommandError(f"{url} lacks {', '.join(missing)}")
        # Sign-in sends a PKCE S256 challenge; a provider without it would ignore the check.
        if "S256" not in document.get("code_challenge_methods_supported", ["S256"]):
            raise CommandError("The provider does not support PKCE with S256.")
        for variable, key in VARIABLES.items():
            self.stdout.write(f"{variable}={document[key]}")
