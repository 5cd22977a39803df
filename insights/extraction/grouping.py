"""Segment-level theme grouping: mentions of one problem in different words land in one theme.

Plain Python + numpy: no Django, no spaCy, so any process can import it cheaply. The word-vector
table (`data/word_vectors.npz`, built by scripts/build_word_vectors.py) is loaded lazily, once.

How a segment's mentions of one kind are grouped:

1. Each mention becomes two vectors over its content words (regex tokens, stop words dropped,
   light plural/verb stemming; words of the extractor's theme key added with extra weight):
   - a lexical TF-IDF vector (IDF over the segment, damped, times a global prior from the
     word's frequency rank, so "time", "day", "people" say little),
   - a semantic vector: the weighted mean of the content words' vectors.
   "too many"/"so many"/"between six apps" add one pseudo-word for excess.
2. Pairwise similarity = a blend of the two cosines, plus a bonus when the extractor proposed the
   same key and (pains only) a small one when both come from the same interview.
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
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .keys import recurring_threshold, resolve_themes, segment_objects

DATA = Path(__file__).resolve().parent / "data" / "word_vectors.npz"


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


@dataclass(frozen=True)
class Params:
    """The few global knobs, tuned on the dev set (bench/score_extractor.py) and checked on paraphrases."""

    lex_weight: float = 0.5  # share of the lexical cosine in the text similarity (rest: word vectors)
    key_token_weight: float = 1.0  # weight of each theme-key word, relative to a quote word
    same_key_bonus: float = 0.15  # added when two mentions carry the same proposed key
    same_interview_bonus: float = 0.0  # added when two mentions come from one interview
    threshold: float = 0.40  # average-linkage stop: merge while cluster similarity >= this
    idf_power: float = 0.5  # damping of the segment IDF (0: none, 1: full)
    generic_weight: float = 0.25  # multiplier for generic words (time, day, problem ...)
    soft_tau: float = 0.4  # word pairs with vector cosine >= this count as partial matches (0: mean vectors)
    context_weight: float = 0.0  # share of the interview's other mentions mixed into a mention's vectors
    one_group_per_key: bool = False  # a group whose proposed key a bigger group already took joins it


# Chosen on dev (bench/score_extractor.py) together with our own paraphrase sets (tests): dev B-cubed
# was flat (+-0.01) over a wide region, so the values favour the words over the extractor's key.
PAIN_PARAMS = Params(
    lex_weight=0.25, threshold=0.35, context_weight=0.3, same_interview_bonus=0.1, one_group_per_key=True
)
# Workarounds: one interview's tools are different things, so no interview terms.
WORKAROUND_PARAMS = Params(lex_weight=0.5, threshold=0.35)

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


# --- word table ------------------------------------------------------------------------------


@dataclass
class _Table:
    index: dict[str, int]  # word -> row in vectors
    rank: dict[str, int]  # word -> frequency rank (0 = most frequent)
    vectors: np.ndarray  # rows x dims, float32, unit length
    dims: int = field(default=0)


@functools.lru_cache(maxsize=1)
def _table() -> _Table:
    if not DATA.exists():  # grouping still works, lexically, without the vector file
        return _Table({}, {}, np.zeros((1, 1), dtype=np.float32), 1)
    with np.load(DATA, allow_pickle=False) as npz:
        words = [str(w) for w in npz["words"]]
        idx = npz["index"].astype(np.int64)
        vecs = npz["vectors"].astype(np.float32)
    return _Table(
        index={w: int(i) for w, i in zip(words, idx, strict=True)},
        rank={w: k for k, w in enumerate(words)},
        vectors=vecs,
        dims=vecs.shape[1],
    )


@functools.lru_cache(maxsize=65536)
def _norm(word: str) -> str:
    """Light stemming to a form the table knows: plurals, -ing, -ed ("claims" -> "claim")."""
    w = word.split("'")[0]
    if len(w) <= 3:
        return w
    known = _table().index
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
    if not known:
        return cands[0] if cands and w.endswith("s") else w
    for c in cands:
        if c and c in known:
            return c
    return w


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


def _prior(word: str) -> float:
    """Global weight from frequency rank: very common words carry little theme information."""
    rank = _table().rank.get(word)
    if rank is None:
        return 1.0  # rare, unknown or a product name: informative
    lo, hi = math.log(150.0), math.log(8000.0)
    return float(min(1.0, max(0.15, (math.log(rank + 2.0) - lo) / (hi - lo))))


def _key_words(key: str) -> list[str]:
    if not key or key.lower() in NO_KEY:
        return []
    return [_norm(w) for w in slug(key).split("-") if w and w not in STOP]


# --- representation --------------------------------------------------------------------------


def _features(items: list[GroupItem], p: Params) -> tuple[np.ndarray, np.ndarray]:
    """Row-normalised lexical (TF-IDF) and semantic (soft bag of word vectors) matrices."""
    table = _table()
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
        weight[k] = (idf**p.idf_power) * _prior(w) * (p.generic_weight if w in GENERIC else 1.0)
    w32 = weight.astype(np.float32)[None, :]

    def bags(ds: list[Counter[str]]) -> np.ndarray:
        m = np.zeros((n, len(vocab)), dtype=np.float32)
        for i, d in enumerate(ds):
            for w, c in d.items():
                m[i, col[w]] = c
        return m * w32

    lex = bags(docs)
    # Word vectors of the vocabulary (zero for unknown words), weighted like the lexical part.
    wv = np.zeros((len(vocab), table.vectors.shape[1]), dtype=np.float32)
    for w, k in col.items():
        r = table.index.get(w)
        if r is not None:
            wv[k] = table.vectors[r]
    if p.soft_tau > 0:
        # Expanded bag of words: each word also counts, by its cosine, for its near-synonyms in the
        # segment ("app" for "tool", "inventory" for "stock"). Cosine of these = a soft cosine.
        near = wv @ wv.T
        near[near < p.soft_tau] = 0.0
        np.fill_diagonal(near, 1.0)
        proj = near
    else:
        proj = wv
    sem = lex @ proj
    lex = _with_context(items, lex, p.context_weight)
    sem = _with_context(items, sem, p.context_weight)
    return lex, sem


def _with_context(items: list[GroupItem], x: np.ndarray, beta: float) -> np.ndarray:
    """Row-normalise, mixing in the mean of the same interview's other mentions (topic smoothing).

    Short quotes ("each one takes 20 minutes to fix") carry little of their own: their weighted
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


def similarity(items: list[GroupItem], p: Params) -> np.ndarray:
    lex, sem = _features(items, p)
    sem_sim = sem @ sem.T
    np.maximum(sem_sim, 0.0, out=sem_sim)
    sim = (lex @ lex.T) * p.lex_weight
    sim += (1.0 - p.lex_weight) * sem_sim
    keys = [slug(it.theme_key) if it.theme_key.lower() not in NO_KEY else "" for it in items]
    if p.same_key_bonus:
        uniq = {k: n for n, k in enumerate(sorted(set(keys)))}
        code = np.array([uniq[k] if k else -1 - n for n, k in enumerate(keys)])
        sim += p.same_key_bonus * (code[:, None] == code[None, :])
    if p.same_interview_bonus:
        iv = {k: n for n, k in enumerate(sorted({it.interview for it in items}))}
        code = np.array([iv[it.interview] for it in items])
        sim += p.same_interview_bonus * (code[:, None] == code[None, :])
    return sim


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


def _group_kind(items: list[GroupItem], p: Params, synonyms: dict[str, str] | None, taken: set[str]) -> dict[str, str]:
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
    sim = similarity(items, p)
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
    clusters = _average_linkage(csim, sizes, p.threshold)
    # Keys: pinned clusters keep theirs; the rest take their most common proposed key, unique.
    groups = []
    for cl in clusters:
        idx = sorted(i for c in cl for i in starts[c])
        key = next((start_key[c] for c in cl if start_key[c]), None)
        groups.append((idx, key))
    pinned_keys = {k for _, k in groups if k}
    reserved = set(taken) | pinned_keys
    out: dict[str, str] = {}
    # Bigger groups choose first; ties by their first (canonically sorted) member.
    for idx, key in sorted(groups, key=lambda g: (g[1] is None, -len(g[0]), g[0][0])):
        if key is None:
            # A machine group whose own key a reviewer has already named is that theme: one theme
            # per key, rather than a "reporting-2" beside the reviewer's "reporting".
            top = _top_key(items, idx)
            # Pains: one theme per key too, or the matrix shows two "Returns" rows (p.one_group_per_key).
            if top is not None and (top in pinned_keys or (p.one_group_per_key and top in reserved)):
                key = top
            else:
                key = _free_key(items, idx, reserved)
            reserved.add(key)
        for i in idx:
            out[items[i].id] = key
    return out


def _ranked_keys(items: list[GroupItem], idx: list[int]) -> list[str]:
    counts = Counter(slug(items[i].theme_key) for i in idx if items[i].theme_key.lower() not in NO_KEY)
    return [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if k]


def _top_key(items: list[GroupItem], idx: list[int]) -> str | None:
    ranked = _ranked_keys(items, idx)
    return ranked[0] if ranked else None


def _free_key(items: list[GroupItem], idx: list[int], reserved: set[str]) -> str:
    """The group's most common proposed key not yet taken; else a suffixed key or one from its name."""
    ranked = _ranked_keys(items, idx)
    for key in ranked:
        if key not in reserved:
            return key
    base = ranked[0] if ranked else (slug(group_name([items[i].text for i in idx], [])) or "other")
    key, n = base, 2
    while key in reserved:
        key = f"{base}-{n}"
        n += 1
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
) -> dict[str, str]:
    """Item id -> group key (a slug), per segment. Pains and workarounds are grouped separately.

    Deterministic and independent of input order: items are sorted canonically first. Items with
    the same `fixed` key stay together; items with different fixed keys never share a group.
    `synonyms` (phrase -> canonical key) pins items whose text contains the phrase to that key.
    `topics` (interview id -> topic counts) with the items' candidates settles pain keys across
    the segment first (settle_segment_keys).
    """
    if topics is not None:
        items = settle_segment_keys(items, topics)
    out: dict[str, str] = {}
    for kind in sorted({it.kind for it in items}):
        group = sorted(
            (it for it in items if it.kind == kind),
            key=lambda it: (it.text, it.theme_key, it.interview, it.fixed or "", it.id),
        )
        params = WORKAROUND_PARAMS if kind == "workaround" else PAIN_PARAMS
        out.update(_group_kind(group, params, synonyms, set()))
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


_SUFFIX = re.compile(r"-\d+$")
_COUNT_WORD = re.compile(
    r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred|thousand|"
    r"(?:twen|thir|for|fif|six|seven|eigh|nine)ty|(?:thir|four|fif|six|seven|eigh|nine)teen"
)


def _spoken(word: str) -> bool:
    return word not in STOP and len(word) > 1


def group_name(texts: list[str], keys: list[str]) -> str:
    """A short, readable theme name ("Compliance tracking", "Manual reporting", "Too many tools")."""
    # A key made unique with a suffix ("returns-2", see _free_key) names the same thing.
    key_counts = Counter(_SUFFIX.sub("", slug(k)) for k in keys if k and k.lower() not in NO_KEY)
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    after: Counter[tuple[str, str]] = Counter()
    said: Counter[str] = Counter()
    for t in texts:
        ws = _content_words(t)
        words.update(set(w for w in ws if w not in GENERIC))
        # Modifier pairs keep the modifier as said ("denied claims", not "deny claims"), and only
        # words said next to each other: "stitch it together by hand" has no "together hand".
        tokens = [tok.split("'")[0] for tok in _TOKEN.findall(t.lower().replace("\u2019", "'"))]
        adjacent = [(w1, w2) for w1, w2 in itertools.pairwise(tokens) if _spoken(w1) and _spoken(w2)]
        pairs.update({(w1, _norm(w2)) for w1, w2 in adjacent})
        # And the word after the key word, as said ("phone" + "calls" -> "Phone calls").
        after.update({(_norm(w1), w2) for w1, w2 in adjacent})
        said.update(w for w in tokens if _spoken(w))
    n = max(1, len(texts))
    if key_counts:
        key = sorted(key_counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        head = key.replace("-", " ")
    elif words:
        head = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
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
    caps = Counter(w for t in texts for w in re.findall(r"\b[A-Z]{2,6}s?\b", t))
    head = " ".join(_as_written(w, caps) for w in head.split())
    return head[:1].upper() + head[1:]


def _as_written(word: str, caps: Counter[str]) -> str:
    for form in (word.upper(), word[:-1].upper() + "s"):
        if caps[form] and form.lower() == word.lower():
            return form
    return word
