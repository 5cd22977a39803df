from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from interviews.script import MAX_ANSWER_CHARS, MAX_NOTES_CHARS, SCRIPT_KEYS


class Workspace(models.Model):
    """A team. Every segment, interview and mention is reached through one."""

    name = models.CharField(max_length=200, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="workspaces", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """What a member may do in a workspace; each role may do all that the roles before it may."""

    PM = "pm", "PM: logs and edits interviews"
    REVIEWER = "reviewer", "Reviewer: also reviews mentions and themes"
    ADMIN = "admin", "Admin: also manages members"


ROLE_ORDER = (Role.PM, Role.REVIEWER, Role.ADMIN)


def roles_at_least(role: str) -> list[str]:
    return [r.value for r in ROLE_ORDER[ROLE_ORDER.index(Role(role)) :]]


class Membership(models.Model):
    """A user's place in a workspace. API tokens act with their user's role."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    # The least a member may be: a workspace admin raises it.
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PM)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.role})"


class UsageType(models.TextChoices):
    OUR_PRODUCT = "our_product", "Uses our product"
    COMPETITOR = "competitor", "Uses a competitor"
    NOTHING = "nothing", "Uses nothing"


class Segment(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="segments")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100)
    description = models.TextField(blank=True)
    industry = models.CharField(max_length=200, blank=True)
    team_size_min = models.PositiveIntegerField(null=True, blank=True)
    team_size_max = models.PositiveIntegerField(null=True, blank=True)
    arr_min = models.PositiveBigIntegerField(null=True, blank=True, help_text="Annual recurring revenue, USD")
    arr_max = models.PositiveBigIntegerField(null=True, blank=True, help_text="Annual recurring revenue, USD")
    hourly_cost = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("50"), validators=[MinValueValidator(Decimal("0"))]
    )
    weeks_per_year = models.PositiveSmallIntegerField(default=50)
    target_interviews = models.PositiveSmallIntegerField(default=15)
    # Target mix of interviewee types, in percent; a third each by default.
    target_our_product_pct = models.PositiveSmallIntegerField(default=34)
    target_competitor_pct = models.PositiveSmallIntegerField(default=33)
    target_nothing_pct = models.PositiveSmallIntegerField(default=33)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "slug"], name="segment_slug_unique_in_workspace"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("interviews:segment_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.team_size_min and self.team_size_max and self.team_size_min > self.team_size_max:
            raise ValidationError({"team_size_max": "Must be at least the minimum team size."})
        if self.arr_min and self.arr_max and self.arr_min > self.arr_max:
            raise ValidationError({"arr_max": "Must be at least the minimum ARR."})
        total = self.target_our_product_pct + self.target_competitor_pct + self.target_nothing_pct
        if total != 100:
            raise ValidationError(f"The target mix must add up to 100% (it adds up to {total}%).")


# The participant fields a person fills in (form, API, import); the rest is bookkeeping.
PARTICIPANT_FIELDS = ("name", "company", "role", "team_size", "usage", "competitor")


class Participant(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="participants")
    # Blank for an anonymised interview: research often keeps no names. Pages show `display_name`.
    name = models.CharField(max_length=200, blank=True)
    company = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=200, blank=True)
    team_size = models.PositiveIntegerField(null=True, blank=True)
    usage = models.CharField(max_length=20, choices=UsageType.choices, default=UsageType.NOTHING)
    competitor = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.company})" if self.company else self.display_name

    @property
    def display_name(self) -> str:
        """The name, or "Participant N" for an anonymous one (N: its id, the same on every page)."""
        return self.name or anonymous_label(self.pk)


def anonymous_label(participant_id: int | None) -> str:
    return f"Participant {participant_id}" if participant_id else "Anonymous participant"


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


def _answer_field() -> models.TextField:
    return models.TextField(blank=True, validators=[MaxLengthValidator(MAX_ANSWER_CHARS)])


class Interview(models.Model):
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="interviews")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="interviews")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    external_id = models.CharField(max_length=200, blank=True, default="", help_text="Id from an import")
    interviewed_on = models.DateField(null=True, blank=True)

    typical_day = _answer_field()
    current_solution = _answer_field()
    whats_broken = _answer_field()
    magic_wand = _answer_field()
    who_else = _answer_field()
    time_spent = _answer_field()
    risk = _answer_field()
    willingness_to_pay = _answer_field()
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_NOTES_CHARS)])
    # interviews.script.text_fingerprint of the answers and notes: finds the same transcript
    # imported again under another id.
    text_fingerprint = models.CharField(max_length=64, blank=True, default="", editable=False)

    status = models.CharField(max_length=10, choices=ExtractionStatus.choices, default=ExtractionStatus.PENDING)
    status_error = models.TextField(blank=True)
    extraction_started_at = models.DateTimeField(null=True, blank=True)
    extraction_finished_at = models.DateTimeField(null=True, blank=True)
    # The task that holds the 'running' claim: a redelivery of that same task (its worker died) may
    # take the claim over at once instead of waiting for it to go stale.
    extraction_task_id = models.CharField(max_length=64, blank=True, default="")
    # What the interview talks about (concept key -> count), from the last extraction: the segment
    # regroup weighs pain keys with it.
    extraction_topics = models.JSONField(default=dict, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-interviewed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "external_id"],
                condition=~models.Q(external_id=""),
                name="interview_external_id_unique_in_segment",
            ),
        ]
        indexes = [
            models.Index(fields=["segment", "status"]),
            models.Index(fields=["segment", "text_fingerprint"], name="interview_fingerprint_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.interviewed_on or 'undated'}"

    def get_absolute_url(self) -> str:
        return reverse("interviews:interview_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        # A participant belongs to one workspace: an interview never ties it to another's segment.
        if self.segment_id and self.participant_id and self.participant.workspace_id != self.segment.workspace_id:
            raise ValidationError({"participant": "This participant belongs to another workspace than the segment."})

    @property
    def answers(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in SCRIPT_KEYS}

    @property
    def display_id(self) -> str:
        return self.external_id or str(self.pk)
