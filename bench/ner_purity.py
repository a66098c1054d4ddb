#!/usr/bin/env python3
"""Alias folding on HIPE-2020: do mentions that share a gold Wikidata id fold into one
entity, and does one entity hold one Wikidata id?

Each HIPE document (its sentences joined by newlines) goes to `vigie entities --jsonl` as
one record; the `entity` field of each output mention names the entity it was folded
into. Only predicted mentions whose span equals a gold mention with a Wikidata id (not
NIL) count. Reported:
  purity      = sum over predicted entities of the size of their largest same-QID group,
                divided by the mentions counted (1.0: no entity mixes two QIDs);
  inverse     = sum over QIDs of the size of their largest same-entity group, divided
                by the mentions counted (1.0: every QID's mentions are one entity).

Usage: python3 bench/ner_purity.py [--bin target/release/vigie] FILE.jsonl...
"""
import argparse
import collections
import json
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/vigie")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    for path in a.files:
        docs = collections.OrderedDict()
        for line in open(path, encoding="utf-8"):
            r = json.loads(line)
            docs.setdefault(r["meta"]["doc"], []).append(r)
        records, gold = [], {}
        for doc, recs in docs.items():
            text, offset, mentions = "", 0, []
            for r in recs:
                if text:
                    text += "\n"
                    offset += 1
                for e in r["entities"]:
                    if e.get("kb") and e["kb"] != "NIL":
                        mentions.append((offset + e["start"], offset + e["end"], e["kb"]))
                text += r["text"]
                offset += len(r["text"])
            records.append({"id": doc, "text": text, "lang": recs[0]["lang"]})
            gold[doc] = {(s, e): q for s, e, q in mentions}
        inp = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        out = subprocess.run([a.bin, "entities", "--jsonl"], input=inp.encode(), capture_output=True,
                             check=True).stdout.decode()
        pairs = []  # (doc, entity, qid)
        for line in out.splitlines():
            o = json.loads(line)
            g = gold[o["id"]]
            for m in o["entities"]:
                q = g.get((m["start"], m["end"]))
                if q:
                    pairs.append((o["id"], m["label"] + ":" + m["entity"], q))
        n = len(pairs)
        by_entity = collections.defaultdict(collections.Counter)
        by_qid = collections.defaultdict(collections.Counter)
        for doc, ent, q in pairs:
            by_entity[(doc, ent)][q] += 1
            by_qid[(doc, q)][ent] += 1
        purity = sum(c.most_common(1)[0][1] for c in by_entity.values()) / n if n else 0
        inverse = sum(c.most_common(1)[0][1] for c in by_qid.values()) / n if n else 0
        multi = sum(1 for c in by_qid.values() if sum(c.values()) > 1)
        print(f"{path.rsplit('/', 1)[-1]}: {n} mentions with a QID matched, purity {purity:.3f}, "
              f"inverse purity {inverse:.3f} ({len(by_qid)} QIDs per document, {multi} named more than once)")


if __name__ == "__main__":
    sys.exit(main())
