//! The opt-in wiping global allocator works as a program's allocator
//! (growth, shrink, large blocks, threads) under a full vault round trip.

#[global_allocator]
static ALLOC: fieldvault_vault::WipingAllocator = fieldvault_vault::WipingAllocator;

#[test]
fn vault_round_trip_under_the_wiping_allocator() {
    let mut v: Vec<String> = Vec::new();
    for i in 0..10_000 {
        v.push(format!("row {i} {}", "x".repeat(i % 300)));
    }
    v.truncate(10);
    v.shrink_to_fit();
    assert_eq!(v[9], format!("row 9 {}", "x".repeat(9)));
    let handles: Vec<_> = (0..2)
        .map(|t| {
            std::thread::spawn(move || (0..1000).map(|i| vec![t as u8; i].len()).sum::<usize>())
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 999 * 1000 / 2);
    }

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("v.fieldvault");
    let pass = fieldvault_vault::Passphrase::new("p".into()).unwrap();
    let kdf = fieldvault_vault::KdfParams {
        memory_mib: 8,
        iterations: 1,
        parallelism: 1,
    };
    let mut vault = fieldvault_vault::Vault::create(&p, &pass, kdf).unwrap();
    vault
        .connection()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES ('hello'), (randomblob(2000000));")
        .unwrap();
    vault.commit().unwrap();
    let id = vault.put_attachment(&[7u8; 500_000]).unwrap();
    drop(vault);
    let vault = fieldvault_vault::Vault::open(
        &p,
        &fieldvault_vault::Unlock::Passphrase(pass),
        fieldvault_vault::Access::Read,
    )
    .unwrap();
    let s: String = vault
        .connection()
        .query_row("SELECT x FROM t WHERE rowid = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(s, "hello");
    assert_eq!(vault.get_attachment(&id).unwrap().len(), 500_000);
}
