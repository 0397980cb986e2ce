"""Reference data (functions, UN entities) and missions with their members."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from integration.choices import check, choices
from integration.engine import vocabulary
from integration.text import NOTES_MAX_LENGTH, TEXT_MAX_LENGTH, validate_xml_text


def validate_dimensions(value: object) -> None:
    """A list of distinct dimension codes from the vocabulary."""
    from django.core.exceptions import ValidationError

    allowed = vocabulary.values(vocabulary.DIMENSIONS)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Dimensions must be a list of dimension codes."), code="invalid")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise ValidationError(
            _("Unknown dimension(s): %(unknown)s. Allowed: %(allowed)s."),
            code="unknown_dimension",
            params={"unknown": ", ".join(unknown), "allowed": ", ".join(allowed)},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Each dimension may appear only once."), code="duplicate")


# Acronyms are part of page addresses (missions/<slug:acronym>/), so they match the `slug` path
# converter's pattern: every stored acronym can be linked to, and no link breaks a page.
ACRONYM_PATTERN = r"^[-a-zA-Z0-9_]+\Z"
validate_acronym = RegexValidator(
    ACRONYM_PATTERN,
    _("Use letters, digits, hyphens and underscores only: the acronym is part of page addresses."),
    code="invalid_acronym",
)


class Function(models.Model):
    """A function that mission and UNCT may integrate (DDR, SSR, ...): domain.md §7."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120, validators=[validate_xml_text])
    description = models.TextField(
        _("description"), blank=True, max_length=TEXT_MAX_LENGTH, validators=[validate_xml_text]
    )
    default_dimensions = models.JSONField(
        _("default dimensions"), default=list, validators=[validate_dimensions]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ("position", "code")
        verbose_name = _("function")
        verbose_name_plural = _("functions")

    def __str__(self) -> str:
        return str(self.name)


class UNEntity(models.Model):
    """A UN entity or partner that takes part in integration (domain.md §7)."""

    acronym = models.CharField(
        _("acronym"), max_length=30, unique=True, validators=[validate_xml_text]
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_xml_text])
    kind = models.CharField(_("kind"), max_length=30, choices=choices(vocabulary.ENTITY_KINDS))
    funding_basis = models.CharField(
        _("funding basis"), max_length=20, choices=choices(vocabulary.FUNDING_BASES)
    )
    humanitarian_mandate = models.BooleanField(_("humanitarian mandate"), default=False)
    neutral = models.BooleanField(
        _("neutral"),
        default=False,
        help_text=_("Neutral humanitarian actors (ICRC, MSF) stay outside integration (P8)."),
    )

    class Meta:
        ordering = ("acronym",)
        verbose_name = _("UN entity or partner")
        verbose_name_plural = _("UN entities and partners")
        constraints = [
            check("kind", vocabulary.ENTITY_KINDS, prefix="unentity"),
            check("funding_basis", vocabulary.FUNDING_BASES, prefix="unentity"),
        ]

    def __str__(self) -> str:
        return self.acronym


class MissionQuerySet(models.QuerySet["Mission"]):
    def visible_to(self, user) -> MissionQuerySet:
        """Every signed-in user reads every mission; anonymous users read none."""
        if not user.is_authenticated:
            return self.none()
        return self

    def visibility_key(self, user) -> str:
        """The same for two users exactly when `visible_to` shows them the same missions.

        Cached answers built from `visible_to` are stored under it (integration/api/read_cache.py):
        change it with `visible_to`.
        """
        return "all" if user.is_authenticated else "none"

    def editable_by(self, user) -> MissionQuerySet:
        """Missions whose assessments `user` may edit: their planner memberships (admins: all)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            memberships__user=user, memberships__role=MissionMembership.Role.PLANNER
        ).distinct()


class Mission(models.Model):
    """A UN peace operation in one country, with the entities that work beside it."""

    acronym = models.CharField(
        _("acronym"), max_length=20, unique=True, validators=[validate_acronym]
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_xml_text])
    country = models.CharField(_("country"), max_length=120, validators=[validate_xml_text])
    presence_type = models.CharField(
        _("presence type"), max_length=30, choices=choices(vocabulary.PRESENCE_TYPES)
    )
    mandate_notes = models.TextField(
        _("mandate notes"),
        blank=True,
        max_length=NOTES_MAX_LENGTH,
        validators=[validate_xml_text],
    )
    entities = models.ManyToManyField(
        UNEntity, through="MissionEntity", related_name="missions", verbose_name=_("entities")
    )

    objects = MissionQuerySet.as_manager()

    class Meta:
        ordering = ("acronym",)
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            check("presence_type", vocabulary.PRESENCE_TYPES, prefix="mission"),
            models.CheckConstraint(
                condition=Q(acronym__regex=ACRONYM_PATTERN),
                name="mission_acronym_slug",
                violation_error_message=(
                    "A mission acronym holds letters, digits, hyphens and underscores only."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.acronym


class MissionEntity(models.Model):
    """The role an entity plays beside a mission."""

    class Role(models.TextChoices):
        MISSION_COMPONENT = "mission_component", _("Mission component")
        UNCT_MEMBER = "unct_member", _("UNCT member")
        PARTNER = "partner", _("Partner")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="entity_roles")
    entity = models.ForeignKey(UNEntity, on_delete=models.PROTECT, related_name="mission_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ("mission", "role", "entity__acronym")
        verbose_name = _("mission entity")
        verbose_name_plural = _("mission entities")
        constraints = [
            models.UniqueConstraint(
                fields=("mission", "entity"),
                name="missionentity_unique",
                violation_error_message="This entity is already linked to the mission.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["mission_component", "unct_member", "partner"]),
                name="missionentity_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mission} · {self.entity} ({self.role})"


class MissionMembership(models.Model):
    """A user's role on a mission: planners edit its assessments, viewers read."""

    class Role(models.TextChoices):
        PLANNER = "planner", _("Planner")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("mission membership")
        verbose_name_plural = _("mission memberships")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "mission"),
                name="membership_unique",
                violation_error_message="This user already has a role on the mission.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["planner", "viewer"]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.mission} ({self.role})"
