"""The one number formatter: per language, and readable back (the tracing tests rely on it)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reliefkit.errors import ReliefkitError
from reliefkit.text.formatting import NUMBER_PATTERN, Formatter, parse_number

EN, ZH = Formatter("en"), Formatter("zh")


@pytest.mark.parametrize(("value", "en", "zh"), [
    (36400, "36,400 yuan", "36400元"),
    (36400.0, "36,400 yuan", "36400元"),
    (701861.64, "701,861.64 yuan", "701861.64元"),
    (377821.1, "377,821.10 yuan", "377821.10元"),
    (150, "150 yuan", "150元"),
    (0, "0 yuan", "0元"),
    (1234567.005, "1,234,567.01 yuan", "1234567.01元"),
])
def test_money(value, en, zh):
    assert EN.money(value) == en
    assert ZH.money(value) == zh


def test_money_without_unit():
    assert EN.money(110, unit=False) == "110"
    assert ZH.format(110, "money", unit=False) == "110"


@pytest.mark.parametrize(("share", "text"), [
    (56 / 75, "74.7%"), (0.0, "0.0%"), (1.0, "100.0%"), (0.0005, "0.1%"), (0.00049, "0.0%"),
    (0.125, "12.5%"), (0.1225, "12.3%"),  # half up, not half even
])
def test_percent_one_decimal_half_up(share, text):
    assert EN.percent(share) == text
    assert ZH.percent(share) == text


def test_counts_and_years():
    assert EN.count(6896) == "6,896" and ZH.count(6896) == "6896"
    assert EN.count(0) == "0"
    assert EN.format(2026, "year") == ZH.format(2026, "year") == "2026"


def test_plural_and_quantity():
    assert EN.quantity(1, "person", "persons") == "1 person"
    assert EN.quantity(0, "person", "persons") == "0 persons"
    assert EN.quantity(2, "household") == "2 households"
    assert EN.quantity(1171, "household") == "1,171 households"
    assert ZH.quantity(106, "人") == "106人"
    assert EN.plural(1, "is", "are") == "is" and EN.plural(3, "is", "are") == "are"
    assert ZH.plural(3, "户") == "户"


def test_unknown_language_and_kind():
    with pytest.raises(ReliefkitError, match="use one of: zh, en"):
        Formatter("fr")
    with pytest.raises(ReliefkitError, match="no number kind"):
        EN.format(1, "weight")
    with pytest.raises(ReliefkitError):
        EN.number(float("nan"))


def _token(text: str) -> str:
    (token,) = NUMBER_PATTERN.findall(text)
    return token


@given(st.integers(min_value=0, max_value=10**9))
def test_counts_read_back(n):
    for f in (EN, ZH):
        assert parse_number(_token(f.count(n))) == n


@given(st.integers(min_value=0, max_value=10**11))
def test_amounts_read_back(cents):
    value = cents / 100
    for f in (EN, ZH):
        assert parse_number(_token(f.money(value))) == pytest.approx(value, abs=1e-9)


@given(st.floats(min_value=0, max_value=1))
def test_percentages_read_back_to_one_decimal(share):
    for f in (EN, ZH):
        assert abs(parse_number(_token(f.percent(share))) - share) <= 0.0005 + 1e-12
