//! A local HTTP server that misbehaves on purpose, for the clients' fault tests (feature
//! `fault-server`; never in a production build).
//!
//! It speaks raw HTTP/1.1 over a tokio `TcpListener` on 127.0.0.1, one request per
//! connection, so it can do what a well-behaved server library cannot: reset the connection,
//! truncate or trickle a body, go silent, stream far more than any limit, or echo the request
//! (query and headers, where the credentials are) back in a gateway error page.
//!
//! Each connection takes the next [`Fault`] of the script; the last one repeats.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request (after reading it in full).
#[derive(Debug, Clone)]
pub enum Fault {
    /// A complete response: status, extra headers, body (with `Content-Length`).
    Respond {
        /// The HTTP status.
        status: u16,
        /// Extra headers (`Retry-After`, …).
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// Close the connection without answering.
    Close,
    /// Reset the connection (RST) without answering.
    Reset,
    /// Announce `announced` bytes, send `body` (shorter), close.
    Truncate {
        /// What is sent.
        body: Vec<u8>,
        /// The `Content-Length` announced.
        announced: usize,
    },
    /// Never answer; keep the connection open.
    Silent,
    /// Send the head and `prefix` of a longer body, then nothing more; keep it open.
    Stall {
        /// The part of the body that is sent.
        prefix: Vec<u8>,
    },
    /// Send the head, then the body one byte every `interval`.
    Trickle {
        /// The body.
        body: Vec<u8>,
        /// The pause between two bytes.
        interval: Duration,
    },
    /// A 200 body of `len` bytes (`x`), with or without `Content-Length` (without: the end is
    /// the connection's close), sent as fast as the client reads.
    Huge {
        /// Bytes of body.
        len: u64,
        /// Whether to announce them.
        content_length: bool,
    },
    /// A gateway error page with this status that shows the request as received (request
    /// line with query, every header), both as is and HTML-escaped, as reflecting gateways do.
    Echo {
        /// The HTTP status.
        status: u16,
    },
}

impl Fault {
    /// A JSON response.
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Fault::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into().into_bytes(),
        }
    }

    /// An empty response with one header (`429` with `Retry-After`, say).
    pub fn status_with(status: u16, header: &str, value: &str) -> Self {
        Fault::Respond {
            status,
            headers: vec![(header.into(), value.into())],
            body: Vec::new(),
        }
    }
}

/// A running fault server; stops when dropped.
#[derive(Debug)]
pub struct FaultServer {
    url: String,
    requests: Arc<AtomicUsize>,
    body_bytes_sent: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultServer {
    /// Starts a server on 127.0.0.1 playing `script`, one fault per connection, the last one
    /// repeated.
    ///
    /// # Panics
    ///
    /// When `script` is empty or no port can be bound (test setup failures).
    pub async fn start(script: Vec<Fault>) -> FaultServer {
        assert!(
            !script.is_empty(),
            "a fault script needs at least one fault"
        );
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let requests = Arc::new(AtomicUsize::new(0));
        let body_bytes_sent = Arc::new(AtomicU64::new(0));
        let script = Arc::new(Mutex::new(script.into_iter().collect::<Vec<_>>()));
        let counter = Arc::clone(&requests);
        let sent = Arc::clone(&body_bytes_sent);
        let task = tokio::spawn(async move {
            let mut next = 0usize;
            while let Ok((socket, _)) = listener.accept().await {
                let fault = {
                    let script = script.lock().unwrap_or_else(|e| e.into_inner());
                    script[next.min(script.len() - 1)].clone()
                };
                next += 1;
                let counter = Arc::clone(&counter);
                let sent = Arc::clone(&sent);
                tokio::spawn(async move {
                    let _ = serve(socket, fault, &counter, &sent).await;
                });
            }
        });
        FaultServer {
            url,
            requests,
            body_bytes_sent,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How many requests were read in full so far (one per attempt that reached the server).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// How many body bytes [`Fault::Huge`] managed to write before the client hung up.
    pub fn body_bytes_sent(&self) -> u64 {
        self.body_bytes_sent.load(Ordering::SeqCst)
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request: the head, then a `Content-Length` body or a chunked body up to its
/// last chunk. Returns the head.
async fn read_request(socket: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut data = Vec::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let read = socket.read(&mut buffer).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        data.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_ascii_lowercase();
    let length: Option<usize> = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok());
    let chunked = head.contains("transfer-encoding: chunked");
    let mut body_seen = data.len() - head_end;
    let mut tail = data[head_end..].to_vec();
    loop {
        let done = match length {
            Some(length) => body_seen >= length,
            None if chunked => tail.ends_with(b"0\r\n\r\n"),
            None => true,
        };
        if done {
            break;
        }
        let read = socket.read(&mut buffer).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        body_seen += read;
        tail.extend_from_slice(&buffer[..read]);
        if tail.len() > 16 {
            tail.drain(..tail.len() - 16);
        }
    }
    data.truncate(head_end);
    Ok(data)
}

fn head(status: u16, headers: &[(String, String)], length: Option<usize>) -> Vec<u8> {
    let mut text = format!("HTTP/1.1 {status} Fault\r\nconnection: close\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(length) = length {
        text.push_str(&format!("content-length: {length}\r\n"));
    }
    text.push_str("\r\n");
    text.into_bytes()
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn serve(
    mut socket: TcpStream,
    fault: Fault,
    requests: &AtomicUsize,
    sent: &AtomicU64,
) -> std::io::Result<()> {
    let request = read_request(&mut socket).await?;
    requests.fetch_add(1, Ordering::SeqCst);
    match fault {
        Fault::Respond {
            status,
            headers,
            body,
        } => {
            socket
                .write_all(&head(status, &headers, Some(body.len())))
                .await?;
            socket.write_all(&body).await?;
        }
        Fault::Close => {}
        Fault::Reset => {
            // Dropped with a zero linger: the kernel sends RST instead of FIN.
            socket.set_zero_linger()?;
            return Ok(());
        }
        Fault::Truncate { body, announced } => {
            socket.write_all(&head(200, &[], Some(announced))).await?;
            socket.write_all(&body).await?;
        }
        Fault::Silent => std::future::pending::<()>().await,
        Fault::Stall { prefix } => {
            socket
                .write_all(&head(200, &[], Some(prefix.len() + 1024)))
                .await?;
            socket.write_all(&prefix).await?;
            std::future::pending::<()>().await;
        }
        Fault::Trickle { body, interval } => {
            socket.write_all(&head(200, &[], Some(body.len()))).await?;
            for byte in body {
                socket.write_all(&[byte]).await?;
                tokio::time::sleep(interval).await;
            }
        }
        Fault::Huge {
            len,
            content_length,
        } => {
            let length = content_length.then(|| usize::try_from(len).unwrap_or(usize::MAX));
            socket.write_all(&head(200, &[], length)).await?;
            let chunk = vec![b'x'; 64 * 1024];
            let mut left = len;
            while left > 0 {
                let n = usize::try_from(left.min(chunk.len() as u64)).unwrap_or(chunk.len());
                socket.write_all(&chunk[..n]).await?;
                sent.fetch_add(n as u64, Ordering::SeqCst);
                left -= n as u64;
            }
        }
        Fault::Echo { status } => {
            let request = String::from_utf8_lossy(&request);
            let body = format!(
                "<html><body><h1>{status} Bad Gateway</h1><pre>{}</pre><pre>{request}</pre></body></html>",
                html_escape(&request)
            );
            let headers = [("content-type".to_owned(), "text/html".to_owned())];
            socket
                .write_all(&head(status, &headers, Some(body.len())))
                .await?;
            socket.write_all(body.as_bytes()).await?;
        }
    }
    socket.shutdown().await
}
