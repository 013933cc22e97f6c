#!/usr/bin/env python3
"""What a search query downloads from a built site's index, the way search.js fetches it.

Usage: search_download.py PUBLIC_DIR QUERY...   (e.g. after `brief build` of the shared
benchmark corpus: gen_corpus.py --n 10000, to_brief.py). Prints one Markdown table row per
query: hits, files fetched, bytes raw and gzipped, and where they went. Only the standard library."""
import json, math, os, sys, unicodedata, re, gzip

pub = sys.argv[1]; queries = sys.argv[2:]
d = os.path.join(pub, "search")
def fold(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if not (0x300 <= ord(c) <= 0x36f)).lower()
def words(s): return re.findall(r"\w+", fold(s))
def var(b, at):
    n = 0; sh = 0
    while True:
        x = b[at]; at += 1; n |= (x & 0x7f) << sh
        if x < 0x80: return n, at
        sh += 7
meta_bytes = open(os.path.join(d, "meta.json"), "rb").read()
meta = json.loads(meta_bytes)
keys = {k: i for i, k in enumerate(meta["words"])}
for q in queries:
    got = {"meta.json": meta_bytes}
    def get(p):
        if p not in got: got[p] = open(os.path.join(d, p), "rb").read()
        return got[p]
    per = []
    for w in dict.fromkeys(words(q)):
        own = next((keys[w[:l]] for l in range(len(w), -1, -1) if w[:l] in keys), None)
        shards = [own] if own is not None else []
        if len(w) >= 3:
            for k, n in keys.items():
                if len(k) > len(w) and k.startswith(w) and len(shards) <= 3: shards.append(n)
        loaded = [json.loads(get(f"words/{n}.json")) for n in shards]
        places = {}
        for sh in loaded:
            if w in sh:
                t = sh[w]
                for i in range(0, len(t), 3): places[(t[i], t[i+1])] = 1
        comp = []
        if len(w) >= 3 and not places:
            for sh in loaded:
                for x, t in sh.items():
                    if x != w and x.startswith(w):
                        comp += [t[i:i+3] for i in range(0, len(t), 3)]
        comp.sort(key=lambda t: -t[2])
        for t in comp[:24]: places.setdefault((t[0], t[1]), 0.7)
        sc = {}
        for (c, p), f in places.items():
            b = get(f"postings/{c}.bin"); at = 0
            k, at = var(b, at); L = []
            for _ in range(k):
                x, at = var(b, at); L.append(x)
            st = at + sum(L[:p]); at = st
            cnt, at = var(b, at); doc = 0; docs = []
            mode = b[at]; at += 1
            if mode == 0:
                for i in range(cnt):
                    g, at = var(b, at); doc = g if i == 0 else doc + g; docs.append(doc)
            else:
                size, at = var(b, at)
                docs = [x for x in range(size * 8) if b[at + x // 8] >> (x % 8) & 1]; at += size
                assert len(docs) == cnt
            ws = b[at:at+cnt]
            idf = math.log(1 + (meta["briefs"] - cnt + .5) / (cnt + .5))
            for dd, ww in zip(docs, ws):
                sc[dd] = max(sc.get(dd, 0), idf * f * ww / 255)
        per.append(sc)
    hits = []
    if per:
        for dd in per[0]:
            if all(dd in s for s in per): hits.append((sum(s[dd] for s in per), dd))
    hits.sort(reverse=True)
    D = meta["docs_per_shard"]
    for _, dd in hits[:20]: get(f"docs/{dd // D}.json")
    raw = sum(len(v) for v in got.values())
    gz = sum(len(gzip.compress(v)) for v in got.values())
    part = lambda p: sum(len(v) for k, v in got.items() if k.startswith(p)) / 1024
    print(f"| `{q}` | {len(hits):,} | {len(got)} | {raw/1024:.0f} KB | {gz/1024:.0f} KB | meta {len(meta_bytes)/1024:.0f}, words {part('words'):.0f}, postings {part('postings'):.0f}, docs {part('docs'):.0f} |")
