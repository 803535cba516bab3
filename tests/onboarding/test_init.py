"""`policygen init`: a real pseudo-terminal session, refused answers, and the answers file."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from policygen.core.profile import from_source
from policygen.core.source import parse
from policygen.errors import ProfileError
from policygen.onboarding import answers, interview
from policygen.onboarding.questions import ITEMS, Group
from tests.conftest import ROOT, write

# (a piece of the question, the answer typed) for every question a German-Austrian company
# with a works council, one channel, one team member and an advocacy programme is asked.
SESSION = [
    ("language", "en"),
    ("Company name", "Acme Widgets GmbH"),
    ("Short name", "Acme"),
    ("Legal form", "GmbH"),
    ("In which countries", "DE, AT"),
    ("Industry", "manufacturing"),
    ("Number of employees", "420"),
    ("works council?", "yes"),
    ("listed on a stock exchange", "no"),
    ("(B2B)", "yes"),
    ("Website", "https://www.acme.example"),
    ("Address of the imprint", "https://www.acme.example/imprint"),
    ("Address of the privacy notice", "https://www.acme.example/privacy"),
    ("Languages of the guideline", "de, en"),
    ("Version of the guideline", "1.0"),
    ("Effective from", "2027-01-01"),
    ("Who owns the guideline", "Head of Communications"),
    ("Author", "Jana Example"),
    ("social media goals", "awareness, recruiting"),
    ("the goal 'raise awareness'", "Followers on LinkedIn"),
    ("the goal 'recruit new employees'", "Applications from social channels; Cost per hire"),
    ("Target groups", "Engineers; Purchasing managers"),
    ("Add an official channel", "yes"),
    ("Platform", "linkedin"),
    ("Account name", "acme-widgets"),
    ("What is the channel for", "Employer branding and product news"),
    ("Who runs it", "Communications"),
    ("Address (empty: none)", "https://www.linkedin.com/company/acme-widgets"),
    ("Are your target groups there", "yes"),
    ("What do your customers gain", "Product news first hand"),
    ("Who wants to reach you there", "Applicants and customers"),
    ("Add an official channel", "no"),
    ("sponsors social media? (name)", "Eva Example"),
    ("This person's role", "Managing Director"),
    ("Which department owns", "communications"),
    ("Add a member of the social media team", "yes"),
    ("Role", "Social media manager"),
    ("Name (empty: open)", "Jana Example"),
    ("Seniority", "senior"),
    ("Hours a week for social media", "30"),
    ("Add a member of the social media team", "no"),
    ("Hours a week for social media in total", "30"),
    ("Budget (empty: none)", "40000"),
    ("Currency", "EUR"),
    ("1) month", "year"),
    ("How are official posts approved", "four_eyes"),
    ("onboarding training", "yes"),
    ("Refresher every", "12"),
    ("Integration stage of personnel", "partial"),
    ("Integration stage of structure", "pilot"),
    ("Integration stage of culture", "pilot"),
    ("Works agreement on social media", "Works agreement on social media of 1 March 2026"),
    ("Private use during working hours", "breaks_only"),
    ("May employees name their employer", "yes"),
    ("take part as advocates", "yes"),
    ("Disclosure hashtag", "#TeamAcme"),
    ("AI-generated content", "labelled"),
    ("Service days", "mon_fri"),
    ("Service hours from", "08:00"),
    ("Service hours until", "17:00"),
    ("Time zone", "Europe/Berlin"),
    ("Reply to comments within", "4"),
    ("Level 1 (Routine): who is notified", "Social media team"),
    ("Level 1 (Routine): who approves", "Social media manager"),
    ("Level 1 (Routine): reply within", "4"),
    ("Level 2 (Sensitive): who is notified", "Head of Communications; Product management"),
    ("Level 2 (Sensitive): who approves", "Head of Communications"),
    ("Level 2 (Sensitive): reply within", "8"),
    ("Level 3 (Crisis): who is notified", "Managing Director; Legal department"),
    ("Level 3 (Crisis): who approves", "Managing Director"),
    ("Level 3 (Crisis): reply within", "2"),
    ("fair criticism stay visible", "yes"),
    ("Address of the house rules", "https://www.acme.example/netiquette"),
    ("Email address: Social media team", "social@acme.example"),
    ("Name or role: Social media team", "Social media team"),
    ("Email address: Legal department", "legal@acme.example"),
    ("Name or role: Legal department", "Legal department"),
    ("Email address: Human Resources", "people@acme.example"),
    ("Name or role: Human Resources", "People team"),
    ("Email address: Data protection officer", "privacy@acme.example"),
    ("Name or role: Data protection officer", "Dr. Dana Privacy"),
    ("Email address: Works council", "council@acme.example"),
    ("Name or role: Works council", "Works council Duisburg"),
    ("Email address: Press office", ""),
]


def spawn(*args: str, cwd: Path) -> pexpect.spawn:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    child = pexpect.spawn(sys.executable, ["-m", "policygen", "init", *args], cwd=str(cwd),
                          env=env, encoding="utf-8", timeout=20, dimensions=(50, 400))
    return child


def answer(child: pexpect.spawn, question: str, text: str) -> None:
    child.expect_exact(question)
    child.expect(r"[:>](?: \[[^\]\n]*\])? $")
    child.sendline(text)


def test_every_question_answered_in_a_terminal(tmp_path: Path, cli) -> None:
    target = tmp_path / "acme.yaml"
    child = spawn(str(target), cwd=tmp_path)
    for question, text in SESSION:
        answer(child, question, text)
    child.expect_exact(f"wrote {target}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Social media profile written by `policygen init`.")
    assert "  # Number of employees\n  employees: 420\n" in text
    data = yaml.safe_load(text)
    assert data["company"]["jurisdictions"] == ["DE", "AT"]
    assert data["strategy"]["kpis"] == {
        "awareness": ["Followers on LinkedIn"],
        "recruiting": ["Applications from social channels", "Cost per hire"]}
    assert data["strategy"]["channels"] == [{
        "platform": "linkedin", "handle": "acme-widgets",
        "purpose": "Employer branding and product news", "owner": "Communications",
        "url": "https://www.linkedin.com/company/acme-widgets", "audience_present": True,
        "customer_value": "Product news first hand", "inbound": "Applicants and customers"}]
    assert data["governance"]["budget"] == {"amount": 40000, "currency": "EUR", "period": "year"}
    assert data["criticism"]["escalation"][1] == {
        "level": 2, "name": "Sensitive",
        "trigger": "Justified criticism, safety complaints, press enquiries",
        "notify": ["Head of Communications", "Product management"],
        "approves_replies": "Head of Communications", "response_hours": 8}
    assert "press" not in data["contacts"]
    result = cli("validate", str(target))
    assert result.code == 0 and result.out == f"{target}: ok\n"
    out = tmp_path / "build"
    result = cli("build", str(target), "--out", str(out))
    assert result.code == 0, result.err
    assert (out / "acme" / "employees.de.docx").is_file()
    assert (out / "acme" / "legal.en.md").is_file()


def test_wrong_answers_are_refused_with_a_reason(tmp_path: Path) -> None:
    target = tmp_path / "acme.yaml"
    child = spawn(str(target), cwd=tmp_path)
    for question, text in SESSION[:4]:
        answer(child, question, text)
    child.sendline("FR")
    child.expect_exact("✗ 'FR' is not one of the choices")
    child.expect_exact("hint: choices: DE, AT, CH, GB, US")
    child.sendline("DE")
    answer(child, "Industry", "retial")
    child.expect_exact("✗ 'retial' is not one of the choices")
    child.expect_exact("hint: did you mean 'retail'? choices: manufacturing, technology, retail")
    child.sendline("3")
    answer(child, "Number of employees", "many")
    child.expect_exact("✗ 'many' is not a whole number")
    child.sendline("0")
    child.expect_exact("✗ 0 is below the minimum of 1")
    child.sendline("12")
    answer(child, "works council?", "perhaps")
    child.expect_exact("✗ please answer yes or no")
    child.sendline("")  # the default: no
    answer(child, "listed on a stock exchange", "no")
    answer(child, "(B2B)", "no")
    answer(child, "Website", "www.acme.example")
    child.expect_exact("✗ 'www.acme.example' does not have the expected format")
    child.expect_exact("hint: a web address starting with https://")
    child.sendline("https://www.acme.example")
    answer(child, "Address of the imprint", "")
    answer(child, "Address of the privacy notice", "")
    answer(child, "Languages of the guideline", "")
    answer(child, "Version of the guideline", "")
    answer(child, "Effective from", "12/1/2026")
    child.expect_exact("✗ '12/1/2026' is not a date as YYYY-MM-DD")
    child.sendeof()
    child.expect_exact("input ended before every question was answered; nothing was written")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert not target.exists()


def test_questions_and_refusals_in_german(tmp_path: Path) -> None:
    child = spawn("--lang", "de", str(tmp_path / "x.yaml"), cwd=tmp_path)
    answer(child, "Name des Unternehmens (mit Rechtsform)", "Mühlenbach Backwaren GmbH")
    child.expect_exact("[Mühlenbach Backwaren]")
    child.sendline("")
    answer(child, "Rechtsform", "")
    answer(child, "In welchen Ländern", "")
    answer(child, "Branche", "Handel")
    child.expect_exact("✗ 'Handel' steht nicht zur Wahl")
    child.sendline("retail")
    answer(child, "Zahl der Beschäftigten", "viele")
    child.expect_exact("✗ 'viele' ist keine ganze Zahl")
    child.expect_exact("hint: eine ganze Zahl ohne Punkt, z. B. 1450")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2


def answers_file(tmp_path: Path, **changes: object) -> Path:
    data: dict[str, object] = {
        "language": "de", "company_name": "Mühlenbach Backwaren GmbH", "jurisdictions": ["DE"],
        "industry": "retail", "employees": 85, "works_council": True,
        "website": "https://www.muehlenbach.example", "effective_date": "2027-03-01",
        "goals": ["awareness", "recruiting"],
        "kpis_recruiting": ["Bewerbungen über Instagram pro Quartal"],
        "target_groups": ["Familien in der Region", "Auszubildende"],
        "channels": [{"platform": "instagram", "handle": "@muehlenbach",
                      "purpose": "Backstube und Ausbildung", "audience_present": True}],
        "team": [{"role": "Marketingreferentin", "seniority": "junior", "hours_per_week": 10}],
        "sponsor_name": "Anna Mühlenbach", "social_media_team_email": "social@muehlenbach.example",
        "legal_email": "recht@muehlenbach.example", "hr_email": "personal@muehlenbach.example",
    }
    data.update(changes)
    return write(tmp_path / "answers.yaml", yaml.safe_dump(data, allow_unicode=True,
                                                           sort_keys=False))


def test_answers_file_writes_a_valid_commented_profile(tmp_path: Path, cli) -> None:
    answers = answers_file(tmp_path)
    target = tmp_path / "muehlenbach.yaml"
    result = cli("init", str(target), "--answers", str(answers))
    assert result.code == 0, result.err
    assert result.out == f"wrote {target}\nWeiter: policygen assess {target}\n"
    text = target.read_text(encoding="utf-8")
    assert "# Die Strategie: Ziele, Kennzahlen, Zielgruppen, Kanäle\nstrategy:\n" in text
    assert '  # Kennzahlen je Ziel\n  kpis:\n    recruiting: [Bewerbungen über Instagram' in text
    assert "    timezone: Europe/Berlin\n" in text
    data = yaml.safe_load(text)
    assert data["company"]["short_name"] == "Mühlenbach Backwaren"
    assert data["company"]["legal_form"] == "GmbH"
    assert data["criticism"]["escalation"][2]["notify"] == ["Geschäftsführung",
                                                            "Rechtsabteilung"]
    assert data["governance"]["hours_per_week"] == 10
    assert cli("validate", str(target)).code == 0
    again = tmp_path / "again.yaml"
    assert cli("init", str(again), "--answers", str(answers)).code == 0
    assert again.read_bytes() == target.read_bytes()


def test_default_file_name_comes_from_the_short_name(tmp_path: Path, cli,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("init", "--answers", str(answers_file(tmp_path)))
    assert result.code == 0, result.err
    assert (tmp_path / "policies" / "muehlenbach-backwaren.yaml").is_file()


def test_never_overwrites_without_force(tmp_path: Path, cli) -> None:
    target = write(tmp_path / "p.yaml", "keep me\n")
    answers = answers_file(tmp_path)
    result = cli("init", str(target), "--answers", str(answers))
    assert result.code == 2
    assert result.err == (f"{target}: file exists; policygen init does not overwrite it\n"
                          "    hint: choose another file name, or pass --force to replace it\n")
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert cli("init", str(target), "--answers", str(answers), "--force").code == 0
    assert target.read_text(encoding="utf-8").startswith("# Social-Media-Profil")


def test_answers_file_problems_are_located(tmp_path: Path, cli) -> None:
    answers = write(tmp_path / "answers.yaml", (
        "company_name: Acme GmbH\n"
        "jurisdictions: [DE, FR]\n"
        "industry: retial\n"
        "employes: 12\n"
        "website: www.acme.example\n"
        "stock_exchange: Xetra\n"
        "goals: [awareness]\n"
        "target_groups: [Kunden]\n"
        "channels:\n"
        "  - {platform: linkedin, handel: acme}\n"
        "sponsor_name: Eva\n"
        "effective_date: 2027-01-01\n"
        "social_media_team_email: not-an-email\n"
        "legal_email: legal@acme.example\n"
        "hr_email: hr@acme.example\n"))
    target = tmp_path / "p.yaml"
    result = cli("init", str(target), "--answers", str(answers))
    assert result.code == 1
    assert not target.exists()
    a = str(answers)
    assert result.err.splitlines() == [
        f"{a}:1:1: no answer for 'employees' (Number of employees)",
        "    hint: add `employees: ...`",
        f"{a}:2:16: jurisdictions: 'FR' is not one of the choices",
        "    hint: choices: DE, AT, CH, GB, US",
        f"{a}:3:11: industry: 'retial' is not one of the choices",
        "    hint: did you mean 'retail'? choices: manufacturing, technology, retail, "
        "financial_services, healthcare, public_sector, pharma, media, professional_services, "
        "energy, logistics, other",
        f"{a}:4:1: unknown question 'employes'",
        "    hint: did you mean 'employees'?",
        f"{a}:5:10: website: 'www.acme.example' does not have the expected format",
        "    hint: a web address starting with https://",
        f"{a}:6:1: 'stock_exchange' is not asked with these answers",
        "    hint: remove it, or change the answer it depends on",
        f"{a}:10:5: no answer for 'handle' (Account name (e.g. @acme))",
        "    hint: add `handle: ...`",
        f"{a}:10:5: no answer for 'purpose' (What is the channel for? (what does the company "
        "gain?))",
        "    hint: add `purpose: ...`",
        f"{a}:10:26: unknown key 'handel' in channels",
        "    hint: did you mean 'handle'?",
        f"{a}:13:26: social_media_team_email: 'not-an-email' does not have the expected format",
        "    hint: an email address like social@example.com",
        "10 problems found",
    ]


def test_every_question_has_a_schema_field() -> None:
    for item in ITEMS:
        questions = item.questions if isinstance(item, Group) else (item,)
        for question in questions:
            path = (*item.path, 0, *question.path) if isinstance(item, Group) else question.path
            assert answers.kind(answers.rules(path)), question.id


PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
                                  blacklist_characters="\u2028\u2029\ufeff"), min_size=1,
                    max_size=80)


def test_a_channel_on_another_platform_is_asked_and_written_with_its_name(
        tmp_path: Path, cli) -> None:
    channel = {"platform": "other", "name": "Nextdoor", "handle": "muehlenbach",
               "purpose": "Nachbarschaft"}
    answers = answers_file(tmp_path, channels=[channel])
    target = tmp_path / "muehlenbach.yaml"
    result = cli("init", str(target), "--answers", str(answers))
    assert result.code == 0, result.err
    written = yaml.safe_load(target.read_text(encoding="utf-8"))["strategy"]["channels"][0]
    assert (written["platform"], written["name"]) == ("other", "Nextdoor")
    unnamed = answers_file(tmp_path, channels=[{k: v for k, v in channel.items()
                                               if k != "name"}])
    refused = cli("init", str(tmp_path / "x.yaml"), "--answers", str(unnamed))
    assert refused.code == 1
    assert "no answer for 'name' (Name der Plattform" in refused.err
    named = answers_file(tmp_path, channels=[{**channel, "platform": "linkedin"}])
    refused = cli("init", str(tmp_path / "y.yaml"), "--answers", str(named))
    assert refused.code == 1
    assert "'name' is not asked with these answers" in refused.err


@given(name=PRINTABLE, purpose=PRINTABLE)
def test_property_any_accepted_text_round_trips(tmp_path_factory: pytest.TempPathFactory,
                                                name: str, purpose: str) -> None:
    folder = tmp_path_factory.mktemp("rt")
    path = answers_file(folder, company_name=name, channels=[
        {"platform": "x", "handle": "@acme", "purpose": purpose}])
    try:
        answers = interview.from_answers(parse(path.read_text(encoding="utf-8"),
                                                   str(path)), "en")
    except ProfileError as exc:  # refused with a located reason, never a crash
        assert all(re.match(r".*answers\.yaml:\d+:\d+: ", p.render()) for p in exc.problems)
        return
    try:
        text, _slug = interview.write_profile(answers, "en", "p.yaml")
    except ProfileError as exc:  # only a name without letters or digits has no folder name
        assert exc.problems[0].message.startswith("the company name gives no usable folder")
        return
    profile = from_source(parse(text, "p.yaml"))
    assert profile.company["name"] == name.strip()
    assert profile.data["strategy"]["channels"][0]["purpose"] == purpose.strip()


@pytest.mark.parametrize("value", ["yes", "off"])
def test_an_answer_yaml_reads_as_true_is_not_written_as_a_name(
        tmp_path: Path, cli, value: str) -> None:
    answers = answers_file(tmp_path)
    text = answers.read_text(encoding="utf-8").replace(
        "company_name: Mühlenbach Backwaren GmbH", f"company_name: {value}")
    answers.write_text(text, encoding="utf-8")
    target = tmp_path / "p.yaml"
    result = cli("init", str(target), "--answers", str(answers))
    assert result.code == 1, result.err
    assert f"{answers}:2:15: " in result.err and "erwartet wird Text" in result.err
    assert "YAML liest yes, no, on und off sonst als wahr/falsch" in result.err
    assert "True" not in result.err and not target.exists()


def test_a_blank_answer_is_refused(tmp_path: Path, cli) -> None:
    answers = answers_file(tmp_path, company_name="   ")
    result = cli("init", str(tmp_path / "p.yaml"), "--answers", str(answers))
    assert result.code == 1
    assert "eine Antwort ist nötig" in result.err


@pytest.mark.parametrize("path,typed,wanted", [
    (("company", "employees"), "1.450", 1450),
    (("company", "employees"), "1450", 1450),
    (("governance", "budget", "amount"), "20.000 €", 20000),
    (("governance", "budget", "amount"), "1.500,50 EUR", 1500.5),
    (("governance", "budget", "amount"), "7,5", 7.5),
    (("governance", "budget", "amount"), "12.5", 12.5),
    (("document", "effective_date"), "1.3.2027", __import__("datetime").date(2027, 3, 1)),
    (("document", "effective_date"), "2027-03-01", __import__("datetime").date(2027, 3, 1)),
])
def test_german_input_forms_are_accepted(path: tuple[str, ...], typed: str, wanted: object
                                         ) -> None:
    assert answers.parse(typed, answers.rules(path), "de") == wanted


@pytest.mark.parametrize("path,typed", [
    (("company", "employees"), "zwölf"), (("document", "effective_date"), "31.2.2027"),
    (("governance", "budget", "amount"), "20 000 000 000 abc"),
])
def test_what_is_no_number_or_date_is_still_refused(path: tuple[str, ...], typed: str) -> None:
    with pytest.raises(answers.Refused):
        answers.parse(typed, answers.rules(path), "de")
