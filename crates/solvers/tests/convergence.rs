//! Measured convergence order of each fixed-step method on problems with known solutions.

mod common;

use common::{Gaussian, Logistic, Oscillator};
use neurotype_solvers::{
    Euler, ExponentialEuler, Heun, Integrator, Linearised, Method, Midpoint, Ode, Ralston2, Rk4,
    TimeStep, integrate,
};
use neurotype_units::prelude::*;

/// Least-squares slope of log(error) against log(dt).
fn fitted_order(dts: &[f64], errors: &[f64]) -> f64 {
    let xs: Vec<f64> = dts.iter().map(|d| d.ln()).collect();
    let ys: Vec<f64> = errors.iter().map(|e| e.ln()).collect();
    let n = xs.len() as f64;
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let num: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let den: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
    num / den
}

/// Errors at t_end for step counts n, 2n, 4n, ... and the fitted order.
fn measure<O, I>(
    method: &I,
    ode: &O,
    x0: O::State,
    t_end: Time,
    error: impl Fn(O::State) -> f64,
) -> f64
where
    O: Ode,
    I: Integrator<O>,
{
    let mut dts = Vec::new();
    let mut errors = Vec::new();
    for k in 0..5 {
        let steps = 40u64 << k;
        let dt = t_end / steps as f64;
        let x = integrate(method, ode, 0.0 * ms, x0, TimeStep::new(dt).unwrap(), steps);
        dts.push(dt.value);
        errors.push(error(x));
    }
    assert!(
        errors.iter().all(|e| *e > 0.0 && e.is_finite()),
        "errors: {errors:?}"
    );
    fitted_order(&dts, &errors)
}

fn orders_on<O: Linearised>(
    exp_euler_order: f64,
    ode: &O,
    x0: O::State,
    t_end: Time,
    error: impl Fn(O::State) -> f64 + Copy,
) -> [(&'static str, f64, f64); 6] {
    [
        ("euler", 1.0, measure(&Euler, ode, x0, t_end, error)),
        (
            "exp_euler",
            exp_euler_order,
            measure(&ExponentialEuler, ode, x0, t_end, error),
        ),
        ("rk2", 2.0, measure(&Heun, ode, x0, t_end, error)),
        ("ralston2", 2.0, measure(&Ralston2, ode, x0, t_end, error)),
        ("midpoint", 2.0, measure(&Midpoint, ode, x0, t_end, error)),
        ("rk4", 4.0, measure(&Rk4, ode, x0, t_end, error)),
    ]
}

fn assert_orders(problem: &str, results: [(&'static str, f64, f64); 6]) {
    for (name, expected, measured) in results {
        println!("{problem:>10} {name:>10}: measured order {measured:.3} (expected {expected})");
        assert!(
            (measured - expected).abs() <= 0.2,
            "{problem}/{name}: measured order {measured:.3}, expected {expected}"
        );
    }
}

#[test]
fn orders_on_a_time_varying_linear_equation() {
    let ode = Gaussian { tau: 10.0 * ms };
    let y0 = -65.0 * mV;
    let t_end = 15.0 * ms;
    let exact = ode.exact(y0, t_end);
    assert_orders(
        "gaussian",
        // the coefficient is frozen at the step start: exponential Euler is first order
        orders_on(1.0, &ode, y0, t_end, move |y| {
            ((y - exact) / mV).value.abs()
        }),
    );
}

#[test]
fn orders_on_a_nonlinear_equation() {
    let ode = Logistic { tau: 5.0 * ms };
    let x0 = ratio(0.05);
    let t_end = 20.0 * ms;
    let exact = ode.exact(x0, t_end);
    assert_orders(
        "logistic",
        // scalar and autonomous: with the exact slope, exponential Euler is the exponential
        // Rosenbrock-Euler method, second order
        orders_on(2.0, &ode, x0, t_end, move |x| (x - exact).value.abs()),
    );
}

#[test]
fn orders_on_a_system_with_mixed_units() {
    let ode = Oscillator { omega: 0.5 * kHz };
    let x0 = (10.0 * mV, 0.0 * mV_per_ms);
    let t_end = 10.0 * ms;
    let (xe, _) = ode.exact(x0.0, t_end);
    // Exponential Euler with a zero diagonal is Euler here; include it anyway.
    assert_orders(
        "oscillator",
        orders_on(1.0, &ode, x0, t_end, move |(x, _v)| {
            ((x - xe) / mV).value.abs()
        }),
    );
}

#[test]
fn runtime_method_matches_the_static_ones() {
    let ode = Logistic { tau: 5.0 * ms };
    let dt = TimeStep::new(0.25 * ms).unwrap();
    let x0 = ratio(0.3);
    for method in Method::ALL {
        let dynamic = integrate(&method, &ode, 0.0 * ms, x0, dt, 10);
        let fixed = match method {
            Method::ExponentialEuler => integrate(&ExponentialEuler, &ode, 0.0 * ms, x0, dt, 10),
            Method::Euler => integrate(&Euler, &ode, 0.0 * ms, x0, dt, 10),
            Method::Rk2 => integrate(&Heun, &ode, 0.0 * ms, x0, dt, 10),
            Method::Midpoint => integrate(&Midpoint, &ode, 0.0 * ms, x0, dt, 10),
            Method::Rk4 => integrate(&Rk4, &ode, 0.0 * ms, x0, dt, 10),
        };
        assert_eq!(dynamic, fixed, "{}", method.name());
        assert_eq!(method.name().parse::<Method>().unwrap(), method);
    }
}
