import pytest
from rest_framework.test import APIClient

from insights.models import Mention
from interviews.models import Interview
from tests.factories import SegmentFactory, UserFactory, WorkspaceFactory
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


def test_interview_posted_through_api_is_extracted_by_a_real_worker(celery_worker_process):
    user = UserFactory()
    workspace = WorkspaceFactory()
    workspace.members.add(user)
    segment = SegmentFactory(workspace=workspace)
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(
        "/api/interviews/",
        {
            "segment": segment.slug,
            "participant": {"name": "Rosa", "usage": "nothing"},
            "answers": {
                "whats_broken": "Month-end reconciliation is a nightmare and we keep missing errors.",
                "current_solution": "We export everything into a spreadsheet and check it by hand.",
                "time_spent": "About 6 hours a week.",
                "willingness_to_pay": "Maybe $300 a month.",
            },
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["pk"]

    def finished() -> bool:
        return Interview.objects.get(pk=pk).status in ("done", "failed")

    assert wait_for(finished), "the worker never finished the interview"
    interview = Interview.objects.get(pk=pk)
    assert interview.status == "done", interview.status_error
    kinds = set(Mention.objects.filter(interview=interview).values_list("kind", flat=True))
    assert {"pain", "workaround", "time", "wtp"} <= kinds

    # The worker then regroups the segment's themes, on the same private queue.
    def themed() -> bool:
        return not Mention.objects.filter(interview=interview, kind="pain", theme__isnull=True).exists()

    assert wait_for(themed, timeout=30)
