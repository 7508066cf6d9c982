//! Helpers: a temp folder per test with its own vault, temp dir and inputs.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub const PASS: &str = "correct horse battery staple 7";

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    /// A fresh folder with an initialised vault (tiny Argon2 parameters).
    pub fn new() -> Env {
        let e = Env::empty();
        e.ok(&["init", "--kdf-memory-mib", "8", "--kdf-iterations", "1"]);
        e
    }

    /// A fresh folder without a vault.
    pub fn empty() -> Env {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["vault", "tmp", "in", "out"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        Env { dir }
    }

    pub fn vault(&self) -> PathBuf {
        self.path("vault/v.vault")
    }
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The binary with --vault, the passphrase variable and a private TMPDIR.
    pub fn cmd(&self) -> Command {
        self.cmd_with_vault(&self.vault())
    }

    /// [`Env::cmd`] on another vault path.
    pub fn cmd_with_vault(&self, vault: &Path) -> Command {
        let mut c = Command::cargo_bin("fieldvault").unwrap();
        c.arg("--vault")
            .arg(vault)
            .env("FIELDVAULT_PASSPHRASE", PASS)
            .env("TMPDIR", self.path("tmp"))
            .env_remove("FIELDVAULT_VAULT");
        c.current_dir(self.dir.path());
        c
    }

    /// The same as [`Env::cmd`] as a std Command, for spawning with pipes.
    pub fn std_cmd(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("fieldvault"));
        c.arg("--vault")
            .arg(self.vault())
            .env("FIELDVAULT_PASSPHRASE", PASS)
            .env("TMPDIR", self.path("tmp"))
            .env_remove("FIELDVAULT_VAULT");
        c.current_dir(self.dir.path());
        c
    }

    /// Runs `args` unlocked with a teammate's identity file instead of the
    /// passphrase (which is removed from the environment).
    pub fn with_identity(&self, identity: &Path, args: &[&str]) -> std::process::Output {
        self.cmd()
            .arg("--identity")
            .arg(identity)
            .args(args)
            .env_remove("FIELDVAULT_PASSPHRASE")
            .output()
            .unwrap()
    }

    /// Starts `fieldvault shell ARGS` with piped standard streams.
    pub fn spawn_shell(&self, args: &[&str]) -> std::process::Child {
        self.std_cmd()
            .arg("shell")
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// Drives an interactive shell through a pseudo-terminal with
    /// tests/cli/data/drive_shell_pty.py (python3's pty module) and returns
    /// everything the terminal showed; `None` without python3.
    pub fn drive_shell_on_a_terminal(&self) -> Option<String> {
        let script = self.write(
            "in/drive_shell_pty.py",
            include_str!("data/drive_shell_pty.py"),
        );
        let exe = assert_cmd::cargo::cargo_bin("fieldvault");
        let out = std::process::Command::new("python3")
            .arg(&script)
            .arg(&exe)
            .arg(self.vault())
            .arg(PASS)
            .output()
            .ok()?;
        Some(String::from_utf8_lossy(&out.stdout).to_string())
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "`{}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        let s = self.ok(&a);
        assert_eq!(s.trim().lines().count(), 1, "--json prints one line: {s}");
        serde_json::from_str(&s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
    }

    /// Runs a command that must fail; returns its stderr (checked to be one line).
    pub fn fail(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(!out.status.success(), "`{}` should fail", args.join(" "));
        let err = String::from_utf8(out.stderr).unwrap();
        let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error")).collect();
        assert_eq!(lines.len(), 1, "one error line expected, got: {err}");
        let last = err.lines().last().unwrap_or("");
        assert!(
            last.starts_with("error: "),
            "the error is the last line on stderr: {err}"
        );
        err
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        std::fs::write(&p, content).unwrap();
        p
    }

    pub fn vault_bytes(&self) -> Vec<u8> {
        std::fs::read(self.vault()).unwrap()
    }

    /// Records a written consent of 2021-05-01 with recording allowed;
    /// `archive` (when given) sets both new scopes, archive and secondary use.
    pub fn grant_consent(&self, id: &str, quotes: &str, attribution: &str, archive: Option<&str>) {
        let mut a = vec![
            "consent",
            "record",
            id,
            "--date",
            "2021-05-01",
            "--method",
            "written",
            "--recording",
            "yes",
            "--quotes",
            quotes,
            "--attribution",
            attribution,
        ];
        if let Some(x) = archive {
            a.extend(["--archive", x, "--secondary-use", x]);
        }
        self.ok(&a);
    }

    /// Adds a person; returns the id as a string.
    pub fn person(&self, args: &[&str]) -> String {
        let mut a = vec!["person", "add"];
        a.extend_from_slice(args);
        self.json(&a)["id"].to_string()
    }
}

/// Every file below `dir`, recursively.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_below(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Contents of a zip's entries joined, for DOCX and QDPX checks.
pub fn unzip_text(path: &Path) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut all = String::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        let mut s = String::new();
        use std::io::Read;
        let _ = e.read_to_string(&mut s);
        all.push_str(&s);
        all.push('\n');
    }
    all
}

pub fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/public");
    p.is_dir().then_some(p)
}

/// Validates `xml` against the schema `xsd` with xmllint: `None` when
/// xmllint or the schema is missing, else xmllint's complaint on failure.
pub fn xmllint_schema(xsd: &Path, xml: &Path) -> Option<Result<(), String>> {
    if !xsd.exists() {
        return None;
    }
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(xsd)
        .arg(xml)
        .output()
        .ok()?;
    Some(if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).to_string())
    })
}

/// Runs ../shared/eval/run_corpus.py in redact mode over `corpus` with the
/// built binary, writing into `out`; its standard output, or `None` without
/// python3.
pub fn run_corpus(corpus: &Path, out: &Path) -> Option<String> {
    let run = std::process::Command::new("python3")
        .arg(corpus.join("../run_corpus.py"))
        .arg("redact")
        .arg(corpus)
        .arg(assert_cmd::cargo::cargo_bin("fieldvault"))
        .arg(out)
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&run.stdout).to_string())
}
