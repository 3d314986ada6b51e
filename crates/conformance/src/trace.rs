//! Simulated columns and their comparison with the reference.

use crate::case::{Case, Compare};

/// Simulated values of a case's compared columns.
pub struct Trace {
    columns: Vec<(String, String, Vec<f64>)>,
    /// The rows whose reference value an exact tie may decide (see [`Tie`]).
    pub ties: Option<Ties>,
}

/// Rows at which BrainPy's outcome is an artifact of floating-point rounding: a refractory
/// period of a whole number of steps ends exactly at each of them, where BrainPy compares
/// `t − t_spike` with τ_ref on rounded times (the last bit decides) while neurotype counts
/// steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Ties {
    /// The rows, ascending.
    pub rows: Vec<usize>,
    /// Why they are ties.
    pub why: String,
}

/// Where a comparison stopped because the traces part at a tie: the rows before it were
/// compared; the rest are ambiguous.
#[derive(Debug, Clone, PartialEq)]
pub struct Tie {
    /// The first ambiguous row.
    pub row: usize,
    /// Why.
    pub why: String,
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
            ties: None,
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

/// In a single-precision build (cargo feature `f32`), the tolerance of every compared value
/// column grows by this fraction of the column's largest |value| (the references are BrainPy's
/// float64 runs): 1e-3 of the range, e.g. 0.07 mV for a potential that reaches −70 mV. Spikes
/// and other exact columns are still compared exactly. 0 in a double-precision build.
pub const F32_RANGE_TOL: f64 = if cfg!(feature = "f32") { 1e-3 } else { 0.0 };

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

/// Compares every compared column of `case` with `trace` (and `spike_steps`). When the two
/// first part at one of the trace's tie rows, the comparison stops there and says so: the
/// rows before the tie are compared, the tie's outcome is BrainPy's rounding.
pub fn compare(case: &Case, trace: &Trace) -> Result<(Vec<ColumnResult>, Option<Tie>), String> {
    let all = compare_rows(case, trace, case.rows())?;
    // the first failing row of a column (spike_steps counts spikes, not rows)
    let first = all
        .iter()
        .filter(|c| c.name != "spike_steps")
        .filter_map(|c| c.first_failure)
        .min();
    match (first, &trace.ties) {
        (Some(row), Some(ties)) if ties.rows.contains(&row) => Ok((
            compare_rows(case, trace, row)?,
            Some(Tie {
                row,
                why: ties.why.clone(),
            }),
        )),
        _ => Ok((all, None)),
    }
}

fn compare_rows(case: &Case, trace: &Trace, rows: usize) -> Result<Vec<ColumnResult>, String> {
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
        // an f32 build's slack: a fraction of the column's largest magnitude
        let slack = F32_RANGE_TOL
            * spec.expected[..rows].iter().fold(0.0f64, |m, e| {
                if e.is_finite() { m.max(e.abs()) } else { m }
            });
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
                    let allowed = atol + rtol * e.abs() + slack;
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
