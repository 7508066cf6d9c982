//! File system primitives: the writer lock, atomic replace with fsyncs,
//! files only the user can open (0600, or an owner-only DACL on Windows),
//! stray temp file cleanup.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::VaultError;

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};

/// `<vault>.lock`, beside the vault.
pub(crate) fn lock_path(vault: &Path) -> PathBuf {
    let mut s: OsString = vault.as_os_str().to_owned();
    s.push(".lock");
    PathBuf::from(s)
}

pub(crate) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn file_name(path: &Path) -> OsString {
    path.file_name()
        .map(|n| n.to_owned())
        .unwrap_or_else(|| OsString::from("vault"))
}

/// The prefix of temp files that belong to `dest`: `.<name>.tmp-`.
pub(crate) fn temp_prefix(dest: &Path) -> OsString {
    let mut s = OsString::from(".");
    s.push(file_name(dest));
    s.push(".tmp-");
    s
}

fn temp_path(dest: &Path) -> PathBuf {
    let mut b = [0u8; 8];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut b);
    let mut name = temp_prefix(dest);
    name.push(hex::encode(b));
    parent_dir(dest).join(name)
}

/// Creates a new file (it must not exist) that only the user can open,
/// for reading and writing: mode 0600 on Unix; on Windows a protected
/// owner-only DACL set as the file is created (nothing inherited from the
/// folder, so a vault in a shared folder is not readable by the folder's
/// other users). Every file fieldvault writes is made here.
pub fn create_private_file(path: &Path) -> io::Result<File> {
    #[cfg(windows)]
    {
        crate::hardening::create_owner_only_file(path, crate::hardening::IfExists::Fail)
    }
    #[cfg(not(windows))]
    {
        let mut o = fs::OpenOptions::new();
        o.read(true).write(true).create_new(true);
        #[cfg(unix)]
        o.mode(0o600);
        o.open(path)
    }
}

/// Whether only the user can open `path`, read back from the system: on
/// Unix no permission bit for group or others; on Windows a DACL that
/// allows no one but the current user (and LocalSystem). For tests and
/// checks; fieldvault never relies on it to decide what to write.
pub fn is_private(path: &Path) -> io::Result<bool> {
    #[cfg(windows)]
    {
        crate::hardening::is_owner_only(path)
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Ok(fs::metadata(path)?.permissions().mode() & 0o077 == 0)
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = path;
        Ok(false)
    }
}

/// Creates a folder only the user can open (0700; on Windows an owner-only
/// DACL its files inherit). An existing folder is accepted as it is.
pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    #[cfg(windows)]
    let created = crate::hardening::create_owner_only_dir(dir);
    #[cfg(not(windows))]
    let created = {
        let mut b = fs::DirBuilder::new();
        #[cfg(unix)]
        b.mode(0o700);
        b.create(dir)
    };
    match created {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(e),
    }
}

/// Makes the folder entry of a new or renamed file durable. On Windows a
/// folder cannot be opened for flushing: there the rename itself is made
/// durable ([`replace`] uses `MOVEFILE_WRITE_THROUGH`), and NTFS journals
/// the folder change; a new file's entry is flushed with the file.
pub(crate) fn fsync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// The held writer lock. Released when dropped (or when the process dies:
/// it is an `flock` on an open file description).
#[derive(Debug)]
pub(crate) struct LockGuard {
    _file: File,
}

/// Takes the exclusive writer lock on `<vault>.lock`, polling until `wait`
/// elapses (None: fail at once).
pub(crate) fn acquire_lock(vault: &Path, wait: Option<Duration>) -> Result<LockGuard, VaultError> {
    let lp = lock_path(vault);
    #[cfg(windows)]
    let opened = crate::hardening::create_owner_only_file(&lp, crate::hardening::IfExists::Open);
    #[cfg(not(windows))]
    let opened = {
        let mut o = fs::OpenOptions::new();
        o.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        o.mode(0o600);
        o.open(&lp)
    };
    let file = opened.map_err(|e| VaultError::io("create the lock file", &lp, &e))?;
    let start = Instant::now();
    let mut delay = Duration::from_millis(5);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(LockGuard { _file: file }),
            Err(fs::TryLockError::WouldBlock) => {}
            Err(fs::TryLockError::Error(e)) => {
                return Err(VaultError::io("lock", &lp, &e));
            }
        }
        match wait {
            Some(w) if start.elapsed() < w => {
                let left = w.saturating_sub(start.elapsed());
                std::thread::sleep(delay.min(left).max(Duration::from_millis(1)));
                delay = (delay * 2).min(Duration::from_millis(50));
            }
            _ => return Err(VaultError::InUse),
        }
    }
}

/// How [`write_atomic`] treats an existing destination.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Existing {
    /// Replace it (rename over).
    Replace,
    /// Refuse: `AlreadyExists`.
    Refuse,
}

/// Writes `parts` to a new 0600 temp file beside `dest`, fsyncs it, runs
/// `before_publish` (which may veto), moves it to `dest`, fsyncs the
/// folder. On any error the temp file is removed and `dest` is untouched.
pub(crate) fn write_atomic(
    dest: &Path,
    parts: &[&[u8]],
    existing: Existing,
    before_publish: &dyn Fn() -> Result<(), VaultError>,
) -> Result<(), VaultError> {
    let dir = parent_dir(dest);
    write_atomic_with(
        dest,
        existing,
        &mut |f: &mut File| {
            for p in parts {
                f.write_all(p)
                    .map_err(|e| VaultError::io("write a temporary file in", &dir, &e))?;
            }
            Ok(())
        },
        before_publish,
    )
}

/// Like [`write_atomic`], with `fill` writing the content into the temp
/// file (it may seek; the file is fsynced after it returns).
pub(crate) fn write_atomic_with(
    dest: &Path,
    existing: Existing,
    fill: &mut dyn FnMut(&mut File) -> Result<(), VaultError>,
    before_publish: &dyn Fn() -> Result<(), VaultError>,
) -> Result<(), VaultError> {
    let dir = parent_dir(dest);
    let tmp = temp_path(dest);
    let result = (|| {
        let mut f = create_private_file(&tmp)
            .map_err(|e| VaultError::io("write a temporary file in", &dir, &e))?;
        fill(&mut f)?;
        f.sync_all()
            .map_err(|e| VaultError::io("flush a temporary file in", &dir, &e))?;
        drop(f);
        before_publish()?;
        publish(&tmp, dest, existing)?;
        fsync_dir(&dir).map_err(|e| VaultError::io("flush the folder", &dir, &e))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn publish(tmp: &Path, dest: &Path, existing: Existing) -> Result<(), VaultError> {
    match existing {
        Existing::Replace => replace(tmp, dest).map_err(|e| VaultError::io("replace", dest, &e)),
        Existing::Refuse => {
            // A hard link never replaces an existing file; fall back to a
            // checked rename on file systems without hard links (FAT).
            match fs::hard_link(tmp, dest) {
                Ok(()) => {
                    let _ = fs::remove_file(tmp);
                    Ok(())
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    Err(VaultError::AlreadyExists {
                        path: dest.to_path_buf(),
                    })
                }
                Err(_) => {
                    if fs::symlink_metadata(dest).is_ok() {
                        return Err(VaultError::AlreadyExists {
                            path: dest.to_path_buf(),
                        });
                    }
                    fs::rename(tmp, dest).map_err(|e| VaultError::io("write", dest, &e))
                }
            }
        }
    }
}

/// Renames `tmp` over `dest` atomically: readers see the old or the new
/// file, never a mix.
///
/// - Unix: `rename(2)`; the caller fsyncs the folder afterwards.
/// - Windows: `MoveFileExW(REPLACE_EXISTING | WRITE_THROUGH)`, which
///   replaces a file other programs have open only if they allowed it
///   (fieldvault's own readers do: Rust opens files with
///   `FILE_SHARE_DELETE`). An antivirus scanner or a sync client (OneDrive)
///   holding the vault open makes it fail with "permission denied" (or a
///   sharing violation); such holds are short, so it is retried for about
///   two seconds before the commit fails (the old vault then stays as it
///   was).
fn replace(tmp: &Path, dest: &Path) -> io::Result<()> {
    #[cfg(windows)]
    {
        let start = Instant::now();
        loop {
            match crate::hardening::replace_file_durably(tmp, dest) {
                Err(e)
                    if matches!(
                        crate::error::io_kind(&e),
                        io::ErrorKind::PermissionDenied | io::ErrorKind::ResourceBusy
                    ) && start.elapsed() < Duration::from_secs(2) =>
                {
                    std::thread::sleep(Duration::from_millis(50));
                }
                other => return other,
            }
        }
    }
    #[cfg(not(windows))]
    {
        fs::rename(tmp, dest)
    }
}

/// Temp files left beside `dest` by an interrupted write.
pub(crate) fn stray_temp_files(dest: &Path) -> Vec<PathBuf> {
    let dir = parent_dir(dest);
    let prefix = temp_prefix(dest);
    let prefix = prefix.as_encoded_bytes();
    let mut out = Vec::new();
    if let Ok(rd) = fs::read_dir(&dir) {
        for e in rd.flatten() {
            let name = e.file_name();
            if name.as_encoded_bytes().starts_with(prefix) {
                out.push(dir.join(name));
            }
        }
    }
    out
}

/// Removes the temp files an interrupted write left (only while holding
/// the writer lock: no other writer can be using them).
/// Returns the files it removed.
pub(crate) fn remove_stray_temp_files(dest: &Path) -> Vec<PathBuf> {
    let files = stray_temp_files(dest);
    if files.is_empty() {
        return files;
    }
    let removed: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| fs::remove_file(f).is_ok())
        .collect();
    let _ = fsync_dir(&parent_dir(dest));
    removed
}
