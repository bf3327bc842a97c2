"""Step 3b of the flow — schemes simulated on the registry.

``rules`` one rule function per programme (eligibility and benefit); ``simulation``
prepares a region once (:class:`Base`) and composes the rules under a policy;
``measures`` FGT, Watts, Gini, targeting errors, incidence; ``compare`` the baseline
against schemes; ``sweep`` a line swept and the line a budget pays for.
"""

from reliefkit._lazy import lazy_exports

__all__ = ["Base", "Simulation", "prepare", "simulate", "Comparison", "budget_line"]
__getattr__, __dir__ = lazy_exports(__name__, {
    "Base": "simulation", "Simulation": "simulation", "prepare": "simulation", "simulate": "simulation",
    "Comparison": "compare", "budget_line": "sweep",
})
