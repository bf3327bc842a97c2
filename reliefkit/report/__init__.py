"""Step 4 of the flow — what an office hands in.

``summary_figures`` the figures a summary needs beyond the facts; ``narrative`` the text
from those figures and ``templates/`` (one per language); ``summary`` renders and writes
it through ``documents`` (Markdown, HTML, DOCX); ``charts`` with ``style`` and ``fonts``
(the CJK font); ``publication`` the statistical table for publication (small cells
suppressed); ``publicity`` the per-village publicity lists.
"""

from reliefkit._lazy import lazy_exports

__all__ = ["write_summary", "render_summary", "write_published", "write_publicity"]
__getattr__, __dir__ = lazy_exports(__name__, {
    "write_summary": "summary", "render_summary": "narrative", "write_published": "publication",
    "write_publicity": "publicity",
})
