//! CI's bounded fuzz run: a fixed seed, 2,000 inputs (every mutation kind, every model). The
//! full runs are `cargo xtask fuzz --iterations N`; README.md reports one.

use std::sync::Arc;
use std::time::Duration;

use credkit_fuzz::{default_fixture_dir, run, Config, Corpus, MutationKind};

#[test]
fn two_thousand_mutated_fixtures_neither_panic_hang_nor_print_unbounded_text() {
    let corpus = Arc::new(Corpus::load(&default_fixture_dir()).expect("the fixtures load"));
    let config = Config {
        seed: 0x00C0_FFEE,
        start: 0,
        iterations: 2_000,
        threads: 2,
        // A hang, not a speed check: a debug build on a loaded machine stays far below this.
        budget: Duration::from_secs(30),
        hard_limit: Duration::from_secs(120),
        keep_failures: 10,
        progress: None,
    };
    let report = run(Arc::clone(&corpus), &config);
    println!("{report}");
    assert!(
        report.passed(),
        "{} input(s) failed; reproduce with `cargo xtask fuzz --seed {} --start INDEX --iterations 1`:\n{report}",
        report.failures,
        config.seed
    );
    assert_eq!(report.inputs, config.iterations);
    for kind in MutationKind::ALL {
        assert!(
            report.kinds.get(&kind).copied().unwrap_or(0) > 0,
            "{kind} never ran"
        );
    }
    for (model, count) in &report.models {
        assert!(*count > 0, "no input reached {model}");
    }
    assert!(report.parsed > 0 && !report.refused.is_empty(), "{report}");
}
