"""The ladder's pages in a real headless browser: Debian's Chromium, driven by Playwright (nothing downloaded).

Screenshots at phone and desktop width are written to test-artifacts/screenshots/ on every run,
so a person can look at the pages without starting anything.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from bot.framework.loader import check_framework_text
from messages.pages import Pages, organisation_site
from tests.app_server import running_ladder
from tests.test_pages import HOSTILE

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NO_BROWSER = "install Debian's chromium to run the browser tests: apt-get install chromium"
REQUIRE_BROWSER = "LADDER_REQUIRE_BROWSER"
"""Set (as .ci/run does) to make a missing browser fail these tests instead of skipping them."""
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


def _need_chromium() -> None:
    """Skip with one clear reason when the browser is missing; fail instead where CI promised it (LADDER_REQUIRE_BROWSER)."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get(REQUIRE_BROWSER):
        pytest.fail(f"{REQUIRE_BROWSER} is set and chromium is missing: apt-get install chromium", pytrace=False)
    pytest.skip(NO_BROWSER)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    _need_chromium()
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        yield launched
        launched.close()


class Watched:
    """A page whose console errors, uncaught exceptions and dialogs (an injected alert()) are recorded."""

    def __init__(self, browser: Browser, viewport: dict[str, int]) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page: Page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on(
            "console",
            lambda message: (
                self.problems.append(f"console {message.type}: {message.text}") if message.type in ("error", "warning") else None
            ),
        )
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("dialog", lambda dialog: (self.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))

    def close(self) -> None:
        self.context.close()


def _shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_browsing_the_ladder_from_the_index_to_a_comparison(browser, fake_slack, tmp_path, width):
    with running_ladder(fake_slack.url, tmp_path, LADDER_PAGES="on") as ladder:
        watched = Watched(browser, PHONE if width == "phone" else DESKTOP)
        page = watched.page
        page.goto(f"{ladder.url}/ladder")
        assert page.locator("h1").inner_text() == "Example Engineering"
        assert page.locator("table th[scope=col]").all_inner_texts()[:2] == ["Individual Contributor", "Management"]
        _shoot(page, f"ladder-{width}")

        page.get_by_role("link", name="Staff Engineer", exact=True).click()
        page.wait_for_url("**/ladder/staff")
        assert page.locator("h1").inner_text() == "Staff Engineer"
        assert page.get_by_role("rowheader", name="Technical depth").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "no sideways scrolling of the page"
        _shoot(page, f"level-{width}")

        page.get_by_role("link", name="What changes from Staff Engineer to Principal Engineer").click()
        page.wait_for_url("**/ladder/compare/staff/principal")
        assert page.locator("h1").inner_text() == "From Staff Engineer to Principal Engineer"
        _shoot(page, f"compare-{width}")

        page.get_by_role("link", name="Example Engineering: the whole ladder").click()
        page.wait_for_url("**/ladder")
        assert watched.problems == []
        watched.close()


def test_hostile_framework_text_shows_as_text_and_runs_nothing(browser, fake_slack, tmp_path):
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(HOSTILE.format(publish="false"))
    with running_ladder(fake_slack.url, tmp_path, LADDER_PAGES="on", LADDER_FRAMEWORK=str(hostile)) as ladder:
        watched = Watched(browser, DESKTOP)
        watched.page.goto(f"{ladder.url}/ladder/one")
        assert watched.page.locator("h1").inner_text() == '"><img src=x onerror=alert(2)> One'
        assert "<script>alert('summary')</script>" in watched.page.locator("main").inner_text()
        assert watched.page.locator("main img, main script").count() == 0
        assert watched.problems == []  # no alert ran, and the strict CSP had nothing to refuse
        watched.close()


def test_the_static_site_works_from_a_file_url(browser, tmp_path):
    from bot.framework.loader import default_framework_path

    site = tmp_path / "site"
    Pages(check_framework_text(default_framework_path().read_text(), "default.yaml").framework).write_site(site)
    watched = Watched(browser, PHONE)
    page = watched.page
    page.goto((site / "index.html").as_uri())
    page.get_by_role("link", name="Senior Engineering Manager").click()
    assert page.url.endswith("/sr_em.html") and page.locator("h1").inner_text() == "Senior Engineering Manager"
    page.get_by_role("link", name="Compare Senior Engineering Manager with Staff Engineer").click()
    assert page.url.endswith("/compare/sr_em/staff.html")
    assert page.locator("h1").inner_text() == "From Senior Engineering Manager to Staff Engineer"
    page.get_by_role("link", name="Example Engineering: the whole ladder").click()
    assert page.url.endswith("/index.html")
    assert watched.problems == []
    watched.close()


def test_without_chromium_the_browser_tests_skip_unless_ci_requires_them(monkeypatch, tmp_path):
    monkeypatch.setattr(f"{__name__}.CHROMIUM", str(tmp_path / "chromium"))
    monkeypatch.delenv(REQUIRE_BROWSER, raising=False)
    with pytest.raises(
        pytest.skip.Exception, match="^install Debian's chromium to run the browser tests: apt-get install chromium$"
    ):
        _need_chromium()
    monkeypatch.setenv(REQUIRE_BROWSER, "1")
    with pytest.raises(pytest.fail.Exception, match="chromium is missing"):
        _need_chromium()


def test_an_address_with_a_trailing_slash_lands_on_the_styled_page(browser, fake_slack, tmp_path):
    with running_ladder(fake_slack.url, tmp_path, LADDER_PAGES="on") as ladder:
        watched = Watched(browser, DESKTOP)
        page = watched.page
        for typed, lands_on, heading in (
            ("/ladder/", "/ladder", "Example Engineering"),
            ("/ladder/Staff/", "/ladder/staff", "Staff Engineer"),
            ("/ladder/compare/senior/staff/", "/ladder/compare/senior/staff", "From Senior Software Engineer to Staff Engineer"),
        ):
            page.goto(ladder.url + typed)
            assert page.url == ladder.url + lands_on
            assert page.locator("h1").inner_text() == heading
            assert page.evaluate("[...document.styleSheets].some(sheet => sheet.cssRules.length > 0)"), typed
        page.get_by_role("link", name="Example Engineering: the whole ladder").click()  # links resolve from where it landed
        page.wait_for_url("**/ladder")
        assert page.locator("h1").inner_text() == "Example Engineering"
        assert watched.problems == []
        watched.close()


def test_an_organisations_pages_open_only_at_their_keyed_address(browser, fake_slack, tmp_path):
    """An organisation's ladder is at /ladder/<tenant>-<key>/ (the key from the signing secret): browsed there, every
    link stays inside it; its workspace id alone, or a wrong key, shows the same not-found page as a tenant that does
    not exist."""
    from storage.repositories.framework_versions import FrameworkVersions
    from storage.unit_of_work import unit_of_work
    from tests.app_server import SIGNING_SECRET
    from tests.test_framework_publishing import ROCKETS

    with running_ladder(fake_slack.url, tmp_path, LADDER_PAGES="on") as ladder:
        with unit_of_work(ladder.services.engine) as work:
            FrameworkVersions(work.session).publish("T0ROCKETS", ROCKETS, source="rockets.yaml", by="test", at=ladder.services.now())
        ladder.services.frameworks.forget()
        site = f"/ladder/{organisation_site('T0ROCKETS', SIGNING_SECRET)}"
        watched = Watched(browser, DESKTOP)
        page = watched.page
        page.goto(ladder.url + site + "/")
        assert page.url == ladder.url + site and page.locator("h1").inner_text() == "Rockets ladder"
        page.get_by_role("link", name="Staff", exact=True).click()
        page.wait_for_url(f"**{site}/staff")
        assert "Decides which rockets the whole company builds." in page.locator("main").inner_text()
        _shoot(page, "organisation-level")
        for guess in ("/ladder/T0ROCKETS", "/ladder/T0ROCKETS/staff", f"{site[:-2]}xx/staff", "/ladder/T0NOSUCHORG/staff"):
            answer = page.goto(ladder.url + guess)
            assert answer is not None and answer.status == 404, guess
            assert page.locator("h1").inner_text() == "No such page" and "Rockets" not in page.content(), guess
        assert [p for p in watched.problems if "status of 404" not in p] == []  # (the browser logs each 404 it was given)
        watched.close()
