"""Document diffs to a Markdown changelog: clauses added, removed and changed, with the text.

Changed text is shown per paragraph, list item or table as a fenced `diff` block (`-` old,
`+` new), which GitHub and most Markdown viewers colour. No file I/O here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policygen import i18n
from policygen.legal.compare import ClauseChange, DocumentDiff
from policygen.vocabulary import LANGUAGES
from policygen.writers.markdown import escape

_WORDS = {lang: {key: i18n.text(lang, f"changelog.{key}")
                 for key in ("changes", "added", "removed", "changed", "none", "version",
                             "text_same")}
          for lang in LANGUAGES}


def _fence(lines: list[str]) -> str:
    longest = max((len(m) for line in lines for m in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([f"{fence}diff", *lines, fence])


def _changed_text(change: ClauseChange) -> list[str]:
    lines: list[str] = []
    if change.old and change.new and change.old.title != change.new.title:
        lines += [f"- {change.old.title}", f"+ {change.new.title}"]
    for unit in change.units:
        if unit.op == "equal":
            continue
        if unit.old is not None:
            lines += [f"- {line}" for line in unit.old.text.split("\n")]
        if unit.new is not None:
            lines += [f"+ {line}" for line in unit.new.text.split("\n")]
    return lines


def _label(change: ClauseChange) -> str:
    clause = change.new or change.old
    assert clause is not None
    return f"`{change.clause_id}` {escape(clause.title)}"


def write_one(diff: DocumentDiff) -> str:
    """The changelog of one document (one audience and language)."""
    old, new = diff.old.meta, diff.new.meta
    words = _WORDS[new.language]
    out = [f"## {escape(new.audience_label)} ({new.language}): {words['version']} "
           f"{escape(old.version)} \u2192 {escape(new.version)}"]
    if not diff.changed:
        out.append(words["none"])
        return "\n\n".join(out)
    added, removed = diff.by_status("added"), diff.by_status("removed")
    if added:
        out.append(f"### {words['added']}")
        out.append("\n".join(f"- {_label(c)} ({words['version']} {c.new.version})"
                             for c in added if c.new))
    if removed:
        out.append(f"### {words['removed']}")
        out.append("\n".join(f"- {_label(c)} ({words['version']} {c.old.version})"
                             for c in removed if c.old))
    changed = diff.by_status("changed")
    if changed:
        out.append(f"### {words['changed']}")
        for change in changed:
            assert change.old is not None and change.new is not None
            versions = (f"{words['version']} {change.old.version} \u2192 {change.new.version}"
                        if change.old.version != change.new.version
                        else f"{words['version']} {change.new.version}")
            out.append(f"#### {_label(change)} ({versions})")
            lines = _changed_text(change)
            out.append(_fence(lines) if lines else f"*{words['text_same']}*")
    return "\n\n".join(out)


def write(title: str, diffs: Sequence[DocumentDiff]) -> str:
    """The changelog of a company's documents: one part per audience and language."""
    lang = diffs[0].new.meta.language if diffs else "en"
    heading = f"# {_WORDS[lang]['changes']}: {escape(title)}"
    return "\n\n".join([heading, *(write_one(d) for d in diffs)]) + "\n"
