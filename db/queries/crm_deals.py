"""Which leads a CRM's deals belong to: the handoffs the CRM answered with the deal's id, and
the clients a CRM account (a HubSpot portal) is mapped to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import CrmHandoff, IntegrationAccount, Lead


def deal_leads(
    session: Session, adapters: Sequence[str], external_ids: Sequence[str]
) -> dict[str, list[tuple[int, int]]]:
    """External id -> the (lead id, client id) pairs whose handoffs got it, each once, by lead
    id; read off the ``(adapter, external_id)`` index."""
    found: dict[str, set[tuple[int, int]]] = defaultdict(set)
    ordered = sorted(set(external_ids))
    for start in range(0, len(ordered), 500):
        rows = session.execute(
            select(CrmHandoff.external_id, Lead.id, Lead.client_id)
            .join(Lead, Lead.id == CrmHandoff.lead_id)
            .where(CrmHandoff.adapter.in_(adapters), CrmHandoff.external_id.in_(ordered[start : start + 500]))
        )
        for external_id, lead_id, client_id in rows:
            found[external_id].add((lead_id, client_id))
    return {external_id: sorted(pairs) for external_id, pairs in found.items()}


def account_clients(session: Session, provider: str, external_account_id: str) -> set[int]:
    """The clients whose ``provider`` account is ``external_account_id``, as the database has it now."""
    return set(
        session.scalars(
            select(IntegrationAccount.client_id).where(
                IntegrationAccount.provider == provider,
                IntegrationAccount.external_account_id == external_account_id,
                IntegrationAccount.client_id.is_not(None),
            )
        )
    )
