"""Closed word lists for naming what natasha finds in Russian text: states (with the English
name officers type), unions of states, words of state organs, acronyms of agencies with their
full names, the words before a «quoted» name that make it a facility (not a name) or a
company, masculine case endings and the romanisation table. Data, not logic: kept apart so
that ``names_russian`` stays short and a list can grow without touching the code.
"""

from __future__ import annotations

# Nominatives (matched with ё folded to е) and the English name officers type: the English is
# the counterpart, as "SShA" or ICU's "SSA" would match nothing in the registry.
COUNTRY_TABLE = """
Россия, Российская Федерация, РФ: Russia;
США, Соединённые Штаты, Соединённые Штаты Америки, Америка: United States;
Великобритания, Британия, Соединённое Королевство: United Kingdom; Англия: England;
Германия, ФРГ: Germany; Франция: France; Китай, КНР: China;
Чехия, Чешская Республика: Czech Republic; Польша: Poland; Украина: Ukraine;
Белоруссия, Беларусь: Belarus; Молдавия, Молдова: Moldova; Киргизия, Кыргызстан: Kyrgyzstan;
Туркмения, Туркменистан: Turkmenistan; Нидерланды, Голландия: Netherlands;
Северная Македония, Македония: North Macedonia; Южная Корея, Республика Корея: South Korea;
Северная Корея, КНДР: North Korea; ЮАР, Южная Африка: South Africa;
ОАЭ, Объединённые Арабские Эмираты: United Arab Emirates; Казахстан: Kazakhstan; Грузия: Georgia;
Армения: Armenia; Азербайджан: Azerbaijan; Узбекистан: Uzbekistan; Таджикистан: Tajikistan;
Латвия: Latvia; Литва: Lithuania; Эстония: Estonia; Финляндия: Finland; Швеция: Sweden;
Норвегия: Norway; Дания: Denmark; Исландия: Iceland; Бельгия: Belgium; Люксембург: Luxembourg;
Швейцария: Switzerland; Австрия: Austria; Италия: Italy; Испания: Spain; Португалия: Portugal;
Греция: Greece; Кипр: Cyprus; Мальта: Malta; Ирландия: Ireland; Венгрия: Hungary;
Словакия: Slovakia; Словения: Slovenia; Хорватия: Croatia; Сербия: Serbia; Черногория: Montenegro;
Босния и Герцеговина: Bosnia and Herzegovina; Албания: Albania; Болгария: Bulgaria;
Румыния: Romania; Турция: Turkey; Израиль: Israel; Палестина: Palestine; Иран: Iran; Ирак: Iraq;
Сирия: Syria; Ливан: Lebanon; Иордания: Jordan; Саудовская Аравия: Saudi Arabia; Катар: Qatar;
Кувейт: Kuwait; Йемен: Yemen; Египет: Egypt; Ливия: Libya; Тунис: Tunisia; Алжир: Algeria;
Марокко: Morocco; Судан: Sudan; Эфиопия: Ethiopia; Нигерия: Nigeria; Кения: Kenya; Мали: Mali;
Афганистан: Afghanistan; Пакистан: Pakistan; Индия: India; Монголия: Mongolia; Япония: Japan;
Вьетнам: Vietnam; Таиланд: Thailand; Индонезия: Indonesia; Малайзия: Malaysia;
Сингапур: Singapore; Филиппины: Philippines; Австралия: Australia; Новая Зеландия: New Zealand;
Канада: Canada; Мексика: Mexico; Куба: Cuba; Венесуэла: Venezuela; Колумбия: Colombia;
Бразилия: Brazil; Аргентина: Argentina; Чили: Chile; Перу: Peru; Никарагуа: Nicaragua;
Тайвань: Taiwan; Ватикан: Vatican
"""
# Unions of states natasha may tag LOC: members are countries, the union is not.
INTERNATIONAL = (
    ("Евросоюз", "European Union"),
    ("Европейский союз", "European Union"),
    ("ЕС", "European Union"),
    ("НАТО", "NATO"),
    ("ООН", "United Nations"),
)


def name_key(text: str) -> str:
    """How names are compared: casefolded, ё as е, spaces collapsed."""
    return " ".join(text.casefold().replace("ё", "е").split())


COUNTRY_NAMES = {  # key of a Russian name → the English name
    name_key(russian): english.strip()
    for entry in COUNTRY_TABLE.split(";")
    for names, english in [entry.split(":")]
    for russian in names.split(",")
}
INTERNATIONAL_NAMES = {name_key(russian): english for russian, english in INTERNATIONAL}
# A state organ is named by one of these words in its nominative ("Министерство иностранных
# дел", "Минфин США", "Посольство России").
PUBLIC_BODY_TEXT = """
мид минфин минобороны минюст минэкономразвития минпромторг минэнерго минторг минздрав мвд фсб
свр гру фсо фсин цру фбр ану госдума дума совфед кремль госдеп госдепартамент пентагон
сенат конгресс парламент бундестаг рада кабмин правительство администрация посольство
консульство генконсульство министерство ведомство казначейство прокуратура генпрокуратура
совбез бюро служба департамент управление"""
PUBLIC_BODY_WORDS = frozenset(PUBLIC_BODY_TEXT.split())
PUBLIC_BODY_PHRASES = (
    "совет федерации",
    "белый дом",
    "государственный департамент",
    "государственная дума",
    "палата представителей",
    "совет безопасности",
    "верховный суд",
    "следственный комитет",
)

# Agencies written as acronyms, with the full name the officer files and the English acronym
# the press uses, kept as the alias that finds it in English text: "ФСБ России" is
# "Федеральная служба безопасности", "FSB". A ministry exists in every state, so "МИД Польши"
# keeps its state: "Министерство иностранных дел Польши".
AGENCIES = {
    "фсб": ("Федеральная служба безопасности", "FSB"),
    "свр": ("Служба внешней разведки", "SVR"),
    "фсо": ("Федеральная служба охраны", "FSO"),
    "фбр": ("Федеральное бюро расследований", "FBI"),
    "цру": ("Центральное разведывательное управление", "CIA"),
    "ану": ("Агентство национальной безопасности", "NSA"),
}
MINISTRIES = {
    "мид": ("Министерство иностранных дел", "Ministry of Foreign Affairs"),
    "мвд": ("Министерство внутренних дел", "Ministry of Internal Affairs"),
    "минобороны": ("Министерство обороны", "Ministry of Defence"),
    "минюст": ("Министерство юстиции", "Ministry of Justice"),
    "минфин": ("Министерство финансов", "Ministry of Finance"),
}
# Stems of the word before a «quoted» name that make it a facility, a place and no entity
# (АЭС «Дукованы», завод «Северсталь»?): the quoted name is left out.
FACILITY_STEMS = (
    "аэс",
    "тэс",
    "гэс",
    "электростанц",
    "станци",
    "энергоблок",
    "завод",
    "комбинат",
    "склад",
    "аэропорт",
    "морпорт",
    "месторождени",
    "газопровод",
    "нефтепровод",
    "трубопровод",
    "шахт",
    "рудник",
    "космодром",
    "полигон",
    "терминал",
    "верфь",
    "верфи",
)
# Stems of the word before a name that make it a company (госкорпорация «Росатом», ПАО
# «Газпром», компании SolarWinds).
COMPANY_STEMS = (
    "компани",
    "госкорпораци",
    "корпораци",
    "концерн",
    "холдинг",
    "фирм",
    "ооо",
    "оао",
    "пао",
    "зао",
    "ао",
    "банк",
)

# A man's surname pymorphy does not know stays declined ("Келина", "Скрипаля"); these
# endings of the masculine cases come off to give the nominative ("Келин", "Скрипаль").
MASCULINE_ENDINGS = {
    "Gen": (("я", "ь"), ("а", "")),
    "Acc": (("я", "ь"), ("а", "")),
    "Dat": (("ю", "ь"), ("у", "")),
    "Ins": (("ым", ""), ("ом", "")),
}
# Russian letters in the Latin letters officers type (BGN/PCGN, no diacritics).
VOWELS = "аеёиоуыэюя"
LETTERS = {
    **{"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh"},
    **{"з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o"},
    **{"п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts"},
    **{"ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu"},
    **{"я": "ya"},
}
