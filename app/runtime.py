"""What a running desk or worker is made of: paths, settings, the database URL, the drafter.

The database URL is chosen in this order: ``--db``, then ``REVIEW_DESK_DB_URL``, then the
``database_url`` setting (with its password from the keyring, in memory only), then SQLite in
the user's data folder.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.ai.config import AiConfig
from app.crm.adapters import Adapter, OutboxFolder, PerClient, Unusable, parse_client_adapters
from app.crm.signing import BadSignature
from app.database_address import move_password_to_keyring, stored_password, with_password
from app.identity import Actor, database_login, default_login, ensure_user
from app.paths import AppPaths
from app.pipeline.drafting import Drafter, OfflineSummarizer
from app.pipeline.poller import IngestConfig, PollConfig
from app.secrets import AI_API_KEY, CRM_TOKEN, SecretsUnavailable, get_secret
from app.settings import Settings, load_settings
from db.engine import Database, normalize_url
from db.migrate import upgrade
from db.vocab import Role

if TYPE_CHECKING:  # the openai SDK, requests and the demo generator load only when used
    from app.ai.stage import DraftingStage

log = logging.getLogger(__name__)

DB_URL_ENV = "REVIEW_DESK_DB_URL"
DEMO_EVENTS_ON_FIRST_RUN = 120
DESK_SQLITE_CACHE_MIB = 4  # per connection; the desk has one per thread
# A server that does not answer fails a connection in seconds, not after the system's TCP
# timeout (about two minutes): the recovery dialog, a quit or the reconnecting notice wait for it.
SERVER_CONNECT_TIMEOUT_S = 10


def resolve_database_url(cli_url: str | None, settings: Settings, paths: AppPaths) -> str:
    for candidate in (cli_url, os.environ.get(DB_URL_ENV)):
        if candidate and candidate.strip():
            return candidate.strip()
    if settings.database_url.strip():
        return with_password(settings.database_url.strip(), stored_password(settings))
    return local_database_url(paths)


def local_database_url(paths: AppPaths) -> str:
    """This computer's database: SQLite in the user's data folder."""
    return f"sqlite:///{paths.default_database_file}"


@dataclass
class Runtime:
    paths: AppPaths
    settings: Settings
    database_url: str
    settings_problems: list[str] = field(default_factory=list)

    @classmethod
    def create(cls, cli_url: str | None = None, paths: AppPaths | None = None) -> Runtime:
        paths = paths or AppPaths.from_environment()
        paths.ensure()
        settings, problems = load_settings(paths.settings_file)
        settings = move_password_to_keyring(settings, paths.settings_file)
        return cls(paths, settings, resolve_database_url(cli_url, settings, paths), problems)

    def open_database(self, sqlite_cache_mib: int = 32) -> Database:
        """Open the database and bring its schema up to date (an older one is upgraded)."""
        server = normalize_url(self.database_url).get_backend_name() != "sqlite"
        timeout = {"connect_args": {"connect_timeout": SERVER_CONNECT_TIMEOUT_S}} if server else {}
        database = Database(self.database_url, sqlite_cache_mib, **timeout)
        try:
            upgrade(database.engine)
        except Exception:
            database.dispose()
            raise
        return database

    def open_for_desk(self, demo_if_empty: bool = False) -> tuple[Database, int]:
        """Open (and upgrade) the database; load demo data into an empty one if asked.
        Returns the database and how many demo events were written."""
        database = self.open_database(DESK_SQLITE_CACHE_MIB)
        try:
            demo = 0
            if demo_if_empty:
                from app.demo import has_any_webhook_events, write_demo_events
                from app.demo_team import ensure_demo_operations, write_demo_history

                with database.write() as session:
                    if not has_any_webhook_events(session):
                        demo = write_demo_events(session, DEMO_EVENTS_ON_FIRST_RUN)
                        ensure_demo_operations(session)
                        write_demo_history(session)
        except Exception:
            database.dispose()
            raise
        return database, demo

    def first_start(self, args: object) -> bool:
        """No settings file yet and no database named on the command line or in the
        environment: the welcome asks where the reviews live."""
        named = getattr(args, "db", None) or os.environ.get(DB_URL_ENV)
        return not self.paths.settings_file.exists() and not named

    def needs_identity(self) -> bool:
        """A personal SQLite desk asks who is reviewing on first run; a shared server knows
        from the database login."""
        return self.database_url.startswith("sqlite") and not self.settings.user_login.strip()

    def identify(self, database: Database, login: str | None = None, role: Role | None = None) -> Actor:
        with database.write() as session:
            who = database_login(session) or login or default_login(self.settings.user_login)
            return ensure_user(session, who, role=role)

    def prepare_desk(self, demo_if_empty: bool = False) -> tuple[Database, Actor, int]:
        """Open the database, know the user, load demo data if asked (headless uses)."""
        database, demo = self.open_for_desk(demo_if_empty)
        try:
            actor = self.identify(database)
        except Exception:
            database.dispose()
            raise
        return database, actor, demo

    def drafter(self) -> Drafter:
        """The drafter at ingest: always the offline one (fast, never fails). With an AI
        server configured, the drafting stage replaces its drafts afterwards."""
        return OfflineSummarizer()

    def poll_config(self, source: str, ai_on: bool = False) -> PollConfig:
        """The desk polls in small batches, the headless worker in large ones."""
        batch = self.settings.worker_batch_size if source == "worker" else self.settings.poll_batch_size
        return PollConfig(
            ingest=IngestConfig(drafter=self.drafter(), source=source, await_ai=ai_on),
            batch_size=batch,
            max_body_bytes=self.settings.max_body_bytes,
        )

    def ai_api_key(self) -> str | None:
        """From an environment variable when the settings name one, else from the keyring when
        the settings say a key was saved there."""
        variable = self.settings.ai_api_key_env.strip()
        if variable:
            return os.environ.get(variable) or None
        if not self.settings.ai_key_in_keyring:
            return None
        try:
            return get_secret(AI_API_KEY)
        except SecretsUnavailable as exc:
            log.warning("AI key not read: %s", exc)
            return None

    def ai_config(self) -> AiConfig | None:
        """None when AI drafting is off: no key and no server URL (a local server such as
        Ollama needs a URL but no key)."""
        key = self.ai_api_key()
        s = self.settings
        if not key and not s.ai_base_url.strip():
            return None
        return AiConfig(
            model=s.ai_model,
            base_url=s.ai_base_url.strip(),
            api_key=key,
            timeout_s=s.ai_timeout_s,
            max_retries=s.ai_max_retries,
            temperature=s.ai_temperature,
            concurrency=s.ai_concurrency,
            redact_pii=s.ai_redact_pii,
            structured=s.ai_output_mode,
        )

    def crm_adapter(self) -> Adapter | None:
        """Where approved CRM handoffs go: HubSpot, a signed webhook, or the local outbox folder,
        per client when ``crm_client_adapters`` names some. None (handoffs wait, visibly, in the
        outbox table) when the chosen one cannot be used: no token or secret in the keyring, no
        webhook URL, or an unreadable mapping. Per client, such a client's handoffs wait and its
        preview says why."""
        default = self._adapter(self.settings.crm_adapter)
        try:
            chosen = parse_client_adapters(self.settings.crm_client_adapters)
        except ValueError as exc:
            log.warning("crm_client_adapters unusable: %s; every client uses %s", exc, self.settings.crm_adapter)
            chosen = {}
        if not chosen:
            return None if isinstance(default, Unusable) else default
        built = {name: self._adapter(name) for name in set(chosen.values())}
        return PerClient({client: built[name] for client, name in chosen.items()}, default)

    def _adapter(self, name: str) -> Adapter:
        """The adapter ``name``, or an ``Unusable`` one saying why not (and logging it)."""
        s = self.settings
        if name == "outbox":
            return OutboxFolder(self.paths.data_dir / "outbox")
        try:
            secret = get_secret(CRM_TOKEN)
        except SecretsUnavailable as exc:
            return _unusable(f"CRM token not read: {exc}")
        if not secret:
            return _unusable("no CRM token in the keyring")
        try:
            if name == "hubspot":
                from app.crm.hubspot import HubSpot, RateLimiter, parse_deal_mapping

                return HubSpot(
                    s.crm_base_url.strip(),
                    secret,
                    parse_deal_mapping(s.hubspot_deal_mapping),
                    RateLimiter(s.hubspot_requests_per_10s),
                )
            if not s.crm_base_url.strip():
                return _unusable("no webhook URL for CRM handoffs")
            from app.crm.webhook import SignedWebhook

            return SignedWebhook(s.crm_base_url.strip(), secret)
        except (BadSignature, ValueError) as exc:
            return _unusable(f"CRM settings unusable: {exc}")

    def drafting_stage(self, database: Database, config: AiConfig, source: str) -> DraftingStage:
        from app.ai.drafter import AiDrafter
        from app.ai.stage import DraftingStage

        return DraftingStage(database, AiDrafter(config), config.concurrency, source)


def _unusable(reason: str) -> Unusable:
    log.warning("CRM adapter not usable: %s (Settings → CRM handoffs); handoffs wait", reason)
    return Unusable(reason)
