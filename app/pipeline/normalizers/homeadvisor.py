"""HomeAdvisor leads (HomeAdvisor JSON Lead Feed, now run by Angi): one JSON POST per lead.

Source: "HomeAdvisor JSON Lead Feed" (homeadvisor.com/r/feed): leads are posted as JSON in real
time when assigned to the pro's account, and retried 3 times 15 minutes apart when the answer
is not a 200 with the agreed success string, so the same lead can arrive more than once (the
key is the lead id). Its field table gives ``name``, ``firstName``, ``lastName``, ``address``,
``city``, ``stateProvince``, ``postalCode`` and ``primaryPhone`` (for a pro in HomeAdvisor's
call reporting program, a tracking number that forwards to the homeowner). The rest of the
stored table is cut off. Angi's "NEW JSONV2 Lead Feed" instructions (the same table, complete)
add ``secondaryPhone``, ``phoneExt`` and ``secondaryPhoneExt`` ("this will be the assigned call
reporting extension unique to the homeowner's primary phone number"), ``email``, ``fee``,
``interview`` (an array of ``question``/``answer``), ``comments``, ``spPartnerId`` and an
optional ``appointment``; older feeds send ``interview`` as one text of ``Question:Answer;``
pairs. ``srOid`` (job), ``leadOid`` (lead), ``taskName``, ``matchType``,
``leadDescription``, ``contactStatus``, ``interview``, ``spEntityId``/``spCompanyName``,
``crmKey`` and ``fee`` come from LeadConduit's HomeAdvisor integration field list and public
client code of the same feed.

The feed is JSON, so no XML is parsed here. The payload shape and mapping are Angi's (Angi's
Lead Integration API is this feed renamed): see ``angi`` for the field-by-field mapping; the
keys are ``homeadvisor:lead:<leadOid>`` / ``homeadvisor:quote:<leadOid>`` and the source is
"HomeAdvisor". ``automatedContactCompliant`` is not in the classic table; a classic post
without it has unknown consent.
"""

from __future__ import annotations

from app.pipeline.model import NormalizedEvent, RawDelivery
from app.pipeline.normalizers._marketplace import feed_lead_events

PROVIDER = "homeadvisor"


def normalize(delivery: RawDelivery, max_body_bytes: int) -> list[NormalizedEvent]:
    return feed_lead_events(delivery, max_body_bytes, provider=PROVIDER, source="HomeAdvisor")
