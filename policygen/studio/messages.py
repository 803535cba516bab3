"""How the studio words the schema's messages: in the interface language, with the form's names.

In English the page shows `policygen validate`'s messages word for word. In another language
the messages come from the same catalogue entries (`schema.*`), and name each field by the
label the form shows next to it (without its parenthesised notes), a field of a repeated item
with the item's number, and each choice by its label (schemas/labels.yaml).
"""

from __future__ import annotations

import re
from functools import cache, partial

from policygen import i18n
from policygen.core import schema
from policygen.core.source import DocPath
from policygen.studio import form
from policygen.studio.words import SECTIONS

_NOTE = re.compile(r"\s*\([^)]*\)")


def wording(lang: str) -> schema.Wording:
    """The wording of schema messages on a page in `lang`."""
    if lang == schema.ENGLISH.lang:
        return schema.ENGLISH
    return _wording(lang)


@cache
def _wording(lang: str) -> schema.Wording:
    return schema.Wording(lang, field=partial(field_name, lang=lang),
                          key_name=partial(_own_name, lang=lang),
                          choice=partial(form.choice_label, lang=lang),
                          hint=partial(_hint, lang=lang))


def field_name(path: DocPath, lang: str) -> str:
    """A field as a message names it: its label in quotes, and the entry it belongs to.

    A path below the form's fields (one line of a list, one language of a text) is named by
    the field that holds it.
    """
    generic = _generic(path)
    cut = len(_holder(generic))
    if cut == 0:
        return form.field_name(path)
    name = i18n.text(lang, "studio.messages.field", label=_label(generic[:cut], lang))
    below = path[cut] if cut < len(path) else None
    if isinstance(below, int):
        name = i18n.text(lang, "studio.messages.entry", field=name, number=below + 1)
    items = [(k, part) for k, part in enumerate(path[:cut]) if isinstance(part, int)]
    if items:
        k, index = items[-1]
        name = i18n.text(lang, "studio.messages.in_item", field=name, number=int(index) + 1,
                         group=_label(generic[:k], lang))
    return name


def _own_name(path: DocPath, lang: str) -> str:
    """A field's label in quotes, without the entry it belongs to (named beside it)."""
    generic = _generic(path)
    if generic not in form.by_path():
        return str(path[-1])
    return i18n.text(lang, "studio.messages.field", label=_label(generic, lang))


def _label(path: tuple[str, ...], lang: str) -> str:
    """A field's label without its notes in parentheses; a section's title."""
    found = form.by_path()[path]
    section = SECTIONS.get(found.key) if len(path) == 1 else None
    if section is not None:
        return section.get(lang)
    return _NOTE.sub("", form.label(found, lang)).strip() or found.key


def _generic(path: DocPath) -> tuple[str, ...]:
    return tuple("*" if isinstance(part, int) else part for part in path)


def _hint(path: DocPath, lang: str) -> str:
    holder = _holder(_generic(path))
    return form.own_hint(holder, lang) if holder else ""


def _holder(path: tuple[str, ...]) -> tuple[str, ...]:
    """The deepest form field at or above a path (() if none)."""
    fields = form.by_path()
    cut = len(path)
    while cut > 0 and path[:cut] not in fields:
        cut -= 1
    return path[:cut]
