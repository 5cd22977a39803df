"""No route echoes markup as HTML (issue 14, item 9).

The routes come from the URL conf, so a new one is swept without anyone remembering it; the
parameters of each come from what its view reads: a probe request records every key looked up in
`request.GET`, `request.POST` (forms, DRF serializers and filters read them the same way) and
DRF's parsed JSON, and each is then sent the markup, alone, all together and beside plausible values
that get a request past the first check to the later ones. Path parameters whose pattern accepts the
markup get it too. The stored side: every name and text a person types holds the same markup.

An HTML response must never hold the markup raw; every response says `nosniff` (so a browser keeps
`text/plain` and JSON errors as text) and none is a 5xx.
"""

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils.datastructures import MultiValueDict
from rest_framework.authtoken.models import Token
from rest_framework.parsers import JSONParser

from insights.models import MentionKind, Severity
from interviews.models import Interview, Participant, Segment
from tests.factories import InterviewFactory, ParticipantFactory, SegmentFactory, WorkspaceFactory
from tests.insights.factories import MentionFactory, ThemeFactory

# No slash or dot, so DRF's `[^/.]+` and Django's `<path:>` path parameters take it as well.
MARKUP = "\"'><svg onload=alert(1)>"
# Values that get a request past its first check (a known format, the mentions export) to the later ones.
PLAUSIBLE = {"format": "csv", "mentions": "1"}
ROUNDS = 3  # new parameters turn up behind earlier ones (`kind` is read once `mentions` is yes)


# --- which keys a view reads ---------------------------------------------------------------------


class _Reads:
    keys: set[str] | None = None

    @classmethod
    def note(cls, key: Any) -> None:
        if cls.keys is not None and isinstance(key, str):
            cls.keys.add(key)


class _RecordingDict(dict):
    """DRF's parsed JSON body, recording the keys a serializer looks up."""

    def get(self, key: Any, default: Any = None) -> Any:
        _Reads.note(key)
        return super().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        _Reads.note(key)
        return super().__getitem__(key)

    def __contains__(self, key: Any) -> bool:
        _Reads.note(key)
        return super().__contains__(key)


@pytest.fixture
def recording(monkeypatch):
    for name in ("get", "getlist", "__getitem__", "__contains__"):
        original = getattr(MultiValueDict, name)

        def spy(self, key, *args, _original=original, **kwargs):
            _Reads.note(key)
            return _original(self, key, *args, **kwargs)

        monkeypatch.setattr(MultiValueDict, name, spy)
    parse = JSONParser.parse

    def parse_recording(self, *args, **kwargs):
        data = parse(self, *args, **kwargs)
        return _RecordingDict(data) if isinstance(data, dict) else data

    monkeypatch.setattr(JSONParser, "parse", parse_recording)
    return _Reads


# --- the routes ------------------------------------------------------------------------------------


def _patterns(patterns: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, prefix + _regex_of(p))
        else:
            yield prefix + _regex_of(p), p


def _regex_of(p: URLPattern | URLResolver) -> str:
    return p.pattern.regex.pattern.removeprefix("^").removesuffix("$").removesuffix("\\Z")


def _fill(regex: str, values: dict[str, str]) -> str:
    """A path from a pattern's regex: each named group replaced by its value, the rest unescaped."""
    out, i = [], 0
    while i < len(regex):
        if regex.startswith("(?P<", i):
            name = regex[i + 4 : regex.index(">", i)]
            depth, j = 0, i
            while True:
                depth += {"(": 1, ")": -1}.get(regex[j], 0) if regex[j - 1 : j] != "\\" else 0
                j += 1
                if depth == 0:
                    break
            out.append(quote(values[name], safe=""))
            i = j
        elif regex.startswith("/?", i):
            out.append("/")
            i += 2
        elif regex[i] == "\\":
            out.append(regex[i + 1])
            i += 2
        else:
            out.append(regex[i])
            i += 1
    return "/" + "".join(out)


def _model_of(pattern: URLPattern) -> Any:
    callback = pattern.callback
    if hasattr(callback, "model_admin"):
        return callback.model_admin.model
    owner = getattr(getattr(callback, "__wrapped__", None), "__self__", None)  # a ModelAdmin's own extra view
    if hasattr(owner, "model"):
        return owner.model
    cls = getattr(callback, "cls", None)
    serializer = getattr(cls, "serializer_class", None)
    if serializer is not None and hasattr(serializer, "Meta"):
        return serializer.Meta.model
    return {"interview_detail": Interview}.get(pattern.name or "")


def _path_values(name: str, pattern: URLPattern, data: dict[str, Any], regex: str) -> str:
    """A real value for a path parameter, so the view gets past its lookup to what it reads next."""
    model = _model_of(pattern)
    if model is None and (admin_path := re.match(r"admin/(\w+)/(\w+)/", regex)):  # a ModelAdmin's own view
        model = apps.get_model(*admin_path.groups())
    if name == "status":  # the admin's one-click review of a mention
        return "accepted"
    if name == "slug":
        return data["segment"].slug
    if name == "format":
        return "json"
    if name == "app_label":
        return "interviews"
    if name == "url":  # the admin's catch-all
        return "nowhere/"
    if name == "content_type_id":
        return str(ContentType.objects.get_for_model(Segment).pk)
    if name == "object_id" and model is None:  # the admin's view-on-site shortcut
        return str(data["segment"].pk)
    if name in ("pk", "id", "object_id") and model is not None:
        return str(data["objects"][model].pk)
    raise AssertionError(
        f"{pattern.pattern}: no value for path parameter {name!r}; teach tests/test_markup_everywhere.py one"
    )


def routes(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(label, path) for every route: its real path, then one per path parameter that takes the markup."""
    for regex, pattern in _patterns(get_resolver().url_patterns):
        names = list(re.compile(regex).groupindex)
        real = {n: _path_values(n, pattern, data, regex) for n in names}
        path = _fill(regex, real)
        if "format" in real and not re.fullmatch(regex, path[1:]):  # DRF's root takes the suffix with its dot
            real["format"] = ".json"
            path = _fill(regex, real)
        assert resolve(path).func is pattern.callback, f"{regex}: built {path}, which resolves elsewhere"
        yield regex, path
        for n in names:
            variant = _fill(regex, {**real, n: MARKUP})
            try:
                if resolve(variant).func is pattern.callback:
                    yield f"{regex} with {n}=markup", variant
            except Resolver404:  # the converter refuses the markup: nothing of it reaches the view
                continue


# --- the sweep -------------------------------------------------------------------------------------


def _check(label: str, response: Any, sent: str) -> None:
    where = f"{label}: {sent}"
    assert response.status_code < 500, f"{where} -> {response.status_code}"
    assert response.get("X-Content-Type-Options") == "nosniff", f"{where}: no nosniff"
    content_type = response.get("Content-Type", "text/html")
    if "html" in content_type:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert MARKUP.encode() not in body, f"{where} -> {response.status_code} {content_type} echoes the markup"


def _send(client: Client, method: str, path: str, params: dict[str, str], *, html: bool = False) -> Any:
    extra = {"HTTP_ACCEPT": "text/html"} if html else {}
    if method == "get":
        return client.get(path, params, **extra)
    if method == "post":
        return client.post(path, params, **extra)
    if method == "json":
        return client.post(path, json.dumps(params), content_type="application/json", **extra)
    body = urlencode(params)
    return getattr(client, method)(path, body, content_type="application/x-www-form-urlencoded", **extra)


def sweep(client: Client, login: Any, reads: type[_Reads], label: str, path: str) -> int:
    """Every method on `path`, first bare to learn its keys, then with markup in them. Returns requests sent.

    A query string gets the markup in each key on its own as well (views that stop at the first bad
    parameter answer about that one only); a body gets it in every field at once, since a form or a
    serializer answers about all its fields together.
    """
    sent = 0
    methods = ["get", "post"] + (["json", "patch"] if path.startswith("/api/") else [])
    for method in methods:
        tried: set[str] = set()
        variants: list[dict[str, str]] = [{}]
        for _ in range(ROUNDS):
            known: set[str] = set()
            for params in variants:
                login()
                reads.keys = set()
                # Every request in a savepoint: a POST that deletes or moves data leaves the next route its data.
                with transaction.atomic():
                    _check(label, _send(client, method, path, params), f"{method} {params}")
                    if method == "get" and path.startswith("/api/") and len(params) != 1:  # the browsable API
                        _check(label, _send(client, method, path, params, html=True), f"{method} html {params}")
                        sent += 1
                    transaction.set_rollback(True)
                sent += 1
                known |= reads.keys
                reads.keys = None
            new = sorted(known - tried)
            if not new:
                break
            tried |= set(new)
            variants = [{k: MARKUP for k in sorted(tried)}]
            if method == "get":
                plausible = {p: v for p, v in PLAUSIBLE.items() if p in tried}
                variants += [{**plausible, k: MARKUP} for k in new]
    return sent


@pytest.fixture
def stored(db):
    """A workspace whose every typed name and text is markup: themes, segment, participant, answers."""
    user = get_user_model().objects.create_superuser("markup-admin", password="x")
    ws = WorkspaceFactory(name=f"Team {MARKUP}")
    ws.members.add(user)
    Token.objects.create(user=user)
    Group.objects.create(name=MARKUP)
    segment = SegmentFactory(workspace=ws, name=f"Segment {MARKUP}", slug="markup", description=MARKUP)
    participant = ParticipantFactory(workspace=ws, name=MARKUP, company=MARKUP, role=MARKUP)
    text = f"Reporting {MARKUP} takes 4 hours a week."
    interview = InterviewFactory(
        segment=segment, participant=participant, external_id="markup-1", whats_broken=text, notes=MARKUP
    )
    pain = ThemeFactory(segment=segment, key="reporting", name=f"Reporting {MARKUP}")
    ThemeFactory(segment=segment, key="old-reporting", name=MARKUP, merged_into=pain)
    tool = ThemeFactory(segment=segment, kind=MentionKind.WORKAROUND, key="sheet", name=f"Sheet {MARKUP}")
    mention = MentionFactory(
        interview=interview, theme=pain, quote=MARKUP, severity=Severity.HIGH, hours_per_week=4, start=0, end=5
    )
    MentionFactory(interview=interview, kind=MentionKind.WORKAROUND, theme=tool, quote=f"sheet {MARKUP}")
    return {
        "user": user,
        "segment": segment,
        "objects": {Segment: segment, Interview: interview, Participant: participant, type(pain): pain,
                    type(mention): mention, type(ws): ws, type(user): user},
    }  # fmt: skip


def _model_defaults(data: dict[str, Any]) -> None:
    """Models the routes name that the fixture has no row of get their first row."""
    for regex, pattern in _patterns(get_resolver().url_patterns):
        model = _model_of(pattern)
        if model is not None and model not in data["objects"]:
            data["objects"][model] = model.objects.first() or pytest.fail(f"{regex}: no {model.__name__} to open")


@pytest.mark.django_db
def test_no_route_echoes_markup_as_html(client, stored, recording):
    client.raise_request_exception = False  # a 500 fails in _check, naming the route and what was sent
    _model_defaults(stored)
    sent = 0
    for label, path in routes(stored):
        sent += sweep(client, lambda: client.force_login(stored["user"]), recording, label, path)
    print(f"{sent} requests")
    assert sent > 500  # the sweep reached the routes, not just their log-in redirects


@pytest.mark.django_db
def test_no_route_echoes_markup_to_anonymous(client, stored, recording):
    client.raise_request_exception = False
    _model_defaults(stored)
    for label, path in routes(stored):
        sweep(client, client.logout, recording, label, path)


def test_export_errors_are_plain_text(web, segment):
    """The case that was found: `?format=<script>` came back as text/html."""
    response = web.get(f"/segments/{segment.slug}/matrix/export/", {"format": "<script>alert(1)</script>"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "format" in response.content.decode()  # still says what was wrong
