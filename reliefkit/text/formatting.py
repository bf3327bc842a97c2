"""The one formatter of numbers in reliefkit's text and tables, per language.

Every figure printed in a summary goes through :class:`Formatter`, so that a number in
the text can be traced back to its value (and tests can parse it back):

============  ==================  =================
kind          ``en``              ``zh``
============  ==================  =================
``count``     ``1,171``           ``1171``
``money``     ``36,400 yuan``     ``36400元``
``amount``    ``2,223,129.96 yuan``  ``222.31万元``
``percent``   ``74.7%``           ``74.7%``
``year``      ``2026``            ``2026``
============  ==================  =================

Money keeps its cents only when it has any (``701,861.64 yuan``); a percentage is a share
(a fraction from 0 to 1) shown with one decimal, rounded half up. Counts and money have
no thousands separator in Chinese text, as official documents write them. ``amount`` is a
sum of money as a summary states it: in Chinese, 10,000 yuan and more in 万元 with two
decimals (``222.31万元``), less in yuan (``8900元``); in English as ``money``.

Tables are another matter: :meth:`Formatter.cell` prints a table cell in either language
with thousands separators and a fixed number of decimals per kind (counts none, money
and numbers two, percentages one, indices four), so that a column lines up
(``38,625.00`` above ``0.00``); the unit belongs in the column's header, a missing value
is ``—``.

Examples
--------
>>> en, zh = Formatter("en"), Formatter("zh")
>>> en.money(36400), zh.money(36400)
('36,400 yuan', '36400元')
>>> zh.amount(2223129.96), zh.amount(8900), en.amount(2223129.96)
('222.31万元', '8900元', '2,223,129.96 yuan')
>>> en.percent(56 / 75), zh.percent(56 / 75)
('74.7%', '74.7%')
>>> en.quantity(1, "person", "persons"), en.quantity(106, "person", "persons"), zh.quantity(106, "人")
('1 person', '106 persons', '106人')
>>> zh.cell(38625, "money"), zh.cell(6830, "count"), en.cell(0.3122, "percent"), zh.cell(None, "money")
('38,625.00', '6,830', '31.2%', '—')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from reliefkit.errors import ReliefkitError

__all__ = ["Formatter", "LANGS", "KINDS", "Kind", "WAN", "NUMBER_PATTERN", "parse_number"]

LANGS = ("zh", "en")
Kind = Literal["count", "money", "amount", "percent", "year", "number"]
KINDS: tuple[str, ...] = ("count", "money", "amount", "percent", "year", "number")
#: from this many yuan on, a Chinese summary states an amount in 万元
WAN = 10_000

#: a number as :class:`Formatter` prints it (en thousands separators, decimals, a percent sign)
NUMBER_PATTERN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?%?")


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ReliefkitError(f"there is no narrative language {lang!r}", f"use one of: {', '.join(LANGS)}",
                             lang=lang)
    return lang


def _half_up(x: float, places: int) -> Decimal:
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _finite(x: int | float, what: str) -> float:
    """``x`` as a float; an error for NaN or infinity, which no narrative can state."""
    x = float(x)
    if not math.isfinite(x):
        raise ReliefkitError(f"cannot print the {what} {x!r} in a narrative", "check the figure's computation")
    return x


@dataclass(frozen=True)
class Formatter:
    """Format numbers for narrative text in one language (``"zh"`` or ``"en"``).

    Parameters
    ----------
    lang : {"zh", "en"}

    Examples
    --------
    >>> Formatter("en").format(701861.64, "money")
    '701,861.64 yuan'
    >>> Formatter("zh").format(701861.64, "money", unit=False)
    '701861.64'
    >>> Formatter("en").format(2026, "year")
    '2026'
    """

    lang: str = "zh"

    def __post_init__(self) -> None:
        _check_lang(self.lang)

    # ------------------------------------------------------------------ plain numbers
    def _group(self, text: str) -> str:
        """Insert thousands separators (English only) into an unsigned digit string."""
        if self.lang != "en":
            return text
        whole, _, frac = text.partition(".")
        whole = f"{int(whole):,}"
        return f"{whole}.{frac}" if frac else whole

    def count(self, n: int | float) -> str:
        """A count: ``1,171`` (en) / ``1171`` (zh).

        Examples
        --------
        >>> Formatter("en").count(6896), Formatter("zh").count(6896)
        ('6,896', '6896')
        """
        n = int(n)
        sign = "-" if n < 0 else ""
        return sign + self._group(str(abs(n)))

    def number(self, x: int | float) -> str:
        """An amount without unit: whole numbers without decimals, otherwise two decimals.

        Examples
        --------
        >>> Formatter("en").number(50400.0), Formatter("en").number(66309.35), Formatter("zh").number(0.5)
        ('50,400', '66,309.35', '0.50')
        """
        x = _finite(x, "number")
        d = _half_up(abs(x), 2)
        text = str(d.to_integral_value()) if d == d.to_integral_value() else f"{d:.2f}"
        return ("-" if x < 0 and d != 0 else "") + self._group(text)

    def money(self, x: int | float, unit: bool = True) -> str:
        """Yuan: ``36,400 yuan`` (en) / ``36400元`` (zh).

        Examples
        --------
        >>> Formatter("en").money(1), Formatter("zh").money(150)
        ('1 yuan', '150元')
        """
        text = self.number(x)
        if not unit:
            return text
        return f"{text}元" if self.lang == "zh" else f"{text} yuan"

    def amount(self, x: int | float, unit: bool = True) -> str:
        """A sum of money as a summary states it: in Chinese, :data:`WAN` yuan and more in
        万元 with two decimals, rounded half up; otherwise (and without the unit) as
        :meth:`money`.

        Examples
        --------
        >>> zh = Formatter("zh")
        >>> zh.amount(36400), zh.amount(470310), zh.amount(9999.99), zh.amount(470310, unit=False)
        ('3.64万元', '47.03万元', '9999.99元', '470310')
        >>> Formatter("en").amount(36400)
        '36,400 yuan'
        """
        x = _finite(x, "amount")
        if self.lang == "zh" and unit and abs(x) >= WAN:
            wan = _half_up(abs(x) / WAN, 2)
            return f"{'-' if x < 0 else ''}{wan:.2f}万元"
        return self.money(x, unit=unit)

    def percent(self, share: float) -> str:
        """A share (0 to 1) as a percentage with one decimal, rounded half up.

        Examples
        --------
        >>> Formatter("en").percent(0.0), Formatter("zh").percent(0.12345), Formatter("en").percent(1)
        ('0.0%', '12.3%', '100.0%')
        """
        share = _finite(share, "share")
        return f"{_half_up(share * 100, 1):.1f}%"

    @staticmethod
    def year(y: int | float) -> str:
        """A year, never with a separator: ``2026``."""
        return str(int(y))

    # ------------------------------------------------------------------ words
    def plural(self, n: int | float, one: str, many: str | None = None) -> str:
        """The word for ``n`` things: ``one`` when ``n`` is 1 (English), otherwise ``many``
        (default ``one + "s"``). Chinese words do not inflect: ``one`` is returned.

        Examples
        --------
        >>> Formatter("en").plural(1, "household"), Formatter("en").plural(0, "household")
        ('household', 'households')
        >>> Formatter("en").plural(2, "person", "persons"), Formatter("zh").plural(2, "户")
        ('persons', '户')
        """
        if self.lang != "en":
            return one
        return one if float(n) == 1 else (many if many is not None else one + "s")

    def quantity(self, n: int | float, one: str, many: str | None = None) -> str:
        """A count with its word: ``1 household``, ``671 households`` (en); ``671户`` (zh).

        Examples
        --------
        >>> Formatter("en").quantity(0, "helper"), Formatter("zh").quantity(62, "名帮扶人")
        ('0 helpers', '62名帮扶人')
        """
        sep = " " if self.lang == "en" else ""
        return f"{self.count(n)}{sep}{self.plural(n, one, many)}"

    # ------------------------------------------------------------------ table cells
    #: decimals of a table cell per kind (:meth:`cell`)
    CELL_DECIMALS = {"count": 0, "money": 2, "amount": 2, "percent": 1, "index": 4, "number": 2, "year": 0}

    def cell(self, value: int | float | None, kind: str, decimals: int | None = None) -> str:
        """A number in a table cell, in both languages: thousands separators (a table is
        read down a column, not in a sentence), a fixed number of decimals per kind —
        ``count`` 0, ``money`` 2, ``percent`` 1 (a share shown as %), ``index`` 4,
        ``number`` 2 — rounded half up, no unit; an empty or non-finite value is ``—``.

        Examples
        --------
        >>> zh = Formatter("zh")
        >>> zh.cell(2047214, "money"), zh.cell(0.312152, "percent"), zh.cell(1056, "count")
        ('2,047,214.00', '31.2%', '1,056')
        >>> zh.cell(0.15265, "index"), zh.cell(-560684.5, "money"), zh.cell(float("nan"), "money")
        ('0.1527', '-560,684.50', '—')
        """
        if kind not in self.CELL_DECIMALS:
            raise ReliefkitError(f"there is no table kind {kind!r}", f"use one of: {', '.join(self.CELL_DECIMALS)}",
                                 kind=kind)
        if value is None or not math.isfinite(float(value)):
            return "—"
        places = self.CELL_DECIMALS[kind] if decimals is None else decimals
        x = float(value) * (100 if kind == "percent" else 1)
        d = _half_up(abs(x), places)
        text = f"{d:,.{places}f}" if kind != "year" else str(int(value))
        sign = "-" if x < 0 and d != 0 else ""
        return sign + text + ("%" if kind == "percent" else "")

    # ------------------------------------------------------------------ by kind
    def format(self, value: int | float, kind: str, unit: bool = True) -> str:
        """Format ``value`` as ``kind`` (one of :data:`KINDS`); ``unit=False`` drops the
        money unit (``from 110 to 150 yuan``).

        Examples
        --------
        >>> f = Formatter("en")
        >>> [f.format(v, k) for v, k in [(833, "count"), (0.747, "percent"), (140.0, "money")]]
        ['833', '74.7%', '140 yuan']
        """
        if kind == "count":
            return self.count(value)
        if kind == "money":
            return self.money(value, unit=unit)
        if kind == "amount":
            return self.amount(value, unit=unit)
        if kind == "percent":
            return self.percent(value)
        if kind == "year":
            return self.year(value)
        if kind == "number":
            return self.number(value)
        raise ReliefkitError(f"there is no number kind {kind!r}", f"use one of: {', '.join(KINDS)}", kind=kind)


def parse_number(token: str) -> float:
    """Read back a number as :class:`Formatter` prints it (``36,400`` → 36400.0,
    ``74.7%`` → 0.747).

    Examples
    --------
    >>> parse_number("36,400"), parse_number("74.7%"), parse_number("2026")
    (36400.0, 0.747, 2026.0)
    """
    t = token.replace(",", "")
    if t.endswith("%"):
        return float(Decimal(t[:-1]) / 100)
    return float(t)
