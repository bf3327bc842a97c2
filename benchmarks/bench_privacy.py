"""Benchmark of the privacy gate on synthetic regions (issue 11): false alarms, catch rate, seconds.

For each region size (25k, 200k and 1M persons by default; names drawn as
:func:`reliefkit.sample.synthetic_tables` draws them):

1. ``reliefkit run REGION --year 2026 --district <first district> --out DIR --jobs 2``
   once: its exit code and the privacy gate's line (the gate runs at its end with the
   region's names);
2. :func:`~reliefkit.safety.privacy.scan_outputs` on that run's outputs with the
   region's names: the findings are false alarms (expected 0), and the gate's seconds
   (building the name index of every person included) — also for the gate of ``git
   HEAD`` (the substring rule) when it can be read, for comparison;
3. the catch rate: names and IDs of registry persons planted into copies of the output
   files (Markdown, HTML, DOCX, XLSX, CSV, notebook) in the positions the gate must catch
   — table cells, list items, after a label, whole JSON strings and lines, between
   non-Chinese characters; IDs anywhere — and the share of them found (expected 100%).

    python benchmarks/bench_privacy.py [--sizes 25000 200000 1000000] [--names 50] [--ids 20]
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np
import pandas as pd

from reliefkit.safety.privacy import scan_outputs
from reliefkit.safety.segments import file_segments
from reliefkit.text.idnumbers import mask_id, mask_name

# the positions a planted name is put in; {n}: the name, {i}: an ID
NAME_LINES = {
    ".md": ["| 东关村 | {n} | 300 |", "- {n}", "1. {n}", "户主：{n}", "户主:{n}", "姓名 {n}",
            "经核查，联系人{n}家庭人均收入低于标准。", "本年度新增一户（{n}），已纳入。", "{n}", "申请人 {n} 已纳入。"],
    ".html": ["<table><tr><td>东关村</td><td>{n}</td><td>300</td></tr></table>", "<ul><li>{n}</li></ul>",
              "<p>经核查户主<b>{n}</b>家庭符合条件。</p>", "<p>帮扶对象：{n}</p>"],
    ".csv": ["东关村,{n},300"],
}
ID_LINES = {".md": ["经核查{i}号户已纳入。", "| {i} | 300 |"], ".html": ["<td>{i}</td>", "<p>身份证号{i}</p>"],
            ".csv": ["东关村,{i},300"]}


def _run(region: Path, district: str, out: Path) -> tuple[int, float, str]:
    exe = Path(sys.executable).with_name("reliefkit")
    script = "from reliefkit.cli.main import main; raise SystemExit(main())"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-c", script]
    cmd += ["run", str(region), "--year", "2026", "--district", district, "--out", str(out), "--jobs", "2",
            "--no-progress"]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    gate = next((line.strip() for line in (p.stdout + p.stderr).splitlines() if line.startswith("Privacy gate")),
                "(no privacy gate line: " + (p.stderr.strip().splitlines() or ["?"])[-1] + ")")
    return p.returncode, time.perf_counter() - t0, gate


def _head_identifiers() -> types.ModuleType | None:
    """The identifiers module of ``git HEAD`` (read-only ``git show``), or None."""
    try:
        src = subprocess.run(["git", "show", "HEAD:reliefkit/safety/identifiers.py"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    mod = types.ModuleType("head_identifiers")
    exec(compile(src, "HEAD:reliefkit/safety/identifiers.py", "exec"), mod.__dict__)  # noqa: S102
    return mod


def _head_gate_seconds(mod: types.ModuleType, folder: Path, names: pd.Series) -> tuple[float, int]:
    """Seconds and findings of HEAD's name index and scan over the same pieces of text."""
    t0 = time.perf_counter()
    index = mod.NameIndex(names)
    found = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        pieces = file_segments(path)
        use = None if any(part.startswith("publicity") for part in path.relative_to(folder).parts) else index
        for _, text in pieces or ():
            found += len(mod.scan_text(text, use))
    return time.perf_counter() - t0, found


def _plant(clean: Path, planted: Path, names: list[str], ids: list[str]) -> collections.Counter:
    """Copy ``clean`` to ``planted`` with ``names`` and ``ids`` planted; the expected findings
    as a Counter of (file, kind, masked value)."""
    from docx import Document
    from openpyxl import load_workbook

    shutil.copytree(clean, planted)
    files = sorted(p for p in planted.rglob("*") if p.is_file() and not p.name.startswith((".", "publicity")))
    by_suffix = {s: next((p for p in files if p.suffix == s), None)
                 for s in (".md", ".html", ".csv", ".docx", ".xlsx", ".ipynb")}
    by_suffix = {s: p for s, p in by_suffix.items() if p is not None}
    slots = [(s, k) for s in by_suffix for k in range(len(NAME_LINES.get(s, [""] * 3)))]
    expected: collections.Counter = collections.Counter()
    adds: dict[str, list[tuple[str, str, str]]] = collections.defaultdict(list)  # suffix: (what, value, where)
    for j, name in enumerate(names):
        suffix, k = slots[j % len(slots)]
        adds[suffix].append(("name", name, str(k)))
    for j, pid in enumerate(ids):
        suffix, k = slots[(j * 7) % len(slots)]
        adds[suffix].append(("id", pid, str(k)))
    for suffix, items in adds.items():
        path = by_suffix[suffix]
        rel = path.relative_to(planted).as_posix()
        for what, value, _ in items:
            kind = "name" if what == "name" else "resident_id"
            expected[(rel, kind, mask_name(value) if what == "name" else mask_id(value))] += 1
        if suffix in NAME_LINES:
            lines = []
            for what, value, k in items:
                templates = NAME_LINES[suffix] if what == "name" else ID_LINES[suffix]
                lines.append(templates[int(k) % len(templates)].format(n=value, i=value))
            text = path.read_text(encoding="utf-8-sig")
            if suffix == ".html" and "</body>" in text:
                at = text.rindex("</body>")
                text = text[:at] + "\n".join(lines) + "\n" + text[at:]
            else:
                text = text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
            path.write_text(text, encoding="utf-8")
        elif suffix == ".docx":
            doc = Document(str(path))
            table = doc.add_table(rows=len(items), cols=2)
            for row, (what, value, k) in zip(table.rows, items):
                row.cells[0].text = "东关村"
                row.cells[1].text = value if int(k) % 2 else ("姓名：" + value if what == "name" else value)
            doc.save(str(path))
        elif suffix == ".xlsx":
            wb = load_workbook(path)
            ws = wb.worksheets[0]
            for what, value, _ in items:
                ws.append(["东关村", value, 300])
            wb.save(path)
        elif suffix == ".ipynb":
            nb = json.loads(path.read_text(encoding="utf-8"))
            people = [v for w, v, _ in items if w == "name"]
            pids = [v for w, v, _ in items if w == "id"]
            if len(people) >= 3:
                nb.setdefault("metadata", {})["who"] = people.pop()  # a whole JSON string
            half = (len(people) + 1) // 2  # a DataFrame's text repr, and its HTML table
            df_plain = pd.DataFrame({"户主": people[:half] or ["某某"], "金额": 300})
            df_html = pd.DataFrame({"户主": people[half:] or ["某某"], "金额": 300})
            outputs = [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                        "data": {"text/plain": repr(df_plain).splitlines(keepends=True),
                                 "text/html": df_html.to_html().splitlines(keepends=True)}}]
            if pids:
                outputs.append({"output_type": "stream", "name": "stdout", "text": [f"检查 {p}\n" for p in pids]})
            nb["cells"].append({"cell_type": "code", "execution_count": 1, "id": "planted", "metadata": {},
                                "source": "df", "outputs": outputs})
            path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    return expected


def one_size(n: int, work: Path, n_names: int, n_ids: int, head: types.ModuleType | None) -> dict:
    import reliefkit as rk
    from reliefkit.sample import synthetic_tables, write_region

    region_dir = work / f"region-{n}"
    write_region(synthetic_tables(n, 0, 8), region_dir)
    region = rk.load_region(region_dir)
    district = region.districts[0]
    out = work / f"out-{n}"
    rc, run_s, gate_line = _run(region_dir, district, out)
    year_dir = out / "2026"
    names = region.persons["name"]

    t0 = time.perf_counter()
    clean = scan_outputs(year_dir, names)
    gate_s = time.perf_counter() - t0
    head_s, head_found = _head_gate_seconds(head, year_dir, names) if head else (float("nan"), -1)

    rng = np.random.default_rng(n)
    pool = pd.Series(names.dropna().unique())
    plant_names = pool.sample(n_names, random_state=int(rng.integers(1 << 31))).tolist()
    ids = region.persons["person_id"].dropna()
    ids = ids[ids.str.len() == 18].sample(n_ids, random_state=int(rng.integers(1 << 31))).tolist()
    planted_dir = work / f"planted-{n}"
    expected = _plant(year_dir, planted_dir, plant_names, ids)
    found = scan_outputs(planted_dir, names)
    got = collections.Counter(zip(found["file"], found["kind"], found["value"]))
    caught = sum(min(c, got[k]) for k, c in expected.items())
    by_kind = collections.Counter()
    for (_, kind, _), c in expected.items():
        by_kind[kind] += c
    extra = sum((got - expected).values())
    return {"persons": n, "distinct names": names.nunique(), "district": district, "run exit": rc,
            "run s": run_s, "run gate": gate_line, "files": clean.attrs["files"], "false alarms": len(clean),
            "false alarm rows": clean.head(5).values.tolist(), "gate s": gate_s, "HEAD gate s": head_s,
            "HEAD false alarms": head_found, "planted": sum(expected.values()), "planted by kind": dict(by_kind),
            "caught": caught, "extra": extra}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[25_000, 200_000, 1_000_000])
    ap.add_argument("--names", type=int, default=50, help="names planted per region (default 50)")
    ap.add_argument("--ids", type=int, default=20, help="resident IDs planted per region (default 20)")
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = ap.parse_args()
    head = _head_identifiers()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        rows = []
        for n in args.sizes:
            r = one_size(n, work, args.names, args.ids, head)
            rows.append(r)
            print(f"\n== {n:,} persons ({r['distinct names']:,} distinct names), district {r['district']}")
            print(f"reliefkit run:        exit {r['run exit']} in {r['run s']:.1f} s; {r['run gate']}")
            print(f"clean outputs:        {r['files']} files, {r['false alarms']} finding(s) (false alarms)"
                  + (f": {r['false alarm rows']}" if r["false alarms"] else ""))
            print(f"planted:              {r['planted']} {r['planted by kind']}; caught {r['caught']} "
                  f"({100 * r['caught'] / max(r['planted'], 1):.0f}%), {r['extra']} other finding(s)")
            print(f"gate seconds:         {r['gate s']:.2f} s (names indexed + all files scanned); "
                  f"HEAD's substring gate {r['HEAD gate s']:.2f} s with {r['HEAD false alarms']} finding(s)")
        print("\npersons     false alarms  caught      gate s  HEAD gate s")
        for r in rows:
            print(f"{r['persons']:>9,}  {r['false alarms']:>12}  {r['caught']:>3}/{r['planted']:<3} "
                  f"{r['gate s']:>9.2f}  {r['HEAD gate s']:>11.2f}")


if __name__ == "__main__":
    main()
