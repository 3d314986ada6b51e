//! A long run that survives a crash: the COBA network streams its spikes to disk in chunks and
//! saves a checkpoint every 200 ms. Half-way the process "dies" (the network is dropped);
//! a network built again by the same code loads the last checkpoint and finishes the run.
//! The streamed spikes then equal those of one uninterrupted run, spike for spike.
//!
//! `cargo run --release --example long_run`

use neurotype::network::stream;
use neurotype::prelude::*;
use neurotype_benches::networks as benchmarks;
use std::path::Path;

/// The COBA benchmark network (Vogels & Abbott 2005, as in Brian2's and BrainPy's examples)
/// with every spike monitored: the code a run and its resumption share.
fn build() -> Result<(Network, MonitorId<SpikeRecord>), Report> {
    let bench = benchmarks::by_name("coba", 4000, 2007)?;
    Ok((bench.net.progress(Progress::Never), bench.spikes))
}

fn main() -> Result<(), Report> {
    std::fs::create_dir_all("output")?;
    let (spike_file, checkpoint) = ("output/long_run_spikes.stream", "output/long_run.ckpt");
    for stale in [spike_file, checkpoint] {
        if Path::new(stale).exists() {
            std::fs::remove_file(stale)?;
        }
    }

    // ANCHOR: long_run
    let total = 1000.0 * ms;
    let (mut net, spikes) = build()?;
    // spikes go to disk every 50 ms; the monitor keeps only the chunk being filled
    net.stream_monitor(spikes, spike_file, 50.0 * ms)?;
    // every 200 ms the whole state is saved (written beside the file, then renamed)
    net.checkpoint_every(200.0 * ms, checkpoint)?;
    net.run(530.0 * ms)?;
    drop(net); // the process dies at 530 ms: its last checkpoint is the one of 400 ms

    // a new process builds the same network, streams to the same file, and resumes
    let (mut net, spikes) = build()?;
    net.stream_monitor(spikes, spike_file, 50.0 * ms)?;
    net.load_checkpoint(checkpoint)?;
    println!("resumed at t = {}", net.t().show());
    net.run(total - net.t())?;
    let resumed = stream::read_spikes(spike_file)?;
    // ANCHOR_END: long_run

    let (mut whole, spikes) = build()?;
    whole.run(total)?;
    let uninterrupted = whole.record(spikes)?;
    println!(
        "{} spikes streamed, {} in the uninterrupted run: {}",
        resumed.steps.len(),
        uninterrupted.steps.len(),
        if resumed.steps == uninterrupted.steps && resumed.neurons == uninterrupted.neurons {
            "identical"
        } else {
            "DIFFERENT"
        }
    );
    println!(
        "mean rate {:.2} Hz; checkpoint {} KiB",
        in_units(resumed.mean_rate(0.0 * ms, total)?, Hz),
        std::fs::metadata(checkpoint)?.len() / 1024
    );
    Ok(())
}
