"""Theme key proposal: a normalised key phrase naming what a pain or workaround is about.

The key is built from the clause's topical noun (its head lemma plus compound modifiers), passed
through a small synonym table of general business English so that "spreadsheet", "Google Sheet"
and "Excel" meet, and "reports", "reporting" and "the monthly report" meet.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from .lexicon import PROBLEM_ADJS, PROBLEM_NOUNS

# General synonyms: many surface words, one key word.
SYNONYMS = {
    "sheet": "spreadsheet", "sheets": "spreadsheet", "excel": "spreadsheet", "csv": "spreadsheet",
    "spreadsheets": "spreadsheet", "google sheet": "spreadsheet", "google sheets": "spreadsheet", "vlookup": "spreadsheet",
    "report": "reporting", "reports": "reporting", "pack": "reporting", "dashboard": "reporting", "numbers": "reporting",
    "metric": "reporting", "metrics": "reporting",
    "app": "tools", "apps": "tools", "tool": "tools", "system": "tools", "systems": "tools", "login": "tools",
    "logins": "tools", "platform": "tools", "software": "tools", "vendor": "tools", "subscription": "tools",
    "integration": "integrations", "sync": "sync", "syncing": "sync", "synchronisation": "sync",
    "invoice": "billing", "invoicing": "billing", "bill": "billing", "payment": "billing", "payments": "billing",
    "email": "email", "emails": "email", "gmail": "email", "inbox": "email", "slack": "chat", "message": "chat",
    "phone": "phone", "call": "phone", "calls": "phone", "voicemail": "phone", "voicemails": "phone",
    "form": "paperwork", "forms": "paperwork", "paper": "paperwork", "clipboard": "paperwork", "paperwork": "paperwork",
    "stock": "inventory", "inventory": "inventory", "sku": "inventory",
    "price": "pricing", "prices": "pricing", "cost": "pricing", "costs": "pricing", "rate": "pricing", "rates": "pricing",
    "fee": "pricing", "fees": "pricing", "seat": "pricing", "seats": "pricing", "tier": "pricing",
    "deadline": "deadlines", "renewal": "renewals", "reminder": "reminders",
    "return": "returns", "refund": "returns", "refunds": "returns",
    "claim": "claims", "denial": "claims", "denials": "claims",
    "ad": "ads", "campaign": "ads", "campaigns": "ads", "spend": "ads",
    "handoff": "handoffs", "hand-off": "handoffs",
}
GENERIC = frozenset("""
thing things part time day days week weeks month lot lots people way one ones stuff bit side kind sort
everything something anything nothing someone everyone nobody anyone morning mornings afternoon evening
hour hours minute minutes year years end start half rest number case point place fact question business
company team work job today week end reason whole mess head
""".split()) | PROBLEM_NOUNS
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


def _candidates(doc: Doc, a: int, b: int) -> list[Token]:
    nouns = [t for t in doc[a:b] if t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() not in GENERIC and not t.is_stop and len(t.text) > 1]
    order = {"nsubj": 0, "nsubjpass": 0, "dobj": 1, "attr": 1, "pobj": 2, "compound": 3}
    return sorted(nouns, key=lambda t: (order.get(t.dep_, 2), t.pos_ == "PROPN", t.i))


def pain_theme(doc: Doc, a: int, b: int) -> str:
    cands = _candidates(doc, a, b)
    if cands:
        return slug(_phrase(cands[0]))
    # No topical noun: fall back to the problem word itself ("slow", "tedious").
    for t in doc[a:b]:
        if t.lemma_.lower() in PROBLEM_ADJS:
            return slug(t.lemma_)
    return "other"


def workaround_theme(doc: Doc, a: int, b: int) -> str:
    toks = doc[a:b]
    for t in toks:
        key = SYNONYMS.get(t.lower_) or SYNONYMS.get(t.lemma_.lower())
        if key in ("spreadsheet", "email", "chat", "phone", "paperwork"):
            return slug(key)
    for t in toks:
        if t.lower_ in ("your", "our") and t.head.lemma_.lower() in ("product", "app", "tool", "platform", "software", "system"):
            return "our-product"
    if any(t.lower_ in ("manually", "manual") or t.lower_ == "hand" for t in toks):
        return "manual-process"
    first = [t for t in toks if not t.is_punct]
    if first and first[0].lower_ in ("nothing", "none", "nobody"):
        return "nothing"
    cands = _candidates(doc, a, b)
    if cands:
        return slug(_phrase(cands[0]))
    return "other"
