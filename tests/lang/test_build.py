"""The shipped model files are exactly what the build command produces."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from siyada.lang.build import main

BUILT = ("lid_model.json.gz", "ary_arab_charlm.json.gz", "ber_variety.json.gz")


@pytest.mark.shared
def test_build_is_reproducible(shared_data: Path, tmp_path: Path) -> None:
    assert main(["--shared", str(shared_data.parent), "--out", str(tmp_path)]) == 0
    data = resources.files("siyada.lang").joinpath("data")
    for name in BUILT:
        assert (tmp_path / name).read_bytes() == data.joinpath(name).read_bytes(), name


def test_missing_shared_data_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--shared", str(tmp_path), "--out", str(tmp_path)]) == 2
    assert "NLLB-Seed not found" in capsys.readouterr().err
