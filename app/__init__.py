"""Review Desk domain: services, pipeline, settings and the command line. Imports no Qt."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("review-desk")
except PackageNotFoundError:  # running from a frozen build or a bare checkout
    __version__ = "0.1.0"
