"""Build people_ladder.xlsx, an authored People-team ladder (MIT) for the issue #17 harness."""

from pathlib import Path

from openpyxl import Workbook

LEVELS = [
    (
        "P1",
        "People Coordinator",
        "Keeps HR records accurate, schedules interviews and answers policy questions from the handbook.",
        "Own tasks within one process, such as onboarding logistics.",
        "12-24 months",
    ),
    (
        "P2",
        "People Partner",
        "Advises managers on everyday cases like performance plans and leave, and runs the onboarding programme.",
        "A business unit of up to 150 employees.",
        "2-3 years",
    ),
    (
        "P3",
        "Senior People Partner",
        "Leads reorganisations and sensitive employee relations cases and designs the annual review cycle.",
        "Several business units or one country.",
        "3-4 years",
    ),
    (
        "P4",
        "Head of People",
        "Sets the people strategy, owns compensation philosophy and reports to the executive team.",
        "The whole company.",
        "No typical time",
    ),
]

COMPETENCIES = [
    (
        "Employee relations",
        "Logs cases and escalates anything unusual.",
        "Handles grievances end to end with legal support on call.",
        "Resolves high-risk cases and trains managers on fair process.",
        "Sets the policy framework and signs off settlements.",
    ),
    (
        "Data and reporting",
        "Keeps the HRIS clean and pulls standard headcount reports.",
        "Builds attrition and engagement dashboards for managers.",
        "Uses workforce analytics to forecast hiring needs.",
        "Presents people metrics to the board every quarter.",
    ),
    (
        "Coaching managers",
        "Shares templates and handbook links.",
        "Coaches first-time managers through difficult conversations.",
        "Runs the leadership development programme.",
        "Coaches the executive team.",
    ),
]


def build(path: Path) -> None:
    workbook = Workbook()
    levels = workbook.active
    levels.title = "Levels"
    levels.append(["Code", "Title", "What it looks like", "Scope", "Typical time in level"])
    for row in LEVELS:
        levels.append(list(row))
    competencies = workbook.create_sheet("Competencies")
    competencies.append(["Competency"] + [f"{code} {title}" for code, title, *_ in LEVELS])
    for row in COMPETENCIES:
        competencies.append(list(row))
    workbook.save(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("people_ladder.xlsx"))
