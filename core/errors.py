"""The one base of the errors that mean bad input or bad state, not a bug."""


class HubmineError(Exception):
    """Bad input or bad state, said in one line that names the item: the CLI prints the message and
    exits 1 instead of showing a traceback. Anything else that escapes is a bug."""
