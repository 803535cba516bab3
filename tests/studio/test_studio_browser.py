"""The studio in a real browser (Debian's chromium through Playwright): as an HR manager uses it.

Start from nothing, fill in the form, see an error at a field, correct it, watch the preview
change, save, download the .docx and open it with python-docx. Screenshots go to the test's
temporary folder (STUDIO_SCREENSHOTS=DIR keeps them).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest

from policygen.core.profile import load_profile
from tests.conftest import ROOT
from tests.studio.support import running

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: apt-get install chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("STUDIO_SCREENSHOTS", tmp_path / "shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def until(page: Any, expression: str, timeout: float = 30.0) -> Any:
    """Poll a JavaScript expression until it is truthy (the page's CSP forbids eval, which
    Playwright's wait_for_function needs; evaluate goes through the debugger protocol)."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(50)


def wait_checked(page: Any, after: int) -> int:
    """Wait until the page has applied a check newer than `after`; return its number."""
    return int(until(page, f"(window.studioChecks || 0) > {after} && window.studioChecks"))


def preview_text(page: Any) -> str:
    return str(page.frame_locator("#preview").locator("body").inner_text())


def test_from_nothing_to_a_downloaded_docx(browser: Any, tmp_path: Path) -> None:
    target = tmp_path / "policies" / "kontor.yaml"
    folder = shots(tmp_path)
    with running(target, ui="de") as started:
        page = browser.new_page(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(started.address)
        seen = wait_checked(page, 0)
        assert page.locator('[data-error-for="company"]').is_visible()  # nothing filled yet
        page.screenshot(path=str(folder / "1-empty.png"))

        # a cross-field rule shows at its field while the rest is still empty
        page.locator('[name="criticism.service_hours.start"]').fill("18:00")
        page.locator('[name="criticism.service_hours.end"]').fill("09:00")
        # (the check after the first field shows the second one as missing: wait for the rule)
        until(page, "(e => !e.hidden && e.textContent.startsWith('die Servicezeit endet'))("
                    "document.querySelector('[data-error-for=\"criticism.service_hours.end\"]'))")
        assert page.locator('[data-error-for="criticism.service_hours.end"]').inner_text() \
            .startswith("die Servicezeit endet (09:00) bevor sie beginnt (18:00)")
        assert page.locator('[data-error-for="company"]').is_visible()  # still incomplete
        page.locator('[name="criticism.service_hours.end"]').scroll_into_view_if_needed()
        page.screenshot(path=str(folder / "1b-rule-before-the-schema.png"))
        seen = wait_checked(page, seen)

        values = {
            "company.name": "Kontor Nord GmbH", "company.employees": "1.200",
            "company.website": "https://kontor-nord.example",
            "document.version": "1.0", "document.effective_date": "1.3.2027",
            "document.owner": "Leitung Kommunikation",
            "strategy.target_groups": "Kundinnen und Kunden\nBewerberinnen und Bewerber",
            "governance.executive_sponsor.name": "Jana Hansen",
            "governance.executive_sponsor.role": "Geschäftsführerin",
            "criticism.service_hours.start": "08:00", "criticism.service_hours.end": "17:00",
            "criticism.service_hours.timezone": "Europe/Berlin",
            "criticism.response_time_hours": "8",
            "contacts.social_media_team.name": "Social-Media-Team",
            "contacts.social_media_team.email": "social@kontor-nord.example",
            "contacts.legal.name": "Rechtsabteilung",
            "contacts.legal.email": "recht@kontor-nord.example",
            "contacts.hr.name": "Personal", "contacts.hr.email": "personal@kontor-nord.example",
        }
        for name, value in values.items():
            page.locator(f'[name="{name}"]').fill(value)
        page.check('input[name="company.jurisdictions"][value="DE"]')
        page.check('input[name="strategy.goals"][value="recruiting"]')
        page.check('input[name="document.languages"][value="de"]')
        page.select_option('[name="company.industry"]', "logistics")
        page.select_option('[name="governance.owner_department"]', "communications")
        page.click('[data-group="criticism.escalation"] > button.add')
        item = {"level": "1", "name": "Routine", "trigger": "Fragen und Beschwerden",
                "notify": "Social-Media-Team", "approves_replies": "Social-Media-Team",
                "response_hours": "8"}
        for key, value in item.items():
            page.locator(f'[name="criticism.escalation.0.{key}"]').fill(value)
        # a mistake: an e-mail address without its domain
        page.locator('[name="contacts.hr.email"]').fill("personal@")
        seen = wait_checked(page, seen)
        until(page, "document.querySelector('[data-error-for=\"contacts.hr.email\"]')"
                               ".hidden === false")
        error = page.locator('[data-error-for="contacts.hr.email"]').inner_text()
        # in the interface language (German here), the field named by its label
        assert "„E-Mail-Adresse: Personalabteilung“: 'personal@' hat nicht das erwartete " \
               "Format (eine E-Mail-Adresse wie social@example.com)" in error
        assert page.locator('[name="contacts.hr.email"]').get_attribute("aria-invalid") == "true"
        page.locator('[name="contacts.hr.email"]').scroll_into_view_if_needed()
        page.screenshot(path=str(folder / "2-error-at-field.png"))

        # corrected: the profile validates and the preview shows the guideline
        page.locator('[name="contacts.hr.email"]').fill("personal@kontor-nord.example")
        until(page, "document.getElementById('stale').hidden === true")
        until(page, "document.getElementById('problems').children.length === 0")
        assert page.locator("#lang").input_value() == "de"
        first = preview_text(page)
        assert "Kontor Nord GmbH" in first and "Social-Media-Leitlinie" in first
        assert page.frame_locator("#preview").locator("html").get_attribute("lang") == "de-DE"
        page.screenshot(path=str(folder / "3-valid-preview.png"))
        assert "gilt für jedes Unternehmen" in str(page.locator("#explain").text_content())

        # a change shows in the preview
        page.locator('[name="company.name"]').fill("Kontor Süd GmbH")
        until(page, "document.getElementById('preview').contentDocument?.body?.innerText"
                    ".includes('Kontor Süd GmbH')")
        assert "Kontor Nord" not in preview_text(page)
        seen = int(page.evaluate("window.studioChecks"))
        latency = page.evaluate("window.studioLatency")
        assert isinstance(latency, int)

        page.select_option("#edition", "employees-summary")
        seen = wait_checked(page, seen)
        assert "Kontor" in preview_text(page)
        page.screenshot(path=str(folder / "4-summary.png"))

        # save: the file is new, so nothing is asked
        page.click("#save")
        until(page, "document.getElementById('save-status').className === 'ok'")
        saved = load_profile(target)
        assert saved.company["name"] == "Kontor Süd GmbH"
        assert saved.company["employees"] == 1200
        assert str(saved.document["effective_date"]) == "2027-03-01"

        # download the .docx of the employee guideline and read it back
        page.select_option("#edition", "employees")
        seen = wait_checked(page, seen)
        with page.expect_download() as info:
            page.click('#download button[value="docx"]')
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        assert path.name == "employees.de.docx"
        document = docx.Document(str(path))
        assert any("Kontor Süd GmbH" in p.text for p in document.paragraphs)
        assert not errors, errors
        page.close()


def test_editing_an_example_asks_before_replacing(browser: Any, tmp_path: Path) -> None:
    target = tmp_path / "rheinwerk.yaml"
    shutil.copy(ROOT / "policies" / "rheinwerk.yaml", target)
    before = target.read_text(encoding="utf-8")
    with running(target, ui="en") as started:
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.goto(started.address)
        seen = wait_checked(page, 0)
        page.locator('[name="company.employees"]').fill("1500")
        wait_checked(page, seen)
        asked: list[str] = []

        def answer(dialog: Any) -> None:
            asked.append(dialog.message)
            dialog.accept()

        page.on("dialog", answer)
        page.click("#save")
        until(page, "document.getElementById('save-status').className === 'ok'")
        assert asked and "exists. Replace it?" in asked[0]
        assert target.read_text(encoding="utf-8") == before.replace("employees: 1450",
                                                                    "employees: 1500")
        page.screenshot(path=str(shots(tmp_path) / "5-saved-example.png"))
        page.close()
