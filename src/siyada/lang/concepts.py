"""Concepts: one token for the same thing said in French, MSA, Darija (both scripts) or English.

Multilingual-e5-small carries French ↔ MSA well but French ↔ Darija poorly on short questions,
and words never meet across languages ("certificat de résidence" shares nothing with «شهادة
السكنى»). A hand-written concept lexicon (``data/concepts/*.tsv``: one row per concept, forms per
language) maps every form it knows to a concept token (``1c`` + a hash of the concept id), so a
chunk and a question in different languages meet on the concepts they both name. Tokens are
alphanumeric, like search keys, so SQLite FTS5 indexes them unchanged.

Key decisions:

- **Matching, not translation.** Forms are matched word by word after light normalisation:
  accents and case folded, French plural ``-s``/``-x`` and elision (``l'``, ``d'``) dropped,
  Arabic clitics (``و ف ب ل ك`` + ``ال``) and possessive endings (``بطاقتي`` → ``بطاقة``) peeled,
  taa marbuta and alef forms folded, glued Arabizi articles (``lbaladiya``) peeled. Linking words
  (de, du, ديال, dyal …) may sit between the words of a multi-word form or be absent.
- **The text's language chooses the forms.** French or English text matches only French and
  English forms (the Arabizi form "fin", *where*, must not fire on the French "fin", *end*);
  Arabizi text matches Arabizi forms first and French/English forms on the words left (French
  words inside Darija: "la facture"); Arabic-script text matches MSA and Darija forms.
- **Every match is kept**, overlapping ones included: "certificat de résidence" gives the
  concept of the term and those of its words when they are concepts of their own.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from siyada.errors import ConfigError
from siyada.lang.orthography import normalize, strip_accents

CONCEPT_PREFIX = "1c"
COLUMNS = ("concept", "fra", "arb", "ary", "ary_Latn", "eng")
LATIN_COLUMNS = ("fra", "eng")
ARABIZI_COLUMNS = ("ary_Latn",)
ARABIC_COLUMNS = ("arb", "ary")
# Words that may sit between (or be missing from) the words of a multi-word form.
LINKERS = frozenset(
    {
        "de",
        "du",
        "des",
        "d",
        "la",
        "le",
        "les",
        "l",
        "a",
        "au",
        "aux",
        "en",
        "of",
        "the",
        "for",
        "dyal",
        "dial",
        "diyal",
        "dyel",
        "dl",
        "ta3",
        "taa3",
        "el",
        "al",
        "ديال",
        "ديالت",
        "متاع",
        "تاع",
        "د",
        "في",
    }
)
_WORD = re.compile(r"[^\W_]+")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_POSSESSIVE = ("تي", "تك", "ته", "تها", "تو", "تنا", "تكم", "تهم")
_PRONOUN = ("ها", "هم", "كم", "نا", "ي", "ك", "ه", "و")
_LATIN_ARTICLES = ("fel", "fl", "bel", "bl", "lel", "ll", "el", "al", "l")


def concept_token(concept: str) -> str:
    """The search token of a concept id (stable: a hash of the id, not its row number)."""
    return CONCEPT_PREFIX + hashlib.blake2s(concept.encode("utf-8"), digest_size=5).hexdigest()


def _latin_key(word: str) -> str:
    w = strip_accents(word.lower())
    if len(w) > 3 and w[-1] in "sx" and not w.endswith("ss"):
        w = w[:-1]
    return w


def _arabic_key(word: str) -> str:
    return normalize(word, taa_marbuta=True)


def _latin_candidates(word: str, arabizi: bool) -> set[str]:
    key = _latin_key(word)
    out = {key}
    if arabizi:
        for art in _LATIN_ARTICLES:
            if key.startswith(art) and len(key) - len(art) >= 3:
                out.add(key[len(art) :])
    return out


def _arabic_candidates(word: str) -> set[str]:
    """The word and what is left after peeling clitics and endings (each a guess)."""
    w = _arabic_key(word)
    stems = {w}
    for _ in range(2):  # a conjunction, then a preposition + article: وبالبطاقة → بطاقة
        for stem in list(stems):
            for p in _PREFIXES:
                if stem.startswith(p) and len(stem) - len(p) >= 2:
                    stems.add(stem[len(p) :])
    out = set(stems)
    for s in stems:
        for suffix in _POSSESSIVE:
            if s.endswith(suffix) and len(s) - len(suffix) >= 2:
                out.add(s[: -len(suffix)] + "ه")
        for suffix in _PRONOUN:
            if s.endswith(suffix) and len(s) - len(suffix) >= 3:
                out.add(s[: -len(suffix)])
    return out


@dataclass(slots=True)
class _Form:
    keys: tuple[str, ...]
    concept: str


class ConceptIndex:
    """Forms of every concept, indexed by their first word's key, per group of columns."""

    def __init__(self, rows: Iterable[tuple[str, str, str]]) -> None:
        # rows: (concept, column, form)
        self.by_group: dict[str, dict[str, list[_Form]]] = {"latin": {}, "arabizi": {}, "arabic": {}}
        self.concepts: set[str] = set()
        for concept, column, form in rows:
            group = "latin" if column in LATIN_COLUMNS else "arabizi" if column in ARABIZI_COLUMNS else "arabic"
            keyer = _arabic_key if group == "arabic" else _latin_key
            words = [w for w in _WORD.findall(form) if w.lower() not in LINKERS]
            keys = tuple(keyer(w) for w in words)
            if not keys:
                continue
            self.concepts.add(concept)
            self.by_group[group].setdefault(keys[0], []).append(_Form(keys, concept))

    def match(self, text: str, lang: str | None = None) -> list[str]:
        """Concept ids named in ``text`` (in order of first mention, each once)."""
        words = [w for w in _WORD.findall(text) if w.lower() not in LINKERS]
        if not words:
            return []
        found: dict[str, None] = {}
        arabic = [bool(_ARABIC.search(w)) for w in words]
        if lang is None or lang.endswith("_Arab") or any(arabic):
            cands = [_arabic_candidates(w) if a else set() for w, a in zip(words, arabic, strict=True)]
            self._scan(cands, "arabic", found, None)
        latin_groups = (
            ["latin"]
            if lang in ("fra_Latn", "eng_Latn", "spa_Latn")
            else ["arabizi", "latin"]
            if lang in (None, "ary_Latn", "ber_Latn", "und")
            else []
        )
        if lang is not None and lang.endswith("_Arab") and not latin_groups:
            latin_groups = ["latin"]  # French words inside Arabic-script text
        covered: set[int] = set()
        for group in latin_groups:
            arabizi = group == "arabizi"
            cands = [set() if a else _latin_candidates(w, arabizi) for w, a in zip(words, arabic, strict=True)]
            self._scan(cands, group, found, covered if not arabizi else None, record=covered if arabizi else None)
        return list(found)

    def _scan(
        self,
        cands: list[set[str]],
        group: str,
        found: dict[str, None],
        skip: set[int] | None,
        record: set[int] | None = None,
    ) -> None:
        index = self.by_group[group]
        for i, first in enumerate(cands):
            if skip is not None and i in skip:
                continue
            for key in first:
                for form in index.get(key, ()):
                    n = len(form.keys)
                    if i + n <= len(cands) and all(form.keys[j] in cands[i + j] for j in range(1, n)):
                        found.setdefault(form.concept, None)
                        if record is not None:
                            record.update(range(i, i + n))


@functools.cache
def concept_index() -> ConceptIndex:
    """The bundled lexicon (every ``data/concepts/*.tsv``), loaded once."""
    return ConceptIndex(_rows())


@functools.cache
def _rows() -> list[tuple[str, str, str]]:
    folder = resources.files("siyada.lang").joinpath("data", "concepts")
    rows: list[tuple[str, str, str]] = []
    if not folder.is_dir():
        return rows
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".tsv"):
            continue
        rows.extend(parse_concept_tsv(entry.read_text(encoding="utf-8"), f"siyada/lang/data/concepts/{entry.name}"))
    return rows


def parse_concept_tsv(text: str, name: str) -> list[tuple[str, str, str]]:
    """``(concept, column, form)`` rows of one lexicon file; a malformed line names file and line."""
    out: list[tuple[str, str, str]] = []
    header_seen = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.rstrip("\n").split("\t")
        if not header_seen:
            header_seen = True
            if [p.strip() for p in parts] != list(COLUMNS):
                raise ConfigError(f"{name}:{lineno}: header must be {' '.join(COLUMNS)}")
            continue
        if len(parts) != len(COLUMNS) or not parts[0].strip():
            raise ConfigError(f"{name}:{lineno}: expected {len(COLUMNS)} tab-separated fields and a concept id")
        concept = parts[0].strip()
        for column, cell in zip(COLUMNS[1:], parts[1:], strict=True):
            for form in cell.split("|"):
                if form.strip():
                    out.append((concept, column, form.strip()))
    return out


@functools.cache
def lexicon_version() -> str:
    """A hash of the bundled lexicon: bases re-index their concept tokens when it changes."""
    h = hashlib.blake2s(digest_size=8)
    for concept, column, form in _rows():
        h.update(f"{concept}\t{column}\t{form}\n".encode())
    return h.hexdigest()


def concepts(text: str, lang: str | None = None) -> list[str]:
    """Concept ids named in ``text``; ``lang`` (an ``identify`` label) chooses which forms apply.

    >>> from siyada.lang.concepts import ConceptIndex
    >>> idx = ConceptIndex([("saturday", "fra", "samedi"), ("saturday", "ary", "السبت"),
    ...                     ("saturday", "ary_Latn", "sebt")])
    >>> idx.match("Vous ouvrez le samedi ?", "fra_Latn"), idx.match("واش محلول نهار السبت؟", "ary_Arab")
    (['saturday'], ['saturday'])
    """
    return concept_index().match(text, lang)


def concept_text(text: str, lang: str | None = None) -> str:
    """The concept tokens of ``text``, space-separated (what the knowledge bases index)."""
    return " ".join(concept_token(c) for c in concepts(text, lang))


@functools.cache
def _first_forms() -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for concept, column, form in _rows():
        out.setdefault((concept, column), form)
    return out


def render(concept_ids: Iterable[str], column: str) -> str:
    """The concepts said in one lexicon column (``fra``, ``arb``, ``ary``, ``ary_Latn``, ``eng``):
    each concept's first form there, in order (a word-for-word gloss for cross-language search)."""
    forms = _first_forms()
    return " ".join(f for c in concept_ids if (f := forms.get((c, column))))
