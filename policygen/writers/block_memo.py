"""Blocks written before, by content, so that recurring blocks are written once.

Typeset blocks recur: those of the provenance appendix in every edition, and every paragraph,
list and table whose text shows no company value in every company's documents. Blocks are
frozen values, so an equal block gets the same text.
"""

from __future__ import annotations

from collections.abc import Callable

from policygen.document import Block

_LIMIT = 20_000


class BlockMemo:
    """One writer's text for each block it has written, bounded."""

    def __init__(self, write: Callable[[Block], str]) -> None:
        self._write = write
        self._known: dict[Block, str] = {}

    def __call__(self, block: Block) -> str:
        """The writer's text for the block, written on first use."""
        text = self._known.get(block)
        if text is None:
            text = self._write(block)
            if len(self._known) >= _LIMIT:
                self._known.clear()
            self._known[block] = text
        return text
