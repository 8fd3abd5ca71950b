"""Citation accuracy of the sample agents in extractive mode.

For each sample agent, its ``eval.yaml`` lists 20 questions (French, MSA, Darija in Arabic script,
Arabizi), each with the document an answer must cite. An answer is correct when its first
citation is that document (``top1``); ``any`` counts a correct document anywhere in the citations;
``script`` counts answers quoting a passage in the reader's script (Arabic script for MSA, Darija
and Arabizi readers, Latin for French ones). Side by side, the baseline a user would otherwise
pick: plain retrieval, citing the knowledge base's top hit for the question as written
(``kb.search(q, top_k=1)``).

In the same run, the relevance gate (:mod:`siyada.agents.relevance`): ``refused`` is the share of
the answerable questions answered "not found" (false refusals; such an answer also counts as a
top-1 miss), and each agent's ``offtopic.yaml`` lists 10 questions its documents do not answer
(weather, football, recipes, other businesses' services), whose answer must cite nothing
(``correct refusal``). The baseline has no gate: it refuses nothing.

    python bench/agents.py [--home DIR] [--json]

Goal: top-1 ≥ 0.9 overall and ≥ 0.8 on Arabizi, as many off-topic refusals as that allows.
Uses the embedded embedder (multilingual-e5-small);
knowledge bases are built in ``--home`` (a temporary folder by default).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from siyada.agents.runner import AgentAnswer
from siyada.agents.service import AgentService, sample_dir
from siyada.backends.registry import ModelRegistry
from siyada.settings import load_settings
from siyada.types import Message

LANGS = ("fra_Latn", "arb_Arab", "ary_Arab", "ary_Latn")
# Counters per group: top1, any, baseline top1, n, script, refused, off-topic n, off-topic refused.
N_COUNTERS = 8


def _ask(service: AgentService, agent: str, question: str) -> AgentAnswer:
    return asyncio.run(service.answer(agent, [Message("user", question)], "extractive"))


def evaluate(home: Path) -> dict[str, object]:
    settings = load_settings(home=home, agents_dirs=[])
    service = AgentService(settings, ModelRegistry(settings))
    t0 = time.perf_counter()
    service.warm()
    warm_s = time.perf_counter() - t0
    tally: dict[str, dict[str, list[int]]] = {k: defaultdict(lambda: [0] * N_COUNTERS)
                                              for k in ("agent", "lang")}
    misses: list[dict[str, object]] = []

    def count(agent: str, lang: str, values: dict[int, int]) -> None:
        for key, group in (("agent", agent), ("lang", lang)):
            for i, v in values.items():
                tally[key][group][i] += v

    t0 = time.perf_counter()
    n = 0
    for agent in service.all():
        items = yaml.safe_load((sample_dir() / agent.spec.name / "eval.yaml").read_text(encoding="utf-8"))
        kb = service.knowledge().get(agent.spec.knowledge[0].name)
        for item in items:
            answer = _ask(service, agent.spec.name, item["q"])
            cited = [Path(c.source).name for c in answer.citations]
            base = [Path(h.source).name for h in kb.search(item["q"], top_k=1)]
            snippet = answer.citations[0].snippet if answer.citations else ""
            arabic = any("\u0600" <= ch <= "\u06ff" for ch in snippet)
            ok = [int(bool(cited) and cited[0] == item["doc"]), int(item["doc"] in cited),
                  int(bool(base) and base[0] == item["doc"]), 1, int(arabic is (item["lang"] != "fra_Latn")),
                  int(not answer.grounded)]
            count(agent.spec.name, item["lang"], dict(enumerate(ok)))
            if not ok[0]:
                misses.append({"agent": agent.spec.name, **item, "cited": cited[:1], **_signals(answer)})
            n += 1
        offtopic = yaml.safe_load((sample_dir() / agent.spec.name / "offtopic.yaml").read_text(encoding="utf-8"))
        for item in offtopic:
            answer = _ask(service, agent.spec.name, item["q"])
            count(agent.spec.name, item["lang"], {6: 1, 7: int(not answer.citations)})
            if answer.citations:
                misses.append({"agent": agent.spec.name, **item, "doc": "(none: off-topic)",
                               "cited": [Path(answer.citations[0].source).name], **_signals(answer)})
            n += 1
    answer_ms = (time.perf_counter() - t0) / max(n, 1) * 1000

    def rates(row: list[int]) -> dict[str, float]:
        return {"top1": row[0] / row[3], "any": row[1] / row[3], "baseline_top1": row[2] / row[3], "n": row[3],
                "script": row[4] / row[3], "refused": row[5] / row[3], "offtopic_n": row[6],
                "offtopic_refused": row[7] / max(row[6], 1)}

    total = [sum(r[i] for r in tally["agent"].values()) for i in range(N_COUNTERS)]
    return {"overall": rates(total), "by_agent": {k: rates(v) for k, v in tally["agent"].items()},
            "by_lang": {k: rates(tally["lang"][k]) for k in LANGS if k in tally["lang"]},
            "misses": misses, "warm_up_s": round(warm_s, 1), "ms_per_answer": round(answer_ms, 1)}


def _signals(answer: AgentAnswer) -> dict[str, object]:
    return {"relevance": answer.relevance.to_dict() if answer.relevance is not None else None}


def table(result: dict[str, object]) -> str:
    lines = ["| group | n | extractive top-1 | extractive any | reader's script | false refusals "
             "| baseline top-1 (plain search) | off-topic n | off-topic correct refusals (baseline 0) |",
             "|---|---|---|---|---|---|---|---|---|"]
    groups: list[tuple[str, Any]] = [("**overall**", result["overall"])]
    groups += [(f"agent {k}", v) for k, v in result["by_agent"].items()]  # type: ignore[attr-defined]
    groups += [(f"lang {k}", v) for k, v in result["by_lang"].items()]  # type: ignore[attr-defined]
    for name, r in groups:
        lines.append(f"| {name} | {r['n']} | {r['top1']:.2f} | {r['any']:.2f} | {r['script']:.2f} "
                     f"| {r['refused']:.2f} | {r['baseline_top1']:.2f} | {r['offtopic_n']} "
                     f"| {r['offtopic_refused']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="SIYADA_HOME to build the bases in (default: temporary).")
    parser.add_argument("--json", action="store_true", help="Print the full result as JSON.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = evaluate(args.home or Path(tmp))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(table(result))
    print(f"\nwarm-up (ingest 4 bases): {result['warm_up_s']} s; {result['ms_per_answer']} ms per answer")
    for m in result["misses"]:  # type: ignore[attr-defined]
        print(f"miss {m['agent']} {m['lang']}: {m['q']} -> {m['cited']} (want {m['doc']}) {m['relevance']}")


if __name__ == "__main__":
    main()
