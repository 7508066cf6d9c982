//! Creates a small vault for manual inspection and for checking the
//! recovery steps of docs/format.md with the `age` and `argon2` tools:
//!
//!     cargo run -p fieldvault-vault --example make_vault -- OUT PASSPHRASE [RECIPIENT]
//!
//! Uses tiny Argon2 parameters (8 MiB, 1 pass): for demonstration only.

use std::path::Path;
use std::process::ExitCode;

use fieldvault_vault::{KdfParams, Passphrase, Vault};

fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: make_vault OUT PASSPHRASE [AGE_RECIPIENT]");
        return Ok(ExitCode::from(2));
    }
    let kdf = KdfParams {
        memory_mib: 8,
        iterations: 1,
        parallelism: 1,
    };
    let pass = Passphrase::new(args[2].clone())?;
    let mut v = Vault::create(Path::new(&args[1]), &pass, kdf)?;
    v.connection().execute_batch(
        "CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT);
         INSERT INTO note(body) VALUES ('hello field');",
    )?;
    v.commit()?;
    if let Some(r) = args.get(3) {
        v.add_recipient(r, "teammate")?;
    }
    Ok(ExitCode::SUCCESS)
}
