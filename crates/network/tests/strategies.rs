//! The valid strategies of `neurotype_network::strategy` draw only what the builders accept,
//! and the values just outside them are refused with a typed error.
#![cfg(feature = "proptest")]

use neurotype_models::prelude::*;
use neurotype_network::prelude::*;
use neurotype_network::strategy::{connector, delay, init, waveform, weights};
use proptest::prelude::*;

fn network(
    c: Connector,
    w: WeightInit<ElectricalConductance>,
    d: Delay,
    v0: Init<ElectricPotential>,
    wave: Waveform<ElectricCurrent>,
) -> Result<Network, NetworkError> {
    let mut net = Network::new(0.1 * ms)?.progress(Progress::Never);
    let src = net.add_source(PoissonGroup::new(12, 200.0 * Hz, 1)?);
    let post = net.add("post", Lif::builder(8).r(100.0 * Mohm).v_init(v0).build()?);
    net.connect(
        AlignPostProj::new(src, post)
            .comm(Comm::new(12, 8, c, w).seed(3))
            .syn(Expon::builder(8).build()?)
            .out(Coba::new(0.0 * mV)?)
            .delay(d),
    )?;
    net.input(ExternalCurrent::new(post, wave)?)?;
    Ok(net)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn drawn_connectivity_weights_delays_and_inputs_are_accepted_and_run(
        c in connector(),
        w in weights(0.0 * nS, 10.0 * nS),
        d in delay(20, 0.1 * ms),
        v0 in init(-70.0 * mV, -50.0 * mV),
        wave in waveform(-0.1 * nA, 0.5 * nA, 50.0 * ms),
    ) {
        let mut net = network(c, w, d, v0, wave).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(net.run(5.0 * ms).is_ok());
    }
}

/// Builds with one input changed from a valid set; the error's text.
fn refusal(
    c: Connector,
    w: WeightInit<ElectricalConductance>,
    d: Delay,
    wave: Waveform<ElectricCurrent>,
) -> Option<String> {
    network(c, w, d, Init::Constant(-65.0 * mV), wave)
        .err()
        .map(|e| e.to_string())
}

#[test]
fn just_outside_the_valid_strategies_is_refused() {
    let (w, d) = (|| WeightInit::Constant(1.0 * nS), || Delay::None);
    let wave = || Waveform::constant(0.1 * nA);
    assert_eq!(refusal(Connector::fixed_prob(1.0), w(), d(), wave()), None);
    for p in [1.0 + 1e-9, -1e-9] {
        let e = refusal(Connector::fixed_prob(p), w(), d(), wave()).expect("refused");
        assert!(e.contains("prob"), "{e}");
    }
    let all = Connector::all_to_all;
    let e = refusal(all(), WeightInit::Constant(-1e-9 * nS), d(), wave()).expect("refused");
    assert!(e.contains("weight") || e.contains("nS"), "{e}");
    let e = refusal(all(), w(), Delay::Time(-0.1 * ms), wave()).expect("refused");
    assert!(e.contains("delay"), "{e}");
    let bad = Waveform::Constant {
        value: 0.1 * nA,
        duration: Some(-1.0 * ms),
    };
    let e = refusal(all(), w(), d(), bad).expect("refused");
    assert!(e.contains("duration"), "{e}");
}
