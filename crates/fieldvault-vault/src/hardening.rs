//! The only module with `unsafe` code: process hardening (core dumps,
//! ptrace), `mlock` of key material, a wiping allocator for SQLite, and a
//! wiping global allocator that binaries may opt into.
//!
//! Each unsafe block is a plain FFI call with arguments owned by the caller
//! or the allocator contract; nothing here parses input.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

static HARDEN: Once = Once::new();
static SQLITE_WIPES: AtomicBool = AtomicBool::new(false);

/// Disable core dumps and ptrace-attach by other unprivileged processes, and
/// make SQLite wipe every block of memory it frees.
///
/// - `setrlimit(RLIMIT_CORE, 0)`: a crash writes no core file (a core file
///   holds the decrypted database and the keys).
/// - `prctl(PR_SET_DUMPABLE, 0)`: no core dump either way, and processes of
///   the same user (spyware without root) cannot `ptrace` this process or
///   read `/proc/PID/mem`.
/// - SQLite's allocator is replaced by one that zeroes memory before
///   freeing it. This only takes effect if no SQLite connection was opened
///   in the process before: call this first thing in `main`.
///
/// Idempotent and cheap after the first call. Called by `Vault::create` and
/// `Vault::open` too. Failures are ignored (the vault still works; the
/// residual risk is documented in CRYPTO.md).
pub fn harden_process() {
    HARDEN.call_once(|| {
        #[cfg(unix)]
        {
            let zero = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            // SAFETY: plain syscall with a valid pointer to a local struct.
            unsafe {
                libc::setrlimit(libc::RLIMIT_CORE, &zero);
            }
        }
        #[cfg(target_os = "linux")]
        // SAFETY: plain syscall, integer arguments.
        unsafe {
            libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
        }
        install_sqlite_wiping_allocator();
    });
}

/// Whether SQLite's memory is wiped on free in this process (false when a
/// connection had been opened before [`harden_process`]).
pub fn sqlite_wipes_freed_memory() -> bool {
    SQLITE_WIPES.load(Ordering::SeqCst)
}

/// Best-effort `mlock` of a region holding key material. Fails silently
/// (RLIMIT_MEMLOCK is 8 MiB by default for users; we lock only a few pages).
pub(crate) fn lock_memory(ptr: *const u8, len: usize) -> bool {
    #[cfg(unix)]
    {
        // SAFETY: mlock only changes paging of the given range, which the
        // caller owns for at least as long as it stays locked.
        unsafe { libc::mlock(ptr as *const c_void, len) == 0 }
    }
    #[cfg(not(unix))]
    {
        let _ = (ptr, len);
        false
    }
}

pub(crate) fn unlock_memory(ptr: *const u8, len: usize) {
    #[cfg(unix)]
    // SAFETY: see lock_memory.
    unsafe {
        libc::munlock(ptr as *const c_void, len);
    }
    #[cfg(not(unix))]
    let _ = (ptr, len);
}

/// Zero `len` bytes at `ptr` in a way the compiler cannot elide.
///
/// # Safety
/// `ptr..ptr+len` must be writable memory owned by the caller.
unsafe fn wipe(ptr: *mut u8, len: usize) {
    if len == 0 || ptr.is_null() {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        libc::explicit_bzero(ptr as *mut c_void, len);
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        std::ptr::write_bytes(ptr, 0, len);
        std::sync::atomic::compiler_fence(Ordering::SeqCst);
        std::hint::black_box(ptr);
    }
}

// ---------------------------------------------------------------------------
// SQLite allocator that wipes on free.
//
// Every allocation carries an 8-byte (16 for alignment) size prefix, so the
// exact size is known on free and realloc without libc-specific calls.

const PREFIX: usize = 16;

unsafe extern "C" fn sq_malloc(n: c_int) -> *mut c_void {
    if n <= 0 {
        return std::ptr::null_mut();
    }
    let n = ((n as usize) + 7) & !7;
    let base = libc::malloc(n + PREFIX) as *mut u8;
    if base.is_null() {
        return std::ptr::null_mut();
    }
    (base as *mut usize).write(n);
    base.add(PREFIX) as *mut c_void
}

unsafe extern "C" fn sq_free(p: *mut c_void) {
    if p.is_null() {
        return;
    }
    let base = (p as *mut u8).sub(PREFIX);
    let n = (base as *const usize).read();
    wipe(base, n + PREFIX);
    libc::free(base as *mut c_void);
}

unsafe extern "C" fn sq_size(p: *mut c_void) -> c_int {
    if p.is_null() {
        return 0;
    }
    let base = (p as *mut u8).sub(PREFIX);
    (base as *const usize).read() as c_int
}

unsafe extern "C" fn sq_realloc(p: *mut c_void, n: c_int) -> *mut c_void {
    if p.is_null() {
        return sq_malloc(n);
    }
    let new = sq_malloc(n);
    if new.is_null() {
        return std::ptr::null_mut();
    }
    let old_n = sq_size(p) as usize;
    std::ptr::copy_nonoverlapping(p as *const u8, new as *mut u8, old_n.min(n as usize));
    sq_free(p);
    new
}

unsafe extern "C" fn sq_roundup(n: c_int) -> c_int {
    (n + 7) & !7
}

unsafe extern "C" fn sq_init(_: *mut c_void) -> c_int {
    0
}

unsafe extern "C" fn sq_shutdown(_: *mut c_void) {}

fn install_sqlite_wiping_allocator() {
    use rusqlite::ffi;
    let methods = ffi::sqlite3_mem_methods {
        xMalloc: Some(sq_malloc),
        xFree: Some(sq_free),
        xRealloc: Some(sq_realloc),
        xSize: Some(sq_size),
        xRoundup: Some(sq_roundup),
        xInit: Some(sq_init),
        xShutdown: Some(sq_shutdown),
        pAppData: std::ptr::null_mut(),
    };
    // SAFETY: SQLITE_CONFIG_MALLOC copies the struct; it is only accepted
    // before sqlite3_initialize (else SQLITE_MISUSE, and nothing changes).
    let rc = unsafe {
        ffi::sqlite3_config(
            ffi::SQLITE_CONFIG_MALLOC,
            &methods as *const ffi::sqlite3_mem_methods,
        )
    };
    SQLITE_WIPES.store(rc == ffi::SQLITE_OK, Ordering::SeqCst);
}

/// A global allocator that zeroes every block before freeing it (and on
/// realloc, the old block). Opt-in for binaries:
///
/// ```ignore
/// #[global_allocator]
/// static ALLOC: fieldvault_vault::WipingAllocator = fieldvault_vault::WipingAllocator;
/// ```
///
/// It closes the gap left by Rust strings and buffers that hold decrypted
/// text (query results, rendered exports) and are freed without wiping.
/// Cost: one `memset` per free.
#[derive(Debug, Clone, Copy, Default)]
pub struct WipingAllocator;

// SAFETY: delegates to System, and only writes zeroes into blocks it is
// about to free (which the caller owned).
unsafe impl GlobalAlloc for WipingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        wipe(ptr, layout.size());
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        let new = System.alloc(new_layout);
        if !new.is_null() {
            std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        new
    }
}
