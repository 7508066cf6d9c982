//! Throughput of `redact()` on generated mixed Russian/Kazakh/English text
//! with names embedded, for lexicons of 10, 1,000 and 10,000 persons, plus
//! lexicon build times and a naive baseline (one regex per expanded variant,
//! applied in turn).
//!
//!     cargo bench -p fieldvault-redact                  # 100 MB of text
//!     FV_BENCH_MB=20 cargo bench -p fieldvault-redact   # smaller
//!
//! Plain `std::time`, single-threaded, deterministic (seeded) data.

use std::time::{Duration, Instant};

#[path = "interview.rs"]
#[allow(dead_code)]
pub mod interview;

use fieldvault_redact::{
    redact, redact_parallel, Lexicon, LexiconSource, PersonSource, RedactOptions, TermKind,
    TermSource,
};

/// xorshift64*: deterministic and dependency-free.
pub struct Rng(pub u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const GIVEN: &[&str] = &[
    "Ерлан",
    "Айгерим",
    "Нурлан",
    "Жанар",
    "Асель",
    "Бахыт",
    "Данияр",
    "Гульнара",
    "Мадина",
    "Азамат",
    "Арман",
    "Динара",
    "Сауле",
    "Талгат",
    "Меруерт",
    "Кайрат",
    "Санжар",
    "Айдана",
    "Ботагоз",
    "Жасулан",
    "Надежда",
    "Ольга",
    "Сергей",
    "Татьяна",
    "Дмитрий",
    "Елена",
    "Виктор",
    "Ирина",
    "Андрей",
    "Наталья",
    "Михаил",
    "Людмила",
    "Павел",
    "Светлана",
    "Ержан",
    "Алия",
    "Самат",
    "Еркин",
    "Салтанат",
    "Тимур",
    "Зарина",
    "Олжас",
    "Камила",
    "Руслан",
    "Индира",
    "Максат",
    "Аружан",
    "Диас",
    "Нургуль",
    "Бекзат",
];
const STEMS: &[&str] = &[
    "Жумаба",
    "Сапар",
    "Тлеуба",
    "Абдрахман",
    "Омар",
    "Нурбек",
    "Сейткали",
    "Есен",
    "Мукан",
    "Волк",
    "Смирн",
    "Лебед",
    "Кенжебек",
    "Досым",
    "Касымбек",
    "Айтба",
    "Серикба",
    "Жаксыбек",
    "Утеп",
    "Бекмурат",
    "Кулмаган",
    "Ибра",
    "Сагынба",
    "Турсын",
    "Жаныб",
    "Карим",
    "Байжан",
    "Амангельд",
    "Исмаил",
    "Шайкен",
    "Ордаба",
    "Калиаскар",
    "Муканбетжан",
    "Нуржан",
    "Рахим",
    "Ермек",
    "Асылбек",
    "Тулеген",
    "Даулетба",
    "Жунус",
];
const FATHERS: &[&str] = &[
    "Болат",
    "Кайрат",
    "Петр",
    "Ерлан",
    "Серик",
    "Марат",
    "Иван",
    "Нурлан",
    "Сергей",
    "Асан",
];
const RU: &[&str] = &[
    "и",
    "в",
    "не",
    "на",
    "что",
    "мы",
    "это",
    "когда",
    "потом",
    "сказал",
    "пришла",
    "город",
    "работа",
    "письмо",
    "вчера",
    "фонд",
    "проект",
    "грант",
    "отчёт",
    "полиция",
    "акимат",
    "волонтёры",
    "встреча",
    "телефон",
    "сообщение",
    "очень",
    "сегодня",
    "деньги",
    "люди",
    "говорили",
    "после",
    "перед",
    "вместе",
    "всегда",
    "никогда",
    "потому",
    "что-то",
];
const KK: &[&str] = &[
    "және",
    "бірақ",
    "ауылда",
    "кейін",
    "келді",
    "жұмыс",
    "хат",
    "деді",
    "мектеп",
    "балалар",
    "қала",
    "үй",
    "ақша",
    "әкімдік",
    "полиция",
    "телефон",
    "уақыт",
    "адамдар",
    "бүгін",
    "ертең",
    "көмек",
    "қор",
    "жоба",
    "есеп",
];
const EN: &[&str] = &[
    "the",
    "and",
    "we",
    "went",
    "to",
    "with",
    "office",
    "letter",
    "said",
    "after",
    "tired",
    "foundation",
    "grant",
    "police",
    "report",
    "people",
    "money",
    "phone",
    "message",
    "village",
    "school",
    "meeting",
    "always",
    "never",
];
const CITIES: &[&str] = &[
    "Алматы",
    "Шымкенте",
    "Астанада",
    "Almaty",
    "Shymkent",
    "Өскемен",
    "Караганды",
    "Актобе",
];
const RU_END: &[&str] = &["", "а", "у", "ом", "е"];
const KK_END: &[&str] = &["", "ға", "ның", "мен", "ды", "да", "дан", "ге", "нің"];

pub struct Person {
    given: String,
    surname: String,
    patronymic: String,
}

/// Surname syllables (Kazakh and Russian-looking): combined two or three at
/// a time they give tens of thousands of distinct surnames.
const SYLLABLES: &[&str] = &[
    "ба", "бе", "да", "дос", "ер", "жан", "жу", "ке", "ка", "кул", "ма", "му", "на", "нур", "ор",
    "са", "сер", "та", "то", "ул", "ша", "ыс", "ай", "ал", "ас", "бек", "бол", "гал", "ис", "кай",
    "мар", "сай", "тай", "тур", "ум", "ес", "ом", "ра", "сул", "ха", "во", "ло", "ки", "ре", "ги",
    "зе",
];

pub fn persons(n: usize, rng: &mut Rng) -> Vec<Person> {
    let mut out = Vec::with_capacity(n);
    let mut seen = std::collections::HashSet::new();
    for i in 0..n {
        let given = GIVEN[i % GIVEN.len()];
        let fem = given.ends_with('а') || given.ends_with('я');
        // A distinct surname: a pool stem for the first persons, then two or
        // three generated syllables.
        let base = loop {
            let b = if i < STEMS.len() {
                STEMS[i].to_string()
            } else {
                let k = 2 + rng.below(2);
                (0..k).map(|_| rng.pick(SYLLABLES)).collect::<String>()
            };
            let cap: String = b
                .chars()
                .take(1)
                .flat_map(char::to_uppercase)
                .chain(b.chars().skip(1))
                .collect();
            if seen.insert(cap.clone()) {
                break cap;
            }
        };
        let sur = if base.ends_with('а') || base.ends_with('й') {
            format!("{base}ев")
        } else {
            format!("{base}ов")
        };
        let sur = if fem { format!("{sur}а") } else { sur };
        let father = FATHERS[rng.below(FATHERS.len())];
        let patr = format!("{father}{}", if fem { "овна" } else { "ович" });
        out.push(Person {
            given: given.to_string(),
            surname: sur,
            patronymic: patr,
        });
    }
    out
}

pub fn source(ps: &[Person]) -> LexiconSource {
    let mut src = LexiconSource::default();
    for (i, p) in ps.iter().enumerate() {
        src.persons.push(PersonSource {
            key: format!("p{i}"),
            replacement: format!("[Respondent {}]", i + 1),
            name: format!("{} {} {}", p.surname, p.given, p.patronymic),
            aliases: vec![],
            phones: vec![format!(
                "+7 701 {:03} {:02} {:02}",
                i % 1000,
                (i / 1000) % 100,
                i % 97
            )],
            emails: vec![format!("person{i}@mail.kz")],
            handles: vec![format!("@person_{i}")],
        });
    }
    for i in 0..(ps.len() / 10).max(2) {
        src.terms.push(TermSource {
            key: format!("t{i}"),
            text: format!(
                "{} {}",
                ["Фонд", "Ауыл", "Клуб", "Голос"][i % 4],
                STEMS[i % STEMS.len()]
            ),
            kind: if i % 2 == 0 {
                TermKind::Org
            } else {
                TermKind::Place
            },
            replacement: String::new(),
        });
    }
    src.allow = vec!["Токаев".into(), "Назарбаев".into()];
    src
}

/// Mixed text of about `bytes` bytes. `FV_BENCH_DENSITY` names per 1000
/// words (default 30, i.e. 3 %: the public evaluation corpus, written to be
/// dense with identifiers, has about 4 % of its words redacted, names,
/// contacts and terms together), plus 1 % cities and 1 % years.
pub fn text(bytes: usize, ps: &[Person], rng: &mut Rng) -> String {
    let density: usize = std::env::var("FV_BENCH_DENSITY")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let mut t = String::with_capacity(bytes + 1024);
    while t.len() < bytes {
        let lang = rng.below(3);
        let vocab = [RU, KK, EN][lang];
        let n = 6 + rng.below(12);
        for k in 0..n {
            let w = rng.pick(vocab);
            if k == 0 {
                let mut cs = w.chars();
                if let Some(f) = cs.next() {
                    t.extend(f.to_uppercase());
                    t.push_str(cs.as_str());
                }
            } else {
                t.push(' ');
                let r = rng.below(1000);
                match r / 10 {
                    _ if r < density && !ps.is_empty() => {
                        let p = &ps[rng.below(ps.len())];
                        let tok = [&p.given, &p.surname, &p.patronymic][rng.below(3)];
                        let end = if lang == 1 {
                            rng.pick(KK_END)
                        } else {
                            rng.pick(RU_END)
                        };
                        t.push_str(tok);
                        t.push_str(end);
                    }
                    97 => t.push_str(rng.pick(CITIES)),
                    98 => t.push_str(&format!("{}", 1990 + rng.below(35))),
                    99 if rng.below(20) == 0 => t.push_str(&format!(
                        "+7 7{:02} {:03} {:02} {:02}",
                        rng.below(100),
                        rng.below(1000),
                        rng.below(100),
                        rng.below(100)
                    )),
                    _ => t.push_str(w),
                }
            }
        }
        t.push_str([". ", "? ", ".\n", ", "][rng.below(4)]);
    }
    t
}

/// CPU time of this thread in nanoseconds (Linux), so that numbers taken
/// on a shared machine are not diluted by other processes.
pub fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn mbps(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

/// Russian endings and Kazakh case suffixes the naive expansion spells out.
const NAIVE_RU: &[&str] = &[
    "", "а", "у", "ом", "е", "ы", "ой", "ою", "ым", "ых", "ам", "ами", "ах", "ин", "ина",
];
const NAIVE_KK: &[&str] = &[
    "ға", "ге", "қа", "ке", "ның", "нің", "дың", "дің", "тың", "тің", "ны", "ні", "ды", "ді", "ты",
    "ті", "да", "де", "та", "те", "дан", "ден", "тан", "тен", "нан", "нен", "мен", "бен", "пен",
    "лар", "дар", "тар",
];

fn latin(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_lowercase().next().unwrap_or(c) {
            'а' | 'ә' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ғ' => "g",
            'д' => "d",
            'е' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'і' => "i",
            'й' => "y",
            'к' | 'қ' => "k",
            'л' => "l",
            'м' => "m",
            'н' | 'ң' => "n",
            'о' | 'ө' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ұ' | 'ү' => "u",
            'ф' => "f",
            'х' | 'һ' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ы' => "y",
            'э' => "e",
            'ю' => "yu",
            'я' => "ya",
            _ => "",
        })
        .collect()
}

/// The naive approach: every expanded surface variant (Russian endings and
/// Kazakh cases, Cyrillic and one Latin spelling; no nicknames, no other
/// transliterations, no suffix chains) as its own regex, applied in turn.
fn naive_variants(ps: &[Person]) -> Vec<String> {
    let mut v = Vec::new();
    for p in ps {
        for tok in [&p.given, &p.surname, &p.patronymic] {
            for e in NAIVE_RU.iter().chain(NAIVE_KK) {
                let f = format!("{tok}{e}");
                let mut l = latin(&f);
                if let Some(c) = l.get(..1).map(str::to_uppercase) {
                    l.replace_range(..1, &c);
                }
                v.push(f);
                v.push(l);
            }
        }
    }
    v.sort();
    v.dedup();
    v
}

fn main() {
    let mb: usize = std::env::var("FV_BENCH_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let mut rng = Rng(0x5EED_F1E1_D5AF_E000);
    let all = persons(10_000, &mut rng);
    let t0 = Instant::now();
    let text = text(mb * 1_000_000, &all, &mut rng);
    println!(
        "generated {:.1} MB of mixed ru/kk/en text in {:?}",
        text.len() as f64 / 1e6,
        t0.elapsed()
    );
    let opts = RedactOptions::default();
    let mut at_10 = 0.0;
    for n in [10usize, 1_000, 10_000] {
        let src = source(&all[..n]);
        let t = Instant::now();
        let lex = Lexicon::build(&src);
        let build = t.elapsed();
        let c0 = cpu_ns();
        let t = Instant::now();
        let r = redact(&lex, &text, &opts);
        let d = t.elapsed();
        let cpu = c0.and_then(|c| cpu_ns().map(|e| Duration::from_nanos(e - c)));
        let speed = mbps(text.len(), cpu.unwrap_or(d));
        if n == 10 {
            at_10 = speed;
        }
        println!(
            "persons={n:>6}: build {:>8.1?} ({} stems, {} variants), redact {:>6.1} MB/s on-CPU, {:>6.1} MB/s wall ({} replacements)",
            build,
            lex.stems(),
            lex.len_variants(),
            speed,
            mbps(text.len(), d),
            r.replacements.len()
        );
        std::hint::black_box(&r);
    }

    // Interview text: the interview corpora repeated, their own persons
    // plus generated ones.
    let itext = interview::text(mb * 1_000_000);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "interview text: {:.1} MB from {} corpora",
        itext.len() as f64 / 1e6,
        interview::corpora().len()
    );
    for n in [10usize, 1_000, 10_000] {
        let src = interview::source_with(n, source(&all));
        let t = Instant::now();
        let lex = Lexicon::build(&src);
        let build = t.elapsed();
        let c0 = cpu_ns();
        let t = Instant::now();
        let r = redact(&lex, &itext, &opts);
        let d = t.elapsed();
        let cpu = c0.and_then(|c| cpu_ns().map(|e| Duration::from_nanos(e - c)));
        let t = Instant::now();
        let rp = redact_parallel(&lex, &itext, &opts, threads);
        let dp = t.elapsed();
        assert_eq!(rp, r, "parallel redaction differs");
        println!(
            "interview persons={:>6}: build {:>8.1?}, redact {:>6.1} MB/s on-CPU, {:>6.1} MB/s wall; {} threads {:>6.1} MB/s wall ({} replacements)",
            src.persons.len(),
            build,
            mbps(itext.len(), cpu.unwrap_or(d)),
            mbps(itext.len(), d),
            threads,
            mbps(itext.len(), dp),
            r.replacements.len()
        );
    }
    if let Some(mb) = interview::peak_rss_mb() {
        println!("peak resident memory of the bench: {mb:.0} MB");
    }

    // Naive baseline on a slice, with 10 persons.
    let slice_len = (text.len() / 100).clamp(200_000, 1_000_000);
    let mut cut = slice_len.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let slice = &text[..cut];
    let variants = naive_variants(&all[..10]);
    let regexes: Vec<regex::Regex> = variants
        .iter()
        .map(|v| regex::Regex::new(&format!(r"\b{}\b", regex::escape(v))).expect("regex"))
        .collect();
    let c0 = cpu_ns();
    let t = Instant::now();
    let mut s = slice.to_string();
    for re in &regexes {
        s = re.replace_all(&s, "[X]").into_owned();
    }
    let d = c0
        .and_then(|c| cpu_ns().map(|e| Duration::from_nanos(e - c)))
        .unwrap_or(t.elapsed());
    std::hint::black_box(&s);
    let base = mbps(slice.len(), d);
    println!(
        "naive baseline (10 persons, {} regexes applied in turn) on {:.1} MB: {:.2} MB/s; engine at 10 persons is {:.0}x faster",
        regexes.len(),
        slice.len() as f64 / 1e6,
        base,
        at_10 / base
    );
}
