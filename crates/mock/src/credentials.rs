//! The credentials the mock accepts. They are not secrets: they exist only to exercise the
//! signing code against a server that checks it.

/// The credentials the mock accepts, one set per system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockCredentials {
    /// DeepFinch `X-DF-API-ID`.
    pub deepfinch_api_id: String,
    /// DeepFinch `X-DF-API-SECRET`.
    pub deepfinch_api_secret: String,
    /// Tencent marketplace secret id.
    pub tencent_secret_id: String,
    /// Tencent marketplace secret key.
    pub tencent_secret_key: String,
    /// Tencent marketplace `X-Source`.
    pub tencent_source: String,
    /// JD `appkey`.
    pub jd_appkey: String,
    /// JD secret key.
    pub jd_secret_key: String,
    /// Dianhua token.
    pub dianhua_token: String,
}

impl Default for MockCredentials {
    fn default() -> Self {
        MockCredentials {
            deepfinch_api_id: "mock-api-id".into(),
            deepfinch_api_secret: "mock-api-secret".into(),
            tencent_secret_id: "mock-secret-id".into(),
            tencent_secret_key: "mock-secret-key".into(),
            tencent_source: "market".into(),
            jd_appkey: "mock-appkey".into(),
            jd_secret_key: "mock-jd-secret".into(),
            dianhua_token: "mock-token".into(),
        }
    }
}
