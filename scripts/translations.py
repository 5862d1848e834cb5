#!/usr/bin/env python3
"""Helper for the Dutch, French and English catalogues in opstap/locale/.

Usage (from the repository root, with polib installed: `.venv/bin/pip install polib`):

    python scripts/translations.py status
        Count untranslated and fuzzy entries per language; exits 1 if nl or fr is incomplete.
    python scripts/translations.py export OUT.json
        Write the entries that are untranslated in nl or fr, numbered, for translating.
    python scripts/translations.py apply EXPORT.json BATCH.txt [BATCH.txt ...]
        Fill nl and fr from batch files. Each line of a batch reads
        `N § dutch § french` (a § between spaces), N being the number from the export;
        for plural entries write the forms separated by ` ||| `. `\\n` stands for a line break.
    python scripts/translations.py check
        Verify that every translation keeps the placeholders of its source text, and that
        the compiled .mo files hold exactly the translations of the .po files.

The English catalogue is left empty on purpose: an empty msgstr falls back to the msgid.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

try:
    import polib
except ImportError:  # pragma: no cover - a developer tool
    sys.exit("polib is needed: .venv/bin/pip install polib")

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "opstap" / "locale"
LANGS = ("nl", "fr", "en")
REQUIRED = ("nl", "fr")
HEADERS = {
    "nl": ("Dutch", "nplurals=2; plural=(n != 1);"),
    "fr": ("French", "nplurals=2; plural=(n > 1);"),
    "en": ("English", "nplurals=2; plural=(n != 1);"),
}
PLACEHOLDER = re.compile(r"%\([A-Za-z0-9_]+\)[sdif]|%[sdif]|\{[A-Za-z0-9_]*\}")


def catalogue(lang: str, domain: str = "django") -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"), wrapwidth=79)


def key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def is_done(entry: polib.POEntry) -> bool:
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def fix_header(po: polib.POFile, lang: str) -> None:
    name, plural = HEADERS[lang]
    po.header = (
        f"Opstap {name} translation.\nThis file is distributed under the same license as Opstap."
    )
    po.metadata.update(
        {
            "Project-Id-Version": "Opstap",
            "Language": lang,
            "Language-Team": name,
            "Last-Translator": "Opstap",
            "Plural-Forms": plural,
        }
    )
    po.metadata_is_fuzzy = False


def status() -> int:
    bad = 0
    for lang in LANGS:
        for domain in ("django", "djangojs"):
            path = LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"
            if not path.exists():
                continue
            po = catalogue(lang, domain)
            entries = [e for e in po if not e.obsolete]
            fuzzy = sum("fuzzy" in e.flags for e in entries)
            missing = sum(not is_done(e) for e in entries) - fuzzy
            print(f"{lang} {domain}: {len(entries)} entries, {missing} untranslated, {fuzzy} fuzzy")
            if lang in REQUIRED:
                bad += missing + fuzzy
    return 1 if bad else 0


def export(out: str) -> None:
    nl, fr = catalogue("nl"), catalogue("fr")
    fr_by_key = {key(e): e for e in fr}
    rows = []
    for entry in nl:
        other = fr_by_key.get(key(entry))
        if is_done(entry) and other is not None and is_done(other):
            continue
        rows.append(
            {
                "n": len(rows) + 1,
                "ctx": entry.msgctxt,
                "id": entry.msgid,
                "plural": entry.msgid_plural or None,
                "where": entry.occurrences[0][0] if entry.occurrences else "",
            }
        )
    Path(out).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    for row in rows:
        ctx = f"[{row['ctx']}] " if row["ctx"] else ""
        plural = f"  ||| {row['plural']!r}" if row["plural"] else ""
        print(f"{row['n']}\t{ctx}{row['id']!r}{plural}")


def _forms(text: str) -> list[str]:
    return [part.strip().replace("\\n", "\n") for part in text.split("|||")]


def apply(export_file: str, batches: list[str]) -> None:
    rows = {row["n"]: row for row in json.loads(Path(export_file).read_text(encoding="utf-8"))}
    translations: dict[str, dict[str, list[str]]] = {"nl": {}, "fr": {}}
    for batch in batches:
        for number, line in enumerate(Path(batch).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = [part.strip() for part in line.split(" § ")]
            if len(parts) != 3:
                sys.exit(f"{batch}:{number}: expected 3 fields separated by §")
            row = rows[int(parts[0])]
            k = f"{row['ctx']}\x04{row['id']}" if row["ctx"] else row["id"]
            translations["nl"][k] = _forms(parts[1])
            translations["fr"][k] = _forms(parts[2])
    for lang, table in translations.items():
        po = catalogue(lang)
        fix_header(po, lang)
        for entry in po:
            forms = table.get(key(entry))
            if forms is None:
                continue
            if entry.msgid_plural:
                if len(forms) != 2:
                    sys.exit(f"{lang}: plural entry {entry.msgid!r} needs two forms")
                entry.msgstr_plural = {0: forms[0], 1: forms[1]}
            else:
                entry.msgstr = forms[0]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        po.save()
    en = catalogue("en")
    fix_header(en, "en")
    en.save()


def check() -> int:
    problems = 0
    for lang in REQUIRED:
        for entry in catalogue(lang):
            if not is_done(entry):
                continue
            sources = [entry.msgid, entry.msgid_plural or entry.msgid]
            targets = (
                [entry.msgstr_plural[0], entry.msgstr_plural[1]]
                if entry.msgid_plural
                else [entry.msgstr, entry.msgstr]
            )
            for source, target in zip(sources, targets, strict=True):
                if set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(target)):
                    print(f"{lang}: placeholders differ in {entry.msgid!r}: {target!r}")
                    problems += 1
                    break
        problems += _stale_mo(lang)
    return 1 if problems else 0


def _translations(entries) -> dict[str, object]:
    found = {}
    for entry in entries:
        if not entry.msgid or not is_done(entry):
            continue
        value = dict(entry.msgstr_plural) if entry.msgid_plural else entry.msgstr
        found[key(entry)] = {int(k): v for k, v in value.items()} if entry.msgid_plural else value
    return found


def _stale_mo(lang: str) -> int:
    """1 when the compiled catalogue does not hold exactly the translations of the .po file."""
    mo_path = LOCALE / lang / "LC_MESSAGES" / "django.mo"
    if not mo_path.exists():
        print(f"{lang}: {mo_path.name} is missing; run compilemessages")
        return 1
    if _translations(polib.mofile(str(mo_path))) != _translations(catalogue(lang)):
        print(f"{lang}: {mo_path.name} does not match the .po file; run compilemessages")
        return 1
    return 0


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command, args = argv[0], argv[1:]
    if command == "status":
        return status()
    if command == "export":
        export(args[0])
        return 0
    if command == "apply":
        apply(args[0], args[1:])
        return 0
    if command == "check":
        return check()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
