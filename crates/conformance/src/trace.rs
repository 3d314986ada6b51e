//! Simulated columns and their comparison with the reference.

use crate::case::{Case, Compare};

/// Simulated values of a case's compared columns.
pub struct Trace {
    columns: Vec<(String, String, Vec<f64>)>,
}

impl Trace {
    /// An empty trace with one slot per compared column of `case`.
    pub fn for_case(case: &Case) -> Self {
        Self {
            columns: case
                .compared()
                .map(|c| {
                    (
                        c.name.clone(),
                        c.unit.clone(),
                        Vec::with_capacity(case.steps),
                    )
                })
                .collect(),
        }
    }

    /// Appends one row, asking `observe(column, unit)` for each value.
    pub fn record(
        &mut self,
        mut observe: impl FnMut(&str, &str) -> Result<f64, String>,
    ) -> Result<(), String> {
        for (name, unit, values) in &mut self.columns {
            values.push(observe(name, unit)?);
        }
        Ok(())
    }

    /// The simulated values of a column.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        self.columns
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, v)| v.as_slice())
    }
}

/// Result of comparing one column.
#[derive(Debug, Clone)]
pub struct ColumnResult {
    /// Column name.
    pub name: String,
    /// Largest |actual − expected|.
    pub worst_abs: f64,
    /// Largest |actual − expected| / (atol + rtol·|expected|); ≤ 1 passes. For exact columns,
    /// the number of differing rows.
    pub worst_ratio: f64,
    /// First failing row, if any.
    pub first_failure: Option<usize>,
    /// Whether the column is compared exactly.
    pub exact: bool,
}

impl ColumnResult {
    /// Whether the column passes.
    pub fn passed(&self) -> bool {
        self.first_failure.is_none()
    }
}

/// Compares every compared column of `case` with `trace`; also checks `spike_steps`.
pub fn compare(case: &Case, trace: &Trace) -> Result<Vec<ColumnResult>, String> {
    let rows = case.rows();
    let mut results = Vec::new();
    for spec in case.compared() {
        let actual = trace
            .column(&spec.name)
            .ok_or_else(|| format!("column `{}` was not simulated", spec.name))?;
        let mut r = ColumnResult {
            name: spec.name.clone(),
            worst_abs: 0.0,
            worst_ratio: 0.0,
            first_failure: None,
            exact: spec.compare == Compare::Exact,
        };
        for k in 0..rows {
            let (a, e) = (actual[k], spec.expected[k]);
            let err = (a - e).abs();
            let bad = match spec.compare {
                Compare::Exact => {
                    let differs = a != e;
                    if differs {
                        r.worst_ratio += 1.0;
                    }
                    differs
                }
                Compare::Tolerance { rtol, atol } => {
                    let allowed = atol + rtol * e.abs();
                    let ratio = if allowed > 0.0 {
                        err / allowed
                    } else if err > 0.0 {
                        f64::INFINITY
                    } else {
                        0.0
                    };
                    r.worst_ratio =
                        r.worst_ratio
                            .max(if ratio.is_nan() { f64::INFINITY } else { ratio });
                    err.partial_cmp(&allowed) != Some(core::cmp::Ordering::Less) && err != allowed
                }
                Compare::Skip => false,
            };
            if err > r.worst_abs || err.is_nan() {
                r.worst_abs = if err.is_nan() { f64::INFINITY } else { err };
            }
            if bad && r.first_failure.is_none() {
                r.first_failure = Some(k);
                if std::env::var_os("NEUROTYPE_CONFORMANCE_DEBUG").is_some() {
                    let window = k.saturating_sub(3)..(k + 3).min(rows);
                    for (row, (e, a)) in spec.expected[window.clone()]
                        .iter()
                        .zip(&actual[window.clone()])
                        .enumerate()
                    {
                        let row = row + window.start;
                        eprintln!("  {}[{row}]: expected {e:e}, simulated {a:e}", spec.name);
                    }
                }
            }
        }
        results.push(r);
    }
    if let (Some(expected), Some(actual)) = (&case.spike_steps, trace.column("spike")) {
        let simulated: Vec<usize> = (0..rows).filter(|&k| actual[k] != 0.0).collect();
        let expected: Vec<usize> = expected.iter().copied().filter(|&k| k < rows).collect();
        let mismatch = simulated != expected;
        results.push(ColumnResult {
            name: "spike_steps".into(),
            worst_abs: 0.0,
            worst_ratio: if mismatch { 1.0 } else { 0.0 },
            first_failure: mismatch.then(|| {
                simulated
                    .iter()
                    .zip(&expected)
                    .position(|(a, b)| a != b)
                    .unwrap_or(simulated.len().min(expected.len()))
            }),
            exact: true,
        });
    }
    Ok(results)
}
