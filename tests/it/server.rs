//! A running `brief serve` for the tests: a real process on a free port, on a temporary copy of
//! a fixture, read over HTTP with `ureq` (pages) and a streamed `ureq` body (the live-reload
//! event stream). Shared by the integration tests (tests/it) and the browser tests
//! (tests/browser_tests), which include this file by path.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::common::{copy_to_temp, fixture};

pub const TIMEOUT: Duration = Duration::from_secs(20);

/// A running `brief serve` on a temporary copy of a fixture.
pub struct Server {
    child: Child,
    pub url: String,
    pub addr: String,
    pub site: tempfile::TempDir,
    pub output: PathBuf,
    log: Receiver<String>,
    seen: Vec<String>,
}

impl Server {
    pub fn start(fixture_name: &str, args: &[&str]) -> Server {
        let site = copy_to_temp(&fixture(fixture_name));
        Server::start_in(site, args)
    }

    /// As [`Server::start`], with `pdf = false`: for tests of the lines and events of an edit's
    /// own rebuilds, which the background PDF worker's page refreshes would interleave with.
    pub fn start_without_pdfs(fixture_name: &str, args: &[&str]) -> Server {
        let site = copy_to_temp(&fixture(fixture_name));
        without_pdfs(site.path());
        Server::start_in(site, args)
    }

    pub fn start_in(site: tempfile::TempDir, args: &[&str]) -> Server {
        let root = site.path().to_path_buf();
        Server::spawn(&root, site, args)
    }

    /// A second server of the site `other` serves (its `site` is an empty folder).
    pub fn start_beside(other: &Server, args: &[&str]) -> Server {
        Server::spawn(other.site.path(), tempfile::tempdir().unwrap(), args)
    }

    fn spawn(root: &std::path::Path, site: tempfile::TempDir, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
            .arg("--root")
            .arg(root)
            .args(["serve", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("brief starts");
        let (tx, log) = channel();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        for stream in [Box::new(out) as Box<dyn Read + Send>, Box::new(err)] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let mut server = Server {
            child,
            url: String::new(),
            addr: String::new(),
            site,
            output: PathBuf::new(),
            log,
            seen: Vec::new(),
        };
        let serving = server.wait_for_line(|l| l.starts_with("Serving "));
        server.url = serving.rsplit(" at ").next().unwrap().to_string();
        server.addr = server
            .url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let output = server.wait_for_line(|l| l.starts_with("Output in "));
        let dir = output.trim_start_matches("Output in ");
        server.output = PathBuf::from(&dir[..dir.find(" (").or(dir.find(';')).unwrap()]);
        server
    }

    /// Waits for a line of the server's output (stdout or stderr) matching `pred`.
    pub fn wait_for_line(&mut self, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if pred(&line) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no such line; the server printed:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.site.path().join(rel)
    }

    pub fn get(&self, path: &str) -> Response {
        get(&self.addr, path)
    }

    pub fn events(&self) -> Events {
        Events::open(&self.addr)
    }

    /// Polls `path` until its body contains `needle`.
    pub fn wait_for_content(&self, path: &str, needle: &str) -> Response {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let response = self.get(path);
            if response.body.contains(needle) {
                return response;
            }
            if Instant::now() > deadline {
                panic!(
                    "{path} never showed {needle:?}; last body:\n{}",
                    response.body
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends SIGINT as Ctrl-C does and waits for the process to end.
    pub fn stop(mut self) -> (std::process::ExitStatus, Vec<String>) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "serve did not stop on SIGINT");
            std::thread::sleep(Duration::from_millis(20));
        };
        while let Ok(line) = self.log.recv_timeout(Duration::from_millis(500)) {
            self.seen.push(line);
        }
        (status, std::mem::take(&mut self.seen))
    }
}

impl Server {
    /// [`Server::stop`], keeping the site's folder for the next server.
    pub fn stop_keeping_site(mut self) -> (Vec<String>, tempfile::TempDir) {
        let site = std::mem::replace(&mut self.site, tempfile::tempdir().unwrap());
        let (status, lines) = self.stop();
        assert!(status.success(), "{status:?} {lines:?}");
        (lines, site)
    }

    /// Kills the server as `kill -9` does, keeping the site's folder for the next server.
    pub fn kill_keeping_site(mut self) -> tempfile::TempDir {
        let site = std::mem::replace(&mut self.site, tempfile::tempdir().unwrap());
        let _ = self.child.kill();
        let _ = self.child.wait();
        site
    }

    /// The lines the server printed so far.
    pub fn lines(&self) -> &[String] {
        &self.seen
    }
}

impl Drop for Server {
    /// Stops the server as a user would (Ctrl-C), so it removes its temporary output folder;
    /// killed only if it does not stop in time.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let pid = self.child.id().to_string();
            let _ = Command::new("kill").args(["-INT", &pid]).status();
            let deadline = Instant::now() + Duration::from_secs(5);
            while let Ok(None) = self.child.try_wait() {
                if Instant::now() > deadline {
                    let _ = self.child.kill();
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An HTTP client that reports statuses as they are (404, 301) rather than as errors and
/// follows no redirect, so a test sees exactly what the server answered.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(TIMEOUT))
        .build()
        .into()
}

/// One GET of `path` on the server at `addr` (host:port).
pub fn get(addr: &str, path: &str) -> Response {
    let mut response = agent()
        .get(format!("http://{addr}{path}"))
        .call()
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_string(), value)
        })
        .collect();
    let body = response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_vec()
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    Response {
        status: response.status().as_u16(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// The live-reload event stream, read on a thread.
pub struct Events {
    rx: Receiver<(String, String)>,
    /// The data of the `hello` event sent on connecting: the version and any current error.
    pub hello: serde_json::Value,
}

impl Events {
    pub fn open(addr: &str) -> Events {
        // The stream never ends, so no overall timeout: `next` bounds each wait instead.
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let response = agent
            .get(format!("http://{addr}/__brief/events"))
            .header("Accept", "text/event-stream")
            .call()
            .expect("the event stream opens");
        assert_eq!(response.status(), 200);
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let reader = BufReader::new(response.into_body().into_reader());
            let (mut event, mut data) = (String::new(), String::new());
            for line in reader.lines().map_while(Result::ok) {
                if let Some(v) = line.strip_prefix("event:") {
                    event = v.trim().to_string();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                } else if line.is_empty()
                    && !event.is_empty()
                    && tx
                        .send((std::mem::take(&mut event), std::mem::take(&mut data)))
                        .is_err()
                {
                    return;
                }
            }
        });
        let mut events = Events {
            rx,
            hello: serde_json::Value::Null,
        };
        events.hello = events.next("hello");
        events
    }

    /// The next event named `name` (others before it are skipped), as its data.
    pub fn next(&mut self, name: &str) -> serde_json::Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((event, data)) if event == name => return serde_json::from_str(&data).unwrap(),
                Ok(_) => {}
                Err(_) => panic!("no `{name}` event within {TIMEOUT:?}"),
            }
        }
    }

    /// Waits for the `reload` of the rebuild that wrote `path` (relative to the output
    /// folder), skipping other events.
    pub fn reload_writing(&mut self, path: &str) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((event, data)) if event == "reload" => {
                    let data: serde_json::Value = serde_json::from_str(&data).unwrap();
                    if data["paths"].as_array().unwrap().iter().any(|p| p == path) {
                        return;
                    }
                }
                Ok(_) => {}
                Err(_) => panic!("no `reload` writing {path} within {TIMEOUT:?}"),
            }
        }
    }

    /// Waits for the event that clears the overlay: `ok` when the fixed build writes the same
    /// files as the last good one, `reload` when it differs; errors before it are skipped.
    pub fn cleared(&mut self) -> String {
        loop {
            let (event, _) = self.rx.recv_timeout(TIMEOUT).expect("an event");
            match event.as_str() {
                "ok" | "reload" => return event,
                "build-error" => continue,
                other => panic!("unexpected event {other}"),
            }
        }
    }
}

/// Turns the PDFs of the site at `root` off (`pdf = false` in its config.toml).
pub fn without_pdfs(root: &std::path::Path) {
    let config = root.join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("pdf = false\n{text}")).unwrap();
}
