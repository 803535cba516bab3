"""Library layers: the bundled clause library and the company folders stacked over it.

A layer is a folder of `<section>/<id>.yaml` clause files. Layers are read bottom to top: a
higher layer adds clauses, replaces a lower layer's clause of the same id (the clause says
`replaces: <id>`), or switches one off (`disable:` in its `layer.yaml`). Only the lowest
layer needs a `sections.yaml`; a higher one may add sections with one of its own.

Light on imports: the build plan hashes the layers' files without loading the clauses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from policygen.errors import display
from policygen.resources import LIBRARY_DIR

BUNDLED = "bundled"
LAYER_FILE = "layer.yaml"


@dataclass(frozen=True)
class Layer:
    """One folder of clauses and the name provenance gives it."""

    name: str
    root: Path
    shown: str | None = None  # how messages name the folder (default: its path)

    @property
    def bundled(self) -> bool:
        """Whether this is the library that ships with policygen."""
        return self.name == BUNDLED


# What callers pass as "the library": one complete library folder, or a stack of layers.
LibrarySpec = Path | tuple[Layer, ...]


def bundled() -> Layer:
    """The clause library that ships with policygen."""
    return Layer(BUNDLED, LIBRARY_DIR)


def stack(folders: Sequence[Path], *, with_bundled: bool = True) -> tuple[Layer, ...]:
    """The bundled library (unless left out) with the given folders over it, lowest first."""
    base = (bundled(),) if with_bundled else ()
    return (*base, *(Layer(display(folder), folder) for folder in folders))


def as_layers(spec: LibrarySpec | None) -> tuple[Layer, ...]:
    """A library given as one folder is a single layer: the bundled one, or that folder."""
    if spec is None:
        return (bundled(),)
    if isinstance(spec, Path):
        same = spec.resolve() == LIBRARY_DIR.resolve()
        return (Layer(BUNDLED if same else display(spec), spec),)
    return spec


def file_key(layers: Sequence[Layer], index: int, relpath: str) -> str:
    """How the manifest names a library file: layer name and path, the lowest layer bare."""
    return relpath if index == 0 else f"{layers[index].name}:{relpath}"


def library_files(layers: Sequence[Layer]) -> list[tuple[str, Path]]:
    """(manifest key, path) of every file of every layer, in a stable order."""
    found = []
    for index, layer in enumerate(layers):
        root = layer.root
        for path in sorted(root.glob("*.yaml")) + sorted(root.glob("*/*.yaml")):
            found.append((file_key(layers, index, path.relative_to(root).as_posix()), path))
    return found
