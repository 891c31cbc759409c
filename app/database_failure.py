"""Why a database did not open, in plain words: the recovery dialog and the command line say
what failed and what to try, instead of a driver's traceback.

The explanation is read from the exception the open raised (SQLAlchemy's, the driver's
underneath it, or the file system's for SQLite); the address and the driver's text it carries
never show a password.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from app.database_address import masked, split_password
from db.engine import DatabaseUrlError

DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mariadb": 3306}
# Shorter passwords are not searched for in the driver's words: "pw" would star out half of them.
MIN_SCRUBBED = 4


class FailureKind(StrEnum):
    UNREACHABLE = "unreachable"  # refused, timed out, no route
    SERVER_NOT_FOUND = "server not found"  # the host name does not resolve
    ACCESS_DENIED = "access denied"  # wrong user or password, or not allowed in
    UNKNOWN_DATABASE = "unknown database"
    BAD_ADDRESS = "bad address"
    MISSING_DRIVER = "missing driver"
    NOT_WRITABLE = "not writable"  # a SQLite file or folder that cannot be opened for writing
    OTHER = "other"


@dataclass(frozen=True)
class DatabaseFailure:
    kind: FailureKind
    headline: str  # what failed
    advice: str  # what to try
    address: str  # the URL, password masked
    detail: str  # the driver's own words (first line), password masked


# Driver wording (psycopg / libpq, PyMySQL, sqlite3), lower case, in the order they are tried.
_SIGNS: tuple[tuple[FailureKind, tuple[str, ...]], ...] = (
    (FailureKind.SERVER_NOT_FOUND, ("failed to resolve host", "name or service not known", "nodename nor servname")),
    (FailureKind.UNKNOWN_DATABASE, ("(1044,", "(1049,", "unknown database")),  # 1044: none, or not yours
    (FailureKind.ACCESS_DENIED, ("password authentication failed", "no password supplied", "(1045,", "pg_hba.conf")),
    (FailureKind.ACCESS_DENIED, ("authentication failed", "access denied for user")),
    (
        FailureKind.UNREACHABLE,
        ("connection refused", "timeout expired", "timed out", "can't connect", "no route to host", "unreachable"),
    ),
    (FailureKind.UNREACHABLE, ("(2003,", "(2005,", "(2006,", "(2013,", "server closed the connection")),
    (FailureKind.NOT_WRITABLE, ("unable to open database file", "readonly database", "disk i/o error")),
)
_ROLE_MISSING = re.compile(r'role "[^"]*" does not exist')
_DATABASE_MISSING = re.compile(r'database "[^"]*" does not exist')


def explain(exc: BaseException, url: str) -> DatabaseFailure:
    """What ``exc``, raised while opening the database at ``url``, means for the person."""
    kind = _kind(exc, url)
    detail = _detail(exc, url)
    headline, advice = _words(kind, _parsed(url))
    return DatabaseFailure(kind, headline, advice, masked(url), detail)


def _kind(exc: BaseException, url: str) -> FailureKind:
    chain = _chain(exc)
    if any(isinstance(e, (ModuleNotFoundError, NoSuchModuleError)) for e in chain):
        return FailureKind.MISSING_DRIVER
    if any(isinstance(e, (DatabaseUrlError, ArgumentError)) for e in chain):
        return FailureKind.BAD_ADDRESS
    text = " ".join(str(e) for e in chain).lower()
    if _ROLE_MISSING.search(text):
        return FailureKind.ACCESS_DENIED
    if _DATABASE_MISSING.search(text):
        return FailureKind.UNKNOWN_DATABASE
    for kind, signs in _SIGNS:
        if any(sign in text for sign in signs):
            return kind
    parsed = _parsed(url)
    if parsed is not None and parsed.get_backend_name() == "sqlite" and any(isinstance(e, OSError) for e in chain):
        return FailureKind.NOT_WRITABLE  # the folder for the file could not be made
    return FailureKind.OTHER


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc``, the driver's exception SQLAlchemy wraps, and what caused each."""
    found: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or current in found:
            continue
        found.append(current)
        todo.extend((getattr(current, "orig", None), current.__cause__, current.__context__))
    return found


def _detail(exc: BaseException, url: str) -> str:
    """The driver's first line (not SQLAlchemy's wrapper), with the password masked: drivers
    do not repeat it, but a parser may quote the address back."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip() or type(exc).__name__
    line = masked(text.splitlines()[0].strip())
    password = split_password(url)[1]
    if password and len(password) >= MIN_SCRUBBED:
        line = line.replace(password, "***")
    return line


def _parsed(url: str) -> URL | None:
    try:
        return make_url(url)
    except Exception:  # a malformed address: described without its parts
        return None


def _words(kind: FailureKind, url: URL | None) -> tuple[str, str]:
    host = (url.host if url is not None else None) or "localhost"
    backend = url.get_backend_name() if url is not None else ""
    port = (url.port if url is not None else None) or DEFAULT_PORTS.get(backend)
    where = f"{host}:{port}" if port else host
    user = (url.username if url is not None else None) or "your login"
    name = (url.database if url is not None else None) or "(none named)"
    if kind is FailureKind.UNREACHABLE:
        return (
            f"The database server at {where} did not answer.",
            "Check that the server is running and that this computer can reach it (network, VPN, "
            "firewall), and that the host and port in the address are right.",
        )
    if kind is FailureKind.SERVER_NOT_FOUND:
        return (
            f"No server named {host} was found.",
            "Check the spelling of the server's name in the address, and the network or VPN connection.",
        )
    if kind is FailureKind.ACCESS_DENIED:
        return (
            f"The server at {where} did not let {user} in: wrong user name or password, or no access.",
            "Check the user name and the password (Edit address). The database's administrator can reset them.",
        )
    if kind is FailureKind.UNKNOWN_DATABASE:
        return (
            f"The server at {where} has no database named {name} that {user} may use.",
            "Check the database name at the end of the address.",
        )
    if kind is FailureKind.BAD_ADDRESS:
        return (
            "The database address is not one the desk can use.",
            "An address looks like postgresql://you@server/reviews or mysql://you@server/reviews.",
        )
    if kind is FailureKind.MISSING_DRIVER:
        return (
            f"This Review Desk has no driver for the database the address names ({url.drivername if url else '?'}).",
            "Write the address as postgresql://… or mysql://… to use the drivers the desk ships with.",
        )
    if kind is FailureKind.NOT_WRITABLE:
        return (
            f"The database file {url.database if url else ''} cannot be opened for writing.",
            "Check that its folder exists and that you may write to it, or use this computer's database.",
        )
    return "The database could not be opened.", "Retry, check the address, or read the details in the log."
