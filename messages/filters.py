"""Jinja filters for Ladder's templates: formatting that templates should not spell out."""

from __future__ import annotations

import json
import re
from typing import Any

from messages.escape import Raw, slack_escape, truncate

_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def mention(user_id: str | None) -> str:
    """A Slack mention for a real user id; anything else is shown as escaped text."""
    if user_id and _SLACK_USER_ID.match(user_id):
        return Raw(f"<@{user_id}>")
    return user_id or ""


def band(value: Any) -> str:
    if value is None:
        return ""
    return f"{value.currency} {value.min:,}–{value.max:,}"


def ordinal_steps(steps: int) -> str:
    return "one level up" if steps == 1 else f"{steps} levels up"


MAX_BUTTON_VALUE = 2000
MAX_BUTTON_TEXT = 75


def ask_again(choice: Any, question: str) -> str:
    """A "did you mean" button's value: the question and the meanings picked, as JSON (Ladder's own markup, never
    escaped for Slack); empty when it would be longer than Slack keeps (the choice is then named, without a button)."""
    value = json.dumps({"q": question, "c": list(choice.picks)}, ensure_ascii=False, separators=(",", ":"))
    return Raw(value) if len(value) <= MAX_BUTTON_VALUE else ""


def button_text(choice: Any) -> str:
    """A candidate's title and what tells it apart, escaped and cut to fit a button."""
    return Raw(truncate(slack_escape(f"{choice.title} ({choice.where})"), MAX_BUTTON_TEXT))


# General vocabulary for "this name already says it is a framework", in several languages; no word is taken from one ladder.
_FRAMEWORK_NOUNS = frozenset(
    """
    framework frameworks ladder ladders levels leveling levelling path paths pathway pathways matrix progression rubric
    guide guidelines handbook model track tracks grid career-path
    carreira carrera carrière carriera laufbahn karriere karriereleiter karrierepfad karrieremodell stufenmodell
    """.split()
)
"""Words that already say a name is a framework ("Customer Success Career Framework", "Legal Career Path", "Plano
de Carreira", "Karrierepfad …"): the name is not followed by "framework" again."""
_ARTICLES = frozenset("the a an".split())
_NAME_WORDS = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def framework_called(name: str, noun: str = "framework", start: bool = False) -> str:
    """How answers name a framework: "the Quarrymoor framework", but "the Customer Success Career Framework" and
    "the Legal Career Path" (a name that says what it is gets no second noun), and "the Design Ladder" for "The Design
    Ladder" (a name with its own article gets no second one). ``noun``: what to call it ("career ladder"); ``start``: at the start of a
    sentence."""
    words = [w.casefold() for w in _NAME_WORDS.findall(name)]
    says_what_it_is = any(w in _FRAMEWORK_NOUNS or w.startswith(("karriere", "laufbahn")) for w in words)
    called = name.strip() if says_what_it_is else f"{name.strip()} {noun}"
    if words and words[0] in _ARTICLES:
        return (called[:1].upper() if start else called[:1].lower()) + called[1:]
    return f"{'The' if start else 'the'} {called}"


def titled(level: Any, framework: Any) -> str:
    """A level's title, with its track's name beside it where another level of the framework has the same title ("Lead
    Engineer (Management)"): an answer naming two such levels side by side says which is which."""
    title = str(level.title)
    key = title.casefold().strip()
    if any(other.id != level.id and other.title.casefold().strip() == key for other in framework.levels):
        return f"{title} ({framework.track_of(level).name})"
    code = _code_of(level)
    if code and any(other.id != level.id and _holds_words(other.title, title) for other in framework.levels):
        return f"{title} ({code})"  # "Writer (W1)" beside "Senior Writer": which is which, as people say them
    return title


def other_names(level: Any) -> list[str]:
    """A level's other names an answer shows beside its title: not one its title already says ("R-2" beside
    "R-2 Research Scientist")."""
    said = f" {' '.join(str(level.title).casefold().split())} "
    return [str(a) for a in level.aliases if f" {' '.join(str(a).casefold().split())} " not in said]


def _code_of(level: Any) -> str | None:
    """A level's first short code among its other names ("A2", "R-3"), if any."""
    for alias in getattr(level, "aliases", ()) or ():
        if len(alias) <= 6 and any(c.isdigit() for c in alias) and " " not in alias.strip():
            return str(alias)
    return None


def _holds_words(longer: str, title: str) -> bool:
    """Whether ``longer`` holds every word of ``title`` and more ("Senior Writer" holds "Writer")."""
    words, inner = longer.casefold().split(), title.casefold().split()
    return len(words) > len(inner) and any(words[i : i + len(inner)] == inner for i in range(len(words) - len(inner) + 1))


FILTERS = {
    "mention": mention,
    "band": band,
    "steps": ordinal_steps,
    "ask_again": ask_again,
    "button_text": button_text,
    "framework_called": framework_called,
    "titled": titled,
    "other_names": other_names,
}
