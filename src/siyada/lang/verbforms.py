"""Darija verb paradigms expanded from hand-written roots (``data/darija_verb_roots.tsv``).

Key decision: the Arabic side is built by plain concatenation on the hand-written Arabic stems
(never derived from Arabizi), so it follows one spelling convention whatever the typing; the
Arabizi side starts from one canonical spelling per stem and adds only the habits real writers
have, each applied to the whole word: schwa ``e`` left out ("ktebt" -> "ktbt"), "ou" -> "o",
final "ou" -> "u", "ch" -> "sh", "kh" -> "5", "9" -> "q" (only for roots flagged ``q``) and a
doubled letter written once ("sellem" -> "selem"). Mixed combinations ("chofou") are left out.

Root line: ``class<TAB>past_ar<TAB>past_latin<TAB>present_ar<TAB>present_latin<TAB>flags``;
``-`` takes the default present (past stem; ``mcha`` -> ``mchi`` for final-weak verbs). Flags,
``;``-separated: ``top`` (object-suffix forms), ``dat`` (dative -li forms), ``q``, ``loan``
(French ``e`` is a vowel: never dropped), ``alt=مشى`` (second spelling of past 3ms),
``imp=كول:koul,kol`` (irregular imperative). Form VIII takes its conjugation from its shape:
"7taj" حتاج (long a) goes like a doubled verb ("7tajit"), "chtka" شتكا like a final-weak one, "7tarem"
حترم like a sound one ("7taremt", "7tarmat"); its past is also written with the MSA alif (احترم) and
its participles ("m7tarem" محترم, "mrta7a" مرتاحة) are generated too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from siyada.lang.verbspell import DIGRAPH, VOWELS, light, onset_cluster, spellings, stem_variants

__all__ = ["CLASSES", "HEADER", "Root", "expand", "light", "parse_root", "parse_roots", "spellings", "verb_table"]

CLASSES = frozenset({"sound", "weak", "hollow", "doubled", "II", "III", "quad", "V", "VIII", "X", "loan", "irregular"})
HEADER = "class\tpast_ar\tpast_latin\tpresent_ar\tpresent_latin\tflags"

Pair = tuple[str, str]  # (arabic, canonical latin)


# Past persons after the stem: 1s/2s, 2sf, 1p, 2p (consonant-initial), then 3sf, 3p.
_PAST_CONS = (("t", "ت"), ("ti", "تي"), ("na", "نا"), ("tou", "تو"))
_PAST_IT = (("it", "يت"), ("iti", "يتي"), ("ina", "ينا"), ("itou", "يتو"))
_PRESENT_PREFIX = (("n", "ن"), ("t", "ت"), ("y", "ي"))
_ASPECTS = (("", ""), ("ka", "ك"), ("ta", "ت"))
# Object pronouns: (latin after a consonant, latin after a vowel, arabic after a consonant,
# arabic after a vowel). "-h" is "-ou" after a consonant ("ktbou" كتبو) and "-h" after a vowel
# ("3tah" عطاه).
_OBJECTS = {
    "ni": ("ni", "ni", "ني", "ني"),
    "k": ("ek", "k", "ك", "ك"),
    "h": ("ou", "h", "و", "ه"),
    "ha": ("ha", "ha", "ها", "ها"),
    "na": ("na", "na", "نا", "نا"),
    "kom": ("kom", "kom", "كم", "كم"),
    "hom": ("hom", "hom", "هم", "هم"),
}
_DATIVES = (
    ("li", "لي"),
    ("liya", "ليا"),
    ("lia", "ليا"),
    ("lek", "لك"),
    ("lik", "ليك"),
    ("lih", "ليه"),
    ("lha", "لها"),
    ("lna", "لنا"),
    ("lkom", "لكم"),
    ("lhom", "لهم"),
)


@dataclass(slots=True, frozen=True)
class Root:
    cls: str
    past_ar: str
    past_lat: tuple[str, ...]
    pres_ar: str
    pres_lat: tuple[str, ...]
    imp_ar: str
    imp_lat: tuple[str, ...]
    alt_ar: str
    flags: frozenset[str]


def parse_root(line: str) -> Root:
    """One roots-file line -> ``Root``; ``ValueError`` with the reason when malformed."""
    parts = line.split("\t")
    if len(parts) != 6:
        raise ValueError("expected 6 tab-separated fields")
    cls, past_ar, past_lat, pres_ar, pres_lat, flag_text = parts
    if cls not in CLASSES:
        raise ValueError(f"unknown class {cls!r}")
    flags: set[str] = set()
    imp_ar, imp_lat, alt_ar = "", "", ""
    for flag in filter(None, flag_text.split(";")):
        if flag.startswith("imp="):
            imp_ar, _, imp_lat = flag[4:].partition(":")
        elif flag.startswith("alt="):
            alt_ar = flag[4:]
        elif flag in ("top", "dat", "q", "loan"):
            flags.add(flag)
        elif flag != "-":
            raise ValueError(f"unknown flag {flag!r}")
    pasts = _spellings_field(past_lat)
    if pres_ar == "-":
        if cls == "hollow":
            raise ValueError("a hollow verb needs its present stem")
        weak = past_ar.endswith("ا")
        pres_ar = past_ar[:-1] + "ي" if weak else past_ar
        pres_lat = ",".join(p[:-1] + "i" if weak else p for p in pasts)
    if cls == "VIII" and not alt_ar:  # "احترم" with the MSA alif is as common as "حترم"
        alt_ar = "ا" + past_ar
    return Root(
        cls,
        past_ar,
        pasts,
        pres_ar,
        _spellings_field(pres_lat),
        imp_ar,
        _spellings_field(imp_lat) if imp_lat else (),
        alt_ar,
        frozenset(flags),
    )


def _spellings_field(text: str) -> tuple[str, ...]:
    spellings = tuple(s for s in text.split(",") if s)
    if not spellings or any(not re.fullmatch(r"[a-z0-9]+", s) for s in spellings):
        raise ValueError(f"bad latin spellings {text!r}")
    return spellings


def parse_roots(text: str) -> list[Root]:
    roots: list[Root] = []
    header_seen = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            if line != HEADER:
                raise ValueError(f"line {lineno}: expected the header {HEADER!r}")
            continue
        try:
            roots.append(parse_root(line))
        except ValueError as exc:
            raise ValueError(f"line {lineno}: {exc}") from exc
    return roots


# --- Paradigm --------------------------------------------------------------------------------


def _past_kind(root: Root) -> str:
    if root.cls in ("hollow", "doubled"):
        return root.cls
    if root.cls == "VIII":  # 7taj (long a: past in -it), chtka (final weak), 7tarem (sound)
        if root.past_ar.endswith("ا"):
            return "weak"
        return "doubled" if "ا" in root.past_ar[1:] else "sound"
    return "weak" if root.past_ar.endswith("ا") else "sound"


def _hollow_short(lat: str, present: str) -> list[str]:
    c1, _, c2 = lat.partition("a")
    vowel = "o" if "ou" in present else "i" if "i" in present else ""
    return [c1 + "e" + c2] + ([c1 + vowel + c2] if vowel else [])


def past_forms(root: Root) -> list[tuple[str, Pair]]:
    """(person, (arabic, latin)) for the past: 3ms, 1s, 2sf, 1p, 2p, 3sf, 3p."""
    kind = _past_kind(root)
    ar = root.past_ar
    out: list[tuple[str, Pair]] = []
    for lat in stem_variants(root.past_lat):
        out.append(("3ms", (ar, lat)))
        if root.alt_ar:
            out.append(("3ms", (root.alt_ar, lat)))
        if kind == "weak":
            base, base_ar = lat[:-1], ar[:-1]
            cons = [(p, base + s, base_ar + a) for p, (s, a) in zip(("1s", "2sf", "1p", "2p"), _PAST_IT, strict=True)]
            out += [(p, (a, s)) for p, s, a in cons]
            out += [("3sf", (base_ar + "ات", base + "at")), ("3p", (base_ar + "او", base + "aw"))]
            continue
        if kind == "doubled":
            cons = [(p, lat + s, ar + a) for p, (s, a) in zip(("1s", "2sf", "1p", "2p"), _PAST_IT, strict=True)]
            out += [(p, (a, s)) for p, s, a in cons]
            out += [("3sf", (ar + "ات", lat + "at")), ("3p", (ar + "و", lat + "ou"))]
            continue
        shorts = _hollow_short(lat, root.pres_lat[0]) if kind == "hollow" else [lat]
        short_ar = ar[0] + ar[2:] if kind == "hollow" else ar
        for short in shorts:
            out += [
                (p, (short_ar + a, short + s)) for p, (s, a) in zip(("1s", "2sf", "1p", "2p"), _PAST_CONS, strict=True)
            ]
        if kind == "hollow":
            out += [("3sf", (ar + "ت", lat + "et")), ("3p", (ar + "و", lat + "ou"))]
        else:
            out += [("3sf", (ar + "ات", v + "at")) for v in _vowelled_light(root, lat)]
            out += [("3p", (ar + "و", v + "ou")) for v in _vowelled_light(root, lat)]
    return out


def _vowelled_light(root: Root, stem: str) -> list[str]:
    """Light stem, plus "ketb" for a form I "kteb" (people write the schwa they hear: "ketbat")."""
    lite = light(stem)
    out = [lite]
    if root.cls == "sound" and lite != stem and onset_cluster(stem):
        first = 2 if stem[:2] in DIGRAPH else 1
        out.append(lite[:first] + "E" + lite[first:])
    return out


def _present_kind(stem_ar: str, stem: str) -> str:
    if stem.endswith("i") and stem_ar.endswith("ي"):
        return "i"
    return "a" if stem.endswith("a") and stem_ar.endswith("ا") else "c"


def _present_stems(root: Root, stem_ar: str, stems: Iterable[str]) -> list[tuple[str, Pair]]:
    """(person-class, (arabic, latin)) without prefix: "s" singular, "f" 2sf, "p" plural."""
    out: list[tuple[str, Pair]] = []
    for stem in stem_variants(stems):
        kind = _present_kind(stem_ar, stem)
        out.append(("s", (stem_ar, stem)))
        if kind == "i":
            out += [("f", (stem_ar, stem)), ("p", (stem_ar + "و", stem + "w"))]
        elif kind == "a":
            out += [("f", (stem_ar + "ي", stem + "y")), ("p", (stem_ar + "و", stem + "w"))]
        elif root.cls == "doubled":
            out += [("f", (stem_ar + "ي", stem + "i")), ("p", (stem_ar + "و", stem + "ou"))]
        else:
            out += [("f", (stem_ar + "ي", v + "i")) for v in _vowelled_light(root, stem)]
            out += [("p", (stem_ar + "و", v + "ou")) for v in _vowelled_light(root, stem)]
    return out


def present_forms(root: Root) -> list[tuple[str, Pair]]:
    """(person, (arabic, latin)) for the bare present: 1s 2s 3ms, 2sf, 1p 2p 3p."""
    out: list[tuple[str, Pair]] = []
    for cls, (ar, lat) in _present_stems(root, root.pres_ar, root.pres_lat):
        prefixes = _PRESENT_PREFIX[1:2] if cls == "f" else _PRESENT_PREFIX
        for (p, pa), person in zip(prefixes, ("1", "2", "3") if cls != "f" else ("2",), strict=True):
            tag = person + ("p" if cls == "p" else "sf" if cls == "f" else "s")
            out.append((tag, (pa + ar, p + lat)))
            if onset_cluster(lat):
                out.append((tag, (pa + ar, p + "E" + lat)))
            if tag == "3s" and lat[0] not in VOWELS:
                out.append((tag, (pa + ar, "i" + lat)))
    return out


def imperative_forms(root: Root) -> list[tuple[str, Pair]]:
    if root.imp_ar:
        stems = _present_stems(root, root.imp_ar, root.imp_lat)
    else:
        stems = _present_stems(root, root.pres_ar, root.pres_lat)
    return [("imp" + cls, pair) for cls, pair in stems]


def _bare_only(tag: str, lat: str) -> bool:
    """A spelling typed in bare forms only: the epenthetic vowel ("nEkteb") or "i" for "y"
    ("ikteb") is rare after ka-/ta-/ma-/gha-."""
    return lat[1:2] == "E" or (tag == "3s" and lat.startswith("i"))


def _negate(pair: Pair) -> Pair:
    return "ما" + pair[0] + "ش", "ma" + pair[1] + "ch"


def _attach(pair: Pair, suffixes: Iterable[str], root: Root) -> list[Pair]:
    ar, lat = pair
    vowel_end = lat[-1] in VOWELS
    out: list[Pair] = []
    for key in suffixes:
        lat_c, lat_v, ar_c, ar_v = _OBJECTS[key]
        if vowel_end:
            out.append((ar + ar_v, lat + lat_v))
        elif lat_c[0] in VOWELS:
            out += [(ar + ar_c, v + lat_c) for v in _vowelled_light(root, lat)]
        else:
            out.append((ar + ar_c, lat + lat_c))
    return out


def _dative(pair: Pair) -> list[Pair]:
    ar, lat = pair
    if lat.endswith("l") and ar.endswith("ل"):  # "gal" + "li" -> "galli", "gali" قالي: one ل is written
        return [(ar[:-1] + a, v + s) for s, a in _DATIVES for v in (lat, lat[:-1])]
    return [(ar + a, lat + s) for s, a in _DATIVES]


def expand(root: Root) -> list[Pair]:
    """Every (arabic, canonical latin) form of one root, in a fixed order."""
    past = past_forms(root)
    present = present_forms(root)
    imperative = imperative_forms(root)
    out = [pair for _, pair in past]
    for lat_p, ar_p in _ASPECTS:
        for tag, (ar, lat) in present:
            if lat_p and _bare_only(tag, lat):
                continue
            out.append((ar_p + ar, lat_p + lat))
    out += [pair for _, pair in imperative]
    out += [_negate(pair) for _, pair in past if pair[0] != root.alt_ar]
    for tag, pair in present:
        if _bare_only(tag, pair[1]):
            continue
        out.append(_negate(("ك" + pair[0], "ka" + pair[1])))
        out.append(_negate(pair))
        out.append(("غا" + pair[0], "gha" + pair[1]))
    if root.cls == "VIII" and _past_kind(root) != "weak":
        out += _participles(root)
    if "top" in root.flags:
        out += _object_forms(root, past, present, imperative)
    if "dat" in root.flags:
        out += [
            d
            for tag, pair in past + imperative
            if tag in ("3ms", "imps") and pair[0] != root.alt_ar
            for d in _dative(pair)
        ]
    return out


def _participles(root: Root) -> list[Pair]:
    """Form VIII participles are everyday adjectives: "m7taj" محتاج, "mkhtalfa" مختلفة, "mrta7in" مرتاحين."""
    ar = "م" + root.past_ar
    out: list[Pair] = []
    for lat in root.past_lat:
        lite = light(lat)
        out += [(ar, "m" + lat), (ar + "ة", "m" + lite + "a"), (ar + "ين", "m" + lite + "in")]
    return out


def _object_forms(
    root: Root, past: list[tuple[str, Pair]], present: list[tuple[str, Pair]], imperative: list[tuple[str, Pair]]
) -> list[Pair]:
    everyone = tuple(_OBJECTS)
    others = ("k", "h", "ha", "kom", "hom")
    out: list[Pair] = []
    for tag, pair in past:
        if pair[0] == root.alt_ar:
            continue
        if tag == "3ms":
            out += _attach(pair, everyone, root)
        elif tag == "1s":
            out += _attach(pair, others, root)
    for tag, pair in imperative:
        if tag == "imps":
            out += _attach(pair, ("ni", "h", "ha", "na", "hom"), root)
    for tag, (ar, lat) in present:
        if _bare_only(tag, lat):
            continue
        if tag == "1s":
            out += _attach(("ك" + ar, "ka" + lat), others, root)
        elif tag == "3s":
            out += _attach(("ك" + ar, "ka" + lat), everyone, root)
    return out


def verb_table(roots: Iterable[Root]) -> list[tuple[str, list[str]]]:
    """(arabic, spellings) lines for all roots: one line per Arabic form, first occurrence first;
    a spelling seen under the same Arabic form is not repeated."""
    table: dict[str, list[str]] = {}
    for root in roots:
        for ar, lat in expand(root):
            known = table.setdefault(ar, [])
            known += [s for s in spellings(lat, root.flags) if s not in known]
    return list(table.items())
