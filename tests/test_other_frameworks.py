"""Questions against frameworks other than the default: nothing may depend on engineering names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.framework.loader import check_framework_text, load_framework
from bot.questions.answers import Answerer
from bot.questions.parser import Intent
from messages.render import Renderer
from tests.test_framework import BASE, PARTIAL

MINIMAL = "name: Tiny\ntracks:\n  - id: ic\n    name: IC\n    levels:\n      - id: one\n        title: Level One\n      - id: two\n        title: Level Two\n"
FAMILIES = """\
name: Two families
tracks:
  - {id: eng, name: Engineering IC, family: Engineering, levels: [{id: e1, title: Engineer}, {id: e2, title: Senior Engineer, summary: Leads projects.}]}
  - {id: mkt, name: Marketing IC, family: Marketing, levels: [{id: m1, title: Marketer, expectations: {Storytelling: Writes clear copy.}}, {id: m2, title: Senior Marketer}]}
  - {id: mktm, name: Marketing management, family: Marketing, levels: [{id: mm1, title: Marketing Manager, equivalent: m2}]}
"""

ROOT = Path(__file__).resolve().parent.parent


def _frameworks():
    bare = check_framework_text(yaml.safe_dump(BASE), "bare.yaml").framework
    partial = {
        name: check_framework_text(text, f"{name}.yaml").framework
        for name, text in (("partial", PARTIAL), ("minimal", MINIMAL), ("families", FAMILIES))
    }
    return {"sales": load_framework(ROOT / "docs" / "examples" / "sales.yaml"), "bare": bare, **partial}


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
    competency = framework.competencies[0].name if framework.competencies else "craft"
    phrasings = [
        "what does {t} mean",
        "what comes after {t}",
        "what's below {t}",
        "equivalent of {t}",
        "how do I switch tracks from {t}",
        f"what does {competency} look like at {{t}}",
        "how do I get to {t}",
        "{t} vs {t}",
    ]
    for level in framework.levels:
        for phrasing in phrasings:
            for person in (None, level, framework.levels[0]):
                answer = answerer.ask(phrasing.format(t=level.title), person_level=person)
                assert_nothing_empty(answer)
    for text in ("show me the ladder", "what are the competencies", "how does promotion work", "help", "???"):
        assert_nothing_empty(answerer.ask(text))


def assert_nothing_empty(answer) -> None:
    """What a file leaves out is left out: no empty heading, no "None", no "n/a", no label with nothing after it."""
    message = RENDERER.message(answer.template, **answer.context)
    texts = [message.text] + [str(block) for block in message.blocks]
    texts.append(RENDERER.terminal(answer.template, **answer.context))
    for text in texts:
        assert not re.search(r"\bNone\b|\bn/a\b|:\*\s*(\\n|\n|$|\")", text), (answer.template, text)
    for block in message.blocks:
        body = (block.get("text") or {}).get("text", "") if block.get("type") == "section" else ""
        assert not re.fullmatch(r"\*[^*]+\*", body.strip()), (answer.template, body)


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
    assert all(len(table.tracks) <= 4 for table in answer.context["tables"])
    message = RENDERER.message(answer.template, **answer.context)
    assert all(len(b.get("fields", [])) <= 10 for b in message.blocks)
