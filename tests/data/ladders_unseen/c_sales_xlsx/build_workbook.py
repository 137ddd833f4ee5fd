"""Builds sales_career_framework.xlsx, a fixture authored for Ladder's tests (MIT).

Run from this folder with Ladder's venv: ../../../../.venv/bin/python build_workbook.py
"""

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

BOLD = Font(bold=True)
CATEGORY_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")

OVERVIEW = [
    ["Tallis Sales Career Framework"],
    [],
    [
        "This workbook describes how we grow people in sales at Tallis Software. There are two "
        "families: Sales IC, for people who carry a quota themselves, and Sales Management, for "
        "people who lead a team that carries one. Each family has its own sheet."
    ],
    [],
    ["How the families line up"],
    ["Band", "Sales IC", "Sales Management"],
    ["B3", "S3 Senior Account Executive", "SM1 Sales Team Lead"],
    ["B4", "S4 Enterprise Account Executive", "SM2 Sales Manager"],
    ["B5", "S5 Strategic Account Director", "SM3 Regional Sales Director"],
    ["B6", "", "SM4 VP Sales"],
    [],
    ["Moving into management"],
    [
        "Reps at S3 or above can apply for an open Sales Team Lead role. Before you apply, "
        "shadow a team lead for a month and run the weekly pipeline review at least four times. "
        "A team lead keeps a personal quota of 50% in their first two quarters."
    ],
    [],
    ["Promotions"],
    [
        "Promotions are decided at the end of each fiscal half (July and January) by the VP Sales "
        "with the sales managers. Hitting quota alone does not earn a promotion: you need at least "
        "two consecutive quarters at 100% of target and the behaviours of the next level."
    ],
]

SALES_IC = {
    "title": "Sales IC career ladder",
    "intro": "For quota-carrying individual contributors.",
    "codes": ["S1", "S2", "S3", "S4", "S5"],
    "titles": [
        "Sales Development Representative",
        "Account Executive",
        "Senior Account Executive",
        "Enterprise Account Executive",
        "Strategic Account Director",
    ],
    "rows": [
        (
            "Summary",
            [
                "Books first meetings for account executives.",
                "Runs the full sales cycle for small and mid-sized customers.",
                "Closes complex mid-market deals and helps newer AEs.",
                "Wins and grows our largest enterprise customers.",
                "Owns a handful of strategic accounts worth more than €1m each.",
            ],
        ),
        (
            "Typical quota",
            [
                "60 qualified meetings per quarter",
                "€400k new ARR per year",
                "€700k new ARR per year",
                "€1.2m new ARR per year",
                "€2m ARR, new and expansion",
            ],
        ),
        (
            "Typical time in role",
            [
                "12–18 months",
                "18–24 months",
                "2–3 years",
                "3+ years",
                "",
            ],
        ),
        ("Selling", None),
        (
            "Prospecting",
            [
                "Researches accounts and writes personal outreach; follows the cadence in the playbook.",
                "Builds around a third of their own pipeline.",
                "Builds at least half of their own pipeline; targets accounts by fit, not volume.",
                "Opens doors at C-level through referrals and events.",
                "Creates opportunities with partners and executives that nobody else could.",
            ],
        ),
        (
            "Discovery",
            [
                "Qualifies inbound leads with the BANT questions.",
                "Runs discovery calls that uncover the customer's real problem.",
                "Maps every stakeholder in the deal and their motivation.",
                "Discovers multi-year needs across several business units.",
                "Shapes the customer's strategy, not just the deal.",
            ],
        ),
        (
            "Negotiation & closing",
            [
                "Not expected.",
                "Negotiates within standard discount limits.",
                "Negotiates non-standard terms with deal desk.",
                "Leads multi-party negotiations with procurement and legal; closes deals above €250k.",
                "Negotiates multi-year framework agreements.",
            ],
        ),
        ("Customer", None),
        (
            "Account planning",
            [
                "Not expected.",
                "Keeps CRM notes and next steps current.",
                "Writes an account plan for each top-ten account.",
                "Runs quarterly business reviews with enterprise customers.",
                "Owns the three-year plan for each strategic account.",
            ],
        ),
        (
            "Product knowledge",
            [
                "Knows our three core products and their ideal customer.",
                "Demos the core products without a solutions engineer.",
                "Positions us against the main competitors with confidence.",
                "Works with solutions engineers on custom solutions.",
                "Feeds customer needs into the product roadmap.",
            ],
        ),
        ("Team", None),
        (
            "Forecasting",
            [
                "Reports weekly activity numbers.",
                "Forecasts their own quarter within 20%.",
                "Forecasts their own quarter within 10%.",
                "Forecasts accurately and explains every change in the commit.",
                "Forecasts accurately over several years.",
            ],
        ),
        (
            "Collaboration",
            [
                "Hands over meetings to AEs with full context.",
                "Works well with SDRs, solutions engineers and customer success.",
                "Mentors new AEs through their first deals.",
                "Coaches the team on enterprise deals; joins interviews.",
                "Is a role model for the whole sales organisation.",
            ],
        ),
    ],
}

SALES_MANAGEMENT = {
    "title": "Sales Management career ladder",
    "intro": "For people who lead a team that carries a quota.",
    "codes": ["SM1", "SM2", "SM3", "SM4"],
    "titles": ["Sales Team Lead", "Sales Manager", "Regional Sales Director", "VP Sales"],
    "rows": [
        (
            "Summary",
            [
                "Leads a pod of 3–5 reps and still sells.",
                "Leads a team of 6–10 reps; no personal quota.",
                "Leads several sales teams across a region.",
                "Leads the whole sales organisation.",
            ],
        ),
        (
            "Typical quota",
            [
                "Team quota plus a personal quota of 50% for the first two quarters",
                "Team quota",
                "Regional quota",
                "Company revenue target",
            ],
        ),
        ("Typical time in role", ["18–24 months", "2–3 years", "3+ years", ""]),
        ("People", None),
        (
            "Coaching",
            [
                "Joins calls with each rep every week and gives feedback the same day.",
                "Runs a coaching plan for each rep; builds the skills of the team, not only the numbers.",
                "Coaches managers on how to coach.",
                "Sets the coaching culture of the sales organisation.",
            ],
        ),
        (
            "Hiring",
            [
                "Interviews candidates for their pod.",
                "Hires for their team and owns onboarding.",
                "Plans headcount for the region.",
                "Owns the sales hiring plan and budget.",
            ],
        ),
        ("Business", None),
        (
            "Forecasting",
            [
                "Rolls up the pod's forecast every week.",
                "Commits a team forecast within 10%.",
                "Commits a regional forecast within 5%.",
                "Commits the company forecast to the board.",
            ],
        ),
        (
            "Pipeline management",
            [
                "Runs the weekly pipeline review for the pod.",
                "Makes sure the team has three times its quota in pipeline.",
                "Balances territories and pipeline across teams.",
                "Decides sales strategy, segments and territories.",
            ],
        ),
    ],
}


def add_overview(workbook: Workbook) -> None:
    sheet = workbook.active
    sheet.title = "Overview"
    for row in OVERVIEW:
        sheet.append(row)
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in ("A5", "A12", "A15"):
        sheet[cell].font = BOLD
    for cell in sheet[6]:
        cell.font = BOLD
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 34
    sheet.column_dimensions["C"].width = 34


def add_family(workbook: Workbook, name: str, family: dict) -> None:
    sheet = workbook.create_sheet(name)
    width = len(family["codes"]) + 1
    sheet.append([family["title"]])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([family["intro"]])
    sheet.append([])
    sheet.append(["", *family["codes"]])
    sheet.append(["Competency", *family["titles"]])
    for cell in sheet[4] + sheet[5]:
        cell.font = BOLD
    for label, cells in family["rows"]:
        if cells is None:
            sheet.append([label])
            row = sheet.max_row
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            sheet.cell(row, 1).font = BOLD
            sheet.cell(row, 1).fill = CATEGORY_FILL
            continue
        sheet.append([label, *cells])
        for cell in sheet[sheet.max_row]:
            cell.alignment = WRAP
    sheet.column_dimensions["A"].width = 24
    for column in "BCDEF":
        sheet.column_dimensions[column].width = 36
    sheet.freeze_panes = "B6"


def main() -> None:
    workbook = Workbook()
    add_overview(workbook)
    add_family(workbook, "Sales IC", SALES_IC)
    add_family(workbook, "Sales Management", SALES_MANAGEMENT)
    workbook.save(Path(__file__).with_name("sales_career_framework.xlsx"))


if __name__ == "__main__":
    main()
