from __future__ import annotations

from pathlib import Path

import augviz
from augviz.catalogue_page import _thumbs_in, render_markdown

PAGE = Path(__file__).parent.parent / "docs" / "catalogue.md"


def test_catalogue_page_is_current():
    """Fails when a transform, spec or note changed without regenerating the page:
    run `python -m augviz.catalogue_page docs/catalogue.md`."""
    assert PAGE.exists(), "docs/catalogue.md is missing"
    expected = render_markdown(_thumbs_in(PAGE))
    assert PAGE.read_text(encoding="utf-8") == expected, (
        "docs/catalogue.md is stale: run `python -m augviz.catalogue_page docs/catalogue.md`"
    )


def test_page_lists_every_transform_with_its_bounds():
    text = render_markdown()
    for cls in augviz.catalogue():
        assert f"### {cls.id}" in text
        for spec in cls.PARAMS:
            assert spec.describe().replace("|", "\\|") in text


def test_every_image_transform_has_a_thumbnail():
    thumbs = _thumbs_in(PAGE)
    missing = [t.id for t in augviz.catalogue("image") if t.id not in thumbs]
    assert not missing
