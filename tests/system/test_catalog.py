"""The interface's message catalogs (src/core/catalog.h, po/).

The build makes podium.pot from the sources and the templates
(tools/messages.py) next to the binary. These tests fail when a message of
it has no Chinese translation in po/zh.po, when a template shows a text
that is not in a {{_ }} tag (and so not in the catalog), and when a
catalog's plural forms disagree with the CLDR rules the binary uses.
"""

import gettext
import html.parser
import os
import re
import subprocess

import pytest

from conftest import BIN, REPO

POT = os.path.join(os.path.dirname(BIN), "podium.pot")
CATALOGS = sorted(p for p in os.listdir(REPO / "po") if p.endswith(".po"))
TEMPLATES = sorted((REPO / "templates").rglob("*.html"))

# Text a template may show as it is: the product's name.
UNTRANSLATED = {"Podium"}
# Attributes whose values a reader sees or hears.
SHOWN_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "label"}


def read_po(path):
    """{(msgid, msgid_plural or None): [msgstr...]} of the entries of a PO file that are not fuzzy."""
    entries, entry, key, fuzzy = {}, {}, None, False

    def flush():
        nonlocal entry, fuzzy
        if "msgid" in entry and not fuzzy:
            strs = [entry[k] for k in sorted(k for k in entry if k.startswith("msgstr"))]
            entries[(entry["msgid"], entry.get("msgid_plural"))] = strs
        entry, fuzzy = {}, False

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                flush()
            elif line.startswith("#,"):
                fuzzy = "fuzzy" in line
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += eval(line)  # a C string literal, as PO files write them
            else:
                key, _, value = line.partition(" ")
                key = key.replace("[", "_").replace("]", "")
                entry[key] = eval(value)
    flush()
    return entries


def test_the_build_made_the_template():
    assert os.path.exists(POT), f"{POT}: the build makes podium.pot beside the binary"
    messages = [k for k in read_po(POT) if k[0]]
    assert len(messages) > 100


@pytest.mark.parametrize("catalog", CATALOGS)
def test_every_message_is_translated(catalog):
    pot = {k for k in read_po(POT) if k[0]}
    po = read_po(REPO / "po" / catalog)
    missing = sorted(k[0] for k in pot if not all(po.get(k, [""])) or not po.get(k))
    assert not missing, f"po/{catalog} lacks translations of {len(missing)}: {missing[:20]} (make po)"
    stale = sorted(k[0] for k in po if k[0] and k not in pot)
    assert not stale, f"po/{catalog} translates messages that are gone: {stale[:20]} (make po)"


@pytest.mark.parametrize("catalog", CATALOGS)
def test_msgfmt_checks_the_catalog(catalog, tmp_path):
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(REPO / "po" / catalog)],
                   check=True)


class ShownText(html.parser.HTMLParser):
    """The texts of a template (with its tags taken out) that a reader would see."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.shown, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        for name, value in attrs:
            # a submit input shows its value; a <button> shows its content, not its value
            if value and (name in SHOWN_ATTRIBUTES or
                          (name == "value" and tag == "input" and ("type", "submit") in attrs)):
                self.shown.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.shown.append(data)


def message_free(text):
    """The template with its {{_ }} messages and other tags taken out."""
    out, i = [], 0
    while True:
        j = text.find("{{", i)
        if j < 0:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:j])
        depth, k = 0, j + 2
        while k < len(text) and not (text.startswith("}}", k) and depth == 0):
            depth += {"{": 1, "}": -1}.get(text[k], 0)
            k += 1
        i = k + (3 if text.startswith("}}}", k) else 2)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(REPO / "templates")))
def test_every_template_text_is_a_message(template):
    parser = ShownText()
    parser.feed(message_free(template.read_text(encoding="utf-8")))
    names = re.compile("|".join(map(re.escape, UNTRANSLATED)))
    words = [t.strip() for t in parser.shown if re.search(r"[^\W\d_]", names.sub("", t))]
    assert not words, f"{template.name} shows text outside {{{{_ }}}} tags: {words}"


@pytest.mark.parametrize("catalog", CATALOGS)
def test_plural_forms_follow_cldr(catalog):
    """The catalog's Plural-Forms picks, for every count, the form of its CLDR category (catalog.h)."""
    header = read_po(REPO / "po" / catalog)[("", None)][0]
    forms = re.search(r"Plural-Forms:\s*nplurals=(\d+);\s*plural=([^;\n]+);?", header)
    assert forms, f"po/{catalog} has no Plural-Forms"
    plural = gettext.c2py(forms.group(2))
    lang = catalog[:-3]
    # the CLDR categories of the languages shipped, in the order catalog.h uses
    cldr = {"zh": lambda n: 0, "en": lambda n: 0 if n == 1 else 1}
    assert lang in cldr, f"add {lang}'s CLDR plural rule here"
    assert [plural(n) for n in range(1000)] == [cldr[lang](n) for n in range(1000)]
