#!/usr/bin/env python3
"""Writes a WordPress export of N posts (default 1,000) for timing `brief import wordpress`.

Half the posts are classic-editor text (autop, a [caption] image), half block-editor
paragraphs; the channel, authors and categories are those of the test fixture.
Usage: python3 scripts/gen-wordpress-export.py [N] > export.xml
"""
import random
import sys
from pathlib import Path

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
random.seed(1)
fixture = Path(__file__).resolve().parent.parent / "tests/fixtures/import/wordpress/export.xml"
head = fixture.read_text().split("<item>")[0]
words = "policy nuclear sanctions trade summit energy arms treaty missile alliance region security economy".split()
out = [head]
for i in range(N):
    paras = [" ".join(random.choice(words) for _ in range(60)).capitalize() + "." for _ in range(12)]
    if i % 2 == 0:
        body = ("\n\n".join(paras[:6]) + "\n\n<h2>Section</h2>\n" + "\n\n".join(paras[6:])
                + '\n\n[caption id="a" width="800"]<img src="https://old.example.org/wp-content/uploads/2023/09/kremlin.jpg" alt="A photo" /> A caption.[/caption]')
    else:
        body = "".join(f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->\n\n" for p in paras)
        body += "<!-- wp:heading -->\n<h2>Section</h2>\n<!-- /wp:heading -->\n"
    author = "jdoe" if i % 3 else "mortega"
    out.append(f"""<item><title>Brief number {i}</title><link>https://old.example.org/2023/09/15/brief-{i}/</link>
<dc:creator><![CDATA[{author}]]></dc:creator><content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[Summary {i}]]></excerpt:encoded><wp:post_id>{1000 + i}</wp:post_id>
<wp:post_date_gmt><![CDATA[2023-09-15 10:00:00]]></wp:post_date_gmt><wp:post_name><![CDATA[brief-{i}]]></wp:post_name>
<wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
<category domain="category" nicename="security"><![CDATA[Security]]></category>
<category domain="post_tag" nicename="sanctions"><![CDATA[Sanctions]]></category></item>
""")
out.append("</channel></rss>\n")
sys.stdout.write("".join(out))
