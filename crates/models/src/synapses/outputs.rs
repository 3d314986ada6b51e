//! Synaptic outputs: how a conductance becomes the current a neuron integrates.

use crate::column::Column;
use crate::drive::{Affine, Drive, MgBlockTerm, NeuronUnits};

use neurotype_units::prelude::*;
use neurotype_units::{InvalidParameter, check};

/// Turns one synaptic variable per postsynaptic neuron into input of the neuron's drive.
///
/// The variable is a conductance of the neuron's kind (`N::Conductance`) for conductance and
/// current-scaled outputs, or directly an input (`N::Input`) for [`SynapticCurrent`]; the output's
/// potentials are the neuron's (`N::Potential`). A COBA output with E in mV on a voltage-less
/// model, or a conductance fed to a model that integrates rates, does not compile.
#[diagnostic::on_unimplemented(
    message = "this output does not fit neuron `{N}` with this synapse's variable",
    label = "an output that cannot drive `{N}` with this synapse (check the unit of the weights given to `comm`)",
    note = "`Coba` and `Cuba` take the neuron's conductance as the synapse's variable and the neuron's potential as reversal or reference: for `Lif`, a synapse in nS and `Coba::new(0.0 * mV)`; FitzHugh-Nagumo and Hindmarsh-Rose have dimensionless potentials (`Coba::new(ratio(1.0))`)",
    note = "`MgBlock` needs a neuron whose potential is a voltage; `SynapticCurrent` needs a synapse whose variable is the neuron's input (a current)"
)]
pub trait SynapticOutput<N: NeuronUnits, G = <N as NeuronUnits>::Conductance> {
    /// Adds the current of `g` to `drive`, which the neuron evaluates at its own V. `v` is
    /// the postsynaptic potential at the start of the step (for outputs that evaluate their
    /// current explicitly, as classic BrainPy does); `writer` identifies who writes (an
    /// output that keeps a term of its own in the drive, the Mg²⁺ block, keys it by writer).
    fn apply(&self, g: &Column<G>, v: &Column<N::Potential>, drive: &mut Drive<N>, writer: Writer);

    /// When the output is affine and independent of V's history (COBA, CUBA, the current
    /// output): what it adds per unit of g, so a synapse can fuse its step with the output in
    /// one pass.
    fn affine(&self) -> Option<Affine> {
        None
    }

    /// Whether g is a conductance (COBA, Mg²⁺ block): then it cannot be negative, and a
    /// projection refuses negative weights.
    fn conductance(&self) -> bool {
        self.affine().is_some_and(|a| a.conductance)
    }
}

/// Who writes a population's drive: one synapse group or align-pre projection of that
/// population (numbered by the network as they are installed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Writer(pub usize);

/// Classic BrainPy's current output (`brainpy.synouts.CUBA()`): the synaptic variable *is* a
/// current, added to the input as it is.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SynapticCurrent;

#[diagnostic::do_not_recommend]
impl<N: NeuronUnits, G: Raw + Same<N::Input>> SynapticOutput<N, G> for SynapticCurrent {
    #[inline]
    fn apply(
        &self,
        g: &Column<G>,
        _v: &Column<N::Potential>,
        drive: &mut Drive<N>,
        _writer: Writer,
    ) {
        let i_syn = drive.i_syn_mut();
        for (i, &gk) in i_syn.raw_mut().iter_mut().zip(g.raw()) {
            *i += gk;
        }
    }

    fn affine(&self) -> Option<Affine> {
        Some(Affine {
            e: 1.0,
            conductance: false,
        })
    }
}

/// Conductance-based output (BrainPy `COBA`): `I = g·(E − V)`.
///
/// The current is evaluated where the neuron evaluates its inputs: inside the
/// exponential-Euler linearisation for LIF-like models (so g enters the Jacobian), at the
/// start-of-step V for Hodgkin-Huxley-like ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coba<V = ElectricPotential> {
    /// Reversal potential E.
    pub e: V,
}

impl<V: Unitful> Coba<V> {
    /// An output with reversal potential `e` (BrainPy requires it; there is no default).
    pub fn new(e: V) -> Result<Self, InvalidParameter> {
        check::finite("COBA", "E", e)?;
        Ok(Self { e })
    }
}

#[diagnostic::do_not_recommend]
impl<N, G, P> SynapticOutput<N, G> for Coba<P>
where
    N: NeuronUnits,
    G: Raw + Same<N::Conductance>,
    P: Copy + Same<N::Potential>,
{
    #[inline]
    fn apply(
        &self,
        g: &Column<G>,
        _v: &Column<N::Potential>,
        drive: &mut Drive<N>,
        _writer: Writer,
    ) {
        let e = self.e.same().raw();
        let (i_syn, g_syn) = drive.syn_mut(true);
        crate::isa::dispatch(
            #[inline(always)]
            || {
                for ((i, gs), &gk) in i_syn.raw_mut().iter_mut().zip(g_syn.raw_mut()).zip(g.raw()) {
                    *i = gk.mul_add(e, *i);
                    *gs += gk;
                }
            },
        );
    }

    fn affine(&self) -> Option<Affine> {
        Some(Affine {
            e: self.e.same().raw(),
            conductance: true,
        })
    }
}

/// Current-based output (BrainPy `CUBA`): `I = g·scale`, independent of V.
///
/// BrainPy's default scale is 1 V, which turns mS into mA (its LIF default R = 1 Ω makes
/// that 1 mV per mS).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cuba<V = ElectricPotential> {
    /// The voltage that converts conductance into current.
    pub scale: V,
}

impl Default for Cuba<ElectricPotential> {
    fn default() -> Self {
        Self { scale: 1.0 * volt }
    }
}

impl<V: Unitful> Cuba<V> {
    /// An output with the given scale.
    pub fn new(scale: V) -> Result<Self, InvalidParameter> {
        check::finite("CUBA", "scale", scale)?;
        Ok(Self { scale })
    }
}

#[diagnostic::do_not_recommend]
impl<N, G, P> SynapticOutput<N, G> for Cuba<P>
where
    N: NeuronUnits,
    G: Raw + Same<N::Conductance>,
    P: Copy + Same<N::Potential>,
{
    #[inline]
    fn apply(
        &self,
        g: &Column<G>,
        _v: &Column<N::Potential>,
        drive: &mut Drive<N>,
        _writer: Writer,
    ) {
        let scale = self.scale.same().raw();
        let i_syn = drive.i_syn_mut();
        crate::isa::dispatch(
            #[inline(always)]
            || {
                for (i, &gk) in i_syn.raw_mut().iter_mut().zip(g.raw()) {
                    *i = gk.mul_add(scale, *i);
                }
            },
        );
    }

    fn affine(&self) -> Option<Affine> {
        Some(Affine {
            e: self.scale.same().raw(),
            conductance: false,
        })
    }
}

/// Conductance-based output with a voltage-dependent Mg²⁺ block (BrainPy `MgBlock`):
///
/// ```text
/// I = g·(E − V) / (1 + (cc_Mg/β)·exp(α·(V_offset − V)))
/// ```
///
/// Every parameter is typed: α is per millivolt, cc_Mg and β are concentrations, so the
/// defaults work with V in mV — BrainPy's unitless defaults raise "exp requires a
/// dimensionless x" as soon as V carries a unit. Defaults: E = 0 mV, cc_Mg = 1.2 mM,
/// α = 0.062 /mV, β = 3.57 mM, V_offset = 0 mV.
#[derive(Clone, Debug, PartialEq)]
pub struct MgBlock {
    /// Reversal potential E.
    pub e: ElectricPotential,
    /// Extracellular magnesium concentration.
    pub cc_mg: MolarConcentration,
    /// Voltage sensitivity α.
    pub alpha: InverseVoltage,
    /// Magnesium dissociation constant β.
    pub beta: MolarConcentration,
    /// Voltage offset.
    pub v_offset: ElectricPotential,
}

impl Default for MgBlock {
    fn default() -> Self {
        Self {
            e: 0.0 * mV,
            cc_mg: 1.2 * mM,
            alpha: 0.062 * per_mV,
            beta: 3.57 * mM,
            v_offset: 0.0 * mV,
        }
    }
}

impl MgBlock {
    /// A block with explicit parameters (validated: concentrations ≥ 0, β > 0, all finite).
    pub fn new(
        e: ElectricPotential,
        cc_mg: MolarConcentration,
        alpha: InverseVoltage,
        beta: MolarConcentration,
        v_offset: ElectricPotential,
    ) -> Result<Self, InvalidParameter> {
        check::finite("MgBlock", "E", e)?;
        check::non_negative("MgBlock", "cc_Mg", cc_mg)?;
        check::finite("MgBlock", "alpha", alpha)?;
        check::positive("MgBlock", "beta", beta)?;
        check::finite("MgBlock", "V_offset", v_offset)?;
        Ok(Self {
            e,
            cc_mg,
            alpha,
            beta,
            v_offset,
        })
    }

    /// The blocked fraction's complement at `v`: `1/(1 + (cc_Mg/β)·exp(α·(V_offset − V)))`.
    pub fn unblocked(&self, v: ElectricPotential) -> Ratio {
        ratio(1.0) / (ratio(1.0) + (self.cc_mg / self.beta) * exp(self.alpha * (self.v_offset - v)))
    }
}

#[diagnostic::do_not_recommend]
impl<N, G> SynapticOutput<N, G> for MgBlock
where
    N: NeuronUnits<Potential = ElectricPotential>,
    G: Raw + Same<N::Conductance>,
{
    fn conductance(&self) -> bool {
        true
    }

    fn apply(
        &self,
        g: &Column<G>,
        _v: &Column<N::Potential>,
        drive: &mut Drive<N>,
        writer: Writer,
    ) {
        let terms = drive.mg_block_mut();
        let slot = match terms.iter().position(|t| t.writer == writer.0) {
            Some(k) => k,
            None => {
                terms.push(MgBlockTerm {
                    writer: writer.0,
                    g: Column::zeros(g.len()),
                    e: self.e,
                    mg_over_beta: (self.cc_mg / self.beta).value,
                    alpha: self.alpha.raw(),
                    v_offset: self.v_offset,
                });
                terms.len() - 1
            }
        };
        let term = &mut terms[slot];
        for (k, &gk) in g.raw().iter().enumerate() {
            term.g.raw_mut()[k] += gk;
        }
    }
}

/// Classic BrainPy's conductance output (`brainpy.synouts.COBA`): `I = g·(E − V)` with the V of
/// the start of the step, added as a fixed current (it does not enter exponential Euler's
/// Jacobian, unlike [`Coba`] on a LIF-like neuron; on Hodgkin-Huxley-like neurons the two are
/// the same).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CobaFixedV<V = ElectricPotential> {
    /// Reversal potential E.
    pub e: V,
}

#[diagnostic::do_not_recommend]
impl<N, G, P> SynapticOutput<N, G> for CobaFixedV<P>
where
    N: NeuronUnits,
    G: Raw + Same<N::Conductance>,
    P: Copy + Same<N::Potential>,
{
    fn conductance(&self) -> bool {
        true
    }

    #[inline]
    fn apply(
        &self,
        g: &Column<G>,
        v: &Column<N::Potential>,
        drive: &mut Drive<N>,
        _writer: Writer,
    ) {
        let e = self.e.same().raw();
        let i_syn = drive.i_syn_mut();
        for ((i, &gk), &vk) in i_syn.raw_mut().iter_mut().zip(g.raw()).zip(v.raw()) {
            *i += gk * (e - vk);
        }
    }
}

/// Classic BrainPy's Mg²⁺-blocked output (`brainpy.synouts.MgBlock`):
/// `I = g·(E − V)/(1 + (cc_Mg/β)·exp(−α·V))` with the V of the start of the step, a fixed
/// current. Defaults: E = 0 mV, cc_Mg = 1.2 mM, α = 0.062 /mV, β = 3.57 mM.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MgBlockFixedV {
    /// Reversal potential E.
    pub e: ElectricPotential,
    /// Magnesium concentration.
    pub cc_mg: MolarConcentration,
    /// Voltage sensitivity α.
    pub alpha: InverseVoltage,
    /// Dissociation constant β.
    pub beta: MolarConcentration,
}

impl Default for MgBlockFixedV {
    fn default() -> Self {
        Self {
            e: 0.0 * mV,
            cc_mg: 1.2 * mM,
            alpha: 0.062 * per_mV,
            beta: 3.57 * mM,
        }
    }
}

#[diagnostic::do_not_recommend]
impl<N, G> SynapticOutput<N, G> for MgBlockFixedV
where
    N: NeuronUnits<Potential = ElectricPotential>,
    G: Raw + Same<N::Conductance>,
{
    fn conductance(&self) -> bool {
        true
    }

    #[inline]
    fn apply(
        &self,
        g: &Column<G>,
        v: &Column<ElectricPotential>,
        drive: &mut Drive<N>,
        _writer: Writer,
    ) {
        let (e, k, a) = (
            self.e.raw(),
            (self.cc_mg / self.beta).value,
            self.alpha.raw(),
        );
        let i_syn = drive.i_syn_mut();
        for ((i, &gk), &vk) in i_syn.raw_mut().iter_mut().zip(g.raw()).zip(v.raw()) {
            *i += gk * (e - vk) / (1.0 + k * (-a * vk).exp());
        }
    }
}
