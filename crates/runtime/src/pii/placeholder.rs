//! Deterministic stand-ins for personal data, of the same JSON type and a similar shape.

use serde_json::{Number, Value};

use super::PiiClass;

/// Common surnames and given-name characters the stand-in names are drawn from.
const SURNAMES: &[char] = &['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN: &[char] = &[
    '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳',
];
/// Stand-in districts and streets for addresses; employers' stand-in names.
const DISTRICTS: &[&str] = &["示例区", "样本区", "测试区"];
const STREETS: &[&str] = &["示例路", "样本街", "测试大道"];
const EMPLOYERS: &[&str] = &["示例科技有限公司", "样本贸易有限公司", "测试咨询有限公司"];

/// A reproducible stream of pseudo-random numbers (SplitMix64), seeded from the input so that
/// the same value always gets the same stand-in.
struct Stream(u64);

impl Stream {
    fn new(class: PiiClass, original: &Value, seed: u64) -> Self {
        // FNV-1a over the class, the seed and the original's JSON text: fixed forever, unlike
        // std's hasher, so stand-ins stay stable across Rust releases.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let text = original.to_string();
        for byte in class
            .as_str()
            .bytes()
            .chain(seed.to_le_bytes())
            .chain(text.bytes())
        {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        Stream(hash)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }

    fn digit(&mut self) -> char {
        char::from(b'0' + self.below(10) as u8)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// The GB 11643-1999 check character of the first 17 digits of an 18-character ID number
/// (`0`–`9` or `X`); `None` unless `first17` is 17 ASCII digits.
pub fn id_check_digit(first17: &str) -> Option<char> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, weight) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * weight;
    }
    Some(CHECK[(sum % 11) as usize])
}

/// A deterministic stand-in for `original` (a value of class `class`): the same input and
/// `seed` always give the same output; the JSON type is kept (a string stays a string, a
/// number a number with as many digits, `null` and booleans unchanged, lists and objects
/// replaced member by member) and the shape is similar: an 18-character ID number with a valid
/// check digit (15 characters for the old format), an 11-digit mobile number starting with
/// `1`, a 2–3 character Chinese name, a valid date for a birth date in the original's
/// spelling, an `@example.com` e-mail. Other texts keep their layout: digits become digits,
/// letters letters, punctuation and `*` stay.
pub fn placeholder(class: PiiClass, original: &Value, seed: u64) -> Value {
    let mut stream = Stream::new(class, original, seed);
    match original {
        Value::String(text) => Value::String(text_stand_in(class, text, &mut stream)),
        Value::Number(number) => number_stand_in(class, number, &mut stream),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| placeholder(class, item, seed))
                .collect(),
        ),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, item)| (key.clone(), placeholder(class, item, seed)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn number_stand_in(class: PiiClass, number: &Number, stream: &mut Stream) -> Value {
    let Some(value) = number.as_u64() else {
        return Value::from(0);
    };
    let digits = value.to_string();
    let mut text = same_layout(&digits, stream);
    if class == PiiClass::Phone && digits.len() == 11 {
        text = mobile(stream);
    } else if text.starts_with('0') {
        text.replace_range(..1, "1");
    }
    text.parse::<u64>()
        .map(Value::from)
        .unwrap_or(Value::from(0))
}

fn text_stand_in(class: PiiClass, text: &str, stream: &mut Stream) -> String {
    let count = text.chars().count();
    if text.trim().is_empty() || crate::format::is_absent(text) {
        return text.to_owned();
    }
    match class {
        PiiClass::Name if is_cjk(text) => {
            let mut name = String::from(stream.pick(SURNAMES));
            for _ in 1..count.clamp(2, 3) {
                name.push(stream.pick(GIVEN));
            }
            name
        }
        PiiClass::IdNumber if count == 18 || count == 15 => id_number(count, stream),
        PiiClass::Phone if is_mobile(text) => mobile(stream),
        PiiClass::BankCard if count >= 12 && text.bytes().all(|b| b.is_ascii_digit()) => {
            bank_card(count, stream)
        }
        PiiClass::Address => format!(
            "北京市{}{}{}号",
            stream.pick(DISTRICTS),
            stream.pick(STREETS),
            1 + stream.below(99)
        ),
        PiiClass::Employer => stream.pick(EMPLOYERS).to_owned(),
        PiiClass::Email => format!("user{:04}@example.com", stream.below(10_000)),
        PiiClass::BirthDate => {
            birth_date(text, stream).unwrap_or_else(|| same_layout(text, stream))
        }
        _ => same_layout(text, stream),
    }
}

fn is_cjk(text: &str) -> bool {
    text.chars()
        .all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c) || c == '·')
}

fn is_mobile(text: &str) -> bool {
    text.len() == 11 && text.starts_with('1') && text.bytes().all(|b| b.is_ascii_digit())
}

/// An 11-digit mobile number: `1`, a network digit 3–9, nine digits.
fn mobile(stream: &mut Stream) -> String {
    let mut number = String::from("1");
    number.push(char::from(b'3' + stream.below(7) as u8));
    (0..9).for_each(|_| number.push(stream.digit()));
    number
}

/// A resident ID number: a Beijing region code, a birth date in 1960–1999, a sequence and (for
/// 18 characters) the GB 11643 check digit.
fn id_number(length: usize, stream: &mut Stream) -> String {
    let region = ["110101", "110102", "110105", "110108"][stream.below(4) as usize];
    let year = 1960 + stream.below(40);
    let month = 1 + stream.below(12);
    let day = 1 + stream.below(28);
    let sequence = stream.below(1000);
    if length == 15 {
        return format!("{region}{:02}{month:02}{day:02}{sequence:03}", year % 100);
    }
    let first17 = format!("{region}{year}{month:02}{day:02}{sequence:03}");
    let check = id_check_digit(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// A card number of `length` digits starting with 6 and passing the Luhn check.
fn bank_card(length: usize, stream: &mut Stream) -> String {
    let mut digits: Vec<u32> = vec![6];
    while digits.len() < length - 1 {
        digits.push(stream.below(10) as u32);
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(index, digit)| {
            if index % 2 == 0 {
                let doubled = digit * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                *digit
            }
        })
        .sum();
    digits.push((10 - sum % 10) % 10);
    digits
        .iter()
        .filter_map(|digit| char::from_digit(*digit, 10))
        .collect()
}

/// A valid date in 1960–1999 written in `text`'s layout, when `text` reads as a date.
fn birth_date(text: &str, stream: &mut Stream) -> Option<String> {
    let date = crate::format::parse_date(text).ok()??;
    let year = 1960 + stream.below(40);
    let month = 1 + stream.below(9);
    let day = 1 + stream.below(9);
    // Each run of digits gets year, month, day in turn, padded to the run's width.
    let mut values = vec![year];
    if date.month().is_some() {
        values.push(month);
    }
    if date.day().is_some() {
        values.push(day);
    }
    let compact = text.trim().bytes().all(|b| b.is_ascii_digit());
    if compact {
        let widths = [4, 2, 2];
        return Some(
            values
                .iter()
                .zip(widths)
                .map(|(v, w)| format!("{v:0w$}"))
                .collect(),
        );
    }
    let mut out = String::new();
    let mut run = String::new();
    let mut values = values.into_iter();
    let mut flush = |run: &mut String, out: &mut String| {
        if !run.is_empty() {
            let value = values.next().unwrap_or(1);
            out.push_str(&format!("{value:0width$}", width = run.chars().count()));
            run.clear();
        }
    };
    for c in crate::format::normalize_width(text).chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    Some(out)
}

/// `text` with each digit, ASCII letter and CJK character replaced by another of its kind;
/// everything else (punctuation, spaces, `*`) kept in place.
fn same_layout(text: &str, stream: &mut Stream) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => stream.digit(),
            'a'..='z' => char::from(b'a' + stream.below(26) as u8),
            'A'..='Z' => char::from(b'A' + stream.below(26) as u8),
            '\u{4E00}'..='\u{9FFF}' => stream.pick(GIVEN),
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(class: PiiClass, original: &str) -> String {
        placeholder(class, &json!(original), 0)
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn check_digit_matches_the_standard() {
        // The GB 11643-1999 example number.
        assert_eq!(id_check_digit("11010519491231002"), Some('X'));
        assert_eq!(id_check_digit("44052418800101001"), Some('4'));
        assert_eq!(id_check_digit("1101051949123100"), None);
        assert_eq!(id_check_digit("1101051949123100a"), None);
    }

    #[test]
    fn stand_ins_have_the_original_shape() {
        let id = text(PiiClass::IdNumber, "110101199003070023");
        assert_eq!(id.len(), 18);
        assert_eq!(id_check_digit(&id[..17]), id.chars().last());
        assert_ne!(id, "110101199003070023");
        assert_eq!(text(PiiClass::IdNumber, "110101900307002").len(), 15);
        let phone = text(PiiClass::Phone, "13812345678");
        assert!(is_mobile(&phone), "{phone}");
        let landline = text(PiiClass::Phone, "010-12345678");
        assert_eq!((landline.len(), &landline[3..4]), (12, "-"));
        let masked = text(PiiClass::Phone, "138****5678");
        assert_eq!(&masked[3..7], "****");
        for (original, length) in [("张三", 2), ("欧阳娜娜", 3), ("李", 2)] {
            let name = text(PiiClass::Name, original);
            assert_eq!(name.chars().count(), length, "{original}");
            assert!(is_cjk(&name));
        }
        let card = text(PiiClass::BankCard, "6222021234567890128");
        assert_eq!(card.len(), 19);
        assert!(text(PiiClass::Email, "a@b.cn").ends_with("@example.com"));
        assert!(text(PiiClass::Address, "北京市朝阳区某路1号").starts_with("北京市"));
        let birthday = text(PiiClass::BirthDate, "1990.03.07");
        assert!(
            crate::format::parse_date(&birthday).unwrap().is_some(),
            "{birthday}"
        );
        assert_eq!(birthday.len(), 10);
        assert_eq!(&birthday[4..5], ".");
        let cjk_birthday = text(PiiClass::BirthDate, "1990年03月");
        assert!(
            crate::format::parse_date(&cjk_birthday).unwrap().is_some(),
            "{cjk_birthday}"
        );
        assert_eq!(text(PiiClass::Name, "--"), "--");
        assert_eq!(text(PiiClass::Name, ""), "");
    }

    #[test]
    fn deterministic_and_type_preserving() {
        let original = json!("110101199003070023");
        assert_eq!(
            placeholder(PiiClass::IdNumber, &original, 7),
            placeholder(PiiClass::IdNumber, &original, 7)
        );
        assert_ne!(
            placeholder(PiiClass::Name, &json!("张三"), 0),
            placeholder(PiiClass::Name, &json!("李四"), 0)
        );
        let phone = placeholder(PiiClass::Phone, &json!(13812345678_u64), 0);
        assert_eq!(phone.as_u64().map(|p| p.to_string().len()), Some(11));
        assert_eq!(placeholder(PiiClass::Name, &json!(null), 0), json!(null));
        let nested = placeholder(PiiClass::Address, &json!({"value": "某地", "n": [1]}), 0);
        assert!(nested["value"].is_string() && nested["n"][0].is_u64());
    }

    #[test]
    fn luhn_valid_cards() {
        let mut stream = Stream(1);
        for length in [12, 16, 19] {
            let card = bank_card(length, &mut stream);
            assert_eq!(card.len(), length);
            let sum: u32 = card
                .chars()
                .rev()
                .enumerate()
                .map(|(i, c)| {
                    let d = c.to_digit(10).unwrap();
                    if i % 2 == 1 {
                        if d * 2 > 9 {
                            d * 2 - 9
                        } else {
                            d * 2
                        }
                    } else {
                        d
                    }
                })
                .sum();
            assert_eq!(sum % 10, 0, "{card}");
        }
    }
}
