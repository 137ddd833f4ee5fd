"""The ladder's web pages over HTTP and as a static site: what the file says, escaped, with the right headers."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

import pytest

from bot.framework.loader import check_framework_text, default_framework_path
from messages.pages import Pages
from tests.app_server import running_ladder

HOSTILE = """\
name: 'Acme <script>alert("name")</script>'
description: '"><img src=x onerror=alert(1)>'
publish_bands: {publish}
tracks:
  - id: ic
    name: IC
    levels:
      - id: one
        title: '"><img src=x onerror=alert(2)> One'
        summary: "<script>alert('summary')</script>"
        band: {{min: 100, max: 200, currency: USD}}
      - id: two
        title: Two
        scope: "</td></tr><tr><td>injected"
"""


def fetch(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers.items()), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read().decode()


@pytest.fixture
def pages_on(fake_slack, tmp_path):
    with running_ladder(fake_slack.url, tmp_path, LADDER_PAGES="on") as running:
        yield running


def test_pages_are_off_unless_turned_on(ladder):
    assert fetch(f"{ladder.url}/ladder")[0] == 404


def test_every_page_is_served_with_strict_security_headers(pages_on):
    for path in ("/ladder", "/ladder/staff", "/ladder/compare/senior/staff", "/ladder/ladder.css"):
        status, headers, body = fetch(pages_on.url + path)
        assert status == 200, path
        assert (
            "default-src 'none'" in headers["Content-Security-Policy"] and "script-src" not in headers["Content-Security-Policy"]
        )
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    status, _, body = fetch(pages_on.url + "/ladder/no-such-level")
    assert status == 404 and "<h1>No such page</h1>" in body


def test_a_level_page_shows_what_the_file_says(pages_on):
    _, _, body = fetch(pages_on.url + "/ladder/staff")
    framework = pages_on.services.framework
    staff = framework.level("staff")
    assert body.count("<h1>") == 1 and "<h1>Staff Engineer</h1>" in body
    for competency_id, expectation in staff.expectations.items():
        assert f">{framework.competency(competency_id).name}</th>" in body
        assert expectation.replace("'", "&#39;") in body
    assert 'href="senior"' in body and 'href="principal"' in body and 'href="sr_em"' in body and 'href="../ladder"' in body
    assert "version 2026.1" in body
    assert "USD" in body  # the shipped example sets publish_bands; files that do not are tested below


@pytest.mark.parametrize("publish", ["false", "true"])
def test_framework_text_is_untrusted_and_bands_follow_publish_bands(publish):
    framework = check_framework_text(HOSTILE.format(publish=publish), "hostile.yaml").framework
    pages = Pages(framework)
    html = pages.index() + pages.level("one") + pages.level("two") + pages.compare("one", "two")
    assert "<script" not in html and "<img" not in html and "<tr><td>injected" not in html
    assert (
        "&lt;script&gt;alert(&#39;summary&#39;)&lt;/script&gt;" in html
        and "&#34;&gt;&lt;img src=x onerror=alert(2)&gt; One" in html
    )
    assert ("100–200 USD" in html) is (publish == "true")


def test_a_partial_ladder_leaves_out_what_it_does_not_say():
    from tests.test_framework import PARTIAL

    pages = Pages(check_framework_text(PARTIAL, "acme.yaml").framework)
    html = pages.level("sm1") + pages.compare("ae1", "ae2")
    assert "Scope of impact" not in html and "Decision rights" not in html and "None</" not in html


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value for name, value in attrs if name in ("href", "src") and value]


def test_the_static_site_links_only_to_files_it_wrote(tmp_path):
    framework = check_framework_text(default_framework_path().read_text(), "default.yaml").framework
    written = Pages(framework).write_site(tmp_path / "site").written
    files = list((tmp_path / "site").rglob("*.html"))
    assert len(written) == len(files) + 2  # and the stylesheet and the icon
    for page in files:
        parser = _Links()
        parser.feed(page.read_text())
        for href in parser.hrefs:
            if href.startswith("#"):
                continue
            assert not href.startswith(("/", "http")), (page, href)  # relative, so it works from file://
            assert (page.parent / href).resolve().exists(), (page, href)


def test_slack_answers_link_to_the_page_when_the_public_url_is_set(fake_slack, tmp_path):
    with running_ladder(fake_slack.url, tmp_path, LADDER_PUBLIC_URL="https://ladder.example.com/") as running:
        _, body, _ = running.slack.slash_command("senior vs staff")
    assert "<https://ladder.example.com/ladder/compare/senior/staff|Open this on the ladder's web page>" in body


def test_served_links_are_relative_so_a_proxy_can_add_a_path_prefix(pages_on):
    for path in ("/ladder", "/ladder/staff", "/ladder/compare/senior/staff"):
        parser = _Links()
        parser.feed(fetch(pages_on.url + path)[2])
        assert parser.hrefs and not [h for h in parser.hrefs if h.startswith(("/", "http"))], (path, parser.hrefs)
        for href in parser.hrefs:  # and each resolves to a page that exists
            if not href.startswith("#"):
                assert fetch(urllib.parse.urljoin(pages_on.url + path, href))[0] == 200, (path, href)


def test_level_ids_in_addresses_ignore_case_and_other_methods_are_refused(pages_on):
    assert fetch(pages_on.url + "/ladder/STAFF")[0] == 200
    request = urllib.request.Request(pages_on.url + "/ladder", data=b"x", method="POST")
    try:
        urllib.request.urlopen(request, timeout=5)
        raise AssertionError("POST was accepted")
    except urllib.error.HTTPError as error:
        assert error.code == 405
    assert "Example Engineering, version 2026.1" in fetch(pages_on.url + "/healthz")[2]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def fetch_once(url: str) -> tuple[int, dict[str, str], str]:
    """One request, redirects not followed."""
    try:
        with urllib.request.build_opener(_NoRedirects).open(url, timeout=5) as response:
            return response.status, dict(response.headers.items()), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read().decode()


def resolve(base: str, reference: str) -> str:
    """A relative reference resolved as browsers do (RFC 3986 5.2; urljoin drops empty segments, browsers keep them)."""
    scheme, netloc, path, _, _ = urllib.parse.urlsplit(base)
    out: list[str] = []
    for segment in (path.rsplit("/", 1)[0] + "/" + reference).split("/")[1:]:
        if segment == "..":
            out = out[:-1]
        elif segment != ".":
            out.append(segment)
    return f"{scheme}://{netloc}/" + "/".join(out)


CANONICAL = {"index": "/ladder", "level": "/ladder/staff", "compare": "/ladder/compare/senior/staff"}
OTHER_SPELLINGS = {
    "index": ["/ladder/", "/ladder//"],
    "level": ["/ladder/staff/", "/ladder/STAFF", "/ladder/sTaFf/", "/ladder//staff"],
    "compare": ["/ladder/compare/senior/staff/", "/ladder/compare/SENIOR/Staff", "/ladder/Compare/senior//staff"],
}


@pytest.mark.parametrize("kind", sorted(CANONICAL))
def test_every_page_has_one_address_and_other_spellings_are_redirected_there(pages_on, kind):
    canonical = CANONICAL[kind]
    assert fetch_once(pages_on.url + canonical)[0] == 200
    for spelling in OTHER_SPELLINGS[kind]:
        status, headers, _ = fetch_once(pages_on.url + spelling)
        assert status == 308, spelling
        location = headers["Location"]
        assert not location.startswith(("/", "http")), location  # relative: a proxy's path prefix is kept
        assert resolve(pages_on.url + spelling, location) == pages_on.url + canonical, spelling
        assert resolve("https://intranet.example.com/careers" + spelling, location) == (
            "https://intranet.example.com/careers" + canonical
        )
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        status, _, body = fetch(pages_on.url + spelling)  # followed, as a browser does: the page, its links working
        assert status == 200 and "<h1>" in body


@pytest.mark.parametrize(
    "path",
    [
        "/ladder/no-such-level",
        "/ladder/no-such-level/",
        "/ladder/compare/senior/nobody",
        "/ladder/compare/x/y/",
        "/ladder/a/b/c/d/e",
    ],
)
def test_the_not_found_page_links_to_pages_that_exist_from_wherever_it_is_served(pages_on, path):
    status, _, body = fetch_once(pages_on.url + path)
    assert status == 404 and "<h1>No such page</h1>" in body
    parser = _Links()
    parser.feed(body)
    assert parser.hrefs
    for href in (h for h in parser.hrefs if not h.startswith("#")):
        assert fetch_once(resolve(pages_on.url + path, href))[0] == 200, (path, href)


def test_many_spellings_of_a_page_do_not_grow_the_page_cache(pages_on):
    pages = pages_on.app.pages
    for path in ("/ladder", "/ladder/staff", "/ladder/compare/senior/staff", "/ladder/nobody", "/ladder/compare/a/b"):
        fetch(pages_on.url + path)
    kept = pages.kept
    spellings = {"".join(c.upper() if (i >> n) & 1 else c for n, c in enumerate("staff")) for i in range(32)}
    for spelling in spellings:
        fetch(f"{pages_on.url}/ladder/{spelling}")
        fetch(f"{pages_on.url}/ladder/compare/senior/{spelling}/")
        fetch(f"{pages_on.url}/ladder/{spelling}-{len(spelling)}x")
        fetch(f"{pages_on.url}/ladder/compare/{spelling}/nobody")
    for depth in range(3, 40):
        fetch(pages_on.url + "/ladder" + "/x" * depth)
    assert pages.kept == kept
    for spelling in spellings:  # asked of the pages themselves, too: one page per level
        assert pages.level(spelling) == pages.level("staff")
        pages.compare("Senior", spelling)
    assert pages.kept == kept


def test_the_pages_a_worker_keeps_are_bounded_whatever_the_size_of_the_ladder(fake_slack, tmp_path):
    import gc

    from messages.pages import KEPT_PAGES
    from tests.frameworks import large_framework_text

    framework = tmp_path / "large.yaml"
    framework.write_text(large_framework_text())  # 200 levels: 39,800 comparisons
    with running_ladder(fake_slack.url, tmp_path, LADDER_PAGES="on", LADDER_FRAMEWORK=str(framework)) as served:
        pages = served.app.pages
        ids = [level.id for level in pages.framework.levels]
        assert len(ids) == 200
        pairs = [(a, b) for a in ids[:40] for b in ids if a != b][: KEPT_PAGES + 300]
        first = fetch(f"{served.url}/ladder/compare/{pairs[0][0]}/{pairs[0][1]}")
        for n, (a, b) in enumerate(pairs):
            status, _, body = fetch(f"{served.url}/ladder/compare/{a}/{b}")
            assert status == 200 and "<title>" in body
            if n % 50 == 0:  # asked for often: kept however many others are asked for
                assert fetch(f"{served.url}/ladder")[0] == 200
        assert pages.kept == KEPT_PAGES
        gc.collect()
        kept_bytes = sum(len(page) for page in pages._cache.values())
        assert kept_bytes < KEPT_PAGES * 12_000, kept_bytes  # about 4.5 MB (a comparison shows both levels' text), not 300 MB
        assert any(key[0] == "index" for key in pages._cache)  # asked for now and then, so kept: the least recent go
        again = fetch(f"{served.url}/ladder/compare/{pairs[0][0]}/{pairs[0][1]}")  # dropped long ago: rendered again
        assert (again[0], again[2]) == (first[0], first[2]) and pages.kept == KEPT_PAGES
