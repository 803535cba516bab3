"""The files of a new company policy repository (`policygen init --repo DIR`).

The layout (README, "A company's policy repository"):

    policygen.toml           settings: profiles, output folder, library layers, strictness
    policies/<company>.yaml  the profiles (written by the questionnaire)
    clauses/                 the company's own clauses, a layer over the bundled library:
      <section>/<id>.yaml      a new clause, or one with `replaces: <id>` to replace a bundled one
      layer.yaml               `disable: [...]`: bundled clauses switched off
    docs/policies/           the generated documents and manifest.json (committed)
    .pre-commit-config.yaml  rebuild and check before every commit
    .github/workflows/policies.yml  the drift gate in CI
"""

from __future__ import annotations

CONFIG = """\
# policygen settings for this repository; every command finds this file (docs/config.md).
profiles = ["policies/*.yaml"]
out = "docs/policies"
# the company's own clauses, a layer over the library that ships with policygen
library = ["clauses"]
strict = false

# [defaults]               # options of `policygen build` unless the command line says otherwise
# lang = ["de", "en"]
# format = ["md", "docx"]
"""

LAYER = """\
# Bundled clauses this company leaves out of every document (ids from `policygen clauses`).
disable: []
"""

CLAUSES_README = """\
# The company's clauses

A layer over the clause library that ships with policygen (`policygen clauses` lists both).

- A new clause: `<section>/<id>.yaml`, in the format of docs/clause-format.md; the first part
  of the id names the section, e.g. `employees/employees.company_devices.yaml`.
- A replacement for a bundled clause: the same id and `replaces: <id>`; it takes the bundled
  clause's place in every document.
- A bundled clause switched off: its id under `disable:` in `layer.yaml`.

The same id as a bundled clause without `replaces:` is an error, so a policygen update that
adds a clause of that id never silently hides the company's.
"""

PRE_COMMIT = """\
# pre-commit install: rebuild the documents and check them before every commit
repos:
  - repo: local
    hooks:
      - id: policygen-build
        name: regenerate policies
        entry: policygen build --quiet
        language: system
        pass_filenames: false
        files: ^(policies/|clauses/|policygen\\.toml$)
      - id: policygen-check
        name: policies are current
        entry: policygen check
        language: system
        pass_filenames: false
        always_run: true
"""

WORKFLOW = """\
name: policies
on: [push, pull_request]
jobs:
  drift:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {fetch-depth: 0}
      - uses: actions/setup-python@v5
        with: {python-version: "3.11"}
      - run: pip install policygen
      - run: policygen validate --strict
      - run: policygen check
      - if: github.event_name == 'pull_request'
        run: policygen impact --since origin/${{ github.base_ref }}
"""

README = """\
# Social media guidelines

Generated with policygen from the profiles in `policies/` and the clauses in `clauses/` (over
the bundled clause library). Settings: `policygen.toml`.

    policygen build       # write docs/policies/ (only what is out of date)
    policygen check       # exit 1 when a committed document is stale
    policygen impact --since origin/main   # which documents a change touches

Commit `docs/policies/` with its `manifest.json`.
"""


def files() -> dict[str, str]:
    """Relative path -> text of every file of a new repository, except the profile."""
    return {
        "policygen.toml": CONFIG,
        "clauses/layer.yaml": LAYER,
        "clauses/README.md": CLAUSES_README,
        ".pre-commit-config.yaml": PRE_COMMIT,
        ".github/workflows/policies.yml": WORKFLOW,
        "README.md": README,
    }
