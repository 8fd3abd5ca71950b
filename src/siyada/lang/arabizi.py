"""Darija Arabizi <-> Arabic script.

Key decision: Arabic -> Arabizi is a deterministic letter table with light context rules (the
abjad hides short vowels, so nothing better is knowable without a model). Arabizi -> Arabic is
ambiguous (vowels may or may not be written, doubled letters are shadda, "t" may be ت or ط), so
each word is first looked up in the hand-written lexicon, then decoded by a beam search whose
edits (``data/arabizi_rules.tsv``) have hand-set costs and whose hypotheses are scored by a
character trigram model and a word list of Darija in Arabic script (both built by
``python -m siyada.lang.build``). Results are returned best first, as many as asked. Both
tables are data files (``arabizi_rules.tsv``, ``arabic_to_arabizi.tsv``).
"""

from __future__ import annotations

import functools
import re
import sys

from siyada.errors import ConfigError
from siyada.lang.features import number_expression
from siyada.lang.lexicon import arabic_lm, arabizi_lexicon, darija_lexicon, read_tsv

_SUN = set("تثدذرزسشصضطظلن")
_ARABIC_WORD_RE = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")
_LATIN_WORD_RE = re.compile(r"[a-z0-9\u00e0-\u00ff]+(?:['’-][a-z0-9]+)*", re.IGNORECASE)
_LATIN_TOKEN_RE = re.compile(r"[A-Za-z0-9\u00e0-\u00ff]+")
_DIACRITICS_RE = re.compile("[\u064b-\u0652\u0670\u0640]")


Rules = dict[str, dict[str, list[tuple[str, float]]]]


@functools.cache
def _arabic_letters() -> dict[str, str]:
    """Arabic letter -> Arabizi, from ``data/arabic_to_arabizi.tsv``."""
    return {arabic: latin for arabic, latin in read_tsv("arabic_to_arabizi.tsv", 2)}


@functools.cache
def _rules() -> Rules:
    """context -> Latin piece -> [(Arabic output, cost)], from ``data/arabizi_rules.tsv``."""
    rules: Rules = {"any": {}, "initial": {}, "final": {}, "emphatic": {}, "hamza-i": {}, "hamza-u": {}}
    for lineno, (context, latin, arabic, cost) in enumerate(read_tsv("arabizi_rules.tsv", 4), 1):
        if context not in rules:
            raise ConfigError(f"siyada/lang/data/arabizi_rules.tsv: row {lineno}: unknown context {context!r}")
        try:
            value = float(cost)
        except ValueError as exc:
            raise ConfigError(
                f"siyada/lang/data/arabizi_rules.tsv: row {lineno}: cost {cost!r} is not a number"
            ) from exc
        rules[context].setdefault(latin, []).append(("" if arabic == "-" else arabic, value))
    return rules


def _arabic_word_to_latin(word: str) -> str:
    letters = _arabic_letters()
    out: list[str] = []
    if word.startswith("ال") and len(word) > 3:
        first = word[2]
        out.append(letters.get(first, "") if first in _SUN else "l")
        word = word[2:]
    n = len(word)
    for i, ch in enumerate(word):
        prev = word[i - 1] if i else ""
        nxt = word[i + 1] if i + 1 < n else ""
        if ch == "و":
            # Consonantal w next to alef or at a word edge, otherwise the vowel o/ou.
            out.append("w" if i == 0 or prev == "ا" or nxt == "ا" or (i == n - 1 and prev in "اي") else "o")
        elif ch == "ي":
            out.append("y" if i == 0 or prev == "ا" or (nxt != "" and nxt in "او") else "i")
        else:
            out.append(letters.get(ch, ch))
    return "".join(out)


def arabic_to_arabizi(text: str) -> str:
    """دابا غادي نمشي -> "daba ghadi nmchi" (word by word; other characters kept)."""
    text = _DIACRITICS_RE.sub("", text)
    return _ARABIC_WORD_RE.sub(lambda m: _arabic_word_to_latin(m.group(0)), text)


_BEAM = 24
# Chosen on the DODa development words once the lexicons had grown to ~30,000 words (weight
# 0.10 / 0.12 / 0.15 / 0.20 / 0.25 -> CER 0.102 / 0.101 / 0.100 / 0.101 / 0.103 with bonus 0.5;
# bonus 0 / 0.25 / 0.5 / 1.0 -> 0.102 / 0.101 / 0.101 / 0.102 at weight 0.2): a flat optimum.
_LM_WEIGHT = 0.15
_WORD_BONUS = 0.5


# ~400,000 spellings: a spelling with one Arabic word maps to that (interned) string itself, one
# with several to a tuple: measured 76 MB live after warm_up() against 128 MB with lists.
Entry = str | tuple[str, ...]


@functools.cache
def _vocab_index() -> dict[str, Entry]:
    """Arabizi spelling -> Arabic words from the two hand-written lexicons (the larger one first:
    the small one lists some conjugated forms under their base verb, "mchit" under مشا)."""
    index = darija_lexicon()
    for key, words in arabizi_lexicon().items():
        known = index.setdefault(key, [])
        known += [w for w in words if w not in known]
    return {key: _entry(as_pronounced(key, words)) for key, words in index.items()}


def _entry(words: list[str]) -> Entry:
    return sys.intern(words[0]) if len(words) == 1 else tuple(map(sys.intern, words))


def _words(entry: Entry | None) -> tuple[str, ...]:
    if entry is None:
        return ()
    return (entry,) if isinstance(entry, str) else entry


def lexicon_words(spelling: str) -> tuple[str, ...]:
    """The hand-written lexicons' Arabic words for one Arabizi spelling (lower-case), best first."""
    return _words(_vocab_index().get(spelling))


# Darija has no interdental consonants: ث ذ ظ are said t, d, ḍ. A writer who types "kdeb",
# "t3lab", "dahbi" says the stop, and Darija written as spoken spells it so (كدب تعلب دهبي); the
# learned spelling (كذب ثعلب ذهبي) stays as the next candidate. A spelling with th, dh or z keeps
# the interdental first. Measured on the DODa words: CER 0.100 -> 0.099.
_INTERDENTALS = str.maketrans({"ث": "ت", "ذ": "د", "ظ": "ض"})
_INTERDENTAL_SPELLING_RE = re.compile(r"th|dh|z")


def as_pronounced(spelling: str, words: list[str]) -> list[str]:
    """``words`` with each learned interdental spelling preceded by its spoken form, unless the
    Arabizi ``spelling`` itself writes an interdental (th, dh, z)."""
    if _INTERDENTAL_SPELLING_RE.search(spelling):
        return words
    out: list[str] = []
    for word in words:
        spoken = word.translate(_INTERDENTALS)
        for candidate in (spoken, word):
            if candidate not in out:
                out.append(candidate)
    return out


_NEAR_STEPS = (("sh", "ch"), ("x", "ch"), ("ou", "u"), ("o", "u"), ("y", "i"), ("é", "e"), ("è", "e"), ("e", ""))
_REPEAT_RE = re.compile(r"(.)\1+")


def near_key(word: str) -> str:
    """Spelling skeleton under which writers' variants meet: "chouf", "shof", "chuf" -> "chuf";
    vowel e dropped, doubled letters single ("bezzaf", "bzaf" -> "bzaf")."""
    key = word.lower()
    for old, new in _NEAR_STEPS:
        key = key.replace(old, new)
    return _REPEAT_RE.sub(r"\1", key)


@functools.cache
def _near_index() -> dict[str, Entry]:
    index: dict[str, list[str]] = {}
    for key, entry in _vocab_index().items():
        near = index.setdefault(near_key(key), [])
        near += [w for w in _words(entry) if w not in near]
    return {key: _entry(words) for key, words in index.items()}


_HARD_DIGRAPHS = frozenset({"ch", "sh", "gh", "kh"})
_DOUBLED_COST = 0.1


# Darija writes a full vowel "a" as ا in an open syllable ("daba" دابا, "ktab" كتاب) but rarely
# before two consonants, where it is short ("madrasa" مدرسة, "9ahwa" قهوة, "zar9a" زرقا).
# Measured on DODa: shift 0.2 / 0.4 / 0.7 -> CER 0.123 / 0.122 / 0.123 (0.124 without); applying
# it before a word-final cluster too ("kalb") was worse (0.123). Refit on the tune half of the
# DODa words with the Kneser-Ney model (issue 9): 0.4 -> 0.3, tune CER 0.0872 -> 0.0868.
_CLOSED_A_SHIFT = 0.3
_CONSONANT_DIGRAPHS = ("ch", "sh", "gh", "kh")


def _closed_syllable(lower: str, j: int) -> bool:
    """True when two consonants follow position ``j`` before the next vowel (digraphs count once)."""
    count = 0
    while j < len(lower) and lower[j] not in _VOWELS:
        j += 2 if lower[j : j + 2] in _CONSONANT_DIGRAPHS else 1
        count += 1
    return count >= 2 and j < len(lower)


def _options(word: str, i: int) -> list[tuple[int, str, float]]:
    n = len(word)
    rules = _rules()
    opts: list[tuple[int, str, float]] = []
    lower = word.lower()
    if i == 0:
        opts += _article_options(word, rules)
    if i > 0 and lower[i] == lower[i - 1] and lower[i] not in _VOWELS:
        # A doubled consonant is one letter with shadda, which is not written ("SS" too).
        opts.append((i + 1, "", _DOUBLED_COST))
    elif i > 1 and lower[i : i + 2] in _HARD_DIGRAPHS and lower[i - 2 : i] == lower[i : i + 2]:
        opts.append((i + 2, "", _DOUBLED_COST))  # "chch", "khkh": a doubled digraph
    if word[i] in rules["emphatic"] and lower[i : i + 2] not in _HARD_DIGRAPHS:
        return opts + [(i + 1, out, cost) for out, cost in rules["emphatic"][word[i]]]
    for size in (4, 3, 2, 1):
        piece = lower[i : i + size]
        if len(piece) != size or (size == 1 and lower[i : i + 2] in _HARD_DIGRAPHS):
            continue
        if size > 2 and not (i + size == n and piece in rules["final"]):
            continue  # longer pieces are word endings only ("atan" ة)
        table = rules["any"]
        if i == 0 and piece in rules["initial"]:
            table = rules["initial"]
        elif i + size == n and piece in rules["final"]:
            table = rules["final"]
        elif piece == "2" and i > 0:
            table = _hamza_table(lower, i, rules)
        closed = table is rules["any"] and piece == "a" and _closed_syllable(lower, i + 1)
        shift = _CLOSED_A_SHIFT if closed else 0.0
        for out, cost in table.get(piece, ()):
            opts.append((i + size, out, cost + (shift if out else -shift)))
    if not opts:
        opts.append((i + 1, lower[i], 3.0))
    return opts


def _hamza_table(lower: str, i: int, rules: Rules) -> dict[str, list[tuple[str, float]]]:
    """The seat of a medial hamza "2" follows its vowels, as in standard spelling: next to i it
    sits on ya (ra2is رئيس, kha2in خائن), after o/u on waw (mo2lim مؤلم, so2al سؤال), otherwise
    on alef (faj2a فجأة) — the "any" row."""
    prev, nxt = lower[i - 1], lower[i + 1 : i + 2]
    if (prev == "i" and nxt != "") or nxt == "i":
        return rules["hamza-i"]
    if prev in "ou":
        return rules["hamza-u"]
    return rules["any"]


# Darija writes the article before a sun letter as gemination: "ddar" (الدار), "chchems" (الشمس);
# j assimilates too in Moroccan speech ("jjbel", الجبل).
_GEMINATED = ("chch", "shsh", "tt", "dd", "rr", "zz", "ss", "nn", "ll", "jj")
# "l" glued to a consonant-initial word is the article before a moon letter ("lbab", "lfayda").
_ARTICLE_L_COST = 0.8
# Refit on the tune half (issue 9): 0.2 / 0.0 / -0.2 / -0.3 / -0.4 -> CER 0.0883 / 0.0878 /
# 0.0874 / 0.0872 / 0.0872 — a doubled first letter is the article more often than not.
_GEMINATED_COST = -0.3
_VOWELS = frozenset("aeiouéè")


def _article_options(word: str, rules: Rules) -> list[tuple[int, str, float]]:
    """Options at the start of a word that write the article ال (with the geminated letter)."""
    lower = word.lower()
    for gem in _GEMINATED:
        if lower.startswith(gem) and len(word) > len(gem):
            half = len(gem) // 2
            letter = word[half : len(gem)]
            table = rules["emphatic"] if letter in rules["emphatic"] else rules["any"]
            outs = table.get(letter, table.get(letter.lower(), []))
            return [(len(gem), "ال" + out, _GEMINATED_COST + cost) for out, cost in outs if out]
    if len(lower) > 2 and lower[0] == "l" and lower[1] not in _VOWELS and lower[1] != "l":
        return [(1, "ال", _ARTICLE_L_COST)]
    return []


def _decode_word(word: str, n: int) -> list[tuple[str, float]]:
    lm = arabic_lm()
    beams: dict[int, list[tuple[float, str]]] = {0: [(0.0, "")]}
    for i in range(len(word)):
        for cost, out in sorted(beams.pop(i, []))[:_BEAM]:
            for j, piece, edit_cost in _options(word, i):
                new = out + piece
                # Incremental LM score of the letters just added.
                lm_cost = lm.extend_cost(out, piece)
                beams.setdefault(j, []).append((cost + edit_cost + _LM_WEIGHT * lm_cost, new))
    final: dict[str, float] = {}
    for cost, out in beams.get(len(word), []):
        total = cost + _LM_WEIGHT * lm.end_cost(out) - (_WORD_BONUS if lm.is_word(out) else 0.0)
        if out and (out not in final or total < final[out]):
            final[out] = total
    return sorted(final.items(), key=lambda kv: kv[1])[:n]


def warm_up() -> None:
    """Load and index the lexicons and the character model now (~2–3 s) rather than on the first
    word, for callers that want the first request to be as fast as the rest (and for timing)."""
    _vocab_index()
    _near_index()
    arabic_lm()


def arabizi_word_candidates(word: str, n: int = 5) -> list[str]:
    """Arabic-script candidates for one Arabizi word, best first."""
    return list(_word_candidates(word, n))


# Words repeat (Zipf): decoding each distinct word once keeps long texts fast.
@functools.lru_cache(maxsize=65_536)
def _word_candidates(word: str, n: int) -> tuple[str, ...]:
    word = word.replace("’", "'")
    if word.isupper():
        word = word.lower()
    known = list(lexicon_words(word.lower()))
    decoded = [w for w, _ in _decode_word(word, n + len(known))] if any(c.isalpha() for c in word) else [word]
    # A lexicon word under the same spelling skeleton is promoted only when the decoder found it
    # too: promoting every near match outright picks unrelated words that share a skeleton.
    near = set() if known else set(_words(_near_index().get(near_key(word))))
    promoted = [w for w in decoded if w in near]
    inner, initial = _capital_emphatics(word)
    if initial:
        known = _keeping(known, initial + inner)
    out: list[str] = []
    for cand in [*known, *promoted, *decoded]:
        if cand not in out:
            out.append(cand)
    return tuple(_keeping(out, inner)[:n])


# A capital T D S Z H inside a word marks an emphatic (ط ض ص ظ ح): the writer took the trouble,
# so candidates that drop it go last — the lexicon is case-blind ("baT" is not بات, "3Ser" not
# عسر). A capital first letter alone may be sentence case ("Salam"): it only orders the lexicon
# words. Measured on the tune half of the DODa words: CER 0.0917 -> 0.0911 (inner capitals), and
# 0.0897 if a first capital were binding too — too costly for chat, where "Salam" starts a line.
_EMPHATIC_LETTERS = {"T": "ط", "D": "ضظ", "S": "ص", "Z": "ظض", "H": "ح"}


def _capital_emphatics(word: str) -> tuple[list[str], list[str]]:
    """The emphatic letters that capitals inside ``word`` and a capital first letter ask for."""
    inner: list[str] = []
    initial: list[str] = []
    for i, ch in enumerate(word):
        digraph = word[i : i + 2].lower() in _HARD_DIGRAPHS or word[max(0, i - 1) : i + 1].lower() in _HARD_DIGRAPHS
        if ch in _EMPHATIC_LETTERS and not digraph:
            alone_first = i == 0 and not word[1:2].isupper()
            (initial if alone_first else inner).append(_EMPHATIC_LETTERS[ch])
    return inner, initial


def _keeping(cands: list[str], letters: list[str]) -> list[str]:
    """``cands`` with those that write every asked-for emphatic first (stable)."""
    if not letters:
        return cands
    kept = [c for c in cands if all(any(e in c for e in group) for group in letters)]
    return kept + [c for c in cands if c not in kept]


def arabizi_to_arabic(text: str, n: int = 5) -> tuple[str, list[str]]:
    """Best Arabic-script rendering of ``text`` and up to ``n`` sentence candidates.

    Sentence candidates vary one word at a time from the best rendering, most ambiguous words
    first, so they stay readable rather than being a combinatorial product.
    """
    pieces: list[str] = []
    choices: list[tuple[int, list[str]]] = []
    pos = 0
    for m in _LATIN_TOKEN_RE.finditer(text):
        pieces.append(text[pos : m.start()])
        word = m.group(0)
        if word.isdigit() or number_expression(word):
            pieces.append(word)  # "10h", "3eme": numbers, not Arabizi
        else:
            cands = arabizi_word_candidates(word, n)
            choices.append((len(pieces), cands))
            pieces.append(cands[0])
        pos = m.end()
    pieces.append(text[pos:])
    best = "".join(pieces)
    candidates = [best]
    for index, cands in choices:
        for alt in cands[1:]:
            if len(candidates) >= n:
                break
            variant = list(pieces)
            variant[index] = alt
            candidates.append("".join(variant))
    return best, candidates[:n]
