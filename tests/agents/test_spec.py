"""Agent specs: valid ones load with defaults; invalid ones fail naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from siyada.agents.spec import SpecError, load_spec, parse_spec, spec_schema

GOOD = """\
name: helpdesk
description: "Internal helpdesk"
instructions: "Answer from the IT documents."
tools: [calculator, {name: http_get, config: {allow: ["http://intranet.local/api/"]}}]
examples: ["Comment changer mon mot de passe ?"]
"""


def test_valid_spec_gets_defaults() -> None:
    spec = parse_spec(GOOD)
    assert spec.name == "helpdesk"
    assert [t.name for t in spec.tools] == ["calculator", "http_get"]
    assert spec.tools[1].config["allow"] == ["http://intranet.local/api/"]
    assert spec.reply.language == "user" and spec.answer_mode == "auto"
    assert spec.limits.max_tool_calls == 4 and spec.examples == ["Comment changer mon mot de passe ?"]


@pytest.mark.parametrize(
    ("text", "line", "field", "reason"),
    [
        # A missing field is reported where its parent mapping starts.
        ("name: a\ndescription: d\n", 1, "instructions", "required field is missing"),
        ("name: a\ndescription: d\ninstructions: i\ncolour: blue\n", 4, "colour", "unknown field"),
        (
            "name: a\ndescription: d\ninstructions: i\nlimits:\n  max_tool_calls: -1\n",
            5,
            "limits.max_tool_calls",
            "greater than or equal to 0",
        ),
        (
            "name: a\ndescription: d\ninstructions: i\nknowledge:\n  - name: ok\n  - name: Bad Name\n",
            6,
            "knowledge.1.name",
            "lowercase",
        ),
        (
            "name: a\ndescription: d\ninstructions: i\ntools: [calculator, teleport]\n",
            4,
            "tools",
            "unknown tool 'teleport'",
        ),
        ("name: a\ndescription: d\ninstructions: i\nanswer_mode: creative\n", 4, "answer_mode", "generative"),
        ("name: Not OK\ndescription: d\ninstructions: i\n", 1, "name", "lowercase"),
    ],
)
def test_invalid_specs_name_line_and_field(text: str, line: int, field: str, reason: str) -> None:
    with pytest.raises(SpecError) as info:
        parse_spec(text, "agents/x.yaml")
    err = info.value
    assert (err.path, err.line, err.field) == ("agents/x.yaml", line, field)
    assert reason in err.reason
    assert err.message.startswith(f"agents/x.yaml:{line}: {field}: ")


def test_broken_yaml_and_non_mapping(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: a\ndescription: [unclosed\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"broken.yaml:\d+: not valid YAML"):
        load_spec(path)
    with pytest.raises(SpecError, match="must be a mapping"):
        parse_spec("- just\n- a list\n")
    with pytest.raises(SpecError, match="cannot read"):
        load_spec(tmp_path / "missing.yaml")


def test_schema_documents_every_field() -> None:
    schema = spec_schema()
    props = schema["properties"]
    for key in (
        "name",
        "description",
        "model",
        "instructions",
        "languages",
        "reply",
        "knowledge",
        "tools",
        "limits",
        "answer_mode",
        "examples",
    ):
        assert key in props
        assert props[key].get("description") or "$ref" in props[key] or "anyOf" in props[key]


def test_sample_specs_are_valid() -> None:
    from siyada.agents.service import sample_dir, spec_files

    names = sorted(load_spec(p).name for p in spec_files(sample_dir()))
    assert names == ["bank", "clinic", "farm", "university"]
