//! `destroy`, the panic button, and the check that a vault file was not
//! destroyed under a writer's feet.

use std::fs::{self, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::Duration;

use super::file::{read_head, read_prefix};
use crate::error::VaultError;
use crate::format::{self, Magic};
use crate::fsutil::{self};
use crate::keyfile;

/// Fails with `Destroyed` if the file at `path` was destroyed, `NotFound`
/// if it disappeared.
pub(super) fn ensure_live(path: &Path) -> Result<(), VaultError> {
    let (head, _) = read_prefix(path, 64)?;
    match format::read_magic(&head, path) {
        Ok((Magic::Destroyed, _)) => Err(VaultError::Destroyed {
            path: path.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

/// The panic button: overwrites the key file (`<vault>.key`) in place
/// and fsyncs, then every key slot (the whole header) of the vault, so
/// nothing can open the vault again, not even with the passphrase, and no
/// copy of it left on the disk opens with the passphrase either (they all
/// need the key file). Takes no lock and never waits. Fast whatever the
/// size (the key file is 256 kB, the header a few KiB). Temp files left by
/// an interrupted commit are destroyed the same way and deleted. A vault
/// being edited in another process cannot be saved over the destroyed
/// file (its commit fails with `Destroyed`). Destroying a destroyed vault
/// is a no-op.
///
/// By design not affected: copies that do not need the key file, that is
/// backups (to recipients or to a passphrase: they are plain age files)
/// and every copy of the vault for whoever holds a teammate's or a
/// hardware key of another slot. Format-1 copies from before the vault
/// got its key file still open with the passphrase.
///
/// Refuses (and leaves alone) a file that is not a fieldvault vault.
pub fn destroy(path: &Path) -> Result<(), VaultError> {
    let (head, _) = read_head(path)?;
    // Only a file that starts with the whole magic word is a vault (or
    // what is left of one): an empty or unrelated file is never touched.
    if !head.starts_with(format::MAGIC.as_bytes()) {
        return Err(VaultError::NotAVault {
            path: path.to_path_buf(),
        });
    }
    match format::read_magic(&head, path) {
        Ok(_) | Err(VaultError::NewerFormat { .. }) | Err(VaultError::Damaged { .. }) => {}
        Err(e) => return Err(e),
    }
    // First the key file, in place: every copy of the vault on the disk
    // (old versions in freed blocks included) needs it with the
    // passphrase. Then the vault's own header.
    if !keyfile::is_destroyed(path) {
        keyfile::destroy(path)?;
    }
    let dir = fsutil::parent_dir(path);
    // A writer in another process may be between its "not destroyed"
    // check and its rename: repeat until the file reads destroyed and no
    // temp file (a possible next version) is left.
    for _ in 0..20 {
        let (head, _) = read_head(path)?;
        if !matches!(format::read_magic(&head, path), Ok((Magic::Destroyed, _))) {
            destroy_in_place(path, &head).map_err(|e| VaultError::io("overwrite", path, &e))?;
        }
        let temps = fsutil::stray_temp_files(path);
        for tmp in &temps {
            if let Ok((h, _)) = read_head(tmp) {
                if format::read_magic(&h, tmp).is_ok() {
                    let _ = destroy_in_place(tmp, &h);
                }
            }
            let _ = fs::remove_file(tmp);
        }
        let _ = fsutil::fsync_dir(&dir);
        let (head, _) = read_head(path)?;
        if temps.is_empty() && matches!(format::read_magic(&head, path), Ok((Magic::Destroyed, _)))
        {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Err(VaultError::InUse)
}

pub(super) fn destroy_in_place(path: &Path, head: &[u8]) -> io::Result<()> {
    let extent = format::header_extent(head).max(format::DESTROYED_LINE.len() + 1);
    let mut block = Vec::with_capacity(extent);
    block.extend_from_slice(format::DESTROYED_LINE.as_bytes());
    block.push(b'\n');
    while block.len() < extent {
        let col = block.len() % 65;
        block.push(if col == 64 || block.len() + 1 == extent {
            b'\n'
        } else {
            b'#'
        });
    }
    let mut f = OpenOptions::new().write(true).open(path)?;
    f.seek(SeekFrom::Start(0))?;
    f.write_all(&block)?;
    f.sync_all()
}
