"""The words :mod:`rsw_eval._personal` reads a label's shape by: titles, the words of places,
groups, labels and the calendar, and the acronyms and particles that stand in or beside a name.

Examples
--------
>>> "dr" in TITLES and "march" in CALENDAR and "street" in STREETS
True
"""

from __future__ import annotations

#: Titles that start a person's name ("Dr Quenby", "Mrs J. Smith").
TITLES = frozenset(
    {"mr", "mrs", "ms", "mx", "miss", "dr", "prof", "rev", "revd", "dame", "cllr", "councillor"}
    | {"lady", "lord"}  # findings-q17att Q4
    | {"sir"}  # findings-q19att N2: "Sir Quenby"
)
#: Words for a relative, a nurse, a baby or a cleric that stand before a surname ("Nurse Quenby",
#: "Father Quenby", "Baby Quenby"), but also before ordinary words ("Mother and baby unit", "Father
#: figure", "Sister authority"): a name after one only when the next word is capitalised and no
#: common word (:data:`COMMON_WORDS`) nor a label's, a place's or an authority's.
KIN_TITLES = frozenset(
    {
        "nurse", "sister", "brother", "father", "mother", "baby", "aunt", "auntie", "aunty", "uncle",
        "grandma", "grandad", "grandpa", "granny", "nanna", "matron", "pastor", "imam", "rabbi",
        "reverend", "nan",
    }
)  # fmt: skip
#: Common English and data words that may follow a word of :data:`KIN_TITLES` in a label or a
#: header written in title case ("Mother Tongue", "Baby Weight", "Father Known", "Nurse Led").
COMMON_WORDS = frozenset(
    {
        "age", "ages", "aged", "ethnicity", "ethnic", "sex", "gender", "known", "unknown",
        "details", "detail", "present", "absent", "name", "names", "dob", "birth", "births", "born",
        "unborn", "weight", "status", "id", "number", "no", "code", "date", "address", "postcode",
        "contact", "contacts", "involvement", "involved", "resident", "residence", "living",
        "lives", "relationship", "parental", "responsibility", "figure", "figures", "tongue",
        "language", "country", "nationality", "religion", "death", "deaths", "died", "related",
        "relative", "care", "cared", "carer", "carers", "support", "supported", "health", "visitor",
        "visitors", "visit", "visits", "led", "practitioner", "practitioners", "specialist",
        "specialists", "manager", "managers", "staff", "bank", "agency", "role", "roles", "post",
        "posts", "vacancy", "vacancies", "rate", "rates", "count", "counts", "total", "totals",
        "data", "record", "records", "information", "info", "type", "types", "in", "out", "under",
        "over", "only", "also", "both", "first", "second", "third", "new", "old", "young", "older",
        "younger", "other", "others", "not", "yes", "and", "or", "of", "with", "without", "plus",
        "case", "cases", "friendly", "pack", "packs", "steps", "step", "boom", "food", "milk",
        "formula", "bump", "shower", "monitor", "clinic", "clinics", "home", "homes", "nature",
        "earth", "land", "superior", "general", "christmas", "time", "company", "city", "board",
        "hood", "baby", "babies", "mother", "mothers", "father", "fathers", "sister", "sisters",
        "brother", "brothers", "nurse", "nurses", "nursing", "child", "children", "parent",
        "parents", "family", "families", "partner", "partners", "substance", "misuse", "mental",
        "alcohol", "drug", "drugs", "abuse", "violence", "domestic", "illness", "disability",
        "learning", "offending", "prison", "custody", "pregnant", "pregnancy", "teenage", "teen",
        "working", "employed", "unemployed", "education", "school", "consent", "ward", "wards",
        "unit", "units", "midwife", "midwives", "practice", "prescriber", "consultant",
        "assessment", "assessed", "referral", "referrals", "placement", "placements", "responsible",
        "signed", "sign", "requested", "request", "refused", "declined", "agreed", "returned",
        "left", "moved", "missing", "deceased", "alive", "stayed", "same", "different", "separate",
        "single", "lone", "foster", "adoptive", "biological", "natural", "legal", "main", "primary",
        "lead", "senior", "junior", "deputy", "head", "chief", "registered", "qualified", "trainee",
        "student", "students", "advanced", "community", "district", "hours", "fte", "headcount",
        "pay", "salary", "cost", "costs",
    }
)  # fmt: skip
#: Words after "Lady" or "Lord" that make a place of the two ("Lord Street", "Lady Lane", "Lady Bay
#: team", "Lord Mayor Treloar": findings-q19att N16); the words after them are judged on their own.
STREETS = frozenset(
    {
        "street", "lane", "bay", "mayor", "road", "way", "close", "place", "rise", "view", "walk",
        "row", "square", "avenue", "gardens", "bridge", "well", "wood", "grove", "chapel", "mount",
    }
)  # fmt: skip
#: Welsh counties after "Sir" (county: "Sir Ddinbych", "Sir y Fflint"): no knight's surname.
WELSH_SIR = frozenset(
    {"ddinbych", "fynwy", "fflint", "y", "gaerfyrddin", "benfro", "forgannwg", "frycheiniog", "feirionnydd"}
    | {"gaernarfon", "aberteifi", "faesyfed", "drefaldwyn", "fon", "conwy", "ceredigion", "powys", "ynys"}
)
#: The words after a title that make a place of a label ("Lord Street", "Sir Ddinbych").
TITLED_PLACES = {"lady": STREETS, "lord": STREETS, "sir": WELSH_SIR}
#: Months and weekdays: no surname an initial follows ("31 March Y", "the April Y census":
#: findings-q19att N10).
CALENDAR = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
        "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday",
    }
)  # fmt: skip
#: Words of a building, a unit or a body that are seldom surnames: a label that holds one names a
#: place, though a word of it is a forename ("Victoria House", "Rose Cottage", "Ashley Road unit";
#: findings-q16att N6). Words that are also common surnames (hall, church, park, lane, ward, court)
#: are not among them: "Jane Hall" is a person (findings-q17att Q1). A two-word label with a
#: group's word at either end ("Team Rose", "Rose Team", "Unit Amber") is a team's.
PLACES = frozenset(
    {
        "house", "cottage", "unit", "centre", "center", "hostel", "hospital", "school", "academy",
        "college", "clinic", "nursery", "mews", "crescent", "terrace", "square", "avenue", "road",
        "gardens", "estate", "building", "drive", "homes", "foundation", "trust",
    }
)  # fmt: skip
AUTHORITY_WORDS = frozenset({"la", "lea", "council", "authority", "borough", "county", "city"})
GROUPS = frozenset({"team", "unit", "group", "pod", "hub", "site", "panel"})
#: Words a one-letter code follows in a label ("Partner B", "Authority A", "Option C"): before an
#: initial they name no surname ("Smith J" is a person's name; findings-q17att Q4).
LABELS = frozenset(
    {
        *("partner", "authority", "site", "area", "option", "type", "phase", "wave", "cohort", "arm"),
        *("region", "case", "plan", "level", "grade", "category", "class", "tier", "stage", "part"),
        *("section", "table", "annex", "appendix", "figure", "block", "zone", "district", "form"),
        *("schedule", "line", "column", "row", "sheet", "list", "question", "item", "scale", "model"),
        *("vitamin", "hepatitis", "key", "box", "note", "test", "sample", "control", "treatment"),
        *("comparator", "service", "provider", "pilot", "programme", "project", "scheme", "round"),
        *("year", "period", "quarter", "step", "version", "school", "home", "ward", "grant", "route"),
        "label",  # what stands for a declared label (findings-q19att N4)
    }
)  # fmt: skip
#: Lower-case words that run into a name in a message ("and jane_quenby" is no "quenby jane").
SMALL_WORDS = frozenset({"in", "on", "at", "by", "of", "to", "the", "per", "and", "or", "for", "from"})
#: Acronyms that stand before a place or a measure ("NE Lincolnshire", "LA Total", "CP Plans"): not a
#: person's two initials ("JR Quenby").
ACRONYMS = frozenset({"la", "uk", "ne", "nw", "se", "sw", "cp", "sn", "ni", "gb", "eu", "us", "ld", "ks"})
ACRONYMS |= {
    "cc",
    "dc",
    "bc",
    "ua",
    "pc",
    "hq",
    "ok",
    "uc",
    "st",
    "lg",
    "gp",
    "fe",
    "he",
    "mh",
}  # "Kent CC": no "Quenby JR" (q19att N2)
#: Lower-case words inside a name ("Maria de la Cruz", "Ludwig van Beethoven").
PARTICLES = frozenset(
    {"de", "la", "le", "du", "da", "di", "del", "della", "van", "von", "der", "den", "bin", "al"}
)
