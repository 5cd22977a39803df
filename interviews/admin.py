from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from interviews.models import Interview, Participant, Segment, Workspace
from interviews.script import SCRIPT_KEYS


class WorkspaceScopedAdmin(admin.ModelAdmin):
    """Staff see only their workspaces' rows; superusers see everything."""

    workspace_path = "workspace"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.workspace_path}__members": request.user}).distinct()


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    filter_horizontal = ["members"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(members=request.user)


class InterviewInline(admin.TabularInline):
    model = Interview
    fields = ("external_id", "participant", "interviewed_on", "status")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False


@admin.register(Segment)
class SegmentAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "slug", "workspace", "target_interviews", "hourly_cost", "created_at"]
    list_filter = ["workspace", "industry"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [InterviewInline]


@admin.register(Participant)
class ParticipantAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "company", "role", "team_size", "usage", "competitor"]
    list_filter = ["usage", "workspace"]
    search_fields = ["name", "company", "role", "competitor"]


@admin.register(Interview)
class InterviewAdmin(WorkspaceScopedAdmin):
    workspace_path = "segment__workspace"
    list_display = ["__str__", "external_id", "segment", "interviewed_on", "status", "updated_at"]
    list_filter = ["status", "segment", "participant__usage", "interviewed_on"]
    search_fields = ("external_id", "participant__name", "participant__company", "notes", *SCRIPT_KEYS)
    list_select_related = ["participant", "segment"]
    autocomplete_fields = ["participant"]
    readonly_fields = ["status", "status_error", "extraction_started_at", "extraction_finished_at", "created_at"]
    date_hierarchy = "interviewed_on"
    fieldsets = [
        (None, {"fields": ["segment", "participant", "interviewer", "interviewed_on", "external_id"]}),
        ("Discovery script", {"fields": (*SCRIPT_KEYS, "notes")}),
        (
            "Extraction",
            {"fields": ("status", "status_error", "extraction_started_at", "extraction_finished_at", "created_at")},
        ),
    ]
