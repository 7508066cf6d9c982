//! The only module with `unsafe` code: process hardening (core dumps,
//! crash reports, debugger attach), locking key material in RAM, the
//! durable rename of Windows, a wiping allocator for SQLite, and a wiping
//! global allocator that binaries may opt into.
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

/// Disable crash dumps and debugger attach by other unprivileged processes,
/// and make SQLite wipe every block of memory it frees. What each platform
/// gets (SECURITY.md has the table, with what stays unprotected):
///
/// - Linux: `setrlimit(RLIMIT_CORE, 0)` (a crash writes no core file: a
///   core file holds the decrypted database and the keys) and
///   `prctl(PR_SET_DUMPABLE, 0)` (no core dump either way, and processes of
///   the same user, such as spyware without root, cannot `ptrace` this
///   process or read `/proc/PID/mem`).
/// - macOS: `setrlimit(RLIMIT_CORE, 0)` and `ptrace(PT_DENY_ATTACH)` (no
///   debugger can attach later; the system's crash reporter writes a text
///   report with a stack trace, not a memory image).
/// - Windows: `SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX)`
///   (no crash dialog that keeps a crashed process and its memory alive),
///   an unhandled-exception filter that ends the process at once, before
///   Windows Error Reporting can collect a dump of it, and
///   `WerSetFlags(WER_FAULT_REPORTING_FLAG_NOHEAP)` so that a report of a
///   crash that bypasses the filter (a fast-fail abort) carries no heap
///   memory, where the database lives.
/// - Everywhere: SQLite's allocator is replaced by one that zeroes memory
///   before freeing it. This only takes effect if no SQLite connection was
///   opened in the process before: call this first thing in `main`.
///
/// Idempotent and cheap after the first call. Called by `Vault::create` and
/// `Vault::open` too. Failures are ignored (the vault still works; the
/// residual risk is documented in docs/crypto.md); [`process_protection`]
/// says what took effect.
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
        #[cfg(target_os = "macos")]
        // SAFETY: plain syscall; PT_DENY_ATTACH takes no address or data.
        unsafe {
            libc::ptrace(libc::PT_DENY_ATTACH, 0, std::ptr::null_mut(), 0);
        }
        #[cfg(windows)]
        windows::harden();
        install_sqlite_wiping_allocator();
    });
}

/// What [`harden_process`] achieved in this process, read back from the
/// operating system where it can be (for `check` and the tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ProcessProtection {
    /// A crash writes no core file / crash dump with the process memory
    /// (Linux, macOS: core size limit 0; Windows: the crash filter is
    /// installed and crash reports carry no heap).
    pub crash_dumps_disabled: bool,
    /// Other processes of the same user cannot attach a debugger (Linux:
    /// not dumpable; macOS: PT_DENY_ATTACH was accepted). Always false on
    /// Windows, which has no such switch for a normal process.
    pub debugger_attach_blocked: bool,
    /// SQLite zeroes the memory it frees.
    pub sqlite_wipes_freed_memory: bool,
}

/// Reads back what [`harden_process`] set (call it first).
pub fn process_protection() -> ProcessProtection {
    #[cfg(unix)]
    let crash_dumps_disabled = {
        let mut lim = libc::rlimit {
            rlim_cur: 1,
            rlim_max: 1,
        };
        // SAFETY: plain syscall writing into a local struct.
        let rc = unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut lim) };
        rc == 0 && lim.rlim_cur == 0 && lim.rlim_max == 0
    };
    #[cfg(windows)]
    let crash_dumps_disabled = windows::crash_dumps_disabled();
    #[cfg(not(any(unix, windows)))]
    let crash_dumps_disabled = false;

    #[cfg(target_os = "linux")]
    // SAFETY: plain prctl query.
    let debugger_attach_blocked = unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) } == 0;
    #[cfg(target_os = "macos")]
    let debugger_attach_blocked = HARDEN.is_completed();
    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    let debugger_attach_blocked = false;

    ProcessProtection {
        crash_dumps_disabled,
        debugger_attach_blocked,
        sqlite_wipes_freed_memory: sqlite_wipes_freed_memory(),
    }
}

/// Whether SQLite's memory is wiped on free in this process (false when a
/// connection had been opened before [`harden_process`]).
pub fn sqlite_wipes_freed_memory() -> bool {
    SQLITE_WIPES.load(Ordering::SeqCst)
}

/// Best-effort lock of a region holding key material in RAM (`mlock` on
/// Linux and macOS, `VirtualLock` on Windows), so it is not written to
/// swap or the page file. Fails silently (RLIMIT_MEMLOCK is 8 MiB by
/// default for users on Linux; Windows allows a small working set; we
/// lock only a few pages).
pub(crate) fn lock_memory(ptr: *const u8, len: usize) -> bool {
    #[cfg(unix)]
    {
        // SAFETY: mlock only changes paging of the given range, which the
        // caller owns for at least as long as it stays locked.
        unsafe { libc::mlock(ptr as *const c_void, len) == 0 }
    }
    #[cfg(windows)]
    {
        // SAFETY: as for mlock; VirtualLock only pins the pages.
        unsafe { windows_sys::Win32::System::Memory::VirtualLock(ptr as *const c_void, len) != 0 }
    }
    #[cfg(not(any(unix, windows)))]
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
    #[cfg(windows)]
    // SAFETY: see lock_memory.
    unsafe {
        windows_sys::Win32::System::Memory::VirtualUnlock(ptr as *const c_void, len);
    }
    #[cfg(not(any(unix, windows)))]
    let _ = (ptr, len);
}

/// Replaces `dest` with `src` and returns only once the move is on disk
/// (`MoveFileExW` with `MOVEFILE_WRITE_THROUGH`): Windows has no folder
/// fsync, and this is its documented way to make a rename durable.
#[cfg(windows)]
pub(crate) fn replace_file_durably(
    src: &std::path::Path,
    dest: &std::path::Path,
) -> std::io::Result<()> {
    windows::replace_file_durably(src, dest)
}

#[cfg(windows)]
mod windows {
    use std::os::windows::ffi::OsStrExt;
    use std::path::Path;
    use std::sync::atomic::{AtomicBool, Ordering};

    use windows_sys::Win32::Storage::FileSystem::{
        MoveFileExW, MOVEFILE_REPLACE_EXISTING, MOVEFILE_WRITE_THROUGH,
    };
    use windows_sys::Win32::System::Diagnostics::Debug::{
        SetErrorMode, SetUnhandledExceptionFilter, EXCEPTION_POINTERS, SEM_FAILCRITICALERRORS,
        SEM_NOGPFAULTERRORBOX,
    };
    use windows_sys::Win32::System::ErrorReporting::{
        WerSetFlags, WER_FAULT_REPORTING_FLAG_NOHEAP,
    };
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, TerminateProcess};

    static FILTER_SET: AtomicBool = AtomicBool::new(false);
    static NOHEAP_SET: AtomicBool = AtomicBool::new(false);

    /// Ends the process at once on an unhandled exception (an access
    /// violation in C code, for instance), so that Windows Error Reporting
    /// never gets to copy its memory. Exit code 0xC000_0409-like values
    /// are not needed: any non-zero code tells the caller it failed.
    unsafe extern "system" fn end_process(_: *const EXCEPTION_POINTERS) -> i32 {
        // SAFETY: terminating the current process is always allowed.
        unsafe {
            TerminateProcess(GetCurrentProcess(), 0xFE);
        }
        0
    }

    pub(super) fn harden() {
        // SAFETY: plain calls with integer arguments or a function pointer
        // that stays valid for the life of the process.
        unsafe {
            SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
            SetUnhandledExceptionFilter(Some(end_process));
            FILTER_SET.store(true, Ordering::SeqCst);
            if WerSetFlags(WER_FAULT_REPORTING_FLAG_NOHEAP) == 0 {
                NOHEAP_SET.store(true, Ordering::SeqCst);
            }
        }
    }

    pub(super) fn crash_dumps_disabled() -> bool {
        FILTER_SET.load(Ordering::SeqCst) && NOHEAP_SET.load(Ordering::SeqCst)
    }

    fn wide(p: &Path) -> Vec<u16> {
        p.as_os_str()
            .encode_wide()
            .chain(std::iter::once(0))
            .collect()
    }

    pub(super) fn replace_file_durably(src: &Path, dest: &Path) -> std::io::Result<()> {
        let (s, d) = (wide(src), wide(dest));
        // SAFETY: both are NUL-terminated UTF-16 strings owned here.
        let ok = unsafe {
            MoveFileExW(
                s.as_ptr(),
                d.as_ptr(),
                MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH,
            )
        };
        if ok == 0 {
            Err(std::io::Error::last_os_error())
        } else {
            Ok(())
        }
    }
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
