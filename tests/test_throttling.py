"""Guessing is slow: log-ins (web and admin) lock out after a few failures, with a clear message,
and so do invalid API tokens; API use is throttled per token (issue 14, item 10)."""

import pytest
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def member(db):
    user = UserFactory(username="alice", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, url, password, username="alice", ip="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("url", ["/login/", "/admin/login/"])
def test_after_five_wrong_passwords_even_the_right_one_is_refused_with_a_clear_message(client, member, url):
    for _ in range(4):
        response = log_in(client, url, "wrong")
        assert response.status_code == 200 and "Too many" not in response.content.decode()
    fifth = log_in(client, url, "wrong")
    assert fifth.status_code == 429
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in fifth.content.decode()
    right = log_in(client, url, PASSWORD)
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    # Another address does not help: the account is locked, not the address.
    assert log_in(client, url, PASSWORD, ip="10.9.9.9").status_code == 429


def test_the_lockout_ends(client, member, settings):
    settings.SIFT_LOGIN_LOCKOUT_SECONDS = 1
    for _ in range(5):
        log_in(client, "/login/", "wrong")
    assert log_in(client, "/login/", PASSWORD).status_code == 429
    from django.core.cache import cache

    cache.clear()  # what the lockout's expiry does; no sleeping in tests
    response = log_in(client, "/login/", PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(member.pk)


def test_a_good_log_in_forgets_earlier_typos(client, member):
    for _ in range(4):
        log_in(client, "/login/", "wrong")
    assert log_in(client, "/login/", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, "/login/", "wrong").status_code == 200
    assert log_in(client, "/login/", PASSWORD).status_code == 302


def test_one_address_spraying_many_usernames_is_locked_out(client, member, settings):
    settings.SIFT_LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for n in range(6):
        log_in(client, "/login/", "wrong", username=f"user{n}", ip="10.6.6.6")
    assert log_in(client, "/login/", PASSWORD, ip="10.6.6.6").status_code == 429
    assert log_in(client, "/login/", PASSWORD, ip="10.7.7.7").status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_the_one_counted(client, member, settings):
    settings.SIFT_NUM_PROXIES = 1
    settings.SIFT_LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        client.post(
            "/login/",
            {"username": f"user{n}", "password": "x"},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    other_client = {"REMOTE_ADDR": "10.0.0.254", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    response = client.post("/login/", {"username": "alice", "password": PASSWORD}, **other_client)
    assert response.status_code == 302  # the proxy's address was not locked for everyone


def test_invalid_api_tokens_lock_the_address_out(member, settings):
    settings.SIFT_LOGIN_ADDRESS_FAILURE_LIMIT = 5
    token = Token.objects.create(user=member)
    api = APIClient(REMOTE_ADDR="10.1.1.1")
    for n in range(5):
        api.credentials(HTTP_AUTHORIZATION=f"Token {n:040d}")
        assert api.get("/api/segments/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    locked = api.get("/api/segments/")
    assert locked.status_code == 429
    assert locked.json()["detail"] == "Too many invalid API tokens from this address. Try again in 15 minutes."
    assert int(locked["Retry-After"]) > 0
    elsewhere = APIClient(REMOTE_ADDR="10.2.2.2")
    elsewhere.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert elsewhere.get("/api/segments/").status_code == 200


def test_api_use_is_throttled_per_token(member):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "user": "3/minute"}
    token = Token.objects.create(user=member)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with override_settings(REST_FRAMEWORK={**_rest_framework(), "DEFAULT_THROTTLE_RATES": rates}):
        assert [api.get("/api/segments/").status_code for _ in range(3)] == [200, 200, 200]
        throttled = api.get("/api/segments/")
        assert throttled.status_code == 429 and "Retry-After" in throttled
        other = APIClient()
        other.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=UserFactory()).key}")
        assert other.get("/api/segments/").status_code == 200  # per token's user, not global


def _rest_framework():
    from django.conf import settings

    return settings.REST_FRAMEWORK
