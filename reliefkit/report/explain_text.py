"""The text of a household's explanation (:func:`reliefkit.report.explain.explain`): the
sheet read out at a villagers' review, built from the explanation's data in one language —
words from ``explain.yaml``, numbers through the one formatter, every identifier already
masked in the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reliefkit.text.formatting import Formatter
from reliefkit.text.words import label

__all__ = ["PROGRAMMES", "render"]

#: the programme rules an explanation goes through, in the order the sheet states them
PROGRAMMES = ("dibao", "tekun", "marginal", "temporary", "medical")


class _Writer:
    """Lines of the sheet in one language: words from ``explain.yaml``, numbers through the one formatter."""

    def __init__(self, data: Mapping[str, Any], words: Mapping[str, Any], lang: str) -> None:
        self.d, self.w, self.lang, self.f = data, words, lang, Formatter(lang)
        self.lines: list[str] = []
        self.section = 0

    def say(self, group: str, key: str, indent: int = 1, **values: Any) -> None:
        self.lines.append("  " * indent + self.text(group, key, **values))

    def text(self, group: str, key: str, **values: Any) -> str:
        return str(self.w[group][key]).format(**values)

    def heading(self, key: str, **values: Any) -> None:
        """A numbered section (the sections a household has are numbered in order)."""
        self.section += 1
        self.lines.append("")
        self.lines.append(self.text("heading", "numbered", number=self.section,
                                    numeral=self.w["numerals"][self.section - 1],
                                    title=self.text("heading", key, **values)))

    def money(self, x: float | None) -> str:
        return self.f.money(0.0 if x is None else x)

    def program(self, code: str) -> str:
        return label("program", code, self.lang)

    def rule_program(self, rule: str) -> str:
        return self.program(f"{self.d['area']}_dibao" if rule == "dibao" else rule)

    def join(self, items: list[str]) -> str:
        return ("、" if self.lang == "zh" else ", ").join(items)

    def member(self, i: int) -> tuple[str, str]:
        m = self.d["members"][i]
        return m["name"] or "—", m["person"]


def render(d: Mapping[str, Any], words: Mapping[str, Any], lang: str) -> str:
    """The sheet: members, income, line, each rule test by test, registry, flags, scheme."""
    out = _Writer(d, words, lang)
    if d["programmes"] is not None:
        _label(out)
    out.lines.append(out.text("heading", "title", household=d["household_id"], year=d["year"]))
    out.lines.append(out.text("heading", "scope", day=d["day"], district=d["district"], village=d["village"] or "—",
                              area=words["area"][d["area"]]))
    _render_members(out)
    if d["programmes"] is not None:
        _render_income_and_line(out)
        _render_rules(out)
    _render_registry(out)
    _render_flags(out)
    if d["monitoring"] is not None:
        _render_monitoring(out)
    if d["scheme"] is not None:
        _render_scheme(out)
    return "\n".join(out.lines) + "\n"


def _render_members(out: _Writer) -> None:
    d, w = out.d, out.w
    out.heading("members")
    out.say("line", "members_count", registered=out.f.count(len(d["members"])), n=out.f.count(d["n"]), day=d["day"])
    for k, m in enumerate(d["members"], start=1):
        relation = w["relation"][m["relation"] or "unknown"]
        if not m["alive"]:
            out.say("line", "member_dead", number=k, name=m["name"] or "—", relation=relation, person=m["person"],
                    deceased=m["deceased_on"])
            continue
        age = out.text("line", "age", age=m["age"]) if m["age"] is not None else out.text("line", "age_unknown")
        extra = "".join([
            out.text("line", "disability", grade=m["disability_grade"]) if m["disability_grade"] else "",
            out.text("line", "major_illness") if m["major_illness"] else "",
            out.text("line", "public_employee") if m["public_employee"] else "",
        ])
        out.say("line", "member_alive", number=k, name=m["name"] or "—", relation=relation, person=m["person"],
                age=age, labor=w["labor"][m["labor_ability"] or "unknown"], extra=extra)
    if not d["n"]:
        out.say("line", "nobody_alive")


def _render_income_and_line(out: _Writer) -> None:
    d = out.d
    out.heading("income")
    out.say("line", "income", income=out.money(d["annual_income"]), n=out.f.count(d["n"]), y=out.money(d["y"]))
    if d["medical_spending"] is not None:
        out.say("line", "medical_spending", amount=out.money(d["medical_spending"]))
    out.heading("line")
    line = d["line"]
    since = out.text("line", "since", date=line["since"]) if line["since"] else out.text("line", "since_scheme")
    out.say("line", "line", program=out.rule_program("dibao"), z=out.money(line["value"]), since=since,
            reference=line["reference"])


def _verdict(out: _Writer, passed: bool) -> str:
    return out.text("line", "passed" if passed else "failed")


def _test_text(out: _Writer, t: Mapping[str, Any], programme: Mapping[str, Any]) -> str:
    """What a test checks, with its figures."""
    code, money, f = t["test"], out.money, out.f
    values: dict[str, Any] = {}
    if code in ("dibao_income", "tekun_income", "marginal_income", "temporary_income"):
        values = {"y": money(t["y"]), "z": money(t.get("z")), "basic": money(t.get("basic")),
                  "ratio": f.number(t.get("ratio") or 0), "limit": money(t.get("limit"))}
    elif code == "dibao_public":
        names = [out.member(i)[0] for i in t["persons"]]
        values = {"who": out.text("line", "who_public", names=out.join(names)) if names else ""}
    elif code == "tekun_category":
        v = programme["values"]
        age = out.text("line", "age", age=t["age"]) if t["age"] is not None else out.text("line", "age_unknown")
        grade = out.text("line", "disability", grade=t["grade"]) if t["grade"] else ""
        values = {"min_age": v["min_age"], "child_age": v["child_age"], "max_grade": v["max_disability_grade"],
                  "age": age, "grade": grade}
    elif code == "temporary_cause":
        values = {"cause": label("cause", t["cause"] or "(none)", out.lang),
                  "causes": out.join([label("cause", c, out.lang) for c in t["causes"]])}
    return out.text("test", code, **values)


def _label(out: _Writer) -> None:
    """Each programme's name and each test's words, in the sheet's language, into the data too
    (``label`` and ``text``), so that the dict reads like the sheet."""
    for rule, r in out.d["programmes"].items():
        r["label"] = out.rule_program(rule)
        for t in r.get("tests", []) + [t for p in r.get("persons", []) for t in p["tests"]]:
            t["text"] = _test_text(out, t, r)


def _tests(out: _Writer, tests: list[Mapping[str, Any]], indent: int = 2) -> None:
    for k, t in enumerate(tests, start=1):
        out.say("line", "test", indent, number=k, what=t["text"], verdict=_verdict(out, t["passed"]))


def _failed(out: _Writer, rule: str, programme: Mapping[str, Any]) -> str:
    """Why a rule is not met, in words (the tests that failed)."""
    if rule == "tekun":
        if not programme["persons"]:
            return out.text("failed", "tekun_nobody")
        codes = dict.fromkeys(t["test"] for p in programme["persons"] for t in p["tests"] if not t["passed"])
    elif rule == "medical":
        return out.text("failed", "medical_none")
    else:
        codes = dict.fromkeys(t["test"] for t in programme["tests"] if not t["passed"])
    return out.join([out.text("failed", c) for c in codes])


def _references(out: _Writer, rule: str) -> None:
    policy_refs = out.d["references"].get(rule, [])
    if policy_refs:
        out.say("line", "references", 2, references="；".join(policy_refs) if out.lang == "zh" else "; ".join(policy_refs))


def _render_rules(out: _Writer) -> None:
    d, f, money = out.d, out.f, out.money
    p = d["programmes"]
    out.heading("rules")
    for k, rule in enumerate(PROGRAMMES, start=1):
        r = p[rule]
        out.say("heading", "programme", 1, numeral=out.w["numerals"][k - 1], number=k, section=out.section,
                program=out.rule_program(rule))
        if rule == "tekun":
            _render_tekun(out, r)
        elif rule == "medical":
            if r["class"] == "none":
                out.say("line", "medical_none", 2)
            else:
                out.say("line", "medical_class", 2, klass=out.w["medical_class"][r["class"]])
                out.say("line", "medical_benefit", 2, cap=money(r["cap"]), share=f.number(r["share"] * 100) + "%",
                        spending=money(r["spending"]), deductible=money(r["deductible"]), yearly=money(r["yearly"]))
        else:
            _tests(out, r["tests"])
            if not r["eligible"]:
                out.say("line", "not_eligible", 2, failed=_failed(out, rule, r))
            else:
                out.say("line", "eligible", 2)
                if rule == "dibao":
                    out.say("line", "dibao_benefit", 2, z=money(d["line"]["value"]), y=money(d["y"]),
                            n=f.count(d["n"]), monthly=money(r["monthly"]), yearly=money(r["yearly"]))
                elif rule == "marginal":
                    out.say("line", "marginal_benefit", 2, allowance=money(r["allowance"]), n=f.count(d["n"]),
                            monthly=money(r["monthly"]), yearly=money(r["yearly"]))
                else:
                    out.say("line", "temporary_benefit", 2, months=f.number(r["months"]), z=money(d["line"]["value"]),
                            n=f.count(d["n"]), cap=money(r["cap"]), yearly=money(r["yearly"]))
        _references(out, rule)
    out.lines.append("")
    out.say("line", "total", 1, total=money(d["total_year"]),
            **{rule: money(p[rule]["yearly"]) for rule in PROGRAMMES})
    out.say("line", "check", 1)


def _render_tekun(out: _Writer, r: Mapping[str, Any]) -> None:
    d, money, f = out.d, out.money, out.f
    if not r["persons"]:
        out.say("line", "tekun_none", 2)
        if r["able_members"]:
            out.say("line", "tekun_able", 2, names=out.join([out.member(i)[0] for i in r["able_members"]]))
        return
    for person in r["persons"]:
        name, masked = out.member(person["member"])
        out.say("line", "tekun_person", 2, name=name, person=masked)
        _tests(out, person["tests"], indent=3)
        if person["case"]:
            centralized = out.text("line", "tekun_centralized", supplement=money(person["supplement"])) \
                if person["centralized"] else ""
            out.say("line", "tekun_standard", 3, basic=money(person["basic"]), ratio=f.number(r["values"]["basic_ratio"]),
                    z=money(d["line"]["value"]), care=money(person["care"]), tier=out.w["tier"][person["tier"]],
                    centralized=centralized, standard=money(person["standard"]), share=money(person["dibao_share"]),
                    monthly=money(person["monthly"]))
    if r["eligible"]:
        out.say("line", "tekun_total", 2, monthly=money(r["monthly"]), yearly=money(r["yearly"]))
    else:
        out.say("line", "not_eligible", 2, failed=_failed(out, "tekun", r))


def _render_registry(out: _Writer) -> None:
    d, w = out.d, out.w
    reg = d["registry"]
    out.heading("registry")
    if not reg["enrolments"]:
        out.say("line", "no_enrolment", day=d["day"])
    for e in reg["enrolments"]:
        name, masked = out.member(e["member"])
        out.say("line", "enrolment", name=name, person=masked, program=out.program(e["program"]), start=e["start_date"],
                end=out.text("line", "enrolment_end", end=e["end_date"]) if e["end_date"] else "",
                mode=out.text("line", "enrolment_mode", mode=w["mode"][e["support_mode"]]) if e["support_mode"] else "",
                dead="" if e["alive"] else out.text("line", "enrolment_dead"))
    if not reg["paid"]:
        out.say("line", "paid_none", year=d["year"])
    else:
        out.say("line", "paid", year=d["year"], items=out.join([
            out.text("line", "paid_item", program=out.program(program), amount=out.money(paid["amount"]),
                     payments=out.f.count(paid["payments"])) for program, paid in reg["paid"].items()]))
    if d["programmes"] is None:
        return
    for rule in ("dibao", "tekun", "marginal"):
        r, enrolled = d["programmes"][rule], reg["standing"][rule]
        key = {(True, True): "agree_enrolled", (False, False): "agree_not", (True, False): "enrolled_not_eligible",
               (False, True): "eligible_not_enrolled"}[(enrolled, bool(r["eligible"]))]
        out.say("line", key, program=out.rule_program(rule),
                failed=_failed(out, rule, r) if key == "enrolled_not_eligible" else "")


def _render_flags(out: _Writer) -> None:
    flags = out.d["flags"]
    out.heading("flags")
    if flags is None:
        out.say("line", "flags_need_region")
        return
    if not flags:
        out.say("line", "no_flags")
    for flag in flags:
        detail = out.text("line", "flag_amount", amount=out.money(flag["amount"])) if flag["amount"] is not None else ""
        out.say("line", "flag", label=out.w["flag"][flag["reason"]], person=flag["person"], detail=detail,
                message=flag["message"], todo=out.w["flag_todo"][flag["reason"]])


def _render_monitoring(out: _Writer) -> None:
    m = out.d["monitoring"]
    line = m["line"]
    out.heading("monitoring")
    since = out.text("line", "since", date=line["since"]) if line["since"] else out.text("line", "since_scheme")
    out.say("line", "monitoring_figures", y=out.money(m["y"]), y_net=out.money(m["y_net"]), line=out.money(line["value"]),
            since=since, reference=line["reference"])
    if m["category"] is None:
        out.say("line", "monitoring_none")
        return
    out.say("line", "monitoring_category", category=out.w["monitoring"][m["category"]])
    if m["without_support"]:
        out.say("line", "monitoring_without_support")


def _value_text(out: _Writer, value: Any) -> str:
    if isinstance(value, list):
        return out.join([str(v) for v in value])
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return out.f.number(value)
    return str(value)


def _render_scheme(out: _Writer) -> None:
    s, money = out.d["scheme"], out.money
    out.heading("scheme", name=s["name"])
    for c in s["changes"]:
        out.say("line", "scheme_change", parameter=c["parameter"], before=_value_text(out, c["before"]),
                after=_value_text(out, c["after"]))
    changed = False
    for rule in PROGRAMMES:
        r = s["programmes"][rule]
        if r["eligible_before"] != r["eligible_after"]:
            changed = True
            out.say("line", "scheme_eligible", program=out.rule_program(rule),
                    before=out.text("line", "word_eligible" if r["eligible_before"] else "word_not_eligible"),
                    after=out.text("line", "word_eligible" if r["eligible_after"] else "word_not_eligible"))
        if r["before"] != r["after"]:
            changed = True
            out.say("line", "scheme_program", program=out.rule_program(rule), before=money(r["before"]),
                    after=money(r["after"]))
    if not changed:
        out.say("line", "scheme_no_effect")
    t = s["total"]
    out.say("line", "scheme_total", before=money(t["before"]), after=money(t["after"]),
            delta=("+" if t["after"] >= t["before"] else "") + money(t["after"] - t["before"]))
