"""Headless Chromium from the system (Debian's package), never a downloaded browser; the demo segment
logged in as a PM (`demo_page`) and full-page screenshots into the run's artifacts, for every browser test."""

import os
import shutil

import pytest
from django.core.management import call_command

from tests.factories import UserFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in the test thread; the live server's database work is
# still synchronous, so Django's async guard would only get in the way here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must have Chromium at {CHROMIUM} (.ci/run installs it)")
        pytest.skip("no Chromium installed (apt-get install chromium); CI always runs these")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def demo_page(page, live_server, transactional_db):
    call_command("load_demo", stdout=None)
    UserFactory(username="pm")
    from interviews.models import Workspace

    Workspace.objects.get(name="Demo workspace").members.add(*UserFactory._meta.model.objects.filter(username="pm"))
    outside: list[str] = []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(live_server.url)
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "pm")
    page.fill("#id_password", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    yield page
    assert outside == [], f"the pages asked for something outside the server: {outside}"


def screenshot(page, output_path: str, name: str) -> None:
    """The whole page, into this test's artifacts folder."""
    os.makedirs(output_path, exist_ok=True)
    page.screenshot(path=os.path.join(output_path, name), full_page=True)
