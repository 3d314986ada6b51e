//! Fuzz suite: every public builder, connector, initialiser, input, delay and monitor fed
//! arbitrary numbers (NaN, ±∞, subnormals, ±1e300, zero, negative, any bit pattern) and
//! sizes. Whatever goes in, nothing panics or hangs, and the outcome is either a typed error
//! or a network that runs to a finite state (or stops with the typed `Diverged` error when a
//! legal but extreme parameter makes the integration blow up). 256 cases per property. The
//! inputs come from the public adversarial strategies (`neurotype_network::strategy::any_*`).
#![cfg(feature = "proptest")]

use neurotype_models::neuron::ModelBuilder;
use neurotype_models::neurons::{gif, hh, izhikevich, lif, nonlinear_if, reduced, traub};
use neurotype_models::prelude::*;
use neurotype_models::synapses::{exponential, kinetic, plasticity};
use neurotype_network::NoiseProcess;
use neurotype_network::prelude::*;
use neurotype_network::strategy::{
    any_connector, any_delay, any_init, any_number, any_size, any_waveform, any_weights,
};
use proptest::prelude::*;

fn net() -> Network {
    let mut net = Network::new(0.1 * ms)
        .unwrap()
        .seed(5)
        .progress(Progress::Never);
    net.set_potential_bound(None).unwrap();
    net
}

/// Runs `net` briefly: the run ends with every state finite, or with a typed error.
fn runs_or_refuses(net: &mut Network) -> Result<(), TestCaseError> {
    match net.run(2.0 * ms) {
        Ok(_) => {
            for pop in net.populations() {
                for var in pop.state_vars() {
                    prop_assert!(
                        var.raw.iter().all(|x| x.is_finite()),
                        "{} of {} not finite after a run that returned Ok",
                        var.name,
                        pop.name()
                    );
                }
            }
        }
        Err(e) => prop_assert!(!e.to_string().is_empty()),
    }
    Ok(())
}

/// Sets keyword `k` of a model to `value` (in the keyword's unit), builds it and runs it.
fn model_case<B>(
    make: fn(usize) -> B,
    keywords: &[(&'static str, &'static str)],
    k: usize,
    value: f64,
    n: usize,
) -> Result<(), TestCaseError>
where
    B: ModelBuilder,
    B::Model: Neuron,
{
    let (name, unit) = keywords[k % keywords.len()];
    let built = make(n)
        .set(name, &format!("{value:e} {unit}"))
        .and_then(|b| b.build());
    match built {
        Err(e) => prop_assert!(e.to_string().contains(name) || e.to_string().contains("size")),
        Ok(model) => {
            let mut net = net();
            net.add("P", model);
            runs_or_refuses(&mut net)?;
        }
    }
    Ok(())
}

macro_rules! fuzz_models {
    ($( $test:ident: $Model:ty, $Params:ty, [$($extra:expr),*] );+ $(;)?) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]
            $(
                #[test]
                fn $test(k in any::<usize>(), value in any_number(), n in any_size()) {
                    let mut keywords = <$Params>::keywords();
                    let extra: &[(&'static str, &'static str)] = &[$($extra),*];
                    keywords.extend_from_slice(extra);
                    model_case(<$Model>::builder, &keywords, k, value, n)?;
                }
            )+
        }
    };
}

fuzz_models! {
    lif_parameters: Lif, lif::LifParams, [("tau_ref", "ms")];
    alif_parameters: Alif, lif::AlifParams, [];
    if_parameters: If, lif::IfParams, [];
    cuba_lif_parameters: CubaLif, lif::CubaLifParams, [];
    coba_lif_parameters: CobaLif, lif::CobaLifParams, [];
    izhikevich_parameters: Izhikevich, izhikevich::IzhikevichParams, [];
    gif_parameters: Gif, gif::GifParams, [];
    exp_if_parameters: ExpIf, nonlinear_if::ExpIfParams, [];
    adex_parameters: AdExIf, nonlinear_if::AdExIfParams, [("tau_ref", "ms")];
    qua_if_parameters: QuaIf, nonlinear_if::QuaIfParams, [];
    adqua_if_parameters: AdQuaIf, nonlinear_if::AdQuaIfParams, [];
    fitzhugh_nagumo_parameters: FitzHughNagumo, reduced::FitzHughNagumoParams, [];
    hindmarsh_rose_parameters: HindmarshRose, reduced::HindmarshRoseParams, [];
    morris_lecar_parameters: MorrisLecar, hh::MorrisLecarParams, [];
    hh_parameters: Hh, hh::HhParams, [];
    wang_buzsaki_parameters: WangBuzsakiHh, hh::WangBuzsakiHhParams, [];
    traub_parameters: TraubHh, traub::TraubHhParams, [];
}

/// A synapse builder with keyword `k` set, as the align-post synapse of a small network.
fn synapse_case<B, S>(
    make: fn(usize) -> B,
    keywords: &[(&'static str, &'static str)],
    k: usize,
    value: f64,
) -> Result<(), TestCaseError>
where
    B: ModelBuilder<Model = S>,
    S: neurotype_models::synapses::IncrementSynapse<G = ElectricalConductance>,
{
    let (name, unit) = keywords[k % keywords.len()];
    let Ok(syn) = make(6)
        .set(name, &format!("{value:e} {unit}"))
        .and_then(|b| b.build())
    else {
        return Ok(());
    };
    let mut net = net();
    let src = net.add_source(PoissonGroup::new(5, 200.0 * Hz, 1).unwrap());
    let post = net.add("P", Lif::builder(6).r(100.0 * Mohm).build().unwrap());
    let proj = AlignPostProj::new(src, post)
        .comm(Comm::all_to_all(5, 6, 1.0 * nS))
        .syn(syn)
        .out(Coba::new(0.0 * mV).unwrap());
    if net.connect(proj).is_ok() {
        runs_or_refuses(&mut net)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn expon_parameters(k in any::<usize>(), value in any_number()) {
        synapse_case(
            Expon::<ElectricalConductance>::builder,
            &exponential::ExponParams::keywords(),
            k,
            value,
        )?;
    }

    #[test]
    fn dual_expon_parameters(k in any::<usize>(), value in any_number()) {
        synapse_case(
            DualExpon::<ElectricalConductance>::builder,
            &exponential::DualExponParams::keywords(),
            k,
            value,
        )?;
    }

    #[test]
    fn alpha_parameters(k in any::<usize>(), value in any_number()) {
        synapse_case(
            Alpha::<ElectricalConductance>::builder,
            &exponential::AlphaParams::keywords(),
            k,
            value,
        )?;
    }

    #[test]
    fn kinetic_and_plasticity_parameters(k in any::<usize>(), value in any_number(), which in 0..4u8) {
        let keywords = match which {
            0 => kinetic::AmpaParams::keywords(),
            1 => kinetic::BioNmdaParams::keywords(),
            2 => plasticity::StpParams::keywords(),
            _ => plasticity::StdParams::keywords(),
        };
        let (name, unit) = keywords[k % keywords.len()];
        let text = format!("{value:e} {unit}");
        let mut net = net();
        let src = net.add_source(PoissonGroup::new(5, 200.0 * Hz, 1).unwrap());
        let post = net.add("P", Lif::builder(4).r(100.0 * Mohm).build().unwrap());
        let installed = match which {
            0 | 1 => {
                let syn = if which == 0 {
                    Ampa::builder(5).set(name, &text).and_then(|b| b.build()).map(|s| {
                        net.connect(
                            AlignPreProj::new(src, post)
                                .comm(Comm::all_to_all(5, 4, 1.0 * nS))
                                .syn(s)
                                .out(Coba::new(0.0 * mV).unwrap()),
                        )
                    })
                } else {
                    BioNmda::builder(5).set(name, &text).and_then(|b| b.build()).map(|s| {
                        net.connect(
                            AlignPreProj::new(src, post)
                                .comm(Comm::all_to_all(5, 4, 1.0 * nS))
                                .syn(s)
                                .out(Coba::new(0.0 * mV).unwrap()),
                        )
                    })
                };
                matches!(syn, Ok(Ok(_)))
            }
            _ => {
                let stp: Result<neurotype_models::synapses::ShortTermPlasticity, _> = if which == 2 {
                    Stp::builder(5).set(name, &text).and_then(|b| b.build()).map(Into::into)
                } else {
                    Std::builder(5).set(name, &text).and_then(|b| b.build()).map(Into::into)
                };
                match stp {
                    Ok(stp) => net
                        .connect(
                            AlignPostProj::new(src, post)
                                .comm(Comm::all_to_all(5, 4, 1.0 * nS))
                                .syn(Expon::builder(4).build().unwrap())
                                .out(Coba::new(0.0 * mV).unwrap())
                                .stp(stp),
                        )
                        .is_ok(),
                    Err(_) => false,
                }
            }
        };
        if installed {
            runs_or_refuses(&mut net)?;
        }
    }

    #[test]
    fn connectors_weights_and_delays(
        n_pre in any_size(),
        n_post in any_size(),
        c in any_connector(),
        w in any_weights(),
        d in any_delay(),
        procedural in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let mut net = net();
        // sources and neurons of the asked sizes, when they can be made at all
        let (Ok(src), Ok(model)) = (
            PoissonGroup::new(n_pre, 300.0 * Hz, 2),
            Lif::builder(n_post).r(100.0 * Mohm).build(),
        ) else {
            return Ok(());
        };
        let src = net.add_source(src);
        let post = net.add("P", model);
        let mut comm = Comm::new(n_pre, n_post, c, w).seed(seed);
        if procedural {
            comm = comm.procedural();
        }
        let proj = AlignPostProj::new(src, post)
            .comm(comm)
            .syn(Expon::builder(n_post).build().unwrap())
            .out(Coba::new(0.0 * mV).unwrap())
            .delay(d);
        if net.connect(proj).is_ok() {
            runs_or_refuses(&mut net)?;
        }
    }

    #[test]
    fn inputs_and_sources(
        wave in any_waveform(),
        rate in any_number(),
        num_input in prop_oneof![0..1000u64, Just(u64::MAX), Just(1u64 << 53)],
        freq in any_number(),
        weight in any_number(),
        times in prop::collection::vec((0..6usize, any_number()), 0..8),
        ou in (any_number(), any_number(), any_number(), prop::option::of(any_number())),
    ) {
        let mut net = net();
        let pop = net.add("P", Lif::builder(5).r(100.0 * Mohm).build().unwrap());
        if let Ok(input) = ExternalCurrent::new(pop, wave) {
            let _ = net.input(input);
        }
        let (mean, sigma, tau, duration) = ou;
        let process = NoiseProcess::OrnsteinUhlenbeck {
            mean: mean * nA,
            sigma: sigma * nA,
            tau: tau * ms,
        };
        if let Ok(noise) = NoiseCurrent::new(pop, process, duration.map(|d| d * ms), 6) {
            let _ = net.input(noise);
        }
        if let Ok(noise) = NoiseCurrent::wiener(pop, sigma * nA, 7) {
            let _ = net.input(noise);
        }
        if let Ok(g) = PoissonGroup::new(4, rate * Hz, 3) {
            net.add_source(g);
        }
        if let Ok(spec) = PoissonInput::spec(pop, "V", num_input, freq * Hz, weight * mV, 4) {
            let _ = net.poisson_input(spec);
        }
        let (idx, t): (Vec<usize>, Vec<Time>) = times.into_iter().map(|(i, t)| (i, t * ms)).unzip();
        if let Ok(g) = SpikeTimeGroup::new(5, &idx, &t) {
            net.add_source(g);
        }
        runs_or_refuses(&mut net)?;
    }

    #[test]
    fn initialisers_monitors_and_rates(
        v in any_init(),
        every in prop_oneof![0..20u64, Just(u64::MAX)],
        indices in prop::collection::vec(0..8usize, 0..6),
        bin in any_number(),
        from in any_number(),
        to in any_number(),
        dt in any_number(),
        duration in any_number(),
    ) {
        if let Ok(mut net) = Network::new(dt * ms) {
            // a run of any length with any dt: either refused or bounded by its step count
            net.set_potential_bound(None).unwrap();
            net.add("P", Lif::builder(3).build().unwrap());
            if let Ok(steps) = neurotype_network::delay::steps_of(
                "test", "duration", duration * ms, net.dt(), 10_000,
            ) {
                prop_assert!(steps <= 10_000);
                prop_assert!(net.run(duration * ms).is_ok());
            }
        }
        let Ok(model) = Lif::builder(6).v_init(v).r(100.0 * Mohm).build() else {
            return Ok(());
        };
        let mut net = net();
        let pop = net.add("P", model);
        let spikes = net.monitor_spikes(pop).unwrap();
        let rate = net.monitor_rate(pop).unwrap();
        let state = net.monitor_state(pop, "V", indices, every);
        runs_or_refuses(&mut net)?;
        let record = net.record(spikes).unwrap();
        if let Ok(r) = record.mean_rate(from * ms, to * ms) {
            prop_assert!(r.value.is_finite() && r.value >= 0.0);
        }
        if let Ok((t, hz)) = net.record(rate).unwrap().binned_hz(bin * ms) {
            prop_assert!(t.len() == hz.len() && hz.iter().all(|x| x.is_finite()));
        }
        if let Ok(id) = state {
            let r = net.record(id).unwrap();
            for k in 0..r.indices.len() {
                prop_assert!(r.trace_in(k, "mV").unwrap().iter().all(|x| x.is_finite()));
            }
        }
    }
}
