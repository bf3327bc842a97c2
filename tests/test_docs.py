"""The project's own documentation (docs/) keeps up with the package.

- every key ``facts`` prints (region and each district) is documented, in backticks, in
  docs/zh/facts.md and docs/en/facts.md — directly or through a placeholder pattern such as
  ``P.persons`` (the convention stated at the top of facts.md: a whole dot-separated segment
  ``P``, ``Q``, ``T`` or ``C`` stands for each code of its list);
- every column of every table of ``reliefkit.io.schema`` has a row in its table's section of
  docs/*/region-folder.md, with its Chinese header from ``ZH_HEADER``, and every code is listed;
- every parameter path of ``reliefkit/policy/baseline.yaml`` is in docs/*/policies.md;
- links between the documents resolve, and the index links every document;
- no tracked file refers to the data contract outside the repository.
"""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pytest

from reliefkit import facts, load_region
from reliefkit.io.aliases import ZH_HEADER
from reliefkit.io.schema import ONE_OFF_PROGRAMS, STANDING_PROGRAMS, TABLES, UNIT_TYPES
from reliefkit.policy.parameters import baseline_policy

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
LANGS = ("zh", "en")
DOCUMENTS = ("region-folder.md", "facts.md", "schemes.md", "policies.md")

#: placeholder of facts.md → the codes it stands for
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "P": STANDING_PROGRAMS,
    "Q": ONE_OFF_PROGRAMS,
    "T": UNIT_TYPES,
    "C": ("unstable", "edge", "sudden"),
}

_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _read(lang: str, name: str) -> str:
    path = DOCS / lang / name
    assert path.is_file(), f"{path.relative_to(REPO)} is missing"
    return path.read_text(encoding="utf-8")


def _spans(text: str) -> set[str]:
    """The text of every inline code span (`…`)."""
    return {s.strip() for s in _CODE_SPAN.findall(text)}


def _expand(span: str) -> set[str]:
    """A documented key with its placeholder segments expanded (``P.paid`` → five keys)."""
    parts = span.split(".")
    choices = [PLACEHOLDERS.get(p, (p,)) for p in parts]
    return {".".join(combo) for combo in itertools.product(*choices)}


def _documented_keys(text: str) -> set[str]:
    out: set[str] = set()
    for span in _spans(text):
        out |= _expand(span)
    return out


@pytest.fixture(scope="module")
def sample_facts() -> dict[str, dict]:
    """``facts`` of the sample region for 2026: the region and every district."""
    region = load_region(REPO / "data" / "sample")
    out = {"region": facts(region, 2026)}
    for d in region.districts:
        out[d] = facts(region, 2026, district=d)
    return out


# --------------------------------------------------------------------------- facts.md
def test_the_expansion_of_placeholders():
    assert _expand("P.persons") == {f"{p}.persons" for p in STANDING_PROGRAMS}
    assert _expand("pairing.by_unit_type.T") == {f"pairing.by_unit_type.{t}" for t in UNIT_TYPES}
    assert _expand("persons.alive") == {"persons.alive"}
    assert _expand("PP.persons") == {"PP.persons"}  # only a whole segment is a placeholder


@pytest.mark.parametrize("lang", LANGS)
def test_every_key_facts_prints_is_documented(lang, sample_facts):
    documented = _documented_keys(_read(lang, "facts.md"))
    for scope, figures in sample_facts.items():
        missing = sorted(k for k in figures if k not in documented)
        assert not missing, f"docs/{lang}/facts.md does not document these keys ({scope}): {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_facts_md_states_the_placeholder_convention(lang):
    text = _read(lang, "facts.md")
    spans = _spans(text)
    head = text[: text.index("```")]  # the convention comes before the first example
    for letter, codes in PLACEHOLDERS.items():
        assert f"`{letter}`" in head, f"docs/{lang}/facts.md does not introduce the placeholder {letter}"
        missing = [c for c in codes if c not in spans]
        assert not missing, f"docs/{lang}/facts.md does not list what {letter} stands for: {missing}"


# --------------------------------------------------------------------------- region-folder.md
def _section(text: str, table: str) -> str:
    """The ``###`` section whose heading names ``table`` in backticks."""
    sections = re.split(r"(?m)^### ", text)
    found = [s for s in sections[1:] if f"`{table}`" in s.splitlines()[0]]
    assert len(found) == 1, f"expected one '### … `{table}`' section, found {len(found)}"
    return found[0]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_column_is_documented_with_its_chinese_header(lang, table):
    section = _section(_read(lang, "region-folder.md"), table.name)
    rows = [line for line in section.splitlines() if line.startswith("|")]
    for column in table.columns:
        mine = [r for r in rows if r.startswith(f"| `{column.name}` |")]
        assert mine, f"docs/{lang}/region-folder.md, table {table.name}: no row for `{column.name}`"
        cells = [c.strip() for c in mine[0].strip("|").split("|")]
        zh = column.zh or ZH_HEADER[column.name]
        assert cells[1] == zh, (
            f"docs/{lang}/region-folder.md, {table.name}.{column.name}: Chinese header {cells[1]!r}, expected {zh!r}")


@pytest.mark.parametrize("lang", LANGS)
def test_every_code_is_listed(lang):
    spans = _spans(_read(lang, "region-folder.md"))
    missing = sorted({f"{t.name}.{c.name}={code}" for t in TABLES for c in t.columns for code in c.codes
                      if code not in spans})
    assert not missing, f"docs/{lang}/region-folder.md does not list these codes: {missing}"


# --------------------------------------------------------------------------- policies.md
@pytest.mark.parametrize("lang", LANGS)
def test_every_baseline_parameter_is_documented(lang):
    spans = _spans(_read(lang, "policies.md"))
    missing = [p for p in baseline_policy().paths if p not in spans]
    assert not missing, f"docs/{lang}/policies.md does not document: {missing}"


# --------------------------------------------------------------------------- links
def test_every_relative_link_resolves():
    broken = []
    for path in sorted(DOCS.rglob("*.md")):
        for target in re.findall(r"\]\(([^)\s]+)\)", path.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("#"):
                continue
            if not (path.parent / target.split("#")[0]).exists():
                broken.append(f"{path.relative_to(REPO)} → {target}")
    assert not broken, broken


def test_the_index_links_every_document():
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    missing = [f"{lang}/{name}" for lang in LANGS for name in DOCUMENTS if f"]({lang}/{name})" not in index]
    assert not missing, f"docs/README.md does not link: {missing}"


# --------------------------------------------------------------------------- self-contained
def test_no_tracked_file_refers_to_the_contract_outside_the_repository():
    # the needles are built so that this file does not contain them
    needles = ("shared" + "/DATA", ".." + "/shared")
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git work tree")
    hits = []
    for name in listed.decode("utf-8", "surrogateescape").split("\0"):
        if not name or name.startswith(".ci/"):
            continue
        path = REPO / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        hits += [f"{name}: {n}" for n in needles if n.encode() in data]
    assert not hits, "\n".join(hits)
