import pytest
from django.db import OperationalError
from django.utils import timezone

from insights import services
from insights.models import Mention, ReviewStatus
from insights.tasks import extract_interview
from interviews.models import Interview
from tests.factories import InterviewFactory

TEXT = {
    "whats_broken": "Month-end reporting is a nightmare: I rebuild the board pack by hand every month.",
    "current_solution": "We use a shared Google Sheet and a lot of copy-paste.",
    "time_spent": "About 4 hours a week.",
    "willingness_to_pay": "I'd pay $200 a month without thinking.",
    "risk": "If the numbers are wrong we could face a $50k fine.",
}


@pytest.fixture
def rich_interview(segment):
    return InterviewFactory(segment=segment, **TEXT)


def machine_mentions(interview):
    return sorted(Mention.objects.filter(interview=interview).values_list("kind", "field", "start", "end", "quote"))


def test_task_extracts_and_marks_done(rich_interview):
    assert extract_interview.apply(args=[rich_interview.pk]).get() == "done"
    rich_interview.refresh_from_db()
    assert rich_interview.status == "done" and rich_interview.extraction_finished_at
    kinds = set(Mention.objects.filter(interview=rich_interview).values_list("kind", flat=True))
    assert {"pain", "workaround", "time", "wtp"} <= kinds
    assert all(m.extractor_version for m in Mention.objects.filter(interview=rich_interview))


def test_extraction_keeps_what_the_segment_regroup_needs(rich_interview):
    extract_interview.apply(args=[rich_interview.pk])
    rich_interview.refresh_from_db()
    assert rich_interview.extraction_topics.get("reporting", 0) >= 1  # "reporting", "board pack"
    pains = Mention.objects.filter(interview=rich_interview, kind="pain")
    assert pains and all(p.proposed_theme_key in p.theme_candidates for p in pains if p.theme_candidates)
    assert any(p.theme_candidates for p in pains)


def mark_edited(interview):
    # What interview_update does when the text changes: the interview waits for a new extraction.
    Interview.objects.filter(pk=interview.pk).update(status="pending")


def test_running_twice_gives_the_same_mentions(rich_interview):
    extract_interview.apply(args=[rich_interview.pk])
    first = machine_mentions(rich_interview)
    mark_edited(rich_interview)
    assert extract_interview.apply(args=[rich_interview.pk]).get() == "done"
    assert machine_mentions(rich_interview) == first
    assert first


def test_a_second_copy_of_a_finished_task_does_nothing(rich_interview, monkeypatch):
    # A sweep or a duplicate delivery queues an interview that is already done: processed once.
    assert extract_interview.apply(args=[rich_interview.pk]).get() == "done"
    calls = []
    monkeypatch.setattr("insights.extraction.extract", lambda **kw: calls.append(kw))
    assert extract_interview.apply(args=[rich_interview.pk]).get() == "skipped"
    assert calls == []


def test_reviewer_decisions_survive_re_extraction(rich_interview, user):
    extract_interview.apply(args=[rich_interview.pk])
    pains = list(Mention.objects.filter(interview=rich_interview, kind="pain"))
    accepted, rejected = pains[0], Mention.objects.filter(interview=rich_interview).exclude(kind="pain").first()
    Mention.objects.filter(pk=accepted.pk).update(review_status=ReviewStatus.ACCEPTED, severity="low")
    Mention.objects.filter(pk=rejected.pk).update(review_status=ReviewStatus.REJECTED)
    total = Mention.objects.filter(interview=rich_interview).count()

    mark_edited(rich_interview)
    assert extract_interview.apply(args=[rich_interview.pk]).get() == "done"

    accepted.refresh_from_db()
    rejected.refresh_from_db()
    assert (accepted.review_status, accepted.severity) == (ReviewStatus.ACCEPTED, "low")
    assert rejected.review_status == ReviewStatus.REJECTED
    assert Mention.objects.filter(interview=rich_interview).count() == total  # nothing duplicated
    same_span = Mention.objects.filter(
        interview=rich_interview, kind="pain", field=accepted.field, start=accepted.start
    )
    assert same_span.count() == 1


def test_second_worker_skips_a_claimed_interview(rich_interview):
    assert services.extraction_claim(interview_id=rich_interview.pk)
    assert not services.extraction_claim(interview_id=rich_interview.pk)
    assert extract_interview.apply(args=[rich_interview.pk]).get() == "skipped"
    assert not Mention.objects.filter(interview=rich_interview).exists()


def test_stale_claim_from_a_dead_worker_can_be_taken_over(rich_interview, settings):
    long_ago = timezone.now() - timezone.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    Interview.objects.filter(pk=rich_interview.pk).update(status="running", extraction_started_at=long_ago)
    assert extract_interview.apply(args=[rich_interview.pk]).get() == "done"


def test_redelivery_of_a_dead_workers_task_takes_its_claim_over(rich_interview):
    # The worker running task "t-1" was SIGKILLed mid-extraction: the row says running, claimed by
    # t-1, a moment ago. Celery hands the same message (same task id) to the next worker.
    Interview.objects.filter(pk=rich_interview.pk).update(
        status="running", extraction_started_at=timezone.now(), extraction_task_id="t-1"
    )
    assert extract_interview.apply(args=[rich_interview.pk], task_id="t-2").get() == "skipped"
    assert extract_interview.apply(args=[rich_interview.pk], task_id="t-1").get() == "done"
    rich_interview.refresh_from_db()
    assert rich_interview.status == "done"
    first = machine_mentions(rich_interview)
    mark_edited(rich_interview)
    extract_interview.apply(args=[rich_interview.pk], task_id="t-1")
    assert machine_mentions(rich_interview) == first  # nothing duplicated


def test_unexpected_error_fails_with_a_readable_message(rich_interview, monkeypatch):
    def broken(**_kwargs):
        raise ValueError("the parser choked on line 3")

    monkeypatch.setattr("insights.extraction.extract", broken)
    assert extract_interview.apply(args=[rich_interview.pk]).failed()
    rich_interview.refresh_from_db()
    assert rich_interview.status == "failed"
    assert rich_interview.status_error == "ValueError: the parser choked on line 3"


def test_the_service_lets_errors_raise_and_the_task_records_them(rich_interview, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    def slow(**_kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr("insights.extraction.extract", slow)
    with pytest.raises(SoftTimeLimitExceeded):
        services.extraction_run(interview_id=rich_interview.pk, task_id="t-9")
    mark_edited(rich_interview)
    assert extract_interview.apply(args=[rich_interview.pk]).failed()
    rich_interview.refresh_from_db()
    assert rich_interview.status == "failed"
    assert "longer than the time limit" in rich_interview.status_error


def test_the_worker_warm_up_loads_the_pipeline_the_tasks_use(rich_interview):
    from config.celery import warm_nlp
    from insights.extraction import get_nlp

    get_nlp.cache_clear()
    warm_nlp()
    assert extract_interview.apply(args=[rich_interview.pk]).get() == "done"
    info = get_nlp.cache_info()
    assert (info.misses, info.currsize) == (1, 1)  # one load, one copy in memory


def test_the_warm_up_tasks_and_the_extractors_default_share_one_cached_pipeline(rich_interview):
    # The extractor's own default (extract() without an nlp) calls get_nlp() with no arguments:
    # the warm-up and the tasks must hit that same cache entry, not one keyed on the model's name.
    import os

    from django.conf import settings

    from config.celery import warm_nlp
    from insights.extraction import extract, get_nlp

    get_nlp.cache_clear()
    warm_nlp()
    assert extract_interview.apply(args=[rich_interview.pk]).get() == "done"
    extract(answers=rich_interview.answers, notes=rich_interview.notes)
    info = get_nlp.cache_info()
    assert (info.misses, info.currsize) == (1, 1)
    # One place names the model: settings, handed on to the (Django-free) extraction package.
    assert os.environ["SPACY_MODEL"] == settings.SPACY_MODEL


def test_transient_error_is_retried_then_fails_after_the_cap(rich_interview, monkeypatch):
    calls = []

    def flaky(**_kwargs):
        calls.append(1)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("insights.extraction.extract", flaky)
    result = extract_interview.apply(args=[rich_interview.pk])
    assert result.failed()
    assert len(calls) == extract_interview.max_retries + 1
    rich_interview.refresh_from_db()
    assert rich_interview.status == "failed" and "OperationalError" in rich_interview.status_error


def test_transient_error_then_success(rich_interview, monkeypatch):
    from insights import extraction

    real = extraction.extract
    calls = []

    def once_flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("could not connect")
        return real(**kwargs)

    monkeypatch.setattr("insights.extraction.extract", once_flaky)
    assert extract_interview.apply(args=[rich_interview.pk]).get() == "done"
    assert len(calls) == 2


def test_saving_text_enqueues_on_commit_only(segment, django_capture_on_commit_callbacks):
    from interviews import services as capture

    interview = InterviewFactory(segment=segment)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        capture.interview_update(interview=interview, answers={"risk": "We could lose our licence."})
    assert len(callbacks) == 2  # the extraction, then (once it commits) the segment's regrouping
    interview.refresh_from_db()
    assert interview.status == "done"
    assert Mention.objects.filter(interview=interview, kind="pain", theme__isnull=False).exists()
    with django_capture_on_commit_callbacks() as callbacks:
        capture.interview_update(interview=interview, answers={"risk": "We could lose our licence."})
    assert callbacks == []  # unchanged text: nothing to redo
