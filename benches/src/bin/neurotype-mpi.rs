//! The benchmark networks on MPI ranks: every rank builds the network, runs its part, and
//! rank 0 prints the spike fingerprint of the whole run (the same `spike_hash` as
//! `neurotype-bench` prints for one process), the slowest rank's simulation time, the time
//! spent in the spike exchange and every rank's memory (resident after the run, and peak).
//!
//! ```sh
//! cargo build --release -p neurotype-benches --features mpi --bin neurotype-mpi
//! mpirun -n 2 target/release/neurotype-mpi coba 4000 1.0 2007 [threads]
//! ```

use neurotype::network::ranks::mpi_ranks::MpiRanks;
use neurotype::network::ranks::mpi_ranks::mpi::traits::*;
use neurotype::prelude::*;
use neurotype_benches::networks as benchmarks;
use std::time::Instant;

/// A memory figure of this process in MiB (Linux `/proc/self/status`: `VmHWM` the peak,
/// `VmRSS` the current resident size), if it can be read.
fn memory_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() -> Result<(), neurotype::Report> {
    let (_universe, ranks) =
        MpiRanks::init().ok_or_else(|| neurotype::Report::msg("MPI was already initialised"))?;
    let world = ranks.world().duplicate();
    let (rank, size) = (world.rank(), world.size());
    let args: Vec<String> = std::env::args().skip(1).collect();
    let name = args.first().map_or("coba", String::as_str);
    let n: usize = args.get(1).map_or(Ok(4000), |s| s.parse())?;
    let duration_s: f64 = args.get(2).map_or(Ok(1.0), |s| s.parse())?;
    let seed: u64 = args.get(3).map_or(Ok(2007), |s| s.parse())?;
    let threads: usize = args.get(4).map_or(Ok(1), |s| s.parse())?;

    let start = Instant::now();
    // threads and ranks first: then each rank draws only the synapses onto its own neurons
    let net = benchmarks::network(seed)?.threads(threads)?.ranks(ranks);
    let mut bench = benchmarks::by_name_in(net, name, n, seed)?;
    let build_s = start.elapsed().as_secs_f64();
    let summary = bench.run(duration_s * second)?;
    let hash = bench.spike_fingerprint()?;

    // the slowest rank sets the pace; memory per rank
    let mut sims = vec![0.0f64; size as usize];
    world.all_gather_into(&summary.sim_s, &mut sims[..]);
    let mut mems = vec![0.0f64; size as usize];
    world.all_gather_into(&memory_mib("VmHWM:").unwrap_or(f64::NAN), &mut mems[..]);
    let mut held = vec![0.0f64; size as usize];
    world.all_gather_into(&memory_mib("VmRSS:").unwrap_or(f64::NAN), &mut held[..]);
    let exchange_s = bench
        .net
        .exchange_time()
        .map_or(f64::NAN, |d| d.as_secs_f64());
    let mut exchanges = vec![0.0f64; size as usize];
    world.all_gather_into(&exchange_s, &mut exchanges[..]);
    let synapse_mib = bench.net.synapse_bytes() as f64 / (1024.0 * 1024.0);
    let mut synapses = vec![0.0f64; size as usize];
    world.all_gather_into(&synapse_mib, &mut synapses[..]);
    let mut hashes = vec![0u64; size as usize];
    world.all_gather_into(&hash, &mut hashes[..]);
    if rank == 0 {
        let sim_s = sims.iter().copied().fold(0.0, f64::max);
        let agree = hashes.iter().all(|&h| h == hash);
        let mems: Vec<String> = mems.iter().map(|m| format!("{m:.0}")).collect();
        let held: Vec<String> = held.iter().map(|m| format!("{m:.0}")).collect();
        let synapses: Vec<String> = synapses.iter().map(|m| format!("{m:.0}")).collect();
        let steps = bench.net.step_index() as f64;
        let exchange_us = exchanges.iter().sum::<f64>() / f64::from(size) / steps * 1e6;
        println!(
            "{name} N={n} {size} rank(s) x {threads} thread(s) {duration_s} s: {:.4} s per simulated second, {} spikes, exchange {exchange_us:.2} µs per step (mean over ranks), synapse storage MiB per rank [{}], resident MiB per rank after the run [{}] (peak [{}]), ranks agree: {agree}",
            sim_s / duration_s,
            summary.spikes,
            synapses.join(", "),
            held.join(", "),
            mems.join(", ")
        );
        println!(
            "RESULT {{\"sim\": \"neurotype-mpi\", \"net\": \"{}\", \"n\": {n}, \"ranks\": {size}, \"threads\": {threads}, \"duration\": {duration_s}, \"build_s\": {build_s:.6}, \"sim_s\": {sim_s:.6}, \"spikes\": {}, \"exchange_us_per_step\": {exchange_us:.3}, \"synapse_mib\": [{}], \"rss_mib\": [{}], \"peak_mib\": [{}], \"spike_hash\": \"{hash:016x}\", \"ranks_agree\": {agree}}}",
            bench.name,
            summary.spikes,
            synapses.join(", "),
            held.join(", "),
            mems.join(", ")
        );
    }
    Ok(())
}
