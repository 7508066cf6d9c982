//! docs/ is the one place for the user-facing documents (the README and
//! SECURITY.md link there): no copy of one of them lives anywhere else, so
//! nothing can drift, and every place that points at a document points at
//! a file that exists.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` whose name ends in one of `exts`, skipping build
/// output and version control.
fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                files(&path, exts, out);
            }
        } else if exts.iter().any(|e| name.ends_with(e)) {
            out.push(path);
        }
    }
}

fn docs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    files(&root().join("docs"), &[".md"], &mut out);
    assert!(!out.is_empty(), "docs/ holds no document");
    out
}

#[test]
fn no_document_of_docs_has_a_copy_elsewhere() {
    let docs = docs();
    let mut markdown = Vec::new();
    files(root(), &[".md"], &mut markdown);
    for other in markdown.iter().filter(|m| !docs.contains(m)) {
        let other_name = other.file_name().unwrap().to_string_lossy().to_lowercase();
        let other_text = std::fs::read(other).unwrap();
        for doc in &docs {
            let shown = other.strip_prefix(root()).unwrap().display();
            assert!(
                other_name != doc.file_name().unwrap().to_string_lossy().to_lowercase(),
                "{shown} looks like a second copy of docs/{}: keep the one in docs/ and point at it",
                doc.file_name().unwrap().to_string_lossy()
            );
            assert!(
                other_text != std::fs::read(doc).unwrap(),
                "{shown} is a copy of {}: keep the one in docs/ and point at it",
                doc.strip_prefix(root()).unwrap().display()
            );
        }
    }
}

/// The paths into docs/ of Markdown files named in `text`.
fn docs_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("docs/") {
        let tail = &rest[at..];
        let len = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.')))
            .unwrap_or(tail.len());
        let path = tail[..len].trim_end_matches('.');
        if path.ends_with(".md") {
            out.push(path.to_string());
        }
        rest = &tail[len.max(5)..];
    }
    out
}

#[test]
fn docs_paths_named_in_code_and_documents_exist() {
    let mut named = Vec::new();
    files(root(), &[".rs", ".md", ".toml"], &mut named);
    let mut seen = 0;
    for file in named {
        let text = std::fs::read_to_string(&file).unwrap();
        for path in docs_paths(&text) {
            seen += 1;
            assert!(
                root().join(&path).is_file(),
                "{} names {path}, which does not exist",
                file.strip_prefix(root()).unwrap().display()
            );
        }
    }
    // The vault crate alone cites docs/format.md and docs/crypto.md many times.
    assert!(
        seen > 10,
        "only {seen} docs/ paths found: is the scan broken?"
    );
}

#[test]
fn relative_links_between_documents_resolve() {
    let mut markdown = Vec::new();
    files(root(), &[".md"], &mut markdown);
    for file in markdown {
        let text = std::fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices("](") {
            let target = text[at + 2..].split(')').next().unwrap_or("");
            let target = target.split('#').next().unwrap_or("");
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let resolved = file.parent().unwrap().join(target);
            assert!(
                resolved.exists(),
                "{} links to {target}, which does not exist",
                file.strip_prefix(root()).unwrap().display()
            );
        }
    }
}

#[test]
fn docs_paths_are_found_in_text() {
    assert_eq!(
        docs_paths("see docs/format.md. And (docs/crypto.md), docs/ alone, docs/x.rs"),
        vec!["docs/format.md", "docs/crypto.md"]
    );
}
