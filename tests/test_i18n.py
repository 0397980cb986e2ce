"""The French interface: a complete, compiled catalogue that covers the code, and French pages.

The catalogue is regenerated with `make messages` (makemessages + compilemessages); these tests
fail when someone adds a string and forgets to translate it or to compile the catalogue.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES"
PO = CATALOGUE / "django.po"
MO = CATALOGUE / "django.mo"
# The folders `make messages` leaves out, as makemessages' --ignore options do.
IGNORED = {".venv", "var", "tests", "bench", "locale", "static", "node_modules", ".git"}
PLACEHOLDER = re.compile(r"%\((\w[\w.]*)\)[sd]")
GETTEXT_FUNCTIONS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def _unquote(text: str) -> str:
    """A .po string literal (C escapes, a subset of Python's) as text."""
    return ast.literal_eval(text)


def po_entries(path: Path = PO) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (by index) and flags."""
    entries: list[dict] = []
    entry: dict | None = None
    field: tuple[str, int | None] | None = None

    def finish() -> None:
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            finish()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := re.match(
            r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line
        ):
            keyword, index, literal = match.groups()
            if keyword == "msgstr":
                field = ("msgstr", int(index) if index is not None else None)
                entry["msgstr"][field[1]] = _unquote(literal)
            else:
                field = (keyword, None)
                entry[keyword] = _unquote(literal)
        elif line.startswith('"') and field is not None:
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
        else:
            raise AssertionError(f"unexpected line in {path.name}: {line!r}")
    finish()
    return entries


def messages() -> list[dict]:
    """The catalogue without its header."""
    return [entry for entry in po_entries() if entry["msgid"]]


def _key(entry: dict) -> str:
    return f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]


def test_the_french_catalogue_declares_french_and_its_plural_forms():
    header = po_entries()[0]
    assert header["msgid"] == ""
    assert "Language: fr\n" in header["msgstr"][None]
    assert "Plural-Forms: nplurals=2; plural=(n > 1);\n" in header["msgstr"][None]
    assert "fuzzy" not in header["flags"]


def test_every_message_has_a_french_translation_and_none_is_fuzzy():
    entries = messages()
    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    plurals_incomplete = [
        e["msgid"] for e in entries if "msgid_plural" in e and sorted(e["msgstr"]) != [0, 1]
    ]
    assert untranslated == []
    assert fuzzy == []
    assert plurals_incomplete == []


def test_every_placeholder_of_a_message_appears_in_its_translation():
    missing = []
    for entry in messages():
        for index, translation in entry["msgstr"].items():
            # msgstr[0] translates the singular msgid; msgstr[1] the msgid_plural.
            source = entry["msgid_plural"] if index else entry["msgid"]
            if lost := set(PLACEHOLDER.findall(source)) - set(PLACEHOLDER.findall(translation)):
                missing.append((entry["msgid"], index, sorted(lost)))
    assert missing == []


def test_translations_introduce_no_placeholder_the_code_does_not_supply():
    invented = []
    for entry in messages():
        known = set(PLACEHOLDER.findall(entry["msgid"] + entry.get("msgid_plural", "")))
        for translation in entry["msgstr"].values():
            if extra := set(PLACEHOLDER.findall(translation)) - known:
                invented.append((entry["msgid"], sorted(extra)))
    assert invented == []


def test_the_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = compiled._catalog  # the .mo's own table: msgid (or (msgid, n)) → msgstr
    stale = []
    for entry in messages():
        key = _key(entry)
        if "msgid_plural" in entry:
            for index, translation in entry["msgstr"].items():
                if catalog.get((key, index)) != translation:
                    stale.append((entry["msgid"], index))
        elif catalog.get(key) != entry["msgstr"][None]:
            stale.append(entry["msgid"])
    expected = sum(len(e["msgstr"]) for e in messages()) + 1  # + the header
    assert stale == [], "run `make messages` to recompile locale/fr/LC_MESSAGES/django.mo"
    assert len(catalog) == expected, "the .mo holds messages the .po no longer has"


# --- the catalogue covers the code -------------------------------------------------------------

TRANSLATE_TAG = re.compile(r"""\{%\s*trans(?:late)?\s+(["'])(.*?)\1""", re.S)
TEMPLATE_UNDERSCORE = re.compile(r"""\b_\((["'])(.*?)\1\)""")
BLOCK_TAG = re.compile(
    r"\{%\s*blocktrans(?:late)?\b(?P<args>.*?)%\}(?P<body>.*?)\{%\s*endblocktrans(?:late)?\s*%\}",
    re.S,
)
PLURAL_TAG = re.compile(r"\{%\s*plural\s*%\}")
VARIABLE = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


def _source_files(suffix: str) -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob(f"*{suffix}")
        if not IGNORED.intersection(path.relative_to(ROOT).parts)
    )


def _block_msgids(args: str, body: str) -> list[str]:
    """The msgid(s) makemessages extracts from a {% blocktranslate %} block."""
    found = []
    for part in PLURAL_TAG.split(body):
        text = VARIABLE.sub(r"%(\1)s", part.replace("%", "%%"))
        if "trimmed" in args.split():
            text = re.sub(r"\s*\n\s*", " ", text.strip())
        found.append(text)
    return found


def template_msgids() -> set[str]:
    found: set[str] = set()
    for path in _source_files(".html"):
        text = path.read_text(encoding="utf-8")
        found.update(match.group(2) for match in TRANSLATE_TAG.finditer(text))
        found.update(match.group(2) for match in TEMPLATE_UNDERSCORE.finditer(text))
        for match in BLOCK_TAG.finditer(text):
            found.update(_block_msgids(match.group("args"), match.group("body")))
    return found


def python_msgids() -> set[str]:
    """Literal first arguments of gettext calls (`_`, gettext_lazy, ngettext …) in the code."""
    found: set[str] = set()
    for path in _source_files(".py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in GETTEXT_FUNCTIONS:
                continue
            # pgettext(context, message): the message is the second argument.
            literals = node.args[1:] if name.startswith(("pgettext", "npgettext")) else node.args
            plural = name.startswith(("ngettext", "npgettext"))
            for arg in literals[: 2 if plural else 1]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return found


def _catalogue_msgids() -> set[str]:
    return {text for e in messages() for text in (e["msgid"], e.get("msgid_plural")) if text}


def test_the_template_scanner_finds_the_strings_of_the_base_template():
    found = template_msgids()
    assert {"Log out", "Change", "Missions", "Skip to content"} <= found
    assert "feasible: %(degree)s" in found  # a blocktranslate with a variable


def test_every_translatable_string_in_the_templates_is_in_the_catalogue():
    missing = sorted(template_msgids() - _catalogue_msgids())
    assert missing == [], "run `make messages` and translate the new entries"


def test_every_translatable_string_in_the_python_code_is_in_the_catalogue():
    found = python_msgids()
    assert "Multidimensional peacekeeping operation" in found  # vocabulary.py's no-op _()
    missing = sorted(found - _catalogue_msgids())
    assert missing == [], "run `make messages` and translate the new entries"


# --- pages in French ---------------------------------------------------------------------------


@pytest.fixture
def french_client(client, binub_planner):
    client.login(username=binub_planner.username, password=PASSWORD)
    response = client.post(reverse("set_language"), {"language": "fr", "next": reverse("home")})
    assert response.status_code == 302
    return client


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_user_who_switches_to_french_sees_the_home_page_in_french(french_client, binub):
    page = _page(french_client, reverse("home"))

    assert '<html lang="fr">' in page
    assert "Se déconnecter" in page
    assert "Changer" in page
    assert "Missions" in page
    assert "Comparer les missions" in page
    assert "Log out" not in page
    assert "Compare missions" not in page  # the English of a link this planner sees


@pytest.mark.django_db
def test_a_user_who_switches_to_french_sees_a_mission_page_in_french(
    french_client, binub_assessment
):
    page = _page(french_client, reverse("mission-detail", args=["BINUB"]))

    assert '<html lang="fr">' in page
    assert "Opération multidimensionnelle de maintien de la paix" in page
    # (the planner has an open draft: the page offers to continue it rather than start another)
    assert "Reprendre l'évaluation en cours du" in page
    assert "Continue the open assessment" not in page


@pytest.mark.django_db
def test_a_user_who_switches_to_french_sees_the_assessment_edit_page_in_french(
    french_client, binub_assessment
):
    page = _page(french_client, reverse("assessment-edit", args=[binub_assessment.pk]))

    assert '<html lang="fr">' in page
    assert "Enregistrer le brouillon" in page
    assert "Contexte" in page
    assert "Consolidation de la paix" in page  # the phase, a vocabulary label
    assert "Save draft" not in page
    assert "Save and submit for HQ review" not in page


@pytest.mark.django_db
def test_without_switching_the_pages_stay_in_english(client, binub_planner):
    client.login(username=binub_planner.username, password=PASSWORD)

    page = _page(client, reverse("home"))

    assert "Log out" in page
    assert "Se déconnecter" not in page
