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


def _texts(path: Path) -> list[bytes]:
    """The bytes of a file and, for a zip (DOCX, XLSX), of each member."""
    import zipfile

    data = [path.read_bytes()]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            data += [z.read(name) for name in z.namelist()]
    return data


def test_the_same_run_into_two_folders_gives_the_same_bytes_and_no_machine_paths(tmp_path, monkeypatch, capsys):
    """Every path inside an output is relative to the run's folder (the store ``../.store``,
    the outputs ``.``, papermill's paths relative to the repository), so the trees are
    byte-identical — stamps and manifest included — and name neither the repository,
    nor the output folder, nor the home folder."""
    import os

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.chdir(tmp_path)
    trees = {}
    for out in ("A", "B/deeper"):
        command = ["run", str(REPO / "data" / "sample"), "--year", "2026", "--district", "城关镇", "--out", out,
                   "--jobs", "2", "--no-progress"]
        assert main(command) == 0, capsys.readouterr().err[-2000:]
        trees[out] = _digests(tmp_path / out)
    assert ".store/store.json" in "\n".join(trees["A"]) and "2026/城关镇/.03-year-end-summary.run.json" in trees["A"]
    changed = sorted(n for n in trees["A"].keys() | trees["B/deeper"].keys()
                     if trees["A"].get(n) != trees["B/deeper"].get(n))
    assert changed == [], changed
    forbidden = {str(REPO), str(tmp_path), os.path.expanduser("~") + os.sep}
    leaks = [(p.relative_to(tmp_path).as_posix(), f) for p in sorted(tmp_path.rglob("*")) if p.is_file()
             for data in _texts(p) for f in forbidden if f.encode() in data]
    assert leaks == [], leaks


def test_the_injected_paths_are_relative_to_the_job_folder(tmp_path):
    from reliefkit.run.discovery import find_notebooks
    from reliefkit.run.planning import plan
    from reliefkit.store.build import build_store

    year_dir = tmp_path / "out" / "2026"
    build_store(REPO / "data" / "sample", year_dir / ".store")
    own = tmp_path / "mine.yaml"
    own.write_text("name: Rural 190\nset:\n  rural_dibao.line: 190\n", encoding="utf-8")
    schemes = [REPO / "notebooks" / "schemes" / "rural-180.yaml", own]
    jobs = plan(year_dir / ".store", 2026, ["城关镇"], find_notebooks(["02"]), tmp_path / "out", schemes=schemes)
    p = jobs[0].parameters
    assert (p["region_dir"], p["output_dir"]) == ("../.store", ".")
    assert p["schemes"] == ["notebooks/schemes/rural-180.yaml", "../.store/schemes/2-mine.yaml"]
    assert (year_dir / ".store" / "schemes" / "2-mine.yaml").read_bytes() == own.read_bytes()
    other = plan(year_dir / ".store", 2026, ["城关镇"], find_notebooks(["02"]), tmp_path / "out", schemes=schemes)
    assert other[0].key == jobs[0].key
    own.write_text("name: Rural 200\nset:\n  rural_dibao.line: 200\n", encoding="utf-8")
    changed = plan(year_dir / ".store", 2026, ["城关镇"], find_notebooks(["02"]), tmp_path / "out", schemes=schemes)
    assert changed[0].key != jobs[0].key  # a scheme's bytes are in the key
