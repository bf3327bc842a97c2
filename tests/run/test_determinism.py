"""The same `reliefkit run` twice gives the same bytes: executed notebooks (widgets
included), their HTML, the summaries (Markdown, HTML, DOCX), the workbooks, the table for
publication, the charts, the index, the facts, the manifest and the stamps."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import REPO

from reliefkit.cli.main import main


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("epoch", [None, "1767225600"], ids=["fixed-default-time", "SOURCE_DATE_EPOCH"])
def test_two_runs_of_the_same_command_give_the_same_bytes(tmp_path, monkeypatch, capsys, epoch):
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    monkeypatch.chdir(tmp_path)
    command = ["run", str(REPO / "data" / "sample"), "--year", "2026", "--district", "新城街道", "--out", "reports",
               "--jobs", "2", "--no-progress", "--lang", "en"]
    assert main(command) == 0, capsys.readouterr().err[-2000:]
    first = _digests(tmp_path / "reports")
    assert main([*command, "--force"]) == 0, capsys.readouterr().err[-2000:]
    second = _digests(tmp_path / "reports")

    kinds = {Path(name).suffix for name in first}
    assert {".ipynb", ".html", ".md", ".docx", ".xlsx", ".csv", ".png", ".json"} <= kinds, kinds
    assert any(name.endswith("01-explore-households.ipynb") for name in first)  # the widget notebook
    changed = sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))
    assert changed == [], changed
