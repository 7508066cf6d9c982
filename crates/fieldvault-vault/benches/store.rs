//! Sealed-store benchmark: `cargo bench -p fieldvault-vault`.
//!
//! - unlock time at the default Argon2id parameters (derive only, and a
//!   full open of a small vault);
//! - open and commit time for vaults holding 1, 10 and 100 MB of text,
//!   excluding key derivation (the vault uses tiny KDF parameters, and
//!   "reload" re-reads the file with the already unwrapped key);
//! - rekey (change of the vault key) time for the same vaults, and for a
//!   small vault with 100 MB of attachments;
//! - destroy time of the 100 MB vault.
//!
//! Plain `std::time`, median of a few runs, printed as a table.
//! Set FIELDVAULT_BENCH_QUICK=1 to skip the 100 MB case.

use std::path::Path;
use std::time::{Duration, Instant};

use fieldvault_vault::{destroy, Access, KdfParams, Passphrase, Unlock, Vault};

const TINY: KdfParams = KdfParams {
    memory_mib: 8,
    iterations: 1,
    parallelism: 1,
};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let s = Instant::now();
                std::hint::black_box(f());
                s.elapsed()
            })
            .collect(),
    )
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Deterministic pseudo-random interview-like text (Latin and Cyrillic).
fn fill_text(v: &mut Vault, bytes: usize) {
    const WORDS: &[&str] = &[
        "interview",
        "respondent",
        "activist",
        "organisation",
        "consent",
        "village",
        "protest",
        "говорит",
        "мы",
        "решили",
        "что",
        "после",
        "выборов",
        "Алматы",
        "активисты",
        "собрание",
        "журналист",
        "перемены",
        "надежда",
        "и",
        "the",
        "of",
        "said",
        "police",
        "meeting",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let tx = v.connection_mut().transaction().unwrap();
    tx.execute_batch("CREATE TABLE turn(id INTEGER PRIMARY KEY, speaker TEXT, body TEXT)")
        .unwrap();
    {
        let mut stmt = tx
            .prepare("INSERT INTO turn(speaker, body) VALUES (?1, ?2)")
            .unwrap();
        let mut written = 0;
        let mut line = String::with_capacity(1200);
        while written < bytes {
            line.clear();
            while line.len() < 1000 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                line.push_str(WORDS[(state % WORDS.len() as u64) as usize]);
                line.push(' ');
            }
            written += line.len();
            stmt.execute(["Respondent 7", line.as_str()]).unwrap();
        }
    }
    tx.commit().unwrap();
}

fn file_mb(p: &Path) -> f64 {
    std::fs::metadata(p).unwrap().len() as f64 / 1e6
}

fn main() {
    // `cargo bench` passes `--bench`; ignore arguments.
    let quick = std::env::var_os("FIELDVAULT_BENCH_QUICK").is_some();
    let dir = tempfile::Builder::new()
        .prefix("fv-bench-")
        .tempdir()
        .unwrap();
    let pass = Passphrase::new("correct horse battery staple".into()).unwrap();
    let unlock =
        Unlock::Passphrase(Passphrase::new("correct horse battery staple".into()).unwrap());

    println!("fieldvault-vault store benchmark (median of runs)");
    println!();
    let d = KdfParams::default();
    println!(
        "Unlock at the default KDF: Argon2id {} MiB, t={}, p={}",
        d.memory_mib, d.iterations, d.parallelism
    );
    let derive = median((0..3).map(|_| d.measure().unwrap()).collect());
    let small = dir.path().join("small.fieldvault");
    let create = time(1, || Vault::create(&small, &pass, d).unwrap());
    let open = time(3, || Vault::open(&small, &unlock, Access::Read).unwrap());
    println!("| operation                                  | time       |");
    println!("|--------------------------------------------|------------|");
    println!(
        "| key derivation only (KdfParams::measure)   | {:>10} |",
        ms(derive)
    );
    println!(
        "| create small vault (derive + write)        | {:>10} |",
        ms(create)
    );
    println!(
        "| full open of a small vault (derive incl.)  | {:>10} |",
        ms(open)
    );
    let v = Vault::open(&small, &unlock, Access::Read).unwrap();
    let mut v = v;
    let reload = time(5, || v.reload().unwrap());
    println!(
        "| open without derive (reload)               | {:>10} |",
        ms(reload)
    );
    drop(v);
    for (m, t) in [(512u32, 3u32), (256, 4)] {
        let p = dir.path().join(format!("kdf-{m}-{t}.fieldvault"));
        let k = KdfParams {
            memory_mib: m,
            iterations: t,
            parallelism: 1,
        };
        drop(Vault::create(&p, &pass, k).unwrap());
        let o = time(1, || Vault::open(&p, &unlock, Access::Read).unwrap());
        println!(
            "| (for comparison) open at {m} MiB, t={t}       | {:>10} |",
            ms(o)
        );
    }

    println!();
    println!("Open and commit by vault size (tiny KDF: derivation excluded)");
    println!(
        "| text   | file     | commit     | reload     | full open  | backup     | rekey      | destroy    |"
    );
    println!(
        "|--------|----------|------------|------------|------------|------------|------------|------------|"
    );
    let sizes: &[usize] = if quick { &[1, 10] } else { &[1, 10, 100] };
    for &mb in sizes {
        let p = dir.path().join(format!("v{mb}.fieldvault"));
        let mut v = Vault::create(&p, &pass, TINY).unwrap();
        fill_text(&mut v, mb * 1_000_000);
        v.commit().unwrap();
        let mut i = 0;
        let commit = time(3, || {
            i += 1;
            v.connection()
                .execute("UPDATE turn SET speaker = ?1 WHERE id = 1", [i.to_string()])
                .unwrap();
            v.commit().unwrap()
        });
        let rekey = time(3, || v.rekey(Some(&pass)).unwrap());
        drop(v);
        let full = time(3, || Vault::open(&p, &unlock, Access::Read).unwrap());
        let mut r = Vault::open(&p, &unlock, Access::Read).unwrap();
        let reload = time(3, || r.reload().unwrap());
        let mut n = 0;
        let backup = time(1, || {
            n += 1;
            let out = dir.path().join(format!("b{mb}-{n}.age"));
            r.backup(
                &out,
                fieldvault_vault::BackupTo::Recipients(vec![age::x25519::Identity::generate()
                    .to_public()
                    .to_string()]),
            )
            .unwrap();
        });
        drop(r);
        let size = file_mb(&p);
        let destroy_t = time(1, || destroy(&p).unwrap());
        println!(
            "| {:>3} MB | {:>5.1} MB | {:>10} | {:>10} | {:>10} | {:>10} | {:>10} | {:>10} |",
            mb,
            size,
            ms(commit),
            ms(reload),
            ms(full),
            ms(backup),
            ms(rekey),
            ms(destroy_t)
        );
    }

    println!();
    let (count, each) = if quick { (10, 1) } else { (10, 10) };
    let p = dir.path().join("attachments.fieldvault");
    let mut v = Vault::create(&p, &pass, TINY).unwrap();
    fill_text(&mut v, 1_000_000);
    v.commit().unwrap();
    let blob: Vec<u8> = (0..each * 1_000_000).map(|i| (i % 251) as u8).collect();
    for _ in 0..count {
        v.put_attachment(&blob).unwrap();
    }
    let rekey = time(3, || v.rekey(Some(&pass)).unwrap());
    println!(
        "rekey of a 1 MB vault with {count} attachments of {each} MB ({} MB): {}",
        count * each,
        ms(rekey)
    );
    drop(v);
    println!();
    println!(
        "commit = serialize + age encrypt + SHA-256 + temp file + fsync + rename + fsync folder"
    );
    println!("reload = read + SHA-256 + MAC + age decrypt + deserialize (no key derivation)");
    println!("full open = reload + Argon2id at 8 MiB, t=1");
    println!(
        "rekey = read + verify + Argon2id at 8 MiB (one derivation; at the defaults add the \
         derive time above) + age decrypt/encrypt of the payload and every attachment + \
         fsyncs + rename + overwrite of the old attachment files"
    );
}
