"""Rebuild the package's trained data files: ``python -m siyada.lang.build [--shared DIR] [--out DIR]``.

Key decision: only text whose licence allows shipping goes in — NLLB-Seed (CC-BY-SA-4.0, see
``data/NOTICE.md``) and the text and word lists under ``data/corpus/`` and ``data/*.tsv`` written
by the Siyada authors. NLLB-Seed rows that appear in the development set
(``lang/lid_eval/lid_eval.tsv``, sources ``nllb_seed:<id>``) are left out so that development
numbers are not measured on training text. Arabizi training text is also synthesised by
transliterating NLLB-Seed Darija with our own Arabic -> Arabizi table. Output is deterministic.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from siyada.lang.arabizi import arabic_to_arabizi
from siyada.lang.features import LABELS, clean, word_features, words
from siyada.lang.lexicon import LM_ORDER, arabizi_lexicon, darija_lexicon, read_tsv
from siyada.lang.verbforms import parse_roots, verb_table

DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "corpus"
MIN_FEATURE_COUNT = 2
# Hand-written lines are few but close to real chat: count them several times.
HANDWRITTEN_WEIGHT = 3
MIN_DARIJA_MARKERS = 4
FREQUENT_WORDS = 20_000
MIN_VARIETY_LINES = 20
# Words seen this often in NLLB-Seed Darija join the transliteration word list.
MIN_WORD_COUNT = 2


def default_shared() -> Path:
    env = os.environ.get("SIYADA_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / ".." / "shared"


def read_seed(shared: Path) -> list[dict[str, str]]:
    path = shared / "data" / "lang" / "nllb_seed" / "parallel.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:]]
    held_out = dev_seed_ids(shared)
    return [r for r in rows if r.get("id") not in held_out]


def dev_seed_ids(shared: Path) -> set[str]:
    path = shared / "data" / "lang" / "lid_eval" / "lid_eval.tsv"
    if not path.exists():
        return set()
    ids = set()
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        source = line.split("\t")[-1]
        if source.startswith("nllb_seed:"):
            ids.add(source.split(":", 1)[1])
    return ids


def corpus_lines(name: str) -> list[str]:
    text = (CORPUS / name).read_text(encoding="utf-8")
    return [line.split("\t")[-1] for line in text.splitlines() if line.strip()]


def corpus_pairs() -> list[tuple[str, str]]:
    """Our Darija sentences written in both scripts (``corpus/ary_pairs.tsv``): (Arabizi, Arabic)."""
    return [(latin, arabic) for latin, arabic in read_tsv("corpus/ary_pairs.tsv", 2)]


def darija_markers() -> set[str]:
    rows = (DATA / "lid_markers.tsv").read_text(encoding="utf-8").splitlines()
    return {clean(r.split("\t")[0]) for r in rows if "\tary_Arab\t" in r}


# Writers' habits that our one-convention Arabic -> Arabizi table does not show: "sh" or "x" for
# ch, "5" for kh, "q" for 9, "u"/"ou" for o, digits dropped by those who never use them
# ("3" -> a, "7" -> h), and a schwa "e" between the first two consonants ("ktb" -> "kteb").
_STYLES: tuple[tuple[tuple[str, str], ...], ...] = (
    (("ch", "sh"), ("kh", "5"), ("o", "ou")),
    (("ch", "x"), ("9", "q"), ("o", "u")),
    (("3", "a"), ("7", "h"), ("9", "k"), ("2", "a")),
    (("kh", "5"), ("o", "ou"), ("gh", "gh")),
)
_SCHWA = re.compile(r"\b([bcdfghjklmnqrstvwxyz])([bdfjklmnqrstz])(?=[bdfjklmnqrstz]|\b)")


def spelling_variant(text: str, style: int) -> str:
    """``text`` (Arabizi from ``arabic_to_arabizi``) as a writer with habit ``style`` types it."""
    for old, new in _STYLES[style % len(_STYLES)]:
        text = text.replace(old, new)
    if style % 2:
        text = _SCHWA.sub(r"\1e\2", text)
    return text


def training_texts(seed: list[dict[str, str]]) -> dict[str, list[str]]:
    lexicon = arabizi_lexicon()
    ary_all = [r["ary_Arab"] for r in seed if r.get("ary_Arab")]
    # NLLB-Seed Darija is formal and often reads as MSA; for identification keep only the
    # sentences that carry at least one Darija function word, so that the Darija model learns
    # what marks Darija rather than what all written Arabic shares.
    markers = darija_markers()
    ary = [t for t in ary_all if sum(w in markers for w in words(clean(t))) >= MIN_DARIJA_MARKERS]
    texts: dict[str, list[str]] = {label: [] for label in LABELS}
    texts["ary_Arab"] += ary + sorted({w for ws in lexicon.values() for w in ws})
    arabizi = [arabic_to_arabizi(t) for t in ary_all]
    texts["ary_Latn"] += arabizi + [spelling_variant(t, i) for i, t in enumerate(arabizi)] + sorted(lexicon)
    texts["ber_Latn"] += [r["taq_Latn"] for r in seed if r.get("taq_Latn")]
    texts["zgh_Tfng"] += [r[c] for r in seed for c in ("zgh_Tfng", "taq_Tfng") if r.get(c)]
    texts["eng_Latn"] += [r["eng_Latn"] for r in seed if r.get("eng_Latn")]
    for label in ("ary_Arab", "arb_Arab", "ary_Latn", "ber_Latn", "fra_Latn", "eng_Latn", "spa_Latn"):
        texts[label] += corpus_lines(f"{label}.txt") * HANDWRITTEN_WEIGHT
    pairs = corpus_pairs()
    # Their Arabic side stays out of ary_Arab: it cost Darija recall on QADI (docs/languages.md).
    texts["ary_Latn"] += [latin for latin, _ in pairs] * HANDWRITTEN_WEIGHT
    return texts


def count_features(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        for word in words(clean(text)):
            counts.update(word_features(word))
    return counts


def frequent_words(texts: dict[str, list[str]], limit: int) -> list[str]:
    """The most frequent training words: their vectors are computed when the model loads."""
    counts: Counter[str] = Counter()
    for label_texts in texts.values():
        for text in label_texts:
            counts.update(words(clean(text)))
    return [w for w, _ in counts.most_common(limit)]


def build_lid(texts: dict[str, list[str]]) -> dict[str, object]:
    per_label = {label: count_features(texts[label]) for label in LABELS}
    table: dict[str, list[int]] = defaultdict(lambda: [0] * len(LABELS))
    for i, label in enumerate(LABELS):
        for feat, n in per_label[label].items():
            table[feat][i] = n
    kept = {f: v for f, v in sorted(table.items()) if sum(v) >= MIN_FEATURE_COUNT}
    totals = [sum(v[i] for v in kept.values()) for i in range(len(LABELS))]
    return {
        "labels": list(LABELS),
        "totals": totals,
        "features": kept,
        "frequent_words": frequent_words(texts, FREQUENT_WORDS),
    }


def build_variety() -> dict[str, object]:
    """Berber-in-Latin variety model (kab/shi/rif) from the hand-written lines only."""
    groups: dict[str, list[str]] = defaultdict(list)
    for line in (CORPUS / "ber_Latn.txt").read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            variety, text = line.split("\t", 1)
            groups[variety].append(text)
    # A variety with a handful of lines would win every unseen word (smoothing favours small
    # classes); Central Atlas (tzm) lines stay in ber_Latn training but get no variety of their own.
    labels = sorted(v for v, lines in groups.items() if len(lines) >= MIN_VARIETY_LINES)
    per = {v: count_features(groups[v]) for v in labels}
    feats = sorted(set().union(*per.values()))
    table = {f: [per[v].get(f, 0) for v in labels] for f in feats}
    totals = [sum(per[v].values()) for v in labels]
    return {"labels": labels, "totals": totals, "features": table}


def darija_word_list() -> set[str]:
    """Our hand-written Darija words in Arabic script (``data/ary_arab_words.txt``)."""
    text = (DATA / "ary_arab_words.txt").read_text(encoding="utf-8")
    return {w for line in text.splitlines() if not line.startswith("#") for w in words(clean(line))}


def build_arabic_lm(seed: list[dict[str, str]]) -> dict[str, object]:
    """Character model and word list of Arabic-script spelling for Arabizi -> Arabic ranking:
    NLLB-Seed Darija, our Darija and MSA lines (MSA shares most of Darija's written loanwords
    and learned vocabulary), both lexicons' words (verb paradigms excepted) and our Darija word
    list (counted 3 times each)."""
    freq: Counter[str] = Counter()
    sources = [r["ary_Arab"] for r in seed if r.get("ary_Arab")]
    sources += corpus_lines("ary_Arab.txt") + corpus_lines("arb_Arab.txt")
    sources += [arabic for _, arabic in corpus_pairs()]
    for text in sources:
        freq.update(w for w in words(clean(text)) if not any(c.isascii() for c in w))
    lexicon_words = {w for ws in arabizi_lexicon().values() for w in ws for w in w.split()}
    # Verb paradigms stay out: thousands of forms of ~120 roots would skew the letter statistics
    # towards those roots (measured: character error rate 0.127 -> 0.129 with them in).
    lexicon_words |= {w for ws in darija_lexicon(verbs=False).values() for w in ws}
    lexicon_words |= darija_word_list()
    for word in lexicon_words:
        freq[word] += 3
    # Full-order counts only: the Kneser-Ney model derives its shorter orders (``lexicon.CharLM``).
    grams: Counter[str] = Counter()
    for word, f in freq.items():
        s = "^" * (LM_ORDER - 1) + word + "$"
        for i in range(LM_ORDER - 1, len(s)):
            grams[s[i - LM_ORDER + 1 : i + 1]] += f
    vocab = sorted(w for w, f in freq.items() if f >= MIN_WORD_COUNT or w in lexicon_words)
    return {"grams": dict(sorted(grams.items())), "words": vocab}


VERBS_HEADER = """\
# Darija verb forms, GENERATED by `python -m siyada.lang.build --verbs-only` (siyada.lang.verbforms) from
# darija_verb_roots.tsv: do not edit by hand, edit the roots. The roots were written for Siyada by its authors
# (own knowledge of Moroccan Darija; not copied from any corpus). Forms: past, present with ka-/ta-,
# negation ma...ch, gha- future, imperative, object suffixes; Arabic script with the usual Arabizi spellings
# (comma-separated). A spelling listed under several Arabic words prefers the earlier line.
# Licence: the project's own (see NOTICE.md).
latin\tarabic
"""


def write_verbs(out: Path) -> int:
    """``darija_verbs.tsv`` from the hand-written ``darija_verb_roots.tsv``; returns its line count."""
    roots = parse_roots((DATA / "darija_verb_roots.tsv").read_text(encoding="utf-8"))
    lines = [f"{','.join(spellings)}\t{arabic}" for arabic, spellings in verb_table(roots)]
    (out / "darija_verbs.tsv").write_text(VERBS_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def write_gz(out: Path, name: str, data: object) -> int:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    blob = gzip.compress(raw, compresslevel=9, mtime=0)
    (out / name).write_bytes(blob)
    return len(blob)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=default_shared(), help="the shared data folder")
    parser.add_argument("--out", type=Path, default=DATA, help="where to write (default: the package data folder)")
    parser.add_argument("--verbs-only", action="store_true", help="write only darija_verbs.tsv (needs no shared data)")
    args = parser.parse_args(argv)
    if args.verbs_only:
        print(f"wrote {args.out / 'darija_verbs.tsv'} ({write_verbs(args.out)} lines)")
        return 0
    seed_path = args.shared / "data" / "lang" / "nllb_seed" / "parallel.tsv"
    if not seed_path.exists():
        print(f"error: NLLB-Seed not found at {seed_path} (use --shared or $SIYADA_SHARED)", file=sys.stderr)
        return 2
    seed = read_seed(args.shared)
    print(f"wrote {args.out / 'darija_verbs.tsv'} ({write_verbs(args.out)} lines)")
    sizes = {
        "ary_arab_charlm.json.gz": write_gz(args.out, "ary_arab_charlm.json.gz", build_arabic_lm(seed)),
        "lid_model.json.gz": write_gz(args.out, "lid_model.json.gz", build_lid(training_texts(seed))),
        "ber_variety.json.gz": write_gz(args.out, "ber_variety.json.gz", build_variety()),
    }
    for name, size in sizes.items():
        print(f"wrote {args.out / name} ({size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
