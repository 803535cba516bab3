"""How easy a document is to read: Flesch reading ease (English), Amstad (German).

Pure functions over a Document. The text measured is the running text of the clauses:
paragraphs and list items (each list item counts as a sentence even without a full stop).
Headings, tables and the title page are left out: they are not prose. See docs/readability.md
for the formulas, the syllable rules and the threshold the tests hold the guideline to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from policygen import i18n
from policygen.document import Block, Clause, Document, Inline, ListBlock, Paragraph, Table
from policygen.vocabulary import LANGUAGES

FORMULAS = {lang: i18n.text(lang, "readability.formula") for lang in LANGUAGES}
# (lower bound, label): the usual bands of the Flesch scale, which Amstad calibrated German to.
BANDS = ((90, "very easy"), (80, "easy"), (70, "fairly easy"), (60, "plain"),
         (50, "fairly difficult"), (30, "difficult"), (-1000, "very difficult"))
_LINK = re.compile(r"(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_END = re.compile(r"[.!?][\"\u201c\u201d\u2019)]*\s+(?=[\"\u201e\u201c(]?[A-ZÄÖÜ0-9])")
# Abbreviations whose full stop does not end a sentence (lower case, without the stop).
_ABBREVIATIONS = frozenset({
    "e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "inc", "ltd", "co", "no", "nos",
    "art", "abs", "nr", "bzw", "ca", "vgl", "usw", "ggf", "evtl", "inkl", "zzgl", "sog", "s",
    "z", "b", "d", "h", "u", "a", "st", "para", "sec", "p", "pp", "fig", "approx", "cf",
})
# English endings that add no syllable: "walked", "makes", "make" (not "created", "places",
# "table", "free").
_SILENT_EN = re.compile(r"(?<=[^aeiouytd])ed$|(?<=[^aeiouysxzcgh])es$|(?<=[^aeiouyl])e$")
_VOWELS = {"en": re.compile(r"[aeiouy]+"), "de": re.compile(r"[aeiouyäöü]+")}


@dataclass(frozen=True)
class Sentence:
    """A sentence of the document, with its length and the clause it belongs to."""

    text: str
    words: int
    clause_id: str


@dataclass(frozen=True)
class Readability:
    """The reading-ease figure of one document, and what it is made of."""

    language: str
    formula: str
    score: float
    sentences: int
    words: int
    syllables: int
    longest: tuple[Sentence, ...]
    length: int = 0  # every word of the document: headings, running text and tables

    @property
    def words_per_sentence(self) -> float:
        """Average sentence length in words."""
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        """Average word length in syllables."""
        return self.syllables / self.words if self.words else 0.0

    @property
    def band(self) -> str:
        """The score in words: "plain", "fairly difficult", ..."""
        return next(label for bound, label in BANDS if self.score >= bound)


# What a document's figure takes from one clause: its sentences, their words, its syllables,
# every word of its blocks, and its longest sentences (text, words) in order.
ClauseEase = tuple[int, int, int, int, tuple[tuple[str, int], ...]]


def measure(document: Document, longest: int = 3) -> Readability:
    """The reading ease of a document in its language, and its `longest` longest sentences."""
    lang = document.meta.language
    return combine(lang, [(clause.clause_id, clause_ease(clause, lang, longest))
                          for clause in document.clauses()], title_words(document), longest)


def clause_ease(clause: Clause, lang: str, longest: int = 3) -> ClauseEase:
    """What the figure of a document takes from one of its clauses."""
    measured, syllables, every = _figures(clause, lang)
    top = sorted(measured, key=lambda s: -s[1])[:longest]
    return len(measured), sum(words for _, words in measured), syllables, every, tuple(top)


def combine(lang: str, clauses: Sequence[tuple[str, ClauseEase]], titles: int,
            longest: int = 3) -> Readability:
    """A document's figure from its clauses' (in document order) and its titles' words.

    The longest sentences of the document are among the longest of its clauses, and a stable
    sort keeps those of equal length in document order.
    """
    sentences = sum(ease[0] for _, ease in clauses)
    words = sum(ease[1] for _, ease in clauses)
    syllables = sum(ease[2] for _, ease in clauses)
    every = sum(ease[3] for _, ease in clauses)
    top = sorted((Sentence(text, count, clause_id) for clause_id, ease in clauses
                  for text, count in ease[4]), key=lambda s: -s.words)[:longest]
    return Readability(lang, FORMULAS[lang], score(lang, sentences, words, syllables),
                       sentences, words, syllables, tuple(top), titles + every)


def title_words(document: Document) -> int:
    """The words of a document's section and clause titles."""
    return sum(len(words_of(section.title)) + sum(len(words_of(clause.title))
                                                   for clause in section.clauses)
               for section in document.sections)


def length(document: Document) -> int:
    """How many words a reader faces: clause titles, paragraphs, list items and table cells.

    The length limit of the employee guideline (docs/readability.md) is held to this count.
    """
    total = 0
    for section in document.sections:
        total += len(words_of(section.title))
        for clause in section.clauses:
            total += len(words_of(clause.title)) + _figures(clause, document.meta.language)[2]
    return total


Figures = tuple[tuple[tuple[str, int], ...], int, int]


def _figures(clause: Clause, lang: str) -> Figures:
    """A clause's sentences with their words, their syllables, and every word of its blocks.

    Made once for its blocks (`Clause.memo`, kept with the build's fragments: a build from
    fragments then measures without reading the blocks).
    """
    return clause.made(f"readability:{lang}", lambda: _measured(clause.blocks, lang))


def _measured(blocks: tuple[Block, ...], lang: str) -> Figures:
    sentences: list[tuple[str, int]] = []
    syllables = 0
    for text in _texts(blocks):
        for sentence in split_sentences(text):
            words = words_of(sentence)
            if not words:
                continue
            sentences.append((sentence, len(words)))
            syllables += sum(count_syllables(word, lang) for word in words)
    total = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            total += len(words_of(_plain(block.spans)))
        elif isinstance(block, ListBlock):
            total += sum(len(words_of(_plain(item))) for item in block.items)
        elif isinstance(block, Table):
            cells = [*block.header, *(cell for row in block.rows for cell in row)]
            total += sum(len(words_of(_plain(cell))) for cell in cells)
    return tuple(sentences), syllables, total


def score(lang: str, sentences: int, words: int, syllables: int) -> float:
    """Flesch reading ease (en) or Amstad's German adaptation (de), rounded to one decimal."""
    if not sentences or not words:
        return 0.0
    asl, asw = words / sentences, syllables / words
    value = 206.835 - 1.015 * asl - 84.6 * asw if lang == "en" else 180 - asl - 58.5 * asw
    return round(value, 1)


def summary_line(name: str, result: Readability) -> str:
    """One line for the build summary, e.g. `employees.en: Flesch reading ease 61.2 (plain)...`."""
    line = (f"{name}: {result.length:,} words, {result.formula} {result.score:.1f} "
            f"({result.band}), "
            f"{result.words_per_sentence:.1f} words per sentence")
    if result.longest:
        top = result.longest[0]
        text = top.text if len(top.text) <= 60 else top.text[:59].rstrip() + "\u2026"
        line += f"; longest: {top.words} words in {top.clause_id}: \u201c{text}\u201d"
    return line


def split_sentences(text: str) -> list[str]:
    """Split running text into sentences at . ! ? before a capital, keeping abbreviations."""
    parts: list[str] = []
    start = 0
    for match in _END.finditer(text):
        end = match.start() + len(match.group().rstrip())
        last = text[start:end].rsplit(None, 1)[-1].lower()
        stem = last[:-1]
        if last.endswith(".") and (stem in _ABBREVIATIONS or (stem.isdigit() and len(stem) < 3)):
            continue  # "e.g.", "z. B.", "Abs.", and ordinals such as "1. März" (not "2024.")
        parts.append(text[start:end].strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [part for part in parts if part]


def words_of(sentence: str) -> list[str]:
    """The words of a sentence; a link or e-mail address counts as one word."""
    return _WORD.findall(_LINK.sub(" link ", sentence))


def count_syllables(word: str, lang: str) -> int:
    """Syllables of a word: its vowel groups (after English silent endings); a number is one."""
    lower = word.lower()
    if not any(ch.isalpha() for ch in lower):
        return 1
    if lang == "en" and len(lower) > 3:
        lower = _SILENT_EN.sub("", lower)
    return max(1, len(_VOWELS[lang].findall(lower)))


def _texts(blocks: tuple[Block, ...]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield _plain(block.spans)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield _plain(item)


def _plain(spans: Inline) -> str:
    return "".join(span.text for span in spans).strip()
