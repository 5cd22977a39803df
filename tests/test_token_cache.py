"""API tokens are kept in the cache briefly (config.auth), and revoking one takes effect at once:
deleting or rotating the token, deactivating or deleting its user, on the very next request."""

import pickle

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token, TokenProxy
from rest_framework.test import APIClient

from config.auth import token_cache_key
from tests.factories import UserFactory


@pytest.fixture
def token(db):
    return Token.objects.create(user=UserFactory())


def get(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/segments/").status_code


def token_queries(key: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert get(key) == 200
    return [q["sql"] for q in ctx.captured_queries if "authtoken_token" in q["sql"]]


def test_a_token_is_read_from_the_database_once_then_from_the_cache(token):
    assert len(token_queries(token.key)) == 1
    assert token_queries(token.key) == []


def test_the_request_has_the_tokens_user_and_the_token(token):
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from config.auth import LimitedTokenAuthentication

    request = Request(APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {token.key}"))
    first = LimitedTokenAuthentication().authenticate(request)
    cached = LimitedTokenAuthentication().authenticate(request)
    assert first is not None and cached is not None
    user, auth = cached
    assert user == token.user and user.username == token.user.username and user.is_active
    assert auth == token and auth.user is user and auth.created == token.created
    assert user.password == token.user.password  # not cached: read from the database when asked


def test_the_cache_holds_no_token_and_no_password_hash(token):
    assert get(token.key) == 200
    stored = cache.get(token_cache_key(token.key))
    assert stored is not None
    raw = pickle.dumps(stored)
    assert token.key.encode() not in raw
    assert token.user.password.encode() not in raw
    assert token.key not in token_cache_key(token.key)


@pytest.mark.parametrize(
    "revoke",
    [
        lambda token: token.delete(),
        lambda token: Token.objects.filter(user=token.user).delete(),
        lambda token: TokenProxy.objects.get(key=token.key).delete(),  # the admin's delete
        lambda token: TokenProxy.objects.filter(key=token.key).delete(),  # the admin's bulk delete
        lambda token: token.user.delete(),
    ],
    ids=["token", "queryset", "admin", "admin-bulk", "user-deleted"],
)
def test_a_revoked_token_is_refused_on_the_next_request(token, revoke):
    assert get(token.key) == 200  # now cached
    revoke(token)
    assert get(token.key) == 401


def test_a_rotated_token_is_refused_and_the_new_one_accepted(token):
    assert get(token.key) == 200
    call_command("drf_create_token", "-r", token.user.username, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert get(token.key) == 401
    assert get(Token.objects.get(user=token.user).key) == 200


def test_a_deactivated_user_is_refused_on_the_next_request(token):
    assert get(token.key) == 200
    token.user.is_active = False
    token.user.save()
    assert get(token.key) == 401


def test_a_token_given_to_another_user_acts_as_that_user_on_the_next_request(token):
    assert get(token.key) == 200
    other = UserFactory()
    proxy = TokenProxy.objects.get(key=token.key)  # as the admin's change form saves it
    proxy.user = other
    proxy.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/segments/").wsgi_request.user == other


def test_a_changed_user_is_read_again(token):
    assert get(token.key) == 200
    token.user.is_staff = True
    token.user.save()
    assert len(token_queries(token.key)) == 1


def test_a_request_that_cached_the_token_before_its_deletion_committed_is_forgotten_at_the_commit(
    token, django_capture_on_commit_callbacks
):
    key = token.key
    assert get(key) == 200
    stale = cache.get(token_cache_key(key))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        token.delete()
        # Another request, which read the token before the delete committed, caches it again.
        cache.set(token_cache_key(key), stale)
    assert get(key) == 401


def test_an_inactive_users_token_is_refused_and_not_cached(db):
    token = Token.objects.create(user=UserFactory(is_active=False))
    assert get(token.key) == 401
    assert cache.get(token_cache_key(token.key)) is None


def test_the_cache_can_be_turned_off(token, settings):
    settings.SIFT_API_TOKEN_CACHE_SECONDS = 0
    assert get(token.key) == 200
    assert len(token_queries(token.key)) == 1
    # A write around the model signals then takes effect at once too.
    type(token.user).objects.filter(pk=token.user.pk).update(is_active=False)
    assert get(token.key) == 401


def test_the_entry_expires_after_the_configured_time(token, settings, monkeypatch):
    # Bounds a change made around Django's signals (SQL, a queryset update()).
    settings.SIFT_API_TOKEN_CACHE_SECONDS = 17
    timeouts = {}
    real_set = cache.set

    def recording_set(key, value, timeout=None):
        timeouts[key] = timeout
        real_set(key, value, timeout)

    monkeypatch.setattr(cache, "set", recording_set)
    assert get(token.key) == 200
    assert timeouts[token_cache_key(token.key)] == 17
