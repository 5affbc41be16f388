//! The deterministic mutator: input number `index` of a run with seed `seed` is always the same
//! bytes, so that a failure is reproduced by its seed and index alone.
//!
//! Structural mutations work on the fixture's [`Value`]; what a `Value` cannot hold (a number
//! beyond `f64`, nesting deeper than serde_json's limit, invalid UTF-8 or a lone surrogate
//! escape inside a string, a duplicate key) is put in as a placeholder string and spliced into
//! the serialised bytes afterwards. Byte mutations (truncation, garbage, invalid UTF-8 at a
//! random offset) work on the final bytes.

use std::fmt;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Number, Value};

use crate::corpus::Corpus;

/// One kind of mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MutationKind {
    /// A value replaced by one of another JSON type (`"12"` → `12`, `[]` → `null`, …).
    TypeSwap,
    /// An object member or an array element removed.
    Delete,
    /// A value replaced by a huge or odd number literal (`1e309`, `18446744073709551616`, `-0`,
    /// 5,000 digits, `01`), sometimes quoted.
    HugeNumber,
    /// A value replaced by odd text (empty, `--`, full-width digits, `2016.02.30`, control and
    /// bidirectional characters, 23-month grids).
    OddString,
    /// A value or key replaced by a very long string (256 bytes to 1 MiB).
    LongString,
    /// A value replaced by deeply nested arrays or objects (16 to 100,000 levels, some unclosed).
    DeepNesting,
    /// Invalid UTF-8 in a string, a key, or anywhere.
    InvalidUtf8,
    /// A `\u` escape that is half a surrogate pair, or a broken escape, in a string or key.
    SurrogateEscape,
    /// The body cut short.
    Truncate,
    /// Random bytes overwritten, inserted, deleted or duplicated; or a tiny odd document.
    Garbage,
    /// An object key renamed (another case, an unknown name, empty, very long).
    RenameKey,
    /// An object member repeated with another value.
    DuplicateKey,
}

impl MutationKind {
    /// Every kind, in declaration order.
    pub const ALL: [MutationKind; 12] = [
        MutationKind::TypeSwap,
        MutationKind::Delete,
        MutationKind::HugeNumber,
        MutationKind::OddString,
        MutationKind::LongString,
        MutationKind::DeepNesting,
        MutationKind::InvalidUtf8,
        MutationKind::SurrogateEscape,
        MutationKind::Truncate,
        MutationKind::Garbage,
        MutationKind::RenameKey,
        MutationKind::DuplicateKey,
    ];

    /// A stable kebab-case name (`type-swap`).
    pub fn as_str(self) -> &'static str {
        match self {
            MutationKind::TypeSwap => "type-swap",
            MutationKind::Delete => "delete",
            MutationKind::HugeNumber => "huge-number",
            MutationKind::OddString => "odd-string",
            MutationKind::LongString => "long-string",
            MutationKind::DeepNesting => "deep-nesting",
            MutationKind::InvalidUtf8 => "invalid-utf8",
            MutationKind::SurrogateEscape => "surrogate-escape",
            MutationKind::Truncate => "truncate",
            MutationKind::Garbage => "garbage",
            MutationKind::RenameKey => "rename-key",
            MutationKind::DuplicateKey => "duplicate-key",
        }
    }

    /// Whether the mutation works on the final bytes rather than on the JSON value.
    fn is_byte_level(self) -> bool {
        matches!(self, MutationKind::Truncate | MutationKind::Garbage)
    }
}

impl fmt::Display for MutationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One generated input.
#[derive(Debug, Clone)]
pub struct Input {
    /// Its number in the run.
    pub index: u64,
    /// The index of the fixture it was made from in [`Corpus::fixtures`].
    pub fixture: usize,
    /// The model it is fed to (usually the fixture's own; one input in ten goes to another).
    pub model_id: &'static str,
    /// The mutations applied, in order.
    pub kinds: Vec<MutationKind>,
    /// For a systematic leaf type swap (every fourth input), its number in
    /// `0..systematic_swaps(corpus)`.
    pub systematic: Option<u64>,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// The JSON types a leaf is swapped between (numbers split into whole and fractional).
const CATEGORIES: usize = 7;

/// How many systematic type swaps the corpus has: every leaf of every fixture, to each of the
/// other six JSON types (null, boolean, whole number, other number, string, array, object).
pub fn systematic_swaps(corpus: &Corpus) -> u64 {
    (corpus.total_leaves() * (CATEGORIES - 1)) as u64
}

/// Input number `index` of the run with `seed`. Every fourth input is a systematic leaf type
/// swap (cycling, in a scattered order, through all [`systematic_swaps`]); the others are 1 to 3 random mutations of
/// a random fixture.
pub fn generate(corpus: &Corpus, seed: u64, index: u64) -> Input {
    let mut rng = StdRng::seed_from_u64(mix(seed, index));
    let total_swaps = systematic_swaps(corpus);
    if index % 4 == 0 && total_swaps > 0 {
        let swap = ((index / 4) % total_swaps).wrapping_mul(stride(total_swaps)) % total_swaps;
        return systematic(corpus, &mut rng, index, swap);
    }
    let fixture = rng.random_range(0..corpus.fixtures.len());
    let own = corpus.fixtures[fixture].model_id;
    let model_id = if rng.random_ratio(1, 10) {
        corpus.model_ids.choose(&mut rng).copied().unwrap_or(own)
    } else {
        own
    };
    let count = match rng.random_range(0..10) {
        0..7 => 1,
        7..9 => 2,
        _ => 3,
    };
    let mut kinds: Vec<MutationKind> = (0..count)
        .map(|_| MutationKind::ALL[rng.random_range(0..MutationKind::ALL.len())])
        .collect();
    // Value mutations first, then the bytes.
    kinds.sort_by_key(|kind| kind.is_byte_level());

    let mut draft = Draft {
        value: corpus.fixtures[fixture].value.clone(),
        splices: Vec::new(),
        stray_bytes: Vec::new(),
    };
    for &kind in kinds.iter().filter(|k| !k.is_byte_level()) {
        draft.apply(kind, &mut rng);
    }
    let mut bytes = draft.finish(&mut rng);
    for &kind in kinds.iter().filter(|k| k.is_byte_level()) {
        match kind {
            MutationKind::Truncate => truncate(&mut bytes, &mut rng),
            _ => garbage(&mut bytes, &mut rng),
        }
    }
    Input {
        index,
        fixture,
        model_id,
        kinds,
        systematic: None,
        bytes,
    }
}

/// A step coprime with `total`, so that `n * step % total` visits every swap once per cycle
/// while a short run still spreads over every fixture.
fn stride(total: u64) -> u64 {
    fn gcd(a: u64, b: u64) -> u64 {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    [7_919, 7_927, 7_933, 1]
        .into_iter()
        .find(|step| gcd(*step, total) == 1)
        .unwrap_or(1)
}

/// A seed for input `index` of the run with `seed` (SplitMix64 of both).
fn mix(seed: u64, index: u64) -> u64 {
    let mut z = seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Systematic swap number `swap`: leaf `swap / 6` of the whole corpus (fixtures in order, leaves
/// in document order) to the `swap % 6`-th category other than its own.
fn systematic(corpus: &Corpus, rng: &mut StdRng, index: u64, swap: u64) -> Input {
    let per_leaf = (CATEGORIES - 1) as u64;
    let mut leaf = (swap / per_leaf) as usize;
    let mut fixture = 0;
    while fixture + 1 < corpus.fixtures.len() && leaf >= corpus.fixtures[fixture].leaves {
        leaf -= corpus.fixtures[fixture].leaves;
        fixture += 1;
    }
    let mut value = corpus.fixtures[fixture].value.clone();
    if let Some(target) = nth_mut(&mut value, &mut leaf, is_leaf) {
        let own = category(target);
        let mut other = (swap % per_leaf) as usize;
        if other >= own {
            other += 1;
        }
        *target = replacement(other, target, rng);
    }
    Input {
        index,
        fixture,
        model_id: corpus.fixtures[fixture].model_id,
        kinds: vec![MutationKind::TypeSwap],
        systematic: Some(swap),
        bytes: serde_json::to_vec(&value).unwrap_or_default(),
    }
}

/// A JSON value being mutated, with the raw bytes its placeholder strings stand for.
struct Draft {
    value: Value,
    /// Placeholder `i` (see [`placeholder`]) is replaced by `splices[i]` in the bytes.
    splices: Vec<Vec<u8>>,
    /// Byte sequences to insert at random offsets of the serialised body.
    stray_bytes: Vec<Vec<u8>>,
}

/// The placeholder string for splice `i`; it serialises as `"\u0001credkit-fuzz-i\u0001"`.
fn placeholder(i: usize) -> String {
    format!("\u{1}credkit-fuzz-{i}\u{1}")
}

impl Draft {
    /// A string value that becomes `raw` in the bytes.
    fn splice(&mut self, raw: Vec<u8>) -> Value {
        let text = placeholder(self.splices.len());
        self.splices.push(raw);
        Value::String(text)
    }

    fn apply(&mut self, kind: MutationKind, rng: &mut StdRng) {
        match kind {
            MutationKind::TypeSwap => {
                if let Some(target) = pick(&mut self.value, rng, is_leaf) {
                    let own = category(target);
                    let mut other = rng.random_range(0..CATEGORIES - 1);
                    if other >= own {
                        other += 1;
                    }
                    *target = replacement(other, target, rng);
                }
            }
            MutationKind::Delete => delete(&mut self.value, rng),
            MutationKind::HugeNumber => {
                let mut literal = NUMBERS.choose(rng).copied().unwrap_or("0").to_owned();
                match rng.random_range(0..8) {
                    0 => literal = format!("1{}", "0".repeat(rng.random_range(300..5000))),
                    1 => literal = format!("0.{}1", "0".repeat(rng.random_range(300..5000))),
                    2 => literal = format!("-{}", "9".repeat(rng.random_range(20..5000))),
                    _ => {}
                }
                let raw = if rng.random_ratio(1, 4) {
                    format!("\"{literal}\"")
                } else {
                    literal
                };
                let spliced = self.splice(raw.into_bytes());
                self.replace_value(spliced, rng);
            }
            MutationKind::OddString => {
                let text = ODD_STRINGS.choose(rng).copied().unwrap_or("");
                self.replace_value(Value::String(text.to_owned()), rng);
            }
            MutationKind::LongString => {
                let length = match rng.random_range(0..100) {
                    0..40 => 256,
                    40..70 => 4 * 1024,
                    70..95 => 64 * 1024,
                    _ => 1024 * 1024,
                };
                let unit = LONG_UNITS.choose(rng).copied().unwrap_or("a");
                let text = unit.repeat(length / unit.len() + 1);
                let raw = format!("\"{text}\"").into_bytes();
                if rng.random_ratio(1, 3) {
                    self.rename_key(rng, |draft, _| {
                        draft.splice(raw).as_str().map(str::to_owned)
                    });
                } else {
                    let spliced = self.splice(raw);
                    self.replace_value(spliced, rng);
                }
            }
            MutationKind::DeepNesting => {
                let depth = *[16, 126, 127, 128, 129, 1000, 100_000]
                    .choose(rng)
                    .unwrap_or(&128);
                let (open, close): (&str, &str) = match rng.random_range(0..3) {
                    0 => ("[", "]"),
                    1 => ("{\"a\":", "}"),
                    _ => ("[{\"a\":", "}]"),
                };
                let mut raw = open.repeat(depth);
                raw.push_str(if open == "[" { "1" } else { "null" });
                if !rng.random_ratio(1, 4) {
                    raw.push_str(&close.repeat(depth));
                }
                let spliced = self.splice(raw.into_bytes());
                self.replace_value(spliced, rng);
            }
            MutationKind::InvalidUtf8 => {
                let sequence = INVALID_UTF8
                    .choose(rng)
                    .copied()
                    .unwrap_or(&[0xFF])
                    .to_vec();
                match rng.random_range(0..5) {
                    0 | 1 => {
                        let raw = in_string(&sequence);
                        let spliced = self.splice(raw);
                        self.replace_value(spliced, rng);
                    }
                    2 => {
                        let raw = in_string(&sequence);
                        self.rename_key(rng, |draft, _| {
                            draft.splice(raw).as_str().map(str::to_owned)
                        });
                    }
                    _ => self.stray_bytes.push(sequence),
                }
            }
            MutationKind::SurrogateEscape => {
                let escape = ESCAPES.choose(rng).copied().unwrap_or("\\ud800");
                let raw = in_string(escape.as_bytes());
                if rng.random_ratio(1, 3) {
                    self.rename_key(rng, |draft, _| {
                        draft.splice(raw).as_str().map(str::to_owned)
                    });
                } else {
                    let spliced = self.splice(raw);
                    self.replace_value(spliced, rng);
                }
            }
            MutationKind::RenameKey => {
                let choice = rng.random_range(0..7);
                let long = "k".repeat(rng.random_range(65..70_000));
                self.rename_key(rng, |_, old| {
                    Some(match choice {
                        0 => old.to_uppercase(),
                        1 => String::new(),
                        2 => format!("{old} "),
                        3 => format!("{old}VendorAddedLater"),
                        4 => long,
                        5 => old.chars().rev().collect(),
                        _ => "9 odd key: \"quoted\"\n".to_owned(),
                    })
                });
            }
            MutationKind::DuplicateKey => {
                if let Some(object) = pick(&mut self.value, rng, |v| {
                    v.as_object().is_some_and(|o| !o.is_empty())
                }) {
                    let position = rng.random_range(0..object.as_object().map_or(1, Map::len));
                    let key = object
                        .as_object()
                        .and_then(|o| o.keys().nth(position))
                        .cloned()
                        .unwrap_or_default();
                    let original = object.get(&key).cloned().unwrap_or(Value::Null);
                    let other = replacement(rng.random_range(0..CATEGORIES), &original, rng);
                    let raw = format!(
                        "{},{}:{}",
                        serde_json::to_string(&original).unwrap_or_default(),
                        serde_json::to_string(&key).unwrap_or_default(),
                        serde_json::to_string(&other).unwrap_or_default(),
                    );
                    // `self.value` is borrowed: splice through the other field.
                    let spliced = Value::String(placeholder(self.splices.len()));
                    self.splices.push(raw.into_bytes());
                    if let Some(slot) = object.get_mut(&key) {
                        *slot = spliced;
                    }
                }
            }
            MutationKind::Truncate | MutationKind::Garbage => {}
        }
    }

    /// Replaces a random node (the root one time in twenty) with `new`.
    fn replace_value(&mut self, new: Value, rng: &mut StdRng) {
        if rng.random_ratio(1, 20) {
            self.value = new;
        } else if let Some(target) = pick(&mut self.value, rng, |_| true) {
            *target = new;
        }
    }

    /// Renames a random key of a random non-empty object to what `name` returns for it.
    fn rename_key(
        &mut self,
        rng: &mut StdRng,
        name: impl FnOnce(&mut Draft, &str) -> Option<String>,
    ) {
        let mut value = std::mem::take(&mut self.value);
        if let Some(Value::Object(object)) = pick(&mut value, rng, |v| {
            v.as_object().is_some_and(|o| !o.is_empty())
        }) {
            let position = rng.random_range(0..object.len());
            if let Some(old) = object.keys().nth(position).cloned() {
                if let Some(new) = name(self, &old) {
                    if let Some(member) = object.remove(&old) {
                        object.insert(new, member);
                    }
                }
            }
        }
        self.value = value;
    }

    /// The serialised bytes (compact or pretty) with every splice in place and the stray bytes
    /// inserted.
    fn finish(self, rng: &mut StdRng) -> Vec<u8> {
        let mut bytes = if rng.random_bool(0.5) {
            serde_json::to_vec_pretty(&self.value)
        } else {
            serde_json::to_vec(&self.value)
        }
        .unwrap_or_default();
        for (i, raw) in self.splices.iter().enumerate() {
            let quoted = serde_json::to_vec(&placeholder(i)).unwrap_or_default();
            if let Some(at) = memchr::memmem::find(&bytes, &quoted) {
                bytes.splice(at..at + quoted.len(), raw.iter().copied());
            }
        }
        for stray in self.stray_bytes {
            let at = rng.random_range(0..=bytes.len());
            bytes.splice(at..at, stray);
        }
        bytes
    }
}

/// A JSON string (with its quotes) with `middle` between some text.
fn in_string(middle: &[u8]) -> Vec<u8> {
    let mut raw = b"\"ab".to_vec();
    raw.extend_from_slice(middle);
    raw.extend_from_slice(b"cd\"");
    raw
}

fn is_leaf(value: &Value) -> bool {
    !value.is_array() && !value.is_object()
}

/// The number of `value`'s category: null, boolean, whole number, other number, string, array,
/// object.
fn category(value: &Value) -> usize {
    match value {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(n) if n.is_i64() || n.is_u64() => 2,
        Value::Number(_) => 3,
        Value::String(_) => 4,
        Value::Array(_) => 5,
        Value::Object(_) => 6,
    }
}

/// A value of category `category` (see [`category`]), sometimes built from `original`.
fn replacement(category: usize, original: &Value, rng: &mut StdRng) -> Value {
    match category {
        0 => Value::Null,
        1 => Value::Bool(rng.random()),
        2 => {
            let options = [
                Number::from(0),
                Number::from(1),
                Number::from(-1),
                Number::from(255),
                Number::from(256),
                Number::from(65_536),
                Number::from(i64::MAX),
                Number::from(i64::MIN),
                Number::from(u64::MAX),
            ];
            Value::Number(options[rng.random_range(0..options.len())].clone())
        }
        3 => {
            let options = [
                0.5,
                -1.5,
                3.0,
                1e-7,
                1.797_693_134_862_315_7e308,
                f64::MIN_POSITIVE,
            ];
            Number::from_f64(options[rng.random_range(0..options.len())])
                .map_or(Value::Null, Value::Number)
        }
        4 => match rng.random_range(0..4) {
            0 => Value::String(original.to_string()),
            _ => Value::String(ODD_STRINGS.choose(rng).copied().unwrap_or("").to_owned()),
        },
        5 => match rng.random_range(0..3) {
            0 => Value::Array(Vec::new()),
            1 => Value::Array(vec![original.clone()]),
            _ => Value::Array(vec![Value::Null, Value::from(1), Value::from("a")]),
        },
        _ => match rng.random_range(0..3) {
            0 => Value::Object(Map::new()),
            1 => Value::Object(Map::from_iter([("value".to_owned(), original.clone())])),
            _ => Value::Object(Map::from_iter([(String::new(), Value::Null)])),
        },
    }
}

/// Removes a random member or element of a random non-empty array or object.
fn delete(value: &mut Value, rng: &mut StdRng) {
    let container = pick(value, rng, |v| match v {
        Value::Array(items) => !items.is_empty(),
        Value::Object(members) => !members.is_empty(),
        _ => false,
    });
    match container {
        Some(Value::Array(items)) => {
            let at = rng.random_range(0..items.len());
            items.remove(at);
        }
        Some(Value::Object(members)) => {
            let at = rng.random_range(0..members.len());
            if let Some(key) = members.keys().nth(at).cloned() {
                members.remove(&key);
            }
        }
        _ => {}
    }
}

/// A random node of `value` for which `wanted` holds, in preorder.
fn pick<'v>(
    value: &'v mut Value,
    rng: &mut StdRng,
    wanted: fn(&Value) -> bool,
) -> Option<&'v mut Value> {
    let total = count(value, wanted);
    if total == 0 {
        return None;
    }
    let mut n = rng.random_range(0..total);
    nth_mut(value, &mut n, wanted)
}

fn count(value: &Value, wanted: fn(&Value) -> bool) -> usize {
    usize::from(wanted(value))
        + match value {
            Value::Array(items) => items.iter().map(|v| count(v, wanted)).sum(),
            Value::Object(members) => members.values().map(|v| count(v, wanted)).sum(),
            _ => 0,
        }
}

/// The `n`-th node (from 0, preorder) of `value` for which `wanted` holds.
fn nth_mut<'v>(
    value: &'v mut Value,
    n: &mut usize,
    wanted: fn(&Value) -> bool,
) -> Option<&'v mut Value> {
    if wanted(value) {
        if *n == 0 {
            return Some(value);
        }
        *n -= 1;
    }
    match value {
        Value::Array(items) => items.iter_mut().find_map(|v| nth_mut(v, n, wanted)),
        Value::Object(members) => members.values_mut().find_map(|v| nth_mut(v, n, wanted)),
        _ => None,
    }
}

/// Truncates `bytes` at a random offset (or drops its last byte).
fn truncate(bytes: &mut Vec<u8>, rng: &mut StdRng) {
    let at = if rng.random_ratio(1, 8) {
        bytes.len().saturating_sub(1)
    } else {
        rng.random_range(0..=bytes.len())
    };
    bytes.truncate(at);
}

/// 1 to 8 random byte edits, or (one time in twenty) a tiny odd document instead.
fn garbage(bytes: &mut Vec<u8>, rng: &mut StdRng) {
    if rng.random_ratio(1, 20) {
        *bytes = TINY_DOCUMENTS.choose(rng).copied().unwrap_or(b"").to_vec();
        return;
    }
    for _ in 0..rng.random_range(1..=8) {
        let at = rng.random_range(0..=bytes.len());
        match rng.random_range(0..5) {
            0 if at < bytes.len() => bytes[at] = rng.random(),
            1 => {
                let noise: Vec<u8> = (0..rng.random_range(1..16)).map(|_| rng.random()).collect();
                bytes.splice(at..at, noise);
            }
            2 => {
                let token = TOKENS.choose(rng).copied().unwrap_or(b",");
                bytes.splice(at..at, token.iter().copied());
            }
            3 => {
                let end = (at + rng.random_range(1..64)).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                let end = (at + rng.random_range(1..256)).min(bytes.len());
                let chunk = bytes[at..end].to_vec();
                bytes.splice(at..at, chunk);
            }
        }
    }
}

const NUMBERS: &[&str] = &[
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "340282366920938463463374607431768211456",
    "1e308",
    "1e309",
    "-1e309",
    "1.7976931348623157e308",
    "5e-324",
    "1e-400",
    "1e99999999999",
    "-0",
    "-0.0",
    "0e0",
    "1E+2",
    "3.0",
    "2.5e3",
    "0.1000000000000000055511151231257827",
    "123456789012345678901234567890.123456789",
    "01",
    "+1",
    ".5",
    "1.",
    "NaN",
    "Infinity",
    "-",
];

const ODD_STRINGS: &[&str] = &[
    "",
    " ",
    "--",
    "-",
    "—",
    "暂无数据",
    "无",
    "null",
    "N/A",
    "２０１６．０７．２５",
    "１２，３４５．６７",
    "2016.02.30",
    "2016年13月",
    "2016-00-10",
    "9999-12-31 25:61:61",
    "0000",
    "201704",
    "2016/7/5",
    "12%%",
    "%",
    "-12%",
    "1,2,3",
    ",,,",
    "1,000.000.0",
    "99999999999999999999999999999.99",
    "1e5",
    "0x10",
    "١٢٣",
    "\u{0}",
    "\u{7f}",
    "\u{feff}",
    "\u{202e}abc",
    "e\u{301}",
    "🦀",
    "\u{10ffff}",
    "\t\n\r",
    "NNNNNNNNNNNNNNNNNNNNNNNN",
    "NNNNNNNNNNNNNNNNNNNNNNN",
    "#*NCDG12345678/*****",
    "ＮＮＮＮＮＮＮＮＮＮＮＮＮＮＮＮＮＮＮＮＮＮＮＮ",
    "110101199003077777",
    "1380013800",
];

const LONG_UNITS: &[&str] = &[
    "a", "9", "暂", "N", "1,000,", "2016.", "\\u4e2d", "\\n", " ", "--", "%",
];

const INVALID_UTF8: &[&[u8]] = &[
    &[0xFF],
    &[0xFE],
    &[0xC0, 0x80],
    &[0xC3],
    &[0x80],
    &[0xE4, 0xB8],
    &[0xED, 0xA0, 0x80],
    &[0xF4, 0x90, 0x80, 0x80],
    &[0xF0, 0x9F, 0xA6],
];

const ESCAPES: &[&str] = &[
    "\\ud800",
    "\\udfff",
    "\\ud800\\u0041",
    "\\ud800\\ud800",
    "\\udc00\\ud800",
    "\\ud83e\\udd80",
    "\\u0000",
    "\\u00",
    "\\uZZZZ",
    "\\ud800\\",
    "\\x41",
    "\\",
];

const TOKENS: &[&[u8]] = &[
    b"{", b"}", b"[", b"]", b",", b":", b"\"", b"\\", b"null", b"-", b"e", b"\0", b"\n",
];

const TINY_DOCUMENTS: &[&[u8]] = &[
    b"",
    b" ",
    b"null",
    b"[]",
    b"{}",
    b"\"\"",
    b"0",
    b"\xEF\xBB\xBF{}",
    b"{\"a\":1}garbage",
    b"{}{}",
    b"\"",
    b"[",
    b"{\"",
    b"{\"status\":",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{default_fixture_dir, Corpus};

    #[test]
    fn an_input_depends_only_on_seed_and_index() {
        let corpus = Corpus::load(&default_fixture_dir()).expect("corpus");
        for index in [0, 1, 2, 3, 57, 1_000_003] {
            let a = generate(&corpus, 7, index);
            let b = generate(&corpus, 7, index);
            assert_eq!(a.bytes, b.bytes, "{index}");
            assert_eq!(a.kinds, b.kinds);
        }
        let differ =
            (1..40).any(|i| generate(&corpus, 7, i).bytes != generate(&corpus, 8, i).bytes);
        assert!(differ, "the seed changes the inputs");
    }

    #[test]
    fn splices_reach_the_bytes() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut draft = Draft {
            value: serde_json::json!({"a": "x"}),
            splices: Vec::new(),
            stray_bytes: Vec::new(),
        };
        let raw = draft.splice(b"1e999".to_vec());
        draft.value["a"] = raw;
        let bytes = draft.finish(&mut rng);
        let text = String::from_utf8(bytes).expect("utf-8");
        assert!(text.contains("1e999"), "{text}");
        assert!(!text.contains("credkit-fuzz"), "{text}");
    }

    #[test]
    fn systematic_swaps_change_the_type_of_one_leaf() {
        let corpus = Corpus::load(&default_fixture_dir()).expect("corpus");
        let mut rng = StdRng::seed_from_u64(1);
        for swap in [0, 1, 5, 6, systematic_swaps(&corpus) - 1] {
            let input = systematic(&corpus, &mut rng, 0, swap);
            let fixture = &corpus.fixtures[input.fixture];
            let value: Value = serde_json::from_slice(&input.bytes).expect("JSON");
            assert_ne!(value, fixture.value, "swap {swap}");
        }
    }
}
