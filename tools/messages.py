#!/usr/bin/python3
"""messages.py: the template of the message catalogs, podium.pot, from the
sources and the templates (run by the build).

    messages.py OUTPUT SOURCE_ROOT FILE...

C files go through xgettext (tr(r, "..."), trn(r, "...", "...", n), N_("..."),
catalog_text/catalog_plural, and the problems of report_add and report_tr); templates are read here, for their
{{_ text}} and {{_n count|singular|plural}} tags (see src/html/template.h),
with whitespace runs made one space as the template engine does. Both are
merged with msgcat. Stops with an error naming the template and line of a
tag that is not well formed.
"""
import os
import re
import subprocess
import sys
import tempfile

TAG = re.compile(r"\{\{_(n?) ")


def tag_end(text, start):
    """The index just after the }} that closes the tag whose body starts at start."""
    depth = 0
    i = start
    while i < len(text):
        if text.startswith("}}", i) and depth == 0:
            return i
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
        i += 1
    return -1


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def template_messages(path, name):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    found = []
    for m in TAG.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        end = tag_end(text, m.end())
        if end < 0:
            sys.exit(f"{name}:{line}: a message tag is never closed")
        body = " ".join(text[m.end():end].split())
        if m.group(1):
            parts = body.split("|")
            if len(parts) != 3 or not all(p.strip() for p in parts):
                sys.exit(f"{name}:{line}: {{{{_n count|singular|plural}}}} needs three parts")
            found.append((line, parts[1].strip(), parts[2].strip()))
        else:
            found.append((line, body, None))
    return found


def write_templates_pot(out, templates, root):
    entries = {}
    for path in templates:
        name = os.path.relpath(path, root)
        for line, msgid, plural in template_messages(path, name):
            e = entries.setdefault((msgid, plural), [])
            e.append(f"{name}:{line}")
    with open(out, "w", encoding="utf-8") as f:
        f.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
        for (msgid, plural), refs in entries.items():
            f.write("#: " + " ".join(refs) + "\n")
            if "{" in msgid or (plural and "{" in plural):
                f.write("#, python-brace-format\n")
            f.write(f"msgid {quote(msgid)}\n")
            if plural is None:
                f.write('msgstr ""\n\n')
            else:
                f.write(f'msgid_plural {quote(plural)}\nmsgstr[0] ""\nmsgstr[1] ""\n\n')


def main():
    out, root, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    c_files = [os.path.relpath(f, root) for f in files if f.endswith(".c")]
    templates = [f for f in files if f.endswith(".html")]
    with tempfile.TemporaryDirectory() as tmp:
        c_pot, t_pot = os.path.join(tmp, "c.pot"), os.path.join(tmp, "templates.pot")
        subprocess.run(["xgettext", "--language=C", "--from-code=UTF-8", "--no-wrap",
                        "--keyword=tr:2", "--keyword=trn:2,3", "--keyword=N_",
                        "--keyword=catalog_text:2", "--keyword=catalog_plural:2,3",
                        "--keyword=report_add:4", "--keyword=report_tr:2", "--flag=report_add:4:c-format",
                        "--add-comments=TRANSLATORS:", "--package-name=podium",
                        "--msgid-bugs-address=the issues of Podium", "--force-po", "-o", c_pot, *c_files],
                       cwd=root, check=True)
        write_templates_pot(t_pot, templates, root)
        subprocess.run(["msgcat", "--no-wrap", "--use-first", "-o", out, c_pot, t_pot], check=True)


if __name__ == "__main__":
    main()
