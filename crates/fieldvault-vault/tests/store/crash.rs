//! Crash safety: a child process commits changing content (or re-keys
//! the vault) in a loop and is SIGKILLed at random moments; each time the
//! vault opens and holds the previous or the next content, whole, and
//! every attachment opens with the key of the vault on disk.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use fieldvault_vault::{Access, Vault};
use rand::Rng;

use crate::util::*;

const ROWS: i64 = 1500;
const KILLS: usize = 60;

/// SIGKILL (TerminateProcess on Windows). A child that already ended by
/// itself is fine to the caller, which then checks the vault as always
/// (Windows refuses to terminate an ended process; Unix does not care).
fn kill(child: &mut std::process::Child) {
    if let Err(e) = child.kill() {
        assert!(
            child.try_wait().unwrap().is_some(),
            "cannot kill the child: {e}"
        );
    }
    child.wait().unwrap();
}

/// Reads the child's output until it says it opened the vault, so the
/// random kill delay starts there: process start-up time varies (under
/// Wine it is seconds) and must not eat the window in which it writes.
fn wait_until_ready(reader: &mut impl BufRead) {
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line).unwrap();
        if n == 0 || line.contains("READY") {
            return;
        }
    }
}

/// Opens the vault and returns its version after checking it is whole.
fn check_whole(path: &Path) -> i64 {
    let v = Vault::open(path, &unlock(), Access::Read).expect("vault must open after a crash");
    v.integrity_check().unwrap();
    let k: i64 = v
        .connection()
        .query_row("SELECT v FROM state", [], |r| r.get(0))
        .unwrap();
    let (n, min, max): (i64, i64, i64) = v
        .connection()
        .query_row("SELECT count(*), min(k), max(k) FROM rows", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((n, min, max), (ROWS, k, k), "torn content");
    k
}

#[test]
fn sigkill_during_commits() {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = Vault::create(&p, &pass(), TINY).unwrap();
    v.connection()
        .execute_batch(
            "CREATE TABLE state(v INTEGER); INSERT INTO state VALUES (0);
             CREATE TABLE rows(k INTEGER, body TEXT);",
        )
        .unwrap();
    v.connection()
        .execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
             INSERT INTO rows(k, body) SELECT 0, 'x' FROM n",
            [ROWS],
        )
        .unwrap();
    v.commit().unwrap();
    drop(v);

    let mut rng = rand::thread_rng();
    let mut version = 0i64;
    let (mut commits, mut with_temp, mut mid_commit) = (0, 0, 0);
    for round in 0..KILLS {
        let mut child = child_process()
            .arg("commit-loop")
            .arg(&p)
            .arg(ROWS.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        wait_until_ready(&mut reader);
        std::thread::sleep(Duration::from_millis(rng.gen_range(20..250)));
        kill(&mut child);
        let mut last = None;
        for line in reader.lines() {
            let line = line.unwrap();
            if let Some(i) = line.find("COMMITTED ") {
                let k = line[i + 10..].trim();
                last = Some(k.parse::<i64>().unwrap());
                commits += 1;
            }
        }
        let temps = t
            .names()
            .into_iter()
            .filter(|n| n.contains(".tmp-"))
            .count();
        assert!(temps <= 1, "round {round}: {temps} temp files");
        with_temp += temps;
        let now = check_whole(&p);
        let base = last.unwrap_or(version);
        assert!(
            now == base || now == base + 1,
            "round {round}: vault holds version {now}, last reported commit {base}"
        );
        if now == base + 1 {
            mid_commit += 1; // killed after rename, before reporting
        }
        assert!(
            now >= version,
            "round {round}: went back from {version} to {now}"
        );
        version = now;
    }
    eprintln!(
        "{KILLS} kills, {commits} commits reported, final version {version}, \
         {with_temp} kills left a temp file, {mid_commit} kills between rename and report"
    );
    assert!(version > 0, "the child never committed");
    // Opening for writing cleans what the killed commits left.
    drop(Vault::open(&p, &unlock(), write_access()).unwrap());
    assert_eq!(
        t.names(),
        [
            "study.fieldvault",
            "study.fieldvault.key",
            "study.fieldvault.lock"
        ]
    );
}

const REKEY_KILLS: usize = 40;
const ATTACHMENTS: usize = 6;

/// The content of test attachment `i` (about 0.5 MB, several age chunks).
fn attachment_content(i: usize) -> Vec<u8> {
    (0..500_000 + i * 1000)
        .map(|j| ((j * 31 + i * 7) % 253) as u8)
        .collect()
}

/// A child re-keys a vault with attachments in a loop and is SIGKILLed at
/// random moments (while staging attachments, writing the vault file, or
/// swapping attachment files). After each kill the vault and every
/// attachment open, with the passphrase and with the teammate's key, and
/// one key (the master recovered from the file on disk, docs/format.md) opens
/// the payload and, for every attachment, `<id>.age` or `<id>.age.new`.
#[test]
fn sigkill_during_rekeys() {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = Vault::create(&p, &pass(), TINY).unwrap();
    v.connection()
        .execute_batch(
            "CREATE TABLE state(v INTEGER); INSERT INTO state VALUES (7);
             CREATE TABLE rows(k INTEGER, body TEXT);",
        )
        .unwrap();
    v.connection()
        .execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
             INSERT INTO rows(k, body) SELECT 7, hex(randomblob(250)) FROM n",
            [ROWS],
        )
        .unwrap();
    v.commit().unwrap();
    let (mate, r) = keypair();
    v.add_recipient(&r, "teammate").unwrap();
    let ids: Vec<String> = (0..ATTACHMENTS)
        .map(|i| v.put_attachment(&attachment_content(i)).unwrap())
        .collect();
    drop(v);
    let adir = t.path("study.fieldvault.attachments");

    let mut rng = rand::thread_rng();
    let mut master = master_from_passphrase(&std::fs::read(&p).unwrap(), &p, PASS);
    let (mut rekeys, mut key_changes) = (0, 0);
    // Rounds whose kill left staged files of an uncommitted re-key, and
    // rounds whose kill left attachments waiting for the swap.
    let (mut before_commit, mut mid_swap, mut writing_vault) = (0, 0, 0);
    for round in 0..REKEY_KILLS {
        let mut child = child_process()
            .arg("rekey-loop")
            .arg(&p)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        wait_until_ready(&mut reader);
        std::thread::sleep(Duration::from_millis(rng.gen_range(30..600)));
        kill(&mut child);
        let reported = reader
            .lines()
            .filter(|l| l.as_ref().unwrap().contains("REKEYED "))
            .count();
        rekeys += reported;

        // The state the kill left, as a reader finds it (no writer open).
        let file = std::fs::read(&p).unwrap();
        let now = master_from_passphrase(&file, &p, PASS);
        assert!(mac_verifies(&file, &now), "round {round}: header MAC");
        let changed = !same_identity(&now, &master);
        assert!(
            changed || reported == 0,
            "round {round}: {reported} re-keys reported, the key did not change"
        );
        key_changes += usize::from(changed);
        let names = dir_names(&adir);
        let (mut debris, mut pending) = (false, false);
        for (i, id) in ids.iter().enumerate() {
            let want = attachment_content(i);
            let opens = |name: &str| {
                std::fs::read(adir.join(name))
                    .ok()
                    .is_some_and(|f| age::decrypt(&now, &f).is_ok_and(|d| d == want))
            };
            let canon = opens(&format!("{id}.age"));
            let staged_name = format!("{id}.age.new");
            let staged = names.contains(&staged_name);
            assert!(
                canon || opens(&staged_name),
                "round {round}: attachment {i} has no file for the vault's key"
            );
            if staged && !canon {
                pending = true;
            } else if staged && !opens(&staged_name) {
                debris = true;
            }
        }
        before_commit += usize::from(debris);
        mid_swap += usize::from(pending);
        for unlock in [unlock(), identity_unlock(&mate)] {
            let v = Vault::open(&p, &unlock, Access::Read).expect("vault must open after a crash");
            v.integrity_check().unwrap();
            let (n, k): (i64, i64) = v
                .connection()
                .query_row("SELECT count(*), max(k) FROM rows", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .unwrap();
            assert_eq!((n, k), (ROWS, 7), "round {round}");
            for (i, id) in ids.iter().enumerate() {
                assert_eq!(
                    &v.get_attachment(id).unwrap()[..],
                    &attachment_content(i)[..],
                    "round {round}: attachment {i}"
                );
            }
        }
        let temps = t
            .names()
            .into_iter()
            .filter(|n| n.contains(".tmp-"))
            .count();
        assert!(temps <= 1, "round {round}: {temps} temp files");
        writing_vault += temps;
        master = now;
    }
    eprintln!(
        "{REKEY_KILLS} kills, {rekeys} re-keys reported, the key changed in {key_changes} rounds; \
         kills before a commit that left staged files: {before_commit} \
         ({writing_vault} while writing the vault file), \
         kills between commit and the end of the attachment swap: {mid_swap}"
    );
    assert!(rekeys > 0 && key_changes > 0, "the child never re-keyed");
    // A writer open finishes the swap: only attachment files, each for the
    // vault's key.
    drop(Vault::open(&p, &unlock(), write_access()).unwrap());
    assert_eq!(
        t.names(),
        [
            "study.fieldvault",
            "study.fieldvault.attachments",
            "study.fieldvault.key",
            "study.fieldvault.lock"
        ]
    );
    let mut want: Vec<String> = ids.iter().map(|id| format!("{id}.age")).collect();
    want.sort();
    assert_eq!(dir_names(&adir), want);
    for (i, id) in ids.iter().enumerate() {
        let f = std::fs::read(adir.join(format!("{id}.age"))).unwrap();
        assert_eq!(age::decrypt(&master, &f).unwrap(), attachment_content(i));
    }
}
