"""`ladder framework render --out` into a folder holding an earlier render: the pages that render wrote and this one does
not (a level since removed) are removed when unchanged, and every other file left in the folder is named."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bot.cli import main as ladder
from messages import site_folder
from messages.site_folder import MANIFEST, write_site_folder


def framework(levels: list[str], publish_bands: bool) -> str:
    lines = ["name: Acme", f"publish_bands: {str(publish_bands).lower()}", "tracks:", "  - id: ic", "    name: IC", "    levels:"]
    for rank, level in enumerate(levels):
        band = f"{{min: {rank + 1}00, max: {rank + 2}00, currency: EUR}}"
        lines += [f"      - id: {level}", f"        title: {level.title()}", f"        band: {band}"]
    return "\n".join(lines) + "\n"


def render(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> tuple[int, str, str]:
    (tmp_path / "ladder.yaml").write_text(text)
    status = ladder(["framework", "render", "--out", str(tmp_path / "site"), str(tmp_path / "ladder.yaml")])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_render_removes_the_pages_of_levels_an_earlier_render_wrote_and_it_does_not(tmp_path, capsys):
    site = tmp_path / "site"
    assert render(tmp_path, capsys, framework(["junior", "senior", "staff"], publish_bands=True))[0] == 0
    assert "300" in (site / "staff.html").read_text()  # its band, published
    assert (site / "compare" / "senior" / "staff.html").exists()

    status, out, err = render(tmp_path, capsys, framework(["junior", "senior"], publish_bands=False))
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        f"wrote 6 files to {site}; open {site / 'index.html'}",
        "removed 2 pages of an earlier render, no longer in the framework: staff.html, compare/senior/staff.html",
    ]
    assert not (site / "staff.html").exists() and not (site / "compare" / "senior").exists()  # its folder too
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        MANIFEST,
        "compare/junior/senior.html",
        "icon.svg",
        "index.html",
        "junior.html",
        "ladder.css",
        "senior.html",
    ]
    assert "200" not in (site / "senior.html").read_text()  # bands unpublished: no page shows one


def test_a_page_changed_since_an_earlier_render_wrote_it_is_left_alone_and_named(tmp_path, capsys):
    site = tmp_path / "site"
    render(tmp_path, capsys, framework(["junior", "senior", "staff"], publish_bands=True))
    (site / "staff.html").write_text("edited by hand")
    status, out, err = render(tmp_path, capsys, framework(["junior", "senior"], publish_bands=True))
    assert status == 0 and "removed 1 page of an earlier render, no longer in the framework: compare/senior/staff.html" in out
    assert err == (
        f"{site}: left alone 1 page of an earlier render, no longer in the framework but changed since: staff.html; "
        "remove them if they should not be published\n"
    )
    assert (site / "staff.html").read_text() == "edited by hand"


def test_files_no_render_wrote_are_named_and_left_alone(tmp_path, capsys):
    """A folder rendered by a Ladder without the manifest, or holding files of its own."""
    site = tmp_path / "site"
    (site / "compare" / "senior").mkdir(parents=True)
    (site / "staff.html").write_text("an old page")
    (site / "compare" / "senior" / "staff.html").write_text("an old comparison")
    (site / "robots.txt").write_text("User-agent: *")
    status, _, err = render(tmp_path, capsys, framework(["junior", "senior"], publish_bands=False))
    assert status == 0
    assert err == (
        f"{site}: left alone 3 files this render did not write (an earlier render's stale pages, or other files): "
        "robots.txt, staff.html, compare/senior/staff.html; remove any that should not be published\n"
    )
    assert (site / "staff.html").read_text() == "an old page"


def test_a_manifest_never_removes_anything_outside_the_folder_or_through_a_link(tmp_path):
    site, outside = tmp_path / "site", tmp_path / "precious.txt"
    outside.write_text("keep me")
    site.mkdir()
    (site / "link.html").symlink_to(outside)
    digest = hashlib.sha256(b"keep me").hexdigest()
    entries = ["../precious.txt", str(outside), "link.html", "./../precious.txt", "a/../../precious.txt"]
    header = site_folder._HEADER
    (site / MANIFEST).write_text("\n".join([header, *(f"{digest}  {entry}" for entry in entries)]) + "\n")
    result = write_site_folder(site, [("index.html", "<p>hi</p>")])
    assert result.removed == [] and outside.read_text() == "keep me" and (site / "link.html").is_symlink()
    assert result.others == ["link.html"]


def test_a_folder_too_large_to_look_through_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(site_folder, "MAX_SCANNED", 20)
    site = tmp_path / "site"
    site.mkdir()
    for n in range(30):
        (site / f"other{n:02}.txt").write_text("x")
    _, _, err = render(tmp_path, capsys, framework(["junior", "senior"], publish_bands=False))
    assert err.startswith(f"{site}: left alone more than 15 files this render did not write") and " and 5 more;" in err


def test_rendering_the_same_framework_twice_removes_and_names_nothing(tmp_path, capsys):
    text = framework(["junior", "senior", "staff"], publish_bands=True)
    first = render(tmp_path, capsys, text)
    second = render(tmp_path, capsys, text)
    assert first == second and second[2] == "" and len(second[1].splitlines()) == 1
