//! Real powers in the DSL: `powf` of a dimensionless base with a dimensionless exponent, in the
//! typed right-hand side and in the symbolic slope exponential Euler uses.

use neurotype::prelude::*;

synapse! {
    /// A conductance that decays as a power law: dg/dt = −(g/τ)·(g/g₀)^½.
    pub PowerDecay {
        params {
            tau: Time = 4.0 ms where > 0,
            g0: ElectricalConductance = 2.0 nS where > 0,
        }
        state { g: ElectricalConductance = 2.0 nS }
        d(g)/dt = -g / tau * powf(g / g0, 0.5);
        on_pre g += w;
        output g;
    }
}

/// u = g/g₀ obeys du/dt = −u^{3/2}/τ, so u(t) = (u₀^{−1/2} + t/(2τ))^{−2}.
fn solution(t_ms: f64) -> f64 {
    2.0 * (1.0 + t_ms / 8.0).powi(-2)
}

fn run(method: Method, dt_ms: f64) -> f64 {
    let mut syn = PowerDecay::builder(1).method(method).build().unwrap();
    let dt = TimeStep::new(dt_ms * ms).unwrap();
    for step in 0..(20.0 / dt_ms).round() as u64 {
        syn.step(&StepCtx::new(step, dt));
    }
    (syn.g().get(0) / nS).value
}

#[test]
fn powf_integrates_to_its_closed_form() {
    let exact = solution(20.0);
    let rk4 = run(Method::Rk4, 0.01);
    assert!((rk4 - exact).abs() <= 1e-10 * exact, "{rk4} vs {exact}");
    // exponential Euler with the symbolic slope of the power: second order in dt
    let (coarse, fine) = (
        run(Method::ExponentialEuler, 0.2),
        run(Method::ExponentialEuler, 0.1),
    );
    let (e1, e2) = ((coarse - exact).abs(), (fine - exact).abs());
    assert!(e2 < 1e-4 * exact, "{fine} vs {exact}");
    let order = (e1 / e2).log2();
    assert!(order > 1.8, "order {order}: {e1:e}, {e2:e}");
}
