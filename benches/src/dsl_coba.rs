//! The COBA benchmark network with its neuron, and optionally its synapses, declared by the
//! equation DSL, next to the built-in one (`neurotype_benches::networks::coba`). Shared by the
//! `dsl_coba` bench and the `dsl_coba` example.

use neurotype::prelude::*;

// ANCHOR: neuron
neuron! {
    /// COBA's neuron (Vogels & Abbott 2005) as equations: a LIF with R = 1/g_L = 100 MΩ,
    /// τ = 20 ms, V_rest = V_reset = −60 mV, V_th = −50 mV, a hard reset and 5 ms of
    /// refractoriness. Its input is the sum of the COBA outputs `g·(E − V)` and the 200 pA bias.
    pub CobaLif {
        params {
            r: ElectricalResistance = 100.0 Mohm,
            tau: Time = 20.0 ms where > 0,
            v_rest: ElectricPotential = -60.0 mV,
            v_reset: ElectricPotential = -60.0 mV where < v_th,
            v_th: ElectricPotential = -50.0 mV,
        }
        state { v: ElectricPotential = v_rest }
        input i: ElectricCurrent;
        d(v)/dt = (-v + v_rest + r * i) / tau;
        spike v >= v_th;
        reset v = v_reset;
        refractory tau_ref: Time = 5.0 ms;
    }
}
// ANCHOR_END: neuron

// ANCHOR: synapse
synapse! {
    /// The built-in `Expon` as equations: g decays with τ and takes the increments of the
    /// step. Written `c * g` with a constant `c`, it is an exponential channel: with a shared
    /// τ the postsynaptic population advances it inside its own loop, as it does `Expon`.
    pub DslExpon {
        params { tau: Time = 8.0 ms where > 0 }
        state { g: ElectricalConductance = 0.0 mS }
        d(g)/dt = -1.0 / tau * g;
        on_pre g += w;
        output g;
    }
}
// ANCHOR_END: synapse

/// Which models a COBA network is built with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Variant {
    /// The built-in `LifRef` and `Expon` (exactly `neurotype_benches::networks::coba`).
    Builtin,
    /// [`CobaLif`] and the built-in `Expon`.
    DslNeuron,
    /// [`CobaLif`] and [`DslExpon`].
    DslNeuronAndSynapses,
    /// [`CobaLif`] and [`DslExpon`] with one τ per element: not an exponential channel, so
    /// the synapses step themselves (a test variant; not in [`Variant::ALL`]).
    DslNeuronAndPerElementSynapses,
}

impl Variant {
    /// Every variant, built-in first.
    pub const ALL: [Variant; 3] = [
        Variant::Builtin,
        Variant::DslNeuron,
        Variant::DslNeuronAndSynapses,
    ];

    /// A short description.
    pub fn label(self) -> &'static str {
        match self {
            Variant::Builtin => "built-in neuron and synapses",
            Variant::DslNeuron => "DSL neuron, built-in Expon",
            Variant::DslNeuronAndSynapses => "DSL neuron and DSL Expon",
            Variant::DslNeuronAndPerElementSynapses => "DSL neuron and per-element DSL Expon",
        }
    }
}

/// A built COBA network and its spike monitor.
pub struct CobaNet {
    /// The network.
    pub net: Network,
    /// Every spike of the population.
    pub spikes: MonitorId<SpikeRecord>,
}

/// COBA with `n` neurons: the built-in `LifRef` (`dsl = false`, exactly
/// `neurotype_benches::networks::coba`) or [`CobaLif`] (`dsl = true`), both with the built-in
/// `Expon`; see [`coba_with`].
pub fn coba(n: usize, seed: u64, dsl: bool) -> Result<CobaNet, NetworkError> {
    coba_with(
        n,
        seed,
        if dsl {
            Variant::DslNeuron
        } else {
            Variant::Builtin
        },
    )
}

/// COBA with `n` neurons and the models of `variant`; everything else identical (forward
/// Euler for V, v₀ ~ N(−55 mV, 5 mV), 80 % excitatory, p = 80/n, exponential synapses
/// τ 5 ms / 10 ms with 6 nS / 67 nS, COBA outputs at 0 mV / −80 mV, 200 pA bias).
pub fn coba_with(n: usize, seed: u64, variant: Variant) -> Result<CobaNet, NetworkError> {
    let (n_exc, p) = (n * 4 / 5, 80.0 / n as f64);
    let mut net = Network::new(0.1 * ms)?.seed(seed);
    let v_init = Init::normal(-55.0 * mV, 5.0 * mV);
    // the bias current and the two synapse groups, onto either population
    macro_rules! wire {
        ($all:expr, $syn:ident) => {
            wire!($all, $syn, 5.0 * ms, 10.0 * ms)
        };
        ($all:expr, $syn:ident, $tau_e:expr, $tau_i:expr) => {{
            let all = $all;
            net.input(ExternalCurrent::constant(all, 200.0 * pA)?)?;
            net.connect(
                AlignPostProj::new(all.slice(0..n_exc)?, all)
                    .comm(Comm::fixed_prob(n_exc, n, p, 6.0 * nS))
                    .syn($syn::builder(n).tau($tau_e).build()?)
                    .out(Coba::new(0.0 * mV)?),
            )?;
            net.connect(
                AlignPostProj::new(all.slice(n_exc..n)?, all)
                    .comm(Comm::fixed_prob(n - n_exc, n, p, 67.0 * nS))
                    .syn($syn::builder(n).tau($tau_i).build()?)
                    .out(Coba::new(-80.0 * mV)?),
            )?;
            net.monitor_spikes(all)?
        }};
    }
    let spikes = if variant != Variant::Builtin {
        let neurons = CobaLif::builder(n)
            .method(Method::Euler)
            .v_init(v_init)
            .seed(seed)
            .build()?;
        let all = net.add("COBA", neurons);
        match variant {
            Variant::DslNeuron => wire!(all, Expon),
            Variant::DslNeuronAndSynapses => wire!(all, DslExpon),
            _ => wire!(all, DslExpon, vec![5.0 * ms; n], vec![10.0 * ms; n]),
        }
    } else {
        let neurons = LifRef::builder(n)
            .r(100.0 * Mohm)
            .tau(20.0 * ms)
            .tau_ref(5.0 * ms)
            .v_rest(-60.0 * mV)
            .v_reset(-60.0 * mV)
            .v_th(-50.0 * mV)
            .spk_reset(SpikeReset::Hard)
            .method(Method::Euler)
            .v_init(v_init)
            .seed(seed)
            .build()?;
        wire!(net.add("COBA", neurons), Expon)
    };
    Ok(CobaNet { net, spikes })
}
