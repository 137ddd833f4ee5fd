"""The names a level's page gives it beside its title, kept as aliases: the level number in its front matter and its
file's name where that is another name of the level. Asked by those names, the level answers."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bot.framework.loader import check_framework_text
from bot.framework.reading.draft import Draft
from bot.framework.reading.markdown import read_markdown
from bot.questions.answers import Answerer

PAGES = {
    "engineering/junior-engineer.md": """
        ---
        title: Junior Software Engineer
        level: 1
        ---
        You work effectively as a team member.
        """,
    "engineering/mid-level-engineer.md": """
        ---
        title: Software Engineer
        level: 2
        ---
        You tackle most of the problems of your team without support.
        """,
    "product/junior-product-manager.md": """
        ---
        title: Junior Product Manager
        level: 1
        ---
        You support a product squad.
        """,
    "product/grade-2.md": """
        ---
        title: Product Manager
        level: 2
        ---
        You own a specific area of product.
        """,
}


def read(tmp_path: Path) -> Draft:
    draft = Draft()
    for name, text in PAGES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    for name in PAGES:
        read_markdown(tmp_path / name, draft)
    draft.finish()
    return draft


def test_a_page_s_level_number_and_file_name_are_names_of_its_level(tmp_path: Path) -> None:
    aliases = {level.title: level.aliases for track in read(tmp_path).tracks for level in track.levels}
    assert aliases["Software Engineer"] == ["Level 2", "Mid level engineer"]
    assert aliases["Junior Software Engineer"] == ["Level 1", "Junior engineer"]
    assert aliases["Junior Product Manager"] == ["Level 1"]  # the file's name is the title: nothing new
    assert aliases["Product Manager"] == ["Level 2", "Grade 2"]  # a rank as the file's name


def test_asked_by_those_names_the_level_answers(tmp_path: Path) -> None:
    result = check_framework_text(read(tmp_path).yaml(), "pages.yaml")
    assert result.framework is not None, result.lines()
    answerer = Answerer(result.framework)
    assert answerer.ask("what is Mid-level Engineer").context["level"].title == "Software Engineer"
    assert answerer.ask("what does a level 2 engineer do?").context["level"].title == "Software Engineer"
    level_2 = answerer.ask("what is level 2")
    assert level_2.template == "did_you_mean"
    assert [c.thing.title for c in level_2.context["choices"]] == ["Software Engineer", "Product Manager"]
