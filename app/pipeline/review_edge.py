"""The review edge in words (DESIGN: pricing promises, unusual requests, legal, medical or
compliance judgment, money movement, and complaints), found without an AI.

Phrase patterns (syntax in ``app.pipeline.phrases``) carry most of it; a few small regexes
handle what needs numbers: amounts, counts of units or buildings, hours of the night,
distances.

What is and is not flagged, where it is a judgment call:

* A lead *asking* a price ("how much for a drain cleaning", "what do you charge") is not a
  pricing promise. Asking to be *promised* one is: a match or a beaten quote, a discount, a
  guarantee, a firm or capped total, a competitor's figure. So is any money figure ("$250",
  "500 bucks", "quoted 1850"), except in a report note built from provider metrics, where a
  figure ("spend $182.00") is proof, not a promise (``money_is_proof``).
* Mould, a musty smell or a leak alone is a service request; health symptoms, exposure,
  injuries and regulated hazards (asbestos, lead paint, radon, carbon monoxide) are not.
* Asking for a refund is money movement; it is a complaint only when the words say so.
* Unusual scope starts at ten homes or units (fifty "doors") or three sites; a count of AC
  units, windows or rooms is ordinary work.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from app.pipeline.findings import Finding
from app.pipeline.phrases import PhraseIndex, join_overlapping, words_of
from db.vocab import FlagCode, Severity

SEVERITY: dict[FlagCode, tuple[Severity, str]] = {
    FlagCode.PRICING_PROMISE: (Severity.MEDIUM, "pricing or promise language"),
    FlagCode.LEGAL_MEDICAL_COMPLIANCE: (
        Severity.HIGH, "legal, medical or compliance language needs a human judgment"),
    FlagCode.COMPLAINT: (Severity.HIGH, "complaint or bad experience"),
    # High: money changing hands is never approved without a person looking at it.
    FlagCode.MONEY_MOVEMENT: (Severity.HIGH, "money movement (payment, refund, deposit, card)"),
    FlagCode.UNUSUAL_REQUEST: (Severity.MEDIUM, "unusual scope, timing, place or request"),
}

_PATTERNS: dict[FlagCode, tuple[str, ...]] = {
    FlagCode.MONEY_MOVEMENT: (
        # cards
        "card .. on file", "on file .. card|charge", "credit|debit card*",
        "card number*|info*|details|ending", "visa", "mastercard", "master card", "amex", "american express",
        "discover card", "my|our|the discover", "cvv", "cvc",
        "hold|holds|authorization|pre-authorization ~ card|account",
        "same|different|another|other|new|second|both|two|my|our ~ card|cards", "company|corporate card",
        "!business card*", "charge|charging|charged|run|running|bill|billing|put|use|process ~ card|cards",
        "charge it|that|my", "charge ~ me|us ~ now|today", "charged|billed|charge|bill ~ twice|double|again",
        "double|duplicate|unauthorized ~ charg*|bill*", "double-charg*", "double-bill*",
        "declin* .. charge*|card|payment|transaction", "charge|card|payment ~ declin*|bounced|failed|went",
        # refunds, credits, chargebacks
        "refund*", "reimburs*", "money back", "money ~ returned|refunded|reimbursed|credited",
        "return|returned|give|gave ~ back? ~ money|deposit|payment",
        "credit|credited|crediting ~ back|toward*|towards|from", "apply|applied ~ credit",
        "store|account ~ credit", "chargeback*", "charge back", "charge-back*",
        "dispute|disputed|disputing|reverse|reversed ~ charge*|payment*|transaction*|bill|one",
        # deposits, paying ahead
        "deposit*",
        "!calcium|mineral|lime|limescale|sediment|scale|rust|iron|salt|white|crusty|hard|water ~ deposit*",
        "down payment*", "downpayment*", "retainer", "escrow", "prepay*", "pre-pay*",
        ("pay|paying|paid|pays ~ upfront|up|advance|ahead|half|part|partial|remotely|online|rest|"
         "remainder|remaining|balance|bill|invoice*|full|installments|tech|technician|guy|crew|cash|check|"
         "amount|total"),
        "half now|upfront|down", "rest|remainder|balance ~ on|at|upon|after ~ completion|finish|done", "owe",
        "owed", "owes", "owing", "overpa*", "underpa*", "already|just ~ paid", "paid|pay|paying ~ you|u|your",
        "was|were|got|been|get|getting ~ charged|billed", "receipt*", "retainage", "holdback",
        "sent|send|got|received|receive|mailed ~ bill|invoice*|statement", "invoice*",
        "put|charge|bill|add ~ it|this|that? ~ on|to ~ my|our|the ~ account|tab|card",
        # payment channels
        "zelle", "venmo", "paypal", "pay pal", "cash app", "cashapp", "apple|google|samsung pay", "gpay",
        "e-transfer", "etransfer", "interac", "bitcoin", "crypto*", "gift card*", "money order*",
        "cashier's|cashiers|certified|personal|paper|business check*", "ach", "bank|wire transfer*",
        ("transfer|transferred|send|sent|sending|wire|wired ~ money|funds|payment|deposit|balance|amount|"
         "down|retainer"),
        "bank wire", "by|via wire", "wire|wired you", "send|sent ~ wire", "routing number*",
        "account|bank number*", "bank account*", "bank|banking|account details|info*", "funds", "cash",
        ("pay*|write|wrote|writing|mail*|send|sent|cut|leave|left|drop*|take|accept*|bring|give|hand|cash|"
         "cashed|cashing ~ check|checks|cheque*"),
        "check in the mail", "checkbook", "check book", "by|via check|cheque",
        # payments and invoices
        ("send|sent|sending|make|made|making|mail*|process*|submit*|take|took|accept*|split|issue*|"
         "return*|schedule*|apply|applied|receive*|received ~ payment*"),
        ("payment ~ link|portal|went|was|is|has|info*|details|confirmation|received|through|plan*|"
         "arrangement*"),
        "unpaid", "past due", "overdue ~ invoice*|bill*|balance|payment*|amount",
        "remaining|outstanding|unpaid|open ~ balance|amount|invoice*", "balance due", "paid in full",
        "autopay", "auto-pay", "auto pay", "billing", "bill me|us|later|separately",
        "how do|can|should i|we pay|send",
    ),
    FlagCode.UNUSUAL_REQUEST: (
        # approvals still pending
        "approval*",
        ("hoa|board|city|county|landlord|owner*|management|committee|council|association|bank|lender|"
         "corporate|headquarters|hq|trustee*|co-op|investor*|architect|engineer .. approv*|sign|vote|"
         "voted|okay|ok|permission|consent|go-ahead|decide*|decision|meets|meeting|review*"),
        "has|have|needs|need|must|gotta|got ~ to approve|vote", "be|get|gets|getting|been approved",
        "pending .. approv*|vote|review|decision",
        "await*|waiting ~ on|for ~ approv*|vote|sign-off|permission|decision|board",
        "sign off|sign-off|signoff", "green light", "go-ahead from", "board meeting", "vote on",
        # scope
        "portfolio*",
        ("entire|whole .. building*|complex*|portfolio|campus*|subdivision*|development*|community|"
         "neighborhood|chain|tower*"),
        "every ~ unit|units|apartment*|condo*|building*|propert*|location*|store*|suite*|tenant*|rental*",
        ("all ~ buildings|properties|locations|stores|restaurants|sites|campuses|branches|offices|"
         "apartments|condos|rentals"),
        ("multiple|several|many|various|numerous ~ propert*|building*|location*|site*|store*|restaurant*|"
         "campus*|complex*|branch*|facilit*|rental*|apartment*|condo*|homes|houses"),
        "office|business|industrial park", "nationwide", "statewide", "national account*", "multi-site",
        "multi-location", "multisite", "entire|whole ~ street|block", "shopping center|mall|plaza",
        "strip mall", "apartment complex", "high-rise", "highrise", "high rise",
        "our ~ hotel|hotels|motel|resort", "senior|assisted|independent living",
        "nursing home|homes|facility", "facility", "facilities", "stadium", "school district", "university",
        "municipal*",
        "government|federal ~ contract*|agency|agencies|building*|facility|facilities|project*|job*",
        "city|county|state contract*", "rfp", "rfq", "request for proposal*|quote*|bid*", "bid package",
        "invitation to bid", "solicit* ~ bid*|proposal*|quote*", "prevailing wage", "certified payroll",
        "general contractor*", "subcontract*", "sub contract*", "a sub on|for", "vendor*",
        "preferred plumber|contractor|provider|electrician|vendor",
        # timing
        "after|past|until|til|till|by ~ midnight", "work|working|come|done|job|stay|crew|shift ~ overnight",
        "overnight ~ work|job|shift|service|install*", "middle of the night", "late at night", "late night",
        "after hours", "after-hours", "outside ~ business|normal|regular|working hours",
        "before dawn|sunrise", "christmas day|eve|morning", "on|over|during christmas|thanksgiving|easter",
        "thanksgiving day|morning|night|weekend", "new year's|years day|eve",
        "on|over|during ~ holiday|holidays", "july 4th", "4th|fourth of july",
        "site|onsite|on-site|there|staffed|crew|someone|somebody .. 24 7", "round|around the clock",
        "24 hours a day", "too late to|for ~ come|stop|swing", "come|work|working|start|do ~ it? ~ at night",
        "after dark", "lockbox", "lock box", "let yourself|yourselves in", "key under",
        "hide|hidden|leave ~ key", "door|doors ~ unlocked",
        # away, far
        "out of the country", "out of country", "overseas", "abroad",
        "without me|anyone|us|someone|anybody being? there|home|present|on|here",
        "while .. away|gone|vacation|traveling|travelling|abroad",
        "outside ~ service|usual|normal|coverage|typical? ~ area|range|radius|territory|region|zone",
        "out of ~ service|usual|normal|coverage|typical? ~ area|range|radius|territory|region|zone",
        "out of state", "out-of-state", "another|different|other state", "too far", "that far",
        "go|come|travel|drive ~ as far as", "far for you", "long drive",
        "would|will|willing|able|could ~ travel", "travel out|up|down|over",
        "willing to drive|travel|make|come", "make the trip|drive",
        "remote area|location|property|site|cabin|place", "it's|is|pretty|very|quite remote",
        # outside the usual services
        "odd|weird|strange|unusual|random|crazy|oddball|unconventional ~ request|ask|one|question|favor",
        "not sure .. you|u|ya|yall|y'all ~ guys? ~ do|does|handle|offer|cover|service|work|take|doing",
        "don't|dont know if|whether .. you|u|ya .. do|does|handle|offer|cover|service|work|take|doing",
        "know you|u|ya .. mostly|mainly|usually|normally|typically|primarily|only|just|specialize*",
        "not what you|u ~ usually|normally|typically|do", "outside ~ what you|u",
        "outside ~ your|the ~ usual|normal|typical|regular", "off the books", "under the table",
        ("isn't|isnt|not|outside ~ really|exactly? ~ your ~ usual? ~ thing|specialty|wheelhouse|line|area|"
         "expertise"),
        "side job*", "side work", "cash job*",
        "not|isn't|isnt ~ really|exactly? ~ your ~ usual|normal|typical|regular",
        "know you're|youre|you are ~ a|an|just|only|mainly|mostly", "boat|boats", "rv", "camper*",
        "motorhome*", "food truck*", "yacht*", "tiny house*", "houseboat*",
        "not listed|on ~ on? ~ your ~ site|website|list",
        ("waiting|wait|hear|hearing ~ back? ~ from|on ~ the? ~ board|hoa|city|county|landlord|bank|lender|"
         "committee|association|corporate|owner*|investor*"),
        "hasn't|hasnt|haven't|havent|didn't|didnt|not|yet ~ approved|signed|voted",
    ),
    FlagCode.PRICING_PROMISE: (
        ("free estimate*|quote*|inspection*|consult*|diagnos*|service|trip|visit|assessment*|evaluation*|"
         "install*|removal|haul*|upgrade*"),
        ("estimate*|quote*|inspection*|consult*|visit*|assessment*|diagnos*|evaluation* ~ is|are|be|was|"
         "were|would|will|being? ~ be? ~ free"),
        "free of charge", "for free", "at no cost", "no cost", "no charge",
        "no extra|additional ~ charge*|cost*|fee*", "without charge", "guarantee*", "guaranty", "warrant*",
        "promise*", "discount*", "coupon*", "promo*", "specials",
        "special ~ offer*|price*|pricing|rate*|deal|deals|discount*", "!great deal of",
        "better|best|good|great|cheaper|any|a|sweet|package ~ deal|deals", "price match*", "price-match*",
        "pricematch*",
        ("match*|beat*|undercut*|honor*|honour* .. price*|pricing|quote*|bid*|estimate*|offer*|rate*|"
         "competitor*|deal|#"),
        "#|quote*|bid*|estimate*|offer* .. match|beat|undercut|top", "undercut*",
        ("lowest|best|better|cheaper|lower|reduced|discounted|special ~ price*|quote*|bid*|rate*|offer*|"
         "number|deal|deals|pricing|cost"),
        "best you can do",
        "price*|quote*|estimate*|rate* ~ be? ~ locked|guaranteed|honored|honoured|valid|firm|final|binding",
        "price*|pricing|rate*|cost ~ will|would|could|can|might? ~ it? ~ change|go|increase|stay",
        "won't|wont|not|never|no ~ cost|costing ~ more|extra",
        "more than ~ you|u|what ~ you|u? ~ quoted|estimated|said|charged",
        "what|as ~ you|u ~ quoted|charged|estimated", "in writing", "competitor*",
        "included|including|include|includes ~ in? ~ price|quote|estimate|cost|total",
        "cheaper than|elsewhere", "do better", "come in lower|under|below",
        "come down on ~ price*|cost|rate|number|quote|it", "go lower", "go down on",
        "knock|knocked ~ something|anything|some|it? ~ off|down",
        "take .. off the|your ~ price|bill|total|invoice|quote", "money off",
        "off the price|bill|total|invoice|quote", "waive*", "same price|rate|deal|quote|cost",
        "lock* in .. rate*|price*|pricing|quote*|cost", "price|rate lock",
        "firm|fixed|final|guaranteed price|quote|number|estimate|bid|total|cost|rate", "no surprises",
        "no hidden ~ fee*|cost*|charge*",
        "not|won't|wont|never|don't|dont ~ go|going|to ~ over|above|past ~ #|budget|that|it|this",
        "not to exceed", "not-to-exceed", "not exceed", "cap ~ price|cost|total|bill", "price cap",
        "under|within ~ budget", "break on .. price*|cost*|labor|rate*|bill",
        ("senior|seniors|military|veteran*|teacher*|student*|responder*|referral|loyalty|repeat|returning|"
         "wholesale|bulk|volume|cash|package|bundle* .. pricing|rate|rates|price|prices|deal|deals|"
         "special*"),
        "hold|keep|extend|honor|honour ~ the|that|this|your|my|same ~ price|quote|rate|estimate|pricing|deal",
        "for the price of", "half price", "half off", "two for one", "2 for 1", "buy one", "bogo",
        "negotiat*", "wiggle room", "lowball*", "price ~ down",
        ("price*|quote*|estimate*|bid* ~ is|was|seems|looks? ~ too|really|way|pretty ~ high|steep|"
         "expensive|much|pricey"),
        "too expensive|pricey|steep",
    ),
    FlagCode.LEGAL_MEDICAL_COMPLIANCE: (
        # legal
        "lawsuit*", "sue", "sued", "suing", "attorney*", "lawyer*", "legal*", "illegal*", "law", "!in law",
        "liable", "liability", "liabilities", "workers|worker's|workers'|workman's|workmans|workmens ~ comp*",
        "negligen*", "small claims", "to|in court", "court date|order|case", "lien", "liens", "police",
        "unlicensed", "certificate of occupancy", "deductible",
        "report* .. city|county|state|board|authorities", "are|were|is|contain|contains|containing lead",
        "subpoena*", "cease and desist", "demand letter", "breach", "fraud*", "contract dispute", "damages",
        "compensat*", "my|our|your rights", "tenant|renter ~ rights", "habitab*", "evict*",
        "withhold* ~ rent", "disclos*", "undisclosed", "licensing board",
        "contractor|contractors|state board", "attorney general", "consumer protection",
        # insurance
        "insurance", "insurance claim*|company|companies|policy|adjuster*", "insurer*", "adjuster*",
        "claim number", "file|filed|filing|open|opened|put ~ in? ~ claim*", "homeowner's|homeowners policy",
        "policy .. cover*", "coi", "certificate of insurance",
        # codes, permits, inspections, regulators
        "permit*", "!time|weather permit*", "inspector*", "code violation*", "violat*", "covenant*",
        "ordinance*", "fine us|me|them", "lead and copper",
        ("city's|county's|state's|hoa's|federal|state|local ~ rule*|requirement*|code*|regulation*|"
         "standard*|law*"),
        "up|not|bring|brought|meet|meets|meeting ~ to? code",
        "building|fire|electrical|plumbing|city|health code*", "code compliance", "code enforcement",
        "compliant", "compliance", "noncompliant", "non-compliant", "regulation*", "osha", "epa", "hipaa",
        "ada", "fire marshal*", "health inspect*", "health department",
        "fail*|pass|passed|passing .. inspection*",
        "city|county|state|municipal|final|rough-in|building|fire|health inspection*",
        "notice .. city|county|state", "citation*", "fined",
        # hazards and exposure
        "asbestos", "lead paint", "lead-based", "lead based", "lead pipe*", "lead service line",
        "lead in the water", "radon", "carbon monoxide", "co poisoning", "poison*", "toxic*", "toxin*",
        "mycotoxin*", "hazard*", "biohazard*", "exposure", "exposed to",
        # health
        "sick", "!sick of", "!sick and tired", "sickness",
        "fell|got|gotten|been|feeling|feel|feels|became|getting ill", "illness*", "headache*", "migraine*",
        "nausea*", "nauseous", "vomit*", "throwing up", "dizz*", "lightheaded", "light-headed", "fainted",
        "fainting", "passed out", "cough*", "sneez*", "wheez*", "asthma*", "allerg*", "rash", "rashes",
        "hives", "itchy|watery|red|burning|irritated|puffy|swollen ~ eyes|throat|skin|nose",
        "runny|stuffy ~ nose*", "irritation", "unwell", "in pain", "chest|back|joint|stomach|ear ~ pain*",
        "spores", "paramedic*", "to|in|at ~ er", "unsafe",
        "safe to ~ drink|breathe|use|live|occupy|stay|be|go|touch|shower",
        "safety ~ code*|issue*|concern*|risk*|violation*|problem*",
        "health ~ risk*|hazard*|concern*|issue*|problem*", "sore throat*", "sinus*", "congestion",
        "respiratory", "short|shortness of breath", "trouble|difficulty|hard ~ to? breathing|breathe",
        "can't|cant|cannot breathe", "breathing problem*|issue*|trouble", "lung*", "bronchitis", "pneumonia",
        "fever*", "infection*", "immun*", "pregnan*", "symptom*", "fatigue*", "nosebleed*", "bloody nose*",
        "doctor*", "physician*", "pediatrician*", "nurse", "nurses", "medical*", "medicine*", "medication*",
        "prescription*", "diagnosed", "diagnosis", "diagnoses", "hospital*", "emergency room", "er visit",
        "urgent care", "ambulance", "911", "health", "disab*", "dementia", "alzheimer*", "copd", "on oxygen",
        "oxygen tank|machine|concentrator", "emphysema", "cancer", "chemo*", "dialysis", "diabet*", "surgery",
        "heart condition|attack|problem*", "medical|health condition*", "had a stroke",
        # injuries
        "injur*", "hurt", "hurts", "hurting", "!doesn't|wouldn't|won't|can't|never|not ~ hurt*",
        ("i|he|she|mom|mother|dad|father|husband|wife|son|daughter|kid|kids|child|grandma|grandpa|"
         "grandmother|grandfather|tenant|someone|somebody|worker|baby|toddler|neighbor .. fell|slipped"),
        "slipped on", "slip and fall", "trip and fall", "tripped over|on",
        "fell off|from ~ ladder|roof|stairs",
        "broke|broken|fractured ~ arm|leg|wrist|ankle|hip|foot|hand|finger|toe|rib*|nose|collarbone",
        "!hand rail*", "cut ~ hand|finger|foot|arm|leg|himself|herself|myself|themselves", "stitches",
        "concussion*", "sprain*", "bruis*", "blood",
        "burned|burnt ~ hand|arm|finger|leg|face|himself|herself|myself", "got burned",
        "got|gotten|getting ~ shock*|zapped|electrocuted", "electrocut*", "shocked me|him|her|us",
        "electric shock", "scalded",
    ),
    FlagCode.COMPLAINT: (
        "not happy", "unhappy", "terrible", "awful", "worst", "complain*", "disappoint*", "rude", "rudely",
        "left a mess", "no show", "no-show", "ripped off", "rip-off", "rip off", "scam*", "bad experience",
        "angry", "furious", "one star", "one-star", "1 star", "1-star", "horrible", "ridiculous",
        "unacceptable", "unprofessional", "incompeten*", "frustrat*", "dissatisf*", "unsatisf*",
        "not ~ satisfied|impressed|pleased|acceptable", "not okay|ok with", "upset", "livid", "pissed",
        "fed up", "sick of", "sick and tired", "waste of",
        ("poor|bad|lousy|sloppy|shoddy|crappy|terrible|negative ~ workmanship|job|work|service|quality|"
         "communication|customer|review"),
        "shoddy", "sloppy", "botched", "lazy", "lied", "lying", "liar*", "ghosted", "ghosting", "pushy",
        "small claims", "take|taking|see ~ you|them|him|her|u ~ to court", "sue|suing ~ you|u|them|your",
        "bait and switch", "false advertising", "never again",
        "using|calling|hiring|recommending ~ you|u ~ again",
        "won't|wont|wouldn't|never ~ be? ~ using|recommend*|calling|hiring|use|call|hire ~ you|u|your|again",
        "will|would not ~ be? ~ using|recommend*|calling|hiring|use|call|hire ~ you|u|your|again",
        "not recommend", "never showed|came|arrived|responded|returned|finished|fixed|bothered",
        "never called|call|returned ~ back", "never got|heard back",
        "nobody|no-one ~ called|calls|call|came|showed|answered|answers|responded|responds|bothered|returned",
        "no one ~ called|calls|call|came|showed|answered|answers|responded|responds|bothered|returned",
        "no one|nobody ~ got|gets ~ back", "no response", "no call back|callback",
        "didn't|didnt ~ show*|bother|even|respond|tell|clean", "did not ~ show*|bother|respond|tell|clean",
        "didn't|didnt|did not call ~ back",
        "haven't|havent|hasn't|hasnt ~ called|call|gotten|got|heard|written ~ back",
        "haven't|havent|hasn't|hasnt ~ responded|replied|shown|showed|bothered|returned",
        "haven't|havent|hasn't|hasnt heard ~ anything|from",
        ("after|since you|u .. fixed|repaired|visited|came|left|installed|serviced|replaced|worked|"
         "unclogged|cleaned"),
        "after|since your ~ repair*|visit|fix|service|install*|work|tech|guy|crew|people|team",
        "after|since the|that ~ so-called|last|recent|supposed ~ repair*|fix*|visit*|install*|service*",
        ("you|u|guys|tech|technician|crew ~ fixed|repaired|installed|replaced|serviced|unclogged .. again|"
         "still|already|leak*|broke*|stopped|failed|isn't|doesn't|won't"),
        "so-called", "so called", "supposedly fixed",
        "what did ~ guy|tech|technician|crew|you|they|he ~ even? do",
        "speak|talk ~ to|with ~ manager|supervisor|boss",
        ("you|your|ur ~ guys|guy|crew|tech|techs|technician|installer|worker|workers|team|painters|movers|"
         "plumber|electrician|receptionist|office|dispatcher|scheduler|salesman|rep|staff|people? ~ broke|"
         "damaged|scratched|dented|ruined|cracked|stained|tore|destroyed|tracked|forgot|lied|smashed|"
         "chipped|gouged|left|didn't|didnt|never|failed|refused"),
        ("the ~ crew|guy|tech|techs|technician|installer|worker|workers|painters|movers|plumber|"
         "electrician .. broke|damaged|scratched|dented|ruined|cracked|stained|tore|destroyed|forgot|lied|"
         "smashed|chipped|gouged|flooded"),
        "walked off|out ~ the? ~ job",
        "nobody|no-one ~ will|wants|seems|can|could ~ to? ~ come|call|answer|help|respond|fix",
        "no one ~ will|wants|seems|can|could ~ to? ~ come|call|answer|help|respond|fix",
        "louder|noisier than",
        ("left ~ trash|garbage|debris|mess|mud|dirt|junk|nails|screws|tools|stuff|pipes|old|scraps|"
         "without|ruts|marks|stains|holes|scratches|damage|dents|tracks|footprints|oil|grease|paint"),
        "tracked .. mud|dirt|mess|grease", "overcharg*", "over-charg*", "over charged",
        "sent|got|installed|gave|used|put|has|have|brought|ordered|charged|billed ~ wrong",
        "hours|hour|minutes|mins late", "showed|arrived|came ~ up? ~ late", "always|again ~ late",
        "waited|waiting .. all|whole|entire ~ day|morning|afternoon", "waited|waiting for hours",
        "waited|waiting from|since",
        "leak|clog|problem|issue|noise|smell|it|mold|crack|drip ~ came|comes|is ~ back", "keeps coming back",
        "third|3rd|fourth|4th|fifth|5th time", "cancel* on me|us", "you've|you'd ~ cancel*",
        "you ~ cancelled|canceled", "keep|keeps|kept ~ cancel*",
        "already ~ peeling|leaking|broken|broke|cracking|cracked|failing|failed|rusting|stopped|quit|falling",
        "worse than before|it|when|the|last|ever",
        "you|u|guys|tech|he|she .. made|left|making ~ it|things|everything ~ worse",
        "paid|paying for .. but|and|yet ~ got|received|never|didn't|didnt|only", "bbb",
        "better business bureau", "report* ~ you|u", "reporting you", "dispute*",
        "not|isn't|isnt|wasn't|never ~ resolved|fixed", "unresolved", "joke",
        "still not ~ fixed|resolved|right|done",
        ("still|been ~ waiting ~ for|on ~ call*|callback|tech*|technician|guy|crew|part*|quote|estimate|"
         "response|reply|answer|someone|somebody|anyone|you|u|refund|invoice|word"),
        "days|weeks|months later", "that|which ~ was ~ N ~ day|days|week|weeks|month|months ~ ago",
        "had to ~ call|hire|get|pay ~ another|someone|somebody",
        "had to ~ call|hire|get|pay ~ a ~ different|second|real", "keep|keeps|kept|always .. voicemail",
        "nobody|no-one ~ returns|return|answer|picks|picked", "no one ~ returns|return|answer|picks|picked",
        "didn't|didnt|never ~ finish|complete|do ~ job|work|install*|repair*",
        "did not ~ finish|complete|do ~ job|work|install*|repair*", "didn't|didnt|never do anything",
        "disrespect*", "yelled", "screamed", "cursed", "swore at", "harass*", "annoyed", "poorly",
        "careless*", "unreliable", "unanswered", "escalate*", "stood ~ me|us? ~ up",
        "come|came ~ back ~ and|to ~ fix|finish|redo|correct|repair", "your|you ~ mistake*|error*",
        "missed ~ our|my ~ appointment|window", "hung|hang|hanging up on",
        "after N visits|trips|attempts|repairs|appointments|tries",
        "was|were|been told ~ someone|somebody|you|he|she|they|it|the ~ tech? ~ would|will|was", "messy",
        "not what ~ i|we ~ asked|ordered|paid|agreed|wanted", "was|were promised", "you|u ~ promised",
        "where's|wheres|where ~ is|are? ~ your|the ~ tech|technician|guy|crew|plumber|electrician",
    ),
}


@cache
def _index() -> PhraseIndex:
    """Built on first use: the worker starts without paying for it."""
    return PhraseIndex(_PATTERNS)


# Every money figure has one of these: texts without any (most) skip the figure regexes.
_FIGURE_HINT = re.compile(r"\$|%|\d{3}|\d\s?(?:k|grand)\b|\d\s*(?:/|per|an?)\s*(?:hr|hour)", re.IGNORECASE)
# Not a money figure: what usually follows a number that counts something else.
_UNITS = (
    r"sq\b|square|ft\b|feet|foot|'|\"|in\b|inch|lf\b|linear|yards?\b|units?\b|gal\b|gallons?|amps?\b|volts?"
    r"|v\b|w\b|watts?|btus?|tons?\b|seer|cfm|psi|lbs?\b|pounds|years?\b|yrs?\b|months?\b|days?\b"
    r"|hours?\b|hrs?\b|minutes?\b|mins?\b|miles?\b|mi\b|people|%|x\b|percent|degrees?|bedrooms?"
    r"|bathrooms?|rooms?|windows?|doors?"
    r"|stor(?:y|ies)\b|floors?\b|times\b|ac\b|a/c"
)
_NOT_MONEY = rf"(?!\s*(?:{_UNITS}))"
_NUMBER = r"\$?\d[\d,]{2,}(?:\.\d+)?"  # three digits or more
_TEENS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)"
# Money written out: "four hundred dollars", "six grand", "a few bucks". Found from the money
# word back, so the text is scanned for a handful of words, not for every number word.
_MONEY_WORD = re.compile(r"\b(?:dollars?|bucks|hundred|thousand|grand)\b", re.IGNORECASE)
_SPELLED_BEFORE = re.compile(
    rf"(?:\b(?:\d[\d,]*(?:\.\d+)?|{_TEENS}(?:-[a-z]+)?|a|few|couple|hundred|thousand)[\s-]+)+$", re.IGNORECASE)
_UNIT_AFTER = re.compile(rf"\s*(?:{_UNITS})", re.IGNORECASE)
_LOOK_BACK = 40
_MONEY_FIGURES = re.compile("|".join(f"(?:{p})" for p in (
    r"\$\s?\d[\d,]*(?:\.\d+)?(?:\s?k\b)?",
    r"\b\d[\d,]*(?:\.\d+)?\s?(?:k|grand)\b(?!\s*btu)",
    r"\b(?!(?:19|20)\d\d\b)\d[\d,]{2,}(?:\.\d\d)?\s+for\s+(?:the|a|this|that|both|all|it|everything)\b"
    + _NOT_MONEY,
    r"\b\d[\d,]*(?:\.\d\d)?\s*(?:/|per|an|a)\s*(?:hr|hour)\b",
    # a figure tied to a price word: "quoted me 1850", "budget is 1200", "2400 estimate"
    r"\b(?:quot(?:e|ed|es|ing)|estimat(?:e|ed|es)|bids?|pric(?:e|ed|es)|offer(?:ed)?|budget(?:ed)?"
    r"|charg(?:e|ed|es)|spend|pay(?:ing)?|paid|cost(?:s)?|total|beat|match)\b"
    r"(?:\s+[a-z']+){0,3}?\s+\$?(?!(?:19|20)\d\d\b)\d[\d,]{2,}(?:\.\d+)?\b" + _NOT_MONEY,  # not a year
    r"\b\d[\d,]{2,}(?:\.\d+)?\s+(?:quote|estimate|bid|price|offer)\b",
    # a cap: "under 3000", "no more than 1500", "1200 max"
    rf"\b(?:under|below|max(?:imum)?|no more than|less than|not (?:to )?exceed|over)\s+{_NUMBER}\b{_NOT_MONEY}",
    r"\b\d[\d,]{2,}(?:\.\d+)?\s*(?:max|tops|or less|or under|limit)\b",
    rf"\b(?:do|doing|done)\s+(?:it|this|that|the job|the work|everything)?\s*for\s+{_NUMBER}\b{_NOT_MONEY}",
    r"\b\d+(?:\.\d+)?\s?(?:%|percent|pct)\s*(?:off|discount|cheaper|less|lower)\b",
)), re.IGNORECASE)
_MONEY_WORDS = frozenset(("dollar", "dollars", "bucks", "hundred", "thousand", "grand"))
_FAR_WORDS = frozenset(("hour", "hours", "hr", "hrs", "miles", "mi"))
_PAYING_AHEAD = re.compile(r"\b\d+\s?(?:%|percent)\s+(?:up\s?front|down|deposit|now|in advance|before)\b",
                          re.IGNORECASE)
_WORD_COUNTS = {
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "hundred": 100, "hundreds": 200, "dozen": 12, "dozens": 24,
    "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}
# How many of each make an unusual scope: homes and units by the ten, sites by the three.
_SCOPE_MIN = {
    **dict.fromkeys(("unit", "apartment", "condo", "townhome", "townhouse", "home", "house", "rental", "suite",
                     "tenant", "lot"), 10),
    **dict.fromkeys(("building", "property", "location", "site", "store", "restaurant", "campus", "school",
                     "office", "facility", "branch", "complex", "warehouse", "hotel", "clinic", "franchise",
                     "community"), 3),
    "door": 50,
}
_PLURALS = {"properties": "property", "facilities": "facility", "communities": "community",
            "campuses": "campus", "branches": "branch", "complexes": "complex"}
_SCOPE_WORDS = frozenset(_SCOPE_MIN) | frozenset(_PLURALS) | {noun + "s" for noun in _SCOPE_MIN}
_SCOPE = re.compile(
    r"\b(\d[\d,]*|" + "|".join(sorted(_WORD_COUNTS, key=len, reverse=True)) + r")\s*\+?[\s-]*(?:of\s+)?"
    r"(?:(?:single|multi|family|single-family|multi-family|rental|residential|commercial|apartment|condo|retail"
    r"|office|occupied|vacant|more|other|separate|different|total|individual|student|senior|our|the|plus|or so"
    r"|local|mobile|manufactured|new)\s+){0,3}"
    r"(" + "|".join(sorted(_SCOPE_WORDS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_NIGHT = re.compile(
    r"\b(?:(?:12|1|2|3|4|5)(?::[0-5]\d)?\s*a\.?\s?m\b\.?|(?:10|11)(?::[0-5]\d)?\s*p\.?\s?m\b\.?)",
    re.IGNORECASE)
_NIGHT_HINT = re.compile(r"\d\s*[ap]\.?\s?m\b", re.IGNORECASE)
# A time of night is a request ("come out at 3am"), not what happened ("woke up at 3am to a
# flood"), when words of a visit are near it.
_VISIT = re.compile(
    r"\b(?:come|coming|here|start|starting|arrive|schedule|book|meet|available|visit|stop by|swing by"
    r"|show up|too late|appointment|only time|be there|out at|do it|do the)\b", re.IGNORECASE)
_NEAR = 40
_FAR = re.compile(
    r"\b(?:\d+|an?|one|two|three|four|five|six|few|couple(?: of)?)\s*\+?\s*(?:hours?|hrs?)\s+"
    r"(?:away|south|north|east|west|out|drive|from)\b"
    r"|\b\d{2,}\+?\s*(?:miles|mi)\s+(?:away|out|from|south|north|east|west)\b",
    re.IGNORECASE,
)
_QUOTE_MARK = re.compile("[\"'“‘]")
_SCARE_QUOTES = re.compile(
    r"[\"'“‘](?:fixed|repaired|repair|professional|expert|technician|tech|done|finished)[\"'”’]", re.IGNORECASE)


def _spelled_money(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _MONEY_WORD.finditer(text):
        before = _SPELLED_BEFORE.search(text, max(0, match.start() - _LOOK_BACK), match.start())
        counted = match.group().lower() in ("hundred", "thousand", "grand")
        if counted and (before is None or _UNIT_AFTER.match(text, match.end())):
            continue  # "a hundred feet", or no number at all
        spans.append((before.start() if before else match.start(), match.end()))
    return spans


def _night_spans(text: str) -> list[tuple[int, int]]:
    if not _NIGHT_HINT.search(text):
        return []
    return [m.span() for m in _NIGHT.finditer(text)
            if _VISIT.search(text, max(0, m.start() - _NEAR), min(len(text), m.end() + _NEAR))]


def _scope_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _SCOPE.finditer(text):
        raw, noun = match.group(1).lower().replace(",", ""), match.group(2).lower()
        count = int(raw) if raw.isdigit() else _WORD_COUNTS[raw]
        singular = _PLURALS.get(noun) or (noun if noun in _SCOPE_MIN else noun[:-1])
        if count >= _SCOPE_MIN[singular]:
            spans.append(match.span())
    return spans


def find_review_edge(text: str, field: str, *, money_is_proof: bool = False) -> list[Finding]:
    """Pricing promises, unusual requests, legal / medical / compliance language, money
    movement and complaints. ``money_is_proof``: money figures in ``text`` are reported
    metrics (a report note), not offers, so they raise no pricing flag."""
    return list(_review_edge(text, field, money_is_proof))


@lru_cache(maxsize=4096)
def _review_edge(text: str, field: str, money_is_proof: bool) -> tuple[Finding, ...]:
    # Memoized: an event's texts repeat across drafts, and templates repeat across events.
    words = words_of(text)
    present = frozenset(word for word, _, _ in words)
    spans: dict[FlagCode, list[tuple[int, int]]] = {}
    for code, start, end in _index().find(words, present):
        spans.setdefault(FlagCode(code), []).append((start, end))
    # The regexes run only when the words they need are there (most texts have none).
    pricing = spans.setdefault(FlagCode.PRICING_PROMISE, [])
    unusual = spans.setdefault(FlagCode.UNUSUAL_REQUEST, [])
    if not money_is_proof:
        if _FIGURE_HINT.search(text):
            pricing += [m.span() for m in _MONEY_FIGURES.finditer(text)]
        if not present.isdisjoint(_MONEY_WORDS):
            pricing += _spelled_money(text)
    if not present.isdisjoint(_SCOPE_WORDS):
        unusual += _scope_spans(text)
    unusual += _night_spans(text)
    if not present.isdisjoint(_FAR_WORDS):
        unusual += [m.span() for m in _FAR.finditer(text)]
    if "%" in text or "percent" in present:
        spans.setdefault(FlagCode.MONEY_MOVEMENT, []).extend(m.span() for m in _PAYING_AHEAD.finditer(text))
    if _QUOTE_MARK.search(text):
        spans.setdefault(FlagCode.COMPLAINT, []).extend(m.span() for m in _SCARE_QUOTES.finditer(text))
    found = [(start, end, code) for code, found_spans in spans.items()
             for start, end in join_overlapping(found_spans)]
    return tuple(_finding(code, text, field, (start, end)) for start, end, code in sorted(found))


def _finding(code: FlagCode, text: str, field: str, span: tuple[int, int]) -> Finding:
    severity, reason = SEVERITY[code]
    start, end = _stripped(text, span)
    return Finding(code, severity, reason, text[start:end], field, (start, end))


def _stripped(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
