//! Running in parallel: the COBA network on 1 and 2 threads (the same spikes, less wall
//! time), and a sweep of independent networks over seeds on all cores. MPI ranks are in the
//! book's chapter "Running in parallel" (`neurotype-mpi` under `mpirun`).
//!
//! `cargo run --release --example parallel`

use neurotype::prelude::*;
use neurotype_benches::networks;

fn main() -> Result<(), Report> {
    // ANCHOR: threads
    // the same network, seed and duration on 1 and 2 threads
    for threads in [1, 2] {
        let mut coba = networks::coba(4000, 2007)?;
        coba.net.set_threads(threads)?;
        let stats = coba.net.run(1000.0 * ms)?;
        println!(
            "COBA N=4000 on {threads} thread(s): {} spikes in {:.3} s, spike fingerprint {:016x}",
            stats.spikes,
            stats.wall.as_secs_f64(),
            coba.spike_fingerprint()?
        );
    }
    // ANCHOR_END: threads

    // ANCHOR: sweep
    // ten seeds of a 1000-neuron COBA network, one network per core at a time
    let seeds: Vec<u64> = (1..=10).collect();
    let rates = Sweep::all_cores().run(seeds, |seed| -> Result<f64, NetworkError> {
        let mut coba = networks::coba(1000, seed)?;
        let stats = coba.net.run(500.0 * ms)?;
        Ok(stats.spikes as f64 / 1000.0 / 0.5)
    })?;
    let rates: Vec<f64> = rates.into_iter().collect::<Result<_, _>>()?;
    let mean = rates.iter().sum::<f64>() / rates.len() as f64;
    let sd =
        (rates.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (rates.len() - 1) as f64).sqrt();
    println!("COBA N=1000 over 10 seeds: mean rate {mean:.2} Hz, sd {sd:.2} Hz");
    // ANCHOR_END: sweep
    Ok(())
}
