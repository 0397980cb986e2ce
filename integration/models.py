"""Versioned rulebooks: the data the decision engine reasons with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
