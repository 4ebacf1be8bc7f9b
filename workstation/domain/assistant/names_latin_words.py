"""Closed word lists for finding and describing names in Latin-script text.

Countries, demonyms, regions, given names, titles and honorifics, name particles, keywords
of public bodies, organisations and companies, function words, months and weekdays, speech
verbs, Russian surname endings. They are data, not logic: kept apart so that
``names_latin_candidates`` (which reads them) and ``names_latin`` (the scorer) stay short,
and so that a list can grow without touching the code. Everything is casefolded except
:data:`COUNTRY_NAMES`, which is the public list as written.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


COUNTRY_NAMES: tuple[str, ...] = _phrases(
    "Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|"
    "Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|"
    "Bolivia|Bosnia and Herzegovina|Bosnia|Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|"
    "Burundi|Cambodia|Cameroon|Canada|Cape Verde|Central African Republic|Chad|Chile|China|"
    "Colombia|Comoros|Congo|Costa Rica|Croatia|Cuba|Cyprus|Czech Republic|Czechia|Denmark|"
    "Djibouti|Dominica|Dominican Republic|Ecuador|Egypt|El Salvador|Equatorial Guinea|"
    "Eritrea|Estonia|Eswatini|Ethiopia|Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|"
    "Ghana|Greece|Grenada|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|Hungary|"
    "Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Ivory Coast|Jamaica|Japan|"
    "Jordan|Kazakhstan|Kenya|Kiribati|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|"
    "Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Madagascar|Malawi|Malaysia|Maldives|"
    "Mali|Malta|Marshall Islands|Mauritania|Mauritius|Mexico|Micronesia|Moldova|Monaco|"
    "Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Burma|Namibia|Nauru|Nepal|Netherlands|"
    "New Zealand|Nicaragua|Niger|Nigeria|North Korea|North Macedonia|Norway|Oman|Pakistan|"
    "Palau|Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|"
    "Qatar|Romania|Russia|Russian Federation|Rwanda|Saint Lucia|Samoa|San Marino|"
    "Saudi Arabia|Senegal|Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|"
    "Solomon Islands|Somalia|South Africa|South Korea|South Sudan|Spain|Sri Lanka|Sudan|"
    "Suriname|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Timor-Leste|Togo|"
    "Tonga|Trinidad and Tobago|Tunisia|Turkey|Turkmenistan|Tuvalu|Uganda|Ukraine|"
    "United Arab Emirates|UAE|United Kingdom|UK|U.K.|Britain|Great Britain|United States|"
    "United States of America|US|U.S.|USA|U.S.A.|America|Uruguay|Uzbekistan|Vanuatu|"
    "Vatican|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe|Soviet Union|USSR"
)
COUNTRIES = frozenset(name.casefold() for name in COUNTRY_NAMES)  # for look-ups
# Adjectives, not names: the registry names the country ("Russian diplomats" → no proposal).
DEMONYMS = _words(
    "russian american british english ukrainian chinese european german french belarusian "
    "georgian polish syrian iranian turkish israeli japanese indian korean italian spanish "
    "canadian soviet western eastern arab estonian latvian lithuanian finnish swedish "
    "norwegian danish dutch belgian austrian swiss czech slovak hungarian romanian bulgarian "
    "serbian croatian greek armenian azerbaijani kazakh uzbek afghan pakistani iraqi saudi "
    "egyptian libyan venezuelan cuban mexican brazilian australian moldovan chechen crimean "
    "transatlantic atlantic baltic nordic asian african palestinian lebanese irish scottish"
)
REGIONS = _words(
    "europe asia africa arctic balkans caucasus crimea donbas donbass siberia eurasia "
    "scandinavia baltics west east north south middle far latin antarctica"
)
GIVEN_NAMES = _words(
    "john joe joseph james robert michael william david richard thomas charles daniel mark "
    "paul steven andrew kevin brian george edward donald ronald anthony antony jake jen mike "
    "lloyd kamala hillary nancy mary patricia jennifer linda elizabeth susan sarah karen "
    "emily anna angela emmanuel boris olaf ursula josep jens kurt victoria wendy ned rex "
    "alexei alexey aleksei alexander aleksandr sergei sergey dmitry dmitri dmitriy vladimir "
    "viktor victor igor ivan mikhail nikolai nikolay andrei andrey yuri yury oleg pavel maxim "
    "maksim anatoly valentina maria mariya olga tatiana tatyana elena yelena irina natalia "
    "natalya svetlana ekaterina yekaterina lyudmila yevgeny evgeny leonid grigory konstantin "
    "roman ruslan ramzan timur gennady valery vyacheslav vasily arkady denis kirill artem "
    "anton nikita pyotr peter fyodor yulia alexandra veronika volodymyr petro oleksii "
    "antonio jean pierre francois angela emmanuel xi li wang ali mohammed muhammad ahmed "
    "jan avril christopher alejandro merrick janet gina samantha william dmytro oleksandr "
    "andrzej mateusz zbigniew krzysztof jakub miloš milos andrej petr tomáš tomas martin "
    "heiko annalena sebastian jaroslav josé jose carlos luis jacinda justin"
)
# Months that are also given names: "Jan Hamáček", "April Ryan" — a name when another
# capitalised word follows, a date before a day number ("Jan 21", "May 5").
MONTHS_AS_GIVEN = _words("jan may june april")
# Words before a month that make it the month ("in May Russia…", "since April").
DATE_PREPOSITIONS = _words(
    "in on since by until till from of last next early late mid during before after through "
    "to between"
)
# Titles and honorifics (casefolded word tuples): never inside the name, a Person feature.
TITLES = frozenset(
    tuple(phrase.split())
    for phrase in _phrases(
        "president|vice president|vice-president|ambassador|minister|secretary|senator|sen|"
        "rep|representative|congressman|congresswoman|governor|mayor|chancellor|deputy|"
        "spokesman|spokeswoman|spokesperson|mr|mrs|ms|miss|dr|prof|professor|gen|col|colonel|"
        "lt|maj|capt|captain|adm|admiral|sgt|judge|king|queen|prince|princess|pope|sheikh|"
        "premier|envoy|director|chairman|chairwoman|commander|prosecutor|lawmaker|leader|"
        "politician|activist|journalist|dissident|opponent|businessman|oligarch|diplomat|"
        "official|aide|adviser|advisor|counterpart|tycoon|blogger|critic|analyst|patriarch|"
        "prime minister|foreign minister|defence minister|defense minister|finance minister|"
        "interior minister|economy minister|justice minister|energy minister|"
        "secretary of state|secretary general|secretary-general|attorney general|"
        "prosecutor general|national security adviser|press secretary|state secretary|"
        "defense secretary|defence secretary|foreign secretary|home secretary|"
        "high representative|special envoy|special representative|first lady"
    )
)
# Titles completed by "of <office>" ("Director of National Intelligence Avril Haines",
# "Secretary of Homeland Security", "Minister of Foreign Affairs"): the office is part of the
# title, and the name is what follows it.
TITLE_OF_HEADS = _words(
    "director secretary minister head chief chairman chairwoman president commissioner "
    "ambassador governor deputy spokesman spokeswoman spokesperson envoy commander "
    "representative prosecutor general"
)
# Words of an office in such a title; acronyms and countries count too ("Director of the
# FBI", "Minister of Foreign Affairs of Ukraine").
OFFICE_WORDS = _words(
    "national intelligence homeland security foreign affairs state defense defence justice "
    "treasury interior commerce energy health education labor labour agriculture "
    "transportation transport veterans housing urban development central federal bureau "
    "investigation agency internal external economic economy finance trade industry culture "
    "environment emergency emergencies situations communications digital science public "
    "international relations cooperation european integration staff joint chiefs the of and"
)
# A title's last word: the cheap test before looking for a whole title behind a name.
TITLE_ENDS = frozenset(title[-1] for title in TITLES)
# Followed by a full stop that does not end the sentence ("Mr. Lavrov").
TITLE_ABBREVIATIONS = _words("mr mrs ms dr prof gen col lt maj capt adm sgt sen rep st gov")
# Lowercase words that stay inside a name ("Ursula von der Leyen").
PERSON_PARTICLES = _words("de van von der den du da dos del della di la le bin ibn ter ten")
# "al-Assad": a lowercase head before a hyphen still makes a name.
ARABIC_PREFIXES = _words("al el ad as ash bin ibn abu")
# "of" continues a name only after one of these ("Ministry of Foreign Affairs").
OF_HEADS = _words(
    "ministry department council committee commission service agency office bank union "
    "court institute university secretary states kingdom republic federation bureau "
    "organization organisation association board house chamber academy fund league party "
    "people army prosecutor assembly directorate government administration"
)
# Keywords that make a span a PublicBody, an Organization or a Company.
PUBLIC_WORDS = _words(
    "ministry department council committee commission service agency office parliament duma "
    "kremlin treasury senate congress court government guard police army navy embassy "
    "consulate prosecutor administration bureau directorate assembly cabinet secretariat "
    "house command forces rada knesset bundestag pentagon tribunal inspectorate college"
)
PUBLIC_ACRONYMS = _words("fsb svr gru fbi cia nsa ofac fsin kgb doj nsc mid osce sbu mi6")
ORG_WORDS = _words(
    "union organization organisation association foundation institute university party "
    "movement alliance network forum fund center centre society league front times post "
    "news nato reuters federation club initiative coalition"
)
COMPANY_WORDS = _words(
    "inc corp corporation ltd llc plc gmbh ag sa nv co group holding holdings industries "
    "bank airlines energy oil gas capital partners technologies systems motors airways"
)
# Capitalised at a sentence start, but never names.
FUNCTION_WORDS = _words(
    "the a an this that these those in on at after before as among for from with by to of and "
    "but or if it its his her he she they we i you our their there here when while what "
    "which who whom whose according not no yes all any some one two three four five ten "
    "every each both either neither nor so such than then though although because since "
    "until unless despite during over under about into onto upon also yet still just only "
    "even however meanwhile moreover instead indeed later earlier today yesterday tomorrow "
    "mr ms mrs my your is are was were be been has have had do does did will would can could "
    "should may might must shall let why how where asked"
)
MONTHS_AND_DAYS = _words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
    "friday saturday sunday"
)
# A name followed by one of these is probably a person or a body speaking.
SPEECH_VERBS = _words(
    "said says told added wrote stated noted argued explained claimed insisted warned replied "
    "tweeted recalled declared confirmed denied acknowledged responded commented"
)
# Where a run of capitalised words is cut ("In", "The", "April" are no names).
SEPARATORS = FUNCTION_WORDS | MONTHS_AND_DAYS
# A single word after one of these is more likely a place than a name to propose.
PLACE_PREPOSITIONS = _words("in at into inside outside near across throughout via within")
# Endings of transliterated Russian surnames; the first that matches is the one reported.
RUSSIAN_ENDINGS = _phrases(
    "skiy|sky|skaya|enko|ova|eva|owa|ewa|ina|ov|ev|ow|ew|in|yn|nyi|ny|iy|vich|uk"
)
# Cities that are not seats of government (those are in ``domain.places.SEATS``): places,
# never names to propose.
CITIES = _words(
    "vladivostok yekaterinburg ekaterinburg novosibirsk kaliningrad sochi kazan murmansk "
    "samara omsk chelyabinsk rostov volgograd krasnoyarsk perm ufa voronezh saratov "
    "irkutsk khabarovsk sevastopol simferopol donetsk luhansk lugansk kharkiv kharkov odesa "
    "odessa lviv dnipro mariupol salisbury vrbětice vrbetice new york los angeles chicago "
    "san francisco houston boston munich hamburg frankfurt milan barcelona istanbul "
    "st petersburg saint petersburg"
)
# Words right before a name (any script) that make it a company: "the company SolarWinds",
# "компании SolarWinds".
COMPANY_CUES = _words(
    "company firm corporation conglomerate maker manufacturer contractor компания компании "
    "компанию компанией корпорация корпорации корпорацию госкорпорация госкорпорации "
    "госкорпорацию концерн концерна холдинг холдинга фирма фирмы"
)
# Derived look-ups. Words of an office after "<title> of": its own words, bodies, demonyms
# and the words of countries ("Minister of Foreign Affairs of Ukraine").
OFFICE_TOKENS = (
    OFFICE_WORDS | PUBLIC_WORDS | DEMONYMS | {w for country in COUNTRIES for w in country.split()}
)
BODY_WORDS = PUBLIC_WORDS | ORG_WORDS | COMPANY_WORDS  # a body's name holds one of these
OFFICE_HEADS = TITLE_OF_HEADS & TITLE_ENDS  # title words that take "of <office>"
# Titles and common nouns of bodies in the plural, never a name alone: "Ministers",
# "Diplomats", "Embassies" (not "Dumas": a duma is no common noun in English).
_COMMON_BODIES = _words("ministry embassy consulate agency department government service")
PLURAL_TITLES = frozenset(
    word[:-1] + "ies" if word.endswith("y") else word + "s" for word in TITLE_ENDS | _COMMON_BODIES
)
# Treaties and products, never names ("New START", "Sputnik V"), and the words after a span
# that make it one ("the New START treaty", "the Sputnik V vaccine").
NON_NAMES = frozenset(_phrases("new start|start|start i|start ii|sputnik v|sputnik|open skies"))
PRODUCT_WORDS = _words(
    "treaty treaties vaccine vaccines agreement agreements accord accords pipeline missile "
    "missiles software"
)
# Prefixes of CamelCase surnames (McDonald, MacArthur, DeSantis): a person, not a brand.
CAMEL_SURNAME_PREFIXES = _words("mc mac de da di du la le van von fitz")
STREET_WORDS = _words("lane street avenue road square boulevard prospekt highway embankment")
