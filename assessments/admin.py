from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from assessments.facts import CONTEXT_FACTS, FUNCTION_FACTS
from assessments.models import (
    Assessment,
    Evaluation,
    FunctionAssessment,
    HistoryEntry,
    Override,
    ReviewComment,
)
from assessments.reevaluation import assessments_reevaluate
from integration.admin import RulebookAdmin
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


class RulebookWithPreviewAdmin(RulebookAdmin):
    """The rulebook admin with a preview of what re-evaluating every stored assessment under a
    rulebook would change: re-evaluation is the assessments' business, so the page lives here
    and the rulebook admin (integration, a layer below) knows nothing of it."""

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="integration_rulebook_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk: int):
        """What re-evaluating every stored assessment under this rulebook would change."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rulebook = get_object_or_404(Rulebook, pk=pk)
        result = assessments_reevaluate(rulebook=rulebook, dry_run=True)
        return TemplateResponse(
            request,
            "admin/integration/rulebook/preview.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Preview of %(v)s") % {"v": rulebook.version},
                "rulebook": rulebook,
                "result": result,
                "opts": self.model._meta,
            },
        )


admin.site.unregister(Rulebook)
admin.site.register(Rulebook, RulebookWithPreviewAdmin)
