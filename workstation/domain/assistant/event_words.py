"""The words and weights the event drafter reads by (``event_drafts``): Russian category
stems, which kinds answer which, act and speech verbs, response clauses, passive markers,
deadlines, and the phrases titles are made of. Kept apart so the rules read as prose there
and the tables can be reviewed here."""

from __future__ import annotations

import re
from collections.abc import Mapping

from workstation.domain.vocab import EVENT_KINDS

# Category names in Russian workspaces, by stem: "Санкции", "Ответная мера", "Высылки".
RUSSIAN_CATEGORY_STEMS = {
    "санкци": "sanction",
    "высылк": "expulsion",
    "ответн": "countermeasure",
    "контрмер": "countermeasure",
    "заявлени": "statement",
    "обвинени": "accusation",
    "дипломатическ": "diplomatic step",
    "контроль над вооружени": "arms control",
    "друго": "other",
    "прочее": "other",
}

# Which earlier kinds a kind answers, and how much the pairing says (added to the score).
# From the sample episode: the Kremlin's statement answers the order, the summons answers
# the expulsion, the order answers the accusation, Moscow's expulsions answer Washington's.
ANSWERS_ANYTHING = {kind: 0.3 for kind in EVENT_KINDS if kind != "other"} | {"other": 0.15}
RELATED: Mapping[str, Mapping[str, float]] = {
    "sanction": {"accusation": 0.3, "sanction": 0.2, "countermeasure": 0.2, "expulsion": 0.1},
    "expulsion": {"expulsion": 0.3, "countermeasure": 0.3, "sanction": 0.2, "accusation": 0.2},
    "countermeasure": {"sanction": 0.3, "expulsion": 0.3, "countermeasure": 0.3}
    | {"diplomatic step": 0.2, "accusation": 0.1},
    "statement": ANSWERS_ANYTHING,
    "accusation": ANSWERS_ANYTHING,
    "diplomatic step": {"expulsion": 0.3, "sanction": 0.3, "countermeasure": 0.2}
    | {"diplomatic step": 0.2, "accusation": 0.2, "arms control": 0.2, "statement": 0.1},
    "arms control": {"arms control": 0.3, "diplomatic step": 0.2, "statement": 0.1},
}

ANSWER_WINDOW_DAYS = 42
MIN_ANSWER_SCORE = 0.3
MAX_ANSWERS = 5
TITLE_FALLBACK_CHARS = 80

# What the parties say: the other event's actor answered by its target scores highest.
REVERSED, HALF_REVERSED, SAME_PAIR = 0.4, 0.2, 0.1
CLOSENESS = 0.15  # at most, for the same day, falling to 0 at the window's edge
# "in response to Washington's sanctions": the passage names what it answers.
NAMED_IN_RESPONSE = 0.15
KIND_WORDS = (
    (re.compile(r"\b(?:sanction\w*|санкци\w*)", re.IGNORECASE), "sanction"),
    (re.compile(r"\b(?:expel\w*|expulsion\w*|высылк\w*|выслал\w*)", re.IGNORECASE), "expulsion"),
    (re.compile(r"\b(?:accus\w*|обвинени\w*)", re.IGNORECASE), "accusation"),
    (re.compile(r"\b(?:countermeasure\w*|ответн\w+\s+мер\w*)", re.IGNORECASE), "countermeasure"),
)

# Verbs that carry the act; "sanctions" as a noun matches too, which places the actor the
# same way ("US sanctions on Russia").
EXPEL_VERB = r"expel\w*|вышл\w*|высыл\w*|выслан\w*|выдвор\w*"
SANCTION_VERB = (
    r"impos\w*|sanction\w*|bann?(?:ed|s|ing)?|freez\w*|froze\w*|restrict\w*|slap\w*|"
    r"ввел\w*|ввёл\w*|введ\w*|ввод\w*|ввест\w*|налож\w*|замороз\w*|запрет\w*"
)
ACT_VERBS = re.compile(
    rf"\b(?:{EXPEL_VERB}|{SANCTION_VERB}|summon\w*|clos(?:e|es|ed|ing)|ratif\w*|"
    r"extend\w*|retaliat\w*|suspend\w*|recall\w*|withdr[ae]w\w*|sign(?:s|ed)?|"
    r"congratulat\w*|respond\w*|вызв\w*|закры\w*|ратифиц\w*|продл\w*|ответи\w*|"
    r"отвеча\w*|отозв\w*|приостанов\w*|подписа\w*|поздрави\w*)\b",
    re.IGNORECASE,
)
SPEECH_VERBS = re.compile(
    r"\b(?:said|says?|stated|told|announc\w*|declar\w*|warn\w*|call(?:s|ed)?|accus\w*|"
    r"blam\w*|condemn\w*|заяви\w*|сказа\w*|сообщи\w*|объяви\w*|предупреди\w*|обвини\w*|"
    r"обвиня\w*|осуди\w*|назва\w*)\b",
    re.IGNORECASE,
)

# A deadline the event sets ("leave by 22 April") is not its date.
DEADLINE = re.compile(
    r"(?:\b(?:by|until|till|before|no later than)|(?<!\w)(?:до|не позднее|к))\s+\S*\s*$",
    re.IGNORECASE,
)
DEADLINE_WORD = re.compile(r"(?:by|until|till|before|no later than|до|не позднее)\s", re.I)
EVE = re.compile(r"(?<!\w)накануне(?!\w)|\b(?:the day before|a day earlier)\b", re.IGNORECASE)
# A clause that tells what this event answers: its names are the other event's parties.
RESPONSE_CLAUSE = re.compile(
    r"\b(?:in (?:response|retaliation|return|answer|reply) (?:to|for)|after|following|"
    r"because of|в ответ на|в отместку за|после|из-за)\b[^,.;:]*",
    re.IGNORECASE,
)
ENGLISH_PASSIVE_AUX = re.compile(
    r"\b(?:is|are|was|were|be|been|being|get|gets|got)\s+(?:\w+ly\s+)?$", re.I
)
# Short passive participles: "высланы", "вызван", "введены", "закрыты".
RUSSIAN_PARTICIPLE = re.compile(r"(?:ан|ян|ен|ён|ыт)[аоы]?$", re.IGNORECASE)
AGENT_AFTER_VERB = re.compile(r"\bby\s+", re.IGNORECASE)
EXPELLED_FROM = re.compile(r"\b(?:from|из)\s+", re.IGNORECASE)
RUSSIAN_AGENT = re.compile(
    r"\b(?:по\s+(?:решению|указу|распоряжению|требованию)|со\s+стороны)\s+", re.IGNORECASE
)
TARGET_MARKER = re.compile(
    r"\b(?:against|on|upon|targeting|против|в\s+отношении|в\s+адрес)\s+", re.IGNORECASE
)
WORDS_BEFORE_NAME = 3  # "sanctions on four senior Russian officials"

PHRASES = {  # kind → (with a target, without one)
    "sanction": ("imposes sanctions on {}", "imposes sanctions"),
    "expulsion": ("expels {} diplomats", "expels diplomats"),
    "countermeasure": ("takes countermeasures against {}", "takes countermeasures"),
    "statement": ("makes a statement on {}", "makes a statement"),
    "accusation": ("accuses {}", "makes an accusation"),
    "diplomatic step": ("takes a diplomatic step towards {}", "takes a diplomatic step"),
    "arms control": ("acts on arms control with {}", "acts on arms control"),
}
