//! A tour of neurotype's projections: one small network per feature, each printing what it
//! shows. The book's "Projections" chapter includes the parts of this file.
//!
//! `cargo run --release --example projections_tour`

use neurotype::network::delay::{MAX_DELAY_STEPS, steps_of};
use neurotype::prelude::*;
use neurotype::units::narrow;

/// A LIF neuron at realistic scale: R = 100 MΩ, τ = 10 ms, rest and reset −65 mV, threshold
/// −50 mV.
fn cell(n: usize) -> Result<Lif, InvalidParameter> {
    Lif::builder(n)
        .r(100.0 * Mohm)
        .tau(10.0 * ms)
        .v_rest(-65.0 * mV)
        .v_reset(-65.0 * mV)
        .v_th(-50.0 * mV)
        .v_init(-65.0 * mV)
        .build()
}

/// V of neuron `i`, in mV.
fn v_of(net: &Network, pop: Pop<Lif>, i: usize) -> f64 {
    in_units(net.population(pop).unwrap().model.potential().get(i), mV)
}

/// g of neuron `i` in the `group`-th synapse state onto `post`, in nS.
fn g_of<T>(net: &Network, post: Pop<T>, group: usize, i: usize) -> f64 {
    let states = net.synapse_states(post).unwrap();
    let g = states[group].iter().find(|v| v.name == "g").expect("g");
    g.value_in(i, "nS").expect("a conductance")
}

fn main() -> Result<(), Report> {
    merging()?;
    step_order()?;
    delta()?;
    current()?;
    outputs()?;
    plasticity()?;
    classic_style()?;
    connectivity()?;
    weights()?;
    delays()?;
    Ok(())
}

fn merging() -> Result<(), Report> {
    println!("== AlignPostProj: merging ==");
    // ANCHOR: merge
    let mut net = Network::new(0.1 * ms)?;
    let post = net.add("post", cell(10)?);
    let a = net.add_source(PoissonGroup::new(20, 10.0 * Hz, 1)?);
    let b = net.add_source(PoissonGroup::new(30, 10.0 * Hz, 2)?);
    // two excitatory projections with the same synapse and output, different weights
    net.connect(
        AlignPostProj::new(a, post)
            .comm(Comm::fixed_prob(20, 10, 0.5, 1.0 * nS))
            .syn(Expon::builder(10).tau(5.0 * ms).build()?)
            .out(Coba::new(0.0 * mV)?),
    )?;
    net.connect(
        AlignPostProj::new(b, post)
            .comm(Comm::fixed_prob(30, 10, 0.5, 2.0 * nS))
            .syn(Expon::builder(10).tau(5.0 * ms).build()?)
            .out(Coba::new(0.0 * mV)?),
    )?;
    println!(
        "two projections, equal Expon and COBA: {} synapse state",
        net.n_synapse_groups()
    );
    // an inhibitory one: another time constant and reversal potential, so its own state
    net.connect(
        AlignPostProj::new(b, post)
            .comm(Comm::fixed_prob(30, 10, 0.5, 5.0 * nS))
            .syn(Expon::builder(10).tau(10.0 * ms).build()?)
            .out(Coba::new(-80.0 * mV)?),
    )?;
    println!(
        "plus one with tau 10 ms, E -80 mV:    {} synapse states",
        net.n_synapse_groups()
    );
    // ANCHOR_END: merge
    println!();
    Ok(())
}

fn step_order() -> Result<(), Report> {
    println!("== when a spike arrives ==");
    // ANCHOR: step_order
    let mut net = Network::new(0.1 * ms)?;
    let pre = net.add_source(SpikeTimeGroup::new(1, &[0], &[0.0 * ms])?); // fires in step 0
    let post = net.add("post", cell(1)?);
    net.connect(
        AlignPostProj::new(pre, post)
            .comm(Comm::all_to_all(1, 1, 10.0 * nS))
            .syn(Expon::builder(1).tau(5.0 * ms).build()?)
            .out(Coba::new(0.0 * mV)?),
    )?;
    for _ in 0..3 {
        let i = net.step_index();
        net.step();
        println!(
            "step {i}: pre spiked {:?}, g = {:.4} nS, V = {:.4} mV",
            net.any_population(pre)?.spiked(),
            g_of(&net, post, 0, 0),
            v_of(&net, post, 0)
        );
    }
    // ANCHOR_END: step_order
    println!();
    Ok(())
}

fn delta() -> Result<(), Report> {
    println!("== DeltaProj ==");
    // ANCHOR: delta
    let mut net = Network::new(0.1 * ms)?;
    let pre = net.add_source(SpikeTimeGroup::new(1, &[0], &[0.0 * ms])?);
    let post = net.add("post", cell(1)?);
    // the weight is what a spike adds to V: a voltage (for Lif, `<Lif as Neuron>::Jump`)
    net.connect(DeltaProj::new(pre, post).comm(Comm::all_to_all(1, 1, 2.0 * mV)))?;
    for _ in 0..3 {
        let i = net.step_index();
        net.step();
        println!("step {i}: V = {:.4} mV", v_of(&net, post, 0));
    }
    // ANCHOR_END: delta
    println!();
    Ok(())
}

fn current() -> Result<(), Report> {
    println!("== AlignPreProj (align-pre AMPA) ==");
    // ANCHOR: current
    let mut net = Network::new(0.1 * ms)?;
    let pre = net.add_source(SpikeTimeGroup::new(2, &[0, 1], &[0.0 * ms, 0.0 * ms])?);
    let post = net.add("post", cell(3)?);
    // AMPA is sized like the presynaptic group and takes its spikes; its open fractions go
    // through the weights (maximal conductances) to the COBA output of each target.
    let ampa = net.connect(
        AlignPreProj::new(pre, post)
            .syn(Ampa::builder(2).build()?)
            .comm(Comm::new(
                2,
                3,
                Connector::Pairs(vec![(0, 0), (0, 1), (1, 1)]),
                10.0 * nS,
            ))
            .out(Coba::new(0.0 * mV)?),
    )?;
    let open = net.monitor_projection(ampa, "g", vec![0], 1)?; // AMPA, presynaptic side
    let g_post = net.monitor_projection(ampa, "g_post", vec![0, 1, 2], 1)?;
    let v = net.monitor_state(post, "V", vec![0, 1, 2], 1)?;
    net.run(10.0 * ms)?;
    // ANCHOR_END: current
    let peak = |r: &StateRecord, k: usize| -> Result<f64, NetworkError> {
        Ok(r.trace(k)?.into_iter().fold(f64::MIN, f64::max))
    };
    println!(
        "AMPA open fraction peaks at {:.4}",
        peak(net.record(open)?, 0)?
    );
    let in_ns = |x: f64| in_units(narrow(x) * mS, nS); // the record holds mS (record.unit)
    for (k, name) in ["one synapse", "two synapses", "none"].iter().enumerate() {
        println!(
            "post {k} ({name:<12}): peak g {:.4} nS, peak V {:.4} mV",
            in_ns(peak(net.record(g_post)?, k)?),
            peak(net.record(v)?, k)?
        );
    }
    println!();
    Ok(())
}

fn outputs() -> Result<(), Report> {
    println!("== Mg2+ block ==");
    // ANCHOR: mg_block
    // BrainPy's defaults, typed: E 0 mV, cc_Mg 1.2 mM, alpha 0.062 /mV, beta 3.57 mM,
    // V_offset 0 mV
    let block = MgBlock::default();
    for v in [-80.0, -60.0, -40.0, -20.0, 0.0] {
        let open = block.unblocked(v * mV);
        println!("V = {v:>5} mV: unblocked fraction {:.4}", open.value);
    }
    // ANCHOR_END: mg_block
    // ANCHOR: nmda
    let mut net = Network::new(0.1 * ms)?;
    let pre = net.add_source(SpikeTimeGroup::new(1, &[0], &[0.0 * ms])?);
    let post = net.add("post", cell(1)?);
    let nmda = net.connect(
        AlignPreProj::new(pre, post)
            .syn(BioNmda::builder(1).build()?)
            .comm(Comm::all_to_all(1, 1, 10.0 * nS))
            .out(MgBlock::default()),
    )?;
    let g = net.monitor_projection(nmda, "g", vec![0], 1)?;
    let v = net.monitor_state(post, "V", vec![0], 1)?;
    net.run(200.0 * ms)?;
    // ANCHOR_END: nmda
    let peak = |r: &StateRecord| {
        let (k, x) = r
            .values()
            .iter()
            .enumerate()
            .fold(
                (0, f64::MIN),
                |best, (k, &x)| {
                    if x > best.1 { (k, x) } else { best }
                },
            );
        (x, r.times_ms()[k])
    };
    let (g_peak, g_t) = peak(net.record(g)?);
    let (v_peak, v_t) = peak(net.record(v)?);
    println!(
        "one spike through BioNMDA: open fraction peaks at {g_peak:.4} ({g_t:.1} ms), V at {v_peak:.4} mV ({v_t:.1} ms)"
    );
    println!();
    Ok(())
}

fn plasticity() -> Result<(), Report> {
    println!("== short-term plasticity on a projection ==");
    // ANCHOR: stp
    let mut net = Network::new(0.1 * ms)?;
    let times: Vec<Time> = (0..5).map(|k| 20.0 * k as Real * ms).collect();
    let pre = net.add_source(SpikeTimeGroup::new(1, &[0; 5], &times)?);
    // a neuron that barely leaks and never fires, so V sums the jumps
    let post = net.add(
        "post",
        Lif::builder(1).tau(1e9 * ms).v_th(1e3 * mV).build()?,
    );
    let depressing = Stp::builder(1)
        .u(ratio(0.5))
        .tau_f(50.0 * ms)
        .tau_d(750.0 * ms)
        .build()?;
    net.connect(
        DeltaProj::new(pre, post)
            .comm(Comm::all_to_all(1, 1, 1.0 * mV))
            .stp(depressing),
    )?;
    let mut before = 0.0;
    for k in 0..times.len() {
        net.run(20.0 * ms)?;
        let v = v_of(&net, post, 0);
        println!("spike {}: V jumps by {:.4} mV", k + 1, v - before);
        before = v;
    }
    // ANCHOR_END: stp
    println!();
    Ok(())
}

fn classic_style() -> Result<(), Report> {
    println!("== classic brainpy.synapses style ==");
    // ANCHOR: classic
    fn run(method: CompMethod) -> Result<(Vec<f64>, usize), Report> {
        let mut net = Network::new(0.1 * ms)?.seed(5);
        let pre = net.add_source(PoissonGroup::new(20, 40.0 * Hz, 3)?);
        let post = net.add("post", Hh::builder(5).v_init(-65.0 * mV).build()?);
        // brainpy.synapses.AMPA(pre, post, conn, output=COBA(E=0 mV), g_max=0.42 mS, ...)
        net.connect(classic::ampa(pre, post, Connector::fixed_prob(0.3)).comp_method(method))?;
        let v = net.monitor_state(post, "V", (0..5).collect(), 1)?;
        let spikes = net.monitor_spikes(post)?;
        net.run(200.0 * ms)?;
        Ok((net.record(v)?.values(), net.record(spikes)?.len()))
    }
    let (dense, dense_spikes) = run(CompMethod::Dense)?; // BrainPy's default for AMPA
    let (sparse, sparse_spikes) = run(CompMethod::Sparse)?;
    let diff = dense
        .iter()
        .zip(&sparse)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    println!("dense: {dense_spikes} spikes, sparse: {sparse_spikes} spikes, max |dV| {diff:e} mV");
    // ANCHOR_END: classic
    println!();
    Ok(())
}

fn connectivity() -> Result<(), Report> {
    println!("== connectivity (100 -> 100, seed 42) ==");
    // ANCHOR: connectivity
    let rules = [
        Connector::all_to_all(),
        Connector::AllToAll {
            include_self: false,
        },
        Connector::OneToOne,
        Connector::fixed_prob(0.1),
        Connector::event_fixed_prob(0.1),
        Connector::FixedPreNum {
            num: Count::Exactly(10),
            with_replacement: false,
            include_self: false,
        },
        Connector::FixedTotalNum {
            num: 1000,
            with_replacement: false,
        },
        Connector::Pairs(vec![(0, 1), (1, 2), (2, 0)]),
    ];
    println!(
        "{:<14} {:>8} {:>14} {:>14}",
        "rule", "synapses", "out-degree", "in-degree"
    );
    for rule in rules {
        let c = rule.build(100, 100, 42)?;
        let out: Vec<usize> = (0..c.n_pre()).map(|i| c.targets(i).len()).collect();
        let inn = c.in_degrees();
        let range = |d: &[usize]| {
            let (lo, hi) = (d.iter().min().unwrap(), d.iter().max().unwrap());
            format!("{lo}..={hi}")
        };
        println!(
            "{:<14} {:>8} {:>14} {:>14}",
            rule.name(),
            c.n_synapses(),
            range(&out),
            range(&inn)
        );
    }
    // ANCHOR_END: connectivity
    println!();
    Ok(())
}

fn weights() -> Result<(), Report> {
    println!("== weight initialisers (all-to-all 400 -> 100, in nS) ==");
    // ANCHOR: weights
    let inits = [
        ("Constant", WeightInit::Constant(1.0 * nS)),
        ("Uniform", WeightInit::Uniform(0.0 * nS, 2.0 * nS)),
        ("Normal", WeightInit::Normal(1.0 * nS, 0.2 * nS)),
        (
            "TruncatedNormal",
            WeightInit::TruncatedNormal {
                mean: 1.0 * nS,
                std: 1.0 * nS,
                low: 0.0 * nS,
                high: 2.0 * nS,
            },
        ),
        (
            "LogNormal",
            WeightInit::LogNormal {
                mu: 0.0,
                sigma: 0.5,
                unit: 1.0 * nS,
            },
        ),
        ("KaimingNormal", WeightInit::kaiming_normal(1.0 * nS)),
        ("XavierNormal", WeightInit::xavier_normal(1.0 * nS)),
    ];
    for (name, init) in inits {
        let built = Comm::all_to_all(400, 100, init).build(name, 9)?;
        let w: Vec<f64> = built.weights().map(|w| in_units(w, nS)).collect();
        let mean = w.iter().sum::<f64>() / w.len() as f64;
        let std = (w.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / w.len() as f64).sqrt();
        let stored = match built.homogeneous() {
            Some(_) => "once",
            None => "per synapse",
        };
        println!("{name:<16} mean {mean:>7.4}  std {std:.4}  stored {stored}");
    }
    // ANCHOR_END: weights
    println!();
    Ok(())
}

fn delays() -> Result<(), Report> {
    println!("== delays ==");
    // ANCHOR: delay_steps
    let dt = TimeStep::new(0.1 * ms)?;
    for d in [1.0 * ms, 0.3 * ms, 0.15 * ms, 0.25 * ms] {
        println!(
            "{} -> {} steps",
            d.show(),
            steps_of("delay", "delay", d, dt, MAX_DELAY_STEPS)?
        );
    }
    // ANCHOR_END: delay_steps
    // ANCHOR: delay_net
    let mut net = Network::new(0.1 * ms)?;
    let pre = net.add_source(SpikeTimeGroup::new(2, &[0, 1], &[0.0 * ms, 0.0 * ms])?);
    let post = net.add("post", cell(2)?);
    net.connect(
        AlignPostProj::new(pre, post)
            .comm(Comm::one_to_one(2, 10.0 * nS))
            .syn(Expon::builder(2).tau(5.0 * ms).build()?)
            .out(Coba::new(0.0 * mV)?)
            .delay(Delay::PerNeuronTime(vec![1.0 * ms, 2.5 * ms])),
    )?;
    let mut arrived = [None, None];
    while net.step_index() < 40 {
        let i = net.step_index();
        net.step();
        for (k, a) in arrived.iter_mut().enumerate() {
            if a.is_none() && g_of(&net, post, 0, k) > 0.0 {
                *a = Some(i);
            }
        }
    }
    println!("spikes of step 0 with delays 1 ms and 2.5 ms reach g in steps {arrived:?}");
    // ANCHOR_END: delay_net
    Ok(())
}
