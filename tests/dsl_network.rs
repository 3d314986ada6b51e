//! Models declared with the equation DSL plug in wherever built-in ones do: populations, every
//! projection kind (as presynaptic and postsynaptic side), the inlined synaptic channels,
//! monitors and the runner; builders give the same typed errors; exponential Euler uses the
//! exact Jacobian.

use neurotype::models::drive::Affine;
use neurotype::prelude::*;

// COBA's neuron (CobaLif), DslExpon and the network builder are the bench's, shared as the
// dsl_coba example shares them
#[allow(dead_code)]
#[path = "../benches/src/dsl_coba.rs"]
mod dsl_coba;
use dsl_coba::{CobaLif, DslExpon, Variant, coba_with};

synapse! {
    /// AMPA, as equations.
    pub DslAmpa {
        params {
            alpha: ConcentrationRate = 0.98 per_mM_per_ms where >= 0,
            beta: Frequency = 0.18 per_ms where >= 0,
            t_conc: MolarConcentration = 0.5 mM where >= 0,
            t_dur: Time = 0.5 ms where >= 0,
        }
        state {
            g: Ratio = 0.0,
            arrival: Time = -1e7 ms,
        }
        let transmitter: MolarConcentration = if t - arrival < t_dur { t_conc } else { 0.0 mM };
        d(g)/dt = alpha * transmitter * (1.0 - g) - beta * g;
        on_spike arrival = t;
        output g;
    }
}

/// COBA with `n` neurons built as `variant` (seed 11), run for 200 ms: its spike train.
fn coba(n: usize, variant: Variant, fusion: bool) -> Vec<(u64, u32)> {
    let mut coba = coba_with(n, 11, variant).unwrap();
    coba.net.set_inline_synapses(fusion);
    coba.net.run(200.0 * ms).unwrap();
    let r = coba.net.record(coba.spikes).unwrap();
    r.steps
        .iter()
        .copied()
        .zip(r.neurons.iter().copied())
        .collect()
}

#[test]
fn coba_with_dsl_models_spikes_exactly_as_builtin() {
    let reference = coba(800, Variant::Builtin, true);
    assert!(reference.len() > 1000, "{} spikes", reference.len());
    for variant in [
        Variant::Builtin,
        Variant::DslNeuron,
        Variant::DslNeuronAndSynapses,
        Variant::DslNeuronAndPerElementSynapses,
    ] {
        for fusion in [true, false] {
            let spikes = coba(800, variant, fusion);
            assert_eq!(
                spikes.len(),
                reference.len(),
                "{variant:?}, fusion {fusion}"
            );
            assert!(
                spikes == reference,
                "{variant:?}, fusion {fusion}: spike trains differ"
            );
        }
    }
}

synapse! {
    /// Expon's equation written `-g / tau`: the same decay, rounded differently from
    /// `(-1/tau)·g`, so it is not an exponential channel.
    pub DslExponQuotient {
        params { tau: Time = 8.0 ms where > 0 }
        state { g: ElectricalConductance = 0.0 mS }
        d(g)/dt = -g / tau;
        on_pre g += w;
        output g;
    }
}

#[test]
fn dsl_expon_is_an_exponential_channel_with_the_arithmetic_of_its_step() {
    let dt = TimeStep::new(0.1 * ms).unwrap();
    let out = Affine {
        e: 0.0,
        conductance: true,
    };
    // advances `a` by its channel and `b` by its own step, with the same increments,
    // delivered as a network delivers them (folded into g, see `IncrementSynapse::arrivals`)
    fn twin(mut a: DslExpon, mut b: DslExpon, dt: TimeStep, out: Affine) {
        let n = a.len();
        for step in 0..2000u64 {
            let ctx = StepCtx::new(step, dt);
            for k in 0..n {
                let w = if (step * 7 + k as u64 * 3).is_multiple_of(11) {
                    1.5 + k as f64
                } else {
                    0.0
                };
                for syn in [&mut a, &mut b] {
                    let (into, scale) = IncrementSynapse::arrivals(syn, &ctx);
                    assert_ne!(scale, 1.0, "a channel takes its arrivals folded");
                    into[k] += scale * w;
                }
            }
            let mut ch = IncrementSynapse::channel(&mut a, &ctx, out).expect("a channel");
            for k in 0..n {
                ch.advance(k);
            }
            IncrementSynapse::step(&mut b, &ctx);
            for (x, y) in a.g().raw().iter().zip(b.g().raw()) {
                assert_eq!(x.to_bits(), y.to_bits(), "step {step}: {x} vs {y}");
            }
        }
    }
    let build = |method| {
        DslExpon::builder(4)
            .tau(5.0 * ms)
            .method(method)
            .build()
            .unwrap()
    };
    for method in [Method::ExponentialEuler, Method::Euler] {
        twin(build(method), build(method), dt, out);
    }

    // no channel: per-element τ, integrators other than (exponential) Euler, another form
    let ctx = StepCtx::new(0, dt);
    let mut per_element = DslExpon::builder(2)
        .tau(vec![5.0 * ms, 5.0 * ms])
        .build()
        .unwrap();
    assert!(IncrementSynapse::channel(&mut per_element, &ctx, out).is_none());
    for method in [Method::Rk2, Method::Midpoint, Method::Rk4] {
        assert!(IncrementSynapse::channel(&mut build(method), &ctx, out).is_none());
    }
    let mut quotient = DslExponQuotient::builder(2).build().unwrap();
    assert!(IncrementSynapse::channel(&mut quotient, &ctx, out).is_none());
}

#[test]
fn dsl_ampa_in_current_projection_and_every_projection_kind() {
    fn build(dsl: bool) -> (Vec<f64>, Vec<f64>, usize) {
        let mut net = Network::new(0.1 * ms).unwrap();
        let times: Vec<Time> = (0..8).map(|k| (2.0 + 5.0 * k as f64) * ms).collect();
        let pre =
            net.add_source(SpikeTimeGroup::new(2, &[0, 1, 0, 1, 0, 1, 0, 1], &times).unwrap());
        let post = net.add("post", CobaLif::builder(3).build().unwrap());
        let comm = || {
            Comm::new(
                2,
                3,
                Connector::Pairs(vec![(0, 0), (0, 1), (1, 1)]),
                20.0 * nS,
            )
        };
        let proj = if dsl {
            net.connect(
                AlignPreProj::new(pre, post)
                    .syn(DslAmpa::builder(2).build().unwrap())
                    .comm(comm())
                    .out(Coba::new(0.0 * mV).unwrap()),
            )
            .unwrap()
        } else {
            net.connect(
                AlignPreProj::new(pre, post)
                    .syn(Ampa::builder(2).build().unwrap())
                    .comm(comm())
                    .out(Coba::new(0.0 * mV).unwrap()),
            )
            .unwrap()
        };
        // the DSL neuron as presynaptic side of a δ projection and of a classic AMPA
        // projection, and as postsynaptic side of both
        let third = net.add("third", CobaLif::builder(2).build().unwrap());
        net.connect(DeltaProj::new(post, third).comm(Comm::all_to_all(3, 2, 4.0 * mV)))
            .unwrap();
        net.connect(classic::ampa(post, third, Connector::all_to_all()))
            .unwrap();
        net.connect(DeltaProj::new(pre, post).comm(Comm::all_to_all(2, 3, 3.0 * mV)))
            .unwrap();
        let g = net.monitor_projection(proj, "g", vec![0, 1], 1).unwrap();
        let v = net.monitor_state(post, "v", vec![0, 1, 2], 1).unwrap();
        let third_spikes = net.monitor_spikes(third).unwrap();
        net.run(60.0 * ms).unwrap();
        (
            net.record(g).unwrap().values(),
            net.record(v).unwrap().values(),
            net.record(third_spikes).unwrap().len(),
        )
    }
    let (g_dsl, v_dsl, s_dsl) = build(true);
    let (g_ref, v_ref, s_ref) = build(false);
    assert!(g_ref.iter().any(|&g| g > 0.01), "the AMPA channels open");
    assert_eq!(g_dsl, g_ref);
    assert_eq!(v_dsl, v_ref);
    assert_eq!(s_dsl, s_ref);
}

#[test]
fn builders_give_typed_errors_and_accept_keywords() {
    let e = CobaLif::builder(4).tau(-1.0 * ms).build().unwrap_err();
    assert_eq!(
        e.to_string(),
        "CobaLif: `tau` = -1 ms is not allowed: must be finite and > 0 ms"
    );
    let e = CobaLif::builder(4).v_reset(-40.0 * mV).build().unwrap_err();
    assert_eq!(
        e.to_string(),
        "CobaLif: `v_reset` = -40 mV is not allowed: must be below `v_th` = -50 mV"
    );
    let e = CobaLif::builder(4).tau_ref(-1.0 * ms).build().unwrap_err();
    assert!(e.to_string().contains("must be finite and >= 0 ms"), "{e}");
    let e = CobaLif::builder(4)
        .tau(vec![10.0 * ms; 3])
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("a vector of 3 values"), "{e}");
    let e = DslAmpa::builder(2).beta(-0.1 * per_ms).build().unwrap_err();
    assert_eq!(e.owner, "DslAmpa");

    let m = CobaLif::builder(2)
        .set("tau", "15 ms")
        .and_then(|b| b.set("method", "rk4"))
        .and_then(ModelBuilder::build)
        .unwrap();
    assert_eq!(m.params().tau, Param::Scalar(15.0 * ms));
    assert_eq!(m.method(), Method::Rk4);
    let e = CobaLif::builder(2).set("tau_m", "15 ms").unwrap_err();
    assert!(
        e.to_string()
            .contains("known: r, tau, v_rest, v_reset, v_th, tau_ref"),
        "{e}"
    );
    let e = CobaLif::builder(2).set("tau", "15 mV").unwrap_err();
    assert_eq!(e.name, "tau");
    assert!(CobaLif::EQUATIONS.contains("d(v)/dt = (-v + v_rest + r * i) / tau"));
}

neuron! {
    /// A leaky membrane with nothing but a constant drive: exponential Euler is exact.
    Relax {
        params {
            v_inf: ElectricPotential = -50.0 mV,
            tau: Time = 10.0 ms where > 0,
        }
        state { v: ElectricPotential = -65.0 mV }
        input i: ElectricCurrent;
        d(v)/dt = (v_inf - v) / tau;
    }
}

neuron! {
    /// A scalar equation exercising every function the DSL differentiates.
    Zoo {
        params {
            k: Frequency = 0.3 per_ms,
            s: ElectricPotential = 20.0 mV,
        }
        state { v: ElectricPotential = 5.0 mV }
        input i: ElectricCurrent;
        let x: Ratio = v / s;
        d(v)/dt = -k * s * (tanh(x) + 0.3 * expm1(x / 4.0) + 0.2 * exprel(-x) - 0.2
            + 0.1 * sigmoid(x) - 0.05 + 0.05 * ln(2.0 + x) - 0.05 * ln(2.0)
            + 0.1 * (sqrt(4.0 + x) - 2.0) + 0.1 * powi(x, 3) + 0.05 * exp(x)
            - 0.05 + 0.02 * cosh(x) - 0.02 + 0.1 * min(x, 0.5) + 0.1 * max(x, -0.5)
            + 0.1 * abs(x) / (1.0 + x * x)
            + if v > 0.0 mV { 0.1 * x } else { 0.2 * x });
    }
}

fn final_v<N: Neuron<Potential = ElectricPotential>>(mut model: N, dt: Time, t_end: Time) -> f64 {
    let dt = TimeStep::new(dt).unwrap();
    let steps = (t_end / dt.get()).value.round() as u64;
    let drive = Drive::<N>::new(model.len());
    for step in 0..steps {
        model.step(&StepCtx::new(step, dt), &drive);
    }
    model.potential().raw()[0]
}

#[test]
fn exponential_euler_is_exact_for_a_linear_equation() {
    let v = final_v(Relax::builder(1).build().unwrap(), 1.0 * ms, 30.0 * ms);
    let exact = -50.0 + (-65.0 + 50.0) * (-3.0f64).exp();
    assert!((v - exact).abs() < 1e-12, "{v} vs {exact}");
}

#[test]
fn exponential_euler_has_second_order_with_the_symbolic_jacobian() {
    // For a scalar autonomous equation exponential Euler with the exact derivative is of
    // order 2; a wrong derivative would leave it at order 1.
    let reference = final_v(
        Zoo::builder(1).method(Method::Rk4).build().unwrap(),
        0.001 * ms,
        10.0 * ms,
    );
    let err =
        |dt: f64| (final_v(Zoo::builder(1).build().unwrap(), dt * ms, 10.0 * ms) - reference).abs();
    let (e1, e2, e3) = (err(0.4), err(0.2), err(0.1));
    let (r1, r2) = (e1 / e2, e2 / e3);
    assert!(
        r1 > 3.5 && r2 > 3.5,
        "error ratios {r1}, {r2} ({e1:e}, {e2:e}, {e3:e})"
    );
    // forward Euler on the same equation: order 1
    let euler = |dt: f64| {
        let m = Zoo::builder(1).method(Method::Euler).build().unwrap();
        (final_v(m, dt * ms, 10.0 * ms) - reference).abs()
    };
    let r = euler(0.2) / euler(0.1);
    assert!(r > 1.8 && r < 2.2, "Euler ratio {r}");
}

#[test]
fn documentation_lists_equations_and_slopes() {
    let doc = CobaLif::EQUATIONS;
    assert!(
        doc.contains("d/dv [d(v)/dt] = (-1 + (-(r * g))) / tau  (g = -di/dv)"),
        "{doc}"
    );
    assert!(
        DslAmpa::EQUATIONS.contains("d/dg [d(g)/dt] = -(alpha * transmitter) - beta"),
        "{}",
        DslAmpa::EQUATIONS
    );
}
