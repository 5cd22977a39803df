import pytest
from rest_framework.test import APIClient

from tests.factories import InterviewFactory, SegmentFactory, UserFactory, WorkspaceFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    # Lockout counts and API throttles are kept in the cache: no test inherits another's.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def workspace(user):
    ws = WorkspaceFactory()
    ws.members.add(user, through_defaults={"role": "admin"})
    return ws


@pytest.fixture
def segment(workspace):
    return SegmentFactory(workspace=workspace)


@pytest.fixture
def interview(segment):
    return InterviewFactory(segment=segment)


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def web(client, user):
    client.force_login(user)
    return client
