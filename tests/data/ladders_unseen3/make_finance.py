"""Builds finance.xlsx (authored fixture, MIT). Run: .venv/bin/python make_finance.py"""

from pathlib import Path

from openpyxl import Workbook

HEADER = [
    "Competency",
    "What it means",
    "F1 – Accounting Associate",
    "F2 – Accountant",
    "F3 – Senior Accountant",
    "F4 – Finance Manager",
    "F5 – Head of Finance",
]
ROWS = [
    [
        "Reporting accuracy",
        "Producing numbers others can rely on without re-checking them.",
        "Posts journal entries from templates; a reviewer checks every entry.",
        "Prepares reconciliations for assigned ledgers and explains variances over 5%.",
        "Owns the month-end close for one entity and signs off reconciliations prepared by others.",
        "Designs close controls across entities and presents results to the audit committee.",
        "Accountable to the board for the accuracy of every published figure.",
    ],
    [
        "Business partnering",
        "Helping budget holders make decisions with financial information.",
        "Answers questions about invoices and expense claims.",
        "Builds monthly cost reports for one department head.",
        "Advises two or more budget holders on forecasts and trade-offs.",
        "Runs the annual budgeting cycle with the leadership team.",
        "Sets the financial strategy with the CEO and shapes the funding plan.",
    ],
    [
        "Systems and automation",
        "Improving the tools and processes finance runs on.",
        "Follows documented procedures in the ERP.",
        "Suggests improvements to spreadsheets and reports.",
        "Automates a recurring reconciliation or report end to end.",
        "Chooses and rolls out finance systems with IT.",
        "Decides the finance technology roadmap.",
    ],
    [
        "People development",
        "Growing the people around you.",
        "Asks for feedback after each close.",
        "Shows new joiners how the ledgers are organised.",
        "Mentors one or two associates and reviews their work.",
        "Manages a team of four to eight and runs their reviews.",
        "Builds the finance organisation and hires its managers.",
    ],
]
NOTE = "Typical time in level is 18 to 30 months; promotion is decided at the half-yearly calibration."


def build(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Finance ladder"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    sheet.append([])
    sheet.append([NOTE])
    book.save(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("finance.xlsx"))
