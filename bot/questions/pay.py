"""Questions about what a level pays ("how much does a Senior Actuary earn", "pay band for L4").

A level's pay is its band when the framework publishes bands; otherwise it is whatever the framework's own text says
of pay: the paragraphs of the level's own text that speak of it ("Salary in PLN: 14 000 - 17 500"), quoted as
written; else the passages of its text that speak of pay; else it says plainly that the framework does not say (never
the level's page as if it answered). The words that ask about pay say nothing about the level's place, so "get" or "reach" beside them do not make
the question a comparison.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Sequence

from bot.questions.search import Hit, Passage

PAY_WORDS = frozenset(
    """
    salary salaries pay pays paid payment compensation compensated wage wages money remuneration income bonus bonuses
    stipend earn earns earning earnings
    salario salarios salário salários remuneração remuneracao remuneración remuneracion sueldo gehalt vergütung
    verguetung salaire rémunération stipendio retribuzione зарплата зарплаты оклад
    """.split()
)
"""Words of pay, in English and a few other languages, compared without case or Latin accents: in a level's text they
mark what it says of pay. ("band" alone is not one: many ladders call a group of levels a band.)"""

SPACELESS_PAY_WORDS = tuple(
    "年収 給与 給料 報酬 年俸 月給 賃金 賞与 ボーナス 薪资 薪資 薪水 工资 工資 薪酬 奖金 獎金 待遇 收入".split()
)
"""Words of pay in Japanese and Chinese, found inside a run of text written without spaces ("プリンシパルの年収は")."""

_EARN = frozenset("earn earns earning earnings".split())
"""Asking what a level pays only as "how much … earn" or at the end ("what does a Medior earn?"): "earn a promotion",
"Earn Trust" are not about pay."""
_EARN_AFTER = frozenset("per annually yearly monthly".split())
_PAY = frozenset("pay pays".split())
_NOT_PAY_AFTER = frozenset("attention off back forward it".split())
"""'pay attention to', 'pays off': not pay."""

_PARAGRAPHS = re.compile(r"\n\s*\n|\n(?=\s*[-*•]\s)")
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_PARAGRAPH = 400
"""Characters of one paragraph quoted at most; a longer one is cut at a word."""


def asks_about_pay(words: Iterable[str]) -> bool:
    """Whether a question (its words in the normal form of names) asks what a level pays."""
    return _says_pay(list(words), asking=True)


def pay_words_in(words: Iterable[str]) -> list[str]:
    """The words of pay a question holds, as it holds them ("salary", "年収")."""
    found: list[str] = []
    for word in words:
        if word in _PAY_FORMS or word in _EARN or word in _PAY:
            found.append(word)
        found += [w for w in SPACELESS_PAY_WORDS if w in word]
    return list(dict.fromkeys(found))


def speaks_of_pay(text: str) -> bool:
    """Whether a passage of the framework says something about pay."""
    return _speaks_of_pay(text)


def _says_pay(said: list[str], *, asking: bool) -> bool:
    """Whether ``said`` (lower-case words) speaks of pay; "earn" only in a question that asks how much."""
    if any(w in word for word in said for w in SPACELESS_PAY_WORDS):
        return True
    for at, word in enumerate(said):
        after = said[at + 1] if at + 1 < len(said) else ""
        if word in _EARN:
            if asking and ("much" in said or not after or after in _EARN_AFTER):
                return True
        elif word in _PAY:
            if after not in _NOT_PAY_AFTER:
                return True
        elif word in _PAY_FORMS:
            return True
    return False


def pay_passages(passages: Sequence[Passage], level_ids: Sequence[str]) -> list[Hit]:
    """The paragraphs of these levels' own text that speak of pay, in the order of ``level_ids``, each quoted as
    written with the passage it comes from."""
    order = {level_id: i for i, level_id in enumerate(level_ids)}
    found: list[tuple[int, Hit]] = []
    for passage in passages:
        if passage.level_id not in order:
            continue
        said = [p.strip() for p in _PARAGRAPHS.split(passage.text) if _speaks_of_pay(p)]
        if said:
            text = "\n".join(_cut(p) for p in said)
            found.append((order[passage.level_id], Hit(passage, text, 1.0)))
    found.sort(key=lambda item: item[0])
    return [hit for _, hit in found]


def _speaks_of_pay(paragraph: str) -> bool:
    return _says_pay([w.casefold() for w in _WORD.findall(paragraph)], asking=False)


def _cut(paragraph: str) -> str:
    if len(paragraph) <= MAX_PARAGRAPH:
        return paragraph
    return paragraph[:MAX_PARAGRAPH].rsplit(" ", 1)[0] + " …"


def _without_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


_PAY_FORMS = frozenset(PAY_WORDS | {_without_accents(w) for w in PAY_WORDS})
