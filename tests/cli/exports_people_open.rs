//! Exports people open (issue 12 item 6) and exports that link nothing
//! (issue 10 item 4), through the command line.

use crate::common::*;
use std::collections::BTreeSet;

/// A vault with one quotable person and one excerpt carrying two tags.
fn vault() -> (Env, String) {
    let e = Env::new();
    let id = e.person(&["--name", "Алия Нурланова", "--descriptor", "teacher"]);
    e.ok(&[
        "consent",
        "record",
        &id,
        "--date",
        "2021-05-01",
        "--method",
        "written",
        "--recording",
        "yes",
        "--quotes",
        "yes",
        "--attribution",
        "pseudonym",
    ]);
    let t = e.write(
        "in/t.txt",
        "Интервьюер: Как дела в школе?\nРеспондент: Нам не дают работать - совсем [никак].\n",
    );
    let tid = e.json(&[
        "transcript",
        "import",
        t.to_str().unwrap(),
        "--person",
        &id,
        "--date",
        "2021-05-01",
        "--lang",
        "ru",
    ])["id"]
        .to_string();
    e.json(&[
        "excerpt", "add", &tid, "--lines", "2", "--tag", "work", "--tag", "help",
    ]);
    (e, id)
}

#[test]
fn a_quote_with_two_tags_is_printed_once_unless_by_tag() {
    let (e, _) = vault();
    e.ok(&["export", "--format", "md", "--out", "out/q.md"]);
    let md = std::fs::read_to_string(e.path("out/q.md")).unwrap();
    assert_eq!(md.matches("\n— Respondent").count(), 1, "{md}");
    assert!(md.contains("## help") && !md.contains("## work"), "{md}");
    assert!(md.contains("Also tagged: work"), "{md}");
    // Ordinary punctuation stays as typed in the raw file.
    assert!(
        md.contains("> Нам не дают работать - совсем [никак]."),
        "{md}"
    );
    e.ok(&[
        "export",
        "--format",
        "md",
        "--out",
        "out/by-tag.md",
        "--by-tag",
    ]);
    let md = std::fs::read_to_string(e.path("out/by-tag.md")).unwrap();
    assert_eq!(md.matches("\n— Respondent").count(), 2, "{md}");
    assert!(md.contains("## help") && md.contains("## work"), "{md}");
}

/// Every GUID-shaped string and every `quote-`/`interview-` token.
fn identifiers(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let chars: Vec<char> = text.chars().collect();
    for i in 0..chars.len() {
        let rest = &chars[i..];
        if rest.len() >= 36
            && rest[..36].iter().enumerate().all(|(j, c)| {
                if matches!(j, 8 | 13 | 18 | 23) {
                    *c == '-'
                } else {
                    c.is_ascii_hexdigit()
                }
            })
        {
            out.insert(rest[..36].iter().collect());
        }
        for prefix in ["quote-", "anonymous-", "interview-"] {
            let p: Vec<char> = prefix.chars().collect();
            if rest.starts_with(&p) {
                let hex: String = rest[p.len()..]
                    .iter()
                    .take_while(|c| c.is_ascii_hexdigit())
                    .collect();
                if hex.len() == 12 {
                    out.insert(format!("{prefix}{hex}"));
                }
            }
        }
    }
    out
}

#[test]
fn two_exports_of_the_same_data_share_no_identifier() {
    let (e, id) = vault();
    for (format, zipped) in [("qdpx", true), ("csv", false), ("json", false)] {
        let read = |name: &str| {
            let path = e.path(&format!("out/{name}.{format}"));
            if zipped {
                unzip_text(&path)
            } else {
                std::fs::read_to_string(path).unwrap()
            }
        };
        e.ok(&[
            "export",
            "--format",
            format,
            "--out",
            &format!("out/a.{format}"),
        ]);
        e.ok(&[
            "export",
            "--format",
            format,
            "--out",
            &format!("out/b.{format}"),
        ]);
        let (a, b) = (identifiers(&read("a")), identifiers(&read("b")));
        assert!(!a.is_empty(), "{format}: no identifiers found");
        assert!(
            a.is_disjoint(&b),
            "{format}: shared {:?}",
            a.intersection(&b)
        );
    }
    // The same quote exported later anonymously is not linked either.
    e.ok(&["export", "--format", "qdpx", "--out", "out/named.qdpx"]);
    e.ok(&[
        "consent",
        "record",
        &id,
        "--date",
        "2021-06-01",
        "--method",
        "written",
        "--recording",
        "yes",
        "--quotes",
        "yes",
        "--attribution",
        "anonymous",
    ]);
    e.ok(&["export", "--format", "qdpx", "--out", "out/anonymous.qdpx"]);
    let named = identifiers(&unzip_text(&e.path("out/named.qdpx")));
    let anonymous = identifiers(&unzip_text(&e.path("out/anonymous.qdpx")));
    assert!(!anonymous.is_empty());
    assert!(named.is_disjoint(&anonymous));
}
