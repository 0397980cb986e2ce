from django.contrib import admin

from assessments.facts import CONTEXT_FACTS, FUNCTION_FACTS
from assessments.models import (
    Assessment,
    Evaluation,
    FunctionAssessment,
    HistoryEntry,
    Override,
    ReevaluationJob,
    ReviewComment,
)
from assessments.rulebook_admin import RulebookWithPreviewAdmin
from integration.models import Rulebook


class FunctionAssessmentInline(admin.StackedInline):
    model = FunctionAssessment
    extra = 0
    # The facts sit in the middle: they come from an abstract model, which would put them first.
    fields = ("function", "in_mandate", *FUNCTION_FACTS, "desired_impact", "involved_entities")
    filter_horizontal = ("involved_entities",)


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("mission", "as_of", "status", "phase", "version", "updated_at")
    list_filter = ("status", "phase", "mission")
    readonly_fields = ("version", "created_at", "updated_at", "created_by", "updated_by")
    fields = (
        "mission",
        "as_of",
        "status",
        "notes",
        *CONTEXT_FACTS,
        "current_evaluation",
        *readonly_fields,
    )
    inlines = (FunctionAssessmentInline,)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Engine output and history are records: readable in the admin, never edited there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "rulebook", "trigger", "applicable", "created_at")
    list_filter = ("trigger", "applicable", "rulebook")


@admin.register(HistoryEntry)
class HistoryEntryAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "action", "actor", "created_at")
    list_filter = ("action",)


@admin.register(Override)
class OverrideAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "function", "level", "degree", "author", "created_at")


@admin.register(ReviewComment)
class ReviewCommentAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "kind", "author", "created_at")


@admin.register(ReevaluationJob)
class ReevaluationJobAdmin(ReadOnlyAdmin):
    list_display = ("id", "rulebook", "state", "done", "total", "changed", "created_at")
    list_filter = ("state",)


admin.site.unregister(Rulebook)
admin.site.register(Rulebook, RulebookWithPreviewAdmin)
