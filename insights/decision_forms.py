from django import forms

from insights.models import SegmentAssessment


class AssessmentForm(forms.ModelForm):
    """The PM's answers about a segment: its size, the four filters, the saturation window."""

    class Meta:
        model = SegmentAssessment
        fields = ["companies", "grows_10x", "clear_goal", "reachable", "importance", "notes", "saturation_window"]
        labels = {"companies": "Companies in the segment", "saturation_window": "Saturation window (interviews)"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}
