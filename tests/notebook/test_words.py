"""One vocabulary of figures: a label names the same figure on every page."""

from __future__ import annotations

import pytest

from reliefkit.report.summary_figures import figure_label
from reliefkit.text.words import words


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_index_labels_are_the_figure_labels(lang):
    """The index page's columns (notebooks.yaml ``fact``) say what the summary's appendix
    and the notebooks say for the same key (labels.yaml ``figure``)."""
    facts = words(lang)["fact"]
    assert {"households.registered", "persons.alive", "payments.total"} <= set(facts)
    for key, text in facts.items():
        assert text == figure_label(key, lang), key


def test_two_counts_of_the_registry_have_two_names():
    assert figure_label("persons.registered") != figure_label("persons.alive")
    assert figure_label("persons.alive") == "年末在世人数" and "含已故" in figure_label("persons.registered")
