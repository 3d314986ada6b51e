//! Gap junctions: electrical coupling between neurons (BrainPy's `SymmetryGapJunction` and
//! `AsymmetryGapJunction`). For each coupled pair k, neuron `i_k` of `pre` and `j_k` of
//! `post`, with the potentials at the end of the last step:
//!
//! ```text
//! d_k = g_k · (V_pre[i_k] − V_post[j_k])
//! I_post[j_k] += d_k        I_pre[i_k] −= d_k            (symmetric)
//! I_post[j_k] += a_k·d_k    I_pre[i_k] −= b_k·d_k        (asymmetric: a, b ≥ 0 scale each side)
//! ```
//!
//! The weight is a conductance, so a voltage difference becomes a current: a weight in the
//! wrong unit does not compile. Like BrainPy's, the coupling is applied before the neurons
//! update, from the potentials of the previous step (explicit in the coupling).

use crate::error::NetworkError;
use crate::input::Input;
use crate::population::{AnyPopulation, Pop, Population};
use crate::wiring::Conductance;
use neurotype_models::{Neuron, StepCtx};
use neurotype_units::Real;
use neurotype_units::prelude::*;
use neurotype_units::{InvalidParameter, check};

/// Electrical coupling between pairs of neurons of one or two populations of model `N`.
pub struct GapJunction<N: Neuron> {
    pre: Pop<N>,
    post: Pop<N>,
    pairs: Vec<(u32, u32)>,
    /// Conductance of each pair (stored numbers; one shared value or one per pair).
    weights: Vec<Real>,
    /// How much of d goes into post and out of pre (asymmetric junctions).
    scale: (Real, Real),
    /// This step's d of each pair.
    d: Vec<Real>,
}

impl<N> GapJunction<N>
where
    N: Neuron<Potential = ElectricPotential, Input = ElectricCurrent>,
{
    /// Symmetric coupling of the pairs `(i, j)` (i in `pre`, j in `post`; `pre` and `post`
    /// may be the same population) with conductance `weights` (one for all, or one per
    /// pair; finite and ≥ 0).
    pub fn symmetric(
        pre: Pop<N>,
        post: Pop<N>,
        pairs: &[(usize, usize)],
        weights: &[impl Conductance],
    ) -> Result<Self, NetworkError> {
        Self::asymmetric(pre, post, pairs, weights, (1.0, 1.0))
    }

    /// Asymmetric coupling (BrainPy's `AsymmetryGapJunction`): `scale.0` of each pair's
    /// current goes into `post`, `scale.1` of it out of `pre` (both finite and ≥ 0).
    pub fn asymmetric(
        pre: Pop<N>,
        post: Pop<N>,
        pairs: &[(usize, usize)],
        weights: &[impl Conductance],
        scale: (Real, Real),
    ) -> Result<Self, NetworkError> {
        let weights: Vec<ElectricalConductance> =
            weights.iter().map(|w| w.into_conductance()).collect();
        let weights = weights.as_slice();
        let owner = "GapJunction";
        if pre.net != post.net {
            return Err(NetworkError::ForeignHandle(format!(
                "{owner}: `pre` and `post` are populations of two networks"
            )));
        }
        for (k, &(i, j)) in pairs.iter().enumerate() {
            if i >= pre.len || j >= post.len {
                return Err(InvalidParameter::new(
                    owner,
                    format!("pairs[{k}]"),
                    format!("({i}, {j})"),
                    format!("must be below the sizes ({}, {})", pre.len, post.len),
                )
                .into());
            }
        }
        if weights.len() != 1 && weights.len() != pairs.len() {
            return Err(NetworkError::size_mismatch(
                owner,
                "weights",
                weights.len(),
                "pairs",
                pairs.len(),
            ));
        }
        for (k, &w) in weights.iter().enumerate() {
            check::non_negative(owner, &format!("weights[{k}]"), w)?;
        }
        for (name, s) in [("scale.0", scale.0), ("scale.1", scale.1)] {
            if !(s.is_finite() && s >= 0.0) {
                return Err(InvalidParameter::new(
                    owner,
                    name,
                    s.to_string(),
                    "must be finite and ≥ 0",
                )
                .into());
            }
        }
        let offset = |p: &Pop<N>, i: usize| (p.offset + i) as u32;
        Ok(Self {
            pairs: pairs
                .iter()
                .map(|&(i, j)| (offset(&pre, i), offset(&post, j)))
                .collect(),
            weights: weights.iter().map(|w| w.raw()).collect(),
            scale,
            d: vec![0.0; pairs.len()],
            pre,
            post,
        })
    }
}

fn population<N: Neuron>(pops: &[Box<dyn AnyPopulation>], index: usize) -> &Population<N> {
    pops[index]
        .as_any()
        .downcast_ref()
        .expect("a handle's population has the handle's model")
}

impl<N> Input for GapJunction<N>
where
    N: Neuron<Potential = ElectricPotential, Input = ElectricCurrent>,
{
    fn network(&self) -> u64 {
        self.post.net
    }
    fn target(&self) -> usize {
        self.post.index
    }
    fn apply(&mut self, _ctx: &StepCtx, _pop: &mut dyn AnyPopulation) {
        unreachable!("a gap junction is applied with every population")
    }
    fn apply_to_network(&mut self, _ctx: &StepCtx, pops: &mut [Box<dyn AnyPopulation>]) {
        {
            let v_pre = population::<N>(pops, self.pre.index)
                .model
                .potential()
                .raw();
            let v_post = population::<N>(pops, self.post.index)
                .model
                .potential()
                .raw();
            let shared = self.weights.len() == 1;
            for (k, (&(i, j), d)) in self.pairs.iter().zip(&mut self.d).enumerate() {
                let g = self.weights[if shared { 0 } else { k }];
                *d = g * (v_pre[i as usize] - v_post[j as usize]);
            }
        }
        use crate::projection::post_population;
        let post = post_population::<N>(pops[self.post.index].as_mut())
            .drive
            .ext_mut()
            .raw_mut();
        for (&(_, j), d) in self.pairs.iter().zip(&self.d) {
            post[j as usize] += self.scale.0 * d;
        }
        let pre = post_population::<N>(pops[self.pre.index].as_mut())
            .drive
            .ext_mut()
            .raw_mut();
        for (&(i, _), d) in self.pairs.iter().zip(&self.d) {
            pre[i as usize] -= self.scale.1 * d;
        }
    }
    fn reads_other_neurons(&self) -> bool {
        true
    }
    fn reset(&mut self) {}
    fn visit_state(&mut self, _v: &mut dyn neurotype_models::snapshot::StateVisitor) {}
}
