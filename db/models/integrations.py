"""Provider accounts, data sources, sync runs, import batches and the raw webhook intake."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Tracked
from db.types import BigText, Json, RawBytes, UtcDateTime, utcnow


class IntegrationAccount(Base):
    """A connection to a provider or CRM. ``secret_ref`` names a keyring entry, never a secret."""

    __tablename__ = "integration_accounts"
    __table_args__ = (Index(None, "provider", "external_account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    provider: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(200))
    external_account_id: Mapped[str | None] = mapped_column(String(120))
    secret_ref: Mapped[str | None] = mapped_column(String(200))
    config: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    status: Mapped[str] = mapped_column(String(32), default="active")
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class DataSource(Base):
    """Where client proof comes from; stale beyond ``freshness_hours`` marks drafts stale."""

    __tablename__ = "data_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    integration_account_id: Mapped[int | None] = mapped_column(ForeignKey("integration_accounts.id"))
    provider: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(200))
    freshness_hours: Mapped[int] = mapped_column(Integer, default=48)
    last_synced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(32), default="active")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class IntegrationSyncRun(Tracked, Base):
    """One run of a sync or push against an integration (CRM push, provider pull)."""

    __tablename__ = "integration_sync_runs"
    __table_args__ = (Index(None, "integration_account_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    integration_account_id: Mapped[int | None] = mapped_column(ForeignKey("integration_accounts.id"))
    kind: Mapped[str] = mapped_column(String(32))
    idempotency_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    items_total: Mapped[int] = mapped_column(Integer, default=0)
    items_ok: Mapped[int] = mapped_column(Integer, default=0)
    items_failed: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(BigText)


class ProviderImportBatch(Tracked, Base):
    """A batch of rows imported from a provider (QuickBooks, Search Console, marketplaces)."""

    __tablename__ = "provider_import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    data_source_id: Mapped[int | None] = mapped_column(ForeignKey("data_sources.id"), index=True)
    provider: Mapped[str] = mapped_column(String(64))
    external_batch_id: Mapped[str | None] = mapped_column(String(160))
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)
    rows_quarantined: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    error: Mapped[str | None] = mapped_column(BigText)


class MetricSnapshot(Tracked, Base):
    """A provider metric at a point in time: client-safe proof once reviewed."""

    __tablename__ = "metric_snapshots"
    __table_args__ = (Index(None, "client_id", "metric", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    data_source_id: Mapped[int | None] = mapped_column(ForeignKey("data_sources.id"))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("provider_import_batches.id"))
    metric: Mapped[str] = mapped_column(String(64))
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    unit: Mapped[str] = mapped_column(String(16), default="")
    period_start: Mapped[datetime | None] = mapped_column(UtcDateTime)
    period_end: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WebhookEvent(Tracked, Base):
    """A raw provider delivery as the automation layer received it. Internal, never shown raw.

    ``status`` is new, processed, quarantined (``error`` says why) or held. The body is kept
    byte for byte so a bad delivery can be inspected and replayed after a fix.
    """

    __tablename__ = "webhook_events"
    # (received_at, status): the quarantine-rate auto-pause rule reads the last hour's deliveries;
    # (status, received_at): the KPIs' quarantined deliveries of a period (0014).
    __table_args__ = (
        Index(None, "status", "id"),
        Index(None, "received_at", "status"),
        Index(None, "status", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    integration_account_id: Mapped[int | None] = mapped_column(ForeignKey("integration_accounts.id"))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    content_type: Mapped[str] = mapped_column(String(128), default="application/json")
    headers: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    body: Mapped[bytes] = mapped_column(RawBytes)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(1000))
