"""Angi Leads (Angi Lead Integration API): one JSON POST per new lead, nothing else.

Source: Angi's partner reference "Angi Lead Integration API" (intercom.help/angi, article
15304819) documents the transport: a JSON POST per new lead in real time, an optional
``x-api-key`` header, a JSON success answer. The stored copy of that article shows only its
opening, so the field names were taken from the HomeAdvisor JSON Lead Feed it continues
(see ``homeadvisor``) and checked against public client code built on Angi's field list.
Angi-only fields: ``leadSource`` (AngiesList, HomeAdvisor...), ``automatedContactCompliant``
with ``automatedContactConsentId``, ``primaryPhoneDetails.maskedNumber``, ``trustedFormUrl``.

Mapping (in ``_marketplace.feed_lead_events``):

* ``leadOid`` is the lead id (required; keys ``angi:lead:<leadOid>`` and
  ``angi:quote:<leadOid>``); ``srOid`` is the service request, shared by the pros Angi sent it
  to, and goes to attribution as ``sr_id``.
* ``spEntityId`` (the pro's Angi account) is ``account_ref``.
* Contact: ``name`` (else ``firstName`` + ``lastName``), ``primaryPhone`` (else
  ``secondaryPhone``) in E.164, ``email``. A lead with neither a usable phone nor an email is
  quarantined. A masked primary number is kept (assumed to forward to the customer) and
  flagged in ``data["phone_masked"]``. The number's extension (``phoneExt``, else
  ``secondaryPhoneExt`` with the secondary number, else one written into the number) is
  ``contact.phone_extension`` and ``data["phone_extension"]``, never part of the E.164 phone.
* ``taskName`` is the service; ``comments`` plus the ``interview`` Q&A are ``free_text``. The
  interview is a list of ``{"question", "answer"}`` objects, or in older feeds one text of
  ``Question:Answer;`` pairs; anything else is quarantined.
* ``city``/``stateProvince``/``postalCode`` are the location; ``address`` (street) is dropped.
* ``fee`` is ``lead_price``; ``leadSource``, ``matchType``, ``leadDescription``,
  ``contactStatus`` and ``crmKey`` are attribution.
* Consent is granted only when ``automatedContactCompliant`` is true (its consent id is kept
  in ``data["consent_id"]``); false or absent is unknown, not a refusal.
* No lead time is documented: the event is dated by the delivery's ``received_at``.
* An interview budget answer makes it a quote request too. Angi posts nothing but new leads,
  so a body without ``leadOid``/``srOid`` is quarantined as an unknown shape.
"""

from __future__ import annotations

from app.pipeline.model import NormalizedEvent, RawDelivery
from app.pipeline.normalizers._marketplace import feed_lead_events

PROVIDER = "angi"


def normalize(delivery: RawDelivery, max_body_bytes: int) -> list[NormalizedEvent]:
    return feed_lead_events(delivery, max_body_bytes, provider=PROVIDER, source="Angi")
