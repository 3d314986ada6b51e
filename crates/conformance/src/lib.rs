//! # neurotype-conformance
//!
//! Replays reference traces produced by BrainPy 2.9.0 (`tests/reference/brainpy/`, format in
//! its README) against neurotype's models: each case's model is built from its JSON (BrainPy
//! keyword names, units given explicitly), its input replayed, and every compared column
//! checked against the case's tolerance. Data-driven: a new case for an implemented model
//! needs no code.
#![deny(missing_docs)]

pub mod case;
pub mod classic;
pub mod neuron;
pub mod plasticity;
pub mod projection;
pub mod registry;
pub mod synapse;
pub mod trace;

use case::Case;
use std::path::Path;
use trace::ColumnResult;

/// Outcome of one case.
pub struct Outcome {
    /// Case name.
    pub name: String,
    /// Per-column results, or why the case could not run.
    pub result: Result<Vec<ColumnResult>, String>,
    /// Where an exact tie ended the comparison (the rows before it were compared).
    pub tie: Option<trace::Tie>,
}

impl Outcome {
    /// Whether every column passed.
    pub fn passed(&self) -> bool {
        matches!(&self.result, Ok(cols) if cols.iter().all(ColumnResult::passed))
    }

    /// The report line: name, PASS/FAIL, worst error per column.
    pub fn line(&self) -> String {
        let status = if self.passed() { "PASS" } else { "FAIL" };
        match &self.result {
            Err(why) => format!("{:<44} {status}  {why}", self.name),
            Ok(cols) => {
                let parts: Vec<String> = cols
                    .iter()
                    .map(|c| {
                        let mut s = if c.exact {
                            if c.passed() {
                                format!("{} exact", c.name)
                            } else {
                                format!("{} {} rows differ", c.name, c.worst_ratio as u64)
                            }
                        } else {
                            format!(
                                "{} {:.1e} ({:.0e} of tol)",
                                c.name, c.worst_abs, c.worst_ratio
                            )
                        };
                        if let Some(k) = c.first_failure {
                            s.push_str(&format!(" [first failure at row {k}]"));
                        }
                        s
                    })
                    .collect();
                let tie = self.tie.as_ref().map_or(String::new(), |t| {
                    format!(" | AMBIGUOUS from row {}: {}", t.row, t.why)
                });
                format!("{:<44} {status}  {}{tie}", self.name, parts.join(", "))
            }
        }
    }
}

/// Runs one case file.
pub fn run_case(json_path: &Path) -> Outcome {
    let name = json_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tie = None;
    let result = Case::load(json_path).and_then(|case| {
        let trace = registry::simulate(&case)?;
        let (columns, t) = trace::compare(&case, &trace)?;
        tie = t;
        Ok(columns)
    });
    Outcome { name, result, tie }
}

/// Runs every `*.json` case in `dir`, in name order.
pub fn run_dir(dir: &Path) -> Result<Vec<Outcome>, String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    Ok(paths.iter().map(|p| run_case(p)).collect())
}
