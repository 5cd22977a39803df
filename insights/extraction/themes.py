"""Theme key proposal: a normalised key phrase naming what a pain or workaround is about.

The key is built from the clause's topical noun (its head lemma plus compound modifiers), passed
through a small synonym table of general business English so that "spreadsheet", "Google Sheet"
and "Excel" meet, and "reports", "reporting" and "the monthly report" meet.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from .keys import CLIPPED, SYNONYMS

# Nouns that name a problem or a cost ("a nightmare", "a headache"): what is wrong, never what it is about.
PROBLEM_NOUNS = frozenset(
    [
        "agony",
        "annoyance",
        "anxiety",
        "apology",
        "audit",
        "backlog",
        "bane",
        "blind",
        "blindspot",
        "blocker",
        "bloodbath",
        "bottleneck",
        "breach",
        "breakage",
        "bug",
        "burden",
        "cancellation",
        "catastrophe",
        "challenge",
        "chaos",
        "chargeback",
        "chore",
        "churn",
        "complaint",
        "concern",
        "confusion",
        "crap",
        "crisis",
        "damage",
        "deficit",
        "delay",
        "denial",
        "difficulty",
        "disaster",
        "disconnect",
        "discrepancy",
        "distraction",
        "downtime",
        "drag",
        "drain",
        "dread",
        "duplicate",
        "duplication",
        "error",
        "failure",
        "fallout",
        "fatigue",
        "fear",
        "fine",
        "fire",
        "firefighting",
        "flaw",
        "friction",
        "frustration",
        "gap",
        "glitch",
        "grind",
        "hassle",
        "headache",
        "inconsistency",
        "inefficiency",
        "insanity",
        "interruption",
        "issue",
        "joke",
        "lag",
        "lawsuit",
        "limitation",
        "loss",
        "madness",
        "mess",
        "misery",
        "mismatch",
        "mistake",
        "nightmare",
        "no-show",
        "noshow",
        "nuisance",
        "outage",
        "overhead",
        "overload",
        "overwhelm",
        "pain",
        "paperwork",
        "penalty",
        "pita",
        "pressure",
        "problem",
        "purgatory",
        "rework",
        "risk",
        "scare",
        "scramble",
        "shitshow",
        "shortage",
        "shortfall",
        "slog",
        "spot",
        "stress",
        "struggle",
        "suspension",
        "time-sink",
        "timesink",
        "torture",
        "trouble",
        "typo",
        "violation",
        "warning",
        "waste",
        "weakness",
        "worry",
    ]
)

# Nouns that never name a problem area: people, time, money as such, places.
_NOT_THEMES = frozenset(
    [
        "customer",
        "customers",
        "client",
        "clients",
        "patient",
        "patients",
        "family",
        "families",
        "people",
        "person",
        "user",
        "users",
        "staff",
        "engineer",
        "engineers",
        "accountant",
        "founder",
        "founders",
        "partner",
        "partners",
        "team",
        "teams",
        "parent",
        "parents",
        "doctor",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "spring",
        "summer",
        "autumn",
        "fall",
        "winter",
        "quarter",
        "money",
        "dollar",
        "dollars",
        "euro",
        "euros",
        "pound",
        "pounds",
        "amount",
        "idea",
        "lunch",
        "state",
        "country",
        "city",
        "guy",
        "guys",
        "night",
        "nights",
        "evening",
        "evenings",
        "weekend",
        "weekends",
        "pm",
        "am",
        "today",
        "tomorrow",
        "yesterday",
        # "by hand" says how, not what about.
        "hand",
        "hands",
        # "The context switching": what is switched between is the tools, not a context.
        "context",
        "contexts",
        # Quantities: "a couple of trucks", "a handful of tenants".
        "couple",
        "bunch",
        "handful",
        "ton",
        "tons",
        "dozen",
    ]
)
# The people of any trade: who has or causes a problem, never what it is about.
_PEOPLE = frozenset(
    [
        "tenant",
        "resident",
        "landlord",
        "owner",
        "homeowner",
        "applicant",
        "candidate",
        "member",
        "guest",
        "diner",
        "shopper",
        "buyer",
        "seller",
        "subscriber",
        "donor",
        "volunteer",
        "student",
        "teacher",
        "kid",
        "mom",
        "dad",
        "wife",
        "husband",
        "lady",
        "folk",
        "boss",
        "colleague",
        "coworker",
        "employee",
        "worker",
        "crew",
        "foreman",
        "hire",
        "technician",
        "tech",
        "plumber",
        "electrician",
        "contractor",
        "subcontractor",
        "installer",
        "driver",
        "rider",
        "courier",
        "attorney",
        "lawyer",
        "paralegal",
        "manager",
        "director",
        "coordinator",
        "assistant",
        "rep",
        "agent",
        "broker",
        "nurse",
        "therapist",
        "clinician",
        "physician",
        "dentist",
        "vet",
    ]
)
GENERIC = (
    frozenset(
        [
            "thing",
            "things",
            "part",
            "time",
            "day",
            "days",
            "week",
            "weeks",
            "month",
            "lot",
            "lots",
            "people",
            "way",
            "one",
            "ones",
            "stuff",
            "bit",
            "side",
            "kind",
            "sort",
            "everything",
            "something",
            "anything",
            "nothing",
            "someone",
            "everyone",
            "nobody",
            "anyone",
            "morning",
            "mornings",
            "afternoon",
            "evening",
            "hour",
            "hours",
            "minute",
            "minutes",
            "year",
            "years",
            "end",
            "start",
            "half",
            "rest",
            "number",
            "case",
            "point",
            "place",
            "fact",
            "question",
            "business",
            "company",
            "team",
            "work",
            "job",
            "today",
            "week",
            "end",
            "reason",
            "whole",
            "mess",
            "head",
            "row",
        ]
    )
    | PROBLEM_NOUNS
)
_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:60]


def _norm(word: str) -> str:
    w = word.lower()
    return SYNONYMS.get(w, w)


def _phrase(tok: Token) -> str:
    mods = [c for c in tok.children if c.dep_ in ("compound",) and c.i < tok.i and not c.is_stop]
    words = [_norm(m.lemma_) for m in mods[-1:]] + [_norm(tok.lemma_)]
    key = " ".join(dict.fromkeys(words))
    return SYNONYMS.get(key, key)


# Acronyms modifying a noun name the domain's own things ("KYC checks", "ELD logs"), except these
# roles, places and chat shorthand.
_ACRONYM = re.compile(r"[A-Z]{2,6}s?")
_NOT_ACRONYM_THEMES = frozenset({
    # roles
    "ceo", "cfo", "coo", "cto", "cmo", "cio", "vp", "svp", "evp", "pm", "gc", "sub", "rn", "np", "md", "cna",
    "ma", "pa", "cpa", "sdr", "bdr", "csm", "ae", "dm", "hr", "it",
    # places and company forms
    "us", "usa", "uk", "eu", "nyc", "sf", "dc", "llc", "inc", "ltd",
    "al", "ak", "az", "ar", "ca", "co", "ct", "de", "fl", "ga", "hi", "id", "il", "in", "ia", "ks", "ky", "la",
    "me", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh", "nj", "nm", "ny", "nc", "nd", "oh", "ok", "or", "ri",
    "sc", "sd", "tn", "tx", "ut", "vt", "va", "wa", "wv", "wi", "wy",
    # chat shorthand and times
    "am", "asap", "fyi", "tbh", "lol", "idk", "btw", "imo", "aka", "etc", "eta",
})  # fmt: skip


def _institution(tok: Token) -> bool:
    """Part of a name like "Bank of Spain" or "Department of Labor": a name, not its words' concept."""
    return tok.pos_ == "PROPN" and (
        any(c.lower_ == "of" and any(g.pos_ == "PROPN" for g in c.children) for c in tok.children)
        or (tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "PROPN")
    )


def _topical(t: Token) -> bool:
    """A noun that can name what a pain is about: no person, time or quantity, no name but a tool's."""
    lemma = t.lemma_.lower()
    if t.pos_ not in ("NOUN", "PROPN") or t.is_stop or len(t.text) < 2:
        return False
    if lemma in GENERIC or lemma in _NOT_THEMES or lemma in _PEOPLE:
        return False
    if t.pos_ == "NOUN":
        return True
    return not _institution(t) and (t.lower_ in SYNONYMS or _acronym_thing(t))


def _acronym_thing(t: Token) -> bool:
    """An acronym names a kind of thing when it modifies a noun ("KYC checks", "ELD logs") or stands
    as a subject or object ("KYC is just slow"). Roles and places ("the GC says", "our TX yards") are
    listed out, and a possessor ("the GC's PM") is someone."""
    if _ACRONYM.fullmatch(t.text) is None or t.lower_.rstrip("s") in _NOT_ACRONYM_THEMES:
        return False
    if t.dep_ == "compound":
        return t.head.pos_ == "NOUN"
    return t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") and not any(c.dep_ == "case" for c in t.children)


# Activities as subjects name the work a pain is about: "estimating commercial takes me forever",
# "scheduling the crews is a nightmare", "hiring's impossible".
_ACTIVITY_DEPS = frozenset({"csubj", "csubjpass", "nsubj", "nsubjpass"})


# Light verbs name no work of their own ("getting parts", "trying to reach", "dealing with"): what
# they act on carries the theme, and shared across pains they would merge anything.
_LIGHT_VERBS = frozenset({
    "get", "try", "go", "deal", "make", "keep", "have", "take", "work", "use", "figure", "handle", "talk", "switch",
    "do", "be", "come", "put", "run", "find", "look", "wait", "sit", "stay", "start", "stop", "bring", "give",
    "let", "need", "want", "see", "know", "think", "say", "tell", "ask", "show", "play", "move", "change", "turn",
    "hold", "pull", "set", "leave", "fill",
})  # fmt: skip


def _activity(t: Token) -> bool:
    return (
        t.tag_ == "VBG"
        and t.dep_ in _ACTIVITY_DEPS
        and not t.is_stop
        and t.lemma_.lower() not in GENERIC
        and t.lemma_.lower() not in _LIGHT_VERBS
    )


def _candidates(doc: Doc, a: int, b: int) -> list[Token]:
    nouns = [t for t in doc[a:b] if _activity(t) or _topical(t)]
    order = {"nsubj": 0, "nsubjpass": 0, "csubj": 0, "csubjpass": 0, "dobj": 1, "attr": 1, "pobj": 2, "compound": 3}
    return sorted(nouns, key=lambda t: (order.get(t.dep_, 2), t.pos_ == "PROPN", t.i))


# Tool sprawl has a grammar of its own, whatever the tools are: "context switching", "app-switching",
# "bouncing between X, Y and Z", "too many logins".
_SPRAWL = re.compile(
    r"\b(?:context|app|tool|tab|system)[- ]?switch\w*|"
    r"\btoo many (?:different )?(?:tools|apps|systems|logins|tabs|platforms|dashboards)\b",
    re.I,
)
# Moving between things is sprawl when the things are tools: "bouncing between HubSpot and Excel",
# "flipping between all of them", not "payments bounce between the two banks".
_MOVING_BETWEEN = re.compile(
    r"\b(?:switch|flipp?|bounc|jump|hopp?|toggl)\w*\s+(?:\w+\s+){0,3}?(?:between|across)\b(.{0,80})", re.I
)
_TOOLS_NAMED = re.compile(
    r"\b(?:apps?|tools?|systems?|tabs?|screens?|windows|platforms?|dashboards?|logins?|all of them)\b|"
    r"\b[A-Z][\w.]+,? (?:and|or) [A-Z]\w+|, [A-Z]\w+"
)


def is_sprawl(text: str) -> bool:
    if _SPRAWL.search(text):
        return True
    moving = _MOVING_BETWEEN.search(text)
    return bool(moving and _TOOLS_NAMED.search(moving.group(1)))


def pain_theme_candidates(
    doc: Doc, a: int, b: int, sprawl: bool = False, context: tuple[int, int] | None = None
) -> list[str]:
    """Candidate theme keys for a pain clause, best first: its topical nouns, normalised.

    The extractor picks among them per interview (the candidate its other pains share), so
    "the permits keep bouncing" and "the council paperwork is the real grind" in one interview meet.
    """
    if sprawl:
        # Said as too many tools ("I bounce between the issuer dashboard, HubSpot and Opsboard"), the
        # pain is the sprawl, whatever the tools are for: the nouns would pull it to the interview's topic.
        return ["tools"]
    keys: list[str] = []
    if _runs_short(doc, a, b):
        keys.append("inventory")
    toks = _candidates(doc, a, b)
    if context is not None:
        # Nouns of the surrounding sentence come after the clause's own ("which customers hate").
        toks += [t for t in _candidates(doc, *context) if not (a <= t.i < b)]
    for tok in toks:
        key = _concept(tok)
        if key and key not in keys:
            keys.append(key)
    return keys


NOT_SUPPLIES = (
    frozenset(
        [
            "time",
            "cash",
            "money",
            "patience",
            "space",
            "room",
            "battery",
            "steam",
            "energy",
            "road",
            "runway",
            "budget",
            "option",
            "idea",
            "luck",
        ]
    )
    | _NOT_THEMES
    | _PEOPLE
)


def _runs_short(doc: Doc, a: int, b: int) -> bool:
    """Running out of something, whatever it is: "we ran out of Bordetella", "caught short on parts"."""
    end = min(b + 3, len(doc))
    words = [t.lower_ for t in doc[a:end]]
    lemmas = [t.lemma_.lower() for t in doc[a:end]]

    def supply(k: int) -> bool:
        # What runs out is a supply, not time, money, patience or room: "ran out of cash" is cash flow.
        nxt = next((t for t in doc[a + k : end] if t.pos_ in ("NOUN", "PROPN")), None)
        return nxt is not None and nxt.lemma_.lower() not in NOT_SUPPLIES

    return any(
        (lemmas[k] == "run" and words[k + 1 : k + 3] == ["out", "of"] and supply(k + 3))
        or (
            words[k] == "short"
            and k > 0
            and lemmas[k - 1] in ("catch", "get", "come", "run")
            and words[k + 1 : k + 2] in (["on"], ["of"])
        )
        for k in range(min(b - a, len(words)))
    )


def _filed(tok: Token) -> bool:
    """A report one files: the object of "file", or a regulator's "call report"."""
    head = tok.head
    return (tok.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() == "file") or any(
        c.dep_ == "compound" and c.lower_ == "call" for c in tok.children
    )


def _concept(tok: Token) -> str:
    """The concept of a noun: synonyms collapse ("sheet" -> "spreadsheet"), clipped words expand
    ("auth" -> "authorization"), otherwise its lemma."""
    # An activity by its word as said: "figuring out payroll" is no "figure" (a report).
    for w in (tok.lower_,) if tok.tag_ == "VBG" else (tok.lower_, tok.lemma_.lower()):
        if w in SYNONYMS:
            if SYNONYMS[w] == "reporting" and _filed(tok):
                return "compliance"  # "we filed a Texas report two days late", "the call reports": filings
            return SYNONYMS[w]
        if w in CLIPPED:
            return CLIPPED[w]
    if tok.lemma_.lower() in ("update", "meeting", "presentation", "letter") and any(
        c.dep_ == "compound" and c.lower_ in ("board", "investor", "investors") for c in tok.children
    ):
        return "reporting"  # "the monthly board update", "the investor letter"
    # An activity keeps its -ing form: "hiring" is the work, "hire" a person.
    return slug(tok.lower_ if tok.tag_ == "VBG" else tok.lemma_)


def context_keys(doc: Doc) -> list[str]:
    """Concept keys of every topical noun in a piece: what the interview keeps talking about."""
    short = ["inventory" for sent in doc.sents if _runs_short(doc, sent.start, sent.end)]
    return [_concept(t) for t in _candidates(doc, 0, len(doc))] + short


_WORD = re.compile(r"[a-z][a-z0-9-]+")


def context_keys_text(text: str) -> list[str]:
    """context_keys for text we do not parse (pricing, wish answers): concept words only, by regex."""
    out = []
    for w in _WORD.findall(text.lower()):
        key = SYNONYMS.get(w) or (SYNONYMS.get(w[:-1]) if w.endswith("s") else None)
        if key:
            out.append(key)
    return out


def pain_theme(doc: Doc, a: int, b: int) -> str:
    cands = pain_theme_candidates(doc, a, b)
    return cands[0] if cands else "other"


# What one does with a tool one has: "we use X", "we've got X for policies", "we pay for X".
_ADOPTING = frozenset({"use", "have", "get", "buy", "pay", "adopt", "run", "rely", "switch", "move", "license"})


def _adopted_product(t: Token) -> bool:
    """A product's name said as the thing used: its own verb's object, or the head of a verbless fragment.

    A name is a proper noun, or a capitalised word inside a sentence the small model tags otherwise
    ("use Filingly/ADV for the federal stuff")."""
    named = t.pos_ == "PROPN" or (
        t.text[:1].isupper() and t.i != t.sent.start and t.pos_ not in ("PRON", "DET", "ADP", "PUNCT", "NUM")
    )
    if not named or t.lower_ in _NOT_THEMES or t.lower_ in SYNONYMS or len(t.text) < 3:
        return False
    verb = t.head.head if t.dep_ == "pobj" else t.head
    if t.dep_ in ("dobj", "pobj", "advmod", "npadvmod", "oprd") and verb.lemma_.lower() in _ADOPTING:
        return True
    return t.dep_ == "ROOT" and t.pos_ == "PROPN"


def workaround_theme(doc: Doc, a: int, b: int) -> str:
    toks = doc[a:b]
    for t in toks:
        key = SYNONYMS.get(t.lower_) or SYNONYMS.get(t.lemma_.lower())
        if key in ("spreadsheet", "email", "chat", "phone", "paperwork"):
            return slug(key)
    for t in toks:
        if t.lower_ in ("your", "our") and t.head.lemma_.lower() in (
            "product",
            "app",
            "tool",
            "platform",
            "software",
            "system",
        ):
            return "our-product"
    if any(t.lower_ in ("manually", "manual") or t.lower_ == "hand" for t in toks):
        return "manual-process"
    # The product they named is the workaround: "we use Filingly for the federal stuff" is Filingly,
    # "We use Opsboard as a sort of hub" Opsboard, "Ledgerwatch + a GSheet" Ledgerwatch.
    named = next((t for t in toks if _adopted_product(t)), None)
    if named is not None:
        return slug(named.text)
    first = [t for t in toks if not t.is_punct]
    if first and first[0].lower_ in ("nothing", "none", "nobody"):
        return "nothing"
    cands = _candidates(doc, a, b)
    if cands:
        return slug(_phrase(cands[0]))
    return "other"
