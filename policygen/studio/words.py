"""The studio's own interface words: entries `studio.*` of the catalogues in policygen/i18n.

Field labels and help come from the questions of `policygen init` and from the schema; these
are the words of the page around them. Each value is the unfilled template in both languages.
"""

from __future__ import annotations

from policygen.i18n import raw
from policygen.onboarding.readiness_checks import Text


def _group(name: str, keys: tuple[str, ...]) -> dict[str, Text]:
    return {key: raw(f"studio.{name}.{key.replace('-', '_')}") for key in keys}


SECTIONS: dict[str, Text] = _group('sections', (
    'company', 'document', 'strategy', 'governance', 'employees', 'criticism', 'contacts',
    'branding', 'overrides',
))

WORDS: dict[str, Text] = _group('words', (
    'title', 'interface', 'edition', 'language', 'preview', 'explain', 'included', 'excluded',
    'lint', 'readiness', 'problems', 'no_problems', 'no_findings', 'stale', 'save', 'saved',
    'replace', 'save_refused', 'file', 'download', 'all_zip', 'add', 'remove', 'yes', 'no',
    'unset', 'required', 'lines', 'lines_localized', 'pairs', 'date', 'number', 'per_language',
    'item', 'hint', 'ms',
))

EDITIONS: dict[str, Text] = _group('editions', (
    'employees', 'account_managers', 'legal', 'employees-summary',
))

FIELDS: dict[str, Text] = _group('fields', (
    'address', 'regulators', 'title', 'de', 'en', 'locales', 'audiences', 'formats',
    'review_cycle_months', 'status', 'history', 'version', 'date', 'author', 'changes', 'kpis',
    'channels', 'executive_sponsor', 'team', 'budget', 'approval', 'approver', 'legal_review_for',
    'training', 'required_before_official_posting', 'integration_stage', 'advocacy_incentives',
    'disclosure', 'per_post', 'service_hours', 'escalation', 'level', 'name', 'trigger',
    'moderation', 'delete', 'hide_instead_of_delete', 'documentation', 'screenshots',
    'retention_months', 'social_media_team', 'legal', 'data_protection_officer', 'works_council',
    'hr', 'press', 'compliance', 'it_security', 'phone', 'email', 'reference_docx', 'logo',
    'include', 'exclude', 'variables', 'public_body', 'hipaa_role', 'financial_activities',
    'recognised_unions', 'pdf_archive',
))



def word(key: str, lang: str, **values: object) -> str:
    """One interface word in a language, filled with values."""
    return WORDS[key].get(lang).format(**values)
