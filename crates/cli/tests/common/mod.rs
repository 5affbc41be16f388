//! The real `credkit mock` process, shared by the integration tests that drive it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A running `credkit mock --port 0 <args>`, with the environment it printed; killed when
/// dropped.
pub struct MockProcess {
    child: Child,
    /// The `export NAME=value` lines the mock printed.
    pub env: HashMap<String, String>,
}

impl MockProcess {
    /// Starts the mock with `args` after `mock --port 0` and reads its fourteen variables.
    pub fn start(args: &[&str]) -> MockProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_credkit"))
            .args(["mock", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("credkit mock starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut env = HashMap::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("reads");
            if let Some((name, value)) =
                line.strip_prefix("export ").and_then(|l| l.split_once('='))
            {
                env.insert(name.to_owned(), value.to_owned());
                if name == "DIANHUA_H5_URL" {
                    break;
                }
            }
        }
        assert_eq!(
            env.len(),
            14,
            "the mock prints the fourteen variables: {env:?}"
        );
        MockProcess { child, env }
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
