//! A long run that survives a crash: the COBA network streams its spikes to disk in chunks and
//! saves a checkpoint every 200 ms. Half-way the process "dies" (the network is dropped);
//! a network built again by the same code loads the last checkpoint and finishes the run.
//! The streamed spikes then equal those of one uninterrupted run, spike for spike.
//!
//! `cargo run --release --example long_run`

use neurotype::network::stream;
use neurotype::prelude::*;
use std::path::Path;

/// The COBA benchmark network (Vogels & Abbott 2005, as in Brian2's and BrainPy's examples)
/// with its excitatory spikes monitored: the code a run and its resumption share.
fn build() -> Result<(Network, MonitorId<SpikeRecord>), Report> {
    let n = 4000;
    let mut net = Network::new(0.1 * ms)?.seed(2007).progress(Progress::Never);
    let neurons = LifRef::builder(n)
        .r(100.0 * Mohm)
        .tau(20.0 * ms)
        .tau_ref(5.0 * ms)
        .v_rest(-60.0 * mV)
        .v_reset(-60.0 * mV)
        .v_th(-50.0 * mV)
        .method(Method::Euler)
        .v_init(Init::normal(-55.0 * mV, 5.0 * mV))
        .build()?;
    let all = net.add("COBA", neurons);
    net.input(ExternalCurrent::constant(all, 200.0 * pA)?)?;
    net.connect(
        AlignPostProj::new(all.slice(0..3200)?, all)
            .comm(Comm::fixed_prob(3200, n, 0.02, 6.0 * nS))
            .syn(Expon::builder(n).tau(5.0 * ms).build()?)
            .out(Coba::new(0.0 * mV)?),
    )?;
    net.connect(
        AlignPostProj::new(all.slice(3200..n)?, all)
            .comm(Comm::fixed_prob(800, n, 0.02, 67.0 * nS))
            .syn(Expon::builder(n).tau(10.0 * ms).build()?)
            .out(Coba::new(-80.0 * mV)?),
    )?;
    let spikes = net.monitor_spikes(all)?;
    Ok((net, spikes))
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
