"""Icons, stylesheets and prompt files shipped with the desk (package data)."""

from importlib.resources import files
from importlib.resources.abc import Traversable


def resource(*parts: str) -> Traversable:
    node = files(__name__)
    for part in parts:
        node = node / part
    return node
