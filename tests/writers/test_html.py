"""The HTML writer: valid HTML5, structure an intranet and a screen reader need, values as data."""

from __future__ import annotations

import base64
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policygen.builds import render
from policygen.core import clauses
from policygen.document import Paragraph, Span
from policygen.writers import html as html_writer
from tests.conftest import FIXTURE_LIBRARY, FIXTURES, ROOT, write
from tests.golden_update import GOLDEN
from tests.hr.test_branding import png

MINIMAL = FIXTURES / "profiles" / "minimal.yaml"
GOLDEN_PAGES = sorted(GOLDEN.rglob("*.html"))


class _Outline(HTMLParser):
    """Ids, in-page links, headings (with their anchors), images and the html lang."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.ids: list[str] = []
        self.links: list[str] = []
        self.headings: list[tuple[str, str]] = []  # (tag, id)
        self.anchored: set[str] = set()
        self.images: list[dict[str, str | None]] = []
        self._heading: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag in ("h1", "h2", "h3"):
            self.headings.append((tag, found.get("id") or ""))
            self._heading = found.get("id")
        if tag == "a" and (found.get("href") or "").startswith("#"):
            self.links.append(str(found["href"])[1:])
            if self._heading and found.get("href") == f"#{self._heading}":
                self.anchored.add(self._heading)
        if tag == "img":
            self.images.append(found)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3"):
            self._heading = None


def outline(page: str) -> _Outline:
    parser = _Outline()
    parser.feed(page)
    return parser


def strict_parse(page: str) -> None:
    """html5lib in strict mode raises on the first parse error of the HTML5 algorithm."""
    html5lib.HTMLParser(strict=True).parse(page)


def pages(profile: Path, library: Path = FIXTURE_LIBRARY) -> dict[str, str]:
    outputs = render.render_all(clauses.load_library(library), render.load_profiles([profile]),
                                render.Selection(formats=("html",)))
    return {Path(o.relpath).name: o.data.decode("utf-8") for o in outputs}


def with_html(tmp_path: Path, extra: str = "", source: Path = MINIMAL) -> Path:
    text = source.read_text(encoding="utf-8").replace(
        "  owner: Geschäftsführung\n", "  owner: Geschäftsführung\n  formats: [html]\n")
    return write(tmp_path / "p.yaml", text + extra)


def test_examples_have_html_golden_files() -> None:
    assert {p.parent.name for p in GOLDEN_PAGES} >= {"rheinwerk", "alpenlab", "granite-peak"}


@pytest.mark.parametrize("page", GOLDEN_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden_pages_are_valid_and_structured(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    strict_parse(text)
    found = outline(text)
    assert found.lang in ("de-DE", "de-AT", "de-CH", "en-GB", "en-US")
    assert len(found.ids) == len(set(found.ids)), "element ids must be unique"
    assert not set(found.links) - set(found.ids), "every in-page link has its target"
    assert [tag for tag, _ in found.headings].count("h1") == 1
    if ".summary." not in page.name and "-summary" not in page.name \
            and "acknowledgement" not in page.name:
        assert "contents" in found.ids
        numbered = [hid for tag, hid in found.headings if tag in ("h2", "h3") and
                    hid not in ("contents", "history")]
        assert numbered and set(numbered) <= found.anchored, "each heading links to itself"
        assert set(numbered) <= set(found.links), "the contents list every heading"
    assert "@media print" in text and "<script" not in text and "src=\"http" not in text


def test_lang_and_paper_follow_the_locale() -> None:
    swiss = (GOLDEN / "alpenlab" / "employees.de.html").read_text(encoding="utf-8")
    american = (GOLDEN / "granite-peak" / "employees.en.html").read_text(encoding="utf-8")
    assert outline(swiss).lang == "de-CH" and "@page{size:A4" in swiss
    assert outline(american).lang == "en-US" and "@page{size:letter" in american


def test_draft_pages_show_the_mark_and_review_notes() -> None:
    draft = (GOLDEN / "alpenlab" / "employees.de.html").read_text(encoding="utf-8")
    assert '<span class="draft">' in draft and '<aside class="review">' in draft
    released = (GOLDEN / "rheinwerk" / "employees.de.html").read_text(encoding="utf-8")
    assert '<span class="draft">' not in released and "<aside" not in released


def test_logo_is_inlined_as_a_data_uri(tmp_path: Path) -> None:
    image = png(300, 100)
    (tmp_path / "logo.png").write_bytes(image)
    page = pages(with_html(tmp_path, "branding:\n  logo: logo.png\n"))["employees.en.html"]
    strict_parse(page)
    [img] = outline(page).images
    assert img["width"] == "300" and img["height"] == "100" and img["alt"] == "Minimal GmbH"
    src = str(img["src"])
    assert src.startswith("data:image/png;base64,")
    assert base64.b64decode(src.split(",", 1)[1]) == image


def test_profile_values_are_data(tmp_path: Path) -> None:
    hostile = '<script>alert(1)</script> & "x" <img src=x onerror=alert(2)>'
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "name: Minimal GmbH", f"name: '{hostile}'\n  short_name: Minimal")
    profile = with_html(tmp_path, source=write(tmp_path / "src.yaml", text))
    for name, page in pages(profile).items():
        strict_parse(page)
        assert "<script" not in page and "<img" not in page, name
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in page, name


@given(st.text(min_size=1, max_size=60))
@settings(max_examples=80, deadline=None)
def test_property_any_text_reads_back_literally(text: str) -> None:
    # a real parser reads the text of a paragraph back exactly as it was given
    text = text.replace("\r", "").replace("\0", "")
    rendered = html_writer._block(Paragraph((Span(text),)))
    tree = html5lib.parse(rendered, namespaceHTMLElements=False)
    paragraph = tree.find(".//p")
    assert paragraph is not None
    got = "".join(paragraph.itertext())
    assert got == text.replace("\n", "")


@pytest.mark.parametrize("href,kept", [
    ("https://example.com/a?b=1&c=2", True), ("mailto:x@example.com", True), ("#top", True),
    ("javascript:alert(1)", False), ("data:text/html,<b>", False), ("vbscript:x", False),
])
def test_only_safe_link_targets(href: str, kept: bool) -> None:
    rendered = html_writer._block(Paragraph((Span("link", href=href),)))
    assert ("<a href=" in rendered) is kept
    strict_parse(f"<!DOCTYPE html><html lang=en><title>t</title>{rendered}")


@pytest.mark.slow
def test_chromium_renders_every_heading_of_a_page(tmp_path: Path) -> None:
    """The real browser: the page's DOM (after parsing) has the headings and the lang."""
    page = GOLDEN / "rheinwerk" / "employees.de.html"
    result = subprocess.run(
        ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--no-first-run",
         "--disable-sync", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True, cwd=ROOT)
    dom = result.stdout
    assert '<html lang="de-DE">' in dom
    assert len(re.findall(r"<h3 id=", dom)) == len(re.findall(r"<h3 id=", page.read_text(
        encoding="utf-8")))
