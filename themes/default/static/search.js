// Search for the default theme of brief: no server, no dependencies. The page's form works as a
// plain GET form (?q=…&topic=…); this script loads the index's search/meta.json once (on the
// first focus or keystroke, or at once when the address carries a query), then, for each query,
// only the pieces of the index it needs (the layout is described in brief's src/search/mod.rs):
// the word shards of the query's words, the postings chunks of their stems, the filters' lists
// and the document shards of the results shown.
//
// Matching: every word of the query must be found, accents and case ignored. A word matches the
// briefs using any word of the same stem (stems are computed by the build, per language: the
// index maps each word of the site to its stems, so "sanctioned" finds "sanctions" when a brief
// uses "sanctioned"); a word of three letters or more that no brief uses matches the words it
// starts ("sanc" finds "sanctions"), so that results come as one types, else the words its
// start without its last one to three letters starts ("sanctioned" finds "sanctions").
// Ranking: BM25 (the build weighs title, author and takeaway words more), a word matched whole
// above one matched by its start; newer briefs first among equals.
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
  var MIN_PREFIX = 3; // shorter words match whole words only
  var MAX_PREFIX_SHARDS = 3; // word shards loaded for the words a prefix starts
  var MAX_PREFIX_STEMS = 24; // the most frequent of them are kept
  var PREFIX_FACTOR = 0.7; // a word matched by its start counts less than one matched whole
  var MAX_CUT = 3; // letters cut off the end of a word no brief uses, one at a time
  var MIN_CUT_TO = 5; // ... leaving at least this many

  var indexUrl = root.getAttribute("data-index");
  var folder = indexUrl.slice(0, indexUrl.lastIndexOf("/") + 1);
  var meta = null; // search/meta.json, once loaded
  var keys = null; // word shard key -> file number
  var loading = null;
  var files = {}; // path -> promise of its contents
  var shown = PAGE;
  var last = null; // the latest search: { hits, query, seq }
  var seq = 0;

  // Lower case, accents removed: "Économie" -> "economie" (what the build does).
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/ß/g, "ss");
  }
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  function words(s) { return fold(s).match(WORD) || []; }

  function get(path, binary) {
    if (!files[path]) {
      files[path] = fetch(folder + path).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status + " for " + path);
        return binary ? r.arrayBuffer().then(function (b) { return new Uint8Array(b); }) : r.json();
      });
      files[path].catch(function () { delete files[path]; });
    }
    return files[path];
  }

  function load() {
    if (loading) return loading;
    setStatus(msg("loading", "Loading the search index…"));
    loading = fetch(indexUrl)
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (m) {
        meta = m;
        keys = Object.create(null);
        m.words.forEach(function (key, n) { keys[key] = n; });
        fillFilters();
        setStatus("");
        return meta;
      })
      .catch(function (e) {
        loading = null;
        setStatus(msg("unavailable", "Search is unavailable: the index could not be loaded."));
        throw e;
      });
    return loading;
  }

  // Reads LEB128 varints, as the build writes them.
  function Reader(bytes, at) { this.bytes = bytes; this.at = at || 0; }
  Reader.prototype.next = function () {
    var n = 0, scale = 1, b;
    do {
      b = this.bytes[this.at++];
      n += (b & 0x7f) * scale;
      scale *= 128;
    } while (b >= 0x80);
    return n;
  };

  // A list of document numbers: count, then gaps.
  function docList(bytes) {
    var r = new Reader(bytes);
    var n = r.next();
    var out = new Array(n);
    var doc = 0;
    for (var i = 0; i < n; i++) {
      doc = i ? doc + r.next() : r.next();
      out[i] = doc;
    }
    return out;
  }

  // The postings of the stem at `position` of a chunk: { docs, weights }.
  function postings(bytes, position) {
    var r = new Reader(bytes, 0);
    var stems = r.next();
    var lengths = [];
    for (var i = 0; i < stems; i++) lengths.push(r.next());
    var start = r.at;
    for (i = 0; i < position; i++) start += lengths[i];
    r.at = start;
    var count = r.next();
    var docs = new Array(count);
    i = 0;
    if (bytes[r.at++] === 0) {
      var doc = 0;
      for (; i < count; i++) {
        doc = i ? doc + r.next() : r.next();
        docs[i] = doc;
      }
    } else {
      // A bitmap: bit d of byte d >> 3 is set when document d uses the stem.
      var size = r.next();
      for (var byte = 0; byte < size; byte++) {
        var bits = bytes[r.at + byte];
        for (var bit = 0; bits && bit < 8; bit++, bits >>= 1) {
          if (bits & 1) docs[i++] = byte * 8 + bit;
        }
      }
    }
    // The weights, one byte per document, end the stem's postings.
    var end = start + lengths[position];
    return { docs: docs, weights: bytes.subarray(end - count, end) };
  }

  function fillFilters() {
    FILTERS.forEach(function (name) {
      var select = selects[name];
      if (!select) return;
      var wanted = select.getAttribute("data-wanted") || select.value;
      (meta.filters[name] || []).forEach(function (choice) {
        var option = document.createElement("option");
        option.value = choice[0];
        option.textContent = choice[1];
        select.appendChild(option);
      });
      select.value = choiceOf(name, wanted) || "";
      select.removeAttribute("data-wanted");
    });
  }

  // The value of the choice an address names by value ("nuclear-weapons") or by name
  // ("Nuclear Weapons"), accents and case ignored.
  function choiceOf(name, wanted) {
    if (!wanted) return "";
    var w = fold(wanted).replace(/[^\p{Alphabetic}\p{N}]+/gu, "-");
    var found = (meta.filters[name] || []).filter(function (c) {
      return c[0] === wanted || fold(c[1]).replace(/[^\p{Alphabetic}\p{N}]+/gu, "-") === w;
    })[0];
    return found ? found[0] : "";
  }

  function chosen() {
    var out = {};
    FILTERS.forEach(function (name) {
      var s = selects[name];
      if (s && s.value) out[name] = s.value;
    });
    return out;
  }

  // The briefs of the chosen filters, as a set (document number -> true), or null for none.
  function filtered(f) {
    var names = Object.keys(f);
    if (!names.length) return Promise.resolve(null);
    return Promise.all(names.map(function (name) {
      var n = meta.filters[name].map(function (c) { return c[0]; }).indexOf(f[name]);
      return get("filters/" + name + "-" + n + ".bin", true).then(docList);
    })).then(function (lists) {
      var count = {};
      lists.forEach(function (docs) { docs.forEach(function (d) { count[d] = (count[d] || 0) + 1; }); });
      var out = {};
      Object.keys(count).forEach(function (d) { if (count[d] === lists.length) out[d] = true; });
      return out;
    });
  }

  // The shard holding `word`: the longest key that starts it.
  function shardOf(chars) {
    for (var len = chars.length; len >= 0; len--) {
      var key = chars.slice(0, len).join("");
      if (Object.prototype.hasOwnProperty.call(keys, key)) return keys[key];
    }
    return -1;
  }

  // What one query word matches. The index knows only the forms of words the briefs use, so
  // a form that none uses ("sanctioned" where they say "sanctions") is looked up again without
  // its last letters, one to MAX_CUT of them, as a stemmer would cut its ending ("sanction"
  // starts "sanctions"), keeping at least MIN_CUT_TO letters.
  function lookUp(word) {
    var chars = Array.from(word);
    var cut = 0;
    function next(found) {
      cut++;
      if (Object.keys(found.places).length || cut > MAX_CUT || chars.length - cut < MIN_CUT_TO) return found;
      return lookUpAs(chars.slice(0, chars.length - cut).join("")).then(next);
    }
    return lookUpAs(word).then(next);
  }

  // What `word` matches as written: the stems' places with a factor each, and the words of
  // the site that match it whole (for highlighting).
  function lookUpAs(word) {
    var chars = Array.from(word);
    var prefix = chars.length >= MIN_PREFIX;
    var shards = [];
    var own = shardOf(chars);
    if (own >= 0) shards.push(own);
    // The words it starts may be in shards of longer keys (loaded at once, in case the word
    // itself is not in the index).
    if (prefix) {
      meta.words.forEach(function (key, n) {
        if (key.length > word.length && key.indexOf(word) === 0 && shards.length <= MAX_PREFIX_SHARDS) shards.push(n);
      });
    }
    return Promise.all(shards.map(function (n) { return get("words/" + n + ".json"); }))
      .then(function (loaded) {
        var places = Object.create(null);
        var completions = [];
        loaded.forEach(function (shard) {
          if (Object.prototype.hasOwnProperty.call(shard, word)) addPlaces(places, shard[word], 1);
        });
        // A word no brief uses: the words it starts.
        prefix = prefix && !Object.keys(places).length;
        loaded.forEach(function (shard) {
          if (!prefix) return;
          Object.keys(shard).forEach(function (w) {
            if (w !== word && w.indexOf(word) === 0) completions.push(shard[w]);
          });
        });
        var flat = [];
        completions.forEach(function (triples) {
          for (var i = 0; i < triples.length; i += 3) flat.push(triples.slice(i, i + 3));
        });
        flat.sort(function (a, b) { return b[2] - a[2]; });
        flat.slice(0, MAX_PREFIX_STEMS).forEach(function (t) { addPlaces(places, t, PREFIX_FACTOR); });
        var whole = Object.create(null);
        loaded.forEach(function (shard) {
          Object.keys(shard).forEach(function (w) {
            var t = shard[w];
            for (var i = 0; i < t.length; i += 3) {
              if (places[t[i] + "/" + t[i + 1]] === 1) whole[w] = true;
            }
          });
        });
        return { word: word, places: places, whole: whole, prefix: prefix };
      });
  }

  function addPlaces(places, triples, factor) {
    for (var i = 0; i < triples.length; i += 3) {
      var key = triples[i] + "/" + triples[i + 1];
      if (!(places[key] >= factor)) places[key] = factor;
    }
  }

  // document number -> score of one query word: BM25 (weights from the build, idf here), the
  // best of its stems.
  function scores(match) {
    var out = {};
    return Promise.all(Object.keys(match.places).map(function (key) {
      var at = key.split("/");
      return get("postings/" + at[0] + ".bin", true).then(function (bytes) {
        var p = postings(bytes, +at[1]);
        var df = p.docs.length;
        var idf = Math.log(1 + (meta.briefs - df + 0.5) / (df + 0.5));
        var factor = match.places[key];
        for (var i = 0; i < df; i++) {
          var s = idf * factor * p.weights[i] / 255;
          var d = p.docs[i];
          if (!(out[d] >= s)) out[d] = s;
        }
      });
    })).then(function () { return out; });
  }

  function search(query, f) {
    var terms = words(query);
    var unique = terms.filter(function (t, i) { return terms.indexOf(t) === i; });
    return Promise.all([Promise.all(unique.map(lookUp)), filtered(f)]).then(function (got) {
      var matches = got[0];
      var allowed = got[1];
      return Promise.all(matches.map(scores)).then(function (perWord) {
        var hits = [];
        if (!perWord.length) {
          Object.keys(allowed || {}).forEach(function (d) { hits.push({ doc: +d, score: 0 }); });
        } else {
          Object.keys(perWord[0]).forEach(function (d) {
            if (allowed && !allowed[d]) return;
            var total = 0;
            for (var i = 0; i < perWord.length; i++) {
              if (perWord[i][d] === undefined) return;
              total += perWord[i][d];
            }
            hits.push({ doc: +d, score: total });
          });
        }
        hits.sort(function (a, b) { return b.score - a.score || b.doc - a.doc; });
        return { hits: hits, matches: matches };
      });
    });
  }

  // The rows of documents, from their shards.
  function rows(docs) {
    var size = meta.docs_per_shard;
    var shards = {};
    docs.forEach(function (d) { shards[Math.floor(d / size)] = true; });
    var wanted = Object.keys(shards);
    return Promise.all(wanted.map(function (n) { return get("docs/" + n + ".json"); }))
      .then(function (loaded) {
        var byShard = {};
        wanted.forEach(function (n, i) { byShard[n] = loaded[i]; });
        return docs.map(function (d) {
          var row = byShard[Math.floor(d / size)][d % size];
          var b = {};
          meta.doc_fields.forEach(function (field, i) { b[field] = row[i]; });
          return b;
        });
      });
  }

  function run() {
    if (!meta) return Promise.resolve();
    var mine = ++seq;
    var query = input.value.trim();
    var f = chosen();
    if (!words(query).length && !Object.keys(f).length) {
      last = null;
      list.textContent = "";
      setStatus("");
      more.hidden = true;
      return Promise.resolve();
    }
    return search(query, f).then(function (found) {
      if (mine !== seq) return;
      last = { hits: found.hits, matches: found.matches, query: query };
      return show();
    }, function () {
      if (mine === seq) setStatus(msg("unavailable", "Search is unavailable: the index could not be loaded."));
    });
  }

  // Shows the first `shown` hits of the latest search.
  function show() {
    var mine = seq;
    var search = last;
    var page = search.hits.slice(0, shown);
    return rows(page.map(function (h) { return h.doc; })).then(function (briefs) {
      if (mine !== seq) return;
      var n = search.hits.length;
      var what = search.query ? msg("for", " for “{q}”").replace("{q}", search.query) : "";
      var line = n === 0 ? msg("none", "No briefs found{for}.")
        : n === 1 ? msg("one", "1 result{for}.")
        : msg("many", "{n} results{for}.");
      list.textContent = "";
      briefs.forEach(function (b) { list.appendChild(result(b, search.matches)); });
      setStatus(line.replace("{n}", n.toLocaleString()).replace("{for}", what));
      more.hidden = n <= shown;
    });
  }

  function result(b, matches) {
    var li = document.createElement("li");
    li.className = "search-result";
    if (b.thumb) {
      // Decorative beside the linked title: empty alt, loaded when scrolled near.
      var img = document.createElement("img");
      img.className = "search-result-thumb";
      img.src = b.thumb;
      img.alt = "";
      img.loading = "lazy";
      img.decoding = "async";
      li.appendChild(img);
      li.classList.add("has-thumb");
    }
    var h = document.createElement("h2");
    h.className = "search-result-title";
    var a = document.createElement("a");
    a.href = b.path;
    highlight(a, b.title, matches);
    h.appendChild(a);
    // A brief in another language than the page's is marked so, for screen readers' voices.
    var marks = function (el) {
      if (b.lang) {
        el.lang = b.lang;
        el.dir = "auto";
      }
    };
    marks(h);
    li.appendChild(h);
    var meta = document.createElement("p");
    meta.className = "meta";
    var time = document.createElement("time");
    time.dateTime = b.date;
    time.textContent = b.date_display;
    if (b.lang) time.lang = b.lang;
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
    marks(p);
    highlight(p, b.summary, matches);
    li.appendChild(p);
    return li;
  }

  // Appends `text` to `el`, marking the start of each word that a query word starts (three
  // letters or more), or the whole word when it is a form of a query word ("sanctioned").
  function highlight(el, text, matches) {
    var from = 0;
    var m;
    var re = /[\p{Alphabetic}\p{N}]+/gu;
    while ((m = re.exec(text))) {
      var w = m[0];
      var folded = fold(w);
      var len = 0;
      matches.forEach(function (match) {
        var t = match.word;
        if (match.prefix && folded.indexOf(t) === 0 && t.length > len) len = t.length;
      });
      var cut = w.length;
      if (len) {
        // Characters of the original word that fold to the matched prefix.
        cut = 0;
        while (cut < w.length && fold(w.slice(0, cut)).length < len) cut++;
      } else if (!matches.some(function (match) { return match.whole[folded]; })) {
        continue;
      }
      el.appendChild(document.createTextNode(text.slice(from, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = w.slice(0, cut);
      el.appendChild(mark);
      from = m.index + cut;
    }
    el.appendChild(document.createTextNode(text.slice(from)));
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
    load().then(function () { remember(); return run(); }, function () {});
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
  input.addEventListener("input", update);
  FILTERS.forEach(function (name) {
    if (selects[name]) selects[name].addEventListener("change", update);
  });
  form.addEventListener("focusin", function () { load().then(function () { if (!last) run(); }, function () {}); });
  more.addEventListener("click", function () {
    if (!last) return;
    shown += PAGE;
    show();
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
