//! The hot loops are compiled for several instruction sets (`neurotype::models::isa`) and
//! chosen at run time; every version must give the same spikes and state, bit for bit.

use neurotype::models::isa::{self, Level};
use neurotype::prelude::*;
use neurotype_benches::networks;

/// The bits of every population's V.
fn v_bits(net: &Network) -> Vec<u64> {
    net.populations()
        .flat_map(|p| {
            let vars = p.state_vars();
            let v = vars.iter().find(|v| v.name == "V").expect("a V column");
            v.raw
                .iter()
                .map(|&x| neurotype::units::bits(x))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Spike fingerprint and final membrane potentials of a short benchmark run, with the
/// exponential synapses advanced in the neuron loop (`inline`) or by their own groups and
/// outputs.
fn run(name: &str, inline: bool) -> (u64, Vec<u64>) {
    let mut bench = networks::by_name(name, 400, 7).unwrap();
    bench.net.set_inline_synapses(inline);
    bench.run(20.0 * ms).unwrap();
    (bench.spike_fingerprint().unwrap(), v_bits(&bench.net))
}

/// Membrane potentials and open fractions after every classic synapse (kinetic AMPA, GABAa,
/// NMDA, BioNMDA, dual exponential, alpha, exponential) has driven a Hodgkin-Huxley neuron
/// for 60 ms; a LIF population behind exponential synapses with a τ per synapse and
/// short-term plasticity (never taken into the neuron loop); and one behind a COBA and a CUBA
/// exponential group, which its loop takes in when `inline` (both sum into the drive, so the
/// outputs' `i + g·E` are not exact).
fn synapse_groups(inline: bool) -> Vec<u64> {
    let mut net = Network::new(0.1 * ms)
        .unwrap()
        .progress(Progress::Never)
        .seed(9)
        .inline_synapses(inline);
    let hh = |net: &mut Network, name: &str| net.add(name, Hh::builder(2).build().unwrap());
    let pre = hh(&mut net, "pre");
    net.input(ExternalCurrent::constant(pre, 5.0 * uA).unwrap())
        .unwrap();
    let all = Connector::all_to_all;
    let coba = CobaFixedV { e: 0.0 * mV };
    let posts: Vec<_> = (0..7).map(|k| hh(&mut net, &format!("post{k}"))).collect();
    let projections = [
        net.connect(classic::ampa(pre, posts[0], all())).unwrap(),
        net.connect(classic::gabaa(pre, posts[1], all())).unwrap(),
        net.connect(classic::nmda(pre, posts[2], all())).unwrap(),
        net.connect(classic::bio_nmda(pre, posts[3], all()))
            .unwrap(),
        net.connect(classic::dual_exponential(pre, posts[4], all()).output(coba))
            .unwrap(),
        net.connect(classic::alpha(pre, posts[5], all()).output(coba))
            .unwrap(),
        net.connect(classic::exponential(pre, posts[6], all()).unwrap())
            .unwrap(),
    ];
    let lif = net.add(
        "LIF",
        Lif::builder(3)
            .tau(20.0 * ms)
            .v_th(1e3 * mV)
            .r(100.0 * Mohm)
            .build()
            .unwrap(),
    );
    let taus = vec![3.0 * ms, 5.0 * ms, 8.0 * ms];
    let stp = Stp::builder(2)
        .u(ratio(0.3))
        .tau_f(50.0 * ms)
        .tau_d(200.0 * ms)
        .build()
        .unwrap();
    net.connect(
        AlignPostProj::new(pre, lif)
            .comm(Comm::all_to_all(2, 3, 2.0 * nS))
            .syn(Expon::builder(3).tau(taus).build().unwrap())
            .out(Coba::new(0.0 * mV).unwrap())
            .stp(stp),
    )
    .unwrap();
    // τ of two steps: V follows R·I closely, so a last-bit difference of the input shows
    let lent = net.add(
        "LIF lent",
        Lif::builder(3)
            .tau(0.2 * ms)
            .v_th(1e3 * mV)
            .r(100.0 * Mohm)
            .build()
            .unwrap(),
    );
    net.connect(
        AlignPostProj::new(pre, lent)
            .comm(Comm::all_to_all(2, 3, 1.5 * nS))
            .syn(Expon::builder(3).tau(4.0 * ms).build().unwrap())
            .out(Coba::new(-80.0 * mV).unwrap()),
    )
    .unwrap();
    net.connect(
        AlignPostProj::new(pre, lent)
            .comm(Comm::all_to_all(2, 3, 0.7 * nS))
            .syn(Expon::builder(3).tau(6.0 * ms).build().unwrap())
            .out(Cuba::new(-3.3 * mV).unwrap()),
    )
    .unwrap();
    let v_lent = net.monitor_state(lent, "V", vec![0], 1).unwrap();
    let gs: Vec<_> = projections
        .iter()
        .map(|&p| net.monitor_projection(p, "g", vec![0, 1], 1).unwrap())
        .collect();
    net.run(60.0 * ms).unwrap();
    let mut bits = v_bits(&net);
    for g in gs {
        let r = net.record(g).unwrap();
        for k in 0..2 {
            let trace = r.trace(k).unwrap();
            assert!(trace.iter().any(|&x| x > 0.0), "every synapse opens");
            bits.extend(trace.iter().map(|&x| x.to_bits()));
        }
    }
    let v = net.record(v_lent).unwrap();
    let v = v.trace(0).unwrap();
    assert!(v.iter().any(|&x| x < 0.0), "the lent groups drive V");
    bits.extend(v.iter().map(|&x| x.to_bits()));
    bits
}

/// Spike times and V bits of a LIF population with a per-neuron τ and τ_ref (the loop that
/// gathers parameters per element) driven by a Poisson background.
fn per_element() -> (Vec<(u64, u32)>, Vec<u64>) {
    let n = 300;
    let taus: Vec<Time> = (0..n).map(|k| (10.0 + (k % 7) as Real) * ms).collect();
    let refs: Vec<Time> = (0..n).map(|k| (1.0 + (k % 3) as Real) * ms).collect();
    let lif = LifRef::builder(n)
        .r(100.0 * Mohm)
        .tau(taus)
        .tau_ref(refs)
        .v_rest(-60.0 * mV)
        .v_reset(-60.0 * mV)
        .v_th(-50.0 * mV)
        .v_init(Init::normal(-55.0 * mV, 5.0 * mV))
        .seed(3)
        .build()
        .unwrap();
    let mut net = Network::new(0.1 * ms).unwrap().seed(5);
    let pop = net.add("LIF", lif);
    net.input(ExternalCurrent::constant(pop, 210.0 * pA).unwrap())
        .unwrap();
    let spikes = net.monitor_spikes(pop).unwrap();
    net.run(50.0 * ms).unwrap();
    let record = net.record(spikes).unwrap();
    let trains = record
        .steps
        .iter()
        .copied()
        .zip(record.neurons.iter().copied())
        .collect();
    let vars = net.populations().next().unwrap().state_vars();
    let v = vars.iter().find(|v| v.name == "V").unwrap();
    (
        trains,
        v.raw.iter().map(|&x| neurotype::units::bits(x)).collect(),
    )
}

#[test]
fn every_instruction_set_gives_the_same_bits() {
    for name in ["coba", "cuba", "coba_hh"] {
        let best = run(name, true);
        assert_eq!(
            run(name, false),
            best,
            "{name} with its synapse groups apart"
        );
        for level in [Level::Avx2, Level::Base] {
            let used = isa::cap(level);
            assert_eq!(run(name, true), best, "{name} on {used:?}");
            assert_eq!(run(name, false), best, "{name} on {used:?}, groups apart");
        }
        isa::cap(Level::Avx512);
    }
    let best = synapse_groups(true);
    assert_eq!(synapse_groups(false), best, "synapse groups apart");
    for level in [Level::Avx2, Level::Base] {
        let used = isa::cap(level);
        assert_eq!(synapse_groups(true), best, "the synapse groups on {used:?}");
        assert_eq!(synapse_groups(false), best, "groups apart on {used:?}");
    }
    isa::cap(Level::Avx512);
    let best = per_element();
    assert!(best.0.len() > 100, "the per-element network spikes");
    for level in [Level::Avx2, Level::Base] {
        let used = isa::cap(level);
        assert_eq!(per_element(), best, "per-element parameters on {used:?}");
    }
    isa::cap(Level::Avx512);
}
