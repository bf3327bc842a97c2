# %% tags=["parameters"]
# Year-end work summary (年度社会救助工作总结): the narrative summary of the year for a
# district or the whole region, in Chinese or English, written from the figures of
# `reliefkit.report.summary_figures` through the templates of `reliefkit/report/templates/` —
# every number is a fact key, listed in the appendix. With an `output_dir`, the summary is
# also written as Markdown (charts beside it), HTML and DOCX, with the statistical table for
# publication (persons per programme, small cells suppressed) as CSV and XLSX.
from typing import Optional

region_dir: str = "data/sample"  # region folder; a relative path is looked up from the working directory, then the repository
year: int = 2026  # the year summarised
district: Optional[str] = None  # one district (its name, as text); None for the whole region
lang: str = "zh"  # language of the summary: zh or en
name: Optional[str] = None  # what the text calls the scope, overriding its own name (region.yaml, the district's name)
output_dir: Optional[str] = None  # folder for the summary files; None writes nothing

# %%
from reliefkit.notebook import show  # first: it keeps library noise out of outputs
from reliefkit.notebook import outputs
from reliefkit.report import summary
from reliefkit.notebook.parameters import check_parameters

p = check_parameters(region_dir=region_dir, year=year, district=district, lang=lang, name=name,
                     output_dir=output_dir)
written = outputs.summary_files(p)  # Markdown, HTML, DOCX, chart PNGs, the published table; none without an output_dir
show.parameters(p)

# %%
show.paragraph("summary_intro", p.lang, scope=p.name or p.scope.scope_name(p.lang), year=p.year)

# %%
show.markdown(summary.render(p.region, p.year, p.district, p.lang, name=p.name).markdown)

# %%
show.section("summary_charts", p.lang)

# %%
show.pngs(outputs.summary_charts(p, written))

# %%
show.section("summary_files", p.lang)

# %%
show.files(written, p.output_dir, p.lang)
