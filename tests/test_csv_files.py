"""CSV files people hand to Ladder (a competency matrix, a people import): UTF-8 or UTF-16 marked as such is read, any
other encoding is refused in one line saying how to save the file (never guessed, so never imported garbled), and a
file whose columns another separator divides says so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.user_files import NotText, csv_text

LADDER = str(Path(sys.executable).parent / "ladder")
MATRIX = "Competency,Junior,Senior\nCraft,Learns the codebase,Leads the design\nCommunication,Asks,Explains\n"
JAPANESE = "能力,ジュニア,シニア\n技術,コードを学ぶ,設計を主導する\n"
FRENCH = "Compétence,Débutant,Confirmé\nMétier,Apprend,Décide\n"
SAVE_AS = "save it as CSV UTF-8 (in Excel: Save As, then 'CSV UTF-8 (Comma delimited)')"


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("LADDER_", "SLACK_", "DATABASE_URL"))}
    return subprocess.run([LADDER, *args], cwd=cwd, env={**environment, **env}, capture_output=True, text=True, timeout=60)


def run_people_import(folder: Path) -> subprocess.CompletedProcess[str]:
    """The table is read before Slack or the database is asked anything."""
    database = f"sqlite:///{folder / 'ladder.db'}"
    return run("people", "import", "people.csv", "--dry-run", cwd=folder, SLACK_BOT_TOKEN="xoxb-unused", DATABASE_URL=database)


@pytest.mark.parametrize(
    "data",
    [
        MATRIX.encode(),
        b"\xef\xbb\xbf" + MATRIX.encode(),
        MATRIX.encode("utf-16"),
        MATRIX.encode("utf-16-be").join([b"\xfe\xff", b""]),
        JAPANESE.encode(),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-be-bom", "utf-8-japanese"],
)
def test_utf8_and_utf16_with_its_mark_are_read(data):
    assert csv_text(data, "m.csv") in (MATRIX, JAPANESE)


@pytest.mark.parametrize(
    "data, says",
    [
        (JAPANESE.encode("shift_jis"), "m.csv is not UTF-8 text (byte 1); "),
        (FRENCH.encode("cp1252"), "m.csv is not UTF-8 text (byte 5); "),
        (MATRIX.encode("utf-16-le"), "m.csv looks like UTF-16 text without a byte order mark; "),
        (MATRIX.encode("utf-16-be"), "m.csv looks like UTF-16 text without a byte order mark; "),
        (b"\xff\xfe" + b"\x00\xd8", "m.csv starts like UTF-16 text but is not; "),
    ],
    ids=["shift-jis", "cp1252", "utf-16-le-no-bom", "utf-16-be-no-bom", "broken-utf-16"],
)
def test_other_encodings_are_refused_saying_how_to_save_the_file(data, says):
    with pytest.raises(NotText) as refused:
        csv_text(data, "m.csv")
    assert str(refused.value) == says + SAVE_AS


@pytest.mark.parametrize(
    "data, says",
    [
        (JAPANESE.encode("shift_jis"), "matrix.csv is not UTF-8 text (byte 1); "),
        (FRENCH.encode("cp1252"), "matrix.csv is not UTF-8 text (byte 5); "),
        (MATRIX.encode("utf-16-le"), "matrix.csv looks like UTF-16 text without a byte order mark; "),
    ],
    ids=["shift-jis", "cp1252", "utf-16-le-no-bom"],
)
def test_framework_import_refuses_a_csv_it_would_garble(tmp_path, data, says):
    """The import used to read any non-UTF-8 file as cp1252: Shift-JIS came out garbled, and `framework check` passed it."""
    (tmp_path / "matrix.csv").write_bytes(data)
    result = run("framework", "import", "matrix.csv", "-o", "ladder.yaml", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"ladder: {says}{SAVE_AS}, or as .xlsx\n"
    assert not (tmp_path / "ladder.yaml").exists()


def test_framework_import_reads_japanese_in_utf8(tmp_path):
    (tmp_path / "matrix.csv").write_bytes(JAPANESE.encode())
    result = run("framework", "import", "matrix.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        "title: シニア" in result.stdout and "技術: 設計を主導する" in result.stdout
    )  # ids keep the script; the wording is kept


@pytest.mark.parametrize("separator, name", [(";", "';'"), ("\t", "tabs")])
def test_people_import_says_when_the_columns_are_separated_by_something_else(tmp_path, separator, name):
    rows = ["email,level,name", 'ada@example.com,staff,"Lovelace, Ada"']
    (tmp_path / "people.csv").write_text("\n".join(row.replace(",", separator) for row in rows) + "\n")
    result = run_people_import(tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"ladder: people.csv: the columns are separated by {name}, not by commas: export the file again with commas "
        "between columns (Excel uses the list separator of Windows' region settings; Google Sheets and LibreOffice write "
        "commas)\n"
    )


def test_people_import_refuses_a_file_in_another_encoding_saying_how_to_save_it(tmp_path):
    (tmp_path / "people.csv").write_bytes("email,name\nada@example.com,Adélaïde\n".encode("cp1252"))
    result = run_people_import(tmp_path)
    assert (result.returncode, result.stderr) == (1, f"ladder: people.csv is not UTF-8 text (byte 30); {SAVE_AS}\n")


def test_a_header_that_only_contains_a_semicolon_is_not_taken_for_another_separator(tmp_path):
    from bot.imports.table import read_table

    table = read_table("email,name;alias\nada@example.com,Ada\n", {"person": ["email"], "name": ["name"]})
    assert table.columns == ("person",) and table.other == ("name;alias",)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600) | st.text(max_size=200).map(lambda t: t.encode("utf-16-le")))
def test_any_bytes_are_text_or_one_refusal(data):
    try:
        text = csv_text(data, "any.csv")
    except NotText as refused:
        assert "\n" not in str(refused) and str(refused).startswith("any.csv ")
    else:
        assert isinstance(text, str) and text[:256].count("\x00") * 4 <= len(text[:256])
