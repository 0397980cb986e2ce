from django.contrib import admin

from reports.models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs change only through services (request, claim, finish, retry)."""

    list_display = (
        "id",
        "kind",
        "mission",
        "state",
        "progress",
        "attempts",
        "requested_by",
        "created_at",
        "finished_at",
    )
    list_filter = ("state", "kind")
    list_select_related = ("mission", "requested_by")
    search_fields = ("mission__acronym", "requested_by__username", "error")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
