"""No door between workspaces, and each role does what it may (issue 14, item 11).

Generated from the URL conf and the admin registry: every route (each format-suffix variant too)
and every registered model is tried as {anonymous, a member of another workspace, each role of
the workspace that owns the rows}. A route or model without an entry in ROUTES / ADMIN_MODELS
fails `test_every_route_and_admin_model_has_an_expectation`, so a new one cannot be forgotten.
"""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token, TokenProxy
from rest_framework.test import APIClient

from insights.models import Mention, ReviewStatus, Theme
from insights.themes import themes_assign
from interviews.models import Interview, Membership, Role, Workspace
from tests.factories import InterviewFactory, ParticipantFactory, SegmentFactory, UserFactory, WorkspaceFactory

SECRET = "Zanzibar-secret"  # in every name of the owning workspace's rows: it must never leak
PRINCIPALS = ("anonymous", "outsider", "pm", "reviewer", "admin")
ROLES = ("pm", "reviewer", "admin")


# --- The routes ---------------------------------------------------------------------------------


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> list[tuple[str, str, list[str]]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue  # the admin is tried through its registry below
            ns = ":".join(filter(None, [namespace, p.namespace or ""]))
            found += _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            name = f"{namespace}:{p.name}" if namespace else p.name
            found.append((name, prefix + str(p.pattern), sorted(p.pattern.regex.groupindex)))
    return found


URLS = _walk(get_resolver().url_patterns)


@dataclass(frozen=True)
class Write:
    method: str
    data: str  # a key of the `payloads` below
    role: str  # the least role that may do it
    created: int = 200


@dataclass(frozen=True)
class Route:
    # "public": anyone; "web": a member (anonymous -> log-in page); "api": a member (anonymous -> 401)
    access: str
    # a POST-only action: a GET is 405 for whoever may reach it
    post_only: bool = False
    # the owning workspace's object the route's `pk` names (slugs always name its segment)
    pk: str = ""
    writes: tuple[Write, ...] = field(default_factory=tuple)


ROUTES: dict[str, Route] = {
    "healthz": Route("public"),
    "login": Route("public"),
    "logout": Route("public"),
    "schema": Route("public"),  # the API's description, no data
    "swagger-ui": Route("public"),
    "api-root": Route("api"),
    "segment-matrix": Route("api"),
    "segment-list": Route("api"),
    "segment-detail": Route("api", writes=(Write("patch", "segment", Role.PM),)),
    "interview-list": Route("api", writes=(Write("post", "interview", Role.PM, created=201),)),
    "interview-detail": Route("api", pk="interview", writes=(Write("patch", "interview_edit", Role.PM),)),
    "mention-list": Route("api"),
    "mention-review": Route("api", post_only=True, writes=(Write("post", "review", Role.REVIEWER),)),
    "mention-detail": Route("api", pk="mention", writes=(Write("patch", "severity", Role.REVIEWER),)),
    "theme-list": Route("api"),
    "theme-split": Route("api", post_only=True, writes=(Write("post", "split", Role.REVIEWER, created=201),)),
    "theme-detail": Route("api", pk="theme", writes=(Write("patch", "rename", Role.REVIEWER),)),
    "theme-merge": Route("api", pk="theme", post_only=True, writes=(Write("post", "merge", Role.REVIEWER),)),
    "interviews:home": Route("web"),
    "interviews:segment_create": Route("web"),
    "interviews:segment_detail": Route("web"),
    "interviews:segment_edit": Route("web"),
    "interviews:interview_create": Route("web"),
    "interviews:transcript_upload": Route("web"),
    "interviews:interview_detail": Route("web", pk="interview"),
    "insights:matrix": Route("web"),
    "insights:matrix_export": Route("web"),
    "insights:saturation": Route("web"),
    "insights:pricing": Route("web"),
    "insights:assessment": Route("web"),
    "insights:compare": Route("web"),
    "insights:prd": Route("web"),
}

# Registered admin models: the owning workspace's object, and the least role that may change it
# (None: nobody but a superuser or the row's own user).
ADMIN_MODELS: dict[str, tuple[str, str | None]] = {
    "interviews.Workspace": ("workspace", Role.ADMIN),
    "interviews.Segment": ("segment", Role.PM),
    "interviews.Participant": ("participant", Role.PM),
    "interviews.Interview": ("interview", Role.PM),
    "insights.Mention": ("mention", Role.REVIEWER),
    "insights.Theme": ("theme", Role.REVIEWER),
    "authtoken.TokenProxy": ("token", None),
    "auth.User": ("admin_user", None),
    "auth.Group": ("", None),
}


# Admin URLs beyond each registered model's changelist, add, change, delete and history, and the
# test that covers each: a new custom admin view must be listed (and tried) here.
ADMIN_EXTRA_URLS = {
    "index": "test_admin_site_pages",
    "app_list": "test_admin_site_pages",
    "login": "test_admin_site_pages",
    "logout": "django's own",
    "password_change": "django's own (the signed-in user's password)",
    "password_change_done": "django's own",
    "jsi18n": "django's own (translations, no data)",
    "autocomplete": "test_admin_autocomplete_is_scoped",
    "view_on_site": "tests/interviews/test_admin.py (scoped to the user's lists)",
    "auth_user_password_change": "django's own (auth.change_user, which members do not have)",
    "insights_mention_review_one": "test_admin_review_one",
}


def _admin_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns)
            elif p.name:
                names.add(p.name)

    walk(admin.site.urls[0])
    standard = {
        f"{model._meta.app_label}_{model._meta.model_name}_{view}"
        for model in admin.site._registry
        for view in ("changelist", "add", "change", "delete", "history")
    }
    return names - standard


def test_every_route_and_admin_model_has_an_expectation():
    assert _admin_url_names() - set(ADMIN_EXTRA_URLS) == set(), "new admin views: add them to ADMIN_EXTRA_URLS"
    routes = {name for name, _route, _params in URLS}
    assert routes - set(ROUTES) == set(), "new routes: say who may use them in ROUTES"
    models = {model._meta.label for model in admin.site._registry}
    assert models - set(ADMIN_MODELS) == set(), "new admin models: add them to ADMIN_MODELS"
    assert set(ROUTES) - routes == set() and set(ADMIN_MODELS) - models == set()  # no stale entries


# --- The world: our workspace with one member of each role, and an outsider's workspace ----------


@pytest.fixture
def world(db) -> dict[str, Any]:
    theirs = WorkspaceFactory(name=f"Theirs {SECRET}")
    users = {role: UserFactory(username=f"member-{role}", is_staff=True) for role in ROLES}
    for role, user in users.items():
        Membership.objects.create(workspace=theirs, user=user, role=role)
    ours = WorkspaceFactory(name="Outsiders Inc")
    outsider = UserFactory(username="outsider", is_staff=True)
    Membership.objects.create(workspace=ours, user=outsider, role=Role.ADMIN)  # every power, elsewhere
    SegmentFactory(workspace=ours, name="Outsider segment", slug="outsider-segment")
    perms = Permission.objects.filter(content_type__app_label__in=["interviews", "insights", "authtoken"])
    for user in [*users.values(), outsider]:
        user.user_permissions.add(*perms)
    segment = SegmentFactory(workspace=theirs, name=f"Segment {SECRET}", slug=f"seg-{SECRET.lower()}")
    participant = ParticipantFactory(workspace=theirs, name=f"Person {SECRET}")
    interview = InterviewFactory(segment=segment, participant=participant, external_id=f"int-{SECRET}", status="done")
    mentions = []
    for key, start in (("reporting", 0), ("board-pack", 5)):
        m = Mention.objects.create(
            interview=interview,
            kind="pain",
            field="whats_broken",
            start=start,
            end=start + 10,
            quote=interview.whats_broken[start : start + 10],
            proposed_theme_key=key,
            severity="medium",
        )
        mentions.append(m)
    themes_assign(segment=segment, mentions=mentions)
    themes = list(Theme.objects.filter(segment=segment).order_by("pk"))
    Theme.objects.filter(pk=themes[0].pk).update(name=f"Theme {SECRET}")
    return {
        "workspace": theirs,
        "users": {**users, "outsider": outsider},
        "segment": segment,
        "participant": participant,
        "interview": interview,
        "mention": mentions[0],
        "mentions": mentions,
        "theme": themes[0],
        "themes": themes,
        "token": TokenProxy.objects.get(pk=Token.objects.create(user=users["admin"]).pk),
        "admin_user": users["admin"],
    }


def payloads(world: dict[str, Any]) -> dict[str, dict]:
    return {
        "segment": {"description": "changed"},
        "interview": {
            "segment": world["segment"].slug,
            "participant": {"name": "New person", "usage": "nothing"},
            "answers": {"whats_broken": "Chasing invoices takes a day every week and we still miss some."},
        },
        "interview_edit": {"notes": "A note from the call."},
        "review": {"ids": [world["mention"].pk], "status": ReviewStatus.ACCEPTED},
        "severity": {"severity": "high"},
        "split": {"mentions": [world["mention"].pk], "name": "Split out"},
        "rename": {"name": "Renamed"},
        "merge": {"sources": [world["themes"][1].pk]},
    }


def client_for(principal: str, world: dict[str, Any]) -> APIClient:
    client = APIClient()
    if principal != "anonymous":
        client.force_login(world["users"][principal])
    return client


def url_for(name: str, params: list[str], route: Route, world: dict[str, Any]) -> str:
    kwargs: dict[str, Any] = {}
    for param in params:
        if param == "slug":
            kwargs["slug"] = world["segment"].slug
        elif param == "pk":
            kwargs["pk"] = world[route.pk].pk
        elif param == "format":
            kwargs["format"] = "json"
    return reverse(name, kwargs=kwargs)


CASES = [(name, pattern, params) for name, pattern, params in URLS]


def _id(case: tuple[str, str, list[str]]) -> str:
    return f"{case[0]}:{case[1]}"


# --- Reads ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_reads(case, principal, world):
    name, _pattern, params = case
    assert name in ROUTES, f"{name}: say who may use it in ROUTES"
    route = ROUTES[name]
    url = url_for(name, params, route, world)
    response = client_for(principal, world).get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code < 500, (url, principal, body[:500])
    if route.access == "public":
        assert response.status_code in (200, 302, 405)
        assert SECRET.encode() not in body or principal in ROLES
        return
    if principal == "anonymous":
        if route.access == "web":
            assert response.status_code == 302 and "/login/" in response["Location"]
        else:
            assert response.status_code in (401, 403)
        return
    if route.post_only:
        assert response.status_code == 405 and SECRET.encode() not in body
        return
    names_our_row = "slug" in params or "pk" in params
    if principal == "outsider":
        if names_our_row:
            assert response.status_code == 404, (url, response.status_code)
        else:
            assert response.status_code == 200, (url, response.status_code)
        assert SECRET.encode() not in body, (url, body[:500])
        return
    # A member of the owning workspace, whatever the role, reads everything in it.
    assert response.status_code == 200, (url, principal, response.status_code, body[:300])


# --- Writes --------------------------------------------------------------------------------------

WRITE_CASES = [
    (name, pattern, params, write)
    for name, pattern, params in URLS
    if "format" not in params  # one variant of each write is enough; reads try them all
    for write in (ROUTES[name].writes if name in ROUTES else ())  # an unlisted route fails the test above
]


def _fingerprint(world: dict[str, Any]) -> tuple:
    """What any of the writes would change in the owning workspace."""
    return (
        Interview.objects.filter(segment__workspace=world["workspace"]).count(),
        tuple(Interview.objects.filter(segment__workspace=world["workspace"]).values_list("notes", flat=True)),
        tuple(Mention.objects.order_by("pk").values_list("review_status", "severity", "theme_id")),
        tuple(Theme.objects.order_by("pk").values_list("name", "merged_into_id")),
        tuple(Workspace.objects.filter(pk=world["workspace"].pk).values_list("segments__description", flat=True)),
    )


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("case", WRITE_CASES, ids=[f"{c[0]}:{c[3].method}" for c in WRITE_CASES])
def test_writes(case, principal, world):
    name, _pattern, params, write = case
    url = url_for(name, params, ROUTES[name], world)
    before = _fingerprint(world)
    data = payloads(world)[write.data]
    response = getattr(client_for(principal, world), write.method)(url, data, format="json")
    assert response.status_code < 500, (url, principal, response.content[:500])
    allowed = principal in ROLES and ROLES.index(principal) >= ROLES.index(write.role)
    if allowed:
        assert response.status_code == write.created, (url, principal, response.content[:500])
        assert _fingerprint(world) != before
        return
    if principal == "anonymous":
        assert response.status_code in (401, 403)
    elif principal == "outsider":
        assert response.status_code in (400, 404), (url, response.status_code, response.content[:300])
    else:
        assert response.status_code == 403, (url, principal, response.status_code, response.content[:300])
        assert "role" in response.json()["detail"]
    assert SECRET.encode() not in response.content
    assert _fingerprint(world) == before  # refused writes change nothing


# --- The admin, from its registry ----------------------------------------------------------------

ADMIN_CASES = sorted(model._meta.label for model in admin.site._registry)


def _admin_url(label: str, view: str, *args: Any) -> str:
    app_label, model = label.lower().split(".")
    return reverse(f"admin:{app_label}_{model}_{view}", args=args)


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("label", ADMIN_CASES)
def test_admin(label, principal, world, client):
    key, change_role = ADMIN_MODELS[label]
    if principal != "anonymous":
        client.force_login(world["users"][principal])
    changelist = client.get(_admin_url(label, "changelist"))
    if principal == "anonymous":
        assert changelist.status_code == 302 and "/admin/login/" in changelist["Location"]
        return
    assert changelist.status_code in (200, 403)
    if principal == "outsider" or change_role is None:
        assert SECRET.encode() not in changelist.content, (label, principal)
    if not key:
        return
    obj = world[key]
    change = client.get(_admin_url(label, "change", obj.pk))
    if principal == "outsider":
        # Not in the user's lists: the admin says it does not exist (a redirect), or 403 without perms.
        assert change.status_code in (302, 403, 404)
        assert SECRET.encode() not in change.content
        post = client.post(_admin_url(label, "change", obj.pk), {"name": "Taken over"})
        assert post.status_code in (302, 403, 404)
        return
    if change_role is None:
        return  # users and tokens: django's and DRF's own admins, scoped to the user's own token
    assert change.status_code == 200, (label, principal, change.status_code)
    may_change = ROLES.index(principal) >= ROLES.index(change_role)
    # The change form is editable only for roles that may change the row; others see it read-only.
    editable = b'type="submit"' in change.content and b'name="_save"' in change.content
    assert editable == may_change, (label, principal)
    if not may_change:
        assert client.post(_admin_url(label, "change", obj.pk), {"name": "Taken over"}).status_code == 403


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_admin_review_one(principal, world, client):
    mention = world["mention"]
    if principal != "anonymous":
        client.force_login(world["users"][principal])
    url = reverse("admin:insights_mention_review_one", args=[mention.pk, ReviewStatus.ACCEPTED])
    response = client.post(url)
    mention.refresh_from_db()
    if principal in ("reviewer", "admin"):
        assert response.status_code == 302 and mention.review_status == ReviewStatus.ACCEPTED
        return
    assert mention.review_status == ReviewStatus.UNREVIEWED
    if principal == "anonymous":
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    elif principal == "outsider":
        assert response.status_code == 404  # a reviewer elsewhere: not in their lists
    else:
        assert response.status_code == 403  # a PM of the workspace


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_admin_site_pages(principal, world, client):
    if principal != "anonymous":
        client.force_login(world["users"][principal])
    for url in (reverse("admin:index"), reverse("admin:app_list", args=["interviews"]), reverse("admin:login")):
        response = client.get(url)
        assert response.status_code in (200, 302)
        if principal == "outsider":
            assert SECRET.encode() not in response.content


def test_admin_autocomplete_is_scoped(world, client):
    client.force_login(world["users"]["outsider"])
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "interviews", "model_name": "interview", "field_name": "participant", "term": "Person"},
    )
    assert response.status_code == 200
    assert SECRET.encode() not in response.content
