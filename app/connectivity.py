"""The "Test connection" checks of the settings dialog, headless and blocking (the desk runs
them on a worker thread). Each returns a sentence on success and raises ``CheckFailed`` with
one on failure; none of them ever includes a secret in what it says."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import requests
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database, DatabaseUrlError, normalize_url

TIMEOUT_S = 8.0


class CheckFailed(Exception):
    """What went wrong, in a sentence for the person testing."""


def check_database(url: str) -> str:
    try:
        backend = normalize_url(url).get_backend_name()
        # A server that does not answer should fail the test in seconds, not minutes.
        kwargs = {} if backend == "sqlite" else {"connect_args": {"connect_timeout": 5}}
        database = Database(url, **kwargs)
    except DatabaseUrlError as exc:
        raise CheckFailed(str(exc)) from None
    try:
        with database.read() as session:
            session.execute(text("SELECT 1"))
            version = database.engine.dialect.server_version_info
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:200]
        raise CheckFailed(f"Cannot reach {database.display_url}: {detail}") from None
    finally:
        database.dispose()
    shown = ".".join(str(p) for p in version) if version else ""
    return f"Connected to {database.backend} {shown} at {database.display_url}".strip()


def check_ai(base_url: str, model: str, api_key: str | None) -> str:
    """Lists the server's models (cheap, no tokens spent) and looks for ``model``."""
    from openai import OpenAI, OpenAIError

    client = OpenAI(api_key=api_key or "not-needed", base_url=base_url or None, timeout=TIMEOUT_S, max_retries=0)
    try:
        models = [m.id for m in client.models.list()]
    except OpenAIError as exc:
        raise CheckFailed(f"The AI server did not answer as expected ({type(exc).__name__}).") from None
    where = base_url or "OpenAI"
    if model and models and model not in models:
        raise CheckFailed(f"{where} answered, but has no model named {model!r}.")
    return f"{where} answered; model {model or '(none set)'} is available."


def check_outbox(folder: Path) -> str:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".probe-")
        os.close(fd)
        Path(probe).unlink()
    except OSError as exc:
        raise CheckFailed(f"Cannot write to the outbox folder {folder}: {exc.strerror}") from None
    return f"Handoffs will be written to {folder}."


def check_hubspot(base_url: str, token: str | None) -> str:
    """Reads one contact: proves the token works and has the CRM scope (no record is written)."""
    if not token:
        raise CheckFailed("Enter the HubSpot private-app token first.")
    base = (base_url or "https://api.hubapi.com").rstrip("/")
    try:
        response = requests.get(
            f"{base}/crm/v3/objects/contacts",
            params={"limit": 1},
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT_S,
        )
    except requests.RequestException as exc:
        raise CheckFailed(f"Cannot reach {base} ({type(exc).__name__}).") from None
    if response.status_code in (401, 403):
        raise CheckFailed(f"HubSpot refused the token (HTTP {response.status_code}): check it and its CRM scopes.")
    if response.status_code != 200:
        raise CheckFailed(f"HubSpot answered HTTP {response.status_code}.")
    return "HubSpot accepted the token; contacts can be read."


def check_http(url: str, token: str | None) -> str:
    if not url:
        raise CheckFailed("Enter the endpoint URL first.")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        response = requests.get(url, headers=headers, timeout=TIMEOUT_S)
    except requests.RequestException as exc:
        raise CheckFailed(f"Cannot reach {url} ({type(exc).__name__}).") from None
    if response.status_code in (401, 403):
        raise CheckFailed(f"{url} refused the token (HTTP {response.status_code}).")
    return f"{url} answered (HTTP {response.status_code})."
