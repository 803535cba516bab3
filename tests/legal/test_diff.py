"""Versions: the diff of two Documents, the changelog, the Word redline, `policygen diff`."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from policygen.builds import render
from policygen.core import clauses, compose, provenance, select
from policygen.document import Clause, Document, ListBlock, Meta, Paragraph, Section, Span, Table
from policygen.legal import changelog, compare, redline
from policygen.writers.docx import body as docx_writer
from tests.conftest import LIB_ONLY, ROOT, write
from tests.readback import docx_sequence

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
RHEINWERK = ROOT / "policies" / "rheinwerk.yaml"


def _meta(version: str, lang: str = "en") -> Meta:
    return Meta("Policy", "Acme", "Acme", lang, "employees", "Guideline for all employees",
                version, dt.date(2027, 3, 1), "1 March 2027", "released", "Released",
                "Dana Whitfield", "Legal", "Guideline")


def _doc(version: str, *clauses_: Clause) -> Document:
    return Document(_meta(version), compose.LABELS["en"],
                    (Section("s", "Rules", tuple(clauses_)),))


def _p(text: str) -> Paragraph:
    return Paragraph((Span(text),))


OLD = _doc("1.0",
           Clause("a.keep", 1, "Keep", (_p("Be kind to customers."),)),
           Clause("a.gone", 2, "Gone", (_p("This rule goes."),)),
           Clause("a.edit", 1, "Edit", (_p("Reply within four hours on weekdays."),
                                        ListBlock(False, ((Span("one"),), (Span("two"),))))))
NEW = _doc("2.0",
           Clause("a.keep", 1, "Keep", (_p("Be kind to customers."),)),
           Clause("a.edit", 2, "Edit", (_p("Reply within two hours on all days."),
                                        ListBlock(False, ((Span("one"),), (Span("three"),),
                                                          (Span("four"),))))),
           Clause("a.new", 1, "New", (_p("A new rule."),)))


def test_compare_matches_clauses_by_id_in_new_order() -> None:
    result = compare.compare(OLD, NEW)
    assert [(c.clause_id, c.status) for c in result.clauses] == [
        ("a.keep", "unchanged"), ("a.gone", "removed"), ("a.edit", "changed"), ("a.new", "added")]
    edit = result.clauses[2]
    assert [(u.op, u.old.text if u.old else None, u.new.text if u.new else None)
            for u in edit.units] == [
        ("change", "Reply within four hours on weekdays.", "Reply within two hours on all days."),
        ("equal", "one", "one"), ("change", "two", "three"), ("insert", None, "four")]


def test_word_level_changes_keep_unchanged_words() -> None:
    changes = compare.words((Span("Reply within four hours on weekdays."),),
                         (Span("Reply within two hours on all days."),))
    assert [(op, s.text) for op, s in changes] == [
        ("equal", "Reply within "), ("delete", "four"), ("insert", "two"),
        ("equal", " hours on "), ("delete", "weekdays"), ("insert", "all days"), ("equal", ".")]


def test_changelog_lists_added_removed_and_changed_text() -> None:
    text = changelog.write("Policy", [compare.compare(OLD, NEW)])
    assert text == """# Changes: Policy

## Guideline for all employees (en): version 1.0 \u2192 2.0

### Clauses added

- `a.new` New (version 1)

### Clauses removed

- `a.gone` Gone (version 2)

### Clauses changed

#### `a.edit` Edit (version 1 \u2192 2)

```diff
- Reply within four hours on weekdays.
+ Reply within two hours on all days.
- two
+ three
+ four
```
"""


def test_changelog_of_identical_versions() -> None:
    assert "No changes to the clauses." in changelog.write("Policy", [compare.compare(OLD, OLD)])


def settle(data: bytes, accept: bool) -> list[tuple[str, str]]:
    """Accept (or reject) every tracked change by transforming the XML, then read it back."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    drop, keep = ("del", "ins") if accept else ("ins", "del")
    for row in root.xpath(f"//w:tr[w:trPr/w:{drop}]", namespaces=NS):
        row.getparent().remove(row)
    for table in root.xpath("//w:tbl[not(w:tr)]", namespaces=NS):
        table.getparent().remove(table)
    for paragraph in root.xpath(f"//w:p[w:pPr/w:rPr/w:{drop}]", namespaces=NS):
        paragraph.getparent().remove(paragraph)
    for element in root.xpath(f"//w:{drop}", namespaces=NS):
        element.getparent().remove(element)
    for element in root.xpath(f"//w:{keep}", namespaces=NS):
        parent = element.getparent()
        if parent.tag.endswith("}rPr") or parent.tag.endswith("}trPr"):
            parent.remove(element)
            continue
        index = parent.index(element)
        for child in reversed(list(element)):
            parent.insert(index, child)
        parent.remove(element)
    for text in root.xpath("//w:delText", namespaces=NS):
        text.tag = f"{{{W}}}t"
    parts["word/document.xml"] = etree.tostring(root)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    # the title page's row that names the two versions compared is the redline's own
    return [(style, text) for style, text in docx_sequence(out.getvalue())
            if not (style == "table row" and text.startswith(("Comparison | ", "Vergleich | ")))]


def test_redline_title_page_names_the_two_versions() -> None:
    data = redline.write(compare.compare(OLD, NEW))
    rows = [text for style, text in docx_sequence(data) if style == "table row"]
    assert "Comparison | version 1.0 (1 March 2027) against version 2.0 (1 March 2027); " \
           "changes tracked" in rows


def plain(document: Document) -> list[tuple[str, str]]:
    return docx_sequence(docx_writer.write(document))


def test_redline_accepts_to_new_and_rejects_to_old() -> None:
    data = redline.write(compare.compare(OLD, NEW))
    assert settle(data, accept=True) == plain(NEW)
    rejected = settle(data, accept=False)
    body = rejected[rejected.index(("Heading 1", "Rules")):]
    old_body = plain(OLD)
    assert body == old_body[old_body.index(("Heading 1", "Rules")):]


def test_redline_marks_carry_author_and_date() -> None:
    data = redline.write(compare.compare(OLD, NEW))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    marks = re.findall(r'<w:(ins|del) w:id="(\d+)" w:author="([^"]*)" w:date="([^"]*)"', xml)
    assert {(author, date) for _, _, author, date in marks} == \
        {("Dana Whitfield", "2027-03-01T00:00:00Z")}
    ids = [int(number) for _, number, _, _ in marks]
    assert len(ids) == len(set(ids))
    assert "<w:delText xml:space=\"preserve\">four</w:delText>" in xml
    assert redline.write(compare.compare(OLD, NEW)) == data


def _table(*rows: tuple[str, ...]) -> Table:
    cells = [tuple((Span(c),) for c in row) for row in rows]
    return Table(cells[0], tuple(cells[1:]))


def test_redline_tables_rows_and_cells() -> None:
    old = _doc("1", Clause("t.x", 1, "T", (_table(("Level", "Who"), ("1", "Team"),
                                                  ("2", "Head")),)))
    new = _doc("2", Clause("t.x", 1, "T", (_table(("Level", "Who"), ("1", "Social team"),
                                                  ("3", "Board"), ("4", "CEO")),)))
    data = redline.write(compare.compare(old, new))
    assert settle(data, accept=True) == plain(new)
    rejected = settle(data, accept=False)
    assert [r for r in rejected if r[0] == "table row"][-3:] == \
        [r for r in plain(old) if r[0] == "table row"][-3:]
    wider = _doc("3", Clause("t.x", 1, "T", (_table(("Level", "Who", "When"), ("1", "A", "B")),)))
    assert settle(redline.write(compare.compare(old, wider)), accept=True) == plain(wider)


WORDS = st.lists(st.sampled_from(["post", "reply", "team", "the", "within", "two", "hours",
                                  "Acme", "legal", "(ad)", "§ 5", ",", "."]),
                 min_size=1, max_size=12).map(" ".join)
PARAGRAPHS = st.lists(WORDS, min_size=1, max_size=4)


@given(PARAGRAPHS, PARAGRAPHS, st.booleans())
def test_property_redline_settles_to_either_version(old_texts, new_texts, bold) -> None:
    old = _doc("1", Clause("p.x", 1, "P", tuple(_p(t) for t in old_texts)))
    new = _doc("2", Clause("p.x", 1, "P", tuple(
        Paragraph((Span(t, strong=bold and i == 0),)) for i, t in enumerate(new_texts))))
    data = redline.write(compare.compare(old, new))
    assert settle(data, accept=True) == plain(new)
    rejected = settle(data, accept=False)
    assert [t for _, t in rejected if t][-len(old_texts):] == old_texts


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> tuple[Path, Path]:
    """Rheinwerk's profile before its advocacy programme, and as it is now."""
    folder = tmp_path_factory.mktemp("old")
    text = RHEINWERK.read_text(encoding="utf-8")
    old = text.replace("advocacy_program: true", "advocacy_program: false") \
        .replace("#TeamRheinwerk", "#RheinwerkTeam")
    assert old != text
    return write(folder / "rheinwerk.yaml", old), RHEINWERK


def rendered(path: Path, audience: str, lang: str) -> Document:
    library = clauses.load_library()
    prof = render.load_profiles([path])[0]
    return provenance.appendix(compose.compose(library, select.select(library, prof, audience),
                                               prof, lang))


def test_example_redline_accepts_to_the_new_version(versions) -> None:
    old, new = (rendered(p, "employees", "en") for p in versions)
    data = redline.write(compare.compare(old, new))
    assert settle(data, accept=True) == plain(new)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_shows_the_changes_and_accepting_gives_the_new_text(versions,
                                                                        tmp_path: Path) -> None:
    old, new = (rendered(p, "employees", "en") for p in versions)
    source = tmp_path / "redline.docx"
    source.write_bytes(redline.write(compare.compare(old, new)))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "fodt", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    root = etree.parse(str(tmp_path / "redline.fodt")).getroot()
    ns = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
          "dc": "http://purl.org/dc/elements/1.1/",
          "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}
    regions = root.xpath("//text:tracked-changes/text:changed-region", namespaces=ns)
    kinds = {r.get(f"{{{ns['text']}}}id"): etree.QName(r[0]).localname for r in regions}
    assert "insertion" in kinds.values() and "deletion" in kinds.values()
    assert set(root.xpath("//text:changed-region//dc:creator/text()", namespaces=ns)) == \
        {new.meta.author}
    deleted = {i for i, kind in kinds.items() if kind == "deletion"}
    body = root.xpath("//office:text", namespaces=ns)[0]
    paragraphs = []
    for p in body.iter(f"{{{ns['text']}}}p", f"{{{ns['text']}}}h"):
        if p.xpath("ancestor::text:tracked-changes", namespaces=ns):
            continue
        text, skipping = [], False
        for event, node in etree.iterwalk(p, events=("start", "end")):
            name = etree.QName(node).localname
            if event == "start" and name == "change-start" and \
                    node.get(f"{{{ns['text']}}}change-id") in deleted:
                skipping = True
            elif event == "start" and name == "change-end" and \
                    node.get(f"{{{ns['text']}}}change-id") in deleted:
                skipping = False
            elif event == "start" and name == "s":
                text.append(" " * int(node.get(f"{{{ns['text']}}}c", "1")))
            if event == "start" and node.text and node is not p and not skipping \
                    and name not in ("change-start", "change-end"):
                text.append(node.text)
            if event == "start" and node is p and p.text and not skipping:
                text.append(p.text)
            if event == "end" and node is not p and node.tail and not skipping:
                text.append(node.tail)
        paragraphs.append("".join(text))
    accepted = [t for t in paragraphs if t.strip()]
    new_xml = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx_writer.write(new)))
                               .read("word/document.xml"))
    expected = [t for t in ("".join(p.itertext()) for p in new_xml.iter(f"{{{W}}}p")) if t.strip()]
    start = expected.index(new.sections[0].title)
    assert accepted[accepted.index(new.sections[0].title):] == expected[start:]
    assert "RheinwerkTeam" not in " ".join(accepted)


def test_cli_prints_the_changelog(versions, cli) -> None:
    old, new = versions
    result = cli("diff", str(old), str(new), "--audience", "employees", "--lang", "en")
    assert result.code == 0, result.err
    assert result.out.startswith("# Changes: Social Media Guideline of Rheinwerk")
    assert "#### `employees.disclosure` Disclose your connection to Rheinwerk (version 3)" \
        in result.out
    assert "- Sharing content in the employee advocacy programme" not in result.out
    assert "+ Sharing content in the employee advocacy programme is work use" in result.out


def test_cli_writes_changelog_and_redlines(versions, cli, tmp_path: Path) -> None:
    old, new = versions
    result = cli("diff", str(old), str(new), "--lang", "de", "--out", str(tmp_path))
    assert result.code == 0, result.err
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["rheinwerk/account_managers.de.redline.docx", "rheinwerk/changes.md",
                       "rheinwerk/employees.de.redline.docx", "rheinwerk/legal.de.redline.docx"]
    assert (tmp_path / "rheinwerk" / "changes.md").read_text(encoding="utf-8").startswith(
        "# Änderungen: Social-Media-Leitlinie")


def test_cli_usage_errors(cli) -> None:
    one = cli("diff", str(RHEINWERK))
    assert one.code == 2
    assert one.err == ("policygen: give two profiles, OLD and NEW, or one PROFILE with --rev\n"
                       "    hint: policygen diff old/acme.yaml policies/acme.yaml\n")
    two = cli("diff", "--rev", "HEAD", str(RHEINWERK), str(RHEINWERK))
    assert two.code == 2 and "with --rev, give exactly one PROFILE" in two.err


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_cli_against_a_git_revision(cli, tmp_path: Path, monkeypatch) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "clauses", repo / "clauses")
    profile = write(repo / "policies" / "acme.yaml", RHEINWERK.read_text(encoding="utf-8"))
    env = ["-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True)
    subprocess.run(["git", "-C", str(repo), *env, "commit", "-q", "-m", "v1"], check=True)
    clause = repo / "clauses" / "employees" / "employees.disclosure.yaml"
    clause.write_text(clause.read_text(encoding="utf-8").replace("version: 3", "version: 4", 1),
                      encoding="utf-8")
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "advocacy_program: true", "advocacy_program: false"), encoding="utf-8")
    monkeypatch.chdir(repo)
    result = cli("diff", "--rev", "HEAD", "policies/acme.yaml", *LIB_ONLY, "clauses",
                 "--audience", "employees", "--lang", "en")
    assert result.code == 0, result.err
    assert "#### `employees.disclosure` Disclose your connection to Rheinwerk " \
        "(version 3 \u2192 4)" in result.out
    assert "- Sharing content in the employee advocacy programme is work use" in result.out
    bad = cli("diff", "--rev", "no-such-rev", "policies/acme.yaml", *LIB_ONLY, "clauses")
    assert bad.code == 2 and "git show no-such-rev:policies/acme.yaml failed" in bad.err
