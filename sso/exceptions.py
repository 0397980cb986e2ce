"""Why a single sign-on was refused."""


class OidcClaimsRefused(Exception):
    """The provider's claims cannot identify a user (no subject, or userinfo about another)."""
