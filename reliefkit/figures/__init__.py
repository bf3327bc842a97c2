"""Step 3a of the flow — the figures of a year, computed from the registry.

``facts`` the figures a year-end summary states (every key documented in ``docs/``);
``audit`` the integrity flags auditors look for; ``modes`` the assistance modes in
practice. (``reliefkit.facts`` is the function; this package names its module.)
"""

from reliefkit._lazy import lazy_exports

__all__ = ["covered", "audit_totals", "assistance_modes"]
__getattr__, __dir__ = lazy_exports(__name__, {
    "covered": "facts", "audit_totals": "audit", "assistance_modes": "modes",
})
