"""The review desk: a queue of machine proposals that reviewers accept, reject, edit, move and merge."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme

from insights import review
from insights.matrix import evidence_ids
from insights.models import Mention, MentionKind, ReviewStatus, Severity, Theme, ThemeSynonym
from insights.tasks import enqueue_regroup
from interviews.admin import ScopedChoicesMixin, scoped
from interviews.auth import request_user
from interviews.models import Membership, Role, roles_at_least
from interviews.selectors import member_may


def _action_form(
    model_admin: admin.ModelAdmin, request: HttpRequest, *, form: forms.Form, items: QuerySet, action: str, title: str
) -> TemplateResponse:
    """The intermediate page of an admin action that needs one more choice (a theme, a target)."""
    context = {
        **model_admin.admin_site.each_context(request),
        "form": form,
        "items": items,
        "action": action,
        "opts": model_admin.model._meta,
        "title": title,
    }
    return TemplateResponse(request, "admin/insights/action_form.html", context)


class UsageFilter(admin.SimpleListFilter):
    title = "interviewee type"
    parameter_name = "usage"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        from interviews.models import UsageType

        return list(UsageType.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(interview__participant__usage=self.value()) if self.value() else queryset


class _ThemeOfKindFilter(admin.SimpleListFilter):
    """Themes of one kind only: pain and workaround themes are picked from lists of their own."""

    kind: str = ""

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        themes = scoped(Theme.objects.filter(kind=self.kind, merged_into=None), request, "segment__workspace")
        return [(str(t.pk), f"{t.name} · {t.segment.name}") for t in themes.select_related("segment").order_by("name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(theme_id=self.value()) if self.value() else queryset


class PainThemeFilter(_ThemeOfKindFilter):
    title = "pain theme"
    parameter_name = "pain_theme"
    kind = MentionKind.PAIN


class WorkaroundThemeFilter(_ThemeOfKindFilter):
    title = "workaround theme"
    parameter_name = "workaround_theme"
    kind = MentionKind.WORKAROUND


class MatrixRowFilter(admin.SimpleListFilter):
    """The mentions behind one matrix row, attributed as the matrix attributes them (its "review this
    row" link): the pains of the theme and the time, risk, workaround and WTP mentions it counts."""

    title = "matrix row"
    parameter_name = "matrix_row"

    def _themes(self, request: HttpRequest) -> QuerySet:
        themes = Theme.objects.filter(kind=MentionKind.PAIN, merged_into=None).select_related("segment")
        return scoped(themes, request, "segment__workspace")

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(str(t.pk), f"{t.name} · {t.segment.name}") for t in self._themes(request).order_by("name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        theme = self._themes(request).filter(pk=self.value()).first()
        if theme is None:  # another workspace's theme, or not a row: nothing, never someone else's mentions
            return queryset.none()
        return queryset.filter(id__in=sorted(evidence_ids(segment=theme.segment, theme_id=theme.pk)))


class ReviewerOnlyMixin:
    """Changing mentions and themes is a reviewer's (or admin's) job in their workspace: other members
    (PMs) see them read-only, whatever their model permissions. The review services check it again."""

    workspace_path: str

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):  # type: ignore[misc]
            return False
        user = request_user(request)
        if user.is_superuser:
            return True
        if obj is None:  # the list and its actions: a reviewer somewhere; each write checks its rows
            return Membership.objects.filter(user=user, role__in=roles_at_least(Role.REVIEWER)).exists()
        workspace_id = type(obj).objects.filter(pk=obj.pk).values_list(self.workspace_path, flat=True).first()
        return workspace_id is not None and member_may(user=user, workspace=workspace_id, role=Role.REVIEWER)


class MoveForm(forms.Form):
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, help_text="An existing theme…")
    new_theme_name = forms.CharField(required=False, help_text="…or a new theme (a split).")


@admin.register(Mention)
class MentionAdmin(ReviewerOnlyMixin, ScopedChoicesMixin, admin.ModelAdmin):
    workspace_path = "interview__segment__workspace_id"
    # With the change permission, a last column accepts or rejects the row: see get_list_display.
    list_display = ["in_context", "kind", "theme", "severity", "review_status", "interview_link", "source"]
    list_filter = [
        "review_status",
        "kind",
        ("interview__segment", admin.RelatedOnlyFieldListFilter),
        MatrixRowFilter,
        PainThemeFilter,
        WorkaroundThemeFilter,
        "severity",
        UsageFilter,
        "quote_missing",
    ]
    list_editable = ["severity"]
    search_fields = ["quote", "proposed_theme_key", "theme__name", "interview__participant__name"]
    list_select_related = ["interview__participant", "interview__segment", "theme"]
    readonly_fields = [
        "interview",
        "kind",
        "field",
        "quote",
        "quote_missing",
        "extractor_version",
        "reviewed_by",
        "reviewed_at",
        "proposed_theme_key",
        "created_at",
    ]
    fields = [
        "interview",
        "kind",
        "field",
        "start",
        "end",
        "quote",
        "quote_missing",
        "theme",
        "severity",
        "proposed_theme_key",
        "about_key",
        "hours_per_week",
        "wtp_min",
        "wtp_max",
        "wtp_period",
        "currency",
        "risk_amount",
        "refused",
        "review_status",
        "reviewed_by",
        "reviewed_at",
        "extractor_version",
        "created_at",
    ]
    actions = ["accept", "reject", "move_to_theme"]  # plus one "set severity" action per level, see get_actions

    class Media:
        js = ["js/review_queue.js"]  # keyboard shortcuts, see the script
        css = {"all": ["css/review_queue.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scoped(super().get_queryset(request), request, "interview__segment__workspace")

    def get_urls(self) -> list:
        review_one = self.admin_site.admin_view(self.review_one)
        return [
            path("<int:pk>/review/<str:status>/", review_one, name="insights_mention_review_one"),
            *super().get_urls(),
        ]

    def review_one(self, request: HttpRequest, pk: int, status: str) -> HttpResponse:
        """Accept or reject one mention from its row of the queue, without the bulk menu; back to the queue."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        mention = get_object_or_404(self.get_queryset(request), pk=pk)
        if status not in (ReviewStatus.ACCEPTED, ReviewStatus.REJECTED):
            return HttpResponseBadRequest(f"Use {ReviewStatus.ACCEPTED} or {ReviewStatus.REJECTED}, not {status!r}.")
        review.mentions_set_status(mentions=[mention], user=request_user(request), status=status)
        self.message_user(request, f"{ReviewStatus(status).label}: “{mention.quote[:60]}”.")
        back = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("admin:insights_mention_changelist")
        return redirect(back)

    def get_list_display(self, request: HttpRequest) -> list:
        columns = list(super().get_list_display(request))
        if self.has_change_permission(request):
            columns.append(self._decide_column(request))
        return columns

    def _decide_column(self, request: HttpRequest) -> Callable[[Mention], str]:
        """Accept and reject buttons on each row. They submit the list's own form (and its CSRF token)
        to review_one, and bring the reviewer back to this very page: filters, search and order kept."""
        back = urlencode({"next": request.get_full_path()})

        @admin.display(description="Decide")
        def decide(obj: Mention) -> str:
            buttons = []
            for status, label, key in ((ReviewStatus.ACCEPTED, "Accept", "a"), (ReviewStatus.REJECTED, "Reject", "r")):
                url = reverse("admin:insights_mention_review_one", args=[obj.pk, status]) + "?" + back
                buttons.append((status, " pressed" if obj.review_status == status else "", url, label, key, label))
            return format_html(
                '<span class="review-buttons">{}</span>',
                format_html_join(
                    " ",
                    '<button type="submit" class="review-{}{}" formaction="{}" formmethod="post" '
                    'title="{} (key {})">{}</button>',
                    buttons,
                ),
            )

        return decide

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "theme":
            kwargs["queryset"] = scoped(Theme.objects.filter(merged_into=None), request, "segment__workspace")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Quote, in its sentence")
    def in_context(self, obj: Mention) -> str:
        text = getattr(obj.interview, obj.field, "") or ""
        if obj.quote_missing:  # re-imported text without the quote: the reviewer's decision stands, flagged
            return format_html("<mark>{}</mark> <strong>(quote no longer in the interview)</strong>", obj.quote)
        left = max(text.rfind(".", 0, obj.start), text.rfind("\n", 0, obj.start)) + 1
        right_stop = [i for i in (text.find(".", obj.end), text.find("\n", obj.end)) if i != -1]
        right = min(right_stop) + 1 if right_stop else len(text)
        if text[obj.start : obj.end] != obj.quote:  # the text changed since: show the quote alone
            return format_html("<mark>{}</mark>", obj.quote)
        return format_html("{}<mark>{}</mark>{}", text[left : obj.start], obj.quote, text[obj.end : right])

    @admin.display(description="Interview")
    def interview_link(self, obj: Mention) -> str:
        return format_html(
            '<a href="{}">{}</a>', obj.interview.get_absolute_url(), obj.interview.participant.display_name
        )

    @admin.display(description="Source")
    def source(self, obj: Mention) -> str:
        return "machine" if obj.review_status == ReviewStatus.UNREVIEWED else f"reviewer ({obj.reviewed_by or '?'})"

    def save_model(self, request: HttpRequest, obj: Mention, form: forms.Form, change: bool) -> None:
        if change and form.changed_data:
            # A reviewer's hand: from now on re-extraction leaves this mention alone.
            if "start" in form.changed_data or "end" in form.changed_data:
                text = getattr(obj.interview, obj.field, "") or ""
                if not 0 <= obj.start < obj.end <= len(text):
                    messages.error(request, f"The span must lie inside the text (0-{len(text)}); not saved.")
                    return
                obj.quote, obj.quote_missing = text[obj.start : obj.end], False
            if "review_status" not in form.changed_data or obj.review_status == ReviewStatus.UNREVIEWED:
                obj.review_status = ReviewStatus.EDITED
            obj.reviewed_by = request_user(request)
            from django.utils import timezone

            obj.reviewed_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description="Accept selected mentions", permissions=["change"])
    def accept(self, request: HttpRequest, queryset: QuerySet) -> None:
        n = review.mentions_set_status(mentions=queryset, user=request_user(request), status=ReviewStatus.ACCEPTED)
        self.message_user(request, f"Accepted {n} mention(s).")

    @admin.action(description="Reject selected mentions", permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        n = review.mentions_set_status(mentions=queryset, user=request_user(request), status=ReviewStatus.REJECTED)
        self.message_user(request, f"Rejected {n} mention(s).")

    @admin.action(description="Move selected mentions to a theme (or split into a new one)…", permissions=["change"])
    def move_to_theme(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        segments = set(queryset.values_list("interview__segment_id", "kind"))
        if len(segments) != 1:
            self.message_user(request, "Select mentions of one kind in one segment.", messages.ERROR)
            return None
        segment_id, kind = segments.pop()
        form = MoveForm(request.POST if "apply" in request.POST else None)
        form.fields["theme"].queryset = Theme.objects.filter(segment_id=segment_id, kind=kind, merged_into=None)  # type: ignore[attr-defined]
        if form.is_bound and form.is_valid():
            try:
                if form.cleaned_data["new_theme_name"]:
                    theme = review.theme_split(
                        mentions=queryset, user=request_user(request), name=form.cleaned_data["new_theme_name"]
                    )
                elif form.cleaned_data["theme"]:
                    theme = form.cleaned_data["theme"]
                    review.mentions_move(mentions=queryset, user=request_user(request), theme=theme)
                else:
                    raise ValidationError("Pick a theme or name a new one.")
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return None
            self.message_user(request, f"Moved {queryset.count()} mention(s) to '{theme}'.")
            return None
        return _action_form(self, request, form=form, items=queryset, action="move_to_theme", title="Move mentions")

    def _set_severity(self, request: HttpRequest, queryset: QuerySet, severity: str) -> None:
        for mention in queryset.select_related("interview"):
            review.mention_edit(mention=mention, user=request_user(request), severity=severity)
        self.message_user(request, f"Set severity {severity} on {queryset.count()} mention(s).")

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            return actions
        for severity in Severity.values:

            def action(modeladmin, req, qs, severity=severity):  # type: ignore[no-untyped-def]
                return modeladmin._set_severity(req, qs, severity)

            actions[f"set_severity_{severity}"] = (
                action,
                f"set_severity_{severity}",
                f"Set severity: {Severity(severity).label}",
            )
        return actions


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Theme.objects.none(), help_text="The theme that remains.")


class ThemeSynonymInline(admin.TabularInline):
    model = ThemeSynonym
    extra = 1
    verbose_name = "synonym phrase (mentions containing it join this theme)"


@admin.register(Theme)
class ThemeAdmin(ReviewerOnlyMixin, ScopedChoicesMixin, admin.ModelAdmin):
    workspace_path = "segment__workspace_id"
    inlines = [ThemeSynonymInline]
    list_display = ["name", "kind", "segment", "mention_count", "merged_into", "renamed_by_reviewer"]
    list_filter = ["kind", ("segment", admin.RelatedOnlyFieldListFilter), "renamed_by_reviewer"]
    search_fields = ["name", "key"]
    readonly_fields = ["segment", "kind", "key", "merged_into", "reviewed_by", "reviewed_at", "created_at"]
    fields = [
        "name",
        "segment",
        "kind",
        "key",
        "merged_into",
        "renamed_by_reviewer",
        "reviewed_by",
        "reviewed_at",
        "created_at",
    ]
    actions = ["merge"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request).annotate(mention_total=Count("mentions"))
        return scoped(qs, request, "segment__workspace")

    @admin.display(description="Mentions", ordering="mention_total")
    def mention_count(self, obj: Theme) -> int:
        return obj.mention_total  # type: ignore[attr-defined]

    def save_model(self, request: HttpRequest, obj: Theme, form: forms.Form, change: bool) -> None:
        if change and "name" in form.changed_data:
            review.theme_rename(theme=obj, user=request_user(request), name=obj.name)
            return
        super().save_model(request, obj, form, change)
        if change and form.changed_data:  # e.g. "renamed by reviewer" unticked: a decision too
            review.theme_mark_reviewed(theme=obj, user=request_user(request))

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if any(fs.has_changed() for fs in formsets):
            review.theme_mark_reviewed(theme=form.instance, user=request_user(request))
            # New synonyms pull matching mentions into this theme: regroup once the save commits.
            enqueue_regroup(segment_id=form.instance.segment_id)

    @admin.action(description="Merge selected themes…", permissions=["change"])
    def merge(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        if len(set(queryset.values_list("segment_id", "kind"))) != 1 or queryset.count() < 2:
            self.message_user(request, "Select two or more themes of one kind in one segment.", messages.ERROR)
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None)
        form.fields["target"].queryset = queryset.model.objects.filter(pk__in=queryset.values("pk"))  # type: ignore[attr-defined]
        if form.is_bound and form.is_valid():
            target = form.cleaned_data["target"]
            review.themes_merge(target=target, sources=list(queryset.exclude(pk=target.pk)), user=request_user(request))
            self.message_user(request, f"Merged {queryset.count() - 1} theme(s) into '{target}'.")
            return None
        return _action_form(self, request, form=form, items=queryset, action="merge", title="Merge themes")
