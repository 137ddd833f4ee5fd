"""Placing document outlines (Markdown and HTML pages) into a Draft.

The documents read into one draft are placed together, once every file is read (:meth:`Draft.finish`), because pages
name one another: an index page orders the level pages it links to, a table maps the titles another page uses.
The convention is detected from the content, never from one cell or one word:

- a heading per level (siblings whose titles read like levels: seniority words, "Level 3", codes, numbered steps),
  with paragraphs (the level's summary), bold-labelled bullets ("**Communication**: …") or sub-headings per competency;
- one page per level (its title, front matter or first heading, reads like a level, or its sub-headings are the
  competencies other level pages use); pages in one folder make one track, named by the folder (or its index page);
- competency-major: a page per competency whose headings are only ranks ("Level 1" … "Level 6");
- tables with levels as columns or as rows, and tables mapping levels across tracks (equivalents, codes as aliases);
- everything else is prose: sections with a kind guessed from their headings (switching, promotion, competencies,
  all_levels, other), a track's description, or the framework's description — never dropped.

Every text of every page is placed (the Draft records where) or listed as not placed with its ``file:line``.
"""

from __future__ import annotations

from bot.framework.reading.documents.placer import Placer
from bot.framework.reading.documents.placing import METADATA, NAVIGATION
from bot.framework.reading.draft import Draft
from bot.framework.reading.outline import Document

__all__ = ["METADATA", "NAVIGATION", "add_document"]


def add_document(draft: Draft, document: Document) -> None:
    """Keep ``document`` to place with the other documents of ``draft`` when the draft is finished."""
    for work in draft.finishing:
        if isinstance(work, _Documents):
            work.documents.append(document)
            return
    work = _Documents(draft)
    work.documents.append(document)
    draft.finishing.append(work)


class _Documents:
    """The documents read into one draft, placed together by :meth:`Draft.finish`."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.documents: list[Document] = []

    def __call__(self) -> None:
        Placer(self.draft, self.documents).place()
