//! The three standard benchmark networks of the project's shared benchmark specification
//! (`../shared/bench/README.md` beside the repository; Brette et al. 2007): COBA, CUBA and
//! COBA-HH, built exactly as specified there, for the examples, the benchmarks and the
//! `neurotype-bench` binary.
//!
//! Common to all three: N neurons, the first 80 % excitatory (`ge += we`), the rest inhibitory
//! (`gi += wi`); independent Bernoulli(p) connections per ordered pair, p = 80/N (0.02 at
//! N = 4000), self-connections allowed; dt = 0.1 ms; a spike reaches its targets in the next
//! step.

use neurotype::plot::RasterGroup;
use neurotype::prelude::*;
use neurotype::units::{Real, narrow};

/// A built benchmark network.
pub struct Benchmark {
    /// `"COBA"`, `"CUBA"` or `"COBAHH"`.
    pub name: &'static str,
    /// Number of neurons.
    pub n: usize,
    /// The network.
    pub net: Network,
    /// Every spike of the population.
    pub spikes: MonitorId<SpikeRecord>,
}

/// How a benchmark's synapses are laid out: the specification's 80 per neuron, stored, by
/// default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    /// Expected synapses per neuron (p = synapses/N); the weights are scaled by 80/synapses,
    /// so that the mean synaptic drive is the specification's.
    pub synapses: f64,
    /// Procedural connectivity: nothing stored, rows drawn again at each spike (the same
    /// synapses, the same spikes).
    pub procedural: bool,
    /// Also record V of every neuron at every step (to time a state monitor).
    pub record_v: bool,
}

impl Default for Shape {
    fn default() -> Self {
        Self {
            synapses: 80.0,
            procedural: false,
            record_v: false,
        }
    }
}

/// The excitatory neurons of a benchmark of `n`: the first 4n/5.
fn excitatory(n: usize) -> usize {
    n * 4 / 5
}

impl Shape {
    /// Excitatory count, connection probability and weight scale for `n` neurons.
    fn sizes(&self, n: usize) -> (usize, f64, Real) {
        (
            excitatory(n),
            self.synapses / n as f64,
            narrow(80.0 / self.synapses),
        )
    }

    /// `comm`, procedural when asked.
    fn comm<W: Unitful + PartialOrd>(&self, comm: Comm<W>) -> Comm<W> {
        if self.procedural {
            comm.procedural()
        } else {
            comm
        }
    }
}

// ANCHOR: coba
/// COBA (Vogels & Abbott 2005): `dv/dt = (ge(Ee − v) + gi(Ei − v) − (v − El) + I)/τm` with ge,
/// gi in units of g_L = 10 nS, i.e. a LIF with R = 1/g_L = 100 MΩ, exponential conductances
/// (τe 5 ms, τi 10 ms; 6 nS and 67 nS per spike; Ee 0 mV, Ei −80 mV) and I = 20 mV·g_L =
/// 200 pA. Vt −50 mV, Vr = El = −60 mV, τm 20 ms, refractory 5 ms (V held), forward Euler for
/// v as specified (the conductances decay exactly); v₀ ~ N(−55 mV, 5 mV).
pub fn coba_in(net: Network, n: usize, seed: u64) -> Result<Benchmark, NetworkError> {
    coba_shaped(net, n, seed, Shape::default())
}

/// [`coba_in`] with its synapses laid out as `shape` says.
pub fn coba_shaped(
    mut net: Network,
    n: usize,
    seed: u64,
    shape: Shape,
) -> Result<Benchmark, NetworkError> {
    let (n_exc, p, scale) = shape.sizes(n);
    let neurons = LifRef::builder(n)
        .r(100.0 * Mohm)
        .tau(20.0 * ms)
        .tau_ref(5.0 * ms)
        .v_rest(-60.0 * mV)
        .v_reset(-60.0 * mV)
        .v_th(-50.0 * mV)
        .spk_reset(SpikeReset::Hard)
        .method(Method::Euler)
        .v_init(Init::normal(-55.0 * mV, 5.0 * mV))
        .seed(seed)
        .build()?;
    let all = net.add("COBA", neurons);
    net.input(ExternalCurrent::constant(all, 200.0 * pA)?)?;
    net.connect(
        AlignPostProj::new(all.slice(0..n_exc)?, all)
            .comm(shape.comm(Comm::fixed_prob(n_exc, n, p, 6.0 * nS * scale)))
            .syn(Expon::builder(n).tau(5.0 * ms).build()?)
            .out(Coba::new(0.0 * mV)?),
    )?;
    net.connect(
        AlignPostProj::new(all.slice(n_exc..n)?, all)
            .comm(shape.comm(Comm::fixed_prob(n - n_exc, n, p, 67.0 * nS * scale)))
            .syn(Expon::builder(n).tau(10.0 * ms).build()?)
            .out(Coba::new(-80.0 * mV)?),
    )?;
    let spikes = net.monitor_spikes(all)?;
    if shape.record_v {
        net.monitor_state(all, "V", (0..n).collect(), 1)?;
    }
    Ok(Benchmark {
        name: "COBA",
        n,
        net,
        spikes,
    })
}
// ANCHOR_END: coba

// ANCHOR: cuba
/// CUBA (Brian2's `CUBA.py`): `dv/dt = (ge + gi − (v − El))/τm` with ge, gi voltages decaying
/// with τe 5 ms and τi 10 ms, jumps of 1.62 mV and −9 mV. As a LIF with R = 100 MΩ the jumps
/// are current jumps of 16.2 pA and −90 pA through current outputs. El −49 mV, Vt −50 mV,
/// Vr −60 mV, τm 20 ms, refractory 5 ms; v₀ ~ U(Vr, Vt). Exponential Euler (exact for v with
/// the synaptic current frozen over the step; Brian2's linear propagator also follows the
/// current's decay within the step).
pub fn cuba_in(net: Network, n: usize, seed: u64) -> Result<Benchmark, NetworkError> {
    cuba_shaped(net, n, seed, Shape::default())
}

/// [`cuba_in`] with its synapses laid out as `shape` says.
pub fn cuba_shaped(
    mut net: Network,
    n: usize,
    seed: u64,
    shape: Shape,
) -> Result<Benchmark, NetworkError> {
    let (n_exc, p, scale) = shape.sizes(n);
    let neurons = LifRef::builder(n)
        .r(100.0 * Mohm)
        .tau(20.0 * ms)
        .tau_ref(5.0 * ms)
        .v_rest(-49.0 * mV)
        .v_reset(-60.0 * mV)
        .v_th(-50.0 * mV)
        .spk_reset(SpikeReset::Hard)
        .v_init(Init::uniform(-60.0 * mV, -50.0 * mV))
        .seed(seed)
        .build()?;
    let all = net.add("CUBA", neurons);
    net.connect(
        AlignPostProj::new(all.slice(0..n_exc)?, all)
            .comm(shape.comm(Comm::fixed_prob(n_exc, n, p, 16.2 * pA * scale)))
            .syn(Expon::builder(n).tau(5.0 * ms).build()?)
            .out(SynapticCurrent),
    )?;
    net.connect(
        AlignPostProj::new(all.slice(n_exc..n)?, all)
            .comm(shape.comm(Comm::fixed_prob(n - n_exc, n, p, -90.0 * pA * scale)))
            .syn(Expon::builder(n).tau(10.0 * ms).build()?)
            .out(SynapticCurrent),
    )?;
    let spikes = net.monitor_spikes(all)?;
    if shape.record_v {
        net.monitor_state(all, "V", (0..n).collect(), 1)?;
    }
    Ok(Benchmark {
        name: "CUBA",
        n,
        net,
        spikes,
    })
}
// ANCHOR_END: cuba

// ANCHOR: coba_hh
/// COBA-HH (Brian2's `COBAHH.py`): Traub-Miles Hodgkin-Huxley neurons ([`TraubHh`]) with
/// exponential conductances (6 nS / 67 nS, τe 5 ms / τi 10 ms, Ee 0 mV, Ei −80 mV),
/// exponential Euler; v₀ = El + (5·N(0,1) − 5) mV, m = n = h = 0, ge₀ = (1.5·N(0,1) + 4)·10 nS,
/// gi₀ = (12·N(0,1) + 20)·10 nS.
pub fn coba_hh_in(net: Network, n: usize, seed: u64) -> Result<Benchmark, NetworkError> {
    coba_hh_shaped(net, n, seed, Shape::default())
}

/// [`coba_hh_in`] with its synapses laid out as `shape` says.
pub fn coba_hh_shaped(
    mut net: Network,
    n: usize,
    seed: u64,
    shape: Shape,
) -> Result<Benchmark, NetworkError> {
    let (n_exc, p, scale) = shape.sizes(n);
    let neurons = TraubHh::builder(n)
        .v_init(Init::normal(-65.0 * mV, 5.0 * mV))
        .seed(seed)
        .build()?;
    let all = net.add("COBAHH", neurons);
    net.connect(
        AlignPostProj::new(all.slice(0..n_exc)?, all)
            .comm(shape.comm(Comm::fixed_prob(n_exc, n, p, 6.0 * nS * scale)))
            .syn(
                Expon::builder(n)
                    .tau(5.0 * ms)
                    .g_init(Init::normal(40.0 * nS, 15.0 * nS))
                    .seed(seed ^ 1)
                    .build()?,
            )
            .out(Coba::new(0.0 * mV)?),
    )?;
    net.connect(
        AlignPostProj::new(all.slice(n_exc..n)?, all)
            .comm(shape.comm(Comm::fixed_prob(n - n_exc, n, p, 67.0 * nS * scale)))
            .syn(
                Expon::builder(n)
                    .tau(10.0 * ms)
                    .g_init(Init::normal(200.0 * nS, 120.0 * nS))
                    .seed(seed ^ 2)
                    .build()?,
            )
            .out(Coba::new(-80.0 * mV)?),
    )?;
    let spikes = net.monitor_spikes(all)?;
    if shape.record_v {
        net.monitor_state(all, "V", (0..n).collect(), 1)?;
    }
    Ok(Benchmark {
        name: "COBAHH",
        n,
        net,
        spikes,
    })
}
// ANCHOR_END: coba_hh

/// The benchmarks' network before anything is added to it: dt = 0.1 ms, seeded. Threads and
/// ranks are given to it here, before the populations and projections, so that each rank of
/// a distributed run draws only the synapses onto its own neurons.
pub fn network(seed: u64) -> Result<Network, NetworkError> {
    Ok(Network::new(0.1 * ms)?.seed(seed))
}

/// COBA on a fresh [`network`].
pub fn coba(n: usize, seed: u64) -> Result<Benchmark, NetworkError> {
    coba_in(network(seed)?, n, seed)
}

/// CUBA on a fresh [`network`].
pub fn cuba(n: usize, seed: u64) -> Result<Benchmark, NetworkError> {
    cuba_in(network(seed)?, n, seed)
}

/// COBA-HH on a fresh [`network`].
pub fn coba_hh(n: usize, seed: u64) -> Result<Benchmark, NetworkError> {
    coba_hh_in(network(seed)?, n, seed)
}

/// Builds a benchmark by name (`coba`, `cuba`, `coba_hh` / `cobahh`).
pub fn by_name(name: &str, n: usize, seed: u64) -> Result<Benchmark, NetworkError> {
    by_name_in(network(seed)?, name, n, seed)
}

/// Builds a benchmark by name in `net` (made by [`network`], then given threads or ranks).
pub fn by_name_in(
    net: Network,
    name: &str,
    n: usize,
    seed: u64,
) -> Result<Benchmark, NetworkError> {
    by_name_shaped(net, name, n, seed, Shape::default())
}

/// [`by_name_in`] with the synapses laid out as `shape` says.
pub fn by_name_shaped(
    net: Network,
    name: &str,
    n: usize,
    seed: u64,
    shape: Shape,
) -> Result<Benchmark, NetworkError> {
    match name.to_ascii_lowercase().as_str() {
        "coba" => coba_shaped(net, n, seed, shape),
        "cuba" => cuba_shaped(net, n, seed, shape),
        "coba_hh" | "cobahh" | "coba-hh" => coba_hh_shaped(net, n, seed, shape),
        other => Err(NetworkError::NotFound(format!(
            "unknown benchmark `{other}` (coba, cuba, coba_hh)"
        ))),
    }
}

/// What a benchmark run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Simulated time (s).
    pub duration_s: f64,
    /// Wall time of the simulation loop (s).
    pub sim_s: f64,
    /// Spikes.
    pub spikes: u64,
    /// Mean rate over neurons and time (Hz).
    pub rate_hz: f64,
    /// Synaptic events delivered per wall second.
    pub events_per_s: f64,
    /// Where the time went, when the network is profiled.
    pub profile: Option<Profile>,
}

impl Benchmark {
    /// Applies the examples' flags: `--profile` (split the run's time by stage, population and
    /// projection) and `--threads=K` (run on K threads: the same spikes, sooner).
    pub fn options(&mut self, flags: &[String]) -> Result<(), neurotype::Report> {
        for flag in flags {
            if flag == "--profile" {
                self.net.set_profile(true);
            } else if let Some(k) = flag.strip_prefix("--threads=") {
                self.net.set_threads(k.parse()?)?;
            } else {
                return Err(neurotype::Report::msg(format!(
                    "unknown flag `{flag}` (expected --profile or --threads=K)"
                )));
            }
        }
        Ok(())
    }

    /// Runs for `duration` and measures.
    pub fn run(&mut self, duration: Time) -> Result<Summary, NetworkError> {
        let start = self.net.t();
        let stats = self.net.run(duration)?;
        let record = self.net.record(self.spikes)?;
        let rate = record.mean_rate(start, start + duration)?;
        Ok(Summary {
            duration_s: in_units(duration, second),
            sim_s: stats.wall.as_secs_f64(),
            spikes: stats.spikes,
            rate_hz: in_units(rate, Hz),
            events_per_s: stats.events as f64 / stats.wall.as_secs_f64(),
            profile: stats.profile,
        })
    }

    /// Writes `<dir>/<name>_raster.png` (raster and population rate) and
    /// `<dir>/<name>_spikes.npy` (`[time_ms, neuron]` rows).
    pub fn save(&self, dir: &str, summary: &Summary) -> Result<(), neurotype::Report> {
        std::fs::create_dir_all(dir)?;
        let stem = format!("{dir}/{}", self.name.to_ascii_lowercase());
        let record = self.net.record(self.spikes)?;
        record.save_npy(format!("{stem}_spikes.npy"))?;
        // the first 4N/5 neurons are excitatory, the rest inhibitory: one colour each
        let n_exc = excitatory(self.n);
        let (mut e, mut i) = ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
        for (t, &k) in record.times_ms().into_iter().zip(&record.neurons) {
            let (times, neurons) = if (k as usize) < n_exc { &mut e } else { &mut i };
            times.push(t);
            neurons.push(if (k as usize) < n_exc {
                k
            } else {
                k - n_exc as u32
            });
        }
        fn group<'a>(
            label: &'a str,
            spikes: &'a (Vec<f64>, Vec<u32>),
            size: usize,
        ) -> RasterGroup<'a> {
            RasterGroup {
                label,
                times_ms: &spikes.0,
                neurons: &spikes.1,
                size,
            }
        }
        neurotype::plot::raster_groups(
            format!("{stem}_raster.png"),
            &format!(
                "{}, {} neurons: {:.1} Hz",
                self.name, self.n, summary.rate_hz
            ),
            &[group("E", &e, n_exc), group("I", &i, self.n - n_exc)],
            summary.duration_s * 1e3,
            5.0,
        )?;
        Ok(())
    }
}

/// FNV-1a over 64-bit words: a fingerprint of a spike train (and of final states), so two
/// runs can be compared bit for bit without keeping both.
pub fn fingerprint(words: impl IntoIterator<Item = u64>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for w in words {
        for b in w.to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

impl Benchmark {
    /// Fingerprint of every recorded spike, as (step, neuron) pairs in recording order.
    pub fn spike_fingerprint(&self) -> Result<u64, NetworkError> {
        let record = self.net.record(self.spikes)?;
        Ok(fingerprint(
            record
                .steps
                .iter()
                .zip(&record.neurons)
                .flat_map(|(&s, &i)| [s, u64::from(i)]),
        ))
    }
}

impl Summary {
    /// Prints the numbers for a reader.
    pub fn print(&self, name: &str, n: usize, synapses: usize) {
        println!(
            "{name}: N = {n}, {synapses} synapses, {} s simulated",
            self.duration_s
        );
        println!("  spikes                  {}", self.spikes);
        println!("  mean rate               {:.2} Hz", self.rate_hz);
        println!(
            "  wall time               {:.3} s ({:.3} s per simulated second)",
            self.sim_s,
            self.sim_s / self.duration_s
        );
        println!("  synaptic events/s       {:.3e}", self.events_per_s);
        if let Some(profile) = &self.profile {
            print!("{profile}");
        }
    }
}
