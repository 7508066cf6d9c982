//! Unlocking: where the passphrase comes from, and the open vault a command
//! (or a whole shell sitting) works on.

use anyhow::{anyhow, bail, Context, Result};
use fieldvault_vault::{Access, IdentityFile, KdfParams, Passphrase, Unlock, Vault};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::args::Global;
use crate::commit::{in_transaction, CommitError, OpenRecords, OpenVault};
use crate::records;

pub const DEFAULT_VAULT: &str = "fieldvault.vault";
pub const ENV_VAULT: &str = "FIELDVAULT_VAULT";
pub const ENV_PASSPHRASE: &str = "FIELDVAULT_PASSPHRASE";
pub const ENV_NEW_PASSPHRASE: &str = "FIELDVAULT_NEW_PASSPHRASE";

/// The vault path: --vault, else $FIELDVAULT_VAULT, else ./fieldvault.vault.
pub fn vault_path(g: &Global) -> PathBuf {
    g.vault
        .clone()
        .or_else(|| {
            std::env::var_os(ENV_VAULT)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(|| PathBuf::from(DEFAULT_VAULT))
}

/// The first line of a passphrase file (a trailing newline is not part of it).
fn read_secret_file(path: &Path) -> Result<Passphrase> {
    Ok(Passphrase::new(read_secret_line(path)?.to_string())?)
}

fn read_secret_line(path: &Path) -> Result<zeroize::Zeroizing<String>> {
    let bytes = zeroize::Zeroizing::new(
        std::fs::read(path)
            .with_context(|| format!("cannot read the passphrase file {}", path.display()))?,
    );
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| anyhow!("the passphrase file {} is not UTF-8 text", path.display()))?;
    let line = text.split(['\n', '\r']).next().unwrap_or("");
    Ok(zeroize::Zeroizing::new(line.to_string()))
}

fn prompt(label: &str) -> Result<zeroize::Zeroizing<String>> {
    rpassword::prompt_password(label).map(zeroize::Zeroizing::new).map_err(|_| {
        anyhow!("no passphrase given: run this in a terminal, or set {ENV_PASSPHRASE}, or use --passphrase-file")
    })
}

/// The passphrase of an existing vault.
pub fn existing_passphrase(g: &Global, path: &Path) -> Result<Passphrase> {
    if let Some(f) = &g.passphrase_file {
        return read_secret_file(f);
    }
    if let Ok(p) = std::env::var(ENV_PASSPHRASE) {
        return Ok(Passphrase::new(p)?);
    }
    let p = prompt(&format!("Passphrase for {}: ", path.display()))?;
    Ok(Passphrase::new(p.to_string())?)
}

/// A new passphrase: from the file or variable given, else asked twice.
/// Refused when too easy to guess, unless `weak_ok` (`--weak-passphrase`).
pub fn new_passphrase(
    file: Option<&Path>,
    env: &str,
    what: &str,
    weak_ok: bool,
) -> Result<Passphrase> {
    if let Some(f) = file {
        let line = read_secret_line(f)?;
        super::strength::check(&line, weak_ok)?;
        return Ok(Passphrase::new(line.to_string())?);
    }
    if let Ok(p) = std::env::var(env) {
        super::strength::check(&p, weak_ok)?;
        return Ok(Passphrase::new(p)?);
    }
    if !std::io::stdin().is_terminal() && std::fs::metadata("/dev/tty").is_err() {
        bail!("no {what} given: run this in a terminal, or set {env}, or use a passphrase file");
    }
    let a = prompt(&format!("New {what}: "))?;
    let b = prompt(&format!("Repeat the {what}: "))?;
    if *a != *b {
        bail!("the two passphrases differ; nothing was changed");
    }
    super::strength::check(&a, weak_ok)?;
    Ok(Passphrase::new(a.to_string())?)
}

/// The passphrase typed at the terminal, whatever $FIELDVAULT_PASSPHRASE or
/// --passphrase-file say: the shell's idle lock asks whoever sits at the
/// keyboard now, not the script that started the sitting.
pub fn terminal_passphrase(path: &Path) -> Result<Passphrase> {
    let p = prompt(&format!("Passphrase for {}: ", path.display()))?;
    Ok(Passphrase::new(p.to_string())?)
}

/// How to unlock: a teammate's identity file, or the passphrase.
pub fn unlock(g: &Global, path: &Path) -> Result<Unlock> {
    match &g.identity {
        Some(f) => Ok(Unlock::Identity(IdentityFile::read(f)?)),
        None => Ok(Unlock::Passphrase(existing_passphrase(g, path)?)),
    }
}

/// An open vault with its records migrated to the current schema.
pub struct Session {
    pub vault: Vault,
    pub unlock: Unlock,
    pub writable: bool,
}

impl Session {
    pub fn open(g: &Global, write: bool) -> Result<Session> {
        let path = vault_path(g);
        if !path.exists() {
            bail!(
                "no vault at {} (create one with `fieldvault init`, or give --vault)",
                path.display()
            );
        }
        let unlock = unlock(g, &path)?;
        Session::open_with(g, write, unlock)
    }

    /// [`Session::open`] with the unlock already in hand (the shell's idle
    /// lock asks for it at the terminal).
    pub fn open_with(g: &Global, write: bool, unlock: Unlock) -> Result<Session> {
        let path = vault_path(g);
        let settings = fieldvault_vault::OpenSettings {
            trust_kdf_params: g.trust_kdf_params,
        };
        let vault = if write {
            // Try at once; if another process holds the vault, say so and wait.
            match Vault::open_with(&path, &unlock, Access::Write { wait: None }, settings) {
                Err(fieldvault_vault::VaultError::InUse) if g.wait > 0 => {
                    eprintln!("Another fieldvault process has this vault open; waiting up to {} s (--wait)...", g.wait);
                    Vault::open_with(
                        &path,
                        &unlock,
                        Access::Write {
                            wait: Some(Duration::from_secs(g.wait)),
                        },
                        settings,
                    )?
                }
                other => other?,
            }
        } else {
            Vault::open_with(&path, &unlock, Access::Read, settings)?
        };
        records::schema::migrate(vault.connection())?;
        let mut session = Session {
            vault,
            unlock,
            writable: write,
        };
        if write {
            // An export killed half-way left a plaintext temporary file.
            let removed = crate::publish::output::sweep_interrupted(&mut session)?;
            if removed > 0 {
                eprintln!("note: removed {removed} unfinished export file(s) that an interrupted export left behind (recorded in the audit log)");
            }
        }
        Ok(session)
    }

    /// Creates a new vault at `path` with the current schema, `settings`
    /// applied and the "init" audit entry, committed; on any failure nothing
    /// is left behind (a half-made vault would make the next `init` refuse).
    pub fn create(
        path: &Path,
        pass: Passphrase,
        params: KdfParams,
        settings: &[(&str, &str)],
    ) -> Result<Session> {
        let vault = Vault::create(path, &pass, params)?;
        let mut s = Session {
            vault,
            unlock: Unlock::Passphrase(pass),
            writable: true,
        };
        let filled = s.write(|_, tx| {
            records::schema::migrate(tx)?;
            for (key, value) in settings {
                records::settings::set(tx, key, value)?;
            }
            records::audit::append(
                tx,
                "init",
                serde_json::json!({ "kdf_memory_mib": params.memory_mib, "kdf_iterations": params.iterations }),
            )?;
            Ok(())
        });
        if let Err(e) = filled {
            drop(s);
            let _ = std::fs::remove_file(path);
            let _ = std::fs::remove_file(fieldvault_vault::lock_path(path));
            let _ = std::fs::remove_file(fieldvault_vault::key_file_path(path));
            return Err(e).context("the new vault could not be written; nothing was left behind");
        }
        Ok(s)
    }

    /// Runs `f` in one SQL transaction and commits the vault file: either
    /// the whole change reaches disk or none of it does.
    pub fn write<T>(
        &mut self,
        f: impl FnOnce(&Vault, &rusqlite::Connection) -> Result<T>,
    ) -> Result<T> {
        if !self.writable {
            return Err(CommitError::ReadOnly.into());
        }
        let vault = &self.vault;
        let out = in_transaction(vault.connection(), |tx| f(vault, tx))?;
        self.vault
            .commit()
            .map_err(|e| CommitError::NotSaved(e.to_string()))?;
        Ok(out)
    }

    pub fn conn(&self) -> &rusqlite::Connection {
        self.vault.connection()
    }

    /// The passphrase the session was unlocked with, if any.
    pub fn passphrase(&self) -> Option<&Passphrase> {
        match &self.unlock {
            Unlock::Passphrase(p) => Some(p),
            _ => None,
        }
    }
}

impl OpenRecords for Session {
    fn conn(&self) -> &rusqlite::Connection {
        self.vault.connection()
    }

    fn commit<T, E>(
        &mut self,
        change: impl FnOnce(&rusqlite::Connection) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<CommitError>,
    {
        if !self.writable {
            return Err(CommitError::ReadOnly.into());
        }
        let out = in_transaction(self.vault.connection(), change)?;
        self.vault
            .commit()
            .map_err(|e| CommitError::NotSaved(e.to_string()))?;
        Ok(out)
    }
}

impl OpenVault for Session {
    fn vault(&self) -> &Vault {
        &self.vault
    }

    fn vault_mut(&mut self) -> &mut Vault {
        &mut self.vault
    }
}
