"""The one error a service raises for an action it will not perform."""


class ActionRefused(Exception):
    """The action was not performed; ``str(exc)`` is a sentence for the person who asked."""
