from django.contrib import admin

from assessments.models import Assessment, FunctionAssessment


class FunctionAssessmentInline(admin.StackedInline):
    model = FunctionAssessment
    extra = 0
    filter_horizontal = ("involved_entities",)


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("mission", "as_of", "status", "phase", "version", "updated_at")
    list_filter = ("status", "phase", "mission")
    readonly_fields = ("version", "created_at", "updated_at", "created_by", "updated_by")
    inlines = (FunctionAssessmentInline,)
