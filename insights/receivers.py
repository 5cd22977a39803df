"""Synthesis listening to capture (interviews.signals); connected in InsightsConfig.ready()."""

from typing import Any

from insights.selectors import interview_highlights
from insights.services import segment_regroup
from insights.tasks import enqueue_extraction
from interviews.models import Interview


def extract_changed_interview(*, interview_id: int, **_kwargs: Any) -> None:
    enqueue_extraction(interview_id=interview_id)


def regroup_settled_segment(*, segment_id: int, **_kwargs: Any) -> None:
    # The caller waited for every extraction: one regroup now, so its next export sees the final
    # themes whatever is still queued.
    segment_regroup(segment_id=segment_id)


def interview_page_highlights(*, interview: Interview, sections: list[dict[str, Any]], **_kwargs: Any) -> dict:
    return interview_highlights(interview=interview, sections=sections)
