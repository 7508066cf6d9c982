//! Patterns for personal data nobody registered: phones, e-mails (also
//! obfuscated), URLs, handles, IINs, IBANs, cards and street addresses.
//!
//! Each is a small hand-written scanner rather than a regex: the rules need
//! context a regex expresses badly (digit counts across groups, check digits,
//! capitalised street names before or after a marker), and scanners keep the
//! engine one pass over bytes that mostly skips ahead.

pub(crate) mod address;
pub(crate) mod card;
pub(crate) mod email;
pub(crate) mod handle;
pub(crate) mod iban;
pub(crate) mod iin;
pub(crate) mod numbers;
pub(crate) mod phone;
pub(crate) mod url;

use crate::candidate::Cand;
use crate::lexicon::Lexicon;
use crate::tokenize::Word;

/// Top-level domains accepted after a bare domain name.
const TLDS: &[&str] = &[
    "com", "net", "org", "info", "biz", "io", "co", "kz", "ru", "su", "uz", "kg", "tj", "tm", "ua",
    "az", "ge", "tr", "cn", "de", "fr", "uk", "eu", "edu", "gov", "int", "app", "dev", "site",
    "online", "tech", "store", "blog", "news", "xyz", "club", "pro", "live", "tv", "рф", "қаз",
    "space", "media", "page", "world", "today", "kaz", "asia", "mobi",
];
/// Two-letter domains that are also English words: accepted only in
/// addresses, and for URLs only with a path ("t.me/name").
const WEAK_TLDS: &[&str] = &[
    "me", "us", "by", "am", "it", "in", "is", "at", "be", "to", "so", "ly", "gl", "gg", "ai", "fm",
    "la", "cc", "ws",
];

/// Whether `s` (lower-case) is a top-level domain for e-mail purposes.
pub(crate) fn is_tld(s: &str) -> bool {
    TLDS.contains(&s) || WEAK_TLDS.contains(&s)
}

/// Whether `s` (lower-case) is a top-level domain strong enough for a bare
/// domain without a path.
pub(crate) fn is_strong_tld(s: &str) -> bool {
    TLDS.contains(&s)
}

/// Mail providers whose names make "name at gmail com" an address.
pub(crate) const MAIL_PROVIDERS: &[&str] = &[
    "gmail",
    "mail",
    "yandex",
    "ya",
    "protonmail",
    "proton",
    "inbox",
    "list",
    "bk",
    "outlook",
    "hotmail",
    "yahoo",
    "icloud",
    "rambler",
    "live",
    "gmx",
    "tutanota",
    "kaznet",
    "nursat",
];

/// Service homes that identify nobody when written without a path.
pub(crate) const WELL_KNOWN: &[&str] = &[
    "facebook.com",
    "instagram.com",
    "google.com",
    "youtube.com",
    "twitter.com",
    "x.com",
    "vk.com",
    "ok.ru",
    "telegram.org",
    "t.me",
    "zoom.us",
    "whatsapp.com",
    "signal.org",
    "linkedin.com",
    "tiktok.com",
    "gov.kz",
    "egov.kz",
    "akorda.kz",
    "wikipedia.org",
    "mail.ru",
    "gmail.com",
    "yandex.ru",
    "yandex.kz",
    "kaspi.kz",
    "olx.kz",
    "kolesa.kz",
    "krisha.kz",
    "tengrinews.kz",
    "zakon.kz",
    "nur.kz",
    "rferl.org",
    "azattyq.org",
];

/// Runs every pattern over `text`.
pub(crate) fn scan(text: &str, words: &[Word], lex: &Lexicon, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let has_digit = b.iter().any(u8::is_ascii_digit);
    let has_at = memchr(b'@', b);
    if has_digit {
        numbers::scan(text, words, lex, out);
        iban::scan(text, words, out);
        address::scan(text, words, out);
    }
    if has_at {
        handle::scan(text, lex, out);
    }
    email::scan(text, lex, out);
    if memchr(b'.', b) {
        url::scan(text, out);
    }
}

fn memchr(needle: u8, hay: &[u8]) -> bool {
    hay.contains(&needle)
}
