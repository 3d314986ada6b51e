//! LIF and LIFRef: the leaky integrate-and-fire neuron, with or without a refractory period.

use crate::column::Column;
use crate::core_access;
use crate::drive::{InputAt, NeuronUnits};
use crate::macros::model_params;
use crate::neuron::{Neuron, SpikeReset, StepCtx};
use crate::options::{Options, RefractorySpec, model_builder, option_setters, refractory_setters};
use crate::param::Init;
use crate::refractory::Refractory;
use crate::stepper::{Dynamics, NeuronCore};
use neurotype_units::prelude::*;
use neurotype_units::{InvalidParameter, Raw};

use super::{LifState, lif_reset};

model_params! {
    /// Parameters of [`Lif`] (BrainPy's defaults).
    LifParams / LifScalar for LifBuilder {
        /// Membrane resistance R.
        r: ElectricalResistance = 1.0 * ohm, "R" where > 0;
        /// Membrane time constant τ.
        tau: Time = 5.0 * ms, "tau" where > 0;
        /// Threshold V_th.
        v_th: ElectricPotential = 1.0 * mV, "V_th";
        /// Reset potential V_reset.
        v_reset: ElectricPotential = 0.0 * mV, "V_reset" where < v_th;
        /// Resting potential V_rest.
        v_rest: ElectricPotential = 0.0 * mV, "V_rest";
    }
}

/// Leaky integrate-and-fire neuron (BrainPy `LIF`; with a refractory period, `LIFRef`).
///
/// ```text
/// τ dV/dt = −V + V_rest + R·I(V)
/// spike when V ≥ V_th; at the start of the next step V ← V − (V_th − V_reset) (soft)
/// or V ← V_reset (hard)
/// LIFRef: while t − t_spike < τ_ref, V stays at its post-reset value
/// ```
///
/// Defaults (BrainPy's): R = 1 Ω, τ = 5 ms, V_th = 1 mV, V_reset = V_rest = 0 mV, V₀ = 0 mV,
/// soft reset; LIFRef adds τ_ref = 5 ms. With the default R = 1 Ω, currents are in mA
/// (`R·I` in mV).
///
/// Arithmetic: the rate is `(−V + V_rest + R·I)·(1/τ)`, with 1/τ formed once per step when τ
/// is shared, where BrainPy divides by τ for each neuron. The two can differ in the last bit
/// of the rate (about a third of values do); the division was the slowest instruction of the
/// COBA and CUBA loops. The other LIF-family models (IF, ALIF, the synaptic LIFs) do the same.
///
/// ```
/// use neurotype_models::prelude::*;
/// let lif = Lif::builder(100)
///     .v_rest(-65.0 * mV)
///     .v_th(-50.0 * mV)
///     .v_reset(-65.0 * mV)
///     .tau(10.0 * ms)
///     .build()?;
/// assert_eq!(lif.len(), 100);
/// // a reset above threshold is refused before any simulation:
/// assert!(Lif::builder(1).v_th(-50.0 * mV).v_reset(0.0 * mV).build().is_err());
/// # Ok::<(), InvalidParameter>(())
/// ```
#[derive(Clone, Debug)]
pub struct Lif {
    core: NeuronCore<Lif>,
    v_init: Init<ElectricPotential>,
}

/// Builder of [`Lif`].
#[derive(Clone, Debug)]
pub struct LifBuilder {
    n: usize,
    params: LifParams,
    options: Options,
    v_init: Init<ElectricPotential>,
    refractory: RefractorySpec,
}

option_setters!(LifBuilder);
refractory_setters!(LifBuilder);

impl LifBuilder {
    /// Initial potential (default: constant 0 mV). BrainPy: `V_initializer`.
    pub fn v_init(mut self, init: impl Into<Init<ElectricPotential>>) -> Self {
        self.v_init = init.into();
        self
    }

    fn owner(&self) -> &'static str {
        self.refractory.owner("LIF", "LIFRef")
    }

    /// Validates and builds the population.
    pub fn build(self) -> Result<Lif, InvalidParameter> {
        let owner = self.owner();
        let n = self.n;
        let p = &self.params;
        p.check_shapes(owner, n)?;
        p.check_constraints(owner, n)?;
        self.v_init.check(owner, "V_initializer", n)?;
        let refractory = self.refractory.build(owner, n)?;
        let core = NeuronCore::new(
            n,
            self.params,
            self.options.reset,
            &self.options,
            refractory,
        );
        let mut lif = Lif {
            core,
            v_init: self.v_init,
        };
        lif.reset_state();
        Ok(lif)
    }
}

model_builder!(LifBuilder => Lif, owner(b) b.owner(), LifParams,
extra(b, name, text) {
    let owner = b.owner();
    b.refractory.set(owner, name, text)
});

impl Lif {
    /// A builder for `n` neurons with BrainPy's `LIF` defaults.
    pub fn builder(n: usize) -> LifBuilder {
        LifBuilder {
            n,
            params: LifParams::default(),
            options: Options::default(),
            v_init: Init::Constant(0.0 * mV),
            refractory: RefractorySpec::default(),
        }
    }

    /// The parameters.
    pub fn params(&self) -> &LifParams {
        &self.core.params
    }

    /// Refractory bookkeeping (LIFRef only).
    pub fn refractory(&self) -> Option<&Refractory> {
        self.core.refractory.as_ref()
    }

    /// The membrane potentials, mutable (to set a state by hand).
    pub fn potential_mut(&mut self) -> &mut Column<ElectricPotential> {
        &mut self.core.state.v
    }
}

impl Dynamics for Lif {
    type Params = LifScalar;
    type ParamSet = LifParams;
    type Config = SpikeReset;
    type State = ElectricPotential;
    type Columns = LifState;

    core_access!();

    #[inline(always)]
    fn potential(v: &ElectricPotential) -> ElectricPotential {
        *v
    }

    #[inline(always)]
    fn threshold(_c: &SpikeReset, p: &LifScalar, _ctx: &StepCtx, v: &ElectricPotential) -> bool {
        *v >= p.v_th
    }

    #[inline(always)]
    fn reset(
        reset: &SpikeReset,
        p: &LifScalar,
        _ctx: &StepCtx,
        v: ElectricPotential,
    ) -> ElectricPotential {
        lif_reset(v, true, p.v_th, p.v_reset, *reset)
    }

    #[inline(always)]
    fn derivatives<I: InputAt<Self>>(
        _c: &SpikeReset,
        p: &LifScalar,
        _ctx: &StepCtx,
        _t: Time,
        v: &ElectricPotential,
        input: &I,
        k: usize,
    ) -> (VoltageRate, Frequency) {
        let (input, g) = input.input_at(k, *v);
        let rate = p.tau.recip(); // once per chunk: see `Lif`'s documentation
        (
            p.r.mul_add(input, -*v + p.v_rest) * rate,
            -(ratio(1.0) + p.r * g) * rate,
        )
    }

    #[inline(always)]
    fn add_jump(v: ElectricPotential, jump: ElectricPotential) -> ElectricPotential {
        v + jump
    }

    #[inline(always)]
    fn shared_slope(_c: &SpikeReset, p: &LifScalar) -> Option<Frequency> {
        Some(-(ratio(1.0) + p.r * ElectricalConductance::from_raw(0.0)) * p.tau.recip())
    }
}

impl NeuronUnits for Lif {
    type Potential = ElectricPotential;
    type Input = ElectricCurrent;
    type Conductance = ElectricalConductance;
    type Jump = ElectricPotential;
}

impl Neuron for Lif {
    fn model_name(&self) -> &'static str {
        self.core.refractory.as_ref().map_or("LIF", |_| "LIFRef")
    }

    fn potential(&self) -> &Column<ElectricPotential> {
        &self.core.state.v
    }

    fn reset_state(&mut self) {
        let n = self.len();
        self.core.state.v = Column::from_raw(self.v_init.sample(n, &mut self.core.stream(0)));
        self.core.clear();
    }
}

/// BrainPy's `LIFRef`: [`Lif`] with a refractory period (default τ_ref = 5 ms).
pub struct LifRef;

impl LifRef {
    /// A builder for `n` neurons with BrainPy's `LIFRef` defaults.
    pub fn builder(n: usize) -> LifBuilder {
        Lif::builder(n).tau_ref(5.0 * ms)
    }
}
