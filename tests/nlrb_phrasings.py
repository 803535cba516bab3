"""Phrasings the NLRB has found overbroad in social media rules, and the rule that matches them.

The list and the matching rule are explained in docs/us-overbroad-phrasings.md. Sources are
those of the project's content anchor (part b, USA) and the memoranda it names; every rule has
examples that must be flagged and legitimate sentences that must pass, so the matcher is
tested as well as the library.

Matching rule: the English output for US companies is cut into sentences (list items and
table cells count as sentences of their own). A sentence is flagged when it matches a rule's
`pattern` and none of its `unless` patterns. `unless` describes what makes the same words
lawful: limiting them to false, unlawful or clearly unprotected conduct, to speaking on the
company's behalf, or to concrete examples. Matching ignores case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_BAN = r"\b(?:do not|don't|never|must not|may not|shall not|should not|not allowed to|" \
       r"prohibited from|refrain from|avoid)\b"


@dataclass(frozen=True)
class Rule:
    """One overbroad phrasing, with what narrows it and where the NLRB said so."""

    id: str
    pattern: str
    unless: tuple[str, ...]
    source: str
    flagged: tuple[str, ...]
    allowed: tuple[str, ...]

    def matches(self, sentence: str) -> bool:
        """Whether a sentence uses the phrasing without a narrowing context."""
        if not re.search(self.pattern, sentence, re.IGNORECASE):
            return False
        return not any(re.search(u, sentence, re.IGNORECASE) for u in self.unless)


OM_11_74 = "NLRB Acting General Counsel, Memorandum OM 11-74 (18 August 2011)"
OM_12_31 = "NLRB Acting General Counsel, Memorandum OM 12-31 (24 January 2012)"
OM_12_59 = "NLRB Acting General Counsel, Memorandum OM 12-59 (30 May 2012)"
GIANT_FOOD = "NLRB Division of Advice, Giant Food LLC (advice memorandum)"
STERICYCLE = "Stericycle, Inc., 372 NLRB No. 113 (2 August 2023)"
ADVICE_2018 = "NLRB Division of Advice memorandum (2018) on 'always be accurate' rules"

_FALSITY = r"\b(?:false|untrue|knowingly|maliciously|defamatory|misleading|unsubstantiated|" \
           r"unfounded|fake)\b"
_UNLAWFUL = r"\b(?:harass\w*|discriminat\w*|threat\w*|violen\w*|unlawful|illegal|bully\w*|" \
            r"slurs?)\b"
_ON_BEHALF = r"\b(?:on (?:the company's|our|its|\w+'s) behalf|in the company's name|" \
             r"for the company|company's position|\w+'s position|official(?:ly)?|" \
             r"spokesperson|speak(?:s|ing)? for)\b"
_HARM = r"\b(?:embarrass\w*|damag\w* (?:to )?(?:the company's|our|its|\w+'s) (?:reputation|" \
        r"image|brand)|reflects? (?:poorly|negatively|badly) on)\b"
_EXAMPLES = r"\b(?:such as|for example|e\.g\.|including|the following|listed|as defined|marked)\b"

RULES: tuple[Rule, ...] = (
    Rule("disparaging", r"\bdisparag\w*", (_FALSITY,),
         f"{OM_12_59}; {OM_11_74}; {STERICYCLE}",
         ("Do not make disparaging comments about the company or its managers.",
          "Posts that disparage co-workers are prohibited."),
         ("Never disparage competitors with false claims.",
          "Do not knowingly post untrue statements that disparage our products.")),
    Rule("inappropriate", r"\binappropriate\b", (_UNLAWFUL,),
         f"{OM_12_59}; {OM_12_31}",
         ("Do not post inappropriate content about work.",
          "Inappropriate posts may lead to discipline."),
         ("Inappropriate postings such as harassment or threats of violence are not tolerated.",)),
    Rule("be_respectful",
         r"\b(?:be|remain|stay|always)\s+(?:respectful|courteous|polite)\b|"
         r"\btreat (?:everyone|all|others|the company)[^.;]{0,40}\bwith respect\b|\bdisrespect\w*",
         (_UNLAWFUL,),
         f"{OM_12_59}; {STERICYCLE}",
         ("Always be respectful when you post about the company.",
          "Treat everyone, including managers, with respect online.",
          "Disrespectful comments about supervisors are not allowed."),
         ("Do not post slurs or disrespectful remarks that amount to harassment.",)),
    Rule("blanket_confidential",
         _BAN + r"[^.;:]{0,60}\b(?:share|post|disclose|reveal|discuss|publish|release|talk about)"
         r"\b[^.;:]{0,40}\b(?:confidential|proprietary|non-public|internal)\b|"
         r"\b(?:all|any)\s+(?:company|business|internal|work)\s+information\b[^.;]{0,30}\b"
         r"(?:is|are)\s+confidential\b",
         (_EXAMPLES,),
         f"{OM_12_59}; {GIANT_FOOD}",
         ("Do not share confidential information online.",
          "Never discuss internal or proprietary matters on social media.",
          "All company information is confidential."),
         ("Do not share confidential information such as customer lists or unreleased products.",
          "Do not post the content of documents marked confidential, for example board papers.")),
    Rule("logo_ban",
         _BAN + r"[^.;]{0,60}\b(?:logos?|trademarks?|company name|brand)\b",
         (r"\b(?:suggests?|impl(?:y|ies)|endorse\w*|official|on behalf|commercial|merchandise|"
          r"look like|as if|impersonat\w*|handles?|account names?)\b",),
         f"{GIANT_FOOD}; {STERICYCLE}",
         ("Do not use the company logo in your posts.",
          "Employees may not post pictures showing the company name or trademarks."),
         ("Do not use the logo to make a private account look like an official company page.",
          "Do not use other companies' logos in a way that suggests they endorse you.")),
    Rule("photo_ban",
         _BAN + r"[^.;]{0,30}\b(?:take|post|share|record|upload|film)\b[^.;]{0,30}\b"
         r"(?:photos?|pictures?|videos?|recordings?|images?)\b",
         (r"\b(?:consent|authori[sz]ation|sign prohibits|restricted|patients?|recogni[sz]\w*|"
          r"identif\w*|confidential|treatment rooms?|injured|accident|customers' premises|"
          r"their permission)\b",
          r"\bother people's\b|\bwithout permission\b|\blicen[cs]e\b|\bcopyright\b"),
         f"{GIANT_FOOD}; {STERICYCLE}",
         ("Do not take photos at work.", "Never post pictures or videos of the workplace."),
         ("Do not post photos in which colleagues can be recognised without their consent.",
          "Don't post other people's photos, videos or music without permission.",
          "Do not take photos or videos where a sign prohibits it.")),
    Rule("media_ban",
         _BAN + r"[^.;]{0,40}\b(?:speak|talk|respond|comment|answer|contact)\w*\b[^.;]{0,30}\b"
         r"(?:media|press|journalists?|reporters?)\b|"
         r"\b(?:all|any)\s+(?:media|press)\s+(?:enquir|inquir|contact|request)\w*[^.;]{0,40}"
         r"\b(?:must|should|have to|are to)\b",
         (_ON_BEHALF,),
         f"{OM_12_31}; {OM_12_59}; {STERICYCLE}",
         ("Do not speak to the media about the company.",
          "All media inquiries must be referred to Corporate Communications."),
         ("Do not speak to journalists on the company's behalf unless you are authorised.",
          "If a journalist asks you for the company's position, refer them to the press office.")),
    Rule("always_accurate",
         r"\b(?:always|must)\s+be\s+(?:completely\s+|fully\s+|100% )?accurate\b",
         (_ON_BEHALF,),
         ADVICE_2018,
         ("Always be accurate when you post about work.",),
         ("Official posts must be accurate and approved.",)),
    Rule("mandatory_internal_route",
         r"\b(?:must|are required to|have to|need to)\b[^.;]{0,40}\b(?:raise|report|bring|"
         r"address)\b[^.;]{0,60}\b(?:internally|manager|supervisor|HR|human resources)\b"
         r"[^.;]{0,40}\bbefore\b[^.;]{0,30}\b(?:post\w*|going public|publish\w*)",
         (),
         f"{STERICYCLE}; content anchor topic 20 (route grievances optionally, never mandatorily)",
         ("You must raise complaints with your manager before posting about them.",),
         ("You may raise concerns with your manager first, but you do not have to.",)),
    Rule("reputation_damage",
         _BAN + r"[^.;]{0,30}\b(?:post|share|say|publish|write)\b[^.;]{0,40}" + _HARM + "|"
         r"\b(?:posts?|statements?|comments?|content)\s+that\s+(?:could\s+|might\s+|may\s+)?"
         + _HARM,
         (_FALSITY, r"\b(?:hide|delete|remove|moderat\w*)\b"),
         STERICYCLE,
         ("Do not post anything that could embarrass the company.",
          "Posts that reflect poorly on the company are not allowed."),
         ("Do not post false statements of fact that damage our reputation.",
          "Never hide a post just because it is negative or embarrassing.")),
)


def sentences(texts: Iterable[str]) -> list[str]:
    """Cut texts (paragraphs, list items, table cells) into sentences."""
    found: list[str] = []
    for text in texts:
        found.extend(s for s in re.split(r"(?<=[.!?;])\s+", text) if s.strip())
    return found


def findings(texts: Iterable[str]) -> list[tuple[str, str]]:
    """(rule id, sentence) for every overbroad phrasing in the texts."""
    return [(rule.id, sentence) for sentence in sentences(texts) for rule in RULES
            if rule.matches(sentence)]
