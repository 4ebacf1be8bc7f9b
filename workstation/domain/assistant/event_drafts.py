"""An event drafted from an accepted passage: kind, actor, target, date, title, and the
earlier events of the episode it most likely answers.

Everything here is a readable heuristic, not a parser: the officer confirms the draft in the
event form, so each guess carries the rule that made it ("role on the link", "before the verb
“expel”", "passive: agent after “by”"). Roles the officer set on the passage's links beat any
reading of the words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from workstation.domain.assistant import AnswerCandidate, EventDraft, KnownEvent, LinkedEntity
from workstation.domain.assistant.event_words import (
    ACT_VERBS,
    AGENT_AFTER_VERB,
    ANSWER_WINDOW_DAYS,
    CLOSENESS,
    DEADLINE,
    DEADLINE_WORD,
    ENGLISH_PASSIVE_AUX,
    EVE,
    EXPEL_VERB,
    EXPELLED_FROM,
    HALF_REVERSED,
    KIND_WORDS,
    MAX_ANSWERS,
    MIN_ANSWER_SCORE,
    NAMED_IN_RESPONSE,
    PHRASES,
    RELATED,
    RESPONSE_CLAUSE,
    REVERSED,
    RUSSIAN_AGENT,
    RUSSIAN_CATEGORY_STEMS,
    RUSSIAN_PARTICIPLE,
    SAME_PAIR,
    SANCTION_VERB,
    SPEECH_VERBS,
    TARGET_MARKER,
    TITLE_FALLBACK_CHARS,
    WORDS_BEFORE_NAME,
)
from workstation.domain.date_proposal import date_candidates, reference_date
from workstation.domain.vocab import EVENT_KINDS

# Drafts are offered for every kind of event but "other": statements and accusations are
# events of the episode too (the sample's Kremlin statement answers the US order).
ACTION_KINDS: tuple[str, ...] = tuple(kind for kind in EVENT_KINDS if kind != "other")


def kind_for_category(category_name: str) -> str | None:
    """The event kind a category names: "Sanction" → "sanction", "Санкции" → "sanction";
    None for a category that names none."""
    folded = " ".join(category_name.split()).casefold()
    if folded in EVENT_KINDS:
        return folded
    if folded.endswith("s") and folded[:-1] in EVENT_KINDS:  # "Sanctions", "Expulsions"
        return folded[:-1]
    return next((k for stem, k in RUSSIAN_CATEGORY_STEMS.items() if folded.startswith(stem)), None)


@dataclass(frozen=True)
class _Parties:
    actor_id: str | None
    target_id: str | None
    actor_rule: str
    target_rule: str
    verb: str


def draft_event(
    *,
    passage_text: str,
    category_name: str,
    published: str | None,
    language: str | None,
    linked: Sequence[LinkedEntity],
    episode_events: Sequence[KnownEvent],
    titles: Mapping[str, str] | None = None,
) -> EventDraft | None:
    """A draft event for an accepted passage; None when its category names no event kind."""
    kind = kind_for_category(category_name)
    if kind is None or kind not in ACTION_KINDS:
        return None
    parties = _parties(passage_text, kind, linked)
    reasons = [f"kind from category “{category_name}”"]
    score = 0.2
    # The registry's names first, else the first name linked (reversed: the first wins).
    names = {e.entity_id: e.name for e in reversed(linked)} | dict(titles or {})
    for label, entity_id, rule in (
        ("actor", parties.actor_id, parties.actor_rule),
        ("target", parties.target_id, parties.target_rule),
    ):
        if entity_id is None:
            reasons.append(f"no {label}")
            continue
        reasons.append(f"{label} {names.get(entity_id, entity_id)}: {rule}")
        score += 0.25 if rule.startswith("role") else 0.12

    draft_date, precision, date_reason, date_weight = _date(passage_text, published, language)
    reasons.append(date_reason)
    score += date_weight

    actor, target = parties.actor_id, parties.target_id
    answers: tuple[AnswerCandidate, ...] = ()
    if draft_date is not None:
        named = _kinds_answered(passage_text)
        answers = answer_candidates(
            kind, draft_date, actor, target, episode_events, named_kinds=named
        )
    title, reason = _title(passage_text, kind, parties, names), "; ".join(reasons)
    score = round(min(score, 1.0), 2)
    return EventDraft(kind, draft_date, precision, actor, target, title, answers, reason, score)


def answer_candidates(
    draft_kind: str,
    date: str,
    actor_id: str | None,
    target_id: str | None,
    episode_events: Sequence[KnownEvent],
    *,
    exclude: str | None = None,
    named_kinds: Sequence[str] = (),
) -> tuple[AnswerCandidate, ...]:
    """Earlier events of the episode (same day allowed, at most 42 days back) that an event
    of this kind, date and parties most likely answers, best first, at most five.
    ``named_kinds``: kinds the passage says it answers ("in response to … sanctions")."""
    day = _iso_day(date)
    if day is None:
        return ()
    related = RELATED.get(draft_kind, {})
    ranked: list[tuple[float, int, str, AnswerCandidate]] = []
    for event in episode_events:
        event_day = _iso_day(event.date)
        if event.id == exclude or event_day is None:
            continue
        days = (day - event_day).days
        if not 0 <= days <= ANSWER_WINDOW_DAYS:
            continue
        pair_score, pair_reason = _pair(actor_id, target_id, event)
        kind_score = related.get(event.kind, 0.0)
        closeness = CLOSENESS * (1 - days / ANSWER_WINDOW_DAYS)
        named = NAMED_IN_RESPONSE if event.kind in named_kinds else 0.0
        score = min(pair_score + kind_score + closeness + named, 1.0)
        if score < MIN_ANSWER_SCORE:
            continue
        relation = "→" if kind_score else "unrelated to"
        reasons = (
            pair_reason,
            f"{event.kind} {relation} {draft_kind}",
            f"the passage answers a {event.kind}" if named else "",
            _days_earlier(days),
        )
        reason = "; ".join(r for r in reasons if r)
        candidate = AnswerCandidate(event.id, round(score, 3), reason)
        ranked.append((-score, days, event.id, candidate))
    ranked.sort(key=lambda row: row[:3])
    return tuple(row[3] for row in ranked[:MAX_ANSWERS])


# -- parties ----------------------------------------------------------------------------------


def _parties(text: str, kind: str, linked: Sequence[LinkedEntity]) -> _Parties:
    """Roles on the links first; the words fill in what the roles leave open."""
    by_role: dict[str, str] = {}
    for entity in linked:
        by_role.setdefault(entity.role, entity.entity_id)
    role_actor = by_role.get("actor") or by_role.get("speaker")
    role_actor_rule = "role “actor”" if "actor" in by_role else "role “speaker”"
    role_target = by_role.get("target")
    role_target_rule = "role “target”"
    if role_target is None and kind in ("accusation", "statement") and "subject" in by_role:
        role_target, role_target_rule = by_role["subject"], "role “subject”"
    words = _from_words(text, kind, linked)
    actor_guess = (words.actor_id, words.actor_rule)
    target_guess = (words.target_id, words.target_rule)
    actor, actor_rule = role_actor, role_actor_rule
    if actor is None:
        actor, actor_rule = _unless_taken(actor_guess, target_guess, role_target)
    target, target_rule = role_target, role_target_rule
    if target is None:
        target, target_rule = _unless_taken(target_guess, actor_guess, actor)
    return _Parties(actor, target, actor_rule, target_rule, words.verb)


def _unless_taken(
    guess: tuple[str | None, str], other_guess: tuple[str | None, str], taken: str | None
) -> tuple[str | None, str]:
    """The words' guess for one side, unless the roles gave that party the other side; then
    the words' other guess (they read the sentence the wrong way round)."""
    if guess[0] is None or guess[0] != taken:
        return guess
    if other_guess[0] is not None and other_guess[0] != taken:
        return other_guess[0], f"{other_guess[1]}, the roles name the other party"
    return None, ""


def _from_words(text: str, kind: str, linked: Sequence[LinkedEntity]) -> _Parties:
    """Subject and object of the main clause: the name before the main verb acts, the next
    other name after it is acted on; the passive swaps them."""
    main = RESPONSE_CLAUSE.sub(lambda m: " " * len(m.group(0)), text)
    names = _names_in(main, linked)
    if not names:  # the whole passage is a response clause, or names only what it answers
        main, names = text, _names_in(text, linked)
    verb = _main_verb(main, kind)
    if verb is None:
        first = names[0].entity_id if names else None
        second = next((n.entity_id for n in names if n.entity_id != first), None)
        if kind in ("sanction", "expulsion"):  # "Among those individuals is Alexei Gromov"
            return _Parties(None, first, "", "no verb: a listed name is acted on", "")
        rule = "{} name in the passage (no verb found)"
        return _Parties(first, second, rule.format("first"), rule.format("next"), "")
    word = verb.group(0)
    before = [
        n.entity_id
        for n in names
        if n.position < verb.start() and not _in_apposition(main, n.position, verb.start())
    ]
    after = [n.entity_id for n in _heads(main, [n for n in names if n.position >= verb.end()])]

    if _is_passive(main, verb):
        actor, agent_rule = _agent(main, verb, names)
        # The subject is acted on: the nearest name before the verb, else the first after.
        target = next((e for e in [*reversed(before), *after] if e != actor), None)
        passive = f"passive “{word}”: "
        return _Parties(
            actor, target, passive + agent_rule, passive + "its subject is acted on", word
        )

    actor = before[-1] if before else None
    # "sanctions on Russia", "против США"; but "accused the Kremlin of … against the United
    # States" names the accused first, the victims after "against".
    target, marker = None, ""
    if kind not in ("statement", "accusation"):
        target, marker = _named_after(main, TARGET_MARKER, names, verb.end(), actor)
    target_rule = f"after “{marker}”"
    if target is None:
        target = next((e for e in after if e != actor), None)
        target_rule = f"first other name after the verb “{word}”"
    if target is None:  # "Moscow will retaliate in response to Washington's sanctions"
        answered = [n.entity_id for n in _names_in(text, linked) if main[n.position].isspace()]
        target = next((e for e in answered if e != actor), None)
        target_rule = "the party it answers (response clause)"
    return _Parties(actor, target, f"before the verb “{word}”", target_rule, word)


def _in_apposition(text: str, position: int, verb_start: int) -> bool:
    """ "Duma, Russia's lower house, has voted": a name between commas is not the subject."""
    return text[:position].rstrip().endswith(",") and "," in text[position:verb_start]


def _heads(text: str, names: Sequence[LinkedEntity]) -> list[LinkedEntity]:
    """Names without those that only qualify the next one: "U.S. President Joe Biden" is
    Biden (only capitalised words between), "US consulates in Russia" keeps both."""
    kept = []
    for index, name in enumerate(names):
        following = names[index + 1] if index + 1 < len(names) else None
        between = text[name.position : following.position].split() if following else []
        title = 0 < len(between) <= 4 and all(w[:1].isupper() for w in between)
        if not (title and not re.search(r"[,;:]", " ".join(between))):
            kept.append(name)
    return kept


def _kinds_answered(text: str) -> tuple[str, ...]:
    """Kinds named in the passage's response clauses: "in response to … sanctions"."""
    clauses = [m.group(0) for m in RESPONSE_CLAUSE.finditer(text)]
    return tuple(kind for pattern, kind in KIND_WORDS if any(pattern.search(c) for c in clauses))


def _names_in(text: str, linked: Sequence[LinkedEntity]) -> list[LinkedEntity]:
    """Linked names that stand in the (masked) text, in text order; at one position the
    longest name wins ("Russian Foreign Ministry" over "Russian")."""
    by_position: dict[int, LinkedEntity] = {}
    for entity in linked:
        position = entity.position
        if position < 0 or position >= len(text) or text[position].isspace():
            continue
        known = by_position.get(position)
        if known is None or len(entity.name) > len(known.name):
            by_position[position] = entity
    return [by_position[p] for p in sorted(by_position)]


def _main_verb(text: str, kind: str) -> re.Match[str] | None:
    """The first verb of the act; for statements and accusations, the first verb of speech."""
    order = (SPEECH_VERBS, ACT_VERBS) if kind in ("statement", "accusation") else None
    for pattern in order or (ACT_VERBS, SPEECH_VERBS):
        found = pattern.search(text)
        if found:
            return found
    return None


def _is_passive(text: str, verb: re.Match[str]) -> bool:
    if ENGLISH_PASSIVE_AUX.search(text[: verb.start()]):
        return True
    word = verb.group(0)
    cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in word)
    return cyrillic and bool(RUSSIAN_PARTICIPLE.search(word))


def _agent(text: str, verb: re.Match[str], names: Sequence[LinkedEntity]) -> tuple[str | None, str]:
    """Who acts in a passive clause: "by X", "по решению X", "expelled from X"."""
    agent, marker = _named_after(text, AGENT_AFTER_VERB, names, verb.end(), None)
    if agent is None:
        agent, marker = _named_after(text, RUSSIAN_AGENT, names, 0, None)
    if agent is None and re.fullmatch(EXPEL_VERB, verb.group(0), re.IGNORECASE):
        agent, marker = _named_after(text, EXPELLED_FROM, names, verb.end(), None)
        return agent, "expelled from its country" if agent else "no agent named"
    return agent, f"agent after “{marker}”" if agent else "no agent named"


def _named_after(
    text: str, marker: re.Pattern[str], names: Sequence[LinkedEntity], start: int, skip: str | None
) -> tuple[str | None, str]:
    """The first name standing within a few words after a marker found from ``start``, and
    the marker's words."""
    for found in marker.finditer(text, start):
        following = next((n for n in names if n.position >= found.end()), None)
        if following is None:
            break
        gap = text[found.end() : following.position]
        near = len(gap.split()) <= WORDS_BEFORE_NAME and not re.search(r"[,.;:]", gap)
        if near and following.entity_id != skip:
            return following.entity_id, " ".join(found.group(0).split())
    return None, ""


# -- date, title, pairs -------------------------------------------------------------------------


def _date(
    text: str, published: str | None, language: str | None
) -> tuple[str | None, str, str, float]:
    """(date, precision, reason, weight in the draft's score). As propose_date, but a date
    in a response clause ("in response to Thursday's sanctions") is the other event's."""
    found = date_candidates(text, published, languages=(language,) if language else None)
    answered = [match.span() for match in RESPONSE_CLAUSE.finditer(text)]
    own = [
        c
        for c in found
        if not any(start <= c.position < end for start, end in answered)
        # "leave Russia by 22 April", "покинуть Россию до 22 апреля": a deadline set by the
        # event, not its date.
        and not DEADLINE.search(text[max(0, c.position - 16) : c.position])
        and not DEADLINE_WORD.match(c.matched)
    ]
    article = reference_date(published)
    eve = EVE.search(text)
    if eve is not None and article is not None and not any(c.precision == "day" for c in own):
        # "накануне", "the day before": the day before the article's date.
        day = (article - timedelta(days=1)).isoformat()
        return day, "day", f"date {day} from “{eve.group(0)}” (the day before the article)", 0.15
    proposal = next((c for c in own if c.precision != "year"), own[0] if own else None)
    if proposal is not None:
        weight = 0.2 if proposal.precision == "day" else 0.15
        reason = f"date {proposal.value} from “{proposal.matched}”"
        return proposal.date, proposal.precision, reason, weight
    if article is not None:
        return article.isoformat(), "day", f"article date {article.isoformat()}", 0.08
    return None, "day", "no date in the words and no article date", 0.0


def _title(text: str, kind: str, parties: _Parties, names: Mapping[str, str]) -> str:
    if parties.actor_id is None:
        return _opening(text)
    phrase_kind, suffix = kind, ""
    if kind == "countermeasure":  # the verb says what was done: "Russia expels … in response"
        for verb_kind, verbs in (("expulsion", EXPEL_VERB), ("sanction", SANCTION_VERB)):
            if re.fullmatch(verbs, parties.verb, re.IGNORECASE):
                phrase_kind, suffix = verb_kind, " in response"
    with_target, alone = PHRASES[phrase_kind]
    actor = names.get(parties.actor_id, parties.actor_id)
    if parties.target_id is None:
        return f"{actor} {alone}{suffix}"
    target = names.get(parties.target_id, parties.target_id)
    return f"{actor} {with_target.format(target)}{suffix}"


def _opening(text: str) -> str:
    words = " ".join(text.split())
    if len(words) <= TITLE_FALLBACK_CHARS:
        return words
    cut = words[:TITLE_FALLBACK_CHARS].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"


def _pair(actor_id: str | None, target_id: str | None, event: KnownEvent) -> tuple[float, str]:
    if actor_id is not None and target_id is not None:
        if event.actor_id == target_id and event.target_id == actor_id:
            return REVERSED, "reversed actor/target"
        if event.actor_id == actor_id and event.target_id == target_id:
            return SAME_PAIR, "same actor and target"
    if actor_id is not None and event.target_id == actor_id:
        return HALF_REVERSED, "its target is this actor"
    if target_id is not None and event.actor_id == target_id:
        return HALF_REVERSED, "its actor is this target"
    return 0.0, ""


def _iso_day(value: str) -> date | None:
    """An event's date; a month ("2020-12") or a year stands for its first day."""
    text = value.strip()[:10]
    text += {4: "-01-01", 7: "-01"}.get(len(text), "")
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _days_earlier(days: int) -> str:
    if days == 0:
        return "same day"
    return f"{days} day earlier" if days == 1 else f"{days} days earlier"
