//! Concurrency: writers serialize on the lock file; no update is lost.

use std::path::Path;
use std::time::Duration;

use fieldvault_vault::{Access, Vault};

use crate::util::*;

const N: i64 = 25;

fn increment(path: &Path) {
    let mut v = Vault::open(
        path,
        &unlock(),
        Access::Write {
            wait: Some(Duration::from_secs(120)),
        },
    )
    .unwrap();
    let c: i64 = v
        .connection()
        .query_row("SELECT c FROM counter", [], |r| r.get(0))
        .unwrap();
    // Widen the race window: a lost update would show.
    std::thread::sleep(Duration::from_millis(2));
    v.connection()
        .execute("UPDATE counter SET c = ?1", [c + 1])
        .unwrap();
    v.commit().unwrap();
}

fn new_counter_vault(p: &Path) {
    let mut v = Vault::create(p, &pass(), TINY).unwrap();
    v.connection()
        .execute_batch("CREATE TABLE counter(c INTEGER); INSERT INTO counter VALUES (0);")
        .unwrap();
    v.commit().unwrap();
}

fn count(p: &Path) -> i64 {
    Vault::open(p, &unlock(), Access::Read)
        .unwrap()
        .connection()
        .query_row("SELECT c FROM counter", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn two_processes_lose_nothing() {
    let t = TestDir::new();
    let p = t.vault_path();
    new_counter_vault(&p);
    let children: Vec<_> = (0..2)
        .map(|_| {
            child_process()
                .arg("count")
                .arg(&p)
                .arg(N.to_string())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    assert_eq!(count(&p), 2 * N);
}

#[test]
fn two_threads_lose_nothing() {
    let t = TestDir::new();
    let p = t.vault_path();
    new_counter_vault(&p);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..N {
                    increment(&p);
                }
            });
        }
    });
    assert_eq!(count(&p), 2 * N);
}
