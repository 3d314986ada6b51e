//! Reading a reference case: the JSON description and its CSV trace.

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// How one column is compared.
#[derive(Debug, Clone, PartialEq)]
pub enum Compare {
    /// Not compared (inputs, diagnostics).
    Skip,
    /// Equal as float64.
    Exact,
    /// `|actual − expected| ≤ atol + rtol·|expected|` on every compared row.
    Tolerance {
        /// Relative tolerance.
        rtol: f64,
        /// Absolute tolerance (in the column's unit).
        atol: f64,
    },
}

/// One CSV column and how to compare it.
#[derive(Debug, Clone)]
pub struct ColumnSpec {
    /// Column name (`V_mV`, `spike`, `g_mS`).
    pub name: String,
    /// Unit of the column (one of the canonical unit strings).
    pub unit: String,
    /// Comparison rule.
    pub compare: Compare,
    /// The expected values, row by row.
    pub expected: Vec<f64>,
}

/// One reference case.
#[derive(Debug, Clone)]
pub struct Case {
    /// Case name (the file stem).
    pub name: String,
    /// `neuron`, `synapse`, `stp` or `projection`.
    pub kind: String,
    /// BrainPy class name (`LIF`, `AMPA`, `legacy.NMDA`, `AlignPostProj`).
    pub model: String,
    /// Time step, as `"<value> <unit>"`.
    pub dt: String,
    /// Number of steps (CSV rows).
    pub steps: usize,
    /// Model parameters (BrainPy keyword → quantity or option).
    pub params: Map<String, Value>,
    /// Initial state (state name → quantity).
    pub init: Map<String, Value>,
    /// The input description.
    pub input: Value,
    /// The whole JSON document (projections read `post`, `syn`, `out`, `weight` from it).
    pub json: Value,
    /// Columns in CSV order.
    pub columns: Vec<ColumnSpec>,
    /// Compare only rows below this, when set.
    pub compare_until_step: Option<usize>,
    /// Rows with a spike, when given.
    pub spike_steps: Option<Vec<usize>>,
}

/// Text `"<value> <unit>"` of a JSON quantity, or the string of an option.
pub fn quantity_text(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Object(o) => {
            let value = o
                .get("value")
                .and_then(Value::as_f64)
                .ok_or_else(|| format!("quantity without a numeric value: {v}"))?;
            let unit = o
                .get("unit")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("quantity without a unit: {v}"))?;
            Ok(format!("{value:?} {unit}"))
        }
        other => Err(format!("unexpected parameter value {other}")),
    }
}

/// `(value, unit)` of a JSON quantity.
pub fn quantity_parts(v: &Value) -> Result<(f64, String), String> {
    let value = v
        .get("value")
        .and_then(Value::as_f64)
        .ok_or_else(|| format!("quantity without a numeric value: {v}"))?;
    let unit = v
        .get("unit")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("quantity without a unit: {v}"))?;
    Ok((value, unit.to_string()))
}

fn compare_rule(v: Option<&Value>) -> Result<Compare, String> {
    match v {
        None => Ok(Compare::Skip),
        Some(Value::String(s)) if s == "skip" => Ok(Compare::Skip),
        Some(Value::String(s)) if s == "exact" => Ok(Compare::Exact),
        Some(Value::Object(o)) => Ok(Compare::Tolerance {
            rtol: o.get("rtol").and_then(Value::as_f64).unwrap_or(0.0),
            atol: o.get("atol").and_then(Value::as_f64).unwrap_or(0.0),
        }),
        Some(other) => Err(format!("unknown compare rule {other}")),
    }
}

impl Case {
    /// Reads `<dir>/<name>.json` and the CSV it names.
    pub fn load(json_path: &Path) -> Result<Case, String> {
        let text = std::fs::read_to_string(json_path)
            .map_err(|e| format!("{}: {e}", json_path.display()))?;
        let json: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", json_path.display()))?;
        let field = |k: &str| json.get(k).ok_or_else(|| format!("missing field `{k}`"));
        let str_field = |k: &str| -> Result<String, String> {
            field(k)?
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("field `{k}` is not a string"))
        };
        let name = str_field("name")?;
        let csv_name = str_field("csv")?;
        let dir = json_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let csv_path: PathBuf = dir.join(csv_name);
        let csv = std::fs::read_to_string(&csv_path)
            .map_err(|e| format!("{}: {e}", csv_path.display()))?;
        let mut lines = csv.lines().filter(|l| !l.trim().is_empty());
        let header: Vec<String> = lines
            .next()
            .ok_or("empty CSV")?
            .split(',')
            .map(|s| s.trim().to_string())
            .collect();
        let mut data: Vec<Vec<f64>> = vec![Vec::new(); header.len()];
        for (row, line) in lines.enumerate() {
            for (k, cell) in line.split(',').enumerate() {
                let x: f64 = cell
                    .trim()
                    .parse()
                    .map_err(|_| format!("CSV row {row}, column {k}: `{cell}` is not a number"))?;
                data.get_mut(k)
                    .ok_or("CSV row longer than its header")?
                    .push(x);
            }
        }
        let columns_json = field("columns")?
            .as_object()
            .ok_or("`columns` is not an object")?;
        let compare_json = field("compare")?
            .as_object()
            .ok_or("`compare` is not an object")?;
        let mut columns = Vec::new();
        for (k, col) in header.iter().enumerate() {
            let unit = columns_json
                .get(col)
                .and_then(|c| c.get("unit"))
                .and_then(Value::as_str)
                .unwrap_or("1")
                .to_string();
            columns.push(ColumnSpec {
                name: col.clone(),
                unit,
                compare: compare_rule(compare_json.get(col))?,
                expected: std::mem::take(&mut data[k]),
            });
        }
        let steps = field("steps")?
            .as_u64()
            .ok_or("`steps` is not an integer")? as usize;
        let object = |k: &str| {
            json.get(k)
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        Ok(Case {
            name,
            kind: str_field("kind")?,
            model: str_field("model")?,
            dt: quantity_text(field("dt")?)?,
            steps,
            params: object("params"),
            init: object("init"),
            input: json.get("input").cloned().unwrap_or(Value::Null),
            columns,
            compare_until_step: json
                .get("compare_until_step")
                .and_then(Value::as_u64)
                .map(|k| k as usize),
            spike_steps: json.get("spike_steps").and_then(Value::as_array).map(|a| {
                a.iter()
                    .filter_map(Value::as_u64)
                    .map(|k| k as usize)
                    .collect()
            }),
            json,
        })
    }

    /// The columns that are compared.
    pub fn compared(&self) -> impl Iterator<Item = &ColumnSpec> {
        self.columns.iter().filter(|c| c.compare != Compare::Skip)
    }

    /// Number of rows to compare.
    pub fn rows(&self) -> usize {
        self.compare_until_step
            .unwrap_or(self.steps)
            .min(self.steps)
    }
}

/// The part of a column name before its unit suffix: `V_mV` → `V`, `u_mV_per_ms` → `u`,
/// `last_spike_time_ms` → `last_spike_time`, `m` → `m`.
pub fn column_stem<'a>(name: &'a str, unit: &str) -> &'a str {
    if unit == "1" {
        return name;
    }
    let suffix = format!(
        "_{}",
        unit.replace("1/", "per_")
            .replace('/', "_per_")
            .replace("^2", "2")
            .replace(['(', ')'], "")
            .replace('*', "_")
    );
    name.strip_suffix(&suffix).unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::column_stem;

    #[test]
    fn stems() {
        assert_eq!(column_stem("V_mV", "mV"), "V");
        assert_eq!(column_stem("u_mV_per_ms", "mV/ms"), "u");
        assert_eq!(column_stem("last_spike_time_ms", "ms"), "last_spike_time");
        assert_eq!(column_stem("m", "1"), "m");
        assert_eq!(column_stem("w_mA", "mA"), "w");
        assert_eq!(column_stem("I_uA_per_cm2", "uA/cm^2"), "I");
    }
}
