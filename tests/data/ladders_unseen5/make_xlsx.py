"""Writes calder_finch_finance.xlsx the way a Google Sheets "Download > Microsoft Excel" export lays it out."""
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

wb = Workbook()
ws = wb.active
ws.title = "Finance Career Matrix"
bold = Font(bold=True)
grey = PatternFill("solid", fgColor="D9D9D9")
blue = PatternFill("solid", fgColor="CFE2F3")
wrap = Alignment(wrap_text=True, vertical="top")

ws["A1"] = "Calder & Finch — Finance Career Matrix (FY27)"
ws["A1"].font = Font(bold=True, size=14)
ws.merge_cells("A1:I1")
ws["A2"] = "Last reviewed by Finance Leadership, January 2027. Questions go to #finance-careers."
ws.merge_cells("A2:I2")

ws["B4"] = "Professional track"
ws.merge_cells("B4:F4")
ws["G4"] = "People management track"
ws.merge_cells("G4:I4")
for c in ("B4", "G4"):
    ws[c].font = bold
    ws[c].fill = blue
    ws[c].alignment = Alignment(horizontal="center")

codes = ["P1", "P2", "P3", "P4", "P5", "M3", "M4", "M5"]
titles = [
    "Finance Associate",
    "Financial Analyst",
    "Senior Financial Analyst",
    "Lead Financial Analyst",
    "Principal Financial Analyst",
    "Finance Manager",
    "Senior Finance Manager",
    "Head of Finance",
]
summaries = [
    "Processes transactions and reconciliations accurately under close guidance.",
    "Owns a set of ledgers or a cost centre's reporting and explains month-on-month movements.",
    "Owns a full area of the close or the budget for a business unit and improves how it is done.",
    "Leads finance work across several business units and is the go-to person for one specialism.",
    "Shapes finance policy for the whole company in a specialism such as tax, treasury or revenue.",
    "Manages a team of analysts and owns one part of the monthly close or the planning cycle.",
    "Manages managers and owns a finance function such as FP&A or financial accounting.",
    "Leads the finance department and is accountable to the CFO for reporting, planning and controls.",
]
ws["A5"] = "Level code"
ws["A6"] = "Title"
ws["A7"] = "Summary"
for i, (code, title, summary) in enumerate(zip(codes, titles, summaries, strict=True)):
    col = 2 + i
    ws.cell(5, col, code).font = bold
    ws.cell(6, col, title).font = bold
    ws.cell(7, col, summary).alignment = wrap
for r in (5, 6, 7):
    ws.cell(r, 1).font = bold

rows = [
    ("TECHNICAL", None),
    ("Accounting & reporting", [
        "Posts journals and reconciles bank and intercompany accounts with few errors.",
        "Prepares the monthly management accounts for a cost centre and explains variances over 5%.",
        "Owns the year-end file for a business unit and answers the auditors' questions directly.",
        "Designs reporting packs used by several business units and sets the close timetable for them.",
        "Sets the group accounting policies for a specialism and signs them off with the external auditors.",
        "Reviews the team's journals and reconciliations and signs off the monthly close for their area.",
        "Owns the statutory accounts timetable and the relationship with the audit partner.",
        "Presents the monthly results to the executive team and the board's audit committee.",
    ]),
    ("Financial modelling & analysis", [
        "Updates existing models with actuals and checks the outputs against the ledger.",
        "Builds simple forecasts for a cost centre and tests them against last year's actuals.",
        "Builds the budget model for a business unit and runs scenarios that leaders use to decide.",
        "Builds models that combine several business units and reviews other analysts' models.",
        "Owns the company's long-range planning model and the assumptions behind it.",
        "Makes sure the team's models are reviewed, documented and handed over cleanly.",
        "Decides which planning tools the function uses and retires spreadsheets that carry risk.",
        "Agrees the planning assumptions with the CFO and the executive team each year.",
    ]),
    ("Controls & compliance", [
        "Follows the approval matrix and flags any payment that lacks a purchase order.",
        "Runs the monthly balance sheet controls for their ledgers and documents exceptions.",
        "Designs controls for new processes in their area and tests that they work.",
        "Leads the response to audit findings across several business units.",
        "Is the company's authority on one regulation (for example VAT or IFRS 16) and trains others on it.",
        "Owns the control environment for their area and fixes audit findings on time.",
        "Reports the state of controls for the function to the audit committee twice a year.",
        "Is accountable for a clean audit opinion and for the company's finance risk register.",
    ]),
    ("BUSINESS PARTNERING", None),
    ("Stakeholder management", [
        "Answers budget holders' questions about their costs within two working days.",
        "Meets their budget holders monthly and explains the numbers in plain language.",
        "Is the named finance partner for a business unit's leadership team.",
        "Challenges business unit leaders on investment cases and changes decisions with evidence.",
        "Advises the executive team on decisions in their specialism, such as entering a new market.",
        "Sets clear service expectations with the business units the team supports.",
        "Partners with directors across the company and resolves conflicts between their priorities.",
        "Is a trusted adviser to the CEO and the executive team on every major commercial decision.",
    ]),
    ("Communicating numbers", [
        "Writes clear commentary on the reconciliations they own.",
        "Writes the variance commentary for a cost centre's monthly pack.",
        "Tells the story behind a business unit's numbers in one page that a non-specialist can follow.",
        "Presents to senior leaders and adapts the message to what each audience needs to decide.",
        "Writes the finance papers for the board in their specialism.",
        "Coaches the team to write commentary that leads with the decision, not the data.",
        "Presents the function's results and plans to the executive team.",
        "Represents finance to investors, lenders and the board.",
    ]),
    ("LEADERSHIP", None),
    ("Developing others", [
        "Asks for feedback and acts on it.",
        "Helps new joiners learn the systems and the close calendar.",
        "Mentors one or two analysts and reviews their work before it goes out.",
        "Runs training sessions for the wider finance team in their specialism.",
        "Grows specialists across the company and builds a bench for their area.",
        "Holds weekly one-to-ones, writes development plans and runs the team's performance reviews.",
        "Develops the managers who report to them and plans succession for each of them.",
        "Builds the finance leadership team and owns the department's hiring plan.",
    ]),
    ("Planning & prioritisation", [
        "Plans their own week around the close calendar.",
        "Plans their work across the month and warns early when a deadline is at risk.",
        "Plans a business unit's budget cycle and agrees the timetable with its leaders.",
        "Prioritises finance work across several business units when deadlines collide.",
        "Sets the multi-year roadmap for their specialism.",
        "Plans the team's capacity for the close and the budget and rebalances work when needed.",
        "Sets the function's annual objectives and the budget for its headcount.",
        "Sets the finance department's strategy and its yearly priorities with the CFO.",
    ]),
]
r = 8
for label, cells in rows:
    if cells is None:
        ws.cell(r, 1, label).font = bold
        for c in range(1, 10):
            ws.cell(r, c).fill = grey
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=9)
    else:
        ws.cell(r, 1, label).font = bold
        for i, text in enumerate(cells):
            ws.cell(r, 2 + i, text).alignment = wrap
    r += 1
r += 1
ws.cell(r, 1, "Equivalent levels: P3 = M3, P4 = M4, P5 = M5. Moving between the professional and the management track is a sideways move agreed with the Head of Finance, never a promotion in itself.")
ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=9)
ws.column_dimensions["A"].width = 28
for col in "BCDEFGHI":
    ws.column_dimensions[col].width = 34
ws.freeze_panes = "B7"

notes = wb.create_sheet("How to use this matrix")
lines = [
    "How to use this matrix",
    "Each cell describes what we expect consistently over the last two quarters, not on one occasion.",
    "Levels build on each other: a P3 is expected to do what P1 and P2 describe as well.",
    "Promotions are agreed in the mid-year and year-end reviews. Promotion to P4 and above needs sign-off from the CFO.",
    "If you disagree with where you have been placed, raise it with your manager first, then with the Head of Finance.",
]
for i, line in enumerate(lines, start=1):
    notes.cell(i, 1, line)
notes["A1"].font = Font(bold=True, size=12)
notes.column_dimensions["A"].width = 120
wb.save("calder_finch_finance.xlsx")
