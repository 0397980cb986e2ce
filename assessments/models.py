"""Assessments: the facts of one mission at one date, per context and per function."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.facts import (
    CONTEXT_FACT_SPECS,
    FUNCTION_FACT_SPECS,
    fact_constraints,
    facts_model,
)
from integration.choices import check, choices
from integration.engine import vocabulary
from integration.text import NOTES_MAX_LENGTH, TEXT_MAX_LENGTH, validate_xml_text
from missions.models import Function, Mission, UNEntity

# One abstract model per group of facts, built from the engine's table: adding a fact there adds
# its column here (with a migration), its form field, its API field and its row on the pages.
ContextFacts = facts_model("ContextFacts", CONTEXT_FACT_SPECS)
FunctionFacts = facts_model("FunctionFacts", FUNCTION_FACT_SPECS)


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def visible_to(self, user) -> AssessmentQuerySet:
        """Every signed-in user (planner, viewer, HQ reviewer, admin) reads every assessment."""
        if not user.is_authenticated:
            return self.none()
        return self

    def editable_by(self, user) -> AssessmentQuerySet:
        """Assessments of the missions `user` plans for (admins: all)."""
        return self.filter(mission__in=Mission.objects.editable_by(user))


class AssessmentStatus(models.TextChoices):
    """Where an assessment is in its review (Assessment.Status)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


# Planners may change an assessment's facts in these statuses only.
EDITABLE_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)

# No UN peace operation is older than UNTSO (May 1948): an earlier "as of" date is a typing
# slip (1900-01-01, a three-digit year), never a real assessment (docs/facts.md).
AS_OF_EARLIEST = dt.date(1948, 1, 1)


def as_of_check(as_of: dt.date) -> None:
    """Refuse an "as of" date before AS_OF_EARLIEST, in words that name the field; the edit
    form and the API's assessment writes both call it."""
    if as_of < AS_OF_EARLIEST:
        raise ValidationError(
            gettext("As of: %(date)s is too early; the date must be %(earliest)s or later.")
            % {"date": as_of.isoformat(), "earliest": AS_OF_EARLIEST.isoformat()},
            code="min_value",
        )


class Assessment(ContextFacts):
    """The context of one mission at one date, and its review status; the facts are inherited."""

    Status = AssessmentStatus

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="assessments")
    as_of = models.DateField(_("as of"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Optimistic locking: every write bumps it with `UPDATE ... WHERE version = %s`.
    version = models.PositiveIntegerField(_("version"), default=1)
    notes = models.TextField(
        _("notes"),
        blank=True,
        max_length=NOTES_MAX_LENGTH,
        validators=[validate_xml_text],
        help_text=_("Sources for the facts, and where the sources are silent."),
    )

    # The newest evaluation, kept as a pointer so pages and the API read an assessment's
    # recommendations with one join instead of a "latest per group" subquery.
    current_evaluation = models.ForeignKey(
        "Evaluation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ("mission__acronym", "-as_of", "-id")
        get_latest_by = ("as_of", "id")
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=("mission", "-as_of"), name="assessment_mission_asof")]
        constraints = [
            *fact_constraints(CONTEXT_FACT_SPECS, prefix="assessment"),
            models.CheckConstraint(
                condition=Q(status__in=AssessmentStatus.values),
                name="assessment_status_valid",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="assessment_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.mission} · {self.as_of}"


class FunctionAssessment(FunctionFacts):
    """The facts of one function inside an assessment; the engine's facts are inherited."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="function_assessments"
    )
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="+")
    in_mandate = models.BooleanField(
        _("part of the mandate"),
        default=True,
        help_text=_("Untick when the function is not part of this mission's mandate."),
    )
    desired_impact = models.TextField(
        _("desired impact"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=[validate_xml_text],
    )
    involved_entities = models.ManyToManyField(
        UNEntity, blank=True, related_name="+", verbose_name=_("involved entities")
    )

    class Meta:
        ordering = ("assessment", "function__position")
        verbose_name = _("function assessment")
        verbose_name_plural = _("function assessments")
        constraints = [
            models.UniqueConstraint(
                fields=("assessment", "function"),
                name="functionassessment_unique",
                violation_error_message="This function is already assessed in the assessment.",
            ),
            *fact_constraints(FUNCTION_FACT_SPECS, prefix="functionassessment"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.function.code}"


class Evaluation(models.Model):
    """One run of the engine over an assessment: the rulebook, the facts snapshot, the answer.

    Replaying `facts` under `rulebook` gives `applicable`, `reason` and the `recommendations`
    rows again, every rule and barrier word for word (invariant 8). The newest evaluation of an
    assessment is its current recommendation; re-evaluation under a new rulebook adds one beside
    the old ones instead of replacing them.
    """

    class Trigger(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        ON_DEMAND = "on_demand", _("Computed on demand")
        REEVALUATE = "reevaluate", _("Re-evaluated")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evaluations")
    rulebook = models.ForeignKey(
        "integration.Rulebook", on_delete=models.PROTECT, related_name="evaluations"
    )
    assessment_version = models.PositiveIntegerField(_("assessment version"))
    facts = models.JSONField(_("facts snapshot"))
    applicable = models.BooleanField(_("applicable"))
    reason = models.TextField(_("reason"), blank=True)
    # The engine's humanitarian_arrangement as decision_to_dict shapes it ({"arrangement",
    # "rules", "risks"}, English); null where the rulebook decides none (before 2008.1) or
    # integration policy does not apply.
    humanitarian_arrangement = models.JSONField(
        _("humanitarian arrangement"), null=True, blank=True
    )
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("assessment", "-id")
        get_latest_by = "id"
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        indexes = [models.Index(fields=("assessment", "-id"), name="evaluation_assessment_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(humanitarian_arrangement__isnull=True)
                | Q(
                    humanitarian_arrangement__arrangement__in=vocabulary.values(
                        vocabulary.HUMANITARIAN_ARRANGEMENTS
                    )
                ),
                name="evaluation_humanitarian_arrangement_valid",
                violation_error_message="The humanitarian arrangement is not one of its models.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · rulebook {self.rulebook_id} · #{self.pk}"


class Recommendation(models.Model):
    """The engine's answer for one function at one level, inside an evaluation."""

    # No single-column indexes: the unique (evaluation, function, level) index serves every
    # lookup, and re-evaluation writes 36 rows per assessment, so each extra index costs.
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="recommendations", db_index=False
    )
    function = models.ForeignKey(
        Function, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    level = models.CharField(_("level"), max_length=20, choices=choices(vocabulary.LEVELS))
    lead = models.CharField(_("lead"), max_length=30, choices=choices(vocabulary.LEADS))
    degree = models.CharField(_("degree"), max_length=10, choices=choices(vocabulary.DEGREES))
    feasible_degree = models.CharField(
        _("feasible degree"), max_length=10, choices=choices(vocabulary.DEGREES)
    )
    rules = models.JSONField(_("rules that fired"), default=list)
    barriers = models.JSONField(_("barriers at this level"), default=list)

    class Meta:
        ordering = ("evaluation", "function__position", "level")
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=("evaluation", "function", "level"), name="recommendation_unique"
            ),
            check("level", vocabulary.LEVELS, prefix="recommendation"),
            check("lead", vocabulary.LEADS, prefix="recommendation"),
            check("degree", vocabulary.DEGREES, prefix="recommendation"),
            check("feasible_degree", vocabulary.DEGREES, prefix="recommendation"),
        ]

    def __str__(self) -> str:
        return f"{self.function_id} · {self.level}: {self.degree}/{self.feasible_degree}"


class ReviewCommentKind(models.TextChoices):
    """What a review comment does (ReviewComment.Kind)."""

    COMMENT = "comment", _("Comment")
    RETURN = "return", _("Returned with comment")
    APPROVE = "approve", _("Approved with comment")


class ReviewComment(models.Model):
    """A comment on an assessment; returning one to its planners requires one."""

    Kind = ReviewCommentKind

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    body = models.TextField(
        _("comment"), max_length=TEXT_MAX_LENGTH, validators=[validate_xml_text]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ("assessment", "created_at", "id")
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""),
                name="reviewcomment_body_required",
                violation_error_message="A comment needs text.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReviewCommentKind.values),
                name="reviewcomment_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.kind} by {self.author}"


class Override(models.Model):
    """An HQ reviewer's degree for one function and level; the engine's answer stays beside it.

    At most one override stands per (assessment, function, level); a new one replaces it and
    the history keeps the old.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="overrides")
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=20, choices=choices(vocabulary.LEVELS))
    degree = models.CharField(_("degree"), max_length=10, choices=choices(vocabulary.DEGREES))
    justification = models.TextField(
        _("justification"), max_length=TEXT_MAX_LENGTH, validators=[validate_xml_text]
    )
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("The evaluation whose answer was overridden."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ("assessment", "function__position", "level")
        verbose_name = _("override")
        verbose_name_plural = _("overrides")
        constraints = [
            models.UniqueConstraint(
                fields=("assessment", "function", "level"),
                name="override_unique",
                violation_error_message="This recommendation is already overridden.",
            ),
            models.CheckConstraint(
                condition=~Q(justification=""),
                name="override_justification_required",
                violation_error_message="An override needs a justification.",
            ),
            check("level", vocabulary.LEVELS, prefix="override"),
            check("degree", vocabulary.DEGREES, prefix="override"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.function_id} · {self.level} → {self.degree}"


class HistoryEntry(models.Model):
    """Who changed what and when, per assessment (append-only)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SAVED = "saved", _("Saved")
        SUBMITTED = "submitted", _("Submitted")
        REVIEW_STARTED = "review_started", _("Review started")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        OVERRIDDEN = "overridden", _("Recommendation overridden")
        EVALUATED = "evaluated", _("Recommendations computed")
        COMMENTED = "commented", _("Commented")
        SCENARIO_APPLIED = "scenario_applied", _("Scenario applied")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # {"field or function.field": [before, after]} for saves; free details otherwise.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ("assessment", "-created_at", "-id")
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")

    def __str__(self) -> str:
        return f"{self.assessment} · {self.action} by {self.actor}"


# Kept in their own module (models.py stays under 400 lines); imported so Django registers them.
from assessments.reevaluation_models import ReevaluationJob  # noqa: E402, F401
from assessments.scenario_models import Scenario  # noqa: E402, F401
