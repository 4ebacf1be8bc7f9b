"""Where names may be in Latin-script text, and what each candidate looks like.

No pretrained English NER is used. :func:`candidate_spans` finds capitalised word sequences
(with name particles — "van der", "al-", "of the" inside "Ministry of Foreign Affairs", "&"),
acronyms ("EU", "FSB", "G7", "U.S."), and leaves out possessives ("Biden's" → "Biden"),
leading articles and function words, months and weekdays, lone demonyms ("Russian") and
titles: "Secretary of State Antony Blinken" gives "Antony Blinken", the title being a
feature of it, and so does a title completed by its office ("Director of National
Intelligence Avril Haines"; a body in the office, "of the FBI", stays a name). A month
before a capitalised word is a given name ("Jan Hamáček"), and a given name after other
capitalised words starts a name. Cyrillic words are skipped (``names_russian`` reads them).

:func:`latin_features` describes one span (shape, title before it, "said" after it, a
Russian-looking ending, keywords such as "Ministry", country names, cities, CamelCase, a
company's word before it, sentence start, whether its words occur lowercase or capitalised
elsewhere in the text, a dateline…).

This is the part of the name finder that reads text; ``names_latin`` holds the scorer that
weighs these features (rules and learnt weights), ``names_latin_words`` the word lists. A
text is tokenised once (:func:`analyse`, cached) and shared by the finder, the features
and the scorer.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

from workstation.domain.assistant import names_latin_words as lists
from workstation.domain.places import SEATS, place_use

_L = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_TOKEN = re.compile(
    rf"(?<!\w)(?:(?:[A-Z]\.)+(?![{_L}])|[{_L}0-9]*[{_L}][{_L}0-9]*"
    rf"(?:-[{_L}0-9]+|['’](?!s\b)[{_L}]+)*)(?!\w)"
)
_SENTENCE_END = re.compile(r"[.!?…:;]|[“«]|(?:^|\s)[\"']")
_DATELINE_TAIL = re.compile(r"\s*(?:,|\(|[—–-]\s)")
_UPPER, _LOWER, _DIGITS = re.compile(r"[A-ZÀ-Þ]+"), re.compile(r"[a-zß-ÿ]+"), re.compile(r"\d+")
_DIGIT = re.compile(r"\s*\d")
_POSSESSIVE = re.compile(r"['’]s?(?!\w)")
_WORD_CHAR = re.compile(r"\w")
_WORD_BEFORE = re.compile(r"(\w+)[\s«»\"“”'‘’]*$")
_CAMEL = re.compile(r"[a-zß-ÿ]([A-ZÀ-Þ])")


class _Token(NamedTuple):  # a tuple: built once per word, so cheap to build
    start: int
    end: int
    text: str
    fold: str
    cap: bool  # capitalised (or an acronym) and usable in a name
    acronym: bool
    sentence_start: bool
    line_start: bool


class AnalysedText:
    """One body, tokenised once: tokens, and how each word is written across the text."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.tokens: list[_Token] = []
        lower: list[str] = []
        mid: list[str] = []
        cap_mid: list[str] = []
        previous_end, previous_fold = 0, ""
        for match in _TOKEN.finditer(body):
            word, (start, end) = match.group(), match.span()
            gap, fold = body[previous_end:start], word.casefold()
            cap, acronym = word[0].isupper(), False
            if "-" in word:  # "Kremlin-backed" is an adjective, "al-Assad" a name
                head = fold.split("-", 1)[0]
                cap = (cap or head in lists.ARABIC_PREFIXES) and not (
                    head not in lists.ARABIC_PREFIXES
                    and any(p[:1].islower() for p in word.split("-")[1:])
                )
            if cap and word.isupper():
                short = 2 <= len(word) <= 5 or not word.replace(".", "").isalpha()
                acronym = word.endswith(".") or (short and word[0].isalpha())
            # Only what follows the last word counts: in Russian text the gap holds the
            # Cyrillic words the tokens skip ("компании SolarWinds" starts no sentence).
            tail = gap if gap == " " else _WORD_CHAR.split(gap)[-1]
            line = (previous_end == 0 and tail == gap) or "\n" in tail
            starts = line or (
                tail != " "
                and _SENTENCE_END.search(tail) is not None
                and not (tail.lstrip()[:1] == "." and previous_fold in lists.TITLE_ABBREVIATIONS)
            )
            self.tokens.append(_Token(start, end, word, fold, cap, acronym, starts, line))
            if not starts:
                mid.append(fold)
                if cap:
                    cap_mid.append(fold)
            if not cap:
                lower.append(fold)
            previous_end, previous_fold = end, fold
        self.lower = Counter(lower)  # lowercase occurrences
        self.mid = Counter(mid)  # any occurrence not at a sentence start
        self.cap_mid = Counter(cap_mid)  # capitalised, not at a sentence start
        self.starts = [token.start for token in self.tokens]
        self.offices = self._offices()

    def _offices(self) -> dict[int, int]:
        """Tokens of an office completing a title ("of National Intelligence" after
        "Director", "of the FBI"), each mapped to the index of the title's head word. Only
        where the capitalised words end with the office or go on with what looks like a
        name: in "director of the Federal Penitentiary Service" the body is whole."""
        tokens = self.tokens
        found: dict[int, int] = {}
        for head, token in enumerate(tokens):
            if token.fold not in lists.OFFICE_HEADS:
                continue
            end = m = head + 1
            while m < len(tokens) and self.joined(m - 1, m):
                word = tokens[m]
                if word.cap and _office_word(word):
                    end = m = m + 1
                elif not word.cap and word.fold in ("of", "the", "and"):
                    m += 1
                else:
                    break
            after = end
            while after < len(tokens) and tokens[after].cap and self.joined(after - 1, after):
                after += 1
            name_after = not any(
                t.fold in lists.BODY_WORDS or _office_word(t) for t in tokens[end:after]
            )
            if end > head + 1 and tokens[head + 1].fold == "of" and name_after:
                found.update((k, head) for k in range(head + 1, end))
        return found

    def joined(self, left: int, right: int) -> bool:
        """Tokens ``left`` and ``right`` are next to each other on one line, with only spaces
        (or an ampersand) between them."""
        gap = self.body[self.tokens[left].end : self.tokens[right].start]
        return bool(gap) and "\n" not in gap and gap.strip() in ("", "&")


def _office_word(token: _Token) -> bool:
    return token.acronym or token.fold in lists.OFFICE_TOKENS


@lru_cache(maxsize=32)
def analyse(body: str) -> AnalysedText:
    """``body`` tokenised; cached, since proposing and scoring read the same text again."""
    return AnalysedText(body)


def _title_at(text: AnalysedText, i: int, stop: int) -> int:
    """Length in tokens of the longest title starting at token ``i`` (0 if none)."""
    best, words = 0, []
    for k in range(i, min(stop, i + 4)):
        if k > i and not text.joined(k - 1, k):
            break
        words.append(text.tokens[k].fold)
        if tuple(words) in lists.TITLES:
            best = k - i + 1
    return best


def _title_before(text: AnalysedText, i: int) -> str | None:
    """The title (as written) ending right before token ``i``: "Ambassador", "Mr"."""
    tokens, body = text.tokens, text.body
    if i > 0 and i not in text.offices and (head := text.offices.get(i - 1)) is not None:
        return body[tokens[head].start : tokens[i - 1].end]
    if i == 0 or tokens[i - 1].fold not in lists.TITLE_ENDS:
        return None
    for size in (4, 3, 2, 1):
        first = i - size
        if first < 0:
            continue
        gap = body[tokens[i - 1].end : tokens[i].start]
        abbreviated = gap.strip() == "." and tokens[i - 1].fold in lists.TITLE_ABBREVIATIONS
        if "\n" in gap or not (gap.strip() == "" or abbreviated):
            continue
        joined = all(text.joined(k - 1, k) for k in range(first + 1, i))
        if joined and tuple(t.fold for t in tokens[first:i]) in lists.TITLES:
            return body[tokens[first].start : tokens[i - 1].end]
    return None


def _runs(text: AnalysedText) -> list[tuple[int, int]]:
    """Capitalised token runs [i, j), with particles and "of (the)" inside."""
    tokens, runs, i, n = text.tokens, [], 0, len(text.tokens)
    while i < n:
        if not tokens[i].cap:
            i += 1
            continue
        j, has_head = i + 1, tokens[i].fold in lists.OF_HEADS
        while j < n and text.joined(j - 1, j):
            if tokens[j].cap:
                has_head |= tokens[j].fold in lists.OF_HEADS
                j += 1
                continue
            glue = lists.PERSON_PARTICLES | ({"of", "the"} if has_head else set())
            k = j
            while k < n and tokens[k].fold in glue and not tokens[k].cap and text.joined(k - 1, k):
                k += 1
            if k == j or k >= n or not tokens[k].cap or not text.joined(k - 1, k):
                break
            j = k
        runs.append((i, j))
        i = j
    return runs


def _pieces(text: AnalysedText, i: int, j: int) -> list[tuple[int, int]]:
    """A run cut into names: separators (function words, months), titles and glue at the
    edges left out, lone demonyms and single letters dropped."""
    tokens, out, start = text.tokens, [], i

    def close(a: int, b: int) -> None:
        while a < b and not tokens[a].cap:
            a += 1
        while b > a and not tokens[b - 1].cap:
            b -= 1
        if a >= b:
            return
        folds = [t.fold for t in tokens[a:b]]
        if all(f in lists.DEMONYMS or f.rstrip("s") in lists.DEMONYMS for f in folds):
            return
        if b - a == 1 and len(tokens[a].text) == 1:
            return
        # "Rosgvardiya Viktor Zolotov": a given name after other words starts a new name
        given = next(
            (
                k
                for k in range(a + 1, b - 1)
                if tokens[k].fold in lists.GIVEN_NAMES
                and tokens[k - 1].fold not in lists.GIVEN_NAMES
            ),
            None,
        )
        if given is not None:
            close(a, given)
            a = given
        out.append((a, b))

    k = i
    while k < j:
        token = tokens[k]
        if k in text.offices:  # "Director of National Intelligence": a title, not a name
            close(start, k)
            m = k
            while m < j and m in text.offices:
                m += 1
            for a, b in _entities_in_office(text, k, m):  # "of the FBI", "of Ukraine"
                close(a, b)
            k = start = m
            continue
        # "Theresa May" keeps its surname; "May 21", "April" alone, "In", "The" are no names
        surname = (
            k > start
            and token.fold in lists.MONTHS_AND_DAYS
            and not _DIGIT.match(text.body, token.end)
        )
        name = surname or _given_month(text, k, j)
        if token.cap and not token.acronym and token.fold in lists.SEPARATORS and not name:
            close(start, k)
            k = start = k + 1
            continue
        size = 0
        if token.cap and (k == i or tokens[k - 1].fold not in ("of", "the")):
            size = _title_at(text, k, j)
        if size:
            close(start, k)
            k = start = k + size
            continue
        k += 1
    close(start, j)
    return out


def _entities_in_office(text: AnalysedText, k: int, m: int) -> list[tuple[int, int]]:
    """The names inside an office's words [k, m): its capitalised stretches that are an
    acronym, a country or a body ("the FBI", "Ukraine", "the National Guard")."""
    tokens, found, a = text.tokens, [], k
    while a < m:
        if not tokens[a].cap:
            a += 1
            continue
        b = a
        while b < m and tokens[b].cap:
            b += 1
        acronym = b - a == 1 and tokens[a].acronym
        country = " ".join(t.fold for t in tokens[a:b]) in lists.COUNTRIES
        if acronym or country or any(t.fold in lists.BODY_WORDS for t in tokens[a:b]):
            found.append((a, b))
        a = b
    return found


def _given_month(text: AnalysedText, k: int, j: int) -> bool:
    """A month that is a given name here: "Jan Hamáček", not "Jan 21", "in May Russia"."""
    tokens, token = text.tokens, text.tokens[k]
    if token.fold not in lists.MONTHS_AS_GIVEN or k + 1 >= j or _DIGIT.match(text.body, token.end):
        return False
    after = tokens[k + 1]
    if (
        not after.cap
        or after.acronym
        or after.fold in lists.SEPARATORS
        or after.fold in lists.COUNTRIES
    ):
        return False
    return token.sentence_start or k == 0 or tokens[k - 1].fold not in lists.DATE_PREPOSITIONS


def candidate_token_ranges(text: AnalysedText) -> list[tuple[int, int]]:
    """Possible names as token ranges [i, j) of ``text``."""
    return [piece for i, j in _runs(text) for piece in _pieces(text, i, j)]


def candidate_spans(body: str) -> list[tuple[int, int]]:
    """Spans (code points, end exclusive) of possible names in Latin-script text."""
    text = analyse(body)
    return [(text.tokens[i].start, text.tokens[j - 1].end) for i, j in candidate_token_ranges(text)]


def _russian_ending(fold: str) -> str | None:
    if len(fold) < 5 or "-" in fold:
        return None
    return next((e for e in lists.RUSSIAN_ENDINGS if fold.endswith(e)), None)


def _camel(word: str) -> bool:
    """CamelCase like a brand ("SolarWinds", "YouTube"), not a surname ("McDonald")."""
    inner = _CAMEL.search(word)
    return (
        inner is not None
        and word[: inner.start() + 1].casefold() not in lists.CAMEL_SURNAME_PREFIXES
    )


def _shape(word: str) -> str:
    if word.endswith("."):
        return "X."
    return _UPPER.sub("X", _LOWER.sub("x", _DIGITS.sub("9", word)))[:5]


def _token_features(text: AnalysedText, i: int, j: int) -> dict[str, float | str]:
    tokens, body = text.tokens, text.body
    span, first, last = tokens[i:j], tokens[i], tokens[j - 1]
    named = [t for t in span if t.cap]
    size = max(1, len(named))
    f: dict[str, float | str] = {"shape": " ".join(_shape(t.text) for t in span[:4])}
    f["words"] = float(min(size, 4))
    f[f"n{min(size, 3)}"] = 1.0
    f["first"], f["last"], f["suffix3"] = first.fold, last.fold, last.fold[-3:]
    if size == 1 and first.acronym:
        f["acronym"] = 1.0
    if title := _title_before(text, i):
        f["title"], f["has_title"] = title, 1.0
    if i > 0 and not first.sentence_start:
        f["prev"] = tokens[i - 1].fold
        f["place_prep"] = float(tokens[i - 1].fold in lists.PLACE_PREPOSITIONS)
    if j < len(tokens) and text.joined(j - 1, j):
        f["next"] = tokens[j].fold
        if tokens[j].fold in lists.SPEECH_VERBS:
            f["said"] = 1.0
    for token in named:
        for key, words in (
            ("public", lists.PUBLIC_WORDS),
            ("org", lists.ORG_WORDS),
            ("co", lists.COMPANY_WORDS),
        ):
            if token.fold in words:
                f[key], f[f"{key}_word"] = 1.0, token.text
    if size == 1 and first.fold in lists.PUBLIC_ACRONYMS:
        f["public"], f["public_word"] = 1.0, first.text
    written = " ".join(t.text for t in span).casefold()
    keyword = any(k in f for k in ("public", "org", "co")) or written in SEATS
    if not keyword and written not in lists.COUNTRIES and (ending := _russian_ending(last.fold)):
        f["ru"], f["ru_ending"] = 1.0, ending
    if size >= 2 and (first.fold in lists.GIVEN_NAMES or first.fold in lists.MONTHS_AS_GIVEN):
        f["given_name"] = first.text
    if size == 1 and _camel(first.text):
        f["camel"] = 1.0
    cue = _WORD_BEFORE.search(body, max(0, first.start - 40), first.start)
    if cue and cue.group(1).casefold() in lists.COMPANY_CUES:
        f["co_cue"] = cue.group(1)
    shouted = all(t.text.isupper() for t in named) and len(first.text) > 3
    flags = {
        "street": last.fold in lists.STREET_WORDS and size > 1,
        "country": written in lists.COUNTRIES or written.removeprefix("the ") in lists.COUNTRIES,
        "capital": written in SEATS,
        "city": written in lists.CITIES,
        # "the EU agreement" is the EU's: a name of a state or an acronym is never a product
        "product": written in lists.NON_NAMES
        or (
            f.get("next") in lists.PRODUCT_WORDS
            and written not in lists.COUNTRIES
            and not first.acronym
        ),
        "plural_title": size == 1 and first.fold in lists.PLURAL_TITLES,
        # a capital used as the place (a dateline, "in Moscow"), not standing for its state
        "place": written in SEATS and place_use(body, first.start, last.end) is not None,
        "region": written in lists.REGIONS or (first.fold in lists.REGIONS and size == 1),
        "demonym": written in lists.DEMONYMS or written.rstrip("s") in lists.DEMONYMS,
        "function": size == 1
        and (first.fold in lists.FUNCTION_WORDS or first.fold in lists.MONTHS_AND_DAYS),
        "particle": any(not t.cap for t in span),
        "hyphen": "-" in written,
        "ampersand": "&" in body[first.start : last.end],
        "sent_start": first.sentence_start,
        "verbal": size == 1 and len(first.fold) > 4 and first.fold.endswith(("ing", "ed", "ly")),
        "dateline": first.line_start and shouted and bool(_DATELINE_TAIL.match(body, last.end)),
        "possessive": bool(_POSSESSIVE.match(body, last.end)),
        "in_parens": body[first.start - 1 : first.start] == "("
        and body[last.end : last.end + 1] == ")",
    }
    f.update((key, 1.0) for key, on in flags.items() if on)
    # "US" is not the pronoun "us": only words, not acronyms, count as written lowercase
    lower = sum(text.lower[t.fold] > 0 and not t.acronym for t in named) / size
    if lower:
        f["lower_elsewhere"] = lower
    own = 0 if first.sentence_start else 1
    mid, capitalised = text.mid[first.fold] - own, text.cap_mid[first.fold] - own
    if mid > 0:
        f["cap_ratio"] = capitalised / mid
        f["cap_elsewhere"] = float(capitalised > 0)
    return f


def _token_range(text: AnalysedText, start: int, end: int) -> tuple[int, int]:
    i = bisect_left(text.starts, start)
    j = i
    while j < len(text.tokens) and text.tokens[j].end <= end:
        j += 1
    return i, j


def latin_features(body: str, start: int, end: int) -> dict[str, float | str]:
    """Features of the span ``body[start:end]`` (for a DictVectorizer)."""
    return span_features(analyse(body), start, end)


def span_features(text: AnalysedText, start: int, end: int) -> dict[str, float | str]:
    """Features of the span ``text.body[start:end]``, for a text already analysed."""
    i, j = _token_range(text, start, end)
    if i >= j:
        return {"shape": "none", "words": 0.0}
    return _token_features(text, i, j)
