//! Seed 000, BrainPy's "Synapses" chapter: its "Basic Usage", "Synapse Lifecycle" and
//! "Accessing Synaptic State" code blocks, translated to neurotype block by block.
//!
//! The seed's blocks do not run as written: they wire a 100-element synapse (and, in the
//! lifecycle block, a 100 × 100 all-to-all layer) into a group of 50 neurons, and they leave
//! the LIF reset potential at its default of 0 mV, above the −50 mV threshold. neurotype
//! refuses each of these when the model or the projection is built, with an error that names
//! the values involved. This program prints those errors, then runs the corrected versions and
//! prints the synaptic state the seed reads.
//!
//! `cargo run --release --example seed_synapses`

use neurotype::prelude::*;

/// The seed's neurons with the two values it leaves out: V_reset and the initial V.
// ANCHOR: neurons
fn seed_neurons(n: usize) -> Result<Lif, InvalidParameter> {
    Lif::builder(n)
        .v_rest(-65.0 * mV)
        .v_th(-50.0 * mV)
        .tau(10.0 * ms)
        .v_reset(-65.0 * mV) // not in the seed: LIF's default is 0 mV
        .v_init(-65.0 * mV) // not in the seed: LIF's default is 0 mV
        .build()
}
// ANCHOR_END: neurons

/// `n` evenly spread values of a column, for printing.
fn sample(values: &[f64], n: usize) -> String {
    let step = (values.len() / n).max(1);
    let shown: Vec<String> = values
        .iter()
        .step_by(step)
        .take(n)
        .map(|v| format!("{v:.4}"))
        .collect();
    format!("[{}, ...]", shown.join(", "))
}

/// The synapse state `name` of the (only) align-post synapse onto `post`, in `unit`.
fn synapse_state<T>(net: &Network, post: Pop<T>, name: &str, unit: &str) -> Vec<f64> {
    let groups = net.synapse_states(post).unwrap();
    let var = groups[0]
        .iter()
        .find(|v| v.name == name)
        .expect("the synapse has this state");
    (0..var.raw.len())
        .map(|i| var.value_in(i, unit).expect("a conductance unit"))
        .collect()
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

fn main() -> Result<(), Report> {
    // =========================================================================================
    // Seed block "Basic Usage: Creating Synapses"
    // =========================================================================================
    println!("== Basic Usage ==");

    // ANCHOR: basic_lif
    // seed: brainstate.environ.set(dt=0.1 * u.ms)
    let mut net = Network::new(0.1 * ms)?.seed(2024);

    // seed: neurons = brainpy.state.LIF(50, V_rest=-65 * u.mV, V_th=-50 * u.mV, tau=10 * u.ms)
    let as_written = Lif::builder(50)
        .v_rest(-65.0 * mV)
        .v_th(-50.0 * mV)
        .tau(10.0 * ms)
        .build();
    if let Err(e) = &as_written {
        println!("LIF as the seed writes it is rejected:\n  {e}");
    }
    let neurons = net.add("neurons", seed_neurons(50)?);
    // ANCHOR_END: basic_lif

    // ANCHOR: basic_mismatch
    // The seed's projection has no presynaptic group; here 100 Poisson sources at 20 Hz play it.
    let pre = net.add_source(PoissonGroup::new(100, 20.0 * Hz, 7)?);

    // seed: syn = brainpy.state.Expon(in_size=100, tau=5. * u.ms)
    //       projection = brainpy.state.AlignPostProj(
    //           comm=brainstate.nn.EventFixedProb(100, 50, 0.1, 0.5),
    //           syn=syn, out=brainpy.state.CUBA(), post=neurons)
    // The seed's bare weight 0.5 is written 0.5 mS: a weight has the unit of the synapse's g.
    let syn = Expon::builder(100).tau(5.0 * ms).build()?;
    let projection = AlignPostProj::new(pre, neurons)
        .comm(Comm::event_fixed_prob(100, 50, 0.1, 0.5 * mS))
        .syn(syn)
        .out(Cuba::default());
    match net.connect(projection) {
        Err(e) => println!("AlignPostProj as the seed writes it is rejected:\n  {e}"),
        Ok(_) => unreachable!("a 100-element synapse cannot drive 50 neurons"),
    }
    // ANCHOR_END: basic_mismatch

    // ANCHOR: basic_fixed
    // Corrected: the synapse is aligned to the postsynaptic group, so it has 50 elements.
    let syn = Expon::builder(50).tau(5.0 * ms).build()?;
    net.connect(
        AlignPostProj::new(pre, neurons)
            .comm(Comm::event_fixed_prob(100, 50, 0.1, 0.5 * mS))
            .syn(syn)
            .out(Cuba::default()),
    )?;
    let post_spikes = net.monitor_spikes(neurons)?;
    let stats = net.run(200.0 * ms)?;
    // ANCHOR_END: basic_fixed
    let g = synapse_state(&net, neurons, "g", "mS");
    let v: Vec<f64> = net
        .population(neurons)?
        .model
        .potential()
        .iter()
        .map(|v| in_units(v, mV))
        .collect();
    println!(
        "corrected: {} synapses (100 sources x int(50 * 0.1) = 5 targets each)",
        net.n_synapses()
    );
    let n_post_spikes = net.record(post_spikes)?.len();
    println!(
        "after {} steps: {} spikes of the sources, {} of the LIF neurons, {} synaptic events",
        stats.steps,
        stats.spikes - n_post_spikes as u64,
        n_post_spikes,
        stats.events
    );
    println!(
        "  g (mS), 5 of 50: {}   mean {:.4}",
        sample(&g, 5),
        mean(&g)
    );
    println!(
        "  V (mV), 5 of 50: {}   mean {:.4}",
        sample(&v, 5),
        mean(&v)
    );

    // =========================================================================================
    // Seed block "Synapse Lifecycle"
    // =========================================================================================
    println!("\n== Synapse Lifecycle ==");

    // ANCHOR: lifecycle_mismatch
    let mut net = Network::new(0.1 * ms)?.seed(2024);
    let neurons = net.add("neurons", seed_neurons(50)?);
    // seed: presynaptic_spikes = jnp.zeros(100)  # 100 presynaptic neurons
    // A spike source whose spike times we choose: sources 0-9 fire at t = 0.
    let spike_times = vec![0.0 * ms; 10];
    let pre = net.add_source(SpikeTimeGroup::new(
        100,
        &(0..10).collect::<Vec<_>>(),
        &spike_times,
    )?);

    // seed: projection = brainpy.state.AlignPostProj(
    //           comm=brainstate.nn.AllToAll(100, 100, braintools.init.KaimingNormal(unit=u.mS)),
    //           syn=brainpy.state.Expon(100, tau=5.0),
    //           out=brainpy.state.COBA(E=0), post=neurons)
    // `tau=5.0` is a bare number: `.tau(5.0)` does not compile, a time is written `5.0 * ms`.
    let projection = AlignPostProj::new(pre, neurons)
        .comm(Comm::all_to_all(
            100,
            100,
            WeightInit::kaiming_normal(1.0 * mS),
        ))
        .syn(Expon::builder(100).tau(5.0 * ms).build()?)
        .out(Coba::new(0.0 * mV)?);
    if let Err(e) = net.connect(projection) {
        println!("AlignPostProj as the seed writes it is rejected:\n  {e}");
    }
    // ANCHOR_END: lifecycle_mismatch

    // ANCHOR: lifecycle_fixed
    // Corrected: 100 presynaptic neurons onto the 50 postsynaptic ones.
    net.connect(
        AlignPostProj::new(pre, neurons)
            .comm(Comm::all_to_all(
                100,
                50,
                WeightInit::kaiming_normal(1.0 * mS),
            ))
            .syn(Expon::builder(50).tau(5.0 * ms).build()?)
            .out(Coba::new(0.0 * mV)?),
    )?;

    // seed: projection(presynaptic_spikes)  # Updates synapse internally
    // Step 0: the projection delivers the spikes of the step before, of which there are none
    // (the seed's jnp.zeros(100)); sources 0-9 fire during this step.
    net.step();
    // seed: synaptic_current = projection.syn
    let g0 = synapse_state(&net, neurons, "g", "mS");

    net.step(); // step 1: the ten spikes of step 0 reach g (one step of latency)
    let g1 = synapse_state(&net, neurons, "g", "mS");
    // ANCHOR_END: lifecycle_fixed
    println!(
        "after step 0 (no spikes yet):   g (mS), 5 of 50: {}",
        sample(&g0, 5)
    );
    println!(
        "after step 1 (10 spikes in):    g (mS), 5 of 50: {}",
        sample(&g1, 5)
    );
    let (lo, hi) = g1
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    println!(
        "  Kaiming-normal weights have both signs: g from {lo:.4} to {hi:.4} mS, mean {:.4}",
        mean(&g1)
    );

    // =========================================================================================
    // Seed block "Accessing Synaptic State" (and "The Descriptor Pattern", which builds the same
    // projection with conn_num=0.1)
    // =========================================================================================
    println!("\n== Accessing Synaptic State ==");

    // ANCHOR: access
    let mut net = Network::new(0.1 * ms)?.seed(2024);
    // seed: demo_neurons = brainpy.state.LIF(100, V_rest=-65 * u.mV, V_th=-50 * u.mV, tau=10 * u.ms)
    let demo_neurons = net.add("demo_neurons", seed_neurons(100)?);
    let pre = net.add_source(PoissonGroup::new(100, 20.0 * Hz, 11)?);
    // seed: demo_projection = brainpy.state.AlignPostProj(
    //           comm=brainstate.nn.EventFixedProb(100, 100, conn_num=10, conn_weight=0.5 * u.mS),
    //           syn=brainpy.state.Expon(in_size=100, tau=5 * u.ms),
    //           out=brainpy.state.CUBA(), post=demo_neurons)
    let demo_projection = net.connect(
        AlignPostProj::new(pre, demo_neurons)
            .comm(Comm::event_fixed_prob(100, 100, 10, 0.5 * mS)) // an integer: 10 targets
            .syn(Expon::builder(100).tau(5.0 * ms).build()?)
            .out(Cuba::default()),
    )?;
    // seed: brainstate.nn.init_all_states(demo_projection)  (states exist once built)

    // seed: synaptic_var = demo_projection.syn.g.value  # Current value with units
    let states = net.synapse_states(demo_neurons)?;
    let g_var = states[0]
        .iter()
        .find(|v| v.name == "g")
        .expect("Expon has g");
    println!("g: {} values, unit {}", g_var.raw.len(), g_var.unit);
    // seed: g_array = u.get_magnitude(synaptic_var)  # Convert to array for plotting
    let g_array: Vec<f64> = (0..g_var.raw.len())
        .map(|i| g_var.value_in(i, "mS").expect("g is a conductance"))
        .collect();
    // ANCHOR_END: access
    println!(
        "after init:  g (mS), 5 of 100: {}   sum {}",
        sample(&g_array, 5),
        g_array.iter().sum::<f64>()
    );

    // ANCHOR: access_run
    // BrainPy's `monitors=['syn.g']`: g of all 100 neurons after every step
    let g_monitor = net.monitor_projection(demo_projection, "g", (0..100).collect(), 1)?;
    net.run(600.0 * ms)?;
    let record = net.record(g_monitor)?; // rows of 100 values, in record.unit
    // ANCHOR_END: access_run
    let g_array = synapse_state(&net, demo_neurons, "g", "mS");
    println!(
        "after 600 ms of 20 Hz input: g (mS), 5 of 100: {}   mean {:.4}",
        sample(&g_array, 5),
        mean(&g_array)
    );
    // The mean over neurons at one instant follows the few spikes of the last milliseconds;
    // averaged over time as well, it approaches in-degree x rate x weight x tau.
    let after_100_ms = 1000 * record.indices.len();
    println!(
        "g recorded: {} rows x {} neurons in {}; mean from 100 ms on {:.4} (10 x 20 Hz x 0.5 mS x 5 ms = {:.4})",
        record.steps.len(),
        record.indices.len(),
        record.unit,
        mean(&record.values()[after_100_ms..]),
        10.0 * 20.0 * 0.5 * 5e-3
    );
    Ok(())
}
