#!/usr/bin/env python3
"""Write the plain-text source article gen_corpus.py deals paragraphs from, taken from the
example site's own brief (content/briefs/what-putin-and-kim-want-from-each-other.md), so that
the benchmark needs nothing outside the repository.

The text is the brief's body without front matter, headings, notes, note references, link
targets and emphasis marks: a title line, then paragraphs separated by blank lines.

Usage: source_from_example.py BRIEF.md OUT.txt"""
import re
import sys

brief, out = sys.argv[1], sys.argv[2]
text = open(brief, encoding="utf-8").read()
_, front, body = text.split("+++", 2)
title = re.search(r'^title = "(.*)"$', front, re.M).group(1)
paragraphs = [title]
for block in re.split(r"\n\s*\n", body):
    block = block.strip()
    if not block or block.startswith(("#", "[^", ">", "{", "<", "|", "-", "!")):
        continue
    block = re.sub(r"\[\^[^\]]*\]", "", block)               # note references
    block = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", block)  # links and images: their text
    block = re.sub(r"[*_`]", "", block)                       # emphasis and code marks
    paragraphs.append(re.sub(r"\s+", " ", block))
with open(out, "w", encoding="utf-8") as f:
    f.write("\n\n".join(paragraphs) + "\n")
