//! Masking personal data for `Debug` output, keeping a hint.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::PiiClass;

/// Most `*` written for one masked value, so that the length of a long value does not show.
const MAX_STARS: usize = 16;

/// `text` masked for display, keeping only a hint: a name's surname (`张*`), an ID or bank
/// card number's first and last four characters (`1101**********0023`), a phone number's first
/// three and last four digits (`138****0000`), an account number's last four, an e-mail's
/// first letter and domain (`z***@example.com`), the first characters of an address or
/// employer (`北京市****`), a birth date's year (`1990****`), a plate's province (`京A*****`).
/// Short values are masked whole. Works on characters, never splitting one.
pub fn mask(class: PiiClass, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let head = |count: usize| chars[..count.min(n)].iter().collect::<String>();
    let tail = |count: usize| chars[n - count.min(n)..].iter().collect::<String>();
    let stars = |count: usize| "*".repeat(count.min(MAX_STARS));
    match class {
        PiiClass::Name => match n {
            0 => String::new(),
            1 => stars(1),
            _ => head(1) + &stars(n - 1),
        },
        PiiClass::IdNumber | PiiClass::BankCard => match n {
            12.. => head(4) + &stars(n - 8) + &tail(4),
            6..=11 => stars(n - 2) + &tail(2),
            _ => stars(n),
        },
        PiiClass::Phone => match n {
            11.. => head(3) + &stars(n - 7) + &tail(4),
            7..=10 => stars(n - 4) + &tail(4),
            _ => stars(n),
        },
        PiiClass::AccountNumber => match n {
            8.. => stars(n - 4) + &tail(4),
            _ => stars(n),
        },
        PiiClass::Email => match text.rsplit_once('@') {
            Some((local, domain)) if !local.is_empty() => {
                let first: String = local.chars().take(1).collect();
                let domain: String = domain.chars().take(64).collect();
                format!("{first}***@{domain}")
            }
            _ => stars(4),
        },
        PiiClass::Address => head((n / 3).min(3)) + &stars(4),
        PiiClass::Employer => head((n / 3).min(2)) + &stars(4),
        PiiClass::BirthDate => {
            if n >= 6 && chars[..4].iter().all(char::is_ascii_digit) {
                head(4) + &stars(4)
            } else {
                stars(4)
            }
        }
        PiiClass::VehicleId => match n {
            4.. => head(2) + &stars(5),
            _ => stars(n),
        },
    }
}

/// A field of personal data shown masked by `Debug`: generated `Debug` impls write
/// `.field("idNum", &Redacted::new(PiiClass::IdNumber, &self.id_num))`.
///
/// Works for any serialisable field (`String`, `Option<String>`, `NumberOrText`, lists and
/// objects of them): every string and number inside is [`mask`]ed, and so is every object
/// key (a map may be keyed by personal data); `null` shows as `None`, structure stays visible.
pub struct Redacted<'a, T: ?Sized> {
    class: PiiClass,
    value: &'a T,
}

impl<'a, T: ?Sized> Redacted<'a, T> {
    /// `value`, to be shown masked as `class`.
    pub fn new(class: PiiClass, value: &'a T) -> Self {
        Redacted { class, value }
    }
}

impl<T: Serialize + ?Sized> fmt::Debug for Redacted<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match serde_json::to_value(self.value) {
            Ok(value) => fmt::Debug::fmt(&Masked(self.class, &value), f),
            Err(_) => f.write_str("<redacted>"),
        }
    }
}

struct Masked<'v>(PiiClass, &'v Value);

impl fmt::Debug for Masked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Masked(class, value) = *self;
        match value {
            Value::Null => f.write_str("None"),
            Value::Bool(flag) => fmt::Debug::fmt(flag, f),
            Value::Number(number) => fmt::Debug::fmt(&mask(class, &number.to_string()), f),
            Value::String(text) => fmt::Debug::fmt(&mask(class, text), f),
            Value::Array(items) => f
                .debug_list()
                .entries(items.iter().map(|item| Masked(class, item)))
                .finish(),
            // A map keyed by personal data (Dianhua's tags by phone number) masks its keys too.
            Value::Object(members) => f
                .debug_map()
                .entries(
                    members
                        .iter()
                        .map(|(key, item)| (mask(class, key), Masked(class, item))),
                )
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_per_class() {
        assert_eq!(mask(PiiClass::Name, "张三"), "张*");
        assert_eq!(mask(PiiClass::Name, "欧阳娜娜"), "欧***");
        assert_eq!(mask(PiiClass::Name, "张"), "*");
        assert_eq!(
            mask(PiiClass::IdNumber, "110101199003070023"),
            "1101**********0023"
        );
        assert_eq!(
            mask(PiiClass::IdNumber, "11010119900307X"),
            "1101*******307X"
        );
        assert_eq!(mask(PiiClass::Phone, "13800000000"), "138****0000");
        assert_eq!(mask(PiiClass::Phone, "010-12345678"), "010*****5678");
        assert_eq!(mask(PiiClass::Phone, "12345678"), "****5678");
        assert_eq!(
            mask(PiiClass::BankCard, "6222021234567890123"),
            "6222***********0123"
        );
        assert_eq!(mask(PiiClass::AccountNumber, "A1234567890"), "*******7890");
        assert_eq!(
            mask(PiiClass::Email, "zhang.san@example.com"),
            "z***@example.com"
        );
        assert_eq!(mask(PiiClass::Email, "nobody"), "****");
        assert_eq!(
            mask(PiiClass::Address, "北京市朝阳区某某路1号"),
            "北京市****"
        );
        assert_eq!(mask(PiiClass::Address, "北京"), "****");
        assert_eq!(mask(PiiClass::Employer, "某某科技有限公司"), "某某****");
        assert_eq!(mask(PiiClass::BirthDate, "1990.03.07"), "1990****");
        assert_eq!(mask(PiiClass::BirthDate, "三月七日"), "****");
        assert_eq!(mask(PiiClass::VehicleId, "京A12345"), "京A*****");
    }

    #[test]
    fn never_reveals_more_than_the_hint() {
        for class in PiiClass::ALL {
            for text in ["", "a", "张", "123", "1234567", "北京市朝阳区", "x@y"] {
                let masked = mask(class, text);
                if text.chars().count() >= 2 {
                    assert_ne!(masked, text, "{class} {text:?}");
                }
            }
            let long = "字".repeat(1000);
            assert!(mask(class, &long).chars().count() <= 40, "{class}");
        }
    }

    #[test]
    fn redacted_debug_masks_any_serialisable_field() {
        let name = "张三".to_owned();
        assert_eq!(
            format!("{:?}", Redacted::new(PiiClass::Name, &name)),
            r#""张*""#
        );
        let phones = vec!["13800000000".to_owned()];
        assert_eq!(
            format!("{:?}", Redacted::new(PiiClass::Phone, &phones)),
            r#"["138****0000"]"#
        );
        let none: Option<String> = None;
        assert_eq!(
            format!("{:?}", Redacted::new(PiiClass::Name, &none)),
            "None"
        );
        let number = crate::NumberOrText::from(13800000000_i64);
        assert_eq!(
            format!("{:?}", Redacted::new(PiiClass::Phone, &number)),
            r#""138****0000""#
        );
    }
}
