"""Every transform's one-line description (catalogue, CLI, Builder) is a whole sentence."""

import pytest

from augviz.core import catalogue
from augviz.core.transform import Transform


@pytest.mark.parametrize("cls", catalogue(), ids=lambda c: c.id)
def test_description_is_one_whole_sentence(cls):
    line = cls.doc_line()
    assert line[:1].isupper(), line
    assert line.endswith((".", "!", "?")), f"{cls.id} description stops mid-sentence: {line!r}"
    assert "\n" not in line and "  " not in line


def test_first_sentence_spans_docstring_lines_and_stops_at_its_end():
    class Wrapped(Transform):
        """Blur the picture with a kernel drawn from the seed (Smith et al. 2003), as
        for scanned pages. A second sentence.

        Details that are not part of the description.
        """

    assert Wrapped.doc_line() == (
        "Blur the picture with a kernel drawn from the seed (Smith et al. 2003), as for scanned pages."
    )


def test_description_without_a_full_stop_is_the_whole_first_paragraph():
    class Short(Transform):
        """Mirror it

        More.
        """

    assert Short.doc_line() == "Mirror it"
