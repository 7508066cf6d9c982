//! Collisions of a name about to be registered with the built-in lists, so
//! that the researcher hears, when registering, what registration will do
//! to ordinary text: a registered identifier outranks every built-in list,
//! so a person called Астана makes the city's name go too.

use serde::Serialize;

use crate::gazetteer;
use crate::lexicon::tokens;
use crate::normalise;
use crate::skeleton::{Folder, Mode};

/// What kind of built-in entry a name coincides with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CollisionKind {
    /// The full name of a built-in public figure: mentions of that public
    /// figure will be redacted as this person.
    PublicFigure,
    /// A public figure's surname or given name only: the public figure's
    /// full name stays, the shared word alone is redacted.
    PublicFigurePart,
    /// A city, region or country: its name will be redacted too.
    City,
    /// A common word (a frequent word, a month, a language, a service):
    /// the word will be redacted wherever it stands.
    CommonWord,
    /// A common given name: nothing changes for ordinary text (listed for
    /// completeness; the unregistered-name detector knows the name).
    GivenName,
}

/// One collision of a registered name with a built-in entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Collision {
    /// What the built-in entry is.
    pub kind: CollisionKind,
    /// The built-in entry as the built-in list spells it (public text: a
    /// figure's name, a city, a common word), never the registered name.
    pub builtin: String,
}

impl Collision {
    /// What registering the name does to ordinary text, in one clause.
    pub fn consequence(&self) -> String {
        let b = &self.builtin;
        match self.kind {
            CollisionKind::PublicFigure => format!(
                "it is also the public figure {b}, whose mentions will be redacted as this person"
            ),
            CollisionKind::PublicFigurePart => format!(
                "it shares a name with the public figure {b}: the full name {b} stays, the shared name alone is redacted"
            ),
            CollisionKind::City => {
                format!("it is also the place {b}, which will be redacted wherever it is named")
            }
            CollisionKind::CommonWord => format!(
                "it is also the common word \"{b}\", which will be redacted wherever it stands"
            ),
            CollisionKind::GivenName => format!("{b} is a common given name"),
        }
    }
}

/// The built-in entries that `names` (a name and its aliases, or a term)
/// coincide with, in any spelling the matcher folds together, most serious
/// first; each built-in entry once.
pub fn builtin_collisions<S: AsRef<str>>(names: &[S]) -> Vec<Collision> {
    let mut f = Folder::new();
    let mut fold = |w: &str| f.fold(&normalise::normalised(w), Mode::Vowel);
    let mut parts: Vec<Vec<u8>> = Vec::new();
    for n in names {
        for t in tokens(n.as_ref()) {
            if t.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
                let v = fold(t);
                if !v.is_empty() && !parts.contains(&v) {
                    parts.push(v);
                }
            }
        }
    }
    let mut out: Vec<Collision> = Vec::new();
    let mut push = |kind, builtin: &str| {
        if !out.iter().any(|c| c.builtin == builtin) {
            out.push(Collision {
                kind,
                builtin: builtin.to_string(),
            });
        }
    };
    if parts.is_empty() {
        return out;
    }
    for line in gazetteer::lines(gazetteer::FIGURES) {
        let Some(first) = line.first() else { continue };
        let mut full = false;
        let mut part = false;
        for sp in &line {
            let toks: Vec<Vec<u8>> = sp.split_whitespace().take(2).map(&mut fold).collect();
            let hit: Vec<bool> = toks.iter().map(|t| parts.contains(t)).collect();
            full |= hit.len() == 2 && hit.iter().all(|&h| h) || (hit == [true] && parts.len() == 1);
            part |= hit.iter().any(|&h| h);
        }
        let name: Vec<&str> = first.split_whitespace().take(2).collect();
        let name = name.join(" ");
        if full {
            push(CollisionKind::PublicFigure, &name);
        } else if part {
            push(CollisionKind::PublicFigurePart, &name);
        }
    }
    for line in gazetteer::lines(gazetteer::PLACES) {
        let Some(first) = line.first() else { continue };
        if line.iter().any(|sp| {
            let t = tokens(sp);
            t.len() == 1 && parts.contains(&fold(t[0]))
        }) {
            push(CollisionKind::City, first);
        }
    }
    for w in gazetteer::words(gazetteer::COMMON_CAPS).chain(gazetteer::words(gazetteer::STOPWORDS))
    {
        if parts.contains(&fold(w)) {
            push(CollisionKind::CommonWord, w);
        }
    }
    for w in gazetteer::words(gazetteer::GIVEN_NAMES) {
        if parts.contains(&fold(w)) {
            push(CollisionKind::GivenName, w);
        }
    }
    out.sort_by_key(|c| c.kind as u8);
    out
}

/// The one-line warning `person add`, `person edit` and `term add` print
/// for `names`, or None when they collide with no public figure, place or
/// common word. It quotes only the built-in entries, never the name.
pub fn collision_warning<S: AsRef<str>>(names: &[S]) -> Option<String> {
    let serious: Vec<Collision> = builtin_collisions(names)
        .into_iter()
        .filter(|c| c.kind != CollisionKind::GivenName)
        .collect();
    let first = serious.first()?;
    let more = match serious.len() {
        1 => String::new(),
        n => format!(" (and {} more built-in name(s))", n - 1),
    };
    Some(format!(
        "note: {}{more}; registered names always win over the built-in lists (`term allow` keeps a word).",
        first.consequence()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(n: &[&str]) -> Vec<(CollisionKind, String)> {
        builtin_collisions(n)
            .into_iter()
            .map(|c| (c.kind, c.builtin))
            .collect()
    }

    #[test]
    fn figures_places_and_words() {
        let k = kinds(&["Медведев Дмитрий Сергеевич"]);
        assert_eq!(
            k[0],
            (CollisionKind::PublicFigure, "Медведев Дмитрий".into())
        );
        let k = kinds(&["Нурсултан Сейтов"]);
        assert!(k
            .iter()
            .any(|(c, b)| *c == CollisionKind::PublicFigurePart && b.starts_with("Назарбаев")));
        assert!(kinds(&["Астана Сейтова"])
            .iter()
            .any(|(c, _)| *c == CollisionKind::City));
        assert!(kinds(&["Ислам Жаксылыков"])
            .iter()
            .any(|(c, b)| *c == CollisionKind::CommonWord && b == "Islam"));
        assert!(collision_warning(&["Сапарова Айгерим Болатовна"]).is_none());
        let w = collision_warning(&["Назарбаев Нурсултан"]).unwrap();
        assert!(
            w.starts_with("note: it is also the public figure Назарбаев Нурсултан"),
            "{w}"
        );
        assert!(!w.contains('\n'));
    }
}
