# %% tags=["parameters"]
# Households in difficulty at a glance (困难群众基本情况): a district — or the whole region —
# on 31 December of the year: who is covered by which programme, their age and sex,
# per-capita income against the minimum-living lines, who slipped through the net, the
# households monitored against return to poverty and the pairing suggestions, what was paid
# month by month, and an interactive explorer (JupyterLab). Every figure, heading and note
# comes from the `reliefkit` package, in the language of `lang`; personal identifiers and
# names are masked. Run it for one district with `reliefkit run --district NAME` or
# `papermill … -p district NAME`.
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
show.title("explore_title", p.lang, scope=p.scope.scope_name(p.lang), year=p.year)

# %%
show.paragraph("explore_intro", p.lang, scope=p.scope.scope_name(p.lang), year=p.year)

# %%
show.parameters(p)

# %%
show.section("covered", p.lang)

# %%
show.table(explore_tables.overview(p.scope, p.year, p.lang), p.lang)

# %%
show.table(explore_tables.by_area(p.scope, p.year, p.lang, frame=people), p.lang)

# %%
show.table(explore_tables.by_cause(p.scope, p.year, p.lang, frame=people), p.lang)

# %%
show.chart(charts.coverage_chart(p.scope, p.year, p.lang))

# %%
show.section("age_sex", p.lang)

# %%
age = explore_tables.age_sex(p.scope, p.year, p.lang, frame=people)
display(show.table(age, p.lang))
show.chart(explore_charts.age_pyramid(age, p.lang))

# %%
show.section("income", p.lang)

# %%
display(show.table(explore_tables.income_bands(p.scope, p.year, p.lang, frame=people), p.lang))
show.chart(explore_charts.income_chart(people, p.lang))

# %%
show.section("slipped", p.lang)

# %%
show.table(explore_tables.slipped_by_district(p.scope, p.year, p.lang), p.lang)

# %%
show.table(explore_tables.slipped_through(p.scope, p.year, p.lang), p.lang)

# %%
unpaired_counts, unpaired_rows = explore_tables.unpaired_needy(p.scope, p.year, p.lang, frame=people)
display(show.table(unpaired_counts, p.lang), show.table(unpaired_rows, p.lang))

# %%
show.section("monitoring", p.lang)

# %%
display(show.table(explore_tables.monitoring_table(p.scope, p.year, p.lang), p.lang),
        show.table(explore_tables.monitored_list(p.scope, p.year, p.lang), p.lang))

# %%
show.section("pairing", p.lang)

# %%
show.table(explore_tables.suggestion_table(p.scope, p.year, p.lang), p.lang)

# %%
show.section("payments", p.lang)

# %%
display(show.table(explore_tables.payments_table(p.scope, p.year, p.lang), p.lang))
show.chart(charts.payments_chart(p.scope, p.year, p.lang))

# %%
show.section("explorer", p.lang)

# %%
from reliefkit.notebook import widgets

show.explorer(widgets.explorer(p), p.lang)

# %%
show.section("files", p.lang)

# %%
show.files(outputs.explore_files(p), p.output_dir, p.lang)
