"""Who a user is at the identity provider."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OidcIdentity(models.Model):
    """A user's account at an OpenID Connect provider: its issuer and stable subject claim."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identity"
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    # The provider's identifier for the person (the "sub" claim unless OIDC_SUBJECT_CLAIM says
    # otherwise). Never the email: an address can be reassigned to someone else.
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("first sign-in"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last sign-in"))

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(
                fields=("issuer", "subject"),
                name="oidc_identity_unique",
                violation_error_message="This identity is already linked to a user.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"
