"""Grouping mentions into per-segment themes."""

from django.db import transaction

from insights.models import Mention, MentionKind, Theme
from interviews.models import Segment

THEMED_KINDS = (MentionKind.PAIN, MentionKind.WORKAROUND)


def theme_name_from_key(key: str) -> str:
    return key.replace("-", " ").strip().capitalize() or "Other"


def _resolve(theme: Theme) -> Theme:
    # Follow reviewer merges to the surviving theme.
    seen = set()
    while theme.merged_into_id and theme.pk not in seen:
        seen.add(theme.pk)
        theme = theme.merged_into  # type: ignore[assignment]
    return theme


@transaction.atomic
def themes_assign(*, segment: Segment, mentions: list[Mention]) -> None:
    """Attach each pain and workaround mention to its segment theme, creating themes as needed."""
    themed = [m for m in mentions if m.kind in THEMED_KINDS and m.proposed_theme_key]
    if not themed:
        return
    existing = {(t.kind, t.key): t for t in Theme.objects.filter(segment=segment).select_related("merged_into")}
    for mention in themed:
        slot = (mention.kind, mention.proposed_theme_key)
        theme = existing.get(slot)
        if theme is None:
            theme = Theme.objects.create(
                segment=segment,
                kind=mention.kind,
                key=mention.proposed_theme_key,
                name=theme_name_from_key(mention.proposed_theme_key),
            )
            existing[slot] = theme
        mention.theme = _resolve(theme)
    Mention.objects.bulk_update(themed, ["theme"])
