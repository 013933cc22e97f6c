//! Gives memory the build has freed back to the system between stages.
//!
//! An allocator keeps freed memory for reuse, and with many small allocations freed between
//! long-lived ones (each brief's Markdown passes around its kept HTML) little of it can be
//! reused by the next stage's different sizes: a 10,000-brief build peaked ~60 MiB higher
//! than what it held.

/// Returns freed memory to the system: mimalloc's (the binary's allocator, src/main.rs) and
/// glibc's (the tests', and what C code allocates), each a no-op when it holds none.
pub fn release_freed() {
    // SAFETY: mi_collect only walks mimalloc's own free pages; it touches no Rust value and is
    // safe to call from any thread at any time.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own free lists, likewise.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// CPU time the process has used, on every thread: what a piece of work costs whatever else
/// the machine runs (wall-clock time on a loaded machine says more about the load). Zero where
/// unknown.
pub fn cpu_time() -> std::time::Duration {
    #[cfg(unix)]
    {
        let mut time = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes one timespec, which lives on this stack frame.
        let ok = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut time) } == 0;
        if ok {
            return std::time::Duration::new(
                u64::try_from(time.tv_sec).unwrap_or(0),
                u32::try_from(time.tv_nsec).unwrap_or(0),
            );
        }
    }
    std::time::Duration::ZERO
}
