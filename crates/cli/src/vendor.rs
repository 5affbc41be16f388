//! `credkit deepfinch …` and `credkit dianhua …`: call a vendor through the generated clients
//! and print the response JSON, or, with `--out`, run a batch ([`crate::batch`]).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use credkit_runtime::client::error::ClientError;
use credkit_runtime::client::signing::{DeepFinchHeaders, DianhuaToken, JdMd5, TencentHmac};
use credkit_runtime::client::transport::ClientConfig;
use serde::Serialize;

use crate::batch::{self, Answer, BatchArgs, CallFailure, ErrorRecord, Input};
use crate::env::{self, MissingVariable};

/// `credkit deepfinch …`
#[derive(clap::Subcommand)]
pub enum DeepFinchCommand {
    /// Fetch a cloud OCR task's result (DEEPFINCH_API_ID, DEEPFINCH_API_SECRET, DEEPFINCH_CLOUD_URL).
    TaskResult {
        /// The task id.
        task_id: String,
        /// Poll while the task is in progress (up to 60 times, 5 s apart).
        #[arg(long)]
        wait: bool,
    },
    /// Recognise a credit-report PDF through a marketplace or a private deployment; with
    /// --out, a batch of PDFs (one result file each, resumable, stops on quota exhaustion).
    Ocr {
        /// The channel: private (DEEPFINCH_PRIVATE_URL, DEEPFINCH_API_ID, DEEPFINCH_API_SECRET),
        /// tencent (TENCENT_MARKET_SECRET_ID, TENCENT_MARKET_SECRET_KEY, TENCENT_MARKET_SOURCE,
        /// DEEPFINCH_TENCENT_URL) or jd (JD_APPKEY, JD_SECRET_KEY, DEEPFINCH_JD_URL).
        #[arg(long, value_enum)]
        channel: Channel,
        /// The PDF; with --out, any number of PDFs and directories (their *.pdf files).
        #[arg(required = true, value_name = "FILE|DIR")]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        batch: BatchArgs,
    },
}

/// A DeepFinch OCR channel.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Channel {
    /// The private deployment (multipart upload, at most 30 MB).
    Private,
    /// The Tencent Cloud API marketplace (base64 form body).
    Tencent,
    /// The JD AI marketplace (base64 JSON body, at most 100 MB).
    Jd,
}

/// `credkit dianhua …` (DIANHUA_TOKEN, DIANHUA_API_URL, DIANHUA_H5_URL).
#[derive(clap::Subcommand)]
pub enum DianhuaCommand {
    /// Pull the call records.
    Record(PullArgs),
    /// Pull the carrier report.
    Report(PullArgs),
    /// Pull the collection-risk analysis.
    Cuishou(PullArgs),
    /// Pull the number tags.
    Itag(PullArgs),
    /// Print the H5 authorisation URL for a user (give --tel or --contactor-file).
    AuthUrl {
        /// Your id for the user.
        #[arg(long)]
        uid: Option<String>,
        /// Where Dianhua pushes the authorisation status.
        #[arg(long)]
        callback: Option<String>,
        /// The phone number to authorise.
        #[arg(long)]
        tel: Option<String>,
        /// A JSON file with the applicant's details (model dianhua/contactor).
        #[arg(long)]
        contactor_file: Option<PathBuf>,
    },
}

/// The arguments of a pull: one sid, or a file of sids with `--out`.
#[derive(clap::Args)]
pub struct PullArgs {
    /// The sid named by the authorisation callback.
    #[arg(
        long,
        required_unless_present = "sid_file",
        conflicts_with = "sid_file"
    )]
    sid: Option<String>,
    /// A file of sids, one a line (blank lines and `#` lines are skipped); needs --out.
    #[arg(long, value_name = "FILE", requires = "out")]
    sid_file: Option<PathBuf>,
    #[command(flatten)]
    batch: BatchArgs,
}

enum Failure {
    Usage(String),
    Call(ClientError),
}

impl From<MissingVariable> for Failure {
    fn from(missing: MissingVariable) -> Self {
        Failure::Usage(missing.to_string())
    }
}

impl From<ClientError> for Failure {
    fn from(error: ClientError) -> Self {
        Failure::Call(error)
    }
}

fn print_json<T: Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Usage(format!("cannot print the response: {e}")))?;
    crate::out(text);
    Ok(())
}

fn finish(result: Result<ExitCode, Failure>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Call(error)) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Usage(format!("cannot start the async runtime: {e}")))
}

fn deepfinch_headers() -> Result<DeepFinchHeaders, Failure> {
    Ok(DeepFinchHeaders {
        api_id: env::required("DEEPFINCH_API_ID")?,
        api_secret: env::secret("DEEPFINCH_API_SECRET")?,
    })
}

/// Runs `credkit deepfinch …`.
pub fn run_deepfinch(command: DeepFinchCommand) -> ExitCode {
    finish(runtime().and_then(|rt| rt.block_on(deepfinch(command))))
}

async fn deepfinch(command: DeepFinchCommand) -> Result<ExitCode, Failure> {
    use deepfinch_client::cloud;
    match command {
        DeepFinchCommand::TaskResult { task_id, wait } => {
            let config = ClientConfig::new(env::or_default(
                "DEEPFINCH_CLOUD_URL",
                cloud::DEFAULT_BASE_URL,
            ));
            let client = cloud::CloudClient::new(config, deepfinch_headers()?)?;
            let result = if wait {
                client
                    .wait_for_task_result(&task_id, &deepfinch_client::PollPolicy::default())
                    .await?
            } else {
                client.get_credit_report_ocr_task_result(&task_id).await?
            };
            print_json(&result)?;
            Ok(ExitCode::SUCCESS)
        }
        DeepFinchCommand::Ocr {
            channel,
            inputs,
            batch,
        } => {
            let client = OcrClient::from_env(channel)?;
            let Some(out) = &batch.out else {
                let [file] = inputs.as_slice() else {
                    return Err(Failure::Usage(
                        "give --out DIR to recognise more than one file".into(),
                    ));
                };
                if file.is_dir() {
                    return Err(Failure::Usage(format!(
                        "{} is a directory: give --out DIR to recognise the PDFs in it",
                        file.display()
                    )));
                }
                return match client.recognise(file).await {
                    Ok(answer) => {
                        crate::out(answer.body);
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(CallFailure::Client(error)) => Err(Failure::Call(error)),
                    Err(CallFailure::Local(record)) => Err(Failure::Usage(record.message)),
                };
            };
            let files = batch::inputs::collect_files(&inputs).map_err(Failure::Usage)?;
            let limit = channel.upload_limit();
            let mut checked = Vec::with_capacity(files.len());
            for file in files {
                let work = credkit_runtime::client::upload::PdfFile::open(&file, limit)
                    .await
                    .map(|_| file.clone())
                    .map_err(|e| ErrorRecord::from_client(&ClientError::Upload(e)));
                checked.push(Input {
                    label: file.display().to_string(),
                    stem: batch::inputs::file_stem(&file),
                    work,
                });
            }
            let spec = batch::Spec {
                command: "deepfinch ocr",
                channel: channel.name(),
                args: &batch,
                out,
                is_quota: &|error| channel.is_quota(error),
            };
            let client = &client;
            Ok(batch::run(&spec, checked, |file: PathBuf| async move {
                client.recognise(&file).await
            })
            .await)
        }
    }
}

impl Channel {
    /// The channel's name in the endpoint model.
    fn name(self) -> &'static str {
        use deepfinch_client::{jd, private, tencent};
        match self {
            Channel::Private => private::CHANNEL.name,
            Channel::Tencent => tencent::CHANNEL.name,
            Channel::Jd => jd::CHANNEL.name,
        }
    }

    /// The channel's upload limit in bytes (its endpoint model's `UploadSpec::max_bytes`).
    fn upload_limit(self) -> u64 {
        use deepfinch_client::{jd, private, tencent};
        let channel = match self {
            Channel::Private => &private::CHANNEL,
            Channel::Tencent => &tencent::CHANNEL,
            Channel::Jd => &jd::CHANNEL,
        };
        channel
            .operations
            .iter()
            .find_map(|op| op.upload)
            .map_or(0, |upload| upload.max_bytes)
    }

    /// Whether `error` says the quota or the rate limit is used up: HTTP 429 on every channel,
    /// and the documented codes — JD `OUT_OF_QUOTA` and `RATE_LIMIT_EXCEEDED` (003 §四),
    /// Tencent `RATE_LIMIT_EXCEEDED` (002); the private deployment documents none (001 §4).
    fn is_quota(self, error: &ClientError) -> bool {
        use credkit_models::deepfinch::jd::credit_report::JdStatus;
        use credkit_models::deepfinch::tencent::credit_report_v2::TencentStatus;
        if error.status() == Some(429) {
            return true;
        }
        let Some(code) = error.vendor_code() else {
            return false;
        };
        match self {
            Channel::Private => false,
            Channel::Tencent => TencentStatus::from(code) == TencentStatus::RateLimitExceeded,
            Channel::Jd => matches!(
                JdStatus::from(code),
                JdStatus::OutOfQuota | JdStatus::RateLimitExceeded
            ),
        }
    }
}

/// A client of one OCR channel, configured from the environment.
enum OcrClient {
    Private(deepfinch_client::private::PrivateClient),
    Tencent(deepfinch_client::tencent::TencentClient),
    Jd(deepfinch_client::jd::JdClient),
}

impl OcrClient {
    fn from_env(channel: Channel) -> Result<Self, Failure> {
        use deepfinch_client::{jd, private, tencent};
        Ok(match channel {
            Channel::Private => {
                let config = ClientConfig::new(env::required("DEEPFINCH_PRIVATE_URL")?);
                OcrClient::Private(private::PrivateClient::new(config, deepfinch_headers()?)?)
            }
            Channel::Tencent => {
                let signer = TencentHmac {
                    secret_id: env::required("TENCENT_MARKET_SECRET_ID")?,
                    secret_key: env::secret("TENCENT_MARKET_SECRET_KEY")?,
                    source: env::or_default("TENCENT_MARKET_SOURCE", "market"),
                };
                let config = ClientConfig::new(env::or_default(
                    "DEEPFINCH_TENCENT_URL",
                    tencent::DEFAULT_BASE_URL,
                ));
                OcrClient::Tencent(tencent::TencentClient::new(config, signer)?)
            }
            Channel::Jd => {
                let signer = JdMd5 {
                    appkey: env::required("JD_APPKEY")?,
                    secret_key: env::secret("JD_SECRET_KEY")?,
                };
                let config =
                    ClientConfig::new(env::or_default("DEEPFINCH_JD_URL", jd::DEFAULT_BASE_URL));
                OcrClient::Jd(jd::JdClient::new(config, signer)?)
            }
        })
    }

    /// Recognises `file`. JD's envelope says when nothing is left of the quota: `remainTimes`
    /// or `remainSeconds` 0 (-1 means unlimited).
    async fn recognise(&self, file: &Path) -> Result<Answer, CallFailure> {
        match self {
            OcrClient::Private(client) => {
                Answer::new(&client.credit_report_v2(file).send().await?, false)
            }
            OcrClient::Tencent(client) => Answer::new(&client.credit_report(file).await?, false),
            OcrClient::Jd(client) => {
                let response = client.ocr_pdf_credit_report(file).await?;
                let used_up =
                    response.remain_times == Some(0) || response.remain_seconds == Some(0);
                Answer::new(&response, used_up)
            }
        }
    }
}

/// Runs `credkit dianhua …`.
pub fn run_dianhua(command: DianhuaCommand) -> ExitCode {
    finish(runtime().and_then(|rt| rt.block_on(dianhua(command))))
}

/// One of Dianhua's pull APIs.
#[derive(Clone, Copy)]
enum Pull {
    Record,
    Report,
    Cuishou,
    Itag,
}

impl Pull {
    fn command(self) -> &'static str {
        match self {
            Pull::Record => "dianhua record",
            Pull::Report => "dianhua report",
            Pull::Cuishou => "dianhua cuishou",
            Pull::Itag => "dianhua itag",
        }
    }

    async fn fetch(
        self,
        client: &dianhua_client::carrier::DianhuaClient,
        sid: &str,
    ) -> Result<Answer, CallFailure> {
        match self {
            Pull::Record => Answer::new(&client.calls_record(sid).await?, false),
            Pull::Report => Answer::new(&client.calls_report(sid).await?, false),
            Pull::Cuishou => Answer::new(&client.cuishou(sid).await?, false),
            Pull::Itag => Answer::new(&client.itag(sid).await?, false),
        }
    }
}

/// One sid printed, or a sid file pulled into `--out`.
async fn pull(
    client: &dianhua_client::carrier::DianhuaClient,
    kind: Pull,
    args: PullArgs,
) -> Result<ExitCode, Failure> {
    let (Some(sid_file), Some(out)) = (&args.sid_file, &args.batch.out) else {
        if args.batch.out.is_some() {
            return Err(Failure::Usage("--out needs --sid-file".into()));
        }
        let sid = args.sid.unwrap_or_default();
        return match kind.fetch(client, &sid).await {
            Ok(answer) => {
                crate::out(answer.body);
                Ok(ExitCode::SUCCESS)
            }
            Err(CallFailure::Client(error)) => Err(Failure::Call(error)),
            Err(CallFailure::Local(record)) => Err(Failure::Usage(record.message)),
        };
    };
    let inputs = batch::inputs::read_sids(sid_file).map_err(Failure::Usage)?;
    let spec = batch::Spec {
        command: kind.command(),
        channel: dianhua_client::carrier::CHANNEL.name,
        args: &args.batch,
        out,
        // Dianhua documents no quota code; a rate limit is HTTP 429.
        is_quota: &|error| error.status() == Some(429),
    };
    Ok(batch::run(&spec, inputs, |sid: String| async move {
        kind.fetch(client, &sid).await
    })
    .await)
}

async fn dianhua(command: DianhuaCommand) -> Result<ExitCode, Failure> {
    use dianhua_client::carrier::{DianhuaClient, DEFAULT_AUTH_URL_BASE_URL, DEFAULT_BASE_URL};
    let signer = DianhuaToken {
        token: env::secret("DIANHUA_TOKEN")?,
    };
    let config = ClientConfig::new(env::or_default("DIANHUA_API_URL", DEFAULT_BASE_URL));
    let client = DianhuaClient::new(config, signer)?
        .with_auth_url_base_url(env::or_default("DIANHUA_H5_URL", DEFAULT_AUTH_URL_BASE_URL));
    match command {
        DianhuaCommand::Record(args) => pull(&client, Pull::Record, args).await,
        DianhuaCommand::Report(args) => pull(&client, Pull::Report, args).await,
        DianhuaCommand::Cuishou(args) => pull(&client, Pull::Cuishou, args).await,
        DianhuaCommand::Itag(args) => pull(&client, Pull::Itag, args).await,
        DianhuaCommand::AuthUrl {
            uid,
            callback,
            tel,
            contactor_file,
        } => {
            let contactor = match contactor_file {
                None => None,
                Some(path) => {
                    let bytes = std::fs::read(&path).map_err(|e| {
                        Failure::Usage(format!("cannot read {}: {e}", path.display()))
                    })?;
                    let parsed = credkit_runtime::parse_json::<
                        credkit_models::dianhua::contactor::Contactor,
                    >(&bytes)
                    .map_err(|e| {
                        Failure::Usage(format!("{} is not a valid contactor: {e}", path.display()))
                    })?;
                    Some(parsed.value)
                }
            };
            let mut builder = client.auth_url();
            if let Some(uid) = uid {
                builder = builder.uid(uid);
            }
            if let Some(callback) = callback {
                builder = builder.callback(callback);
            }
            if let Some(tel) = tel {
                builder = builder.tel(tel);
            }
            if let Some(contactor) = contactor {
                builder = builder.contactor(contactor);
            }
            let url = builder.build()?;
            crate::out(url);
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use credkit_runtime::client::error::ApiError;

    fn api(status: u16, code: Option<&str>) -> ClientError {
        ClientError::Api(Box::new(ApiError {
            operation: "ocr",
            status,
            code: code.map(str::to_owned),
            message: None,
            request_id: None,
            body_excerpt: String::new(),
            retry_after: None,
        }))
    }

    #[test]
    fn each_channel_knows_its_documented_quota_codes() {
        let quota = api(403, Some("OUT_OF_QUOTA"));
        let rate = api(403, Some("RATE_LIMIT_EXCEEDED"));
        assert!(Channel::Jd.is_quota(&quota) && Channel::Jd.is_quota(&rate));
        assert!(Channel::Tencent.is_quota(&rate));
        assert!(
            !Channel::Tencent.is_quota(&quota),
            "002 documents no OUT_OF_QUOTA"
        );
        assert!(
            !Channel::Private.is_quota(&rate),
            "001 documents no limit code"
        );
        for channel in [Channel::Private, Channel::Tencent, Channel::Jd] {
            assert!(channel.is_quota(&api(429, None)));
            assert!(!channel.is_quota(&api(403, Some("NO_PERMISSION"))));
            assert!(!channel.is_quota(&api(500, None)));
        }
    }

    #[test]
    fn upload_limits_come_from_the_endpoint_model() {
        assert_eq!(Channel::Private.upload_limit(), 30 * 1024 * 1024);
        assert_eq!(Channel::Jd.upload_limit(), 100 * 1024 * 1024);
        assert_eq!(Channel::Tencent.upload_limit(), 100 * 1024 * 1024);
    }
}
