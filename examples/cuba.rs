//! The CUBA benchmark network (Brette et al. 2007, benchmark 2; Brian2's CUBA example),
//! built exactly as the shared benchmark specification `../shared/bench/README.md` specifies
//! (see `neurotype_benches::networks::cuba`).
//!
//! Writes `output/cuba_raster.png` and `output/cuba_spikes.npy` and prints the rate and the
//! wall time.
//!
//! `cargo run --release --example cuba [N] [duration_s] [seed] [--profile] [--threads=K]`

use neurotype::prelude::*;
use neurotype_benches::networks as benchmarks;

fn main() -> Result<(), Report> {
    // flags: `--profile` splits the run's time by stage, population and projection;
    // `--threads=K` runs on K threads
    let (flags, args): (Vec<String>, Vec<String>) =
        std::env::args().partition(|a| a.starts_with("--"));
    let n: usize = args.get(1).map_or(Ok(4000), |s| s.parse())?;
    let duration = args.get(2).map_or(Ok(1.0), |s| s.parse::<Real>())? * second;
    let seed: u64 = args.get(3).map_or(Ok(2007), |s| s.parse())?;

    // ANCHOR: run
    let mut bench = benchmarks::cuba(n, seed)?;
    bench.options(&flags)?;
    let summary = bench.run(duration)?;
    summary.print(bench.name, n, bench.net.n_synapses());
    // ANCHOR_END: run
    bench.save("output", &summary)?;
    println!("wrote output/cuba_raster.png and output/cuba_spikes.npy");
    Ok(())
}
