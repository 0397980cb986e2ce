"""Versioned rulebooks (the data the engine reasons with), API tokens, the sign-in audit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integration.text import validate_xml_text


class Rulebook(models.Model):
    """One version of the rules; exactly one is published and used for new evaluations."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    name = models.CharField(_("name"), max_length=120)
    version = models.CharField(_("version"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    content = models.TextField(_("content (YAML)"))
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("rulebook")
        verbose_name_plural = _("rulebooks")
        constraints = [
            models.UniqueConstraint(
                fields=("status",),
                condition=Q(status="published"),
                name="rulebook_one_published",
                violation_error_message="Only one rulebook may be published at a time.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "retired"]),
                name="rulebook_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version} ({self.status})"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def visible_to(self, user) -> ApiTokenQuerySet:
        """A user sees their own tokens; admins see everyone's (they may revoke any)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(user=user)

    def editable_by(self, user) -> ApiTokenQuerySet:
        """Only a token's owner (or an admin) may revoke it."""
        return self.visible_to(user)


class ApiToken(models.Model):
    """A secret another system presents to the API; it acts with its owner's permissions.

    Only the SHA-256 of the secret is stored: the secret itself is shown once, at creation.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read: never changes anything")
        WRITE = "write", _("Write: may change what its owner may change")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        validators=[validate_xml_text],
        help_text=_("What the token is for, e.g. the system using it."),
    )
    # The first characters of the secret, shown in lists so owners can tell tokens apart;
    # also the lookup key, so authentication reads one indexed row before comparing hashes.
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True, editable=False)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["read", "write"]), name="apitoken_scope_valid"
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="apitoken_name_required",
                violation_error_message="A token needs a name.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.scope})"

    def is_active(self, *, now) -> bool:
        """Not revoked and not expired at `now`."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class SignInEvent(models.Model):
    """One entry of the sign-in audit: a sign-in, a failed one, a sign-out, a token issued or
    revoked; who, when, from which address and by which method."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("signed in")
        FAILED = "failed", _("sign-in failed")
        SIGNED_OUT = "signed_out", _("signed out")
        TOKEN_CREATED = "token_created", _("token created")
        TOKEN_REVOKED = "token_revoked", _("token revoked")

    class Method(models.TextChoices):
        PASSWORD = "password", _("password")
        OIDC = "oidc", _("single sign-on (OpenID Connect)")
        TOKEN = "token", _("API token")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    # Kept when the account is deleted (the username says who it was); None for a failure
    # with a username that names no account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in audit")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=["signed_in", "failed", "signed_out", "token_created", "token_revoked"]
                ),
                name="signinevent_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(method__in=["password", "oidc", "token"]),
                name="signinevent_method_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"
