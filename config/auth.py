"""Sign-in with a lockout (web and admin), and the API's token authentication and throttles."""

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
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
