"""General English word classes the extractor reasons with (lemmas, lower case).

These are lexicons of ordinary English problem/emotion/praise language, not phrases from any
evaluation set: a problem in another domain is still "slow", "broken", "a nightmare" or "eats my day".
"""

from __future__ import annotations

# Nouns that name a problem, a cost or a negative state.
PROBLEM_NOUNS = frozenset("""
problem issue pain headache nightmare challenge struggle mess chaos hassle bottleneck frustration grind
gap error mistake bug glitch delay backlog risk fine penalty complaint worry fear scare concern fatigue
burden overhead waste rework downtime outage breach churn denial chargeback breakage damage loss
disaster drag annoyance trouble difficulty confusion friction catastrophe crisis pressure stress anxiety
inefficiency lag failure fallout blocker blind spot blindspot limitation shortfall shortage deficit
discrepancy mismatch inconsistency duplication duplicate typo fire firefighting bane weakness flaw
dread penalty lawsuit audit violation warning suspension cancellation complaint
nuisance chore slog pita joke crap shitshow disconnect overload overwhelm madness insanity
apology paperwork no-show noshow
""".split())

# Adjectives (and participles used as adjectives) that judge something as bad.
PROBLEM_ADJS = frozenset("""
slow tedious annoying frustrating painful awful terrible horrible bad wrong broken flaky clunky buggy
expensive costly pricey overpriced late stressed stressful anxious scary hard difficult messy confusing
unreliable inaccurate outdated invisible stuck overwhelmed impossible tricky cumbersome inefficient useless
chaotic repetitive boring risky dangerous worried nervous frustrated annoyed tired exhausted overloaded
missing lost wasted inconsistent fragmented scattered siloed poor worst worse crazy insane ridiculous
dumb stupid silly complicated opaque unclear unpredictable unusable laggy unaffordable error-prone
time-consuming labor-intensive labour-intensive scared afraid terrified upset angry mad furious embarrassing
disjointed disconnected redundant duplicated incomplete unanswered unpaid overdue behind understaffed
short-staffed clumsy janky brittle fragile noisy miserable exhausting draining dreadful unfair
blurry illegible unreadable garbled patchy spotty limited lacking nonstop relentless constant endless archaic ancient primitive stale incorrect faulty
delayed denied rejected overdue underwater swamped buried drowning hectic rough tough gone
""".split())

# Verbs whose action is itself a problem (something breaks, is lost, hurts).
PROBLEM_VERBS = frozenset("""
break fail miss lose forget struggle waste chase nag hate dread scare worry overwrite bounce deny reject
lag crash jam suspend churn oversell slip eat kill hurt complain mistype redo lapse disagree fight
drown suffer delay block stall confuse leak pile sneak burn penalise penalize sue claw overcharge
annoy frustrate bother plague sink lack retype rekey re-key reenter re-enter juggle scramble firefight
drag stress panic cancel collapse corrupt double-book misfile misplace mislabel overlap conflict
spiral stick freeze hang timeout expire overflow overrun underbill undercharge overpay bleed fine ignore
""".split())

# Verbs/adjectives that are problems only with an intensifier or a time/money object
# ("eats my Sunday", "takes forever", "costs us"): weaker evidence.
WEAK_PROBLEM_VERBS = frozenset("cost take spend chase wait pay need have redo fix".split())

# Words that praise or reassure: a clause with these and no problem evidence is not a pain.
PRAISE = frozenset("""
great love good fine solid happy easy smooth helpful nice reliable perfect awesome excellent powerful
amazing fantastic calm relaxed thrilled pleased satisfied brilliant wonderful fab enjoy like
saved save works well best cool handy simple seamless neat sorted decent okay ok fan
""".split())

# Verbs of ability/function: negated, they state an unmet need ("can't fill", "doesn't support").
ABILITY_VERBS = frozenset("""
can know work support talk flow handle see fill keep get match sync update show tell trust find
reach integrate agree answer connect follow bring respond load export import track cover fit scale
let allow help print read open finish catch hear remember afford charge bill use produce
""".split())

# Verbs whose negation is not an unmet need ("I don't need another app", "I don't want to drop X").
NEGATION_NEUTRAL_VERBS = frozenset("""
need want think mind care say mean expect guess believe remember recall notice see worry bother
knock touch intend hate like love matter
""".split())

# Words that intensify or mark emotion: raise severity.
INTENSIFIERS = frozenset("""
really very so extremely constantly always never every nonstop huge massive big biggest main real totally
completely absolutely literally seriously insanely ridiculously way honestly genuinely
""".split())

STRONG_EMOTION = frozenset("""
hate dread scare scared terrify terrified anxious nightmare killing kill stressed stress panic
furious angry upset awful terrible horrible hell disaster worst miserable desperate drown drowning
crazy insane keep exhausting exhausted cry
""".split())

# Stated legal or financial risk, or business-threatening consequences: very high severity.
CATASTROPHE = frozenset("""
fine fined fines penalty penalties penalise penalize lawsuit sue sued suspend suspension shut close
closure revoke revoked lapse lapsed licence license bankrupt bankruptcy lose lost churn churned cancel
cancelled canceled breach violation audit claw payroll runway regulator regulatory legal lawsuit
nightmare kill killing
""".split())

MILD = frozenset("""
bit little slightly minor small occasionally sometimes somewhat kinda kind sort rare rarely lol
mildly marginal tiny
""".split())

# Nouns of tools, artefacts and helpers people cope with: marks a workaround clause.
TOOL_NOUNS = frozenset("""
sheet sheets spreadsheet spreadsheets excel csv csvs email emails gmail outlook inbox slack teams
phone phones call calls text texts paper form forms notebook notepad whiteboard board calendar reminder
reminders checklist folder drive doc docs document documents template templates portal portals app apps
tool tools software system systems platform service script scripts query queries macro macros
agency contractor accountant bookkeeper consultant freelancer assistant va clipboard clipboards fax
scanner printer terminal dashboard dashboards report reports crm ehr erp database spreadsheet wiki
notion confluence jira trello asana airtable zapier integration plugin extension api export exports
sticky note notes post-it binder file files log logs tracker list lists vendor firm outsource
whatsapp sms voicemail memory head brain gut
""".split())

# Verbs of coping by hand or with a tool: "I copy", "we track", "she re-keys".
COPING_VERBS = frozenset("""
use copy paste export import log track keep type enter rekey re-key print scan fax store file record
download upload rely outsource maintain hire key
""".split())

MANUAL_MARKERS = frozenset("manually manual hand".split())

# Subjects whose statements are about the interviewee's own work, not the product being praised.
WISH_VERBS = frozenset("wish love like want prefer dream hope".split())

# Nouns that only name a problem generically ("the problem is X", "biggest gap"): weak evidence on
# their own, since note-takers use them to label rather than state a problem.
META_PROBLEM_NOUNS = frozenset("problem issue pain challenge gap thing".split())

# Effort verbs: redoing or repairing work is a cost ("needs fixing by hand", "have to redo it").
REPAIR_VERBS = frozenset("""
fix redo correct clean rework resubmit re-submit retype rekey re-key reenter re-enter reconcile chase
double-check recheck re-check convert match apologise apologize refund rebook reschedule nag remind
""".split())

# Phrasal verbs (verb lemma, particle) that describe a problem.
PROBLEM_PHRASALS = frozenset({
    ("kick", "back"), ("bounce", "back"), ("send", "back"), ("pile", "up"), ("back", "up"), ("walk", "out"),
    ("sneak", "up"), ("mess", "up"), ("screw", "up"), ("fall", "off"), ("fall", "through"), ("fall", "behind"),
    ("slip", "through"), ("run", "out"), ("drop", "off"), ("break", "down"), ("fall", "apart"), ("keep", "up"),
    ("catch", "up"), ("time", "out"), ("go", "down"), ("put", "up"), ("go", "up"), ("drag", "on"),
})
# Idioms of emotion with a personal object: "what gets me", "drives me crazy", "keeps me up", "bugs me".
EMOTION_OBJECT_VERBS = frozenset("get drive keep bug irritate annoy frustrate kill stress worry scare terrify eat wear".split())
# Nouns for tools and places one works in: "six apps", "a lot of logins", "nine things" signal sprawl.
SPRAWL_NOUNS = frozenset("app apps tool tools login logins system systems place places platform platforms tab tabs thing things subscription subscriptions vendor vendors password passwords screen screens dashboard dashboards spreadsheet spreadsheets channel channels inbox inboxes portal portals".split())
# Price increases: a raise of a price-like noun is a cost problem.
PRICE_NOUNS = frozenset("price prices rate rates cost costs fee fees premium premiums rent bill bills".split())
RAISE_VERBS = frozenset("raise increase hike double triple jump rise climb".split())
TIME_WORDS = frozenset("hour hours day days morning mornings afternoon afternoons evening evenings week weeks weekend weekends night nights minute minutes time sunday saturday monday friday".split())
UNCERTAIN_ADJS = frozenset("sure clear certain confident compliant allowed secure safe legal aware".split())
