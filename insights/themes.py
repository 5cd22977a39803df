"""Grouping mentions into per-segment themes.

Extraction proposes a key per mention; `themes_regroup` then looks at the whole segment and
groups paraphrases together (insights.extraction.grouping). Reviewer decisions are constraints:
a mention a reviewer accepted or edited keeps its theme, merged themes stay merged, renamed
themes keep their names, and the synonym table pulls matching mentions into its theme.
"""

import itertools
from collections import Counter, defaultdict

from django.db import transaction

from insights.extraction.units import is_free_text
from insights.models import Mention, MentionKind, ReviewStatus, Theme, ThemeSynonym
from interviews.models import Interview, Segment
from interviews.script import field_position

THEMED_KINDS = (MentionKind.PAIN, MentionKind.WORKAROUND)
REVIEWED = (ReviewStatus.ACCEPTED, ReviewStatus.EDITED)


def theme_name_from_key(key: str) -> str:
    return key.replace("-", " ").strip().capitalize() or "Other"


def _resolve(theme: Theme, by_id: dict[int, Theme]) -> Theme:
    # Follow reviewer merges to the surviving theme (guarding against a cycle).
    seen: set[int] = set()
    while theme.merged_into_id and theme.pk not in seen:
        seen.add(theme.pk)
        theme = by_id.get(theme.merged_into_id) or Theme.objects.get(pk=theme.merged_into_id)
    return theme


def _name_themes(*, segment: Segment, kind: str, groups: list[tuple[Theme, list[Mention]]]) -> None:
    """Name the machine's themes of one kind after their quotes, one name per theme.

    Matrix rows, workaround counts and the PRD's top pains go by name, so two themes never share
    one: the bigger group chooses first; a family name another theme holds gives way to the quotes'
    own name, and a name still taken gets a number ("Cover (2)"). Reviewers' names are never changed
    and never reused."""
    from insights.extraction.grouping import family_name, group_name, is_numbered, shipped_families, unnumbered

    family = shipped_families().get(kind)
    taken = {
        t.name.casefold()
        for t in Theme.objects.filter(segment=segment, kind=kind, renamed_by_reviewer=True, merged_into=None)
    }
    for theme, group in sorted(groups, key=lambda g: (-len(g[1]), g[0].key)):
        if theme.renamed_by_reviewer:
            continue
        # Named after the group's own key (settled across the segment), not the interview-level keys.
        # A numbered key ("truck--2") names nothing the key's word does not already name for the
        # first of them: such a group is named after its quotes (one quote alone: after its next
        # candidate key). A family most of the quotes share names it better still (group_name).
        if not is_numbered(theme.key):
            own_key = [theme.key] * len(group)
        elif len(group) == 1:
            word = unnumbered(theme.key)
            own_key = [next((c for c in group[0].theme_candidates or () if c != word), "")]
        else:
            own_key = []
        quotes = [m.quote for m in group]
        plain = group_name(quotes, own_key)[:190] or theme.name
        choices = itertools.chain(
            [(family_name(quotes, own_key, family) or "")[:190], plain], (f"{plain} ({n})" for n in itertools.count(2))
        )
        name = next(c for c in choices if c and c.casefold() not in taken)
        taken.add(name.casefold())
        if name != theme.name:
            theme.name = name
            theme.save(update_fields=["name"])


def _theme_get_or_create(*, segment: Segment, kind: str, key: str) -> Theme:
    # Two workers extracting interviews of a new segment both find no theme for a key and both
    # insert it: get_or_create() takes the other's row when the unique constraint refuses ours
    # (its insert runs in a savepoint, so our transaction goes on).
    theme, _ = Theme.objects.get_or_create(
        segment=segment, kind=kind, key=key, defaults={"name": theme_name_from_key(key)}
    )
    return theme


@transaction.atomic
def themes_assign(*, segment: Segment, mentions: list[Mention]) -> None:
    """Give new mentions a theme straight away from their proposed key; regrouping refines it later."""
    themed = [m for m in mentions if m.kind in THEMED_KINDS and m.proposed_theme_key]
    if not themed:
        return
    existing = {(t.kind, t.key): t for t in Theme.objects.filter(segment=segment)}
    by_id = {t.pk: t for t in existing.values()}
    for mention in themed:
        slot = (mention.kind, mention.proposed_theme_key)
        theme = existing.get(slot)
        if theme is None:
            theme = _theme_get_or_create(segment=segment, kind=mention.kind, key=mention.proposed_theme_key)
            existing[slot] = by_id[theme.pk] = theme
        mention.theme = _resolve(theme, by_id)
    Mention.objects.bulk_update(themed, ["theme"])


@transaction.atomic
def themes_regroup(*, segment: Segment) -> int:
    """Regroup every pain and workaround mention of the segment. Returns how many mentions moved."""
    from insights.extraction.grouping import GroupItem, group_mentions

    # Serialise regroups of one segment: two workers finishing interviews at once would otherwise
    # interleave their theme writes.
    Segment.objects.select_for_update().filter(pk=segment.pk).first()
    themes = {t.pk: t for t in Theme.objects.filter(segment=segment)}
    by_key = {(t.kind, t.key): t for t in themes.values()}
    mentions = list(
        Mention.objects.filter(interview__segment=segment, kind__in=THEMED_KINDS)
        .exclude(review_status=ReviewStatus.REJECTED)
        .order_by("id")
    )
    synonyms: dict[str, dict[str, str]] = defaultdict(dict)
    for syn in ThemeSynonym.objects.filter(theme__segment=segment).select_related("theme"):
        target = _resolve(syn.theme, themes)
        synonyms[target.kind][syn.phrase] = target.key

    topics = {
        str(pk): counts or {}
        for pk, counts in Interview.objects.filter(segment=segment).values_list("pk", "extraction_topics")
    }
    moved = 0
    for kind in THEMED_KINDS:
        items = [m for m in mentions if m.kind == kind]
        if not items:
            continue
        # A mention a reviewer placed stays; so does every mention of a theme a reviewer decided
        # about (renamed, merged into, split off): machine keys are numbered by position, and when
        # a mention before them is rejected or deleted the numbers shift, which would hand the
        # reviewer's "Driver churn" to whatever problem now holds its key.
        fixed = {}
        for m in items:
            if m.theme_id in themes:
                current = _resolve(themes[m.theme_id], themes)
                if m.review_status in REVIEWED or current.reviewed_at or current.renamed_by_reviewer:
                    fixed[m.pk] = current.key
        groups = group_mentions(
            [
                GroupItem(
                    id=str(m.pk),
                    kind=kind,
                    text=m.quote,
                    theme_key=m.proposed_theme_key,
                    interview=str(m.interview_id),
                    fixed=fixed.get(m.pk),
                    candidates=tuple(m.theme_candidates or ()),
                    said_at=(field_position(m.field), m.start),
                    free_text=is_free_text(m.field),
                )
                for m in items
            ],
            synonyms=synonyms.get(kind) or None,
            topics=topics,
        )
        members: dict[str, list[Mention]] = defaultdict(list)
        for m in items:
            members[groups[str(m.pk)]].append(m)
        named: dict[int, tuple[Theme, list[Mention]]] = {}
        for key, group in members.items():
            # A group holding reviewer-placed mentions is their theme.
            placed = Counter(fixed[m.pk] for m in group if m.pk in fixed)
            if placed:
                key = placed.most_common(1)[0][0]
            theme = by_key.get((kind, key))
            if theme is None:
                theme = _theme_get_or_create(segment=segment, kind=kind, key=key[:120])
                themes[theme.pk] = by_key[(kind, key)] = theme
            theme = _resolve(theme, themes)
            named.setdefault(theme.pk, (theme, []))[1].extend(group)
            for m in group:
                if m.review_status in REVIEWED:
                    continue  # a reviewer placed it: never moved by the machine
                if m.theme_id != theme.pk:
                    m.theme = theme
                    moved += 1
        _name_themes(segment=segment, kind=kind, groups=list(named.values()))
        Mention.objects.bulk_update([m for m in items if m.review_status not in REVIEWED], ["theme"])
    # Machine themes nobody uses any more only clutter the review desk.
    Theme.objects.filter(segment=segment, renamed_by_reviewer=False, merged_into=None, merged_from=None).exclude(
        pk__in=Mention.objects.filter(theme__segment=segment).values("theme_id")
    ).exclude(pk__in=ThemeSynonym.objects.values("theme_id")).delete()
    return moved
