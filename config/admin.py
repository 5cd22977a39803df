"""The admin site: Django's, with its object shortcut scoped like every admin list."""

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver

from config.auth import LimitedAdminAuthenticationForm, locked_out_status


class SiftAdminSite(admin.AdminSite):
    site_header = "Sift admin"
    site_title = "Sift admin"
    # The same lockout as the web log-in: the admin is no side door for guessing passwords.
    login_form = LimitedAdminAuthenticationForm

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return locked_out_status(super().login(request, extra_context))

    def get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super().get_urls()
        for pattern in urls:
            if getattr(pattern, "name", None) == "view_on_site":
                pattern.callback = self.admin_view(self.view_on_site)  # type: ignore[union-attr]
        return urls

    def view_on_site(self, request: HttpRequest, content_type_id: str, object_id: str) -> HttpResponse:
        """Django's /admin/r/<type>/<id>/ redirects to any object's page, and so names another
        workspace's segment slug. Here it answers only for objects the user's admin lists hold."""
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ValueError, ContentType.DoesNotExist) as exc:
            raise Http404("No such object.") from exc
        model_admin: Any = self._registry.get(model) if model is not None else None
        try:
            visible = model_admin is not None and model_admin.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, ValidationError):  # an id of the wrong shape names no object
            visible = False
        if not visible:
            raise Http404("No such object.")
        return shortcut(request, content_type_id, object_id)
