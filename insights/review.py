"""Reviewer decisions: the machine proposes, people decide. Every write records who and when."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from insights.models import Mention, MentionKind, ReviewStatus, Severity, Theme, ThemeSynonym
from insights.tasks import enqueue_regroup
from insights.themes import THEMED_KINDS
from interviews.auth import require_role
from interviews.models import Role, Segment


def _reviewer_of_mentions(user: User, mentions: list[Mention]) -> None:
    """Reviewing is the reviewer's (and the admin's) job, in the mentions' own workspaces."""
    workspaces = Mention.objects.filter(pk__in=[m.pk for m in mentions]).values_list(
        "interview__segment__workspace_id", flat=True
    )
    require_role(user=user, workspace_ids=workspaces, role=Role.REVIEWER, action="Reviewing mentions")


def _reviewer_of_themes(user: User, themes: list[Theme]) -> None:
    workspaces = Theme.objects.filter(pk__in=[t.pk for t in themes]).values_list("segment__workspace_id", flat=True)
    require_role(user=user, workspace_ids=workspaces, role=Role.REVIEWER, action="Reviewing themes")


def _stamp(mention: Mention, *, user: User, status: str) -> None:
    mention.review_status = status
    mention.reviewed_by = user
    mention.reviewed_at = timezone.now()


@transaction.atomic
def mentions_set_status(*, mentions: Iterable[Mention], user: User, status: str) -> int:
    """Accept or reject mentions, one or many."""
    if status not in (ReviewStatus.ACCEPTED, ReviewStatus.REJECTED):
        raise ValidationError({"status": f"Use '{ReviewStatus.ACCEPTED}' or '{ReviewStatus.REJECTED}'."})
    mentions = list(mentions)
    _reviewer_of_mentions(user, mentions)
    changed = []
    for mention in mentions:
        _stamp(mention, user=user, status=status)
        changed.append(mention)
    Mention.objects.bulk_update(changed, ["review_status", "reviewed_by", "reviewed_at"])
    return len(changed)


@transaction.atomic
def mention_edit(
    *,
    mention: Mention,
    user: User,
    severity: str | None = None,
    start: int | None = None,
    end: int | None = None,
    theme: Theme | None = None,
) -> Mention:
    """Change a mention's severity, quote span or theme; it then counts as a reviewer's edit."""
    _reviewer_of_mentions(user, [mention])
    if severity is not None:
        if severity not in Severity.values:
            raise ValidationError(
                {"severity": f"Unknown severity {severity!r}; use one of {', '.join(Severity.values)}."}
            )
        mention.severity = severity
    if start is not None or end is not None:
        text = getattr(mention.interview, mention.field, "") or ""
        new_start = mention.start if start is None else start
        new_end = mention.end if end is None else end
        if not 0 <= new_start < new_end <= len(text):
            raise ValidationError(
                {"end": f"The span must lie inside the {mention.field} text (0-{len(text)}) with start before end."}
            )
        mention.start, mention.end, mention.quote = new_start, new_end, text[new_start:new_end]
        mention.quote_missing = False
    if theme is not None:
        if theme.segment_id != mention.interview.segment_id or theme.kind != mention.kind:
            raise ValidationError({"theme": "Pick a theme of the same kind in the same segment."})
        mention.theme = theme
    _stamp(mention, user=user, status=ReviewStatus.EDITED)
    mention.save()
    return mention


@transaction.atomic
def mentions_move(*, mentions: Iterable[Mention], user: User, theme: Theme) -> int:
    moved = 0
    for mention in mentions:
        mention_edit(mention=mention, user=user, theme=theme)
        moved += 1
    return moved


def _theme_stamp(theme: Theme, *, user: User) -> list[str]:
    """Record who last decided something about the theme and when; returns the fields to save."""
    theme.reviewed_by = user
    theme.reviewed_at = timezone.now()
    return ["reviewed_by", "reviewed_at"]


def _theme_set_name(theme: Theme, *, name: str) -> list[str]:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A theme needs a name."})
    theme.name = name[:200]
    theme.renamed_by_reviewer = True
    return ["name", "renamed_by_reviewer"]


@transaction.atomic
def theme_rename(*, theme: Theme, user: User, name: str) -> Theme:
    _reviewer_of_themes(user, [theme])
    fields = _theme_set_name(theme, name=name) + _theme_stamp(theme, user=user)
    theme.save(update_fields=fields)
    return theme


@transaction.atomic
def theme_mark_reviewed(*, theme: Theme, user: User) -> Theme:
    """A reviewer changed the theme some other way (its synonyms, its flags in the admin)."""
    _reviewer_of_themes(user, [theme])
    theme.save(update_fields=_theme_stamp(theme, user=user))
    return theme


@transaction.atomic
def themes_merge(*, target: Theme, sources: Iterable[Theme], user: User) -> Theme:
    """Fold sources into target. Future machine mentions with a source's key land in target too.

    Both sides keep the reviewer: the target for what it absorbed, each source for where it went.
    """
    sources = list(sources)
    _reviewer_of_themes(user, [target, *sources])
    merged = 0
    for source in sources:
        if source.pk == target.pk:
            continue
        if source.segment_id != target.segment_id or source.kind != target.kind:
            raise ValidationError({"theme": f"'{source}' is in another segment or of another kind; it cannot merge."})
        source.mentions.update(theme=target)
        Theme.objects.filter(merged_into=source).update(merged_into=target)
        source.merged_into = target
        source.save(update_fields=["merged_into", *_theme_stamp(source, user=user)])
        merged += 1
    if merged:
        theme_mark_reviewed(theme=target, user=user)
    return target


@transaction.atomic
def theme_split(*, mentions: Iterable[Mention], user: User, name: str) -> Theme:
    """Move the given mentions into a new theme named by the reviewer."""
    items = list(mentions)
    if not items:
        raise ValidationError({"mentions": "Select the mentions that form the new theme."})
    _reviewer_of_mentions(user, items)
    first = items[0]
    segment_id, kind = first.interview.segment_id, first.kind
    base = slugify(name)[:100] or "theme"
    key, n = base, 2
    while Theme.objects.filter(segment_id=segment_id, kind=kind, key=key).exists():
        key, n = f"{base}-{n}", n + 1
    theme = Theme(segment_id=segment_id, kind=kind, key=key, name=name.strip()[:200], renamed_by_reviewer=True)
    _theme_stamp(theme, user=user)
    theme.save()
    mentions_move(mentions=items, user=user, theme=theme)
    return theme


@transaction.atomic
def theme_synonyms_add(
    *,
    segment: Segment,
    user: User | None,
    key: str,
    name: str,
    phrases: Iterable[str],
    kind: str = MentionKind.PAIN,
) -> Theme:
    """Phrases that pull every mention containing them into the theme `key` (created if new), named `name`.

    The same rule as the admin's synonym inline; the next regroup applies it to the whole segment.
    `user` is the reviewer who added them, recorded on the theme when anything changed; None when
    a script seeds them (load_demo), which is nobody's review.
    """
    if user is not None:
        require_role(user=user, workspace_ids=[segment.workspace_id], role=Role.REVIEWER, action="Reviewing themes")
    key, name = slugify(key)[:120], name.strip()
    cleaned = sorted({" ".join(p.split()) for p in phrases if p.strip()})
    if not key or not name or not cleaned:
        raise ValidationError({"phrases": "Give a theme key, a name and at least one phrase."})
    if kind not in THEMED_KINDS:
        raise ValidationError({"kind": "Only pain and workaround themes group mentions; use 'pain' or 'workaround'."})
    limit = int(ThemeSynonym._meta.get_field("phrase").max_length or 200)
    too_long = [p for p in cleaned if len(p) > limit]
    if too_long:
        raise ValidationError({"phrases": f"'{too_long[0][:40]}…' is longer than {limit} characters; shorten it."})
    theme, created = Theme.objects.get_or_create(
        segment=segment, kind=kind, key=key, defaults={"name": name[:200], "renamed_by_reviewer": True}
    )
    changed, fields = created, []
    if not created and not theme.renamed_by_reviewer:
        fields += _theme_set_name(theme, name=name)  # a machine name gives way; a reviewer's name stands
        changed = True
    for phrase in cleaned:
        changed = ThemeSynonym.objects.get_or_create(theme=theme, phrase=phrase)[1] or changed
    if user is not None and changed:
        fields += _theme_stamp(theme, user=user)
    if fields:
        theme.save(update_fields=fields)
    enqueue_regroup(segment_id=segment.pk)
    return theme
