"""Reads. Every query for workspace data goes through here, scoped to the user's workspaces."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from interviews.models import (
    ExtractionStatus,
    Interview,
    Membership,
    Participant,
    Segment,
    UsageType,
    Workspace,
    roles_at_least,
)

User = AuthUser | AnonymousUser


def workspaces_for_user(*, user: User) -> QuerySet[Workspace]:
    if not user.is_authenticated:
        return Workspace.objects.none()
    return Workspace.objects.filter(members=user)


def role_of(*, user: User, workspace_id: int) -> str | None:
    """The user's role in the workspace, or None when they are not a member."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, workspace_id=workspace_id).values_list("role", flat=True).first()


def member_may(*, user: User, workspace: Workspace | int, role: str) -> bool:
    """True when the user holds `role` or a higher one in the workspace (superusers hold every role)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    workspace_id = workspace if isinstance(workspace, int) else workspace.pk
    return Membership.objects.filter(user=user, workspace_id=workspace_id, role__in=roles_at_least(role)).exists()


def segment_list(*, user: User) -> QuerySet[Segment]:
    if not user.is_authenticated:
        return Segment.objects.none()
    return (
        Segment.objects.filter(workspace__members=user)
        .select_related("workspace")
        .annotate(interview_count=Count("interviews"))
        .order_by("name")
    )


def segment_overview(*, user: User) -> QuerySet[Segment]:
    """The home page's segments, with how far each is: interviews, extracted, and still to review."""
    # Mentions are the synthesis app's; capture reads their count through the reverse relation only.
    return segment_list(user=user).annotate(
        done_count=Count("interviews", filter=Q(interviews__status=ExtractionStatus.DONE), distinct=True),
        unreviewed_count=Count(
            "interviews__mentions", filter=Q(interviews__mentions__review_status="unreviewed"), distinct=True
        ),
        interview_total=Count("interviews", distinct=True),
    )


@dataclass(frozen=True)
class NextStep:
    step: int  # 1 create a segment, 2 log or upload interviews, 3 review, 4 read the matrix
    text: str
    segment: Segment | None = None


def next_step(*, segments: list[Segment]) -> NextStep:
    """What the PM should do next: the playbook's order, for the first segment that is not there yet."""
    if not segments:
        return NextStep(1, "Create a segment: who you will interview, and what an hour of their time costs.")
    for segment in segments:
        if not segment.interview_total:  # type: ignore[attr-defined]
            return NextStep(2, f"Log or upload the interviews of {segment.name}.", segment)
    for segment in segments:
        if segment.unreviewed_count:  # type: ignore[attr-defined]
            return NextStep(
                3,
                f"Review what was found in {segment.name}: {segment.unreviewed_count} mention(s) are unreviewed.",  # type: ignore[attr-defined]
                segment,
            )
    for segment in segments:
        if segment.interview_total < segment.target_interviews:  # type: ignore[attr-defined]
            return NextStep(
                2,
                f"Keep interviewing in {segment.name}: "
                f"{segment.interview_total} of {segment.target_interviews} logged.",  # type: ignore[attr-defined]
                segment,
            )
    return NextStep(4, f"Read the matrix of {segments[0].name} and export it into the PRD.", segments[0])


def segment_for_writing(*, user: User, slug: str) -> Segment | None:
    """The user's segment with this slug (the first workspace's, if several have it), or None.

    Without segment_list's interview count: a write into the segment needs the row, and counting
    its interviews on every save grew with the segment (a join over all of them per POST). Nor
    its workspace's row: a write needs only its id, and joining it was a sixth of the query's cost.
    """
    if not user.is_authenticated:
        return None
    return Segment.objects.filter(workspace__members=user, slug=slug).order_by("workspace_id").first()


def segment_get(*, user: User, slug: str) -> Segment:
    """The user's segment with this slug, or 404 (also when it belongs to another workspace)."""
    segment = segment_list(user=user).filter(slug=slug).order_by("workspace_id").first()
    if segment is None:
        raise Http404("No such segment.")
    return segment


def interview_list(*, user: User, segment: Segment | None = None, status: str | None = None) -> QuerySet[Interview]:
    if not user.is_authenticated:
        return Interview.objects.none()
    qs = Interview.objects.filter(segment__workspace__members=user).select_related(
        "segment", "participant", "interviewer"
    )
    if segment is not None:
        qs = qs.filter(segment=segment)
    if status:
        qs = qs.filter(status=status)
    return qs


def interview_get(*, user: User, pk: int) -> Interview:
    return get_object_or_404(interview_list(user=user), pk=pk)


def participant_list(*, user: User) -> QuerySet[Participant]:
    if not user.is_authenticated:
        return Participant.objects.none()
    return Participant.objects.filter(workspace__members=user)


def segment_progress(*, segment: Segment) -> dict[str, object]:
    """Interviews logged against the target, and the interviewee mix against the target mix."""
    counts = Interview.objects.filter(segment=segment).aggregate(
        total=Count("id"),
        our_product=Count("id", filter=Q(participant__usage=UsageType.OUR_PRODUCT)),
        competitor=Count("id", filter=Q(participant__usage=UsageType.COMPETITOR)),
        nothing=Count("id", filter=Q(participant__usage=UsageType.NOTHING)),
    )
    target = segment.target_interviews
    mix = []
    for usage, pct in (
        (UsageType.OUR_PRODUCT, segment.target_our_product_pct),
        (UsageType.COMPETITOR, segment.target_competitor_pct),
        (UsageType.NOTHING, segment.target_nothing_pct),
    ):
        mix.append(
            {
                "usage": usage.value,
                "label": usage.label,
                "count": counts[usage.value],
                "target": round(target * pct / 100),
            }
        )
    return {
        "total": counts["total"],
        "target": target,
        "percent": min(100, round(100 * counts["total"] / target)) if target else 100,
        "mix": mix,
    }
