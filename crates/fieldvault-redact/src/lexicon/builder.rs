//! Turning one registered token into stems: its role in the name (given
//! name, surname, patronymic) read from its shape, and the stems each role
//! takes (full form, Russian stem, family stem, father's stem, nicknames).

use std::collections::HashSet;

use rustc_hash::{FxHashMap, FxHashSet};

use super::model::{Entry, Form, Kind, Owner, Role, Unit};
use crate::morph::{kk, ru, Class, Morph};
use crate::nicknames;
use crate::skeleton::{loose_of, Folder, Mode};
use crate::trie::TrieBuilder;

/// What a token's shape says about its stem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Base {
    /// No recognisable formant.
    None,
    /// A patronymic: the father's name (Сейткали-евич, Қайрат-ұлы).
    Father(String),
    /// An -ов/-ин surname: the family stem (Сапар-ова) and the class of
    /// its own formant (-ов/-ев or -ин/-ын).
    Family(String, Class),
    /// An adjectival surname: the stem before the ending (Достоевск-ий).
    Adjective(String),
}

/// Classifies one token of a registered name by its shape.
pub(super) fn role_of(token: &str, n_tokens: usize) -> (Role, Base) {
    if let Some((father, _)) = ru::strip_suffix(token, ru::PATRONYMIC_SUFFIXES, 2) {
        return (Role::Patronymic, Base::Father(father.to_string()));
    }
    if let Some((father, _)) = ru::strip_suffix(token, kk::PATRONYMIC_SUFFIXES, 2) {
        let father = father.trim_end_matches(['-', '\u{2010}']);
        // In "Surname Given Patronymic" it is a patronymic; alone beside a
        // given name it is the family name (Ахмет Байтұрсынұлы).
        let role = if n_tokens >= 3 {
            Role::Patronymic
        } else {
            Role::Surname
        };
        return (role, Base::Father(father.to_string()));
    }
    if let Some((stem, suf)) = ru::strip_suffix(token, ru::ADJ_SURNAME_SUFFIXES, 2) {
        // Keep -ск-/-цк- in the stem: Достоевск-ий, Достоевск-ая.
        let keep = &token[stem.len()..stem.len() + suf.len()];
        let cut = keep
            .char_indices()
            .nth(2)
            .map(|(i, _)| i)
            .unwrap_or(keep.len());
        return (
            Role::Surname,
            Base::Adjective(format!("{stem}{}", &keep[..cut])),
        );
    }
    if let Some(stem) = adjectival_surname_stem(token) {
        return (Role::Surname, Base::Adjective(stem.to_string()));
    }
    // Surnames that do not decline like -ов/-ин ones (Коваленко, Бойко,
    // Ковальчук, Мкртчян): no family stem, and no nicknames either.
    if ru::strip_suffix(token, ru::INDECLINABLE_SURNAME_SUFFIXES, 3).is_some() {
        return (Role::Surname, Base::None);
    }
    if let Some((fam, suf)) = ru::strip_suffix(token, ru::SURNAME_SUFFIXES, 3) {
        let class = if suf.contains(['в', 'v']) {
            Class::FamilyOv
        } else {
            Class::FamilyIn
        };
        return (Role::Surname, Base::Family(fam.to_string(), class));
    }
    (Role::Given, Base::None)
}

/// The stem of a Russian surname that declines like an adjective without
/// -ск-/-цк- (Толст-ой, Лугов-ой, Долгорук-ий, Толст-ая: Толстого,
/// Луговому, Долгоруким), by its ending: -ой and -ый after any stem of
/// three letters or more, -ий after a velar or sibilant (where a given
/// name in -ий is rare: Дмитрий, Юрий are not), -ая from six letters.
/// Given names are told apart by the caller (built-in given names).
fn adjectival_surname_stem(token: &str) -> Option<&str> {
    let lower = token.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let n = chars.len();
    if n < 5 || !chars.iter().all(|c| ('а'..='я').contains(c) || *c == 'ё') {
        return None;
    }
    let before = chars[n - 3];
    let ok = match (chars[n - 2], chars[n - 1]) {
        ('о', 'й') | ('ы', 'й') => true,
        ('и', 'й') => "кгхжшчщ".contains(before),
        ('а', 'я') => n >= 6 && !"иі".contains(before),
        _ => false,
    };
    if !ok {
        return None;
    }
    let cut = token.char_indices().nth(n - 2).map(|(i, _)| i)?;
    Some(&token[..cut])
}

/// Key of a stem group: loose stem, strict vowel stem (or empty), class,
/// kind, role, capitalisation rule, final i-class.
type GroupKey = (Vec<u8>, Vec<u8>, u8, u8, u8, bool, bool);

pub(super) struct Builder {
    pub(super) trie: TrieBuilder<Form>,
    pub(super) group_index: FxHashMap<GroupKey, u32>,
    pub(super) group_entries: Vec<Vec<Entry>>,
    pub(super) entry_seen: FxHashSet<(u32, u32, u8)>,
    pub(super) units: Vec<Unit>,
    pub(super) strict: Vec<Box<[u8]>>,
    pub(super) regs: Vec<(Box<str>, Box<[u8]>)>,
    pub(super) folder: Folder,
    pub(super) given_set: HashSet<Box<[u8]>>,
    pub(super) lowercase_first: bool,
    pub(super) variants: usize,
    /// The unit of built-in given names that are also ordinary words.
    pub(super) homograph_unit: u32,
    /// Units of registered places.
    pub(super) place_units: FxHashSet<u32>,
    pub(super) place_prefixes: Vec<[char; 2]>,
    /// Per registered person (and person term), the loose skeletons of
    /// every token of the name and aliases: a public figure whose full name
    /// is one of these protects nothing (see [`figure_is_registered`]).
    pub(super) registered_names: Vec<FxHashSet<Box<[u8]>>>,
}

impl Builder {
    pub(super) fn unit(&mut self, owner: Owner, len: usize, prio: u8, keep: bool) -> u32 {
        self.units.push(Unit {
            owner,
            len: len.min(255) as u8,
            prio,
            keep,
        });
        (self.units.len() - 1) as u32
    }

    pub(super) fn reg(&mut self, token: &str) -> u32 {
        let loose = self.folder.fold(token, Mode::Loose).into_boxed_slice();
        self.regs
            .push((token.to_lowercase().into_boxed_str(), loose));
        (self.regs.len() - 1) as u32
    }

    /// Inserts one stem.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn stem(
        &mut self,
        unit: u32,
        pos: u8,
        vstem: &[u8],
        class: Class,
        kind: Kind,
        role: Role,
        cap: bool,
        reg: u32,
    ) {
        let loose = loose_of(vstem);
        if loose.is_empty() {
            return;
        }
        // Short stems, and every generated nickname, must match with their
        // vowels too: without them Дина is "дня" and Ереке+ик is "Ерекше".
        // Built-in given names and places too: they are known spellings, and
        // a loose match would take "Полный" for Полина, "Семён" for Семей.
        let strict_needed = loose.len() <= 3
            || kind == Kind::Nickname
            || matches!(self.units[unit as usize].owner, Owner::Given | Owner::Place);
        let ends_i = vstem.last() == Some(&crate::skeleton::I);
        let strict_key = if strict_needed {
            vstem.to_vec()
        } else {
            Vec::new()
        };
        let key: GroupKey = (
            loose.clone(),
            strict_key,
            class.index() as u8,
            kind as u8,
            role as u8,
            cap,
            ends_i,
        );
        let g = match self.group_index.get(&key) {
            Some(&g) => g,
            None => {
                let g = self.group_entries.len() as u32;
                self.group_index.insert(key, g);
                self.group_entries.push(Vec::new());
                let strict = if strict_needed {
                    self.strict.push(vstem.to_vec().into_boxed_slice());
                    (self.strict.len() - 1) as u32
                } else {
                    u32::MAX
                };
                self.variants += Morph::get().set(class).len();
                self.trie.insert(
                    &loose,
                    Form {
                        class,
                        kind,
                        role,
                        cap,
                        ends_i,
                        strict,
                        group: g,
                    },
                );
                g
            }
        };
        if !self.entry_seen.insert((g, unit, pos)) {
            return;
        }
        self.group_entries[g as usize].push(Entry { unit, pos, reg });
        if !cap && pos == 0 {
            self.lowercase_first = true;
        }
    }

    /// Full form with every ending, and the Russian stem without its final
    /// vowel.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn word(
        &mut self,
        unit: u32,
        pos: u8,
        v: &[u8],
        kind: Kind,
        role: Role,
        cap: bool,
        reg: u32,
    ) {
        self.stem(unit, pos, v, Class::full(v), kind, role, cap, reg);
        let rs = nicknames::ru_stem(v).to_vec();
        if rs.as_slice() != v {
            self.stem(unit, pos, &rs, Class::Ru, kind, role, cap, reg);
        }
    }

    /// The Russian stem of a name in -ия (Алия, Мария): it declines on the
    /// и (Алии, Алие, Марией), not on a soft consonant like Надя.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn i_stem(
        &mut self,
        unit: u32,
        pos: u8,
        v: &[u8],
        kind: Kind,
        role: Role,
        cap: bool,
        reg: u32,
    ) {
        if v.len() >= 3 && v.ends_with(&[crate::skeleton::I, b'a']) {
            let st = &v[..v.len() - 1];
            self.stem(unit, pos, st, Class::Ru, kind, role, cap, reg);
        }
    }

    /// A generated nickname: its full form, and its Russian stem only when
    /// that stem is long enough not to be a common syllable (Ар-, Ер-).
    pub(super) fn nickname(&mut self, unit: u32, v: &[u8], cap: bool, reg: u32) {
        self.stem(
            unit,
            0,
            v,
            Class::full(v),
            Kind::Nickname,
            Role::Given,
            cap,
            reg,
        );
        let rs = nicknames::ru_stem(v).to_vec();
        // Kazakh pet forms in -ке (Ләке, Ереке) do not decline the Russian
        // way: their stem (Лак-, Ерек-) would only find other words.
        if rs.as_slice() != v && loose_of(&rs).len() >= 3 && !v.ends_with(b"ke") {
            self.stem(
                unit,
                0,
                &rs,
                Class::Ru,
                Kind::Nickname,
                Role::Given,
                cap,
                reg,
            );
        }
    }

    /// All forms of one token of a name (registered person, allow-list entry,
    /// public figure, term). `nick` adds diminutives for given names.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn name_token(
        &mut self,
        unit: u32,
        nick_unit: Option<(u32, u32)>,
        pos: u8,
        token: &str,
        n_tokens: usize,
        cap: bool,
        dict_ok: bool,
    ) -> bool {
        let reg = self.reg(token);
        let v = self.folder.fold(token, Mode::Vowel);
        let (mut role, mut base) = role_of(token, n_tokens);
        if role == Role::Surname && self.given_set.contains(&loose_of(&v).into_boxed_slice()) {
            role = Role::Given;
            base = Base::None;
        }
        let mut found_head = false;
        match base {
            Base::Father(father) => {
                let fv = self.folder.fold(&father, Mode::Vowel);
                self.stem(
                    unit,
                    pos,
                    &fv,
                    Class::Patronymic,
                    Kind::Patronymic,
                    role,
                    cap,
                    reg,
                );
                if role == Role::Surname {
                    // Russified, a -ұлы/-қызы surname takes -ов/-ев
                    // (Байтұрсынұлы / Байтурсынов).
                    self.stem(unit, pos, &fv, Class::FamilyOv, Kind::Name, role, cap, reg);
                }
                self.word(unit, pos, &v, Kind::Name, role, cap, reg);
            }
            Base::Family(fam, class) if role == Role::Surname => {
                let fv = self.folder.fold(&fam, Mode::Vowel);
                self.stem(unit, pos, &fv, class, Kind::Name, role, cap, reg);
                self.stem(
                    unit,
                    pos,
                    &fv,
                    Class::Patronymic,
                    Kind::Patronymic,
                    role,
                    cap,
                    reg,
                );
                self.word(unit, pos, &v, Kind::Name, role, cap, reg);
            }
            Base::Adjective(stem) if role == Role::Surname => {
                let sv = self.folder.fold(&stem, Mode::Vowel);
                self.stem(unit, pos, &sv, Class::RuAdj, Kind::Name, role, cap, reg);
                self.word(unit, pos, &v, Kind::Name, role, cap, reg);
            }
            _ => {
                self.word(unit, pos, &v, Kind::Name, role, cap, reg);
                // A registered short name in -а (Иза, Иса) declines on its
                // one-consonant stem (Изы, Ису); built-in names do not get
                // it (nick_unit is only given for registered persons).
                if nick_unit.is_some() {
                    if let Some(st) = nicknames::short_ru_stem(&v) {
                        let st = st.to_vec();
                        self.stem(unit, pos, &st, Class::Ru, Kind::Name, role, cap, reg);
                    }
                }
                if ends_in_i_vowel(token) {
                    self.i_stem(unit, pos, &v, Kind::Name, role, cap, reg);
                }
                if let Some((rule_unit, dict_unit)) = nick_unit.filter(|_| role != Role::Surname) {
                    let (members, head) = if dict_ok {
                        nicknames::dictionary(&v)
                    } else {
                        (Vec::new(), false)
                    };
                    found_head = head;
                    let mut ruled = nicknames::rules(&v);
                    if let Some(kz) = nicknames::kazakh_spelling(token) {
                        let kv = self.folder.fold(&kz, Mode::Vowel);
                        if kv != v {
                            ruled.extend(nicknames::rules(&kv));
                        }
                    }
                    for m in &members {
                        // Dictionary forms are known nicknames: they outrank
                        // places and public figures (Ася over "Asia").
                        self.nickname(dict_unit, m, cap, reg);
                        // Affectionate forms of the short forms (Надя →
                        // Наденька), not of forms that already are
                        // diminutives (Наденька → *Надена).
                        if loose_of(m).len() <= 5 {
                            ruled.extend(nicknames::rules(m));
                        }
                    }
                    for n in ruled {
                        self.nickname(rule_unit, &n, cap, reg);
                    }
                }
            }
        }
        found_head
    }
}

/// Whether a word ends in и/і followed by я, е or ю (Россия, Азия,
/// Russia, Rossiya).
pub(super) fn ends_in_i_vowel(tok: &str) -> bool {
    let l: Vec<char> = tok
        .chars()
        .rev()
        .take(3)
        .flat_map(char::to_lowercase)
        .collect();
    match l.as_slice() {
        [v, i, ..] if matches!(v, 'я' | 'е' | 'ю') && matches!(i, 'и' | 'і') => true,
        ['a', 'i', ..] => true,
        ['a', 'y', 'i'] => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn roles() {
        assert_eq!(role_of("Сапарова", 3).0, Role::Surname);
        assert_eq!(role_of("Болатовна", 3).0, Role::Patronymic);
        assert_eq!(role_of("Қайратұлы", 3).0, Role::Patronymic);
        assert_eq!(role_of("Байтұрсынұлы", 2).0, Role::Surname);
        assert_eq!(role_of("Дина", 2).0, Role::Given);
        assert_eq!(role_of("Ким", 2).0, Role::Given);
        assert_eq!(role_of("Бондаренко", 3).0, Role::Surname);
        assert_eq!(role_of("Savchenko", 2).0, Role::Surname);
        assert_eq!(role_of("Ковальчук", 2).0, Role::Surname);
        for (t, stem) in [
            ("Толстой", "Толст"),
            ("Луговой", "Лугов"),
            ("Долгорукий", "Долгорук"),
            ("Толстая", "Толст"),
        ] {
            assert_eq!(
                role_of(t, 2),
                (Role::Surname, Base::Adjective(stem.into())),
                "{t}"
            );
        }
        for t in ["Дмитрий", "Юрий", "Андрей", "Мария", "Рая"] {
            assert!(adjectival_surname_stem(t).is_none(), "{t}");
        }
    }
}
