//! Runs every bench briefly (`--quick`) so that none can rot: this checks that they run and
//! print their tables, never how fast anything is.

#[test]
fn every_bench_runs_quickly() {
    // Timing `cargo xtask gen` spawns cargo, which waits for the build lock this test run
    // holds; `cargo xtask bench --quick` runs that part.
    let options = credkit_bench::Options {
        gen: false,
        ..credkit_bench::Options::quick()
    };
    let mut out = Vec::new();
    credkit_bench::run(options, &mut out).expect("the benches run");
    let text = String::from_utf8(out).expect("UTF-8");
    for heading in ["### Parse", "### Client vs raw reqwest"] {
        assert!(text.contains(heading), "{heading} missing from:\n{text}");
    }
    for row in credkit_bench::parse::ROWS {
        assert!(text.contains(row), "{row} missing from:\n{text}");
    }
    assert!(
        text.contains("calls-report (DianhuaClient::calls_report)"),
        "{text}"
    );
}
