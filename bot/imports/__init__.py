"""Imports of CSV files into stored records, people-agnostic: read a bounded table, plan what each row changes
(per record and field, old → new), show the plan, and apply it (or not, for a dry run).

The rules every import follows: a column left out of the file, or a cell left empty, leaves the stored value alone;
:data:`~bot.imports.table.CLEAR` (``-``) in an optional column clears it; a row with a problem is reported by its
line number and skipped, the other rows are kept; applying the same file twice changes nothing.
"""
