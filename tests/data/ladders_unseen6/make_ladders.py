"""Build the binary workbooks of trial 6 (spreadsheets as organisations keep them) from the text below.

    .venv/bin/python tests/data/ladders_unseen6/make_ladders.py

Writes nursing_framework.ods (written as OpenDocument XML with zipfile: no OpenDocument library is installed),
revenue_levels.xlsx and job_architecture.xlsx (openpyxl). The .csv is kept as text in the folder.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).parent

# -- 1. A hospital's clinical career framework, LibreOffice, one sheet per job family, levels as rows ---------------

NURSING_HEAD = ["Band", "Job title", "Clinical care", "Patient safety", "Leadership", "Teaching & learning", "Progresses to"]
ADULT_NURSING = [
    [
        "Band 5",
        "Staff Nurse",
        "Plans and delivers evidence-based care for a group of patients under the supervision of the nurse in charge.",
        "Recognises a deteriorating patient using NEWS2 and escalates without delay.",
        "Coordinates a bay for the shift when asked.",
        "Supports students on placement as a practice supervisor.",
        "Band 6",
    ],
    [
        "Band 6",
        "Senior Staff Nurse",
        "Manages complex care for patients with several conditions and changes care plans independently.",
        "Leads the shift's incident reviews and shares the learning at safety huddles.",
        "Takes charge of the ward when the Ward Manager is away.",
        "Acts as practice assessor for students and preceptor for newly qualified nurses.",
        "Band 7",
    ],
    [
        "Band 7",
        "Ward Manager",
        "Sets the clinical standards of the ward and audits them every month.",
        "Owns the ward's risk register and closes the actions from serious incidents.",
        "Manages the ward budget, the rota and a team of up to 40 staff.",
        "Writes the ward's education plan with the practice educator.",
        "Band 8a Matron or Band 8a Advanced Nurse Practitioner",
    ],
    [
        "Band 8a",
        "Matron",
        "Assures the quality of nursing care across a group of wards.",
        "Leads the response to serious incidents across the directorate.",
        "Line manages Ward Managers and leads recruitment campaigns.",
        "Sponsors leadership development for Band 7 nurses.",
        "",
    ],
    [
        "Band 8a",
        "Advanced Nurse Practitioner",
        "Assesses, diagnoses and prescribes for undifferentiated patients within their scope of practice.",
        "Audits their own prescribing against national guidance every quarter.",
        "Leads a clinical pathway and advises the multidisciplinary team.",
        "Teaches advanced clinical assessment on the master's module.",
        "",
    ],
]
HEALTHCARE_SUPPORT = [
    [
        "Band 2",
        "Healthcare Assistant",
        "Helps patients with washing, dressing, eating and moving, following their care plan.",
        "Reports changes in a patient's skin, intake or mood to the registered nurse.",
        "",
        "Completes the Care Certificate within 12 weeks of starting.",
        "Band 3",
    ],
    [
        "Band 3",
        "Senior Healthcare Assistant",
        "Takes routine observations, blood glucose and ECGs and records them.",
        "Checks pressure areas every two hours and documents the falls risk.",
        "Guides new Healthcare Assistants through their first shifts.",
        "Trains colleagues in manual handling.",
        "Band 4",
    ],
    [
        "Band 4",
        "Nursing Associate",
        "Delivers and monitors planned care, including giving medicines.",
        "Follows the five rights of medicine administration on every round.",
        "Allocates tasks to support workers during a shift.",
        "Studies towards registration as a nurse through the apprenticeship.",
        "Band 5 Staff Nurse (Adult Nursing)",
    ],
]
NURSING_NOTES = [
    ["Topic", "Note"],
    [
        "About this framework",
        "This framework describes what we expect of nursing and support staff at each Agenda for Change band. "
        "It was agreed with staff side in March 2026.",
    ],
    [
        "Moving between families",
        "Nursing Associates who register with the NMC move into the Adult Nursing family at Band 5.",
    ],
    [
        "Preceptorship",
        "Every newly qualified Staff Nurse completes a 12-month preceptorship before applying for Band 6.",
    ],
    ["Acting up", "Staff may act up to the next band for up to six months with their manager's agreement."],
]


def _ods_cell(text: str) -> str:
    if not text:
        return "<table:table-cell/>"
    return f'<table:table-cell office:value-type="string"><text:p>{escape(text)}</text:p></table:table-cell>'


def _ods_table(name: str, rows: list[list[str]]) -> str:
    body = "".join("<table:table-row>" + "".join(_ods_cell(c) for c in row) + "</table:table-row>" for row in rows)
    return f'<table:table table:name="{escape(name)}">{body}</table:table>'


def make_ods() -> None:
    adult = [["Adult Nursing – Clinical Career Framework 2026"], [], NURSING_HEAD, *ADULT_NURSING]
    support = [["Healthcare Support – Clinical Career Framework 2026"], [], NURSING_HEAD, *HEALTHCARE_SUPPORT]
    tables = _ods_table("Adult Nursing", adult) + _ods_table("Healthcare Support", support)
    tables += _ods_table("Notes", NURSING_NOTES)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(HERE / "nursing_framework.ods", "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)


# -- 2. A sales organisation's levels: an overview sheet, then one sheet per level -----------------------------------

REVENUE_OVERVIEW = [
    ["Code", "Title", "Track", "Salary band (EUR)", "Next level", "Comparable to"],
    ["S1", "Sales Development Representative", "Sales", "38,000 – 46,000", "S2", ""],
    ["S2", "Account Executive", "Sales", "50,000 – 65,000", "S3", "AM1"],
    ["S3", "Senior Account Executive", "Sales", "65,000 – 82,000", "S4", "AM2"],
    ["S4", "Enterprise Account Executive", "Sales", "80,000 – 100,000", "", "AM3"],
    ["AM1", "Account Manager", "Account Management", "48,000 – 60,000", "AM2", "S2"],
    ["AM2", "Senior Account Manager", "Account Management", "60,000 – 76,000", "AM3", "S3"],
    ["AM3", "Head of Account Management", "Account Management", "78,000 – 98,000", "", "S4"],
]
SALES_THEMES = [("Pipeline", ["Prospecting", "Forecasting"]), ("Customer", ["Discovery", "Negotiation"]), ("Team", ["Coaching"])]
AM_THEMES = [("Customer", ["Renewals", "Expansion"]), ("Relationships", ["Executive sponsors"]), ("Team", ["Coaching"])]
REVENUE_LEVELS: dict[str, list[str]] = {
    "S1": [
        "Books 12 qualified meetings a month from outbound calls and sequences.",
        "Keeps every lead's stage in the CRM up to date by Friday.",
        "Asks the qualifying questions from the playbook on every first call.",
        "Hands pricing questions to an Account Executive.",
        "Not expected at this level.",
    ],
    "S2": [
        "Builds half of their own pipeline from named accounts in their territory.",
        "Forecasts their quarter within 15% of the closed amount.",
        "Runs discovery that uncovers the buyer's decision process and budget.",
        "Negotiates discounts up to 10% within the approval matrix.",
        "Shadows one new SDR in their first month.",
    ],
    "S3": [
        "Opens new logos in a vertical by working with marketing on account-based campaigns.",
        "Forecasts their quarter within 10% and calls out slipping deals a month early.",
        "Maps every stakeholder in a buying committee of five or more people.",
        "Negotiates multi-year agreements and non-standard terms with legal.",
        "Coaches two Account Executives through weekly deal reviews.",
    ],
    "S4": [
        "Plans a territory of 20 enterprise accounts with a three-year view.",
        "Owns a forecast above EUR 2M a year and is trusted by the VP of Sales.",
        "Leads discovery with C-level buyers and builds a mutual close plan.",
        "Closes seven-figure agreements with procurement and legal on both sides.",
        "Leads the sales team's deal desk and trains the region on negotiation.",
    ],
    "AM1": [
        "Renews a book of up to 60 small accounts before their end date.",
        "Finds one expansion opportunity a month and passes it to sales.",
        "Knows the main user and the budget holder of every account.",
        "Not expected at this level.",
    ],
    "AM2": [
        "Renews a book of mid-market accounts at 95% gross retention.",
        "Sells upgrades and new seats directly, up to EUR 50,000 a deal.",
        "Holds a quarterly business review with an executive sponsor at each top account.",
        "Onboards new Account Managers and reviews their renewal plans.",
    ],
    "AM3": [
        "Sets the renewal strategy and the retention target for the whole team.",
        "Builds the expansion plan with the sales leadership every half year.",
        "Is the executive sponsor for our ten largest customers.",
        "Hires, coaches and manages a team of Account Managers.",
    ],
}


def make_revenue() -> None:
    wb = Workbook()
    overview = wb.active
    overview.title = "Overview"
    overview.append(["Harbourline Revenue Career Levels – FY2026"])
    overview["A1"].font = Font(bold=True, size=14)
    overview.append([])
    for row in REVENUE_OVERVIEW:
        overview.append(row)
    overview.append([])
    overview.append(["Salary bands are reviewed every January. Moving to the next level happens at the half-year review."])
    for code, texts in REVENUE_LEVELS.items():
        title = next(r[1] for r in REVENUE_OVERVIEW if r[0] == code)
        sheet = wb.create_sheet(code)
        sheet.append([f"{code} – {title}"])
        sheet["A1"].font = Font(bold=True)
        sheet.append([])
        sheet.append(["Theme", "Competency", "Expectation"])
        themes = SALES_THEMES if code.startswith("S") else AM_THEMES
        expectations = iter(texts)
        for theme, competencies in themes:
            first = sheet.max_row + 1
            for competency in competencies:
                sheet.append([theme, competency, next(expectations)])
            if len(competencies) > 1:
                sheet.merge_cells(start_row=first, start_column=1, end_row=sheet.max_row, end_column=1)
                sheet.cell(first, 1).alignment = Alignment(vertical="top")
    wb.save(HERE / "revenue_levels.xlsx")


# -- 3. A job architecture matrix: family over track, levels as columns, two families side by side -----------------

MATRIX_COLUMNS = [
    # family, track, code, title, equivalent
    ("Marketing", "Individual Contributor", "E-3", "Marketing Specialist", ""),
    ("Marketing", "Individual Contributor", "E-4", "Senior Marketing Specialist", ""),
    ("Marketing", "Individual Contributor", "E-5", "Lead Marketing Specialist", "M-5"),
    ("Marketing", "Individual Contributor", "E-6", "Principal Marketer", "M-6"),
    ("Marketing", "People Management", "M-5", "Marketing Manager", "E-5"),
    ("Marketing", "People Management", "M-6", "Senior Marketing Manager", "E-6"),
    ("Marketing", "People Management", "M-7", "Director of Marketing", ""),
    ("Data & Analytics", "Individual Contributor", "Grade 10", "Data Analyst", ""),
    ("Data & Analytics", "Individual Contributor", "Grade 11", "Senior Data Analyst", ""),
    ("Data & Analytics", "Individual Contributor", "Grade 12", "Lead Data Scientist", "Grade 12 Analytics Manager"),
    ("Data & Analytics", "Individual Contributor", "Grade 13", "Principal Data Scientist", "Grade 13 Head of Analytics"),
    ("Data & Analytics", "People Management", "Grade 12", "Analytics Manager", "Grade 12 Lead Data Scientist"),
    ("Data & Analytics", "People Management", "Grade 13", "Head of Analytics", "Grade 13 Principal Data Scientist"),
    ("Data & Analytics", "People Management", "Grade 14", "Director of Data", ""),
]
MATRIX_ROWS: dict[str, list[str]] = {
    "Scope": [
        "A campaign or a channel.",
        "Several campaigns for one product line.",
        "The marketing plan of a product line.",
        "Brand and positioning across all products.",
        "One marketing team of up to eight people.",
        "Several marketing teams in one region.",
        "The marketing function.",
        "Well-defined questions from one team.",
        "Analysis for a business area.",
        "Models and experiments for a business area.",
        "The data strategy across business areas.",
        "One analytics team.",
        "All analytics teams.",
        "The data function and its budget.",
    ],
    "Impact": [
        "Delivers campaigns on time and on budget.",
        "Improves conversion of the campaigns they run.",
        "Moves pipeline targets for the product line.",
        "Changes how the market sees the company.",
        "Hits the team's pipeline target.",
        "Hits the region's pipeline and brand targets.",
        "Sets and hits the company's marketing targets.",
        "Answers questions accurately and on time.",
        "Changes decisions in their business area.",
        "Builds models that run in production and save money.",
        "Sets company-wide metrics that leaders use.",
        "Delivers the team's roadmap of analyses.",
        "Makes analytics a habit of every leadership meeting.",
        "Makes data a lasting advantage of the company.",
    ],
    "Craft": [
        "Writes copy and builds emails and landing pages from a brief.",
        "Runs A/B tests and reads their results.",
        "Designs the testing plan for a product line.",
        "Defines the messaging house for the company.",
        "Reviews the craft of the team's work.",
        "Sets quality standards for the region's campaigns.",
        "Chooses the marketing technology and agencies.",
        "Writes SQL and builds dashboards.",
        "Designs metrics and analyses experiments.",
        "Builds predictive models and reviews others' code.",
        "Sets modelling standards and the analytics architecture.",
        "Reviews analyses before they reach leaders.",
        "Sets the analytics standards and tooling.",
        "Chooses the data platform and its vendors.",
    ],
    "Stakeholders": [
        "Works with the product marketer of their campaign.",
        "Works with sales on campaign follow-up.",
        "Agrees the product line's plan with its product director.",
        "Advises the executive team on positioning.",
        "Works with sales leaders on the team's targets.",
        "Represents marketing in the region's leadership team.",
        "Is a member of the executive team.",
        "Works with one team's analyst lead.",
        "Works with business area managers.",
        "Works with directors on experiment design.",
        "Advises the executive team on metrics.",
        "Works with business area directors on the roadmap.",
        "Works with the executive team on priorities.",
        "Is a member of the executive team.",
    ],
    "Typical experience": [
        "0–2 years",
        "2–4 years",
        "5+ years",
        "8+ years",
        "5+ years, 1+ managing",
        "8+ years, 3+ managing",
        "12+ years",
        "0–2 years",
        "2–4 years",
        "5+ years",
        "8+ years",
        "5+ years, 1+ managing",
        "8+ years, 3+ managing",
        "12+ years",
    ],
}
MATRIX_DEFINITIONS = [
    ["Dimension", "What it means"],
    ["Scope", "The breadth of work a person owns without being asked."],
    ["Impact", "The difference their work makes to the business."],
    ["Craft", "The depth of skill in the discipline itself."],
    ["Stakeholders", "Who they work with and influence."],
    ["Typical experience", "A guide only; we never promote on years alone."],
]


def make_matrix() -> None:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Job Architecture"
    sheet.append(["Family", *[c[0] for c in MATRIX_COLUMNS]])
    sheet.append(["Track", *[c[1] for c in MATRIX_COLUMNS]])
    sheet.append(["Level", *[c[2] for c in MATRIX_COLUMNS]])
    sheet.append(["Job title", *[c[3] for c in MATRIX_COLUMNS]])
    sheet.append(["Equivalent level", *[c[4] for c in MATRIX_COLUMNS]])
    for label, cells in MATRIX_ROWS.items():
        sheet.append([label, *cells])
    # merge the repeated family and track cells as people do: only the first cell of a run keeps its value
    for row, key in ((1, lambda c: c[0]), (2, lambda c: (c[0], c[1]))):
        runs: list[list[int]] = []
        for col, column in enumerate(MATRIX_COLUMNS, start=2):
            if runs and key(MATRIX_COLUMNS[runs[-1][0] - 2]) == key(column):
                runs[-1].append(col)
            else:
                runs.append([col])
        for run in runs:
            for col in run[1:]:
                sheet.cell(row, col).value = None
            sheet.merge_cells(start_row=row, start_column=run[0], end_row=row, end_column=run[-1])
    for cell in sheet[1] + sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    definitions = wb.create_sheet("Definitions")
    for row in MATRIX_DEFINITIONS:
        definitions.append(row)
    wb.save(HERE / "job_architecture.xlsx")


if __name__ == "__main__":
    make_ods()
    make_revenue()
    make_matrix()
