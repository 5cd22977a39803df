from django import forms

from interviews.models import PARTICIPANT_FIELDS, Segment, UsageType
from interviews.script import MAX_ANSWER_CHARS, MAX_NOTES_CHARS, SCRIPT


class InterviewForm(forms.Form):
    """The discovery script as a form: participant first, then one section per question."""

    segment = forms.ModelChoiceField(queryset=Segment.objects.none(), empty_label=None)
    interviewed_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    participant_name = forms.CharField(label="Name", max_length=200)
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
