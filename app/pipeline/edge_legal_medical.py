"""Legal, medical and compliance language: the law and insurance, codes, permits and
inspections, regulated hazards, health and injuries, disabilities and conditions that shape a
visit, and what a lead says about recording and privacy.

Judgment calls:

* Mould, a musty smell or a leak alone is a service request; health symptoms, exposure,
  injuries and regulated hazards (asbestos, lead paint, radon, carbon monoxide) are not.
* A disability or condition of someone in the home is a judgment for a person (access,
  products, noise, how to reach them): a wheelchair, being deaf or hard of hearing, chemical
  sensitivity, recovering from surgery, pregnancy, autism, a service dog.
* Saying calls may not be recorded, or photos of the home not posted, is a compliance matter.
* The city, county or town inspecting the work is; so is clearance testing after remediation.
* Homonyms are not: "Sue from next door", "my wife is a lawyer", "a law office", "such a
  headache", a doctor's office as a place, an insurance agent's suggestion; nor is the lead's own
  day ("I work nights at the hospital", seasonal pollen allergies, a lease that ends).
* Hazards described rather than named are: old paint sanded with a baby in the house, old pipe
  wrap, a CO alarm; so are who answers for damage during the work, a licence number asked for,
  a camera hidden from someone, and a pet sick after a treatment.
"""

from __future__ import annotations

from app.pipeline.edge_text import EdgeText, Span
from db.vocab import FlagCode

CODE = FlagCode.LEGAL_MEDICAL_COMPLIANCE
# A camera hidden from someone in the home, testifying in court: a legal matter, and no
# ordinary request either (``edge_scope`` raises these too).
LEGAL_AND_UNUSUAL = (
    "testif*",
    "testimony",
    "deposition",
    "expert witness",
    "hidden|hide|hiding|secret|tuck|conceal*|covert|spy ~ .. camera*|cam|cams|recorder*|microphone*|mic",
    "nanny|spy ~ cam|cams|camera*",
)
_AUTHORITY = "legal.authority"
_INSPECTS = "legal.inspects"
_APPROVES = "legal.approves"  # a permit pulled with the county, someone from the city to look
_OLD_PAINT = "legal.old_paint"  # lead paint, not named: old paint sanded with a baby in the house
_DISTURBED = "legal.disturbed"
_DAMAGE = "legal.damage"  # liability: who answers for damage done during the work
_ANSWERS = "legal.answers"

PATTERNS: dict[str, tuple[str, ...]] = {
    CODE: (
        # legal
        "lawsuit*",
        "sue",
        "sued",
        "suing",
        "attorney*",
        "lawyer*",
        "legal*",
        "illegal*",
        "law",
        "!in law",
        "!law office*|firm*|school|student*",
        (
            "!sue ~ from|and|said|says|told|tells|gave|recommended|referred|who|is|was|has|had|mentioned|"
            "suggested|thinks|lives|next|will|can|would"
        ),
        "!neighbor|neighbour|friend|sister|aunt|cousin|wife|coworker|named|ask|asked|call|tell|and|with ~ sue",
        # someone's trade is no legal or medical matter of the job ("my wife is a lawyer")
        (
            "!i'm|im|am|is|was|as|he's|she's|we're|are|buddy's|friend's|wife's|husband's|brother's|sister's|son's|"
            "daughter's|dad's|mom's|neighbor's|cousin's|uncle's|aunt's|father's|mother's|boss's|partner's|"
            "roommate's|girlfriend's|boyfriend's|kid's ~ a|an ~ lawyer*|attorney*|nurse|nurses|doctor*|paralegal|"
            "judge|cop|police|pharmacist|dentist|physician|paramedic|emt|surgeon"
        ),
        (
            "!sue ~ my|our ~ neighbor|neighbour|friend|sister|aunt|cousin|coworker|mom|mother ~ recommended|said|"
            "told|referred|gave|mentioned|suggested"
        ),
        "liable",
        "liability",
        "liabilities",
        "workers|worker's|workers'|workman's|workmans|workmens ~ comp*",
        "negligen*",
        "small claims",
        "to|in court",
        "court date|order|case",
        "lien",
        "liens",
        "police",
        "!police station*",
        "unlicensed",
        "certificate of occupancy",
        "deductible",
        "report* .. city|county|state|board|authorities",
        "are|were|is|contain|contains|containing lead",
        "subpoena*",
        "cease and desist",
        "demand letter",
        "breach",
        "fraud*",
        "!fraud ~ alert*|department|dept|team|check|hold|protection|flag*|block*|text|call",
        "contract dispute",
        "damages",
        "compensat*",
        "my|our|your rights",
        "tenant|renter ~ rights",
        "habitab*",
        "evict*",
        "withhold* ~ rent",
        "disclos*",
        "undisclosed",
        "licensing board",
        "bbb",
        "better business bureau",
        "report|reported|reporting ~ you|u|them ~ to",
        "couldn't|can't|cannot|not|unable ~ to? ~ stay|live|sleep ~ in|at ~ the|our|my? ~ house|home",
        "displaced",
        "uninhabitable",
        "contractor|contractors|state board",
        "attorney general",
        "consumer protection",
        # licensing: who may do the work
        "license|licence|licensing ~ number|#|no|info|status|lookup|proof|copy",
        "state|contractor's|contractors ~ license|licence",
        "look ~ you|u|your|company ~ up",
        # who answers for damage
        "on the hook",
        "responsib* ~ for|if|when",
        "who|who's ~ pays|covers|paying|covering ~ for? ~ damage*|it|that|anything",
        # insurance
        "insurance",
        "!insurance agent*|broker*|salesman",
        "insurance claim*|company|companies|policy|adjuster*",
        "insurer*",
        "adjuster*",
        "claim number",
        "file|filed|filing|open|opened|put ~ in? ~ claim*",
        "homeowner's|homeowners policy",
        "policy .. cover*",
        "coi",
        "certificate of insurance",
        # codes, permits, inspections, regulators
        "permit*",
        "!time|weather permit*",
        "inspector*",
        "code violation*",
        "violat*",
        "covenant*",
        "ordinance*",
        "fine us|me|them",
        "lead and copper",
        ("city's|county's|state's|hoa's|federal|state|local ~ rule*|requirement*|code*|regulation*|standard*|law*"),
        "up|not|bring|brought|meet|meets|meeting|pass|passes|passing ~ to? code",
        "building|fire|electrical|plumbing|city|health code*",
        "code compliance",
        "code enforcement",
        "compliant",
        "compliance",
        "noncompliant",
        "non-compliant",
        "regulation*",
        "osha",
        "epa",
        "hipaa",
        "ada ~ compliant|compliance|standard*|requirement*|code|accessible|ramp|bathroom|height|approved",
        "fire marshal*",
        "health inspect*",
        "health department",
        "fail*|pass|passed|passing .. inspection*",
        "inspection* ~ pass*|fail*|flagged|found|noted|requires|required|report*",
        "city|county|state|municipal|final|rough-in|building|fire|health inspection*",
        "notice .. city|county|state",
        "citation*",
        "fined",
        "re-inspect*",
        "reinspect*",
        "clearance ~ test*|testing|letter|report|inspection|sampling",
        "post-remediation",
        "abatement",
        # hazards and exposure
        "asbestos",
        "lead paint",
        "lead-based",
        "lead based",
        "lead pipe*",
        "lead service line",
        "lead in the water",
        "radon",
        "carbon monoxide",
        "co poisoning",
        "poison*",
        "toxic*",
        "toxin*",
        "mycotoxin*",
        "hazard*",
        "biohazard*",
        "exposure",
        "exposed to",
        # health
        # sickness of the home's people or from the home: not "I was sick last week so we rescheduled"
        "make|makes|making|made ~ me|us|him|her|them|everyone|people|kids|family ~ sick|ill",
        "been|feel|feeling|felt|feels|got|get|getting|gotten|fell|became|keeps|keep ~ getting? ~ sick",
        "sick ~ since|after|from|every|whenever|because",
        "sickness",
        "fell|got|gotten|been|feeling|feel|feels|became|getting ill",
        "illness*",
        "headache*",
        "migraine*",
        # "such a headache", "this remodel is a real headache": a nuisance, not a symptom
        "!such|what|real|total|huge|big|major|massive|complete|nightmare ~ headache*",
        "!is|was|been|be|it's|its|that's|thats|being ~ a ~ real|total|huge|big|major? ~ headache*",
        "nausea*",
        "nauseous",
        "vomit*",
        "throwing up",
        "dizz*",
        "lightheaded",
        "light-headed",
        "fainted",
        "fainting",
        "passed out",
        "cough*",
        "sneez*",
        "wheez*",
        "asthma*",
        "allerg*",
        "rash",
        "rashes",
        "hives",
        "itchy|watery|red|burning|irritated|puffy|swollen ~ eyes|throat|skin|nose",
        "eyes|eye|throat|skin|nose ~ are|is ~ burning|itchy|itching|watering|irritated|swollen",
        "on the spectrum",
        "what ~ are ~ my|our ~ options|rights",
        "landlord ~ won't|wont|refuses|refused|isn't|hasn't|will not ~ fix|repair|respond|do|pay",
        "contract ~ with|dispute|terms|cancel*|breach|says",
        "signed ~ a|the ~ contract|agreement",
        "runny|stuffy ~ nose*",
        "irritation",
        "unwell",
        "in pain",
        "chest|back|joint|stomach|ear ~ pain*",
        "spores",
        "paramedic*",
        "to|in|at ~ er",
        "unsafe",
        "safe to ~ drink|breathe|use|live|occupy|stay|be|go|touch|shower",
        "safe ~ around|for|with|near ~ .. pets|pet|cats|cat|dogs|dog|kids|children|baby|babies|animals|fish|bees",
        "pet-safe|kid-safe|child-safe|non-toxic|nontoxic",
        "bylaw*",
        "hoa|association|condo|building|board ~ .. rule|rules|restrict*|policy|policies",
        "safety ~ code*|issue*|concern*|risk*|violation*|problem*",
        "health ~ risk*|hazard*|concern*|issue*|problem*",
        "sore throat*",
        "sinus*",
        "congestion",
        "respiratory",
        "short|shortness of breath",
        "trouble|difficulty|hard ~ to? breathing|breathe",
        "can't|cant|cannot breathe",
        "breathing problem*|issue*|trouble",
        "lung*",
        "bronchitis",
        "pneumonia",
        "fever*",
        "infection*",
        "immun*",
        "pregnan*",
        "symptom*",
        "fatigue*",
        "nosebleed*",
        "bloody nose*",
        "doctor*",
        "physician*",
        "pediatrician*",
        "nurse",
        "nurses",
        "medical*",
        "medicine*",
        "medication*",
        (
            "!medical|dental|doctor's|doctors|dentist's ~ office*|building*|practice*|center*|plaza|park|supply|"
            "appointment*"
        ),
        "!work|works|working ~ at|in ~ hospital*|clinic*|er|doctor's|nursing",
        "!work|works|working|worked|shift|shifts ~ .. at|in ~ the|a? ~ hospital*|clinic*|er|nursing",
        "!allerg* ~ .. .. pollen|season|seasonal|hay|year",
        "!seasonal|pollen|spring|hay fever ~ allerg*",
        "!got|get|getting ~ burned|burnt ~ on|before|once|twice|bad|badly",
        "feeding tube*",
        "ventilator*",
        "medical ~ equipment|device*|supplies|bed",
        "prescription*",
        "diagnosed",
        "diagnosis",
        "diagnoses",
        "hospital*",
        "emergency room",
        "er visit",
        "urgent care",
        "ambulance",
        "911",
        "health",
        "disab*",
        "dementia",
        "alzheimer*",
        "copd",
        "on oxygen",
        "oxygen tank|machine|concentrator",
        "emphysema",
        "cancer",
        "chemo*",
        "dialysis",
        "diabet*",
        "surgery",
        "!surgery ~ scheduled|booked|planned",
        "heart condition|attack|problem*",
        "medical|health condition*",
        "had a stroke",
        "recovering|recovery|recover|recuperating ~ from|after",
        "hip|wrist|leg|arm|ankle|foot|back ~ fracture*",
        # disabilities and conditions that shape the visit: access, communication, products used
        "wheelchair*",
        "wheel chair*",
        "power chair*",
        "walker",
        "walkers",
        "!dog walker*",
        "crutches",
        "use|uses|using|with ~ cane|canes",
        "mobility",
        "handicap*",
        "bedridden",
        "bed-bound",
        "bedbound",
        "homebound",
        "housebound",
        "hospice",
        "caregiver*",
        "home health",
        "deaf",
        "hard of hearing",
        "hearing ~ aid*|impaired|loss|problem*",
        "legally|completely|partially|going|is|am|i'm|he's|she's ~ blind",
        "visually impaired",
        "low vision",
        "autis*",
        "asperger*",
        "adhd",
        "ptsd",
        "anxiety",
        "panic attack*",
        "mental health",
        "!separation anxiety",
        "sensory ~ issue*|processing|sensitiv*|needs",
        "special needs",
        "nonverbal",
        "non-verbal",
        (
            "sensitiv* ~ to ~ chemical*|smell*|fume*|fragrance*|scent*|noise|noises|dust|pesticide*|perfume*|"
            "cleaner*|cleaning|products|paint"
        ),
        "chemical ~ sensitiv*|allerg*|injur*",
        "mcs",
        "fragrance-free",
        "fragrance free",
        "scent-free",
        "scent free",
        "unscented",
        "react|reacts|reacted ~ badly|poorly|terribly",
        "bad|allergic|severe|strong ~ reaction*",
        "reaction|reactions ~ to",
        (
            "don't|dont|not|no|never ~ photograph*|filming|photos|pictures|pics|videos|video ~ inside|of|in|"
            "the|our|my|anything|us"
        ),
        "epilep*",
        "seizure*",
        "parkinson*",
        "multiple sclerosis",
        "has|have|with ~ ms",
        "cerebral palsy",
        "paralyz*",
        "paralys*",
        "parapleg*",
        "quadripleg*",
        "amputat*",
        "amputee",
        "prosthe*",
        "cpap",
        "pacemaker*",
        "insulin",
        "service|guide|therapy|seeing-eye dog|dogs|animal|animals",
        "seeing eye dog",
        # recording and privacy
        "record|recording|recorded ~ call*|conversation*|convo*",
        "record|recording|recorded me|us",
        "call|calls|conversation*|convo* ~ being|are|is|be|were|was|get|gets ~ recorded|recording",
        "being recorded",
        "recorded|recording ~ for ~ my|our|quality|training|legal|records",
        "don't|dont|not ~ record",
        "consent to",
        "my|our ~ consent",
        # consent to be contacted is the consent rules' matter (opt-in, opt-out), not a judgment
        "!consent ~ to ~ be? ~ contacted|contact|called|texted|text|emailed|receive|marketing",
        "don't|dont|didn't|never|not ~ consent",
        "without ~ my|our ~ consent|permission|knowledge",
        "privacy",
        "private|personal ~ info*|information|data|details",
        (
            "photo*|picture*|pics|video*|images ~ of ~ my|our ~ house|home|kids|family|children|property|yard ~ "
            "posted|online|on|used|in|anywhere|shared"
        ),
        (
            "don't|dont|not|never ~ post|share|publish|sell|use ~ my|our|any ~ photo*|picture*|info*|"
            "information|name|address|number|data|video*|pics|images|phone|cell|email|contact|personal"
        ),
        "gas leak*",
        "test|testing|tested|tests ~ for ~ lead|radon|asbestos|mold|mould|bacteria|arsenic|contaminants",
        "property line*",
        "survey|surveyor ~ .. line|fence|property|boundary|lawyer",
        "encroach*",
        "easement*",
        "setback*",
        "vaccin*",
        "covid*",
        "wear|wearing ~ mask|masks",
        "co|carbon ~ alarm*|detector*|monitor*|level*|reading*|leak*",
        # hazards described, not named: old paint around children, old pipe wrap
        "the bad stuff",
        "popcorn ceiling*",
        "vermiculite",
        "wrap|wrapping|lagging|insulation ~ on|around ~ the? ~ basement? ~ pipe*|duct*|boiler|furnace",
        # covert cameras and recording
        *LEGAL_AND_UNUSUAL,
        "on camera",
        "being ~ filmed|taped|watched",
        "film|filming|filmed|tape|taping ~ you|u|the|crew|workers|tech|them",
        "record|recording|recorded ~ every|all|each|any ~ call*|conversation*|convo*|visit*|contractor*",
        # pets' health after the work, and the vet saying so
        "the|our|my ~ vet|vets ~ said|says|thinks|think|thought|told|suspects",
        "veterinar*",
        "emergency vet",
        "vet ~ bill*|visit*|er",
        "threw|throwing|thrown ~ up",
        # Spanish
        "alergi*",
        "alergic*",
        "asma",
        "enferm*",
        "medico*",
        "embarazada",
        "discapacit*",
        "silla de ruedas",
        "permiso*",
        "abogado*",
        "licencia*",
        "smell*|odor*|whiff ~ of? ~ gas|propane|sulfur|rotten",
        "rotten egg*",
        "don't|dont|not|never ~ put|post|share|show|use .. .. facebook|instagram|tiktok|youtube|social|online|ads",
        # a body that limits the visit: a bad back, vertigo, a brain injury, "can't climb"
        "bad|injured|broken|hurt ~ back|knee|knees|hip|hips|leg|shoulder",
        "vertigo",
        "brain|head|spinal ~ injury",
        (
            "can't|cant|cannot|unable|not able ~ to? ~ "
            "climb|walk|stand|lift|bend|kneel|kneeling|do stairs|go up|get up|"
            "get down|hear|see"
        ),
        "stung",
        "bitten",
        "bite|bites ~ from|on",
        "lease",
        "!lease ~ is|was|'s ~ up|ending|over|done",
        "!lease ~ ends|ended|ending|expires|expired|runs|ran",
        "threaten*",
        "city|county|town|state|village|utility ~ .. notice|letter|order|citation|fine|violation",
        # injuries
        "injur*",
        "hurt",
        "hurts",
        "hurting",
        "!doesn't|wouldn't|won't|can't|never|not ~ hurt*",
        "!could|might|would ~ have ~ gotten|been|got? ~ hurt|injured|killed",
        (
            "i|he|she|mom|mother|dad|father|husband|wife|son|daughter|kid|kids|child|grandma|grandpa|"
            "grandmother|grandfather|tenant|someone|somebody|worker|baby|toddler|neighbor .. fell|slipped"
        ),
        "slipped on",
        "slip and fall",
        "trip and fall",
        "tripped over|on",
        "fell off|from ~ ladder|roof|stairs",
        "broke|broken|fractured ~ arm|leg|wrist|ankle|hip|foot|hand|finger|toe|rib*|nose|collarbone",
        "!hand rail*",
        "cut ~ hand|finger|foot|arm|leg|himself|herself|myself|themselves",
        "stitches",
        "concussion*",
        "sprain*",
        "bruis*",
        "blood",
        "burned|burnt ~ hand|arm|finger|leg|face|himself|herself|myself",
        "got burned",
        "got|gotten|getting ~ shock*|zapped|electrocuted",
        "electrocut*",
        "shocked me|him|her|us",
        "electric shock",
        "scalded",
    ),
    _AUTHORITY: (
        "city|county|town|township|village|municipal*|municipality|state|inspector*|utility",
        "building|code ~ department|dept|enforcement|official*",
        "fire marshal*",
    ),
    _INSPECTS: ("inspect|inspects|inspected|inspecting|inspection*",),
    _APPROVES: (
        "pull|pulled|pulling ~ anything|something|one",
        "come|coming ~ look|check|inspect",
        "someone|somebody|anyone|guy|person ~ from",
    ),
    _OLD_PAINT: ("old|original|existing|older ~ paint|paints|layers",),
    _DISTURBED: (
        "baby|babies|infant|newborn|kids|children|child|toddler|pregnant",
        "sand|sands|sanding|sanded|scrape|scrapes|scraping|scraped|strip|stripping|dust",
    ),
    _DAMAGE: (
        "ruin|ruins|ruined|damage|damages|damaged|destroy|destroys|destroyed|break|breaks|broke|scratch|scratches|"
        "scratched|flood|floods|flooded",
        "gets|get|got ~ in|into|inside",
    ),
    _ANSWERS: ("on ~ you|us|me|them|whom", "responsib*", "pays|pay ~ for ~ it|that|the", "cover|covers ~ it|that"),
}


def spans(read: EdgeText) -> list[Span]:
    found = [read.span(m.first, m.stop) for m in read.found(CODE) if not _is_a_name(read, m.first, m.stop)]
    pairs = (
        read.near(_AUTHORITY, _INSPECTS, 6)
        + read.near(_AUTHORITY, _APPROVES, 6)
        + read.near(_OLD_PAINT, _DISTURBED, 10)
        + read.near(_DAMAGE, _ANSWERS, 10)
    )
    return found + [read.pair_span(a, b) for a, b in pairs]


def _is_a_name(read: EdgeText, first: int, stop: int) -> bool:
    """ "Sue" written as a name inside a sentence ("we asked Sue"), not the verb."""
    word, start, end = read.words[first]
    return (
        stop == first + 1
        and word == "sue"
        and read.text[start:end] == "Sue"
        and first > 0
        and read.sentence[first - 1] == read.sentence[first]
    )
