"""Pricing promises: what a lead asks the business to promise about money, and money figures
(in digits or in words).

Judgment calls:

* A lead *asking* a price ("how much for a drain cleaning", "what's your hourly rate") is not
  a pricing promise. Asking to be *promised* one is: a match or a beaten quote, a discount, a
  guarantee, a firm or capped total (or capped hours of labor), a competitor's figure, a quote
  still good later, a member's or a referral's price.
* Any money figure is a pricing matter ("$250", "500 bucks", "quoted 1850", "eighteen
  hundred", "four fifty for the panel swap"), except in a report note built from provider
  metrics, where a figure ("spend $182.00") is proof, not a promise (``figures_are_proof``).
  A number that counts something ("two hundred feet", "a hundred things") is no money, and a
  spoken "four fifty" is a price only next to price words (it is a time as often).
* A promise to call back or to come is about service, not price; a manufacturer's or a home
  warranty is not the business's promise; a discount store is a shop.
* A promotion is one wherever the lead saw it (a mailer, a flyer, Yelp, "that spring thing"),
  and so is a break asked for who the lead is (seniors, educators, a fixed income, years of
  custom) or a flat number instead of hourly. A count of seats ("it seats two hundred") and a
  floor area ("40k square feet") are no money.
"""

from __future__ import annotations

import re

from app.pipeline.edge_text import EdgeText, Span
from db.vocab import FlagCode

CODE = FlagCode.PRICING_PROMISE
_OFFER = "pricing.offer"  # a price the business gave or would give
_STILL_GOOD = "pricing.still_good"
_TIME_CAP = "pricing.time_cap"  # "no more than six hours", "a day and a half max"
_LABOR = "pricing.labor"
_REFER = "pricing.refer"
_REWARD = "pricing.reward"

PATTERNS: dict[str, tuple[str, ...]] = {
    CODE: (
        (
            "free second? ~ estimate*|quote*|inspection*|consult*|diagnos*|service|trip|visit|assessment*|evaluation*|"
            "opinion*|look|check*|"
            "install*|removal|haul*|upgrade*"
        ),
        (
            "estimate*|quote*|inspection*|consult*|visit*|assessment*|diagnos*|evaluation* ~ is|are|be|was|"
            "were|would|will|being? ~ be? ~ free"
        ),
        "free of charge",
        "for free",
        "at no cost",
        "no cost",
        "no charge",
        "no extra|additional ~ charge*|cost*|fee*",
        "no ~ trip|travel|service|diagnostic|callout|call-out|consultation ~ charge*|fee*|cost*",
        "bundle|bundled|bundling|combo ~ if|deal|price|pricing|discount|rate|when|with",
        "without charge",
        "guarantee*",
        "guaranty",
        "warrant*",
        "!manufacturer|manufacturer's|manufacturers|factory|home|builder|builder's ~ warrant*|guarantee*",
        "!guarantee*|warrant* ~ card|cards|registration|from|by|through ~ manufacturer*|factory|maker|brand?",
        "promise*",
        "!promise|promised|promises|promising ~ to? ~ call*|callback*|come|be|send|get|reach|show",
        "discount*",
        "!discount ~ outlet*|store*|shop*|site|website|warehouse|retailer|supply|tile|tires",
        "coupon*",
        "promo*",
        "specials",
        "special ~ offer*|price*|pricing|rate*|deal|deals|discount*",
        "!great deal of",
        "better|best|good|great|cheaper|any|a|sweet|package ~ deal|deals",
        "price match*",
        "price-match*",
        "pricematch*",
        (
            "match*|beat*|undercut*|honor*|honour* .. price*|pricing|quote*|bid*|estimate*|offer*|rate*|"
            "competitor*|deal|special|specials|coupon*|promo*|discount*|sale|#"
        ),
        "first .. free",
        "get|getting ~ .. free",
        "price*|quote*|estimate*|cost|total|bid ~ include*",
        "is|be ~ that|it|this ~ extra|included|additional",
        "#|quote*|bid*|estimate*|offer* .. match|beat|undercut|top",
        "undercut*",
        (
            "lowest|best|better|cheaper|lower|reduced|discounted|special ~ price*|quote*|bid*|rate*|offer*|"
            "number|deal|deals|pricing|cost"
        ),
        "best you can do",
        "price*|quote*|estimate*|rate* ~ be? ~ locked|guaranteed|honored|honoured|valid|firm|final|binding",
        "price*|pricing|rate*|cost ~ will|would|could|can|might? ~ it? ~ change|go|increase|stay",
        "won't|wont|not|never|no ~ cost|costing ~ more|extra",
        "more than ~ you|u|what ~ you|u? ~ quoted|estimated|said|charged",
        "what|as ~ you|u ~ quoted|charged|estimated",
        "in writing",
        "competitor*",
        "included|including|include|includes ~ in? ~ price|quote|estimate|cost|total",
        "cheaper than|elsewhere",
        "cheaper|cheapest ~ option|options|way|alternative|alternatives|route|version",
        "customers|clients|customer|client ~ get|gets ~ anything|something|discount*|deal|special|break|perk*",
        "do better",
        "come in lower|under|below",
        "come down on ~ price*|cost|rate|number|quote|it",
        "come|coming|go|going ~ down ~ bit|little|some|any|more|N|#",
        "call|make ~ it|that ~ even|N|#",
        "even|flat ~ thousand|grand|hundred",
        "max|maximum|ceiling|top ~ price|cost|amount|budget|number|figure",
        "agree|agreed|settle ~ on ~ price|number|cost|figure|max|maximum|total",
        "go lower",
        "go down on",
        "knock|knocked ~ something|anything|some|it? ~ off|down",
        "knock|knocked|shave|shaved ~ little|bit|few|couple|something|anything|some|bucks|dollars|percent ~ off|down",
        "get|take|give|shave ~ anything|something|money|some|dollars|bucks ~ off",
        "take .. off the|your ~ price|bill|total|invoice|quote",
        "money off",
        "off the price|bill|total|invoice|quote",
        "waive*",
        "same price|rate|deal|quote|cost",
        "lock* in .. rate*|price*|pricing|quote*|cost|number|figure|deal|estimate*|bid",
        "price|rate lock",
        "firm|fixed|final|guaranteed price|quote|number|estimate|bid|total|cost|rate",
        "no surprises",
        "no hidden ~ fee*|cost*|charge*",
        "not|won't|wont|never|don't|dont ~ go|going|to ~ over|above|past ~ #|budget|that|it|this",
        "not to exceed",
        "not-to-exceed",
        "not exceed",
        "cap ~ price|cost|total|bill",
        "price cap",
        "cap|caps|capped|capping ~ at ~ #",
        "cap|caps|capped|capping ~ at ~ N ~ hours|hrs|days|hundred|thousand|grand",
        "N|# ~ hours|hrs|hour|days|day ~ of ~ labor|labour",
        "labor|labour ~ cap|capped|max|limit",
        "is|be|are|that's|thats|it's|its ~ on ~ you|u",
        "on your dime",
        "at your ~ cost|expense",
        "under|within ~ budget",
        "break on .. price*|cost*|labor|rate*|bill",
        (
            "senior|seniors|military|veteran*|teacher*|student*|responder*|referral|loyalty|repeat|returning|"
            "wholesale|bulk|volume|cash|package|bundle* .. pricing|rate|rates|price|prices|deal|deals|"
            "special*"
        ),
        (
            "member|members|membership|plan|club|contract|vip|subscriber|preferred|maintenance|group|family|friends|"
            "employee|corporate|partner ~ rate|rates|price|prices|pricing"
        ),
        "throw|throwing ~ in",
        "referral* ~ credit*|bonus*|program*|reward*|fee*|code*|perk*|incentive*",
        (
            "hold|keep|extend|honor|honour ~ the|that|this|your|my|same ~ price|quote|rate|estimate|pricing|deal|"
            "number|figure|bid|offer"
        ),
        "for the price of",
        "half price",
        "half off",
        "two for one",
        "2 for 1",
        "buy one",
        "bogo",
        "negotiat*",
        "wiggle room",
        "lowball*",
        "price ~ down",
        (
            "price*|quote*|estimate*|bid* ~ is|was|seems|looks? ~ too|really|way|pretty ~ high|steep|"
            "expensive|much|pricey"
        ),
        "too expensive|pricey|steep",
        "dollar|dollars|bucks|dolares",
        "bill|charge|charging|billing ~ more|extra|additional",
        "any ~ flexibility|wiggle|movement|leeway|break",
        "price|pricing|cost ~ break|cut|reduction",
        "eat|cover|absorb|split ~ difference|overage|extra|overrun*",
        (
            "cost|costs|costing|comes|runs|goes|ends ~ up? ~ more|higher|over ~ than? ~ estimate*|quote*|"
            "quoted|bid|expected"
        ),
        "flexib* .. price*|pricing|cost|quote*|number|rate*",
        "yours|your ~ quote|price|bid|estimate? ~ was|is|were|are ~ the? ~ highest|higher|most|pricier",
        "is|be|was|will ~ that|it|this ~ be? ~ free",
        "it's|its|that's|thats free",
        "another|extra|additional|second ~ trip|service ~ charge*|fee*",
        (
            "offer|give|have|do ~ anything|something|any ~ for ~ vets|veterans|seniors|military|teachers|students|"
            "nurses|responders|healthcare|members|newcomers"
        ),
        # promotions, wherever the lead saw them
        "N|# ~ percent|pct ~ off|discount|cheaper|less",
        "off ~ first|your|the ~ first? ~ service|visit|job|order|cleaning|treatment|install*",
        (
            "seasonal|spring|summer|fall|autumn|winter|holiday|christmas|friday|monday|"
            "first-time|intro|introductory|customer ~ special|deal|sale|offer|promo*|pricing|discount*|rate"
        ),
        (
            "still ~ doing|running|offering|having|got|have ~ that|the|those|your ~ .. thing|deal|special|"
            "offer|sale|promo*"
        ),
        (
            "deal|offer|special|thing|coupon|discount|price|pricing ~ from|on|in ~ mailer|flyer|flier|postcard|ad|"
            "newsletter|email|website|facebook|instagram|door|paper|magazine"
        ),
        "check-in ~ offer|deal|discount|special|coupon",
        "groupon*",
        "yelp|angi|thumbtack|nextdoor ~ deal|offer|special|discount|coupon|promo*",
        # a price set by the lead, a match, a flat figure, a break for who they are
        "match|beat|meet|top ~ what|whatever .. .. quot*|charg*|price*|offer*|bid|bids|estimate*",
        "big box ~ .. quot*|price*|charg*|offer*|bid",
        "depot|lowes|lowe's ~ .. quot*|price*|charg*|offer*|bid",
        "flat ~ number|rate|fee|price|quote|total|amount|figure|cost|sum",
        "lump sum",
        "all-in ~ price|number|quote|cost|total",
        "not|instead of ~ hourly|by the hour",
        (
            "rate|rates|price|prices|pricing|discount*|deal|deals|special|specials|break ~ for ~ seniors|senior|"
            "veterans|vets|veteran|military|teachers|educators|nurses|students|responders|retirees|members|"
            "neighbors|churches|nonprofits|families|customers|locals"
        ),
        (
            "educator*|retiree*|nurse|nurses|firefighter*|police|healthcare|neighbor*|nonprofit|church|low-income|"
            "income .. pricing|rate|rates|price|prices|deal|deals|discount*|special*"
        ),
        "fixed|limited|low ~ income",
        "tight budget",
        "budget|budget's ~ is|was? ~ tight",
        "bucks|dollars ~ off",
        "consider ~ something|anything|discount|break|deal|lower|less",
        "all ~ i|we ~ can ~ afford|spend|pay",
        "look|looks|come|estimate|quote|check|inspection|assessment|consult|it|that ~ for nothing",
        "not|won't|wont|don't|dont ~ want ~ to? ~ pay|paying ~ for? ~ fee|trip|estimate|quote|visit|service|just",
        "not paying ~ for? ~ fee|trip|estimate|quote|visit|service|just",
        "dejar|deja|dejan|dejas|dejarlo|dejarmelo|hacer|hacerlo ~ lo|me? ~ en|por ~ cien|doscientos|trescientos|"
        "cuatrocientos|quinientos|seiscientos|setecientos|ochocientos|novecientos|mil|#",
        "lo que tengo",
        "descuento*",
        "rebaja*",
        "gratis",
        "garantia*",
        "cupon*",
        "promocion*",
    ),
    _OFFER: (
        (
            "quote*|estimate*|price|prices|pricing|bid|bids|rate|rates|number|figure|offer|deal|coupon*|"
            "promo*|discount*|special"
        ),
    ),
    _STILL_GOOD: (
        "still ~ be? ~ good|valid|stand|stands|standing|apply|applies|available|honored|honoured|hold|holds",
        "still the same",
        "still honor|honour",
        "good|valid ~ until|till|through|thru|past",
        "good|valid ~ for ~ N|#|how",
        "expire*",
        "work|works|apply|applies|count|counts|valid|good ~ for|on ~ too|also",
        "does|do|would|will ~ that|it|this ~ work|apply|count ~ for|on|with",
        "expiration",
    ),
    _TIME_CAP: (
        "more|longer than ~ N|# ~ hours|hrs|hour|days|day",
        "over|under|exceed|exceeding|past|beyond|max|maximum|most|cap|capped ~ N|# ~ hours|hrs|hour|days",
        "N|# ~ hours|hrs|hour|days|day ~ max|tops|maximum|limit",
    ),
    _LABOR: (
        "labor",
        "labour",
        "billable",
        "bill",
        "billed",
        "billing",
        "charge*",
        "pay",
        "paying",
        "invoice*",
        "on you",
        "your dime",
        "price",
        "cost",
        "quote",
        "estimate",
    ),
    _REFER: (
        "refer|refers|referring|referred|referral*|recommend|recommending",
        "send|sending|sent ~ people|friends|someone|customers|business|clients|them|her|him ~ your way",
    ),
    _REWARD: (("get|earn|receive ~ anything|something|money|credit*|discount*|bonus*|reward*|perk*|kickback*|deal"),),
}

# Every money figure in digits has one of these: texts without any (most) skip the figure regexes.
_FIGURE_HINT = re.compile(
    r"\$|%|percent|\d{3}|\d\s?(?:k|grand)\b|\d\s*(?:/|per|an?)\s*(?:hr|hour)|\d\s*(?:dollars?|bucks)\b", re.IGNORECASE
)
# Not a money figure: what usually follows a number that counts something else.
_UNITS = (
    r"sq\b|square|ft\b|feet|foot|'|\"|in\b|inch|lf\b|linear|yards?\b|units?\b|gal\b|gallons?|amps?\b|volts?"
    r"|v\b|w\b|watts?|btus?|tons?\b|seer|cfm|psi|lbs?\b|pounds|years?\b|yrs?\b|months?\b|days?\b"
    r"|hours?\b|hrs?\b|minutes?\b|mins?\b|miles?\b|mi\b|people|%|x\b|percent|degrees?|bedrooms?"
    r"|bathrooms?|rooms?|windows?|doors?"
    r"|stor(?:y|ies)\b|floors?\b|times\b|ac\b|a/c"
)
_NOT_MONEY = rf"(?!\s*(?:{_UNITS}))"
_NUMBER = r"\$?\d[\d,]{2,}(?:\.\d+)?(?:\s*(?:dollars?|bucks)\b)?"  # three digits or more
_MONEY_FIGURES = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (
            r"\b\d{1,3}(?:,\d{3})+(?:\.\d\d)?\b" + _NOT_MONEY,  # 4,200: a sum, unless it measures something
            r"\$\s?\d[\d,]*(?:\.\d+)?(?:\s?k\b)?",
            r"\b\d[\d,]*(?:\.\d+)?\s?(?:k|grand)\b(?!\s*btu)" + _NOT_MONEY,
            r"\b\d[\d,]*(?:\.\d+)?\s*(?:dollars?|bucks)\b",
            r"\b(?!(?:19|20)\d\d\b)\d[\d,]{2,}(?:\.\d\d)?\s+for\s+(?:the|a|this|that|both|all|it|everything)\b"
            + _NOT_MONEY,
            r"\b\d[\d,]*(?:\.\d\d)?\s*(?:/|per|an|a)\s*(?:hr|hour)\b",
            # a figure tied to a price word: "quoted me 1850", "budget is 1200", "2400 estimate"
            r"\b(?:quot(?:e|ed|es|ing)|estimat(?:e|ed|es)|bids?|pric(?:e|ed|es)|offer(?:ed)?|budget(?:ed)?"
            r"|charg(?:e|ed|es)|spend|pay(?:s|ing)?|paid|cost(?:s)?|total|beat|match|approved|owe|owed)\b"
            r"(?:\s+[a-z']+){0,3}?\s+\$?(?!(?:19|20)\d\d\b)\d[\d,]{2,}(?:\.\d+)?\b" + _NOT_MONEY,  # not a year
            r"\b\d[\d,]{2,}(?:\.\d+)?\s+(?:quote|estimate|bid|price|offer|special|deal|package|promo)\b",
            # a cap: "under 3000", "no more than 1500", "1200 max"
            rf"\b(?:under|below|max(?:imum)?|no more than|less than|not (?:to )?exceed|over)\s+{_NUMBER}\b{_NOT_MONEY}",
            (
                r"\b\d[\d,]{2,}(?:\.\d+)?\s*(?:max|tops|or less|or under|limit|flat|even|total|all[- ]in|"
                r"out the door|otd)\b"
            ),
            r"\bfor\s+(?!(?:19|20)\d\d\b)\d[\d,]{2,}\b(?![,.]\d)" + _NOT_MONEY,
            rf"\b(?:do|doing|done)\s+(?:it|this|that|the job|the work|everything)?\s*for\s+{_NUMBER}\b{_NOT_MONEY}",
            r"\b\d+(?:\.\d+)?\s?(?:%|percent|pct)\s*(?:off|discount|cheaper|less|lower)\b",
        )
    ),
    re.IGNORECASE,
)

# After a number in words: money words make it money; measures and counted things do not.
_MONEY_AFTER = frozenset(
    ("dollar", "dollars", "bucks", "buck", "k", "flat", "even", "total", "installed", "max", "tops", "cash")
)
_MEASURES = frozenset(
    [
        "sq",
        "square",
        "ft",
        "feet",
        "foot",
        "inch",
        "inches",
        "in",
        "yard",
        "yards",
        "lf",
        "linear",
        "gallon",
        "gallons",
        "gal",
        "amp",
        "amps",
        "volt",
        "volts",
        "watt",
        "watts",
        "btu",
        "btus",
        "ton",
        "tons",
        "seer",
        "cfm",
        "psi",
        "lb",
        "lbs",
        "pound",
        "pounds",
        "year",
        "years",
        "yr",
        "yrs",
        "month",
        "months",
        "day",
        "days",
        "hour",
        "hours",
        "hr",
        "hrs",
        "minute",
        "minutes",
        "min",
        "mins",
        "mile",
        "miles",
        "mi",
        "people",
        "percent",
        "degree",
        "degrees",
        "room",
        "rooms",
        "story",
        "stories",
        "floor",
        "floors",
        "times",
        "acre",
        "acres",
        "unit",
        "units",
        "of",
    ]
)
_NOT_PLURAL = frozenset(
    [
        "is",
        "was",
        "this",
        "his",
        "its",
        "has",
        "does",
        "plus",
        "less",
        "tops",
        "yes",
        "us",
        "thanks",
        "bucks",
        "dollars",
    ]
)
# Before a spoken "four fifty": what makes it a price, not a time ("said" only with a "for"
# after it: "said four fifty for the panel swap").
_PRICE_WORDS = frozenset(
    [
        "quote",
        "quoted",
        "quotes",
        "bid",
        "bids",
        "price",
        "priced",
        "charge",
        "charged",
        "charges",
        "charging",
        "pay",
        "paid",
        "paying",
        "cost",
        "costs",
        "budget",
        "estimate",
        "estimated",
        "offer",
        "offered",
        "asking",
        "spend",
        "spent",
        "for",
        "beat",
        "match",
        "total",
        "pays",
        "approved",
        "owe",
        "owed",
    ]
)
_CHARGED = _PRICE_WORDS - {"for", "total", "match", "beat"}  # before a plain "ninety-five"
_SAID = frozenset(["said", "says", "wants", "wanted", "asked", "do", "does", "did"])
# Before a number in words: what makes it a count of people or places, not money ("it seats
# about two hundred").
_COUNT_BEFORE = frozenset(["seats", "seat", "holds", "fits", "sleeps", "serves", "capacity", "hosts", "houses"])
_TIME_AFTER = frozenset(["am", "pm", "o'clock", "oclock", "tomorrow", "today", "tonight", "works", "work"])


def spans(read: EdgeText, figures_are_proof: bool) -> list[Span]:
    found = read.spans(CODE)
    for one, other, within in ((_OFFER, _STILL_GOOD, 6), (_TIME_CAP, _LABOR, 12), (_REFER, _REWARD, 8)):
        found += [read.pair_span(a, b) for a, b in read.near(one, other, within)]
    if not figures_are_proof:
        if _FIGURE_HINT.search(read.text):
            found += [m.span() for m in _MONEY_FIGURES.finditer(read.text)]
        found += _amounts_in_words(read)
    return found


def _amounts_in_words(read: EdgeText) -> list[Span]:
    spans = []
    for number in read.numbers:
        after = _next_word(read, number.stop)
        if not _COUNT_BEFORE.isdisjoint(w for w, _, _ in read.words[max(0, number.first - 3) : number.first]):
            continue
        if after in _TIME_AFTER and number.colloquial:
            continue
        if after in _MONEY_AFTER:
            spans.append(read.span(number.first, number.stop + 1))
        elif number.scaled and not _counts_something(after):
            spans.append(read.span(number.first, number.stop))
        elif (
            number.spelled
            and 20 <= number.value < 100
            and not _counts_something(after)
            and not _CHARGED.isdisjoint(w for w, _, _ in read.words[max(0, number.first - 3) : number.first])
        ):
            spans.append(read.span(number.first, number.stop))  # "charged me ninety-five"
        elif number.colloquial:
            before = {w for w, _, _ in read.words[max(0, number.first - 3) : number.first]}
            if not before.isdisjoint(_PRICE_WORDS) or (after == "for" and not before.isdisjoint(_SAID)):
                spans.append(read.span(number.first, number.stop))
    return spans


def _next_word(read: EdgeText, at: int) -> str:
    """The word at ``at`` when it is in the same sentence and nothing but space comes before it."""
    if at >= len(read.words) or read.sentence[at] != read.sentence[at - 1]:
        return ""
    between = read.text[read.words[at - 1][2] : read.words[at][1]]
    return read.words[at][0] if not between.strip() else ""


def _counts_something(word: str) -> bool:
    return word in _MEASURES or (len(word) > 3 and word.endswith("s") and word not in _NOT_PLURAL)
