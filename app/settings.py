"""The desk's settings, declared once: name, type, default, limits and a description.

Values live in ``settings.json`` in the config folder. Secrets (AI key, CRM token, database
password) never live here: they go to the OS keyring through ``app.secrets``. A bad or
hand-edited file never stops the desk from starting: each value that fails validation falls
back to its default and the problem is reported.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any


def setting(
    default: Any,
    description: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    choices: tuple[str, ...] | None = None,
) -> Any:
    return field(
        default=default,
        metadata={"description": description, "minimum": minimum, "maximum": maximum, "choices": choices},
    )


@dataclass
class Settings:
    database_url: str = setting(
        "", "Database URL, without its password (kept in the keyring). Empty means SQLite in the user's data folder."
    )
    database_password_in_keyring: bool = setting(
        False,
        "The database password was saved in the system keyring (the desk sets this when it saves "
        "one); off, a start does not ask the keyring for it.",
    )
    user_login: str = setting("", "Who is reviewing at this desk. Empty means the operating-system login.")
    poll_interval_s: float = setting(
        5.0, "Seconds between polls of webhook_events and the queue.", minimum=0.5, maximum=3600
    )
    poll_batch_size: int = setting(
        50,
        "Webhook events the desk processes per poll. Small, so a reviewer's action never waits "
        "long behind a poll on the desk's database thread.",
        minimum=1,
        maximum=10_000,
    )
    worker_batch_size: int = setting(
        500, "Webhook events the headless worker processes per batch.", minimum=1, maximum=10_000
    )
    undo_window_s: float = setting(
        10.0,
        "Seconds an approval waits before it leaves the desk; until then it can be undone.",
        minimum=0,
        maximum=3600,
    )
    claim_lease_s: float = setting(
        120.0, "Seconds a claim on an open item lasts without a heartbeat.", minimum=15, maximum=3600
    )
    supervisor_on_duty: str = setting(
        "",
        "Login of the supervisor who gets the task when a rule pauses an automation. "
        "Empty: the first active supervisor, then the first admin.",
    )
    ai_base_url: str = setting("", "OpenAI-compatible API base URL (empty: OpenAI). Ollama: http://localhost:11434/v1")
    ai_model: str = setting("gpt-4o-mini", "Model name for drafting.")
    ai_timeout_s: float = setting(
        30.0, "Seconds to wait for one AI answer before retrying or drafting offline.", minimum=1, maximum=600
    )
    ai_max_retries: int = setting(
        2, "Retries of a failed AI request (429, 5xx, timeouts), honouring Retry-After.", minimum=0, maximum=10
    )
    ai_concurrency: int = setting(4, "AI drafts requested at the same time.", minimum=1, maximum=64)
    ai_temperature: float = setting(0.2, "Sampling temperature for AI drafts.", minimum=0, maximum=2)
    ai_redact_pii: bool = setting(
        True, "Replace phone numbers, emails and street addresses before text goes to the model."
    )
    ai_output_mode: str = setting(
        "auto",
        "auto (structured output, else JSON mode, else plain), json_schema, json_object or text.",
        choices=("auto", "json_schema", "json_object", "text"),
    )
    ai_api_key_env: str = setting("", "Opt-in: read the AI key from this environment variable instead of the keyring.")
    ai_key_in_keyring: bool = setting(
        False,
        "An AI key was saved in the system keyring (the desk sets this when it saves one). "
        "Off, a start does not ask the keyring at all: finding its backend costs a worker start "
        "0.15 s, and a headless server often has no keyring to ask.",
    )
    crm_adapter: str = setting(
        "outbox",
        "Where approved CRM handoffs go: outbox (a local folder), hubspot or webhook.",
        choices=("outbox", "hubspot", "webhook"),
    )
    crm_base_url: str = setting("", "CRM or webhook endpoint URL (HubSpot: https://api.hubapi.com).")
    crm_client_adapters: str = setting(
        "",
        "A different CRM adapter for some clients: 'Client name = hubspot; Other client = outbox'. "
        "Clients not named use crm_adapter.",
    )
    hubspot_deal_mapping: str = setting(
        "",
        "HubSpot pipeline, stage and owner per client: 'Client name = pipeline/stage/owner id; ...'. "
        "Clients not named get the default pipeline's first stage.",
    )
    hubspot_requests_per_10s: int = setting(
        100, "HubSpot's request limit per ten seconds for this portal (kept on our side).", minimum=1, maximum=1000
    )
    queue_columns: str = setting(
        "",
        "The queue's visible columns, by name and comma-separated, as the reviewer chose them "
        "(View > Queue columns). Empty: Priority, Age, Client, Kind, Lead, Flags, State.",
    )
    max_body_bytes: int = setting(
        512 * 1024,
        "Largest webhook body accepted; larger ones are quarantined.",
        minimum=1024,
        maximum=16 * 1024 * 1024,
    )

    @classmethod
    def describe(cls) -> list[tuple[str, str, Any, str]]:
        """(name, type, default, description) for every setting, for help and docs."""
        return [
            (f.name, f.type if isinstance(f.type, str) else f.type.__name__, f.default, f.metadata["description"])
            for f in fields(cls)
            if f.default is not MISSING
        ]


def _coerce(name: str, raw: Any, default: Any, meta: dict[str, Any]) -> Any:
    kind = type(default)
    if kind is bool or isinstance(raw, bool):
        if not isinstance(raw, bool) or kind is not bool:
            raise ValueError(f"{name} must be {kind.__name__}")
        return raw
    if kind is float and isinstance(raw, int):
        raw = float(raw)
    if not isinstance(raw, kind):
        raise ValueError(f"{name} must be {kind.__name__}, not {type(raw).__name__}")
    if meta["minimum"] is not None and raw < meta["minimum"]:
        raise ValueError(f"{name} must be at least {meta['minimum']}")
    if meta["maximum"] is not None and raw > meta["maximum"]:
        raise ValueError(f"{name} must be at most {meta['maximum']}")
    if meta["choices"] is not None and raw not in meta["choices"]:
        raise ValueError(f"{name} must be one of {', '.join(meta['choices'])}")
    return raw


def validate(values: dict[str, Any]) -> tuple[Settings, list[str]]:
    """Build settings from raw values; returns them with a list of readable problems."""
    problems: list[str] = []
    known = {f.name: f for f in fields(Settings)}
    accepted: dict[str, Any] = {}
    for name, raw in values.items():
        spec = known.get(name)
        if spec is None:
            problems.append(f"unknown setting {name!r} ignored")
            continue
        try:
            accepted[name] = _coerce(name, raw, spec.default, dict(spec.metadata))
        except ValueError as exc:
            problems.append(f"{exc}; using the default {spec.default!r}")
    return Settings(**accepted), problems


def load_settings(path: Path) -> tuple[Settings, list[str]]:
    if not path.exists():
        return Settings(), []
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Settings(), [f"settings file {path} unreadable ({exc}); using defaults"]
    if not isinstance(values, dict):
        return Settings(), [f"settings file {path} is not a JSON object; using defaults"]
    # Desks before ai_key_in_keyring asked the keyring every time: keep asking for their files.
    values.setdefault("ai_key_in_keyring", True)
    return validate(values)


def save_settings(settings: Settings, path: Path) -> None:
    """Write atomically, so a crash mid-save never leaves a truncated file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(settings), handle, indent=2, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
