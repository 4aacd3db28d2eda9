"""Regenerate notebooks/00_quickstart.ipynb (run from the repository root)."""

from __future__ import annotations

from nb import write_notebook

CELLS = [
    (
        "md",
        """
# augviz quickstart

Build an augmentation recipe, look at what it does, save it as JSON and load it back —
the same file then drives your training code. Everything here runs offline.""",
    ),
    (
        "code",
        """
import numpy as np
import augviz
from augviz.image import Rotate, HorizontalFlip, Brightness
from augviz.datasets import sample_image

photo = sample_image("chelsea", size=192)   # ships inside scikit-image: no download
photo.shape, photo.dtype""",
    ),
    (
        "md",
        """
## A recipe

Each step is a transform with parameter *ranges*; every call draws fresh values from
them. A single number is an exact magnitude: `Rotate(angle=30)` always turns 30°.""",
    ),
    (
        "code",
        """
recipe = augviz.Recipe(
    [
        Rotate(angle=(-20, 20)),
        HorizontalFlip(p=0.5),
        augviz.OneOf([Brightness(delta=(-0.3, -0.1)), Brightness(delta=(0.1, 0.3))], p=0.8),
    ],
    seed=0,
    name="cat-mild",
)
recipe""",
    ),
    ("md", "## What it does: the original and six augmented copies, with the values drawn"),
    (
        "code",
        """
from augviz.viz import show_grid

show_grid(recipe, [photo], n=6, rng=1)""",
    ),
    (
        "md",
        """
`trace` tells exactly which values each step drew, and `replay` re-applies them:""",
    ),
    (
        "code",
        """
out, records = recipe.trace(photo, rng=1)
for r in records:
    print(r["path"], r["transform"], "applied" if r["applied"] else "skipped", r["values"])
assert np.array_equal(recipe.replay(photo, records), out)""",
    ),
    ("md", "## Save, reload, and get the same bytes"),
    (
        "code",
        """
import tempfile, pathlib

path = pathlib.Path(tempfile.mkdtemp()) / "cat-mild.json"
recipe.save(path)
print(path.read_text()[:400], "...")

again = augviz.Recipe.load(path)
assert again == recipe
assert np.array_equal(again(photo, rng=7), recipe(photo, rng=7))
print("same recipe, same output")""",
    ),
    (
        "md",
        """
## In training code

```python
recipe = augviz.Recipe.load("cat-mild.json")
augmented = recipe(image)            # PIL or numpy in, same type out
batch = recipe.batch(images, rng=0)  # N×H×W(×C) array: vectorised where possible
```

Next: `01_image_augmentations.ipynb` tours the whole image catalogue.""",
    ),
]

if __name__ == "__main__":
    write_notebook("notebooks/00_quickstart.ipynb", CELLS)
