# %% [markdown]
# # Households in difficulty at a glance
#
# A district — or the whole region — on 31 December of the year: who is covered by which
# programme, their age and sex, per-capita income against the minimum-living lines, who
# slipped through the net, and what was paid month by month. At the end, an interactive
# explorer (JupyterLab) filters persons by district, programme, cause, age band and income.
#
# Every figure comes from the `reliefkit` package (`reliefkit.notebook.explore_tables`, `reliefkit.report.charts`);
# personal identifiers and names are masked. Run it for one district with
# `reliefkit run --district NAME` or `papermill … -p district NAME`.

# %% tags=["parameters"]
from typing import Optional

region_dir: str = "data/sample"  # region folder; a relative path is looked up from the working directory, then the repository
year: int = 2026  # the year of the figures: D is 31 December of it
district: Optional[str] = None  # one district (its name, as text); None for the whole region
lang: str = "zh"  # language of labels: zh or en
output_dir: Optional[str] = None  # folder for the workbook this notebook writes; None writes nothing

# %%
from reliefkit.notebook import show  # first: it keeps library noise out of outputs
from reliefkit.notebook import explore_charts, explore_tables, outputs
from reliefkit.report import charts
from reliefkit.notebook.parameters import check_parameters

p = check_parameters(region_dir=region_dir, year=year, district=district, lang=lang, output_dir=output_dir)
people = explore_tables.people(p.scope, p.year)
p

# %% [markdown]
# ## Who is covered
# Households and persons in each standing programme on 31 December; *new* means not in the
# programme on 31 December of the year before; the amount is what the ledger paid in the year.

# %%
explore_tables.overview(p.scope, p.year, p.lang)

# %%
explore_tables.by_area(p.scope, p.year, p.lang, frame=people)

# %%
explore_tables.by_cause(p.scope, p.year, p.lang, frame=people)

# %%
show.chart(charts.coverage_chart(p.scope, p.year, p.lang))

# %% [markdown]
# ## Age and sex of those covered
# Persons on the minimum living allowance (rural or urban) or special-hardship support.

# %%
age = explore_tables.age_sex(p.scope, p.year, p.lang, frame=people)
display(age)
show.chart(explore_charts.age_pyramid(age, p.lang))

# %% [markdown]
# ## Per-capita income against the lines
# Households by per-capita monthly income as a share of the line of their area, and how many
# of them the minimum living allowance pays.

# %%
display(explore_tables.income_bands(p.scope, p.year, p.lang, frame=people))
show.chart(explore_charts.income_chart(people, p.lang))

# %% [markdown]
# ## Who slipped through
# Households below the line by the reference calculation (docs/en/schemes.md) that the registry
# does not pay — the poorest first — and registered-poor persons without a helper.

# %%
explore_tables.slipped_by_district(p.scope, p.year, p.lang)

# %%
explore_tables.slipped_through(p.scope, p.year, p.lang)

# %%
unpaired_counts, unpaired_rows = explore_tables.unpaired_needy(p.scope, p.year, p.lang, frame=people)
display(unpaired_counts, unpaired_rows)

# %% [markdown]
# ## Payments by programme and month

# %%
display(explore_tables.payments_table(p.scope, p.year, p.lang))
show.chart(charts.payments_chart(p.scope, p.year, p.lang))

# %% [markdown]
# ## Explorer
# Choose a district, programme, main cause, age band and income range: the counts, the charts
# and the (masked) list below update. It needs a live kernel (JupyterLab); everything above is
# the same information for the whole scope, as static output.

# %%
from reliefkit.notebook import widgets

widgets.explorer(p)

# %% [markdown]
# ## Files
# Every table above, lists complete, in one workbook (when the notebook has an `output_dir`).

# %%
show.files(outputs.explore_files(p), p.output_dir)
