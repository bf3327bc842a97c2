"""Provenance manifest (reliefkit.run.manifest): input hashes and encodings, parameters,
policy files and their hashes, package versions; deterministic JSON."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from importlib import metadata
from pathlib import Path

import pytest
from conftest import enrol, household, person

import reliefkit
from reliefkit.errors import ReliefkitError
from reliefkit.run.manifest import MANIFEST_NAME, build_manifest, manifest_json, write_manifest
from reliefkit.policy.parameters import BASELINE
from reliefkit.region.region import load_region
from reliefkit.io.writing import write_tables

KEYS = {"manifest_version", "reliefkit_version", "created", "region", "inputs", "parameters", "policies",
        "packages", "python", "platform"}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def region_dir(build, tmp_path):
    folder = build(households=[household("H1", "东镇"), household("H2", "西镇")],
                   persons=[person("L-001", "H1", name="张三"), person("L-002", "H2", name="李四")],
                   enrolments=[enrol("L-001", "rural_dibao", "2026-01-01")])
    # the persons table as GB18030 with Chinese headers, to see the detected encoding
    region = load_region(folder)
    write_tables({"persons": region.persons}, folder, "csv", encoding="gb18030", language="zh")
    (folder / "policies").mkdir()
    (folder / "policies" / "local.yaml").write_text(
        "rural_dibao:\n  line:\n    description: local line\n    unit: yuan/person/month\n"
        "    reference: county notice\n    values:\n      2026-01-01: 160\n", encoding="utf-8")
    return folder


def test_keys_inputs_and_hashes(region_dir):
    region = load_region(region_dir)
    m = build_manifest(region, {"year": 2026, "district": None, "out": Path("reports"), "lang": "zh",
                                "when": dt.date(2026, 12, 31), "schemes": ("a.yaml",)})
    assert set(m) == KEYS
    assert m["reliefkit_version"] == reliefkit.__version__ and m["manifest_version"] == 1
    assert m["created"] is None
    assert m["region"] == {"name": region_dir.name, "folder": region_dir.as_posix(), "scope": None}
    inputs = {i["table"]: i for i in m["inputs"]}
    assert [i["table"] for i in m["inputs"]] == sorted(inputs)
    assert inputs["persons"]["encoding"] == "gb18030" and inputs["households"]["encoding"] == "utf-8"
    for name in ("households", "persons", "enrolments"):
        path = region_dir / inputs[name]["file"]
        assert inputs[name]["sha256"] == _sha(path) and inputs[name]["bytes"] == path.stat().st_size
    assert inputs["persons"]["rows_in"] == inputs["persons"]["accepted"] == 2
    assert m["parameters"] == {"year": 2026, "district": None, "out": "reports", "lang": "zh",
                               "when": "2026-12-31", "schemes": ["a.yaml"]}


def test_policies_and_schemes_are_hashed(region_dir, tmp_path):
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text("name: Rural 180\nset:\n  rural_dibao.line: 180\n", encoding="utf-8")
    m = build_manifest(load_region(region_dir), {}, scheme_files=[scheme])
    roles = [(p["role"], p["file"]) for p in m["policies"]]
    assert roles == [("baseline", "reliefkit/policy/baseline.yaml"),
                     ("region", (region_dir / "policies" / "local.yaml").as_posix()),
                     ("scheme", scheme.as_posix())]
    assert m["policies"][0]["sha256"] == _sha(BASELINE)
    assert m["policies"][1]["sha256"] == _sha(region_dir / "policies" / "local.yaml")
    assert m["policies"][2]["sha256"] == _sha(scheme)


def test_package_versions(region_dir):
    packages = build_manifest(load_region(region_dir), {})["packages"]
    for name in ("pandas", "numpy", "pyarrow", "openpyxl", "Jinja2", "matplotlib", "reliefkit"):
        assert packages[name] == metadata.version(name)


def test_json_is_deterministic_and_sorted(region_dir, tmp_path):
    region = load_region(region_dir)
    a = write_manifest(tmp_path / "a" / "manifest.json", build_manifest(region, {"year": 2026, "b": 1, "a": 2}))
    b = write_manifest(tmp_path / "b.json", build_manifest(load_region(region_dir), {"a": 2, "year": 2026, "b": 1}))
    assert a.read_bytes() == b.read_bytes()
    text = a.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    assert text == manifest_json(json.loads(text))
    folder = tmp_path / "run"
    folder.mkdir()
    assert write_manifest(folder, json.loads(text)) == folder / MANIFEST_NAME


def test_source_date_epoch_gives_the_time(region_dir, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert build_manifest(load_region(region_dir), {})["created"] == "2026-01-01T00:00:00Z"


def test_a_district_and_an_xlsx_input(region_dir):
    region = load_region(region_dir)
    write_tables({"households": region.households}, region_dir, "xlsx")
    (region_dir / "households.csv").unlink()
    region = load_region(region_dir)
    m = build_manifest(region.district("东镇"), {})
    hh = next(i for i in m["inputs"] if i["table"] == "households")
    assert hh["file"] == "households.xlsx" and hh["encoding"] is None and hh["sha256"] == _sha(region_dir / hh["file"])
    assert m["region"]["scope"] == "东镇"


def test_an_input_gone_since_it_was_read_is_an_error(region_dir):
    region = load_region(region_dir)
    (region_dir / "enrolments.csv").unlink()
    with pytest.raises(ReliefkitError, match="enrolments.csv"):
        build_manifest(region, {})
