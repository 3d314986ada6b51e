//! Exponential Euler is exact for equations linear in their variable.

mod common;

use neurotype_solvers::{ExponentialEuler, Integrator, TimeStep};
use neurotype_units::prelude::*;

/// Drawn through the public quantity strategies (feature `proptest`).
#[cfg(feature = "proptest")]
mod drawn {
    use neurotype_solvers::{ExponentialEuler, Integrator, TimeStep, integrate, linearised};
    use neurotype_units::prelude::*;
    use neurotype_units::strategy::{conductance, log_uniform, time, voltage};
    use proptest::prelude::*;

    proptest! {
        /// dx/dt = (x_inf − x)/τ for any τ > 0 and dt > 0: one step lands on
        /// x_inf + (x0 − x_inf)·e^{−dt/τ}.
        #[test]
        fn one_step_is_the_analytic_solution(
            tau in log_uniform(1e-3 * ms, 1e4 * ms),
            step in log_uniform(1e-4 * ms, 1e3 * ms),
            x0 in voltage(-100.0 * mV..100.0 * mV),
            x_inf in voltage(-100.0 * mV..100.0 * mV),
        ) {
            let relax = linearised(
                move |_t, x: &ElectricPotential| (x_inf - *x) / tau,
                move |_t, _x: &ElectricPotential| -1.0 / tau,
            );
            let dt = TimeStep::new(step).unwrap();
            let x1 = ExponentialEuler.step(&relax, 0.0 * ms, &x0, dt);
            let exact = x_inf + (x0 - x_inf) * exp(-step / tau);
            let scale = in_units(x0, mV).abs().max(in_units(x_inf, mV).abs()).max(1.0);
            prop_assert!(((x1 - exact) / mV).value.abs() <= 1e-13 * scale,
                "x1 = {}, exact = {}", x1.show(), exact.show());
        }

        /// Many steps accumulate no error beyond rounding.
        #[test]
        fn many_steps_stay_on_the_solution(
            tau in time(0.1 * ms..100.0 * ms),
            steps in 1u64..2000,
        ) {
            let (x_inf, x0) = (-50.0 * mV, -70.0 * mV);
            let relax = linearised(
                move |_t, x: &ElectricPotential| (x_inf - *x) / tau,
                move |_t, _x: &ElectricPotential| -1.0 / tau,
            );
            let dt = TimeStep::new(0.1 * ms).unwrap();
            let x = integrate(&ExponentialEuler, &relax, 0.0 * ms, x0, dt, steps);
            let exact = x_inf + (x0 - x_inf) * exp(-dt.time_of(steps) / tau);
            prop_assert!(((x - exact) / mV).value.abs() <= 1e-12 * steps as f64);
        }

        /// A conductance decays as g·e^{−t/τ} exactly (a synapse with no input).
        #[test]
        fn decay_is_exact(tau in time(0.5 * ms..50.0 * ms), g0 in conductance(1e-3 * nS, 100.0 * nS)) {
            let decay = linearised(
                move |_t, g: &ElectricalConductance| -*g / tau,
                move |_t, _g: &ElectricalConductance| -1.0 / tau,
            );
            let dt = TimeStep::new(0.1 * ms).unwrap();
            let g = integrate(&ExponentialEuler, &decay, 0.0 * ms, g0, dt, 100);
            let exact = g0 * exp(-(10.0 * ms) / tau);
            prop_assert!(((g - exact) / nS).value.abs() <= 1e-12 * in_units(g0, nS).max(1.0));
        }
    }
}

#[test]
fn uses_the_exact_jacobian_of_a_nonlinear_equation() {
    // dx/dt = x(1−x)/τ with J = (1−2x)/τ: one step equals x + dt·exprel(dt·J)·f(x).
    let model = common::Logistic { tau: 5.0 * ms };
    let dt = TimeStep::new(0.5 * ms).unwrap();
    let x0 = ratio(0.2);
    let x1 = ExponentialEuler.step(&model, 0.0 * ms, &x0, dt);
    let f = 0.2 * 0.8 / 5.0;
    let j: f64 = (1.0 - 0.4) / 5.0;
    let expected = 0.2 + 0.5 * ((0.5 * j).exp_m1() / (0.5 * j)) * f;
    assert!((x1.value - expected).abs() < 1e-15);
}
