# %% [markdown]
# # Comparing assistance schemes
#
# The baseline policy against the schemes given as a parameter — each a YAML file that sets
# policy parameters (docs/en/schemes.md), e.g. `notebooks/schemes/rural-180.yaml`.
# For every scheme: what it costs, whom it reaches, how much poverty it removes (FGT
# indices), its targeting errors, where the money goes by income decile, and which
# households gain or lose. Then the rural line swept over a range, and the highest line a
# yearly budget pays for. Every table is also written to one XLSX workbook.
#
# Figures come from `reliefkit.simulate.compare`, `reliefkit.simulate.sweep` and `reliefkit.notebook.compare_tables`.

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
from reliefkit.notebook import compare_charts, compare_tables, outputs
from reliefkit.simulate.compare import compare
from reliefkit.notebook.parameters import check_parameters

p = check_parameters(region_dir=region_dir, year=year, district=district, lang=lang, schemes=schemes,
                     budget=budget, output_dir=output_dir)
comparison = compare(p.region, p.year, p.schemes, district=p.district)
p

# %% [markdown]
# ## The schemes side by side
# *Receiving*: households eligible under the reference calculation; the cost is the yearly
# minimum living allowance; *registry* errors compare the actual enrolment with each rule.

# %%
compare_tables.summary_table(comparison, p.lang)

# %% [markdown]
# ## Cost against poverty removed
# Gap removed: the poverty-gap index P1 before minus after, in percentage points, each scheme
# measured against its own lines.

# %%
cost = compare_tables.cost_vs_poverty(comparison, p.lang)
display(cost)
show.chart(compare_charts.cost_chart(cost, p.lang))

# %% [markdown]
# ## Poverty before and after (FGT)

# %%
fgt = compare_tables.fgt_table(comparison, p.lang)
display(fgt)
show.chart(compare_charts.fgt_chart(fgt, p.lang))

# %% [markdown]
# ## Targeting errors
# Exclusion: the share of poor persons in households that receive nothing; inclusion: the
# share of persons in receiving households who were not poor.

# %%
errors = compare_tables.errors_table(comparison, p.lang)
display(errors)
show.chart(compare_charts.errors_chart(errors, p.lang))

# %% [markdown]
# ## Incidence by income decile
# Share of each scheme's allowance reaching each tenth of persons ranked by per-capita income
# before transfers.

# %%
incidence = compare_tables.incidence_table(comparison, p.lang)
display(incidence)
show.chart(compare_charts.incidence_chart(incidence, p.lang))

# %% [markdown]
# ## Winners and losers
# Households by the change in what they receive a year from every programme, against the
# baseline.

# %%
winners = compare_tables.winners_table(comparison, p.lang)
display(winners)
show.chart(compare_charts.winners_chart(winners, p.lang))

# %% [markdown]
# ## Sweeping the rural line, and the budget line
# The reference figures at rural lines from half to twice the one in force; the schemes as
# points; the dashed rule marks the highest rural line the budget pays for.

# %%
sweep = compare_tables.sweep_table(p.scope, p.year)
answer = compare_tables.budget(p.scope, p.year, p.budget)
display(compare_tables.budget_table(answer, p.lang))
show.chart(compare_charts.sweep_chart(sweep, comparison.summary, answer.line, p.lang))

# %%
sweep

# %% [markdown]
# ## Files
# Every table (unrounded), the sweep and the budget answer in one workbook (when the
# notebook has an `output_dir`).

# %%
show.files(outputs.compare_files(p, comparison, sweep, answer), p.output_dir)
