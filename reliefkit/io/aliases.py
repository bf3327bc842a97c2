"""Alias tables: Chinese (and variant English) headers and code values → canonical names.

Lookups are made on a *folded* form of the text: NFKC-normalised, stripped, lower-cased,
with inner white space and common punctuation removed, so ``"身份证号 "``, ``"身份证号码"``
and ``"Person ID"`` all find their column. More aliases are welcome: add them here.

An office adds its own without code: an ``aliases.yaml`` in the region folder
(:func:`load_region_aliases`; ``docs/en/region-folder.md``) gives more headers per column
(for every table, or for one) and more spellings of code values::

    columns:
      household_id: [户码]          # every table with a household_id column
      persons:
        name: [成员姓名]             # only in the persons table
    codes:
      area: {农业户口: rural, 非农业户口: urban}
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reliefkit.errors import RegionReadError
from reliefkit.io.schema import TABLES, TABLES_BY_NAME

__all__ = ["fold", "ZH_HEADER", "HEADER_ALIASES", "CODE_ALIASES", "ZH_CODES", "TRUE_WORDS", "FALSE_WORDS",
           "TABLE_FILE_ALIASES", "ALIASES_FILE", "RegionAliases", "NO_ALIASES", "load_region_aliases"]

_FOLD_DROP = re.compile(r"[\s_\-()（）\[\]【】:：*]+")


def fold(text: str) -> str:
    """Fold a header or code for alias lookup.

    Examples
    --------
    >>> fold(" 村（社区） ")
    '村社区'
    >>> fold("Household ID")
    'householdid'
    """
    return _FOLD_DROP.sub("", unicodedata.normalize("NFKC", str(text)).strip().lower())


_HEADERS: dict[str, tuple[str, ...]] = {
    # households
    "household_id": ("户编号", "户号", "家庭编号", "户主编号", "户籍编号", "hh_id", "household"),
    "district": ("所属乡镇", "乡镇", "乡镇街道", "乡镇(街道)", "所在乡镇", "街道", "township", "town"),
    "village": ("村(社区)", "村社区", "村", "社区", "村委会", "village_name"),
    "area": ("城乡类别", "城乡", "城乡属性", "户籍类别", "urban_rural"),
    "annual_income": ("家庭年收入", "年收入", "家庭年纯收入", "家庭收入", "income"),
    "has_vehicle": ("有无车辆", "是否有车", "车辆"),
    "has_business": ("有无经营实体", "是否有经营实体", "经营实体"),
    "medical_spending": ("医疗自付费用", "医疗支出", "自付医疗费用", "medical_costs"),
    "housing_safe": ("住房安全", "住房是否安全"),
    "water_safe": ("饮水安全", "饮水是否安全"),
    "main_cause": ("主要致贫原因", "主要困难原因"),
    "causes": ("致贫原因", "困难原因", "all_causes"),
    # persons
    "person_id": ("身份证号", "身份证号码", "公民身份号码", "证件号码", "id_number", "resident_id"),
    "name": ("姓名", "名字", "helper_name", "full_name"),
    "sex": ("性别", "gender"),
    "birth_date": ("出生日期", "出生年月日", "birthday", "date_of_birth", "dob"),
    "relation": ("与户主关系", "与户主的关系", "relationship"),
    "disability_grade": ("残疾等级", "残疾级别", "disability"),
    "chronic_illness": ("慢性病", "是否慢性病", "患慢性病"),
    "major_illness": ("重大疾病", "是否重大疾病", "患重大疾病", "大病"),
    "labor_ability": ("劳动能力", "labour_ability"),
    "employment": ("就业状况", "就业情况", "employment_status"),
    "public_employee": ("公职人员", "是否公职人员", "财政供养人员"),
    "deceased_on": ("死亡日期", "死亡时间", "date_of_death"),
    # enrolments
    "program": ("救助类别", "救助项目", "保障类别", "programme", "program_code"),
    "start_date": ("开始日期", "起始日期", "纳入日期", "结对日期", "start"),
    "end_date": ("结束日期", "终止日期", "退出日期", "end"),
    "support_mode": ("供养方式",),
    # payments
    "payment_id": ("发放编号", "发放记录编号", "流水号"),
    "paid_on": ("发放日期", "发放时间", "payment_date", "date_paid"),
    "amount": ("金额", "发放金额", "救助金额", "金额(元)", "amount_yuan"),
    "source": ("资金来源", "来源", "fund"),
    # helpers and pairings
    "helper_id": ("帮扶人编号", "帮扶责任人编号", "帮扶人id"),
    "unit": ("单位", "工作单位", "所在单位"),
    "unit_type": ("单位类别", "单位类型"),
    "capacity": ("帮扶能力", "可帮扶人数"),
}

#: canonical column name → its Chinese header in DATA.md
ZH_HEADER: dict[str, str] = {c: a[0] for c, a in _HEADERS.items()}

#: folded alias → canonical column name (the canonical names map to themselves)
HEADER_ALIASES: dict[str, str] = {}
for _canon, _aliases in _HEADERS.items():
    for _a in (_canon, *_aliases):
        HEADER_ALIASES[fold(_a)] = _canon

_CODES: dict[str, dict[str, tuple[str, ...]]] = {
    "sex": {"M": ("男", "male", "m", "1"), "F": ("女", "female", "f", "2")},
    "area": {"rural": ("农村", "乡村", "农业"), "urban": ("城镇", "城市", "城区", "非农业")},
    "support_mode": {
        "centralized": ("集中", "集中供养", "centralised"),
        "dispersed": ("分散", "分散供养"),
    },
    "program": {
        "rural_dibao": ("农村低保", "农村最低生活保障"),
        "urban_dibao": ("城市低保", "城镇低保", "城市最低生活保障", "城镇最低生活保障"),
        "tekun": ("特困", "特困供养", "特困人员", "五保", "五保户", "特困人员救助供养"),
        "marginal": ("低保边缘", "低保边缘户", "边缘户", "低收入边缘"),
        "registered_poor": ("建档立卡", "建档立卡贫困户", "贫困户"),
        "temporary": ("临时救助",),
        "medical": ("医疗救助",),
        "donation": ("捐赠", "社会捐赠", "捐款"),
        "holiday_visit": ("节日慰问", "慰问", "走访慰问"),
        "project_fund": ("项目扶持", "项目资金", "项目帮扶"),
        "education_grant": ("助学", "教育救助", "助学金"),
        "one_time": ("一次性救助", "一次性补助"),
    },
    "relation": {
        "head": ("户主", "本人"), "spouse": ("配偶", "妻", "夫"),
        "child": ("子女", "子", "女", "儿子", "女儿"), "parent": ("父母", "父亲", "母亲"),
        "grandchild": ("孙子女", "孙子", "孙女", "外孙子女"), "other": ("其他",),
    },
    "labor_ability": {
        "full": ("有劳动能力", "完全劳动能力", "全劳力", "健全"),
        "partial": ("部分劳动能力", "半劳力", "弱劳力"),
        "none": ("无劳动能力", "丧失劳动能力", "无"),
    },
    "employment": {
        "employed": ("就业", "在业", "在职"), "unemployed": ("失业", "无业"),
        "laid_off": ("下岗",), "farming": ("务农",), "student": ("学生", "在校生", "在校"),
        "retired": ("退休",), "other": ("其他",),
    },
    "unit_type": {
        "municipal_unit": ("市直单位", "市级单位"), "district_organ": ("区直机关", "机关", "县直机关"),
        "village_cadre": ("村干部", "村组干部"), "social_talent": ("社会人士", "社会能人", "乡贤"),
        "enterprise": ("企业",), "trade_union": ("工会",),
    },
    "cause": {
        "illness": ("因病",), "disability": ("因残",), "education": ("因学",),
        "disaster": ("因灾",), "lack_land": ("缺土地", "缺地"), "lack_water": ("缺水",),
        "lack_skills": ("缺技术",), "lack_labor": ("缺劳力", "缺劳动力"),
        "lack_funds": ("缺资金",), "transport": ("交通条件落后", "交通落后"),
        "low_motivation": ("自身发展动力不足", "发展动力不足"), "marriage": ("因婚",),
        "other": ("其他",),
    },
}

#: column → {folded alias → code}; ``main_cause`` and ``causes`` share the cause table
CODE_ALIASES: dict[str, dict[str, str]] = {}
for _col, _table in _CODES.items():
    _m: dict[str, str] = {}
    for _code, _aliases in _table.items():
        for _a in (_code, *_aliases):
            _m[fold(_a)] = _code
    CODE_ALIASES[_col] = _m
CODE_ALIASES["main_cause"] = CODE_ALIASES["causes"] = CODE_ALIASES.pop("cause")

#: column → {code → its first Chinese name} (``area``: rural → 农村 …), for writing
ZH_CODES: dict[str, dict[str, str]] = {
    col: {code: aliases[0] for code, aliases in table.items() if aliases and not aliases[0].isascii()}
    for col, table in _CODES.items()
}
ZH_CODES["main_cause"] = ZH_CODES["causes"] = ZH_CODES.pop("cause")

TRUE_WORDS = frozenset({"true", "1", "是", "y", "yes", "t", "有", "1.0", "√"})
FALSE_WORDS = frozenset({"false", "0", "否", "n", "no", "f", "无", "0.0", "×"})

#: table file names: canonical name or Chinese equivalent (file stem, folded)
_TABLE_FILES: dict[str, tuple[str, ...]] = {
    "households": ("家庭", "家庭信息", "户", "户信息"),
    "persons": ("人员", "家庭成员", "成员", "人员信息"),
    "enrolments": ("enrollments", "救助对象", "保障对象", "纳入记录"),
    "payments": ("发放", "发放记录", "资金发放", "台账"),
    "helpers": ("帮扶人", "帮扶责任人"),
    "pairings": ("结对", "结对帮扶", "帮扶关系"),
}
TABLE_FILE_ALIASES: dict[str, str] = {
    fold(a): t for t, aliases in _TABLE_FILES.items() for a in (t, *aliases)
}


#: the file of a region folder that holds the office's own aliases
ALIASES_FILE = "aliases.yaml"


@dataclass(frozen=True)
class RegionAliases:
    """A region folder's own aliases (``aliases.yaml``), over the kit's.

    Attributes
    ----------
    headers : dict
        Table name → {folded header → canonical column}: the office's headers only.
    codes : dict
        Column → {folded value → code}: the office's spellings only.
    """

    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def header_map(self, table: str) -> dict[str, str]:
        """Folded header → canonical column, for ``table``: the kit's aliases and the office's.

        Examples
        --------
        >>> RegionAliases({"persons": {"成员姓名": "name"}}).header_map("persons")[fold("成员姓名")]
        'name'
        """
        own = self.headers.get(table)
        return {**HEADER_ALIASES, **own} if own else HEADER_ALIASES

    def code_map(self, column: str) -> dict[str, str]:
        """Folded value → code, for ``column``: the kit's aliases and the office's."""
        own = self.codes.get(column)
        return {**CODE_ALIASES.get(column, {}), **own} if own else CODE_ALIASES.get(column, {})


#: a region folder without ``aliases.yaml``
NO_ALIASES = RegionAliases()


def _bad(path: Path, key: str, what: str, todo: str) -> RegionReadError:
    return RegionReadError(what, todo + " (docs/en/region-folder.md, section aliases.yaml)", file=path.name, key=key)


def _alias_list(path: Path, key: str, value: Any) -> list[str]:
    items = [value] if isinstance(value, (str, int)) else value
    if not isinstance(items, list) or not items or any(
            not isinstance(a, (str, int)) or isinstance(a, bool) or not fold(str(a)) for a in items):
        raise _bad(path, key, "is not a list of column names",
                   "write the headers your files use as a list: [户码, 家庭户号]")
    return [str(a) for a in items]


def _add_headers(path: Path, key: str, table: str, column: str, value: Any,
                 into: dict[str, dict[str, str]]) -> None:
    names = TABLES_BY_NAME[table].names
    own = into.setdefault(table, {})
    for alias in _alias_list(path, key, value):
        f = fold(alias)
        if f in {fold(n) for n in names if n != column}:
            raise _bad(path, key, f"gives '{alias}', the name of another column of {table}, to {column}",
                       "remove it: a canonical column name always means that column")
        if own.get(f, column) != column:
            raise _bad(path, key, f"gives '{alias}' to both {own[f]} and {column} in {table}",
                       "keep it under one column only")
        own[f] = column


def _read_yaml(path: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise _bad(path, "(file)", "is not UTF-8 text", "save it again as UTF-8") from None
    except yaml.YAMLError as e:
        where = getattr(e, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise _bad(path, "(file)", f"is not valid YAML{line}",
                   "check the indentation and the colons; aliases.yaml holds `columns:` and `codes:`") from None


def load_region_aliases(region: str | Path) -> RegionAliases:
    """The office's own aliases of a region folder (``aliases.yaml``), checked.

    ``columns`` maps a canonical column to a list of headers (for every table with that
    column), or a table to such a map (for that table only); ``codes`` maps a coded column
    to ``{value: code}``. Office aliases come before the kit's.

    Parameters
    ----------
    region : path
        A region folder (a one-workbook region, or a folder without the file, has none).

    Returns
    -------
    RegionAliases

    Raises
    ------
    RegionReadError
        When the file is not valid YAML or a key is not what the file may hold: the
        message names the file and the key (``columns.persons.nmae``) and says what to do.

    Examples
    --------
    >>> load_region_aliases("data/sample") == NO_ALIASES
    True
    """
    path = Path(region) / ALIASES_FILE
    if not path.is_file():
        return NO_ALIASES
    data = _read_yaml(path)
    if data is None:
        return NO_ALIASES
    if not isinstance(data, dict):
        raise _bad(path, "(file)", "is not a map", "write `columns:` and/or `codes:` at the top level")
    for key in data:
        if key not in ("columns", "codes"):
            raise _bad(path, str(key), "is not a key aliases.yaml may hold", "use `columns:` or `codes:`")
    headers: dict[str, dict[str, str]] = {}
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        raise _bad(path, "columns", "is not a map", "write `canonical_column: [header, …]` under it")
    every = {c.name for t in TABLES for c in t.columns}
    per_table = {k: v for k, v in columns.items() if k in TABLES_BY_NAME}
    for column, value in columns.items():
        if column in per_table:
            continue
        if column not in every:
            raise _bad(path, f"columns.{column}", "is neither a column nor a table of the data contract",
                       "use a canonical column name (household_id, person_id, name …) or a table name (persons …)")
        for t in TABLES:
            if column in t.names:
                _add_headers(path, f"columns.{column}", t.name, column, value, headers)
    for table, sub in per_table.items():
        if not isinstance(sub, dict):
            raise _bad(path, f"columns.{table}", "is not a map", "write `column: [header, …]` under the table")
        for column, value in sub.items():
            if column not in TABLES_BY_NAME[table].names:
                raise _bad(path, f"columns.{table}.{column}", f"is not a column of {table}",
                           f"use one of: {', '.join(TABLES_BY_NAME[table].names)}")
            _add_headers(path, f"columns.{table}.{column}", table, column, value, headers)
    codes: dict[str, dict[str, str]] = {}
    given = data.get("codes") or {}
    if not isinstance(given, dict):
        raise _bad(path, "codes", "is not a map", "write `column: {value: code, …}` under it")
    coded = {c.name: c.codes for t in TABLES for c in t.columns if c.kind in ("code", "codes")}
    for column, mapping in given.items():
        if column not in coded:
            raise _bad(path, f"codes.{column}", "is not a coded column of the data contract",
                       f"use one of: {', '.join(coded)}")
        if not isinstance(mapping, dict) or not mapping:
            raise _bad(path, f"codes.{column}", "is not a map of values to codes", "write `{农业户口: rural, …}`")
        own = codes.setdefault(column, {})
        for alias, code in mapping.items():
            if str(code) not in coded[column]:
                raise _bad(path, f"codes.{column}.{alias}", f"maps to '{code}', which is not a code of {column}",
                           f"use one of: {', '.join(coded[column])}")
            own[fold(str(alias))] = str(code)
    return RegionAliases(headers, codes)
