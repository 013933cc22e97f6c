//! `brief check --external`: asks other sites whether the pages the briefs link to still exist.
//!
//! A fixed pool of worker threads (the concurrency limit) takes addresses from one queue; each
//! request first reserves a time slot for its host, so no host gets more than one request per
//! `host_interval`. HEAD first, GET when HEAD fails (many servers refuse or mishandle HEAD).
//! Answers are kept in a cache file for a day, so a rerun asks only about new addresses.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The cache file's name, at the site root.
pub const CACHE_FILE: &str = ".brief-check-cache.json";

/// The longest `--timeout` accepted, an hour: a larger one is no use, and one near `u64::MAX`
/// seconds would overflow the clock.
pub const MAX_TIMEOUT_SECS: u64 = 3600;

/// How external links are checked.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Requests in flight at once, at most.
    pub concurrency: usize,
    /// Time allowed for one request, connection to last byte of the headers.
    pub timeout: Duration,
    /// Least time between two requests to one host.
    pub host_interval: Duration,
    pub cache_file: PathBuf,
    /// How long a cached answer is trusted.
    pub max_age: Duration,
}

impl ExternalOptions {
    /// The defaults of `brief check --external` for the site at `root`.
    pub fn new(root: &std::path::Path) -> Self {
        ExternalOptions {
            concurrency: 8,
            timeout: Duration::from_secs(10),
            host_interval: Duration::from_millis(500),
            cache_file: root.join(CACHE_FILE),
            max_age: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// What asking about one address found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkStatus {
    /// A status below 400 (after redirects).
    Ok(u16),
    /// 404 or 410: the page is gone.
    Gone(u16),
    /// Another error status (403, 429, 5xx): often bot blocking or a passing fault.
    Status(u16),
    /// No answer: DNS, connection, TLS or timeout.
    Unreachable(String),
}

impl LinkStatus {
    /// Answers worth remembering; failures to connect are asked again next time.
    fn cacheable(&self) -> bool {
        matches!(self, LinkStatus::Ok(_) | LinkStatus::Gone(_))
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    /// Seconds since the Unix epoch.
    checked: u64,
    outcome: LinkStatus,
}

/// Asks about every address (each once), using and refreshing the cache file.
pub fn check(urls: &[String], options: &ExternalOptions) -> BTreeMap<String, LinkStatus> {
    let now = unix_now();
    let mut cache: BTreeMap<String, Entry> = std::fs::read_to_string(&options.cache_file)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    cache.retain(|_, e| now.saturating_sub(e.checked) < options.max_age.as_secs());
    let mut results = BTreeMap::new();
    let mut queue = VecDeque::new();
    for url in urls {
        match cache.get(url) {
            Some(entry) => {
                results.insert(url.clone(), entry.outcome.clone());
            }
            None if !results.contains_key(url) && !queue.contains(url) => {
                queue.push_back(url.clone())
            }
            None => {}
        }
    }
    for (url, outcome) in fetch_all(queue, options) {
        if outcome.cacheable() {
            let entry = Entry {
                checked: now,
                outcome: outcome.clone(),
            };
            cache.insert(url.clone(), entry);
        }
        results.insert(url, outcome);
    }
    // The cache only makes reruns faster; failing to write it is not worth an error.
    if let Ok(json) = serde_json::to_string_pretty(&cache) {
        let _ = std::fs::write(&options.cache_file, json + "\n");
    }
    results
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Runs the queue through `options.concurrency` workers.
fn fetch_all(queue: VecDeque<String>, options: &ExternalOptions) -> Vec<(String, LinkStatus)> {
    let workers = options.concurrency.clamp(1, queue.len().max(1));
    let queue = Mutex::new(queue);
    let slots: Mutex<HashMap<String, Instant>> = Mutex::default();
    let done = Mutex::new(Vec::new());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(
            options.timeout.min(Duration::from_secs(MAX_TIMEOUT_SECS)),
        ))
        .http_status_as_error(false)
        .user_agent(concat!("brief-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let Some(url) = queue.lock().expect("queue lock").pop_front() else {
                        break;
                    };
                    wait_for_slot(&slots, host(&url), options.host_interval);
                    let outcome = fetch(&agent, &url, || {
                        wait_for_slot(&slots, host(&url), options.host_interval)
                    });
                    done.lock().expect("results lock").push((url, outcome));
                }
            });
        }
    });
    done.into_inner().expect("results lock")
}

/// Sleeps until this host may be asked again, reserving the next slot for the caller.
fn wait_for_slot(slots: &Mutex<HashMap<String, Instant>>, host: &str, interval: Duration) {
    let at = reserve_slot(
        &mut slots.lock().expect("slots lock"),
        host,
        interval,
        Instant::now(),
    );
    std::thread::sleep(at.saturating_duration_since(Instant::now()));
}

/// When a request to `host` asked for at `now` may go: now, or one interval after the last
/// one reserved for that host if that is later. Records the reservation.
fn reserve_slot(
    slots: &mut HashMap<String, Instant>,
    host: &str,
    interval: Duration,
    now: Instant,
) -> Instant {
    let at = slots.get(host).copied().filter(|t| *t > now).unwrap_or(now);
    slots.insert(host.to_string(), at + interval);
    at
}

/// `host[:port]` of an absolute address.
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    &rest[..end]
}

/// HEAD, then GET (after waiting for another slot) if HEAD did not say the page is fine.
fn fetch(agent: &ureq::Agent, url: &str, wait: impl Fn()) -> LinkStatus {
    let head = request(agent.head(url).call());
    if matches!(head, LinkStatus::Ok(_)) {
        return head;
    }
    wait();
    request(agent.get(url).call())
}

fn request(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> LinkStatus {
    match result {
        Ok(response) => match response.status().as_u16() {
            code @ 0..400 => LinkStatus::Ok(code),
            code @ (404 | 410) => LinkStatus::Gone(code),
            code => LinkStatus::Status(code),
        },
        Err(ureq::Error::Timeout(_)) => LinkStatus::Unreachable("timed out".into()),
        Err(err) => LinkStatus::Unreachable(err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_is_the_authority_of_the_address() {
        assert_eq!(host("https://a.example.org:8080/x?y"), "a.example.org:8080");
        assert_eq!(host("http://b.org"), "b.org");
    }

    /// Slots computed at fixed instants, so the test says nothing about how fast the machine is.
    #[test]
    fn one_host_is_asked_at_most_once_per_interval() {
        let mut slots = HashMap::new();
        let interval = Duration::from_millis(50);
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        // Three requests to one host at once go 0, 50 and 100 ms later; another host need
        // not wait.
        let a: Vec<Instant> = (0..3)
            .map(|_| reserve_slot(&mut slots, "a.org", interval, t0))
            .collect();
        assert_eq!(a, [ms(0), ms(50), ms(100)]);
        assert_eq!(reserve_slot(&mut slots, "b.org", interval, t0), t0);
        // Asked again after its last slot has passed, a host goes at once.
        assert_eq!(
            reserve_slot(&mut slots, "a.org", interval, ms(400)),
            ms(400)
        );
        // Asked again 10 ms into an interval, it waits for the rest of it.
        assert_eq!(
            reserve_slot(&mut slots, "a.org", interval, ms(410)),
            ms(450)
        );
    }
}
