//! Pair STDP declared with `synapse!` (the DSL chapter's rule), next to the built-in `Stdp`:
//! the plastic network of Song, Miller & Abbott (2000), Poisson inputs onto LIF neurons
//! through conductance synapses, with either rule on its projection. Shared by the bit-identity
//! test (`tests/dsl_stdp.rs`) and the speed comparison (`benches/dsl_stdp.rs`).

use neurotype::prelude::*;

// ANCHOR: rule
synapse! {
    /// Pair-based STDP with additive, clipped updates (Song, Miller & Abbott 2000; BrainPy's
    /// `STDP_Song2000`).
    pub PairStdp {
        params {
            tau_pre: Time = 16.8 ms where > 0,
            tau_post: Time = 33.7 ms where > 0,
            a_plus: ElectricalConductance = 0.01 nS where >= 0,
            a_minus: ElectricalConductance = 0.0105 nS where >= 0,
            w_min: ElectricalConductance = 0.0 nS,
            w_max: ElectricalConductance = 1.0 nS where > w_min,
        }
        pre { x: Ratio = 0.0 }
        post { y: Ratio = 0.0 }
        weight w: ElectricalConductance;
        d(x)/dt = -x / tau_pre;
        d(y)/dt = -y / tau_post;
        on_pre { x += 1.0; w = clip(w - a_minus * y, w_min, w_max); }
        on_post { y += 1.0; w = clip(w + a_plus * x, w_min, w_max); }
    }
}
// ANCHOR_END: rule

/// Which rule the projection learns with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// `Stdp` (built in).
    Builtin,
    /// [`PairStdp`] (declared with `synapse!`).
    Dsl,
}

/// The experiment's maximum conductance.
pub fn g_max() -> ElectricalConductance {
    0.015 * mS
}

/// The network, its plastic projection and the spike monitor of its neurons.
pub struct PlasticNet {
    /// The network.
    pub net: Network,
    /// Its plastic projection.
    pub proj: ProjId,
    /// The spikes of its neurons.
    pub spikes: MonitorId<SpikeRecord>,
}

/// `n_in` Poisson inputs at 20 Hz onto `n_post` LIF neurons (all to all), learning with `rule`
/// (τ = 20 ms on both sides, A₋/A₊ = 1.05, weights in [0, g_max]).
pub fn song2000(n_in: usize, n_post: usize, seed: u64, rule: Rule) -> Result<PlasticNet, Report> {
    let g_max = g_max();
    let (a_plus, a_minus) = (0.005 * g_max, 0.00525 * g_max);
    let mut net = Network::new(0.1 * ms)?.seed(seed);
    let input = net.add_source(PoissonGroup::new(n_in, 20.0 * Hz, seed)?);
    let neurons = Lif::builder(n_post)
        .v_rest(-70.0 * mV)
        .v_reset(-60.0 * mV)
        .v_th(-54.0 * mV)
        .tau(20.0 * ms)
        .r(1.0 * kohm)
        .spk_reset(SpikeReset::Hard)
        .v_init(Init::Constant(-60.0 * mV))
        .build()?;
    let post = net.add("neurons", neurons);
    let proj = AlignPostProj::new(input, post)
        .comm(Comm::all_to_all(
            n_in,
            n_post,
            WeightInit::Uniform(0.0 * mS, g_max),
        ))
        .syn(Expon::builder(n_post).tau(5.0 * ms).build()?)
        .out(Coba::new(0.0 * mV)?);
    let proj = match rule {
        Rule::Builtin => proj.stdp(
            Stdp::builder(a_plus, a_minus)
                .tau_pre(20.0 * ms)
                .tau_post(20.0 * ms)
                .w_min(0.0 * mS)
                .w_max(g_max)
                .build()?,
        ),
        Rule::Dsl => proj.plasticity(
            PairStdp::builder()
                .tau_pre(20.0 * ms)
                .tau_post(20.0 * ms)
                .a_plus(a_plus)
                .a_minus(a_minus)
                .w_min(0.0 * mS)
                .w_max(g_max)
                .build()?,
        ),
    };
    let proj = net.connect(proj)?;
    let spikes = net.monitor_spikes(post)?;
    Ok(PlasticNet { net, proj, spikes })
}
