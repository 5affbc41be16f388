//! Each vendor's way of authenticating a request, deterministic given a [`Clock`].
//!
//! A [`Signer`] turns the current time into a [`Signature`]: the headers and query parameters
//! to add to one request. The transport reads the time from a [`Clock`] ([`SystemClock`] in
//! production, [`FixedClock`] in tests) and signs every attempt afresh, so a retried request
//! never reuses an expired timestamp.
//!
//! | signer | vendor document | adds |
//! | --- | --- | --- |
//! | [`DeepFinchHeaders`] | `000` DeepFinch cloud API | headers `X-DF-API-ID`, `X-DF-API-SECRET` |
//! | [`TencentHmac`] | `002` Tencent Cloud API marketplace | headers `X-Date`, `X-Source`, `Authorization` (HMAC-SHA1) |
//! | [`JdMd5`] | `003` JD AI marketplace | query `appkey`, `timestamp` (ms), `sign` (MD5) |
//! | [`DianhuaToken`] | `004` Dianhua | query `token` |
//!
//! Every [`Param`] that carries a secret (or a replayable credential derived from one) is
//! marked [`sensitive`](Param::sensitive): its `Debug` prints `***`, and the transport marks
//! the HTTP header sensitive. Signers hold their keys as [`Secret`]s, so their `Debug` is safe
//! to log too.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use md5::{Digest as _, Md5};
use sha1::Sha1;

use super::secret::Secret;

/// Seconds from the Unix epoch to 10000-01-01T00:00:00Z: HTTP dates have four-digit years,
/// and `httpdate` panics from this instant on.
const HTTP_DATE_LIMIT_SECS: u64 = 253_402_300_800;

/// Source of the current time, injectable so signatures are deterministic in tests.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The real clock: [`SystemTime::now`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock stopped at the given instant, for deterministic signatures in tests.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub SystemTime);

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}

/// One header or query parameter a signer adds; `sensitive` ones carry a secret and must be
/// redacted from logs and marked sensitive on the HTTP header.
///
/// `Debug` prints the value of a sensitive parameter as `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Param {
    /// Header name (as the vendor spells it) or query parameter name.
    pub name: String,
    /// The value to send, unencoded.
    pub value: String,
    /// Whether the value is a secret or a replayable credential: never log it, and mark the
    /// HTTP header sensitive.
    pub sensitive: bool,
}

impl Param {
    fn plain(name: &str, value: impl Into<String>) -> Self {
        Self {
            name: name.to_owned(),
            value: value.into(),
            sensitive: false,
        }
    }

    fn redacted(name: &str, value: impl Into<String>) -> Self {
        Self {
            name: name.to_owned(),
            value: value.into(),
            sensitive: true,
        }
    }
}

/// Prints a sensitive value as `***`.
impl fmt::Debug for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Param");
        s.field("name", &self.name);
        if self.sensitive {
            s.field("value", &format_args!("***"));
        } else {
            s.field("value", &self.value);
        }
        s.field("sensitive", &self.sensitive).finish()
    }
}

/// What a signer adds to a request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signature {
    /// Headers to set, in the order the vendor's samples set them.
    pub headers: Vec<Param>,
    /// Query parameters to append, in the order the vendor documents them.
    pub query: Vec<Param>,
}

/// Why a request could not be signed. Never contains a secret.
#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    /// The clock reads a time before 1970-01-01T00:00:00Z, which no timestamp can express.
    #[error("the clock is before 1970")]
    ClockBeforeEpoch,
    /// The clock reads the year 10000 or later, which an HTTP date cannot express.
    #[error("the clock is after the year 9999")]
    ClockAfterYear9999,
    /// A required credential (named by its field) is the empty string.
    #[error("credential {0} is empty")]
    EmptyCredential(&'static str),
}

/// A vendor's way of authenticating a request.
pub trait Signer: Send + Sync + fmt::Debug {
    /// The headers and query parameters that authenticate one request sent at `now`.
    ///
    /// # Errors
    ///
    /// [`SigningError::EmptyCredential`] when a required credential is the empty string;
    /// for signers that put the time in the request, [`SigningError::ClockBeforeEpoch`] or
    /// [`SigningError::ClockAfterYear9999`] when `now` cannot be expressed.
    fn sign(&self, now: SystemTime) -> Result<Signature, SigningError>;

    /// Every secret value that must never leave the client in a text: this signer's keys and
    /// tokens, and the values of `signature` (one this signer made) that authenticate a
    /// request (a token, a signature, an `Authorization` value). The transport masks them in
    /// every error message and body excerpt it builds, so a gateway page that echoes the
    /// request back cannot leak them.
    ///
    /// The default lists the signature's [sensitive](Param::sensitive) values; signers add
    /// their keys.
    fn secrets<'a>(&'a self, signature: &'a Signature) -> Vec<&'a str> {
        sensitive_values(signature)
    }
}

/// The values of the signature's sensitive parameters.
fn sensitive_values(signature: &Signature) -> Vec<&str> {
    signature
        .headers
        .iter()
        .chain(&signature.query)
        .filter(|param| param.sensitive)
        .map(|param| param.value.as_str())
        .collect()
}

fn require(value: &str, name: &'static str) -> Result<(), SigningError> {
    if value.is_empty() {
        Err(SigningError::EmptyCredential(name))
    } else {
        Ok(())
    }
}

fn since_epoch(now: SystemTime) -> Result<std::time::Duration, SigningError> {
    now.duration_since(UNIX_EPOCH)
        .map_err(|_| SigningError::ClockBeforeEpoch)
}

/// DeepFinch cloud API (vendor document `000`): the credentials themselves, sent as the
/// headers `X-DF-API-ID` (not sensitive) and `X-DF-API-SECRET` (sensitive).
#[derive(Debug, Clone)]
pub struct DeepFinchHeaders {
    /// The API id, sent as `X-DF-API-ID`.
    pub api_id: String,
    /// The API secret, sent as `X-DF-API-SECRET`.
    pub api_secret: Secret,
}

impl Signer for DeepFinchHeaders {
    /// Does not depend on the time.
    fn sign(&self, _now: SystemTime) -> Result<Signature, SigningError> {
        require(&self.api_id, "api_id")?;
        require(self.api_secret.expose(), "api_secret")?;
        Ok(Signature {
            headers: vec![
                Param::plain("X-DF-API-ID", self.api_id.as_str()),
                Param::redacted("X-DF-API-SECRET", self.api_secret.expose()),
            ],
            query: Vec::new(),
        })
    }

    /// The API secret.
    fn secrets<'a>(&'a self, signature: &'a Signature) -> Vec<&'a str> {
        let mut secrets = sensitive_values(signature);
        secrets.push(self.api_secret.expose());
        secrets
    }
}

/// DeepFinch on the Tencent Cloud API marketplace gateway (vendor document `002`).
///
/// Signs `x-date: <X-Date>\nx-source: <X-Source>` with HMAC-SHA1 under `secret_key` and sends
/// the headers `X-Date` (the current time as an HTTP date, e.g.
/// `Mon, 19 Mar 2018 12:08:40 GMT`), `X-Source` and
/// `Authorization: hmac id="<secret_id>", algorithm="hmac-sha1", headers="x-date x-source",
/// signature="<base64>"`, as in the document's Go, Java, Node, PHP, Python and C# samples.
/// `Authorization` is marked sensitive: it can be replayed while the date is accepted.
#[derive(Debug, Clone)]
pub struct TencentHmac {
    /// The marketplace secret id (`AKID…`), sent in `Authorization` as `id`.
    pub secret_id: String,
    /// The marketplace secret key, the HMAC key; never sent.
    pub secret_key: Secret,
    /// The `X-Source` value (`market` in the vendor samples); part of the signed string.
    pub source: String,
}

impl TencentHmac {
    /// The exact `Authorization` value for a given `X-Date` string (and this signer's source).
    ///
    /// Does not check for empty credentials; [`Signer::sign`] does.
    #[must_use]
    pub fn authorization(&self, x_date: &str) -> String {
        let string_to_sign = format!("x-date: {x_date}\nx-source: {}", self.source);
        // HMAC takes keys of any length (longer ones are hashed first), so this never fails.
        let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(self.secret_key.expose().as_bytes())
            .expect("HMAC accepts keys of any length");
        mac.update(string_to_sign.as_bytes());
        let signature =
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        format!(
            "hmac id=\"{}\", algorithm=\"hmac-sha1\", headers=\"x-date x-source\", signature=\"{signature}\"",
            self.secret_id
        )
    }
}

impl Signer for TencentHmac {
    fn sign(&self, now: SystemTime) -> Result<Signature, SigningError> {
        require(&self.secret_id, "secret_id")?;
        require(self.secret_key.expose(), "secret_key")?;
        require(&self.source, "source")?;
        if since_epoch(now)?.as_secs() >= HTTP_DATE_LIMIT_SECS {
            return Err(SigningError::ClockAfterYear9999);
        }
        let x_date = httpdate::fmt_http_date(now);
        let authorization = self.authorization(&x_date);
        Ok(Signature {
            headers: vec![
                Param::plain("X-Date", x_date),
                Param::plain("X-Source", self.source.as_str()),
                Param::redacted("Authorization", authorization),
            ],
            query: Vec::new(),
        })
    }

    /// The secret key, the `Authorization` value, and the base64 signature inside it (a
    /// page that HTML-escapes the header's quotes still shows the signature as is).
    fn secrets<'a>(&'a self, signature: &'a Signature) -> Vec<&'a str> {
        let mut secrets = sensitive_values(signature);
        let inner: Vec<&str> = secrets
            .iter()
            .filter_map(|value| {
                let start = value.find("signature=\"")? + "signature=\"".len();
                let rest = &value[start..];
                Some(&rest[..rest.find('"').unwrap_or(rest.len())])
            })
            .collect();
        secrets.extend(inner);
        secrets.push(self.secret_key.expose());
        secrets
    }
}

/// DeepFinch on the JD AI marketplace (vendor document `003`): query parameters `appkey`,
/// `timestamp` (milliseconds since the epoch) and `sign` = lowercase hex
/// MD5(`secret_key` + `timestamp`). A signature is valid for 5 minutes.
///
/// None of the three is marked sensitive: `sign` only authenticates the one timestamp.
#[derive(Debug, Clone)]
pub struct JdMd5 {
    /// The buyer's appkey, sent as `appkey`.
    pub appkey: String,
    /// The secret key, hashed into `sign`; never sent.
    pub secret_key: Secret,
}

impl JdMd5 {
    /// The `sign` value for a timestamp: lowercase hex MD5 of `secret_key` followed by the
    /// decimal `timestamp_ms`.
    #[must_use]
    pub fn sign_value(&self, timestamp_ms: u128) -> String {
        let mut md5 = Md5::new();
        md5.update(self.secret_key.expose().as_bytes());
        md5.update(timestamp_ms.to_string().as_bytes());
        md5.finalize()
            .iter()
            .fold(String::with_capacity(32), |mut hex, byte| {
                hex.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
                hex.push(char::from(HEX_DIGITS[usize::from(byte & 0x0f)]));
                hex
            })
    }
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

impl Signer for JdMd5 {
    fn sign(&self, now: SystemTime) -> Result<Signature, SigningError> {
        require(&self.appkey, "appkey")?;
        require(self.secret_key.expose(), "secret_key")?;
        let timestamp_ms = since_epoch(now)?.as_millis();
        Ok(Signature {
            headers: Vec::new(),
            query: vec![
                Param::plain("appkey", self.appkey.as_str()),
                Param::plain("timestamp", timestamp_ms.to_string()),
                Param::plain("sign", self.sign_value(timestamp_ms)),
            ],
        })
    }

    /// The secret key and the `sign` value (replayable while the timestamp is accepted).
    fn secrets<'a>(&'a self, signature: &'a Signature) -> Vec<&'a str> {
        let mut secrets = sensitive_values(signature);
        secrets.extend(
            signature
                .query
                .iter()
                .filter(|param| param.name == "sign")
                .map(|param| param.value.as_str()),
        );
        secrets.push(self.secret_key.expose());
        secrets
    }
}

/// Dianhua (vendor document `004`): the `token` query parameter (sensitive) on every call.
#[derive(Debug, Clone)]
pub struct DianhuaToken {
    /// The service token, sent as `token`.
    pub token: Secret,
}

impl Signer for DianhuaToken {
    /// Does not depend on the time.
    fn sign(&self, _now: SystemTime) -> Result<Signature, SigningError> {
        require(self.token.expose(), "token")?;
        Ok(Signature {
            headers: Vec::new(),
            query: vec![Param::redacted("token", self.token.expose())],
        })
    }

    /// The token.
    fn secrets<'a>(&'a self, signature: &'a Signature) -> Vec<&'a str> {
        let mut secrets = sensitive_values(signature);
        secrets.push(self.token.expose());
        secrets
    }
}

#[cfg(test)]
mod tests {
    //! Every expected value below was computed with Python 3.11's standard library, not with
    //! this crate's code; the one-liner is quoted above each literal.

    use std::time::Duration;

    use super::*;

    /// 2018-03-19T12:08:40Z, the date of the curl example in vendor document 002.
    /// `python3 -c "import datetime; print(int(datetime.datetime(2018,3,19,12,8,40,tzinfo=datetime.timezone.utc).timestamp()*1000))"`
    /// → `1521461320000`
    const T_2018_03_19_MS: u64 = 1_521_461_320_000;

    fn at_ms(ms: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(ms)
    }

    fn tencent(secret_id: &str, secret_key: &str, source: &str) -> TencentHmac {
        TencentHmac {
            secret_id: secret_id.to_owned(),
            secret_key: Secret::new(secret_key),
            source: source.to_owned(),
        }
    }

    fn jd(secret_key: &str) -> JdMd5 {
        JdMd5 {
            // The example appkey of vendor document 003 (31 hex digits, as printed there).
            appkey: "80d2b762ecb86593f9668526920f46c".to_owned(),
            secret_key: Secret::new(secret_key),
        }
    }

    fn auth(id: &str, signature: &str) -> String {
        format!(
            "hmac id=\"{id}\", algorithm=\"hmac-sha1\", headers=\"x-date x-source\", signature=\"{signature}\""
        )
    }

    // ---- clocks -------------------------------------------------------------------------

    #[test]
    fn fixed_clock_returns_its_instant() {
        let t = at_ms(T_2018_03_19_MS);
        assert_eq!(FixedClock(t).now(), t);
        let clock: &dyn Clock = &FixedClock(t);
        assert_eq!(clock.now(), t);
    }

    #[test]
    fn system_clock_is_now() {
        let before = SystemTime::now();
        let now = SystemClock.now();
        let after = SystemTime::now();
        assert!(before <= now && now <= after);
    }

    // ---- Tencent: HMAC-SHA1 -------------------------------------------------------------

    #[test]
    fn tencent_authorization_doc_sample_values() {
        // Vendor 002 samples (Go, Java, Node, PHP, Python, C#): secretId = secretKey = "xxxx",
        // source = "market"; date of the curl example.
        // python3 -c "import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b'xxxx', b'x-date: Mon, 19 Mar 2018 12:08:40 GMT\nx-source: market', hashlib.sha1).digest()).decode())"
        // → 0nRkv+5gmqWBvVANnKBB8IZYogY=
        let signer = tencent("xxxx", "xxxx", "market");
        assert_eq!(
            signer.authorization("Mon, 19 Mar 2018 12:08:40 GMT"),
            "hmac id=\"xxxx\", algorithm=\"hmac-sha1\", headers=\"x-date x-source\", signature=\"0nRkv+5gmqWBvVANnKBB8IZYogY=\""
        );
    }

    #[test]
    fn tencent_authorization_known_vectors() {
        // The secret id of the curl example in vendor document 002.
        let id = "AKIDi6qE41WgJ9w8h4h9zq68Vq24d1beIuN0qIwU";

        // python3 -c "import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b'my-secret-key', b'x-date: Mon, 19 Mar 2018 12:08:40 GMT\nx-source: source', hashlib.sha1).digest()).decode())"
        // → R93m2mAZmqUEeoHrIZ+bVDqTVvw=
        assert_eq!(
            tencent(id, "my-secret-key", "source").authorization("Mon, 19 Mar 2018 12:08:40 GMT"),
            auth(id, "R93m2mAZmqUEeoHrIZ+bVDqTVvw=")
        );
        // python3 -c "import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b'my-secret-key', b'x-date: Tue, 06 Nov 2018 08:07:48 GMT\nx-source: market', hashlib.sha1).digest()).decode())"
        // → gda84Pl5VsSdtoPvf7nYpUZo3as=
        assert_eq!(
            tencent(id, "my-secret-key", "market").authorization("Tue, 06 Nov 2018 08:07:48 GMT"),
            auth(id, "gda84Pl5VsSdtoPvf7nYpUZo3as=")
        );
        // A key longer than SHA-1's 64-byte block (HMAC hashes it first).
        // python3 -c "import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b'k'*100, b'x-date: Mon, 19 Mar 2018 12:08:40 GMT\nx-source: market', hashlib.sha1).digest()).decode())"
        // → wPQIrXURJehnbqKNCS5H0+2c46g=
        assert_eq!(
            tencent(id, &"k".repeat(100), "market").authorization("Mon, 19 Mar 2018 12:08:40 GMT"),
            auth(id, "wPQIrXURJehnbqKNCS5H0+2c46g=")
        );
    }

    #[test]
    fn tencent_sign_with_fixed_clock() {
        let signer = tencent("AKIDexample", "my-secret-key", "market");
        let now = FixedClock(at_ms(T_2018_03_19_MS)).now();
        // python3 -c "import email.utils; print(email.utils.formatdate(1521461320, usegmt=True))"
        // → Mon, 19 Mar 2018 12:08:40 GMT
        // python3 -c "import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b'my-secret-key', b'x-date: Mon, 19 Mar 2018 12:08:40 GMT\nx-source: market', hashlib.sha1).digest()).decode())"
        // → QSJRtRvyWsn2nJpAfHx199TVe2c=
        let expected = Signature {
            headers: vec![
                Param::plain("X-Date", "Mon, 19 Mar 2018 12:08:40 GMT"),
                Param::plain("X-Source", "market"),
                Param::redacted(
                    "Authorization",
                    auth("AKIDexample", "QSJRtRvyWsn2nJpAfHx199TVe2c="),
                ),
            ],
            query: Vec::new(),
        };
        assert_eq!(signer.sign(now).ok(), Some(expected.clone()));
        // Sub-second precision is truncated: 12:08:40.999 gives the same date and signature.
        assert_eq!(
            signer.sign(at_ms(T_2018_03_19_MS + 999)).ok(),
            Some(expected)
        );
    }

    #[test]
    fn tencent_sign_clock_limits() {
        let signer = tencent("AKIDexample", "my-secret-key", "market");
        // python3 -c "import email.utils; print(email.utils.formatdate(0, usegmt=True))"
        // → Thu, 01 Jan 1970 00:00:00 GMT
        // python3 -c "import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b'my-secret-key', b'x-date: Thu, 01 Jan 1970 00:00:00 GMT\nx-source: market', hashlib.sha1).digest()).decode())"
        // → qeDRG8g3qUaTl3X7CHfyRzac4KM=
        let epoch = signer.sign(UNIX_EPOCH).ok();
        assert_eq!(
            epoch.as_ref().map(|s| s.headers[0].value.as_str()),
            Some("Thu, 01 Jan 1970 00:00:00 GMT")
        );
        assert_eq!(
            epoch.map(|s| s.headers[2].value.clone()),
            Some(auth("AKIDexample", "qeDRG8g3qUaTl3X7CHfyRzac4KM="))
        );
        // python3 -c "import email.utils; print(email.utils.formatdate(253402300799, usegmt=True))"
        // → Fri, 31 Dec 9999 23:59:59 GMT
        // python3 -c "import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b'my-secret-key', b'x-date: Fri, 31 Dec 9999 23:59:59 GMT\nx-source: market', hashlib.sha1).digest()).decode())"
        // → Fz+wzQd9JpyodM03yIgQqZXJfy4=
        let last = signer
            .sign(UNIX_EPOCH + Duration::from_secs(HTTP_DATE_LIMIT_SECS - 1))
            .ok();
        assert_eq!(
            last.as_ref().map(|s| s.headers[0].value.as_str()),
            Some("Fri, 31 Dec 9999 23:59:59 GMT")
        );
        assert_eq!(
            last.map(|s| s.headers[2].value.clone()),
            Some(auth("AKIDexample", "Fz+wzQd9JpyodM03yIgQqZXJfy4="))
        );
        // Out of range: errors, not httpdate's panics.
        assert!(matches!(
            signer.sign(UNIX_EPOCH - Duration::from_secs(1)),
            Err(SigningError::ClockBeforeEpoch)
        ));
        assert!(matches!(
            signer.sign(UNIX_EPOCH - Duration::from_nanos(1)),
            Err(SigningError::ClockBeforeEpoch)
        ));
        assert!(matches!(
            signer.sign(UNIX_EPOCH + Duration::from_secs(HTTP_DATE_LIMIT_SECS)),
            Err(SigningError::ClockAfterYear9999)
        ));
    }

    #[test]
    fn tencent_empty_credentials() {
        let now = at_ms(T_2018_03_19_MS);
        for (signer, field) in [
            (tencent("", "key", "market"), "secret_id"),
            (tencent("id", "", "market"), "secret_key"),
            (tencent("id", "key", ""), "source"),
        ] {
            match signer.sign(now) {
                Err(SigningError::EmptyCredential(name)) => assert_eq!(name, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    // ---- JD: MD5 ------------------------------------------------------------------------

    #[test]
    fn jd_sign_value_known_vectors() {
        // The example timestamp of vendor document 003.
        // python3 -c "import hashlib; print(hashlib.md5(b'test-secret-key' + b'1541491668060').hexdigest())"
        // → ee195c413920bd74af5e09f3a3c8131d
        assert_eq!(
            jd("test-secret-key").sign_value(1_541_491_668_060),
            "ee195c413920bd74af5e09f3a3c8131d"
        );
        // python3 -c "import hashlib; print(hashlib.md5(b'xxxx' + b'1541491668060').hexdigest())"
        // → de71c2eb5462a7658a66524dc764409b
        assert_eq!(
            jd("xxxx").sign_value(1_541_491_668_060),
            "de71c2eb5462a7658a66524dc764409b"
        );
        // python3 -c "import hashlib; print(hashlib.md5(b'test-secret-key' + b'0').hexdigest())"
        // → dfef388f2da79bcf16b6b03820e1a559
        assert_eq!(
            jd("test-secret-key").sign_value(0),
            "dfef388f2da79bcf16b6b03820e1a559"
        );
        // Non-ASCII key: hashed as UTF-8.
        // python3 -c "import hashlib; print(hashlib.md5(''.join(['密钥','1541491668060']).encode()).hexdigest())"
        // → b8fce85ff14ecc77fab0d69720c91bd1
        assert_eq!(
            jd("密钥").sign_value(1_541_491_668_060),
            "b8fce85ff14ecc77fab0d69720c91bd1"
        );
    }

    #[test]
    fn jd_sign_with_fixed_clock() {
        let signer = jd("test-secret-key");
        // python3 -c "import hashlib; print(hashlib.md5(b'test-secret-key' + b'1521461320000').hexdigest())"
        // → b05e28fa6b0579d559518d08c78c56f9
        let expected = Signature {
            headers: Vec::new(),
            query: vec![
                Param::plain("appkey", "80d2b762ecb86593f9668526920f46c"),
                Param::plain("timestamp", "1521461320000"),
                Param::plain("sign", "b05e28fa6b0579d559518d08c78c56f9"),
            ],
        };
        let now = FixedClock(at_ms(T_2018_03_19_MS)).now();
        assert_eq!(signer.sign(now).ok(), Some(expected));
        // Milliseconds are kept.
        // python3 -c "import hashlib; print(hashlib.md5(b'test-secret-key' + b'1521461320999').hexdigest())"
        // → 75fbff9f9375387e37ad32212434a6a8
        let later = signer.sign(at_ms(T_2018_03_19_MS + 999)).ok();
        assert_eq!(
            later.map(|s| s.query),
            Some(vec![
                Param::plain("appkey", "80d2b762ecb86593f9668526920f46c"),
                Param::plain("timestamp", "1521461320999"),
                Param::plain("sign", "75fbff9f9375387e37ad32212434a6a8"),
            ])
        );
        // The doc 003 example timestamp through sign().
        let doc = signer.sign(at_ms(1_541_491_668_060)).ok();
        assert_eq!(
            doc.map(|s| s.query[2].value.clone()),
            Some("ee195c413920bd74af5e09f3a3c8131d".to_owned())
        );
    }

    #[test]
    fn jd_errors() {
        assert!(matches!(
            jd("key").sign(UNIX_EPOCH - Duration::from_millis(1)),
            Err(SigningError::ClockBeforeEpoch)
        ));
        assert!(matches!(
            jd("").sign(UNIX_EPOCH),
            Err(SigningError::EmptyCredential("secret_key"))
        ));
        let no_appkey = JdMd5 {
            appkey: String::new(),
            secret_key: Secret::new("key"),
        };
        assert!(matches!(
            no_appkey.sign(UNIX_EPOCH),
            Err(SigningError::EmptyCredential("appkey"))
        ));
        // Far beyond the year 9999 is still a valid millisecond timestamp.
        assert!(jd("key")
            .sign(UNIX_EPOCH + Duration::from_secs(HTTP_DATE_LIMIT_SECS * 10))
            .is_ok());
    }

    // ---- DeepFinch and Dianhua: plain credentials --------------------------------------

    #[test]
    fn deepfinch_sign() {
        let signer = DeepFinchHeaders {
            api_id: "df-id".to_owned(),
            api_secret: Secret::new("df-secret-value"),
        };
        let expected = Signature {
            headers: vec![
                Param::plain("X-DF-API-ID", "df-id"),
                Param::redacted("X-DF-API-SECRET", "df-secret-value"),
            ],
            query: Vec::new(),
        };
        let now = FixedClock(at_ms(T_2018_03_19_MS)).now();
        assert_eq!(signer.sign(now).ok(), Some(expected.clone()));
        // The time does not matter, not even before the epoch.
        assert_eq!(
            signer.sign(UNIX_EPOCH - Duration::from_secs(1)).ok(),
            Some(expected)
        );
        let mut empty = signer.clone();
        empty.api_id.clear();
        assert!(matches!(
            empty.sign(now),
            Err(SigningError::EmptyCredential("api_id"))
        ));
        let mut empty = signer;
        empty.api_secret = Secret::new("");
        assert!(matches!(
            empty.sign(now),
            Err(SigningError::EmptyCredential("api_secret"))
        ));
    }

    #[test]
    fn dianhua_sign() {
        let signer = DianhuaToken {
            token: Secret::new("dh-token-value"),
        };
        let expected = Signature {
            headers: Vec::new(),
            query: vec![Param::redacted("token", "dh-token-value")],
        };
        let now = FixedClock(at_ms(T_2018_03_19_MS)).now();
        assert_eq!(signer.sign(now).ok(), Some(expected.clone()));
        assert_eq!(
            signer.sign(UNIX_EPOCH - Duration::from_secs(1)).ok(),
            Some(expected)
        );
        let empty = DianhuaToken {
            token: Secret::from(""),
        };
        assert!(matches!(
            empty.sign(now),
            Err(SigningError::EmptyCredential("token"))
        ));
    }

    // ---- redaction ----------------------------------------------------------------------

    /// `Debug` (compact and pretty) of the signer and of its signature never shows `secrets`.
    fn assert_redacted(signer: &dyn Signer, secrets: &[&str]) {
        let signature = signer
            .sign(at_ms(T_2018_03_19_MS))
            .unwrap_or_else(|e| panic!("{signer:?}: {e}"));
        let texts = [
            format!("{signer:?}"),
            format!("{signer:#?}"),
            format!("{signature:?}"),
            format!("{signature:#?}"),
        ];
        for text in &texts {
            for secret in secrets {
                assert!(!text.contains(secret), "{secret} in {text}");
            }
        }
        // Sensitive parameters print `***`, others print their value.
        for param in signature.headers.iter().chain(&signature.query) {
            let debug = format!("{param:?}");
            assert!(debug.contains(&param.name), "{debug}");
            assert_eq!(debug.contains("***"), param.sensitive, "{debug}");
            assert_eq!(
                debug.contains(&format!("{:?}", param.value)),
                !param.sensitive,
                "{debug}"
            );
        }
    }

    #[test]
    fn debug_never_shows_secrets() {
        assert_redacted(
            &DeepFinchHeaders {
                api_id: "df-id".to_owned(),
                api_secret: Secret::new("df-secret-value"),
            },
            &["df-secret-value"],
        );
        let tencent = tencent("AKIDexample", "tencent-secret-key", "market");
        let authorization = tencent.authorization("Mon, 19 Mar 2018 12:08:40 GMT");
        assert_redacted(&tencent, &["tencent-secret-key", &authorization]);
        assert_redacted(&jd("jd-secret-key"), &["jd-secret-key"]);
        assert_redacted(
            &DianhuaToken {
                token: Secret::new("dh-token-value"),
            },
            &["dh-token-value"],
        );
    }

    #[test]
    fn secrets_list_keys_and_computed_credentials() {
        let now = at_ms(T_2018_03_19_MS);
        let tencent = tencent("AKIDexample", "my-secret-key", "market");
        let signature = tencent.sign(now).expect("signs");
        let secrets = tencent.secrets(&signature);
        assert!(secrets.contains(&"my-secret-key"));
        assert!(secrets.contains(&signature.headers[2].value.as_str()));
        assert!(
            secrets.contains(&"QSJRtRvyWsn2nJpAfHx199TVe2c="),
            "{}",
            secrets.len()
        );
        assert!(!secrets.contains(&"AKIDexample"));

        let jd = jd("test-secret-key");
        let signature = jd.sign(now).expect("signs");
        assert_eq!(
            jd.secrets(&signature),
            vec!["b05e28fa6b0579d559518d08c78c56f9", "test-secret-key"]
        );

        let df = DeepFinchHeaders {
            api_id: "df-id".to_owned(),
            api_secret: Secret::new("df-secret-value"),
        };
        let signature = df.sign(now).expect("signs");
        assert!(df
            .secrets(&signature)
            .iter()
            .all(|s| *s == "df-secret-value"));

        let dh = DianhuaToken {
            token: Secret::new("dh-token-value"),
        };
        let signature = dh.sign(now).expect("signs");
        assert!(dh
            .secrets(&signature)
            .iter()
            .all(|s| *s == "dh-token-value"));
    }

    #[test]
    fn param_debug() {
        assert_eq!(
            format!("{:?}", Param::redacted("token", "abc")),
            "Param { name: \"token\", value: ***, sensitive: true }"
        );
        assert_eq!(
            format!("{:?}", Param::plain("appkey", "abc")),
            "Param { name: \"appkey\", value: \"abc\", sensitive: false }"
        );
    }

    #[test]
    fn error_messages() {
        let messages = [
            SigningError::ClockBeforeEpoch.to_string(),
            SigningError::ClockAfterYear9999.to_string(),
            SigningError::EmptyCredential("secret_key").to_string(),
        ];
        assert_eq!(messages[0], "the clock is before 1970");
        assert_eq!(messages[1], "the clock is after the year 9999");
        assert_eq!(messages[2], "credential secret_key is empty");
    }

    #[test]
    fn signers_are_object_safe_and_shareable() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Box<dyn Signer>>();
        assert_send_sync::<Box<dyn Clock>>();
        let signers: Vec<Box<dyn Signer>> = vec![
            Box::new(jd("k")),
            Box::new(tencent("i", "k", "s")),
            Box::new(DianhuaToken {
                token: Secret::new("t"),
            }),
            Box::new(DeepFinchHeaders {
                api_id: "i".to_owned(),
                api_secret: Secret::new("k"),
            }),
        ];
        for signer in &signers {
            assert!(signer.sign(at_ms(T_2018_03_19_MS)).is_ok());
        }
    }
}
