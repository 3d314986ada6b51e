//! `neurotype-conformance [DIR]` — replays every BrainPy reference case in DIR (default
//! `tests/reference/brainpy`) and prints one line per case and a summary. Exits non-zero if
//! any case fails.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("tests/reference/brainpy"));
    let outcomes = match neurotype_conformance::run_dir(&dir) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("neurotype-conformance: {e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = 0;
    for o in &outcomes {
        println!("{}", o.line());
        if !o.passed() {
            failed += 1;
        }
    }
    let ambiguous = outcomes.iter().filter(|o| o.tie.is_some()).count();
    println!(
        "{} passed, {failed} failed ({ambiguous} compared up to an exact tie, then ambiguous)",
        outcomes.len() - failed
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
