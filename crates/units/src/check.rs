//! Typed errors for impossible parameters, and the checks that produce them.
//!
//! Every constructor in neurotype validates its input and returns [`InvalidParameter`] naming
//! the owner (model or component), the parameter, its value with unit, and what is allowed:
//!
//! ```text
//! LIF: `tau` = 0 ms is not allowed: must be finite and > 0 ms
//! LIF: `V_reset` = 0 mV is not allowed: must be below `V_th` = -50 mV
//! ```

use crate::format::Unitful;

/// A parameter value that cannot be simulated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{owner}: `{name}` = {value} is not allowed: {allowed}")]
pub struct InvalidParameter {
    /// The model or component being built (`"LIF"`, `"ExponentialEuler"`, `"FixedProb"`).
    pub owner: String,
    /// The parameter name as the builder spells it (`"tau"`, `"V_reset"`, `"tau[3]"`).
    pub name: String,
    /// The offending value with its unit (`"-5 ms"`).
    pub value: String,
    /// What would be accepted (`"must be finite and > 0 ms"`).
    pub allowed: String,
}

impl InvalidParameter {
    /// Builds an error from its parts.
    pub fn new(
        owner: impl Into<String>,
        name: impl Into<String>,
        value: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        Self {
            owner: owner.into(),
            name: name.into(),
            value: value.into(),
            allowed: allowed.into(),
        }
    }
}

fn zero_text<Q: Unitful>() -> String {
    let unit = Q::canonical_symbol();
    if unit.is_empty() {
        "0".to_string()
    } else {
        format!("0 {unit}")
    }
}

/// Accepts a finite value (rejects NaN and ±∞).
pub fn finite<Q: Unitful>(owner: &str, name: &str, q: Q) -> Result<Q, InvalidParameter> {
    if q.raw().is_finite() {
        Ok(q)
    } else {
        Err(InvalidParameter::new(
            owner,
            name,
            q.show().to_string(),
            "must be a finite number",
        ))
    }
}

/// Accepts a finite value > 0 (time constants, capacitances, time steps).
pub fn positive<Q: Unitful>(owner: &str, name: &str, q: Q) -> Result<Q, InvalidParameter> {
    if q.raw().is_finite() && q.raw() > 0.0 {
        Ok(q)
    } else {
        Err(InvalidParameter::new(
            owner,
            name,
            q.show().to_string(),
            format!("must be finite and > {}", zero_text::<Q>()),
        ))
    }
}

/// Accepts a finite value ≥ 0 (conductances, refractory periods, delays).
pub fn non_negative<Q: Unitful>(owner: &str, name: &str, q: Q) -> Result<Q, InvalidParameter> {
    if q.raw().is_finite() && q.raw() >= 0.0 {
        Ok(q)
    } else {
        Err(InvalidParameter::new(
            owner,
            name,
            q.show().to_string(),
            format!("must be finite and >= {}", zero_text::<Q>()),
        ))
    }
}

/// Accepts a probability or fraction in [0, 1].
pub fn unit_interval(owner: &str, name: &str, p: f64) -> Result<f64, InvalidParameter> {
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err(InvalidParameter::new(
            owner,
            name,
            format!("{p}"),
            "must be a probability in [0, 1]",
        ))
    }
}

/// Accepts `low < high` (e.g. `V_reset < V_th`), naming both parameters.
pub fn less_than<Q: Unitful>(
    owner: &str,
    low_name: &str,
    low: Q,
    high_name: &str,
    high: Q,
) -> Result<(), InvalidParameter> {
    if low.raw() < high.raw() {
        Ok(())
    } else {
        Err(InvalidParameter::new(
            owner,
            low_name,
            low.show().to_string(),
            format!("must be below `{high_name}` = {}", high.show()),
        ))
    }
}

/// Accepts bounds `low < high` whose distance `high − low` is finite (a uniform draw scales by
/// it).
pub fn finite_span<Q: Unitful>(
    owner: &str,
    name: &str,
    low: Q,
    high: Q,
) -> Result<(), InvalidParameter> {
    if (high.raw() - low.raw()).is_finite() {
        Ok(())
    } else {
        Err(InvalidParameter::new(
            owner,
            name,
            format!("{} .. {}", low.show(), high.show()),
            "must span a finite distance (high − low overflows)",
        ))
    }
}

/// Accepts a number of elements from 1 to 2³² − 1 (neurons are numbered with 32 bits).
pub fn size(owner: &str, name: &str, n: usize) -> Result<usize, InvalidParameter> {
    if n >= 1 && n as u64 <= u64::from(u32::MAX) {
        Ok(n)
    } else {
        Err(InvalidParameter::new(
            owner,
            name,
            n.to_string(),
            "must be between 1 and 4294967295 (32-bit element indices)",
        ))
    }
}

/// Memory the system can still give this process, in bytes: Linux's `MemAvailable` plus free
/// swap; `None` where that is not known (then only sizes beyond the address space fail).
pub fn available_memory() -> Option<f64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib = |key: &str| -> Option<f64> {
        let line = info.lines().find(|l| l.starts_with(key))?;
        line.split_whitespace().nth(1)?.parse::<f64>().ok()
    };
    Some((kib("MemAvailable:")? + kib("SwapFree:").unwrap_or(0.0)) * 1024.0)
}

/// Accepts an allocation of about `bytes` for `what` if the system can still give that much
/// (see [`available_memory`]), so that a size too large is a typed error before anything is
/// allocated, not an abort (or the kernel's out-of-memory killer) half-way.
pub fn memory(owner: &str, what: &str, bytes: f64) -> Result<(), InvalidParameter> {
    const GIB: f64 = (1u64 << 30) as f64;
    let limit = available_memory().unwrap_or(isize::MAX as f64);
    if bytes <= limit {
        Ok(())
    } else {
        Err(InvalidParameter::new(
            owner,
            what,
            format!("{:.1} GiB", bytes / GIB),
            format!(
                "needs more memory than the {:.1} GiB this machine can still give",
                limit / GIB
            ),
        ))
    }
}

/// Accepts a per-element vector of length 1 (shared) or `n` (one per element).
pub fn length(owner: &str, name: &str, len: usize, n: usize) -> Result<(), InvalidParameter> {
    if len == 1 || len == n {
        Ok(())
    } else {
        Err(InvalidParameter::new(
            owner,
            name,
            format!("a vector of {len} values"),
            format!("must hold 1 value (shared) or {n} (one per element)"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::*;

    #[test]
    fn messages_name_parameter_value_unit_and_rule() {
        let e = positive("LIF", "tau", 0.0 * ms).unwrap_err();
        assert_eq!(
            e.to_string(),
            "LIF: `tau` = 0 ms is not allowed: must be finite and > 0 ms"
        );
        let e = less_than("LIF", "V_reset", 0.0 * mV, "V_th", -50.0 * mV).unwrap_err();
        assert_eq!(
            e.to_string(),
            "LIF: `V_reset` = 0 mV is not allowed: must be below `V_th` = -50 mV"
        );
        let e = unit_interval("FixedProb", "prob", 1.5).unwrap_err();
        assert_eq!(
            e.to_string(),
            "FixedProb: `prob` = 1.5 is not allowed: must be a probability in [0, 1]"
        );
        let e = finite("HH", "gNa", f64::NAN * mS).unwrap_err();
        assert_eq!(e.value, "NaN mS");
        let e = length("LIF", "tau", 7, 10).unwrap_err();
        assert!(e.to_string().contains("a vector of 7 values"));
    }

    #[test]
    fn accepts_valid_values() {
        assert!(positive("x", "tau", 5.0 * ms).is_ok());
        assert!(non_negative("x", "tau_ref", 0.0 * ms).is_ok());
        assert!(unit_interval("x", "p", 0.0).is_ok());
        assert!(unit_interval("x", "p", 1.0).is_ok());
        assert!(length("x", "v", 1, 10).is_ok());
        assert!(length("x", "v", 10, 10).is_ok());
        assert!(positive("x", "tau", f64::INFINITY * ms).is_err());
        assert!(unit_interval("x", "p", f64::NAN).is_err());
    }
}
