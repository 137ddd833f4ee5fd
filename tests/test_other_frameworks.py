"""Questions against frameworks other than the default: nothing may depend on engineering names."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.framework.loader import check_framework_text, load_framework
from bot.questions.answers import Answerer
from bot.questions.parser import Intent
from messages.render import Renderer
from tests.test_framework import BASE

ROOT = Path(__file__).resolve().parent.parent


def _frameworks():
    bare = check_framework_text(yaml.safe_dump(BASE), "bare.yaml").framework
    return {"sales": load_framework(ROOT / "docs" / "examples" / "sales.yaml"), "bare": bare}


FRAMEWORKS = _frameworks()
RENDERER = Renderer()


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_every_level_is_found_by_its_title_and_every_alias(name):
    framework = FRAMEWORKS[name]
    answerer = Answerer(framework)
    for level in framework.levels:
        for spoken in (level.title, level.id, *level.aliases, level.title.lower() + "'s"):
            question = answerer.parser.parse(f"what does {spoken} mean?")
            assert [lv.id for lv in question.levels] == [level.id], spoken


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_every_kind_of_question_renders_for_every_level(name):
    framework = FRAMEWORKS[name]
    answerer = Answerer(framework)
    competency = framework.competencies[0].name
    phrasings = [
        "what does {t} mean",
        "what comes after {t}",
        "what's below {t}",
        "equivalent of {t}",
        "how do I switch tracks from {t}",
        f"what does {competency} look like at {{t}}",
        "how do I get to {t}",
    ]
    for level in framework.levels:
        for phrasing in phrasings:
            for person in (None, level, framework.levels[0]):
                answer = answerer.ask(phrasing.format(t=level.title), person_level=person)
                RENDERER.message(answer.template, **answer.context)
    for text in ("show me the ladder", "what are the competencies", "how does promotion work", "help", "???"):
        answer = answerer.ask(text)
        RENDERER.message(answer.template, **answer.context)


def test_a_sales_ladder_answers_in_its_own_words():
    answerer = Answerer(FRAMEWORKS["sales"])
    assert answerer.parser.parse("what's the manager equivalent of a senior AE").intent is Intent.EQUIVALENT
    answer = answerer.ask("what's the manager equivalent of a senior AE")
    assert answer.context["equivalent"].title == "Sales Manager"
    text = RENDERER.terminal(answer.template, **answer.context)
    assert "Example Sales" in text and "Engineer" not in text


def test_a_family_of_many_tracks_wraps_into_tables_slack_accepts():
    import copy

    document = copy.deepcopy(BASE)
    for n in range(11):
        document["tracks"].append(
            {
                "id": f"extra{n}",
                "name": f"Extra {n}",
                "levels": [
                    {
                        "id": f"x{n}",
                        "title": f"Extra level {n}",
                        "summary": "s",
                        "expectations": {},
                        "scope": "s",
                        "decision_rights": "d",
                    }
                ],
            }
        )
    framework = check_framework_text(yaml.safe_dump(document), "wide.yaml").framework
    answer = Answerer(framework).ask("show me the ladder")
    assert all(len(tracks) <= 4 for tracks, _rows in answer.context["groups"])
    message = RENDERER.message(answer.template, **answer.context)
    assert all(len(b.get("fields", [])) <= 10 for b in message.blocks)
