"""The one exception type that ends a run with a message instead of a traceback."""


class MigrateError(Exception):
    """A problem with the user's input or environment; its text is shown as is."""
