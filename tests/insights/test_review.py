import pytest
from django.core.exceptions import ValidationError

from insights import review
from insights.models import Mention, ReviewStatus, Theme
from insights.themes import themes_assign
from tests.factories import InterviewFactory, SegmentFactory, UserFactory


def pain(interview, quote, key, **extra):
    text = interview.whats_broken
    start = text.index(quote)
    return Mention.objects.create(
        interview=interview, kind="pain", field="whats_broken", start=start, end=start + len(quote),
        quote=quote, proposed_theme_key=key, severity=extra.pop("severity", "medium"), **extra,
    )  # fmt: skip


@pytest.fixture
def reviewer(db):
    # The review logic; who may review (the reviewer role) is tests/test_isolation.py's and test_roles.py's.
    return UserFactory(is_superuser=True)


@pytest.fixture
def two_pains(interview):
    interview.whats_broken = "Reporting takes forever. Too many tools everywhere."
    interview.save()
    a = pain(interview, "Reporting takes forever.", "manual-reporting")
    b = pain(interview, "Too many tools everywhere.", "too-many-tools")
    themes_assign(segment=interview.segment, mentions=[a, b])
    return a, b


def test_accept_and_reject_record_who_and_when(two_pains, reviewer):
    a, b = two_pains
    review.mentions_set_status(mentions=[a], user=reviewer, status=ReviewStatus.ACCEPTED)
    review.mentions_set_status(mentions=Mention.objects.filter(pk=b.pk), user=reviewer, status=ReviewStatus.REJECTED)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.review_status, a.reviewed_by, b.review_status) == (ReviewStatus.ACCEPTED, reviewer, ReviewStatus.REJECTED)
    assert a.reviewed_at is not None
    with pytest.raises(ValidationError):
        review.mentions_set_status(mentions=[a], user=reviewer, status="maybe")


def test_edit_span_rewrites_quote_from_source_text(two_pains, reviewer):
    a, _ = two_pains
    review.mention_edit(mention=a, user=reviewer, start=0, end=9, severity="high")
    a.refresh_from_db()
    assert (a.quote, a.severity, a.review_status) == ("Reporting", "high", ReviewStatus.EDITED)
    with pytest.raises(ValidationError, match="inside the whats_broken text"):
        review.mention_edit(mention=a, user=reviewer, start=5, end=10_000)
    with pytest.raises(ValidationError, match="Unknown severity"):
        review.mention_edit(mention=a, user=reviewer, severity="apocalyptic")


def test_merge_moves_mentions_and_catches_future_machine_mentions(two_pains, reviewer):
    a, b = two_pains
    target, source = a.theme, b.theme
    review.themes_merge(target=target, sources=[source], user=reviewer)
    b.refresh_from_db()
    target.refresh_from_db()
    source.refresh_from_db()
    assert b.theme == a.theme
    # Who merged, on both sides: the theme that absorbed and the one that went.
    assert (target.reviewed_by, source.reviewed_by) == (reviewer, reviewer)
    assert target.reviewed_at is not None and source.reviewed_at is not None
    later = pain(a.interview, "Too many tools everywhere.", "too-many-tools")
    themes_assign(segment=a.interview.segment, mentions=[later])
    assert later.theme == a.theme


def test_rename_marks_the_theme_as_reviewers(two_pains, reviewer):
    theme = two_pains[0].theme
    assert (theme.reviewed_by, theme.reviewed_at) == (None, None)  # the machine's grouping is nobody's review
    review.theme_rename(theme=theme, user=reviewer, name="Board reporting by hand")
    theme.refresh_from_db()
    assert theme.name == "Board reporting by hand" and theme.renamed_by_reviewer
    assert theme.reviewed_by == reviewer and theme.reviewed_at is not None
    with pytest.raises(ValidationError):
        review.theme_rename(theme=theme, user=reviewer, name="  ")


def test_split_creates_a_new_theme_with_the_selected_mentions(two_pains, reviewer):
    a, _ = two_pains
    theme = review.theme_split(mentions=[a], user=reviewer, name="Investor updates")
    a.refresh_from_db()
    theme.refresh_from_db()
    assert a.theme == theme and theme.key == "investor-updates" and a.review_status == ReviewStatus.EDITED
    assert theme.reviewed_by == reviewer and theme.reviewed_at is not None


def test_cannot_move_mention_to_another_segments_theme(two_pains, reviewer):
    a, _ = two_pains
    foreign = Theme.objects.create(segment=SegmentFactory(), kind="pain", key="x", name="X")
    with pytest.raises(ValidationError, match="same segment"):
        review.mention_edit(mention=a, user=reviewer, theme=foreign)


def test_merge_refuses_other_segment(two_pains, reviewer):
    other = Theme.objects.create(segment=InterviewFactory().segment, kind="pain", key="y", name="Y")
    with pytest.raises(ValidationError):
        review.themes_merge(target=two_pains[0].theme, sources=[other], user=reviewer)


def test_synonyms_added_by_a_reviewer_pull_mentions_at_the_next_regroup(
    interview, reviewer, django_capture_on_commit_callbacks
):
    interview.whats_broken = "The board pack eats my weekend."
    interview.save()
    other = InterviewFactory(segment=interview.segment, whats_broken="Too many tools everywhere.")
    a = pain(interview, "The board pack eats my weekend.", "board")
    b = pain(other, "Too many tools everywhere.", "too-many-tools")
    themes_assign(segment=interview.segment, mentions=[a, b])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        theme = review.theme_synonyms_add(
            segment=interview.segment,
            user=reviewer,
            key="reporting",
            name="Board reporting",
            phrases=["board  pack", " "],
        )
    assert len(callbacks) == 1  # one regroup, after the commit
    a.refresh_from_db()
    b.refresh_from_db()
    assert (theme.key, theme.name, theme.renamed_by_reviewer) == ("reporting", "Board reporting", True)
    assert list(theme.synonyms.values_list("phrase", flat=True)) == ["board pack"]
    assert a.theme == theme and b.theme != theme
    assert theme.reviewed_by == reviewer and theme.reviewed_at is not None
    stamped_at = theme.reviewed_at
    # Running it again (load_demo does, on every `make run`) adds nothing, so records no new review.
    review.theme_synonyms_add(
        segment=interview.segment,
        user=UserFactory(is_superuser=True),
        key="reporting",
        name="Board reporting",
        phrases=["board pack"],
    )
    theme.refresh_from_db()
    assert theme.synonyms.count() == 1 and Theme.objects.filter(key="reporting").count() == 1
    assert (theme.reviewed_by, theme.reviewed_at) == (reviewer, stamped_at)


@pytest.mark.parametrize(
    "key,name,phrases,message",
    [
        ("reporting", "Reporting", [" ", ""], "at least one phrase"),
        ("", "Reporting", ["board pack"], "theme key"),
        ("reporting", "Reporting", ["x" * 201], "longer than 200 characters"),
    ],
)
def test_bad_synonyms_are_refused_with_a_reason_and_change_nothing(interview, key, name, phrases, message):
    with pytest.raises(ValidationError) as exc:
        review.theme_synonyms_add(segment=interview.segment, user=None, key=key, name=name, phrases=phrases)
    assert message in str(exc.value)
    assert not Theme.objects.filter(segment=interview.segment).exists()


def test_adding_synonyms_again_keeps_a_reviewers_name(interview, reviewer):
    theme = review.theme_synonyms_add(segment=interview.segment, user=None, key="kyc", name="KYC", phrases=["KYC"])
    assert (theme.reviewed_by, theme.reviewed_at) == (None, None)  # seeded by a script, not reviewed
    review.theme_rename(theme=theme, user=reviewer, name="Identity checks")
    other = UserFactory(is_superuser=True)
    review.theme_synonyms_add(segment=interview.segment, user=other, key="kyc", name="KYC", phrases=["KYB"])
    theme.refresh_from_db()
    assert theme.name == "Identity checks"
    assert sorted(theme.synonyms.values_list("phrase", flat=True)) == ["KYB", "KYC"]
    assert theme.reviewed_by == other  # the last reviewer's decision: a new phrase
    with pytest.raises(ValidationError, match="pain"):
        review.theme_synonyms_add(segment=interview.segment, user=None, key="x", name="X", phrases=["x"], kind="wish")


def test_a_theme_a_reviewer_renamed_keeps_its_mentions_when_other_mentions_go(db, reviewer):
    """Machine keys are numbered by position ("truck", "truck--2"): rejecting the first "truck"
    mention shifts the numbers, and the reviewer's "Driver churn" must not pass to another problem."""
    from insights.themes import themes_regroup

    segment = SegmentFactory()
    said = ["The truck breaks down every winter.", "Our truck drivers quit after a month.", "Truck insurance doubled."]
    mentions = []
    for quote in said:
        interview = InterviewFactory(segment=segment)
        interview.whats_broken = quote
        interview.save()
        mentions.append(pain(interview, quote, "truck"))
    themes_assign(segment=segment, mentions=mentions)
    themes_regroup(segment=segment)
    for m in mentions:
        m.refresh_from_db()
    assert len({m.theme_id for m in mentions}) == 3  # a shared noun is no shared problem
    assert len({m.theme.name for m in mentions}) == 3  # nor three rows called "Truck"
    review.theme_rename(theme=mentions[1].theme, user=reviewer, name="Driver churn")
    review.mentions_set_status(mentions=[mentions[0]], user=reviewer, status=ReviewStatus.REJECTED)
    themes_regroup(segment=segment)
    churn, insurance = (Mention.objects.select_related("theme").get(pk=m.pk) for m in mentions[1:])
    assert churn.theme.name == "Driver churn"
    assert insurance.theme_id != churn.theme_id and insurance.theme.name != "Driver churn"


def test_no_two_themes_of_a_segment_share_a_name(db, reviewer):
    """Matrix rows, workaround counts and the PRD's top pains go by name: two lone "cover" quotes under
    numbered keys would both be "Cover", and a reviewer's name is never handed to a machine theme."""
    from insights.themes import themes_regroup

    segment = SegmentFactory()
    said = [
        "The locum cover falls through every other Friday.",
        "Weekend cover is whoever picks up the phone.",
        "Cover for the night shift is a scramble.",
    ]
    mentions = []
    for quote in said:
        interview = InterviewFactory(segment=segment)
        interview.whats_broken = quote
        interview.save()
        mentions.append(pain(interview, quote, "cover", theme_candidates=["cover"]))
    themes_assign(segment=segment, mentions=mentions)
    themes_regroup(segment=segment)
    names = [Mention.objects.select_related("theme").get(pk=m.pk).theme.name for m in mentions]
    themes = {Mention.objects.get(pk=m.pk).theme_id for m in mentions}
    assert len({n.casefold() for n in names}) == len(themes), names
    # A reviewer names one theme after another's name: the machine's theme gives way.
    first = Mention.objects.get(pk=mentions[0].pk).theme
    other = next(t for t in Theme.objects.filter(segment=segment, kind="pain") if t.pk != first.pk)
    review.theme_rename(theme=first, user=reviewer, name=other.name)
    themes_regroup(segment=segment)
    live = Theme.objects.filter(segment=segment, kind="pain", merged_into=None, mentions__isnull=False).distinct()
    assert len({t.name.casefold() for t in live}) == live.count(), [t.name for t in live]
