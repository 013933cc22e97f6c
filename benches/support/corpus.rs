//! The benchmark's corpus: a site of N briefs of made-up but plausible policy prose (plus 50
//! authors and an about page), generated deterministically so that brief `i` is the same text
//! at every N and on every machine. Included by benches/build.rs with `#[path]`
//! (in a subfolder, so that Cargo does not take it for a bench of its own).

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// Authors in every generated site.
pub const AUTHORS: usize = 50;

/// xorshift64*: a few lines of code, fast, and good enough to vary made-up prose. A crate such as
/// `rand` would add a dependency (and its output may change between its versions, which would
/// silently change the benchmark's input); this generator's sequence is fixed forever.
struct Rng(u64);

impl Rng {
    /// Seeds through splitmix64 so that neighbouring seeds (brief 41, brief 42) diverge at once.
    fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.range(0, items.len() - 1)]
    }

    /// Like `pick`, but early items are chosen far more often, as with words in real text.
    fn pick_skewed<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.skewed_index(items.len())]
    }

    fn skewed_index(&mut self, len: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * len as f64) as usize).min(len - 1)
    }

    /// `k` distinct indices below `len`, skewed like `pick_skewed`.
    fn distinct(&mut self, k: usize, len: usize, skewed: bool) -> Vec<usize> {
        let mut out = Vec::with_capacity(k);
        while out.len() < k {
            let i = if skewed {
                self.skewed_index(len)
            } else {
                self.range(0, len - 1)
            };
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }
}

const NOUNS: &[&str] = &[
    "sanctions regime",
    "alliance",
    "treaty",
    "government",
    "ministry",
    "coalition",
    "deterrent",
    "arsenal",
    "negotiation",
    "summit",
    "border",
    "economy",
    "budget",
    "parliament",
    "export control",
    "supply chain",
    "inspection",
    "missile program",
    "reactor",
    "election",
    "ceasefire",
    "embargo",
    "delegation",
    "security council",
    "defense industry",
    "enrichment facility",
    "shipping lane",
    "tariff",
    "central bank",
    "refinery",
    "pipeline",
    "port",
    "garrison",
    "satellite",
    "drone fleet",
    "cyber unit",
    "grain corridor",
    "aid package",
    "loan",
    "credit line",
    "fishing fleet",
    "navy",
    "air force",
    "militia",
    "court",
    "constitution",
    "referendum",
    "protest movement",
    "opposition",
    "ruling party",
    "intelligence service",
    "verification regime",
    "hotline",
    "framework agreement",
    "peace process",
    "mediation effort",
    "stockpile",
    "warhead",
    "launcher",
    "test site",
    "reform",
    "investment screening",
    "chip industry",
    "rare earth supply",
    "currency",
    "debt",
    "bond market",
    "energy price",
    "power grid",
    "water agreement",
    "refugee flow",
    "visa policy",
    "trade deal",
    "doctrine",
    "posture",
    "exercise",
    "patrol",
    "buffer zone",
    "monitoring mission",
];
const ADJECTIVES: &[&str] = &[
    "new",
    "fragile",
    "regional",
    "bilateral",
    "multilateral",
    "strategic",
    "limited",
    "costly",
    "informal",
    "formal",
    "credible",
    "uncertain",
    "modest",
    "ambitious",
    "aging",
    "rival",
    "domestic",
    "foreign",
    "naval",
    "nuclear",
    "conventional",
    "economic",
    "political",
    "legal",
    "covert",
    "public",
    "sweeping",
    "narrow",
    "short-term",
    "long-term",
    "outdated",
    "expanding",
    "shrinking",
    "contested",
    "neglected",
    "reluctant",
    "overdue",
    "decisive",
    "gradual",
    "sudden",
    "hidden",
    "visible",
    "coordinated",
    "divided",
    "cautious",
    "assertive",
    "stable",
    "volatile",
];
const VERBS: &[&str] = &[
    "weakened",
    "strengthened",
    "undermined",
    "reshaped",
    "delayed",
    "accelerated",
    "complicated",
    "clarified",
    "tested",
    "exposed",
    "ignored",
    "rewarded",
    "punished",
    "financed",
    "blocked",
    "approved",
    "challenged",
    "replaced",
    "extended",
    "limited",
    "redirected",
    "constrained",
    "encouraged",
    "discouraged",
    "outlasted",
    "mirrored",
    "overshadowed",
    "revived",
    "stalled",
    "narrowed",
    "widened",
    "absorbed",
    "fragmented",
    "anchored",
    "eroded",
    "sustained",
    "reversed",
];
const ADVERBS: &[&str] = &[
    "quietly",
    "openly",
    "steadily",
    "sharply",
    "briefly",
    "repeatedly",
    "largely",
    "partly",
    "rarely",
    "increasingly",
    "deliberately",
    "unexpectedly",
    "slowly",
    "quickly",
    "formally",
];
const PREPOSITIONS: &[&str] = &[
    "in", "across", "near", "against", "under", "beyond", "within", "along", "after", "before",
    "despite", "without", "toward", "around", "between",
];
const PROPER: &[&str] = &[
    "Moscow",
    "Beijing",
    "Washington",
    "Brussels",
    "Pyongyang",
    "Seoul",
    "Tokyo",
    "Tehran",
    "New Delhi",
    "Islamabad",
    "Ankara",
    "Kyiv",
    "Warsaw",
    "Berlin",
    "Paris",
    "London",
    "Riyadh",
    "Cairo",
    "Nairobi",
    "Addis Ababa",
    "Abuja",
    "Brasilia",
    "Mexico City",
    "Canberra",
    "Jakarta",
    "Hanoi",
    "Manila",
    "Taipei",
    "Astana",
    "Tbilisi",
    "Baku",
    "Yerevan",
    "the Baltic states",
    "the Gulf states",
    "the Sahel",
    "the Arctic Council",
    "NATO",
    "the IAEA",
    "ASEAN",
    "the African Union",
    "the European Commission",
    "the G-20",
    "the UN Security Council",
];
const CONNECTORS: &[&str] = &[
    "However,",
    "Meanwhile,",
    "In practice,",
    "For now,",
    "Even so,",
    "By contrast,",
    "As a result,",
    "In the short term,",
    "Over time,",
    "Above all,",
    "Still,",
    "At the same time,",
    "Put simply,",
    "In effect,",
    "Crucially,",
    "Predictably,",
    "Perhaps more importantly,",
];
const CLAUSES: &[&str] = &[
    "which few officials expected",
    "although the details remain unclear",
    "as several analysts have noted",
    "at least for the time being",
    "even as budgets tightened",
    "while talks continued behind closed doors",
    "because neither side wanted to move first",
    "despite repeated warnings",
    "which changed the calculus in several capitals",
    "and the costs were borne by others",
    "though the evidence is mixed",
    "as the deadline approached",
];
const TOPICS: &[&str] = &[
    "Nuclear Weapons",
    "Arms Control",
    "Sanctions",
    "Export Controls",
    "Cybersecurity",
    "Energy Security",
    "Trade Policy",
    "Climate and Security",
    "Maritime Security",
    "Space Policy",
    "Migration",
    "Democracy and Governance",
    "Defense Budgets",
    "Emerging Technology",
];
const REGIONS: &[&str] = &[
    "East Asia",
    "Korean Peninsula",
    "Russia",
    "Europe",
    "Middle East",
    "South Asia",
    "Southeast Asia",
    "Sub-Saharan Africa",
    "Latin America",
    "Central Asia",
    "Arctic",
    "North America",
];
const PROGRAMS: &[&str] = &[
    "Nuclear Policy Program",
    "Economic Statecraft Program",
    "Technology and International Affairs Program",
    "Democracy, Conflict, and Governance Program",
    "Sustainability, Climate, and Geopolitics Program",
];
const SERIES: &[&str] = &[
    "Russia-North Korea Relations",
    "The Future of Arms Control",
    "Sanctions in Practice",
    "Chips and Power",
    "Arctic Futures",
    "Elections in 2024",
];
const FIRST_NAMES: &[&str] = &[
    "Amara", "Ben", "Chen", "Dalia", "Emil", "Farah", "Goran", "Hana", "Ivan", "Jia", "Kofi",
    "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sami", "Tomas", "Uma", "Viktor",
    "Wen", "Yara", "Zoltan",
];
const LAST_NAMES: &[&str] = &[
    "Okafor",
    "Lindqvist",
    "Haddad",
    "Nakamura",
    "Kowalski",
    "Mensah",
    "Petrov",
    "Alvarez",
    "Singh",
    "Moreau",
    "Bauer",
    "Osei",
    "Tanaka",
    "Rahman",
    "Novak",
    "Costa",
    "Kim",
    "Ibrahim",
    "Jensen",
    "Silva",
    "Yilmaz",
    "Dubois",
    "Hoang",
    "Mwangi",
    "Reyes",
];
const AFFILIATIONS: &[&str] = &[
    "Brief Example Institute",
    "Center for Strategic Futures",
    "Institute for Security Studies",
    "Global Governance Forum",
    "University of Example",
];
const PUBLISHERS: &[&str] = &[
    "Congressional Research Service",
    "SIPRI",
    "International Crisis Group",
    "RAND Corporation",
    "Chatham House",
    "UN Panel of Experts",
    "IISS",
    "Brookings Institution",
];

/// What was generated: files written and words of body text.
pub struct Generated {
    pub files: usize,
    pub words: usize,
}

fn author_id(i: usize) -> String {
    // i and i + 25 share a first name but not a last name, so all 50 names differ.
    let first = FIRST_NAMES[i % FIRST_NAMES.len()];
    let last = LAST_NAMES[(i * 3 + i / FIRST_NAMES.len()) % LAST_NAMES.len()];
    format!("{first} {last}")
}

fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A TOML basic string.
fn toml_str(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| toml_str(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// Writes a site of `n` briefs, 50 authors and an about page into `site`.
pub fn generate_site(site: &Path, n: usize) -> io::Result<Generated> {
    let content = site.join("content");
    for dir in ["briefs", "authors", "pages"] {
        fs::create_dir_all(content.join(dir))?;
    }
    fs::write(
        site.join("config.toml"),
        "title = \"Benchmark Institute\"\n\
         base_url = \"https://bench.example.org/\"\n\
         description = \"A generated site for benchmarking brief.\"\n\
         language = \"en\"\n\
         theme = \"default\"\n\
         output_dir = \"public\"\n\
         toc_depth = 3\n\n\
         [extra]\n\
         tagline = \"Generated briefs\"\n",
    )?;
    fs::write(
        content.join("pages/about.md"),
        "+++\ntitle = \"About\"\nsummary = \"About this generated site.\"\n+++\n\n\
         This site was generated by `benches/build.rs` to measure how fast brief builds.\n",
    )?;
    let mut files = 2;

    let ids: Vec<String> = (0..AUTHORS).map(|i| slugify(&author_id(i))).collect();
    for (i, id) in ids.iter().enumerate() {
        let mut rng = Rng::new(0xA0_0000 + i as u64);
        let name = author_id(i);
        let mut text = String::new();
        let _ = writeln!(text, "+++\nname = {}", toml_str(&name));
        let _ = writeln!(
            text,
            "title = {}",
            toml_str(&format!("Senior Fellow, {}", rng.pick(PROGRAMS)))
        );
        let _ = writeln!(text, "affiliation = {}", toml_str(rng.pick(AFFILIATIONS)));
        let _ = writeln!(
            text,
            "\n[links]\nwebsite = \"https://bench.example.org/people/{id}/\""
        );
        if rng.chance(50) {
            let _ = writeln!(text, "email = \"{id}@bench.example.org\"");
        }
        if rng.chance(30) {
            let _ = writeln!(
                text,
                "orcid = \"0000-0002-{:04}-{:04}\"",
                rng.range(0, 9999),
                rng.range(0, 9999)
            );
        }
        text.push_str("+++\n\n");
        let mut words = 0;
        paragraph(&mut rng, &mut text, 4, &mut words);
        text.push_str("\n\n");
        paragraph(&mut rng, &mut text, 3, &mut words);
        text.push('\n');
        fs::write(content.join("authors").join(format!("{id}.md")), text)?;
        files += 1;
    }

    let mut words = 0;
    let mut text = String::with_capacity(16 * 1024);
    for i in 0..n {
        text.clear();
        let (slug, w) = brief(i, &ids, &mut text);
        words += w;
        fs::write(content.join("briefs").join(format!("{slug}.md")), &text)?;
        files += 1;
    }
    Ok(Generated { files, words })
}

/// A sentence in the making: its text, and whether it carries no markup (so that it can be used
/// verbatim as a pull quote, and compares equal however brief normalises text).
struct Sentence {
    text: String,
    plain: bool,
}

/// One sentence of made-up policy prose, 8 to 30 words. Past tense needs no verb agreement.
fn sentence(rng: &mut Rng, words: &mut usize) -> Sentence {
    let mut s = String::new();
    let mut plain = true;
    if rng.chance(25) {
        s.push_str(rng.pick(CONNECTORS));
        s.push(' ');
    }
    if rng.chance(20) {
        s.push_str(rng.pick(PROPER));
    } else {
        s.push_str(if rng.chance(15) { "this " } else { "the " });
        if rng.chance(60) {
            s.push_str(rng.pick_skewed(ADJECTIVES));
            s.push(' ');
        }
        s.push_str(rng.pick_skewed(NOUNS));
        if rng.chance(40) {
            s.push_str(" of ");
            s.push_str(rng.pick(PROPER));
        }
    }
    s.push(' ');
    if rng.chance(30) {
        s.push_str(rng.pick(ADVERBS));
        s.push(' ');
    }
    s.push_str(rng.pick_skewed(VERBS));
    s.push_str(" the ");
    let emphasis = rng.chance(6);
    let object_adj = rng.pick_skewed(ADJECTIVES);
    if emphasis {
        plain = false;
        let _ = write!(s, "*{object_adj}* ");
    } else if rng.chance(50) {
        s.push_str(object_adj);
        s.push(' ');
    }
    let object = rng.pick_skewed(NOUNS);
    if rng.chance(4) {
        plain = false;
        let _ = write!(
            s,
            "[{object}](https://bench.example.org/glossary/{})",
            slugify(object)
        );
    } else {
        s.push_str(object);
    }
    for _ in 0..rng.range(0, 2) {
        let _ = write!(s, " {} {}", rng.pick(PREPOSITIONS), rng.pick(PROPER));
    }
    if rng.chance(20) {
        let _ = write!(s, " in {}", rng.range(1991, 2025));
    }
    if rng.chance(10) {
        let _ = write!(s, " by {} percent", rng.range(2, 60));
    }
    match rng.range(0, 9) {
        0 => {
            plain = false;
            let _ = write!(
                s,
                "---what officials called \"{} {}\"",
                rng.pick_skewed(ADJECTIVES),
                rng.pick_skewed(NOUNS)
            );
        }
        1 | 2 => {
            let _ = write!(s, ", {}", rng.pick(CLAUSES));
        }
        3 => {
            plain = false;
            let _ = write!(s, ", and {}'s officials said so", rng.pick(PROPER));
        }
        _ => {}
    }
    s.push('.');
    let first = s.chars().next().unwrap();
    if first.is_lowercase() {
        s.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
    }
    *words += s.split_whitespace().count();
    Sentence { text: s, plain }
}

/// Appends a paragraph of `sentences` sentences (with no pull quotes or notes) to `out`.
fn paragraph(rng: &mut Rng, out: &mut String, sentences: usize, words: &mut usize) {
    for k in 0..sentences {
        if k > 0 {
            out.push(' ');
        }
        out.push_str(&sentence(rng, words).text);
    }
}

fn title_case(words: &str) -> String {
    words
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            let small = ["of", "and", "the", "in", "for", "to", "a"];
            let mut c = w.chars();
            match c.next() {
                Some(f) if i == 0 || !small.contains(&w) => f.to_uppercase().chain(c).collect(),
                _ => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A block of a brief's body, kept as data until pull quotes and note references are placed.
enum Block {
    Heading(usize, String),
    Paragraph(Vec<Sentence>),
    List(Vec<String>),
    Quote(String),
}

/// Writes brief `i` (front matter and body) into `out`; returns its slug and its body's words.
fn brief(i: usize, author_ids: &[String], out: &mut String) -> (String, usize) {
    let mut rng = Rng::new(i as u64);
    let mut words = 0;
    let mut scratch = 0;

    let title = title_case(&match rng.range(0, 3) {
        0 => format!(
            "the {} {} and the {}",
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS),
            rng.pick(NOUNS)
        ),
        1 => format!(
            "what {} wants from the {}",
            rng.pick(PROPER),
            rng.pick(NOUNS)
        ),
        2 => format!(
            "why the {} {} {}",
            rng.pick(NOUNS),
            rng.pick(VERBS),
            rng.pick(PROPER)
        ),
        _ => format!(
            "a {} {} for {}",
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS),
            rng.pick(PROPER)
        ),
    });
    let slug = format!("{:05}-{}", i, slugify(&title));

    // Body: 4-6 headings, ~1,500 words in paragraphs, with the odd list and block quote.
    let target_words = rng.range(1400, 1600);
    let headings = rng.range(4, 6);
    let mut blocks = Vec::new();
    let intro_share = target_words / (headings + 1);
    let mut body_words = 0;
    let push_paragraphs =
        |rng: &mut Rng, blocks: &mut Vec<Block>, budget: usize, words: &mut usize| {
            let start = *words;
            while *words - start < budget {
                if rng.chance(7) {
                    let items = (0..rng.range(3, 5))
                        .map(|_| {
                            let s = sentence(rng, words);
                            s.text.trim_end_matches('.').to_string()
                        })
                        .collect();
                    blocks.push(Block::List(items));
                } else if rng.chance(3) {
                    blocks.push(Block::Quote(sentence(rng, words).text));
                } else {
                    let para = (0..rng.range(3, 7)).map(|_| sentence(rng, words)).collect();
                    blocks.push(Block::Paragraph(para));
                }
            }
        };
    push_paragraphs(&mut rng, &mut blocks, intro_share, &mut body_words);
    for h in 0..headings {
        // The first heading is always `##`; later ones are sometimes a `###` under the previous.
        let level = if h > 0 && rng.chance(30) { 3 } else { 2 };
        let text = title_case(&format!(
            "{} {} {}",
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS),
            if rng.chance(50) {
                format!("in {}", rng.pick(PROPER))
            } else {
                String::new()
            }
        ));
        blocks.push(Block::Heading(level, text.trim_end().to_string()));
        let remaining = target_words.saturating_sub(body_words);
        let share = remaining / (headings - h);
        push_paragraphs(&mut rng, &mut blocks, share.max(60), &mut body_words);
    }
    words += body_words;

    // Two pull quotes: plain sentences from two different paragraphs.
    let paragraphs: Vec<usize> = (0..blocks.len())
        .filter(|&b| matches!(&blocks[b], Block::Paragraph(ss) if ss.iter().any(|s| s.plain)))
        .collect();
    let mut pull_quotes = Vec::new();
    let mut quoted: Vec<(usize, usize)> = Vec::new();
    for p in rng.distinct(2.min(paragraphs.len()), paragraphs.len(), false) {
        let b = paragraphs[p];
        let Block::Paragraph(ss) = &blocks[b] else {
            unreachable!()
        };
        let plain: Vec<usize> = (0..ss.len()).filter(|&k| ss[k].plain).collect();
        let k = plain[rng.range(0, plain.len() - 1)];
        pull_quotes.push(ss[k].text.clone());
        quoted.push((b, k));
    }

    // 3-5 notes; the first is referenced twice. References go at the end of other sentences.
    let notes = rng.range(3, 5);
    let labels: Vec<String> = (0..notes)
        .map(|k| {
            if rng.chance(50) {
                format!("{}", k + 1)
            } else {
                format!("src{}", k + 1)
            }
        })
        .collect();
    let mut refs: Vec<&str> = labels.iter().map(String::as_str).collect();
    refs.push(&labels[0]);
    let all_paragraphs: Vec<usize> = (0..blocks.len())
        .filter(|&b| matches!(blocks[b], Block::Paragraph(_)))
        .collect();
    for (r, label) in refs.iter().enumerate() {
        // Spread the references through the text, in order, so note numbers rise as one reads.
        let lo = all_paragraphs.len() * r / refs.len();
        let hi = (all_paragraphs.len() * (r + 1) / refs.len()).max(lo + 1) - 1;
        let b = all_paragraphs[rng.range(lo, hi.min(all_paragraphs.len() - 1))];
        let Block::Paragraph(ss) = &mut blocks[b] else {
            unreachable!()
        };
        let candidates: Vec<usize> = (0..ss.len())
            .filter(|&k| !quoted.contains(&(b, k)))
            .collect();
        let k = candidates[rng.range(0, candidates.len() - 1)];
        let _ = write!(ss[k].text, "[^{label}]");
        ss[k].plain = false;
    }

    // Front matter.
    let year = rng.range(2010, 2025);
    let (month, day) = (rng.range(1, 12), rng.range(1, 28));
    let n_authors = match rng.range(0, 9) {
        0..=5 => 1,
        6..=8 => 2,
        _ => 3,
    };
    let authors: Vec<String> = rng
        .distinct(n_authors, author_ids.len(), true)
        .into_iter()
        .map(|a| author_ids[a].clone())
        .collect();
    let pick_some = |rng: &mut Rng, pool: &[&str], lo: usize, hi: usize| -> Vec<String> {
        let k = rng.range(lo, hi);
        rng.distinct(k, pool.len(), true)
            .into_iter()
            .map(|t| pool[t].to_string())
            .collect()
    };
    let topics = pick_some(&mut rng, TOPICS, 1, 3);
    let regions = pick_some(&mut rng, REGIONS, 1, 3);
    let takeaways: Vec<String> = (0..rng.range(3, 5))
        .map(|_| {
            let s = sentence(&mut rng, &mut scratch).text;
            // Some takeaways bold their first words, as editors do.
            let w: Vec<&str> = s.splitn(4, ' ').collect();
            match (rng.chance(40), w.as_slice()) {
                (true, [a, b, c, rest]) => format!("**{a} {b} {c}** {rest}"),
                _ => s,
            }
        })
        .collect();

    out.push_str("+++\n");
    let _ = writeln!(out, "title = {}", toml_str(&title));
    if rng.chance(60) {
        let _ = writeln!(
            out,
            "subtitle = {}",
            toml_str(&sentence(&mut rng, &mut scratch).text)
        );
    }
    let _ = writeln!(out, "date = {year}-{month:02}-{day:02}");
    if rng.chance(15) {
        let _ = writeln!(
            out,
            "updated = {}-{:02}-{:02}",
            (year + 1).min(2025),
            rng.range(1, 12),
            rng.range(1, 28)
        );
    }
    let _ = writeln!(out, "authors = {}", toml_list(&authors));
    if rng.chance(50) {
        let summary = format!(
            "{} {}",
            sentence(&mut rng, &mut scratch).text,
            sentence(&mut rng, &mut scratch).text
        );
        let _ = writeln!(out, "summary = {}", toml_str(&summary));
    }
    let _ = writeln!(out, "topics = {}", toml_list(&topics));
    let _ = writeln!(out, "regions = {}", toml_list(&regions));
    if rng.chance(70) {
        let _ = writeln!(out, "program = {}", toml_str(rng.pick(PROGRAMS)));
    }
    if rng.chance(20) {
        let _ = writeln!(out, "series = {}", toml_str(rng.pick(SERIES)));
    }
    out.push_str("key_takeaways = [\n");
    for t in &takeaways {
        let _ = writeln!(out, "  {},", toml_str(t));
    }
    out.push_str("]\npull_quotes = [\n");
    for q in &pull_quotes {
        let _ = writeln!(out, "  {},", toml_str(q));
    }
    out.push_str("]\n+++\n\n");

    // Body.
    for block in &blocks {
        match block {
            Block::Heading(level, text) => {
                let _ = writeln!(out, "{} {text}\n", "#".repeat(*level));
            }
            Block::Paragraph(ss) => {
                for (k, s) in ss.iter().enumerate() {
                    if k > 0 {
                        out.push(' ');
                    }
                    out.push_str(&s.text);
                }
                out.push_str("\n\n");
            }
            Block::List(items) => {
                for item in items {
                    let _ = writeln!(out, "- {item}");
                }
                out.push('\n');
            }
            Block::Quote(text) => {
                let _ = writeln!(out, "> {text}\n");
            }
        }
    }
    for (k, label) in labels.iter().enumerate() {
        let _ = write!(
            out,
            "[^{label}]: {} {}, *{}* ({}, {})",
            rng.pick(FIRST_NAMES),
            rng.pick(LAST_NAMES),
            title_case(&format!("the {} {}", rng.pick(ADJECTIVES), rng.pick(NOUNS))),
            rng.pick(PUBLISHERS),
            rng.range(1995, 2025),
        );
        if k % 2 == 0 {
            let _ = write!(
                out,
                ", <https://bench.example.org/sources/{slug}/{}>",
                k + 1
            );
        }
        out.push_str(".\n\n");
    }
    (slug, words)
}
