"""Sign-in with a lockout (web and admin), and the API's token authentication and throttles."""

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpResponse
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from config import lockout

LOGIN = "login"
TOKEN = "token"


class LockoutMixin:
    """Refuses a locked-out username or address before checking the password, and counts failures."""

    request: Any
    cleaned_data: dict[str, Any]
    locked = False

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = lockout.client_ip(self.request)
        self._refuse_if_locked(username, ip)
        try:
            cleaned = super().clean()  # type: ignore[misc]
        except ValidationError as exc:
            if getattr(exc, "code", None) == "invalid_login":
                lockout.record_failure(LOGIN, username=username, ip=ip)
                self._refuse_if_locked(username, ip)  # this failure was the last one allowed
            raise
        lockout.record_success(LOGIN, username=username, ip=ip)
        return cleaned

    def _refuse_if_locked(self, username: str, ip: str) -> None:
        wait = lockout.locked_for(LOGIN, username=username, ip=ip)
        if wait:
            self.locked = True
            raise ValidationError(lockout.wait_message(wait), code="locked")


class LimitedAuthenticationForm(LockoutMixin, AuthenticationForm):
    pass


class LimitedAdminAuthenticationForm(LockoutMixin, AdminAuthenticationForm):
    pass


def locked_out_status(response: HttpResponse) -> HttpResponse:
    """A locked-out log-in page answers 429 Too Many Requests (the form says until when)."""
    form = (getattr(response, "context_data", None) or {}).get("form")
    if getattr(form, "locked", False):
        response.status_code = 429
    return response


class LoginView(auth_views.LoginView):
    authentication_form = LimitedAuthenticationForm

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        return locked_out_status(super().post(request, *args, **kwargs))


class LimitedTokenAuthentication(TokenAuthentication):
    """Token authentication that locks an address out after too many invalid tokens."""

    def authenticate(self, request: Request) -> Any:
        if not self.keyword_in(request):
            return None
        ip = lockout.client_ip(request._request)
        wait = lockout.locked_for(TOKEN, ip=ip)
        if wait:
            locked = exceptions.Throttled(
                detail=lockout.wait_message(wait, what="Too many invalid API tokens from this address")
            )
            locked.wait = wait  # type: ignore[attr-defined]  # Retry-After, without DRF's own "Expected available in…" sentence
            raise locked
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            lockout.record_failure(TOKEN, ip=ip)
            raise

    def keyword_in(self, request: Request) -> bool:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        return header.split(" ", 1)[0].lower() == self.keyword.lower()

    def authenticate_credentials(self, key: str) -> tuple[AbstractBaseUser, Token]:
        # Only a valid token of an active user is cached (DRF's checks run on a miss): an invalid
        # one always reaches the database, and the lockout counts it.
        seconds = settings.SIFT_API_TOKEN_CACHE_SECONDS
        cached = cache.get(token_cache_key(key)) if seconds else None
        if cached is not None:
            return _from_cache(key, cached)
        user, token = super().authenticate_credentials(key)
        if seconds:
            cache.set(token_cache_key(key), _for_cache(token), timeout=seconds)
        return user, token


# An API request's token and user are kept in the cache for SIFT_API_TOKEN_CACHE_SECONDS: looking
# them up in the database (the SQL built anew every time) was 8% of a POST's Python calls.
# Deleting or rotating a token, and saving or deleting its user (deactivating it, say), forget the
# entry at once (the receivers below, connected in config.apps); a write that goes around the
# model signals (a queryset update(), SQL) takes effect when the entry expires.


def token_cache_key(key: str) -> str:
    # A digest, not the key: the cache's key names are no list of working tokens.
    return f"sift:api-token:{hashlib.sha256(key.encode()).hexdigest()}"


def _for_cache(token: Token) -> dict[str, Any]:
    # The user's row without its password hash (and without what select_related attached to it,
    # the token itself): nothing in the cache signs anyone in.
    user = token.user
    row = {f.attname: getattr(user, f.attname) for f in user._meta.concrete_fields if f.attname != "password"}
    return {"created": token.created, "user": row}


def _from_cache(key: str, cached: dict[str, Any]) -> tuple[AbstractBaseUser, Token]:
    # from_db builds the instances as a query would: saved rows, the password left deferred (read
    # from the database if anything asks for it).
    user_model = get_user_model()
    row = cached["user"]
    names = [f.attname for f in user_model._meta.concrete_fields if f.attname in row]
    user = user_model.from_db(DEFAULT_DB_ALIAS, names, [row[name] for name in names])
    token = Token.from_db(DEFAULT_DB_ALIAS, ["key", "user_id", "created"], [key, user.pk, cached["created"]])
    token.user = user
    return user, token


def token_forget(*, keys: list[str]) -> None:
    """Drop these tokens' cache entries now, and again when the caller's transaction commits: a
    request that read a token before its deletion committed may have cached it in between. (One
    that read it before the commit and writes the cache only after this second drop, a window of
    its own round trip, is bounded by SIFT_API_TOKEN_CACHE_SECONDS.)"""
    cache_keys = [token_cache_key(key) for key in keys]
    if cache_keys:
        cache.delete_many(cache_keys)
        transaction.on_commit(lambda: cache.delete_many(cache_keys), robust=True)


def on_token_saved_or_deleted(*, instance: Token, **_kwargs: Any) -> None:
    token_forget(keys=[instance.key])


def on_user_saved(*, instance: AbstractBaseUser, **_kwargs: Any) -> None:
    # A deleted user's tokens are deleted with it (and forgotten as tokens); a saved one may have
    # been deactivated or lost its staff or superuser flag, which a cached copy would still carry.
    token_forget(keys=list(Token.objects.filter(user_id=instance.pk).values_list("key", flat=True)))


def _rate(scope: str | None) -> str | None:
    # DRF binds its throttle rates when the module loads; read per request instead, so the rates
    # come from the settings in force (the environment, or a test's override).
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope or "")
    return None if rate is None else str(rate)


class AnonThrottle(AnonRateThrottle):
    def get_rate(self) -> str | None:
        return _rate(self.scope)


class UserThrottle(UserRateThrottle):
    def get_rate(self) -> str | None:
        return _rate(self.scope)
