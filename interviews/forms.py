from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import slugify

from interviews.importers import (
    TRANSCRIPT_SUFFIXES,
    Transcript,
    Turn,
    guess_interviewee,
    interviewee_notes,
    is_personal_name,
)
from interviews.models import PARTICIPANT_FIELDS, Segment, UsageType, Workspace
from interviews.script import MAX_ANSWER_CHARS, MAX_NOTES_CHARS, SCRIPT


def _counted(field: forms.CharField) -> forms.CharField:
    """A long answer the browser never cuts: no maxlength (a paste past it is silently truncated),
    a character counter instead (static/js/char_counter.js) and the server's message past the limit."""
    field.widget.attrs.pop("maxlength", None)
    field.widget.attrs["data-max-chars"] = str(field.max_length)
    return field


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
            self.fields[question.key] = _counted(
                forms.CharField(
                    label=question.question,
                    help_text=question.help_text,
                    required=False,
                    max_length=MAX_ANSWER_CHARS,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            )
        _counted(self.fields["notes"])  # type: ignore[arg-type]

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


# --- Transcript upload ------------------------------------------------------------------------------

MAX_TRANSCRIPT_FILES = 30
MAX_TRANSCRIPT_BYTES = 5 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(TRANSCRIPT_SUFFIXES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise forms.ValidationError("Choose one or more transcript files.")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class TranscriptUploadForm(forms.Form):
    """Step 1: the files and the segment they belong to."""

    segment = forms.ModelChoiceField(queryset=Segment.objects.none(), empty_label=None)
    transcripts = MultipleFileField(
        label="Transcript files",
        help_text=f"{', '.join(TRANSCRIPT_SUFFIXES)}; one interview per file, up to {MAX_TRANSCRIPT_FILES} at once.",
    )

    def __init__(self, *args: Any, segments: QuerySet[Segment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = segments  # type: ignore[attr-defined]

    def clean_transcripts(self) -> list[Any]:
        files = self.cleaned_data["transcripts"]
        if len(files) > MAX_TRANSCRIPT_FILES:
            raise forms.ValidationError(
                f"{len(files)} files; upload at most {MAX_TRANSCRIPT_FILES} at once (the rest in another go)."
            )
        for f in files:
            if f.size > MAX_TRANSCRIPT_BYTES:
                raise forms.ValidationError(
                    f"{f.name} is {f.size / 2**20:.1f} MB; the limit is {MAX_TRANSCRIPT_BYTES // 2**20} MB a file. "
                    "Split it, or paste the interviewee's part into the form."
                )
        return files


class TranscriptConfirmForm(forms.Form):
    """Step 2, one per file: who the interviewee is, and the participant details the file did not state."""

    filename = forms.CharField(widget=forms.HiddenInput, max_length=255)
    # The file as read in step 1, as JSON [[speaker, text], ...]; carried in the page so no upload is kept.
    turns = forms.CharField(widget=forms.HiddenInput)
    interviewee = forms.ChoiceField(label="Who is the interviewee?", widget=forms.RadioSelect, required=False)
    participant_name = forms.CharField(
        label="Name", max_length=200, required=False, help_text='Empty: shown as "Participant N".'
    )
    participant_company = forms.CharField(label="Company", max_length=200, required=False)
    participant_role = forms.CharField(label="Role", max_length=200, required=False)
    participant_team_size = forms.IntegerField(label="Team size", min_value=1, required=False)
    participant_usage = forms.ChoiceField(label="Uses today", choices=UsageType.choices, initial=UsageType.NOTHING)
    participant_competitor = forms.CharField(label="Competitor (if any)", max_length=200, required=False)
    interviewed_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    add_duplicate = forms.BooleanField(
        label="Add it anyway (it is not the same interview)", required=False, widget=forms.CheckboxInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        turns = self._turns_from(
            self.data.get(self.add_prefix("turns")) if self.is_bound else self.initial.get("turns")
        )
        self.transcript = Transcript(filename="", turns=turns)
        self.speakers = self.transcript.speakers
        self.fields["interviewee"].choices = [(s.name, s.name) for s in self.speakers]  # type: ignore[attr-defined]
        self.fields["interviewee"].required = len(self.speakers) >= 2
        self.duplicate_of: Any = None

    @staticmethod
    def _turns_from(value: Any) -> list[Turn]:
        import json

        if isinstance(value, list):
            return [Turn(str(a), str(b)) for a, b in value]
        try:
            data = json.loads(value or "[]")
            return [Turn(str(a), str(b)) for a, b in data]
        except (ValueError, TypeError):
            return []

    def clean_turns(self) -> str:
        if not self.transcript.turns:
            raise forms.ValidationError("The transcript did not come through; upload the file again.")
        return self.cleaned_data["turns"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("participant_usage") == UsageType.COMPETITOR and not data.get("participant_competitor"):
            self.add_error("participant_competitor", "Name the competitor they use.")
        return data

    def notes(self) -> str:
        return interviewee_notes(self.transcript, self.cleaned_data.get("interviewee") or "")

    def participant_data(self) -> dict[str, object]:
        return {name: self.cleaned_data.get(f"participant_{name}") for name in PARTICIPANT_FIELDS}

    def speaker_rows(self) -> list[dict[str, Any]]:
        """The speakers as the page lists them: a radio each, their first line, and their name when it is one."""
        chosen = self.data.get(self.add_prefix("interviewee")) if self.is_bound else self.initial.get("interviewee")
        return [
            {
                "index": k,
                "name": s.name,
                "sample": s.sample,
                "words": s.words,
                "turns": s.turns,
                "checked": s.name == chosen,
                "personal_name": s.name if is_personal_name(s.name) else "",
            }
            for k, s in enumerate(self.speakers)
        ]


def transcript_confirm_initial(transcript: Transcript) -> dict[str, Any]:
    """Step 2's starting values: the guessed interviewee, and what the file says about the interview."""
    import json

    guess = guess_interviewee(transcript.speakers) or ""
    return {
        "filename": transcript.filename,
        "turns": json.dumps([[t.speaker, t.text] for t in transcript.turns]),
        "interviewee": guess,
        "participant_name": transcript.participant_name or (guess if is_personal_name(guess) else ""),
        "participant_company": transcript.company,
        "participant_role": transcript.role,
        "interviewed_on": transcript.interviewed_on,
    }
