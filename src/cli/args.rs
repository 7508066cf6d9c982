//! The command-line contract (DESIGN.md section 6). Names and flags here are
//! driven by tests outside the repository: change them only with the design.

use crate::records::consent::{Attribution, Method, Scope};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use fieldvault_export::Format;
use fieldvault_redact::TermKind;
use std::path::PathBuf;

// Lists of allowed values come from the enums that define them, so that a
// new variant reaches the command line (and its --help) by itself.

/// `--format`: every export format, by its file extension.
fn export_format() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::ALL.map(Format::extension)).map(|s| {
        Format::ALL
            .into_iter()
            .find(|f| f.extension() == s)
            .expect("clap only passes listed values")
    })
}

/// `--kind` of a term.
fn term_kind() -> impl TypedValueParser<Value = TermKind> {
    PossibleValuesParser::new(TermKind::ALL.map(TermKind::as_str)).map(|s| {
        TermKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .expect("clap only passes listed values")
    })
}

/// A yes/no answer in a consent record.
fn yes_no(yes: &'static str, no: &'static str) -> PossibleValuesParser {
    PossibleValuesParser::new([
        PossibleValue::new("yes").help(yes),
        PossibleValue::new("no").help(no),
    ])
}

/// What a consent method value means, shown in `consent record --help`.
/// The values come from the enum; one without a meaning here has none in
/// the help, which the help walk test refuses.
fn method_meaning(value: &str) -> Option<&'static str> {
    match value {
        "verbal-recorded" => Some("given aloud and recorded (keep the audio as --evidence)"),
        "written" => Some("a signed paper form (keep a scan as --evidence)"),
        "electronic" => Some("by e-mail, messenger or an online form"),
        _ => None,
    }
}

/// What an attribution value means in a published quote.
fn attribution_meaning(value: &str) -> Option<&'static str> {
    match value {
        "anonymous" => Some("\"An interlocutor\": no pseudonym, no descriptor"),
        "pseudonym" => {
            Some("the pseudonym and descriptor (\"Respondent 7, independent activist\")")
        }
        "named" => Some(
            "the real name, if the person asked for it and the export confirms (--allow-named)",
        ),
        _ => None,
    }
}

/// Values with their meaning for `--help`.
fn described(
    values: &'static [&'static str],
    meaning: fn(&str) -> Option<&'static str>,
) -> PossibleValuesParser {
    PossibleValuesParser::new(values.iter().map(|v| {
        let pv = PossibleValue::new(*v);
        match meaning(v) {
            Some(m) => pv.help(m),
            None => pv,
        }
    }))
}

/// `config set --help`: every setting with what it means.
fn config_keys_help() -> String {
    let mut out = String::from("Settings:\n");
    for k in crate::records::settings::ALL {
        out.push_str(&format!("  {:<20} {}\n", k.key, k.help));
    }
    out.push_str("\nExample:\n  fieldvault config set shell.idle-minutes 5");
    out
}

const ABOUT: &str = "An encrypted vault for sensitive interview research: transcripts, consent, \
pseudonyms, redaction and consent-gated publication export.";

const AFTER: &str = "\
The vault is one encrypted file (default ./fieldvault.vault, or $FIELDVAULT_VAULT).
The passphrase is asked without echo; for scripts set FIELDVAULT_PASSPHRASE or use
--passphrase-file. It is never taken from the command line.

Start with `fieldvault init`, then `fieldvault shell` to unlock once and run
several commands. `fieldvault demo` shows the whole pipeline on fictional data.";

#[derive(Debug, Parser)]
/// `fieldvault` with no arguments prints this help (to stderr, exit 2: it is
/// a command line that asked for nothing, like any other usage error, so a
/// script whose command came out empty fails instead of passing silently).
#[command(
    name = "fieldvault",
    version,
    about = ABOUT,
    after_help = AFTER,
    propagate_version = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Vault file [default: $FIELDVAULT_VAULT, else ./fieldvault.vault]
    #[arg(
        help_heading = "Global options",
        long,
        global = true,
        value_name = "PATH"
    )]
    pub vault: Option<PathBuf>,
    /// Print one JSON object on stdout instead of text
    #[arg(help_heading = "Global options", long, global = true)]
    pub json: bool,
    /// Read the passphrase from the first line of this file
    #[arg(
        help_heading = "Global options",
        long,
        global = true,
        value_name = "FILE"
    )]
    pub passphrase_file: Option<PathBuf>,
    /// Unlock with an age identity file of a teammate's key slot instead of the passphrase
    #[arg(
        help_heading = "Global options",
        long,
        global = true,
        value_name = "FILE"
    )]
    pub identity: Option<PathBuf>,
    /// Seconds to wait for another fieldvault process to release the vault
    #[arg(
        help_heading = "Global options",
        long,
        global = true,
        value_name = "SECONDS",
        default_value_t = 30
    )]
    pub wait: u64,

    // --- vault: hostile headers (issue 10 item 5) ---
    /// Derive the key even if the vault asks for more than 16 times the default Argon2id cost (only for a vault you made so)
    #[arg(help_heading = "Global options", long, global = true)]
    pub trust_kdf_params: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new, empty vault
    #[command(after_help = "Example:\n  fieldvault init")]
    Init(InitArgs),
    /// Verify that the vault decrypts and its database and audit log are intact
    #[command(after_help = "Example:\n  fieldvault check")]
    Check,
    /// Change the passphrase (rewrites only the passphrase key slot)
    #[command(after_help = "Example:\n  fieldvault passwd")]
    Passwd(PasswdArgs),
    /// Make the vault unopenable forever by overwriting its key slots (panic button)
    #[command(after_help = "Example:\n  fieldvault destroy")]
    Destroy(DestroyArgs),
    /// Write a standard age-encrypted copy of the database, readable with age/rage alone
    #[command(
        after_help = "A backup is the database itself, encrypted to the given age public keys (or, without \
--recipient, to the vault passphrase with age's scrypt). Restored with `age -d`, it is plaintext: \
restore only into a private, unsynced folder.\n\nExample:\n  fieldvault backup --out vault-backup.age --recipient age1..."
    )]
    Backup(BackupArgs),
    /// Extra key slots: a teammate's age X25519 public key (opened with --identity)
    #[command(subcommand)]
    Key(KeyCmd),
    /// Interlocutors: real names, pseudonyms, descriptors
    #[command(subcommand)]
    Person(PersonCmd),
    /// Consent records (append-only history)
    #[command(subcommand)]
    Consent(ConsentCmd),
    /// Sensitive terms to redact, and the allow-list of words never redacted
    #[command(subcommand)]
    Term(TermCmd),
    /// Interview transcripts
    #[command(subcommand)]
    Transcript(TranscriptCmd),
    /// Excerpts: spans of a transcript with tags and notes
    #[command(subcommand)]
    Excerpt(ExcerptCmd),
    /// Redact a text file (or standard input) with the vault's lexicon; result on stdout
    #[command(after_help = "Example:\n  fieldvault redact notes.txt --explain")]
    Redact(RedactArgs),
    /// Export consented, redacted, leak-checked excerpts for publication or analysis
    #[command(
        after_help = "Example:\n  fieldvault export --format md --out quotes.md --tag pressure"
    )]
    Export(ExportArgs),
    /// Codings from analysis software (REFI-QDA .qdpx) back into excerpts
    #[command(subcommand)]
    Codings(CodingsCmd),
    /// Write an archive deposit: every interview whose every speaker consented to archiving, whole and redacted, with anonymisation logs
    #[command(after_help = "Example:\n  fieldvault deposit --out deposit-2024.zip")]
    Deposit(DepositArgs),
    /// The hash-chained audit log
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Per-vault settings (pseudonym scheme, shell idle lock, k for re-identification)
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Answer open questions before anything leaves: the review screen, or `review list` / `review resolve`
    Review(ReviewArgs),
    /// Unlock once, then run commands line by line (from a terminal or a piped file)
    #[command(
        after_help = "Inside the shell, type commands without `fieldvault`; `help` lists them, Tab completes, \
the arrows recall this sitting's lines (never written to disk).\n\nExamples:\n  fieldvault shell\n  fieldvault shell < commands.txt"
    )]
    Shell(ShellArgs),
    /// Run the whole pipeline on built-in fictional interviews in a temporary vault
    #[command(after_help = "Example:\n  fieldvault demo --keep demo-folder")]
    Demo(DemoArgs),

    // --- vault: travel mode (issue 10 item 8) ---
    /// Travel mode for a border crossing: remove the passphrase slot until `travel end`
    #[command(subcommand)]
    Travel(TravelCmd),
}

// --- vault: travel mode (issue 10 item 8) ---
#[derive(Debug, Subcommand)]
pub enum TravelCmd {
    /// Remove the passphrase slot and erase the key file, so nothing you carry opens the vault (needs another key slot)
    #[command(after_help = "Example:\n  fieldvault travel start")]
    Start {
        /// Do not ask for the typed confirmation
        #[arg(long)]
        yes: bool,
    },
    /// Restore a passphrase slot (open the vault with the age identity file of another slot, e.g. the key left at home)
    #[command(after_help = "Example:\n  fieldvault --identity home-key.txt travel end")]
    End {
        /// Read the new passphrase from this file (else $FIELDVAULT_NEW_PASSPHRASE, else a prompt, asked twice)
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
        /// Accept a passphrase that is easy to guess
        #[arg(long)]
        weak_passphrase: bool,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Argon2id memory in MiB [default: 256]
    #[arg(long, value_name = "N")]
    pub kdf_memory_mib: Option<u32>,
    /// Argon2id passes over memory [default: 3]
    #[arg(long, value_name = "N")]
    pub kdf_iterations: Option<u32>,
    /// Word before the number in generated pseudonyms [default: Respondent]
    #[arg(long, value_name = "WORD")]
    pub pseudonym_prefix: Option<String>,
    /// Accept a passphrase that is easy to guess (zxcvbn score below 3 of 4); not advised
    #[arg(long)]
    pub weak_passphrase: bool,
}

#[derive(Debug, Args)]
pub struct PasswdArgs {
    /// Read the new passphrase from this file (else $FIELDVAULT_NEW_PASSPHRASE, else a prompt)
    #[arg(long, value_name = "FILE")]
    pub new_passphrase_file: Option<PathBuf>,
    /// New Argon2id memory in MiB (default: keep)
    #[arg(long, value_name = "N")]
    pub kdf_memory_mib: Option<u32>,
    /// New Argon2id passes (default: keep)
    #[arg(long, value_name = "N")]
    pub kdf_iterations: Option<u32>,
    /// Accept a passphrase that is easy to guess (zxcvbn score below 3 of 4); not advised
    #[arg(long)]
    pub weak_passphrase: bool,
}

#[derive(Debug, Args)]
pub struct DestroyArgs {
    /// Do not ask for the typed confirmation
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Backup file to create (refuses to overwrite)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Encrypt to this age public key (age1...); repeatable. Without it, the backup uses the vault passphrase (age's scrypt)
    #[arg(long, value_name = "AGE_PUBLIC_KEY")]
    pub recipient: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum KeyCmd {
    /// Add a key slot for an age public key (takes effect at once)
    #[command(
        after_help = "Make a key with `age-keygen -o teammate.key`; the line starting age1 is the public key.\n\n\
Example:\n  fieldvault key add --recipient age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p --label translator"
    )]
    Add {
        /// The teammate's age public key (age1...), or an age plugin recipient (age1yubikey1...)
        #[arg(long, value_name = "AGE_PUBLIC_KEY")]
        recipient: String,
        /// A label to recognise the slot by (e.g. the teammate's role)
        #[arg(long, default_value = "", hide_default_value = true)]
        label: String,
    },
    /// List key slots
    #[command(after_help = "Example:\n  fieldvault key list")]
    List,
    /// Remove a key slot (then `key rotate`, so a kept copy of the old key opens nothing new)
    #[command(after_help = "Example:\n  fieldvault key remove 2")]
    Remove {
        /// The slot's id, from `key list`
        id: String,
    },
    /// Replace the vault's master key: after removing a teammate or if the passphrase may have leaked.
    /// Asks for the (new) passphrase twice, or reads $FIELDVAULT_NEW_PASSPHRASE / --new-passphrase-file
    #[command(after_help = "Example:\n  fieldvault key rotate")]
    Rotate {
        /// Read the new passphrase from the first line of this file (else $FIELDVAULT_NEW_PASSPHRASE, else a prompt)
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
        /// Accept a passphrase that is easy to guess (zxcvbn score below 3 of 4); not advised
        #[arg(long)]
        weak_passphrase: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PersonCmd {
    /// Register an interlocutor; prints their id and pseudonym
    #[command(
        after_help = "Example:\n  fieldvault person add --name \"Сапарова Айгерим Болатовна\" --alias \"Гера\" --descriptor \"environmental activist\""
    )]
    Add(PersonAddArgs),
    /// List persons (pseudonyms, descriptors, consent state)
    #[command(after_help = "Example:\n  fieldvault person list")]
    List,
    /// Show one person, with real name and contacts
    #[command(after_help = "Example:\n  fieldvault person show \"Respondent 1\"")]
    Show {
        /// The person's id (printed by `person add`) or pseudonym
        person: String,
    },
    /// Change a person's details
    #[command(
        after_help = "Example:\n  fieldvault person edit 1 --add-alias \"Гера\" --descriptor \"climate activist\""
    )]
    Edit(PersonEditArgs),
    /// Delete a person's transcripts, excerpts, evidence and real-name data (after a withdrawal); the pseudonym stays reserved
    #[command(after_help = "Example:\n  fieldvault person purge 3")]
    Purge {
        /// The person's id or pseudonym
        person: String,
        /// Do not ask for the typed confirmation
        #[arg(long)]
        yes: bool,
    },
    /// List earlier exports that contained this person's quotes
    #[command(after_help = "Example:\n  fieldvault person exports 3")]
    Exports {
        /// The person's id or pseudonym
        person: String,
    },
}

#[derive(Debug, Args)]
pub struct PersonAddArgs {
    /// Real name as usually written ("Сапарова Айгерим Болатовна" or "Dina Kim")
    #[arg(long)]
    pub name: String,
    /// Another name the person is known by (nickname, other spelling); repeatable
    #[arg(long, value_name = "A")]
    pub alias: Vec<String>,
    /// Publishable role, e.g. "independent environmental activist"
    #[arg(long, value_name = "D")]
    pub descriptor: Option<String>,
    /// Explicit pseudonym (must be unique) instead of the next generated one
    #[arg(long, value_name = "P")]
    pub pseudonym: Option<String>,
    /// Phone number, in any format (redacted in every form it is written); repeatable
    #[arg(long, value_name = "X")]
    pub phone: Vec<String>,
    /// E-mail address; repeatable
    #[arg(long, value_name = "X")]
    pub email: Vec<String>,
    /// Messenger or social handle (@name); repeatable
    #[arg(long, value_name = "X")]
    pub handle: Vec<String>,
    /// Attribute for the re-identification check, NAME=VALUE (city=Almaty, org-type=foundation); repeatable
    #[arg(long, value_name = "NAME=VALUE")]
    pub attr: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PersonEditArgs {
    /// The person's id or pseudonym
    pub person: String,
    /// New real name
    #[arg(long)]
    pub name: Option<String>,
    /// New descriptor ("" removes it)
    #[arg(long)]
    pub descriptor: Option<String>,
    /// New pseudonym (must be unique; earlier exports keep the old one)
    #[arg(long)]
    pub pseudonym: Option<String>,
    /// Add another name the person is known by; repeatable
    #[arg(long, value_name = "A")]
    pub add_alias: Vec<String>,
    /// Remove an alias by its text; repeatable
    #[arg(long, value_name = "A")]
    pub remove_alias: Vec<String>,
    /// Add a phone number; repeatable
    #[arg(long, value_name = "X")]
    pub add_phone: Vec<String>,
    /// Add an e-mail address; repeatable
    #[arg(long, value_name = "X")]
    pub add_email: Vec<String>,
    /// Add a messenger or social handle (@name); repeatable
    #[arg(long, value_name = "X")]
    pub add_handle: Vec<String>,
    /// Remove a phone, e-mail or handle by its value
    #[arg(long, value_name = "X")]
    pub remove_contact: Vec<String>,
    /// Set an attribute for the re-identification check, NAME=VALUE; repeatable
    #[arg(long, value_name = "NAME=VALUE")]
    pub attr: Vec<String>,
    /// Remove an attribute by its name; repeatable
    #[arg(long, value_name = "NAME")]
    pub remove_attr: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum ConsentCmd {
    /// Append a consent record
    #[command(
        after_help = "The newest record is the current consent; earlier ones stay in the history.\n\n\
Example:\n  fieldvault consent record 1 --date 2021-03-14 --method verbal-recorded --recording yes --quotes yes --attribution pseudonym"
    )]
    Record(ConsentRecordArgs),
    /// Record a withdrawal (of everything, or of one --scope); lists earlier exports that contained the person's quotes
    #[command(
        after_help = "Example:\n  fieldvault consent withdraw 1 --date 2022-06-15 --note \"asked by phone\""
    )]
    Withdraw {
        /// The person's id or pseudonym
        person: String,
        /// When the person withdrew
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// Withdraw only this purpose, keeping the rest of the consent: quotes, archive (data-archive deposits)
        /// or secondary-use (reuse by other researchers) [default: everything]
        #[arg(long, value_parser = PossibleValuesParser::new(Scope::VALUES))]
        scope: Option<String>,
        /// Free text kept with the record (how the withdrawal reached you)
        #[arg(long)]
        note: Option<String>,
    },
    /// Show the current consent and its history
    #[command(after_help = "Example:\n  fieldvault consent show 1")]
    Show {
        /// The person's id or pseudonym
        person: String,
    },
    /// Decrypt one consent evidence file (id from `consent show`) to FILE, checking its SHA-256
    #[command(
        after_help = "FILE is plaintext: write it to a private, unsynced folder.\n\nExample:\n  fieldvault consent evidence 1 --out consent-audio.m4a"
    )]
    Evidence {
        /// The evidence id shown by `consent show`
        id: String,
        /// File to create with the decrypted evidence
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct ConsentRecordArgs {
    /// The person's id or pseudonym
    pub person: String,
    /// When consent was given
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: String,
    /// How consent was given
    #[arg(long, value_parser = described(Method::VALUES, method_meaning))]
    pub method: String,
    /// May the interview be recorded and kept?
    #[arg(long, value_parser = yes_no("recording and keeping the interview agreed", "no recording: notes only"))]
    pub recording: String,
    /// May words of the interview be quoted in publications?
    #[arg(long, value_parser = yes_no("quotes may be published", "never quoted (may still be analysed)"))]
    pub quotes: String,
    /// How published quotes name the person
    #[arg(long, value_parser = described(Attribution::VALUES, attribution_meaning))]
    pub attribution: String,
    /// May the anonymised transcript be deposited in a data archive?
    #[arg(long, value_parser = yes_no("the anonymised transcript may be deposited in a data archive", "never deposited"), default_value = "no")]
    pub archive: String,
    /// May other researchers reuse the material?
    #[arg(long, value_parser = yes_no("other researchers may reuse the anonymised material", "only this project uses it"), default_value = "no")]
    pub secondary_use: String,
    /// No quotes may be published before this date
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub embargo_until: Option<String>,
    /// Free-text restrictions agreed with the person
    #[arg(long)]
    pub restrictions: Option<String>,
    /// Consent audio or a scanned form, stored encrypted beside the vault; repeatable
    #[arg(long, value_name = "FILE")]
    pub evidence: Vec<PathBuf>,
    /// Free text kept with the record
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TermCmd {
    /// Register a sensitive term (organisation, small place, workplace, event)
    #[command(
        after_help = "Example:\n  fieldvault term add \"Голос степи\" --kind org --replacement \"an environmental NGO\""
    )]
    Add {
        /// The term as usually written; its inflected and transliterated forms are matched too
        text: String,
        /// What the term is: sets the default replacement
        #[arg(long, value_parser = term_kind())]
        kind: TermKind,
        // The help is an attribute, not a doc comment: rustdoc would read the
        // bracketed examples as links.
        #[arg(
            long,
            help = "What the term becomes in redacted text [default by kind: [organisation], [place], ...]"
        )]
        replacement: Option<String>,
    },
    /// Never redact this word (a public figure, a city)
    #[command(after_help = "Example:\n  fieldvault term allow Токаев")]
    Allow {
        /// The word to keep
        text: String,
    },
    /// List terms and allowed words
    #[command(after_help = "Example:\n  fieldvault term list")]
    List,
    /// Remove a term or allowed word by id
    #[command(after_help = "Example:\n  fieldvault term remove 4")]
    Remove {
        /// The id shown by `term list`
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TranscriptCmd {
    /// Import transcripts: a file, several files, a folder, or --manifest
    #[command(
        after_help = "Example:\n  fieldvault transcript import interview01.txt --translation interview01.en.txt --person 1 --date 2021-03-14 --lang ru"
    )]
    Import(ImportArgs),
    /// List transcripts
    #[command(after_help = "Example:\n  fieldvault transcript list")]
    List,
    /// Show a transcript's turns (--redacted for the publishable form)
    #[command(after_help = "Example:\n  fieldvault transcript show 1 --redacted")]
    Show {
        /// The transcript's id, from `transcript list`
        id: String,
        /// Show the redacted text, as an export would print it
        #[arg(long)]
        redacted: bool,
    },
    /// Delete a transcript with its excerpts (e.g. imported by mistake)
    #[command(after_help = "Example:\n  fieldvault transcript remove 2")]
    Remove {
        /// The transcript's id
        id: String,
        /// Do not ask for the typed confirmation
        #[arg(long)]
        yes: bool,
    },
    /// Full-text search over originals and translations
    #[command(after_help = "Example:\n  fieldvault transcript search \"суд\"")]
    Search {
        /// Words to find (all of them, in any form SQLite FTS5 matches)
        query: String,
        /// Show at most this many matching turns
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Transcript file(s) or a folder (.txt .md .vtt .srt .sbv .docx)
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Person(s) interviewed (id or pseudonym); repeatable
    #[arg(long, value_name = "PERSON")]
    pub person: Vec<String>,
    /// Group interviews: which person speaks under which label, LABEL=PERSON (e.g. "Респондент 2=7");
    /// the consent gate then checks each excerpt's own speakers; repeatable
    #[arg(long, value_name = "LABEL=PERSON")]
    pub speaker: Vec<String>,
    /// Date of the interview
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Language of the original: ru, kk, en, ...
    #[arg(long)]
    pub lang: Option<String>,
    /// Translation aligned turn by turn with the original
    #[arg(long, value_name = "FILE")]
    pub translation: Option<PathBuf>,
    /// Language of the translation
    #[arg(long, default_value = "en")]
    pub translation_lang: String,
    /// Accept a translation whose turns do not match the original's one to one: align by position
    /// (turn i with turn i; extra translated turns join the last one)
    #[arg(long, requires = "translation")]
    pub align_by_position: bool,
    /// Who conducted the interview (kept as metadata; not published)
    #[arg(long)]
    pub interviewer: Option<String>,
    /// CSV manifest (file,translation,persons,date,lang) for a batch import; all or nothing
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,

    // Issue 12 (imports that never mangle).
    /// Read no speaker labels: each paragraph, line or cue becomes a turn without a speaker
    /// (for notes, monologues and subtitles whose "Word:" lines are not speakers)
    #[arg(long, conflicts_with = "speaker")]
    pub no_speakers: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExcerptCmd {
    /// Mark a span of a transcript as an excerpt
    #[command(
        after_help = "Example:\n  fieldvault excerpt add 1 --lines 4-6 --tag funding --note \"grant story\""
    )]
    Add {
        /// The transcript's id, from `transcript list`
        transcript: String,
        /// Turn range, e.g. 3-7
        #[arg(
            long,
            value_name = "A-B",
            conflicts_with = "all",
            required_unless_present = "all"
        )]
        lines: Option<String>,
        /// The whole transcript
        #[arg(long)]
        all: bool,
        /// A code for the excerpt (exports can select by it); repeatable
        #[arg(long, value_name = "T")]
        tag: Vec<String>,
        /// A note for yourself (never exported)
        #[arg(long)]
        note: Option<String>,
    },
    /// List excerpts (optionally with any of the tags)
    #[command(after_help = "Example:\n  fieldvault excerpt list --tag funding")]
    List {
        /// Only excerpts with any of these tags; repeatable
        #[arg(long, value_name = "T")]
        tag: Vec<String>,
    },
    /// Show an excerpt's text (--redacted for the publishable form)
    #[command(after_help = "Example:\n  fieldvault excerpt show 3 --redacted")]
    Show {
        /// The excerpt's id, from `excerpt list`
        id: String,
        /// Show the redacted text, as an export would print it
        #[arg(long)]
        redacted: bool,
    },
    /// Change an excerpt's span, tags or note
    #[command(after_help = "Example:\n  fieldvault excerpt edit 3 --lines 4-7 --add-tag courts")]
    Edit {
        /// The excerpt's id
        id: String,
        /// New turn range, e.g. 4-7
        #[arg(long, value_name = "A-B")]
        lines: Option<String>,
        /// Add a tag; repeatable
        #[arg(long, value_name = "T")]
        add_tag: Vec<String>,
        /// Remove a tag; repeatable
        #[arg(long, value_name = "T")]
        remove_tag: Vec<String>,
        /// New note ("" removes it)
        #[arg(long)]
        note: Option<String>,
    },
    /// Delete an excerpt
    #[command(after_help = "Example:\n  fieldvault excerpt remove 3")]
    Remove {
        /// The excerpt's id
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct RedactArgs {
    /// Text file to redact; - or nothing reads standard input
    pub file: Option<PathBuf>,
    /// List every replacement with its offsets and the entry or pattern behind it (stderr, or in --json)
    #[arg(long)]
    pub explain: bool,
    /// List capitalised words that match nothing registered: candidates to register
    #[arg(long)]
    pub suspects: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// md (Markdown), csv, json, docx (Word) or qdpx (REFI-QDA for MAXQDA, NVivo, ATLAS.ti, QualCoder)
    #[arg(long, value_parser = export_format())]
    pub format: Format,
    /// File to write (refuses an existing file unless --force)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Only excerpts with any of these tags; repeatable
    #[arg(long, value_name = "T")]
    pub tag: Vec<String>,
    /// Only excerpts in which these persons speak; repeatable
    #[arg(long, value_name = "PERSON")]
    pub person: Vec<String>,
    /// Refuse instead of warning: on any consent exclusion or re-identification risk
    #[arg(long)]
    pub strict: bool,
    /// Re-identification threshold: flag descriptor combinations shared by fewer persons [default: setting export.k, 3]
    #[arg(long, value_name = "N")]
    pub k: Option<u32>,
    /// Attribute by real name a person whose consent asks for it (needs --reason; audited)
    #[arg(long, value_name = "PERSON")]
    pub allow_named: Vec<String>,
    /// Why naming is right here (recorded in the audit log)
    #[arg(long)]
    pub reason: Option<String>,
    /// Overwrite an existing output file
    #[arg(long)]
    pub force: bool,

    // Layout of the written file (fieldvault-export).
    /// Markdown and Word: one section per tag, so a quote with several tags is printed under each (default: once, under its first tag, naming the others)
    #[arg(long)]
    pub by_tag: bool,
    /// Export although excerpts have open review questions (recorded in the audit log with the counts; never with --strict)
    #[arg(long)]
    pub unreviewed: bool,

    // Whole transcripts for coding (issue 13).
    /// With --format qdpx: every transcript whose speakers' consent allows analysis, whole and redacted, for coding
    /// in MAXQDA, NVivo, ATLAS.ti or QualCoder (bring the codings back with `codings import`)
    #[arg(long, conflicts_with_all = ["tag", "person", "allow_named", "by_tag"])]
    pub transcripts: bool,
}

// Deposit and codings (issue 13).

#[derive(Debug, Args)]
pub struct DepositArgs {
    /// The package to write, a .zip (refuses an existing file unless --force)
    #[arg(long, value_name = "FILE.zip")]
    pub out: PathBuf,
    /// Deposit although some of it has open review questions (recorded in the audit log)
    #[arg(long)]
    pub unreviewed: bool,
    /// Refuse instead of warning: when an interview is left out or a re-identification risk is found
    #[arg(long)]
    pub strict: bool,
    /// Re-identification threshold [default: setting export.k, 3]
    #[arg(long, value_name = "N")]
    pub k: Option<u32>,
    /// Overwrite an existing output file
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum CodingsCmd {
    /// Bring codings made in MAXQDA, NVivo, ATLAS.ti or QualCoder on an `export --transcripts` file back as excerpts
    #[command(after_help = "Example:\n  fieldvault codings import coded.qdpx --dry-run")]
    Import(CodingsImportArgs),
}

#[derive(Debug, Args)]
pub struct CodingsImportArgs {
    /// The coded REFI-QDA project (.qdpx) exported by the analysis software
    #[arg(value_name = "FILE.qdpx")]
    pub file: PathBuf,
    /// List what would be created and updated, and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Print the audit log
    #[command(after_help = "Example:\n  fieldvault audit show")]
    Show,
    /// Recompute the hash chain; fails if an entry was edited or removed
    #[command(after_help = "Example:\n  fieldvault audit verify")]
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Show every setting
    #[command(after_help = "Example:\n  fieldvault config show")]
    Show,
    /// Change a setting
    #[command(after_help = config_keys_help())]
    Set {
        /// The setting's name (listed below)
        key: String,
        /// Its new value
        value: String,
    },
}

#[derive(Debug, Args)]
pub struct ShellArgs {
    /// Lock after this many idle minutes, fractions allowed [default: setting shell.idle-minutes, 10; 0 = never]
    #[arg(long, value_name = "MINUTES")]
    pub idle_minutes: Option<f64>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Keep the demo vault and its exports in this new folder instead of a temporary one
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
    /// Argon2id memory in MiB for the demo vault [default: 256]
    #[arg(long, value_name = "N")]
    pub kdf_memory_mib: Option<u32>,
    /// Argon2id passes for the demo vault [default: 3]
    #[arg(long, value_name = "N")]
    pub kdf_iterations: Option<u32>,
}

// ---- review (issue 11) ----

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ReviewArgs {
    #[command(subcommand)]
    pub cmd: Option<ReviewCmd>,
    /// Transcript to review on the screen; without it, the transcripts with their open questions
    #[arg(value_name = "TRANSCRIPT")]
    pub transcript: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ReviewCmd {
    /// List open questions (all transcripts, or one)
    #[command(after_help = "Example:\n  fieldvault review list 3 --json")]
    List {
        /// Only this transcript's questions (id); all transcripts without it
        #[arg(value_name = "TRANSCRIPT")]
        transcript: Option<String>,
    },
    /// Answer one open question (id from `review list`)
    #[command(
        after_help = "Examples:\n  fieldvault review resolve 3:12:o45 keep\n  fieldvault review resolve 3:14:o8 person --descriptor \"trade union lawyer\""
    )]
    Resolve(ResolveArgs),
}

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ResolveAction {
    /// Leave this occurrence as written
    Keep,
    /// Replace this occurrence only
    Redact,
    /// Never redact this word anywhere (public figure, common word)
    Allow,
    /// Register the word as a sensitive term (needs --kind)
    Term,
    /// Register the word as a new person (optionally --descriptor)
    Person,
    /// Add the word as an alias of PERSON
    Alias,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// Question id, e.g. 3:12:o45
    pub id: String,
    /// The answer: keep or redact this occurrence, allow the word everywhere, or register it as a term, a person or an alias
    #[arg(value_enum)]
    pub action: ResolveAction,
    /// For `alias`: the person (id or pseudonym)
    #[arg(value_name = "PERSON")]
    pub person: Option<String>,
    /// For `person`: the publishable role
    #[arg(long, value_name = "D")]
    pub descriptor: Option<String>,
    /// For `term`: org, place, person or other
    #[arg(long, value_parser = term_kind())]
    pub kind: Option<TermKind>,
    /// For `term` and `redact`: what the word becomes
    #[arg(long)]
    pub replacement: Option<String>,
}
