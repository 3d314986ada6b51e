//! Gap junctions against the analytic solution: two passive neurons coupled by a conductance
//! g relax, their difference D = V₀ − V₁ as e^{−(1 + 2Rg)t/τ} and their mean as e^{−t/τ}.

use neurotype_models::prelude::*;
use neurotype_network::prelude::*;

/// V of the two neurons after `t`, started at +10 and −10 mV, coupled by `g` with `scale`.
fn coupled(dt: f64, g: ElectricalConductance, scale: (f64, f64), t: f64) -> (f64, f64) {
    let mut net = Network::new(dt * ms).unwrap().progress(Progress::Never);
    let passive = Lif::builder(2)
        .v_rest(0.0 * mV)
        .v_reset(0.0 * mV)
        .v_th(1e6 * mV)
        .tau(10.0 * ms)
        .r(100.0 * Mohm)
        .v_init(Init::values(vec![10.0 * mV, -10.0 * mV]))
        .build()
        .unwrap();
    // ANCHOR: gap
    let p = net.add("P", passive);
    // neuron 0 and neuron 1 of P coupled by the conductance g; `scale` is (1, 1) for
    // symmetric coupling (GapJunction::symmetric)
    net.input(GapJunction::asymmetric(p, p, &[(0, 1)], &[g], scale).unwrap())
        .unwrap();
    // ANCHOR_END: gap
    net.run(t * ms).unwrap();
    let pop = net.populations().next().unwrap();
    let v = pop.state_vars()[0];
    (v.value_in(0, "mV").unwrap(), v.value_in(1, "mV").unwrap())
}

#[test]
fn two_coupled_passive_neurons_follow_the_analytic_solution() {
    // R·g = 0.5: the difference decays twice as fast as each neuron alone
    let (g, tau, t) = (5.0 * nS, 10.0f64, 20.0);
    let exact_d = 20.0 * (-(1.0 + 2.0 * 0.5) * t / tau).exp();
    let mut errors = Vec::new();
    for dt in [0.1, 0.05, 0.025] {
        let (v0, v1) = coupled(dt, g, (1.0, 1.0), t);
        // the mean (0 here) is untouched by symmetric coupling
        assert!((v0 + v1).abs() < 1e-12, "{v0} + {v1}");
        errors.push(((v0 - v1) - exact_d).abs());
        // exactly the scheme: each step the neurons integrate exactly (exponential Euler)
        // with the coupling current of the last step's V: D ← D·(e^{−h} − 2Rg(1 − e^{−h}))
        let h = dt / tau;
        let steps = (t / dt).round() as i32;
        let scheme = 20.0 * ((-h).exp() - 2.0 * 0.5 * (1.0 - (-h).exp())).powi(steps);
        assert!(
            ((v0 - v1) / scheme - 1.0).abs() < 1e-9,
            "{} vs {scheme}",
            v0 - v1
        );
    }
    // close to the solution, and first order in dt (the coupling uses the last step's V)
    assert!(errors[0] < 0.03 * exact_d, "{errors:?} vs {exact_d}");
    for w in errors.windows(2) {
        let order = (w[0] / w[1]).log2();
        assert!((order - 1.0).abs() < 0.1, "order {order}: {errors:?}");
    }
}

#[test]
fn asymmetric_and_absent_coupling() {
    let t = 20.0;
    let alone = 10.0 * (-t / 10.0f64).exp();
    // no conductance: each neuron decays alone
    let (v0, v1) = coupled(0.01, 0.0 * nS, (1.0, 1.0), t);
    assert!(
        (v0 - alone).abs() < 1e-3 && (v1 + alone).abs() < 1e-3,
        "{v0} {v1}"
    );
    // only into post (scale.1 = 0): the presynaptic neuron is not loaded
    let (v0, v1) = coupled(0.01, 5.0 * nS, (1.0, 0.0), t);
    assert!((v0 - alone).abs() < 1e-3, "{v0}");
    assert!(v1 > -alone, "post is pulled towards pre: {v1}");
}

#[test]
fn bad_gap_junctions_are_refused() {
    let mut net = Network::new(0.1 * ms).unwrap();
    let p = net.add("P", Lif::builder(3).build().unwrap());
    assert!(GapJunction::symmetric(p, p, &[(0, 3)], &[1.0 * nS]).is_err());
    assert!(GapJunction::symmetric(p, p, &[(0, 1)], &[-1.0 * nS]).is_err());
    assert!(GapJunction::symmetric(p, p, &[(0, 1), (1, 2)], &[1.0 * nS; 3]).is_err());
    assert!(GapJunction::asymmetric(p, p, &[(0, 1)], &[1.0 * nS], (f64::NAN, 1.0)).is_err());
    let mut other = Network::new(0.1 * ms).unwrap();
    let q = other.add("Q", Lif::builder(3).build().unwrap());
    assert!(GapJunction::symmetric(p, q, &[(0, 1)], &[1.0 * nS]).is_err());
}

#[test]
fn a_gap_junction_on_a_rank_is_refused_whenever_the_ranks_are_given() {
    use neurotype_network::ranks::ThreadRanks;
    let build = || {
        let mut net = Network::new(0.1 * ms).unwrap().progress(Progress::Never);
        let p = net.add("P", Lif::builder(4).build().unwrap());
        (
            net,
            GapJunction::symmetric(p, p, &[(0, 3)], &[1.0 * nS]).unwrap(),
        )
    };
    // ranks first: the junction is refused when added
    let (mut net, gap) = build();
    net.set_ranks(ThreadRanks::new(1).unwrap().pop().unwrap());
    assert!(matches!(net.input(gap), Err(NetworkError::Unsupported(_))));
    // ranks after: the run is refused before its first step
    let (mut net, gap) = build();
    net.input(gap).unwrap();
    net.set_ranks(ThreadRanks::new(1).unwrap().pop().unwrap());
    assert!(matches!(
        net.run(1.0 * ms),
        Err(NetworkError::Unsupported(_))
    ));
    assert_eq!(net.step_index(), 0);
}
