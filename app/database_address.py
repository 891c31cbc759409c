"""Where the shared database is and how the desk gets in: the URL lives in ``settings.json``
without its password; the password lives in the system keyring and is put back into the URL
in memory only. Nothing here writes a password to a file or a log."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from pathlib import Path

from sqlalchemy.engine import make_url

from app.secrets import DATABASE_PASSWORD, SecretsUnavailable, get_secret, set_secret
from app.settings import Settings, save_settings

log = logging.getLogger(__name__)

# user:password@ right after the scheme, as SQLAlchemy reads it (the password ends at the first @);
# in a line of text, every address in it.
_CREDENTIALS = re.compile(r"^(?P<head>[^:/]*://[^:/@]*:)(?P<password>[^@]*)@")
_CREDENTIALS_IN_TEXT = re.compile(r"(?P<head>://[^:/@\s]*:)(?P<password>[^@\s]*)@")


def split_password(url: str) -> tuple[str, str | None]:
    """The URL without its password, and the password (None when it has none). A URL that
    does not parse keeps its text; its password, if one can be seen, is still split off."""
    try:
        parsed = make_url(url)
    except Exception:  # a malformed URL: fall back to the text
        found = _CREDENTIALS.match(url)
        if found is None:
            return url, None
        return url[: found.end("head") - 1] + url[found.end("password") :], found.group("password")
    if not parsed.password:
        return url, None
    return parsed._replace(password=None).render_as_string(hide_password=False), str(parsed.password)


def with_password(url: str, password: str | None) -> str:
    """``url`` with ``password`` in it; unchanged when there is no password to add."""
    if not password:
        return url
    try:
        parsed = make_url(url)
    except Exception:  # the failure explanation will say why; nothing to add a password to
        return url
    if parsed.get_backend_name() == "sqlite":
        return url
    return parsed.set(password=password).render_as_string(hide_password=False)


def masked(url: str) -> str:
    """The URL (or a line quoting URLs) fit to show or log: any password replaced by ``***``."""
    return _CREDENTIALS_IN_TEXT.sub(r"\g<head>***@", _CREDENTIALS.sub(r"\g<head>***@", url.strip()))


def stored_password(settings: Settings) -> str | None:
    """The database password from the keyring, asked only when the settings say one was saved
    there (the keyring's backend costs a start 0.15 s and a headless server may have none)."""
    if not settings.database_password_in_keyring:
        return None
    try:
        return get_secret(DATABASE_PASSWORD)
    except SecretsUnavailable as exc:
        log.warning("database password not read: %s", exc)
        return None


def remember_address(settings: Settings, url: str, password: str | None = None) -> Settings:
    """Settings naming the database at ``url``, whose password (``password``, else the one in
    ``url``) goes to the keyring. Blocking (the keyring); raises ``SecretsUnavailable`` when
    there is a password and no keyring to keep it."""
    bare, inline = split_password(url.strip())
    secret = password or inline
    if secret:
        set_secret(DATABASE_PASSWORD, secret)
    return replace(settings, database_url=bare, database_password_in_keyring=bool(secret))


def move_password_to_keyring(settings: Settings, path: Path) -> Settings:
    """A settings file from before the keyring held the database password: move it there and
    rewrite the file without it. Without a keyring the file stays as it is, and works."""
    bare, password = split_password(settings.database_url)
    if not password:
        return settings
    try:
        moved = remember_address(settings, bare, password)
        save_settings(moved, path)
    except (SecretsUnavailable, OSError) as exc:
        log.warning("the database password stays in %s: %s", path, exc)
        return settings
    log.info("the database password moved from %s to the system keyring", path)
    return moved
