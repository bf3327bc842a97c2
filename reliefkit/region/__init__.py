"""Step 2 of the flow — the validated region.

``region`` holds :class:`Region` (validated frames, districts, ``.district(name)``) and
:func:`load_region`; ``days`` the rules of a day that every figure shares: the year's
end, alive on a day, active on a day, paid in a year.
"""

from reliefkit._lazy import lazy_exports

__all__ = ["Region", "load_region", "year_end", "alive_on", "active_on", "paid_in"]
__getattr__, __dir__ = lazy_exports(__name__, {
    "Region": "region", "load_region": "region",
    "year_end": "days", "alive_on": "days", "active_on": "days", "paid_in": "days",
})
