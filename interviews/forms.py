from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import slugify

from interviews.models import PARTICIPANT_FIELDS, Segment, UsageType, Workspace
from interviews.script import MAX_ANSWER_CHARS, MAX_NOTES_CHARS, SCRIPT


class InterviewForm(forms.Form):
    """The discovery script as a form: participant first, then one section per question."""

    segment = forms.ModelChoiceField(queryset=Segment.objects.none(), empty_label=None)
    interviewed_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    participant_name = forms.CharField(
        label="Name",
        max_length=200,
        required=False,
        help_text='Leave it empty for an anonymous interview: it is shown as "Participant N".',
    )
    participant_company = forms.CharField(label="Company", max_length=200, required=False)
    participant_role = forms.CharField(label="Role", max_length=200, required=False)
    participant_team_size = forms.IntegerField(label="Team size", min_value=1, required=False)
    participant_usage = forms.ChoiceField(label="Uses today", choices=UsageType.choices)
    participant_competitor = forms.CharField(label="Competitor (if any)", max_length=200, required=False)
    notes = forms.CharField(
        label="Free notes or pasted transcript",
        required=False,
        max_length=MAX_NOTES_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: object, segments: "object", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["segment"].queryset = segments  # type: ignore[attr-defined]
        for question in SCRIPT:
            self.fields[question.key] = forms.CharField(
                label=question.question,
                help_text=question.help_text,
                required=False,
                max_length=MAX_ANSWER_CHARS,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self) -> dict:
        data = super().clean() or {}
        if not any((data.get(q.key) or "").strip() for q in SCRIPT) and not (data.get("notes") or "").strip():
            raise forms.ValidationError("Answer at least one question or paste notes: there is nothing to analyse.")
        if data.get("participant_usage") == UsageType.COMPETITOR and not data.get("participant_competitor"):
            self.add_error("participant_competitor", "Name the competitor they use.")
        return data

    def script_fields(self) -> list[forms.BoundField]:
        return [self[q.key] for q in SCRIPT]

    def answers(self) -> dict[str, str]:
        return {q.key: self.cleaned_data.get(q.key) or "" for q in SCRIPT}

    def participant_data(self) -> dict[str, object]:
        return {name: self.cleaned_data.get(f"participant_{name}") for name in PARTICIPANT_FIELDS}


# Paths under /segments/ that are pages, not segments.
RESERVED_SLUGS = {"new", "upload", "compare"}


class SegmentForm(forms.ModelForm):
    """A segment as a PM defines it: who, the cost figures the matrix uses, and the interview plan."""

    workspace = forms.ModelChoiceField(queryset=Workspace.objects.none(), empty_label=None)

    class Meta:
        model = Segment
        fields = [
            "workspace", "name", "slug", "description", "industry",
            "team_size_min", "team_size_max", "arr_min", "arr_max",
            "hourly_cost", "weeks_per_year",
            "target_interviews", "target_our_product_pct", "target_competitor_pct", "target_nothing_pct",
        ]  # fmt: skip
        labels = {
            "description": "Criteria",
            "arr_min": "ARR from (USD)",
            "arr_max": "ARR to (USD)",
            "hourly_cost": "Hourly cost (USD)",
            "weeks_per_year": "Working weeks a year",
            "target_interviews": "Target interviews",
            "target_our_product_pct": "Current users (%)",
            "target_competitor_pct": "Competitor users (%)",
            "target_nothing_pct": "Using nothing (%)",
        }
        help_texts = {
            "slug": "Its address: /segments/<slug>/. Left empty, it is made from the name.",
            "description": 'Who is in it: "small fintech SaaS teams, 3-10 people, $100k-$1M ARR".',
            "hourly_cost": "What an hour of these people costs: the matrix turns hours a week into $ a year with it.",
            "target_our_product_pct": "The interview mix: the three add up to 100.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, workspaces: QuerySet[Workspace], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["workspace"].queryset = workspaces  # type: ignore[attr-defined]
        if self.instance.pk:
            # A segment stays in its workspace; its slug is its address, kept stable.
            del self.fields["workspace"]
            self.fields["slug"].disabled = True
        elif workspaces.count() == 1:
            self.fields["workspace"].initial = workspaces.first()
            self.fields["workspace"].widget = forms.HiddenInput()

    def clean_slug(self) -> str:
        if self.instance.pk:
            return self.instance.slug
        slug = self.cleaned_data.get("slug") or slugify(self.data.get(self.add_prefix("name")) or "")[:100]
        if not slug:
            raise forms.ValidationError("Give the segment a name or a slug (letters, numbers, hyphens).")
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(f"{slug!r} is the address of a page; pick another slug.")
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        workspace = data.get("workspace") or (self.instance.workspace if self.instance.pk else None)
        slug = data.get("slug")
        taken = Segment.objects.filter(workspace=workspace, slug=slug)
        if workspace and slug and not self.instance.pk and taken.exists():
            self.add_error("slug", f"A segment with the slug {slug!r} already exists in {workspace}; pick another.")
        return data

    def segment_fields(self) -> dict[str, Any]:
        """The cleaned model fields, for the services (the workspace and slug apart)."""
        return {k: v for k, v in self.cleaned_data.items() if k not in ("workspace", "slug")}
