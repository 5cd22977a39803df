"""The admin, scoped like the selectors: a staff user sees, picks and writes only their workspaces' rows.

Saves of interviews go through the same services as the web form and the API, so an interview added
or edited here is extracted like any other.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from interviews import services
from interviews.auth import request_user
from interviews.models import Interview, Membership, Participant, Role, Segment, Workspace
from interviews.script import SCRIPT_KEYS
from interviews.selectors import member_may


def scoped(qs: QuerySet, request: HttpRequest, workspace_path: str) -> QuerySet:
    """Rows whose workspace (reached through `workspace_path`) has the user as a member."""
    if request.user.is_superuser:
        return qs
    return qs.filter(**{f"{workspace_path}__members": request.user}).distinct()


def choices_for(model: type[Model], request: HttpRequest, admin_site: admin.AdminSite) -> QuerySet | None:
    """What a form field pointing at `model` may offer: the rows its own admin list shows the user.

    Users (interviewers, members) are those who share a workspace with the user. None: no scoping
    applies (a model outside workspaces, or a superuser).
    """
    if request.user.is_superuser:
        return None
    if model is get_user_model():
        return model.objects.filter(workspaces__members=request_user(request)).distinct()
    model_admin: Any = admin_site._registry.get(model)
    if isinstance(model_admin, admin.ModelAdmin) and isinstance(model_admin, ScopedChoicesMixin):
        return model_admin.get_queryset(request)
    return None


class ScopedChoicesMixin:
    """Every foreign-key and many-to-many field offers only rows of the user's workspaces."""

    admin_site: admin.AdminSite

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        qs = choices_for(db_field.related_model, request, self.admin_site)
        if "queryset" not in kwargs and qs is not None:
            kwargs["queryset"] = qs
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        qs = choices_for(db_field.related_model, request, self.admin_site)
        if "queryset" not in kwargs and qs is not None:
            kwargs["queryset"] = qs
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class WorkspaceScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """Staff see only their workspaces' rows; superusers see everything."""

    workspace_path = "workspace"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scoped(super().get_queryset(request), request, self.workspace_path)


class MembershipFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("user")
        ]
        if self.instance.pk and not any(data.get("role") == Role.ADMIN for data in kept):
            raise ValidationError("A workspace keeps at least one admin: make another member admin first.")


class MembershipInline(ScopedChoicesMixin, admin.TabularInline):
    """Members and their roles. Only the workspace's admins (and superusers) may change them."""

    model = Membership
    formset = MembershipFormSet
    fields = ["user", "role"]
    extra = 0

    def _may_manage(self, request: HttpRequest, obj: Workspace | None) -> bool:
        return obj is None or member_may(user=request_user(request), workspace=obj, role=Role.ADMIN)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # every member sees who else is in the workspace, and their roles


@admin.register(Workspace)
class WorkspaceAdmin(WorkspaceScopedAdmin):
    workspace_path = ""
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = admin.ModelAdmin.get_queryset(self, request)
        return qs if request.user.is_superuser else qs.filter(members=request.user)

    def has_change_permission(self, request: HttpRequest, obj: Workspace | None = None) -> bool:
        # Renaming the workspace or changing its members is the workspace admin's.
        if obj is not None and not member_may(user=request_user(request), workspace=obj, role=Role.ADMIN):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Workspace | None = None) -> bool:
        if obj is not None and not member_may(user=request_user(request), workspace=obj, role=Role.ADMIN):
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if not change and not request.user.is_superuser:
            # Whoever creates a workspace manages it (unless the form already named its admins).
            workspace = form.instance
            if not workspace.memberships.filter(role=Role.ADMIN).exists():
                Membership.objects.update_or_create(
                    workspace=workspace, user=request_user(request), defaults={"role": Role.ADMIN}
                )


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
    list_filter = [("workspace", admin.RelatedOnlyFieldListFilter), "industry"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [InterviewInline]


@admin.register(Participant)
class ParticipantAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "company", "role", "team_size", "usage", "competitor"]
    list_filter = ["usage", ("workspace", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "company", "role", "competitor"]


class InterviewAdminForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = ["segment", "participant", "interviewer", "interviewed_on", "external_id", *SCRIPT_KEYS, "notes"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answers = {key: data.get(key) or "" for key in SCRIPT_KEYS}
        if not any(value.strip() for value in answers.values()) and not (data.get("notes") or "").strip():
            raise ValidationError("Answer at least one question or paste notes: there is nothing to analyse.")
        # The service's own checks, as form errors instead of a failed save.
        services.validate_interview_text(answers=answers, notes=data.get("notes") or "")
        return data


@admin.register(Interview)
class InterviewAdmin(WorkspaceScopedAdmin):
    form = InterviewAdminForm
    workspace_path = "segment__workspace"
    list_display = ["__str__", "external_id", "segment", "interviewed_on", "status", "updated_at"]
    list_filter = ["status", ("segment", admin.RelatedOnlyFieldListFilter), "participant__usage", "interviewed_on"]
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

    def get_readonly_fields(self, request: HttpRequest, obj: Interview | None = None) -> list[str]:
        # Its mentions are grouped into its segment's themes: an interview stays where it was logged.
        return [*self.readonly_fields, "segment"] if obj is not None else list(self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: Interview, form: forms.ModelForm, change: bool) -> None:
        answers = {key: form.cleaned_data.get(key) or "" for key in SCRIPT_KEYS}
        notes = form.cleaned_data.get("notes") or ""
        if change:
            saved = services.interview_update(
                interview=Interview.objects.get(pk=obj.pk),  # as stored: the service compares the text
                answers=answers,
                notes=notes,
                participant=obj.participant,
                interviewed_on=obj.interviewed_on,
                external_id=obj.external_id,
                interviewer=obj.interviewer,
            )
        else:
            saved = services.interview_create(
                segment=obj.segment,
                participant=obj.participant,
                answers=answers,
                notes=notes,
                interviewer=obj.interviewer or request_user(request),
                interviewed_on=obj.interviewed_on,
                external_id=obj.external_id,
            )
        # The admin's message and redirect read the object it built.
        obj.pk, obj.status, obj._state.adding = saved.pk, saved.status, False

    def delete_model(self, request: HttpRequest, obj: Interview) -> None:
        services.interview_delete(interview=obj)


# API tokens: Django REST framework's admin lists every user's key to anyone allowed to see tokens.
# Here a staff user sees and creates only their own; a superuser, all of them.
admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class OwnTokenAdmin(TokenAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(user=request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = get_user_model().objects.filter(pk=request_user(request).pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
