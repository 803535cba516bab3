"""`policygen init`: answers piped in line by line, refused answers, save and resume, the answers
file. The session in a real terminal (line editing and lists) is in test_init_terminal.py."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
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
from tests.conftest import ROOT, Result, write

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


def piped(*args: str, lines: list[str], cwd: Path) -> Result:
    """policygen init with its answers piped in, one a line (no terminal: the plain console)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "policygen", "init", *args], cwd=cwd, env=env,
                          input="".join(line + "\n" for line in lines), capture_output=True,
                          text=True, timeout=120, check=False)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def test_every_question_answered_line_by_line(tmp_path: Path, cli) -> None:
    target = tmp_path / "acme.yaml"
    result = piped(str(target), lines=[text for _, text in SESSION], cwd=tmp_path)
    assert result.code == 0, result.err
    position = 0
    for question, _ in SESSION:  # every question was asked, in this order
        position = result.out.index(question, position)
    assert result.out.endswith(f"wrote {target}\nNext: policygen assess {target}\n")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Social media profile written by `policygen init`.")
    assert "  # Number of employees\n  employees: 420\n" in text
    assert "  # Effective from (YYYY-MM-DD)\n  effective_date: 2027-01-01\n" in text
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


def _lines(*pairs: tuple[str, str]) -> list[str]:
    return [text for _, text in pairs]


def test_wrong_answers_are_refused_with_a_reason(tmp_path: Path) -> None:
    target = tmp_path / "acme.yaml"
    lines = [*_lines(*SESSION[:4]), "FR", "DE", "retial", "3", "many", "0", "12", "perhaps", "",
             "no", "no", "www.acme.example", "https://www.acme.example", "", "", "", "",
             "12/1/2026"]
    result = piped(str(target), lines=lines, cwd=tmp_path)
    expected = [
        "✗ 'FR' is not one of the choices", "hint: choices: DE, AT, CH, GB, US",
        "✗ 'retial' is not one of the choices",
        "hint: did you mean 'retail'? choices: manufacturing, technology, retail",
        "✗ 'many' is not a whole number", "✗ 0 is below the minimum of 1",
        "✗ please answer yes or no",
        "✗ 'www.acme.example' does not have the expected format",
        "hint: a web address starting with https://",
        "Effective from (YYYY-MM-DD or DD.MM.YYYY): ",
        "✗ '12/1/2026' is not a date as YYYY-MM-DD", "hint: e.g. 2027-03-01 or 1.3.2027",
    ]
    position = 0
    for words in expected:
        position = result.out.index(words, position)
    assert result.code == 2
    assert "input ended before every question was answered; nothing was written" in result.err
    assert not target.exists()


def test_questions_and_refusals_in_german(tmp_path: Path) -> None:
    result = piped("--lang", "de", str(tmp_path / "x.yaml"), cwd=tmp_path, lines=[
        "Mühlenbach Backwaren GmbH", "", "", "", "Handel", "retail", "viele"])
    expected = ["Name des Unternehmens (mit Rechtsform)", "[Mühlenbach Backwaren]", "Rechtsform",
                "In welchen Ländern", "Branche", "✗ 'Handel' steht nicht zur Wahl",
                "Zahl der Beschäftigten", "✗ 'viele' ist keine ganze Zahl",
                "Tipp: eine ganze Zahl, z. B. 1450 oder 1.450"]
    position = 0
    for words in expected:
        position = result.out.index(words, position)
    assert result.code == 2


def test_refusals_and_their_hints_in_german(tmp_path: Path) -> None:
    """A German session: reasons and hints in German, choices with their German labels."""
    lines = ["Mühlenbach Backwaren GmbH", "", "", "FR", "DE", "Handel", "retail", "0", "12",
             "vielleicht", "nein", "nein", "nein", "www.muehlenbach.example",
             "https://www.muehlenbach.example", "", "", "", "", "12/1/2026", "31.2.2027",
             "1.3.2027", "", "", "Marketing", "2"]
    result = piped("--lang", "de", str(tmp_path / "x.yaml"), cwd=tmp_path, lines=lines)
    expected = [
        "✗ 'FR' steht nicht zur Wahl",
        "    Tipp: zur Wahl: DE (Deutschland), AT (Österreich), CH (Schweiz), "
        "GB (Vereinigtes Königreich), US (USA)\n",
        "✗ 'Handel' steht nicht zur Wahl",
        "    Tipp: meinten Sie 'retail'? zur Wahl: manufacturing (Industrie und Fertigung), "
        "technology (Technologie), retail (Handel), financial_services (Finanzdienstleistungen)",
        "✗ 0 liegt unter dem Mindestwert 1",
        "✗ bitte mit ja oder nein antworten", "    Tipp: ja oder nein\n",
        "✗ 'www.muehlenbach.example' hat nicht das erwartete Format",
        "    Tipp: eine Webadresse, die mit https:// beginnt\n",
        "Gültig ab (TT.MM.JJJJ): ", "✗ '12/1/2026' ist kein gültiges Datum",
        "    Tipp: z. B. 1.3.2027 oder 2027-03-01\n",
        "✗ '31.2.2027' ist kein gültiges Datum",
        "Wer ist für die Leitlinie verantwortlich?",
    ]
    position = 0
    for words in expected:
        position = result.out.index(words, position)
    assert "hint:" not in result.out
    assert result.code == 2


def test_the_plain_console_in_a_terminal(tmp_path: Path) -> None:
    """--plain in a real terminal: prompts as plain lines, no terminal control sequences."""
    child = spawn("--plain", "--lang", "en", str(tmp_path / "x.yaml"), cwd=tmp_path)
    answer(child, "Company name (with legal form)", "Acme Widgets GmbH")
    child.expect_exact("Short name (for texts and the folder name) [Acme Widgets]: ")
    assert "\x1b" not in (child.before or "")
    child.sendline("?")
    child.expect_exact("Help: Short name (for texts and the folder name)")
    child.expect_exact("profile field: company.short_name")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2


# everything a new company is asked up to the effective date, in the plain console
START = ["en", "Acme Widgets GmbH", "Acme", "", "DE", "retail", "85", "no", "no", "no",
         "https://www.acme.example", "", "", "", ""]


def test_back_help_and_an_early_cross_field_rule_line_by_line(tmp_path: Path) -> None:
    target = tmp_path / "acme.yaml"
    lines = ["en", "Acme GmbH", "!!!", "Acme", "back", "back", "Acme Widgets GmbH", "", "-",
             "?", "DE", "retail", "1.200", "back", "85", "no", "no", "no",
             "https://www.acme.example", "", "", "", "", "1.3.2027", "save"]
    result = piped(str(target), lines=lines, cwd=tmp_path)
    assert result.code == 0, result.err
    out = result.out
    rule = out.index("✗ the company name gives no usable folder name ('empty')")
    assert out.index("hint: set company.short_name to a name with letters or digits") > rule
    assert "Back to: Short name (for texts and the folder name)" in out
    assert "Back to: Company name (with legal form)" in out
    assert "Company name (with legal form) [Acme GmbH]: " in out  # the last answer suggested
    assert "Short name (for texts and the folder name) [Acme Widgets]: " in out  # derived again
    help_at = out.index("Help: In which countries does it operate?")
    assert out.index("  DE – Germany", help_at) < out.index("profile field: company.jurisdictions")
    assert "Back to: Number of employees" in out
    saved = tmp_path / "policygen-init-answers.yaml"
    assert f"Answers saved to {saved.name}." in out
    assert f"Continue with: policygen init {target} --resume {saved.name}" in out
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data["company_name"] == "Acme Widgets GmbH" and data["short_name"] == "Acme Widgets"
    assert data["legal_form"] is None  # "-": no answer, whatever the suggestion (GmbH)
    assert data["employees"] == 85 and data["effective_date"] == __import__("datetime").date(
        2027, 3, 1)
    assert list(data)[-1] == "effective_date" and not target.exists()
    # go on where it stopped, then stop again after one more answer
    result = piped(str(target), "--resume", saved.name, lines=["Head of Communications", "save"],
                   cwd=tmp_path)
    assert result.code == 0, result.err
    assert "15 answers read from policygen-init-answers.yaml; continuing." in result.out
    assert "Company name" not in result.out
    assert result.out.index("Who owns the guideline?") < result.out.index("Author")
    assert yaml.safe_load(saved.read_text(encoding="utf-8"))["owner"] == "Head of Communications"


def test_a_cross_field_rule_is_checked_when_its_last_field_is_answered(tmp_path: Path) -> None:
    at = next(n for n, (q, _) in enumerate(SESSION) if q == "Service hours until")
    lines = [text for _, text in SESSION]
    # start after the end: refused at once, and again; back to the start; the end suggested
    lines[at - 1:at + 1] = ["18:00", "16:00", "17:00", "back", "08:00", ""]
    target = tmp_path / "acme.yaml"
    result = piped(str(target), lines=lines, cwd=tmp_path)
    assert result.code == 0, result.err
    first = result.out.index("✗ service hours end (16:00) before they start (18:00)")
    assert result.out.index("✗ service hours end (17:00) before they start (18:00)") > first
    assert result.out.index("Back to: Service hours from (HH:MM)") > first
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["criticism"]["service_hours"]["start"] == "08:00"


def test_a_resumed_interview_writes_the_profile(tmp_path: Path, cli) -> None:
    target = tmp_path / "acme.yaml"
    saved = tmp_path / "policygen-init-answers.yaml"
    at = next(n for n, (q, _) in enumerate(SESSION) if q == "Platform")
    lines = [text for _, text in SESSION]
    result = piped(str(target), lines=[*lines[:at + 2], "save"], cwd=tmp_path)  # in a channel
    assert result.code == 0, result.err
    assert yaml.safe_load(saved.read_text(encoding="utf-8"))["channels"] == [
        {"platform": "linkedin", "handle": "acme-widgets"}]
    result = piped(str(target), "--resume", str(saved), lines=lines[at + 2:], cwd=tmp_path)
    assert result.code == 0, result.err
    assert result.out.index("What is the channel for") < result.out.index(f"wrote {target}")
    assert cli("validate", str(target)).code == 0
    complete = saved.read_text(encoding="utf-8")  # now a complete answers file
    again = tmp_path / "again.yaml"
    assert f"--answers {saved}" in complete.splitlines()[0]
    assert cli("init", str(again), "--answers", str(saved)).code == 0
    assert again.read_bytes() == target.read_bytes()


def test_an_existing_file_is_refused_before_the_first_question(tmp_path: Path) -> None:
    target = write(tmp_path / "acme.yaml", "keep me\n")
    result = piped(str(target), lines=START, cwd=tmp_path)
    assert result.code == 2
    assert result.out == ""  # not a single question asked
    assert result.err == (f"{target}: file exists; policygen init does not overwrite it\n"
                          "    hint: choose another file name, or pass --force to replace it\n")
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_the_default_file_is_checked_once_the_short_name_is_known(tmp_path: Path) -> None:
    write(tmp_path / "policies" / "acme.yaml", "keep me\n")
    result = piped(lines=START, cwd=tmp_path)
    assert result.code == 2
    assert "Short name" in result.out and "Legal form" not in result.out
    assert result.err.startswith("policies/acme.yaml: file exists;")


def test_a_folder_that_cannot_be_written_is_refused_before_the_first_question(
        tmp_path: Path) -> None:
    blocker = write(tmp_path / "policies", "a file, not a folder\n")
    result = piped(str(blocker / "acme.yaml"), lines=START, cwd=tmp_path)
    assert result.code == 1 and result.out == ""
    assert result.err.startswith(f"{blocker}: is not a folder; nothing can be written under it")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        command = [sys.executable, "-m", "policygen", "init", str(folder / "acme.yaml")]
        if os.geteuid() == 0:
            if shutil.which("setpriv") is None:
                pytest.skip("running as root and setpriv is not installed")
            command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner",
                       "--inh-caps=-all", "--", *command]
        proc = subprocess.run(command, cwd=tmp_path, input="en\n", capture_output=True,
                              text=True, timeout=60, check=False,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    finally:
        folder.chmod(0o755)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith(f"{folder}: cannot write here: Permission denied; nothing was "
                                  "asked yet"), proc.stderr


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
    assert "  # Gültig ab (JJJJ-MM-TT)\n  effective_date: " in text  # the file's form of a date
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
