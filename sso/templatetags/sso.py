"""The "Sign in with <provider>" link on the login page, shown while single sign-on is on."""

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("sso/_sign_in.html")
def sso_sign_in(next_url: str = ""):
    return {
        "enabled": settings.OIDC_ENABLED,
        "provider": settings.OIDC_PROVIDER_NAME,
        "next": next_url,
    }
