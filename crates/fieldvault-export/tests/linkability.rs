//! Issue 10 item 4: two exports of the same data share no identifier, in
//! any format, so a quote exported once under a pseudonym and later
//! anonymously cannot be tied together by its ids.

mod common;

use std::collections::BTreeSet;

use common::*;
use fieldvault_export::{render, Format, Publication};

/// Every identifier-like string in an export: UUID-shaped GUIDs and the
/// `quote-`/`anonymous-`/`interview-` tokens of CSV and JSON.
fn identifiers(bytes: &[u8], format: Format) -> BTreeSet<String> {
    let texts: Vec<String> = if format.is_binary() {
        unzip(bytes)
            .into_iter()
            .flat_map(|(name, data)| [name, String::from_utf8(data).unwrap()])
            .collect()
    } else {
        vec![String::from_utf8(bytes.to_vec()).unwrap()]
    };
    let mut out = BTreeSet::new();
    for text in &texts {
        let chars: Vec<char> = text.chars().collect();
        for start in 0..chars.len() {
            let rest = &chars[start..];
            if rest.len() >= 36 && is_guid(&rest[..36]) {
                out.insert(rest[..36].iter().collect());
            }
            for prefix in ["quote-", "anonymous-", "interview-"] {
                let p: Vec<char> = prefix.chars().collect();
                if rest.starts_with(&p) {
                    let hex: String = rest[p.len()..]
                        .iter()
                        .take_while(|c| c.is_ascii_hexdigit())
                        .collect();
                    if hex.len() >= 12 {
                        out.insert(format!("{prefix}{hex}"));
                    }
                }
            }
        }
    }
    out
}

fn is_guid(c: &[char]) -> bool {
    c.iter().enumerate().all(|(i, c)| {
        if matches!(i, 8 | 13 | 18 | 23) {
            *c == '-'
        } else {
            c.is_ascii_hexdigit()
        }
    })
}

#[test]
fn two_exports_of_the_same_data_share_no_identifier() {
    let p = publication();
    for format in Format::ALL {
        let a = identifiers(&render(format, &p).unwrap(), format);
        let b = identifiers(&render(format, &p).unwrap(), format);
        match format {
            Format::Csv | Format::Json => {
                // Four quotes (one anonymous) from three transcripts.
                assert_eq!(a.len(), 4 + 3, "{format}: {a:?}");
            }
            Format::Qdpx => assert!(a.len() > 10, "{format}: {a:?}"),
            Format::Markdown | Format::Docx => assert!(a.is_empty(), "{format}: {a:?}"),
        }
        let shared: Vec<&String> = a.intersection(&b).collect();
        assert!(shared.is_empty(), "{format}: both exports carry {shared:?}");
    }
}

#[test]
fn a_quote_exported_with_a_pseudonym_and_later_anonymously_is_not_linked() {
    let named = publication();
    let mut anonymous: Publication = named.clone();
    for q in &mut anonymous.quotes {
        q.pseudonym = None;
        q.descriptor = None;
        q.case_id = None;
        q.transcript_id.clear();
        q.attribution = "an interlocutor, interview quote".into();
    }
    for format in [Format::Csv, Format::Json, Format::Qdpx] {
        let a = identifiers(&render(format, &named).unwrap(), format);
        let b = identifiers(&render(format, &anonymous).unwrap(), format);
        assert!(!a.is_empty() && !b.is_empty(), "{format}");
        assert!(a.is_disjoint(&b), "{format}");
    }
}

#[test]
fn vault_ids_never_appear_in_any_export() {
    let p = publication();
    let mut ids: Vec<&str> = Vec::new();
    for q in &p.quotes {
        ids.push(&q.excerpt_id);
        if !q.transcript_id.is_empty() {
            ids.push(&q.transcript_id);
        }
    }
    for format in Format::ALL {
        let bytes = render(format, &p).unwrap();
        let texts: Vec<String> = if format.is_binary() {
            unzip(&bytes)
                .into_iter()
                .flat_map(|(name, data)| [name, String::from_utf8(data).unwrap()])
                .collect()
        } else {
            vec![String::from_utf8(bytes).unwrap()]
        };
        for text in &texts {
            assert_absent(text, &ids, format.name());
        }
    }
}
