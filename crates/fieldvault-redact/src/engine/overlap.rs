//! Overlap resolution: of candidates that overlap, the one with the higher
//! priority wins, then the longer, then the earlier.

use crate::candidate::{Act, Cand};

/// Accepts candidates by priority, then length, then position; a candidate
/// overlapping an accepted one is dropped.
pub(crate) fn resolve(mut cands: Vec<Cand>) -> Vec<Cand> {
    cands.retain(|c| c.start < c.end);
    // Overlapping protections join into one, at the highest priority among
    // them: a user's allowed "Назарбаев" and the built-in "Нурсултан
    // Назарбаев" together protect the full name.
    let (mut keeps, mut cands): (Vec<Cand>, Vec<Cand>) =
        cands.into_iter().partition(|c| c.act == Act::Keep);
    keeps.sort_by_key(|c| c.start);
    let mut merged: Vec<Cand> = Vec::with_capacity(keeps.len());
    for k in keeps {
        match merged.last_mut() {
            Some(m) if k.start < m.end => {
                m.end = m.end.max(k.end);
                m.prio = m.prio.max(k.prio);
            }
            _ => merged.push(k),
        }
    }
    cands.extend(merged);
    // Most candidates overlap nothing: sweep by start, and run the priority
    // contest only inside clusters of overlapping candidates.
    cands.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    let mut out = Vec::with_capacity(cands.len());
    let mut cluster: Vec<Cand> = Vec::new();
    let mut cluster_end = 0usize;
    for c in cands {
        if !cluster.is_empty() && c.start >= cluster_end {
            contest(&mut cluster, &mut out);
        }
        cluster_end = if cluster.is_empty() {
            c.end
        } else {
            cluster_end.max(c.end)
        };
        cluster.push(c);
    }
    contest(&mut cluster, &mut out);
    out.sort_by_key(|c| c.start);
    out
}

/// Resolves one cluster of overlapping candidates: priority, then length,
/// then position; a candidate overlapping an accepted one is dropped.
fn contest(cluster: &mut Vec<Cand>, out: &mut Vec<Cand>) {
    if cluster.len() == 1 {
        out.append(cluster);
        return;
    }
    cluster.sort_by(|a, b| {
        b.prio
            .cmp(&a.prio)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for c in cluster.drain(..) {
        if taken.iter().any(|&(s, e)| s < c.end && c.start < e) {
            continue;
        }
        taken.push((c.start, c.end));
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PatternKind;

    #[test]
    fn resolve_prefers_priority_then_length() {
        let c = |s, e, p, act| Cand::new(s, e, p, act);
        let out = resolve(vec![
            c(0, 5, 50, Act::Unregistered),
            c(0, 3, 90, Act::Keep),
            c(4, 10, 50, Act::Pattern(PatternKind::Phone)),
            c(6, 8, 40, Act::Unregistered),
        ]);
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].start, out[0].end), (0, 3));
        assert_eq!((out[1].start, out[1].end), (4, 10));
    }
}
