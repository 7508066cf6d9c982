//! Help that explains: every option and argument of every command has a
//! description, every command an example, and `fieldvault` alone lists the
//! commands. The walk goes over clap's command tree, so an argument added
//! later without a description fails here.

use crate::common::*;
use clap::CommandFactory;
use fieldvault::cli::args::Cli;

/// Every command of the tree with its full name (`person add`).
fn commands(c: &clap::Command, prefix: &str, out: &mut Vec<(String, clap::Command)>) {
    for s in c.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("{prefix}{}", s.get_name());
        out.push((name.clone(), s.clone()));
        commands(s, &format!("{name} "), out);
    }
}

#[test]
fn every_option_and_argument_has_a_description_and_every_command_an_example() {
    let mut tree = Cli::command();
    tree.build();
    let mut all = Vec::new();
    commands(&tree, "", &mut all);
    assert!(all.len() > 40, "the walk found only {} commands", all.len());
    let mut missing = Vec::new();
    for (name, cmd) in std::iter::once((String::new(), tree.clone())).chain(all) {
        if cmd.get_about().is_none() {
            missing.push(format!("`{name}` has no description"));
        }
        if !cmd.has_subcommands()
            && !cmd
                .get_after_help()
                .is_some_and(|h| h.to_string().contains("fieldvault "))
        {
            missing.push(format!("`{name}` has no example (after_help)"));
        }
        for a in cmd.get_arguments() {
            let id = a.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            if a.get_help().is_none() && a.get_long_help().is_none() {
                missing.push(format!("`{name}`: {id} has no description"));
            }
            for v in a.get_possible_values() {
                if a.get_action().takes_values() && v.get_help().is_none() && !v.is_hide_set() {
                    // A value list the option's own text already explains is fine.
                    let own = a.get_help().map(|h| h.to_string()).unwrap_or_default();
                    if !own.contains(v.get_name()) && !matches!(id, "format" | "kind") {
                        missing.push(format!(
                            "`{name}`: value {} of {id} is not explained",
                            v.get_name()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "help is missing:\n{}",
        missing.join("\n")
    );
}

#[test]
fn help_pages_print_defaults_once_and_list_what_values_mean() {
    let e = Env::empty();
    let import = e.ok(&["transcript", "import", "--help"]);
    assert_eq!(import.matches("[default: en]").count(), 1, "{import}");
    let set = e.ok(&["config", "set", "--help"]);
    for key in ["pseudonym.prefix", "shell.idle-minutes", "export.k"] {
        assert!(set.contains(key), "{key} missing in:\n{set}");
    }
    let consent = e.ok(&["consent", "record", "--help"]);
    for meaning in [
        "signed paper form",
        "never quoted",
        "no pseudonym, no descriptor",
    ] {
        assert!(
            consent.contains(meaning),
            "{meaning} missing in:\n{consent}"
        );
    }
    let key = e.ok(&["key", "add", "--help"]);
    assert!(!key.contains("[default: ]"), "{key}");
}

#[test]
fn fieldvault_alone_lists_the_commands_as_a_usage_error() {
    let e = Env::empty();
    // With options but no command: a one-line usage error, also exit 2.
    let out = e.cmd().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // `fieldvault person`: that noun's verbs.
    let noun = e.cmd().arg("person").output().unwrap();
    assert_eq!(noun.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&noun.stderr);
    for verb in ["add", "list", "show", "edit", "purge"] {
        assert!(
            stderr.contains(&format!("  {verb}")),
            "{verb} missing in:\n{stderr}"
        );
    }
    let bare = std::process::Command::new(assert_cmd::cargo::cargo_bin("fieldvault"))
        .current_dir(e.dir.path())
        .output()
        .unwrap();
    assert_eq!(bare.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bare.stderr);
    for c in ["init", "person", "transcript", "export", "shell", "demo"] {
        assert!(
            stderr.contains(&format!("  {c}")),
            "{c} missing in:\n{stderr}"
        );
    }
}
