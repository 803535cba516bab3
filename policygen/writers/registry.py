"""Output formats: format name -> the writer that produces it.

The one place a format is named. Build, assess, the golden-file update and the profile schema's
list of formats read this table. A new format is a writer module with a
`write_file(document, assets) -> bytes` function plus one line below; a writer that converts
many documents at once more cheaply (PDF) also has `write_files(items) -> list[bytes]` and is
marked `batch`; its `prepare(document, assets, where=, label=)` makes a job per document (in a
build's worker) and `write_jobs(jobs)` converts the jobs of a whole build at once. Writer
modules are imported on first use, so a command pays only for the formats it writes.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the table is read on every build, even one that writes nothing
    from typing import Protocol

    from policygen.document import Document, Image
    from policygen.errors import Location
    from policygen.writers.docx.reference import Reference
    from policygen.writers.regions import Regions

    class _WriterModule(Protocol):
        def write_file(self, document: Document, assets: Assets) -> bytes: ...

    class _RegionsWriterModule(_WriterModule, Protocol):
        def write_file_with_regions(self, document: Document,
                                    assets: Assets) -> tuple[bytes, Regions | None]: ...

    class _BatchWriterModule(_WriterModule, Protocol):
        def write_files(self, items: Sequence[tuple[Document, Assets]]) -> list[bytes]: ...

        def prepare(self, document: Document, assets: Assets, *, where: Location,
                    label: str) -> Any: ...

        def write_jobs(self, jobs: Sequence[Any]) -> list[bytes]: ...


@dataclass(frozen=True)
class Assets:
    """What a writer may use beside the document: the reference .docx and the logo."""

    reference: Reference | None = None
    logo: Image | None = None
    pdf_archive: bool = False  # PDF/A-2b rather than plain tagged PDF


@dataclass(frozen=True)
class Writer:
    """One output format."""

    name: str  # as a profile's document.formats names it
    extension: str  # the file name's last part, without the dot
    needs_reference: bool  # whether it styles itself from the reference .docx
    module: str  # under policygen.writers
    binary: bool = True  # False: UTF-8 text that tests may compare verbatim
    batch: bool = False  # the module's write_files converts many documents in one go
    uses_logo: bool = False  # whether it shows the company logo (Assets.logo)
    regions: bool = False  # it can say where each clause is in a file (writers/regions.py)

    def write(self, document: Document, assets: Assets | None = None) -> bytes:
        """The file's bytes."""
        loaded: Any = importlib.import_module(f"policygen.writers.{self.module}")
        writer: _WriterModule = loaded
        return writer.write_file(document, assets or Assets())

    def write_many(self, items: Sequence[tuple[Document, Assets]]) -> list[bytes]:
        """The bytes of many files, in one batch where the writer has one (PDF)."""
        loaded: Any = importlib.import_module(f"policygen.writers.{self.module}")
        if self.batch:
            batch: _BatchWriterModule = loaded
            return batch.write_files(items)
        single: _WriterModule = loaded
        return [single.write_file(document, assets) for document, assets in items]

    def write_with_regions(self, document: Document,
                           assets: Assets) -> tuple[bytes, Regions | None]:
        """The file's bytes and where each clause's blocks are in them."""
        assert self.regions, self.name
        loaded: Any = importlib.import_module(f"policygen.writers.{self.module}")
        module: _RegionsWriterModule = loaded
        return module.write_file_with_regions(document, assets)

    def prepare(self, document: Document, assets: Assets, where: Location, label: str) -> Any:
        """A batch writer's job for one document, written later with others (`write_jobs`).

        `where` is where a failure of this document is reported, `label` names it there.
        """
        assert self.batch, self.name
        loaded: Any = importlib.import_module(f"policygen.writers.{self.module}")
        batch: _BatchWriterModule = loaded
        return batch.prepare(document, assets, where=where, label=label)

    def write_jobs(self, jobs: Sequence[Any]) -> list[bytes]:
        """The bytes of prepared jobs (of any number of profiles), in one batch."""
        assert self.batch, self.name
        loaded: Any = importlib.import_module(f"policygen.writers.{self.module}")
        batch: _BatchWriterModule = loaded
        return batch.write_jobs(jobs)


WRITERS: dict[str, Writer] = {w.name: w for w in (
    Writer("md", "md", needs_reference=False, module="markdown", binary=False, regions=True),
    Writer("docx", "docx", needs_reference=True, module="docx.body", uses_logo=True,
           regions=True),
    Writer("pdf", "pdf", needs_reference=True, module="pdf", batch=True, uses_logo=True),
    Writer("html", "html", needs_reference=False, module="html", binary=False, uses_logo=True,
           regions=True),
)}

FORMATS: tuple[str, ...] = tuple(WRITERS)


def writer(name: str) -> Writer:
    """The writer of a format name."""
    return WRITERS[name]
