//! The runner: generates inputs on worker threads, runs each under `catch_unwind` with a panic
//! hook that records the message, measures each input's time, and watches for an input that
//! never finishes.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Once};
use std::thread;
use std::time::{Duration, Instant};

use crate::corpus::Corpus;
use crate::mutate::{self, Input, MutationKind};
use crate::report::{Failure, FailureKind, Report};
use crate::target::{Observation, Outcome, Probe};

/// What to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The seed: the same seed and index always give the same input.
    pub seed: u64,
    /// The first input's index.
    pub start: u64,
    /// How many inputs.
    pub iterations: u64,
    /// Worker threads.
    pub threads: usize,
    /// An input that takes longer than this is a failure (a hang).
    pub budget: Duration,
    /// An input still running after this long stops the run (reported as a hang, with the
    /// worker left behind).
    pub hard_limit: Duration,
    /// How many failures are kept with their details (all are counted).
    pub keep_failures: usize,
    /// Print a progress line to stderr every this often (`None`: never).
    pub progress: Option<Duration>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 0,
            start: 0,
            iterations: 10_000,
            threads: 2,
            budget: Duration::from_secs(2),
            hard_limit: Duration::from_secs(60),
            keep_failures: 20,
            progress: None,
        }
    }
}

thread_local! {
    /// Set while a worker runs an input: the panic hook records into it instead of printing.
    static CAUGHT: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that, on a fuzz worker, records the message and location of a
/// panic for the report; elsewhere it defers to the hook that was installed before.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let recorded = CAUGHT.with(|slot| {
                let mut slot = slot.borrow_mut();
                match slot.as_mut() {
                    Some(message) => {
                        let text = info
                            .payload()
                            .downcast_ref::<&str>()
                            .map(|s| (*s).to_owned())
                            .or_else(|| info.payload().downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "(no message)".to_owned());
                        let location = info
                            .location()
                            .map(|l| format!(" at {}:{}", l.file(), l.line()))
                            .unwrap_or_default();
                        *message = Some(format!("{text}{location}"));
                        true
                    }
                    None => false,
                }
            });
            if !recorded {
                previous(info);
            }
        }));
    });
}

/// One worker's tally, merged into the [`Report`].
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub(crate) inputs: u64,
    pub(crate) kinds: BTreeMap<MutationKind, u64>,
    pub(crate) models: BTreeMap<&'static str, u64>,
    pub(crate) foreign_model: u64,
    pub(crate) systematic: u64,
    pub(crate) systematic_seen: Vec<bool>,
    pub(crate) parsed: u64,
    pub(crate) refused: BTreeMap<&'static str, u64>,
    pub(crate) walked: u64,
    pub(crate) longest_text: usize,
    pub(crate) largest_output: usize,
    pub(crate) largest_input: usize,
    pub(crate) input_bytes: u64,
    pub(crate) slowest: (Duration, u64),
    pub(crate) failures: u64,
}

enum Message {
    Failure(Box<Failure>),
    Done(Box<Tally>),
}

/// Runs `config.iterations` inputs from `config.start` on `config.threads` threads.
pub fn run(corpus: Arc<Corpus>, config: &Config) -> Report {
    install_panic_hook();
    let started = Instant::now();
    let threads = config.threads.max(1);
    let next = Arc::new(AtomicU64::new(config.start));
    let end = config.start.saturating_add(config.iterations);
    let stop = Arc::new(AtomicBool::new(false));
    let completed = Arc::new(AtomicU64::new(0));
    let mut last_progress = Instant::now();
    // Per worker: the index it is running (u64::MAX when idle) and since when (ms after start).
    let busy: Arc<Vec<(AtomicU64, AtomicU64)>> = Arc::new(
        (0..threads)
            .map(|_| (AtomicU64::new(u64::MAX), AtomicU64::new(0)))
            .collect(),
    );
    let (sender, receiver) = mpsc::channel();
    let mut handles = Vec::new();
    for worker in 0..threads {
        let corpus = Arc::clone(&corpus);
        let next = Arc::clone(&next);
        let stop = Arc::clone(&stop);
        let busy = Arc::clone(&busy);
        let completed = Arc::clone(&completed);
        let sender = sender.clone();
        let config = config.clone();
        let spawned = thread::Builder::new()
            .name(format!("fuzz-{worker}"))
            .spawn(move || {
                let shared = Shared {
                    next: &next,
                    stop: &stop,
                    busy: &busy[worker],
                    completed: &completed,
                    sender: &sender,
                };
                let tally = work(&corpus, &config, started, end, &shared);
                let _ = sender.send(Message::Done(Box::new(tally)));
            });
        match spawned {
            Ok(handle) => handles.push(handle),
            Err(error) => panic!("cannot start a fuzz worker: {error}"),
        }
    }
    drop(sender);

    let mut report = Report::new(config, &corpus);
    let mut done = 0;
    while done < handles.len() {
        match receiver.recv_timeout(Duration::from_millis(100)) {
            Ok(Message::Failure(failure)) => report.add_failure(*failure, config.keep_failures),
            Ok(Message::Done(tally)) => {
                report.merge(*tally);
                done += 1;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Some(every) = config.progress {
                    if last_progress.elapsed() >= every {
                        last_progress = Instant::now();
                        eprintln!(
                            "… {} of {} inputs, {} failure(s) so far, {:.0} s",
                            completed.load(Ordering::Relaxed),
                            config.iterations,
                            report.kept.len(),
                            started.elapsed().as_secs_f64()
                        );
                    }
                }
                let now = started.elapsed().as_millis() as u64;
                let stuck = busy.iter().find_map(|(index, since)| {
                    let index = index.load(Ordering::SeqCst);
                    let running = now.saturating_sub(since.load(Ordering::SeqCst));
                    (index != u64::MAX && running > config.hard_limit.as_millis() as u64)
                        .then_some((index, running))
                });
                if let Some((index, running)) = stuck {
                    stop.store(true, Ordering::SeqCst);
                    let input = mutate::generate(&corpus, config.seed, index);
                    report.add_failure(
                        Failure::new(
                            &corpus,
                            config.seed,
                            &input,
                            FailureKind::Hang {
                                millis: running,
                                finished: false,
                            },
                        ),
                        config.keep_failures,
                    );
                    report.failures += 1;
                    // The stuck worker is left behind; the others finish their current input.
                    let others = handles.len() - done - 1;
                    for _ in 0..others {
                        if let Ok(Message::Done(tally)) = receiver.recv() {
                            report.merge(*tally);
                        }
                    }
                    report.elapsed = started.elapsed();
                    report.stopped_early = true;
                    return report;
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    for handle in handles {
        let _ = handle.join();
    }
    report.elapsed = started.elapsed();
    report
}

/// What the workers share with the runner.
struct Shared<'a> {
    /// The next index to take.
    next: &'a AtomicU64,
    /// Set when the run stops early.
    stop: &'a AtomicBool,
    /// This worker's current index (`u64::MAX` when idle) and since when (ms after the start).
    busy: &'a (AtomicU64, AtomicU64),
    /// Inputs finished by all workers.
    completed: &'a AtomicU64,
    /// Where failures go.
    sender: &'a mpsc::Sender<Message>,
}

fn work(
    corpus: &Corpus,
    config: &Config,
    started: Instant,
    end: u64,
    shared: &Shared<'_>,
) -> Tally {
    const CHUNK: u64 = 16;
    let mut tally = Tally {
        systematic_seen: vec![false; mutate::systematic_swaps(corpus) as usize],
        ..Tally::default()
    };
    let Shared {
        next,
        stop,
        busy,
        completed,
        sender,
    } = shared;
    while !stop.load(Ordering::SeqCst) {
        let first = next.fetch_add(CHUNK, Ordering::SeqCst);
        if first >= end {
            break;
        }
        for index in first..(first + CHUNK).min(end) {
            busy.1
                .store(started.elapsed().as_millis() as u64, Ordering::SeqCst);
            busy.0.store(index, Ordering::SeqCst);
            let clock = Instant::now();
            let (input, result) = run_one(corpus, config.seed, index);
            let took = clock.elapsed();
            busy.0.store(u64::MAX, Ordering::SeqCst);
            completed.fetch_add(1, Ordering::Relaxed);

            tally.inputs += 1;
            tally.slowest = tally.slowest.max((took, index));
            let mut failure = None;
            if let Some(input) = &input {
                for kind in &input.kinds {
                    *tally.kinds.entry(*kind).or_default() += 1;
                }
                *tally.models.entry(input.model_id).or_default() += 1;
                if input.model_id != corpus.fixtures[input.fixture].model_id {
                    tally.foreign_model += 1;
                }
                if let Some(swap) = input.systematic {
                    tally.systematic += 1;
                    if let Some(seen) = tally.systematic_seen.get_mut(swap as usize) {
                        *seen = true;
                    }
                }
                tally.largest_input = tally.largest_input.max(input.bytes.len());
                tally.input_bytes += input.bytes.len() as u64;
            }
            match result {
                Ok(seen) => {
                    match seen.outcome {
                        Outcome::Parsed => tally.parsed += 1,
                        Outcome::Refused(kind) => {
                            *tally.refused.entry(kind.as_str()).or_default() += 1
                        }
                    }
                    tally.walked += u64::from(seen.walked);
                    tally.longest_text = tally.longest_text.max(seen.longest_text);
                    tally.largest_output = tally.largest_output.max(seen.largest_output);
                    if !seen.problems.is_empty() {
                        failure = Some(FailureKind::Unbounded(seen.problems));
                    }
                }
                Err(message) => failure = Some(FailureKind::Panic(message)),
            }
            if took > config.budget && failure.is_none() {
                failure = Some(FailureKind::Hang {
                    millis: took.as_millis() as u64,
                    finished: true,
                });
            }
            if let Some(kind) = failure {
                tally.failures += 1;
                // Regenerate: the mutator itself may have been what panicked.
                let input = input.unwrap_or_else(|| Input {
                    index,
                    fixture: 0,
                    model_id: "",
                    kinds: Vec::new(),
                    systematic: None,
                    bytes: Vec::new(),
                });
                let _ = sender.send(Message::Failure(Box::new(Failure::new(
                    corpus,
                    config.seed,
                    &input,
                    kind,
                ))));
            }
        }
    }
    tally
}

/// Generates and runs input `index`; the input (unless generating it panicked) and what the
/// probe observed, or the message of the panic.
fn run_one(corpus: &Corpus, seed: u64, index: u64) -> (Option<Input>, Result<Observation, String>) {
    let generated = caught(|| mutate::generate(corpus, seed, index));
    let input = match generated {
        Ok(input) => input,
        Err(message) => return (None, Err(format!("the mutator panicked: {message}"))),
    };
    let schema = corpus
        .schemas
        .get(input.model_id)
        .unwrap_or(&serde_json::Value::Null);
    let probe = Probe {
        input: &input.bytes,
        schema,
        seed,
    };
    let outcome = match caught(|| credkit_models::visit_model(input.model_id, probe)) {
        Ok(Some(seen)) => Ok(seen),
        Ok(None) => Err(format!("no model has the id {}", input.model_id)),
        Err(message) => Err(message),
    };
    (Some(input), outcome)
}

/// Runs `f`, turning a panic into its recorded message.
fn caught<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    CAUGHT.with(|slot| *slot.borrow_mut() = Some(None));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    let message = CAUGHT.with(|slot| slot.borrow_mut().take()).flatten();
    result.map_err(|_| message.unwrap_or_else(|| "(a panic without a message)".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::default_fixture_dir;

    #[test]
    fn a_panic_is_caught_with_its_message() {
        install_panic_hook();
        let result = caught(|| -> u8 { panic!("boom {}", 7) });
        let message = result.expect_err("a panic");
        assert!(message.starts_with("boom 7 at "), "{message}");
        assert!(message.contains("run.rs"), "{message}");
        assert_eq!(caught(|| 3), Ok(3));
    }

    #[test]
    fn an_input_over_budget_fails_as_a_hang() {
        let corpus = Arc::new(Corpus::load(&default_fixture_dir()).expect("corpus"));
        let config = Config {
            seed: 5,
            start: 8,
            iterations: 3,
            budget: Duration::ZERO,
            ..Config::default()
        };
        let report = run(corpus, &config);
        assert_eq!(report.inputs, 3);
        assert_eq!(report.failures, 3, "{report}");
        let indices: Vec<u64> = report.kept.iter().map(|f| f.index).collect();
        assert_eq!(indices, [8, 9, 10]);
        assert!(matches!(
            report.kept[0].kind,
            FailureKind::Hang { finished: true, .. }
        ));
    }
}
