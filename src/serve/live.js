// brief serve: live reload and build errors. Injected into HTML by the server only.
//
// After a rebuild the server names the files that changed. The open page is left alone when
// it is not among them; when it is, the new page is fetched and the DOM morphed into it in
// place (scroll position, focus and open disclosures are kept; a script that changed the page
// when it loaded sets it up again on the `brief:morphed` event, as the cite box's does), and
// changed stylesheets are swapped without a reload. A full reload is the fallback: when the
// head changes beyond its title, meta tags, JSON-LD and stylesheets, when a script of the page
// changes, or when the morph fails.
//
// The morph is hand-written (about 80 lines) rather than a vendored library such as
// idiomorph (~1,300 lines): our pages are server-rendered HTML with a few small scripts, so
// matching children in order, by id where there is one, is all it needs, and the script the
// server injects into every page stays small and dependency-free.
(function () {
  "use strict";
  var me = document.currentScript;
  var version = Number(me && me.getAttribute("data-version"));
  var base = (me && me.getAttribute("data-base")) || "/";
  var scrollKey = "brief-serve-scroll:" + location.pathname;
  var overlay = null;
  // Attributes the reader or the page's scripts set (an opened table of contents, the menu
  // button's state, the section being read): a morph neither adds nor removes them.
  var STATE = { open: true, "aria-expanded": true, "aria-current": true };

  // Put the page back where it was before a live reload.
  try {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved) {
      sessionStorage.removeItem(scrollKey);
      var xy = JSON.parse(saved);
      var restore = function () { window.scrollTo(xy[0], xy[1]); };
      restore();
      window.addEventListener("load", restore);
    }
  } catch (e) { /* storage may be disabled */ }

  function reload() {
    try { sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY])); } catch (e) {}
    window.location.reload();
  }

  // Loads `link`'s stylesheet from `href` and drops the old one once the new one applies, so
  // the page is never unstyled in between.
  function swapStylesheet(link, href) {
    var next = link.cloneNode();
    next.href = href;
    next.onload = next.onerror = function () { link.remove(); };
    link.after(next);
  }

  // Only CSS changed: load each stylesheet again.
  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("brief-serve", String(Date.now()));
      swapStylesheet(link, url.href);
    });
  }

  // The output file of the open page, as the server names changed files ("briefs/x/index.html").
  function pageFile() {
    var path = decodeURIComponent(location.pathname);
    if (path.indexOf(base) === 0) path = path.slice(base.length);
    else path = path.replace(/^\//, "");
    if (path === "" || path.slice(-1) === "/") path += "index.html";
    return path;
  }

  // The site paths of the files the page uses (scripts, images, icons, preloads), as the
  // server names changed files.
  function usedFiles() {
    var used = {};
    // Links to other documents (feeds, the canonical address, the next page) are not used.
    var els = document.querySelectorAll("script[src], img, source, video[poster], iframe[src], " +
      'link[rel~="icon"], link[rel~="preload"], link[rel~="modulepreload"], link[rel~="manifest"]');
    Array.prototype.forEach.call(els, function (el) {
      var urls = [el.getAttribute("src"), el.getAttribute("href"), el.getAttribute("poster")];
      (el.getAttribute("srcset") || "").split(",").forEach(function (c) { urls.push(c.trim().split(/\s+/)[0]); });
      urls.forEach(function (u) {
        if (!u) return;
        var url = new URL(u, location.href);
        if (url.origin !== location.origin) return;
        var path = decodeURIComponent(url.pathname);
        used[path.indexOf(base) === 0 ? path.slice(base.length) : path.replace(/^\//, "")] = true;
      });
    });
    return used;
  }

  // What a rebuild means for this page: whether the page itself changed, a stylesheet
  // changed, or a file it uses that cannot be swapped in (a script, an image, a font).
  // Other pages, feeds, the search index and citation files do not show here.
  function effect(d) {
    var mine = pageFile(), used = null, e = { page: !d.paths, css: false, other: false };
    (d.paths || []).forEach(function (p) {
      if (p === mine) e.page = true;
      else if (/\.css$/.test(p)) e.css = true;
      else if (/\.(woff2?|ttf|otf)$/.test(p) || (used = used || usedFiles())[p]) e.other = true;
    });
    return e;
  }

  function isLive(node) {
    return node === me || node === overlay ||
      (node.nodeType === 1 && node.tagName === "SCRIPT" && node.getAttribute("src") === me.getAttribute("src"));
  }

  function scriptsOf(root) {
    return Array.prototype.filter.call(root.querySelectorAll("script"), function (s) {
      return !isLive(s);
    }).map(function (s) { return (s.getAttribute("src") || "") + "\n" + s.textContent; }).join("\n\n");
  }

  // The head's shape: what a morph cannot apply (a script, a preload, a feed added or removed).
  // Meta tags and JSON-LD are data the morph adds and removes like any element (a brief whose
  // PDF was just typeset gains Scholar's `citation_pdf_url`).
  function headShape(head) {
    return Array.prototype.filter.call(head.children, function (el) {
      return el.tagName !== "META" && !(el.tagName === "SCRIPT" && el.type === "application/ld+json");
    }).map(function (el) {
      var tag = el.tagName;
      if (tag === "SCRIPT") return tag + (el.getAttribute("src") || "") + el.textContent;
      if (tag === "LINK") return tag + el.getAttribute("rel");
      return tag;
    }).join("|");
  }

  function isStylesheet(el) {
    return el.nodeType === 1 && el.tagName === "LINK" && /\bstylesheet\b/.test(el.rel);
  }

  function morphAttributes(from, to) {
    var i, a;
    for (i = from.attributes.length - 1; i >= 0; i--) {
      a = from.attributes[i].name;
      if (!STATE[a] && !to.hasAttribute(a)) from.removeAttribute(a);
    }
    for (i = 0; i < to.attributes.length; i++) {
      a = to.attributes[i];
      if (STATE[a.name] && !from.hasAttribute(a.name)) continue;
      if (from.getAttribute(a.name) !== a.value) from.setAttribute(a.name, a.value);
    }
  }

  function same(a, b) {
    return a.nodeType === b.nodeType && a.nodeName === b.nodeName &&
      (a.nodeType !== 1 || (a.id || "") === (b.id || ""));
  }

  function morph(from, to) {
    if (from.nodeType !== 1) {
      if (from.nodeValue !== to.nodeValue) from.nodeValue = to.nodeValue;
      return;
    }
    morphAttributes(from, to);
    if (from.tagName === "TEXTAREA" && from !== document.activeElement) from.value = to.value;
    morphChildren(from, to);
  }

  // Makes `from`'s children those of `to`, reusing nodes in order (and by id when moved).
  // Nodes `keep` picks (besides the live-reload ones) are left alone on both sides.
  function morphChildren(from, to, keep) {
    var skip = keep ? function (n) { return isLive(n) || keep(n); } : isLive;
    var old = from.firstChild;
    for (var next = to.firstChild; next; next = next.nextSibling) {
      if (skip(next)) continue;
      while (old && skip(old)) old = old.nextSibling;
      var match = null;
      if (old && same(old, next)) match = old;
      else if (next.id) {
        var byId = from.ownerDocument.getElementById(next.id);
        if (byId && byId.parentNode === from && same(byId, next)) match = byId;
      } else if (old && old.nextSibling && same(old.nextSibling, next) &&
                 !(next.nextSibling && same(old, next.nextSibling))) {
        // One node removed here.
        var gone = old;
        old = old.nextSibling;
        if (!skip(gone)) gone.remove();
        match = old;
      }
      if (match) {
        if (match !== old) from.insertBefore(match, old);
        else old = old.nextSibling;
        morph(match, next);
      } else {
        from.insertBefore(document.importNode(next, true), old);
      }
    }
    while (old) {
      var after = old.nextSibling;
      if (!skip(old)) old.remove();
      old = after;
    }
  }

  // Morphs the head in place (its shape is the same): meta tags and JSON-LD are morphed,
  // added and removed like the body's elements; stylesheets, in order, are swapped when their
  // address changed, or all of them when `css` says a stylesheet changed.
  function morphHead(next, css) {
    if (headShape(document.head) !== headShape(next.head)) return false;
    var olds = Array.prototype.filter.call(document.head.children, isStylesheet);
    var news = Array.prototype.filter.call(next.head.children, isStylesheet);
    olds.forEach(function (from, i) {
      var to = news[i];
      var url = new URL(to.getAttribute("href"), location.href);
      if (from.getAttribute("href") === to.getAttribute("href")) {
        if (!css || url.origin !== location.origin) return;
        url.searchParams.set("brief-serve", String(Date.now()));
      }
      swapStylesheet(from, url.href);
    });
    morphChildren(document.head, next.head, isStylesheet);
    return true;
  }

  // Fetches the open page again and morphs it in; a full reload when that cannot be done.
  function update(toVersion, css) {
    fetch(location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html");
        if (scriptsOf(next.body) !== scriptsOf(document.body) || !morphHead(next, css)) { reload(); return; }
        var x = window.scrollX, y = window.scrollY, focused = document.activeElement;
        morph(document.body, next.body);
        if (focused && focused !== document.activeElement && document.contains(focused)) focused.focus({ preventScroll: true });
        if (window.scrollX !== x || window.scrollY !== y) window.scrollTo(x, y);
        version = toVersion;
        document.dispatchEvent(new CustomEvent("brief:morphed"));
      })
      .catch(function () { reload(); });
  }

  function clearErrors() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function el(tag, style, text) {
    var node = document.createElement(tag);
    node.setAttribute("style", style);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function showErrors(report) {
    clearErrors();
    var errors = (report && report.errors) || [];
    overlay = el("div", "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(20,20,24,.92);color:#f4f4f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem;");
    overlay.id = "brief-serve-errors";
    overlay.setAttribute("role", "alert");
    var box = el("div", "max-width:60rem;margin:0 auto;");
    box.appendChild(el("h2", "font:600 1.2rem/1.3 system-ui,sans-serif;color:#fca5a5;margin:0 0 1rem;",
      "The site could not be rebuilt (" + errors.length + (errors.length === 1 ? " error" : " errors") +
      "). " + (report && report.served === false
        ? "There is no page to show until it builds; fix the file and save to go on."
        : "The last good version is underneath; fix the file and save to go on.")));
    errors.forEach(function (e) {
      var item = el("section", "border-left:4px solid #f87171;background:#27272a;padding:.75rem 1rem;margin:0 0 1rem;");
      item.className = "brief-serve-error";
      var where = e.file ? e.file + (e.line ? ":" + e.line + (e.column ? ":" + e.column : "") : "") : "";
      if (where) item.appendChild(el("div", "color:#93c5fd;", where));
      item.appendChild(el("div", "font-weight:700;white-space:pre-wrap;", e.message));
      if (e.detail) item.appendChild(el("pre", "white-space:pre-wrap;margin:.5rem 0;color:#d4d4d8;", e.detail));
      if (e.help) item.appendChild(el("div", "color:#86efac;white-space:pre-wrap;", "help: " + e.help));
      box.appendChild(item);
    });
    var close = el("button", "font:inherit;color:inherit;background:#3f3f46;border:0;padding:.3rem .8rem;cursor:pointer;", "Hide");
    close.onclick = clearErrors;
    box.appendChild(close);
    overlay.appendChild(box);
    (document.body || document.documentElement).appendChild(overlay);
  }

  function data(event) {
    try { return JSON.parse(event.data); } catch (e) { return {}; }
  }

  var source = new EventSource("/__brief/events");
  source.addEventListener("hello", function (event) {
    var d = data(event);
    // The page is older than the site (a rebuild finished while it loaded, or the server restarted).
    if (typeof d.version === "number" && d.version !== version) { reload(); return; }
    if (d.error) showErrors(d.error); else clearErrors();
  });
  source.addEventListener("reload", function (event) {
    var d = data(event);
    clearErrors();
    var e = d.version === -1 ? { other: true } : effect(d);
    if (e.other) reload();
    else if (e.page) update(d.version, e.css);
    else {
      version = d.version;
      if (e.css) swapStylesheets();
    }
  });
  source.addEventListener("ok", function () { clearErrors(); });
  source.addEventListener("build-error", function (event) { showErrors(data(event)); });
})();
