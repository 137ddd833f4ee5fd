"""What a person is sent when they ask for their data: the export, as a JSON file in their conversation with Ladder."""

from __future__ import annotations

from messages.panels import FileUpload

MY_DATA_TITLE = "Your data in Ladder"
MY_DATA_COMMENT = (
    "Here is everything Ladder holds about you that you may read, as JSON. What it holds but may not show you "
    '(for example others\' peer reviews of you) is listed under "withheld", with how many and why. Only you can see '
    "this file."
)


def my_data_file(filename: str, content: str) -> FileUpload:
    return FileUpload(filename=filename, title=MY_DATA_TITLE, content=content, comment=MY_DATA_COMMENT)
