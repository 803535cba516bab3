"""Blocks written before, by identity, so that recurring blocks are written once.

Typeset blocks that recur (such as those of the provenance appendix) are written once per
writer. Each entry keeps its block alive, so an id is never reused while it is remembered.
"""

from __future__ import annotations

from collections.abc import Callable

from policygen.document import Block

_LIMIT = 20_000


class BlockMemo:
    """One writer's text for each block it has written, bounded."""

    def __init__(self, write: Callable[[Block], str]) -> None:
        self._write = write
        self._known: dict[int, tuple[Block, str]] = {}

    def __call__(self, block: Block) -> str:
        """The writer's text for the block, written on first use."""
        known = self._known.get(id(block))
        if known is not None and known[0] is block:
            return known[1]
        text = self._write(block)
        if len(self._known) >= _LIMIT:
            self._known.clear()
        self._known[id(block)] = (block, text)
        return text
