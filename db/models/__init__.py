"""All mapped tables. Importing this package registers every table on ``Base.metadata``."""

from db.models.cadence import ClientCadence, LeadRating, ReviewRequest
from db.models.consent import ContactConsent
from db.models.control import AuditEntry, AutomationPause, ControlLock
from db.models.duty import ClientOwner, ClientSlaPolicy, DutyShift, OwnerAlert
from db.models.integrations import (
    DataSource,
    IntegrationAccount,
    IntegrationSyncRun,
    MetricSnapshot,
    ProviderImportBatch,
    WebhookEvent,
)
from db.models.leads import Event, Lead, OwnerTask
from db.models.outbound import ApprovedSnippet, CrmHandoff, Message, MessageTemplate, PortalNote
from db.models.people import Client, ClientService, Project, User
from db.models.reports import ClientReport, ReportProof
from db.models.review import Draft, ReviewItem, RiskFlag

__all__ = [
    "ApprovedSnippet",
    "AuditEntry",
    "AutomationPause",
    "ControlLock",
    "Client",
    "ClientCadence",
    "ClientOwner",
    "ClientReport",
    "ClientSlaPolicy",
    "ClientService",
    "ContactConsent",
    "CrmHandoff",
    "DataSource",
    "DutyShift",
    "Draft",
    "Event",
    "IntegrationAccount",
    "IntegrationSyncRun",
    "Lead",
    "LeadRating",
    "Message",
    "MessageTemplate",
    "MetricSnapshot",
    "OwnerAlert",
    "OwnerTask",
    "PortalNote",
    "Project",
    "ProviderImportBatch",
    "ReportProof",
    "ReviewItem",
    "ReviewRequest",
    "RiskFlag",
    "User",
    "WebhookEvent",
]
