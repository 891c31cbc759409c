"""Money movement: paying, charging, refunds, deposits, invoices, payment channels and
financing, in English and the Spanish leads often write.

Judgment calls:

* Asking for a refund is money movement; it is a complaint only when the words say so.
* A payment app used as a verb is still the app ("Venmo'd you", "zelled the deposit").
* Paying over time (installments, financing, a lender, "monthly payments") moves money; a
  refinanced mortgage that pays for the job does not ("we just refinanced").
* Charging a car, a phone or a battery, refrigerant in a system, a tax refund, the receipt for
  something bought at a store, being "in charge" and "they charged us an arm and a leg" are no
  payment; a lender asking for a form is paperwork, not financing.
* Money already held put to other work ("can the leftover balance go toward the gutters") moves
  money; so do fees for paying a certain way (a card surcharge) and splitting a bill into parts.
"""

from __future__ import annotations

import re

from app.pipeline.edge_text import EdgeText, Span
from db.vocab import FlagCode

CODE = FlagCode.MONEY_MOVEMENT
_SENT = "money.sent"  # sent, paid, owe...: next to an amount, money moved ("the 150 I sent")
_AMOUNT = "money.amount"
_MONEY_BACK = "money.back"  # "the money for the unused visits back"
_BACK = "money.back_word"
_FUNDS = "money.funds"  # money held: a balance, a credit, a deposit
_TOWARD = "money.toward"  # put to another use: "can that go toward the gutters"

PATTERNS: dict[str, tuple[str, ...]] = {
    CODE: (
        # cards
        "card .. on file",
        "on file .. card|charge",
        "credit|debit card*",
        "card number*|info*|details|ending",
        "visa",
        "mastercard",
        "master card",
        "amex",
        "american express",
        "discover card",
        "my|our|the discover",
        "cvv",
        "cvc",
        "hold|holds|authorization|pre-authorization ~ card|account",
        "same|different|another|other|new|second|both|two|my|our ~ card|cards",
        "company|corporate card",
        "card ~ to ~ hold|reserve|secure|book|confirm",
        "!business card*",
        "charge|charging|charged|run|running|bill|billing|put|use|process ~ card|cards",
        "charge it|that",
        "charge ~ my|our ~ account|visa|amex|mastercard",
        "charge ~ me|us ~ now|today",
        "charged|billed|charge|bill ~ twice|double|again",
        "charged|billed ~ me|us",
        "double|duplicate|unauthorized ~ charg*|bill*",
        "double-charg*",
        "double-bill*",
        "declin* .. charge*|card|payment|transaction",
        "charge|card|payment ~ declin*|bounced|failed|went",
        (
            "!charge|charges|charging|charged|recharge* ~ my|our|the|an|a|his|her ~ car|cars|phone|phones|"
            "battery|batteries|ev|evs|tesla|vehicle|truck|scooter|laptop|devices|refrigerant|freon|system|"
            "capacitor|line|lines"
        ),
        "!hold|holds|holding|keep|keeps ~ a|its|the ~ charge",
        "!in charge",
        "!charged|billed|charge|charges|charging ~ me|us|you|them|him|her ~ arm|fortune|ton",
        # fees for paying a certain way
        "convenience|processing|transaction|card|credit ~ fee*|surcharge*",
        "surcharg*",
        "contactless",
        "tap to pay",
        "tap|tapping ~ my|a ~ card|phone",
        # refunds, credits, chargebacks
        "refund*",
        "!tax refund*|return*",
        "reimburs*",
        "money back",
        "money ~ returned|refunded|reimbursed|credited",
        "return|returned|give|gave ~ back? ~ money|deposit|payment",
        "credit|credited|crediting ~ back|toward*|towards|from|for|on",
        "on ~ my|our|the ~ next ~ bill|invoice|statement",
        "apply|applied ~ credit",
        "store|account ~ credit",
        "chargeback*",
        "charge back",
        "charge-back*",
        "dispute|disputed|disputing|reverse|reversed ~ charge*|payment*|transaction*|bill|one",
        # deposits, paying ahead
        "deposit*",
        "!calcium|mineral|lime|limescale|sediment|scale|rust|iron|salt|white|crusty|hard|water ~ deposit*",
        "down payment*",
        "downpayment*",
        "retainer",
        "escrow",
        "prepay*",
        "pre-pay*",
        (
            "pay|paying|paid|pays ~ upfront|up|advance|ahead|half|part|partial|remotely|online|rest|"
            "remainder|remaining|balance|bill|invoice*|full|installments|tech|technician|guy|crew|cash|check|"
            "amount|total|directly|him|her|whoever"
        ),
        "pay|paying|paid ~ for ~ it|this|that|everything|all|them",
        "pay|paying|paid ~ for ~ work|job|repair*|part*|visit",
        "pay|paying|paid ~ everything|all ~ upfront|up|ahead|now|at|in",
        "half now|upfront|down|before|after|when|upon|on",
        "get|send|pay|settle|settling|cover|collect|clear|owe ~ balance|remainder|bill|tab|account|invoice",
        "get|give|bring|hand|getting|giving ~ payment*|money|cash",
        "!get|getting ~ money|cash ~ off",
        "bank|card|credit ~ statement*",
        "on ~ my|our ~ statement",
        "put|putting ~ anything|something|money|some|much? ~ down",
        "need|have|has ~ to ~ put|pay ~ down",
        "from|through|via ~ my|our ~ bank|account",
        "drop|dropped|dropping|drops|left|leave|bring|brought ~ off? ~ payment*|cash|money",
        "accounts payable",
        "our|their ap",
        "net 10|15|30|45|60|90",
        "collect|collecting|collects ~ payment*|money|cash|check|checks",
        "check|cheque ~ i|we ~ mailed|sent|wrote|gave|left|dropped",
        "check|cheque ~ bounced",
        "check|cash|card|credit|venmo|zelle|paypal or check|cash|card|credit|venmo|zelle",
        "rest|remainder|balance ~ on|at|upon|after ~ completion|finish|done",
        "owe",
        "owed",
        "owes",
        "owing",
        "overpa*",
        "underpa*",
        "already|just ~ paid",
        "paid|pay|paying ~ you|u|your",
        "was|were|got|been|get|getting ~ charged|billed",
        "receipt*",
        "!store|purchase|sales|gift|shipping ~ receipt*",
        "!receipt* from ~ the|a ~ store|shop|supplier",
        "retainage",
        "holdback",
        (
            "sent|send|got|get|getting|received|receive|mailed|email|emailed|emailing|text|texted|forward|"
            "forwarded|fax|faxed ~ bill|invoice*|statement"
        ),
        "final|full|remaining|entire|whole ~ balance|payment",
        (
            "bill|billing|invoice|invoicing ~ rental|management|property|leasing|insurance? ~ company|insurance|"
            "landlord|hoa|office|employer|agency|manager|association"
        ),
        "invoice*",
        # paying, whatever comes after it ("I'd rather pay in person", "we prefer to pay after")
        (
            "i|we|i'll|we'll|i'd|we'd|you'll|she'll|he'll|they'll|can|could|will|would|rather|prefer|to|gonna ~ "
            "pay|paying"
        ),
        "!pay|pays|paying|paid ~ attention|off|itself|tribute|respect*|compliment*|dearly|homage|heed",
        "!pay|paying ~ for ~ more|extra|anything|nothing",
        "!pay|paying|paid the price",
        "hand|handing|handed ~ .. check|checks|cheque*|cash",
        "put|charge|bill|add ~ it|this|that? ~ on|to ~ my|our|the ~ account|tab|card",
        # payment channels, their names used as verbs too ("Venmo'd you", "zelled it")
        "zell*",
        "venmo*",
        "paypal*",
        "pay pal",
        "cash app*",
        "cashapp*",
        "apple|google|samsung pay",
        "gpay",
        "e-transfer*",
        "etransfer*",
        "interac",
        "bitcoin",
        "crypto*",
        "gift card*",
        "money order*",
        "cashier's|cashiers|certified|personal|paper|business check*",
        "ach",
        "bank|wire transfer*",
        (
            "transfer|transferred|send|sent|sending|wire|wired ~ money|funds|payment|deposit|balance|amount|"
            "down|retainer"
        ),
        "bank wire",
        "by|via wire",
        "wire|wired you",
        "send|sent ~ wire",
        "routing number*",
        "routing|account|swift|iban ~ info*|details|numbers|number|#",
        "iban",
        "account|bank number*",
        "bank account*",
        "bank|banking|account details|info*",
        "funds",
        "cash",
        (
            "pay*|write|writes|wrote|writing|mail*|send|sends|sending|sent|cut|cuts|cutting|leave|leaving|left|drop*|"
            "take|takes|taking|accept*|bring|brings|bringing|give|gives|giving|hand|hands|handing|cash|cashed|"
            "cashing ~ check|checks|cheque*"
        ),
        "check in the mail",
        "checkbook",
        "post-dated|postdated|post-date|postdate ~ check*|cheque*",
        "make|made|making|write|writing ~ check|checks|cheque|it ~ out|payable",
        "payable",
        "with|by|using|via ~ card|cards",
        "need|want|require|requires|needs ~ money|payment*|deposit|cash ~ before|upfront|first|now|ahead",
        "check book",
        "by|via check|cheque",
        # payments and invoices
        (
            "send|sent|sending|make|made|making|mail*|process*|submit*|take|took|accept*|split|issue*|"
            "return*|schedule*|apply|applied|receive*|received ~ payment*"
        ),
        ("payment ~ link|portal|went|was|is|has|info*|details|confirmation|received|through|plan*|arrangement*"),
        "pay ~ link|links|portal|page|button|app",
        "unpaid",
        "past due",
        "overdue ~ invoice*|bill*|balance|payment*|amount",
        "remaining|outstanding|unpaid|open ~ balance|amount|invoice*",
        "balance due",
        "paid in full",
        "autopay",
        "auto-pay",
        "auto pay",
        "billing",
        "bill me|us|later|separately",
        "how do|can|should i|we pay|send",
        # paying over time
        "installment*",
        "financ*",
        "lender*",
        (
            "!lender|lenders|bank ~ needs|need|requires|require|wants|want|says|said|asked ~ a|the|some|us|me? ~ "
            "form*|paperwork|letter|document*|inspection|appraisal|signature|estimate|quote|report"
        ),
        "layaway",
        "payment plan*",
        "monthly ~ payment*|installment*|chunks",
        "pay|paying|paid ~ it? ~ monthly|weekly",
        "pay|paying ~ it? ~ over time|months",
        "pay|paying ~ it? ~ in ~ installments|chunks|parts|pieces",
        "split|break|divide|splitting|breaking ~ .. into|in ~ N? ~ chunks|payments|parts|pieces|installments",
        "can't|cant|cannot|couldn't ~ pay|afford|do ~ it|that|this|everything? ~ all ~ at once",
        "square|settle|squaring|settling ~ up",
        "foot ~ bill",
        "go|goes|going|put|putting|apply|applied|use|used|count|counted ~ it|that|this? ~ toward|towards",
        "!toward|towards ~ back|front|street|house|left|right|end|side|top|bottom|window|wall|door|fence",
        "pick|picking ~ up ~ tab|bill",
        "spread|split|break ~ cost|costs|payment*|bill|balance|total|price|it ~ out|up? ~ over|across|into",
        "no|zero|0 ~ interest ~ financing|for|loan|plan|option*",
        "0|zero apr",
        "apr financing",
        "interest-free",
        "credit ~ application|check",
        "synchrony",
        "greensky",
        "klarna",
        "afterpay",
        # Spanish: pay, card, cash, cheque, deposit, invoice, charge, refund, transfer, by instalments
        "pagar*",
        "pago|pagos|pague|pagamos|pagado|pagando|pagare|pagaremos|pagaria",
        "tarjeta*",
        "efectivo",
        "cheque",
        "factura*",
        "cobr*",
        "reembols*",
        "transferencia*",
        "a plazos",
        "mensualidad*",
        "financiamiento",
        "devolver|devuelvan|devuelven|regresar|regresen ~ el|mi|nuestro|su? ~ dinero|deposito",
    ),
    _SENT: (
        (
            "sent|send|paid|pay|paying|wired|transferred|mailed|owe|owed|charged|billed|refunded|deposited|"
            "debo|pague|mande"
        ),
    ),
    _AMOUNT: ("#",),
    _FUNDS: ("balance", "credit", "credits", "deposit", "deposits", "money", "leftover", "left over", "prepaid"),
    _TOWARD: ("toward", "towards", "roll|rolled|carry|carried ~ over|forward", "apply|applied|transfer|transferred"),
    _MONEY_BACK: ("money|deposit|payment|refund",),
    _BACK: ("back",),
}

_PAYING_AHEAD = re.compile(
    r"\b\d+\s?(?:%|percent)\s+(?:up\s?front|down|deposit|now|in advance|before)\b", re.IGNORECASE
)


def spans(read: EdgeText) -> list[Span]:
    pairs = ((_SENT, _AMOUNT, 3), (_MONEY_BACK, _BACK, 6), (_FUNDS, _TOWARD, 8))
    found = read.spans(CODE) + [
        read.pair_span(a, b) for one, other, within in pairs for a, b in read.near(one, other, within)
    ]
    if "%" in read.text or "percent" in read.present:
        found += [m.span() for m in _PAYING_AHEAD.finditer(read.text)]
    return found
