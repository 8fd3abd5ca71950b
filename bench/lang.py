"""Moroccan language ID and transliteration, side by side with what users would otherwise pick.

Runs on the development half of the shared data (``../shared/data/lang`` or ``$SIYADA_SHARED``):

1. Language ID on ``lid_eval/lid_eval.tsv``: per-label precision/recall/F1, macro-F1 and the
   confusion matrix for ``siyada.lang.identify``; py3langid, langid and lingua on the same texts,
   scored at the coarse level (Arabic / Berber / French / English / Spanish / other) since they
   have no Darija, Arabizi or Tamazight labels, and at our fine level with ``ar`` read as MSA.
2. Speed: texts/s on one core over the same texts, for every system, best of 15 passes (5 for
   langid, 2 for lingua), the passes of all systems interleaved round-robin, because the machine is shared.
   Ours empty: word cache emptied before each pass (every word scored from its n-grams, the first
   sight of new text); cold: reset to the 20,000 frequent training words scored when the model
   loads; warm: every word of the dev set already seen, the steady state of a long-running
   service.
3. Transliteration on DODa gold words (``doda/translit_words.tsv`` rows not from ``x-tra/``):
   character error rate of the top candidate, top-1 and top-5 exact match, overall and on the
   words whose spelling is in neither hand-written lexicon (the decoder alone); Tifinagh <-> Latin
   exact match on ``ircam_tifinagh/translit_pairs_derived.tsv``.

    python bench/lang.py [--shared DIR] [--json OUT.json] [--skip-libs] [--translit-only] [--split tune|check|both]

Tune / check split (issue 9): a row is *check* when the first byte of sha1(key) is odd, else
*tune* (key: the Latin word of a DODa word, the text of a ``lid_eval`` row). Weights, rules and
costs are chosen on *tune* only; *check* is reported, never studied. Speed is measured on the
whole dev set either way (it does not depend on the labels).

Label mapping of the 13 fine dev labels onto ours: kab/shi/rif/taq/ber_Latn -> ber_Latn (the
first three also score the ``variety``), taq_Tfng/ber_Tfng -> zgh_Tfng.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

FINE_MAP = {
    "kab_Latn": "ber_Latn",
    "shi_Latn": "ber_Latn",
    "rif_Latn": "ber_Latn",
    "taq_Latn": "ber_Latn",
    "taq_Tfng": "zgh_Tfng",
    "ber_Tfng": "zgh_Tfng",
}
VARIETY = {"kab_Latn": "kab", "shi_Latn": "shi", "rif_Latn": "rif"}
COARSE = {
    "ary_Arab": "ara",
    "arb_Arab": "ara",
    "ary_Latn": "ara",
    "zgh_Tfng": "ber",
    "ber_Latn": "ber",
    "fra_Latn": "fra",
    "eng_Latn": "eng",
    "spa_Latn": "spa",
}
# Best of N passes: many for the fast systems (a pass is ~0.1 s, easily disturbed by other jobs
# on a shared machine), fewer for the slow ones.
REPEATS = {"lingua": 2, "langid": 5}
FAST_REPEATS = 15
ISO_FINE = {"ar": "arb_Arab", "fr": "fra_Latn", "en": "eng_Latn", "es": "spa_Latn", "kab": "ber_Latn"}
SPLITS = ("tune", "check")


def split_of(key: str) -> str:
    """ "check" when the first byte of sha1(key) is odd, else "tune": stable across runs and
    machines, independent of row order."""
    return "check" if hashlib.sha1(key.encode("utf-8")).digest()[0] & 1 else "tune"


def splits_of(arg: str) -> tuple[str, ...]:
    return SPLITS if arg == "both" else (arg,)


def shared_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    if os.environ.get("SIYADA_SHARED"):
        return Path(os.environ["SIYADA_SHARED"])
    return Path(__file__).resolve().parents[1] / ".." / "shared"


def read_tsv(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line]


def prf(gold: Sequence[str], pred: Sequence[str]) -> tuple[dict[str, dict[str, float]], float]:
    table: dict[str, dict[str, float]] = {}
    for label in sorted(set(gold)):
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, pred, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[label] = {"precision": precision, "recall": recall, "f1": f1, "support": gold.count(label)}
    macro = sum(v["f1"] for v in table.values()) / len(table)
    return table, macro


def interleaved_rates(
    systems: dict[str, Callable[[list[str]], list[str]]],
    texts: list[str],
    repeats: dict[str, int],
    setup: dict[str, Callable[[], None]],
) -> tuple[dict[str, list[str]], dict[str, float], dict[str, float]]:
    """Outputs and best texts/s per system (CPU time, wall time). Passes are interleaved round-robin so that load from
    other processes on this shared machine falls on every system alike; best = least disturbed."""
    outputs: dict[str, list[str]] = {}
    best: dict[str, float] = dict.fromkeys(systems, 0.0)
    best_wall: dict[str, float] = dict.fromkeys(systems, 0.0)
    for rep in range(max(repeats.values())):
        for name, fn in systems.items():
            if rep >= repeats[name]:
                continue
            if name in setup:
                setup[name]()  # untimed
            # CPU time of this process, not wall time: on a shared machine, time spent waiting for
            # the core while other jobs run is not ours (wall-clock rates are in the JSON).
            start, start_wall = time.process_time(), time.perf_counter()
            outputs[name] = fn(texts)
            best[name] = max(best[name], len(texts) / max(1e-9, time.process_time() - start))
            best_wall[name] = max(best_wall[name], len(texts) / (time.perf_counter() - start_wall))
    return outputs, best, best_wall


def library_systems() -> dict[str, Callable[[list[str]], list[str]]]:
    systems: dict[str, Callable[[list[str]], list[str]]] = {}
    try:
        import py3langid

        py3langid.classify("warm up")
        systems["py3langid"] = lambda texts: [py3langid.classify(t)[0] for t in texts]
    except ImportError:
        print("py3langid not installed (pip install 'siyada[bench]')", file=sys.stderr)
    try:
        import langid

        langid.classify("warm up")
        systems["langid"] = lambda texts: [langid.classify(t)[0] for t in texts]
    except ImportError:
        print("langid not installed (pip install 'siyada[bench]')", file=sys.stderr)
    try:
        from lingua import LanguageDetectorBuilder

        detector = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

        def lingua_codes(texts: list[str]) -> list[str]:
            out = []
            for t in texts:
                lang = detector.detect_language_of(t)
                out.append(lang.iso_code_639_1.name.lower() if lang is not None else "und")
            return out

        systems["lingua"] = lingua_codes
    except ImportError:
        print("lingua-language-detector not installed (pip install 'siyada[bench]')", file=sys.stderr)
    return systems


def bench_lid(shared: Path, skip_libs: bool, splits: Sequence[str] = SPLITS) -> dict[str, Any]:
    from siyada.lang import identify_batch
    from siyada.lang.lid import _lid_model

    rows = read_tsv(shared / "data" / "lang" / "lid_eval" / "lid_eval.tsv")
    texts = [r[0] for r in rows]
    load_start = time.perf_counter()
    _lid_model()
    load_s = time.perf_counter() - load_start
    model = _lid_model()

    def ours(ts: list[str]) -> list[str]:
        return [r.label for r in identify_batch(ts)]

    systems_fn: dict[str, Callable[[list[str]], list[str]]] = {
        "siyada (empty)": ours,
        "siyada (cold)": ours,
        "siyada (warm)": ours,
    }
    if not skip_libs:
        systems_fn.update(library_systems())
    repeats = {name: REPEATS.get(name, FAST_REPEATS) for name in systems_fn}
    setup = {
        "siyada (empty)": lambda: model.clear_cache(keep_frequent=False),
        "siyada (cold)": model.clear_cache,
    }
    # Speed over the whole dev set, whatever the split: it does not read the labels.
    outputs, rates, wall_rates = interleaved_rates(systems_fn, texts, repeats, setup)
    details = identify_batch(texts)
    side = [split_of(t) for t in texts]
    results: dict[str, Any] = {
        "n": len(texts),
        "load_s": load_s,
        "texts_per_s": rates,
        "texts_per_s_wall": wall_rates,
        "splits": {},
    }
    for name in splits:
        keep = [i for i in range(len(rows)) if side[i] == name]
        results["splits"][name] = lid_quality(
            [rows[i] for i in keep],
            [outputs["siyada (cold)"][i] for i in keep],
            [details[i] for i in keep],
            {n: [codes[i] for i in keep] for n, codes in outputs.items() if not n.startswith("siyada")},
        )
    return results


def lid_quality(
    rows: list[list[str]], ours_pred: list[str], details: list[Any], libs: dict[str, list[str]]
) -> dict[str, Any]:
    """Per-label precision/recall/F1, macro-F1, confusion and Berber variety for ``rows``; the
    libraries at the coarse level and at ours with ``ar`` read as MSA."""
    gold = [FINE_MAP.get(r[1], r[1]) for r in rows]
    table, macro = prf(gold, ours_pred)
    confusion = Counter(zip(gold, ours_pred, strict=True))
    varieties = [(VARIETY[r[1]], d.variety) for r, d in zip(rows, details, strict=True) if r[1] in VARIETY]
    given = sum(v is not None for _, v in varieties)
    results: dict[str, Any] = {
        "n": len(rows),
        "ours": {
            "per_label": table,
            "macro_f1": macro,
            "confusion": {f"{g} -> {p}": n for (g, p), n in sorted(confusion.items())},
            "variety": {
                "rows": len(varieties),
                "given": given,
                "correct_when_given": sum(g == v for g, v in varieties) / max(1, given),
            },
        },
    }
    gold_coarse = [COARSE[g] for g in gold]
    systems: dict[str, list[str]] = {"siyada": [COARSE.get(p, "other") for p in ours_pred]}
    fine_tables: dict[str, float] = {"siyada": macro}
    for name, codes in libs.items():
        systems[name] = [COARSE.get(ISO_FINE.get(c, ""), "other") for c in codes]
        fine_tables[name] = prf(gold, [ISO_FINE.get(c, "und") for c in codes])[1]
        arabizi = [c for c, g in zip(codes, gold, strict=True) if g == "ary_Latn"]
        results[name] = {"arabizi_as_arabic": arabizi.count("ar") / max(1, len(arabizi))}
    for name, coarse in systems.items():
        acc = sum(g == p for g, p in zip(gold_coarse, coarse, strict=True)) / max(1, len(gold))
        results.setdefault(name, {}).update(
            {
                "coarse_accuracy": acc,
                "coarse_macro_f1": prf(gold_coarse, coarse)[1],
                "fine_macro_f1": fine_tables.get(name),
            }
        )
    return results


def cer(a: str, b: str) -> float:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] / max(1, len(b))


def doda_gold_words(shared: Path) -> list[list[str]]:
    """DODa gold words: ``doda/translit_words.tsv`` rows not from ``x-tra/`` (silver)."""
    path = shared / "data" / "lang" / "doda" / "translit_words.tsv"
    return [r for r in read_tsv(path) if not r[4].startswith("x-tra/")]


def translit_scores(rows: list[list[str]]) -> dict[str, Any]:
    """CER of the top candidate, top-1 and top-5 exact match over ``rows`` (latin, arabic, ...),
    overall and on the words in neither hand-written lexicon (the decoder alone). Each row goes
    through the public entry point, ``transliterate(latin, to="Arab")``, so the 142 rows of two
    or more words ("tlata w 3chrin") are read word by word. Both sides are normalised the same
    way (``normalize``: diacritics removed, alef forms and alef maqsura folded); CER is the mean
    of the per-word rates."""
    from siyada.lang import normalize, transliterate
    from siyada.lang.arabizi import lexicon_words

    errors = top1 = top5 = 0.0
    oov = {"words": 0, "cer": 0.0, "top1": 0.0, "top5": 0.0}
    start = time.perf_counter()
    for latin, arabic, *_ in rows:
        gold = normalize(arabic)
        cands = [normalize(c) for c in transliterate(latin, to="Arab", n=5).candidates]
        errors += cer(cands[0], gold)
        top1 += cands[0] == gold
        top5 += gold in cands
        if not lexicon_words(latin.lower()):
            oov["words"] += 1
            oov["cer"] += cer(cands[0], gold)
            oov["top1"] += cands[0] == gold
            oov["top5"] += gold in cands
    rate = len(rows) / max(1e-9, time.perf_counter() - start)
    for key in ("cer", "top1", "top5"):
        oov[key] /= max(1, oov["words"])
    n = max(1, len(rows))
    return {
        "doda_words": len(rows),
        "cer": errors / n,
        "top1": top1 / n,
        "top5": top5 / n,
        "words_per_s": rate,
        "out_of_lexicon": oov,
    }


def bench_translit(shared: Path, splits: Sequence[str] = SPLITS) -> dict[str, Any]:
    from siyada.lang.arabizi import warm_up
    from siyada.lang.tifinagh import latin_to_tifinagh, tifinagh_to_latin

    rows = doda_gold_words(shared)
    # Loading and indexing the lexicons (~400,000 spellings) is timed apart from decoding.
    load_start = time.perf_counter()
    warm_up()
    load_s = time.perf_counter() - load_start
    results: dict[str, Any] = {"lexicon_load_s": load_s, "splits": {}}
    for name in splits:
        results["splits"][name] = translit_scores([r for r in rows if split_of(r[0]) == name])
    pairs = read_tsv(shared / "data" / "lang" / "ircam_tifinagh" / "translit_pairs_derived.tsv")
    exact = sum(
        (tifinagh_to_latin(t) == lat) if d == "tfng->latn" else (latin_to_tifinagh(lat) == t) for t, lat, _, d in pairs
    )
    results["tifinagh_pairs"] = len(pairs)
    results["tifinagh_exact"] = exact / len(pairs)
    return results


def confusion_table(confusion: dict[str, int]) -> list[str]:
    pairs = {tuple(k.split(" -> ")): n for k, n in confusion.items()}
    gold = sorted({g for g, _ in pairs})
    pred = sorted({p for _, p in pairs} | set(gold))
    lines = ["| gold \\ predicted | " + " | ".join(pred) + " |", "|---|" + "---:|" * len(pred)]
    for g in gold:
        lines.append(f"| {g} | " + " | ".join(str(pairs.get((g, p), "")) for p in pred) + " |")
    return lines


def report(lid: dict[str, Any], tr: dict[str, Any]) -> str:
    splits = list(lid["splits"])
    parts = lid["splits"]
    head = " | ".join(f"{name} P | {name} R | {name} F1 | {name} n" for name in splits)
    lines = [
        f"### Language ID, dev set ({lid['n']} texts: "
        + ", ".join(f"{parts[name]['n']} {name}" for name in splits)
        + ")",
        "",
        f"| label | {head} |",
        "|---|" + "---:|" * (4 * len(splits)),
    ]
    labels = sorted({label for name in splits for label in parts[name]["ours"]["per_label"]})
    for label in labels:
        cells = []
        for name in splits:
            v = parts[name]["ours"]["per_label"].get(label)
            cells += (
                [f"{v['precision']:.3f}", f"{v['recall']:.3f}", f"{v['f1']:.3f}", str(v["support"])]
                if v
                else ["", "", "", "0"]
            )
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append(
        "| **macro** | " + " | ".join(f" | | **{parts[name]['ours']['macro_f1']:.3f}** | " for name in splits) + " |"
    )
    rates = lid["texts_per_s"]
    lines += [
        "",
        f"Speed (whole dev set, 1 core, CPU time): siyada {rates['siyada (empty)']:,.0f} empty / "
        f"{rates['siyada (cold)']:,.0f} cold / {rates['siyada (warm)']:,.0f} warm texts/s"
        + "".join(f"; {n} {rates[n]:,.0f}" for n in ("py3langid", "langid", "lingua") if n in rates)
        + ".",
    ]
    for name in splits:
        lines += ["", *report_lid_split(name, parts[name])]
    lines += ["", *report_translit(tr)]
    return "\n".join(lines)


def report_lid_split(name: str, part: dict[str, Any]) -> list[str]:
    lines = [
        f"#### {name} ({part['n']} texts)",
        "",
        "| system | coarse acc. | coarse macro-F1 | fine macro-F1 |",
        "|---|---:|---:|---:|",
    ]
    for system in ("siyada", "py3langid", "langid", "lingua"):
        if system in part:
            r = part[system]
            lines.append(
                f"| {system} | {r['coarse_accuracy']:.3f} | {r['coarse_macro_f1']:.3f} | {r['fine_macro_f1']:.3f} |"
            )
    libs = [n for n in ("py3langid", "langid", "lingua") if n in part]
    if libs:
        lines += [
            "",
            "Arabizi read as Arabic (`ar`) by the libraries: "
            + ", ".join(f"{n} {part[n]['arabizi_as_arabic']:.1%}" for n in libs),
        ]
    v = part["ours"]["variety"]
    lines += [
        f"Berber variety (kab/shi/rif rows): given for {v['given']}/{v['rows']}, "
        f"correct when given {v['correct_when_given']:.1%}.",
        "",
        "Confusion matrix (rows: gold, columns: predicted):",
        "",
        *confusion_table(part["ours"]["confusion"]),
    ]
    return lines


def report_translit(tr: dict[str, Any]) -> list[str]:
    lines = [
        "### Transliteration",
        "",
        f"DODa gold words, lexicons loaded in {tr['lexicon_load_s']:.2f} s.",
        "",
        "| split | words | CER | top-1 | top-5 | not in lexicons | CER | top-1 | top-5 | words/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, part in tr["splits"].items():
        oov = part["out_of_lexicon"]
        lines.append(
            f"| {name} | {part['doda_words']} | {part['cer']:.4f} | {part['top1']:.3f} | {part['top5']:.3f} | "
            f"{oov['words']} | {oov['cer']:.4f} | {oov['top1']:.3f} | {oov['top5']:.3f} | {part['words_per_s']:,.0f} |"
        )
    lines += ["", f"Tifinagh <-> Latin pairs: {tr['tifinagh_exact']:.1%} exact of {tr['tifinagh_pairs']}."]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", help="shared data folder (default ../shared or $SIYADA_SHARED)")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--skip-libs", action="store_true", help="do not run py3langid, langid, lingua")
    parser.add_argument("--translit-only", action="store_true", help="only the transliteration part (seconds)")
    parser.add_argument(
        "--split", choices=("tune", "check", "both"), default="both", help="which half to score (default both)"
    )
    args = parser.parse_args()
    shared = shared_dir(args.shared)
    if not (shared / "data" / "lang").is_dir():
        print(f"error: no development data at {shared}/data/lang (use --shared or $SIYADA_SHARED)", file=sys.stderr)
        return 2
    splits = splits_of(args.split)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core for every system
    if args.translit_only:
        tr = bench_translit(shared, splits)
        print("\n".join(report_translit(tr)))
        if args.json:
            args.json.write_text(json.dumps({"translit": tr}, indent=2, ensure_ascii=False))
        return 0
    lid = bench_lid(shared, args.skip_libs, splits)
    tr = bench_translit(shared, splits)
    print(report(lid, tr))
    if args.json:
        args.json.write_text(json.dumps({"lid": lid, "translit": tr}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
