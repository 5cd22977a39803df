"""Theme keys without spaCy: the concept table and how an interview's pains settle on their keys.

Plain Python, so the segment regroup (a worker without a parsed document) can settle keys again
with what the whole segment talks about, not only the one interview.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

# General business-operations concepts: many surface words, one key. Deliberately coarse: the
# same problem said in different words should land on one key (B-cubed grouping), and these are
# areas any small business talks about, not phrases of one interview set.
CONCEPTS = {
    "spreadsheet": "sheet sheets spreadsheet spreadsheets excel csv vlookup vlookups",
    "reporting": "report reports reporting dashboard dashboards metric metrics kpi kpis pack deck decks numbers figure figures p&l investor investors",  # noqa: E501
    "tools": "app apps tool tools login logins system systems platform platforms software vendor vendors subscription subscriptions",  # noqa: E501
    "integrations": "integration integrations api apis connector connectors",
    "sync": "sync syncing synchronisation synchronization",
    "billing": "invoice invoices invoicing bill bills payment payments billing",
    "email": "email emails gmail inbox inboxes",
    "chat": "slack message messages chat texts texting sms whatsapp",
    "phone": "phone phones call calls voicemail voicemails",
    "paperwork": "form forms paper clipboard clipboards paperwork handwriting intake",
    "inventory": "stock inventory sku skus oversell overselling shortage shortages stockout stockouts",
    "pricing": "price prices pricing cost costs fee fees seat seats tier tiers margin margins",
    "returns": "return returns refund refunds",
    "claims": "claim claims denial denials insurance payer payers reimbursement",
    "scheduling": "appointment appointments schedule scheduling slot slots booking bookings no-show no-shows show shows cancellation cancellations",  # noqa: E501
    "compliance": "compliance audit audits regulator regulators regulation regulations licence license licences licenses licensing filing filings deadline deadlines evidence regulatory registration registrations penalty penalties",  # noqa: E501
    "security": "security privacy breach breaches hipaa gdpr encryption",
    "ads": "ad ads campaign campaigns attribution advertising",
    "shipping": "shipping shipment shipments carrier carriers label labels parcel parcels freight postage delivery deliveries",  # noqa: E501
    "renewals": "renewal renewals contract contracts",
    "handoffs": "handoff handoffs hand-off hand-offs coordination",
    "support": "ticket tickets support",
    "reconciliation": "reconciliation reconcile cash bank",
}
SYNONYMS = {w: key for key, words in CONCEPTS.items() for w in words.split()}
# Clipped words name the same thing as the full one: "the auth is stuck", "prior authorizations".
CLIPPED = {
    "auth": "authorization",
    "auths": "authorization",
    "preauth": "authorization",
    "recon": "reconciliation",
    "recons": "reconciliation",
    "admin": "administration",
    "doc": "document",
    "docs": "document",
    "spec": "specification",
    "specs": "specification",
    "req": "requirement",
    "reqs": "requirement",
    "config": "configuration",
}

# How an interview's pains settle on keys: shared candidates first, then what the interview keeps
# talking about (context, capped), then business concepts over raw nouns.
CONCEPT_BONUS = 0.5
# The media people cope with: a pain about "the sheet" or "the inbox" is a pain of the job the sheet
# serves (reporting, renewals), so these keys win only when nothing else is on offer.
MEDIA = frozenset({"spreadsheet", "email", "chat"})
CONTEXT_WEIGHT = 1.0
CONTEXT_CAP = 8
# Segment level: a candidate other interviewees also raise is more likely the theme ("records" in
# 5 of 12 interviews), and a pain keeps a key of its own when that key recurs across the segment.
# Only a tie-breaker: weighed like the interview's own words, the nouns every interviewee uses (the
# "units" of property managers) outvoted what each pain was about. Measured on dev and two hand-made
# sets in other trades (README, Insights): 0.05 to 0.12 all gave the best figures on all three.
SEGMENT_WEIGHT = 0.1
RECURRING_SHARE = 0.2


# The trade's own objects: a raw noun (not a business concept) that half the segment's interviews
# bring up with their pains is what they work on, not a problem area: property managers' "units",
# merchants' "orders". Such a key wins only where nothing else is on offer, like MEDIA. Measured:
# dev B3 0.757 -> 0.761, the other sets unchanged or up.
OBJECT_SHARE = 0.5
OBJECT_MIN_INTERVIEWS = 5


def segment_objects(segment_df: Mapping[str, int], interviews: int) -> frozenset[str]:
    if interviews < OBJECT_MIN_INTERVIEWS:
        return frozenset()
    return frozenset(k for k, n in segment_df.items() if n >= OBJECT_SHARE * interviews and k not in CONCEPTS)


def recurring_threshold(interviews: int) -> int:
    """Interviews a key must recur in to stand on its own: a fifth of the segment, at least 2."""
    return max(2, math.ceil(RECURRING_SHARE * interviews))


def resolve_themes(
    candidates: list[list[str]],
    context: Mapping[str, int] | None = None,
    *,
    segment_df: Mapping[str, int] | None = None,
    recurring: int = 0,
    objects: frozenset[str] = frozenset(),
) -> list[str]:
    """One key per pain of an interview: the candidate most shared with the interview's other pains.

    Ties go to what the whole interview talks about most (context), then to concept keys (business
    areas from CONCEPTS) over raw nouns, then to the earliest key. A pain whose best key no other
    pain shares joins the interview's dominant key, unless the key is a concept or, with
    `segment_df` (interviews of the segment raising each key), recurs in `recurring` interviews.
    `objects` (segment_objects) lose to any other key, as MEDIA do.
    """
    counts: Counter[str] = Counter()
    first: dict[str, tuple[int, int]] = {}  # where a key is first offered: (pain, rank in its list)
    for n, cands in enumerate(candidates):
        counts.update(dict.fromkeys(cands, 1))
        for k, c in enumerate(cands):
            first.setdefault(c, (n, k))
    context = context or {}
    df = segment_df or {}

    def weight(key: str) -> tuple[float, int, int, str]:
        # Ties: the key offered first, then by name, so the result never depends on hashing order.
        n, k = first.get(key, (0, 0))
        if key in MEDIA or key in objects:
            return (-1.0, -n, -k, key)
        w = (
            counts[key]
            + CONTEXT_WEIGHT * min(context.get(key, 0), CONTEXT_CAP)
            + (CONCEPT_BONUS if key in CONCEPTS else 0.0)
            + SEGMENT_WEIGHT * df.get(key, 0)
        )
        return (w, -n, -k, key)

    dominant = max(counts, key=weight) if counts else "other"
    out = []
    for cands in candidates:
        if not cands:
            out.append(dominant)
            continue
        best = max(range(len(cands)), key=lambda k: (weight(cands[k])[0], -k))
        key = cands[best]
        keep = counts[key] > 1 or key in CONCEPTS or len(candidates) < 3 or (recurring and df.get(key, 0) >= recurring)
        if (key in MEDIA and dominant not in MEDIA) or (key in objects and dominant not in objects):
            keep = False
        out.append(key if keep else dominant)
    return out
