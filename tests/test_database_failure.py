"""Why a database did not open, in plain words, read from the exceptions a real open raises
(SQLAlchemy, psycopg, PyMySQL, sqlite3, the file system); no password ever shows."""

from __future__ import annotations

import importlib.util
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app.database_address import masked, split_password, with_password
from app.database_failure import DatabaseFailure, FailureKind, explain
from app.paths import AppPaths
from app.runtime import Runtime
from app.settings import Settings
from tests.databases import MYSQL_ADMIN_URL, PG_ADMIN_URL, require_server

SECRET = "not-the-password-7"


def failure_opening(url: str, tmp_path: Path) -> DatabaseFailure:
    """Open ``url`` the way the desk does and explain what it raised."""
    runtime = Runtime(AppPaths(tmp_path / "d", tmp_path / "c", tmp_path / "l"), Settings(), url)
    with pytest.raises(Exception) as raised:
        runtime.open_for_desk()
    return explain(raised.value, url)


def shown(failure: DatabaseFailure) -> str:
    return " ".join((failure.headline, failure.advice, failure.address, failure.detail))


def server_url(backend: str, *, password: str | None = None, database: str | None = None) -> str:
    require_server(backend)
    url = make_url(PG_ADMIN_URL if backend == "postgresql" else MYSQL_ADMIN_URL)
    if password is not None:
        url = url.set(password=password)
    if database is not None:
        url = url.set(database=database)
    return url.render_as_string(hide_password=False)


@pytest.mark.parametrize("scheme", ["postgresql", "mysql"])
def test_a_closed_port_is_a_server_that_did_not_answer(scheme: str, tmp_path: Path) -> None:
    failure = failure_opening(f"{scheme}://sam:{SECRET}@127.0.0.1:9/reviews", tmp_path)
    assert failure.kind is FailureKind.UNREACHABLE
    assert failure.headline == "The database server at 127.0.0.1:9 did not answer."
    assert "refused" in failure.detail.lower()
    assert failure.address == f"{scheme}://sam:***@127.0.0.1:9/reviews" and SECRET not in shown(failure)


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_a_wrong_password_is_access_denied(backend: str, tmp_path: Path) -> None:
    failure = failure_opening(server_url(backend, password=SECRET), tmp_path)
    assert failure.kind is FailureKind.ACCESS_DENIED
    assert "did not let review_desk in: wrong user name or password" in failure.headline
    assert SECRET not in shown(failure) and ":***@127.0.0.1" in failure.address


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_a_database_the_server_does_not_have(backend: str, tmp_path: Path) -> None:
    name = f"review_desk_t_missing_{uuid.uuid4().hex[:8]}"
    failure = failure_opening(server_url(backend, database=name), tmp_path)
    assert failure.kind is FailureKind.UNKNOWN_DATABASE
    assert f"has no database named {name}" in failure.headline


def test_a_server_name_that_does_not_resolve(tmp_path: Path) -> None:
    failure = failure_opening(f"postgresql://sam:{SECRET}@no-such-host.invalid/reviews", tmp_path)
    assert failure.kind is FailureKind.SERVER_NOT_FOUND
    assert failure.headline == "No server named no-such-host.invalid was found."


@pytest.mark.parametrize(
    "url",
    [f"postgres ql://sam:{SECRET}@server/reviews", f"postgresql://sam:{SECRET}@server:54x2/reviews", "oracle://x/y"],
)
def test_a_malformed_address_is_a_bad_address_with_its_password_masked(url: str, tmp_path: Path) -> None:
    failure = failure_opening(url, tmp_path)
    assert failure.kind is FailureKind.BAD_ADDRESS
    assert failure.headline == "The database address is not one the desk can use."
    assert SECRET not in shown(failure)


@pytest.mark.parametrize("driver", ["pg8000", "nosuchdriver"])
def test_a_driver_the_desk_does_not_have(driver: str, tmp_path: Path) -> None:
    assert importlib.util.find_spec(driver) is None, f"{driver} is installed here: choose another"
    failure = failure_opening(f"postgresql+{driver}://sam:{SECRET}@127.0.0.1:9/reviews", tmp_path)
    assert failure.kind is FailureKind.MISSING_DRIVER
    assert f"(postgresql+{driver})" in failure.headline and "postgresql://" in failure.advice


def test_a_sqlite_file_that_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    failure = failure_opening(f"sqlite:///{tmp_path}/a-file/desk.sqlite3", tmp_path)
    assert failure.kind is FailureKind.NOT_WRITABLE
    assert "cannot be opened for writing" in failure.headline

    # A database the desk may only read: migrating it is refused.
    (tmp_path / "ro.db").write_bytes(b"")
    failure = failure_opening(f"sqlite:///file:{tmp_path}/ro.db?mode=ro&uri=true", tmp_path)
    assert failure.kind is FailureKind.NOT_WRITABLE
    assert "readonly" in failure.detail


def test_an_unknown_cause_is_still_explained() -> None:
    failure = explain(RuntimeError("the schema is from a newer desk"), "sqlite:////tmp/x.db")
    assert failure.kind is FailureKind.OTHER
    assert failure.headline == "The database could not be opened."
    assert failure.detail == "the schema is from a newer desk"


def test_the_password_is_split_from_the_address_and_put_back() -> None:
    url = "postgresql+psycopg://sam:p%40ss%2Fw0rd@db.example:5432/reviews?sslmode=require"
    bare, password = split_password(url)
    assert bare == "postgresql+psycopg://sam@db.example:5432/reviews?sslmode=require"
    assert password == "p@ss/w0rd"
    assert split_password(with_password(bare, password)) == (bare, password)
    assert split_password("sqlite:////tmp/x.db") == ("sqlite:////tmp/x.db", None)
    assert with_password("sqlite:////tmp/x.db", "pw") == "sqlite:////tmp/x.db"
    assert split_password("postgres ql://sam:pw@h/x") == ("postgres ql://sam@h/x", "pw")
    assert (
        masked("see postgresql://sam:pw@h/x and mysql://a:b@c/d")
        == "see postgresql://sam:***@h/x and mysql://a:***@c/d"
    )
