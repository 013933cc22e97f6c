//! Running a build as a benchmark measures it: the child is reaped with `wait4`, whose
//! `rusage` gives its CPU time and peak resident set (`ru_maxrss`, in KiB on Linux) with no
//! polling, so no peak is missed. (Checked on Linux 6.18: the figure is the child's own; it
//! does not inherit this process's peak across the spawn.) Included by the benches with
//! `#[path]`, as corpus.rs is.

use std::io;
use std::process::Command;
use std::time::{Duration, Instant};

/// What one run of a command cost.
pub struct Usage {
    pub elapsed: Duration,
    /// User and system time.
    pub cpu: Duration,
    pub max_rss_kib: u64,
    /// Whether it exited with status 0.
    pub succeeded: bool,
    /// `wait4`'s status word, for a failure's message.
    pub status: i32,
}

/// Runs `command` to its end and says what it cost. Its standard streams are whatever the
/// caller set (files rather than pipes when it prints much: a full pipe would block it).
pub fn run(command: &mut Command) -> Usage {
    let started = Instant::now();
    let child = command.spawn().expect("start the command");
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data that wait4 fills in; an all-zero value is valid.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = loop {
        // SAFETY: `status` and `usage` are valid for writes; `pid` is our own unreaped child.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == -1 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
            continue;
        }
        break r;
    };
    let elapsed = started.elapsed();
    // The child is reaped; dropping the handle only closes our side (std never waits in Drop).
    drop(child);
    assert_eq!(reaped, pid, "wait4 failed: {}", io::Error::last_os_error());
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    Usage {
        elapsed,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        max_rss_kib: usage.ru_maxrss as u64,
        succeeded: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        status,
    }
}
