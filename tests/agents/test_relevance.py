"""The relevance gate: off-topic questions get "not found" in the reader's language, no citation and
``grounded: false`` — over the runner, HTTP (agent:bank) and the CLI — while answerable questions
still cite their document. Sample agents over the embedded embedder, as in test_samples.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from siyada.agents.prompts import message
from siyada.agents.relevance import BaseRelevance, judge
from siyada.agents.spec import AnswerSettings, parse_spec
from siyada.types import Message

OFF_TOPIC = [  # (question, reply language): from the bank's offtopic.yaml
    ("Quel temps fera-t-il à Paris demain ?", "fra_Latn"),
    ("كيفاش نطيب الكسكس بالخضرة؟", "ary_Arab"),
    ("kifach nsowb l7rira dyal ramdan?", "ary_Latn"),
    ("ما هي عاصمة اليابان؟", "arb_Arab"),
]


def _base(closeness: float | None, threshold: float | None, coverage: float = 0.0) -> BaseRelevance:
    return BaseRelevance(closeness, coverage, 0.0, threshold, keyword_weight=0.3, concept_weight=0.0)


def test_judge_compares_each_base_with_its_own_threshold() -> None:
    settings = AnswerSettings()
    assert judge([_base(0.84, 0.83)], settings, has_passages=True).grounded  # type: ignore[union-attr]
    off = judge([_base(0.82, 0.83)], settings, has_passages=True)
    assert off is not None and not off.grounded and off.threshold == 0.83
    # Two bases: the question passes when one of them passes, and the passing one is reported.
    both = judge([_base(0.80, 0.83), _base(0.90, 0.95, coverage=1.0)], settings, has_passages=True)
    assert both is not None and both.grounded and both.score == pytest.approx(1.2)
    assert not judge([_base(0.99, 0.5)], settings, has_passages=False).grounded  # type: ignore[union-attr]


def test_spec_overrides_the_calibrated_threshold() -> None:
    fixed = judge([_base(0.84, 0.83)], AnswerSettings(min_relevance=0.9), has_passages=True)
    assert fixed is not None and not fixed.grounded and fixed.threshold == 0.9
    weighted = judge(
        [_base(0.84, 0.83, coverage=1.0)], AnswerSettings(min_relevance=0.9, keyword_weight=0.1), has_passages=True
    )
    assert weighted is not None and weighted.grounded and weighted.score == pytest.approx(0.94)
    assert judge([_base(0.1, 0.83)], AnswerSettings(min_relevance=0), has_passages=True) is None  # gate off


def test_empty_base_leaves_the_gate_open() -> None:
    assert judge([_base(None, None)], AnswerSettings(), has_passages=True).grounded  # type: ignore[union-attr]
    assert judge([_base(0.5, None)], AnswerSettings(), has_passages=True).grounded  # type: ignore[union-attr]


def test_spec_answer_settings_are_optional_and_validated() -> None:
    base = "name: a\ndescription: d\ninstructions: i\n"
    assert parse_spec(base).answer.min_relevance is None
    assert parse_spec(base + "answer: {min_relevance: 0.85}\n").answer.min_relevance == 0.85
    with pytest.raises(Exception, match=r"<spec>:4: answer.min_relevance: .*less than or equal to 2"):
        parse_spec(base + "answer: {min_relevance: 7}\n")
    with pytest.raises(Exception, match=r"answer\.threshold: unknown field"):
        parse_spec(base + "answer: {threshold: 0.8}\n")


@pytest.mark.slow
@pytest.mark.parametrize(("question", "lang"), OFF_TOPIC)
async def test_off_topic_question_is_not_answered(sample_service: Any, question: str, lang: str) -> None:
    answer = await sample_service.answer("bank", [Message(role="user", content=question)])
    assert answer.text == message("no_answer", lang)
    assert answer.citations == [] and not answer.grounded
    assert answer.relevance is not None and answer.relevance.score is not None
    assert answer.relevance.threshold is not None and answer.relevance.score < answer.relevance.threshold


@pytest.mark.slow
async def test_answerable_question_still_cites_its_document(sample_service: Any) -> None:
    question = "da3at lia la carte, kifach nbloquiha?"
    answer = await sample_service.answer("bank", [Message(role="user", content=question)])
    assert answer.grounded and Path(answer.citations[0].source).name == "carte-perdue-bloquee.md"
    assert answer.relevance is not None and answer.relevance.grounded


@pytest.mark.slow
async def test_gate_can_be_disabled_in_the_spec(sample_service: Any) -> None:
    from siyada.agents.runner import AgentRunner

    spec = sample_service.get("bank").spec.model_copy(update={"answer": AnswerSettings(min_relevance=0)})
    runner = AgentRunner(spec, sample_service.tools(spec), mode="extractive")
    answer = await runner.answer([Message(role="user", content=OFF_TOPIC[0][0])])
    assert answer.citations and answer.relevance is None  # the old behaviour: the closest passage


@pytest.fixture(scope="module")
def sample_client(sample_service: Any) -> Any:
    from siyada.backends.registry import ModelRegistry
    from siyada.serve.app import create_app

    settings = sample_service.settings
    with TestClient(create_app(settings, ModelRegistry(settings))) as client:
        yield client


@pytest.mark.slow
@pytest.mark.parametrize(("question", "lang"), OFF_TOPIC[:2])
def test_http_off_topic_reply_is_machine_readable(sample_client: TestClient, question: str, lang: str) -> None:
    body = {"model": "agent:bank", "messages": [{"role": "user", "content": question}]}
    r = sample_client.post("/v1/chat/completions", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["choices"][0]["message"]["content"] == message("no_answer", lang)
    assert out["citations"] == []
    assert out["siyada"]["grounded"] is False and out["siyada"]["reply_language"] == lang
    assert out["siyada"]["relevance"]["score"] < out["siyada"]["relevance"]["threshold"]
    # Streamed: the last chunk carries the same verdict.
    with sample_client.stream("POST", "/v1/chat/completions", json={**body, "stream": True}) as s:
        events = [json.loads(line[6:]) for line in s.iter_lines() if line.startswith("data: {")]
    text = "".join(e["choices"][0]["delta"].get("content", "") for e in events if e.get("choices"))
    assert text == message("no_answer", lang)
    assert events[-1]["citations"] == [] and events[-1]["siyada"]["grounded"] is False


@pytest.mark.slow
def test_http_answerable_question_is_grounded(sample_client: TestClient) -> None:
    r = sample_client.post(
        "/v1/chat/completions",
        json={
            "model": "agent:bank",
            "messages": [{"role": "user", "content": "On m'a volé ma carte, que dois-je faire ?"}],
        },
    )
    out = r.json()
    assert out["siyada"]["grounded"] is True
    assert Path(out["citations"][0]["source"]).name == "carte-perdue-bloquee.md"


@pytest.mark.slow
@pytest.mark.parametrize(("question", "lang"), OFF_TOPIC[:2])
def test_cli_off_topic(sample_service: Any, monkeypatch: pytest.MonkeyPatch, question: str, lang: str) -> None:
    from siyada.cli.main import app

    monkeypatch.setenv("SIYADA_HOME", str(sample_service.settings.home))
    runner = CliRunner()
    r = runner.invoke(app, ["agents", "run", "bank", question, "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["answer"] == message("no_answer", lang) and out["citations"] == [] and out["grounded"] is False
    r = runner.invoke(app, ["agents", "run", "bank", question])
    assert r.exit_code == 0 and r.stdout.strip() == message("no_answer", lang)  # no citation lines
