"""Unusual requests: scope, place, timing and asks outside a home-service visit — approvals
still pending, commercial premises, work for a trade or a third party, large counts, things
that are not a home's, nights and holidays, far away.

Judgment calls:

* Unusual scope starts at ten homes or units (fifty "doors"), three sites or buildings, four
  stories, 10,000 square feet or ten acres, or 25 of anything else counted ("200 smoke
  detectors", "60 sprinkler heads"); a count of AC units, windows or rooms in a home is
  ordinary work. "A 6-unit building", "a 4-plex" are multi-unit property whatever the count.
* Commercial premises are unusual (a restaurant, a warehouse, a dorm, a daycare, an office
  building, "our store"), not where the lead works ("I work at a restaurant") nor a home office.
  A church or a school is a premises when it is the place of the work ("our church", "the
  school building"), not when it is where someone is ("the kids are at school").
* Work for someone else is unusual when the lead arranges it for them ("calling for my
  tenant", "my sister's house needs", "on behalf of", "I'll handle everything for her"); a
  relative letting the crew in is an ordinary access note, and so are keys, codes and doors
  left unlocked.
* A trade asking (a general contractor, a builder's spec homes, subbing out the rough-in, a
  vendor agreement) is unusual; so is an ask for something that is not a home's (a car, a boat,
  a golf cart, a run to the dump) or "not part of the job".
* A time of night is a request ("come out at 3am"), not what happened ("woke up at 3am to a
  flood") or the lead's own day ("I'm up at 3am"), when words of a visit are near it. Running a
  business is a premises only when the sentence does not put the work at the house.
* A visit added to beyond the trade is unusual: walking the dog, assembling a crib, an errand to
  a supplier, a car to get rid of; so is a booking made as a gift or in someone else's name
  (someone else *paying* is money movement), and work farmed out by another trade.
* A third party deciding is unusual when its say is still to come ("the board has to ok it",
  "the executor gets final say"), not when it was given ("my landlord said I can").
* A deadline is unusual when an event sets it (a wedding, a closing, guests flying in, the
  appraiser, a move-out inspection), not a wish ("sometime this month", "no rush").
* Access that needs more than a van and a ladder is unusual: a crane or rigging, a boat or an
  island, a dirt road and four-wheel drive, a fire escape, an escort onto a base; so are
  heights of twenty feet and more, and materials or methods of a specialist (reclaimed wood,
  lime plaster, a living roof, materials the lead supplies or bought second-hand).
"""

from __future__ import annotations

import re

from app.pipeline.edge_legal_medical import LEGAL_AND_UNUSUAL
from app.pipeline.edge_text import EdgeText, Span
from db.vocab import FlagCode

CODE = FlagCode.UNUSUAL_REQUEST
_RUNS = "scope.runs"  # "we run a bakery": the premises, unless the work is at the house
_AT_HOME = "scope.at_home"
_DECIDER = "scope.decider"  # a third party with a say: the board, the landlord, the executor
_DECIDES = "scope.decides"  # its say still to come: has to ok, final say, look it over
_EVENT = "scope.event"  # what sets a date: a wedding, a closing, guests flying in
_DEADLINE = "scope.deadline"  # by then, before that, in time

_RELATIVES = (
    "mom|mother|dad|father|parents|grandma|grandmother|grandpa|grandfather|grandparents|grandson|"
    "granddaughter|grandkids|grandchild|sister|"
    "brother|aunt|uncle|cousin|friend|neighbor|neighbour|daughter|son|tenant|tenants|boss|client|"
    "in-laws|mother-in-law|father-in-law|niece|nephew|girlfriend|boyfriend"
)
_RELATIVES_OF = "|".join(f"{r}'s" for r in _RELATIVES.split("|") if not r.endswith("s")) + "|parents|grandparents"
_PLACES = (
    "house|home|place|condo|apartment|unit|property|rental|cabin|townhouse|townhome|duplex|basement|"
    "kitchen|bathroom|roof|yard|furnace|garage|lawn|deck"
)
_COMMERCIAL = (
    "business|store|stores|shop|shops|restaurant*|gym|salon|office|offices|clinic|daycare|bar|cafe|"
    "bakery|studio|practice|warehouse|building|buildings|hotel|motel|franchise*|facility|school|"
    "church|complex|pub|venue|inn|lodge|kennel|farm"
)

PATTERNS: dict[str, tuple[str, ...]] = {
    CODE: (
        # approvals and decisions still pending
        "approval*",
        (
            "hoa|board|city|county|landlord|owner*|management|committee|council|association|bank|lender|"
            "corporate|headquarters|hq|trustee*|co-op|investor*|architect|engineer .. approv*|sign|vote|"
            "voted|okay|ok|permission|consent|go-ahead|decide*|decision|meets|meeting|review*"
        ),
        "has|have|needs|need|must|gotta|got ~ to approve|vote",
        "be|get|gets|getting|been approved",
        "pending .. approv*|vote|review|decision",
        "await*|waiting ~ on|for ~ approv*|vote|sign-off|permission|decision|board",
        "sign off|sign-off|signoff",
        "green light",
        "go-ahead from",
        "board meeting",
        "vote on",
        "can't|cant|cannot|not|won't|unable ~ to? ~ commit|decide|sign",
        "adjuster .. hasn't|hasnt|yet|until",
        (
            "waiting|wait|hear|hearing ~ back? ~ from|on ~ the? ~ board|hoa|city|county|landlord|bank|lender|"
            "committee|association|corporate|owner*|investor*|adjuster|insurance"
        ),
        "hasn't|hasnt|haven't|havent|didn't|didnt|not|yet ~ approved|signed|voted",
        # scope: many homes, units, sites
        "portfolio*",
        (
            "entire|whole .. building*|complex*|portfolio|campus*|subdivision*|development*|community|"
            "neighborhood|chain|tower*|warehouse*"
        ),
        "every ~ unit|units|apartment*|condo*|building*|propert*|location*|store*|suite*|tenant*|rental*",
        (
            "all ~ buildings|properties|locations|stores|restaurants|sites|campuses|branches|offices|"
            "apartments|condos|rentals"
        ),
        (
            "multiple|several|many|various|numerous ~ propert*|building*|location*|site*|store*|restaurant*|"
            "campus*|complex*|branch*|facilit*|rental*|apartment*|condo*|homes|houses"
        ),
        "different|separate ~ cities|towns|counties|states|city|town|county|sites|addresses",
        "diferente|diferentes|distinta|distintas ~ ciudad|ciudades|estados|lugares",
        "casas|propiedades|apartamentos ~ que ~ rento|rentamos|alquilo|alquilamos",
        "nationwide",
        "statewide",
        "national account*",
        "multi-site",
        "multi-location",
        "multisite",
        "entire|whole ~ street|block",
        "multi-family",
        "multifamily",
        "triplex",
        "fourplex",
        "quadplex",
        "sixplex",
        "multiplex",
        # commercial premises
        "office|business|industrial park*",
        "office ~ building*|space|spaces|suite*|tower*|complex*",
        "shopping center|mall|plaza",
        "strip mall",
        "apartment complex",
        "high-rise",
        "highrise",
        "high rise",
        "our ~ hotel|hotels|motel|resort",
        "senior|assisted|independent living",
        "memory care",
        "nursing|care home|homes|facility",
        "facility",
        "facilities",
        "stadium",
        "school district",
        "university",
        "restaurant*",
        "restaurante*",
        "warehouse*",
        "bodega*",
        "dorm",
        "dorms",
        "dormitor*",
        "storefront*",
        "salon*",
        "bakery",
        "bakeries",
        "cafe",
        "cafes",
        "coffee shop*",
        "taproom*",
        "tavern*",
        "nightclub*",
        "winery",
        "wineries",
        "distiller*",
        "pizzeria*",
        "bistro*",
        "dealership*",
        "showroom*",
        "boutique*",
        "barbershop*",
        "barber shop*",
        "auto|body|machine shop",
        "car wash*",
        "brewery",
        "breweries",
        "diner",
        "bed and breakfast",
        "laundromat*",
        "pta",
        "pto",
        "committee*",
        "apartment|condo|office|commercial ~ building|buildings|tower|towers",
        "dental|medical|vet|veterinary|chiropractic|dentist's ~ clinic|clinics|office|practice",
        "data center*",
        "senior|community|rec|recreation|learning|youth|civic|convention|call ~ center|centre|centers",
        "for|at|our ~ the|a? ~ fire|police ~ station|stations|department|dept|house",
        "library",
        "town|city ~ hall",
        "courthouse",
        "post office",
        "trailer|rv ~ park|parks",
        "mobile ~ home ~ park|parks|community",
        "grand opening",
        "on ~ standby|stand-by",
        "visitor ~ badge|pass|parking|permit",
        "guard ~ shack|gate|house|station",
        "sign in ~ with|at ~ the? ~ guard|security|front|gate",
        "ferry",
        "barge",
        "three|four|five|six|3|4|5|6 ~ stories|storeys|floors ~ up|high",
        "12/12|steep|mansard ~ pitch|roof",
        "facade",
        "historic ~ district|register|preservation|commission",
        "do ~ you|u ~ guys? ~ do ~ anything ~ with",
        "drone*|kite|balloon ~ .. tree|roof|gutter",
        "hull*",
        "doggy|dog|pet|cat ~ door ~ .. brick|concrete|stone|glass|block",
        "only ~ contact|call|text|email ~ me|us",
        "contact|call|text|email ~ me|us ~ only",
        "has|have|gets|get ~ the? ~ final ~ say|word|decision",
        "!already ~ approved|signed|okayed",
        "!approved|okayed|signed ~ .. last|yesterday|ago",
        "manufacturing|processing|bottling|packing|packaging|production|treatment ~ plant|plants|facility|line|floor",
        "shop|plant|factory|production ~ floor",
        "building security",
        "security|management|maintenance ~ has|have|must|will|can|needs ~ to? ~ let|escort|open|unlock|approve",
        "distribution center*",
        "factory",
        "factories",
        "loading dock*",
        "dock door*",
        "tenant improvement*",
        "commercial",
        "!your|tv|radio|saw|funny|new ~ commercial*",
        "!dog|dogs|doggy|doggie|pet|puppy ~ daycare",
        "!commercial* ~ on|during|with",
        "industrial",
        "retail",
        "franchise*",
        "nonprofit*",
        "non-profit*",
        "food pantry",
        "lobby",
        "lobbies",
        "common area*",
        "clubhouse",
        "parking garage*|structure*|deck*",
        "church|iglesia ~ basement|building|hall|kitchen|parking|sanctuary|property|roof|nursery",
        "school ~ building*|gym|kitchen|cafeteria|auditorium|campus|property",
        "dental|medical|doctor's|law|accounting|insurance|dentist's ~ office*|practice|firm",
        (
            "our|my|mi|nuestra|nuestro ~ N? ~ store|stores|business|church|churches|school|schools|clinic|warehouse|"
            "offices|"
            "office|tienda|negocio|oficina|iglesia|escuela|employees|customers|staff"
        ),
        "!home office",
        "!office ~ at ~ home|house",
        "!office manager",
        "at|to ~ my|our ~ work|workplace|job|jobsite|employer",
        "my|our ~ boss|employer ~ said|says|wants|approved|okayed",
        f"{_COMMERCIAL} ~ i|we|i'm|we're ~ own|run|manage|operate|starting|opening",
        (f"starting|opening|start|open ~ a|an|my|our ~ .. {_COMMERCIAL}"),
        (
            f"we're|were|are ~ a|an ~ .. {_COMMERCIAL}|company|nonprofit|charity|agency|firm|chain|district|"
            "association|church|ministry"
        ),
        "i'm|im|we're ~ the|a ~ owner|owners|landlord|manager|superintendent|facilities",
        "hoa's",
        "association's",
        "vacation|short-term|holiday ~ rental*",
        "vacation|second|lake|beach|summer|weekend|ski ~ home|house|place|property|cabin|condo",
        "check|checking|checked ~ on ~ house|home|place|property|cabin",
        "airbnb*",
        "vrbo",
        "do|work ~ on? ~ cars|trucks|vehicles|boats",
        (
            f"!i|i'm|im|he|he's|she|she's|we|we're|husband|wife|son|daughter|partner ~ work|works|working|worked ~ "
            f"at|in|for ~ {_COMMERCIAL}|restaurant*|warehouse*|salon*|bakery|cafe|daycare*|factory|dorm|diner"
        ),
        "!none of ~ business",
        "municipal*",
        "government|federal ~ contract*|agency|agencies|building*|facility|facilities|project*|job*",
        "city|county|state contract*",
        "rfp",
        "rfq",
        "request for proposal*|quote*|bid*",
        "bid package",
        "invitation to bid",
        "solicit* ~ bid*|proposal*|quote*",
        "prevailing wage",
        "certified payroll",
        # a trade asking: contractors, builders, subs, vendors
        "general contractor*",
        "gc",
        "the general on",
        "subcontract*",
        "sub contract*",
        "sub-contract*",
        "a sub on|for",
        "looking for a sub",
        "sub|subbing|subbed ~ out",
        "sub it out",
        "our subs",
        (
            "i'm|im|we're|were|am|are ~ a|an|the ~ builder|developer|framer|framing|gc|remodeler|contractor|realtor|"
            "designer|decorator|stager|architect|"
            "agent|broker|landlord|investor|flipper|property"
        ),
        "my|our ~ client|clients|buyer|buyers|seller|sellers",
        "builder|contractor here",
        "spec home*|house*",
        "plans attached",
        "scope of work",
        "punch list*",
        "project manager",
        "superintendent",
        "new construction",
        "bid ~ the|on|our|this ~ job|project|lighting|electrical|plumbing|hvac|work|drywall|roofing",
        (
            "vendor ~ agreement*|onboarding|packet|list|portal|contract*|application*|form*|number|setup|"
            "registration|compliance|paperwork"
        ),
        "approved|preferred|new|one|single|sole|primary ~ vendor*",
        "preferred plumber|contractor|provider|electrician|vendor",
        # for someone else
        (
            f"calling|writing|texting|emailing|messaging|asking|inquiring|booking|scheduling|contacting|"
            f"requesting|reaching ~ out? ~ for|on ~ behalf? ~ of? ~ my|a|our ~ {_RELATIVES}"
        ),
        "on behalf of",
        "go|goes|going ~ through ~ me|us",
        "set|setting ~ this|it|everything|things ~ up ~ for ~ my|her|him|them",
        "handle|coordinate|arrange|manage ~ everything",
        "handling|handle|managing|arranging|coordinating ~ it|this|things|everything ~ for ~ him|her|them|my",
        "set it|this|everything up for ~ her|him|them",
        f"my|our {_RELATIVES_OF} ~ {_PLACES}",
        (
            f"fix|repair|replace|paint|mow|clean|check|look|service|inspect|winterize|redo|work ~ at|on? ~ "
            f"{_RELATIVES_OF}"
        ),
        (
            f"fix|repair|replace|paint|mow|clean|clear|check|look|service|inspect|winterize|redo ~ out|at|on? ~ "
            f"her|his|their ~ {_PLACES}|furnace|ac|heater|water"
        ),
        (
            f"!did|done|redid|fixed|installed|painted|built|worked|saw|seen|recommended|loved|like|liked ~ on? ~ "
            f"{_RELATIVES_OF}"
        ),
        "doesn't|don't|not|can't|cannot|dont|doesnt ~ speak|read|understand ~ much? ~ english",
        # someone else books it, as a gift or in their name (paying for it is money movement)
        f"my|our ~ {_RELATIVES} ~ wants|wanted|would|is|will ~ like? ~ to ~ book|pay|schedule|set|buy|gift|treat",
        "as|for ~ a ~ gift|present|surprise",
        "birthday|christmas|anniversary|wedding|housewarming|mother's|father's ~ gift|present|surprise",
        "gift ~ for ~ my|our|her|his",
        "under|in ~ her|his|their|my ~ name|account",
        "reach|reaching ~ out ~ to ~ her|him|them|tenant|the tenant ~ directly",
        "contact|call|text|schedule ~ with? ~ her|him|them|tenant|tenants|resident|residents ~ directly",
        "tenant|tenants|resident|residents ~ is|are|will be ~ home",
        "property|prop ~ mgmt|management|mgr|mgt",
        # paperwork for a bank or a sale
        "notariz*",
        "notary",
        "sign|signed|signing ~ a|the|some|this|their ~ form|forms|affidavit",
        "form|forms|paperwork|affidavit ~ signed|notarized",
        "lien waiver*",
        # a trade asking for work
        "farm|farming|farmed|farms ~ work|jobs|it|stuff ~ out",
        "farm out",
        "overflow",
        "one-man|one man ~ .. outfit|shop|operation|company|business|crew|show",
        "i'm|im|we're|were ~ a|an ~ .. outfit|company|crew|business|sub|shop",
        "send|sending|throw|throwing|pass|passing ~ work|jobs|leads ~ my|our ~ way",
        "partner|partnering|team|teaming ~ up? ~ with ~ you|u|your",
        # a visit added to: another place, another trade, someone's pet or an errand
        "pick|picking ~ up ~ a|the|my|her|his? ~ couch|sofa|furniture|table|dresser|bed|mattress|piano|fridge .. from",
        (
            "get|getting ~ rid ~ of ~ .. car|truck|vehicle|van|boat|trailer|camper|buick|ford|chevy|toyota|honda|"
            "jeep|dodge|nissan"
        ),
        "tow|towing|scrap|scrapping|junk|junking ~ .. car|truck|vehicle|van|boat|trailer",
        "walk|walking|feed|feeding|watch|watching ~ my|the|our|her|his ~ dog|dogs|cat|cats|pets|pet|puppy|kids",
        "babysit*",
        "house sit*",
        "house-sit*",
        "housesit*",
        "water|watering ~ my|our|the|her|his ~ plants|houseplants",
        "move|moving|carry|carrying|lift|lifting|relocate ~ .. safe|piano|aquarium|statue",
        "pool table*",
        "hot tub ~ moved|moving|move",
        "chicken coop*",
        "treehouse*|playhouse*|doghouse*|birdhouse*|catio",
        "tree|dog|bird house",
        "pet sit*",
        "pet-sit*",
        "dog sit*",
        "dog-sit*",
        "put|putting ~ together ~ a|the|my|our|some? ~ crib|furniture|bed|desk|dresser|shelf|shelves|table",
        "assemble|assembling ~ a|the|my|our|some? ~ crib|furniture|bed|desk|dresser|shelf|shelves|table|ikea",
        (
            "also .. while ~ he's|she's|they're|you're|ur|youre|he|she|they|you ~ is|are|at|there|here|over|"
            "cleaning|working|out"
        ),
        "while ~ you're|youre|ur|he's|she's|they're ~ there|here|over ~ .. also|maybe|could|can",
        # a visit that waits for someone else's decision
        "hold|save|reserve|keep|pencil ~ a|the|my|me|us? ~ spot|slot|date|place|day ~ .. until|till|til|while|pending",
        (
            "until|till|til|once ~ the? ~ adjuster|insurance|board|hoa|landlord|bank|lender|"
            "city ~ .. decides|decide|approves"
        ),
        "still ~ deciding|decide",
        *LEGAL_AND_UNUSUAL,
        # far
        "that's|thats|it's|its|is|a ~ a|bit|of? ~ haul|trek|hike|ways",
        "that's|thats|it's|its ~ a ~ long ~ way|drive",
        "bit of a ~ drive|haul|trek",
        "long ~ way|ways ~ from|out|for",
        "nobody|noone|no-one ~ local",
        "no one local",
        "out in the ~ sticks|boonies",
        "middle of nowhere",
        # access beyond a van and a ladder
        "crane*",
        "rigging",
        "rig|rope|ropes|lower|lowered|lowering ~ .. piece by piece",
        "piece by piece",
        "boom|scissor|aerial|man ~ lift",
        "by ~ boat|ferry|barge|seaplane|snowmobile|atv|four-wheeler",
        "on ~ an ~ island",
        "dirt|gravel|logging|unpaved|seasonal|forest ~ road|track|trail",
        "4wd|4x4|awd",
        "four|4 ~ wheel ~ drive",
        "four-wheel|4-wheel ~ drive",
        "high clearance",
        "no ~ road|vehicle|truck|driveway|car|street ~ access",
        "there's|theres ~ no ~ driveway|road|elevator|parking|access",
        "there ~ is ~ no ~ driveway|road|elevator|parking|access",
        "no ~ elevator|driveway",
        (
            "can't|cant|cannot|won't|wont ~ get|fit|bring|back ~ a|the|your|any? ~ truck|van|trailer|equipment|lift|"
            "machine"
        ),
        "too ~ narrow|steep|tight|low|soft ~ for ~ a|the|your|any? ~ truck|van|trailer|lift|equipment|machine",
        "fire escape",
        "roof ~ hatch|access",
        "walkup",
        "walk-up",
        "N ~ flights ~ of ~ stairs|steps",
        "carry|haul|lug ~ .. up|down ~ .. stairs|steps|hill|slope|path",
        "background check*",
        "security clearance",
        "escort*",
        "military base",
        "on base",
        "only|just ~ reachable|accessible|access|get|reach",
        "only way ~ in|to|up|down",
        "only ~ through|via|from ~ a|an|the ~ .. hole|hatch|window|crawlspace|attic|neighbor*|ladder",
        "steep ~ hill|slope|bank|cliff|ravine|embankment",
        "cliff*",
        "ravine",
        # a specialist's materials and methods
        "reclaimed|salvaged|antique|heritage|historic|historical|traditional|period ~ .. wood|lumber|brick|plaster|"
        "windows|tile|stone|beams|timber|method*|techniques|materials|millwork|hardware|pine|oak|planks|boards|"
        "flooring|doors|timbers",
        "lime|venetian|clay ~ plaster|render|wash",
        "tadelakt",
        "cob",
        "rammed earth",
        "straw bale",
        "hempcrete",
        "adobe",
        "living|green|sod ~ roof|wall",
        "sedum",
        "copper ~ roof|roofing|gutters|cladding",
        "standing seam",
        "slate|thatch|thatched|tile ~ roof",
        "gold|silver ~ leaf",
        "hand ~ soldered|forged|carved|painted|hewn|troweled|made|built",
        "hand-soldered|hand-forged|hand-carved|hand-painted|hand-hewn|hand-troweled|hand-built",
        "geothermal",
        "off-grid",
        "off grid",
        "greywater|graywater",
        "composting toilet*",
        "supplying|supply|providing|provide|bringing|bought|buying|sourced|sourcing ~ my|our|their|his|her ~ own",
        "my|our ~ own ~ materials|tile|tiles|parts|fixtures|lumber|wood|paint|flooring",
        "bought|got|found ~ .. off|on|from ~ facebook|marketplace|craigslist|ebay|offerup|salvage|auction",
        "from ~ italy|spain|mexico|portugal|morocco|turkey|china|japan|europe|overseas",
        "imported",
        # what the lead asks for that few of the trade do
        "or know|recommend ~ someone|anyone|somebody|someone who",
        "know ~ someone|anyone|somebody ~ who|that ~ does|do|can",
        "any chance ~ you|u|your ~ guys? ~ also? ~ do|handle|fix|work|install|repair|service|look",
        "do|does ~ you|u|your ~ guys|team|crew|company? ~ also ~ do|handle|offer|install|repair|service|remove|"
        "haul|build",
        "stairlift*|chairlift*",
        "stair|chair ~ lift*",
        "dumbwaiter*",
        "elevator|lift ~ repair|install*|service",
        "beehive*|honeybee*|swarm",
        "bee ~ hive*|swarm|colony|nest",
        "honey bees",
        "bat|bats ~ colony|colonies|in|out|removal",
        "wildlife removal",
        "sailboat*",
        "pontoon*",
        "tub|tubs|spa|shed|playset|set|trampoline ~ removal|removed|haul*|demo*|tear*",
        "haul|take|tear|rip ~ away|out|down|off ~ .. tub|tubs|shed|playset|swing|trampoline",
        # a date an event sets
        "closing ~ on ~ the|our ~ house|home|condo|place|sale ~ .. monday|tuesday|wednesday|thursday|friday|"
        "saturday|sunday|tomorrow|this",
        "close|closing ~ escrow",
        "hosting ~ .. N ~ people|guests",
        "move-out|moveout|walkthrough|walk-through ~ inspection|date",
        "move out ~ inspection|date",
        # timing
        "after|past|until|til|till|by ~ midnight",
        "memorial|labor|veterans|presidents|independence|boxing|mlk|columbus ~ day|weekend",
        "through|thru ~ the ~ night",
        "on call",
        "on-call",
        "after ~ we|they ~ close|closed",
        "before ~ we|they ~ open|opens",
        "after|before ~ the ~ store|shop|office|restaurant|bar|salon|business ~ close|closes|closed|closing|opens",
        "after close|closing",
        "while ~ we're|were|are|is|it's|its|the ~ .. closed|empty|shut|away",
        "only|is|are ~ closed ~ on|mondays|tuesdays|wednesdays|thursdays|fridays|sundays|saturdays",
        "when ~ the ~ office|store|school|building|shop|restaurant ~ is ~ closed|empty",
        "reopen|re-open",
        "during ~ the ~ event|show|party|wedding|game|festival|service",
        "while ~ the ~ event|show|party|wedding|festival ~ is|runs|running|going",
        "work|working|come|done|job|stay|crew|shift ~ overnight",
        "overnight ~ work|job|shift|service|install*",
        "middle of the night",
        "late at night",
        "late night",
        "after hours",
        "after-hours",
        "outside ~ business|normal|regular|working hours",
        "before dawn|sunrise",
        "christmas day|eve|morning",
        "on|over|during christmas|thanksgiving|easter",
        "thanksgiving day|morning|night|weekend",
        "new year's|years day|eve",
        "on|over|during ~ holiday|holidays",
        "july 4th",
        "4th|fourth of july",
        "site|onsite|on-site|there|staffed|crew|someone|somebody .. 24 7",
        "round|around the clock",
        "24 hours a day",
        "too late to|for ~ come|stop|swing",
        "come|work|working|start|do ~ it? ~ at night",
        "you|u|crew|guys|team|come|coming|do ~ work|working|it? ~ nights|overnights",
        ("set|setting ~ up ~ new? ~ tv|television|soundbar|router|wifi|printer|computer|speakers|alexa|console|tvs"),
        "mount|mounting|hang|hanging ~ tv|television|tvs",
        f"late ~ {_RELATIVES_OF}",
        f"clean|clear|empty|cleaning|clearing|emptying ~ out ~ {_RELATIVES_OF}",
        "after dark",
        # away, far
        "out of the country",
        "out of country",
        "overseas",
        "abroad",
        "without me|anyone|us|someone|anybody being? there|home|present|on|here",
        "outside ~ service|usual|normal|coverage|typical? ~ area|range|radius|territory|region|zone",
        "out of ~ service|usual|normal|coverage|typical? ~ area|range|radius|territory|region|zone",
        "out of state",
        "out-of-state",
        "another|different|other state",
        "too far",
        "that far",
        "go|come|travel|drive ~ as far as",
        "far for you",
        "long drive",
        "would|will|willing|able|could ~ travel",
        "travel out|up|down|over",
        "willing to drive|travel|make|come",
        "make the trip|drive",
        "remote area|location|property|site|cabin|place",
        "it's|is|pretty|very|quite remote",
        # outside the usual services
        "odd|weird|strange|unusual|random|crazy|oddball|unconventional ~ request|ask|one|question|favor",
        "not sure .. you|u|ya|yall|y'all ~ guys? ~ do|does|handle|offer|cover|service|work|take|doing",
        "don't|dont know if|whether .. you|u|ya .. do|does|handle|offer|cover|service|work|take|doing",
        "know you|u|ya .. mostly|mainly|usually|normally|typically|primarily|only|just|specialize*",
        "not what you|u ~ usually|normally|typically|do",
        "outside ~ what you|u",
        "outside ~ your|the ~ usual|normal|typical|regular",
        "off the books",
        "off the record",
        "not|don't|dont|without|never ~ put|putting|run|running|ring|ringing ~ on|through ~ books|record|system",
        "paper trail",
        "under the table",
        ("isn't|isnt|not|outside ~ really|exactly? ~ your ~ usual? ~ thing|specialty|wheelhouse|line|area|expertise"),
        "side job*",
        "side work",
        "cash job*",
        "not|isn't|isnt ~ really|exactly? ~ your ~ usual|normal|typical|regular",
        "not|isn't|isnt ~ really|exactly|technically? ~ part of",
        "outside the scope",
        "out of scope",
        "know you're|youre|you are ~ a|an|just|only|mainly|mostly",
        "boat's",
        "boat|boats ~ lift|trailer|motor|engine|bilge|battery|dock",
        "rv",
        "camper*",
        "rv's",
        "motorhome's",
        "trailer's",
        "flip|flipping|flipped ~ houses|homes|properties",
        "strip center*",
        "parking lot ~ lights|lighting|striping|sealcoat*|paving|repaving|sweeping",
        "motorhome*",
        "food truck*",
        "yacht*",
        "tiny house*",
        "houseboat*",
        "golf cart*",
        "jet ski*",
        "jetski*",
        (
            "look|looking|check|checking|fix|fixing|repair|repairing|diagnose|tune|tow|jump|winterize|wire|haul ~ "
            "at? ~ car|cars|truck|vehicle|suv|motorcycle|motorbike|scooter|tractor|atv|boat|boats"
        ),
        (
            "pick|picking|grab ~ up .. .. from|at ~ lowe's|lowes|home|walmart|costco|target|ikea|store|"
            "supplier|showroom|yard"
        ),
        "work|working ~ on ~ car|cars|truck|vehicle|suv|motorcycle|motorbike|scooter|tractor|atv",
        "to the dump",
        "dump run*",
        "junk removal",
        "haul|take ~ away|off ~ .. junk|furniture|couch|sofa|mattress*|piano|trampoline|tires|car|boat|appliances",
        "in|on|of|inside ~ my|our|the ~ boat|rv|camper|car|truck|trailer|motorhome|van",
        "row|strip ~ of ~ townhouses|townhomes|homes|houses|condos|units|stores|shops",
        "hoard*",
        "estate ~ clean-out|cleanout|cleanup|clear-out",
        "not listed|on ~ on? ~ your ~ site|website|list",
    ),
    _RUNS: (f"run|runs|own|owns|owning|manage|manages|managing|operate|operates|operating|opening .. {_COMMERCIAL}",),
    _AT_HOME: ("the|my|our ~ house|home|apartment|condo|place", "at home"),
    _DECIDER: (
        "hoa|board|landlord|landlords|landlord's|owner|owners|executor|trustee|trust|co-op|coop|lender|bank|"
        "co-owner|co-owners|co-owns|"
        "association|committee|management|coordinator|investor|investors|architect|engineer|city|county|"
        "corporate|partner|partners|buyer|buyers",
        "co op",
        "co ~ owns|owner|owners",
        "probate",
    ),
    _DECIDES: (
        "approve|approves|ok|okay|okays|oks|sign|signs|vote|votes|decide|decides|review|reviews|bless|authorize|"
        "agree|agrees|consent|consents",
        "final ~ say|decision|word",
        "thumbs up",
        "green light",
        "look|looks ~ it|this|them ~ over",
        "look|looks ~ over",
        "say so",
        "blessing",
        "permission",
        "two|2|three|3|multiple ~ bids|quotes|estimates ~ before",
        "still ~ in",
    ),
    _EVENT: (
        "wedding|reception|party|graduation|funeral|showing|showings|closing|appraisal|appraiser|"
        "walkthrough|walk-through|listing|photographer|photoshoot|shoot|event|mitzvah|quinceanera|reunion|"
        "move-in|move-out|market",
        "open house",
    ),
    _DEADLINE: (
        "before|by ~ then|that",
        "this|next|on|coming|is|by ~ monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend",
        "by ~ the|then|that|monday|tuesday|wednesday|thursday|friday|saturday|sunday|the ~ N",
        "in time",
        "asap",
        "deadline",
        "has|have ~ to ~ be ~ finished|done|ready|fixed|complete|completed",
        "usable|ready|done|finished ~ by|before",
        "in ~ N ~ days",
    ),
}

_WORD_COUNTS = {"dozen": 12, "dozens": 24, "hundreds": 200}
# How many of each make an unusual scope: homes and units by the ten, sites by the three.
_SCOPE_MIN = {
    **dict.fromkeys(
        ("unit", "apartment", "condo", "townhome", "townhouse", "home", "house", "rental", "suite", "tenant", "lot"), 10
    ),
    **dict.fromkeys(
        (
            "building",
            "property",
            "location",
            "site",
            "store",
            "restaurant",
            "campus",
            "school",
            "office",
            "facility",
            "branch",
            "complex",
            "warehouse",
            "hotel",
            "clinic",
            "franchise",
            "community",
            "station",
            "mall",
            "church",
        ),
        3,
    ),
    "door": 50,
    **dict.fromkeys(("story", "floor"), 4),
    **dict.fromkeys(("acre",), 10),
    "duplex": 3,
}
_SQUARE = frozenset(("sq", "square", "sqft", "sf"))
_BIG_AREA = 10_000
_ANY_MIN = 25  # of anything else counted
# "A 6-unit building", "a 4-plex", "a 30-room inn", "a 10-story building".
_COMPOUND_MIN = {"unit": 3, "plex": 3, "room": 10, "bed": 10, "story": 4, "storey": 4}
_PLURALS = {
    "properties": "property",
    "facilities": "facility",
    "communities": "community",
    "campuses": "campus",
    "branches": "branch",
    "complexes": "complex",
    "stories": "story",
    "churches": "church",
}
_MODIFIERS = frozenset(
    [
        "single",
        "multi",
        "family",
        "single-family",
        "multi-family",
        "rental",
        "residential",
        "commercial",
        "apartment",
        "condo",
        "retail",
        "office",
        "occupied",
        "vacant",
        "more",
        "other",
        "separate",
        "different",
        "total",
        "individual",
        "student",
        "senior",
        "our",
        "the",
        "plus",
        "or",
        "so",
        "local",
        "mobile",
        "manufactured",
        "new",
        "of",
        "small",
        "large",
        "big",
    ]
)
# What a count of is not an unusual scope: measures, money, time, and things that are not work.
_NOT_SCOPE = frozenset(
    [
        "sq",
        "square",
        "ft",
        "feet",
        "foot",
        "inch",
        "inches",
        "yard",
        "yards",
        "gallon",
        "gallons",
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
        "psi",
        "lb",
        "lbs",
        "pound",
        "pounds",
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
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
        "degree",
        "degrees",
        "percent",
        "dollars",
        "bucks",
        "grand",
        "people",
        "times",
        "things",
        "reasons",
        "questions",
        "ways",
        "options",
        "photos",
        "pictures",
        "pics",
        "reviews",
        "calls",
        "messages",
        "texts",
        "emails",
        "seconds",
        "secs",
        "total",
        "parts",
        "labor",
        "materials",
    ]
)
_NOT_PLURAL = frozenset(
    ["is", "was", "this", "his", "its", "has", "does", "plus", "less", "yes", "us", "thanks", "thats", "whats", "lets"]
)
_STOPS = frozenset(
    [
        "for",
        "to",
        "on",
        "in",
        "at",
        "and",
        "or",
        "with",
        "by",
        "from",
        "is",
        "are",
        "was",
        "were",
        "it",
        "i",
        "we",
        "you",
        "if",
    ]
)
_DIGITS = re.compile(r"\d[\d,]*$")
_COMPOUND = re.compile(r"(\d+)-([a-z]+)$")

_NIGHT = re.compile(
    r"\b(?:(?:12|1|2|3|4|5)(?::[0-5]\d)?\s*(?:a\.?\s?m\b\.?|in the morning)"
    r"|(?:10|11)(?::[0-5]\d)?\s*(?:p\.?\s?m\b\.?|at night|tonight))",
    re.IGNORECASE,
)
_NIGHT_HINT = re.compile(r"\d\s*(?:[ap]\.?\s?m\b|in the morning|at night|tonight)", re.IGNORECASE)
_VISIT = re.compile(
    r"\b(?:come|coming|here|start|starting|arrive|schedule|book|meet|available|visit|stop by|swing by"
    r"|show up|too late|appointment|only time|be there|out at|do it|do the)\b",
    re.IGNORECASE,
)
_NEAR = 40
# Right before a time of night: the lead's own day ("I'm up at 3am"), not a visit asked for.
_OWN_DAY = re.compile(
    r"\b(?:up|awake|woke(?: up)?|wake(?: up)?|get up|gets up|shift starts?|leave for work)\s+(?:at|around|by)\s*$",
    re.IGNORECASE,
)
_PAIRS = ((_DECIDER, _DECIDES, 6), (_EVENT, _DEADLINE, 10))
# Work twenty feet up or more ("a 30 foot stairwell"), not a ladder one owns.
_HEIGHT = re.compile(
    r"\b(?:[2-9]\d|1\d\d)\s*(?:-\s*)?(?:foot|feet|ft)\s+(?:high|tall|up|ceilings?|stairwell|foyer|vaulted|drop|peak)\b",
    re.IGNORECASE,
)
_FAR_WORDS = frozenset(
    (
        "hour",
        "hours",
        "hr",
        "hrs",
        "miles",
        "mi",
        "minutes",
        "mins",
        "state",
        "states",
        "county",
        "counties",
        "town",
        "towns",
    )
)
_HEIGHT_WORDS = frozenset(("foot", "feet", "ft"))
_FAR = re.compile(
    r"\b(?:\d+|an?|one|two|three|four|five|six|few|couple(?: of)?)\s*\+?\s*(?:hours?|hrs?)\s+"
    r"(?:away|south|north|east|west|out|drive|from)\b"
    r"|\b\d{2,}\+?\s*(?:miles|mi)\s+(?:away|out|from|south|north|east|west)\b"
    r"|\b(?:[6-9]\d|1\d\d)\s*(?:minutes|mins)\s+(?:away|out|from|south|north|east|west|drive)\b"
    r"|\babout\s+(?:[6-9]\d|1\d\d)\s*(?:minutes|mins)\b"
    r"|\b(?:next|neighboring|neighbouring)\s+(?:state|county|counties|town)\s+over\b"
    r"|\b(?:two|three|four|few|couple|\d)\s+(?:states|counties|towns)\s+(?:over|away)\b"
    r"|\bstate line\b",
    re.IGNORECASE,
)


def spans(read: EdgeText, counts_are_proof: bool = False) -> list[Span]:
    """``counts_are_proof``: counts are reported metrics ("120 clicks"), not a job's size."""
    at_home = read.sentences_with(_AT_HOME)
    runs = [read.span(m.first, m.stop) for m in read.found(_RUNS) if read.sentence[m.first] not in at_home]
    found = read.spans(CODE) + runs + ([] if counts_are_proof else _counted(read)) + _night(read.text)
    if not read.present.isdisjoint(_HEIGHT_WORDS):
        found += [m.span() for m in _HEIGHT.finditer(read.text)]
    found += [read.pair_span(a, b) for one, other, within in _PAIRS for a, b in read.near(one, other, within)]
    if not read.present.isdisjoint(_FAR_WORDS):
        found += [m.span() for m in _FAR.finditer(read.text)]
    return found


def _counted(read: EdgeText) -> list[Span]:
    """Counts that make a large scope: "48 units", "two hundred smoke detectors", "40,000 sq
    ft", "six stories", "a 12-unit building"."""
    counts = {n.first: (n.value, n.stop) for n in read.numbers}
    spans = []
    for at, (word, start, _) in enumerate(read.words):
        if at in counts:
            value, after = counts[at]
        elif word in _WORD_COUNTS:
            value, after = _WORD_COUNTS[word], at + 1
        elif not word[0].isdigit() or read.text[start - 1 : start] == "$":
            continue
        elif _DIGITS.match(word):
            value, after = float(word.replace(",", "")), at + 1
        else:
            compound = _COMPOUND.match(word)
            if compound and int(compound[1]) >= _COMPOUND_MIN.get(compound[2], 10**9):
                spans.append(read.span(at, at + 1))
            continue
        stop = _scope_noun(read, value, after)
        if stop is not None:
            spans.append(read.span(at, stop))
    return spans


def _scope_noun(read: EdgeText, value: float, at: int) -> int | None:
    """The index after the counted noun at ``at`` when ``value`` of it is a large scope."""
    unknown = 0
    for index in range(at, min(at + 4, len(read.words))):
        if read.sentence[index] != read.sentence[at - 1]:
            return None
        word = read.words[index][0]
        if word in _MODIFIERS:
            continue
        singular = _PLURALS.get(word) or (word[:-1] if word.endswith("s") else word)
        if singular in _SCOPE_MIN:
            return index + 1 if value >= _SCOPE_MIN[singular] else None
        if word in _SQUARE:
            return index + 1 if value >= _BIG_AREA else None
        if word in _NOT_SCOPE or word in _STOPS or _DIGITS.match(word):
            return None
        if value >= _ANY_MIN and _plural(word):
            return index + 1
        unknown += 1
        if unknown == 2:
            return None
    return None


def _plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and "'" not in word and word not in _NOT_PLURAL


def _night(text: str) -> list[Span]:
    if not _NIGHT_HINT.search(text):
        return []
    return [
        m.span()
        for m in _NIGHT.finditer(text)
        if not _OWN_DAY.search(text, max(0, m.start() - 20), m.start())
        and _VISIT.search(text, max(0, m.start() - _NEAR), min(len(text), m.end() + _NEAR))
    ]
