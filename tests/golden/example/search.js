// Search for the default theme of brief: no server, no dependencies. The page's form works as a
// plain GET form (?q=…&topic=…); this script loads search/index.json once (on the first focus
// or keystroke, or at once when the address carries a query), then searches as you type.
//
// Matching: every word of the query must start some word of the brief (so "sanc" finds
// "sanctions"), accents and case ignored. Ranking: a word found in the title counts most, then
// subtitle, then authors, topics, regions, program and series, then the summary, then the text;
// a whole-word match beats a prefix; newer briefs first among equals.
//
// Everything shown comes from the index, so it is put in the page as text (textContent and
// createElement, never innerHTML).
(function () {
  "use strict";

  var root = document.getElementById("search");
  if (!root) return;
  var form = root.querySelector("form");
  // Interface strings come from the theme's i18n file through data-msg-* attributes.
  function msg(name, fallback) { return root.getAttribute("data-msg-" + name) || fallback; }
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var FILTERS = ["topic", "region", "program", "author", "year"];
  var selects = {};
  FILTERS.forEach(function (name) { selects[name] = document.getElementById("search-" + name); });
  var PAGE = 20;
  var WEIGHTS = { title: 10, subtitle: 6, meta: 5, summary: 3, text: 1 };

  var briefs = null; // the index, once loaded
  var loading = null;
  var shown = PAGE;

  // Lower case, accents removed: "Économie" -> "economie".
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var WORD = /[\p{L}\p{N}]+/gu;
  function words(s) { return fold(s).match(WORD) || []; }
  // " a b c " for fast whole-word and start-of-word look-ups with indexOf.
  function haystack(parts) { return " " + words(parts.join(" ")).join(" ") + " "; }

  function load() {
    if (loading) return loading;
    setStatus(msg("loading", "Loading the search index…"));
    loading = fetch(root.getAttribute("data-index"))
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (index) {
        var at = {};
        index.fields.forEach(function (f, i) { at[f] = i; });
        briefs = index.briefs.map(function (row, order) {
          var b = {};
          index.fields.forEach(function (f) { b[f] = row[at[f]]; });
          b.order = order;
          b.hay = {
            title: haystack([b.title]),
            subtitle: haystack([b.subtitle || ""]),
            meta: haystack(b.authors.concat(b.topics, b.regions, [b.program || "", b.series || ""])),
            summary: haystack([b.summary]),
            text: haystack([b.text])
          };
          return b;
        });
        fillFilters();
        return briefs;
      })
      .catch(function (e) {
        loading = null;
        setStatus(msg("unavailable", "Search is unavailable: the index could not be loaded."));
        throw e;
      });
    return loading;
  }

  function fillFilters() {
    var values = { topic: {}, region: {}, program: {}, author: {}, year: {} };
    briefs.forEach(function (b) {
      b.topics.forEach(function (t) { values.topic[t] = true; });
      b.regions.forEach(function (r) { values.region[r] = true; });
      if (b.program) values.program[b.program] = true;
      b.authors.forEach(function (a) { values.author[a] = true; });
      values.year[b.year] = true;
    });
    FILTERS.forEach(function (name) {
      var select = selects[name];
      if (!select) return;
      var wanted = select.getAttribute("data-wanted") || select.value;
      var keys = Object.keys(values[name]);
      if (name === "year") keys.sort(function (a, b) { return b - a; });
      else keys.sort(function (a, b) { return a.localeCompare(b); });
      keys.forEach(function (key) {
        var option = document.createElement("option");
        option.value = key;
        option.textContent = key;
        select.appendChild(option);
      });
      select.value = wanted;
      if (select.value !== wanted) select.value = "";
      select.removeAttribute("data-wanted");
    });
  }

  function chosen() {
    var out = {};
    FILTERS.forEach(function (name) {
      var s = selects[name];
      if (s && s.value) out[name] = s.value;
    });
    return out;
  }

  function passes(b, f) {
    if (f.topic && b.topics.indexOf(f.topic) < 0) return false;
    if (f.region && b.regions.indexOf(f.region) < 0) return false;
    if (f.program && b.program !== f.program) return false;
    if (f.author && b.authors.indexOf(f.author) < 0) return false;
    if (f.year && String(b.year) !== f.year) return false;
    return true;
  }

  // The score of one brief for the query's terms, or 0 if some term is found nowhere.
  function score(b, terms) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var best = 0;
      for (var field in WEIGHTS) {
        var hay = b.hay[field];
        if (hay.indexOf(" " + terms[i]) < 0) continue;
        var w = WEIGHTS[field] * (hay.indexOf(" " + terms[i] + " ") >= 0 ? 1.5 : 1);
        if (w > best) best = w;
      }
      if (!best) return 0;
      total += best;
    }
    return total;
  }

  function run() {
    if (!briefs) return;
    var query = input.value.trim();
    var terms = words(query);
    var f = chosen();
    var filtered = Object.keys(f).length > 0;
    list.textContent = "";
    if (!terms.length && !filtered) {
      setStatus("");
      more.hidden = true;
      return;
    }
    var hits = [];
    briefs.forEach(function (b) {
      if (!passes(b, f)) return;
      var s = terms.length ? score(b, terms) : 1;
      if (s) hits.push({ brief: b, score: s });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.brief.order - b.brief.order; });
    var n = hits.length;
    var what = query ? msg("for", " for “{q}”").replace("{q}", query) : "";
    var line = n === 0 ? msg("none", "No briefs found{for}.")
      : n === 1 ? msg("one", "1 result{for}.")
      : msg("many", "{n} results{for}.");
    setStatus(line.replace("{n}", n).replace("{for}", what));
    hits.slice(0, shown).forEach(function (hit) { list.appendChild(result(hit.brief, terms)); });
    more.hidden = n <= shown;
  }

  function result(b, terms) {
    var li = document.createElement("li");
    li.className = "search-result";
    var h = document.createElement("h2");
    h.className = "search-result-title";
    var a = document.createElement("a");
    a.href = b.path;
    highlight(a, b.title, terms);
    h.appendChild(a);
    li.appendChild(h);
    var meta = document.createElement("p");
    meta.className = "meta";
    var time = document.createElement("time");
    time.dateTime = b.date;
    time.textContent = b.date_display;
    meta.appendChild(time);
    // .meta puts a "·" before each item.
    [b.authors.join(", "), b.program].forEach(function (text) {
      if (!text) return;
      var span = document.createElement("span");
      span.textContent = text;
      meta.appendChild(span);
    });
    li.appendChild(meta);
    var p = document.createElement("p");
    p.className = "search-snippet";
    highlight(p, snippet(b, terms), terms);
    li.appendChild(p);
    return li;
  }

  // The summary, or when only the text matches, some thirty words of it around the first match.
  function snippet(b, terms) {
    if (!terms.length || terms.some(function (t) { return b.hay.summary.indexOf(" " + t) >= 0; })) {
      return b.summary;
    }
    var found = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(b.text))) found.push(m);
    var first = -1;
    for (var i = 0; i < found.length && first < 0; i++) {
      var w = fold(found[i][0]);
      if (terms.some(function (t) { return w.indexOf(t) === 0; })) first = i;
    }
    if (first < 0) return b.summary;
    var from = Math.max(0, first - 8);
    var to = Math.min(found.length - 1, from + 30);
    var start = found[from].index;
    var end = found[to].index + found[to][0].length;
    return (from > 0 ? "… " : "") + b.text.slice(start, end) + (end < b.text.length ? " …" : "");
  }

  // Appends `text` to `el`, each start of a word that a term matches in a <mark>.
  function highlight(el, text, terms) {
    var last = 0;
    var m;
    var re = /[\p{L}\p{N}]+/gu;
    while ((m = re.exec(text))) {
      var w = m[0];
      var folded = fold(w);
      var len = 0;
      terms.forEach(function (t) {
        if (folded.indexOf(t) === 0 && t.length > len) len = t.length;
      });
      if (!len) continue;
      // Characters of the original word that fold to the matched prefix.
      var cut = 0;
      while (cut < w.length && fold(w.slice(0, cut)).length < len) cut++;
      el.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = w.slice(0, cut);
      el.appendChild(mark);
      last = m.index + cut;
    }
    el.appendChild(document.createTextNode(text.slice(last)));
  }

  function setStatus(text) { status.textContent = text; }

  // Keeps the address in step, so that a search can be shared, reloaded or gone back to.
  function remember() {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    var f = chosen();
    Object.keys(f).forEach(function (k) { params.set(k, f[k]); });
    var qs = params.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
  }

  function update() {
    shown = PAGE;
    load().then(function () { run(); remember(); }, function () {});
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
  input.addEventListener("input", update);
  FILTERS.forEach(function (name) {
    if (selects[name]) selects[name].addEventListener("change", update);
  });
  form.addEventListener("focusin", function () { load().then(run, function () {}); });
  more.addEventListener("click", function () {
    shown += PAGE;
    run();
  });

  // Opened with a query (a shared link, or the form sent before this script ran): search now.
  var params = new URLSearchParams(location.search);
  if (params.get("q")) input.value = params.get("q");
  var any = !!params.get("q");
  FILTERS.forEach(function (name) {
    var v = params.get(name);
    if (v && selects[name]) {
      selects[name].setAttribute("data-wanted", v);
      any = true;
    }
  });
  root.classList.add("search-ready");
  if (any) load().then(run, function () {});
})();
