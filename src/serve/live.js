// brief serve: live reload and build errors. Injected into HTML by the server only.
(function () {
  "use strict";
  var me = document.currentScript;
  var version = Number(me && me.getAttribute("data-version"));
  var scrollKey = "brief-serve-scroll:" + location.pathname;
  var overlay = null;

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

  // Only CSS changed: load each stylesheet again and drop the old one once the new one applies.
  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("brief-serve", String(Date.now()));
      var next = link.cloneNode();
      next.href = url.href;
      next.onload = next.onerror = function () { link.remove(); };
      link.after(next);
    });
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
      "). The last good version is underneath; fix the file and save to go on."));
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
    if (d.css_only) {
      version = d.version;
      swapStylesheets();
    } else {
      reload();
    }
  });
  source.addEventListener("ok", function () { clearErrors(); });
  source.addEventListener("build-error", function (event) { showErrors(data(event)); });
})();
