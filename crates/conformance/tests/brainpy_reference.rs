//! Runs the `neurotype-conformance` binary over every BrainPy reference set in the repository
//! and requires every case to pass (a case whose traces part at an exact refractory tie passes
//! on the rows before it, and is reported as ambiguous after it).

use std::path::Path;
use std::process::Command;

fn run(dir: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let output = Command::new(env!("CARGO_BIN_EXE_neurotype-conformance"))
        .arg(root.join(dir))
        .output()
        .expect("run neurotype-conformance");
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        output.status.success(),
        "{dir}: {summary}\n{}",
        stdout
            .lines()
            .filter(|l| l.contains(" FAIL "))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(summary.contains(" 0 failed"), "{summary}");
    let passed: usize = summary.split_whitespace().next().unwrap().parse().unwrap();
    assert!(passed > 0, "no cases found in {dir}");
}

#[test]
fn official_brainpy_traces_pass() {
    run("tests/reference/brainpy");
}

#[test]
fn generated_brainpy_traces_pass() {
    run("tests/reference/generated");
}

#[test]
fn classic_function_brainpy_traces_pass() {
    run("tests/reference/classic");
}

#[test]
fn stdp_brainpy_traces_pass() {
    run("tests/reference/plasticity");
}
