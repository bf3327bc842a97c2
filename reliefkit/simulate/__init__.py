"""Step 3b of the flow — schemes simulated on the registry.

``prepared`` the policy-independent arrays of a region on D (:class:`Prepared`, once per
region and year); ``rules`` one rule function per programme (eligibility and benefit);
``simulation`` composes the rules under a policy; ``poverty`` the one FGT, Watts and Gini
kernel, by group; ``grouped`` and ``measures`` every figure of a simulation, for the
scope or by group; ``indicators`` the standard ASPIRE indicators (quintiles, coverage,
incidence, adequacy, gap removed per yuan, overlap) and poverty on a fixed yardstick;
``actual`` the registry and ledger beside the rule and why they differ; ``compare`` the
baseline against schemes; ``sweep`` a line swept and the line a budget pays for.
"""

from reliefkit._lazy import lazy_exports

__all__ = ["Prepared", "Simulation", "prepare", "simulate", "Comparison", "budget_line"]
__getattr__, __dir__ = lazy_exports(__name__, {
    "Prepared": "prepared", "prepare": "prepared", "Simulation": "simulation", "simulate": "simulation",
    "Comparison": "compare", "budget_line": "sweep",
})
