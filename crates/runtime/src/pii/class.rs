//! The classes of personal data a schema can mark.

use std::fmt;
use std::str::FromStr;

/// What kind of personal data a property holds (`x-credkit-pii`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PiiClass {
    /// `name`: a person's name (subject, spouse, guarantor, emergency contact).
    Name,
    /// `id-number`: an identity document number (resident ID card, passport, …).
    IdNumber,
    /// `phone`: a mobile or fixed-line phone number.
    Phone,
    /// `address`: a postal, residential, household-registration or workplace address.
    Address,
    /// `employer`: the name of a person's employer or contributing work unit.
    Employer,
    /// `email`: an e-mail address.
    Email,
    /// `bank-card`: a bank card number.
    BankCard,
    /// `account-number`: a loan, card or utility account number (业务号, 账户标识).
    AccountNumber,
    /// `birth-date`: a date of birth.
    BirthDate,
    /// `vehicle-id`: a licence plate or engine number.
    VehicleId,
}

impl PiiClass {
    /// Every class, in declaration order.
    pub const ALL: [PiiClass; 10] = [
        PiiClass::Name,
        PiiClass::IdNumber,
        PiiClass::Phone,
        PiiClass::Address,
        PiiClass::Employer,
        PiiClass::Email,
        PiiClass::BankCard,
        PiiClass::AccountNumber,
        PiiClass::BirthDate,
        PiiClass::VehicleId,
    ];

    /// The spelling used in schemas (`"x-credkit-pii": "id-number"`).
    pub fn as_str(self) -> &'static str {
        match self {
            PiiClass::Name => "name",
            PiiClass::IdNumber => "id-number",
            PiiClass::Phone => "phone",
            PiiClass::Address => "address",
            PiiClass::Employer => "employer",
            PiiClass::Email => "email",
            PiiClass::BankCard => "bank-card",
            PiiClass::AccountNumber => "account-number",
            PiiClass::BirthDate => "birth-date",
            PiiClass::VehicleId => "vehicle-id",
        }
    }
}

impl fmt::Display for PiiClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A PII class name that no schema may use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown x-credkit-pii class `{0}`")]
pub struct UnknownPiiClass(pub String);

impl FromStr for PiiClass {
    type Err = UnknownPiiClass;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        PiiClass::ALL
            .into_iter()
            .find(|class| class.as_str() == name)
            .ok_or_else(|| UnknownPiiClass(name.chars().take(64).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_spellings_round_trip() {
        for class in PiiClass::ALL {
            assert_eq!(class.as_str().parse::<PiiClass>(), Ok(class));
            assert_eq!(class.to_string(), class.as_str());
        }
        assert!("ssn".parse::<PiiClass>().is_err());
        assert!("Name".parse::<PiiClass>().is_err());
    }
}
