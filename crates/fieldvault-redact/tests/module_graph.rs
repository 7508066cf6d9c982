//! The crate's modules form no import cycle.
//!
//! WHY a test: the redaction pipeline is meant to read as stages (types,
//! candidates, a generic trie, the lexicon, generators, overlap resolution,
//! rendering), each depending only on the ones before it. A cycle is how
//! that quietly erodes, so the graph is rebuilt from the sources on every
//! test run: each `use crate::…`, `use super::…`, `use self::…` tree and each
//! inline `crate::…`/`super::…` path is resolved to the module that defines
//! the item (following `pub use` re-exports), and the graph must be acyclic.
//! Unit-test modules (`#[cfg(test)] mod tests`) are left out: they may use
//! anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module path below the crate root (`[]` is the root itself).
type ModPath = Vec<String>;

/// One module file: its source (tests cut off) and its re-exports.
struct Module {
    source: String,
    /// name -> the path it re-exports, as written in the module.
    reexports: BTreeMap<String, Vec<String>>,
}

/// Every module file under `src`, by module path.
fn load(src: &Path) -> BTreeMap<ModPath, Module> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let rel = path.strip_prefix(src).unwrap();
            let mut parts: Vec<String> = rel
                .iter()
                .map(|p| p.to_str().unwrap().trim_end_matches(".rs").to_string())
                .collect();
            if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
                parts.pop();
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let source = without_tests(&without_comments(&text));
            let reexports = reexports(&source);
            out.insert(parts, Module { source, reexports });
        }
    }
    out
}

/// The source without `//` comments (doc comments name paths in links).
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The source up to its unit-test module.
fn without_tests(text: &str) -> String {
    let compact: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match compact.find("#[cfg(test)] mod tests") {
        Some(i) => compact[..i].to_string(),
        None => compact,
    }
}

/// The `use` statements of `source`, each as the text between `use` and `;`,
/// with whether it is a re-export (`pub use`, `pub(crate) use`, ...).
fn use_statements(source: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let bytes = source.as_bytes();
    let mut from = 0;
    while let Some(k) = source[from..].find("use ") {
        let at = from + k;
        from = at + 4;
        let boundary = at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        if !boundary {
            continue;
        }
        let Some(end) = source[from..].find(';') else {
            break;
        };
        let before = source[..at].trim_end();
        let public = ["pub", "pub(crate)", "pub(super)"]
            .iter()
            .any(|p| before.ends_with(p));
        out.push((public, source[from..from + end].trim().to_string()));
        from += end;
    }
    out
}

/// Expands a use tree (`a::{b, c::{d as e}}`) into (name bound, full path).
fn expand(tree: &str) -> Vec<(String, Vec<String>)> {
    fn go(prefix: &[String], tree: &str, out: &mut Vec<(String, Vec<String>)>) {
        let tree = tree.trim();
        if tree.is_empty() {
            return;
        }
        if let Some(open) = tree.find('{') {
            let head: Vec<String> = tree[..open]
                .split("::")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            let inner = &tree[open + 1..tree.rfind('}').unwrap()];
            let mut p = prefix.to_vec();
            p.extend(head);
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        go(&p, &inner[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            go(&p, &inner[start..], out);
            return;
        }
        let (path, alias) = match tree.split_once(" as ") {
            Some((p, a)) => (p, Some(a.trim().to_string())),
            None => (tree, None),
        };
        let mut p = prefix.to_vec();
        p.extend(path.split("::").map(|s| s.trim().to_string()));
        if p.last().is_some_and(|l| l == "self") {
            p.pop();
        }
        let name = alias.unwrap_or_else(|| p.last().cloned().unwrap_or_default());
        out.push((name, p));
    }
    let mut out = Vec::new();
    go(&[], tree, &mut out);
    out
}

fn reexports(source: &str) -> BTreeMap<String, Vec<String>> {
    use_statements(source)
        .into_iter()
        .filter(|(public, _)| *public)
        .flat_map(|(_, tree)| expand(&tree))
        .collect()
}

/// Resolves `path`, written in module `here`, to the module defining what
/// it names; `None` for paths outside the crate.
fn resolve(
    mods: &BTreeMap<ModPath, Module>,
    here: &ModPath,
    path: &[String],
    depth: usize,
) -> Option<ModPath> {
    let (mut cur, rest): (ModPath, &[String]) = match path.first().map(String::as_str) {
        Some("crate") => (Vec::new(), &path[1..]),
        Some("self") => (here.clone(), &path[1..]),
        Some("super") => {
            let mut cur = here.clone();
            let mut k = 0;
            while path.get(k).map(String::as_str) == Some("super") {
                cur.pop();
                k += 1;
            }
            (cur, &path[k..])
        }
        Some(first) => {
            // A relative path: a child module of `here`, or another crate.
            let mut child = here.clone();
            child.push(first.to_string());
            if !mods.contains_key(&child) {
                return None;
            }
            (here.clone(), path)
        }
        None => return None,
    };
    let mut item = None;
    for seg in rest {
        if seg == "*" {
            break;
        }
        let mut next = cur.clone();
        next.push(seg.clone());
        if mods.contains_key(&next) {
            cur = next;
        } else {
            item = Some(seg.clone());
            break;
        }
    }
    if let (Some(item), Some(m)) = (item, mods.get(&cur)) {
        if let Some(target) = m.reexports.get(&item) {
            if depth < 16 {
                if let Some(r) = resolve(mods, &cur, target, depth + 1) {
                    return Some(r);
                }
            }
        }
    }
    Some(cur)
}

/// The paths a module's source names: its use trees and inline
/// `crate::`/`super::` paths.
fn paths(source: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = use_statements(source)
        .into_iter()
        .flat_map(|(_, tree)| expand(&tree).into_iter().map(|(_, p)| p))
        .collect();
    for lead in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(k) = source[from..].find(lead) {
            let at = from + k;
            from = at + lead.len();
            let bytes = source.as_bytes();
            if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
                continue;
            }
            let tail: String = source[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let segs: Vec<String> = tail
                .split("::")
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            // `crate::a::{b, c}` is a use tree, already expanded above.
            if !tail.ends_with("::") {
                out.push(segs);
            }
        }
    }
    out
}

fn graph(mods: &BTreeMap<ModPath, Module>) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let mut g: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    for (here, m) in mods {
        let edges = g.entry(here.clone()).or_default();
        for p in paths(&m.source) {
            if let Some(to) = resolve(mods, here, &p, 0) {
                if to != *here {
                    edges.insert(to);
                }
            }
        }
    }
    g
}

fn name(m: &ModPath) -> String {
    if m.is_empty() {
        "crate".into()
    } else {
        m.join("::")
    }
}

/// A cycle, if any, as the modules along it.
fn find_cycle(g: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Option<Vec<ModPath>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    fn visit(
        g: &BTreeMap<ModPath, BTreeSet<ModPath>>,
        n: &ModPath,
        state: &mut BTreeMap<ModPath, State>,
        stack: &mut Vec<ModPath>,
    ) -> Option<Vec<ModPath>> {
        state.insert(n.clone(), State::Open);
        stack.push(n.clone());
        for m in g.get(n).into_iter().flatten() {
            match state.get(m).copied().unwrap_or(State::New) {
                State::Open => {
                    let i = stack.iter().position(|x| x == m).unwrap();
                    let mut c = stack[i..].to_vec();
                    c.push(m.clone());
                    return Some(c);
                }
                State::New => {
                    if let Some(c) = visit(g, m, state, stack) {
                        return Some(c);
                    }
                }
                State::Done => {}
            }
        }
        stack.pop();
        state.insert(n.clone(), State::Done);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if state.get(n).copied().unwrap_or(State::New) == State::New {
            if let Some(c) = visit(g, n, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

fn crate_graph() -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    graph(&load(&src))
}

fn m(s: &str) -> ModPath {
    s.split("::").map(String::from).collect()
}

#[test]
fn the_crate_has_no_import_cycle() {
    let g = crate_graph();
    assert!(g.len() > 20, "the module files were not found");
    if let Some(c) = find_cycle(&g) {
        let names: Vec<String> = c.iter().map(name).collect();
        panic!("import cycle: {}", names.join(" -> "));
    }
}

#[test]
fn the_trie_and_the_candidate_types_are_leaves() {
    let g = crate_graph();
    let trie = &g[&m("trie")];
    assert!(trie.is_empty(), "trie imports {trie:?}");
    let allowed: BTreeSet<ModPath> = [m("lexicon::model"), m("types")].into();
    let cand = &g[&m("candidate")];
    assert!(cand.is_subset(&allowed), "candidate imports {cand:?}");
}

#[test]
fn the_graph_builder_sees_edges_and_cycles() {
    // The checker itself must be able to fail: a known edge is found, and
    // a hand-made cycle is reported.
    let g = crate_graph();
    assert!(g[&m("engine::matching")].contains(&m("candidate")));
    assert!(g[&m("engine")].contains(&m("engine::overlap")));
    assert!(g[&m("lexicon::build")].contains(&m("lexicon::builder")));
    let mut bad = g.clone();
    bad.get_mut(&m("trie")).unwrap().insert(m("lexicon::model"));
    assert!(find_cycle(&bad).is_some());
    let tree = expand("crate::{a::{b, c as d}, e}");
    assert_eq!(
        tree,
        vec![
            ("b".to_string(), m("crate::a::b")),
            ("d".to_string(), m("crate::a::c")),
            ("e".to_string(), m("crate::e")),
        ]
    );
}
