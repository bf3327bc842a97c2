"""The committed notebooks: thin, parameterized, deterministic, masked — and the nbval
regression check on them bites when a figure changes.

(nbval itself re-executes every committed notebook as part of the test suite: see
``[tool.pytest.ini_options]`` in pyproject.toml.)
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys

import nbformat
import pandas as pd
import pytest
from conftest import REPO, SAMPLE

from reliefkit.run import refresh as nbtools
from reliefkit.run.discovery import declared_parameters

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
NAMES = [p.stem for p in NOTEBOOKS]
COMMON = {"region_dir", "year", "district", "lang", "output_dir"}


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _texts(nb):
    """Every text of every output (images left out)."""
    for cell in _code(nb):
        for out in cell.outputs:
            if out.output_type == "stream":
                yield out.text
            elif out.output_type == "error":
                yield "\n".join(out.traceback)
            else:
                for mime, value in out.get("data", {}).items():
                    if not mime.startswith("image/"):
                        yield value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=NAMES)
def nb(request):
    return nbformat.read(request.param, as_version=4)


def test_the_three_notebooks_exist():
    assert NAMES == ["01-explore-households", "02-compare-schemes", "03-year-end-summary"]


def test_first_code_cell_holds_typed_commented_parameters(nb):
    first = _code(nb)[0]
    assert first.metadata.get("tags") == ["parameters"]
    tree = ast.parse(first.source)
    assigned = {n.target.id: n for n in tree.body if isinstance(n, ast.AnnAssign)}
    assert COMMON <= set(assigned), "every notebook takes region_dir, year, district, lang, output_dir"
    assert not [n for n in tree.body if isinstance(n, ast.Assign)], "every parameter has a type"
    for line in first.source.splitlines():
        if re.match(r"^\w+\s*:", line):
            assert "  # " in line, f"parameter without a comment: {line}"
            assert line.count("=") == 1, f"papermill cannot parse a second '=' on: {line}"
    assert ast.literal_eval(assigned["district"].value) is None


def test_papermill_lists_the_parameters(nb, request):
    import papermill

    params = papermill.inspect_notebook(str(REPO / "notebooks" / f"{request.node.callspec.id}.ipynb"))
    assert COMMON <= set(params)
    assert all(p["help"] for p in params.values())
    assert params["district"]["inferred_type_name"] == "Optional[str]"
    if "schemes" in params:
        assert params["schemes"]["inferred_type_name"] == "list[str]"


def test_the_next_cell_checks_the_parameters_through_the_package(nb):
    assert "check_parameters(" in _code(nb)[1].source


def test_no_def_class_loop_branch_or_number_outside_the_parameters(nb):
    for cell in _code(nb)[1:]:
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)), cell.source
            logic = (ast.For, ast.While, ast.If, ast.IfExp, ast.comprehension, ast.Try)
            assert not isinstance(node, logic), cell.source
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                pytest.fail(f"a number in a notebook cell (policy numbers live in YAML): {cell.source}")


def test_committed_executed_without_errors_or_stderr(nb):
    cells = _code(nb)
    assert all(c.execution_count == i for i, c in enumerate(cells, 1))
    for c in cells:
        for out in c.outputs:
            assert out.output_type != "error", out.get("evalue")
            assert not (out.output_type == "stream" and out.name == "stderr"), out.text


def test_outputs_hold_no_path_time_address_or_unmasked_personal_data(nb):
    text = "\n".join(_texts(nb))
    assert str(REPO) not in text and "/tmp/" not in text and "/root" not in text and "/home/" not in text
    assert not re.search(r"\b0x[0-9a-fA-F]{6,}\b", text), "a memory address"
    assert not re.search(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}", text), "a timestamp"
    assert not re.search(r"(?<![\d*])\d{17}[\dX](?![\d*])", text), "an unmasked ID number"
    persons = pd.read_csv(SAMPLE / "persons.csv", dtype=str)
    names = {n for n in persons["name"].dropna() if len(n) >= 3}
    assert not [n for n in names if n in text], "a full name of the registry"


def test_lists_are_masked_where_they_appear():
    nb = nbformat.read(REPO / "notebooks" / "01-explore-households.ipynb", as_version=4)
    text = "\n".join(_texts(nb))
    assert re.search(r"01\*{4}\d\d", text)  # household numbers, masked


def test_notebooks_are_normalized_and_paired():
    assert nbtools.check() == []


def test_notebooks_declare_what_the_runner_injects():
    for path in NOTEBOOKS:
        declared = declared_parameters(path)
        assert COMMON <= set(declared)
    assert declared_parameters(REPO / "notebooks" / "02-compare-schemes.ipynb")["schemes"] == [
        "notebooks/schemes/rural-180.yaml", "notebooks/schemes/rural-165-marginal-30.yaml"]


# --------------------------------------------------------------------------- nbval bites
def test_nbval_fails_when_a_policy_number_or_a_fact_changes(tmp_path):
    """Three copies of the summary notebook under nbval: as committed (passes); run on a
    copy of the sample whose rural line is raised by one yuan in a policy file (a policy
    number: fails); with one stored figure altered (a fact: fails)."""
    source = REPO / "notebooks" / "03-year-end-summary.ipynb"
    shutil.copy(source, tmp_path / "same.ipynb")

    # nbval runs a notebook in its own folder, where "data/sample" now finds the changed copy
    # first: the notebook is the same, only the policy number differs
    (tmp_path / "policy").mkdir()
    shutil.copy(source, tmp_path / "policy" / "policy.ipynb")
    region = tmp_path / "policy" / "data" / "sample"
    shutil.copytree(SAMPLE, region)
    (region / "policies").mkdir()
    (region / "policies" / "lines.yaml").write_text(
        "rural_dibao:\n  line:\n    description: raised rural line\n    unit: yuan/person/month\n"
        "    reference: a test\n    values:\n      2025-01-01: 110\n      2026-01-01: 151\n", encoding="utf-8")

    fact = nbformat.read(source, as_version=4)
    stored = next(o for c in _code(fact) for o in c.outputs if "text/markdown" in o.get("data", {}))
    number = re.search(r"\d{3,}", stored["data"]["text/markdown"]).group(0)
    stored["data"]["text/markdown"] = stored["data"]["text/markdown"].replace(number, str(int(number) + 1), 1)
    nbformat.write(fact, tmp_path / "fact.ipynb")

    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # not the repository's options
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "-q",
         "-rf", "same.ipynb", "policy/policy.ipynb", "fact.ipynb"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    out = done.stdout
    assert done.returncode == 1, out[-3000:]
    failed = set(re.findall(r"^FAILED (?:policy/)?(\w+)\.ipynb", out, flags=re.MULTILINE))
    assert failed == {"policy", "fact"}, out[-3000:]
    assert "Cell outputs differ" in out[out.index("_ fact.ipynb::"):]
    policy_report = out[out.index("_ policy/policy.ipynb::"):]
    assert "Cell outputs differ" in policy_report and "151" in policy_report  # a changed figure, not an error
