//! The shell at a real terminal (a tmux pseudo-terminal): the up arrow
//! recalls a line, Tab completes a command, `clear` and the idle lock clear
//! the screen, and unlocking again asks at the terminal even though
//! FIELDVAULT_PASSPHRASE is set.

use crate::common::*;
use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux server of its own (its own socket), killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The visible screen and the scrollback.
    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-J", "-S", "-", "-t", "fv"])
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "fv"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Types text literally (no key names), then nothing else.
    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "fv", "-l", text]);
    }

    /// Waits until the screen satisfies `ok`; panics with the screen after 20 s.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("waited for {what}; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

/// Starts `fieldvault shell` with the given idle time in a tmux session of
/// its own, and waits for its prompt; None where tmux is not installed.
fn shell_in_tmux(e: &Env, idle_minutes: &str) -> Option<Tmux> {
    // One tmux server per test: tests of one process run at the same time.
    static SERVERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = SERVERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("note: tmux is not installed; the terminal test of the shell is skipped");
        return None;
    }
    let tmux = Tmux {
        socket: format!("fieldvault-test-{}-{n}", std::process::id()),
    };
    let bin = assert_cmd::cargo::cargo_bin("fieldvault");
    let vault = e.vault();
    let tmp = e.path("tmp");
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "fv",
        "-x",
        "160",
        "-y",
        "40",
        "-c",
        e.dir.path().to_str().unwrap(),
        "-e",
        &format!("FIELDVAULT_PASSPHRASE={PASS}"),
        "-e",
        &format!("TMPDIR={}", tmp.display()),
        "-e",
        "TERM=xterm-256color",
        bin.to_str().unwrap(),
        "--vault",
        vault.to_str().unwrap(),
        "shell",
        "--idle-minutes",
        idle_minutes,
    ]);
    tmux.wait_for("the prompt", |s| s.contains("fieldvault> "));
    Some(tmux)
}

#[test]
fn shell_at_a_terminal_recalls_completes_clears_and_asks_again_after_the_idle_lock() {
    let e = Env::new();
    let Some(tmux) = shell_in_tmux(&e, "0.08") else {
        return;
    };

    tmux.type_text("person add --name \"Дина Ким\" --descriptor trainer");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the first person", |s| s.contains("Added person 1"));

    // Tab completes "person li" to "person list ".
    tmux.type_text("person li");
    tmux.keys(&["Tab"]);
    tmux.wait_for("the completed command", |s| {
        s.lines().any(|l| l.trim_end() == "fieldvault> person list")
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("the listing", |s| {
        s.contains("Respondent 1") && s.contains("trainer")
    });

    // Up, Up recalls `person add`; running it again adds a second person.
    tmux.keys(&["Up"]);
    tmux.wait_for("the last line recalled", |s| {
        s.lines()
            .filter(|l| l.trim_end() == "fieldvault> person list")
            .count()
            >= 2
    });
    tmux.keys(&["Up"]);
    tmux.wait_for("the first line recalled", |s| {
        s.lines()
            .filter(|l| l.contains("fieldvault> person add --name \"Дина Ким\""))
            .count()
            >= 2
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("the second person", |s| s.contains("Added person 2"));

    // `clear` empties the screen and the scrollback.
    tmux.type_text("clear");
    tmux.keys(&["Enter"]);
    tmux.wait_for("a cleared screen", |s| !s.contains("Added person"));

    // A real name on screen is cleared away by the idle lock.
    tmux.type_text("person show 1");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the person", |s| s.contains("Дина Ким"));
    let locked = tmux.wait_for("the idle lock", |s| s.contains("Locked after"));
    assert!(
        !locked.contains("Дина Ким"),
        "the name stayed on screen:\n{locked}"
    );

    // Unlocking again asks at the terminal although FIELDVAULT_PASSPHRASE is set.
    tmux.type_text("person list");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the passphrase prompt", |s| s.contains("Passphrase for"));
    tmux.type_text("wrong passphrase, typed by someone else");
    tmux.keys(&["Enter"]);
    let refused = tmux.wait_for("the refusal", |s| s.contains("error:"));
    assert!(!refused.contains("Respondent 2"), "{refused}");
    tmux.type_text("person list");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the second prompt", |s| {
        s.matches("Passphrase for").count() >= 2
    });
    tmux.type_text(PASS);
    tmux.keys(&["Enter"]);
    tmux.wait_for("the listing after unlocking", |s| {
        s.contains("Respondent 2")
    });
    tmux.type_text("exit");
    tmux.keys(&["Enter"]);
}

/// A line half typed when the idle lock fires may hold a name: the lock
/// clears it from the screen, it is not drawn again, and nothing of it runs.
#[test]
fn a_line_half_typed_at_the_idle_lock_is_cleared_and_never_runs() {
    let e = Env::new();
    let Some(tmux) = shell_in_tmux(&e, "0.05") else {
        return;
    };
    tmux.type_text("person add --name \"Айгерим Халфтайпова\"");
    tmux.wait_for("the half-typed line", |s| s.contains("Халфтайпова"));
    let locked = tmux.wait_for("the idle lock", |s| s.contains("Locked after"));
    assert!(
        !locked.contains("Халфтайпова"),
        "the line stayed on screen:\n{locked}"
    );
    // The first key clears the old line; it is not drawn back.
    tmux.type_text("x");
    std::thread::sleep(Duration::from_millis(400));
    let after = tmux.screen();
    assert!(
        !after.contains("Халфтайпова"),
        "the line came back:\n{after}"
    );
    // Enter on the now empty line runs nothing; a command asks again.
    tmux.type_text("person list");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the passphrase prompt", |s| s.contains("Passphrase for"));
    tmux.type_text(PASS);
    tmux.keys(&["Enter"]);
    let listed = tmux.wait_for("the listing", |s| s.contains("PSEUDONYM"));
    assert!(
        !listed.contains("Respondent 1"),
        "the half-typed line ran:\n{listed}"
    );
    tmux.type_text("exit");
    tmux.keys(&["Enter"]);
}
