"""Complaints about the business: a bad experience said outright ("unacceptable", "nobody
called back", "reporting you to the BBB"), or damage, a failure or poor conduct told as a plain
fact about the business's own people or work in the same sentence ("your crew spilled
fertilizer", "the AC you put in already died", "worse now than before you sprayed").

Judgment calls:

* A complaint is about *this* business: second person, "your tech", "the crew", "the one you
  installed", "since you came". The same words about another business ("my last plumber left a
  mess", "our old roofer did a terrible job") or a relative's DIY are not, and neither is the
  home's own trouble ("the AC died", "sick of this drip").
* "Your tech" asked for ("can your tech look at it? it died") or reporting ("the tech said the
  compressor is dead") is no bad experience; nor is a failure years after the work, or one told
  next to praise ("you were great last time").
* Idioms are not complaints: "the worst of the leak", "a horrible grinding noise", "the worst
  storm in years".
* Asking for a refund is money movement; it is a complaint only when the words say so.
* Asking for the work to be put right ("make it right", "redone by a different crew"), for
  someone above the one who came, or threatening to tell others unless someone calls is a
  complaint; refusing to pay a fee for an estimate is asking for a free one (pricing).
* Silence is a complaint when it is said to be one ("still no reply", "not a peep", "if I
  don't hear back"); so is a bill beyond what was agreed or explained, conduct ("talked down
  to me", "rolled his eyes") and regret at hiring. A charge made twice, asked to be reversed,
  is money movement alone; a utility bill higher than usual is the home's trouble.
"""

from __future__ import annotations

import re

from app.pipeline.edge_text import EdgeText, Span
from app.pipeline.phrases import Match
from db.vocab import FlagCode

CODE = FlagCode.COMPLAINT
_OURS = "complaint.ours"  # the business's own people, work and visits
_SUBJECT = "complaint.subject"  # you, y'all, they: only as the doer of _HARM
_HARM = "complaint.harm"  # what someone did wrong, right after who did it: "your crew spilled"
_BAD = "complaint.bad"  # what went wrong, said near _OURS: "still leaking", "was rude"
_THEIRS = "complaint.theirs"  # another business, a previous owner, a relative
_PRAISE = "complaint.praise"
_LONG_AGO = "complaint.long_ago"
_FEELING = "complaint.feeling"  # frustrated, upset, fed up: at the business, or at a drip?

_STAFF = (
    "crew|crews|guy|guys|tech|techs|technician|technicians|installer|installers|worker|workers|team|"
    "employee|employees|staff|painter|painters|plumber|plumbers|electrician|electricians|cleaner|cleaners|"
    "mover|movers|roofer|roofers|landscaper|landscapers|receptionist|dispatcher|scheduler|salesman|"
    "salesperson|rep|estimator|foreman|helper|helpers|apprentice|handyman|exterminator|gardener|gardeners|"
    "repairman|repairmen|serviceman|servicemen|carpenter|carpenters|driver|drivers|office|arborist|mason|tiler|"
    "supervisor|manager|owner|contractor|sub|subs|subcontractor"
)
_SEEN_STAFF = (
    "estimator|dispatcher|receptionist|tech|techs|technician|technicians|crew|installer|installers|foreman|workers|painters|cleaners|movers|"
    "electrician|plumber|painter|roofer|exterminator|landscaper|landscapers|cleaner|repairman|repairmen"
)
_WORK = (
    "work|job|repair|repairs|fix|install|installation|treatment|treatments|spray|spraying|cleaning|visit|"
    "visits|product|products|part|parts|estimate|bill|invoice"
)
_DID = (
    "installed|put|set|replaced|fixed|repaired|serviced|sprayed|treated|cleaned|painted|did|came|sent|laid|"
    "built|hung|poured|ran|wired|moved|hauled|left|charged|billed|started|finished|worked|patched|sealed|"
    "snaked|unclogged|tuned|inspected|mowed|trimmed|swapped|changed|adjusted|caulked|grouted|tiled|washed|"
    "delivered|were|was|removed|mounted|upgraded|rewired|refinished|sanded|framed|shingled|insulated|pumped|"
    "jetted|flushed|drained|recharged|diagnosed|sold|gave|used|brought|didn't|didnt|never|couldn't|took|cleared|"
    "rebuilt|leveled|levelled|graded|hooked|connected|capped|vented|routed|plumbed|regrouted|recaulked|rodded|"
    "assembled|glued|nailed|bolted|anchored|secured|welded|soldered|programmed|stretched|power-washed|"
    "pressure-washed|re-roofed|reroofed|resurfaced|repainted|replumbed|retiled|rebuilt|re-did|"
    "pulled|redid|re-did|reinstalled|resealed|skipped|missed|forgot|made|dug|cut|fitted|stained|applied"
)
_THINGS = (
    "noise|noises|smell|smells|sound|sounds|odor|odors|leak|leaks|storm|storms|weather|winter|summer|shape|"
    "condition|stain|stains|draft|drafts|clog|clogs|rattle|rattling|grinding|squeal|squealing|smoke|humidity|"
    "heat|cold|flood|flooding|mold|mould|pests|ants|roaches|mice|rats|infestation|pressure|water|damage|"
    "traffic|amount|drip|dripping|year|week|day|luck|timing|allergies|hail|wind|winds|rain|snow|ice|"
    "heatwave|case|part|thing|time|of|asthma|cough|pain|back|knee|knees|sinus|sinuses|migraine|migraines|"
    "headache|headaches|eczema|symptoms|commute"
)
# How something done badly is, or is getting: "already flaking", "is crooked", "been running nonstop".
_FAILING = (
    "leaking|dripping|clogged|cracked|cracking|broken|loose|wobbly|crooked|uneven|rattling|squeaking|"
    "squeaky|sagging|leaning|peeling|flaking|chipping|fading|faded|rusting|splitting|warping|warped|"
    "separating|sinking|lifting|curling|buckling|rotting|molding|bubbling|streaky|flickering|tripping|"
    "lopsided|dead|brown|yellow|dying|missing|stuck|sticking|buzzing|humming|smoking|sparking|stained|"
    "scratched|dented|chipped|noisy|louder|worse|flooded|backing|backed|failing|failed|falling|coming|"
    "wearing|running|soaked|soaking|wet|pulling|crumbling|fogging|foggy|fogged|walking|shaking|vibrating|banging|"
    "cupping|bowing|bulging|blistering|discolored|shrinking"
)
_MESS = "paint|primer|mud|dirt|grease|oil|grout|caulk|debris|dust|sawdust|insulation|glue|stain|lint|water|tar"
_SURFACES = (
    "carpet|carpets|couch|floor|floors|brick|siding|furniture|wall|walls|trim|windows|rug|driveway|car|"
    "counter|counters|deck|lawn|grass|cabinets|tile|hardwood"
)
_PESTS = "ants|roaches|bugs|mice|rats|termites|fleas|bedbugs|squirrels|wasps|spiders|weeds|pests|moles"

PATTERNS: dict[str, tuple[str, ...]] = {
    CODE: (
        "not happy",
        "unhappy",
        "terrible",
        "awful",
        "worst",
        "complain*",
        "disappoint*",
        "rude",
        "rudely",
        "left a mess",
        "left .. mess|trash|garbage|debris",
        "no show",
        "no-show",
        "ripped off",
        "rip-off",
        "rip off",
        "scam*",
        "bad experience",
        "furious",
        "one star",
        "one-star",
        "1 star",
        "1-star",
        "horrible",
        "ridiculous",
        "unacceptable",
        "unprofessional",
        "incompeten*",
        "dissatisf*",
        "unsatisf*",
        "clueless",
        "thanks for nothing",
        "absurd",
        "outrageous",
        "pathetic",
        "ludicrous",
        "laughable",
        "inexcusable",
        "disgraceful",
        "shameful",
        "atrocious",
        "abysmal",
        "nightmare",
        (
            "!terrible|awful|horrible|horrendous|worst|bad|nasty|ridiculous|insane|absurd|outrageous|atrocious|"
            "abysmal|nightmare ~ " + _THINGS
        ),
        (
            "!" + _THINGS + " ~ has|have? ~ is|are|was|were|been|gets|got ~ so|really|just|pretty? ~ "
            "terrible|awful|horrible|horrendous|bad|ridiculous|insane|absurd|outrageous|atrocious|abysmal|nightmare"
        ),
        "on hold ~ for ~ N|over|almost|nearly ~ minutes|mins|hour|hours|min",
        "still ~ nobody|noone ~ has|have? ~ fixed|come|called|shown|showed|answered",
        "still no one ~ has|have? ~ fixed|come|called|shown|showed|answered",
        "appointments|visits|trips|calls|tries|attempts ~ and|later ~ still",
        (
            "nothing|nowhere ~ like|near|close ~ to? ~ the|what ~ you|u|final? ~ quote*|estimate*|bill|"
            "price|invoice|quoted|"
            "promised|said|agreed"
        ),
        "not ~ satisfied|impressed|pleased|acceptable",
        "not okay|ok with",
        "livid",
        "waste of",
        (
            "poor|bad|lousy|sloppy|shoddy|crappy|terrible|negative ~ workmanship|job|work|service|quality|"
            "communication|customer|review"
        ),
        "shoddy",
        "sloppy",
        "botched",
        "lied",
        "lying",
        "liar*",
        "ghosted",
        "ghosting",
        "pushy",
        "small claims",
        "take|taking|see ~ you|them|him|her|u ~ to court",
        "sue|suing ~ you|u|them|your",
        "attorney*|lawyer* ~ will|is|are|going ~ .. contact*|call*|reach*|touch",
        "call|calling|contact|contacting|hear from ~ my|our ~ attorney*|lawyer*",
        "bait and switch",
        "false advertising",
        "never again",
        "using|calling|hiring|recommending ~ you|u ~ again",
        "won't|wont|wouldn't|never ~ be? ~ using|recommend*|calling|hiring|use|call|hire ~ you|u|your|again",
        "will|would not ~ be? ~ using|recommend*|calling|hiring|use|call|hire ~ you|u|your|again",
        "not recommend",
        "never showed|came|arrived|responded|returned|finished|fixed|bothered",
        "never called|call|returned ~ back",
        "never got|heard back",
        (
            "nobody|no-one ~ has|have|had|ever? ~ called|calls|call|came|come|showed|shown|answered|answers|responded|"
            "responds|bothered|returned|gotten|reached"
        ),
        (
            "no one ~ has|have|had|ever? ~ called|calls|call|came|come|showed|shown|answered|answers|responded|"
            "responds|bothered|returned|gotten|reached"
        ),
        "no one|nobody ~ got|gets ~ back",
        "no response",
        "no call back|callback",
        "never|nobody|no-one ~ told|warned|informed ~ me|us",
        "no one ~ told|warned|informed ~ me|us",
        "was|were ~ never|not ~ told|warned|informed",
        "i|we ~ told|asked|said ~ you|u|them|him|her ~ guys? ~ not|no|specifically|twice|already|multiple",
        "specifically ~ asked|told|said|requested",
        "didn't|didnt ~ show*|bother|even|respond|tell|clean",
        "did not ~ show*|bother|respond|tell|clean",
        "didn't|didnt|not call ~ back",
        "haven't|havent|hasn't|hasnt ~ called|call|gotten|got|heard|written ~ back",
        "haven't|havent|hasn't|hasnt ~ responded|replied|shown|showed|bothered|returned",
        "haven't|havent|hasn't|hasnt heard ~ anything|from",
        "after|since the|that ~ so-called|last|recent|supposed ~ repair*|fix*|visit*|install*|service*",
        (
            "you|u|guys|tech|technician|crew ~ fixed|repaired|installed|replaced|serviced|unclogged .. again|"
            "still|already|leaking|leaks|leaked|broke|broken|stopped|failed|isn't|doesn't|won't"
        ),
        "so-called",
        "so called",
        "supposedly fixed",
        "what did ~ guy|tech|technician|crew|you|they|he ~ even? do",
        (
            "didn't|didnt|doesn't|doesnt|don't|dont ~ know|seem ~ to? ~ know? ~ what ~ he|she|they|"
            "you ~ was|were|are|is ~ doing"
        ),
        "asked|called|emailed|texted|requested|messaged ~ N|multiple|several|many ~ times",
        "get|got|getting|heard ~ nothing|zilch|crickets",
        "crickets",
        "impossible to ~ reach|get|contact|deal|work",
        "you people",
        "last time ~ i|we|i'm|we're|i'll|we'll ~ use|call|hire|calling|using|hiring|book|booking|deal",
        "another ~ reschedule|cancellation|delay|no-show|excuse|postponement",
        "misle*",
        "deceiv*",
        "deceptive",
        "dishonest",
        "speak|talk ~ to|with ~ manager|supervisor|boss|owner",
        "walked off|out ~ the? ~ job",
        "asked|ordered|requested|paid ~ for .. and|but ~ you|u|they|got|received|installed|sent",
        (
            "the|our ~ new .. leaks|leaking|drips|dripping|wobbles|rattles|squeaks|sags|doesn't|won't|isn't|stopped|"
            "quit|died"
        ),
        "nobody|no-one ~ will|wants|seems|can|could ~ to? ~ come|call|answer|help|respond|fix",
        "no one ~ will|wants|seems|can|could ~ to? ~ come|call|answer|help|respond|fix",
        (
            "left ~ trash|garbage|debris|mess|mud|dirt|junk|nails|screws|tools|stuff|pipes|old|scraps|"
            "without|ruts|marks|stains|holes|scratches|damage|dents|tracks|footprints|oil|grease|paint|butts|"
            "cigarette*|cans|bottles|wrappers"
        ),
        "!left ~ without ~ collecting|charging|billing|taking|asking|paying|payment",
        "tracked .. mud|dirt|mess|grease",
        "overcharg*",
        "over-charg*",
        "over charged",
        "sent|got|installed|gave|used|put|has|have|brought|ordered|charged|billed ~ wrong",
        "showed|arrived|came|showing|shows ~ up? ~ N|an ~ hours|hour|hrs|hr ~ late",
        "showed|arrived|came ~ up? ~ late",
        "always|again ~ late",
        "showed|arrived|came ~ up? ~ at ~ N|# ~ for ~ .. appointment|window|slot",
        "waited|waiting .. all|whole|entire ~ day|morning|afternoon",
        "waited|waiting for hours",
        "waited|waiting from|since",
        "same ~ leak|clog|problem|issue|noise|smell|crack|drip|thing ~ again|came|comes|keeps|still|back",
        ("back|again|returned|reappeared ~ after|within ~ only|just? ~ N|a|one ~ week|weeks|day|days|month|months"),
        "!be|i'll|we'll|get|getting|got|come|coming|i'm|we're|i'd ~ back",
        (
            "third|3rd|fourth|4th|fifth|5th|sixth|6th|second|2nd time ~ calling|asking|writing|texting|emailing|"
            "i've|we've|ive|you've|reschedul*"
        ),
        "third|3rd|fourth|4th|fifth|5th time that ~ i|we",
        (
            "third|3rd|fourth|4th|fifth|5th|sixth|6th ~ email|emails|call|calls|message|messages|text|texts|"
            "voicemail|voicemails|request|attempt"
        ),
        "cancel* on me|us",
        "you've|you'd ~ cancel*",
        "you ~ cancelled|canceled",
        "keep|keeps|kept ~ cancel*",
        f"already ~ {_FAILING}|broke|stopped|quit|died",
        "worse than before",
        "you|u|guys|tech|he|she .. made|left|making ~ it|things|everything ~ worse",
        "paid|paying|pay for .. but|and|yet|then? ~ got|received|never|didn't|didnt|only",
        "bbb",
        "charged|billed|paid ~ me|us? ~ for .. never|didn't|didnt|wasn't|weren't|not",
        "can't|cant|cannot ~ believe",
        ("waiting|waited ~ for? ~ over|almost|nearly|more than? ~ N|a ~ week|weeks|days|months|hours ~ for|on|now|and"),
        "you|u ~ said|told ~ me|us? .. would|will|wouldn't|won't|it'd|it'll",
        "charged|billed ~ me|us? ~ for ~ N|a|an ~ hours|hrs|hour|days .. but|and|when|only",
        "quedo|quedaron|salio|salieron ~ mal",
        "not|won't|wont|refuse|refusing ~ to? ~ pay|paying ~ until|unless|for|anything|a",
        (
            "!not|won't|wont|refuse|refusing ~ to? ~ pay|paying ~ for? ~ fee|trip|estimate|quote|"
            "consultation|diagnostic|call-out|callout|service"
        ),
        "!close|closing|pass|approve|sell|sale|loan ~ .. unless",
        (
            "mess|damage|hole|holes|scratch|scratches|dent|dents|stain|stains|ruts|marks|problem|problems|mistake|"
            "mistakes ~ you|your|yall|u|the ~ "
            "guys|crew|tech|techs|installer|installers|painters|workers|people|team? ~ "
            "made|left|caused|created|did"
        ),
        "better business bureau",
        "report* ~ you|u",
        "reporting you",
        "dispute*",
        # no answer, again
        "still ~ no|zero|nothing ~ reply|replies|response|responses|answer|callback|call|update|word|email|text",
        (
            "N|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|last ~ time ~ i'm|im|we're|i've|we've|ive ~ "
            "reaching|reached|following|followed|trying|tried|contacting|contacted|messaging|messaged|writing|"
            "calling|called|texting|texted|emailing|emailed|asking|asked"
        ),
        (
            "was|were|am|are|i'm|we're ~ supposed to ~ get|hear|have|receive|see ~ .. by|yesterday|"
            "last|monday|tuesday|wednesday|thursday|friday|saturday|sunday|days|weeks|ago"
        ),
        "supposed to ~ get|hear|have|receive ~ .. by ~ monday|tuesday|wednesday|thursday|friday|now|yesterday",
        "is|are ~ anyone|anybody|someone|somebody|you|u ~ actually|ever|even|really ~ going|gonna|coming",
        "should|or|do ~ i|we ~ just? ~ find|hire|call|get|look ~ for? ~ someone|somebody|another|a ~ else|different",
        "rescheduled|cancelled|canceled|postponed|bumped|pushed ~ on|back ~ me|us",
        "reschedul*|postpon* ~ on ~ me|us",
        "you|u|they|yall|y'all ~ rescheduled|postponed|bumped|cancelled|canceled ~ .. twice|again|N",
        "twice|N times ~ now",
        "!used|hired|called|booked|had ~ you|u ~ .. twice|N times ~ now",
        "hearing|heard|hear ~ from ~ my|our ~ attorney*|lawyer*|legal",
        # billing: charged twice, more than agreed, for time not spent
        (
            "charge|bill|invoice|invoiced ~ .. but|yet ~ he|she|they|you|u|the|tech|guy ~ "
            "only|was|were|barely|never|didn't|didnt|spent|took|left"
        ),
        (
            "bill|invoice|charge|total|final|price ~ is|was|came|were ~ out? ~ way|much|lot|far|so|nearly|almost ~ "
            "higher|more|over|bigger|double|triple"
        ),
        "!higher|more|bigger|double ~ than ~ usual|normal|average|last|before|expected|it|they",
        "!water|electric|electricity|gas|utility|power|energy|heating|phone|cable ~ bill|bills",
        "nobody|no-one|never ~ explained|mentioned|disclosed|said ~ anything|why|that|it|a",
        "no one ~ explained|mentioned|disclosed",
        # done with them, sorry to have hired them
        "so|totally|completely|absolutely|officially|just ~ done ~ with",
        "done ~ with ~ you|u|yall|y'all|your",
        "done ~ with ~ this ~ whole|company|nonsense|mess|runaround|crap",
        "regret*",
        "wasn't|wasnt|weren't|werent ~ supposed to ~ happen",
        "said|told ~ me|us? ~ monday|tuesday|wednesday|thursday|friday|saturday|sunday ~ .. now|still|it's|its|but",
        "not ~ a|one|single ~ peep|word|callback",
        "peep",
        "keep|keeps|kept ~ saying|promising ~ someone|somebody|they|he|she|you|u",
        "no one|nobody ~ ever? ~ does|did",
        "made|make|makes|making ~ me|us|my|her|him ~ .. feel ~ stupid|dumb|small|bad|uncomfortable|unsafe|like",
        "lectured|scolded|berated|insulted|mocked",
        "paid ~ for .. and|but ~ half|most|none|only|nothing",
        "weren't|wasn't|werent|wasnt|never|nobody ~ touched",
        "nobody|no-one|never ~ asked|checked|consulted ~ with? ~ us|me",
        "no one ~ asked|checked|consulted ~ with? ~ us|me",
        "if|unless ~ i|we ~ don't|dont ~ hear|get ~ back|a|an|from",
        "if|unless ~ i|we ~ do ~ not ~ hear|get ~ back|a|an|from",
        "expect|await|watch|look ~ for|out? ~ for? ~ a|my|an ~ .. review",
        "review ~ that|which ~ reflects|matches|describes",
        "feel|felt|feeling ~ .. ignored|neglected|forgotten|cheated|scammed|disrespected|brushed|dismissed",
        "what a ~ mess|fiasco|circus|disaster",
        "keep|keeps ~ having ~ to ~ call|ask|remind|chase|follow",
        "chase|chasing ~ you|u|them|your",
        (
            "you|u|they|yall|y'all|crew ~ never|didn't|didnt|haven't|havent|hasn't|hasnt ~ even? ~ started|start|"
            "begun|begin|finished|finish"
        ),
        "wish ~ i|we ~ had|hadn't|never|didn't|hadnt|didnt ~ .. hired|called|used|booked|chose|gone",
        (
            "should've|shouldve|shoulda|should ~ have? ~ hired|called|used|gone|went|booked|chosen ~ .. someone|"
            "somebody|another|else|other"
        ),
        "like|as ~ i|we|i've|we've ~ said|told|mentioned|explained|asked|written ~ .. times|twice",
        "last|past ~ N|few|several|couple|many ~ of? ~ times ~ .. still|same|again|nothing|never",
        "not|isn't|isnt|wasn't|never ~ resolved|fixed",
        "unresolved",
        "joke",
        "still not ~ fixed|resolved|right|done",
        (
            "still|been ~ waiting ~ for|on ~ call*|callback|tech*|technician|guy|crew|part*|quote|estimate|"
            "response|reply|answer|someone|somebody|anyone|you|u|refund|invoice|word"
        ),
        "days|weeks|months later",
        "that|which ~ was ~ N ~ day|days|week|weeks|month|months ~ ago",
        "had to ~ call|hire|get|pay ~ another|someone|somebody",
        "had to ~ call|hire|get|pay ~ a ~ different|second|real",
        "keep|keeps|kept|always .. voicemail",
        "nobody|no-one ~ returns|return|answer|picks|picked",
        "no one ~ returns|return|answer|picks|picked",
        "didn't|didnt|never ~ finish|complete|do ~ job|work|install*|repair*",
        "did not ~ finish|complete|do ~ job|work|install*|repair*",
        "didn't|didnt|never do anything",
        "disrespect*",
        "yelled",
        "screamed",
        "cursed",
        "swore at",
        "harass*",
        "careless*",
        "unanswered",
        "escalate*",
        "stood ~ me|us? ~ up",
        "come|came ~ back ~ and|to ~ fix|finish|redo|correct|repair",
        "your|you ~ mistake*|error*",
        "missed ~ our|my ~ appointment|window",
        "hung|hang|hanging up on",
        "after N visits|trips|attempts|repairs|appointments|tries",
        "was|were|been told ~ someone|somebody|you|he|she|they|it|the ~ tech? ~ would|will|was",
        "messy",
        "not what ~ i|we ~ asked|ordered|paid|agreed|wanted",
        "was|were promised",
        "you|u ~ promised",
        "where's|wheres|where ~ is|are? ~ your|the ~ tech|technician|guy|crew|plumber|electrician",
        "never|didn't|didnt|not ~ authorize*|authorise*|approve*|agree* ~ to? ~ that|this|it|any|the",
        "unauthorized|unauthorised ~ charge*|work|repair*|payment*",
        # who to send: not that one again
        "send|sending ~ someone|somebody|anyone ~ else",
        (
            "different|another|new|other|better ~ tech|techs|technician|installer|crew|guy|person|worker|painter|"
            "cleaner|plumber|electrician ~ next|this ~ time"
        ),
        "don't|dont|never|not ~ send .. again|back",
        "not the same|one|guy|tech|person ~ from|as ~ last",
        "someone ~ more ~ experienced|competent|qualified|careful|professional",
        "no idea|clue ~ what|how ~ he|she|they|you ~ was|were ~ doing",
        # anger said outright, however it is worded
        "ticked|teed ~ off",
        "peeved",
        "irate",
        "outraged",
        "appalled",
        "disgusted",
        "displeased",
        "infuriat*",
        "not ~ thrilled|amused|cool|fair|acceptable",
        "not ok|okay",
        "!not ok|okay ~ to|if|for|with|that",
        "expected|expect ~ lot|much|way|far|so? ~ better|more",
        "hate to ~ write|say|complain|report|tell",
        # asking for it to be put right, or for someone above the one who came
        "make|made|making ~ it|this|that|things ~ right",
        "want|like|need|expect|expecting ~ work|job|install*|repair*|it|this|that ~ redone|re-done|corrected",
        "want|like|need|expect|expecting ~ work|job|install*|repair*|it|this|that ~ done|fixed ~ over|again|properly",
        (
            "!done|fixed ~ over ~ the|a|memorial|labor|christmas|thanksgiving|easter|spring|summer|winter|fall|"
            "break|weekend|holiday|holidays|next|two|2|several|few"
        ),
        (
            "by|with|from ~ a|an|someone|somebody ~ different|new|another|better|competent|experienced ~ crew|tech|"
            "techs|technician|team|guy|person|installer|plumber|electrician|painter|cleaner|cleaners|worker|workers"
        ),
        "who|who's|whos ~ is? ~ above|over ~ tech|technician|crew|guy|him|her|them",
        "someone|somebody|anyone ~ with ~ actual|real|more|some|any ~ authority",
        "higher up|ups",
        "higher-up*",
        "chain of command",
        "expect|expecting|want|deserve|deserves|owe|owed ~ me|us? ~ an|a|some ~ apology|explanation",
        # no word from them
        "not even ~ a|one ~ call|text|phone|word|apology|update|email|notice|heads",
        "so much as ~ a|one ~ call|text|phone|word|apology|update|email|notice|heads",
        "no|without ~ any? ~ heads up",
        "no|without ~ any? ~ heads-up|apology|explanation",
        # telling others, or a threat with a condition
        "let|tell|warn ~ everyone|everybody|people|others|neighbors|neighbours|friends ~ .. .. know|about",
        "nextdoor",
        (
            "unless|otherwise ~ someone|somebody|you|u|this|it|your|the ~ .. call*|fix*|respond*|refund*|"
            "made|make|get*|resolved|comes|come"
        ),
        # what they left, and what was not there before they came
        "left ~ it|them|everything|us? ~ like ~ that|this",
        "left ~ it|them|everything|us? ~ that|this ~ way",
        "wasn't|wasnt|weren't|werent ~ there ~ before|until",
        "was|were ~ not ~ there ~ before|until",
        "look|looks|looked ~ like ~ nobody|noone|no-one ~ touched|did|cleaned|mowed|bothered|came",
        "look|looks|looked ~ like ~ no one ~ touched|did|cleaned|mowed|bothered|came",
        "nobody|no-one ~ touched|bothered",
        "no one ~ touched|bothered",
        "charged|billed|paid|charging|billing ~ .. anyway|anyways|regardless",
        "what|why ~ we|i ~ hired|paid|called ~ you|u|them",
        "worse|louder|leakier ~ than ~ the ~ old|one|before|original",
        (
            "consult*|consulting|talk|talking|speak|speaking|spoke|spoken|hire|hiring|hired|retain*|"
            "involve|involving|called|calling ~ an|a|my|our ~ attorney*|lawyer*"
        ),
        "report|reporting|reported ~ your|the|this ~ company|business|outfit|crew|firm|tech|technician",
        "attorney general",
        "nobody's|noone's ~ been|come|called ~ back|by|out",
        "no one's ~ been|come|called ~ back|by|out",
        "supposed to be ~ finished|done|completed|fixed|here ~ .. ago|last|yesterday|by|weeks|days",
        "trying|tried ~ to ~ reach|contact|call|get ~ .. for|since ~ N? ~ days|weeks|week|months|month|hours",
        # Spanish
        "muy mal",
        "mal|malo|mala ~ servicio|trabajo|atencion",
        "pesimo*",
        "pesima*",
        "no se presentaron|presento",
        "nadie ~ vino|llego|llamo|contesto",
        "no vinieron|llegaron|llamaron|contestaron",
        "queja*",
        "no estoy|estamos ~ contento*|contenta*|satisfech*|feliz|felices",
        "estafa*",
        "groser*",
    ),
    _OURS: (
        f"you|u|yall|y'all|ya'll|ya ~ guys|all? ~ {_DID}",
        "by you|u|yall",
        f"your|ur|yall's|y'all's|ya'll's ~ {_STAFF}|{_WORK}",
        _SEEN_STAFF,
        f"{_STAFF}|whoever|person|people|one|ones ~ you|u ~ sent|send|had",
        "last|previous ~ visit|appointment",
        f"{_STAFF}|one|ones ~ who|that ~ came|was|were|did|you|u",
        "paying|paid ~ for ~ your|you|u",
        (
            f"after|since|when ~ the|your|ur ~ .. {_STAFF}|people|delivery ~ came|left|were|was|finished|did|"
            "worked|showed|delivered"
        ),
        (
            "install|installation|repair|repairs|patch|replacement|treatment|fix|tune-up|tuneup|reroof|regrout ~ "
            "is|was|has|already|just|isn't|didn't|failed|lasted|held|keeps|only|started"
        ),
        f"whoever ~ {_DID}",
        "since|after ~ the|our|my? ~ new .. went|was|got|were ~ in|installed|put|replaced",
        (
            "instalaron|arreglaron|vinieron|hicieron|pusieron|dejaron|rompieron|danaron|mandaron|cobraron|"
            "limpiaron|pintaron|ustedes"
        ),
        "su|sus ~ tecnico*|trabajador*|empleado*|trabajo|servicio|gente|equipo",
        (
            "!can|could|would|will|when|if|do|did|does|should|may|might|please|to ~ you|u|yall|y'all|ya'll ~ "
            "guys|all? ~ put|set"
        ),
        # asked for, someone to be found, or reporting: not the business at work
        (
            f"!can|could|would|will|when|whenever|if|is|are|does|do|have|has|send|need|want|book|schedule|should|"
            f"may|a|an|any|some|another|good|reliable ~ your|ur|the? ~ {_STAFF}"
        ),
        (
            f"!{_STAFF} ~ said|says|told|tells|mentioned|thinks|thought|recommended|suggested|found|noticed|"
            "explained|quoted|diagnosed|will|would|can|could|should|coming|comes|may|might|must"
        ),
        f"!{_STAFF} ~ is|are ~ coming|going|scheduled|available|booked|off",
        f"!{_STAFF} ~ needs|need|has|had|have ~ to",
        "!your|ur ~ service|work ~ area|areas|truck|van|number|line|hours|order",
    ),
    _SUBJECT: ("you", "u", "yall", "y'all", "ya'll", "you guys|all", "they"),
    _HARM: (
        (
            "scratched|dented|gouged|broke|cracked|chipped|ruined|damaged|destroyed|smashed|shattered|tore|ripped|"
            "spilled|splattered|flooded|punctured|nicked|dropped|hit|tracked|smeared|bent|warped|burned|burnt|"
            "scorched|melted|lost|stole|forgot|missed|scuffed|wrecked|caused|clogged|overcharged|blocked|trapped|"
            "dinged|scraped|marred|soiled|stained|gashed|"
            "skipped|overlooked|neglected|ignored|sprayed|killed|poisoned|"
            "rompio|rompieron|dano|danaron|quebro|quebraron|rayo|rayaron|mancho|mancharon"
        ),
        "knocked ~ over|down|off|into",
        "messed|screwed ~ up",
        "dug up",
        "drilled|drill ~ right? ~ through|into",
        "backed|ran|run|crashed|drove|parked .. into|over|through|on",
        "!dropped|drop ~ off|by",
        "!tore|ripped|tearing|ripping|knocked|dug ~ out|off|down|up|apart ~ old",
    ),
    _BAD: (
        "died",
        "dying",
        "quit",
        "stopped|quit ~ working|running|heating|cooling|draining|flushing",
        (
            "won't|wont|doesn't|doesnt|didn't|didnt|isn't|isnt|wasn't|wasnt|can't|cant|not|longer|never ~ "
            "work|works|working|turn|turns|start|starts|come|heat|heating|cool|cooling|drain|draining|flush|"
            "flushing|close|closes|shut|shuts|light|lights|hold|holds|stay|stays|seal|seals|fit|fits|latch|lock|"
            "spin|fix|fixed|help|helped"
        ),
        (
            "still ~ leak*|drip*|broken|broke|not|doesn't|won't|isn't|there|in|here|running|clogged|sitting|no|same|"
            "cold|warm|loud|noisy|smell*|stink*|wet|damp|flicker*|tripping|beeping|torn|open|missing|crooked|loose|"
            "wobbl*|happening|going|backing|backed|doing"
        ),
        (
            "drip*|leak*|clog*|broke|broken|stopped|tripping|tripped|failed|happening|doing|it|out|off|down|back|"
            "quit|died|cold|warm|loose|running|up|flooding|flooded ~ again"
        ),
        "same .. problem|issue|noise|leak|sound|thing|smell|drip|clog|spot|crack|rattle",
        "worse",
        "no better",
        "not any better",
        "exactly|still|just ~ the same",
        (
            f"it|they|{_PESTS}|leak|clog|problem|issue|noise|smell|mold|crack|drip ~ came|come|are|is|keep* ~ "
            "right? ~ back"
        ),
        (
            "is|are|was|were|it's|its|now|still|already|feels|looks|seems|came|keeps|started|starting|starts|began|"
            f"getting|been|all|constantly ~ {_FAILING}"
        ),
        "wobbles|rocks|leans|sags|drips|leaks|rattles|squeaks|flickers|trips|stinks|sticks|buzzes|sparks|floods",
        "rocking|wobbling|shifting",
        "laughed|laughing|smirked|mocked|mocking|shrugged",
        "stepped|stomped|walked ~ on|over|all",
        "condescending|arrogant|dismissive|snippy|snotty|belligerent|combative|sarcastic|impatient|curt",
        "rolled|rolling|rolls ~ his|her|their ~ eyes",
        "didn't|didnt|never|not ~ fix|solve|help|change ~ anything|nothing|squat",
        "did not ~ fix|solve|help|change ~ anything",
        "eye ~ roll|rolled|rolling",
        "talked|talking|talks|spoke|speaking|talk ~ down",
        "belittl*",
        "patroniz*",
        "yelled|yelling|screamed|screaming|shouted|shouting|snapped|cursed|cussed ~ at",
        "scuff*",
        "gouge*",
        "rock|stone|ball|hole|foot|boot|ladder ~ through",
        "all ~ down|along|across ~ the|my|our",
        "half ~ done|finished",
        "half-done",
        "unfinished",
        "incomplete",
        "never|wasn't|wasnt|didn't|didnt|weren't ~ .. before",
        "smells|smell|smelled|smelling ~ like|of|funny|bad|weird|musty|burnt|burning|moldy",
        f"{_MESS} ~ all over|everywhere",
        f"{_MESS} ~ on|onto|over ~ .. {_SURFACES}",
        "dust ~ blowing|coming",
        "water ~ around|everywhere|under|pooling|puddl*",
        "all over",
        "streak*",
        "rash|rashes|hives|headache*|allergic ~ reaction?",
        "broke out",
        "threw|throwing|thrown|throw ~ up",
        "vomit*",
        "vet|vets|veterinarian*",
        "different color|colour|shade",
        "doesn't|don't|didn't|doesnt|dont|didnt ~ match",
        "does|do|did ~ not ~ match",
        "got|get|getting|gotten|made|making|feel|feeling|felt|been|is|are ~ sick|ill|dizzy|nauseous",
        "no idea|clue",
        "rude",
        "short with",
        "argued|arguing",
        "smoked|smoking ~ on|in|inside|near",
        "wouldn't|didn't|didnt|won't|refused ~ to? ~ listen|answer|explain|stop|leave|clean|return",
        "bigger|larger|worse|new ~ hole|leak|mess|crack|stain|problem",
        "full of",
        "is|are|it's|its ~ back ~ exactly|right|again? ~ where|in|on",
        "back ~ exactly|right ~ where",
        "left ~ it|them|everything ~ wet|soaking|dirty|worse|broken|unfinished|half|open|unlocked",
        "cigarette*",
        "butts",
        "cursing|swearing|swore",
        "on his|her|their ~ phone",
        "sleeping",
        "rushed",
        "ignored",
        "was|were|arrived|came|always|running ~ late",
        "hours|hour late",
        (
            "didn't|didnt|not|never|forgot|failed ~ to? ~ tape|clean|wipe|cover|protect|say|tell|call|finish|"
            "show|bother|put|replace|check|test|bring|seal|explain|ask|apologize|lock|close|shut|haul|take|pick"
        ),
        "supposed to",
        "poorly",
        "unreliable",
        "lazy",
        "left .. open|unlocked|running|exposed|uncovered|off|hanging",
        "left ~ lights|water|heat|faucet|tv|fan|ac|hose|stove|oven ~ on",
        "let ~ dog|dogs|cat|cats ~ out",
        "dog|dogs|cat|cats ~ got|ran|escaped|get ~ out|off|away",
        "wrong",
        "mistake*",
        "torn up|apart",
        ("here|there ~ maybe|only|barely|like|just ~ for? ~ like? ~ N|an|a|half ~ hour|hours|hr|hrs|min|mins|minutes"),
        "left|leave|leaving ~ after ~ only|just|like? ~ N|an|a|half ~ hour|hours|hr|hrs|min|mins|minutes",
        (
            "i|we|son|daughter|wife|husband|mom|dad|mother|father|kid|kids|child|toddler|baby|grandma|grandpa ~ "
            "slipped|tripped|fell"
        ),
        "hurt|injured ~ my|his|her|our ~ back|leg|arm|foot|hand|ankle|knee|head|wrist",
        "!that|which|when ~ it? ~ died|quit|stopped|broke|failed|leaked",
        "sigue|siguen|todavia ~ goteando|fallando|igual|roto|rota|sin|mal",
        "roto|rota|rompieron|danaron",
        "no ~ funciona|sirve|prende|enfria|calienta",
        "gotea",
        "goteando",
        "peor",
    ),
    _THEIRS: (
        # a trade or a company from before; "the last technician" is this business's own
        (
            "last|previous|old|former|prior|original|other|first|current ~ plumber|plumbers|company|companies|"
            "contractor*|guy|guys|roofer*|landscaper*|builder*|handyman|electrician*|painter*|cleaner*|cleaning|"
            "exterminator*|pest|hvac|provider*|vendor*|service|lawn|mover*|outfit"
        ),
        (
            "last|previous|old|former|prior|other ~ company's|guy's|contractor's|plumber's|roofer's|"
            "electrician's|painter's|cleaner's|outfit's|companies' ~ tech|techs|technician|crew|guys|workers|staff|"
            "installer|installers?"
        ),
        "another|different ~ company|contractor|plumber|roofer|guy|outfit|electrician|installer|painter|crew",
        # "had to call another company" is about this one, and so is asking for another crew
        "!call|hire|get|pay|called|hired|got|paid ~ another|different",
        "!by|with|send|sending|want|need ~ a|an ~ different|another|new ~ crew|tech|guy|installer|painter",
        "previous|prior ~ owner*|homeowner*|tenant*",
        "builder",
        "builders",
        "seller",
        "sellers",
        "landlord",
        "home warranty",
        "the company that",
        "went out of business",
        "manufacturer*",
        "home depot",
        "lowe's",
        "lowes",
        "sears",
        "costco",
        "we|i ~ had|used|hired ~ before|last|previously|years",
        "we|i ~ had|used|hired ~ out ~ last",
        ("my|our ~ husband|wife|son|daughter|kid|kids|dad|father|roommate|brother|neighbor ~ tried|broke|did|made"),
        "myself",
        "ourselves",
        "diy",
    ),
    _PRAISE: (
        "great",
        "amazing",
        "awesome",
        "excellent",
        "love",
        "loved",
        "perfect",
        "fantastic",
        "wonderful",
        "pleased",
        "happy with",
        "good|nice job",
        "well done",
    ),
    _LONG_AGO: ("years|yrs|year ~ ago|old|back", "decade*", "N|few|couple ~ of? ~ years|yrs"),
    _FEELING: (
        "frustrat*",
        "upset",
        "annoyed",
        "angry",
        "pissed",
        "fed up",
        "sick of",
        "sick and tired",
        "tired of",
        "over it",
        "!frustrating|annoying|upsetting ~ " + _THINGS + "|morning|month|weekend|night",
    ),
}

_WITHIN = 10  # words between the business and what went wrong, in one sentence
_ABOUT = frozenset(["with", "of", "by", "about", "at", "over"])
_THING_OPENERS = frozenset(["this", "these", "that", "those", "my", "our", "the", "it", "all", "cold", "hot"])
_OBJECTS = frozenset(["him", "her", "them", "me", "us"])
_BUSINESS = frozenset(
    [
        "you",
        "your",
        "u",
        "yall",
        "company",
        "service",
        "tech",
        "techs",
        "technician",
        "crew",
        "guy",
        "guys",
        "office",
        "team",
        "people",
        "staff",
        "appointment",
        "wait",
        "waiting",
        "delay",
        "delays",
        "schedule",
        "scheduling",
        "response",
        "communication",
        "excuses",
        "runaround",
        "installer",
        "contractor",
        "callback",
        "calls",
    ]
)
_QUOTE_MARK = re.compile("[\"'“‘]")
_SCARE_QUOTES = re.compile(
    r"[\"'“‘](?:fixed|repaired|repair|professional|expert|technician|tech|done|finished)[\"'”’]", re.IGNORECASE
)


def spans(read: EdgeText) -> list[Span]:
    theirs = _theirs(read)
    calm = theirs | _settled(read)
    found = [m for m in read.found(CODE) if read.sentence[m.first] not in theirs]
    found += [
        m for m in read.found(_FEELING) if read.sentence[m.first] not in theirs and _aimed_at_the_business(read, m)
    ]
    spans = [read.span(m.first, m.stop) for m in found]
    tied = read.near(_OURS, _BAD, _WITHIN) + _done_by(read, _OURS) + _done_by(read, _SUBJECT)
    spans += [read.pair_span(ours, bad) for ours, bad in tied if read.sentence[ours.first] not in calm]
    if _QUOTE_MARK.search(read.text):
        spans += [m.span() for m in _SCARE_QUOTES.finditer(read.text)]
    return spans


def _theirs(read: EdgeText) -> set[int]:
    """The sentences about another business and not this one."""
    read.drop_inside(_OURS, _THEIRS)  # "our old landscaper" is theirs, not "landscaper" ours
    return read.sentences_with(_THEIRS) - read.sentences_with(_OURS)


def _settled(read: EdgeText) -> set[int]:
    """The sentences with praise, or about work long ago."""
    return read.sentences_with(_PRAISE) | read.sentences_with(_LONG_AGO)


def calm_sentences(read: EdgeText) -> set[int]:
    """The sentences no complaint is read in: about another business, next to praise, or
    about work long ago (what the statistical second opinion must not override either)."""
    return _theirs(read) | _settled(read)


def _done_by(read: EdgeText, doer: str) -> list[tuple[Match, Match]]:
    """Harm right after who did it (one word may come between: "your crew also broke")."""
    harms = {m.first: m for m in read.found(_HARM)}
    return [
        (who, harms[at])
        for who in read.found(doer)
        for at in (who.stop, who.stop + 1)
        if at in harms and read.sentence[at] == read.sentence[who.first]
    ]


def _aimed_at_the_business(read: EdgeText, feeling: Match) -> bool:
    """ "Frustrated with your office", "so fed up": at the business; "sick of this drip",
    "the noise upsets him": at the home's trouble."""
    sentence, end = read.sentence[feeling.first], read.words[feeling.stop - 1][2]
    after = [
        read.words[at][0]
        for at in range(feeling.stop, min(feeling.stop + 5, len(read.words)))
        if read.sentence[at] == sentence
    ]
    before = {w for w, _, _ in read.words[max(0, feeling.first - 3) : feeling.first]}
    if read.text[end : end + 2].lstrip()[:1] in (",", ":", "-", "—"):
        return True  # "pretty frustrated, the estimate was supposed to be here"
    if after and after[0] in _OBJECTS:
        return not before.isdisjoint(_BUSINESS)  # "you upset him", not "the noise upsets him"
    if after and after[0] in _ABOUT:
        after = after[1:]
    if after and after[0] in _THING_OPENERS:
        return not _BUSINESS.isdisjoint(after)
    return True
