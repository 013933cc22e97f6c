//! Gives memory the build has freed back to the system between stages.
//!
//! glibc's allocator keeps freed memory for reuse, and with many small allocations freed
//! between long-lived ones (each brief's Markdown passes around its kept HTML) little of it can
//! be reused by the next stage's different sizes: a 10,000-brief build peaked ~60 MiB higher
//! than what it held. `malloc_trim` returns the whole free pages of every arena.

/// Returns freed memory to the system (glibc on Linux; elsewhere nothing to do).
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists; it touches no Rust value
    // and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
