//! A compact byte trie over loose skeletons of stems, generic over the
//! value stored at each key (the lexicon stores its stem forms).
//!
//! WHY a trie and not Aho-Corasick over surface variants: every stem takes
//! thousands of suffix chains; expanding them would mean tens of millions of
//! patterns for a 10,000-person vault. Walking a word's skeleton down a trie
//! of stems visits each stem that is a prefix of the word, and the remainder
//! is checked against the stem's suffix set: one pass, no expansion. Most
//! words leave the trie after one or two bytes.

use std::collections::HashMap;

#[derive(Clone, Copy, Default)]
struct Node {
    edge_start: u32,
    edge_len: u32,
    form_start: u32,
    form_len: u32,
}

/// The frozen trie. Edges are stored as (target << 8 | byte) in one array so
/// that following an edge touches one cache line, not two.
pub(crate) struct Trie<V> {
    nodes: Vec<Node>,
    edges: Vec<u64>,
    forms: Vec<V>,
    /// Direct table for the root's children (the hottest lookup).
    root: Box<[u32; 256]>,
}

impl<V> Trie<V> {
    /// Calls `f(prefix_len, forms)` for every stem that is a prefix of `key`
    /// (non-empty prefixes only), shortest first.
    #[inline]
    pub(crate) fn walk(&self, key: &[u8], mut f: impl FnMut(usize, &[V])) {
        let Some(&b0) = key.first() else {
            return;
        };
        let mut node = self.root[b0 as usize];
        if node == u32::MAX {
            return;
        }
        let mut depth = 1;
        loop {
            let n = self.nodes[node as usize];
            if n.form_len > 0 {
                let s = n.form_start as usize;
                f(depth, &self.forms[s..s + n.form_len as usize]);
            }
            if depth >= key.len() || n.edge_len == 0 {
                return;
            }
            let b = key[depth] as u64;
            let s = n.edge_start as usize;
            let es = &self.edges[s..s + n.edge_len as usize];
            let found = if es.len() <= 8 {
                es.iter().find(|&&e| e & 0xFF == b).copied()
            } else {
                es.binary_search_by_key(&b, |&e| e & 0xFF)
                    .ok()
                    .map(|i| es[i])
            };
            match found {
                Some(e) => node = (e >> 8) as u32,
                None => return,
            }
            depth += 1;
        }
    }

    /// Number of stored forms.
    pub(crate) fn form_count(&self) -> usize {
        self.forms.len()
    }
}

/// Mutable trie used while building a lexicon.
pub(crate) struct TrieBuilder<V> {
    children: HashMap<(u32, u8), u32>,
    node_forms: Vec<Vec<V>>,
}

impl<V> TrieBuilder<V> {
    pub(crate) fn new() -> Self {
        TrieBuilder {
            children: HashMap::new(),
            node_forms: vec![Vec::new()],
        }
    }

    /// Adds `form` under `key` (must be non-empty).
    pub(crate) fn insert(&mut self, key: &[u8], form: V) {
        if key.is_empty() {
            return;
        }
        let mut node = 0u32;
        for &b in key {
            let next = self.node_forms.len() as u32;
            let e = self.children.entry((node, b)).or_insert(next);
            if *e == next {
                self.node_forms.push(Vec::new());
            }
            node = *e;
        }
        self.node_forms[node as usize].push(form);
    }

    /// Freezes into the compact representation.
    pub(crate) fn build(self) -> Trie<V> {
        let n = self.node_forms.len();
        let mut edges: Vec<Vec<(u8, u32)>> = vec![Vec::new(); n];
        for ((from, b), to) in self.children {
            edges[from as usize].push((b, to));
        }
        let mut nodes = vec![Node::default(); n];
        let mut all_edges = Vec::new();
        let mut forms = Vec::new();
        let mut root = Box::new([u32::MAX; 256]);
        for (i, (mut es, fs)) in edges.into_iter().zip(self.node_forms).enumerate() {
            es.sort_unstable_by_key(|e| e.0);
            if i == 0 {
                for &(b, t) in &es {
                    root[b as usize] = t;
                }
            }
            nodes[i] = Node {
                edge_start: all_edges.len() as u32,
                edge_len: es.len() as u32,
                form_start: forms.len() as u32,
                form_len: fs.len() as u32,
            };
            for (b, t) in es {
                all_edges.push(((t as u64) << 8) | b as u64);
            }
            forms.extend(fs);
        }
        Trie {
            nodes,
            edges: all_edges,
            forms,
            root,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(g: u32) -> u32 {
        g
    }

    #[test]
    fn walk_visits_every_prefix_stem() {
        let mut b = TrieBuilder::new();
        b.insert(b"er", form(1));
        b.insert(b"erlan", form(2));
        b.insert(b"erlanbek", form(3));
        b.insert(b"dn", form(4));
        b.insert(b"", form(5));
        let t = b.build();
        let mut seen = Vec::new();
        t.walk(b"erlanga", |n, fs| seen.extend(fs.iter().map(|f| (n, *f))));
        assert_eq!(seen, vec![(2, 1), (5, 2)]);
        seen.clear();
        t.walk(b"", |n, fs| seen.extend(fs.iter().map(|f| (n, *f))));
        t.walk(b"x", |n, fs| seen.extend(fs.iter().map(|f| (n, *f))));
        assert!(seen.is_empty());
        assert_eq!(t.form_count(), 4);
    }
}
