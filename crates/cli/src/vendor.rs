//! `credkit deepfinch …` and `credkit dianhua …`: call a vendor through the generated clients
//! and print the response JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use credkit_runtime::client::error::ClientError;
use credkit_runtime::client::signing::{DeepFinchHeaders, DianhuaToken, JdMd5, TencentHmac};
use credkit_runtime::client::transport::ClientConfig;
use serde::Serialize;

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
    /// Recognise a credit-report PDF through a marketplace or a private deployment.
    Ocr {
        /// The channel: private (DEEPFINCH_PRIVATE_URL, DEEPFINCH_API_ID, DEEPFINCH_API_SECRET),
        /// tencent (TENCENT_MARKET_SECRET_ID, TENCENT_MARKET_SECRET_KEY, TENCENT_MARKET_SOURCE,
        /// DEEPFINCH_TENCENT_URL) or jd (JD_APPKEY, JD_SECRET_KEY, DEEPFINCH_JD_URL).
        #[arg(long, value_enum)]
        channel: Channel,
        /// The PDF.
        file: PathBuf,
    },
}

/// A DeepFinch OCR channel.
#[derive(Clone, Copy, clap::ValueEnum)]
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
    Record {
        /// The sid named by the authorisation callback.
        #[arg(long)]
        sid: String,
    },
    /// Pull the carrier report.
    Report {
        /// The sid.
        #[arg(long)]
        sid: String,
    },
    /// Pull the collection-risk analysis.
    Cuishou {
        /// The sid.
        #[arg(long)]
        sid: String,
    },
    /// Pull the number tags.
    Itag {
        /// The sid.
        #[arg(long)]
        sid: String,
    },
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

fn finish(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
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

async fn deepfinch(command: DeepFinchCommand) -> Result<(), Failure> {
    use deepfinch_client::{cloud, jd, private, tencent};
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
            print_json(&result)
        }
        DeepFinchCommand::Ocr { channel, file } => match channel {
            Channel::Private => {
                let config = ClientConfig::new(env::required("DEEPFINCH_PRIVATE_URL")?);
                let client = private::PrivateClient::new(config, deepfinch_headers()?)?;
                print_json(&client.credit_report_v2(&file).send().await?)
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
                let client = tencent::TencentClient::new(config, signer)?;
                print_json(&client.credit_report(&file).await?)
            }
            Channel::Jd => {
                let signer = JdMd5 {
                    appkey: env::required("JD_APPKEY")?,
                    secret_key: env::secret("JD_SECRET_KEY")?,
                };
                let config =
                    ClientConfig::new(env::or_default("DEEPFINCH_JD_URL", jd::DEFAULT_BASE_URL));
                let client = jd::JdClient::new(config, signer)?;
                print_json(&client.ocr_pdf_credit_report(&file).await?)
            }
        },
    }
}

/// Runs `credkit dianhua …`.
pub fn run_dianhua(command: DianhuaCommand) -> ExitCode {
    finish(runtime().and_then(|rt| rt.block_on(dianhua(command))))
}

async fn dianhua(command: DianhuaCommand) -> Result<(), Failure> {
    use dianhua_client::carrier::{DianhuaClient, DEFAULT_AUTH_URL_BASE_URL, DEFAULT_BASE_URL};
    let signer = DianhuaToken {
        token: env::secret("DIANHUA_TOKEN")?,
    };
    let config = ClientConfig::new(env::or_default("DIANHUA_API_URL", DEFAULT_BASE_URL));
    let client = DianhuaClient::new(config, signer)?
        .with_auth_url_base_url(env::or_default("DIANHUA_H5_URL", DEFAULT_AUTH_URL_BASE_URL));
    match command {
        DianhuaCommand::Record { sid } => print_json(&client.calls_record(&sid).await?),
        DianhuaCommand::Report { sid } => print_json(&client.calls_report(&sid).await?),
        DianhuaCommand::Cuishou { sid } => print_json(&client.cuishou(&sid).await?),
        DianhuaCommand::Itag { sid } => print_json(&client.itag(&sid).await?),
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
            Ok(())
        }
    }
}
