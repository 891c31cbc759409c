"""Review Desk domain: services, pipeline, settings and the command line. Imports no Qt."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """``app.__version__``, read from the installed metadata on first use: importing
    importlib.metadata and scanning the installed packages would cost every worker start."""
    if name != "__version__":
        raise AttributeError(f"module 'app' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("review-desk")
    except PackageNotFoundError:  # running from a frozen build or a bare checkout
        found = "0.1.0"
    globals()["__version__"] = found
    return found
