"""The studio's API through Starlette's test client: guard, checks, preview, save, download."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from starlette.testclient import TestClient

from policygen.core.clauses import load_library
from policygen.core.profile import load_profile
from policygen.studio import form
from policygen.studio.app import COOKIE, create_app
from policygen.studio.engine import Studio
from tests.conftest import ROOT, write
from tests.studio.support import form_fields

TOKEN = "test-token-0123456789"
HOST = "testserver"
EXAMPLE = ROOT / "policies" / "rheinwerk.yaml"


@pytest.fixture(scope="module")
def library() -> Any:
    return load_library()


def client_for(library: Any, target: Path) -> tuple[TestClient, Studio]:
    studio = Studio(library, target)
    app = create_app(studio, TOKEN, frozenset({HOST}))
    client = TestClient(app, base_url=f"http://{HOST}")
    client.get(f"/?token={TOKEN}")  # sets the cookie as the browser's first visit does
    return client, studio


@pytest.fixture
def edit(tmp_path: Path, library: Any) -> Iterator[tuple[TestClient, Studio, Path]]:
    target = tmp_path / "rheinwerk.yaml"
    shutil.copy(EXAMPLE, target)
    client, studio = client_for(library, target)
    with client:
        yield client, studio, target


def fields_of(client: TestClient) -> dict[str, Any]:
    return form_fields(client.get("/").text)


def check(client: TestClient, fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    response = client.post("/api/check", json={"fields": fields, **extra},
                           headers={"Origin": f"http://{HOST}"})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def at(result: dict[str, Any], field: str) -> list[str]:
    return [p["message"] for p in result["problems"] if p["field"] == field]


# ---- safe by default -------------------------------------------------------------------------

def test_requests_without_the_token_are_refused(tmp_path: Path, library: Any) -> None:
    studio = Studio(library, tmp_path / "new.yaml")
    client = TestClient(create_app(studio, TOKEN, frozenset({HOST})), base_url=f"http://{HOST}")
    assert client.get("/").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    assert client.post("/api/check", json={}, headers={"Origin": f"http://{HOST}"}
                       ).status_code == 403
    first = client.get(f"/?token={TOKEN}")
    assert first.status_code == 200 and COOKIE in first.cookies
    assert "HttpOnly" in first.headers["set-cookie"] and "strict" in first.headers["set-cookie"]
    assert client.get("/").status_code == 200  # the cookie now


def test_foreign_host_and_origin_are_refused(edit: tuple[TestClient, Studio, Path]) -> None:
    client, _, _ = edit
    # DNS rebinding: a page of evil.example resolved to 127.0.0.1 sends its own Host header
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 403
    refused = client.post("/api/check", json={"fields": {}},
                          headers={"Origin": "http://evil.example"})
    assert refused.status_code == 403 and refused.text == "request from another origin"
    without = client.post("/api/save", json={"fields": {}})
    assert without.status_code == 403


def test_bodies_are_bounded(edit: tuple[TestClient, Studio, Path]) -> None:
    client, _, _ = edit
    big = b"{" + b" " * (6 * 1024 * 1024) + b"}"
    response = client.post("/api/check", content=big, headers={
        "Origin": f"http://{HOST}", "Content-Type": "application/json"})
    assert response.status_code == 413


def test_page_has_a_strict_content_security_policy(edit: tuple[TestClient, Studio, Path]) -> None:
    client, _, _ = edit
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert 'sandbox="allow-same-origin"' in client.get("/").text  # preview runs no script


# ---- the form and its checks -----------------------------------------------------------------

def test_form_holds_the_profile_and_it_validates(edit: tuple[TestClient, Studio, Path]) -> None:
    client, _, _ = edit
    fields = fields_of(client)
    assert fields["company.name"] == "Rheinwerk Antriebstechnik GmbH"
    assert fields["company.jurisdictions"] == ["DE"]
    assert fields["strategy.channels.0.platform"] == "linkedin"
    result = check(client, fields, edition="employees", lang="de")
    assert result["problems"] == [] and result["valid"]
    assert '<html lang="de-DE">' in result["html"]
    assert any(d["included"] for d in result["decisions"])
    assert any(not d["included"] and d["reason"] for d in result["decisions"])


def test_every_schema_field_has_a_label_and_the_init_questions_label_them() -> None:
    questions = {f.path for f in form.by_path().values() if form.label(f, "de") != f.key}
    assert ("company", "name") in questions
    assert form.label(form.by_path()[("company", "name")], "de") == \
        "Name des Unternehmens (mit Rechtsform)"
    assert form.label(form.by_path()[("criticism", "escalation", "*", "notify")], "en") == \
        "who is notified?"


def test_field_errors_are_validates_messages(edit: tuple[TestClient, Studio, Path], tmp_path: Path,
                                             cli: Callable[..., Any]) -> None:
    client, _, _ = edit
    fields = fields_of(client)
    fields["company.employees"] = "zwölf"
    fields["company.website"] = "ftp://rheinwerk"
    fields["company.name"] = ""
    result = check(client, fields)
    assert not result["valid"]
    text = EXAMPLE.read_text(encoding="utf-8").replace("employees: 1450", "employees: zwölf") \
        .replace("website: https://www.rheinwerk-antriebe.example\n",
                 "website: ftp://rheinwerk\n") \
        .replace("  name: Rheinwerk Antriebstechnik GmbH\n", "")
    shown = cli("validate", str(write(tmp_path / "bad.yaml", text)))
    assert shown.code == 1
    for field in ("company.employees", "company.website", "company.name"):
        [message] = at(result, field)
        assert message in shown.err, (field, message)


def test_schema_messages_in_the_interface_language(edit: tuple[TestClient, Studio, Path]
                                                    ) -> None:
    """German: the form's labels for fields and choices, hints for the form; English: validate's."""
    client, _, _ = edit
    fields = fields_of(client)
    fields["company.name"] = ""
    fields["company.employees"] = "zwölf"
    fields["company.industry"] = "Handl"
    fields["company.website"] = "ftp://rheinwerk"
    fields["document.effective_date"] = "31.2.2027"
    fields["document.review_cycle_months"] = "0"
    fields["document.owner@de"] = "Leitung Kommunikation"
    fields["document.owner@en"] = ""
    fields["strategy.channels.0.handle"] = ""
    fields["contacts.legal.phone"] = "abc"
    fields["overrides.include"] = "employees.disclosure\nKeine Klausel"
    fields["overrides.variables"] = "hotline = " + "1" * 2500
    german = {p["field"]: (p["message"], p["hint"]) for p in check(client, fields, ui="de")[
        "problems"]}
    assert german == {
        "company.name": ("Pflichtangabe fehlt: „Name des Unternehmens“ (unter „Unternehmen“)",
                         "„Name des Unternehmens“ ausfüllen"),
        "company.employees": (
            "„Zahl der Beschäftigten“: erwartet wird eine ganze Zahl, nicht der Text 'zwölf'",
            "eine ganze Zahl angeben, z. B. 1450 oder 1.450"),
        "company.industry": (
            "„Branche“: 'Handl' steht nicht zur Wahl",
            "meinten Sie 'Handel'? zur Wahl: Industrie und Fertigung, Technologie, Handel, "
            "Finanzdienstleistungen, Gesundheitswesen, öffentlicher Sektor, Pharma, Medien, "
            "Beratung und Dienstleistungen, Energie, Logistik, Sonstige"),
        "company.website": ("„Website“: 'ftp://rheinwerk' hat nicht das erwartete Format",
                            "eine Webadresse, die mit https:// beginnt"),
        "document.effective_date": (
            "„Gültig ab“: erwartet wird ein gültiges Datum (TT.MM.JJJJ), nicht der Text "
            "'31.2.2027'", "das Datum als TT.MM.JJJJ angeben, z. B. 1.12.2026"),
        "document.review_cycle_months": (
            "„Überprüfung alle … Monate“: 0 liegt unter dem Mindestwert 1", ""),
        "document.owner": ("„Wer ist für die Leitlinie verantwortlich?“: erwartet wird ein Text "
                           "oder je Sprache (de, en) ein einzeiliger Text",
                           "beide Sprachen ausfüllen, jede in einer Zeile"),
        "strategy.channels.0.handle": (
            "Pflichtangabe fehlt: „Name des Kontos“ (unter „Offizielle Kanäle“, Eintrag 1)",
            "„Name des Kontos“ ausfüllen"),
        "contacts.legal.phone": ("„Telefon“: 'abc' hat nicht das erwartete Format",
                                 "eine Telefonnummer wie +49 203 5550 120"),
        "overrides.include.1": (
            "„Zusätzliche Klauseln“, Eintrag 2: 'Keine Klausel' hat nicht das erwartete Format",
            "die Kennung einer Klausel wie employees.disclosure; `policygen clauses` listet sie "
            "alle"),
        "overrides.variables.hotline": ("„Variablen“: zu lang (2.500; höchstens 2.000)",
                                        "bitte kürzen"),
    }
    english = {p["field"]: p["message"] for p in check(client, fields, ui="en")["problems"]}
    assert english["company.name"] == "missing required key 'name' in company"
    assert english["company.industry"] == "company.industry: 'Handl' is not an allowed value"
    assert english["strategy.channels.0.handle"] == \
        "missing required key 'handle' in strategy.channels[0]"
    assert english["overrides.variables.hotline"] == \
        "overrides.variables.hotline is too long (2,500; at most 2,000)"


def test_cross_field_rule_at_its_field(edit: tuple[TestClient, Studio, Path]) -> None:
    client, _, _ = edit
    fields = fields_of(client)
    fields["criticism.service_hours.end"] = "07:00"
    assert at(check(client, fields), "criticism.service_hours.end") == [
        f"service hours end (07:00) before they start ({fields['criticism.service_hours.start']})"]


def test_a_cross_field_rule_shows_before_the_schema_passes(edit: tuple[TestClient, Studio, Path]
                                                           ) -> None:
    client, _, _ = edit
    fields = fields_of(client)
    fields["criticism.service_hours.start"] = "18:00"
    fields["criticism.service_hours.end"] = "09:00"
    fields["company.name"] = ""  # the schema refuses the profile now
    fields["company.short_name"] = ""
    fields["criticism.service_hours.timezone"] = "not a zone!"
    result = check(client, fields, ui="de")
    assert not result["valid"]
    assert at(result, "company.name") == [
        "Pflichtangabe fehlt: „Name des Unternehmens“ (unter „Unternehmen“)"]
    assert at(result, "criticism.service_hours.end") == [
        "die Servicezeit endet (09:00) bevor sie beginnt (18:00)"]  # in the interface language
    assert at(check(client, fields, ui="en"), "criticism.service_hours.end") == [
        "service hours end (09:00) before they start (18:00)"]
    fields["criticism.service_hours.end"] = "9 Uhr"  # a rule waits for values the schema takes
    result = check(client, fields)
    assert not [m for m in at(result, "criticism.service_hours.end") if "before" in m]
    assert at(result, "criticism.service_hours.end")  # the schema's own message


def test_explain_reasons_in_the_interface_language(edit: tuple[TestClient, Studio, Path]) -> None:
    client, _, _ = edit
    german = check(client, fields_of(client), ui="de", lang="en", edition="legal")
    english = check(client, fields_of(client), ui="en", lang="en", edition="legal")
    assert german["valid"], german["problems"]
    reasons = {d["reason"] for d in german["decisions"]}
    assert "gilt für jedes Unternehmen" in reasons
    assert not reasons & {d["reason"] for d in english["decisions"]}
    assert german["html"] == english["html"]  # the document's language is its own


def test_german_number_and_date_forms(edit: tuple[TestClient, Studio, Path]) -> None:
    client, studio, _ = edit
    fields = fields_of(client)
    fields["company.employees"] = "1.450"
    fields["document.effective_date"] = "1.12.2026"
    fields["governance.budget.amount"] = "20.000 €"
    result = check(client, fields)
    assert result["valid"], result["problems"]
    data = form.parse(fields)
    assert data["company"]["employees"] == 1450
    assert data["governance"]["budget"]["amount"] == 20000
    assert str(data["document"]["effective_date"]) == "2026-12-01"


def test_repeated_items_removed_and_added(edit: tuple[TestClient, Studio, Path]) -> None:
    client, _, _ = edit
    fields = fields_of(client)
    for key in [k for k in fields if k.startswith("criticism.escalation.")]:
        del fields[key]
    assert "criticism.escalation" in [p["field"] for p in check(client, fields)["problems"]]
    fields.update({"criticism.escalation.0.level": "1", "criticism.escalation.0.name": "Routine",
                   "criticism.escalation.0.trigger": "Fragen",
                   "criticism.escalation.0.notify": "Social-Media-Team\nPresse",
                   "criticism.escalation.0.approves_replies": "Social-Media-Team",
                   "criticism.escalation.0.response_hours": "8"})
    assert check(client, fields)["valid"]
    assert form.parse(fields)["criticism"]["escalation"][0]["notify"] == [
        "Social-Media-Team", "Presse"]


def test_profile_values_are_data_in_the_preview(edit: tuple[TestClient, Studio, Path]) -> None:
    client, _, _ = edit
    fields = fields_of(client)
    fields["company.name"] = "<script>alert(1)</script> {{ 7*7 }} GmbH"
    result = check(client, fields, edition="legal", lang="en")
    assert result["valid"], result["problems"]
    assert "<script>alert" not in result["html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} GmbH" in result["html"]


def test_findings_in_the_interface_language(tmp_path: Path, library: Any) -> None:
    weak = ROOT / "tests" / "fixtures" / "profiles" / "weak.yaml"
    target = tmp_path / "weak.yaml"
    shutil.copy(weak, target)
    client, _ = client_for(library, target)
    result = check(client, fields_of(client), ui="de")
    assert result["valid"], result["problems"]
    assert result["readiness"], "the weak profile has readiness gaps"
    english = check(client, fields_of(client), ui="en")
    assert result["readiness"][0]["message"] != english["readiness"][0]["message"]


# ---- save ------------------------------------------------------------------------------------

def test_save_asks_before_replacing_and_keeps_comments(
        edit: tuple[TestClient, Studio, Path]) -> None:
    client, _, target = edit
    before = target.read_text(encoding="utf-8")
    fields = fields_of(client)
    fields["company.employees"] = "1500"
    origin = {"Origin": f"http://{HOST}"}
    asked = client.post("/api/save", json={"fields": fields}, headers=origin)
    assert asked.status_code == 409 and "exists" in asked.json()["message"]
    assert target.read_text(encoding="utf-8") == before
    saved = client.post("/api/save", json={"fields": fields, "replace": True}, headers=origin)
    assert saved.status_code == 200 and saved.json()["saved"]
    after = target.read_text(encoding="utf-8")
    assert after == before.replace("employees: 1450", "employees: 1500")
    assert load_profile(target).company["employees"] == 1500
    assert sorted(p.name for p in target.parent.iterdir()) == ["rheinwerk.yaml"]


def test_save_refuses_an_invalid_profile(edit: tuple[TestClient, Studio, Path]) -> None:
    client, _, target = edit
    before = target.read_bytes()
    fields = fields_of(client)
    fields["company.employees"] = "many"
    refused = client.post("/api/save", json={"fields": fields, "replace": True},
                          headers={"Origin": f"http://{HOST}"})
    assert refused.status_code == 422 and refused.json()["problems"]
    assert target.read_bytes() == before


def test_new_profile_is_written_and_validates(tmp_path: Path, library: Any,
                                              edit: tuple[TestClient, Studio, Path]) -> None:
    source_client, _, _ = edit
    fields = fields_of(source_client)
    target = tmp_path / "new" / "acme.yaml"
    client, _ = client_for(library, target)
    assert form_fields(client.get("/").text)["company.name"] == ""
    fields["company.name"] = "Acme: \"quoted\" & yes"
    fields["document.version"] = "3.10"
    saved = client.post("/api/save", json={"fields": fields}, headers={"Origin": f"http://{HOST}"})
    assert saved.status_code == 200, saved.text
    profile = load_profile(target)
    assert profile.company["name"] == "Acme: \"quoted\" & yes"
    assert profile.document["version"] == "3.10"


# ---- download --------------------------------------------------------------------------------

def _download(client: TestClient, fields: dict[str, Any], what: str, **extra: str) -> Any:
    import json

    return client.post("/download", data={
        "payload": json.dumps({"fields": fields, **extra}), "what": what},
        headers={"Origin": f"http://{HOST}"})


def test_download_a_docx_and_the_whole_set(edit: tuple[TestClient, Studio, Path]) -> None:
    client, _, _ = edit
    fields = fields_of(client)
    response = _download(client, fields, "docx", edition="legal", lang="de")
    assert response.status_code == 200
    assert "legal.de.docx" in response.headers["content-disposition"]
    document = docx.Document(io.BytesIO(response.content))
    assert any("Rheinwerk" in p.text for p in document.paragraphs)
    for fmt in ("md", "html"):
        assert _download(client, fields, fmt, edition="employees-summary", lang="en"
                         ).status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(_download(client, fields, "zip").content))
    names = archive.namelist()
    assert "rheinwerk/employees.de.docx" in names and "rheinwerk/legal.en.html" in names
    assert len(names) == 2 * 8 * 3  # languages x documents x formats


def test_download_of_an_invalid_profile_is_refused(edit: tuple[TestClient, Studio, Path]) -> None:
    client, _, _ = edit
    fields = fields_of(client)
    fields["company.industry"] = "knitting"
    assert _download(client, fields, "docx").status_code == 422
