#!/usr/bin/env python3
"""A 100,000-brief site from a 10,000-brief one, for the memory benchmark at archive scale
(README, "Memory at 100,000 briefs"). A benchmark input, not a test.

    benches/times_ten.py SITE OUT

Copies SITE's config.toml and content/authors/, and each brief of content/briefs/ ten times:
copy 0 as it is, copy k (1-9) as <name>-r<k>.md with " (k)" after its title, so that no slug
or title clashes. The authors are the same, so each has ten times the briefs; the words are
the same, so the search index has ten times the postings over the same vocabulary. (The
generator of the shared bench, ../shared/bench, is too slow at this size.)
"""
import os
import re
import shutil
import sys

site, out = sys.argv[1], sys.argv[2]
os.makedirs(os.path.join(out, "content", "briefs"), exist_ok=True)
shutil.copy(os.path.join(site, "config.toml"), os.path.join(out, "config.toml"))
authors = os.path.join(out, "content", "authors")
if not os.path.exists(authors):
    shutil.copytree(os.path.join(site, "content", "authors"), authors)
title = re.compile(r'^title = "(.*)"$', re.M)
briefs = os.path.join(site, "content", "briefs")
for name in sorted(os.listdir(briefs)):
    with open(os.path.join(briefs, name), encoding="utf-8") as f:
        text = f.read()
    for k in range(10):
        if k == 0:
            target, body = name, text
        else:
            target = f"{name[:-3]}-r{k}.md"
            body = title.sub(lambda m: f'title = "{m.group(1)} ({k})"', text, count=1)
        with open(os.path.join(out, "content", "briefs", target), "w", encoding="utf-8") as f:
            f.write(body)
print(len(os.listdir(os.path.join(out, "content", "briefs"))), "briefs in", out)
