"""Single sign-on settings (OpenID Connect; sso/, README "Connecting an identity provider").

Part of integration/settings.py, which star-imports it: kept apart so the settings module stays
readable. Off unless OIDC_ENABLED: password sign-in and the demo accounts work either way. The
library (mozilla-django-oidc) reads the OIDC_OP_* and OIDC_RP_* names below; sso/ reads the rest.
"""

from __future__ import annotations

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
# As for DATABASE_URL, an empty variable (docker compose passes them so) counts as unset.
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="") or "single sign-on"
# The ID token's "iss" must equal it; `manage.py oidc_discover ISSUER` prints the endpoints.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="") or "RS256"
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="") or "openid email profile"
# Authorization code flow with PKCE (S256), state and nonce, all checked on the way back.
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = float(env.str("OIDC_TIMEOUT", default="") or 5)
# The claim that identifies a user for good (stored with the issuer, never the email).
OIDC_SUBJECT_CLAIM = env.str("OIDC_SUBJECT_CLAIM", default="") or "sub"
OIDC_USERNAME_CLAIM = env.str("OIDC_USERNAME_CLAIM", default="") or "preferred_username"
OIDC_CREATE_USERS = env.str("OIDC_CREATE_USERS", default="") != "0"
# Roles from the groups claim, applied at every sign-in (sso/roles.py). A mapping left empty
# leaves that role to the admin site.
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="") or "groups"
OIDC_REVIEWER_GROUPS = env.list("OIDC_REVIEWER_GROUPS", default=[])
OIDC_ADMIN_GROUPS = env.list("OIDC_ADMIN_GROUPS", default=[])
OIDC_MISSION_ROLE_PREFIX = env.str("OIDC_MISSION_ROLE_PREFIX", default="")
LOGIN_REDIRECT_URL_FAILURE = "login"
if OIDC_ENABLED:
    _oidc_required = [
        "OIDC_ISSUER",
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
        "OIDC_RP_CLIENT_ID",
        "OIDC_RP_CLIENT_SECRET",
    ]
    if _oidc_missing := [name for name in _oidc_required if not globals()[name]]:
        raise ImproperlyConfigured(f"OIDC_ENABLED needs {', '.join(_oidc_missing)}.")

# What integration/settings.py's star import takes: the settings, not this module's helpers.
__all__ = [name for name in dict(globals()) if name.startswith(("OIDC_", "LOGIN_REDIRECT_URL"))]
