//! The generated client against raw reqwest + `serde_json::from_slice` on loopback: sequential
//! calls to a local HTTP/1.1 server (keep-alive) that answers every request with one of the
//! inputs. The calls-report input goes through the generated `DianhuaClient::calls_report`;
//! the credit reports through the same `Transport` with their channel's verdict (their real
//! operations are PDF uploads).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use credkit_runtime::client::operation::{
    BodyEncoding, Method, OperationKind, OperationSpec, Request, RetryClass,
};
use credkit_runtime::client::signing::DianhuaToken;
use credkit_runtime::client::transport::{ClientConfig, Transport, Verdict};
use deepfinch_models::credit_report_v1::CreditReportV1;
use deepfinch_models::credit_report_v2::CreditReportV2;
use dianhua_client::carrier::DianhuaClient;
use dianhua_models::calls_report::CallsReportResponse;
use serde::de::DeserializeOwned;

use crate::inputs::Inputs;
use crate::timing::{interleaved, median, ms, ratio, Case};
use crate::Options;

/// A GET of `path` answered by the loopback server.
const fn get(id: &'static str, path: &'static str) -> OperationSpec {
    OperationSpec {
        id,
        method: Method::Get,
        path,
        body: BodyEncoding::None,
        upload: None,
        kind: OperationKind::Send {
            retry: RetryClass::Read,
        },
    }
}

const V1: OperationSpec = get("v1", "/v1");
const V2: OperationSpec = get("v2", "/v2");

/// Serves `bodies` (by path prefix) on a loopback port, one thread per connection, until the
/// process ends. Returns the base URL.
fn serve(bodies: Vec<(&'static str, Arc<Vec<u8>>)>) -> anyhow::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").context("binding the loopback server")?;
    let address = listener.local_addr()?;
    let bodies = Arc::new(bodies);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let bodies = Arc::clone(&bodies);
            std::thread::spawn(move || {
                let _ = answer(stream, &bodies);
            });
        }
    });
    Ok(format!("http://{address}"))
}

/// Answers the requests of one keep-alive connection (GETs: no request body).
fn answer(stream: TcpStream, bodies: &[(&'static str, Arc<Vec<u8>>)]) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            if line == "\r\n" || line == "\n" {
                break;
            }
        }
        let body = bodies
            .iter()
            .find(|(prefix, _)| path.starts_with(prefix))
            .map_or(&b"{}"[..], |(_, body)| body.as_slice());
        write!(
            writer,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )?;
        writer.write_all(body)?;
        writer.flush()?;
    }
}

/// One raw call: reqwest, the whole body, `from_slice::<M>`.
async fn raw<M: DeserializeOwned>(http: &reqwest::Client, url: &str) -> anyhow::Result<M> {
    let bytes = http
        .get(url)
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    Ok(serde_json::from_slice(&bytes)?)
}

/// Times `rounds` interleaved pairs (raw call, generated call); the medians.
fn pair<A, B>(
    runtime: &tokio::runtime::Runtime,
    rounds: usize,
    mut raw_call: impl FnMut() -> A,
    mut client_call: impl FnMut() -> B,
) -> anyhow::Result<(Duration, Duration)>
where
    A: std::future::Future<Output = anyhow::Result<()>>,
    B: std::future::Future<Output = anyhow::Result<()>>,
{
    runtime.block_on(raw_call())?;
    runtime.block_on(client_call())?;
    let (mut raws, mut clients) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let started = Instant::now();
        runtime.block_on(raw_call())?;
        raws.push(started.elapsed());
        let started = Instant::now();
        runtime.block_on(client_call())?;
        clients.push(started.elapsed());
    }
    Ok((median(raws), median(clients)))
}

/// Measures the calls per input and prints the table.
///
/// # Errors
///
/// When the server cannot start or a call fails.
pub fn run(inputs: &Inputs, options: Options, out: &mut dyn Write) -> anyhow::Result<()> {
    let rounds = if options.quick { 5 } else { 300 };
    let base = serve(vec![
        ("/v1", Arc::new(inputs.v1.bytes.clone())),
        ("/v2", Arc::new(inputs.v2.bytes.clone())),
        ("/calls/report", Arc::new(inputs.calls.bytes.clone())),
    ])?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let http = reqwest::Client::new();
    let token = || DianhuaToken {
        token: "bench-token".into(),
    };
    let transport = Transport::new(ClientConfig::new(base.clone()), Arc::new(token()))?;
    let dianhua = DianhuaClient::new(ClientConfig::new(base.clone()), token())?;

    let typed = |spec: &'static OperationSpec, verdict: &'static Verdict| {
        let transport = &transport;
        move || async move {
            let report: CreditReportV2Or1 = match spec.id {
                "v1" => CreditReportV2Or1::V1(Box::new(
                    transport
                        .execute::<CreditReportV1>(Request::new(spec), verdict)
                        .await?,
                )),
                _ => CreditReportV2Or1::V2(Box::new(
                    transport
                        .execute::<CreditReportV2>(Request::new(spec), verdict)
                        .await?,
                )),
            };
            std::hint::black_box(report);
            anyhow::Ok(())
        }
    };
    let v1_url = format!("{base}/v1");
    let v2_url = format!("{base}/v2");
    let calls_url = format!("{base}/calls/report?sid=bench");
    let rows = [
        (
            "credit-report-v1 (Transport, JD verdict)",
            pair(
                &runtime,
                rounds,
                || async {
                    std::hint::black_box(raw::<CreditReportV1>(&http, &v1_url).await?);
                    Ok(())
                },
                typed(&V1, &deepfinch_client::jd::VERDICT),
            )?,
        ),
        (
            "credit-report-v2 (Transport, Tencent verdict)",
            pair(
                &runtime,
                rounds,
                || async {
                    std::hint::black_box(raw::<CreditReportV2>(&http, &v2_url).await?);
                    Ok(())
                },
                typed(&V2, &deepfinch_client::tencent::VERDICT),
            )?,
        ),
        (
            "calls-report (DianhuaClient::calls_report)",
            pair(
                &runtime,
                rounds,
                || async {
                    std::hint::black_box(raw::<CallsReportResponse>(&http, &calls_url).await?);
                    Ok(())
                },
                || async {
                    std::hint::black_box(dianhua.calls_report("bench").await?);
                    Ok(())
                },
            )?,
        ),
    ];
    writeln!(
        out,
        "### Client vs raw reqwest + `from_slice` on loopback ({rounds} interleaved sequential calls each)\n"
    )?;
    writeln!(
        out,
        "| input | raw ms/call | client ms/call | client calls/s ÷ raw calls/s |"
    )?;
    writeln!(out, "|---|---:|---:|---:|")?;
    for (name, (raw, client)) in rows {
        writeln!(
            out,
            "| {name} | {} | {} | {} |",
            ms(raw),
            ms(client),
            ratio(raw, client)
        )?;
    }
    writeln!(out)?;
    breakdown(inputs, options, out)?;
    Ok(())
}

/// Where the client's extra time goes, per call, off the network: the steps of
/// `read_response` on each input, against the raw path's `from_slice`.
fn breakdown(inputs: &Inputs, options: Options, out: &mut dyn Write) -> anyhow::Result<()> {
    fn steps<'a, M: DeserializeOwned>(bytes: &'a [u8], verdict: &'a Verdict) -> Vec<Case<'a>> {
        vec![
            Case::new("from_slice::<Model> (raw path)", move || {
                std::hint::black_box(serde_json::from_slice::<M>(bytes).ok());
            }),
            Case::new(
                "Verdict::read (skim; only when the parse fails)",
                move || {
                    std::hint::black_box(verdict.read(bytes).ok());
                },
            ),
            Case::new("parse_json::<Model>", move || {
                std::hint::black_box(credkit_runtime::parse_json::<M>(bytes).ok());
            }),
            Case::new(
                "Verdict::parse::<Model> (client path: one pass)",
                move || {
                    std::hint::black_box(verdict.parse::<M>(bytes).ok());
                },
            ),
        ]
    }
    let rounds = if options.quick { 3 } else { 31 };
    let columns = [
        interleaved(
            &mut steps::<CreditReportV1>(&inputs.v1.bytes, &deepfinch_client::jd::VERDICT),
            rounds,
        ),
        interleaved(
            &mut steps::<CreditReportV2>(&inputs.v2.bytes, &deepfinch_client::tencent::VERDICT),
            rounds,
        ),
        interleaved(
            &mut steps::<CallsReportResponse>(
                &inputs.calls.bytes,
                &dianhua_client::carrier::VERDICT,
            ),
            rounds,
        ),
    ];
    let names = steps::<CallsReportResponse>(&[], &dianhua_client::carrier::VERDICT);
    writeln!(
        out,
        "Steps of the client's response handling, ms per body (median of {rounds} interleaved rounds):\n"
    )?;
    writeln!(
        out,
        "| step | credit-report-v1 | credit-report-v2 | calls-report |"
    )?;
    writeln!(out, "|---|---:|---:|---:|")?;
    for (row, case) in names.iter().enumerate() {
        let cells: Vec<String> = columns.iter().map(|times| ms(times[row])).collect();
        writeln!(out, "| {} | {} |", case.name, cells.join(" | "))?;
    }
    writeln!(out)?;
    Ok(())
}

/// Either credit report, so that one closure can return both.
enum CreditReportV2Or1 {
    V1(#[allow(dead_code)] Box<CreditReportV1>),
    V2(#[allow(dead_code)] Box<CreditReportV2>),
}
