//! What a forensic examiner does after `destroy`: image the disk, carve
//! every copy of the vault by its header line out of the raw blocks (old
//! commits stay in freed blocks), put each beside whatever key file can
//! be carved too, and try the passphrase. None may open.
//!
//! Needs root, `mkfs.ext4` and loop mounts; skipped (with a note) when
//! any is missing. In its own test binary: it mounts a file system.

use std::path::{Path, PathBuf};
use std::process::Command;

use fieldvault_vault::{destroy, Access, KdfParams, Passphrase, Unlock, Vault};

const PASS: &str = "correct horse battery staple";
const CANARY: &str = "Жанар Сапарова +7 701 123 4567";
const KDF: KdfParams = KdfParams {
    memory_mib: 8,
    iterations: 1,
    parallelism: 1,
};

fn unlock() -> Unlock {
    Unlock::Passphrase(Passphrase::new(PASS.into()).unwrap())
}

/// A loop-mounted ext4 image, unmounted on drop.
struct Mounted {
    image: PathBuf,
    dir: PathBuf,
    mounted: bool,
}

impl Mounted {
    fn new(work: &Path) -> Option<Mounted> {
        // SAFETY: geteuid has no preconditions.
        #[allow(unsafe_code)]
        let root = unsafe { libc::geteuid() } == 0;
        if !root {
            eprintln!("examiner test skipped: needs root for a loop mount");
            return None;
        }
        let image = work.join("disk.img");
        let dir = work.join("mnt");
        std::fs::create_dir(&dir).unwrap();
        let f = std::fs::File::create(&image).unwrap();
        f.set_len(32 << 20).unwrap();
        drop(f);
        let made = Command::new("mkfs.ext4")
            .args(["-q", "-F"])
            .arg(&image)
            .status();
        if !matches!(made, Ok(s) if s.success()) {
            eprintln!("examiner test skipped: mkfs.ext4 is not available");
            return None;
        }
        let mut m = Mounted {
            image,
            dir,
            mounted: false,
        };
        if !m.mount() {
            eprintln!("examiner test skipped: loop mounts are not allowed here");
            return None;
        }
        Some(m)
    }

    fn mount(&mut self) -> bool {
        let ok = Command::new("mount")
            .args(["-o", "loop"])
            .arg(&self.image)
            .arg(&self.dir)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        self.mounted = ok;
        ok
    }

    fn unmount(&mut self) {
        if self.mounted {
            let ok = Command::new("umount").arg(&self.dir).status().unwrap();
            assert!(ok.success());
            self.mounted = false;
        }
    }

    /// The raw image, after unmounting (so every write reached it).
    fn raw(&mut self) -> Vec<u8> {
        self.unmount();
        let raw = std::fs::read(&self.image).unwrap();
        assert!(self.mount());
        raw
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if self.mounted {
            let _ = Command::new("umount").arg(&self.dir).status();
        }
    }
}

fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    // Only where a file or a header line can start: at a 512-byte sector
    // boundary or after a newline. Cheap enough in a debug build.
    let mut out = Vec::new();
    let mut at = 0;
    while at + needle.len() <= hay.len() {
        if hay[at..].starts_with(needle) {
            out.push(at);
        }
        let next_block = (at / 512 + 1) * 512;
        let limit = next_block.min(hay.len());
        at = match hay[at..limit].iter().position(|&b| b == b'\n') {
            Some(n) => at + n + 1,
            None => next_block,
        };
    }
    out
}

/// Every vault copy in `raw`: from a header line through the payload
/// length its header declares (cut at the image end if needed).
fn carve_vaults(raw: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for magic in [&b"fieldvault-vault v2\n"[..], &b"fieldvault-vault v1\n"[..]] {
        for at in find_all(raw, magic) {
            let window = &raw[at..raw.len().min(at + (1 << 20))];
            let Some(p) = find_all(window, b"payload: ").first().copied() else {
                continue;
            };
            let line_end = p + window[p..].iter().position(|&b| b == b'\n').unwrap();
            let len: usize = std::str::from_utf8(&window[p + 9..line_end])
                .ok()
                .and_then(|l| l.split(' ').next()?.parse().ok())
                .unwrap_or(0);
            let mac_end = line_end
                + 1
                + window[line_end + 1..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .unwrap()
                + 1;
            let end = raw.len().min(at + mac_end + len);
            out.push(raw[at..end].to_vec());
        }
    }
    out
}

/// Every key file in `raw`, by its head (a fixed 256,064 bytes).
fn carve_key_files(raw: &[u8]) -> Vec<Vec<u8>> {
    find_all(raw, b"fieldvault-keyfile v1\nid: ")
        .into_iter()
        .map(|at| raw[at..raw.len().min(at + 64 + 2 * 128_000)].to_vec())
        .collect()
}

/// Tries every carved vault with every carved key file (and none).
fn openable(raw: &[u8], work: &Path) -> usize {
    let vaults = carve_vaults(raw);
    let keys = carve_key_files(raw);
    let mut opened = 0;
    for (i, v) in vaults.iter().enumerate() {
        let p = work.join(format!("carved-{i}.fieldvault"));
        std::fs::write(&p, v).unwrap();
        let kp = fieldvault_vault::key_file_path(&p);
        let mut candidates: Vec<Option<&Vec<u8>>> = keys.iter().map(Some).collect();
        candidates.push(None);
        for k in candidates {
            let _ = std::fs::remove_file(&kp);
            if let Some(k) = k {
                std::fs::write(&kp, k).unwrap();
            }
            if let Ok(v) = Vault::open(&p, &unlock(), Access::Read) {
                // (The first copy, written by `create`, has no table yet.)
                let found: Option<String> = v
                    .connection()
                    .query_row("SELECT group_concat(body) FROM note", [], |r| r.get(0))
                    .ok();
                assert!(found.is_none_or(|f| f.contains(CANARY)));
                opened += 1;
                break;
            }
        }
    }
    opened
}

#[test]
fn no_carved_copy_opens_after_destroy() {
    let work = tempfile::tempdir().unwrap();
    let Some(mut disk) = Mounted::new(work.path()) else {
        return;
    };
    let p = disk.dir.join("study.fieldvault");
    let mut v = Vault::create(&p, &Passphrase::new(PASS.into()).unwrap(), KDF).unwrap();
    v.connection()
        .execute_batch("CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT)")
        .unwrap();
    v.connection()
        .execute("INSERT INTO note(body) VALUES (?1)", [CANARY])
        .unwrap();
    for i in 0..6 {
        v.connection()
            .execute(
                "INSERT INTO note(body) VALUES (?1)",
                [format!("{i} {}", "interview text ".repeat(200))],
            )
            .unwrap();
        v.commit().unwrap();
    }
    drop(v);

    // The examiner's method works: before destroy, old copies are there
    // and open with the passphrase and the carved key file.
    let raw = disk.raw();
    let copies = carve_vaults(&raw).len();
    assert!(
        copies >= 2,
        "expected old copies in freed blocks, found {copies}"
    );
    assert!(openable(&raw, work.path()) >= 2);

    destroy(&p).unwrap();
    let raw = disk.raw();
    assert!(
        carve_key_files(&raw).is_empty(),
        "a key file survived destroy"
    );
    assert!(
        !carve_vaults(&raw).is_empty(),
        "old copies are still on the disk"
    );
    assert_eq!(
        openable(&raw, work.path()),
        0,
        "a carved copy opened after destroy"
    );
}
