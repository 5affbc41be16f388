//! The compiled corpus clients against a local server: what each body kind, parameter kind and
//! signing scheme puts on the wire.

use std::path::Path;

use credkit_runtime::client::error::ClientError;
use credkit_runtime::client::signing::{DeepFinchHeaders, DianhuaToken, JdMd5, TencentHmac};
use credkit_runtime::client::transport::{ClientConfig, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server answering `POST|GET <route>` with a successful verdict.
async fn serve(verb: &str, route: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"status": "OK", "request_id": "r-1"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    server
}

fn config(server: &MockServer) -> ClientConfig {
    let mut config = ClientConfig::new(server.uri());
    config.retry = RetryPolicy::none();
    config
}

/// The one request the server received.
async fn received(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn query(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().into_owned().collect()
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn pdf(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("report.pdf");
    std::fs::write(&file, b"%PDF-1.4 corpus").expect("writes the pdf");
    file
}

#[tokio::test]
async fn json_body_keeps_integers_numbers_and_booleans_typed() {
    use credkit_corpus::body_json::acme_client::api::AcmeClient;
    let server = serve("POST", "/submit").await;
    let signer = DeepFinchHeaders {
        api_id: "id-1".into(),
        api_secret: "secret-1".into(),
    };
    let client = AcmeClient::new(config(&server), signer).expect("client");
    let result = client
        .submit(3, "n", 0.5, "kind", true)
        .await
        .expect("the call succeeds");
    assert_eq!(result.request_id.as_deref(), Some("r-1"));

    let request = received(&server).await;
    let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
    assert_eq!(
        body,
        json!({"count": 3, "name": "n", "ratio": 0.5, "type": "kind", "urgent": true})
    );
    assert!(body["count"].is_i64(), "an integer, not text: {body}");
    assert!(body["urgent"].is_boolean(), "a boolean, not text: {body}");
    assert!(body["ratio"].is_f64(), "a number, not text: {body}");
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(header(&request, "X-DF-API-ID"), Some("id-1"));
    assert_eq!(header(&request, "X-DF-API-SECRET"), Some("secret-1"));
}

#[tokio::test]
async fn form_body_is_url_encoded_and_signed_with_tencent_hmac() {
    use credkit_corpus::body_form::acme_client::api::AcmeClient;
    let server = serve("POST", "/form").await;
    let signer = TencentHmac {
        secret_id: "AKID1".into(),
        secret_key: "key".into(),
        source: "market".into(),
    };
    let client = AcmeClient::new(config(&server), signer).expect("client");
    client.send_form(2, "R 1").await.expect("the call succeeds");

    let request = received(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect();
    assert_eq!(
        form,
        [
            ("page".into(), "2".into()),
            ("reportNo".into(), "R 1".into())
        ]
    );
    let authorization = header(&request, "Authorization").expect("signed");
    assert!(
        authorization.starts_with("hmac id=\"AKID1\""),
        "{authorization}"
    );
    assert_eq!(header(&request, "X-Source"), Some("market"));
}

#[tokio::test]
async fn multipart_upload_streams_the_file_beside_the_text_parts_signed_with_jd_md5() {
    use credkit_corpus::body_multipart_upload::acme_client::api::AcmeClient;
    let dir = tempfile::tempdir().expect("temp dir");
    let server = serve("POST", "/upload").await;
    let signer = JdMd5 {
        appkey: "app".into(),
        secret_key: "secret".into(),
    };
    let client = AcmeClient::new(config(&server), signer).expect("client");
    client
        .upload_pdf(&pdf(dir.path()), "web")
        .await
        .expect("the call succeeds");

    let request = received(&server).await;
    let content_type = header(&request, "content-type").expect("a content type");
    assert!(content_type.starts_with("multipart/form-data; boundary="));
    let body = String::from_utf8_lossy(&request.body);
    assert!(body.contains("name=\"channel\"\r\n\r\nweb\r\n"), "{body}");
    assert!(
        body.contains("name=\"file\"; filename=\"report.pdf\""),
        "{body}"
    );
    assert!(body.contains("%PDF-1.4 corpus"), "{body}");
    let names: Vec<String> = query(&request).into_iter().map(|(k, _)| k).collect();
    assert_eq!(names, ["appkey", "timestamp", "sign"]);
}

#[tokio::test]
async fn a_too_large_upload_is_refused_before_any_traffic() {
    use credkit_corpus::body_json_base64_upload::acme_client::api::AcmeClient;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("big.pdf");
    let mut contents = b"%PDF-".to_vec();
    contents.resize(2049, b' ');
    std::fs::write(&file, contents).expect("writes");
    let server = MockServer::start().await;
    let signer = DeepFinchHeaders {
        api_id: "id".into(),
        api_secret: "secret".into(),
    };
    let client = AcmeClient::new(config(&server), signer).expect("client");
    assert!(client.upload_base64(&file).await.is_err());
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());
}

#[tokio::test]
async fn json_base64_upload_sends_the_file_as_text() {
    use base64_check::decode;
    use credkit_corpus::body_json_base64_upload::acme_client::api::AcmeClient;
    let dir = tempfile::tempdir().expect("temp dir");
    let server = serve("POST", "/upload").await;
    let signer = DeepFinchHeaders {
        api_id: "id".into(),
        api_secret: "secret".into(),
    };
    let client = AcmeClient::new(config(&server), signer).expect("client");
    client
        .upload_base64(&pdf(dir.path()))
        .await
        .expect("the call succeeds");
    let request = received(&server).await;
    let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
    let text = body["pdf_file"].as_str().expect("base64 text");
    assert_eq!(decode(text), b"%PDF-1.4 corpus");
    assert_eq!(body.as_object().map(|o| o.len()), Some(1));
}

/// A minimal standard-alphabet base64 decoder, so the test does not trust the encoder it checks.
mod base64_check {
    pub fn decode(text: &str) -> Vec<u8> {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut bits = 0u32;
        let mut count = 0;
        let mut out = Vec::new();
        for byte in text.bytes().filter(|b| *b != b'=') {
            let value = ALPHABET
                .iter()
                .position(|a| *a == byte)
                .expect("base64 alphabet");
            bits = (bits << 6) | value as u32;
            count += 6;
            if count >= 8 {
                count -= 8;
                out.push((bits >> count) as u8);
                bits &= (1 << count) - 1;
            }
        }
        out
    }
}

#[tokio::test]
async fn a_model_parameter_travels_as_json_text_beside_the_token() {
    use credkit_corpus::query_model_param::acme_client::api::AcmeClient;
    use credkit_corpus::query_model_param::acme_models::contact::Contact;
    let server = serve("GET", "/lookup").await;
    let client = AcmeClient::new(
        config(&server),
        DianhuaToken {
            token: "tok".into(),
        },
    )
    .expect("client");
    let contact = Contact {
        name: Some("张三".into()),
        phone: None,
    };
    client.lookup(&contact).await.expect("the call succeeds");
    let request = received(&server).await;
    let pairs = query(&request);
    assert!(pairs.contains(&("token".into(), "tok".into())), "{pairs:?}");
    let sent = pairs
        .iter()
        .find(|(k, _)| k == "contact")
        .map(|(_, v)| v.as_str())
        .expect("contact sent");
    assert_eq!(
        serde_json::from_str::<Value>(sent).expect("JSON text"),
        json!({"name": "张三"})
    );
}

#[test]
fn a_browser_url_needs_one_of_its_alternatives() {
    use credkit_corpus::browser_url::acme_client::api::{AcmeClient, DEFAULT_AUTH_URL_BASE_URL};
    use credkit_corpus::browser_url::acme_models::contact::Contact;
    let client = AcmeClient::new(
        ClientConfig::new("https://api.acme.example"),
        DianhuaToken {
            token: "tok".into(),
        },
    )
    .expect("client");
    let missing = client.auth_url("u1").build();
    assert!(
        matches!(&missing, Err(ClientError::InvalidArgument(m)) if m.contains("tel, contact")),
        "{missing:?}"
    );

    let by_tel = client.auth_url("u1").tel("138").build().expect("a URL");
    let by_tel = url::Url::parse(&by_tel).expect("a valid URL");
    assert_eq!(
        by_tel.origin(),
        url::Url::parse(DEFAULT_AUTH_URL_BASE_URL)
            .expect("url")
            .origin()
    );
    let pairs: Vec<(String, String)> = by_tel.query_pairs().into_owned().collect();
    assert!(pairs.contains(&("uid".into(), "u1".into())), "{pairs:?}");
    assert!(pairs.contains(&("tel".into(), "138".into())), "{pairs:?}");
    assert!(pairs.contains(&("token".into(), "tok".into())), "{pairs:?}");

    let contact = Contact {
        name: Some("n".into()),
    };
    let by_contact = client
        .with_auth_url_base_url("https://other.example/h5")
        .auth_url("u1")
        .contact(contact)
        .build()
        .expect("a URL");
    assert!(
        by_contact.starts_with("https://other.example/h5"),
        "{by_contact}"
    );
    assert!(
        by_contact.contains("contact=%7B%22name%22%3A%22n%22%7D"),
        "{by_contact}"
    );
}

#[tokio::test]
async fn a_builder_takes_required_inputs_as_arguments_and_optional_ones_as_setters() {
    use credkit_corpus::builder::acme_client::api::AcmeClient;
    let token = || DianhuaToken {
        token: "tok".into(),
    };

    // Only the required inputs: the optional ones are not sent at all.
    let server = serve("POST", "/search").await;
    let client = AcmeClient::new(config(&server), token()).expect("client");
    client
        .search("s1", "kw")
        .send()
        .await
        .expect("the call succeeds");
    let request = received(&server).await;
    let pairs = query(&request);
    assert!(pairs.contains(&("sid".into(), "s1".into())), "{pairs:?}");
    assert!(!pairs.iter().any(|(k, _)| k == "limit"), "{pairs:?}");
    let body: Value = serde_json::from_slice(&request.body).expect("JSON");
    assert_eq!(body, json!({"keyword": "kw"}));

    // Every setter.
    let server = serve("POST", "/search").await;
    let client = AcmeClient::new(config(&server), token()).expect("client");
    client
        .search("s1", "kw")
        .limit(20)
        .exact(false)
        .min_score(0.75)
        .send()
        .await
        .expect("the call succeeds");
    let request = received(&server).await;
    assert!(query(&request).contains(&("limit".into(), "20".into())));
    let body: Value = serde_json::from_slice(&request.body).expect("JSON");
    assert_eq!(
        body,
        json!({"keyword": "kw", "exact": false, "min_score": 0.75})
    );
}

#[test]
fn inputs_debug_names_no_value() {
    use credkit_corpus::builder::acme_client::api::SearchBody;
    let body = SearchBody {
        exact: None,
        keyword: "personal".into(),
        min_score: None,
    };
    let debug = format!("{body:?}");
    assert!(!debug.contains("personal"), "{debug}");
}

#[test]
fn the_operation_table_describes_the_channel() {
    use credkit_corpus::browser_url::acme_client::api::CHANNEL;
    use credkit_runtime::client::operation::{OperationKind, SigningScheme};
    assert_eq!(CHANNEL.vendor, "acme");
    assert_eq!(CHANNEL.signing, SigningScheme::DianhuaToken);
    let ids: Vec<&str> = CHANNEL.operations.iter().map(|o| o.id).collect();
    assert_eq!(ids, ["auth_url", "status"]);
    assert!(matches!(
        CHANNEL.operations[0].kind,
        OperationKind::BrowserUrl { .. }
    ));
}
