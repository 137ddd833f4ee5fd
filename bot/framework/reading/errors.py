"""The one error a reader raises: the file cannot be read at all."""


class UnreadableFile(ValueError):
    """The file cannot be imported; the message is one line a person can act on (it names the file)."""
