"""Secrets (AI key, CRM token, the shared database's password) in the operating system's
keyring, never in files or logs.

keyring is imported at the first secret asked for: finding the platform's backend loads every
backend it knows and costs a worker or desk start about 0.15 s, which a start that needs no
secret should not pay.
"""

from __future__ import annotations

SERVICE = "review-desk"
AI_API_KEY = "ai_api_key"
CRM_TOKEN = "crm_token"
WEBHOOK_SECRET = "webhook_signing_secret"
DATABASE_PASSWORD = "database_password"  # the URL in settings.json never holds it


class SecretsUnavailable(Exception):
    """No usable keyring: say so plainly instead of storing the secret somewhere worse."""


def _explain(exc: Exception) -> SecretsUnavailable:
    from keyring.errors import NoKeyringError

    if isinstance(exc, NoKeyringError):
        return SecretsUnavailable(
            "No system keyring is available, so the secret was not stored. Install or unlock "
            "one (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Manager)."
        )
    return SecretsUnavailable(f"The system keyring refused the request ({type(exc).__name__}).")


def get_secret(name: str) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, name)
    except KeyringError as exc:
        raise _explain(exc) from None


def set_secret(name: str, value: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    if not value:
        delete_secret(name)
        return
    try:
        keyring.set_password(SERVICE, name, value)
    except KeyringError as exc:
        raise _explain(exc) from None


def delete_secret(name: str) -> None:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, name)
    except PasswordDeleteError:
        return
    except KeyringError as exc:
        raise _explain(exc) from None
