//! PDF uploads: checked before any network traffic, streamed from the file so that memory does
//! not grow with the file size (base64 included).
//!
//! DeepFinch's credit-report OCR takes a PDF in three shapes, one per channel:
//!
//! * the private deployment: `multipart/form-data` with the file as part `image_file` (at most
//!   30 MB) and a text part `auto_classify` — see [`multipart_form`];
//! * the Tencent Cloud API marketplace: `application/x-www-form-urlencoded` with
//!   `image=<base64 of the PDF>` — see [`form_base64_body`];
//! * the JD AI marketplace: JSON `{"image_base64": "<base64 of the PDF>"}` (at most 100 MB) —
//!   see [`json_base64_body`].
//!
//! [`PdfFile::open`] checks the file once, before any request is made. Every body function takes
//! a `&PdfFile` and reopens the file when the body is first polled, so that a retried request can
//! build its body again. A body sends exactly [`PdfFile::len`] bytes of the file (encoded as
//! needed): if the file has become shorter in the meantime, the body fails with
//! [`std::io::ErrorKind::UnexpectedEof`] instead of sending less than its announced length; bytes
//! added after the check are not sent.

use std::io;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use bytes::Bytes;
use futures_util::{stream, Stream, StreamExt as _, TryStreamExt as _};
use tokio::fs::File;
use tokio::io::AsyncReadExt as _;

/// One mebibyte (1024 × 1024 bytes), for writing upload limits.
pub const MIB: u64 = 1024 * 1024;

/// The bytes every PDF starts with.
const PDF_MAGIC: &[u8; 5] = b"%PDF-";

/// Size of the chunks read from the file. A multiple of 3, so that every chunk but the last
/// encodes to base64 without padding and the encoded chunks concatenate to the encoding of the
/// whole file.
const CHUNK: usize = 3 * 16 * 1024;

/// The content type of the file part of a multipart upload.
const PDF_MIME: &str = "application/pdf";

/// The file name sent when the path has no last component.
const DEFAULT_FILE_NAME: &str = "document.pdf";

/// Why a file cannot be uploaded; raised before any network traffic.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// The file cannot be opened or read, or is not a regular file.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The file does not start with `%PDF-`.
    #[error("{path} is not a PDF (it does not start with %PDF-)")]
    NotPdf {
        /// The file.
        path: PathBuf,
    },
    /// The file is larger than the channel accepts.
    #[error("{path} is {size} bytes, over the {limit}-byte limit of this channel")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The channel's limit in bytes.
        limit: u64,
    },
}

/// A PDF checked for upload: it exists, starts with `%PDF-`, and is within the channel's limit.
///
/// It holds the path and the length found by [`PdfFile::open`], not the content: bodies read the
/// file again each time they are built.
#[derive(Debug, Clone)]
pub struct PdfFile {
    path: PathBuf,
    len: u64,
}

impl PdfFile {
    /// Checks the file at `path` for an upload of at most `limit` bytes: it must be a regular
    /// file that can be opened, start with `%PDF-`, and be at most `limit` bytes long.
    ///
    /// Reads only the file's metadata and its first 5 bytes.
    ///
    /// # Errors
    ///
    /// [`UploadError::Io`] if the file cannot be opened or read or is not a regular file,
    /// [`UploadError::NotPdf`] if it does not start with `%PDF-`, [`UploadError::TooLarge`] if it
    /// is longer than `limit` bytes.
    pub async fn open(path: impl Into<PathBuf>, limit: u64) -> Result<Self, UploadError> {
        let path = path.into();
        let io_error = |source: io::Error| UploadError::Io {
            path: path.clone(),
            source,
        };
        let file = File::open(&path).await.map_err(io_error)?;
        let metadata = file.metadata().await.map_err(io_error)?;
        if !metadata.is_file() {
            return Err(io_error(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            )));
        }
        let mut head = Vec::with_capacity(PDF_MAGIC.len());
        file.take(PDF_MAGIC.len() as u64)
            .read_to_end(&mut head)
            .await
            .map_err(io_error)?;
        if head != PDF_MAGIC {
            return Err(UploadError::NotPdf { path });
        }
        let len = metadata.len();
        if len > limit {
            return Err(UploadError::TooLarge {
                path,
                size: len,
                limit,
            });
        }
        Ok(Self { path, len })
    }

    /// The path of the file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The length of the file in bytes, as found by [`PdfFile::open`]; bodies send exactly this
    /// many bytes of the file.
    #[allow(
        clippy::len_without_is_empty,
        reason = "a PDF file is never empty: it starts with %PDF-"
    )]
    pub fn len(&self) -> u64 {
        self.len
    }

    /// The file name to send: the last component of the path (non-UTF-8 bytes replaced), or
    /// `document.pdf` if the path has none.
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| DEFAULT_FILE_NAME.to_owned())
    }
}

/// The state of [`file_chunks`].
enum ChunkState {
    /// The file is not open yet.
    Closed { path: PathBuf, len: u64 },
    /// The file is open and `remaining` of its `len` bytes are still to be read.
    Open {
        path: PathBuf,
        file: File,
        len: u64,
        remaining: u64,
    },
}

/// An I/O error that names the file.
fn with_path(path: &Path, error: io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

/// The first `len` bytes of the file at `path`, in chunks of exactly [`CHUNK`] bytes but the
/// last. The file is opened when the stream is first polled; the stream fails with
/// [`io::ErrorKind::UnexpectedEof`] if the file is shorter than `len`.
fn file_chunks(path: PathBuf, len: u64) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
    stream::try_unfold(ChunkState::Closed { path, len }, |state| async move {
        let (path, mut file, len, remaining) = match state {
            ChunkState::Closed { path, len } => {
                if len == 0 {
                    return Ok(None);
                }
                let file = File::open(&path).await.map_err(|e| with_path(&path, e))?;
                (path, file, len, len)
            }
            ChunkState::Open {
                path,
                file,
                len,
                remaining,
            } => (path, file, len, remaining),
        };
        if remaining == 0 {
            return Ok(None);
        }
        let want = usize::try_from(remaining).map_or(CHUNK, |r| r.min(CHUNK));
        let mut chunk = vec![0; want];
        let mut filled = 0;
        while filled < want {
            let read = file
                .read(&mut chunk[filled..])
                .await
                .map_err(|e| with_path(&path, e))?;
            if read == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "{} is shorter than the {len} bytes checked before the upload",
                        path.display()
                    ),
                ));
            }
            filled += read;
        }
        let state = ChunkState::Open {
            path,
            file,
            len,
            remaining: remaining - want as u64,
        };
        Ok(Some((Bytes::from(chunk), state)))
    })
}

/// Base64 (standard alphabet, padded) of the file as a stream of chunks, in constant memory.
///
/// The file is read again, in chunks of 48 KiB (a multiple of 3, so that the encoded chunks
/// concatenate to the encoding of the whole file), when the stream is first polled; the whole
/// stream is [`base64_len`]`(file.len())` bytes long. It fails with an I/O error naming the file
/// if the file cannot be read or has become shorter than [`PdfFile::len`].
pub fn base64_stream(file: &PdfFile) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
    file_chunks(file.path.clone(), file.len).map_ok(|chunk| Bytes::from(STANDARD.encode(&chunk)))
}

/// The length of the padded base64 encoding of `len` bytes: `4 * ceil(len / 3)` (saturating at
/// `u64::MAX`, far beyond any file).
pub fn base64_len(len: u64) -> u64 {
    len.div_ceil(3).saturating_mul(4)
}

/// The body `{"<field>":"<base64 of the file>"}` (no whitespace), streamed from the file, with its
/// exact length in bytes for the `Content-Length` header.
///
/// The field name is JSON-escaped; base64 needs no escaping in a JSON string. The body reads the
/// file again (see [`base64_stream`]); call this once per attempt.
pub fn json_base64_body(file: &PdfFile, field: &str) -> (reqwest::Body, u64) {
    let key = serde_json::Value::String(field.to_owned()).to_string();
    let head = Bytes::from(format!("{{{key}:\""));
    let tail = Bytes::from_static(b"\"}");
    let length = (head.len() as u64)
        .saturating_add(base64_len(file.len))
        .saturating_add(tail.len() as u64);
    let body = stream::once(async move { Ok(head) })
        .chain(base64_stream(file))
        .chain(stream::once(async move { Ok(tail) }));
    (reqwest::Body::wrap_stream(body), length)
}

/// Percent-encodes the base64 characters that `application/x-www-form-urlencoded` reserves:
/// `+` as `%2B`, `/` as `%2F` and `=` as `%3D`. Letters and digits pass through.
fn form_escape(base64: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(base64.len() + base64.len() / 16);
    for &byte in base64 {
        match byte {
            b'+' => out.extend_from_slice(b"%2B"),
            b'/' => out.extend_from_slice(b"%2F"),
            b'=' => out.extend_from_slice(b"%3D"),
            _ => out.push(byte),
        }
    }
    Bytes::from(out)
}

/// The number of base64 characters that [`form_escape`] turns into three bytes.
fn form_escaped_count(base64: &[u8]) -> u64 {
    base64
        .iter()
        .filter(|&&byte| matches!(byte, b'+' | b'/' | b'='))
        .count() as u64
}

/// The body `<field>=<base64 of the file>` as `application/x-www-form-urlencoded`, streamed
/// from the file, with its exact length in bytes for the `Content-Length` header.
///
/// The field name is form-urlencoded; in the base64, `+`, `/` and `=` are sent as `%2B`, `%2F`
/// and `%3D`. The length depends on how many of those the base64 holds, so this function first
/// reads the whole file once, in constant memory, to count them; the body then reads the file
/// again when it is sent. Call this once per attempt.
///
/// # Errors
///
/// [`UploadError::Io`] if the file cannot be read, or has become shorter than
/// [`PdfFile::len`], during the counting pass.
pub async fn form_base64_body(
    file: &PdfFile,
    field: &str,
) -> Result<(reqwest::Body, u64), UploadError> {
    let escaped = base64_stream(file)
        .try_fold(0u64, |count, chunk| async move {
            Ok(count.saturating_add(form_escaped_count(&chunk)))
        })
        .await
        .map_err(|source| UploadError::Io {
            path: file.path.clone(),
            source,
        })?;
    let name: String = url::form_urlencoded::byte_serialize(field.as_bytes()).collect();
    let head = Bytes::from(format!("{name}="));
    let length = (head.len() as u64)
        .saturating_add(base64_len(file.len))
        .saturating_add(escaped.saturating_mul(2));
    let body = stream::once(async move { Ok(head) })
        .chain(base64_stream(file).map_ok(|chunk| form_escape(&chunk)));
    Ok((reqwest::Body::wrap_stream(body), length))
}

/// A `multipart/form-data` form with each of `fields` as a text part, in order, followed by the
/// file streamed as part `file_field`, with the file name of [`PdfFile::file_name`], content
/// type `application/pdf` and a known length (so the whole form has a `Content-Length`).
///
/// The file part reads the file again when the form is sent; call this once per attempt.
pub fn multipart_form(
    file: &PdfFile,
    file_field: &str,
    fields: &[(&str, &str)],
) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new();
    for &(name, value) in fields {
        form = form.text(name.to_owned(), value.to_owned());
    }
    let part = || {
        let body = reqwest::Body::wrap_stream(file_chunks(file.path.clone(), file.len));
        reqwest::multipart::Part::stream_with_length(body, file.len).file_name(file.file_name())
    };
    // `mime_str` writes `Content-Type: application/pdf` as servers expect to see it. It cannot
    // fail on this constant; if it did, the same header is set (lower-cased) by hand instead.
    let part = part().mime_str(PDF_MIME).unwrap_or_else(|_| {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::CONTENT_TYPE,
            reqwest::header::HeaderValue::from_static(PDF_MIME),
        );
        part().headers(headers)
    });
    form.part(file_field.to_owned(), part)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;

    /// A fresh, empty directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(test: &str) -> Self {
            static COUNTER: AtomicU64 = AtomicU64::new(0);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let dir = std::env::temp_dir().join(format!(
                "credkit-upload-{test}-{}-{nanos}-{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&dir).expect("create temp dir");
            Self(dir)
        }
    }

    impl std::ops::Deref for TempDir {
        type Target = Path;

        fn deref(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, content).expect("write temp file");
        path
    }

    /// `len` pseudo-random bytes (xorshift64), the same for the same seed.
    fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
        let mut state = seed | 1;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 32) as u8
            })
            .collect()
    }

    /// A PDF-looking file of `len` bytes: `%PDF-` then pseudo-random bytes.
    fn pdf_bytes(len: usize, seed: u64) -> Vec<u8> {
        let mut bytes = random_bytes(len, seed);
        let head = len.min(PDF_MAGIC.len());
        bytes[..head].copy_from_slice(&PDF_MAGIC[..head]);
        bytes
    }

    async fn collect(stream: impl Stream<Item = io::Result<Bytes>>) -> io::Result<Vec<u8>> {
        stream
            .try_fold(Vec::new(), |mut all, chunk| async move {
                all.extend_from_slice(&chunk);
                Ok(all)
            })
            .await
    }

    /// Posts a request built by `build` to a mock server and returns the request it received.
    async fn received(
        build: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> wiremock::Request {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        let client = reqwest::Client::new();
        let response = build(client.post(format!("{}/upload", server.uri())))
            .send()
            .await
            .expect("send");
        assert_eq!(response.status(), 200);
        let mut requests = server.received_requests().await.expect("recording on");
        assert_eq!(requests.len(), 1);
        requests.remove(0)
    }

    fn header<'r>(request: &'r wiremock::Request, name: &str) -> Option<&'r str> {
        request.headers.get(name).and_then(|v| v.to_str().ok())
    }

    #[tokio::test]
    async fn open_accepts_a_pdf_within_the_limit() {
        let dir = TempDir::new("accept");
        let path = write(&dir, "report.pdf", &pdf_bytes(100, 1));
        let file = PdfFile::open(&path, 100).await.expect("open");
        assert_eq!(file.path(), path);
        assert_eq!(file.len(), 100);
        assert_eq!(file.file_name(), "report.pdf");

        let exact = write(&dir, "exact.pdf", b"%PDF-");
        assert_eq!(PdfFile::open(&exact, 5).await.expect("open").len(), 5);
    }

    #[tokio::test]
    async fn open_rejects_a_missing_file() {
        let dir = TempDir::new("missing");
        let path = dir.join("missing.pdf");
        match PdfFile::open(&path, MIB).await {
            Err(UploadError::Io { path: p, source }) => {
                assert_eq!(p, path);
                assert_eq!(source.kind(), io::ErrorKind::NotFound);
            }
            other => panic!("expected Io, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn open_rejects_a_directory() {
        let dir = TempDir::new("directory");
        assert!(matches!(
            PdfFile::open(dir.to_path_buf(), MIB).await,
            Err(UploadError::Io { .. })
        ));
    }

    #[tokio::test]
    async fn open_rejects_a_non_pdf() {
        let dir = TempDir::new("not-pdf");
        for (name, content) in [
            ("text.pdf", &b"hello, world"[..]),
            ("short.pdf", b"%PDF"),
            ("empty.pdf", b""),
            ("lower.pdf", b"%pdf-1.7"),
        ] {
            let path = write(&dir, name, content);
            match PdfFile::open(&path, MIB).await {
                Err(error @ UploadError::NotPdf { .. }) => {
                    assert_eq!(
                        error.to_string(),
                        format!(
                            "{} is not a PDF (it does not start with %PDF-)",
                            path.display()
                        )
                    );
                }
                other => panic!("{name}: expected NotPdf, got {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn open_rejects_a_file_over_the_limit() {
        let dir = TempDir::new("too-large");
        let path = write(&dir, "big.pdf", &pdf_bytes(1001, 2));
        match PdfFile::open(&path, 1000).await {
            Err(UploadError::TooLarge {
                path: p,
                size,
                limit,
            }) => {
                assert_eq!(p, path);
                assert_eq!(size, 1001);
                assert_eq!(limit, 1000);
            }
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }

    #[test]
    fn file_name_falls_back_when_the_path_has_none() {
        let file = PdfFile {
            path: PathBuf::from("/"),
            len: 0,
        };
        assert_eq!(file.file_name(), "document.pdf");
        let file = PdfFile {
            path: PathBuf::from("dir/a b.pdf"),
            len: 0,
        };
        assert_eq!(file.file_name(), "a b.pdf");
    }

    #[test]
    fn base64_len_is_four_per_started_triple() {
        for (len, expected) in [(0, 0), (1, 4), (2, 4), (3, 4), (4, 8), (6, 8), (7, 12)] {
            assert_eq!(base64_len(len), expected, "len {len}");
        }
        assert_eq!(base64_len(u64::MAX), u64::MAX);
    }

    #[tokio::test]
    async fn base64_stream_equals_the_encoding_of_the_whole_file() {
        let dir = TempDir::new("base64");
        let sizes = [
            0,
            1,
            2,
            3,
            4,
            5,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            2 * CHUNK + 2,
            1_000_003,
        ];
        for (i, size) in sizes.into_iter().enumerate() {
            let content = random_bytes(size, 7 + i as u64);
            let path = write(&dir, &format!("{size}.bin"), &content);
            // Built directly: files shorter than `%PDF-` cannot pass `open`.
            let file = PdfFile {
                path,
                len: size as u64,
            };
            let chunks: Vec<Bytes> = base64_stream(&file).try_collect().await.expect("stream");
            if let Some((_, init)) = chunks.split_last() {
                assert!(init.iter().all(|c| c.len() == CHUNK / 3 * 4), "size {size}");
            }
            let encoded = chunks.concat();
            assert_eq!(encoded.len() as u64, base64_len(size as u64), "size {size}");
            assert_eq!(
                encoded,
                STANDARD.encode(&content).into_bytes(),
                "size {size}"
            );
            // The stream can be built again from the same file.
            let again = collect(base64_stream(&file)).await.expect("again");
            assert_eq!(again, encoded, "size {size}");
        }
    }

    #[tokio::test]
    async fn base64_stream_fails_when_the_file_became_shorter() {
        let dir = TempDir::new("shrunk");
        let path = write(&dir, "shrunk.pdf", &pdf_bytes(CHUNK + 10, 3));
        let file = PdfFile::open(&path, MIB).await.expect("open");
        std::fs::write(&path, pdf_bytes(CHUNK - 10, 3)).expect("rewrite");
        let error = collect(base64_stream(&file)).await.expect_err("shorter");
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
        assert!(error.to_string().contains("shrunk.pdf"), "{error}");
    }

    #[tokio::test]
    async fn base64_stream_fails_when_the_file_is_gone() {
        let dir = TempDir::new("gone");
        let path = write(&dir, "gone.pdf", &pdf_bytes(10, 4));
        let file = PdfFile::open(&path, MIB).await.expect("open");
        std::fs::remove_file(&path).expect("remove");
        let error = collect(base64_stream(&file)).await.expect_err("gone");
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
        assert!(error.to_string().contains("gone.pdf"), "{error}");
        assert!(matches!(
            form_base64_body(&file, "image").await,
            Err(UploadError::Io { .. })
        ));
    }

    #[tokio::test]
    async fn a_body_fails_rather_than_sending_less_than_its_length() {
        let dir = TempDir::new("short-body");
        let path = write(&dir, "short.pdf", &pdf_bytes(3 * CHUNK, 9));
        let file = PdfFile::open(&path, MIB).await.expect("open");
        std::fs::write(&path, pdf_bytes(CHUNK, 9)).expect("rewrite");
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        let (body, length) = json_base64_body(&file, "image_base64");
        let result = reqwest::Client::new()
            .post(server.uri())
            .header(reqwest::header::CONTENT_LENGTH, length)
            .body(body)
            .send()
            .await;
        assert!(result.is_err(), "{result:?}");
    }

    #[tokio::test]
    async fn json_base64_body_streams_the_exact_document() {
        let dir = TempDir::new("json");
        for (size, field) in [
            (5, "image_base64"),
            (CHUNK + 1, "image_base64"),
            (300_001, "odd \"key\"\\\n"),
        ] {
            let content = pdf_bytes(size, 5);
            let path = write(&dir, &format!("{size}.pdf"), &content);
            let file = PdfFile::open(&path, 100 * MIB).await.expect("open");
            let (body, length) = json_base64_body(&file, field);
            let request = received(|builder| {
                builder
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .header(reqwest::header::CONTENT_LENGTH, length)
                    .body(body)
            })
            .await;
            let expected = serde_json::json!({ field: STANDARD.encode(&content) }).to_string();
            assert_eq!(request.body.len() as u64, length, "size {size}");
            assert_eq!(
                String::from_utf8_lossy(&request.body),
                expected,
                "size {size}"
            );
            let expected_length = length.to_string();
            assert_eq!(
                header(&request, "content-length"),
                Some(expected_length.as_str())
            );
            assert_eq!(header(&request, "transfer-encoding"), None);
        }
    }

    #[tokio::test]
    async fn form_base64_body_streams_the_exact_form() {
        let dir = TempDir::new("form");
        for (size, field) in [
            (5, "image"),
            (CHUNK + 2, "image"),
            (1_000_001, "my field&x=y"),
        ] {
            let content = pdf_bytes(size, 6);
            let encoded = STANDARD.encode(&content);
            let path = write(&dir, &format!("{size}.pdf"), &content);
            let file = PdfFile::open(&path, 30 * MIB).await.expect("open");
            let (body, length) = form_base64_body(&file, field).await.expect("body");
            let request = received(|builder| {
                builder
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .header(reqwest::header::CONTENT_LENGTH, length)
                    .body(body)
            })
            .await;
            let name: String = url::form_urlencoded::byte_serialize(field.as_bytes()).collect();
            let value = encoded
                .replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D");
            let expected = format!("{name}={value}");
            assert_eq!(request.body.len() as u64, length, "size {size}");
            assert_eq!(
                String::from_utf8_lossy(&request.body),
                expected,
                "size {size}"
            );
            // A form decoder gets the field and the base64 back.
            let decoded: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
                .into_owned()
                .collect();
            assert_eq!(decoded, vec![(field.to_owned(), encoded.clone())]);
            if size > 1000 {
                assert!(encoded.contains('+') && encoded.contains('/') && encoded.contains('='));
            }
            let expected_length = length.to_string();
            assert_eq!(
                header(&request, "content-length"),
                Some(expected_length.as_str())
            );
        }
    }

    #[tokio::test]
    async fn multipart_form_carries_the_fields_and_the_file() {
        let dir = TempDir::new("multipart");
        let content = pdf_bytes(CHUNK * 2 + 17, 8);
        let path = write(&dir, "credit report.pdf", &content);
        let file = PdfFile::open(&path, 30 * MIB).await.expect("open");
        let form = multipart_form(&file, "image_file", &[("auto_classify", "1")]);
        let request = received(|builder| builder.multipart(form)).await;

        let content_type = header(&request, "content-type").expect("content type");
        assert!(content_type.starts_with("multipart/form-data; boundary="));
        let body_length = request.body.len().to_string();
        assert_eq!(
            header(&request, "content-length"),
            Some(body_length.as_str())
        );

        let body = &request.body;
        let find = |needle: &[u8]| body.windows(needle.len()).position(|w| w == needle);
        let text = find(b"Content-Disposition: form-data; name=\"auto_classify\"\r\n\r\n1\r\n")
            .expect("text field");
        let part = find(
            b"Content-Disposition: form-data; name=\"image_file\"; \
              filename=\"credit report.pdf\"\r\nContent-Type: application/pdf\r\n\r\n",
        )
        .expect("file part headers");
        assert!(text < part);
        let data = find(&content).expect("file bytes");
        assert!(data > part);
    }

    #[tokio::test]
    async fn multipart_form_file_name_falls_back() {
        let file = PdfFile {
            path: PathBuf::from("/"),
            len: 0,
        };
        let form = multipart_form(&file, "image_file", &[]);
        let request = received(|builder| builder.multipart(form)).await;
        let body = String::from_utf8_lossy(&request.body);
        assert!(body.contains("name=\"image_file\"; filename=\"document.pdf\""));
    }
}
