//! The classic `brainpy.synapses` functions' `method=` argument and keywords. Each method's
//! numbers are checked against BrainPy in `tests/reference/generated/legacy_*_{euler,rk2,rk4,
//! exp_euler}_train` and `tests/reference/classic`; here, how a projection takes them.

use neurotype_models::neuron::ModelBuilder;
use neurotype_models::prelude::*;
use neurotype_network::prelude::*;

/// g of a classic AMPA from a spike source (spikes at 1, 3 and 20 ms) integrated by `method`.
fn ampa_g(method: Option<ClassicMethod>) -> Vec<f64> {
    let mut net = Network::new(0.1 * ms).unwrap().progress(Progress::Never);
    let times = [1.0 * ms, 3.0 * ms, 20.0 * ms];
    let pre = net.add_source(SpikeTimeGroup::new(1, &[0, 0, 0], &times).unwrap());
    let post = net.add("post", Lif::builder(1).build().unwrap());
    let mut syn = classic::ampa(pre, post, Connector::all_to_all());
    if let Some(m) = method {
        syn = syn.method(m);
    }
    let syn = net.connect(syn).unwrap();
    let g = net.monitor_projection(syn, "g", vec![0], 1).unwrap();
    net.run(40.0 * ms).unwrap();
    net.record(g).unwrap().trace(0).unwrap()
}

#[test]
fn the_method_argument_changes_the_integrator_and_exp_auto_is_the_default() {
    let default = ampa_g(None);
    assert_eq!(default, ampa_g(Some(ClassicMethod::ExpAuto)));
    assert!(default.iter().any(|&g| g > 0.1));
    // further from exp_auto (exact for AMPA's linear kinetics) the lower the order
    let diff = |m| {
        ampa_g(Some(m))
            .iter()
            .zip(&default)
            .fold(0.0f64, |d, (a, b)| d.max((a - b).abs()))
    };
    let (euler, rk2, rk4) = (
        diff(ClassicMethod::Euler),
        diff(ClassicMethod::Rk2),
        diff(ClassicMethod::Rk4),
    );
    assert!(euler > rk2 && rk2 > rk4 && rk4 > 0.0, "{euler} {rk2} {rk4}");
    assert!(euler < 0.05 && rk4 < 1e-6, "{euler} {rk4}");
}

#[test]
fn methods_and_keywords_parse_with_brainpys_names() {
    for (name, m) in [
        ("exp_auto", ClassicMethod::ExpAuto),
        ("exp_euler", ClassicMethod::ExpAuto),
        ("euler", ClassicMethod::Euler),
        ("rk2", ClassicMethod::Rk2),
        ("rk4", ClassicMethod::Rk4),
    ] {
        assert_eq!(name.parse::<ClassicMethod>().unwrap(), m);
    }
    let e = "rk9".parse::<ClassicMethod>().unwrap_err();
    assert!(e.to_string().contains("rk9"), "{e}");
    // BrainPy's `T_duration` and `method` keywords, by name
    let ampa = Ampa::builder(1)
        .set("T_duration", "2 ms")
        .and_then(|b| b.set("method", "rk4"))
        .and_then(|b| b.build());
    assert!(ampa.is_ok());
}

#[test]
fn every_classic_synapse_with_dynamics_takes_a_method() {
    let mut net = Network::new(0.1 * ms).unwrap().progress(Progress::Never);
    let pre = net.add_source(PoissonGroup::new(2, 10.0 * Hz, 1).unwrap());
    let post = net.add("post", Lif::builder(2).build().unwrap());
    let all = Connector::all_to_all;
    let out = CobaFixedV { e: 0.0 * mV };
    let m = ClassicMethod::Rk4;
    net.connect(classic::ampa(pre, post, all()).method(m))
        .unwrap();
    net.connect(classic::gabaa(pre, post, all()).method(m))
        .unwrap();
    net.connect(classic::nmda(pre, post, all()).method(m))
        .unwrap();
    net.connect(classic::bio_nmda(pre, post, all()).method(m))
        .unwrap();
    net.connect(
        classic::dual_exponential(pre, post, all())
            .method(m)
            .output(out),
    )
    .unwrap();
    net.connect(classic::alpha(pre, post, all()).method(m).output(out))
        .unwrap();
    net.run(10.0 * ms).unwrap();
}

#[test]
fn a_classic_projection_carries_its_name() {
    let mut net = Network::new(0.1 * ms).unwrap();
    let pre = net.add_source(PoissonGroup::new(2, 10.0 * Hz, 1).unwrap());
    let post = net.add("post", Lif::builder(2).build().unwrap());
    let syn = net
        .connect(classic::ampa(pre, post, Connector::all_to_all()).name("E2E_AMPA"))
        .unwrap();
    let e = net.monitor_projection(syn, "nope", vec![0], 1).unwrap_err();
    assert!(e.to_string().contains("E2E_AMPA"), "{e}");
}
