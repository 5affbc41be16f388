//! Interleaved repetitions and medians.

use std::time::{Duration, Instant};

/// One case of a table: a name and the work of one repetition.
pub struct Case<'a> {
    /// The row's name.
    pub name: String,
    /// One repetition.
    pub run: Box<dyn FnMut() + 'a>,
}

impl<'a> Case<'a> {
    /// A case named `name` running `run`.
    pub fn new(name: impl Into<String>, run: impl FnMut() + 'a) -> Self {
        Case {
            name: name.into(),
            run: Box::new(run),
        }
    }
}

/// Runs every case once to warm up, then `rounds` rounds of one repetition of each case in
/// turn; the median time of each case, in the order given.
pub fn interleaved(cases: &mut [Case<'_>], rounds: usize) -> Vec<Duration> {
    for case in cases.iter_mut() {
        (case.run)();
    }
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(rounds); cases.len()];
    for _ in 0..rounds.max(1) {
        for (case, times) in cases.iter_mut().zip(&mut times) {
            let started = Instant::now();
            (case.run)();
            times.push(started.elapsed());
        }
    }
    times.into_iter().map(median).collect()
}

/// The median of `times` (the lower middle for an even count); zero for none.
pub fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times
        .get(times.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or_default()
}

/// A duration in milliseconds with two decimals.
pub fn ms(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1e3)
}

/// `part / whole` with two decimals (`-` when `whole` is zero).
pub fn ratio(part: Duration, whole: Duration) -> String {
    if whole.is_zero() {
        "-".to_owned()
    } else {
        format!("{:.2}", part.as_secs_f64() / whole.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_takes_the_middle() {
        let ms = |n| Duration::from_millis(n);
        assert_eq!(median(vec![ms(5), ms(1), ms(3)]), ms(3));
        assert_eq!(median(vec![ms(4), ms(1), ms(3), ms(2)]), ms(2));
        assert_eq!(median(Vec::new()), Duration::ZERO);
        assert_eq!(ratio(ms(1), ms(4)), "0.25");
        assert_eq!(ratio(ms(1), Duration::ZERO), "-");
    }
}
