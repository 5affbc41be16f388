//! Peak memory of a PDF upload through the JD and Tencent clients, for 10 MB to 100 MB files.
//!
//! `cargo bench -p deepfinch-client --bench upload_memory` prints one line per upload: channel,
//! file size and the client process's peak resident set (VmHWM). Each upload runs in a fresh
//! child process (this binary again), so every figure is that upload's own peak; the local
//! server runs in the parent and discards what it receives. Linux only (reads /proc).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use credkit_runtime::client::signing::{JdMd5, TencentHmac};
use credkit_runtime::client::transport::{ClientConfig, RetryPolicy};

const SIZES_MB: &[u64] = &[10, 25, 50, 100];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, role, channel, file, base_url] = args.as_slice() {
        if role == "--child" {
            child(channel, Path::new(file), base_url);
            return;
        }
    }
    parent();
}

/// Reads a request head, then discards `Content-Length` bytes, then answers with `body`.
fn serve(listener: TcpListener, jd_body: &'static [u8], tencent_body: &'static [u8]) {
    for stream in listener.incoming().flatten() {
        std::thread::spawn(move || {
            let _ = answer(stream, jd_body, tencent_body);
        });
    }
}

fn answer(mut stream: TcpStream, jd_body: &[u8], tencent_body: &[u8]) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte)? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let length: u64 = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    let mut remaining = length;
    let mut buffer = vec![0u8; 64 * 1024];
    while remaining > 0 {
        let want = buffer.len().min(remaining as usize);
        let read = stream.read(&mut buffer[..want])?;
        if read == 0 {
            break;
        }
        remaining -= read as u64;
    }
    let body = if head.starts_with("post /deepfinch/") {
        jd_body
    } else {
        tencent_body
    };
    write!(stream, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len())?;
    stream.write_all(body)?;
    stream.flush()
}

fn fixture(rel: &str) -> &'static [u8] {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel);
    Box::leak(
        std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .into_boxed_slice(),
    )
}

fn make_pdf(dir: &Path, megabytes: u64) -> PathBuf {
    let path = dir.join(format!("bench-{megabytes}mb.pdf"));
    let mut file = std::fs::File::create(&path).expect("create");
    file.write_all(b"%PDF-1.7\n").expect("write");
    let chunk: Vec<u8> = (0..1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    for index in 0..megabytes {
        // Exactly `megabytes` MiB in all, header included: 100 MB is JD's limit itself.
        let part = if index == 0 { &chunk[9..] } else { &chunk[..] };
        file.write_all(part).expect("write");
    }
    path
}

fn parent() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base_url = format!("http://{}", listener.local_addr().expect("addr"));
    let jd = fixture("deepfinch/jd/credit-report/realistic-success.json");
    let tencent = fixture("deepfinch/tencent/credit-report-v2/realistic-success.json");
    std::thread::spawn(move || serve(listener, jd, tencent));
    let dir = tempfile::tempdir().expect("tempdir");
    let me = std::env::current_exe().expect("current exe");
    println!(
        "{:<8} {:>10} {:>14} {:>10}",
        "channel", "file (MB)", "peak RSS (MB)", "time (s)"
    );
    for &megabytes in SIZES_MB {
        let file = make_pdf(dir.path(), megabytes);
        for channel in ["jd", "tencent"] {
            let started = Instant::now();
            let output = Command::new(&me)
                .args(["--child", channel, &file.to_string_lossy(), &base_url])
                .output()
                .expect("child runs");
            let peak = String::from_utf8_lossy(&output.stdout).trim().to_owned();
            if !output.status.success() {
                eprintln!(
                    "{channel} {megabytes} MB failed: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
                std::process::exit(1);
            }
            println!(
                "{channel:<8} {megabytes:>10} {peak:>14} {:>10.2}",
                started.elapsed().as_secs_f64()
            );
        }
        std::fs::remove_file(&file).ok();
    }
}

/// Peak resident set of this process in MB (VmHWM).
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| {
            value
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn child(channel: &str, file: &Path, base_url: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut config = ClientConfig::new(base_url);
    config.retry = RetryPolicy::none();
    config.set_attempt_timeout(Duration::from_secs(600));
    runtime.block_on(async {
        match channel {
            "jd" => {
                let signer = JdMd5 {
                    appkey: "bench".into(),
                    secret_key: "bench".into(),
                };
                let client = deepfinch_client::jd::JdClient::new(config, signer).expect("client");
                client.ocr_pdf_credit_report(file).await.expect("upload");
            }
            _ => {
                let signer = TencentHmac {
                    secret_id: "bench".into(),
                    secret_key: "bench".into(),
                    source: "market".into(),
                };
                let client =
                    deepfinch_client::tencent::TencentClient::new(config, signer).expect("client");
                client.credit_report(file).await.expect("upload");
            }
        }
    });
    println!("{:.1}", peak_rss_mb());
}
