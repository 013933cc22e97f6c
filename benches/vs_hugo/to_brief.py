#!/usr/bin/env python3
"""Turn a gen_corpus.py site (Zola/Hugo front matter) into a `brief` site with the same text.

Usage: to_brief.py CORPUS_DIR SITE_DIR
Writes SITE_DIR/config.toml, SITE_DIR/content/briefs/<slug>.md and content/authors/<id>.md.
Each brief keeps its title, date, body (byte for byte), topics and authors; `description`
becomes `summary`; authors become registry entries (id = slug of the name, bio = the first
bio seen for that name); pull quotes are kept only where they occur in the body, since brief
refuses a pull quote that is not in the text (Hugo and Zola print them unchecked), and lists
each quote once (brief refuses a duplicate)."""
import os, re, sys, tomllib

src, dst = sys.argv[1], sys.argv[2]
briefs_in = os.path.join(src, "content", "briefs")
briefs_out = os.path.join(dst, "content", "briefs")
authors_out = os.path.join(dst, "content", "authors")
os.makedirs(briefs_out, exist_ok=True)
os.makedirs(authors_out, exist_ok=True)
with open(os.path.join(dst, "config.toml"), "w") as f:
    f.write('title = "Benchmark Institute"\nbase_url = "https://example.org/"\nlanguage = "en"\n')

def slug(s):
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")

def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

def norm(s):
    s = re.sub(r"[*_`]", "", s)
    return re.sub(r"\s+", " ", s)

authors = {}
for name in sorted(os.listdir(briefs_in)):
    if not name.endswith(".md") or name.startswith("_"):
        continue
    text = open(os.path.join(briefs_in, name), encoding="utf-8").read()
    _, fm, body = text.split("+++", 2)
    meta = tomllib.loads(fm)
    extra = meta.get("extra", {})
    ids = []
    for a in extra.get("authors", []):
        i = slug(a["name"])
        authors.setdefault(i, a)
        if i not in ids:
            ids.append(i)
    flat = norm(body)
    quotes = []
    for p in extra.get("pull_quotes", []):
        if norm(p) in flat and p not in quotes:  # brief refuses a quote listed twice
            quotes.append(p)
    out = ["+++", "title = " + q(meta["title"]), "date = " + str(meta["date"]),
           "summary = " + q(meta["description"]),
           "authors = [" + ", ".join(q(i) for i in ids) + "]",
           "topics = [" + ", ".join(q(t) for t in extra.get("topics", [])) + "]",
           "pull_quotes = [" + ", ".join(q(p) for p in quotes) + "]", "+++"]
    with open(os.path.join(briefs_out, name), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out) + body)
for i, a in sorted(authors.items()):
    with open(os.path.join(authors_out, i + ".md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("+++\nname = " + q(a["name"]) + "\n+++\n\n" + a["bio"] + "\n")
