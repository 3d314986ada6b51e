//! Bad numeric input to the integrators returns a typed error.

use neurotype_solvers::{Method, TimeStep};
use neurotype_units::prelude::*;

#[test]
fn time_step_must_be_finite_and_positive() {
    for bad in [0.0, -0.1, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let err = TimeStep::new(bad * ms).unwrap_err();
        assert_eq!(err.owner, "TimeStep");
        assert_eq!(err.name, "dt");
        assert_eq!(err.allowed, "must be finite and > 0 ms");
    }
    assert_eq!(
        TimeStep::new(-0.1 * ms).unwrap_err().to_string(),
        "TimeStep: `dt` = -0.1 ms is not allowed: must be finite and > 0 ms"
    );
    assert_eq!(TimeStep::new(f64::NAN * ms).unwrap_err().value, "NaN ms");
    assert_eq!(TimeStep::new(0.1 * ms).unwrap().get(), 0.1 * ms);
}

#[test]
fn step_times_are_products_not_sums() {
    let dt = TimeStep::new(0.1 * ms).unwrap();
    // 3 × 0.1 in float64 is 0.30000000000000004, as BrainPy and the reference traces record.
    assert_eq!(dt.time_of(3).value, 3.0 * 0.1);
    assert_eq!(dt.time_of(3).value, 0.30000000000000004);
}

#[test]
fn unknown_method_names_are_rejected() {
    let err = "rk45".parse::<Method>().unwrap_err();
    assert_eq!(err.name, "method");
    assert!(
        err.to_string()
            .contains("must be one of exp_euler, euler, rk2, midpoint, rk4")
    );
}
