"""Citation accuracy and the relevance gate, on new organisations' mixed-language bases.

Two families of agents, each answered in extractive mode (the embedded default):

- **orgs** (``bench/orgs/``, see ``bench/orgsets.py``): organisations whose documents are each in
  one language (French, MSA or Darija in Arabic script), asked in French, MSA, Darija and Arabizi,
  mostly in a language other than their document's; split into *tune* and *check* halves, plus
  organisations held out whole (*check* only). Reported per split, per question language and as
  a question-language × document-language matrix.
- **samples** (the four sample agents; each document in three languages; the questions the
  previous gate was chosen on): kept beside them as a regression check.

An answer is correct when its first citation is the named document (``top1``); ``refused`` is the
share of answerable questions answered "not found" (false refusals; they count as misses);
off-topic questions (``kind`` far or near) must cite nothing. Side by side, in the same run, the
baseline a user would otherwise have: ``siyada kb search`` with the question as written —
``search@1`` and ``search@3`` (the right document among the first 1 or 3 hits) with the default
mode, and ``keys@1`` with ``hybrid_keys`` (the retrieval before the concept bridge). Search has
no gate: it refuses nothing.

    python bench/agents.py [--split tune|check|both] [--only orgs|samples] [--json FILE] [--misses]

Goal (issue 9): on *check*, top-1 ≥ 0.90 overall and ≥ 0.85 per question language, false refusals
≤ 0.05, off-topic refused ≥ 0.85, search@3 ≥ 0.95.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from orgsets import LANGS, ORGS_DIR, SPLITS, Question, load, orgs
from siyada.agents.runner import AgentAnswer
from siyada.agents.service import AgentService, sample_dir
from siyada.backends.registry import ModelRegistry
from siyada.settings import load_settings
from siyada.types import Message

DOC_LANGS = ("fra_Latn", "arb_Arab", "ary_Arab")


def sample_questions() -> list[Question]:
    out = []
    for folder in sorted(p for p in sample_dir().iterdir() if (p / "eval.yaml").is_file()):
        for it in yaml.safe_load((folder / "eval.yaml").read_text(encoding="utf-8")):
            out.append(Question(folder.name, it["q"], it["lang"], it["doc"], "mixed", "samples"))
        for it in yaml.safe_load((folder / "offtopic.yaml").read_text(encoding="utf-8")):
            out.append(Question(folder.name, it["q"], it["lang"], None, None, "samples", "far"))
    return out


def _ask(service: AgentService, agent: str, question: str) -> AgentAnswer:
    return asyncio.run(service.answer(agent, [Message("user", question)], "extractive"))


def run_question(service: AgentService, q: Question) -> dict[str, Any]:
    answer = _ask(service, q.org, q.q)
    kb = service.knowledge().get(service.get(q.org).spec.knowledge[0].name)
    cited = [Path(c.source).name for c in answer.citations]
    hits = [Path(h.source).name for h in kb.search(q.q, top_k=3)]
    keys = [Path(h.source).name for h in kb.search(q.q, top_k=1, mode="hybrid_keys")]
    row: dict[str, Any] = {
        "org": q.org,
        "split": q.split,
        "lang": q.lang,
        "doc": q.doc,
        "doc_lang": q.doc_lang,
        "kind": q.kind,
        "q": q.q,
        "cited": cited[:1],
        "relevance": answer.relevance.to_dict() if answer.relevance is not None else None,
    }
    if q.doc is None:
        row["refused"] = not answer.citations
        return row
    row.update(
        top1=bool(cited) and cited[0] == q.doc,
        refused=not answer.grounded,
        search1=hits[:1] == [q.doc],
        search3=q.doc in hits,
        keys1=keys == [q.doc],
    )
    return row


def rates(rows: list[dict[str, Any]]) -> dict[str, Any]:
    ans = [r for r in rows if r["doc"] is not None]
    off = [r for r in rows if r["doc"] is None]
    near = [r for r in off if r["kind"] == "near"]

    def share(items: list[dict[str, Any]], key: str) -> float | None:
        return round(sum(bool(r[key]) for r in items) / len(items), 3) if items else None

    return {
        "n": len(ans),
        "top1": share(ans, "top1"),
        "refused": share(ans, "refused"),
        "search1": share(ans, "search1"),
        "search3": share(ans, "search3"),
        "keys1": share(ans, "keys1"),
        "offtopic_n": len(off),
        "offtopic_refused": share(off, "refused"),
        "near_n": len(near),
        "near_refused": share(near, "refused"),
    }


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for split in sorted({r["split"] for r in rows}):
        part = [r for r in rows if r["split"] == split]
        out[split] = {
            "overall": rates(part),
            "by_lang": {lang: rates([r for r in part if r["lang"] == lang]) for lang in LANGS},
            "by_org": {org: rates([r for r in part if r["org"] == org]) for org in sorted({r["org"] for r in part})},
            "cross_language": rates([r for r in part if r["doc"] and _cross(r)]),
            "matrix": {
                lang: {
                    d: rates([r for r in part if r["lang"] == lang and r["doc_lang"] == d])["top1"] for d in DOC_LANGS
                }
                for lang in LANGS
            },
        }
    return out


def _cross(row: dict[str, Any]) -> bool:
    """A question asked in a language other than its document's (Arabizi counts as Darija)."""
    lang = "ary_Arab" if row["lang"] == "ary_Latn" else row["lang"]
    return row["doc_lang"] not in (None, "mixed", lang)


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def table(summary: dict[str, Any]) -> str:
    lines = []
    for split, s in summary.items():
        lines += [
            f"\n### {split}\n",
            "| group | n | top-1 | false refusals | search@1 | search@3 | keys@1 "
            "| off-topic n | off-topic refused | near n | near refused |",
            "|---" * 11 + "|",
        ]
        groups = [("**overall**", s["overall"]), ("cross-language", s["cross_language"])]
        groups += [(f"lang {k}", v) for k, v in s["by_lang"].items()]
        groups += [(f"org {k}", v) for k, v in s["by_org"].items()]
        for name, r in groups:
            lines.append(
                f"| {name} | {r['n']} | {_fmt(r['top1'])} | {_fmt(r['refused'])} | {_fmt(r['search1'])} "
                f"| {_fmt(r['search3'])} | {_fmt(r['keys1'])} | {r['offtopic_n']} "
                f"| {_fmt(r['offtopic_refused'])} | {r['near_n']} | {_fmt(r['near_refused'])} |"
            )
        if split != "samples":
            lines += ["", "| question \\ document | " + " | ".join(DOC_LANGS) + " |", "|---|---|---|---|"]
            lines += [
                f"| {lang} | " + " | ".join(_fmt(v) for v in row.values()) + " |" for lang, row in s["matrix"].items()
            ]
    return "\n".join(lines)


def evaluate(home: Path, splits: set[str], only: str | None) -> dict[str, Any]:
    dirs = [] if only == "samples" else [ORGS_DIR]
    settings = load_settings(home=home, agents_dirs=dirs, load_sample_agents=only != "orgs")
    service = AgentService(settings, ModelRegistry(settings))
    t0 = time.perf_counter()
    service.warm()
    warm_s = time.perf_counter() - t0
    questions = [] if only == "samples" else [q for org in orgs() for q in load(org) if q.split in splits]
    if only != "orgs":
        questions += sample_questions()
    t0 = time.perf_counter()
    rows = [run_question(service, q) for q in questions]
    per_answer = (time.perf_counter() - t0) / max(len(rows), 1) * 1000
    return {
        "summary": summarise(rows),
        "rows": rows,
        "warm_up_s": round(warm_s, 1),
        "ms_per_question": round(per_answer, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="SIYADA_HOME to build the bases in (default: temporary).")
    parser.add_argument("--split", choices=[*SPLITS, "both"], default="both")
    parser.add_argument("--only", choices=["orgs", "samples"])
    parser.add_argument("--json", type=Path, help="Write the full result (every question) to this file.")
    parser.add_argument("--misses", action="store_true", help="Print every miss and wrong refusal.")
    args = parser.parse_args()
    splits = set(SPLITS) if args.split == "both" else {args.split}
    with tempfile.TemporaryDirectory() as tmp:
        result = evaluate(args.home or Path(tmp), splits, args.only)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(table(result["summary"]))
    print(f"\nwarm-up (ingest): {result['warm_up_s']} s; {result['ms_per_question']} ms per question")
    if args.misses:
        for r in result["rows"]:
            if (r["doc"] and not r["top1"]) or (r["doc"] is None and not r["refused"]):
                print(
                    f"miss {r['split']} {r['org']} {r['lang']}: {r['q']} -> {r['cited']} (want {r['doc']}) "
                    f"{r['relevance']}"
                )


if __name__ == "__main__":
    main()
