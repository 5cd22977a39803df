"""Segment-level theme grouping: mentions of one problem in different words land in one theme.

Plain Python + numpy: no Django, no spaCy. The meaning of a quote is the trained unit model's
embedding (classifier.py), trained so that quotes of one theme sit together.

How a segment's mentions of one kind are grouped:

1. Each mention becomes two vectors:
   - a lexical TF-IDF vector over its content words and key phrase (regex tokens, stop words
     dropped, light stemming, the words of the extractor's theme key with extra weight; IDF over
     the segment, damped; generic words like "time", "day", "people" damped further);
     "too many"/"so many"/"between six apps" add one pseudo-word for excess,
   - its sentence embedding from the unit model.
2. Pairwise similarity = a blend of the two cosines, plus a bonus when the extractor proposed the
   same key and (pains only) a small one when both come from the same interview. Two mentions the
   trained family head (families.py) puts in the same family are one theme, unless reviewers' keys
   keep them apart (step 3).
3. Average-linkage agglomerative clustering, stopped at a similarity threshold. Reviewer-fixed
   mentions start as one cluster per fixed key, and clusters with different fixed keys never
   merge (cannot-link). Synonym phrases pin a mention to their canonical key the same way.
4. A group's key: its fixed key if any, otherwise the slug of its most common proposed key,
   unique within the segment.

Items are sorted canonically before anything else, so the result does not depend on input order.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from .families import FamilyHead
from .keys import CONCEPTS, recurring_threshold, resolve_themes, segment_objects


@dataclass(frozen=True)
class GroupItem:
    id: str  # unique id of the mention
    kind: str  # "pain" or "workaround" (each kind is grouped separately)
    text: str  # the quote
    theme_key: str  # the extractor's proposed key ("" or "other" when it has none)
    interview: str  # interview id
    fixed: str | None = None  # a reviewer's theme key: a hard constraint
    candidates: tuple[str, ...] = ()  # pains: the extractor's candidate keys, best first (see keys.py)
    said_at: tuple[int, int] = (0, 0)  # where it was said: (answer position, offset); ties go to the first
    free_text: bool = False  # said in the notes (typed notes or a transcript), not in answer to one script question


@dataclass(frozen=True)
class Params:
    """The few global knobs, chosen by training/tune_grouping.py on held-out training interviews."""

    lex_weight: float = 0.5  # share of the lexical cosine in the text similarity (rest: the embeddings)
    key_token_weight: float = 1.0  # weight of each theme-key word, relative to a quote word
    same_key_bonus: float = 0.15  # added when two mentions carry the same proposed key
    same_interview_bonus: float = 0.0  # added when two mentions come from one interview
    threshold: float = 0.40  # average-linkage stop: merge while cluster similarity >= this
    idf_power: float = 0.0  # damping of the segment IDF (0: none, so one interview more never reweighs the others)
    generic_weight: float = 0.25  # multiplier for generic words (time, day, problem ...)
    context_weight: float = 0.0  # share of the interview's other mentions mixed into a mention's vectors
    one_group_per_key: bool = False  # a group whose proposed key a bigger group already took joins it
    # "single": mentions join when any pair is this similar (connected components), so one interview
    # more can only grow or join the themes it touches; "average": average linkage (tighter themes).
    linkage: str = "single"
    settle_keys: bool = False  # settle pains' keys with the whole segment in view before grouping
    # Which proposed keys join groups by themselves (one_group_per_key) and earn same_key_bonus:
    # "all", or "concepts", the business areas of keys.CONCEPTS, whose many words are one area by
    # construction; a raw noun shared by two quotes ("ai", "code") says they talk about one thing,
    # not that they name one problem, so those groups meet by their meaning only.
    key_merge: str = "all"
    # Mentions of one interview said within this many characters of each other in its free text
    # are one problem told on (0: off): people elaborate a pain over the next sentence or two. Not in
    # the answers to script questions, where one answer often lists several problems.
    near_chars: int = 0


# Defaults when the model carries no tuned values; training/tune_grouping.py writes the tuned ones
# into the model's meta.json ("grouping"), since they belong to its embeddings.
PAIN_PARAMS = Params(lex_weight=0.2, threshold=0.8, same_interview_bonus=0.05, one_group_per_key=True)
# Workarounds: one interview's tools are different things, so no interview terms.
WORKAROUND_PARAMS = Params(lex_weight=0.35, threshold=0.85)
_TUNABLE = ("lex_weight", "threshold", "context_weight", "same_interview_bonus", "same_key_bonus", "idf_power")
_COUNTS = ("near_chars",)
_CHOICES = ("linkage", "settle_keys", "key_merge")


def params_for(kind: str) -> Params:
    from .classifier import get_model

    base = WORKAROUND_PARAMS if kind == "workaround" else PAIN_PARAMS
    tuned = get_model().meta.get("grouping", {}).get(kind, {})
    values: dict[str, object] = {k: float(v) for k, v in tuned.items() if k in _TUNABLE}
    values.update({k: int(v) for k, v in tuned.items() if k in _COUNTS})
    values.update({k: v for k, v in tuned.items() if k in _CHOICES})
    return replace(base, **values)  # type: ignore[arg-type]


NO_KEY = frozenset({"", "other", "none", "misc"})


def _words(block: str) -> list[str]:
    return block.split()


STOP = frozenset(
    _words("""
a about above after again against all almost also although always am an and any anymore anyway are aren as at
back be because been before being below between both but by can cannot could couldn did didn do does doesn
doing don done down during each either else enough etc even ever every few for from further get gets getting
got gotten had hadn has hasn have haven having he her here hers herself him himself his how however i if in
into is isn it its itself just least less let like likely ll lol made make makes making many may maybe me
might mine more most much must my myself need needs neither never no nor not now of off often oh ok okay on
once one only onto or other others otherwise our ours ourselves out over own per perhaps pretty quite rather
re really said same say says see seems shall she should shouldn since so some somehow still such sure than
that the their theirs them themselves then there these they this those though through thus to too under until
up upon us ve very via was wasn way we well were weren what whatever when where whether which while who whom
whose why will with within without won would wouldn yeah yes yet you your yours yourself honestly basically
actually literally genuinely probably usually sometimes mostly mainly especially definitely totally simply
already s t d m re ll ve whats thats theres im ive id youre dont cant wont
""")
)

GENERIC = frozenset(
    _words("""
time times day days week weeks weekly month months monthly year years yearly hour hours minute minutes morning
mornings afternoon afternoons evening evenings night today tomorrow yesterday problem problems issue issues
thing things stuff part parts lot lots bit kind sort type people person someone somebody everyone everybody
nobody anyone anybody everything something anything nothing whole half rest end start case point fact question
reason place places work job way ways number numbers big small real main biggest worst best good bad new old
first last next other another few several go goes going went come comes coming came take takes taking took put
puts keep keeps kept know knows knew think thinks thought want wants wanted try tries tried use uses used
using look looks looking end ends dr mr mrs ms monday tuesday wednesday thursday friday saturday sunday
january february march april june july august september october november december
""")
)

_TOKEN = re.compile(r"[a-z][a-z0-9]*(?:'[a-z]+)?")
_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _SLUG.sub("-", (text or "").lower()).strip("-")[:60]


# --- words ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def _norm(word: str) -> str:
    """Light stemming: plurals, -ing, -ed ("claims" -> "claim", "chasing" -> "chas")."""
    w = word.split("'")[0]
    if len(w) <= 3:
        return w
    cands: list[str] = []
    if w.endswith("ies") and len(w) > 4:
        cands.append(w[:-3] + "y")
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        cands.append(w[:-2])
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        cands.append(w[:-1])
    if w.endswith("ing") and len(w) > 5:
        cands += [w[:-3], w[:-3] + "e", w[:-4] if w[-4:-3] == w[-5:-4] else ""]
    if w.endswith("ied") and len(w) > 4:
        cands.append(w[:-3] + "y")
    if w.endswith("ed") and len(w) > 4:
        cands += [w[:-2], w[:-1], w[:-3] if w[-3:-2] == w[-4:-3] else ""]
    return next((c for c in cands if c), w)


# Excess and multiplicity ("too many", "so many", "a lot of", "six apps"): the grammar of sprawl
# pains in any domain. Marked with one pseudo-word, which has no vector and counts lexically only.
_NUMBER = "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|dozens|\\d+"
_EXCESS = re.compile(
    r"\b(?:too|so) (?:many|much)\b|\ba lot of\b|\blots of\b|\bdozens of\b|\bcountless\b"
    r"|\b(?:between|across|into|juggl\w*) (?:like |about |maybe )?(?:" + _NUMBER + r") \w+s\b",
    re.I,
)
MANY = "_many"


def _content_words(text: str) -> list[str]:
    out = [MANY] if _EXCESS.search(text or "") else []
    for tok in _TOKEN.findall((text or "").lower().replace("\u2019", "'")):
        base = tok.split("'")[0]
        if base in STOP or len(base) < 2 or base.isdigit():
            continue
        w = _norm(base)
        if w in STOP:
            continue
        out.append(w)
    return out


def _key_words(key: str) -> list[str]:
    if not key or key.lower() in NO_KEY:
        return []
    return [_norm(w) for w in slug(key).split("-") if w and w not in STOP]


# --- representation --------------------------------------------------------------------------


_EMBEDDED: dict[str, np.ndarray] = {}
EMBED_CACHE = 50_000


def embeddings(texts: list[str]) -> np.ndarray:
    """The unit model's embedding of each quote; a worker regroups the same quotes again and again."""
    from .classifier import get_model

    new = sorted({t for t in texts if t not in _EMBEDDED})
    if new:
        if len(_EMBEDDED) + len(new) > EMBED_CACHE:
            _EMBEDDED.clear()
        _EMBEDDED.update(zip(new, get_model().embed(new), strict=True))
    return np.stack([_EMBEDDED[t] for t in texts]).astype(np.float32) if texts else np.zeros((0, 1), np.float32)


def _features(items: list[GroupItem], p: Params, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row-normalised lexical (TF-IDF) and semantic (`vectors`, the items' unit embeddings) matrices."""
    docs: list[Counter[str]] = []
    for it in items:
        bag: Counter[str] = Counter()
        for w in _content_words(it.text):
            bag[w] += 1.0  # type: ignore[assignment]  # weights are floats; Counter is typed for ints
        for w in _key_words(it.theme_key):
            bag[w] += p.key_token_weight  # type: ignore[assignment]
        docs.append(bag)
    vocab = sorted({w for d in docs for w in d})
    col = {w: k for k, w in enumerate(vocab)}
    n = len(items)
    df = Counter(w for d in docs for w in d)
    n_docs = n
    weight = np.empty(len(vocab), dtype=np.float64)
    for w, k in col.items():
        idf = math.log((n_docs + 1.0) / (df[w] + 0.5)) + 1.0
        weight[k] = (idf**p.idf_power) * (p.generic_weight if w in GENERIC else 1.0)
    w32 = weight.astype(np.float32)[None, :]

    def bags(ds: list[Counter[str]]) -> np.ndarray:
        m = np.zeros((n, len(vocab)), dtype=np.float32)
        for i, d in enumerate(ds):
            for w, c in d.items():
                m[i, col[w]] = c
        return m * w32

    lex = _with_context(items, bags(docs), p.context_weight)
    sem = _with_context(items, vectors, p.context_weight)
    return lex, sem


def _with_context(items: list[GroupItem], x: np.ndarray, beta: float) -> np.ndarray:
    """Row-normalise, mixing in the mean of the same interview's other mentions (topic smoothing).

    Short quotes ("every single one eats a quarter hour") carry little of their own: their weighted
    vector is small, so the interview's topic, said elsewhere, decides more of their direction.
    """
    if beta > 0 and len(items) > 1:
        codes = {k: n for n, k in enumerate(sorted({it.interview for it in items}))}
        code = np.array([codes[it.interview] for it in items])
        unit = x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-12)
        sums = np.zeros((len(codes), x.shape[1]), dtype=x.dtype)
        np.add.at(sums, code, unit)
        count = np.bincount(code, minlength=len(codes)).astype(x.dtype)[code][:, None] - 1.0
        ctx = (sums[code] - unit) / np.maximum(count, 1.0)
        x = x / (np.linalg.norm(x, axis=1, keepdims=True).mean() + 1e-12) + beta * ctx
    return x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-12)


def similarity(items: list[GroupItem], p: Params, family: FamilyHead | None = None) -> np.ndarray:
    vectors = embeddings([it.text for it in items])
    lex, sem = _features(items, p, vectors)
    sem_sim = sem @ sem.T
    np.maximum(sem_sim, 0.0, out=sem_sim)
    sim = (lex @ lex.T) * p.lex_weight
    sim += (1.0 - p.lex_weight) * sem_sim
    keys = [slug(it.theme_key) if _merges_by_key(it.theme_key, p) else "" for it in items]
    if p.same_key_bonus:
        uniq = {k: n for n, k in enumerate(sorted(set(keys)))}
        code = np.array([uniq[k] if k else -1 - n for n, k in enumerate(keys)])
        sim += p.same_key_bonus * (code[:, None] == code[None, :])
    if p.same_interview_bonus:
        iv = {k: n for n, k in enumerate(sorted({it.interview for it in items}))}
        code = np.array([iv[it.interview] for it in items])
        sim += p.same_interview_bonus * (code[:, None] == code[None, :])
    if p.near_chars:
        sim = np.maximum(sim, NEAR * _told_on(items, p.near_chars))
    if family is not None:
        # The unit vectors themselves, not _with_context's mix: the head was trained on them.
        code = family.assign(vectors)
        sim = np.maximum(sim, NEAR * ((code[:, None] == code[None, :]) & (code[:, None] >= 0)))
    return sim


def shipped_families() -> Mapping[str, FamilyHead]:
    """The family heads that ship with the model (kind -> FamilyHead)."""
    from .classifier import get_model

    return get_model().families


def _merges_by_key(key: str, p: Params) -> bool:
    if key.lower() in NO_KEY:
        return False
    return p.key_merge == "all" or slug(key) in CONCEPTS


NEAR = 2.0  # above any threshold: a must-link, though not a pinned key


def _told_on(items: list[GroupItem], within: int) -> np.ndarray:
    """Pairs of one interview's free text said within `within` characters of each other."""
    codes = {k: n for n, k in enumerate(sorted({(it.interview, it.said_at[0]) for it in items}))}
    # Script answers each get a place of their own (negative), so they never pair.
    place = np.array([codes[(it.interview, it.said_at[0])] if it.free_text else -1 - n for n, it in enumerate(items)])
    offset = np.array([it.said_at[1] for it in items])
    return (place[:, None] == place[None, :]) & (np.abs(offset[:, None] - offset[None, :]) <= within)


# --- clustering ------------------------------------------------------------------------------


def _average_linkage(sim: np.ndarray, sizes: np.ndarray, threshold: float) -> list[list[int]]:
    """Merge the most similar pair of clusters while its average-linkage similarity >= threshold.

    `sim` is between starting clusters (already size-averaged); -inf marks cannot-link pairs, and
    Lance-Williams averaging keeps -inf for every cluster that contains such a pair.
    """
    n = sim.shape[0]
    s = sim.astype(np.float64, copy=True)
    np.fill_diagonal(s, -np.inf)
    size = sizes.astype(np.float64, copy=True)
    active = np.ones(n, dtype=bool)
    members = [[i] for i in range(n)]
    best = s.argmax(axis=1) if n else np.zeros(0, dtype=np.int64)
    bestv = s[np.arange(n), best] if n else np.zeros(0)
    while n > 1:
        cand = np.where(active, bestv, -np.inf)
        i = int(cand.argmax())
        if not cand[i] >= threshold:
            break
        j = int(best[i])
        a, b = min(i, j), max(i, j)
        with np.errstate(invalid="ignore"):
            new = (size[a] * s[a] + size[b] * s[b]) / (size[a] + size[b])
        new[np.isnan(new)] = -np.inf
        s[a, :] = new
        s[:, a] = new
        s[a, a] = -np.inf
        s[b, :] = -np.inf
        s[:, b] = -np.inf
        size[a] += size[b]
        active[b] = False
        bestv[b] = -np.inf
        members[a].extend(members[b])
        members[b] = []
        stale = active & ((best == a) | (best == b))
        stale[a] = True
        rows = np.nonzero(stale)[0]
        best[rows] = s[rows].argmax(axis=1)
        bestv[rows] = s[rows, best[rows]]
        upd = active & (s[:, a] > bestv)
        best[upd] = a
        bestv[upd] = s[upd, a]
    return [m for m in members if m]


def _single_linkage(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Connected components of the graph of pairs at least `threshold` similar, strongest pairs first;
    -inf marks cannot-link pairs, and a join that would put such a pair in one component is skipped."""
    n = sim.shape[0]
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    blocked = {(i, j) for i, j in zip(*np.nonzero(np.isneginf(sim)), strict=True) if i < j}
    members = {i: {i} for i in range(n)}
    rows, cols = np.nonzero(np.triu(sim >= threshold, k=1))
    for i, j in sorted(zip(rows.tolist(), cols.tolist(), strict=True), key=lambda p: (-sim[p], p)):
        a, b = root(i), root(j)
        if a == b:
            continue
        if blocked and any((min(x, y), max(x, y)) in blocked for x in members[a] for y in members[b]):
            continue
        parent[b] = a
        members[a] |= members.pop(b)
    return [sorted(m) for _, m in sorted(members.items())]


def _synonym_key(text: str, patterns: list[tuple[re.Pattern[str], str]]) -> str | None:
    for pat, key in patterns:
        if pat.search(text):
            return key
    return None


def _compile_synonyms(synonyms: dict[str, str] | None) -> list[tuple[re.Pattern[str], str]]:
    out = []
    # Longest phrase first: "monthly board pack" wins over "board pack".
    for phrase, key in sorted((synonyms or {}).items(), key=lambda kv: (-len(kv[0]), kv[0])):
        phrase = phrase.strip()
        if not phrase or not key:
            continue
        out.append((re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)", re.I), key))
    return out


def _group_kind(
    items: list[GroupItem],
    p: Params,
    synonyms: dict[str, str] | None,
    taken: set[str],
    family: FamilyHead | None = None,
) -> dict[str, str]:
    patterns = _compile_synonyms(synonyms)
    pinned = [it.fixed or _synonym_key(it.text, patterns) for it in items]
    # Starting clusters: one per pinned key, one per unpinned mention.
    starts: list[list[int]] = []
    start_key: list[str | None] = []
    by_key: dict[str, int] = {}
    for i, key in enumerate(pinned):
        if key:
            if key not in by_key:
                by_key[key] = len(starts)
                starts.append([])
                start_key.append(key)
            starts[by_key[key]].append(i)
        else:
            starts.append([i])
            start_key.append(None)
    sim = similarity(items, p, family)
    if len(starts) == len(items):
        csim = sim.astype(np.float64)
    else:  # average similarity between starting clusters, by summing member rows and columns
        owner = np.empty(len(items), dtype=np.int64)
        for c, idx in enumerate(starts):
            owner[idx] = c
        rows = np.zeros((len(starts), len(items)), dtype=np.float64)
        np.add.at(rows, owner, sim)
        csim = np.zeros((len(starts), len(starts)), dtype=np.float64)
        np.add.at(csim.T, owner, rows.T)
        sizes0 = np.array([len(idx) for idx in starts], dtype=np.float64)
        csim /= sizes0[:, None] * sizes0[None, :]
    pinned_idx = [c for c, k in enumerate(start_key) if k]
    for x in pinned_idx:
        for y in pinned_idx:
            if x != y:
                csim[x, y] = -np.inf
    sizes = np.array([len(s) for s in starts], dtype=np.float64)
    if p.linkage == "single":
        clusters = _single_linkage(csim, p.threshold)
    else:
        clusters = _average_linkage(csim, sizes, p.threshold)
    # Keys: pinned clusters keep theirs; the rest take their most common proposed key, unique.
    groups = []
    for cl in clusters:
        idx = sorted(i for c in cl for i in starts[c])
        key = next((start_key[c] for c in cl if start_key[c]), None)
        groups.append((idx, key))
    pinned_keys = {k for _, k in groups if k}
    reserved = set(taken) | pinned_keys
    proposing: dict[str, list[tuple]] = {}
    for it in items:
        if _proposed(it):
            proposing.setdefault(slug(it.theme_key), []).append(_id_order(it.id))
    rank = {(k, order): n for k, orders in proposing.items() for n, order in enumerate(sorted(orders))}
    keyless = {order: n for n, order in enumerate(sorted(_id_order(it.id) for it in items if not _proposed(it)))}
    out: dict[str, str] = {}
    # The group holding the earliest mention chooses first (ids grow as mentions are stored), so a
    # theme keeps its key when a later interview starts another group with the same words.
    for idx, key in sorted(groups, key=lambda g: (g[1] is None, min(_id_order(items[i].id) for i in g[0]))):
        if key is None:
            # A machine group whose own key a reviewer has already named is that theme: one theme
            # per key, rather than a "reporting-2" beside the reviewer's "reporting".
            top = _top_key(items, idx)
            # Pains: one theme per key too, or the matrix shows two "Returns" rows (p.one_group_per_key).
            # Only keys that join by themselves (_merges_by_key) make one theme per key: a raw noun the
            # reviewer's theme happens to carry ("ai") does not pull every other "ai" group into it.
            joins = top is not None and _merges_by_key(top, p) and (top in pinned_keys or p.one_group_per_key)
            key = top if joins and top is not None else _free_key(items, idx, reserved, rank, keyless)
            reserved.add(key)
        for i in idx:
            out[items[i].id] = key
    return out


_DIGITS = re.compile(r"(\d+)")


def _id_order(item_id: str) -> tuple:
    """Natural order of ids ("12" after "9", "iv10#2" after "iv9#40"): the order mentions were stored."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(item_id))


def _proposed(it: GroupItem) -> bool:
    return it.theme_key.lower() not in NO_KEY and slug(it.theme_key) not in NO_KEY


def _ranked_keys(items: list[GroupItem], idx: list[int]) -> list[str]:
    counts = Counter(slug(items[i].theme_key) for i in idx if _proposed(items[i]))
    return [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if k]


def _top_key(items: list[GroupItem], idx: list[int]) -> str | None:
    ranked = _ranked_keys(items, idx)
    return ranked[0] if ranked else None


def _free_key(
    items: list[GroupItem],
    idx: list[int],
    reserved: set[str],
    rank: dict[tuple[str, tuple], int],
    keyless: dict[tuple, int],
) -> str:
    """The group's most common proposed key, numbered by where the group's first mention of it stands
    among the segment's mentions of it; a keyless group its name, numbered by where its first mention
    stands among the keyless ones. "--" never occurs in a slug, so a number never makes a key another
    group proposed ("step-2") or took by its name, and only a reviewer's key can be in the way."""
    ranked = _ranked_keys(items, idx)
    if ranked:
        base = ranked[0]
        first = min(_id_order(items[i].id) for i in idx if _proposed(items[i]) and slug(items[i].theme_key) == base)
        n = rank[(base, first)] + 1
        key = base if n == 1 else f"{base}--{n}"
    else:
        # Never a family's name (group_name's `family`): a retrained head would re-key every keyless theme.
        base = slug(group_name([items[i].text for i in idx], [])) or "other"
        n = keyless[min(_id_order(items[i].id) for i in idx)] + 1
        key = f"{base}--u{n}"
    while key in reserved:  # a reviewer's key only
        n += 1
        key = f"{base}--r{n}"
    return key


def settle_segment_keys(items: list[GroupItem], topics: Mapping[str, Mapping[str, int]]) -> list[GroupItem]:
    """The pains' keys settled again with the whole segment in view (keys.resolve_themes).

    Alone, an interview sends a pain whose key none of its other pains share to its dominant key;
    "records" raised once here but in four other interviews is a theme of the segment, so it stays.
    `topics`: interview id -> what that interview talks about (the extractor's topic counts).
    Items without candidates (reviewers' own, older extractions) keep their key.
    """
    pains = [it for it in items if it.kind == "pain"]
    if not any(it.candidates for it in pains):
        return items
    by_interview: dict[str, list[GroupItem]] = {}
    for it in sorted(pains, key=lambda it: (it.interview, it.said_at, it.text, it.id)):
        by_interview.setdefault(it.interview, []).append(it)  # in the order said: ties go to the first

    def cands(it: GroupItem) -> list[str]:
        return list(it.candidates) or ([it.theme_key] if it.theme_key.lower() not in NO_KEY else [])

    df: Counter[str] = Counter()
    for group in by_interview.values():
        df.update({c for it in group for c in cands(it)})
    recurring = recurring_threshold(len(by_interview))
    objects = segment_objects(df, len(by_interview))
    settled: dict[str, str] = {}
    for interview, group in by_interview.items():
        keys = resolve_themes(
            [cands(it) for it in group], topics.get(interview), segment_df=df, recurring=recurring, objects=objects
        )
        settled.update({it.id: key for it, key in zip(group, keys, strict=True) if it.candidates})
    return [replace(it, theme_key=settled[it.id]) if it.id in settled else it for it in items]


def group_mentions(
    items: list[GroupItem],
    *,
    synonyms: dict[str, str] | None = None,
    topics: Mapping[str, Mapping[str, int]] | None = None,
    params: Mapping[str, Params] | None = None,
    families: Mapping[str, FamilyHead] | None = None,
) -> dict[str, str]:
    """Item id -> group key (a slug), per segment. Pains and workarounds are grouped separately.

    Deterministic and independent of input order: items are sorted canonically first. Items with
    the same `fixed` key stay together; items with different fixed keys never share a group.
    `synonyms` (phrase -> canonical key) pins items whose text contains the phrase to that key.
    `topics` (interview id -> topic counts) with the items' candidates settles pain keys across
    the segment first (settle_segment_keys). `params` (kind -> Params) overrides the tuned knobs,
    `families` (kind -> FamilyHead; {} for none) the family heads that ship with the model.
    """
    if topics is not None and any((params or {}).get(k, params_for(k)).settle_keys for k in {it.kind for it in items}):
        items = settle_segment_keys(items, topics)
    out: dict[str, str] = {}
    for kind in sorted({it.kind for it in items}):
        group = sorted(
            (it for it in items if it.kind == kind),
            key=lambda it: (it.text, it.theme_key, it.interview, it.fixed or "", it.id),
        )
        chosen = (params or {}).get(kind) or params_for(kind)
        family = (shipped_families() if families is None else families).get(kind)
        out.update(_group_kind(group, chosen, synonyms, set(), family))
    return out


# --- names -----------------------------------------------------------------------------------

_MANUAL = re.compile(r"\b(manual(ly)?|by hand|copy[- ]?past(e|ing)|re-?key(s|ing)?|re-?typ(e|ing))\b", re.I)
_TOO_MANY = re.compile(
    r"\b(too many|so many|another|number of|fatigue|scattered|patchwork|juggl\w*|context[- ]switch\w*"
    r"|(?:jump|flipp|bounc|hopp|switch|toggl)\w* (?:around )?between)\b",
    re.I,
)
# "five apps", "two systems that disagree": tools counted are tools too many.
_COUNTED_TOOLS = re.compile(
    r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|multiple|several|different)"
    r"\s+(?:\w+\s+)?(?:apps?|tools?|systems?|logins?|platforms?|tabs?|places|dashboards?)\b",
    re.I,
)


_SUFFIX = re.compile(r"--[ur]?\d+$")


def is_numbered(key: str) -> bool:
    """A key _free_key numbered because another group holds the same word ("truck--2")."""
    return bool(_SUFFIX.search(key))


def unnumbered(key: str) -> str:
    """The word a numbered key was made from ("truck--2" -> "truck")."""
    return _SUFFIX.sub("", key)


_COUNT_WORD = re.compile(
    r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred|thousand|"
    r"(?:twen|thir|for|fif|six|seven|eigh|nine)ty|(?:thir|four|fif|six|seven|eigh|nine)teen"
)


def _said_words(text: str) -> list[str]:
    """The words of a quote as said, lower case, possessives dropped ("the AI's" -> "the", "ai")."""
    return [tok.split("'")[0] for tok in _TOKEN.findall(text.lower().replace("\u2019", "'"))]


def _spoken(word: str) -> bool:
    return word not in STOP and len(word) > 1


# A name is read by people, so it asks more of the head than a must-link does (FamilyHead.min_probability):
# in trades the labelled sets barely cover, a quote's best family is often one in two.
NAME_MIN_PROBABILITY = 0.5


def family_of(texts: list[str], family: FamilyHead | None) -> str | None:
    """The family more than half of the quotes surely belong to, if any; never one whose name claims
    a subject none of them says ("AI ..." for quotes that never mention AI)."""
    if family is None or not texts:
        return None
    sure = replace(family, min_probability=max(family.min_probability, NAME_MIN_PROBABILITY))
    codes = Counter(int(c) for c in sure.assign(embeddings(texts)) if c >= 0)
    if not codes:
        return None
    code, count = sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    name = family.names[code]
    # "the AI's answer", "two PDFs": the acronym as said, without a possessive or a plural.
    said = {w for t in texts for w in _said_words(t)}
    said |= {w[:-1] for w in said if w.endswith("s")}
    claimed = {w for w in name.split("-") if w.upper() in _ACRONYMS}
    # More than half: two quotes of two families are no family's theme.
    return name if count * 2 > len(texts) and claimed <= said else None


def _product(key: str, texts: list[str]) -> bool:
    """The key's word is written as a name inside a sentence ("we moved to Dentrix"): a product or a
    company, which no family names better. An acronym ("AI") is a subject, not a product."""
    word = key.split("-")[0]
    if not word or word.upper() in _ACRONYMS:
        return False
    # Inside a sentence: after a word and a space ("moved to QuickBooks", "Excel, Sheets and
    # Dentrix"), never after a full stop, a line break, a bullet or a quote mark.
    said = re.compile(r"(?<=[\w,] )" + re.escape(word) + r"\b", re.I)
    return any(m.group()[:1].isupper() for t in texts for m in said.finditer(t))


def _key_counts(keys: list[str]) -> Counter[str]:
    # A key made unique with a number ("returns--2", see _free_key) names the same thing.
    return Counter(slug(_SUFFIX.sub("", k)) for k in keys if k and k.lower() not in NO_KEY)


def _top_of(counts: Counter[str]) -> str:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if counts else ""


def _acronyms_written(texts: list[str]) -> Counter[str]:
    return Counter(w for t in texts for w in re.findall(r"\b[A-Z]{2,6}s?\b", t))


def family_name(texts: list[str], keys: list[str], family: FamilyHead | None) -> str | None:
    """The group's family as a name ("AI ignores instructions"), or None (see group_name)."""
    if family is None:
        return None
    top = _top_of(_key_counts(keys))
    named = None if top and _product(top, texts) else family_of(texts, family)
    if not named:
        return None
    head = " ".join(_as_written(w, _acronyms_written(texts) + _ACRONYMS) for w in named.split("-"))
    return head[:1].upper() + head[1:]


def group_name(texts: list[str], keys: list[str], *, family: FamilyHead | None = None) -> str:
    """A short, readable theme name ("Compliance tracking", "Manual reporting", "Too many tools").

    With a `family` head (families.py), a group most of whose quotes fall in one family is named
    after it (family_name): labellers named those kinds of problem like a PRD line ("AI ignores
    instructions"), which the word a key was made from rarely says as well ("Ability", "Check"). A
    product the quotes name keeps its name ("QuickBooks", not "Accounting software"). Names can
    repeat across groups; insights.themes keeps one name per theme of a segment.
    """
    named = family_name(texts, keys, family)
    if named:
        return named
    key_counts = _key_counts(keys)
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    after: Counter[tuple[str, str]] = Counter()
    said: Counter[str] = Counter()
    for t in texts:
        ws = _content_words(t)
        words.update(set(w for w in ws if w not in GENERIC and w != MANY))
        # Modifier pairs keep the modifier as said ("denied claims", not "deny claims"), and only
        # words said next to each other: "stitch it together by hand" has no "together hand".
        tokens = _said_words(t)
        adjacent = [(w1, w2) for w1, w2 in itertools.pairwise(tokens) if _spoken(w1) and _spoken(w2)]
        pairs.update({(w1, _norm(w2)) for w1, w2 in adjacent})
        # And the word after the key word, as said ("phone" + "calls" -> "Phone calls").
        after.update({(_norm(w1), w2) for w1, w2 in adjacent})
        said.update(w for w in tokens if _spoken(w))
    n = max(1, len(texts))
    if key_counts:
        head = _top_of(key_counts).replace("-", " ")
    elif words:
        # Among words said equally often the longest, which is mostly the most specific ("formatting",
        # not "able"); the alphabet only breaks what is left.
        head = sorted(words.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
    else:
        return "Other"
    head_words = set(head.split())
    # A modifier the quotes share with the key word ("claim" + "denied" -> "Denied claims") when
    # the key is a single word; only a pair said in at least two quotes (or the only quote).
    if len(head_words) == 1:
        need = 2 if n > 1 else 1
        # The key word as people say it: "records", not the lemma "record".
        forms = [(c, w) for w, c in said.items() if w != head and _norm(w) == head and w.startswith(head)]
        spoken = max(forms)[1] if forms and max(forms)[0] > said[head] else head
        before = [w1 for (w1, w2), c in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
                  if c >= need and w2 in head_words | {_norm(head)} and w1 not in GENERIC and w1 != w2
                  and not _COUNT_WORD.fullmatch(w1)]  # fmt: skip
        # A word after the key only when two quotes say it: one quote's next word may be anything
        # ("sales is not happy" is no "Sales happy").
        following = [w2 for (w1, w2), c in sorted(after.items(), key=lambda kv: (-kv[1], kv[0]))
                     if c >= 2 and w1 == head and _norm(w2) not in GENERIC and _norm(w2) != head]  # fmt: skip
        if before:
            head = f"{before[0]} {spoken}"
        elif following:
            head = f"{spoken} {following[0]}"
        else:
            head = spoken
    manual = sum(bool(_MANUAL.search(t)) for t in texts)
    many = sum(bool(_TOO_MANY.search(t) or _COUNTED_TOOLS.search(t)) for t in texts)
    hw = set(head.split())
    if manual * 2 >= n and manual and "manual" not in hw:
        head = f"manual {head}"
    # Tool pains are mostly sprawl: a third of the quotes counting tools names the group.
    elif many * 3 >= n and many and hw & {"tool", "tools", "app", "apps", "system", "systems"} and "many" not in hw:
        head = f"too many {head.split()[-1]}"
    # Acronyms as the quotes write them: "DQ files", "KYC", not "Dq files".
    caps = _acronyms_written(texts)
    head = " ".join(_as_written(w, caps) for w in head.split())
    return head[:1].upper() + head[1:]


# Acronyms a family's name carries, in the labellers' lower-case slugs ("ai-ignores-instructions").
_ACRONYMS = Counter(["AI", "PII", "CRM", "HR", "PDF", "API"])


def _as_written(word: str, caps: Counter[str]) -> str:
    for form in (word.upper(), word[:-1].upper() + "s"):
        if caps[form] and form.lower() == word.lower():
            return form
    return word
