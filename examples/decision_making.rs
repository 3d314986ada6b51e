//! Wang (2002)'s decision-making network, as BrainPy's `decision_making_network.py` builds
//! it: 1600 excitatory LIF neurons in two selective groups A and B (15 % each) and a
//! non-selective group N, 400 inhibitory ones; AMPA (τ 2 ms) and NMDA (with Mg block)
//! recurrent excitation, stronger within a selective group (w₊ = 1.7) than across; GABA-A
//! inhibition (τ 5 ms); every neuron driven by its own 2400 Hz Poisson background; A and B
//! receive Poisson stimuli whose rates, redrawn every 50 ms around μ₀(1 ± c/100), favour A by
//! the coherence c. Slow NMDA reverberation and shared inhibition make A and B compete: one
//! wins and keeps firing after the stimulus (working memory), the other is silenced.
//!
//! `cargo run --release --example decision_making` runs one 3 s trial (c = 40.6 %, as
//! BrainPy's example) and writes `output/decision_making.png` (rasters of A and B, their rates,
//! the stimulus rates).
//! `cargo run --release --example decision_making -- sweep [trials]` runs `trials` trials (10
//! by default) at each of six coherences on all cores with `Sweep` and writes the psychometric
//! curve `output/decision_making_psychometric.png` (the share of trials A wins).

use neurotype::plot::{Panel, Series, line_figure, raster_records};
use neurotype::prelude::*;
use neurotype::units::{narrow, wide};

/// The trial's periods (ms): before, during and after the stimulus.
#[derive(Clone, Copy)]
struct Periods {
    pre: Real,
    stimulus: Real,
    delay: Real,
}

impl Periods {
    fn total(self) -> Real {
        self.pre + self.stimulus + self.delay
    }
}

/// One trial's network and what it records.
struct Trial {
    net: Network,
    spikes: [MonitorId<SpikeRecord>; 2],
    sizes: [usize; 2],
    stimulus: [Vec<f64>; 2],
}

// ANCHOR: network
/// The network for coherence `c` (%), with the trial's stimulus drawn from `seed`.
fn wang2002(c: f64, periods: Periods, seed: u64) -> Result<Trial, Report> {
    let (n_e, n_i, f) = (1600, 400, 0.15);
    let n_sel = (f * n_e as f64) as usize; // 240 in A and in B
    let n_n = n_e - 2 * n_sel; // 1120 non-selective
    let (w_pos, w_neg) = (1.7, 1.0 - f * (1.7 - 1.0) / (1.0 - f));
    let mut net = Network::new(0.1 * ms)?.seed(seed).progress(Progress::Never);

    // LIF with refractoriness: g_L 25 nS (E) and 20 nS (I), threshold −50 mV, reset −55 mV
    let lif = |n: usize, tau: Real, r: Real, tau_ref: Real| {
        LifRef::builder(n)
            .tau(tau * ms)
            .r(r * Mohm)
            .tau_ref(tau_ref * ms)
            .v_rest(-70.0 * mV)
            .v_reset(-55.0 * mV)
            .v_th(-50.0 * mV)
            .v_init(Init::Constant(-70.0 * mV))
            .build()
    };
    let a = net.add("A", lif(n_sel, 20.0, 40.0, 2.0)?);
    let b = net.add("B", lif(n_sel, 20.0, 40.0, 2.0)?);
    let n = net.add("N", lif(n_n, 20.0, 40.0, 2.0)?);
    let i = net.add("I", lif(n_i, 10.0, 50.0, 1.0)?);
    let excitatory = [(a, n_sel), (b, n_sel), (n, n_n)];

    // AMPA and GABA-A: exponential synapses on the postsynaptic side (merged per target)
    let expon = |n: usize, tau: Real| Expon::builder(n).tau(tau * ms).build();
    let delay = Delay::Time(0.5 * ms);
    macro_rules! ampa {
        ($pre:expr, $n_pre:expr, $post:expr, $n_post:expr, $g:expr, $tau:expr, $e:expr) => {
            net.connect(
                AlignPostProj::new($pre, $post)
                    .comm(Comm::all_to_all($n_pre, $n_post, narrow($g) * nS))
                    .syn(expon($n_post, $tau)?)
                    .out(Coba::new($e * mV)?)
                    .delay(delay.clone()),
            )?
        };
    }
    // NMDA: presynaptic kinetics (a 0.5 /ms, τ_decay 100 ms, τ_rise 2 ms) through g_max,
    // Mg block with [Mg²⁺] = 1 mM
    let mg = MgBlock::new(0.0 * mV, 1.0 * mM, 0.062 * per_mV, 3.57 * mM, 0.0 * mV)?;
    macro_rules! nmda {
        ($pre:expr, $n_pre:expr, $post:expr, $n_post:expr, $g:expr) => {
            net.connect(
                AlignPreProj::new($pre, $post)
                    .syn(legacy::Nmda::builder($n_pre).build()?)
                    .comm(Comm::all_to_all($n_pre, $n_post, narrow($g) * nS))
                    .out(mg.clone())
                    .delay(delay.clone()),
            )?
        };
    }
    // recurrent excitation: w₊ within A and within B, w₋ from N and across A and B
    let (g_ee_ampa, g_ei_ampa, g_ee_nmda, g_ei_nmda) = (0.05, 0.04, 0.165, 0.13);
    for (k, &(pre, n_pre)) in excitatory.iter().enumerate() {
        for (l, &(post, n_post)) in excitatory.iter().enumerate() {
            let w = match (k, l) {
                (_, 2) => 1.0,            // onto N
                (0, 0) | (1, 1) => w_pos, // within a selective group
                _ => w_neg,               // across groups, and from N
            };
            ampa!(pre, n_pre, post, n_post, g_ee_ampa * w, 2.0, 0.0);
            nmda!(pre, n_pre, post, n_post, g_ee_nmda * w);
        }
        ampa!(pre, n_pre, i, n_i, g_ei_ampa, 2.0, 0.0);
        nmda!(pre, n_pre, i, n_i, g_ei_nmda);
    }
    // inhibition
    for &(post, n_post) in &excitatory {
        ampa!(i, n_i, post, n_post, 1.3, 5.0, -70.0);
    }
    ampa!(i, n_i, i, n_i, 1.0, 5.0, -70.0);

    // 2400 Hz Poisson background, one source per neuron
    for (k, &(post, n_post)) in excitatory.iter().chain(&[(i, n_i)]).enumerate() {
        let noise = net.add_source(PoissonGroup::new(n_post, 2400.0 * Hz, seed * 8 + k as u64)?);
        let g = if k == 3 { 1.62 } else { 2.1 };
        net.connect(
            AlignPostProj::new(noise, post)
                .comm(Comm::one_to_one(n_post, g * nS))
                .syn(expon(n_post, 2.0)?)
                .out(Coba::new(0.0 * mV)?),
        )?;
    }

    // the stimulus: rates around μ₀(1 ± c/100), redrawn every 50 ms (σ 10 Hz, at least 0)
    let mu0 = 40.0;
    let mut draws = neurotype::models::rng::stream(seed, 0x5714);
    let mut stimulus = [Vec::new(), Vec::new()];
    for (side, (pop, sign)) in [(a, 1.0), (b, -1.0)].into_iter().enumerate() {
        let mut values = vec![0.0 * Hz];
        let mut durations = vec![periods.pre * ms];
        for _ in 0..(periods.stimulus / 50.0) as usize {
            let z: f64 = rand_distr::Distribution::sample(&rand_distr::StandardNormal, &mut draws);
            let rate = (mu0 * (1.0 + sign * c / 100.0) + 10.0 * z).max(0.0);
            stimulus[side].push(rate);
            values.push(narrow(rate) * Hz);
            durations.push(50.0 * ms);
        }
        let wave = Waveform::Section { values, durations };
        let source =
            PoissonGroup::new(n_sel, 0.0 * Hz, seed * 8 + 5 + side as u64)?.rate_over_time(wave)?;
        let source = net.add_source(source);
        net.connect(
            AlignPostProj::new(source, pop)
                .comm(Comm::one_to_one(n_sel, 2.1 * nS))
                .syn(expon(n_sel, 2.0)?)
                .out(Coba::new(0.0 * mV)?),
        )?;
    }
    let spikes = [net.monitor_spikes(a)?, net.monitor_spikes(b)?];
    Ok(Trial {
        net,
        spikes,
        sizes: [n_sel, n_sel],
        stimulus,
    })
}
// ANCHOR_END: network

/// Rates (Hz) of A and B over `[from, to)` ms.
fn rates(trial: &Trial, from: f64, to: f64) -> Result<[f64; 2], Report> {
    let mut out = [0.0; 2];
    for (k, rate) in out.iter_mut().enumerate() {
        let r = trial.net.record(trial.spikes[k])?;
        let count = r
            .times_ms()
            .iter()
            .filter(|&&t| t >= from && t < to)
            .count();
        *rate = count as f64 / (trial.sizes[k] as f64 * (to - from) / 1000.0);
    }
    Ok(out)
}

fn single_trial() -> Result<(), Report> {
    let periods = Periods {
        pre: 100.0,
        stimulus: 1000.0,
        delay: 1900.0,
    };
    // ANCHOR: trial
    let mut trial = wang2002(40.6, periods, 7)?;
    let stats = trial.net.run(periods.total() * ms)?;
    // ANCHOR_END: trial
    let (end, total) = (wide(periods.pre + periods.stimulus), wide(periods.total()));
    let during = rates(&trial, end - 200.0, end)?;
    let after = rates(&trial, total - 500.0, total)?;
    println!(
        "Wang (2002), c = 40.6 %: {:.0} ms simulated in {:.1} s, {} spikes",
        wide(periods.total()),
        stats.wall.as_secs_f64(),
        stats.spikes
    );
    println!(
        "  rates A / B: {:.1} / {:.1} Hz at the end of the stimulus, {:.1} / {:.1} Hz in the last 500 ms",
        during[0], during[1], after[0], after[1]
    );

    // rates in 50 ms bins, the stimulus rates, and the rasters of A and B
    let bins = (periods.total() / 50.0) as usize;
    let t: Vec<f64> = (0..bins).map(|k| 50.0 * k as f64 + 25.0).collect();
    let binned = |k: usize| -> Result<Vec<f64>, Report> {
        (0..bins)
            .map(|b| Ok(rates(&trial, 50.0 * b as f64, 50.0 * (b + 1) as f64)?[k]))
            .collect()
    };
    let (ra, rb) = (binned(0)?, binned(1)?);
    // the stimulus rates on the same 50 ms bins (0 before and after the stimulus)
    let stimulus_at = |k: usize| -> Vec<f64> {
        (0..bins)
            .map(|b| {
                let from = 50.0 * b as f64 - wide(periods.pre);
                let bin = (from / 50.0).floor();
                if from < 0.0 || bin as usize >= trial.stimulus[k].len() {
                    0.0
                } else {
                    trial.stimulus[k][bin as usize]
                }
            })
            .collect()
    };
    let (sa, sb) = (stimulus_at(0), stimulus_at(1));
    std::fs::create_dir_all("output")?;
    line_figure(
        "output/decision_making.png",
        &[
            Panel {
                title: "Selective populations (50 ms bins)",
                x_label: "Time (ms)",
                y_label: "Rate (Hz)",
                series: vec![
                    Series {
                        label: "A",
                        x: &t,
                        y: &ra,
                    },
                    Series {
                        label: "B",
                        x: &t,
                        y: &rb,
                    },
                ],
            },
            Panel {
                title: "Stimulus rates",
                x_label: "Time (ms)",
                y_label: "Rate (Hz)",
                series: vec![
                    Series {
                        label: "to A",
                        x: &t,
                        y: &sa,
                    },
                    Series {
                        label: "to B",
                        x: &t,
                        y: &sb,
                    },
                ],
            },
        ],
        900,
        300,
    )?;
    let (a, b) = (
        trial.net.record(trial.spikes[0])?,
        trial.net.record(trial.spikes[1])?,
    );
    raster_records(
        "output/decision_making_raster.png",
        "Selective groups A and B",
        &[("A", a), ("B", b)],
        wide(periods.total()),
        10.0,
    )?;
    println!("wrote output/decision_making.png and output/decision_making_raster.png");
    Ok(())
}

fn sweep(trials: usize) -> Result<(), Report> {
    let periods = Periods {
        pre: 100.0,
        stimulus: 1000.0,
        delay: 0.0,
    };
    let coherences = [0.0, 3.2, 6.4, 12.8, 25.6, 51.2];
    // ANCHOR: sweep
    let jobs: Vec<(f64, u64)> = coherences
        .iter()
        .flat_map(|&c| (0..trials as u64).map(move |s| (c, 1000 + s)))
        .collect();
    let outcomes = Sweep::all_cores().run(jobs, |(c, seed)| {
        let mut trial = wang2002(c, periods, seed).map_err(|e| e.to_string())?;
        trial
            .net
            .run(periods.total() * ms)
            .map_err(|e| e.to_string())?;
        // the winner: the higher rate over the last 200 ms of the stimulus
        let [ra, rb] = rates(&trial, wide(periods.total()) - 200.0, wide(periods.total()))
            .map_err(|e| e.to_string())?;
        Ok::<bool, String>(ra > rb)
    })?;
    // ANCHOR_END: sweep
    let mut shares = Vec::new();
    for (k, &c) in coherences.iter().enumerate() {
        let wins = outcomes[k * trials..(k + 1) * trials]
            .iter()
            .map(|o| o.clone().map(usize::from))
            .sum::<Result<usize, String>>()
            .map_err(std::io::Error::other)?;
        let share = wins as f64 / trials as f64;
        println!(
            "coherence {c:>5.1} %: A wins {wins}/{trials} ({:.0} %)",
            100.0 * share
        );
        shares.push(share);
    }
    std::fs::create_dir_all("output")?;
    line_figure(
        "output/decision_making_psychometric.png",
        &[Panel {
            title: "Psychometric curve",
            x_label: "coherence (%)",
            y_label: "share of trials A wins",
            series: vec![Series {
                label: "neurotype",
                x: &coherences,
                y: &shares,
            }],
        }],
        600,
        400,
    )?;
    println!("wrote output/decision_making_psychometric.png");
    Ok(())
}

fn main() -> Result<(), Report> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("sweep") => sweep(args.get(2).map_or(Ok(10), |s| s.parse())?),
        _ => single_trial(),
    }
}
