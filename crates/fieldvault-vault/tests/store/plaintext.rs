//! No plaintext at rest: after a workflow that stores canary strings, no
//! file in the vault's folder or in the temp folders contains them, in
//! UTF-8, UTF-16LE or lowercase.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use fieldvault_vault::{Access, BackupTo, Passphrase, Vault};

use crate::util::*;

fn needles(canary: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for s in [canary.to_string(), canary.to_lowercase()] {
        out.push(s.as_bytes().to_vec());
        out.push(s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect());
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Regular files under `dir` modified since `since` (no symlinks followed).
fn files_since(dir: &Path, since: SystemTime, out: &mut Vec<PathBuf>, depth: usize) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let Ok(meta) = e.path().symlink_metadata() else {
            continue;
        };
        if meta.is_dir() && depth < 6 {
            files_since(&e.path(), since, out, depth + 1);
        } else if meta.is_file()
            && meta.len() < 512 << 20
            && meta.modified().map(|m| m >= since).unwrap_or(true)
        {
            out.push(e.path());
        }
    }
}

#[test]
fn canaries_never_reach_the_disk() {
    let start = SystemTime::now() - Duration::from_secs(2);
    let tag = hex::encode(rand::random::<[u8; 6]>());
    let live = format!("CANARY-Live-{tag}-Жанар Сапарова");
    let deleted = format!("CANARY-Deleted-{tag}-Ерлан");
    let in_label = format!("CANARY-Label-{tag}");
    let in_attachment = format!("CANARY-Audio-{tag}-Бақыт");

    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = Vault::create(&p, &pass(), TINY).unwrap();
    v.connection()
        .execute_batch("CREATE TABLE person(id INTEGER PRIMARY KEY, name TEXT)")
        .unwrap();
    for _ in 0..50 {
        v.connection()
            .execute("INSERT INTO person(name) VALUES (?1)", [&live])
            .unwrap();
    }
    v.connection()
        .execute("INSERT INTO person(name) VALUES (?1)", [&deleted])
        .unwrap();
    v.commit().unwrap();
    // A withdrawn person is purged: the row must vanish from the image too.
    v.connection()
        .execute("DELETE FROM person WHERE name = ?1", [&deleted])
        .unwrap();
    // Big sorts and temp tables would spill to temp files without
    // temp_store=MEMORY.
    v.connection()
        .execute_batch(
            "CREATE TEMP TABLE t AS SELECT name || randomblob(200) AS n FROM person;
             CREATE INDEX temp.ti ON t(n);",
        )
        .unwrap();
    let _: i64 = v
        .connection()
        .query_row(
            "SELECT count(*) FROM (SELECT n FROM t ORDER BY n DESC)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    v.commit().unwrap();
    let att = v.put_attachment(in_attachment.as_bytes()).unwrap();
    let (_, r) = keypair();
    v.add_recipient(&r, &in_label).unwrap();
    v.change_passphrase(&Passphrase::new("another one".into()).unwrap(), None)
        .unwrap();
    // Changing the vault key re-encrypts the payload, the slot details
    // (with the label canary) and the attachment (streamed through temp
    // files beside it); then once more with an uncommitted row pending.
    let r1 = v
        .rekey(Some(&Passphrase::new("another one".into()).unwrap()))
        .unwrap();
    assert_eq!(r1.attachments, 1);
    v.connection()
        .execute("INSERT INTO person(name) VALUES (?1)", [&live])
        .unwrap();
    v.rekey(Some(&Passphrase::new("another one".into()).unwrap()))
        .unwrap();
    v.backup(&t.path("backup-r.age"), BackupTo::Recipients(vec![r]))
        .unwrap();
    v.backup(
        &t.path("backup-p.age"),
        BackupTo::Passphrase(Passphrase::new("b".into()).unwrap()),
    )
    .unwrap();
    v.commit().unwrap();
    drop(v);
    let v = Vault::open(
        &p,
        &fieldvault_vault::Unlock::Passphrase(Passphrase::new("another one".into()).unwrap()),
        Access::Read,
    )
    .unwrap();
    assert_eq!(
        &v.get_attachment(&att).unwrap()[..],
        in_attachment.as_bytes()
    );
    drop(v);

    let mut files = Vec::new();
    files_since(t.dir.path(), start, &mut files, 0);
    assert!(files.len() >= 5, "{files:?}");
    let mut temp_dirs = vec![
        std::env::temp_dir(),
        PathBuf::from("/tmp"),
        PathBuf::from("/var/tmp"),
    ];
    if let Ok(d) = std::env::var("SQLITE_TMPDIR") {
        temp_dirs.push(d.into());
    }
    for d in temp_dirs {
        files_since(&d, start, &mut files, 0);
    }
    let all: Vec<Vec<u8>> = [&live, &deleted, &in_label, &in_attachment]
        .iter()
        .flat_map(|c| needles(c))
        .collect();
    let mut scanned = 0;
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        scanned += 1;
        for n in &all {
            assert!(
                !contains(&bytes, n),
                "plaintext canary found in {}",
                f.display()
            );
        }
    }
    eprintln!("scanned {scanned} files");

    // Positive control: the scan does find a canary where one is.
    let control = t.path("control.txt");
    std::fs::write(&control, &needles(&live)[3]).unwrap();
    let mut again = Vec::new();
    files_since(t.dir.path(), start, &mut again, 0);
    let found = again.iter().any(|f| {
        let b = std::fs::read(f).unwrap();
        all.iter().any(|n| contains(&b, n))
    });
    assert!(found, "the scan missed a planted canary");
}

#[test]
fn deleted_rows_leave_the_image() {
    // secure_delete: the decrypted image (here: a backup) no longer holds
    // a deleted row's text.
    let t = TestDir::new();
    let p = t.vault_path();
    let gone = format!("CANARY-gone-{}", hex::encode(rand::random::<[u8; 6]>()));
    let mut v = vault_with_notes(&p, &["keep", &gone, "keep too"]);
    v.connection()
        .execute("DELETE FROM note WHERE body = ?1", [&gone])
        .unwrap();
    v.commit().unwrap();
    let (id, r) = keypair();
    let b = t.path("b.age");
    v.backup(&b, BackupTo::Recipients(vec![r])).unwrap();
    let identity: age::x25519::Identity = id.parse().unwrap();
    let image = age::decrypt(&identity, &std::fs::read(&b).unwrap()).unwrap();
    assert!(contains(&image, b"keep too"));
    assert!(!contains(&image, gone.as_bytes()));
}
