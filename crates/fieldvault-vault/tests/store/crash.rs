//! Crash safety: a child process commits changing content in a loop and
//! is SIGKILLed at random moments; each time the vault opens and holds the
//! previous or the next content, whole.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use fieldvault_vault::{Access, Vault};
use rand::Rng;

use crate::util::*;

const CHILD_ENV: &str = "FIELDVAULT_TEST_CRASH_CHILD";
const ROWS: i64 = 1500;
const KILLS: usize = 60;

/// Not a test of its own: the body of the child process (does nothing
/// unless the parent set the environment variable).
#[test]
fn crash_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let path = Path::new(&path);
    let mut v = Vault::open(
        path,
        &unlock(),
        Access::Write {
            wait: Some(Duration::from_secs(20)),
        },
    )
    .unwrap();
    let mut k: i64 = v
        .connection()
        .query_row("SELECT v FROM state", [], |r| r.get(0))
        .unwrap();
    let mut out = std::io::stdout();
    loop {
        k += 1;
        let tx = v.connection_mut().transaction().unwrap();
        tx.execute("UPDATE state SET v = ?1", [k]).unwrap();
        tx.execute("DELETE FROM rows", []).unwrap();
        tx.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
             INSERT INTO rows(k, body) SELECT ?1, hex(randomblob(250)) FROM n",
            [k, ROWS],
        )
        .unwrap();
        tx.commit().unwrap();
        v.commit().unwrap();
        writeln!(out, "COMMITTED {k}").unwrap();
        out.flush().unwrap();
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

    let exe = std::env::current_exe().unwrap();
    let mut rng = rand::thread_rng();
    let mut version = 0i64;
    let (mut commits, mut with_temp, mut mid_commit) = (0, 0, 0);
    for round in 0..KILLS {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash::crash_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &p)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.gen_range(20..250)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let mut last = None;
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            // libtest may print "test ... " on the same line first.
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
    assert_eq!(t.names(), ["study.fieldvault", "study.fieldvault.lock"]);
}
