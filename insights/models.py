from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When

from interviews.models import Interview, Segment
from interviews.script import SCRIPT_KEYS, field_position


class MentionKind(models.TextChoices):
    PAIN = "pain", "Pain point"
    WORKAROUND = "workaround", "Workaround"
    WISH = "wish", "Wish"
    STAKEHOLDER = "stakeholder", "Stakeholder"
    TIME = "time", "Time cost"
    WTP = "wtp", "Willingness to pay"
    RISK = "risk", "Risk"


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


SEVERITY_ORDER = [s.value for s in Severity]
# The kinds the pain-point matrix counts, in the order of its evidence cells (insights.matrix numbers
# them 1 to 5); every other kind is cell 0.
CELL_KINDS = ["pain", "time", "risk", "workaround", "wtp"]
# Where an answer sits in the conversation (interviews.script.field_position): other questions after
# the script, notes last. A mention's position is field rank x 10^9 + start.
FIELD_ORDER = {key: field_position(key) for key in (*SCRIPT_KEYS, "notes")}
OTHER_FIELD = field_position("")


class ReviewStatus(models.TextChoices):
    UNREVIEWED = "unreviewed", "Unreviewed"
    ACCEPTED = "accepted", "Accepted"
    EDITED = "edited", "Edited"
    REJECTED = "rejected", "Rejected"


class WtpPeriod(models.TextChoices):
    MONTH = "month", "per month"
    YEAR = "year", "per year"
    USER_MONTH = "user_month", "per user per month"
    ONCE = "once", "once"


class Theme(models.Model):
    """A group of mentions about the same problem (or the same workaround) within a segment."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="themes")
    kind = models.CharField(max_length=20, choices=MentionKind.choices, default=MentionKind.PAIN)
    key = models.SlugField(max_length=120)
    name = models.CharField(max_length=200)
    # A reviewer's rename or merge: machine regrouping never overrides these.
    renamed_by_reviewer = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from"
    )
    # The last reviewer to rename, merge, split off or add synonyms to the theme, and when; blank
    # while only the machine has touched it (a merged-away theme keeps who merged it).
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["segment", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["segment", "kind", "key"], name="theme_key_unique_in_segment"),
        ]

    def __str__(self) -> str:
        return self.name


def _numbered(column: str, numbers: dict[str, int], default: int) -> Case:
    return Case(
        *(When(**{column: key}, then=Value(n)) for key, n in numbers.items()),
        default=Value(default),
        output_field=models.SmallIntegerField(),
    )


class Mention(models.Model):
    """One extracted item, tied to its exact quote in the interview."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="mentions")
    kind = models.CharField(max_length=20, choices=MentionKind.choices)
    field = models.CharField(max_length=40, help_text="Script key or 'notes'")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    # A reviewed mention outlives a re-import: its span follows the quote to wherever it now is in the
    # field's text, and when the quote is gone from the text this is set (start/end then keep the old,
    # no longer meaningful span) so the review queue and the exports can say so.
    quote_missing = models.BooleanField(default=False)
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="mentions")
    proposed_theme_key = models.CharField(max_length=120, blank=True)
    # Pains: every key the extractor considered, best first; the segment regroup settles among them.
    theme_candidates = models.JSONField(default=list, blank=True)
    # For time, risk and workaround mentions: the pain theme key the interviewee tied it to.
    about_key = models.CharField(max_length=120, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, blank=True)
    states_consequence = models.BooleanField(
        default=False, help_text="A pain said in answer to the risk question: the matrix can show it as a consequence"
    )

    hours_per_week = models.FloatField(null=True, blank=True)
    wtp_min = models.FloatField(null=True, blank=True)
    wtp_max = models.FloatField(null=True, blank=True)
    wtp_period = models.CharField(max_length=12, choices=WtpPeriod.choices, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    risk_amount = models.FloatField(null=True, blank=True)
    refused = models.BooleanField(default=False, help_text="A refusal to pay")

    extractor_version = models.CharField(max_length=40, blank=True, help_text="Blank when a person added it")
    review_status = models.CharField(
        max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.UNREVIEWED, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # What insights.matrix reads of each mention as numbers, kept by the database on every write
    # (save, bulk_create, queryset.update): computing them per mention on every matrix was a
    # twentieth of its time at 100k mentions, and numbers compare faster than text on each pass.
    kind_cell = models.GeneratedField(
        expression=_numbered("kind", {k: i for i, k in enumerate(CELL_KINDS, 1)}, 0),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )
    severity_rank = models.GeneratedField(
        expression=_numbered("severity", {s: i for i, s in enumerate(SEVERITY_ORDER)}, -1),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )
    position = models.GeneratedField(
        expression=Case(
            *(When(field=key, then=Value(n * 1_000_000_000)) for key, n in FIELD_ORDER.items()),
            default=Value(OTHER_FIELD * 1_000_000_000),
            output_field=models.BigIntegerField(),
        )
        + F("start"),
        output_field=models.BigIntegerField(),
        db_persist=True,
    )
    unreviewed = models.GeneratedField(
        expression=_numbered("review_status", {ReviewStatus.UNREVIEWED.value: 1}, 0),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["interview_id", "field", "start"]
        indexes = [
            models.Index(fields=["interview", "kind"]),
            models.Index(fields=["theme", "kind"]),
            # The mentions the pain-point matrix counts, by interview (insights.matrix reads them with
            # these same conditions): its scan never visits the rejected ones, wishes or stakeholders.
            models.Index(
                fields=["interview"],
                condition=Q(kind__in=["pain", "time", "risk", "workaround", "wtp"]) & ~Q(review_status="rejected"),
                name="mention_counted_by_interview",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.quote[:60]}"

    @property
    def is_machine(self) -> bool:
        return self.review_status == ReviewStatus.UNREVIEWED


class ThemeSynonym(models.Model):
    """A reviewer's rule: mentions containing this phrase belong to this theme, whatever the grouping says."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="synonyms")
    phrase = models.CharField(max_length=200)

    class Meta:
        ordering = ["phrase"]
        constraints = [models.UniqueConstraint(fields=["theme", "phrase"], name="theme_synonym_unique")]

    def __str__(self) -> str:
        return f"{self.phrase} → {self.theme}"


class RegroupRequest(models.Model):
    """A segment's pending regroup: many extractions in a burst ask for one regroup, not one each.

    `requested_at` moves on every request; `scheduled_at` is set while a regroup task is queued for
    the segment (claimed with a conditional UPDATE, so only one is ever queued) and cleared when
    that task starts its work.
    """

    segment = models.OneToOneField(Segment, on_delete=models.CASCADE, primary_key=True, related_name="+")
    requested_at = models.DateTimeField()
    scheduled_at = models.DateTimeField(null=True, blank=True)
    regrouped_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"regroup of segment {self.segment_id}"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNSURE = "unsure", "Not sure"


class Importance(models.TextChoices):
    MUST_HAVE = "must-have", "Must-have"
    NICE_TO_HAVE = "nice-to-have", "Nice-to-have"


class SegmentAssessment(models.Model):
    """The PM's own answers about a segment, shown beside the numbers: its size and the playbook's four filters.

    The numbers come from the interviews; these are judgements no interview can make, so they are
    asked, never computed (the must-have answer gets a suggestion from how often the pain recurs).
    """

    segment = models.OneToOneField(Segment, on_delete=models.CASCADE, related_name="assessment")
    companies = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many companies are in this segment (for the opportunity estimate)"
    )
    grows_10x = models.CharField("Will it grow 10x in 10 years?", max_length=10, choices=Answer.choices, blank=True)
    clear_goal = models.CharField(
        "Does the product help reach a clear goal?", max_length=10, choices=Answer.choices, blank=True
    )
    reachable = models.CharField(
        "Can we find and reach these customers?", max_length=10, choices=Answer.choices, blank=True
    )
    importance = models.CharField("Must-have or nice-to-have?", max_length=20, choices=Importance.choices, blank=True)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(2000)])
    saturation_window = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Saturation is reached when this many interviews in a row add no new pain theme",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Assessment of {self.segment}"
