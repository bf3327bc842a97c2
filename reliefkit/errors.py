"""The one exception hierarchy of reliefkit.

Every error is built from structured fields (file, row, column, key, date …) and its
message ends with what to do next. Personal identifiers never appear unmasked in a
message: callers pass values through :func:`reliefkit.masking.mask_value` first.
"""

from __future__ import annotations

__all__ = [
    "ReliefkitError",
    "RegionReadError",
    "PolicyError",
    "UnknownDistrictError",
    "UnknownHouseholdError",
    "SchemeError",
    "OutputError",
    "RunInterrupted",
    "ParameterError",
    "UsageError",
]


class ReliefkitError(Exception):
    """Base class of every error reliefkit raises on purpose.

    Parameters
    ----------
    what : str
        What went wrong, in one sentence.
    todo : str, optional
        What the user should do next; appended to the message.
    **fields
        Structured context (``file=``, ``row=``, ``column=``, ``key=``, ``date=`` …),
        kept on the exception as ``.fields`` and shown in the message.
    """

    def __init__(self, what: str, todo: str = "", **fields: object) -> None:
        self.what = what
        self.todo = todo
        self.fields = {k: v for k, v in fields.items() if v is not None}
        where = ", ".join(f"{k} {v}" for k, v in self.fields.items())
        msg = f"{where}: {what}" if where else what
        if todo:
            msg = f"{msg} — {todo}"
        super().__init__(msg)


class RegionReadError(ReliefkitError):
    """A region folder or one of its files cannot be read at all."""


class PolicyError(ReliefkitError):
    """A policy or scheme file is malformed, or a parameter has no value on a date."""


class SchemeError(PolicyError):
    """A scheme file (an override of the baseline policy) is malformed."""


class UnknownDistrictError(ReliefkitError, KeyError):
    """A district name that the region does not have."""

    def __str__(self) -> str:  # KeyError would quote the message
        return Exception.__str__(self)


class UnknownHouseholdError(ReliefkitError, KeyError):
    """A household ID that the region does not have (the message says how to find the IDs)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return Exception.__str__(self)


class ParameterError(ReliefkitError, TypeError):
    """A notebook parameter of the wrong type or value."""


class UsageError(ReliefkitError, ValueError):
    """A function of the kit called with arguments it cannot work with (a programming
    mistake of the caller: the message says which argument and what it accepts)."""


class OutputError(ReliefkitError):
    """An output file cannot be written: the folder is read-only, or the disk is full."""


class RunInterrupted(ReliefkitError):
    """A run stopped by SIGINT or SIGTERM: the notebooks that finished are kept, the work
    in progress was killed and its partial files removed.

    ``signum`` is the signal; ``exit_code`` what a shell reports for it (128 + signum).
    """

    def __init__(self, signum: int, finished: int, left: int) -> None:
        import signal

        self.signum = signum
        super().__init__(f"interrupted by {signal.Signals(signum).name}: {finished} notebook(s) finished and "
                         f"kept, {left} not run; no partial file was left",
                         "run the same command again: it skips what finished and runs the rest")

    @property
    def exit_code(self) -> int:
        return 128 + self.signum
