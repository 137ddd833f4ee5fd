"""From the files organisations publish (spreadsheets, Markdown, HTML) to a framework file: readers build a
:class:`~bot.framework.reading.draft.Draft`, which records where every piece of the input went."""
