//! The classic BrainPy 2.x synapse style, `brainpy.synapses.AMPA(pre, post, conn, output=COBA,
//! stp=None, comp_method='dense', g_max=0.42, delay_step=None, ...)`, with BrainPy's defaults.
//!
//! ```text
//! let syn = classic::ampa(pre, post, Connector::all_to_all());   // output COBA(E = 0 mV),
//! net.connect(syn)?;                                               // g_max 0.42 mS, dense
//! ```
//!
//! Each function returns a projection spec whose parts can be changed before it is connected:
//! `.output(..)`, `.no_output()`, `.stp(..)`, `.comp_method(..)`, `.g_max(..)`,
//! `.delay_step(..)`, and `.syn(|builder| ...)` for the synapse's own parameters.
//!
//! The classic outputs compute their current from the postsynaptic V of the start of the step
//! and add it as a fixed input ([`CobaFixedV`], [`MgBlockFixedV`], [`SynapticCurrent`]), as
//! BrainPy 2.x does. `DualExponClassic` and `Alpha` default to no output, as in BrainPy (their
//! conductance then reaches nobody; pass an output).

use crate::comm::{Comm, CompMethod};
use crate::connectivity::Connector;
use crate::delay::Delay;
use crate::error::NetworkError;
use crate::population::Pop;
use crate::projection::{
    AlignPostProj, AlignPreProj, DeltaProj, Installer, Projection, ProjectionSpec,
};
use crate::weights::WeightInit;
use crate::wiring::StdpWeight;
use neurotype_models::Neuron;
use neurotype_models::neuron::ModelBuilder;
use neurotype_models::synapses::legacy::{
    BioNmdaJoint, BioNmdaJointBuilder, DualExponClassic, DualExponClassicBuilder, Nmda, NmdaBuilder,
};
use neurotype_models::synapses::{
    Alpha, AlphaBuilder, Ampa, AmpaBuilder, CobaFixedV, EventSynapse, Expon, Gabaa, MgBlockFixedV,
    ShortTermPlasticity, Stdp, SynapticCurrent, SynapticOutput,
};
use neurotype_solvers::ClassicMethod;
use neurotype_units::Real;
use neurotype_units::prelude::*;

/// A classic align-pre synapse (`AMPA`, `GABAa`, `NMDA`, `BioNMDA`, `DualExponential`,
/// `Alpha`): a presynaptic synapse, `g_max` through the connectivity, an output.
pub struct ClassicProj<A, N: Neuron, B, O> {
    name: String,
    pre: Pop<A>,
    post: Pop<N>,
    conn: Connector,
    syn: B,
    out: Option<O>,
    stp: Option<ShortTermPlasticity>,
    stdp: Option<Stdp<N::Conductance>>,
    integrator: Option<ClassicMethod>,
    method: CompMethod,
    g_max: WeightInit<N::Conductance>,
    delay: Delay,
    seed: Option<u64>,
}

impl<A, N: Neuron, B, O> ClassicProj<A, N, B, O> {
    /// Replaces the output.
    pub fn output<O2>(self, out: O2) -> ClassicProj<A, N, B, O2> {
        ClassicProj {
            name: self.name,
            pre: self.pre,
            post: self.post,
            conn: self.conn,
            syn: self.syn,
            out: Some(out),
            stp: self.stp,
            stdp: self.stdp,
            integrator: self.integrator,
            method: self.method,
            g_max: self.g_max,
            delay: self.delay,
            seed: self.seed,
        }
    }

    /// No output: the conductance is computed and reaches nobody (BrainPy's `output=None`).
    pub fn no_output(mut self) -> Self {
        self.out = None;
        self
    }

    /// Short-term plasticity on the presynaptic spikes (BrainPy's `stp=`): the classic rules
    /// [`StpClassic`](neurotype_models::synapses::legacy::StpClassic) and
    /// [`StdClassic`](neurotype_models::synapses::legacy::StdClassic), or `brainpy.state`'s
    /// [`Stp`](neurotype_models::synapses::Stp) and [`Std`](neurotype_models::synapses::Std).
    pub fn stp(mut self, stp: impl Into<ShortTermPlasticity>) -> Self {
        self.stp = Some(stp.into());
        self
    }

    /// Spike-timing-dependent plasticity of `g_max` per synapse (BrainPy's `STDP_Song2000`
    /// with this synapse; see [`AlignPreProj::stdp`]). The weights are then stored sparse,
    /// one per synapse, whatever [`ClassicProj::comp_method`] says (the results are the same).
    pub fn stdp<W: StdpWeight<N::Conductance>>(mut self, rule: Stdp<W>) -> Self {
        self.stdp = Some(W::into_rule(rule));
        self
    }

    /// A name for messages and monitors (BrainPy's `name=`; the class name by default).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The synapse's integrator, BrainPy's `method=` (`"exp_auto"` by default; `"euler"`,
    /// `"rk2"` (Ralston's, as classic BrainPy), `"rk4"`, ...). The AMPA, GABAa, NMDA, BioNMDA,
    /// DualExponential and Alpha synapses take one.
    pub fn method(mut self, method: ClassicMethod) -> Self {
        self.integrator = Some(method);
        self
    }

    /// Dense or sparse computation (identical results).
    pub fn comp_method(mut self, method: CompMethod) -> Self {
        self.method = method;
        self
    }

    /// Maximal conductance: one value, or an initialiser per synapse.
    pub fn g_max(mut self, g_max: impl Into<WeightInit<N::Conductance>>) -> Self {
        self.g_max = g_max.into();
        self
    }

    /// Extra delay in steps (BrainPy's `delay_step`).
    pub fn delay_step(mut self, steps: usize) -> Self {
        self.delay = Delay::Steps(steps);
        self
    }

    /// Any delay.
    pub fn delay(mut self, delay: Delay) -> Self {
        self.delay = delay;
        self
    }

    /// Seed of the connectivity.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Changes the synapse's parameters through its builder, e.g.
    /// `.syn(|b| b.t(2.0 * mM))`.
    pub fn syn(mut self, f: impl FnOnce(B) -> B) -> Self {
        self.syn = f(self.syn);
        self
    }
}

impl<A: 'static, N, B, O> ProjectionSpec for ClassicProj<A, N, B, O>
where
    N: Neuron,
    B: ModelBuilder,
    B::Model: EventSynapse,
    O: SynapticOutput<N> + Send + Sync + 'static,
{
    fn install(self, net: Installer<'_>) -> Result<Box<dyn Projection>, NetworkError> {
        let builder = match self.integrator {
            Some(m) => self.syn.set("method", m.name())?,
            None => self.syn,
        };
        let syn = builder.build()?;
        let mut comm =
            Comm::<N::Conductance>::new(self.pre.len(), self.post.len(), self.conn, self.g_max);
        comm.method = match self.stdp {
            Some(_) => CompMethod::Sparse,
            None => self.method,
        };
        comm.seed = self.seed;
        let mut proj = AlignPreProj::new(self.pre, self.post)
            .name(self.name)
            .syn(syn)
            .comm(comm)
            .delay(self.delay);
        if let Some(stp) = self.stp {
            proj = proj.stp(stp);
        }
        if let Some(rule) = self.stdp {
            proj = proj.stdp(rule);
        }
        if let Some(out) = self.out {
            proj = proj.out(out);
        }
        proj.install(net)
    }
}

fn classic<A, N: Neuron, B, O>(
    name: &'static str,
    pre: Pop<A>,
    post: Pop<N>,
    conn: Connector,
    syn: B,
    out: Option<O>,
    g_max_ms: Real,
) -> ClassicProj<A, N, B, O> {
    ClassicProj {
        name: name.into(),
        pre,
        post,
        conn,
        syn,
        out,
        stp: None,
        stdp: None,
        integrator: None,
        method: CompMethod::Dense,
        g_max: WeightInit::Constant(N::Conductance::from_raw(g_max_ms)),
        delay: Delay::None,
        seed: None,
    }
}

/// `brainpy.synapses.AMPA`: AMPA kinetics (α 0.98 /(mM·ms), β 0.18 /ms, T 0.5 mM,
/// T_duration 0.5 ms) on the presynaptic side, `output=COBA(E=0 mV)`, `g_max=0.42 mS`,
/// dense.
pub fn ampa<A, N: Neuron<Potential = ElectricPotential, Conductance = ElectricalConductance>>(
    pre: Pop<A>,
    post: Pop<N>,
    conn: Connector,
) -> ClassicProj<A, N, AmpaBuilder, CobaFixedV> {
    let out = CobaFixedV { e: 0.0 * mV };
    classic(
        "AMPA",
        pre,
        post,
        conn,
        Ampa::builder(pre.len()),
        Some(out),
        0.42,
    )
}

/// `brainpy.synapses.GABAa`: GABAa kinetics (α 0.53, β 0.18, T 1 mM, T_duration 1 ms),
/// `output=COBA(E=−80 mV)`, `g_max=0.04 mS`, dense.
pub fn gabaa<A, N: Neuron<Potential = ElectricPotential, Conductance = ElectricalConductance>>(
    pre: Pop<A>,
    post: Pop<N>,
    conn: Connector,
) -> ClassicProj<A, N, AmpaBuilder, CobaFixedV> {
    let out = CobaFixedV { e: -80.0 * mV };
    classic(
        "GABAa",
        pre,
        post,
        conn,
        Gabaa::builder(pre.len()),
        Some(out),
        0.04,
    )
}

/// `brainpy.synapses.NMDA`: the phenomenological NMDA (τ_decay 100 ms, a 0.5 /ms,
/// τ_rise 2 ms), `output=MgBlock(E=0, α=0.062 /mV, β=3.57 mM, cc_Mg=1.2 mM)`,
/// `g_max=0.15 mS`, dense.
pub fn nmda<A, N: Neuron<Potential = ElectricPotential, Conductance = ElectricalConductance>>(
    pre: Pop<A>,
    post: Pop<N>,
    conn: Connector,
) -> ClassicProj<A, N, NmdaBuilder, MgBlockFixedV> {
    classic(
        "NMDA",
        pre,
        post,
        conn,
        Nmda::builder(pre.len()),
        Some(MgBlockFixedV::default()),
        0.15,
    )
}

/// `brainpy.synapses.BioNMDA`: second-order NMDA kinetics integrated jointly with old values,
/// `output=MgBlock(E=0)`, `g_max=0.15 mS`, dense.
pub fn bio_nmda<
    A,
    N: Neuron<Potential = ElectricPotential, Conductance = ElectricalConductance>,
>(
    pre: Pop<A>,
    post: Pop<N>,
    conn: Connector,
) -> ClassicProj<A, N, BioNmdaJointBuilder, MgBlockFixedV> {
    classic(
        "BioNMDA",
        pre,
        post,
        conn,
        BioNmdaJoint::builder(pre.len()),
        Some(MgBlockFixedV::default()),
        0.15,
    )
}

/// `brainpy.synapses.DualExponential`: τ_decay 10 ms, τ_rise 1 ms, normalised peak,
/// `g_max=1 mS`, dense, and — as in BrainPy — **no output** unless one is given.
pub fn dual_exponential<A, N: Neuron<Conductance = ElectricalConductance>>(
    pre: Pop<A>,
    post: Pop<N>,
    conn: Connector,
) -> ClassicProj<A, N, DualExponClassicBuilder, CobaFixedV<N::Potential>> {
    classic(
        "DualExponential",
        pre,
        post,
        conn,
        DualExponClassic::builder(pre.len()),
        None,
        1.0,
    )
}

/// `brainpy.synapses.Alpha`: τ_decay 10 ms, `g_max=1 mS`, dense, **no output** unless one is
/// given.
pub fn alpha<A, N: Neuron<Conductance = ElectricalConductance>>(
    pre: Pop<A>,
    post: Pop<N>,
    conn: Connector,
) -> ClassicProj<A, N, AlphaBuilder<Ratio>, CobaFixedV<N::Potential>> {
    classic(
        "Alpha",
        pre,
        post,
        conn,
        Alpha::<Ratio>::builder(pre.len()).tau(10.0 * ms),
        None,
        1.0,
    )
}

/// The projection [`exponential`] returns.
pub type ClassicExponential<A, N> =
    AlignPostProj<A, N, Expon<<N as neurotype_models::NeuronUnits>::Input>, SynapticCurrent>;

/// `brainpy.synapses.Exponential`: a postsynaptic exponential synapse (τ 8 ms) fed by
/// `comm(spike)`, `output=CUBA()` (the synaptic variable is a current added to the input),
/// `g_max` 1 in the model's current unit, sparse. Returns an [`AlignPostProj`] whose output
/// type is fixed; for conductances, build an `AlignPostProj` with a conductance `Expon` and a
/// [`Coba`](neurotype_models::synapses::Coba) output.
pub fn exponential<A, N: Neuron>(
    pre: Pop<A>,
    post: Pop<N>,
    conn: Connector,
) -> Result<ClassicExponential<A, N>, NetworkError>
where
    N::Input: neurotype_models::synapses::SynapticVariable,
{
    let one = N::Input::parse(&format!("1 {}", N::Input::canonical_symbol())).map_err(|e| {
        neurotype_units::InvalidParameter::new("Exponential", "g_max", "1", e.to_string())
    })?;
    Ok(AlignPostProj::new(pre, post)
        .name("Exponential")
        .comm(Comm::new(
            pre.len(),
            post.len(),
            conn,
            WeightInit::Constant(one),
        ))
        .syn(Expon::builder(post.len()).tau(8.0 * ms).build()?)
        .out(SynapticCurrent))
}

/// `brainpy.synapses.Delta`: each spike adds `g_max` (1 in the potential's unit by default)
/// to the postsynaptic potential when the synapse updates, before the neurons integrate the
/// step (classic BrainPy's timing, [`DeltaProj::before_integration`]). Returns a
/// [`DeltaProj`].
pub fn delta<A, N: Neuron>(
    pre: Pop<A>,
    post: Pop<N>,
    conn: Connector,
) -> Result<DeltaProj<A, N>, NetworkError> {
    let one = N::Jump::parse(&format!("1 {}", N::Jump::canonical_symbol())).map_err(|e| {
        neurotype_units::InvalidParameter::new("Delta", "g_max", "1", e.to_string())
    })?;
    Ok(DeltaProj::new(pre, post)
        .name("Delta")
        .comm(Comm::new(
            pre.len(),
            post.len(),
            conn,
            WeightInit::Constant(one),
        ))
        .before_integration())
}
