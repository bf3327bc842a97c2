"""The output layer (reliefkit.safety.safeio): formula escaping, atomic writes, clear errors for a
read-only or full folder, byte-identical files, small-cell suppression."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import uuid
import zipfile

import numpy as np
import pandas as pd
import pytest
from sdc_helpers import derivable
from conftest import household, person
from notebook_helpers import tiny_region, write_notebook
from openpyxl import load_workbook

from reliefkit.run import normalize
from reliefkit.safety import atomic, determinism, escaping
from reliefkit.cli.main import EXIT_ERROR, main
from reliefkit.errors import ReliefkitError
from reliefkit.errors import OutputError
from reliefkit.run.normalize import normalize_notebook, uuid_sequence
from reliefkit.safety.atomic import atomic_open, atomic_write_bytes
from reliefkit.safety.determinism import write_office
from reliefkit.safety.disclosure import suppress_small_cells, suppression_mask
from reliefkit.safety.escaping import escape_formula, safe_frame
from reliefkit.safety.writers import write_csv, write_xlsx

NASTY = ["=SUM(A1:A9)", "+1+1", "-2+cmd|' /C calc'!A0", "@SUM(1)", "\t=1", "\r=1", "张三", "a=b", "", "3"]
ESCAPED = ["'=SUM(A1:A9)", "'+1+1", "'-2+cmd|' /C calc'!A0", "'@SUM(1)", "'\t=1", "'\r=1", "张三", "a=b", "", "3"]


def _frame() -> pd.DataFrame:
    n = len(NASTY)
    return pd.DataFrame({
        "text": pd.Series(NASTY, dtype="str"),
        "obj": pd.Series(NASTY, dtype=object),
        "neg": np.arange(n) - 5,                  # numbers stay numbers, negative ones too
        "money": np.linspace(-300.5, 300.5, n),
        "=header": ["x"] * n,
    })


# --------------------------------------------------------------------------- formula injection
def test_escape_formula_text_only():
    assert [escape_formula(v) for v in NASTY] == ESCAPED
    assert escape_formula(-1) == -1 and escape_formula(-1.5) == -1.5 and escape_formula(None) is None
    assert escape_formula("-1") == "'-1"


def test_safe_frame_escapes_cells_and_headers_not_numbers():
    out = safe_frame(_frame())
    assert out["text"].tolist() == ESCAPED and out["obj"].tolist() == ESCAPED
    assert list(out.columns)[-1] == "'=header"
    assert out["neg"].dtype.kind == "i" and out["neg"].min() < 0
    assert out["money"].tolist() == _frame()["money"].tolist()


def test_csv_read_back_is_escaped(tmp_path):
    path = write_csv(_frame(), tmp_path / "t.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert back["text"].tolist() == ESCAPED
    assert back["obj"].tolist() == ESCAPED
    assert back.columns[-1] == "'=header"
    assert back["neg"].tolist()[0] == "-5"  # a number, written as a number
    assert path.read_bytes().count(b"\r\n") == len(NASTY) + 1  # RFC 4180 line ends, one per row


def test_xlsx_read_back_is_escaped_and_has_no_formula(tmp_path):
    path = write_xlsx({"first": _frame(), "second": _frame().head(2)}, tmp_path / "t.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["first", "second"]
    ws = wb["first"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(escaping.FORMULA_START)]
    assert "'=SUM(A1:A9)" in texts and "'=header" in texts
    header = [c.value for c in ws[1]]
    neg = [row[header.index("neg")] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert neg[0] == -5 and all(isinstance(v, int) for v in neg)


def test_publicity_spreadsheet_safe_is_the_same_function():
    from reliefkit.report.publicity import spreadsheet_safe

    assert [spreadsheet_safe(v) for v in NASTY] == ESCAPED and spreadsheet_safe(-1) == -1


# --------------------------------------------------------------------------- determinism
def test_csv_and_xlsx_are_byte_identical_across_writes(tmp_path):
    f = _frame()
    assert write_csv(f, tmp_path / "a.csv").read_bytes() == write_csv(f, tmp_path / "b.csv").read_bytes()
    a = write_xlsx({"t": f}, tmp_path / "a.xlsx").read_bytes()
    b = write_xlsx({"t": f}, tmp_path / "b.xlsx").read_bytes()
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        names = z.namelist()
        assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert b"2000-01-01T00:00:00Z" in z.read("docProps/core.xml")


def test_source_date_epoch_sets_the_office_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    a = write_xlsx({"t": _frame()}, tmp_path / "a.xlsx").read_bytes()
    b = write_xlsx({"t": _frame()}, tmp_path / "b.xlsx").read_bytes()
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        core = z.read("docProps/core.xml")
        assert core.count(b"2026-01-01T00:00:00Z") == 2
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ReliefkitError, match="SOURCE_DATE_EPOCH"):
        determinism.build_time()


def test_docx_through_write_office_is_deterministic(tmp_path):
    from docx import Document

    def doc():
        d = Document()
        d.add_paragraph("同一内容")
        return d

    assert write_office(doc(), tmp_path / "a.docx").read_bytes() == write_office(doc(), tmp_path / "b.docx").read_bytes()


def test_normalize_notebook_drops_volatile_metadata():
    nb = {"cells": [{"cell_type": "code", "source": "1", "outputs": [],
                     "metadata": {"execution": {"iopub.status.busy": "2026-05-01T10:00:00Z"},
                                  "papermill": {"start_time": "t", "end_time": "t", "duration": 1.5,
                                                "status": "completed", "exception": False}}}],
          "metadata": {"papermill": {"start_time": "t", "end_time": "t", "duration": 9.1, "parameters": {"year": 2026}}}}
    text = normalize_notebook(nb)
    for key in ("execution", "start_time", "end_time", "duration"):
        assert f'"{key}"' not in text
    assert '"completed"' in text and '"year": 2026' in text
    assert text == normalize_notebook(text)


# --------------------------------------------------------------------------- widget model ids
VIEW, STATE = "application/vnd.jupyter.widget-view+json", "application/vnd.jupyter.widget-state+json"
UNRELATED = "0123456789abcdef0123456789abcdef"  # 32 hex digits that are no model id
MODELS = ("box", "slider", "box_layout", "slider_layout", "go", "go_layout", "stop", "stop_layout")


def _widget_notebook(ids: dict[str, str]) -> dict:
    """An executed notebook: a displayed VBox holding a slider, two buttons never displayed,
    the slider's id printed and the box's id in an HTML fallback; ``ids`` names the models."""
    ref = {name: f"IPY_MODEL_{i}" for name, i in ids.items()}

    def model(name: str, **state) -> dict:
        return {"model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0",
                "model_name": name, "state": state}

    view = {VIEW: {"model_id": ids["box"], "version_major": 2, "version_minor": 0},
            "text/plain": ["VBox(children=(IntSlider(value=3),))"],
            "text/html": [f'<div data-model="{ids["box"]}">box</div>']}
    cells = [
        {"cell_type": "code", "execution_count": 1, "id": "c1", "metadata": {},
         "source": f"box = make()  # {UNRELATED}",
         "outputs": [{"output_type": "display_data", "data": view, "metadata": {}}]},
        {"cell_type": "code", "execution_count": 2, "id": "c2", "metadata": {}, "source": "print(...)",
         "outputs": [{"output_type": "stream", "name": "stdout",
                      "text": [f"slider {ids['slider']} sha {UNRELATED}\n"]}]},
    ]
    state = {
        ids["box"]: model("VBoxModel", children=[ref["slider"]], layout=ref["box_layout"]),
        ids["slider"]: model("IntSliderModel", value=3, layout=ref["slider_layout"]),
        ids["go"]: model("ButtonModel", description="go", layout=ref["go_layout"]),
        ids["stop"]: model("ButtonModel", description="stop", layout=ref["stop_layout"]),
        **{ids[n]: model("LayoutModel", width=f"{k}0%") for k, n in enumerate(MODELS) if n.endswith("layout")},
    }
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"widgets": {STATE: {"state": state, "version_major": 2, "version_minor": 0}}}}


def _random_ids() -> dict[str, str]:
    return {name: uuid.uuid4().hex for name in MODELS}


def _state(tree: dict) -> dict:
    return tree["metadata"]["widgets"][STATE]["state"]


def test_widget_model_ids_do_not_depend_on_the_run():
    rising = {name: f"{k:032x}" for k, name in enumerate(MODELS, 1)}  # state keys sort one way
    falling = {name: f"{99 - k:032x}" for k, name in enumerate(MODELS, 1)}  # and the other
    texts = {normalize_notebook(_widget_notebook(ids)) for ids in (_random_ids(), _random_ids(), rising, falling)}
    assert len(texts) == 1
    text = texts.pop()
    assert not set(rising.values()) & set(re.findall(r"[0-9a-f]{32}", text))  # every model renamed
    assert text.count(UNRELATED) == 2  # the other 32-hex strings are left alone
    assert normalize_notebook(text) == text


def test_renamed_widget_models_still_point_to_the_same_models():
    tree = json.loads(normalize_notebook(_widget_notebook(_random_ids())))
    state = _state(tree)

    def resolve(ref: str) -> dict:
        return state[ref.removeprefix("IPY_MODEL_")]  # a KeyError is a dangling reference

    data = tree["cells"][0]["outputs"][0]["data"]
    box_id = data[VIEW]["model_id"]
    box = state[box_id]
    slider = resolve(box["state"]["children"][0])
    assert box["model_name"] == "VBoxModel" and slider["model_name"] == "IntSliderModel"
    assert resolve(box["state"]["layout"])["state"]["width"] == "20%"
    assert resolve(slider["state"]["layout"])["state"]["width"] == "30%"
    for name, width in (("go", "50%"), ("stop", "70%")):  # the models no output shows keep theirs too
        (button,) = [m for m in state.values() if m["state"].get("description") == name]
        assert resolve(button["state"]["layout"])["state"]["width"] == width
    slider_id = box["state"]["children"][0].removeprefix("IPY_MODEL_")
    assert f"slider {slider_id} " in tree["cells"][1]["outputs"][0]["text"][0]
    assert f'data-model="{box_id}"' in data["text/html"][0]
    # numbered in order of first appearance, and still shaped like a model id
    first, second = (normalize._ordinal_uuid("widget-model", n).hex for n in (1, 2))
    assert (box_id, slider_id) == (first, second)
    assert len(state) == len(MODELS) and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in state)


def test_a_dashed_model_id_keeps_its_form():
    dashed = str(uuid.uuid4())
    nb = {"cells": [{"outputs": [{"data": {VIEW: {"model_id": dashed}}}]}], "metadata": {}}
    new = json.loads(normalize_notebook(nb))["cells"][0]["outputs"][0]["data"][VIEW]["model_id"]
    assert new == str(normalize._ordinal_uuid("widget-model", 1))


def test_a_notebook_without_widgets_is_unchanged_by_the_renaming():
    nb = _widget_notebook(_random_ids())
    del nb["metadata"]["widgets"]
    nb["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["model_id " + uuid.uuid4().hex]}]
    nb["cells"][1]["outputs"][0]["text"].append("IPY_MODEL_ is only text here\n")
    assert normalize_notebook(nb) == json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def _html(nb: dict, uuid4=None) -> str:
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    if uuid4 is not None:
        exporter.environment.globals["uuid4"] = uuid4
    return exporter.from_notebook_node(nbformat.from_dict(nb))[0]


def test_uuid_sequence_makes_the_html_export_repeatable():
    a, b = (json.loads(normalize_notebook(_widget_notebook(_random_ids()))) for _ in range(2))
    assert _html(a) != _html(b)  # nbconvert's <div> ids of widget views are random
    html = _html(a, uuid_sequence("div"))
    assert html == _html(b, uuid_sequence("div"))
    assert html.count(str(normalize._ordinal_uuid("div", 1))) == 2  # the <div> and the script that finds it


@pytest.fixture(scope="module")
def two_widget_runs(tmp_path_factory):
    """The .ipynb and .html bytes of two runs of the same command on a notebook that shows
    widgets (a VBox with a slider and an HTML, and the ids printed)."""
    from reliefkit.run.executors import run
    from reliefkit.run.planning import plan

    base = tmp_path_factory.mktemp("widgets")
    region = tiny_region(base / "region", ("A",))
    nb = write_notebook(base / "nb" / "w.ipynb",
                        "import ipywidgets as w\nbox = w.VBox([w.IntSlider(3), w.HTML('<b>x</b>')])\nbox",
                        "w.Button(description='never shown')\nprint(box.model_id, box.children[0].model_id)\nbox")
    runs = []
    for _ in range(2):
        jobs = plan(region, 2026, ["A"], [nb], base / "out")
        assert [r.status for r in run(jobs, n_jobs=0, force=True).results] == ["ok"]
        runs.append((jobs[0].output.read_bytes(), jobs[0].html_path.read_bytes()))
    return runs


def test_two_runs_save_the_same_notebook_bytes(two_widget_runs):
    (nb_a, html_a), (nb_b, html_b) = two_widget_runs
    assert nb_a == nb_b
    tree = json.loads(nb_a)
    views = [o["data"][VIEW]["model_id"] for c in tree["cells"] for o in c.get("outputs", [])
             if VIEW in o.get("data", {})]
    assert views == [normalize._ordinal_uuid("widget-model", 1).hex] * 2 and views[0] in _state(tree)
    # the HTML differs only by nbconvert's random <div> ids (see the next test)
    div_id = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
    assert div_id.sub(b"DIV", html_a) == div_id.sub(b"DIV", html_b)
    assert views[0].encode() in html_a


def test_two_runs_export_the_same_html_bytes(two_widget_runs):
    (_, html_a), (_, html_b) = two_widget_runs
    assert html_a == html_b


# --------------------------------------------------------------------------- atomic writes
def test_a_failed_write_leaves_no_partial_file(tmp_path):
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), atomic_open(target) as f:
        f.write(b"half of a ")
        raise RuntimeError("killed midway")
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_open(target) as f:
        f.write(b"new, but only half")
        raise RuntimeError("killed midway")
    assert target.read_bytes() == b"old" and list(tmp_path.iterdir()) == [target]


def test_a_writer_failing_midway_keeps_the_old_workbook(tmp_path, monkeypatch):
    target = write_xlsx({"t": _frame()}, tmp_path / "t.xlsx")
    before = target.read_bytes()
    calls = []
    real = pd.DataFrame.to_excel

    def to_excel(self, *a, **kw):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("killed midway")
        return real(self, *a, **kw)

    monkeypatch.setattr(pd.DataFrame, "to_excel", to_excel)
    with pytest.raises(RuntimeError):
        write_xlsx({"a": _frame(), "b": _frame()}, target)
    assert target.read_bytes() == before and sorted(tmp_path.iterdir()) == [target]


def test_new_files_get_ordinary_permissions(tmp_path):
    path = atomic_write_bytes(tmp_path / "sub" / "x.md", b"x")
    mask = atomic._UMASK
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


def _raising(err: int):
    def fail(*a, **kw):
        raise OSError(err, os.strerror(err))
    return fail


@pytest.mark.parametrize("err,where,words", [
    (errno.EACCES, "replace", "read-only"), (errno.EROFS, "mkstemp", "read-only"),
    (errno.EPERM, "replace", "read-only"), (errno.ENOSPC, "fsync", "full"),
])
def test_read_only_or_full_folder_is_a_clear_error(tmp_path, monkeypatch, err, where, words):
    target = tmp_path / "reports" / "p.csv"
    if where == "replace":
        monkeypatch.setattr(atomic.os, "replace", _raising(err))
    elif where == "fsync":
        monkeypatch.setattr(atomic.os, "fsync", _raising(err))
    else:
        monkeypatch.setattr(atomic.tempfile, "mkstemp", _raising(err))
    with pytest.raises(OutputError) as info:
        write_csv(_frame(), target)
    msg = str(info.value)
    assert words in msg and str(target.parent) in msg and "--out" in msg
    assert isinstance(info.value, ReliefkitError) and info.value.fields["folder"] == str(target.parent)
    assert list(target.parent.iterdir()) == []  # no temporary file left behind


def test_other_os_errors_pass_through(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic.os, "replace", _raising(errno.EIO))
    with pytest.raises(OSError) as info:
        atomic_write_bytes(tmp_path / "x", b"x")
    assert not isinstance(info.value, ReliefkitError)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_really_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="read-only"):
            atomic_write_bytes(folder / "x.md", b"x")
    finally:
        folder.chmod(0o700)


def test_cli_problems_table_in_read_only_folder(build, tmp_path, monkeypatch, capsys):
    folder = build(households=[household("H1")], persons=[person("L-001", "H1")])
    monkeypatch.setattr(atomic.os, "replace", _raising(errno.EROFS))
    code = main(["validate", str(folder), "--problems", str(tmp_path / "ro" / "p.csv")])
    err = capsys.readouterr().err
    assert code == EXIT_ERROR and "read-only" in err and str(tmp_path / "ro") in err and "Traceback" not in err


def test_cli_problems_table_is_escaped(build, tmp_path):
    folder = build(households=[household("H1", income="-300")], persons=[person("L-001", "H1")])
    out = tmp_path / "p.csv"
    main(["validate", str(folder), "--problems", str(out)])
    text = out.read_text(encoding="utf-8-sig")
    cells = [c for line in text.splitlines() for c in line.split(",")]
    assert "-300" not in cells and "'-300" in cells


# --------------------------------------------------------------------------- small cells
def _recover(published: pd.DataFrame) -> dict[tuple, int]:
    """What an attacker works out from a published table with totals: repeatedly solve
    any row or column (with its known total) that has exactly one unknown cell."""
    grid = published.astype("float64").to_numpy(na_value=np.nan)
    found = {}
    progress = True
    while progress:
        progress = False
        r, c = grid.shape
        for lines in ([(i, slice(None)) for i in range(r)], [(slice(None), j) for j in range(c)]):
            for line in lines:
                v = grid[line]
                unknown = np.flatnonzero(np.isnan(v))
                if len(unknown) != 1:
                    continue
                k = unknown[0]
                value = v[-1] - v[:-1][~np.isnan(v[:-1])].sum() if k != len(v) - 1 else v[:-1].sum()
                pos = (line[0], k) if isinstance(line[0], int) else (k, line[1])
                grid[pos] = value
                found[pos] = int(value)
                progress = True
    return found


def test_primary_and_secondary_suppression():
    t = pd.DataFrame({"rural": [12, 3, 20, 0], "urban": [8, 9, 15, 7], "tekun": [6, 11, 2, 9]},
                     index=["A", "B", "C", "D"])
    out = suppress_small_cells(t)
    assert list(out.index) == ["A", "B", "C", "D", "Total"] and list(out.columns) == ["rural", "urban", "tekun", "Total"]
    assert out.loc["B", "rural"] is pd.NA and out.loc["C", "tekun"] is pd.NA  # primary
    assert out.loc["D", "rural"] == 0  # zeros are published
    hidden = out.isna()
    inner = hidden.iloc[:-1, :-1]
    assert ((inner.sum(axis=1) == 0) | (inner.sum(axis=1) >= 2)).all()
    assert ((inner.sum(axis=0) == 0) | (inner.sum(axis=0) >= 2)).all()
    assert not hidden["Total"].any() and not hidden.loc["Total"].any()  # totals kept
    assert out["Total"].tolist()[:-1] == t.sum(axis=1).tolist() and out.loc["Total", "Total"] == t.to_numpy().sum()
    assert _recover(out) == {}
    shown = t.to_numpy()[~inner.to_numpy()]
    assert ((shown == 0) | (shown >= 5)).all()


def test_secondary_picks_the_smallest_other_nonzero_cell():
    t = pd.DataFrame({"a": [3, 0, 40], "b": [50, 0, 7], "c": [6, 0, 60]})
    m = suppression_mask(t, 5).iloc[:-1, :-1]
    assert m.loc[0, "a"] and m.loc[0, "c"] and not m.loc[0, "b"]  # 6 < 50, the zero is left alone


def test_a_small_total_is_hidden_too():
    out = suppress_small_cells(pd.DataFrame({"n": [3, 10, 12]}))
    assert out.loc[0, "n"] is pd.NA and out.loc[0, "Total"] is pd.NA
    assert _recover(out) == {}


@pytest.mark.parametrize("seed", range(60))
def test_no_suppressed_cell_can_be_worked_out_from_totals(seed):
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(1, 9)), int(rng.integers(1, 7)))
    t = pd.DataFrame(rng.choice([0, 0, 1, 2, 3, 4, 5, 8, 12, 30], size=shape))
    out = suppress_small_cells(t, 5)
    small = (t > 0) & (t < 5)
    assert out.iloc[:-1, :-1].isna().to_numpy()[small.to_numpy()].all()
    assert _recover(out) == {}, out
    # nor by adding and subtracting whole rows and columns (an attacker with linear algebra)
    full = out.astype("float64").to_numpy(na_value=np.nan)
    hidden = np.isnan(full)
    truth = np.zeros_like(full)
    truth[:-1, :-1] = t.to_numpy()
    truth[:-1, -1], truth[-1, :-1], truth[-1, -1] = t.sum(axis=1), t.sum(axis=0), t.to_numpy().sum()
    assert derivable(truth, hidden) == [], out
    assert (full[~hidden] == truth[~hidden]).all()


def test_rows_and_columns_combined_cannot_give_a_hidden_cell_away():
    # each line has two hidden cells or none, yet V1's total = rural + temporary − V3's total
    t = pd.DataFrame({"rural": [2, 0, 8, 0], "urban": [0, 1, 0, 0], "tekun": [0, 0, 0, 1],
                      "temporary": [1, 0, 6, 0], "medical": [0, 0, 0, 0]}, index=["V1", "V2", "V3", "V4"])
    out = suppress_small_cells(t)
    assert out.loc["V1", "Total"] is pd.NA and out.loc["V1", "rural"] is pd.NA
    grid = np.zeros((5, 6))
    grid[:4, :5] = t.to_numpy()
    grid[:4, 5], grid[4, :5], grid[4, 5] = t.sum(axis=1), t.sum(axis=0), t.to_numpy().sum()
    assert derivable(grid, out.isna().to_numpy()) == []


def test_mark_and_no_margins():
    t = pd.DataFrame({"a": [1, 10, 10], "b": [10, 10, 10], "c": [10, 10, 10]})
    out = suppress_small_cells(t, mark="x", margins=False)
    assert out.shape == (3, 3) and out.loc[0, "a"] == "x" and out.loc[2, "c"] == 10
    assert (out == "x").sum().sum() == 4


def test_not_counts_is_an_error():
    with pytest.raises(ReliefkitError, match="counts"):
        suppress_small_cells(pd.DataFrame({"a": [1.5, 2]}))
    with pytest.raises(ReliefkitError, match="counts"):
        suppress_small_cells(pd.DataFrame({"a": [-1, 2]}))
