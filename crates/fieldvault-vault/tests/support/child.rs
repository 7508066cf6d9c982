//! The child processes of the store's crash and concurrency tests
//! (`tests/store/crash.rs`, `tests/store/concurrency.rs`), as a binary of
//! their own so that the test binary holds only tests. The tests find it
//! through `CARGO_BIN_EXE_fieldvault-vault-test-child`; nothing else uses it.
//!
//!     fieldvault-vault-test-child commit-loop VAULT ROWS   commit new content until killed
//!     fieldvault-vault-test-child rekey-loop VAULT         re-key until killed
//!     fieldvault-vault-test-child count VAULT N            add 1 to the counter, N times
//!
//! The passphrase comes from `FIELDVAULT_TEST_PASSPHRASE`. Progress lines
//! (`READY`, `COMMITTED k`, `REKEYED n`) go to stdout, flushed at once, so
//! that the parent knows what the kill interrupted.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use fieldvault_vault::{Access, Passphrase, Unlock, Vault};

fn passphrase() -> Passphrase {
    let p = std::env::var("FIELDVAULT_TEST_PASSPHRASE").expect("FIELDVAULT_TEST_PASSPHRASE");
    Passphrase::new(p).expect("passphrase")
}

fn open(path: &Path, wait: Duration) -> Vault {
    Vault::open(
        path,
        &Unlock::Passphrase(passphrase()),
        Access::Write { wait: Some(wait) },
    )
    .expect("open the vault for writing")
}

fn say(line: &str) {
    let mut out = std::io::stdout();
    writeln!(out, "{line}").expect("stdout");
    out.flush().expect("stdout");
}

/// Replaces the content (a version number and ROWS rows of random text)
/// with the next version, commit after commit.
fn commit_loop(path: &Path, rows: i64) {
    let mut v = open(path, Duration::from_secs(20));
    say("READY");
    let mut k: i64 = v
        .connection()
        .query_row("SELECT v FROM state", [], |r| r.get(0))
        .expect("read the version");
    loop {
        k += 1;
        let tx = v.connection_mut().transaction().expect("begin");
        tx.execute("UPDATE state SET v = ?1", [k]).expect("update");
        tx.execute("DELETE FROM rows", []).expect("delete");
        tx.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
             INSERT INTO rows(k, body) SELECT ?1, hex(randomblob(250)) FROM n",
            [k, rows],
        )
        .expect("insert");
        tx.commit().expect("commit the transaction");
        v.commit().expect("commit the vault");
        say(&format!("COMMITTED {k}"));
    }
}

fn rekey_loop(path: &Path) {
    let mut v = open(path, Duration::from_secs(20));
    say("READY");
    let pass = passphrase();
    for n in 1.. {
        v.rekey(Some(&pass)).expect("rekey");
        say(&format!("REKEYED {n}"));
    }
}

/// Opens, reads the counter, waits a little (a lost update would show),
/// writes it back plus one and commits; `times` times.
fn count(path: &Path, times: u32) {
    for _ in 0..times {
        let mut v = open(path, Duration::from_secs(120));
        let c: i64 = v
            .connection()
            .query_row("SELECT c FROM counter", [], |r| r.get(0))
            .expect("read the counter");
        std::thread::sleep(Duration::from_millis(2));
        v.connection()
            .execute("UPDATE counter SET c = ?1", [c + 1])
            .expect("update");
        v.commit().expect("commit the vault");
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["commit-loop", path, rows] => commit_loop(Path::new(path), rows.parse().expect("ROWS")),
        ["rekey-loop", path] => rekey_loop(Path::new(path)),
        ["count", path, n] => count(Path::new(path), n.parse().expect("N")),
        _ => {
            eprintln!("usage: fieldvault-vault-test-child (commit-loop VAULT ROWS | rekey-loop VAULT | count VAULT N)");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
