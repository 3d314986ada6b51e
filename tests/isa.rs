//! The hot loops are compiled for several instruction sets (`neurotype::models::isa`) and
//! chosen at run time; every version must give the same spikes and state, bit for bit.

use neurotype::models::isa::{self, Level};
use neurotype::prelude::*;
use neurotype_benches::networks;

/// Spike fingerprint and final membrane potentials of a short benchmark run.
fn run(name: &str) -> (u64, Vec<u64>) {
    let mut bench = networks::by_name(name, 400, 7).unwrap();
    bench.run(20.0 * ms).unwrap();
    let v = bench
        .net
        .populations()
        .flat_map(|p| {
            let vars = p.state_vars();
            let v = vars.iter().find(|v| v.name == "V").expect("a V column");
            v.raw
                .iter()
                .map(|&x| neurotype::units::bits(x))
                .collect::<Vec<_>>()
        })
        .collect();
    (bench.spike_fingerprint().unwrap(), v)
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
        let best = run(name);
        for level in [Level::Avx2, Level::Base] {
            let used = isa::cap(level);
            assert_eq!(run(name), best, "{name} on {used:?}");
        }
        isa::cap(Level::Avx512);
    }
    let best = per_element();
    assert!(best.0.len() > 100, "the per-element network spikes");
    for level in [Level::Avx2, Level::Base] {
        let used = isa::cap(level);
        assert_eq!(per_element(), best, "per-element parameters on {used:?}");
    }
    isa::cap(Level::Avx512);
}
