"""Builds the hostile workbooks in this folder, fixtures authored for Ladder's tests (MIT).

Run from this folder with Ladder's venv: ../../../../.venv/bin/python build_hostile.py
"""

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent


def empty_sheet_beside_a_ladder() -> None:
    """A workbook whose first sheet is empty (a new user's leftover 'Sheet1')."""
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    ladder = workbook.create_sheet("Support")
    ladder.append(["Competency", "Support Agent", "Senior Support Agent", "Support Lead"])
    ladder.append(["Summary", "Answers tickets.", "Handles escalations.", "Runs the support rota."])
    ladder.append(["Product knowledge", "Knows the main features.", "Knows every feature.", "Trains the team."])
    workbook.save(HERE / "empty_first_sheet.xlsx")


def only_empty_sheets() -> None:
    workbook = Workbook()
    workbook.create_sheet("Sheet2")
    workbook.save(HERE / "only_empty_sheets.xlsx")


def xlsx_saved_as_csv() -> None:
    """A workbook renamed to .csv, as people do when a form asks for CSV."""
    workbook = Workbook()
    workbook.active.append(["Level", "Title"])
    workbook.active.append(["L1", "Engineer"])
    path = HERE / "workbook_renamed.csv"
    workbook.save(path)


def main() -> None:
    empty_sheet_beside_a_ladder()
    only_empty_sheets()
    xlsx_saved_as_csv()


if __name__ == "__main__":
    main()
