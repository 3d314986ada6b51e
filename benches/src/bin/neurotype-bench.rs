//! Runs the COBA, CUBA and COBA-HH benchmark networks (`neurotype_benches::networks`, specified in
//! the project's bench/README.md) and prints, per repetition, one human line and one
//! machine-readable line in the peers' format:
//!
//! ```text
//! RESULT {"sim": "neurotype", "net": "COBA", "n": 4000, "duration": 1.0, "rep": 0, "build_s": …,
//!         "sim_s": …, "spikes": …, "rate_hz": …, "events_per_s": …}
//! ```
//!
//! `sim_s` is the wall time of the simulation loop only, as the peers report it;
//! `bytes_per_synapse` is the synapse storage over the synapse count, `peak_mib` the
//! process's peak resident memory so far (Linux).
//!
//! ```sh
//! cargo run --release -p neurotype-benches --bin neurotype-bench -- [coba|cuba|coba_hh|all] [N] [duration_s] [reps] [seed] [threads] [stored|procedural] [synapses] [record]
//! ```
//!
//! Built with `--features f32`, every quantity is single precision (the line and `RESULT`
//! say `precision`).
//! `record` also records V of every neuron at every step (a state monitor's cost).
//! `threads` (default 1) is the number of threads the network runs on; the spikes (and
//! `spike_hash`) are the same for every thread count. `procedural` stores no synapses (each
//! spike's targets are drawn again; the same spikes as `stored`, the default); `synapses` is
//! the expected number per neuron (default 80, the specification's; weights scaled by
//! 80/synapses). With procedural connectivity `bytes_per_synapse` is 0 and the synapse count
//! the expected one.

use neurotype::prelude::*;
use neurotype_benches::networks as benchmarks;
use std::time::Instant;

/// The peak resident memory of this process in MiB (Linux `/proc/self/status`, `VmHWM`), if
/// it can be read.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Argument `k` as a switch: `words[0]` (the default when it is missing) is off, `words[1]` on.
fn switch(args: &[String], k: usize, words: [&str; 2]) -> Result<bool, neurotype::Report> {
    match args.get(k).map_or(words[0], String::as_str) {
        w if w == words[0] => Ok(false),
        w if w == words[1] => Ok(true),
        other => Err(neurotype::Report::msg(format!(
            "unknown argument `{other}` (expected `{}` or `{}`)",
            words[0], words[1]
        ))),
    }
}

fn main() -> Result<(), neurotype::Report> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which = args.first().map_or("all", String::as_str);
    let n: usize = args.get(1).map_or(Ok(4000), |s| s.parse())?;
    let duration_s: f64 = args.get(2).map_or(Ok(1.0), |s| s.parse())?;
    let reps: usize = args.get(3).map_or(Ok(3), |s| s.parse())?;
    let seed: u64 = args.get(4).map_or(Ok(2007), |s| s.parse())?;
    let threads: usize = args.get(5).map_or(Ok(1), |s| s.parse())?;
    // the float type of this build (cargo feature `f32`)
    let precision = if size_of::<neurotype::units::Real>() == 4 {
        "f32"
    } else {
        "f64"
    };
    let procedural = switch(&args, 6, ["stored", "procedural"])?;
    let synapses: f64 = args.get(7).map_or(Ok(80.0), |s| s.parse())?;
    // record: also record V of every neuron every step
    let record_v = switch(&args, 8, ["", "record"])?;
    let shape = benchmarks::Shape {
        synapses,
        procedural,
        record_v,
    };
    let names: Vec<&str> = match which {
        "all" => vec!["coba", "cuba", "coba_hh"],
        one => vec![one],
    };
    for name in names {
        for rep in 0..reps {
            let start = Instant::now();
            let seed = seed + rep as u64;
            let mut bench =
                benchmarks::by_name_shaped(benchmarks::network(seed)?, name, n, seed, shape)?;
            bench.net.set_threads(threads)?;
            // NEUROTYPE_CHECK_EVERY=k: blow-up check every k steps (0: off), to time its cost
            if let Some(k) = std::env::var("NEUROTYPE_CHECK_EVERY")
                .ok()
                .and_then(|k| k.parse().ok())
            {
                bench.net.check_finite_every(k);
            }
            // NEUROTYPE_SPREAD=measured|threads|caller: where the parts of a step run (to
            // time the choice the default makes)
            if let Ok(spread) = std::env::var("NEUROTYPE_SPREAD") {
                bench.net.set_spread(match spread.as_str() {
                    "measured" => neurotype::network::Spread::Measured,
                    "threads" => neurotype::network::Spread::Threads,
                    "caller" => neurotype::network::Spread::Caller,
                    other => {
                        return Err(neurotype::Report::msg(format!(
                            "NEUROTYPE_SPREAD={other}: expected measured, threads or caller"
                        )));
                    }
                });
            }
            // planning (the synapses cut by the threads' parts) is part of the build
            bench.net.prepare();
            let build_s = start.elapsed().as_secs_f64();
            let s = bench.run(neurotype::units::narrow(duration_s) * second)?;
            // synapse storage per synapse, and the process's peak so far (all repetitions)
            let per_synapse =
                bench.net.synapse_bytes() as f64 / bench.net.n_synapses().max(1) as f64;
            let peak = peak_mib().unwrap_or(f64::NAN);
            println!(
                "{:<7} N={n} {precision} {threads} thread(s){} {duration_s} s rep {rep}: {:.4} s per simulated second, {:.2} Hz, {} spikes, {:.3e} events/s, {per_synapse:.1} bytes per synapse, peak {peak:.0} MiB",
                bench.name,
                if procedural { " procedural" } else { "" },
                s.sim_s / s.duration_s,
                s.rate_hz,
                s.spikes,
                s.events_per_s
            );
            println!(
                "RESULT {{\"sim\": \"neurotype\", \"net\": \"{}\", \"n\": {n}, \"precision\": \"{precision}\", \"threads\": {threads}, \"procedural\": {procedural}, \"synapses_per_neuron\": {synapses}, \"duration\": {duration_s}, \"rep\": {rep}, \"build_s\": {build_s:.6}, \"sim_s\": {:.6}, \"spikes\": {}, \"rate_hz\": {:.4}, \"events_per_s\": {:.1}, \"bytes_per_synapse\": {per_synapse:.2}, \"peak_mib\": {peak:.1}, \"spike_hash\": \"{:016x}\"}}",
                bench.name,
                s.sim_s,
                s.spikes,
                s.rate_hz,
                s.events_per_s,
                bench.spike_fingerprint()?
            );
        }
    }
    Ok(())
}
