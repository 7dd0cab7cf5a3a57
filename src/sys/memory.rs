//! How the C library's allocator holds memory (mallopt(3)).
//!
//! glibc gives each thread that allocates while another holds the main
//! heap an arena of its own, up to eight per core, and keeps what was
//! freed in each for reuse. A server whose few threads build a megabyte of
//! JSON now and then holds that megabyte once per arena. Two arenas keep
//! threads from waiting on one lock and the memory held small.

/// Caps the allocator's arenas at two; a no-op where the C library is not glibc.
pub fn few_arenas() {
    #[cfg(target_env = "gnu")]
    // SAFETY: mallopt takes two integers and changes only the allocator's settings.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}
