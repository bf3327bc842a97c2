# %% [markdown]
# # 救助方案比较 · Comparing assistance schemes
#
# 现行政策与参数 `schemes` 给出的方案（YAML 文件，如 `notebooks/schemes/rural-180.yaml`）按统一规则测算，
# 并与现有名册和台账对照；下文的标题、说明、表格和图表随参数 `lang` 使用中文或英文。
#
# The baseline policy against the scheme files given as `schemes`, simulated by one rule and set
# beside the actual registry and ledger; headings, notes, tables and charts below follow `lang`.
# Every figure comes from `reliefkit.simulate.compare` and `reliefkit.notebook.compare_tables`.

# %% tags=["parameters"]
from typing import Optional

region_dir: str = "data/sample"  # region folder; a relative path is looked up from the working directory, then the repository
year: int = 2026  # the year: schemes apply to the households on 31 December of it
district: Optional[str] = None  # one district (its name, as text); None for the whole region
lang: str = "zh"  # language of labels: zh or en
schemes: list[str] = ["notebooks/schemes/rural-180.yaml", "notebooks/schemes/rural-165-marginal-30.yaml"]  # scheme files (a list, or the list as text)
budget: Optional[float] = None  # yearly minimum-living budget in yuan; None for what the ledger paid in the year
output_dir: Optional[str] = None  # folder for the workbook this notebook writes; None writes nothing

# %%
from reliefkit.notebook import show  # first: it keeps library noise out of outputs
from reliefkit.notebook import compare_charts as charts
from reliefkit.notebook import compare_tables as views
from reliefkit.notebook import outputs
from reliefkit.simulate.compare import compare
from reliefkit.notebook.parameters import check_parameters

p = check_parameters(region_dir=region_dir, year=year, district=district, lang=lang, schemes=schemes,
                     budget=budget, output_dir=output_dir)
comparison = compare(p.region, p.year, p.schemes, district=p.district)
show.markdown(views.intro(comparison, p.region, p.lang))

# %%
show.markdown(views.heading("summary", p.lang))

# %%
views.summary_table(comparison, p.lang)

# %%
show.markdown(views.heading("actual", p.lang))

# %%
actual = views.actual_table(comparison, p.lang)
display(actual)
show.chart(charts.actual_chart(views.actual_table(comparison, p.lang, text=False), p.lang))

# %%
show.markdown(views.heading("why", p.lang, 3) + "\n\n" + views.why_note(comparison, p.lang))

# %%
views.reconciliation_table(comparison, p.lang)

# %%
show.markdown(views.heading("indicators", p.lang))

# %%
views.indicators_table(comparison, p.lang)

# %%
show.markdown(views.heading("quintiles", p.lang, 3))

# %%
display(views.quintile_view(comparison, p.lang))
show.chart(charts.quintile_chart(views.quintile_view(comparison, p.lang, text=False), p.lang))

# %%
show.markdown(views.fixed_heading(comparison, p.lang))

# %%
views.fixed_table(comparison, p.lang)

# %%
show.markdown(views.heading("cost", p.lang))

# %%
display(views.cost_vs_poverty(comparison, p.lang))
show.chart(charts.cost_chart(views.cost_vs_poverty(comparison, p.lang, text=False), p.lang))

# %%
show.markdown(views.heading("fgt", p.lang))

# %%
display(views.fgt_table(comparison, p.lang))
show.chart(charts.fgt_chart(views.fgt_table(comparison, p.lang, text=False), p.lang))

# %%
show.markdown(views.heading("errors", p.lang))

# %%
display(views.errors_table(comparison, p.lang))
show.chart(charts.errors_chart(views.errors_table(comparison, p.lang, text=False), p.lang))

# %%
show.markdown(views.heading("incidence", p.lang))

# %%
display(views.incidence_table(comparison, p.lang))
show.chart(charts.incidence_chart(views.incidence_table(comparison, p.lang, text=False), p.lang))

# %%
show.markdown(views.heading("winners", p.lang))

# %%
display(views.winners_table(comparison, p.lang, text=True))
show.chart(charts.winners_chart(views.winners_table(comparison, p.lang), p.lang))

# %%
show.markdown(views.heading("sweep", p.lang))

# %%
sweep = views.sweep_table(p.scope, p.year)
answer = views.budget(p.scope, p.year, p.budget)
display(views.budget_table(answer, p.lang))
show.markdown(views.budget_note(answer, p.lang))

# %%
show.chart(charts.sweep_chart(sweep, comparison.summary, answer.line, p.lang,
                              [comparison.label(n, p.lang) for n in comparison.names],
                              paid=comparison.summary["actual_paid_year"].iloc[0]))

# %%
views.sweep_view(sweep, p.lang)

# %%
show.markdown(views.heading("files", p.lang))

# %%
show.files(outputs.compare_files(p, comparison, sweep, answer), p.output_dir)
