# %% tags=["parameters"]
# Comparing assistance schemes (救助方案比较): the baseline policy against the scheme files given
# as `schemes` (YAML, e.g. `notebooks/schemes/rural-180.yaml`; docs/en/schemes.md), simulated by
# one rule and set beside the actual registry and ledger — cost, persons reached, poverty on each
# scheme's lines and on one yardstick, targeting errors, the standard ASPIRE indicators, where the
# money goes, who gains or loses, the rural line swept and the line a budget pays for. Every
# figure, heading and note comes from `reliefkit` (`reliefkit.simulate.compare`,
# `reliefkit.notebook.compare_tables`), in the language of `lang`.
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
from reliefkit.notebook import compare_sweep as sweeps
from reliefkit.notebook import outputs
from reliefkit.simulate.compare import compare
from reliefkit.notebook.parameters import check_parameters

p = check_parameters(region_dir=region_dir, year=year, district=district, lang=lang, schemes=schemes,
                     budget=budget, output_dir=output_dir)
comparison = compare(p.region, p.year, p.schemes, district=p.district)
display(show.markdown(views.intro(comparison, p.scope, p.lang)))
show.parameters(p)

# %%
show.markdown(views.heading("summary", p.lang))

# %%
show.table(views.summary_table(comparison, p.lang), p.lang)

# %%
show.markdown(views.heading("actual", p.lang))

# %%
display(show.table(views.actual_table(comparison, p.lang), p.lang))
show.chart(charts.actual_chart(views.actual_table(comparison, p.lang, text=False), p.lang))

# %%
show.markdown(views.subheading("why", p.lang) + "\n\n" + views.why_note(comparison, p.lang))

# %%
show.table(views.reconciliation_table(comparison, p.lang), p.lang)

# %%
show.markdown(views.heading("indicators", p.lang))

# %%
show.table(views.indicators_table(comparison, p.lang), p.lang)

# %%
show.markdown(views.subheading("quintiles", p.lang))

# %%
display(show.table(views.quintile_view(comparison, p.lang), p.lang))
show.chart(charts.quintile_chart(views.quintile_view(comparison, p.lang, text=False), p.lang))

# %%
show.markdown(views.fixed_heading(comparison, p.lang))

# %%
show.table(views.fixed_table(comparison, p.lang), p.lang)

# %%
show.markdown(views.heading("cost", p.lang))

# %%
display(show.table(views.cost_vs_poverty(comparison, p.lang), p.lang))
show.chart(charts.cost_chart(views.cost_vs_poverty(comparison, p.lang, text=False), p.lang))

# %%
show.markdown(views.heading("fgt", p.lang))

# %%
display(show.table(views.fgt_table(comparison, p.lang), p.lang))
show.chart(charts.fgt_chart(views.fgt_table(comparison, p.lang, text=False), p.lang))

# %%
show.markdown(views.heading("errors", p.lang))

# %%
display(show.table(views.errors_table(comparison, p.lang), p.lang))
show.chart(charts.errors_chart(views.errors_table(comparison, p.lang, text=False), p.lang))

# %%
show.markdown(views.heading("incidence", p.lang))

# %%
display(show.table(views.incidence_table(comparison, p.lang), p.lang))
show.chart(charts.incidence_chart(views.incidence_table(comparison, p.lang, text=False), p.lang))

# %%
show.markdown(views.heading("winners", p.lang))

# %%
display(show.table(views.winners_table(comparison, p.lang, text=True), p.lang))
show.chart(charts.winners_chart(views.winners_table(comparison, p.lang), p.lang))

# %%
show.markdown(views.heading("sweep", p.lang))

# %%
sweep = sweeps.sweep_table(p.scope, p.year)
answer = sweeps.budget(p.scope, p.year, p.budget)
display(show.table(sweeps.budget_table(answer, p.lang), p.lang))
show.markdown(sweeps.budget_note(answer, p.lang))

# %%
show.chart(charts.sweep_chart(sweep, comparison.summary, answer.line, p.lang,
                              views.scheme_labels(comparison, p.lang),
                              paid=views.ledger_paid(comparison)))

# %%
show.table(sweeps.sweep_view(sweep, p.lang), p.lang)

# %%
show.markdown(views.heading("files", p.lang))

# %%
show.files(outputs.compare_files(p, comparison, sweep, answer), p.output_dir, p.lang)
