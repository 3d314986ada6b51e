//! The adaptive Dormand-Prince solver meets its tolerance.

mod common;

use common::{Gaussian, Logistic, Oscillator};
use neurotype_solvers::{Dopri5, SolverError};
use neurotype_units::prelude::*;

#[test]
fn global_error_tracks_the_tolerance() {
    let logistic = Logistic { tau: 5.0 * ms };
    let gaussian = Gaussian { tau: 10.0 * ms };
    let oscillator = Oscillator { omega: 0.5 * kHz };
    for rtol in [1e-4, 1e-6, 1e-8, 1e-10] {
        let solver = Dopri5::new(rtol, rtol * 1e-3).unwrap();

        let x0 = ratio(0.05);
        let (x, stats) = solver.solve(&logistic, 0.0 * ms, x0, 40.0 * ms).unwrap();
        let err = (x - logistic.exact(x0, 40.0 * ms)).value.abs();
        println!(
            "rtol {rtol:e}: logistic error {err:.2e} in {} steps",
            stats.accepted
        );
        assert!(
            err <= 10.0 * rtol,
            "logistic: error {err:e} for rtol {rtol:e}"
        );

        let y0 = -65.0 * mV;
        let (y, _) = solver.solve(&gaussian, 0.0 * ms, y0, 20.0 * ms).unwrap();
        let err = ((y - gaussian.exact(y0, 20.0 * ms)) / mV).value.abs();
        assert!(
            err <= 10.0 * rtol * 65.0,
            "gaussian: error {err:e} for rtol {rtol:e}"
        );

        // Five periods of an oscillator: error grows with time, still bounded by the tolerance.
        let x0 = (10.0 * mV, 0.0 * mV_per_ms);
        let t_end = 5.0 * 2.0 * std::f64::consts::PI / 0.5 * ms;
        let ((x, _), _) = solver.solve(&oscillator, 0.0 * ms, x0, t_end).unwrap();
        let err = ((x - oscillator.exact(x0.0, t_end).0) / mV).value.abs();
        assert!(
            err <= 100.0 * rtol * 10.0,
            "oscillator: error {err:e} for rtol {rtol:e}"
        );
    }
}

#[test]
fn tighter_tolerance_takes_more_steps() {
    let logistic = Logistic { tau: 5.0 * ms };
    let loose = Dopri5::new(1e-4, 1e-7).unwrap();
    let tight = Dopri5::new(1e-10, 1e-13).unwrap();
    let (_, a) = loose
        .solve(&logistic, 0.0 * ms, ratio(0.05), 40.0 * ms)
        .unwrap();
    let (_, b) = tight
        .solve(&logistic, 0.0 * ms, ratio(0.05), 40.0 * ms)
        .unwrap();
    assert!(b.accepted > 3 * a.accepted, "{a:?} vs {b:?}");
}

#[test]
fn lands_exactly_on_requested_times() {
    let logistic = Logistic { tau: 5.0 * ms };
    let solver = Dopri5::new(1e-10, 1e-13).unwrap();
    let times = [1.0 * ms, 2.5 * ms, 2.5 * ms, 30.0 * ms];
    let (states, _) = solver
        .solve_at(&logistic, 0.0 * ms, ratio(0.1), &times)
        .unwrap();
    for (t, x) in times.iter().zip(&states) {
        assert!((*x - logistic.exact(ratio(0.1), *t)).value.abs() < 1e-9);
    }
}

#[test]
fn rejects_bad_settings_with_typed_errors() {
    assert!(Dopri5::new(0.0, 1e-6).is_err());
    assert!(Dopri5::new(1e-6, f64::NAN).is_err());
    let e = Dopri5::new(-1.0, 1e-6).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Dopri5: `rtol` = -1 is not allowed: must be finite and > 0"
    );
    let solver = Dopri5::new(1e-6, 1e-9).unwrap();
    let logistic = Logistic { tau: 5.0 * ms };
    let err = solver
        .solve_at(&logistic, 0.0 * ms, ratio(0.1), &[2.0 * ms, 1.0 * ms])
        .unwrap_err();
    assert!(matches!(err, SolverError::Invalid(_)), "{err}");
    let err = solver
        .solve(&logistic, 0.0 * ms, ratio(0.1), f64::NAN * ms)
        .unwrap_err();
    assert!(matches!(err, SolverError::Invalid(_)), "{err}");
    let limited = solver.max_steps(3);
    let err = limited
        .solve(&logistic, 0.0 * ms, ratio(0.1), 1000.0 * ms)
        .unwrap_err();
    assert!(matches!(err, SolverError::TooManySteps { .. }), "{err}");
}
