"""The studio's own interface words, German and English, in one place.

Field labels and help come from the questions of `policygen init` and from the schema; these
are the words of the page around them.
"""

from __future__ import annotations

from policygen.onboarding.readiness_checks import Text

SECTIONS: dict[str, Text] = {
    "company": Text("Unternehmen", "Company"),
    "document": Text("Dokument", "Document"),
    "strategy": Text("Strategie", "Strategy"),
    "governance": Text("Organisation", "Governance"),
    "employees": Text("Mitarbeitende", "Employees"),
    "criticism": Text("Umgang mit Kritik", "Handling criticism"),
    "contacts": Text("Kontakte", "Contacts"),
    "branding": Text("Gestaltung", "Branding"),
    "overrides": Text("Anpassungen", "Overrides"),
}

WORDS: dict[str, Text] = {
    "title": Text("policygen Studio", "policygen studio"),
    "interface": Text("Sprache der Oberfläche", "Interface language"),
    "edition": Text("Fassung", "Edition"),
    "language": Text("Sprache des Dokuments", "Document language"),
    "preview": Text("Vorschau", "Preview"),
    "explain": Text("Warum diese Klauseln", "Why these clauses"),
    "included": Text("enthalten", "included"),
    "excluded": Text("nicht enthalten", "left out"),
    "lint": Text("Rechtliche Prüfung", "Legal lint"),
    "readiness": Text("Social-Media-Reife", "Social media readiness"),
    "problems": Text("Fehler im Profil", "Problems in the profile"),
    "no_problems": Text("Das Profil ist gültig.", "The profile is valid."),
    "no_findings": Text("Keine Hinweise.", "No findings."),
    "stale": Text("Die Vorschau zeigt den letzten gültigen Stand.",
                  "The preview shows the last valid state."),
    "save": Text("Speichern", "Save"),
    "saved": Text("Gespeichert: {path}", "Saved: {path}"),
    "replace": Text("{path} gibt es schon. Ersetzen?", "{path} exists. Replace it?"),
    "save_refused": Text("Nicht gespeichert: das Profil hat Fehler.",
                         "Not saved: the profile has problems."),
    "file": Text("Datei", "File"),
    "download": Text("Herunterladen", "Download"),
    "all_zip": Text("Alle Dokumente (.zip)", "All documents (.zip)"),
    "add": Text("Hinzufügen", "Add"),
    "remove": Text("Entfernen", "Remove"),
    "yes": Text("ja", "yes"),
    "no": Text("nein", "no"),
    "unset": Text("— (Vorgabe)", "— (default)"),
    "required": Text("Pflichtfeld", "required"),
    "lines": Text("eine Angabe je Zeile", "one entry per line"),
    "lines_localized": Text("eine Angabe je Zeile; „Deutsch | English“ für zwei Sprachen",
                            "one entry per line; 'Deutsch | English' for two languages"),
    "pairs": Text("je Zeile: name = Wert", "one per line: name = value"),
    "date": Text("ein Datum wie 2027-03-01 oder 1.3.2027", "a date such as 2027-03-01"),
    "number": Text("eine Zahl, z. B. 20000 oder 20.000 €", "a number, e.g. 20000"),
    "per_language": Text("je Sprache", "per language"),
    "item": Text("Eintrag", "Item"),
    "hint": Text("Tipp", "hint"),
    "ms": Text("Vorschau in {ms} ms", "preview in {ms} ms"),
}

EDITIONS: dict[str, Text] = {
    "employees": Text("Leitlinie für Mitarbeitende", "Employee guideline"),
    "account_managers": Text("Handbuch für Kontoverantwortliche", "Handbook for account managers"),
    "legal": Text("Fassung für die Rechtsabteilung", "Legal edition"),
    "employees-summary": Text("Zusammenfassung (eine Seite)", "Summary (one page)"),
}


def word(key: str, lang: str, **values: object) -> str:
    """One interface word in a language, filled with values."""
    return WORDS[key].get(lang).format(**values)


# Labels of the fields and groups that no `init` question names (key -> German, English).
FIELDS: dict[str, Text] = {
    "address": Text("Anschrift", "Address"),
    "regulators": Text("Aufsichtsbehörden", "Regulators"),
    "title": Text("Titel", "Title"),
    "de": Text("Deutsch", "German"),
    "en": Text("Englisch", "English"),
    "locales": Text("Sprachvarianten", "Locales"),
    "audiences": Text("Fassungen", "Editions"),
    "formats": Text("Dateiformate", "File formats"),
    "review_cycle_months": Text("Überprüfung alle … Monate", "Review every … months"),
    "status": Text("Status", "Status"),
    "history": Text("Versionsgeschichte", "Version history"),
    "version": Text("Version", "Version"),
    "date": Text("Datum", "Date"),
    "author": Text("Autorin oder Autor", "Author"),
    "changes": Text("Änderungen", "Changes"),
    "kpis": Text("Kennzahlen je Ziel", "KPIs per goal"),
    "channels": Text("Offizielle Kanäle", "Official channels"),
    "executive_sponsor": Text("Verantwortlich in der Geschäftsleitung", "Executive sponsor"),
    "team": Text("Social-Media-Team", "Social media team"),
    "budget": Text("Budget", "Budget"),
    "approval": Text("Freigabe", "Approval"),
    "approver": Text("Wer gibt frei?", "Approver"),
    "legal_review_for": Text("Rechtliche Prüfung für", "Legal review for"),
    "training": Text("Schulung", "Training"),
    "required_before_official_posting": Text("Schulung vor dem ersten offiziellen Beitrag",
                                             "Training before the first official post"),
    "integration_stage": Text("Integrationsstufe", "Integration stage"),
    "advocacy_incentives": Text("Anreize für Botschafter", "Incentives for advocates"),
    "disclosure": Text("Kennzeichnung", "Disclosure"),
    "per_post": Text("In jedem Beitrag kennzeichnen", "Disclose in every post"),
    "service_hours": Text("Servicezeiten", "Service hours"),
    "escalation": Text("Eskalationsstufen", "Escalation levels"),
    "level": Text("Stufe", "Level"),
    "name": Text("Name", "Name"),
    "trigger": Text("Auslöser", "Trigger"),
    "moderation": Text("Moderation", "Moderation"),
    "delete": Text("Löschen bei", "Delete for"),
    "hide_instead_of_delete": Text("Verbergen statt löschen", "Hide instead of delete"),
    "documentation": Text("Dokumentation", "Documentation"),
    "screenshots": Text("Bildschirmfotos sichern", "Keep screenshots"),
    "retention_months": Text("Aufbewahrung (Monate)", "Retention (months)"),
    "social_media_team": Text("Social-Media-Team", "Social media team"),
    "legal": Text("Rechtsabteilung", "Legal department"),
    "data_protection_officer": Text("Datenschutzbeauftragte", "Data protection officer"),
    "works_council": Text("Betriebsrat", "Works council"),
    "hr": Text("Personalabteilung", "Human Resources"),
    "press": Text("Pressestelle", "Press office"),
    "compliance": Text("Compliance", "Compliance"),
    "it_security": Text("IT-Sicherheit", "IT security"),
    "phone": Text("Telefon", "Phone"),
    "reference_docx": Text("Word-Vorlage (.docx, relativ zum Profil)",
                           "Word template (.docx, relative to the profile)"),
    "logo": Text("Logo (PNG oder JPEG, relativ zum Profil)",
                 "Logo (PNG or JPEG, relative to the profile)"),
    "include": Text("Zusätzliche Klauseln (IDs)", "Extra clauses (ids)"),
    "exclude": Text("Ausgelassene Klauseln (IDs)", "Left-out clauses (ids)"),
    "variables": Text("Variablen", "Variables"),
}
