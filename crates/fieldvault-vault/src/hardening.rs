//! The only module with `unsafe` code: process hardening (core dumps,
//! crash reports, debugger attach), locking key material in RAM, the
//! durable rename and owner-only files of Windows, a wiping allocator for
//! SQLite, and a wiping global allocator that binaries may opt into.
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

/// How [`create_owner_only_file`] treats an existing file.
#[cfg(windows)]
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum IfExists {
    /// Fail with `AlreadyExists` (a new private file).
    Fail,
    /// Open it as it is, keeping its permissions (the lock file).
    Open,
}

/// Creates a file that only the current user can open: its DACL is
/// protected (nothing inherited from the folder) and holds a single entry,
/// full access for the user the process runs as. It is set in the same
/// call that creates the file, so no other program can open it in between
/// (Windows checks access when a file is opened, so a handle taken before
/// a later `SetSecurityInfo` would keep working). The Windows counterpart
/// of mode 0600.
#[cfg(windows)]
pub(crate) fn create_owner_only_file(
    path: &std::path::Path,
    if_exists: IfExists,
) -> std::io::Result<std::fs::File> {
    windows::create_owner_only_file(path, if_exists)
}

/// Creates a folder only the current user can open, whose files and
/// subfolders inherit that (the counterpart of mode 0700).
#[cfg(windows)]
pub(crate) fn create_owner_only_dir(path: &std::path::Path) -> std::io::Result<()> {
    windows::create_owner_only_dir(path)
}

/// Whether `path`'s DACL, read back from the system, allows no one but the
/// current user (and LocalSystem, the operating system itself, which can
/// open any file anyway): what [`create_owner_only_file`] makes. That the
/// DACL is also protected is not checked: Wine, where CI runs this, keeps
/// no ACLs and reports one made up from the Unix mode (LocalSystem, the
/// user, and Everyone if others have access).
#[cfg(windows)]
pub(crate) fn is_owner_only(path: &std::path::Path) -> std::io::Result<bool> {
    windows::is_owner_only(path)
}

#[cfg(windows)]
mod windows {
    use std::ffi::c_void;
    use std::fs::File;
    use std::io;
    use std::os::windows::ffi::OsStrExt;
    use std::os::windows::io::FromRawHandle;
    use std::path::Path;
    use std::sync::atomic::{AtomicBool, Ordering};

    use windows_sys::Win32::Foundation::{
        CloseHandle, GENERIC_READ, GENERIC_WRITE, HANDLE, INVALID_HANDLE_VALUE,
    };
    use windows_sys::Win32::Security::{
        AddAccessAllowedAceEx, GetLengthSid, GetTokenInformation, InitializeAcl,
        InitializeSecurityDescriptor, SetSecurityDescriptorControl, SetSecurityDescriptorDacl,
        TokenUser, ACCESS_ALLOWED_ACE, ACL, ACL_REVISION, CONTAINER_INHERIT_ACE,
        OBJECT_INHERIT_ACE, PSECURITY_DESCRIPTOR, SECURITY_ATTRIBUTES, SECURITY_DESCRIPTOR,
        SE_DACL_PROTECTED, TOKEN_QUERY, TOKEN_USER,
    };
    use windows_sys::Win32::Storage::FileSystem::{
        CreateDirectoryW, CreateFileW, MoveFileExW, CREATE_NEW, FILE_ALL_ACCESS,
        FILE_ATTRIBUTE_NORMAL, FILE_SHARE_DELETE, FILE_SHARE_READ, FILE_SHARE_WRITE,
        MOVEFILE_REPLACE_EXISTING, MOVEFILE_WRITE_THROUGH, OPEN_ALWAYS,
    };
    use windows_sys::Win32::System::SystemServices::SECURITY_DESCRIPTOR_REVISION;
    use windows_sys::Win32::System::Threading::OpenProcessToken;

    use super::IfExists;
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

    /// The `TOKEN_USER` of this process (the user's SID points into it),
    /// in a buffer aligned for it.
    struct CurrentUser {
        buf: Vec<u64>,
    }

    impl CurrentUser {
        fn get() -> io::Result<CurrentUser> {
            let mut token: HANDLE = std::ptr::null_mut();
            // SAFETY: the pseudo-handle of the current process is always
            // valid; `token` receives a handle we close below.
            if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
                return Err(io::Error::last_os_error());
            }
            let mut len = 0u32;
            // SAFETY: a size query (no buffer); `len` receives the size.
            unsafe { GetTokenInformation(token, TokenUser, std::ptr::null_mut(), 0, &mut len) };
            let mut buf = vec![0u64; (len as usize).div_ceil(8).max(1)];
            // SAFETY: `buf` holds at least `len` bytes and is 8-aligned.
            let ok = unsafe {
                GetTokenInformation(
                    token,
                    TokenUser,
                    buf.as_mut_ptr() as *mut c_void,
                    (buf.len() * 8) as u32,
                    &mut len,
                )
            };
            let err = io::Error::last_os_error();
            // SAFETY: `token` was opened above and is closed once.
            unsafe { CloseHandle(token) };
            if ok == 0 {
                return Err(err);
            }
            Ok(CurrentUser { buf })
        }

        fn sid(&self) -> *mut c_void {
            // SAFETY: `buf` was filled with a TOKEN_USER by the system.
            unsafe { (*(self.buf.as_ptr() as *const TOKEN_USER)).User.Sid }
        }
    }

    /// An owner-only security descriptor and the buffers it points into
    /// (kept together so that none is freed while it is in use).
    struct OwnerOnly {
        _user: CurrentUser,
        _acl: Vec<u64>,
        descriptor: Box<SECURITY_DESCRIPTOR>,
    }

    impl OwnerOnly {
        /// `inherit`: the entry also applies to files and folders created
        /// inside (for a folder).
        fn new(inherit: bool) -> io::Result<OwnerOnly> {
            let user = CurrentUser::get()?;
            let sid = user.sid();
            // SAFETY: `sid` points into `user`, a valid TOKEN_USER.
            let sid_len = unsafe { GetLengthSid(sid) } as usize;
            let acl_len = (std::mem::size_of::<ACL>() + std::mem::size_of::<ACCESS_ALLOWED_ACE>()
                - std::mem::size_of::<u32>()
                + sid_len)
                .next_multiple_of(4);
            let mut acl = vec![0u64; acl_len.div_ceil(8)];
            let acl_ptr = acl.as_mut_ptr() as *mut ACL;
            let flags = if inherit {
                OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE
            } else {
                0
            };
            // SAFETY: a plain zeroed struct, initialised below.
            let mut descriptor: Box<SECURITY_DESCRIPTOR> = Box::new(unsafe { std::mem::zeroed() });
            let sd = &mut *descriptor as *mut SECURITY_DESCRIPTOR as PSECURITY_DESCRIPTOR;
            // SAFETY: `acl` is at least `acl_len` bytes, 4-aligned; `sid`
            // is valid; `sd` points to a SECURITY_DESCRIPTOR we own; the
            // descriptor keeps a pointer to `acl`, which lives as long.
            let ok = unsafe {
                InitializeAcl(acl_ptr, acl_len as u32, ACL_REVISION) != 0
                    && AddAccessAllowedAceEx(acl_ptr, ACL_REVISION, flags, FILE_ALL_ACCESS, sid)
                        != 0
                    && InitializeSecurityDescriptor(sd, SECURITY_DESCRIPTOR_REVISION) != 0
                    && SetSecurityDescriptorDacl(sd, 1, acl_ptr, 0) != 0
                    && SetSecurityDescriptorControl(sd, SE_DACL_PROTECTED, SE_DACL_PROTECTED) != 0
            };
            if !ok {
                return Err(io::Error::last_os_error());
            }
            Ok(OwnerOnly {
                _user: user,
                _acl: acl,
                descriptor,
            })
        }

        fn attributes(&mut self) -> SECURITY_ATTRIBUTES {
            SECURITY_ATTRIBUTES {
                nLength: std::mem::size_of::<SECURITY_ATTRIBUTES>() as u32,
                lpSecurityDescriptor: &mut *self.descriptor as *mut SECURITY_DESCRIPTOR
                    as *mut c_void,
                bInheritHandle: 0,
            }
        }
    }

    pub(super) fn create_owner_only_file(path: &Path, if_exists: IfExists) -> io::Result<File> {
        let mut owner_only = OwnerOnly::new(false)?;
        let sa = owner_only.attributes();
        let name = wide(path);
        let disposition = match if_exists {
            IfExists::Fail => CREATE_NEW,
            IfExists::Open => OPEN_ALWAYS,
        };
        // SAFETY: `name` is NUL-terminated UTF-16; `sa` and the descriptor
        // it points to live until the call returns. The handle returned is
        // owned by the File made from it.
        let handle = unsafe {
            CreateFileW(
                name.as_ptr(),
                GENERIC_READ | GENERIC_WRITE,
                // As Rust's own OpenOptions: other programs may read,
                // and the file may be renamed or deleted while open.
                FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                &sa,
                disposition,
                FILE_ATTRIBUTE_NORMAL,
                std::ptr::null_mut(),
            )
        };
        if handle == INVALID_HANDLE_VALUE {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a valid handle just opened, owned by nobody else.
        Ok(unsafe { File::from_raw_handle(handle) })
    }

    pub(super) fn create_owner_only_dir(path: &Path) -> io::Result<()> {
        let mut owner_only = OwnerOnly::new(true)?;
        let sa = owner_only.attributes();
        let name = wide(path);
        // SAFETY: as in create_owner_only_file.
        if unsafe { CreateDirectoryW(name.as_ptr(), &sa) } == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    pub(super) fn is_owner_only(path: &Path) -> io::Result<bool> {
        use windows_sys::Win32::Foundation::LocalFree;
        use windows_sys::Win32::Security::Authorization::{GetNamedSecurityInfoW, SE_FILE_OBJECT};
        use windows_sys::Win32::Security::{
            EqualSid, GetAce, IsWellKnownSid, WinLocalSystemSid, ACE_HEADER,
            DACL_SECURITY_INFORMATION,
        };
        use windows_sys::Win32::System::SystemServices::{
            ACCESS_ALLOWED_ACE_TYPE, ACCESS_DENIED_ACE_TYPE,
        };

        let user = CurrentUser::get()?;
        let name = wide(path);
        let mut dacl: *mut ACL = std::ptr::null_mut();
        let mut sd: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
        // SAFETY: `name` is NUL-terminated; the system allocates `sd`
        // (freed below) and points `dacl` into it.
        let rc = unsafe {
            GetNamedSecurityInfoW(
                name.as_ptr(),
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                &mut dacl,
                std::ptr::null_mut(),
                &mut sd,
            )
        };
        if rc != 0 {
            return Err(io::Error::from_raw_os_error(rc as i32));
        }
        // No DACL at all means everyone may open it.
        let mut owner_only = !dacl.is_null();
        if owner_only {
            // SAFETY: `dacl` points into `sd`, valid until LocalFree.
            let count = unsafe { (*dacl).AceCount };
            for i in 0..u32::from(count) {
                let mut ace: *mut c_void = std::ptr::null_mut();
                // SAFETY: `i` is below the entry count; `ace` points into
                // `dacl`; an allow entry of type ACCESS_ALLOWED_ACE_TYPE
                // has the ACCESS_ALLOWED_ACE layout.
                let allowed_other = unsafe {
                    if GetAce(dacl, i, &mut ace) == 0 {
                        true
                    } else {
                        let header = &*(ace as *const ACE_HEADER);
                        match u32::from(header.AceType) {
                            ACCESS_DENIED_ACE_TYPE => false,
                            ACCESS_ALLOWED_ACE_TYPE => {
                                let allowed = &*(ace as *const ACCESS_ALLOWED_ACE);
                                let sid = &allowed.SidStart as *const u32 as *mut c_void;
                                EqualSid(sid, user.sid()) == 0
                                    && IsWellKnownSid(sid, WinLocalSystemSid) == 0
                            }
                            // Any other kind of entry (object, callback):
                            // not what fieldvault writes; fail closed.
                            _ => true,
                        }
                    }
                };
                if allowed_other {
                    owner_only = false;
                    break;
                }
            }
        }
        // SAFETY: `sd` was allocated by GetNamedSecurityInfoW.
        unsafe { LocalFree(sd) };
        Ok(owner_only)
    }

    pub(super) fn replace_file_durably(src: &Path, dest: &Path) -> io::Result<()> {
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
            Err(io::Error::last_os_error())
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
