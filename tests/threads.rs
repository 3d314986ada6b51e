//! Threads give the same bits as one: spikes and the whole final state (neurons, synapse
//! groups, refractoriness) for 1, 2, 3 and 4 threads, on the benchmark networks and on a
//! network that uses every kind of projection, delays, short-term plasticity and Poisson
//! input.

use neurotype::network::ranks::ThreadRanks;
use neurotype::prelude::*;
use neurotype_benches::networks;

/// Every stored number of every population and synapse group, as bits.
fn state_bits(net: &Network) -> Vec<u64> {
    let mut bits = Vec::new();
    for pop in net.populations() {
        for var in pop.state_vars() {
            bits.extend(var.raw.iter().map(|&x| neurotype::units::bits(x)));
        }
        for g in 0..pop.n_groups() {
            for var in pop.group_state_vars(g) {
                bits.extend(var.raw.iter().map(|&x| neurotype::units::bits(x)));
            }
        }
    }
    bits
}

/// (step, neuron) of every spike, and the final state.
fn outcome(net: &Network, spikes: MonitorId<SpikeRecord>) -> (Vec<(u64, u32)>, Vec<u64>) {
    let record = net.record(spikes).unwrap();
    let pairs = record
        .steps
        .iter()
        .copied()
        .zip(record.neurons.iter().copied());
    (pairs.collect(), state_bits(net))
}

#[test]
fn benchmark_networks_give_the_same_bits_on_any_thread_count() {
    for (name, n, ms_) in [
        ("coba", 800, 100.0),
        ("cuba", 800, 100.0),
        ("coba_hh", 400, 50.0),
    ] {
        let run = |threads: usize, spread: Spread, ms_: Real| {
            let mut bench = networks::by_name(name, n, 7).unwrap();
            bench.net.set_threads(threads).unwrap();
            bench.net.set_spread(spread);
            bench.net.run(ms_ * ms).unwrap();
            outcome(&bench.net, bench.spikes)
        };
        let one = run(1, Spread::Threads, ms_);
        assert!(one.0.len() > 10, "{name}: {} spikes", one.0.len());
        for threads in 2..=4 {
            let spread = Spread::Threads;
            assert!(
                run(threads, spread, ms_) == one,
                "{name} on {threads} threads"
            );
        }
        assert!(
            run(2, Spread::Caller, ms_) == one,
            "{name} on 2 threads, caller"
        );
        // measured: long enough for a trial (after its first 256 steps) and its verdict
        if name != "coba_hh" {
            let one = run(1, Spread::Threads, 150.0);
            let measured = run(2, Spread::Measured, 150.0);
            assert!(measured == one, "{name} on 2 threads, measured");
        }
    }
}

/// Procedural connectivity (nothing stored, rows drawn again at each spike) gives the stored
/// network's spikes and final state, bit for bit, on any thread count and on ranks.
#[test]
fn procedural_connectivity_gives_the_stored_networks_bits() {
    for (name, n, ms_) in [("coba", 800, 100.0), ("cuba", 800, 100.0)] {
        let run = |procedural: bool, threads: usize, ranks: Option<ThreadRanks>| {
            let shape = networks::Shape {
                procedural,
                ..Default::default()
            };
            let mut net = networks::network(7).unwrap();
            if let Some(ranks) = ranks {
                net.set_ranks(ranks);
            }
            let mut bench = networks::by_name_shaped(net, name, n, 7, shape).unwrap();
            bench.net.set_threads(threads).unwrap();
            assert_eq!(bench.net.synapse_bytes() == 0, procedural);
            bench.net.run(ms_ * ms).unwrap();
            let spikes = bench.net.record(bench.spikes).unwrap();
            (spikes.steps.clone(), spikes.neurons.clone())
        };
        let stored = run(false, 1, None);
        assert!(stored.0.len() > 10, "{name}: {} spikes", stored.0.len());
        for threads in [1, 3] {
            assert!(
                run(true, threads, None) == stored,
                "{name} on {threads} threads"
            );
        }
        let ranks: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = ThreadRanks::new(2)
                .unwrap()
                .into_iter()
                .map(|r| scope.spawn(move || run(true, 1, Some(r))))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(ranks.iter().all(|r| *r == stored), "{name} on 2 ranks");
    }
}

/// Two LIF populations (sizes not multiples of the part alignment) with every kind of
/// projection: align-post Expon (inlined channels) with a delay and STP, align-post
/// DualExpon (a group the neurons do not inline), δ-jumps with per-neuron delays, an
/// align-pre AMPA; Poisson sources and a Poisson input.
fn mixed(threads: usize, spread: Spread) -> (Vec<(u64, u32)>, Vec<u64>) {
    let (net, spikes, _) = mixed_network(threads, spread, None, 0);
    (spikes, state_bits(&net))
}

/// [`mixed`] run on `threads` threads (spread as `spread`) as one of `ranks` (when given), with `delay` more steps
/// on every projection (then run in two runs whose lengths are not multiples of the exchange
/// interval): the network, its spikes, and the recorded V of 42 excitatory neurons (every
/// rank's part, once gathered).
fn mixed_network(
    threads: usize,
    spread: Spread,
    ranks: Option<ThreadRanks>,
    delay: usize,
) -> (Network, Vec<(u64, u32)>, Vec<f64>) {
    let (ne, ni) = (333, 97);
    let mut net = Network::new(0.1 * ms)
        .unwrap()
        .seed(11)
        .progress(Progress::Never);
    net.set_threads(threads).unwrap();
    net.set_spread(spread);
    if let Some(ranks) = ranks {
        net.set_ranks(ranks);
    }
    let lif = |n: usize| {
        Lif::builder(n)
            .v_rest(-60.0 * mV)
            .v_reset(-60.0 * mV)
            .v_th(-50.0 * mV)
            .tau(20.0 * ms)
            .r(100.0 * Mohm)
            .tau_ref(2.0 * ms)
            .v_init(Init::uniform(-60.0 * mV, -50.0 * mV))
            .build()
            .unwrap()
    };
    let e = net.add("E", lif(ne));
    let i = net.add("I", lif(ni));
    let src = net.add_source(PoissonGroup::new(200, 15.0 * Hz, 3).unwrap());
    net.connect(
        AlignPostProj::new(src, e)
            .comm(Comm::fixed_prob(200, ne, 0.2, 3.0 * nS))
            .syn(Expon::builder(ne).tau(5.0 * ms).build().unwrap())
            .out(Coba::new(0.0 * mV).unwrap())
            .delay(Delay::Steps(3 + delay))
            .stp(Stp::builder(200).build().unwrap()),
    )
    .unwrap();
    net.connect(
        AlignPostProj::new(e, i)
            .comm(Comm::fixed_prob(ne, ni, 0.1, 0.5 * nS))
            .syn(DualExpon::builder(ni).build().unwrap())
            .out(Coba::new(0.0 * mV).unwrap())
            .delay(Delay::Steps(delay)),
    )
    .unwrap();
    net.connect(
        AlignPostProj::new(i, e)
            .comm(Comm::fixed_prob(ni, ne, 0.2, 2.0 * nS))
            .syn(Expon::builder(ne).tau(10.0 * ms).build().unwrap())
            .out(Coba::new(-80.0 * mV).unwrap())
            .delay(Delay::Steps(delay)),
    )
    .unwrap();
    net.connect(
        DeltaProj::new(e, e)
            .comm(Comm::fixed_prob(ne, ne, 0.05, 0.3 * mV))
            .delay(Delay::PerNeuronSteps(
                (0..ne).map(|k| k % 5 + delay).collect(),
            )),
    )
    .unwrap();
    net.connect(
        AlignPreProj::new(e, i)
            .comm(Comm::fixed_prob(ne, ni, 0.1, 0.2 * nS))
            .syn(Ampa::builder(ne).build().unwrap())
            .out(Coba::new(0.0 * mV).unwrap())
            .delay(Delay::Steps(delay)),
    )
    .unwrap();
    net.poisson_input(PoissonInput::spec(i, "V", 200, 20.0 * Hz, 0.5 * mV, 5).unwrap())
        .unwrap();
    let spikes_e = net.monitor_spikes(e).unwrap();
    let spikes_i = net.monitor_spikes(i).unwrap();
    let v = net
        .monitor_state(e, "V", (0..ne).step_by(ne / 40).collect(), 5)
        .unwrap();
    if delay == 0 {
        net.run(150.0 * ms).unwrap();
    } else {
        net.run(70.1 * ms).unwrap();
        net.run(79.9 * ms).unwrap();
    }
    net.gather_monitors();
    let (mut spikes, _) = outcome(&net, spikes_e);
    spikes.extend(outcome(&net, spikes_i).0);
    let trace = net.record(v).unwrap().values();
    (net, spikes, trace)
}

#[test]
fn every_projection_kind_gives_the_same_bits_on_any_thread_count() {
    let one = mixed(1, Spread::Threads);
    assert!(one.0.len() > 50, "{} spikes", one.0.len());
    for threads in [2, 3, 4, 7] {
        assert!(mixed(threads, Spread::Threads) == one, "{threads} threads");
    }
    assert!(mixed(2, Spread::Caller) == one, "2 threads, caller");
}

/// Ranks (here threads of one process standing in for MPI processes) give the spikes of one
/// process, and the gathered state monitors hold what one process records.
#[test]
fn ranks_give_the_spikes_and_records_of_one_process() {
    ranks_match_one_process(0);
}

/// With delays of at least 3 steps, ranks exchange spikes once every 3 steps (NEST's
/// minimum-delay scheme) and still give the spikes of one process, also when a run ends
/// inside an exchange interval.
#[test]
fn ranks_exchanging_once_per_minimum_delay_give_the_spikes_of_one_process() {
    ranks_match_one_process(2);
}

fn ranks_match_one_process(delay: usize) {
    let (_, spikes, trace) = mixed_network(1, Spread::Threads, None, delay);
    assert!(spikes.len() > 50, "{} spikes", spikes.len());
    for (size, threads) in [(2, 1), (3, 2)] {
        let runs: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = ThreadRanks::new(size)
                .unwrap()
                .into_iter()
                .map(|ranks| {
                    scope.spawn(move || {
                        let (_, s, t) = mixed_network(threads, Spread::Threads, Some(ranks), delay);
                        (s, t)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (rank, (s, t)) in runs.iter().enumerate() {
            assert!(*s == spikes, "spikes of rank {rank} of {size}");
            assert!(
                t.iter()
                    .zip(&trace)
                    .all(|(a, b)| a.to_bits() == b.to_bits()),
                "V record of rank {rank} of {size}"
            );
        }
    }
}

#[test]
fn zero_threads_is_a_typed_error() {
    let err = Network::new(0.1 * ms).unwrap().threads(0).err().unwrap();
    let text = err.to_string();
    assert!(
        text.contains("threads") && text.contains("at least 1"),
        "{text}"
    );
}

#[test]
fn a_sweep_gives_each_network_the_result_it_gives_alone() {
    let run = |seed: u64| {
        let mut bench = networks::coba(400, seed).unwrap();
        bench.net.run(50.0 * ms).unwrap();
        bench.spike_fingerprint().unwrap()
    };
    let seeds: Vec<u64> = (1..=5).collect();
    let swept = Sweep::threads(3).unwrap().run(seeds.clone(), run).unwrap();
    let alone: Vec<u64> = seeds.into_iter().map(run).collect();
    assert_eq!(swept, alone);
    assert!(Sweep::threads(0).is_err());
}
