"""A lead's stage and the client's CRM deal stage, both ways: what a stage handoff sends
(``app.services.stage_handoffs``) and what a deal change the CRM reports means for the lead
(``app.pipeline.crm_stages``). Here, beside both, since the pipeline sits below the services.

``STAGE_MAP`` is the one mapping table. Its values are the internal stage ids of HubSpot's
default deal pipeline (``default``): appointmentscheduled, qualifiedtobuy,
presentationscheduled, decisionmakerboughtin, contractsent, closedwon, closedlost. A quote
("proposal sent") is ``presentationscheduled``, the stage where the offer is put to the buyer.
Booked is not handed off (the guides' workflow names qualified, proposal sent, won, lost and
archived). Archived has no deal stage of its own: a lead is archived only from won or lost
(``app.stage_rule.TRANSITIONS``), so its deal stays at the closed stage it reached.

The way back, ``FROM_CRM``, is its inverse: the other deal stages (appointmentscheduled,
decisionmakerboughtin, contractsent, any custom pipeline's) have no lead stage. HubSpot's
``closed_lost_reason`` is free text: it is one of ours when it is our code, the words we send
(``LOST_WORDS``) or the words a person reads (``LOST_REASON_WORDS``), in any letter case and
spacing.
"""

from __future__ import annotations

from db.vocab import LOST_REASON_WORDS, LeadStage, LostReason

PIPELINE = "default"
STAGE_MAP: dict[LeadStage, str] = {
    LeadStage.QUALIFIED: "qualifiedtobuy",
    LeadStage.QUOTED: "presentationscheduled",
    LeadStage.WON: "closedwon",
    LeadStage.LOST: "closedlost",
}
FROM_CRM: dict[str, LeadStage] = {deal_stage: stage for stage, deal_stage in STAGE_MAP.items()}
# The lost reasons as the CRM reads them (``closed_lost_reason``) and a deal-update note says them.
LOST_WORDS: dict[str, str] = {
    LostReason.NO_RESPONSE: "no response from the customer",
    LostReason.PRICE: "the price",
    LostReason.CHOSE_COMPETITOR: "the customer chose another company",
    LostReason.OUT_OF_AREA: "outside the service area",
    LostReason.NOT_A_FIT: "not a fit for the service",
    LostReason.TIMING: "the timing",
    LostReason.SPAM_OR_INVALID: "not a real inquiry",
    LostReason.OTHER: "another reason",
}


def lost_reason_from_crm(text: str | None) -> LostReason | None:
    """Our lost reason for the CRM's ``closed_lost_reason`` text, or None when it is none of ours."""
    said = " ".join((text or "").split()).lower()
    for code in LostReason:
        if said in (code.value, LOST_WORDS[code].lower(), LOST_REASON_WORDS[code].lower()):
            return code
    return None
