"""XML text and attribute escaping, as `xml.sax.saxutils` does it, without importing xml.sax.

`xml.sax` pulls in urllib, http and ssl at import; these two functions are all the writers use.
"""

from __future__ import annotations

from collections.abc import Mapping


def escape(data: str, entities: Mapping[str, str] | None = None) -> str:
    """Escape &, < and > (and the given extra characters) in character data."""
    if "&" in data:
        data = data.replace("&", "&amp;")
    if ">" in data:
        data = data.replace(">", "&gt;")
    if "<" in data:
        data = data.replace("<", "&lt;")
    if entities:
        for char, entity in entities.items():
            data = data.replace(char, entity)
    return data


def quoteattr(data: str, entities: Mapping[str, str] | None = None) -> str:
    """An attribute value with its quotes, escaped as `xml.sax.saxutils.quoteattr` does."""
    data = escape(data, {**(entities or {}), "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
    if '"' in data:
        if "'" in data:
            return '"{}"'.format(data.replace('"', "&quot;"))
        return f"'{data}'"
    return f'"{data}"'
