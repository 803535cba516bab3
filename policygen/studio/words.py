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
