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
            v.raw.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        })
        .collect();
    (bench.spike_fingerprint().unwrap(), v)
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
}
