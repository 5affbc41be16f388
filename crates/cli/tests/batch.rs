//! The batch commands against the real `credkit mock` process: `credkit deepfinch ocr --out`
//! (a result per PDF, an error record per failure, resume, `--force`, name clashes, the quota
//! stop) and `credkit dianhua … --sid-file` (results per sid, resume).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

mod common;

/// The mock process; killed when dropped.
struct Mock {
    process: common::MockProcess,
}

impl Mock {
    fn start(extra: &[&str]) -> Mock {
        Mock {
            process: common::MockProcess::start(extra),
        }
    }

    /// Runs credkit with the mock's environment.
    fn credkit(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_credkit"))
            .args(args)
            .envs(&self.process.env)
            .stdin(Stdio::null())
            .output()
            .expect("credkit runs")
    }

    /// How many OCR uploads the mock has seen.
    async fn uploads(&self) -> u64 {
        let url = format!("{}/_mock/usage", self.process.env["DEEPFINCH_JD_URL"]);
        let usage: Value = reqwest::get(url)
            .await
            .expect("usage")
            .json()
            .await
            .expect("json");
        usage["ocr_uploads"].as_u64().expect("a count")
    }
}

/// `n` small PDFs `report-1.pdf` … in `dir`.
fn pdfs(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).expect("dir");
    for i in 1..=n {
        std::fs::write(
            dir.join(format!("report-{i}.pdf")),
            format!("%PDF-1.4\n% report {i}\n"),
        )
        .expect("write");
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("out dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn summary(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is no JSON document ({e}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

#[tokio::test]
async fn a_batch_writes_a_result_per_pdf_and_an_error_for_a_text_file_then_resumes() {
    let mock = Mock::start(&[]);
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join("in");
    pdfs(&inputs, 3);
    std::fs::write(inputs.join("notes.pdf"), "just text, renamed\n").expect("write");
    let out = dir.path().join("out");
    let args = [
        "deepfinch",
        "ocr",
        "--channel",
        "jd",
        path(&inputs),
        "--out",
        path(&out),
    ];

    let first = mock.credkit(&args);
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    assert!(first.stdout.is_empty(), "no --json: nothing on stdout");
    assert_eq!(
        names(&out),
        [
            "notes.error.json",
            "report-1.json",
            "report-2.json",
            "report-3.json"
        ]
    );
    let result: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report-1.json")).expect("read"))
            .expect("a result is JSON");
    assert_eq!(result["result"]["status"], "OK");
    let error: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("notes.error.json")).expect("read"))
            .expect("an error record is JSON");
    assert_eq!(error["error"]["kind"], "upload");
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("is not a PDF"),
        "{error}"
    );
    let log = stderr(&first);
    assert!(log.contains("[1/4] failed"), "the text file first: {log}");
    assert!(
        log.contains("4 input(s): 3 done, 0 skipped, 1 failed, 0 not submitted"),
        "{log}"
    );
    assert_eq!(mock.uploads().await, 3, "the text file is never uploaded");

    let mut again = args.to_vec();
    again.push("--json");
    let second = mock.credkit(&again);
    assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
    let document = summary(&second);
    assert_eq!(document["format_version"], 1);
    assert_eq!(document["command"], "deepfinch ocr");
    assert_eq!(document["verdict"], "failed");
    assert_eq!(
        document["counts"],
        serde_json::json!({"total": 4, "done": 0, "skipped": 3, "failed": 1, "not_submitted": 0})
    );
    assert_eq!(mock.uploads().await, 3, "finished inputs are skipped");
}

#[tokio::test]
async fn force_redoes_finished_inputs_and_a_clean_batch_exits_zero() {
    let mock = Mock::start(&[]);
    let dir = tempfile::tempdir().expect("tempdir");
    pdfs(dir.path(), 2);
    let out = dir.path().join("out");
    let one = dir.path().join("report-1.pdf");
    let two = dir.path().join("report-2.pdf");
    let args = [
        "deepfinch",
        "ocr",
        "--channel",
        "private",
        path(&one),
        path(&two),
        "--out",
        path(&out),
        "--concurrency",
        "1",
    ];
    let first = mock.credkit(&args);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(mock.uploads().await, 2);
    let resumed = mock.credkit(&args);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert_eq!(mock.uploads().await, 2, "nothing left to do");
    let mut forced = args.to_vec();
    forced.push("--force");
    let redone = mock.credkit(&forced);
    assert!(redone.status.success(), "{}", stderr(&redone));
    assert_eq!(mock.uploads().await, 4, "--force redoes both");
    assert_eq!(names(&out), ["report-1.json", "report-2.json"]);
}

#[tokio::test]
async fn a_name_clash_is_reported_and_overwrites_nothing() {
    let mock = Mock::start(&[]);
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    pdfs(&a, 2);
    pdfs(&b, 1);
    let out = dir.path().join("out");
    let output = mock.credkit(&[
        "deepfinch",
        "ocr",
        "--channel",
        "tencent",
        path(&a),
        path(&b),
        "--out",
        path(&out),
        "--json",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let document = summary(&output);
    let outcomes: Vec<(String, String, Value)> = document["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|i| {
            (
                i["input"].as_str().unwrap_or_default().to_owned(),
                i["outcome"].as_str().unwrap_or_default().to_owned(),
                i["error"]["kind"].clone(),
            )
        })
        .collect();
    let clashing: Vec<&(String, String, Value)> = outcomes
        .iter()
        .filter(|(input, _, _)| input.ends_with("report-1.pdf"))
        .collect();
    assert_eq!(clashing.len(), 2, "{outcomes:?}");
    assert!(
        clashing
            .iter()
            .all(|(_, outcome, kind)| outcome == "failed" && kind == "name_clash"),
        "{outcomes:?}"
    );
    assert_eq!(names(&out), ["report-2.json"], "no report-1 file at all");
    assert_eq!(mock.uploads().await, 1, "clashing inputs are not uploaded");
}

#[tokio::test]
async fn the_quota_code_stops_submissions_and_lets_calls_in_flight_finish() {
    // Tencent answers RATE_LIMIT_EXCEEDED (HTTP 403) once the mock's two calls are used.
    let mock = Mock::start(&["--quota", "2"]);
    let dir = tempfile::tempdir().expect("tempdir");
    pdfs(dir.path(), 8);
    let out = dir.path().join("out");
    let output = mock.credkit(&[
        "deepfinch",
        "ocr",
        "--channel",
        "tencent",
        path(dir.path()),
        "--out",
        path(&out),
        "--concurrency",
        "2",
        "--json",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let log = stderr(&output);
    assert!(log.contains("quota exhausted"), "{log}");
    assert!(log.contains("stopped on quota exhaustion"), "{log}");
    let document = summary(&output);
    assert_eq!(document["verdict"], "quota_exhausted");
    assert_eq!(
        document["quota_error"]["vendor_code"],
        "RATE_LIMIT_EXCEEDED"
    );
    let counts = &document["counts"];
    assert_eq!(counts["done"], 2, "{document}");
    let uploads = mock.uploads().await;
    assert!(
        uploads <= 2 + 2,
        "at most quota + concurrency uploads, saw {uploads}"
    );
    assert_eq!(
        counts["not_submitted"].as_u64(),
        Some(8 - uploads),
        "{document}"
    );
    assert_eq!(counts["failed"].as_u64(), Some(uploads - 2), "{document}");
}

#[tokio::test]
async fn jd_remain_times_zero_stops_before_the_quota_error() {
    let mock = Mock::start(&["--quota", "2"]);
    let dir = tempfile::tempdir().expect("tempdir");
    pdfs(dir.path(), 5);
    let out = dir.path().join("out");
    let args = [
        "deepfinch",
        "ocr",
        "--channel",
        "jd",
        path(dir.path()),
        "--out",
        path(&out),
        "--concurrency",
        "1",
        "--json",
    ];
    let output = mock.credkit(&args);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let document = summary(&output);
    assert_eq!(
        document["counts"],
        serde_json::json!({"total": 5, "done": 2, "skipped": 0, "failed": 0, "not_submitted": 3}),
        "{document}"
    );
    assert_eq!(mock.uploads().await, 2, "the answer said none were left");
    assert_eq!(names(&out), ["report-1.json", "report-2.json"]);
    // Run again (the quota is still used up): the first new upload meets OUT_OF_QUOTA.
    let again = mock.credkit(&args);
    let document = summary(&again);
    assert_eq!(document["quota_error"]["vendor_code"], "OUT_OF_QUOTA");
    assert_eq!(document["counts"]["skipped"], 2);
    assert_eq!(document["counts"]["failed"], 1);
    assert_eq!(mock.uploads().await, 3);
}

#[tokio::test]
async fn the_single_file_form_still_prints_and_several_files_need_out() {
    let mock = Mock::start(&[]);
    let dir = tempfile::tempdir().expect("tempdir");
    pdfs(dir.path(), 2);
    let one = dir.path().join("report-1.pdf");
    let output = mock.credkit(&["deepfinch", "ocr", "--channel", "jd", path(&one)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(summary(&output)["result"]["status"], "OK");

    let two = dir.path().join("report-2.pdf");
    let output = mock.credkit(&[
        "deepfinch",
        "ocr",
        "--channel",
        "jd",
        path(&one),
        path(&two),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--out"), "{}", stderr(&output));
    let output = mock.credkit(&["deepfinch", "ocr", "--channel", "jd", path(dir.path())]);
    assert_eq!(output.status.code(), Some(2));
    let output = mock.credkit(&["deepfinch", "ocr", "--channel", "jd", path(&one), "--force"]);
    assert_eq!(output.status.code(), Some(2), "--force needs --out");
    let output = mock.credkit(&[
        "deepfinch",
        "ocr",
        "--channel",
        "jd",
        path(&one),
        "--out",
        path(dir.path()),
        "--concurrency",
        "17",
    ]);
    assert_eq!(output.status.code(), Some(2), "concurrency is bounded");
    assert_eq!(mock.uploads().await, 1);
}

fn sid_file(dir: &Path, sids: &str) -> PathBuf {
    let file = dir.join("sids.txt");
    std::fs::write(&file, sids).expect("write");
    file
}

#[tokio::test]
async fn dianhua_pulls_a_sid_file_and_resumes() {
    let mock = Mock::start(&[]);
    let dir = tempfile::tempdir().expect("tempdir");
    let sids = sid_file(
        dir.path(),
        "# today\nSID-1\nSID-2\n\nSID-1\n../escape\nSID-3\n",
    );
    let out = dir.path().join("records");
    let args = [
        "dianhua",
        "record",
        "--sid-file",
        path(&sids),
        "--out",
        path(&out),
    ];
    let first = mock.credkit(&args);
    assert_eq!(
        first.status.code(),
        Some(1),
        "the unusable sid fails: {}",
        stderr(&first)
    );
    assert_eq!(
        names(&out),
        ["SID-1.json", "SID-2.json", "SID-3.json"],
        "nothing is written for the unusable sid"
    );
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("SID-2.json")).expect("read"))
            .expect("JSON");
    assert_eq!(record["data"]["sid"], "SID-2");
    let log = stderr(&first);
    assert!(log.contains("not a usable sid"), "{log}");
    assert!(
        log.contains("4 input(s): 3 done, 0 skipped, 1 failed"),
        "{log}"
    );

    // Without the bad line, the rerun skips everything and succeeds.
    sid_file(dir.path(), "SID-1\nSID-2\nSID-3\n");
    let mut again = args.to_vec();
    again.push("--json");
    let second = mock.credkit(&again);
    assert!(second.status.success(), "{}", stderr(&second));
    let document = summary(&second);
    assert_eq!(document["command"], "dianhua record");
    assert_eq!(document["verdict"], "ok");
    assert_eq!(document["counts"]["skipped"], 3);
}

#[tokio::test]
async fn dianhua_sid_options_are_checked() {
    let mock = Mock::start(&[]);
    let dir = tempfile::tempdir().expect("tempdir");
    let sids = sid_file(dir.path(), "SID-1\n");
    let output = mock.credkit(&["dianhua", "itag", "--sid-file", path(&sids)]);
    assert_eq!(output.status.code(), Some(2), "--sid-file needs --out");
    let output = mock.credkit(&["dianhua", "itag", "--sid", "S", "--out", path(dir.path())]);
    assert_eq!(output.status.code(), Some(2), "--out needs --sid-file");
    let output = mock.credkit(&["dianhua", "itag", "--sid", "SID-9"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(summary(&output)["status"], 0);
}

#[tokio::test]
async fn a_pdf_over_the_channel_limit_is_reported_without_an_upload() {
    let mock = Mock::start(&[]);
    let dir = tempfile::tempdir().expect("tempdir");
    pdfs(dir.path(), 1);
    // 31 MiB (a sparse file): over the private deployment's 30 MB, under JD's 100 MB.
    let big = dir.path().join("big.pdf");
    let file = std::fs::File::create(&big).expect("create");
    std::io::Write::write_all(&mut &file, b"%PDF-1.4\n").expect("write");
    file.set_len(31 * 1024 * 1024).expect("grow");
    let out = dir.path().join("out");
    let output = mock.credkit(&[
        "deepfinch",
        "ocr",
        "--channel",
        "private",
        path(dir.path()),
        "--out",
        path(&out),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("big.error.json")).expect("read"))
            .expect("JSON");
    assert_eq!(record["error"]["kind"], "upload");
    assert!(
        record["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("over the 31457280-byte limit"),
        "{record}"
    );
    assert_eq!(names(&out), ["big.error.json", "report-1.json"]);
    assert_eq!(mock.uploads().await, 1, "only the small PDF is uploaded");
}
