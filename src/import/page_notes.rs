//! Footnotes written as links within the page, taken out of an imported post's HTML so that
//! they become Markdown notes: Word's `#_ftn1` and `#_ftnref1` pasted into WordPress's classic
//! editor, PHP Markdown Extra's and pandoc's `#fn:1`/`#fnref:1`, plugins' `#footnote-1`.
//!
//! Their names vary too much to list, so a reference and its note are recognised by the two
//! links between them: a link to `#N` whose own anchor (or its `<sup>`'s) is `R`, and an element
//! anchored `N` that is, or holds, a link back to `#R`. Written by hand because no crate reads
//! these shapes, and the HTML-to-Markdown converter drops the anchors they depend on.

use std::collections::HashMap;
use std::rc::Rc;

use html5ever::serialize::{SerializeOpts, TraversalScope, serialize};
use html5ever::tendril::TendrilSink;
use html5ever::{LocalName, QualName, ns, parse_fragment};
use markup5ever_rcdom::{Handle, Node, NodeData, RcDom, SerializableHandle};

use super::html_md::{CLOSE, OPEN};

/// Where the `n`th note's reference stands until the Markdown is written: private-use
/// characters that the converter does not escape.
pub fn marker(n: usize) -> String {
    format!("{OPEN}fn{n}{CLOSE}")
}

/// `markdown` with the [`marker`]s of `count` notes made `[^n]` references.
pub fn references(markdown: &str, count: usize) -> String {
    let mut out = markdown.to_string();
    for n in 1..=count {
        out = out.replace(&marker(n), &format!("[^{n}]"));
    }
    out
}

/// The notes' definitions, each note's HTML as Markdown.
pub fn definitions(notes: &[String]) -> String {
    let mut out = String::new();
    for (n, note) in notes.iter().enumerate() {
        let text = super::html_md::convert(note).markdown;
        out.push_str(&format!(
            "[^{}]: {}\n",
            n + 1,
            text.trim().replace('\n', "\n    ")
        ));
    }
    out
}

/// The report's line for the notes whose text is missing (a block-editor note the post's meta
/// lacks, a note link whose note is empty): they would be published empty.
pub fn missing(notes: &[String]) -> Option<String> {
    let empty: Vec<String> = notes
        .iter()
        .enumerate()
        .filter(|(_, note)| super::html_md::plain_text(note).trim().is_empty())
        .map(|(i, _)| format!("[^{}]", i + 1))
        .collect();
    (!empty.is_empty()).then(|| {
        format!(
            "footnote {} has no text in the source: write it, or remove its reference",
            empty.join(", ")
        )
    })
}

/// The report's line for footnote links left in the Markdown (`[1](#_ftn1)`, `#fn2`,
/// `#footnote-3`, `#_edn1`, `#endnote-4`) that [`take`] could not pair with their notes: an
/// editor must at least know of them (their anchors do not survive the conversion).
pub fn unpaired(markdown: &str) -> Option<String> {
    const STARTS: [&str; 5] = ["](#_ftn", "](#_edn", "](#fn", "](#footnote", "](#endnote"];
    // A number (or `-`, `_`, `:` and a number) follows: `#fname` is not a note.
    let numbered = |rest: &str| {
        rest.trim_start_matches(['-', '_', ':'])
            .starts_with(|c: char| c.is_ascii_digit())
    };
    let first = STARTS
        .iter()
        .flat_map(|start| {
            markdown
                .match_indices(start)
                .map(move |(at, _)| (at, start.len()))
        })
        .filter(|&(at, len)| numbered(&markdown[at + len..]))
        .min_by_key(|&(at, _)| at)?;
    let link = &markdown[first.0 + 2..];
    let link = &link[..link.find(')').unwrap_or(link.len())];
    Some(format!(
        "footnotes written as in-page links ({link}) left as links: make them [^n] notes"
    ))
}

/// The report's line for `count` notes made from links.
pub fn report(count: usize) -> String {
    let s = if count == 1 { "" } else { "s" };
    format!("{count} footnote{s} written as in-page links made [^n] notes: check their text")
}

/// The post's HTML with each reference replaced by a [`marker`] (notes numbered in order of
/// first reference), and each note's HTML in that order; `None` when the post has no such
/// footnotes (its HTML is then left exactly as it was).
pub fn take(html: &str) -> Option<(String, Vec<String>)> {
    if !html.contains('#') {
        return None;
    }
    let fragment = parse(html)?;
    let root = &fragment.root;
    let mut nodes = Vec::new();
    collect(root, &mut nodes);
    let (notes, references) = find(&nodes);
    if references.is_empty() {
        return None;
    }
    // Numbered by first reference; the notes' texts are read before anything moves.
    let mut order: Vec<usize> = Vec::new();
    for reference in &references {
        if !order.contains(&reference.note) {
            order.push(reference.note);
        }
    }
    let texts: Vec<String> = order.iter().map(|&i| note_html(&notes[i])).collect();
    for reference in &references {
        let n = order.iter().position(|&i| i == reference.note).unwrap_or(0) + 1;
        replace_with_text(&reference.node, &marker(n));
    }
    for note in &notes {
        for node in &note.nodes {
            detach(node);
        }
    }
    for note in &notes {
        if is_empty(&note.block) {
            remove_emptied(&note.block);
        }
    }
    drop_trailing_heading(root);
    let html = format!("{}\n", inner_html(root).trim_end());
    Some((html, texts.iter().map(|t| note_text(t)).collect()))
}

/// A note as found in the page.
struct Note {
    /// The block (paragraph, list item, the `div` Word gives each note) that holds it.
    block: Handle,
    /// What of the block is the note: all its children, or, when several notes share one
    /// paragraph (line breaks between them), those from its anchor to the next note's.
    nodes: Vec<Handle>,
    /// The links in it back to its references, which are not its text.
    backs: Vec<Handle>,
}

/// A reference in the text to a note of [`find`]'s list.
struct Reference {
    /// The reference as it stands in the text: the link, or the `<sup>` around it.
    node: Handle,
    note: usize,
}

/// The note's HTML without its back-links.
fn note_html(note: &Note) -> String {
    let html: String = note
        .nodes
        .iter()
        .map(|node| outer_html_without(node, &note.backs))
        .collect();
    trim_breaks(&html)
}

/// HTML without the line breaks around it (the ones between notes that share a paragraph).
fn trim_breaks(html: &str) -> String {
    let mut text = html.trim();
    loop {
        let before = text;
        for br in ["<br>", "<br/>", "<br />"] {
            text = text.strip_prefix(br).unwrap_or(text).trim();
            text = text.strip_suffix(br).unwrap_or(text).trim();
        }
        if text == before {
            return text.to_string();
        }
    }
}

/// A parsed fragment. The document is kept because dropping a node empties every node
/// below it, even those still held.
struct Fragment {
    _document: Handle,
    /// The `<html>` element the parser puts the fragment in.
    root: Handle,
}

/// The fragment parsed as the content of a `<body>`.
fn parse(html: &str) -> Option<Fragment> {
    let body = QualName::new(None, ns!(html), LocalName::from("body"));
    let dom = parse_fragment(
        RcDom::default(),
        Default::default(),
        body,
        Vec::new(),
        false,
    )
    .one(html);
    let root = dom.document.children.borrow().first().cloned()?;
    Some(Fragment {
        _document: dom.document,
        root,
    })
}

fn collect(node: &Handle, out: &mut Vec<Handle>) {
    for child in node.children.borrow().iter() {
        out.push(child.clone());
        collect(child, out);
    }
}

/// The notes and, in document order, every reference to one. A note is found by one
/// reference before it that it links back to; then every link to it is a reference (a second
/// reference may or may not be linked back to).
fn find(nodes: &[Handle]) -> (Vec<Note>, Vec<Reference>) {
    let mut anchors: HashMap<String, Handle> = HashMap::new();
    for node in nodes {
        for name in ["id", "name"] {
            if let Some(value) = attr(node, name).filter(|v| !v.is_empty()) {
                anchors.entry(value).or_insert_with(|| node.clone());
            }
        }
    }
    let links: Vec<(Handle, String)> = nodes
        .iter()
        .filter(|n| is(n, "a"))
        .filter_map(|n| {
            let href = attr(n, "href")?;
            let (_, fragment) = href.rsplit_once('#')?;
            (!fragment.is_empty()).then(|| (n.clone(), fragment.to_string()))
        })
        .collect();
    let position: HashMap<*const Node, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (Rc::as_ptr(n), i))
        .collect();
    let after =
        |a: &Handle, b: &Handle| position.get(&Rc::as_ptr(a)) > position.get(&Rc::as_ptr(b));
    let mut found: Vec<Found> = Vec::new();
    for (link, target) in &links {
        let Some(anchor) = anchors.get(target) else {
            continue;
        };
        if found.iter().any(|f| f.target == *target)
            || contains(anchor, link)
            || contains(link, anchor)
        {
            continue;
        }
        let own = own_anchors(link);
        let linked_back = links.iter().any(|(candidate, fragment)| {
            own.contains(fragment) && !Rc::ptr_eq(candidate, link) && contains(anchor, candidate)
        });
        let Some(block) = note_block(anchor).filter(|_| linked_back && is_mark(link)) else {
            continue;
        };
        // A section linking back to its entry in a table of contents is no note.
        if holds_heading(&block) {
            continue;
        }
        if after(&block, link) && !contains(&block, link) {
            found.push(Found {
                target: target.clone(),
                anchor: anchor.clone(),
                block,
            });
        }
    }
    let references: Vec<Reference> = links
        .iter()
        .filter_map(|(link, target)| {
            let note = found.iter().position(|f| f.target == *target)?;
            (!contains(&found[note].block, link)).then(|| Reference {
                node: outer_reference(link),
                note,
            })
        })
        .collect();
    let notes = found
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let block = widened(f, &found);
            let nodes = note_nodes(&block, &f.anchor, &found);
            // Back-links: the links in the note to an anchor of any reference to it.
            let reached: Vec<String> = references
                .iter()
                .filter(|r| r.note == i)
                .flat_map(|r| own_anchors(&first_link(&r.node)))
                .collect();
            let backs = links
                .iter()
                .filter(|(l, fragment)| {
                    reached.contains(fragment) && nodes.iter().any(|n| contains(n, l))
                })
                .map(|(l, _)| outer_reference(l))
                .collect();
            Note {
                block,
                nodes,
                backs,
            }
        })
        .collect();
    (notes, references)
}

/// A note as first found: the fragment its references link to, its anchor and the block
/// around the anchor.
struct Found {
    target: String,
    anchor: Handle,
    block: Handle,
}

/// Whether a link reads as a note's mark: a number ("1", "[1]", "(12)"), a roman numeral
/// ("iv"), or a symbol ("*", "†"), as in every footnote style; a table of contents' link reads
/// as a heading.
fn is_mark(link: &Handle) -> bool {
    let text = super::html_md::text_of(link);
    let mark = text
        .trim()
        .trim_matches(|c| matches!(c, '[' | ']' | '(' | ')'));
    let numeral = |c: char| c.is_ascii_digit();
    let roman = |c: char| matches!(c.to_ascii_lowercase(), 'i' | 'v' | 'x' | 'l' | 'c');
    let symbol = |c: char| matches!(c, '*' | '†' | '‡' | '§' | '¶');
    !mark.is_empty()
        && mark.chars().count() <= 6
        && (mark.chars().all(numeral) || mark.chars().all(roman) || mark.chars().all(symbol))
}

fn holds_heading(node: &Handle) -> bool {
    ["h1", "h2", "h3", "h4", "h5", "h6"]
        .iter()
        .any(|h| is(node, h))
        || node.children.borrow().iter().any(holds_heading)
}

/// The note's block, or the `<li>` or `<div id>` around it when the note goes on there (Word's
/// `<div id="ftn1">` of several paragraphs) and holds no other note.
fn widened(note: &Found, found: &[Found]) -> Handle {
    let mut block = note.block.clone();
    while let Some(up) = parent(&block) {
        let container = is(&up, "li") || (is(&up, "div") && attr(&up, "id").is_some());
        let alone = found
            .iter()
            .all(|other| Rc::ptr_eq(&other.anchor, &note.anchor) || !contains(&up, &other.anchor));
        if !container || !alone || is(&up, "html") {
            break;
        }
        block = up;
    }
    block
}

/// What of `block` is the note anchored at `anchor`: all its children, unless other notes are
/// anchored in it too; then the children from the one holding `anchor` to the one holding the
/// next note's anchor.
fn note_nodes(block: &Handle, anchor: &Handle, found: &[Found]) -> Vec<Handle> {
    let children: Vec<Handle> = block.children.borrow().clone();
    let holder = |a: &Handle| children.iter().position(|c| contains(c, a));
    let mut starts: Vec<usize> = found
        .iter()
        .filter_map(|other| holder(&other.anchor))
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let Some(own) = holder(anchor).filter(|_| starts.len() > 1) else {
        return children;
    };
    let end = starts
        .iter()
        .find(|&&start| start > own)
        .copied()
        .unwrap_or(children.len());
    children[own..end].to_vec()
}

/// The link a reference is, or holds.
fn first_link(node: &Handle) -> Handle {
    if is(node, "a") {
        return node.clone();
    }
    let children = node.children.borrow();
    children
        .iter()
        .map(first_link)
        .find(|n| is(n, "a"))
        .unwrap_or_else(|| node.clone())
}

/// The anchors a link can be reached by: its own, and those of the `<sup>` or `<span>`
/// elements it is the only content of.
fn own_anchors(link: &Handle) -> Vec<String> {
    let mut names = Vec::new();
    let mut node = link.clone();
    loop {
        for name in ["id", "name"] {
            names.extend(attr(&node, name).filter(|v| !v.is_empty()));
        }
        match parent(&node) {
            Some(up) if wraps_only(&up, &node) && (is(&up, "sup") || is(&up, "span")) => node = up,
            _ => break,
        }
    }
    names
}

/// The link with the `<sup>` and `<span>` elements around it that hold nothing else.
fn outer_reference(link: &Handle) -> Handle {
    let mut node = link.clone();
    while let Some(up) = parent(&node) {
        if wraps_only(&up, &node) && (is(&up, "sup") || is(&up, "span")) {
            node = up;
        } else {
            break;
        }
    }
    node
}

/// The block a note stands in: its anchor, when that is a block, or the nearest block around
/// it (Word anchors the note's number link itself). `None` at the fragment's top level, where
/// nothing marks where the note ends.
fn note_block(anchor: &Handle) -> Option<Handle> {
    const BLOCKS: [&str; 6] = ["p", "li", "div", "dd", "aside", "section"];
    let mut node = anchor.clone();
    loop {
        if BLOCKS.iter().any(|b| is(&node, b)) {
            return Some(node);
        }
        let up = parent(&node)?;
        if is(&up, "html") {
            return None;
        }
        node = up;
    }
}

/// Removes a note's block, then each element around it that the removal left with nothing
/// but white space, rules and breaks (a footnotes `<div>` with its `<hr>` and `<ol>`).
fn remove_emptied(block: &Handle) {
    let mut node = block.clone();
    loop {
        let up = parent(&node);
        detach(&node);
        match up {
            Some(up) if !is(&up, "html") && is_empty(&up) => node = up,
            _ => break,
        }
    }
}

/// A "Notes" heading left last in the post once its notes are gone: brief prints its own.
fn drop_trailing_heading(root: &Handle) {
    while let Some(last) = last_element(root) {
        let heading = ["h1", "h2", "h3", "h4", "h5", "h6", "p"]
            .iter()
            .any(|h| is(&last, h));
        let text = super::html_md::text_of(&last)
            .trim()
            .trim_end_matches(':')
            .to_lowercase();
        let rule = is(&last, "hr") || is(&last, "br");
        // Word puts an empty paragraph (`<p>&nbsp;</p>`) before its rule.
        let empty = is(&last, "p") && text.is_empty() && !holds_media(&last);
        if rule || empty || (heading && ["notes", "footnotes", "endnotes"].contains(&text.as_str()))
        {
            detach(&last);
        } else {
            break;
        }
    }
}

fn last_element(node: &Handle) -> Option<Handle> {
    let children = node.children.borrow();
    children.iter().rev().find(|n| !is_blank(n)).cloned()
}

/// A note's HTML without the space (and Word's non-breaking space) left where its number was.
fn note_text(html: &str) -> String {
    html.trim_start_matches(|c: char| c.is_whitespace())
        .trim_start_matches("&nbsp;")
        .trim()
        .to_string()
}

fn replace_with_text(node: &Handle, text: &str) {
    let Some(up) = parent(node) else {
        return;
    };
    let replacement = Node::new(NodeData::Text {
        contents: std::cell::RefCell::new(text.into()),
    });
    replacement.parent.set(Some(Rc::downgrade(&up)));
    let mut children = up.children.borrow_mut();
    if let Some(i) = children.iter().position(|c| Rc::ptr_eq(c, node)) {
        children[i] = replacement;
    }
}

fn detach(node: &Handle) {
    if let Some(up) = parent(node) {
        up.children.borrow_mut().retain(|c| !Rc::ptr_eq(c, node));
    }
    node.parent.set(None);
}

fn parent(node: &Handle) -> Option<Handle> {
    let weak = node.parent.take();
    let up = weak.as_ref().and_then(|w| w.upgrade());
    node.parent.set(weak);
    up
}

/// Whether `outer` is `inner` or holds it.
fn contains(outer: &Handle, inner: &Handle) -> bool {
    let mut node = Some(inner.clone());
    while let Some(n) = node {
        if Rc::ptr_eq(&n, outer) {
            return true;
        }
        node = parent(&n);
    }
    false
}

/// Whether `child` is all that `node` holds, white space aside.
fn wraps_only(node: &Handle, child: &Handle) -> bool {
    node.children
        .borrow()
        .iter()
        .all(|c| Rc::ptr_eq(c, child) || is_blank(c))
}

fn is_empty(node: &Handle) -> bool {
    node.children.borrow().iter().all(is_blank_tree)
}

/// Whether `node` shows nothing but white space and rules: text of spaces, a comment, `<br>`,
/// `<hr>`, or a `<p>`, `<div>` or `<span>` of only those (Word's `<br clear="all">`, once the
/// classic editor's paragraph rules put it in a `<p>`).
fn is_blank_tree(node: &Handle) -> bool {
    if is_blank(node) || is(node, "br") || is(node, "hr") {
        return true;
    }
    let wrapper = ["p", "div", "span"].iter().any(|t| is(node, t));
    wrapper && node.children.borrow().iter().all(is_blank_tree)
}

fn is_blank(node: &Handle) -> bool {
    match &node.data {
        NodeData::Text { contents } => contents.borrow().trim().is_empty(),
        NodeData::Comment { .. } => true,
        _ => false,
    }
}

fn is(node: &Handle, tag: &str) -> bool {
    matches!(&node.data, NodeData::Element { name, .. } if &*name.local == tag)
}

fn attr(node: &Handle, name: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

fn holds_media(node: &Handle) -> bool {
    node.children.borrow().iter().any(|c| {
        ["img", "iframe", "video", "audio", "object", "svg"]
            .iter()
            .any(|t| is(c, t))
            || holds_media(c)
    })
}

/// `node`'s HTML without the nodes of `left_out` in it.
fn outer_html_without(node: &Handle, left_out: &[Handle]) -> String {
    if left_out.iter().any(|l| Rc::ptr_eq(l, node)) {
        return String::new();
    }
    if !left_out.iter().any(|l| contains(node, l)) {
        return outer_html(node);
    }
    let inner: String = node
        .children
        .borrow()
        .iter()
        .map(|c| outer_html_without(c, left_out))
        .collect();
    // The element's own tags, from a copy without children.
    let tags = outer_html(&shallow(node));
    match tags.rfind("</") {
        Some(at) => format!("{}{inner}{}", &tags[..at], &tags[at..]),
        None => format!("{tags}{inner}"),
    }
}

/// A node like `node`, without its children.
fn shallow(node: &Handle) -> Handle {
    Node::new(match &node.data {
        NodeData::Element {
            name,
            attrs,
            template_contents,
            mathml_annotation_xml_integration_point,
        } => NodeData::Element {
            name: name.clone(),
            attrs: attrs.clone(),
            template_contents: template_contents.clone(),
            mathml_annotation_xml_integration_point: *mathml_annotation_xml_integration_point,
        },
        other => other.clone(),
    })
}

fn outer_html(node: &Handle) -> String {
    serialized(node, TraversalScope::IncludeNode)
}

fn inner_html(node: &Handle) -> String {
    serialized(node, TraversalScope::ChildrenOnly(None))
}

fn serialized(node: &Handle, traversal_scope: TraversalScope) -> String {
    let mut bytes = Vec::new();
    let opts = SerializeOpts {
        traversal_scope,
        ..Default::default()
    };
    // Writing into a Vec cannot fail.
    let _ = serialize(&mut bytes, &SerializableHandle::from(node.clone()), opts);
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn take_marked(html: &str) -> Option<(String, Vec<String>)> {
        let (html, notes) = take(html)?;
        Some((references(&html, notes.len()), notes))
    }

    #[test]
    fn word_notes_pasted_into_the_classic_editor() {
        let html = "<p>Kim wants arms.<a title=\"\" href=\"#_ftn1\" name=\"_ftnref1\"><sup>[1]</sup></a> Putin wants shells.<a href=\"#_ftn2\" name=\"_ftnref2\">[2]</a></p>\n\
                    <p>&nbsp;</p>\n<hr align=\"left\" size=\"1\" width=\"33%\">\n\
                    <p><a href=\"#_ftnref1\" name=\"_ftn1\">[1]</a> Reuters, 13 September 2023.</p>\n\
                    <p><a href=\"#_ftnref2\" name=\"_ftn2\">[2]</a> See <em>38 North</em>.</p>\n";
        let (html, notes) = take_marked(html).expect("two notes");
        assert_eq!(html, "<p>Kim wants arms.[^1] Putin wants shells.[^2]</p>\n");
        assert_eq!(
            notes,
            ["Reuters, 13 September 2023.", "See <em>38 North</em>."]
        );
    }

    #[test]
    fn markdown_extra_notes_with_their_list_and_heading() {
        let html = "<p>Text<sup id=\"fnref:1\"><a href=\"#fn:1\" rel=\"footnote\">1</a></sup> and again<sup id=\"fnref2:1\"><a href=\"#fn:1\">1</a></sup>.</p>\
                    <h2>Notes</h2>\
                    <div class=\"footnotes\"><hr /><ol><li id=\"fn:1\"><p>The note.&#160;<a href=\"#fnref:1\" rev=\"footnote\">&#8617;</a></p></li></ol></div>";
        let (html, notes) = take_marked(html).expect("one note");
        assert_eq!(html, "<p>Text[^1] and again[^1].</p>\n");
        assert_eq!(notes, ["<p>The note.&nbsp;</p>"]);
    }

    #[test]
    fn a_note_of_several_paragraphs_in_words_div_is_whole() {
        let html = "<p>Claim.<a href=\"#_ftn1\" name=\"_ftnref1\">[1]</a></p>\n<hr />\n\
                    <div id=\"ftn1\">\n<p><a href=\"#_ftnref1\" name=\"_ftn1\">[1]</a> Source one.</p>\n\
                    <p>More about source one.</p>\n</div>";
        let (html, notes) = take_marked(html).expect("one note");
        assert_eq!(html, "<p>Claim.[^1]</p>\n");
        assert_eq!(
            notes,
            ["<p> Source one.</p>\n<p>More about source one.</p>"]
        );
    }

    #[test]
    fn every_back_link_of_a_note_cited_twice_goes() {
        let html = "<p>Text<sup id=\"fnref:1\"><a href=\"#fn:1\">1</a></sup> and again<sup id=\"fnref2:1\"><a href=\"#fn:1\">1</a></sup>.</p>\
                    <div class=\"footnotes\"><hr /><ol><li id=\"fn:1\"><p>The note.&#160;<a href=\"#fnref:1\" rev=\"footnote\">&#8617;</a> <a href=\"#fnref2:1\" rev=\"footnote\">&#8617;</a></p></li></ol></div>";
        let (html, notes) = take_marked(html).expect("one note");
        assert_eq!(html, "<p>Text[^1] and again[^1].</p>\n");
        assert_eq!(notes, ["<p>The note.&nbsp; </p>"]);
    }

    #[test]
    fn notes_sharing_a_paragraph_are_split_at_their_anchors() {
        // Notes separated by line breaks, as the classic editor's paragraph rules leave them.
        let html = "<p>Claim.<a href=\"#_ftn1\" name=\"_ftnref1\">[1]</a> Claim.<a href=\"#_ftn2\" name=\"_ftnref2\">[2]</a></p>\n\
                    <p><a href=\"#_ftnref1\" name=\"_ftn1\">[1]</a> Source one.<br />\n<a href=\"#_ftnref2\" name=\"_ftn2\">[2]</a> Source <em>two</em>.</p>\n";
        let (html, notes) = take_marked(html).expect("two notes");
        assert_eq!(html, "<p>Claim.[^1] Claim.[^2]</p>\n");
        assert_eq!(notes, ["Source one.", "Source <em>two</em>."]);
    }

    #[test]
    fn words_separator_goes_with_the_notes() {
        let html = "<p>Claim.<a href=\"#_ftn1\" name=\"_ftnref1\">[1]</a></p>\n<div>\n<p><br clear=\"all\" /></p>\n\
                    <hr align=\"left\" size=\"1\" width=\"33%\" />\n<div id=\"ftn1\">\n\
                    <p><a href=\"#_ftnref1\" name=\"_ftn1\">[1]</a> Source one.</p>\n</div>\n</div>";
        let (html, _) = take_marked(html).expect("one note");
        assert_eq!(html, "<p>Claim.[^1]</p>\n");
    }

    #[test]
    fn a_note_without_text_is_reported() {
        let notes = ["Source one.".to_string(), "<p> </p>".to_string()];
        assert_eq!(
            missing(&notes).as_deref(),
            Some("footnote [^2] has no text in the source: write it, or remove its reference")
        );
        assert_eq!(missing(&notes[..1]), None);
    }

    #[test]
    fn links_within_the_page_that_are_not_notes_stay() {
        for html in [
            "<p>See <a href=\"#background\">the background</a>.</p><h2 id=\"background\">Background</h2>",
            "<p><a href=\"#top\" id=\"up\">Top</a></p><p id=\"top\"><a href=\"#elsewhere\">x</a></p>",
            // A table of contents whose sections link back to it.
            "<p>Contents: <a href=\"#s1\" id=\"toc-s1\">Background</a> and <a href=\"#s2\" id=\"toc-s2\">2</a>.</p>\
             <section id=\"s1\"><h2>Background <a href=\"#toc-s1\">↑</a></h2><p>Text.</p></section>\
             <section id=\"s2\"><h2>Outlook <a href=\"#toc-s2\">↑</a></h2><p>Text.</p></section>",
            "<p>No links at all.</p>",
        ] {
            assert_eq!(take_marked(html), None, "{html}");
        }
    }
}
