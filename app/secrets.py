"""Secrets (AI key, CRM token) in the operating system's keyring, never in files or logs."""

from __future__ import annotations

import keyring
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

SERVICE = "review-desk"
AI_API_KEY = "ai_api_key"
CRM_TOKEN = "crm_token"
WEBHOOK_SECRET = "webhook_signing_secret"


class SecretsUnavailable(Exception):
    """No usable keyring: say so plainly instead of storing the secret somewhere worse."""


def _explain(exc: Exception) -> SecretsUnavailable:
    if isinstance(exc, NoKeyringError):
        return SecretsUnavailable(
            "No system keyring is available, so the secret was not stored. Install or unlock "
            "one (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Manager)."
        )
    return SecretsUnavailable(f"The system keyring refused the request ({type(exc).__name__}).")


def get_secret(name: str) -> str | None:
    try:
        return keyring.get_password(SERVICE, name)
    except KeyringError as exc:
        raise _explain(exc) from None


def set_secret(name: str, value: str) -> None:
    if not value:
        delete_secret(name)
        return
    try:
        keyring.set_password(SERVICE, name, value)
    except KeyringError as exc:
        raise _explain(exc) from None


def delete_secret(name: str) -> None:
    try:
        keyring.delete_password(SERVICE, name)
    except PasswordDeleteError:
        return
    except KeyringError as exc:
        raise _explain(exc) from None


def has_secret(name: str) -> bool:
    try:
        return bool(get_secret(name))
    except SecretsUnavailable:
        return False
