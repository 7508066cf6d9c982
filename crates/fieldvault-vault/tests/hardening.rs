//! Process hardening, in a process of its own (SQLite's allocator can only
//! be replaced before the first connection is opened).

#[test]
fn harden_process_disables_core_dumps_and_wipes_sqlite_memory() {
    fieldvault_vault::harden_process();
    assert!(
        fieldvault_vault::sqlite_wipes_freed_memory(),
        "SQLite's wiping allocator was not installed"
    );
    let protection = fieldvault_vault::process_protection();
    assert!(protection.crash_dumps_disabled, "{protection:?}");
    assert!(protection.sqlite_wipes_freed_memory, "{protection:?}");
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    assert!(protection.debugger_attach_blocked, "{protection:?}");
    #[cfg(target_os = "linux")]
    linux_limits_read_back();
    vault_round_trip();
}

/// The kernel's own view, independent of `process_protection`.
#[cfg(target_os = "linux")]
fn linux_limits_read_back() {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    let fields: Vec<&str> = core.split_whitespace().collect();
    assert_eq!(&fields[4..6], ["0", "0"], "{core}");
    #[allow(unsafe_code)]
    // SAFETY: plain prctl query.
    let dumpable = unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) };
    assert_eq!(dumpable, 0);
}

fn vault_round_trip() {
    // SQLite still works with the wiping allocator, including a growing
    // in-memory database (realloc path) and a vault round trip.
    let c = rusqlite::Connection::open_in_memory().unwrap();
    c.execute_batch(
        "CREATE TABLE t(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 20000)
         INSERT INTO t SELECT randomblob(100) FROM n;",
    )
    .unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 20000);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("v.fieldvault");
    let pass = fieldvault_vault::Passphrase::new("p".into()).unwrap();
    let kdf = fieldvault_vault::KdfParams {
        memory_mib: 8,
        iterations: 1,
        parallelism: 1,
    };
    let mut v = fieldvault_vault::Vault::create(&p, &pass, kdf).unwrap();
    v.connection()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (randomblob(3000000));")
        .unwrap();
    v.commit().unwrap();
    drop(v);
    let v = fieldvault_vault::Vault::open(
        &p,
        &fieldvault_vault::Unlock::Passphrase(pass),
        fieldvault_vault::Access::Read,
    )
    .unwrap();
    v.integrity_check().unwrap();
}
