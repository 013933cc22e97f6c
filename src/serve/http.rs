//! The HTTP side of `brief serve`: the output folder under the site's base path, with the
//! live-reload script injected into HTML responses, and the event stream that script listens to.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};
use tower_http::services::ServeDir;

use crate::error::Errors;

/// Where the script and the event stream live; outside any site's own paths.
pub const EVENTS_PATH: &str = "/__brief/events";
pub const SCRIPT_PATH: &str = "/__brief/live.js";
const SCRIPT: &str = include_str!("live.js");

/// What the browser is told after a rebuild.
#[derive(Debug, Clone)]
pub enum Notice {
    /// New files are in place: reload (or swap the stylesheets when only CSS changed).
    Reload {
        version: u64,
        css_only: bool,
        paths: Vec<String>,
    },
    /// A rebuild succeeded without changing any file: clear the error overlay.
    Ok { version: u64 },
    /// A rebuild failed: show the errors over the last good page.
    Failed { report: Value },
}

#[derive(Debug, Clone)]
struct Status {
    /// Counts rebuilds that changed files; pages carry the version they were served at.
    version: u64,
    error: Option<Value>,
    base_path: String,
}

/// State shared by the server and the rebuild loop.
pub struct Shared {
    output: PathBuf,
    status: Mutex<Status>,
    events: broadcast::Sender<Notice>,
}

impl Shared {
    pub fn new(output: PathBuf, base_path: String) -> Arc<Shared> {
        let (events, _) = broadcast::channel(64);
        Arc::new(Shared {
            output,
            status: Mutex::new(Status {
                version: 0,
                error: None,
                base_path,
            }),
            events,
        })
    }

    fn status(&self) -> Status {
        self.status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn base_path(&self) -> String {
        self.status().base_path
    }

    /// Called once the new files are all in place; only then are browsers told to reload.
    pub fn published(&self, changed: &[String], base_path: &str) {
        let notice = {
            let mut status = self.status.lock().unwrap_or_else(|e| e.into_inner());
            status.error = None;
            status.base_path = base_path.to_string();
            if changed.is_empty() {
                Notice::Ok {
                    version: status.version,
                }
            } else {
                status.version += 1;
                Notice::Reload {
                    version: status.version,
                    css_only: changed.iter().all(|p| p.ends_with(".css")),
                    paths: changed.to_vec(),
                }
            }
        };
        let _ = self.events.send(notice);
    }

    /// Called when a rebuild failed; the served files are the last good ones.
    /// `served`: whether an earlier build is served meanwhile (the overlay says so).
    pub fn failed(&self, errors: &Errors, served: bool) {
        let mut report = error_report(errors);
        report["served"] = Value::Bool(served);
        self.status.lock().unwrap_or_else(|e| e.into_inner()).error = Some(report.clone());
        let _ = self.events.send(Notice::Failed { report });
    }
}

/// The errors as the overlay shows them.
pub fn error_report(errors: &Errors) -> Value {
    let items: Vec<Value> = errors
        .0
        .iter()
        .map(|d| {
            let location = d.location.as_deref();
            json!({
                "kind": format!("{:?}", d.kind),
                "file": location.map(|l| l.path.display().to_string()),
                "line": location.and_then(|l| l.line),
                "column": location.and_then(|l| l.column),
                "message": d.message,
                "detail": d.detail,
                "help": d.help,
            })
        })
        .collect();
    json!({ "errors": items, "text": errors.to_string() })
}

pub fn router(shared: Arc<Shared>) -> Router {
    let host_name = machine_host_name();
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback(site)
        .with_state(shared)
        .layer(axum::middleware::from_fn(
            move |request: Request, next: axum::middleware::Next| {
                let allowed = host_allowed(request_host(&request), host_name.as_deref());
                async move {
                    match allowed {
                        true => next.run(request).await,
                        false => misdirected(),
                    }
                }
            },
        ))
}

/// The `Host` of a request (the authority for HTTP/2), without its port.
fn request_host(request: &Request) -> Option<&str> {
    let host = match request.headers().get(header::HOST) {
        Some(value) => value.to_str().ok()?,
        None => request.uri().authority()?.as_str(),
    };
    Some(strip_port(host))
}

fn strip_port(host: &str) -> &str {
    if let Some(inner) = host.strip_prefix('[') {
        return inner.split(']').next().unwrap_or(inner);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// Whether to answer a request for `host`. The rule, against DNS rebinding (a page on
/// attacker.example whose name is made to resolve to this machine, then reads the preview,
/// drafts included): answer an IP address (a page can only have an IP address as its origin
/// by being served from it, so no other site's script can use it), `localhost` and
/// `*.localhost` (which browsers resolve to this machine themselves), and this machine's own
/// host name (with `.local` for mDNS), which a LAN reader of `--bind 0.0.0.0` may use; any
/// other name gets 421. A request without a Host (HTTP/1.0) comes from no browser page.
pub fn host_allowed(host: Option<&str>, machine: Option<&str>) -> bool {
    let Some(host) = host else {
        return true;
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let is_machine = machine.is_some_and(|m| {
        let m = m.to_ascii_lowercase();
        host == m || host == format!("{m}.local")
    });
    host.parse::<std::net::IpAddr>().is_ok()
        || host == "localhost"
        || host.ends_with(".localhost")
        || is_machine
}

/// This machine's host name, where the system tells it without a system call.
fn machine_host_name() -> Option<String> {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|file| std::fs::read_to_string(file).ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
}

fn misdirected() -> Response {
    (
        StatusCode::MISDIRECTED_REQUEST,
        "this preview answers only to localhost, IP addresses and this machine's name\n",
    )
        .into_response()
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        SCRIPT,
    )
        .into_response()
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the status, so nothing between the two is missed.
    let receiver = shared.events.subscribe();
    let status = shared.status();
    let hello = Event::default()
        .event("hello")
        .data(json!({ "version": status.version, "error": status.error }).to_string());
    let updates = BroadcastStream::new(receiver).map(|notice| {
        Ok(match notice {
            Ok(notice) => to_event(&notice),
            // Missed some: the page may be stale, so reload it.
            Err(_) => Event::default()
                .event("reload")
                .data(json!({ "version": -1, "css_only": false, "paths": [] }).to_string()),
        })
    });
    Sse::new(tokio_stream::once(Ok(hello)).chain(updates)).keep_alive(KeepAlive::default())
}

fn to_event(notice: &Notice) -> Event {
    let (name, data) = match notice {
        Notice::Reload {
            version,
            css_only,
            paths,
        } => (
            "reload",
            json!({ "version": version, "css_only": css_only, "paths": paths }),
        ),
        Notice::Ok { version } => ("ok", json!({ "version": version })),
        Notice::Failed { report } => ("build-error", report.clone()),
    };
    Event::default().event(name).data(data.to_string())
}

/// Why a request path cannot be served.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Outside the site's base path, or no such file.
    NotFound,
    /// `..`, an encoded slash or a NUL: an attempt to leave the folder.
    Forbidden,
}

/// The file-system path (relative to the output folder) of a request path, after the base
/// path: percent-decoded, with every segment checked. Pure, so it is tested on its own.
pub fn request_to_relative(path: &str, base_path: &str) -> Result<PathBuf, Refusal> {
    let rest = path.strip_prefix(base_path).ok_or(Refusal::NotFound)?;
    let mut rel = PathBuf::new();
    for segment in rest.split('/') {
        let decoded = percent_decode(segment).ok_or(Refusal::Forbidden)?;
        match decoded.as_str() {
            "" | "." => {}
            ".." => return Err(Refusal::Forbidden),
            s if s.contains(['/', '\\', '\0']) || s.contains(':') && cfg!(windows) => {
                return Err(Refusal::Forbidden);
            }
            // brief's own files in the folder (its manifest, a rebuild's staging folder) are
            // not the site's.
            s if s.starts_with(".brief-") => return Err(Refusal::NotFound),
            s => rel.push(s),
        }
    }
    Ok(rel)
}

fn percent_decode(segment: &str) -> Option<String> {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

async fn site(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let status = shared.status();
    let mut response = resolve(&shared.output, &status, request).await;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

async fn resolve(output: &Path, status: &Status, request: Request) -> Response {
    let uri = request.uri().clone();
    let path = uri.path();
    let base = status.base_path.as_str();
    // `/research` -> `/research/`, and `/` -> the base path when the site lives below it.
    if path == base.trim_end_matches('/') || (path == "/" && base != "/") {
        return redirect(base, &uri);
    }
    let rel = match request_to_relative(path, base) {
        Ok(rel) => rel,
        Err(Refusal::Forbidden) => return forbidden(),
        Err(Refusal::NotFound) => return not_found(output, status).await,
    };
    let located = {
        let (output, rel) = (output.to_path_buf(), rel.clone());
        blocking(move || locate(&output, &rel)).await
    };
    let is_dir = match located {
        Some(Located::Missing) | None => return not_found(output, status).await,
        Some(Located::Outside) => return forbidden(),
        Some(Located::Folder { has_index }) => {
            if !path.ends_with('/') {
                return redirect(&format!("{base}{}/", &path[base.len()..]), &uri);
            }
            if !has_index {
                return not_found(output, status).await;
            }
            true
        }
        Some(Located::File) => false,
    };
    // ServeDir does the rest (MIME type, index.html, conditional and range requests) on the
    // path below the base path.
    let inner_path = format!("/{}", &path[base.len()..]);
    let inner_uri = match uri.query() {
        Some(q) => format!("{inner_path}?{q}"),
        None => inner_path,
    };
    let method = request.method().clone();
    let (mut parts, body) = request.into_parts();
    parts.uri = inner_uri.parse().unwrap_or_else(|_| Uri::from_static("/"));
    // An HTML page gets the live-reload script added after it is read, so a byte range of
    // the file would not match the body sent: pages are always sent whole (200).
    let page = is_dir || rel.extension().is_some_and(|e| e == "html" || e == "htm");
    if page {
        parts.headers.remove(header::RANGE);
        parts.headers.remove(header::IF_RANGE);
    }
    let request = Request::from_parts(parts, body);
    let response = match ServeDir::new(output).try_call(request).await {
        Ok(response) => response.map(Body::new),
        Err(e) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("could not read the file: {e}"),
            )
                .into_response();
        }
    };
    if response.status() == StatusCode::NOT_FOUND {
        return not_found(output, status).await;
    }
    if method == Method::GET && is_html(&response) {
        inject(response, status).await
    } else {
        response
    }
}

/// What a request's path names in the output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Located {
    Missing,
    /// Its real location (through symlinks) is outside the output folder.
    Outside,
    Folder {
        has_index: bool,
    },
    File,
}

/// Looks `rel` up under `output`; file-system calls, so run through [`blocking`].
fn locate(output: &Path, rel: &Path) -> Located {
    let (Ok(real), Ok(real_root)) = (
        std::fs::canonicalize(output.join(rel)),
        std::fs::canonicalize(output),
    ) else {
        return Located::Missing;
    };
    if !real.starts_with(&real_root) {
        return Located::Outside;
    }
    match real.is_dir() {
        true => Located::Folder {
            has_index: real.join(crate::outputs::routes::HOME).is_file(),
        },
        false => Located::File,
    }
}

/// Runs file-system calls on tokio's blocking threads, so that a slow disk does not stall the
/// threads answering other requests (live-reload events among them). `None` if it panicked.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(work).await.ok()
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// The site's 404.html with status 404; a bare page (that still shows errors) when there is none.
async fn not_found(output: &Path, status: &Status) -> Response {
    let page = output.join(crate::outputs::routes::NOT_FOUND);
    let html = blocking(move || std::fs::read_to_string(page).ok())
        .await
        .flatten();
    let html = html.unwrap_or_else(|| {
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Not found</title></head>\
         <body><h1>Not found</h1><p>No page here (yet).</p></body></html>"
            .to_string()
    });
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        inject_into(&html, status.version, &status.base_path),
    )
        .into_response()
}

fn forbidden() -> Response {
    (
        StatusCode::FORBIDDEN,
        "forbidden: outside the site's folder\n",
    )
        .into_response()
}

/// A redirect to `to`, a path of this server: runs of slashes are made one, as `//x` in a
/// Location header would be another host (`GET //evil.example` must not send a reader there).
fn redirect(to: &str, uri: &Uri) -> Response {
    let mut to = to.to_string();
    while to.contains("//") {
        to = to.replace("//", "/");
    }
    let location = match uri.query() {
        Some(q) => format!("{to}?{q}"),
        None => to.to_string(),
    };
    (
        StatusCode::MOVED_PERMANENTLY,
        [(header::LOCATION, location)],
    )
        .into_response()
}

async fn inject(response: Response, status: &Status) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "could not read the file").into_response();
    };
    let html = String::from_utf8_lossy(&bytes);
    let injected = inject_into(&html, status.version, &status.base_path);
    for name in [
        header::CONTENT_LENGTH,
        header::ETAG,
        header::LAST_MODIFIED,
        header::ACCEPT_RANGES,
        header::CONTENT_RANGE,
    ] {
        parts.headers.remove(name);
    }
    if parts.status == StatusCode::PARTIAL_CONTENT {
        parts.status = StatusCode::OK;
    }
    Response::from_parts(parts, Body::from(injected))
}

/// The page with the live-reload script before `</body>` (or at the end). The script learns
/// the site's version the page was served at, and the base path, to find the page's own file
/// among the changed files of a rebuild.
pub fn inject_into(html: &str, version: u64, base_path: &str) -> String {
    let base = crate::markdown::figures::attr(base_path);
    let tag = format!(
        "<script src=\"{SCRIPT_PATH}\" data-version=\"{version}\" data-base=\"{base}\"></script>"
    );
    match html.rfind("</body>") {
        Some(at) => format!("{}{tag}\n{}", &html[..at], &html[at..]),
        None => format!("{html}{tag}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_stay_inside_the_folder() {
        let ok = |p: &str, base: &str| request_to_relative(p, base).unwrap();
        assert_eq!(ok("/", "/"), PathBuf::new());
        assert_eq!(ok("/briefs/x/", "/"), PathBuf::from("briefs/x"));
        assert_eq!(
            ok("/research/style.css", "/research/"),
            PathBuf::from("style.css")
        );
        assert_eq!(ok("/a%20b.pdf", "/"), PathBuf::from("a b.pdf"));
        // A malformed escape is kept as written: a name inside the folder, so a plain 404.
        assert_eq!(ok("/%zz", "/"), PathBuf::from("%zz"));
        for bad in [
            "/../etc/passwd",
            "/briefs/../../x",
            "/%2e%2e/x",
            "/a%2fb",
            "/a%5c..",
            "/%00",
        ] {
            assert_eq!(
                request_to_relative(bad, "/"),
                Err(Refusal::Forbidden),
                "{bad}"
            );
        }
        assert_eq!(
            request_to_relative("/other/x", "/research/"),
            Err(Refusal::NotFound)
        );
        for own in ["/.brief-manifest", "/.brief-staging-12/index.html"] {
            assert_eq!(
                request_to_relative(own, "/"),
                Err(Refusal::NotFound),
                "{own}"
            );
        }
    }

    #[test]
    fn answers_only_names_of_this_machine() {
        let allowed = |host: &str| host_allowed(Some(strip_port(host)), Some("desk"));
        for host in [
            "localhost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            "192.168.1.20:1111",
            "app.localhost",
            "desk:1111",
            "desk.local",
            "LOCALHOST.",
        ] {
            assert!(allowed(host), "{host}");
        }
        for host in [
            "attacker.example",
            "attacker.example:1111",
            "localhost.attacker.example",
            "desk.attacker.example",
            "",
        ] {
            assert!(!allowed(host), "{host}");
        }
        assert!(host_allowed(None, None));
    }

    #[test]
    fn script_goes_before_the_closing_body() {
        let html = inject_into("<html><body><p>x</p></body></html>", 3, "/r&d/");
        assert!(
            html.contains("data-version=\"3\" data-base=\"/r&amp;d/\"></script>\n</body>"),
            "{html}"
        );
        assert!(inject_into("<p>x</p>", 1, "/").ends_with("</script>\n"));
    }
}
