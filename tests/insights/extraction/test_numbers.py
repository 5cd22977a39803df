"""Table-driven tests for the regex figure parsers (no spaCy needed)."""

import pytest

from insights.extraction.numbers import (
    parse_hours,
    parse_money,
    parse_risk_amounts,
    parse_wtp,
    total_hours,
    word_to_number,
)

# (text, time_section, expected hours-per-week figures)
HOURS_CASES = [
    ("Maybe 3 hrs/wk keeping the tracker alive.", True, [3.0]),
    ("About 4-6 hrs/wk on renewals.", True, [5.0]),
    ("KYC review is 1-2 hours a day.", True, [7.5]),
    ("Maybe 15 minutes a day on insurance.", True, [1.25]),
    ("Report is about 6 hours a month.", True, [1.5]),
    ("Insurance verification, I'd say 30 hours a month just me.", True, [7.5]),
    ("Scanning and filing is ~1h/day for Carla.", True, [5.0]),
    ("2-3h every Monday triaging alerts.", True, [2.5]),
    ("Two to three hours a week for stock corrections.", True, [2.5]),
    ("Between five and seven hours a week.", True, [6.0]),
    ("Returns, around eight hours a week.", True, [8.0]),
    ("three hours every Sunday night", True, [3.0]),
    ("It takes half a day a week.", True, [4.0]),
    ("a full day a month", True, [2.0]),
    ("An hour a week, maybe.", True, [1.0]),
    ("a couple of hours a week", True, [2.0]),
    ("The billing back-and-forth is like 30 min a day.", True, [2.5]),
    ("Ten hours a week on stock. The app admin is another couple of hours a month.", True, [10.0, 0.5]),
    ("Reporting is 10 hours a week. Fixing integrations, another 2 or 3.", True, [10.0, 2.5]),
    ("~6 hrs/wk on returns, 1-2 on Wayfair stuff", True, [6.0, 1.5]),
    ("Checking dashboards, an hour a day. Plus on Friday, another two hours.", True, [5.0, 2.0]),
    ("The Monday spreadsheet is two hours. Plus I check ads daily, maybe 20 minutes.", True, [2.0, 1.6667]),
    ("Call it 4 hours on Friday, plus an hour on Monday. So five.", True, [4.0, 1.0]),
    ("Reporting used to be a full day a month, now it's maybe 2 hours a month.", True, [0.5]),
    ("Voicemails, another hour every morning.", True, [5.0]),
    # Approximate figures: "-ish", "-odd".
    ("Three-ish hours a week on payroll.", True, [3.0]),
    ("Ten-odd hours a week, give or take.", True, [10.0]),
    ("5ish hours a week chasing signatures.", True, [5.0]),
    # A range said after the unit: "an hour or two".
    ("Scheduling is another hour or two.", True, [1.5]),
    ("Filing takes an hour or two a day.", True, [7.5]),
    # Bare follow-ups completing a short clause inherit the time answer's unit (or carry their own period).
    ("Invoicing is about three hours a week. The payroll side is maybe one.", True, [3.0, 1.0]),
    ("Dispatch, six hours. Driver check-ins, call it two.", True, [6.0, 2.0]),
    ("Quotes take five hours a week. Callbacks, two or so on top of that.", True, [5.0, 2.0]),
    ("Rotas are four hours a week. Reporting is around two a week if you spread it out.", True, [4.0, 2.0]),
    ("Two hours a day on tickets. Escalations are three a week.", True, [10.0, 3.0]),
    ("The audit prep is an hour a week. Vendor calls are two, more when something breaks.", True, [1.0, 2.0]),
    # A bare figure that is a count, a time of day or a total is not a follow-up.
    ("Returns are two hours a week. We have four systems for it.", True, [2.0]),
    ("Call it 3 hours on Monday and 2 on Thursday. That's five.", True, [3.0, 2.0]),
    # A per-person rate is someone else's time; a per-day or per-weekday clause is not a person.
    ("Per technician, paperwork is two hours a week. For me it's five hours a week.", True, [5.0]),
    ("Each Monday, two hours on the rota.", True, [2.0]),
    # A restatement in other units counts once.
    ("Half an hour a day, so about two and a half a week.", True, [2.5]),
    ("Twenty minutes a day, so roughly two hours a week.", True, [2.0]),  # their own weekly figure wins
    # A peak next to a regular figure restates it; the peak alone with an occasion period converts.
    ("Reporting is three hours a week, but a brutal ten hours at month end.", True, [3.0]),
    ("Four hours a week, maybe five in busy season.", True, [4.0]),
    ("About twelve hours at month end.", True, [3.0]),
    # A period said right after another figure is that figure's, not the sentence's.
    ("The roster is one hour a week, but the audit is a painful six hours in the spring.", True, [1.0]),
    # Traps: durations, frequencies, delays, counts and clock times are not time spent.
    ("Sellbrite only updates every 15-30 minutes.", False, []),
    ("Each one takes 20 minutes to fix.", False, []),
    ("People cancel an hour before and I can't fill the slot.", False, []),
    ("Syncs can take an hour to show up.", False, []),
    ("I see 22 to 25 patients a day.", False, []),
    ("We open at 8 but I'm in by 7:30.", True, []),
    ("It's all day, every day.", True, []),
    ("A laptop went missing for two days.", False, []),
    ("We're a 10-person company.", True, []),
    ("Honestly I don't track it. A lot.", True, []),
    ("The team probably loses another day a week searching for answers.", True, [8.0]),
    # Outside a time answer only figures with an explicit period count.
    ("I type them in by hand. Every Monday. It takes me five or six hours.", False, [5.5]),
    ("The phone calls eat two hours of Maria's morning, every morning.", False, [10.0]),
    ("I spend the first two hours of every day reconciling stock.", False, [10.0]),
    # A second figure offered as an alternative is one figure said as a range, not a second cost.
    ("Three hours a week, maybe four. It's all kind of blended together.", True, [3.5]),
    ("Two hours a week, or three.", True, [2.5]),
    ("Ten hours a week, or twelve, or fifteen.", True, [12.5]),
    ("About 3 hours a week, maybe 4 hours.", True, [3.5]),
    ("Six hours on the schedule, maybe two on ordering.", True, [6.0, 2.0]),
    ("Five hours a week, plus another two on invoices.", True, [5.0, 2.0]),
    # A range said with a comma: "four, five hours" is four to five.
    ("Site diaries? Honestly 4, 5 hours a week.", True, [4.5]),
    ("Chasing subbies for lien waivers is one, one and a half hours a day.", True, [6.25]),
    ("Back in 2019, 5 hours a week.", True, [5.0]),  # a year before the figure is no lower end
    # "of my week", "of my month": the period the hours are a part of.
    ("Payroll eats the best six hours of my month.", True, [1.5]),
    ("Ordering is about two hours of my day, every day.", False, [10.0]),
    # A part of every period named in the sentence: "the last week of the month ... 16 hours" is monthly.
    ("The last week of the month is billing, that's 16 hours of time entries alone.", False, [4.0]),
    ("Prep for the first shift of the week, maybe three hours.", False, [3.0]),
    # Days named by weekday are a weekly quantity of work: "half a day on Fridays".
    ("Conflict checks eat half a day on Fridays.", True, [4.0]),
    ("I lose a full day every Monday to timesheets.", False, [8.0]),
    # A figure said of some of the items is how long one takes, not the weekly time.
    ("Some are fifteen minutes. The contested ones, I lose half a day every Friday.", True, [4.0]),
    ("A simple one takes twenty minutes.", True, []),
    ("Most of them are an hour, tops.", True, []),
    ("Some weeks are ten hours.", True, [10.0]),  # some weeks is a period, not some items
]


@pytest.mark.parametrize("text,section,expected", HOURS_CASES)
def test_parse_hours(text, section, expected):
    got = [f.hours_per_week for f in parse_hours(text, time_section=section)]
    assert got == pytest.approx(expected, rel=1e-3)


def test_bare_answer_to_an_hours_question():
    got = parse_hours("Between five and seven, me alone.", time_section=True, hint_hours=True)
    assert [f.hours_per_week for f in got] == [6.0]
    assert parse_hours("Between five and seven, me alone.", time_section=True) == []


def test_hours_offsets_point_at_the_figure():
    text = "KYC review is 1-2 hours a day."
    (fig,) = parse_hours(text, time_section=True)
    assert text[fig.start : fig.end] == "1-2 hours"


def test_total_hours_sums_distinct_figures():
    assert total_hours([10.0, 10.0, 0.5]) == 10.5
    assert total_hours([]) is None


# (text, expected (min, max, currency, period) or "refused" or None)
WTP_CASES = [
    ("Honestly a couple hundred bucks a month would be an easy yes.", (200, 200, "USD", "month")),
    ("I think a couple hundred a month if it solved the phones.", (200, 200, "USD", "month")),
    ("If it replaced Drata, €400-600 a month. Reporting alone, less.", (400, 600, "EUR", "month")),
    ("For a billing inbox add-on I'd pay $10 a seat per month, we'd need four seats.", (10, 10, "USD", "user_month")),
    ("$50 per user per month is fine.", (50, 50, "USD", "user_month")),
    # The seat said before the price; a multiplier on the upper figure applies to the lower one.
    ("Per user, something like twenty bucks a month each.", (20, 20, "USD", "user_month")),
    ("For each technician, maybe $12 a month.", (12, 12, "USD", "user_month")),
    ("Every month, maybe $300.", (300, 300, "USD", "month")),
    ("Per se, I'd pay $200 a month.", (200, 200, "USD", "month")),
    ("Every couple of months, maybe $500 a year.", (500, 500, "USD", "year")),
    ("For each invoice we chase it's a pain, so maybe $50 a month.", (50, 50, "USD", "month")),
    ("Every seat, £8 a month, that's fair.", (8, 8, "GBP", "user_month")),
    ("Somewhere between two and three hundred dollars a month, I should think.", (200, 300, "USD", "month")),
    ("Between five and six thousand a year for the whole practice.", (5000, 6000, "USD", "year")),
    ("Fifty to a hundred a month.", (50, 100, "USD", "month")),
    ("$15 per clinician per month would be easy.", (15, 15, "USD", "user_month")),
    ("We'd pay $6k a year if it replaced Mosaic.", (6000, 6000, "USD", "year")),
    ("Maybe 3k a year on top of what we pay now.", (3000, 3000, "USD", "year")),
    ("Somewhere between 150 and 250 dollars a month.", (150, 250, "USD", "month")),
    ("$100 a month, maybe $150 if it's good.", (100, 150, "USD", "month")),
    ("$150 a month feels right. Maybe $200 if it could submit them.", (150, 200, "USD", "month")),
    (
        "We pay Triple Whale about $300 a month. I'd pay another 100 to 200 a month for that.",
        (100, 200, "USD", "month"),
    ),
    ("already on the $199/mo plan; would pay +$75-100/mo for freight returns", (75, 100, "USD", "month")),
    ("$300/mo is the ceiling, we already pay Linnworks a lot.", (300, 300, "USD", "month")),
    # How they pay today, then ", so" and the price: the price is what they would pay.
    ("We pay for all our software per head, so, like $25 a user a month.", (25, 25, "USD", "user_month")),
    ("We already pay $300 a month for Procore, so $100 more would be fine.", (100, 100, "USD", "month")),
    # An amount they would balk at is not part of what they would pay.
    ("$150 a month is an easy yes. Over $400 a month I'd have to ask the partners.", (150, 150, "USD", "month")),
    ("Eighty dollars a month, sure. A few hundred would be a hard sell.", (80, 80, "USD", "month")),
    ("Over $400 a month I'd have to ask the partners.", (400, 400, "USD", "month")),  # alone, still the figure
    # A per-unit price followed by the total they work out themselves: the total.
    ("Maybe $15 a truck a month across the yard, so that's about $300.", (300, 300, "USD", "month")),
    ("£5 per user per month, so £100 a month for the office.", (100, 100, "GBP", "month")),
    ("$20 a seat a month, we have maybe 12 people.", (20, 20, "USD", "user_month")),  # no total stated
    # Note-taker shorthand for a range per period.
    ("* $80-120/mo if it handled the rota; owner signs off", (80, 120, "USD", "month")),
    ("$1-2k/yr for the whole firm", (1000, 2000, "USD", "year")),
    ("Maybe 600 euros a year. We're a small business.", (600, 600, "EUR", "year")),
    ("£40 a month.", (40, 40, "GBP", "month")),
    ("'$20-40 a month, I'm tiny'.", (20, 40, "USD", "month")),
    ("$25 per seat per month, for maybe five seats.", (25, 25, "USD", "user_month")),
    ("I'd rather pay once. $1,500 one-time to get set up.", (1500, 1500, "USD", "once")),
    ("Maybe $500 a year, but only if it plugs into Jane.", (500, 500, "USD", "year")),
    ("2k a year, tops.", (2000, 2000, "USD", "year")),
    ("Something like $2-3k a year.", (2000, 3000, "USD", "year")),
    ("I mean, we'd pay like 150, 200 bucks a month per location.", (150, 200, "USD", "user_month")),
    # "a hundred fifty" without an "and"; an amount said before a priced one starts its range.
    ("The owner might go a hundred, a hundred fifty a month for the kitchen.", (100, 150, "USD", "month")),
    ("Two hundred twenty-five a month, if it did the rota too.", (225, 225, "USD", "month")),
    ("$80, $120 a month for both restaurants.", (80, 120, "USD", "month")),
    # One figure restated in another period is one figure, not a range.
    ("Maybe three hundred a month? So about 3,600 a year.", (300, 300, "USD", "month")),
    ("$80 a month, that's roughly $1,000 a year.", (80, 80, "USD", "month")),
    ("£1,200 a year, i.e. £100 a month.", (1200, 1200, "GBP", "year")),
    # Alternatives in different periods do not make a range across them.
    ("$100 a month, or $1,000 a year if we prepay.", (100, 100, "USD", "month")),
    # A risk amount said in the pricing answer is not a price.
    ("Last audit we were told up to $40k in penalties. For the tool, $200 a month.", (200, 200, "USD", "month")),
    ("The regulator could fine us $20k. I'd pay $90 a month to avoid that.", (90, 90, "USD", "month")),
    ("I think the fine is $5,000.", None),
    ("$60 a month is fine.", (60, 60, "USD", "month")),
    ("Somewhere in the $20-30 per agent per month range.", (20, 30, "USD", "user_month")),
    ("Honestly, I wouldn't pay for this. If it's not free I'll keep doing it by hand.", "refused"),
    ("We already pay you €120 a month. I wouldn't pay extra for reminders.", "refused"),
    ("I'll be straight with you, there's no money for another tool this year.", "refused"),
    ("There is no budget left this year, we're cutting subscriptions.", "refused"),
    ("No money upfront, but $50 a month is fine.", (50, 50, "USD", "month")),
    ("That's not my decision, you'd have to ask Dr. Feld.", None),
    ("We're a 10-person team and passed SOC 2 last year.", None),
    # The currency after the amount, and European thousands, as people in Europe type them.
    ("Für unsere Praxis: 30-45 € im Monat, if it talks to our software.", (30, 45, "EUR", "month")),
    ("Honestly 12 € per month, not more.", (12, 12, "EUR", "month")),
    ("Perhaps 2.400 € per year for the whole office.", (2400, 2400, "EUR", "year")),
    ("15$ per user per month", (15, 15, "USD", "user_month")),
    ("Up to 3 600 £ a year.", (3600, 3600, "GBP", "year")),
    ("$4.99 a month, like an app.", (4.99, 4.99, "USD", "month")),
]


@pytest.mark.parametrize("text,expected", WTP_CASES)
def test_parse_wtp(text, expected):
    got = parse_wtp(text)
    if expected is None:
        assert got is None
    elif expected == "refused":
        assert got is not None and got.refused and got.min is None
    else:
        assert got is not None and not got.refused
        assert (got.min, got.max, got.currency, got.period) == expected


# (text, in a risk answer?, expected largest amount or None)
RISK_CASES = [
    ("A missed KYC check can mean a fine, could be €100k or more.", True, 100000),
    ("fines can run $100 to $50,000 per record.", True, 50000),
    ("a $50k+ fine", True, 50000),
    ("Two enterprise deals (~$180k ARR combined) are waiting on the report.", True, 180000),
    ("Lost a $40k renewal last year bc nobody followed up.", True, 40000),
    ("Each no-show is around $150 we don't bill.", True, 150),
    ("Chargebacks on a $1,800 sofa hurt.", True, 1800),
    ("Our biggest account, worth about $120k a year, has warned us.", True, 120000),
    ("If our defect rate goes over 1% they can suspend the account, and Amazon is 40% of sales.", True, None),
    ("We need SOC 2 by March 2026.", True, None),
    # Outside a risk answer: only amounts said as a loss or penalty, never a recurring price.
    ("The claim was denied, that's $3,400 we'll probably never see.", False, 3400),
    ("I'm spending about $8k a month on ads and don't know which half is wasted.", False, None),
    ("We pay €9,000 a year and use maybe a third of it.", False, None),
    ("We're doing about $250k a year in revenue.", False, None),
    ("If reports are late we can lose the contract. The one we're on now is worth about 2 million.", False, 2_000_000),
    ("We paid a $12k penalty last spring, on top of the tool.", False, 12000),
    # A cost absorbed is a loss: "we ate a ... bill", "had to eat the cost", "on the hook for".
    ("The walk-in died over the weekend and we ate a $2,300 food waste bill.", False, 2300),
    ("The sub walked off and we had to eat the cost, about $12k.", False, 12000),
    ("We were on the hook for $7,500 when the permit lapsed.", False, 7500),
    ("The team ate lunch at a $40 place to celebrate.", False, None),
    ("The regulator can fine us up to 50.000 € for a missing log.", False, 50000),
    ("We lost a 18 000 € contract over one late delivery.", False, 18000),
]


@pytest.mark.parametrize("text,section,expected", RISK_CASES)
def test_parse_risk_amounts(text, section, expected):
    got = parse_risk_amounts(text, section=section)
    assert (max(f.amount for f in got) if got else None) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("3", 3),
        ("1,500", 1500),
        ("twenty-five", 25),
        ("a couple", 2),
        ("three and a half", 3.5),
        ("banana", None),
        ("four-ish", 4),
        ("ten-odd", 10),
        ("5ish", 5),
    ],
)
def test_word_to_number(text, expected):
    assert word_to_number(text) == expected


@pytest.mark.parametrize("text", ["SOC 2 Type I", "40% of sales", "a 10-person company", "in 2025", "over 1%"])
def test_not_money(text):
    assert [f for f in parse_money(text) if f.explicit] == []


@pytest.mark.parametrize(
    "text,expected",
    [
        # "and a half" after the unit, with or without its article, and corrected upwards straight away.
        ("Prep takes an hour and a half a day.", 7.5),
        ("the inventory count is two hours and a half a week", 2.5),
        ("ordering, hour and a half every day", 7.5),
        ("an hour, an hour and a half every morning on the schedule", 6.25),
        ("um an hour hour and a half a day on quotes", 6.25),
    ],
)
def test_half_hours_and_spoken_corrections(text, expected):
    assert sum(f.hours_per_week for f in parse_hours(text, time_section=True)) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text,lo,hi,period",
    [
        ("Probably a hundred, hundred and fifty a month for the kitchen.", 100, 150, "month"),
        ("two ninety-nine a month if it does payroll too", 299, 299, "month"),
        ("three fifty a month, tops", 350, 350, "month"),
        ("couple hundred a month, maybe 250", 200, 250, "month"),
        ("few hundred a year", 300, 300, "year"),
        # Their own total after a per-unit price wins, said without a currency word.
        ("twenty a van a month maybe so like two forty a month for the lot", 240, 240, "month"),
    ],
)
def test_spoken_prices(text, lo, hi, period):
    got = parse_wtp(text)
    assert got is not None and (got.min, got.max, got.period) == (lo, hi, period)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The client still owes us eleven thousand four hundred.", 11400),
        ("We ate two thousand and fifty dollars on that tile order.", 2050),
    ],
)
def test_compound_word_amounts(text, expected):
    assert max(f.amount for f in parse_risk_amounts(text, section=True)) == expected


@pytest.mark.parametrize("text", ["We're a team of 12, 300 a month would be fine.", "Maybe 5, 200 a month."])
def test_a_count_before_a_price_does_not_start_its_range(text):
    got = parse_wtp(text)
    assert got is not None and got.min == got.max and got.min in (300, 200)


def test_paying_for_a_named_product_is_todays_spend_across_a_so():
    assert parse_wtp("We pay for Jobber, so, about $50 a month.") is None
    got = parse_wtp("We pay everything per seat here, so, like 40 bucks a user a month")
    assert got is not None and (got.min, got.period) == (40, "user_month")


@pytest.mark.parametrize("text,expected", [("Crew of 4, 6 hours a day each.", 30), ("Step 3, 5 hours a week", 5)])
def test_a_count_before_hours_is_no_range(text, expected):
    assert sum(f.hours_per_week for f in parse_hours(text, time_section=True)) == expected


def test_an_offer_said_with_a_hesitation_stays_when_a_higher_one_follows():
    got = parse_wtp("$100 a month, I'd need to check with my partner but that feels right. Maybe $150 with payroll.")
    assert got is not None and (got.min, got.max) == (100, 150)
    # Balked at above what they accept: no price.
    got = parse_wtp("$99 a month feels right. Over $200 a month I'd have to justify it.")
    assert got is not None and (got.min, got.max) == (99, 99)
