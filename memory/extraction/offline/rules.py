"""The offline rules as data: one row per phrasing, read by ``memory.extraction.offline.interpreter``.

A row's ``pattern`` runs over one assertive clause; its group ``v`` is the value, read according to
``value`` (a place kept whole, a person's name, a short phrase, a job, ...). ``template`` and ``slot``
are filled with ``{v}`` (the value), ``{k}`` (its slot key), ``{r}`` (the group ``r``, lower case),
``{a}`` (the value with its article), ``{ra}`` (group ``r`` with its article) and ``{f}`` (a family
slot: one wife, many daughters). A slot is single-valued per key, so a new value for it becomes an
UPDATE in ``memory.reconcile``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    pattern: str
    template: str
    slot: str | None
    relation: str | None
    value: str = "phrase"  # place | home | name | names | phrase | list | job | role | trait | number | language | raw | field
    # Read in a clause whose subject is someone else, because it says something of the user ("my GP put me on
    # sertraline"); every other row but the relatives' names needs the user as the subject.
    of_user: bool = False


FAMILY = (
    r"wife|husband|partner|girlfriend|boyfriend|fianc[eé]e?|son|daughter|mom|mother|dad|father|brother|"
    r"sister|dog|cat|puppy|kitten|boss|manager|best friend|roommate|bf|gf|hubby"
)
# Casual or plural words for a relative, and the word a fact says instead.
ALIASES = {
    "bf": "boyfriend",
    "gf": "girlfriend",
    "hubby": "husband",
    "kids": "child",
    "children": "child",
    "sons": "son",
    "daughters": "daughter",
    "cats": "cat",
    "dogs": "dog",
    "kittens": "kitten",
    "puppies": "puppy",
    "girl": "daughter",
    "boy": "son",
}
SINGLE_FAMILY = {
    "wife",
    "husband",
    "partner",
    "girlfriend",
    "boyfriend",
    "fiance",
    "fiancee",
    "mom",
    "mother",
    "dad",
    "father",
    "boss",
    "manager",
    "roommate",
}
_PETS = r"dog|cat|puppy|kitten|parrot|rabbit|hamster|horse|pet|turtle|snake|fish"
# Pets by what they are, breeds included ("a rescue greyhound called Pippa").
ANIMALS = (
    _PETS + r"|pup|kitty|bunny|guinea pig|gecko|lizard|ferret|budgie|goldfish|tortoise|hedgehog|pony|"
    r"corgi|tabby|labrador|lab|poodle|beagle|husky|terrier|retriever|dachshund|pug|chihuahua|spaniel|"
    r"collie|shepherd|bulldog|greyhound|whippet|schnauzer|doodle|labradoodle|cockapoo|maine coon|siamese"
)
# Conditions a person has ("I've got asthma"); "diagnosed with" takes any.
_CONDITIONS = (
    r"(?:type [12] )?diabetes|asthma|eczema|adhd|autism|celiac disease|coeliac disease|crohn's(?: disease)?|"
    r"ibs|arthritis|rheumatoid arthritis|migraines|epilepsy|anxiety|depression|ptsd|ocd|bipolar(?: disorder)?|"
    r"insomnia|sleep apnea|high blood pressure|hypertension|lupus|multiple sclerosis|fibromyalgia|psoriasis|"
    r"tinnitus|scoliosis|dyslexia|pcos|endometriosis|hypothyroidism|gout|long covid|a heart condition"
)
_COUNT = r"one|two|three|four|five|six|\d+"
_COUNTED = r"kids|children|sons|daughters|son|daughter|brothers|sisters|brother|sister|dogs|cats|dog|cat"
_NAME = r"(?-i:[A-Z][\w'-]+)"
_DIETS = r"vegetarian|vegan|pescatarian|omnivore|keto|paleo|carnivore"
_HEALTH = (
    r"lactose intolerant|gluten[- ]free|(?:type [12] )?diabetic|sober|celiac|coeliac|pregnant|asthmatic|epileptic|hard of hearing|"
    r"deaf in (?:one|my left|my right|both) ears?|colou?r ?blind|partially sighted|legally blind"
)
# A medicine: a name people use that no ending tells (a brand, "lithium"), or a generic name by its ending
# ("sertraline", "metformin").
_BRANDS = (
    "lexapro|zoloft|prozac|paxil|celexa|wellbutrin|effexor|cymbalta|adderall|ritalin|concerta|vyvanse|xanax|"
    "ativan|klonopin|valium|ambien|seroquel|abilify|lamictal|lithium|synthroid|lipitor|crestor|zocor|plavix|"
    "eliquis|xarelto|coumadin|ozempic|wegovy|mounjaro|zepbound|jardiance|januvia|trulicity|victoza|humira|"
    "enbrel|dupixent|accutane|ventolin|symbicort|flonase|zyrtec|claritin|tylenol|advil|motrin|aleve|"
    "suboxone|chantix|keppra|depakote|topamax|imitrex|aimovig|nurtec|yaz|yasmin"
)
DRUG = (
    rf"(?:{_BRANDS}|[a-z]+(?:in|ol|ine|am|ide|pril|statin|mab|one|pam|lam|zole|cillin|mycin|vir|tide|formin|"
    r"xetine|pine|sone))"
)
# Words that soften or stress a liking without changing it ("I kinda like", "I really can't stand").
_DEGREE = r"(?:(?:really|absolutely|also|totally|actually|kinda|kind of|sort of|sorta|quite) )*"
# Where someone works from rather than lives: "based in the Dublin office".
# A time away, not a new value: "left Bristol for a week to see family".
TIME_AWAY = r"(?:\d+ |few |couple (?:of )?)?(?:days?|weeks?|months?|years?|nights?|weekends?|holidays?|bit|trip|visit)\b"
AWAY = rf"for (?:a |an |the |another )?{TIME_AWAY}"  # "… for a week to see family"
# How long, not where: "a nurse for 5 years", "for a few months", "for ages".
DURATION = r"(?:[\w-]+ ){0,2}(?:years?|yrs?|months?|weeks?|days?|decades?|ages|a while|life|ever)\b"
WORKPLACE = r"office|offices|hq|headquarters|branch|site|campus|plant|depot"
_POSSESSIONS = r"car|bike|motorbike|motorcycle|house|boat|truck|scooter|van|piano|garden"

# Words that say which relative or pet, not a different one: "my little brother", "my farm dog" (not "work wife").
_KIN_WORDS = (
    r"old|little|big|baby|younger|older|eldest|oldest|youngest|twin|step|farm|rescue|new|first|second"
)

# Occupations by their last word ("dental hygienist", "warehouse worker"); -ist, -ician, -ologist… count too.
JOBS = set(
    """accountant actor actress administrator analyst architect artist assistant attorney auditor baker
    banker barber barista bartender biologist bookkeeper builder butcher buyer captain carpenter cashier
    ceo cfo chef chemist cleaner clerk coach consultant cook counselor counsellor courier cto dancer
    designer dentist deputy detective developer dietitian director doctor driver economist editor
    electrician engineer entrepreneur farmer firefighter founder freelancer gardener geologist guard
    hairdresser historian illustrator instructor intern investor janitor journalist judge landscaper
    lawyer lecturer librarian lifeguard machinist manager marketer mechanic midwife miner model musician
    nanny nurse officer optician painter paralegal paramedic pharmacist photographer physician
    physicist physiotherapist pilot planner plumber poet policeman politician principal producer
    professor programmer psychiatrist psychologist realtor receptionist recruiter reporter researcher
    salesman saleswoman scientist secretary singer soldier student supervisor surgeon tailor teacher
    technician tech therapist trainer translator tutor veterinarian vet waiter waitress welder writer
    youtuber streamer paramedic housewife homemaker retiree sailor dev swe sde sre pm worker porter server
    associate coordinator owner operator handler carer caregiver aide attendant rn cna lpn
    emt medic trucker contractor inspector dispatcher adjuster underwriter estimator foreman
    apprentice postman postwoman mailman postie barman barmaid bouncer chauffeur labourer laborer roofer
    plasterer bricklayer joiner decorator caretaker housekeeper zookeeper shopkeeper stocker packer picker
    cabbie""".split()
)
# A student is at a school, not an employer (the study rule reads it).
_JOB_WORD = "|".join(sorted(JOBS - {"student"}, key=len, reverse=True))
# What opens no job said without its article: "I'm the owner", "I'm not a doctor", "I'm so over my manager".
_NOT_A_JOB_START = r"(?:the|a|an|my|our|your|his|her|their|not|no|so|very|just|like|such|too|never|still)\b"
_CARED_FOR = (
    r"mum|mom|mother|dad|father|parents|grandma|grandmother|grandpa|grandfather|nan|gran|husband|wife|partner|"
    r"son|daughter|brother|sister|aunt|uncle"
)

RULES: list[Rule] = [
    # Where the user lives and comes from.
    Rule(
        r"\b(?:i|we)(?:'ve| have)? (?:just |recently )?moved from .+? to (?P<v>.+)",
        "User lives in {v}.",
        "home_city",
        "lives_in",
        "home",
    ),
    Rule(
        r"\b(?:i|we)(?:'ve| have)? (?:just |recently |finally )?(?:moved|relocated|made the (?:big )?move)"
        r"(?: back| over)? (?:to|into) "
        r"(?:a new (?:place|apartment|house|flat|home) in )?(?P<v>.+)",
        "User lives in {v}.",
        "home_city",
        "lives_in",
        "home",
    ),
    Rule(
        r"\b(?:i|we)(?:'m| am|'re| are|'ve been| have been)? (?:still |now |currently |since \d{4} )?(?:live|living) in "
        r"(?P<v>.+)",
        "User lives in {v}.",
        "home_city",
        "lives_in",
        "home",
    ),
    Rule(
        r"\b(?:i|we)(?:'ve| have) (?:always |now )?lived in (?P<v>.+?)(?= for\b| since\b|$)",
        "User lives in {v}.",
        "home_city",
        "lives_in",
        "home",
    ),
    Rule(
        r"\b(?:i|we)(?:'m| am|'re| are) (?:now )?in (?!(?:the|a|an|my|our|this|that)\b)(?P<v>.+?) "
        r"(?:these days|nowadays|now)$",
        "User lives in {v}.",
        "home_city",
        "lives_in",
        "home",
    ),
    Rule(r"\bi'm (?:now )?based in (?P<v>.+)", "User lives in {v}.", "home_city", "lives_in", "home"),
    Rule(
        r"\b(?:(?:i|we) (?:now )?reside|i work (?:remotely )?from home) in (?P<v>.+)",
        "User lives in {v}.",
        "home_city",
        "lives_in",
        "home",
    ),
    # What the user never does, said as a standing fact: "I don't drink", "i don't drive" (not "anymore":
    # that ends a held fact, read elsewhere).
    Rule(
        r"\bi (?:don't|do not|never) (?P<v>drink|smoke|drive|drink alcohol|eat meat|eat pork|eat beef|eat fish|"
        r"eat dairy|eat eggs)(?=\s*$|\s*[,.;!]| (?:so|and|but|because|bc|either|at all|lol)\b)",
        "User doesn't {v}.",
        "never:{k}",
        "does_not",
        "raw",
    ),
    # "based in the Dublin office": where the user works from (the home reading above leaves it)
    Rule(
        rf"\bi'm (?:now )?based (?:in|at|out of) (?P<v>(?:the |our )?(?:[\w'-]+ ){{1,2}}(?:{WORKPLACE}))\b",
        "User is based in {v}.",
        "work_location",
        "based_in",
        "phrase",
    ),
    # "got my own flat in Sheffield", "we bought a house in Dover": a home of one's own is where one lives.
    Rule(
        r"\b(?:i|we)(?:'ve| have)? (?:just |finally |recently )?(?:got|bought|purchased|found|rented|moved into) "
        r"(?:a|an|my|our) (?:own |new |first |little )*(?:place|flat|apartment|studio|house|condo|condominium|home|"
        r"townhouse|bungalow|cottage)(?: together)? (?:in|near) (?P<v>.+)",
        "User lives in {v}.",
        "home_city",
        "lives_in",
        "home",
    ),
    Rule(
        r"\b(?:i(?:'m| am) (?:originally )?from|(?:originally )?i (?:originally )?(?:come|came) from|"
        r"(?:i|we) (?:originally )?(?:moved|came|emigrated|immigrated) (?:here |over )(?:originally )?from) (?P<v>.+)",
        "User is from {v}.",
        "hometown",
        "from",
        "place",
    ),
    Rule(r"\bi was born in (?P<v>(?:19|20)\d\d)\b", "User was born in {v}.", "birth_year", "born_in", "raw"),
    Rule(
        r"\bi was born (?:and raised )?in (?P<v>.+)",
        "User was born in {v}.",
        "birthplace",
        "born_in",
        "place",
    ),
    # Study: "I'm a law student at NYU", "I'm a biology major at UC Davis" (a school, not an employer).
    Rule(
        r"\bi(?:'m| am) (?:now |also )?an? (?P<r>(?:[\w -]+? )?(?:student|major|sophomore|freshman|undergrad|postgrad)) "
        r"(?:at|in) (?!heart\b)(?P<v>.+)",
        "User is {ra} at {v}.",
        "school",
        "studies_at",
        "place",
    ),
    # Work.
    Rule(
        r"\bi (?:just |recently )?joined (?P<v>.+?) as an? ",
        "User works at {v}.",
        "employer",
        "works_at",
        "place",
    ),
    Rule(
        r"\bi(?: (?:just |recently )?(?:joined|work at|work for|am working at)|'m working at) .+? as an? (?P<v>.+)",
        "User works as {a}.",
        "job_title",
        "works_as",
        "job",
    ),
    Rule(
        r"\bi(?:'m| am|'ve been| have been) (?:now |also )?(?P<v>an? (?![\w -]*?\b(?:student|major) (?:at|in)\b)[\w -]+?)"
        r"(?= (?:at(?! heart\b)|for|in|with|on)\b|$)",  # "a teacher at heart" is no job
        "User works as {a}.",
        "job_title",
        "works_as",
        "job",
    ),
    Rule(
        r"\bi(?:'m| am|'ve been| have been) (?:now )?an? (?![\w -]*?\b(?:student|major|undergrad|member|fan|regular|patient|customer)s?\b"
        r"|(?:freshman|sophomore|junior|senior) (?:at|in)\b)[\w -]+? (?:at|for) (?!heart\b)"
        rf"(?!{DURATION})(?P<v>.+)",
        "User works at {v}.",
        "employer",
        "works_at",
        "place",
    ),
    # Without an article, as some say it: "now I am translator freelance", "I am warehouse worker at Amazon".
    Rule(
        rf"\bi(?:'m| am) (?:now |also )?(?P<v>(?:(?!{_NOT_A_JOB_START})[\w-]+ ){{0,2}}?(?:{_JOB_WORD}))"
        r"(?= (?:at(?! heart\b)|for|with|in|freelance|now|here)\b"
        r"|\s*$|\s*[,.!;])",
        "User works as {a}.",
        "job_title",
        "works_as",
        "job",
    ),
    Rule(
        rf"\bi(?:'m| am) (?:now )?(?:(?!{_NOT_A_JOB_START})[\w-]+ ){{0,3}}?(?:{_JOB_WORD}) (?:at|for) (?!heart\b)(?P<v>.+)",
        "User works at {v}.",
        "employer",
        "works_at",
        "place",
    ),
    Rule(
        r"\b(?:i|we)(?:'m| am)? (?:now |just |recently |finally )?(?:work|working|started(?: working)?|"
        r"started a new job|got (?:a |the )?(?:new )?job|landed a job) (?:(?:part|full)[- ]time |remotely )?"
        r"(?:at|for) (?P<v>.+)",
        "User works at {v}.",
        "employer",
        "works_at",
        "place",
    ),
    Rule(r"\b(?:a|my) new job (?:at|with) (?P<v>.+)", "User works at {v}.", "employer", "works_at", "place"),
    # When the user works: "I work nights", "i'm on days now", "on earlies this month" (one schedule at a time).
    Rule(
        r"\bi(?:'m| am)? (?:now |currently |still |mostly |usually |back )?(?:work|working|on) (?:the )?"
        r"(?P<v>(?:night|day|early|late|evening|weekend|morning|afternoon|graveyard|swing|rotating|split|double|"
        r"twelve[- ]hour|12[- ]hour|8[- ]hour|eight[- ]hour)[ -]?shifts?|nights|days|earlies|lates|evenings|weekends)"
        r"(?= *$| *[,;.!]| (?:now|mostly|only|again|these days|and|so|but|lol|finally|since|this)\b)",
        "User works {v}.",
        "shift",
        "works_shift",
        "raw",
    ),
    # "got hired by Stripe", "accepted the Datadog offer"
    Rule(
        r"\bi (?:just |finally |recently )?(?:got |was |have been |'ve been )?hired (?:at|by) (?P<v>.+)",
        "User works at {v}.",
        "employer",
        "works_at",
        "place",
    ),
    Rule(
        r"\bi (?:just |finally )?accepted (?:the|an|a|my) (?P<v>(?-i:[A-Z])[\w&.'-]*(?: (?-i:[A-Z])[\w&.'-]*)?) "
        r"(?:job )?offer\b",
        "User works at {v}.",
        "employer",
        "works_at",
        "place",
    ),
    # "employed by Grant Thornton", "got a civil service job at the MOD", "I work now for Siemens"
    Rule(
        r"(?:^|\bi(?:'m| am) )(?:now |currently )?employed (?:by|at|with) (?P<v>.+)",
        "User works at {v}.",
        "employer",
        "works_at",
        "place",
    ),
    Rule(
        r"\b(?:i |i've |i have )?(?:just |finally )?(?:got|landed|started|found) (?:a|an|the) (?:new )?"
        r"(?:[\w-]+ ){1,2}job (?:at|with|for) (?P<v>.+)",
        "User works at {v}.",
        "employer",
        "works_at",
        "place",
    ),
    Rule(
        r"\bi(?: work| am working|'m working) now (?:at|for|with|by) (?P<v>.+)",
        "User works at {v}.",
        "employer",
        "works_at",
        "place",
    ),
    # "day job is sound engineer at the BBC", "went back to work as a teaching assistant"
    Rule(
        r"\b(?:my )?day job(?: is|'s|:) (?:an? )?(?P<v>[\w -]+?)(?= (?:at|for|in|with)\b|$)",
        "User works as {a}.",
        "job_title",
        "works_as",
        "role",
    ),
    Rule(
        r"\bi (?:went back to work|returned to work|started work(?:ing)?|went to work|got hired) as an? "
        r"(?P<v>[\w -]+?)(?= (?:at|for|in|with|on|since|and)\b|$)",
        "User works as {a}.",
        "job_title",
        "works_as",
        "role",
    ),
    Rule(
        r"\bi(?: work| am working|'m working) as an? [\w -]+? (?:at|for) (?P<v>.+)",
        "User works at {v}.",
        "employer",
        "works_at",
        "place",
    ),
    Rule(
        r"\bi(?: work| am working|'m working| got a job| have a job| found a job) as an? (?P<v>[\w -]+?)"
        r"(?= (?:at|for|in|with|on|since|and)\b|$)",
        "User works as {a}.",
        "job_title",
        "works_as",
        "role",
    ),
    Rule(
        r"\bi(?: work as| am working as|'m working as| got a job as| became| got promoted to| was promoted to|'ve been promoted to| have been promoted to) "
        r"(?P<v>.+?)(?= (?:at|for|in|with|on) |$)",
        "User works as {a}.",
        "job_title",
        "works_as",
        "job",
    ),
    Rule(r"\bi(?: work in|'m in) (?P<v>.+)", "User works in {v}.", "job_field", "works_in", "field"),
    Rule(r"\bi bank with (?P<v>.+)", "User banks with {v}.", "bank", "banks_with", "place"),
    # Memberships ("I just joined a book club" is not a job).
    Rule(
        r"\bi(?:'ve)? (?:just |recently )?joined (?P<v>.+)",
        "User joined {v}.",
        "member:{k}",
        "member_of",
        "phrase",
    ),
    # "I'm in a book club", "i sing in a choir": a group by what it is (not "I'm in Boston", "in bed").
    Rule(
        r"\bi(?:'m| am| play| sing| dance| row| run| swim) in (?P<v>(?:a|an|the|our|my) [\w' -]*?\b(?:club|choir|band|"
        r"league|team|group|society|orchestra|ensemble|crew|troupe|guild|union)(?: (?:called|named) [\w'&.-]+"
        r"(?: (?-i:[A-Z])[\w'&.-]*)*)?)(?=$|[,;.!?]| (?:on|at|in|every|since|for|with|and|but)\b)",
        "User is in {v}.",
        "member:{k}",
        "member_of",
        "phrase",
    ),
    Rule(
        r"\bi'm an? (?:proud |new |paying )?member of (?P<v>.+)",
        "User is a member of {v}.",
        "member:{k}",
        "member_of",
        "place",
    ),
    # "I'm a Yankees fan", "I'm an Amazon Prime member": who the user supports or belongs to.
    Rule(
        r"\bi(?:'m| am) (?:an? )?(?:big |huge |massive |die-hard |lifelong |proud )?(?P<v>(?-i:[A-Z])[\w'&. -]*?) "
        r"(?:fan|supporter)\b",
        "User is a {v} fan.",
        "fan:{k}",
        "fan_of",
        "place",
    ),
    Rule(
        r"\bi(?:'m| am) an? (?:proud |paying )?(?P<v>(?-i:[A-Z])[\w'&. -]*?) (?P<r>member|subscriber|customer)\b",
        "User is {a} {r}.",
        "member:{k}",
        "member_of",
        "place",
    ),
    # Family and pets.
    Rule(
        rf"\b(?i:my|our) (?:(?i:{_KIN_WORDS}) )?(?P<r>(?i:{FAMILY})) (?P<v>{_NAME})",
        "User's {r} is named {v}.",
        "{f}",
        "has_{r}",
        "name",
    ),
    Rule(
        rf"\b(?:my|our) (?:(?:{_KIN_WORDS}) )?(?P<r>{FAMILY})(?:'s name is|'s called|'s named| is (?:named|called)|"
        rf" named | called |"
        rf" is (?=(?-i:[A-Z])[\w'-]+(?:[\s.,!]|$)))(?P<v>.+)",
        "User's {r} is named {v}.",
        "{f}",
        "has_{r}",
        "name",
    ),
    # A birth: "we had a baby girl called Lily", "welcomed our son Noah", "had our first baby, a girl called Ava"
    Rule(
        r"\b(?:i|we) (?:just |finally |recently )?(?:had|welcomed|gave birth to) (?:a|our) "
        r"(?:(?:first|second|third|fourth|new|little|beautiful|healthy|baby|gorgeous) )*(?P<r>girl|boy|son|daughter)"
        rf"[,!]? (?:(?:called|named) )?(?P<v>{_NAME})",
        "User's {r} is named {v}.",
        "{f}",
        "has_{r}",
        "name",
    ),
    # Caring for a relative: "I care for my mother full-time", "I look after my dad", "I'm my nan's carer".
    Rule(
        r"\bi(?:'m| am)? (?:now |also |still )?(?:care|caring|look|looking) (?:for|after) (?:my|our) "
        rf"(?P<v>{_CARED_FOR})\b",
        "User cares for their {v}.",
        "cares_for:{k}",
        "cares_for",
        "raw",
    ),
    Rule(
        rf"\bi(?:'m| am) (?:now |also |still )?(?:(?:my|our) (?=(?:{_CARED_FOR})'s (?:full-time |main )?carer\b)|(?:the |a )?(?:full-time |main |"
        rf"primary )?carer for (?:my|our) )(?P<v>{_CARED_FOR})\b",
        "User cares for their {v}.",
        "cares_for:{k}",
        "cares_for",
        "raw",
    ),
    # "I have a cat named Miso", "we adopted a rescue greyhound called Pippa", "got a puppy last week
    # named Biscuit" (a name said in the next clause is joined to this one: ``naming.attach``).
    Rule(
        rf"\b(?:(?:i|we)(?:'ve| have)? (?:(?:also|just|finally|recently|actually|already) )*(?:have|got|adopted|rescued|bought|"
        rf"brought home|took in|picked up)|i've (?:also )?got|and) (?:a|an|one|another|our|my|the) "
        rf"(?:[\w-]+ ){{0,3}}?(?P<r>{ANIMALS})\b(?: [\w ]{{0,24}}?)?,? (?:and )?(?:named|called)(?: (?:him|her|it))? "
        rf"(?P<v>\w[\w'-]*)",
        "User's {r} is named {v}.",
        "family:{r}:{k}",
        "has_{r}",
        "name",
    ),
    # "I have a boyfriend named Tom", "i've got a sister called Ana": a relative by name.
    Rule(
        rf"\b(?:i|we)(?: have|'ve got| have got| got) (?:a|an|one) (?:(?:{_KIN_WORDS}) )?(?P<r>{FAMILY})(?: now)?,? "
        rf"(?:named|called) (?P<v>\w[\w'-]*)",
        "User's {r} is named {v}.",
        "{f}",
        "has_{r}",
        "name",
    ),
    # Children by name: "my kids are Maya and Theo", "we have two kids named Jonah (7) and Ruth (4)".
    Rule(
        r"\b(?:(?:my|our) (?P<r>kids|children|sons|daughters|cats|dogs)(?: are(?: named| called)?| named| called)|"
        r"(?:i|we)(?: have|'ve got| have got| got| adopted)(?: (?:two|three|four|five|six|\d))?(?: more| new)? "
        r"(?P<r2>kids|children|sons|daughters|cats|dogs|kittens|puppies) (?:named|called)) (?P<v>.+)",
        "User has a {r} named {v}.",
        "family:{r}:{k}",
        "has_{r}",
        "names",
    ),
    Rule(
        rf"\b(?:i|we)(?: have|'ve got| got| have got) (?P<v>(?:{_COUNT}) (?P<r>{_COUNTED}))\b",
        "User has {v}.",
        "count:{r}",
        "has",
        "raw",
    ),
    Rule(
        r"\bi(?:'m| am) (?:happily )?married to (?P<v>.+)",
        "User is married to {v}.",
        "family:spouse",
        "married_to",
        "name",
    ),
    Rule(
        r"\bi(?:'m| am|'ve been| have been) (?:now )?an? (?P<v>widow|widower)\b",
        "User is {a}.",
        "relationship status",
        "is",
        "raw",
    ),
    Rule(
        rf"\bi have (?:a|an) (?P<v>{_POSSESSIONS}|{_NAME}(?: (?:{_NAME}|\d\w*))*)\b",
        "User has {a}.",
        "owns:{k}",
        "owns",
        "raw",
    ),
    # Identity.
    Rule(r"\bmy name(?: is|'s) (?P<v>.+)", "User's name is {v}.", "name", "name_is", "name"),
    Rule(rf"^i'm (?P<v>{_NAME})$", "User's name is {v}.", "name", "name_is", "name"),
    Rule(
        r"\bi(?:'m| am) (?P<v>\d{1,3})(?: years? old| yo| y/o)?(?: now| this year)?$",
        "User is {v} years old.",
        "age",
        "age_is",
        "number",
    ),
    Rule(r"\bi (?:just )?turned (?P<v>\d{1,3})\b", "User is {v} years old.", "age", "age_is", "number"),
    # "it's my 30th birthday today!", "my 40th was yesterday"
    Rule(
        r"^(?:it's |it is |today is |today's )?my (?P<v>\d{1,2})(?:st|nd|rd|th)(?: birthday| bday)? "
        r"(?:is |was )?(?:today|yesterday|this weekend|on \w+day)\b",
        "User is {v} years old.",
        "age",
        "age_is",
        "number",
        of_user=True,
    ),
    Rule(
        r"\b(?:everyone|everybody|people|my friends|friends|most people|they) (?:all |usually |just )?"
        r"calls? me (?P<v>.+)",
        "User goes by {v}.",
        "nickname",
        "goes_by",
        "name",
    ),
    Rule(r"\b(?:i go by|my nickname is) (?P<v>.+)", "User goes by {v}.", "nickname", "goes_by", "name"),
    Rule(
        r"\bi(?:'m| am) (?:now )?(?:in|on) (?:the )?(?P<v>[\w/+-]+(?: [\w/+-]+)?) ?time ?zone\b",
        "User is in the {v} time zone.",
        "timezone",
        "timezone_is",
        "raw",
    ),
    Rule(r"\bmy birthday is (?:on )?(?P<v>.+)", "User's birthday is {v}.", "birthday", "birthday_is", "raw"),
    # Personal details: one of each, so a new one replaces the old and "forget my phone number" finds it.
    Rule(
        r"\bmy (?:(?:phone|mobile|cell|telephone) )?number ends (?:in|with) (?P<v>\d[\d ]*)",
        "User's phone number ends in {v}.",
        "phone_number",
        "phone_number",
        "raw",
    ),
    Rule(
        r"\bi (?:now )?weigh (?:about |around |roughly )?(?P<v>\d[\d.,]*\s?(?:kg|kgs|kilos?|lbs?|pounds|stone|st)"
        r"(?: \d{1,2}(?: ?(?:lbs?|pounds))?)?)",
        "User weighs {v}.",
        "weight",
        "weighs",
        "raw",
    ),
    Rule(
        r"\bi(?: make| earn|'m on| am on) (?:about |around |roughly )?(?P<v>(?:[£$€]\s?\d[\d,.]*k?|\d[\d,.]*k\b"
        r"|\d[\d,.]* (?:dollars|pounds|euros))(?: (?:a|per|an) (?:year|month|hour|week))?)",
        "User earns {v}.",
        "salary",
        "earns",
        "raw",
    ),
    Rule(
        r"\b(?:i|we) (?:now )?(?:live|reside) at (?P<v>\d+\w? [\w' .-]+)",
        "User lives at {v}.",
        "address",
        "lives_at",
        "raw",
    ),
    # Food and health.
    Rule(
        r"\bi(?:'m| am) (?:severely |very |really |also )?allergic to (?P<v>.+)",
        "User is allergic to {v}.",
        "allergy:{k}",
        "allergic_to",
        "list",
    ),
    Rule(
        rf"\bi(?:'m| am|'ve been| have been) (?:a |now |fully |also |literally |officially |basically |totally |"
        rf"100% |pure |strictly |mostly )*(?P<v>{_DIETS})\b",
        "User is {v}.",
        "diet",
        "diet_is",
        "raw",
    ),
    Rule(
        rf"\bi(?:'ve| have)? (?:went|gone|turned|become|became|switched to|converted to) (?:fully |full |100% )?"
        rf"(?P<v>{_DIETS})\b",
        "User is {v}.",
        "diet",
        "diet_is",
        "raw",
    ),
    # Dating someone: "seeing someone called Ellis", "met someone named Noor", "dating a guy named Ravi".
    Rule(
        r"(?:^|\bi(?:'m| am|'ve been| have been) |\bi (?:just |finally )?)(?:seeing|dating|met|going out with|with) "
        r"(?:someone|a guy|"
        r"a girl|this guy|this girl|a woman|a man|somebody)(?: new)?,? (?:named|called) (?P<v>(?-i:[A-Z])[\w'-]*)",
        "User is dating {v}.",
        "relationship status",
        "dating",
        "name",
    ),
    Rule(
        r"\bi(?:'m| am|'ve been| have been) (?:now )?(?:seeing|dating|going out with) (?:this guy |this girl |a guy |"
        r"a girl )?(?P<v>(?-i:[A-Z])[\w'-]*)",
        "User is dating {v}.",
        "relationship status",
        "dating",
        "name",
    ),
    Rule(
        r"\b(?:i(?:'m| am)|we(?:'re| are)|i|we) (?:just |finally |officially |now )?(?:got )?(?P<v>engaged|married)\b"
        r"(?! to\b)",
        "User is {v}.",
        "relationship status",
        "is",
        "raw",
    ),
    Rule(
        rf"\bi(?:'m| am|'ve been| have been) (?:also |now )?(?P<v>{_HEALTH})\b",
        "User is {v}.",
        "health:{k}",
        "health",
        "raw",
    ),
    # A medicine the user is on, named by its ending: "on levothyroxine for my thyroid now".
    Rule(
        rf"\bi(?:'m| am|'ve been| have been) (?:now |also |still )?on (?P<v>{DRUG})(?= for\b| now\b| since\b|$|[,.!])",
        "User takes {v}.",
        "takes:{k}",
        "takes",
        "raw",
    ),
    # A medicine someone prescribed: "neuro started me on Aimovig", "my GP put me on sertraline".
    Rule(
        r"\b(?:doc|doctor|dr\.? \w+|gp|neuro|neurologist|psychiatrist|psych|consultant|specialist|cardiologist|"
        r"dermatologist|endo|endocrinologist|rheumatologist|oncologist|allergist|gastro|pulmonologist|physician|"
        rf"hospital|clinic)(?:'s)?(?: \w+)? (?:started|put|got) me on (?P<v>(?-i:[A-Z])[\w-]+|{DRUG})(?= |$|[,.!])",
        "User takes {v}.",
        "takes:{k}",
        "takes",
        "raw",
        of_user=True,
    ),
    Rule(
        r"\bi(?: was| got| have been|'ve been) (?:just |recently |finally |officially )?diagnosed with (?P<v>.+)",
        "User has {v}.",
        "health:{k}",
        "has_condition",
        "list",
    ),
    Rule(
        rf"\b(?:i(?:'ve got| have got| have|'ve| live with| suffer from)) (?P<v>(?:(?:mild|severe|chronic|bad) )?"
        rf"(?:{_CONDITIONS})(?:(?:,|,? and) (?:(?:mild|severe|chronic|bad) )?(?:{_CONDITIONS}))*)\b",
        "User has {v}.",
        "health:{k}",
        "has_condition",
        "list",
    ),
    Rule(
        r"\bi (?:don't|do not|never|no longer) eat (?P<v>.+)",
        "User doesn't eat {v}.",
        "eats:{k}",
        "avoids_eating",
        "phrase",
    ),
    Rule(r"\bi (?:only )?eat (?P<v>.+)", "User eats {v}.", "eats:{k}", "eats", "phrase"),
    # Preferences, languages, learning.
    Rule(
        r"\bi(?:'m| am) (?:really |just )?not (?:a|much of a|really a) (?:big |huge )?fan of (?P<v>.+)",
        "User dislikes {v}.",
        "likes:{k}",
        "dislikes",
        "phrase",
    ),
    Rule(
        r"\bi(?:'m| am) (?:an? )?(?:big |huge |massive |die-hard )?fan of (?P<v>.+)",
        "User likes {v}.",
        "likes:{k}",
        "likes",
        "phrase",
    ),
    Rule(
        rf"\bi {_DEGREE}(?:love|adore) (?P<v>.+)",
        "User loves {v}.",
        "likes:{k}",
        "likes",
        "phrase",
    ),
    Rule(
        # not chat's filler "like" before a time or a reason ("like since new year, it's been fine")
        rf"\bi {_DEGREE}(?:like|enjoy) (?P<v>(?!(?:since|because|if|that|for)\b).+)",
        "User likes {v}.",
        "likes:{k}",
        "likes",
        "phrase",
    ),
    Rule(rf"\bi {_DEGREE}prefer (?P<v>.+)", "User prefers {v}.", "likes:{k}", "prefers", "phrase"),
    Rule(
        rf"\bi {_DEGREE}(?:hate|dislike|can't stand|cannot stand|don't like|do not like|"
        r"don't enjoy|detest) (?P<v>.+)",
        "User dislikes {v}.",
        "likes:{k}",
        "dislikes",
        "phrase",
    ),
    Rule(
        r"\bmy (?:favou?rite) (?P<r>[a-z ]{2,30}?) (?:is|are) (?P<v>.+)",
        "User's favorite {r} is {v}.",
        "favorite:{rk}",
        "favorite_{rk}",
        "raw",
    ),
    Rule(
        r"(?:\bi (?:also |can )?speak|\bi(?:'m| am) (?:also )?fluent in|^speaking) (?P<v>.+)",
        "User speaks {v}.",
        "speaks:{k}",
        "speaks",
        "language",
    ),
    Rule(
        r"\bi(?:'m| am) (?:currently |now |also )?(?:learning|studying) (?P<v>.+)",
        "User is learning {v}.",
        "learning:{k}",
        "learning",
        "phrase",
    ),
    # Traits: any other "I'm a ..." that is not a job ("I'm a heavy sleeper").
    Rule(r"\bi(?:'m| am) (?:a bit of |kind of )?an? (?P<v>.+)", "User is {a}.", "trait:{k}", "is", "trait"),
]

# Plans: the clause after the marker becomes "User plans to <verb phrase>." in its own slot.
PLAN = r"(?:\b(?:i|we)(?:'m| am|'re| are)? ?|^)(?:going to|planning (?:to|on)|plan to|will|'ll|intend to|about to)\s+(?:be\s+)?(?P<v>.+)"
PLAN_MOVING = (
    r"\b(?:i|we)(?:'m| am|'re| are) (?P<v>(?:moving|starting|leaving|quitting|retiring|adopting|visiting|relocating|flying|"
    r"travelling|traveling|heading|driving)\b.*)"
)
PLAN_VERBS = {
    "move",
    "start",
    "join",
    "visit",
    "learn",
    "run",
    "quit",
    "leave",
    "adopt",
    "try",
    "travel",
    "go",
    "buy",
    "get",
    "take",
    "retire",
    "study",
    "switch",
    "change",
    "marry",
    "apply",
    "sell",
    "begin",
    "relocate",
    "open",
    "launch",
    "build",
    "hike",
    "fly",
    "drive",
    "finish",
    "train",
    "compete",
    "enroll",
    "propose",
    "head",
}
ING = {
    "moving": "move",
    "starting": "start",
    "leaving": "leave",
    "taking": "take",
    "getting": "get",
    "running": "run",
    "quitting": "quit",
    "retiring": "retire",
    "adopting": "adopt",
    "visiting": "visit",
    "relocating": "relocate",
    "learning": "learn",
    "joining": "join",
    "trying": "try",
    "eating": "eat",
    "travelling": "travel",
    "traveling": "travel",
    "buying": "buy",
    "going": "go",
    "studying": "study",
    "flying": "fly",
    "heading": "head",
    "driving": "drive",
}

# A retraction names what stopped being true; these turn it back into the statement it retracts.
RETRACTIONS: list[tuple[str, str]] = [
    (r"^i'm (?:no longer|not) (?:at|with) (?P<v>.+?)(?: any ?more)?$", "I work at {v}"),
    (r"^i'm (?:no longer|not) in (?P<v>.+?)(?: any ?more)?$", "I live in {v}"),
    (r"^i'm (?:no longer|not) (?P<v>.+?)(?: any ?more| after all)?$", "I'm {v}"),
    (r"^i (?:don't|do not|no longer) (?P<v>.+?)(?: any ?more)?$", "I {v}"),
    (r"^i stopped being (?P<v>.+)$", "I'm {v}"),
    (r"^i stopped (?P<v>\w+ing\b.*)$", "I'm {v}"),
    (r"^i used to be (?P<v>.+)$", "I'm {v}"),
    (r"^i used to (?P<v>.+)$", "I {v}"),
    (r"^(?P<v>\w+) and i (?:divorced|split up|broke up|separated)\b.*$", "I'm married to {v}"),
]
# "I quit X" / "I left X": X is a habit (a new fact), the job (retract the employer) or a named place.
LEAVING = (
    r"^i (?:just |finally )?(?:quit|left|stopped|got laid off from|got fired from|was laid off from|was let go from|"
    r"lost my job (?:at|with)|lost(?= my job\b)) (?P<v>.+)$"
)
HABITS = {
    "smoking",
    "drinking",
    "vaping",
    "sugar",
    "alcohol",
    "caffeine",
    "coffee",
    "social media",
    "meat",
    "gambling",
    "dairy",
    "gluten",
    "carbs",
    "cigarettes",
    "weed",
    "twitter",
    "facebook",
    "instagram",
}
JOB_WORDS = r"^(?:my (?:job|position|role|company)|the job|the company|that job)\b"
# What a question or "forget where I work" is about, when it names no value.
TOPICS: dict[str, str] = {
    r"\b(?:work|job|employer|company)\b": "employer",
    r"\b(?:(?:phone|telephone|mobile|cell) )?number\b|\b(?:telephone|mobile|cell)\b": "phone_number",
    r"\bweigh|weight\b": "weight",
    r"\b(?:salary|income|pay|earnings|wage)\b": "salary",
    r"\be-?mail\b": "email",
    r"\baddress\b": "address",  # the street address; with none held, the city below
    r"\b(?:live|living|home|city|address)\b": "home_city",
    r"\bname\b": "name",
    r"\bage|old\b": "age",
    r"\bdiet|vegetarian|vegan|pescatarian\b": "diet",
    r"\bbirthday\b": "birthday",
}

LANGUAGES = set(
    """english french spanish german italian portuguese chinese mandarin cantonese japanese korean dutch
    russian arabic hindi urdu bengali punjabi turkish greek polish swedish norwegian danish finnish
    hebrew thai vietnamese indonesian malay tagalog swahili persian farsi czech hungarian romanian
    ukrainian catalan irish welsh latin asl sign""".split()
)
# Capitalised words that say who someone is, not what they are called: "I'm Deaf", "I'm Canadian".
IDENTITIES = LANGUAGES | set(
    """american canadian mexican brazilian argentinian chilean colombian peruvian venezuelan cuban british
    scottish english irish welsh french german dutch belgian swiss austrian italian spanish portuguese
    swedish norwegian danish finnish icelandic polish czech slovak hungarian romanian bulgarian greek
    turkish russian ukrainian serbian croatian bosnian albanian israeli lebanese syrian iraqi iranian
    egyptian moroccan algerian tunisian nigerian ghanaian kenyan ethiopian somali ugandan south african
    indian pakistani bangladeshi sri lankan nepali chinese japanese korean vietnamese thai filipino
    indonesian malaysian singaporean australian kiwi european asian african latino latina latinx hispanic
    black white native indigenous deaf blind catholic protestant jewish muslim hindu buddhist
    sikh mormon atheist agnostic pagan gay lesbian bisexual bi queer trans transgender nonbinary
    non-binary autistic dyslexic""".split()
)
# Kinds of value: a new value of the same kind may replace a held one. A single-valued kind is also the
# slot of a generic fact about it (one phone, one car, one time zone), so the reconciler supersedes it.
KINDS: dict[str, tuple[bool, set[str]]] = {
    "phone": (
        True,
        set("iphone pixel galaxy oneplus motorola nokia xiaomi huawei blackberry fairphone android".split()),
    ),
    "car": (
        True,
        set(
            """civic corolla prius camry accord focus fiesta mustang outback forester impreza crosstrek
            rav4 cr-v crv mazda mazda3 honda toyota ford subaru kia niro hyundai volkswagen vw golf jetta
            bmw audi volvo jeep wrangler chevy chevrolet nissan leaf f-150 tacoma vauxhall corsa astra
            skoda octavia fabia peugeot renault clio citroen fiat seat ibiza mini polo tesla lexus porsche
            dacia sandero yaris picanto sportage qashqai juke micra kuga cx-5 mercedes jaguar cupra rivian
            odyssey sienna carnival pacifica tahoe silverado ram sierra altima sentra elantra sonata
            tiguan passat""".split()
        ),
    ),
    "e-reader": (True, set("kindle kobo nook remarkable boox e-reader ereader".split())),
    "laptop": (
        True,
        set("macbook mbp thinkpad xps chromebook surface laptop zenbook spectre ideapad".split()),
    ),
    "code editor": (
        True,
        {
            "vs code",
            "vscode",
            "neovim",
            "nvim",
            "vim",
            "emacs",
            "intellij",
            "pycharm",
            "sublime",
            "cursor",
            "zed",
        },
    ),
    "timezone": (
        True,
        set(
            "est edt pst pdt cst cdt mst mdt cet cest gmt bst utc ist jst aest pacific eastern central mountain timezone".split()
        ),
    ),
    "gym": (True, {"gym", "equinox", "planet fitness", "24 hour fitness", "la fitness", "anytime fitness"}),
    "os": (False, set("windows mac macos macbook linux ubuntu chromebook pc".split())),
    "instrument": (
        False,
        set(
            """piano guitar bass cello viola violin fiddle drums flute clarinet saxophone sax trumpet
            trombone ukulele harp banjo mandolin oboe keyboard synth accordion""".split()
        ),
    ),
    "music service": (False, {"spotify", "apple music", "tidal", "deezer", "youtube music", "pandora"}),
    "wearable": (False, {"fitbit", "apple watch", "garmin", "whoop", "oura"}),
    "workout": (
        False,
        set("yoga pilates crossfit spin zumba barre boxing kickboxing weightlifting calisthenics".split()),
    ),
    "relationship status": (True, {"single", "engaged", "married", "divorced", "widowed", "separated"}),
    "diet": (
        False,
        {
            "keto",
            "paleo",
            "vegan",
            "vegetarian",
            "pescatarian",
            "intermittent fasting",
            "whole30",
            "carnivore",
        },
    ),
    "partner": (
        False,
        {"dating", "seeing someone", "seeing a guy", "seeing a girl", "seeing a woman", "seeing a man"},
    ),
    "language": (False, LANGUAGES - {"sign"}),
    "subject": (
        False,
        set(
            """biology chemistry physics math maths mathematics economics history law medicine nursing
            psychology philosophy engineering literature sociology architecture accounting finance
            linguistics""".split()
        ),
    ),
}
# "My X is Y" is about the user (not someone else) for these X.
# What a user calls one of their details, and the slot it is kept under ("my mobile number" is the phone's).
DETAIL_SLOTS = {
    "number": "phone_number",
    "telephone_number": "phone_number",
    "mobile_number": "phone_number",
    "mobile": "phone_number",
    "cell_number": "phone_number",
    "cell": "phone_number",
    "phone_no": "phone_number",
    "email_address": "email",
    "e_mail": "email",
    "home_address": "address",
    "income": "salary",
    "pay": "salary",
    "wage": "salary",
}
ATTRIBUTES = (
    r"phone|time ?zone|nickname|car|laptop|computer|major|blood type|pronouns|height|religion|username|"
    r"handle|gamertag|shoe size|(?:star|zodiac) sign|native language|first language|mother tongue|degree|"
    r"gym|bank|diet"
)
# Generic first-person facts: what a clause must not be about to become a fact.
FEELINGS = set(
    """tired exhausted bored hungry starving thirsty good fine great ok okay alright sore stressed sorry
    glad happy sad excited nervous anxious back here there done confused busy sick ill sleepy cold hot
    late early ready free lost stuck curious worried scared afraid annoyed angry mad upset thrilled proud
    grateful thankful jealous lonely hungover drunk full alive home awake up down out sure right wrong
    serious kidding joking fed dying dead obsessed shocked impressed surprised relieved disappointed
    frustrated overwhelmed broke feeling getting going trying looking waiting thinking wondering
    hoping planning coming heading leaving just so very really super pretty kinda too alone""".split()
)
# "I'm in therapy": a lasting state, unlike "I'm in the car".
IN_STATES = {
    "therapy",
    "rehab",
    "recovery",
    "remission",
    "treatment",
    "counseling",
    "counselling",
    "grad school",
}
THINKING_VERBS = set(
    """think guess know see mean feel hope want need wonder agree remember forget care bet doubt promise
    appreciate understand believe suppose wish miss get say ask tell hear can could should would will
    must may might shall am was were been be hate love like enjoy prefer adore try let'll let wanna
    gotta guess figure bet mind meant heard said saw give work watch keep dunno idk""".split()
)
# A past verb gives a lasting fact only when it is a life event; other past clauses are episodes.
LIFE_EVENTS = set(
    """bought adopted got finished graduated earned completed started took picked passed built founded
    launched published inherited married retired enrolled signed renovated learned became""".split()
)
# A present progressive that describes a lasting activity ("I'm training for a marathon").
LASTING_ING = set(
    """training studying doing seeing dating learning taking volunteering teaching coaching renting
    raising building writing using saving fostering homeschooling""".split()
)
# Words that date a clause to now or to one occasion: an episode, not a fact.
TRANSIENT = (
    r"\b(?:today|tonight|this (?:morning|afternoon|evening|week)|last night|right now|at the moment|"
    r"again|just now|earlier|yesterday|for now)\b"
)
# Objects of "I have" / "I got" that are not lasting possessions or conditions.
NOT_KEPT = set(
    """question questions meeting headache idea no to an appointment call cold fever problem feeling
    time fun plans lot work class homework exam test day bad rough it that this them one home back
    there here lost wrong sick tired stuck up caught""".split()
)
# A clause that ends a fact: the object ``x`` is matched against the held memories. ``informative``:
# with nothing held about it, the ending is still worth keeping ("User quit vaping").
ENDINGS: list[tuple[str, bool]] = [
    (
        r"^(?:i|we) (?:just |finally |eventually |also )?(?:gave up|quit|stopped|ditched|abandoned|stepped down from|"
        r"stepped down as|retired from|cut out|kicked) (?:on )?(?:my |the |our )?(?P<x>.+)$",
        True,
    ),
    (
        r"^(?:i|we) (?:just |finally )?(?:sold|got rid of|gave away|donated|rehomed|had to rehome|had to sell|"
        r"had to give up|traded in) (?:my |the |our |all my )?(?P<x>.+)$",
        True,
    ),
    (
        r"^(?:i|we) (?:just |finally )?(?:cancelled|canceled|unsubscribed from|closed|deleted|ended) "
        r"(?:my |the |our )?(?P<x>.+)$",
        True,
    ),
    (r"^i (?:just )?let (?:my |the |our )?(?P<x>.+?) (?:lapse|expire|run out|go)$", True),
    # "dropped piano", not "dropped my phone" or "dropped the ball": an ending only of a held fact
    (r"^i (?:just |finally )?dropped (?!(?:out|my|the|a|an|it|that|this|by|off|in)\b)(?P<x>.+)$", False),
    (r"^i (?:just )?(?:dropped out of|withdrew from|flunked out of) (?:my |the )?(?P<x>.+)$", True),
    (
        r"^i(?:'m| am) (?:no longer|not) (?:in|with|on|part of|a part of|a member of|into|doing|playing|using|"
        r"taking|going to) (?:my |the )?(?P<x>.+?)(?: any ?more)?$",
        False,
    ),
    (r"^i(?:'m| am) (?:now )?off (?P<x>.+)$", False),
    (r"^i(?:'m| am) (?:so |finally )?done with (?:my |the )?(?P<x>.+)$", False),
    (r"\bno more (?P<x>.+?)(?: for me)?$", False),
    (
        r"^i (?:broke up with|split up with|separated from|divorced|dumped|left) (?P<x>(?-i:[A-Z])\w+|\w+)$",
        False,
    ),
    (r"^(?P<x>\w+) and i (?:broke up|split up|split|separated|divorced|called it quits)\b", False),
    (r"^(?P<x>\w+)(?:'s| is) (?:now )?my ex\b", False),
    (r"^i'm (?:an? )?ex-(?P<x>[\w-]+)", False),
    (r"^(?P<x>[\w' ]+?) (?:laid me off|fired me|let me go|dumped me|broke up with me)\b", False),
]
# A clause that changes a fact: ``x`` (the old value, optional) and ``y`` (the new one).
CHANGES: list[str] = [
    r"^i (?:just |recently |finally )?(?:switched|changed|moved|went|upgraded|downgraded|converted) "
    r"(?:[\w ]+? )?from (?:my |the |a |an )?(?P<x>.+?) to (?:a |an |the )?(?P<y>.+)$",
    r"^i (?:just |recently |finally )?(?:traded|swapped|exchanged|replaced|ditched|dropped) (?:in )?"
    r"(?:my |the |our )?(?P<x>.+?) (?:for|with) (?:a |an |the |my )?(?P<y>.+)$",
    r"^i (?:just |recently )?left (?P<x>.+?) for (?:a |an |the )?(?P<y>.+)$",
    r"^i (?:just |recently |finally )?(?:switched|changed|moved|went) (?:my (?P<what>[\w ]+?) )?(?:over )?"
    r"to (?:a |an |the )?(?P<y>.+)$",
]
# After an ending in the same turn, the clause that names what replaced it ("now at Globex").
SUCCESSORS: list[str] = [
    r"^(?:i(?:'m| am) )?now (?:at|with|on|in|using|doing|playing) (?:a |an |the )?(?P<y>.+)$",
    r"^i(?:'m| am) (?:at|with|on|using) (?:a |an |the )?(?P<y>.+?) now$",
    r"^i(?:'m| am) (?:at|with) (?!(?:least|all|most|first|last|times|home|work|it|the moment)\b)"
    r"(?:a |an |the )?(?P<y>.+)$",
]
# A clause that starts something: a successor only when it is of the same kind as what ended
# ("sold the outback and bought a mazda"), not "quit the swim team, joined a chess club".
STARTED: list[str] = [
    r"^i (?:started|started at|joined|moved to|bought|switched to|picked up|took up|use|play|do) "
    r"(?:a |an |the |my )?(?P<y>.+)$",
]
# A clause that names the organisation the user went to: the successor of a named one that ended in the
# same turn ("left swift, running with Schneider now"), when it is a name too (``changes.joined``).
JOINED = (
    r"^i(?:'m| am)? (?:just |then |now |finally )?(?:joined|started (?:at|with)|signed (?:for|with|on with)|"
    r"running with|driving for|working (?:at|for)|went to work for) (?P<y>.+)$"
)
# A correction: "Y, not X" / "it's Y, not X".
CORRECTED = r"^(?:i'm )?not (?:a |an |the )?(?!.*\b(?:any ?more|now|after all|yet)\b)(?P<x>[\w' -]+?)$"
CORRECTION_VALUE = [
    r"^it(?:'s| is) (?:actually )?(?P<y>.+?) (?:that )?(?:i'm|i|we)\b.*$",
    r"^it(?:'s| is) (?:actually )?(?:a |an |the )?(?P<y>.+?)(?: now)?$",
    r"\b(?:call me|calls me|called|named|is|are|i'm|i am) (?:a |an |the )?(?P<y>[\w' -]+?)(?: now)?$",
]
