//! Plastic weights (spike-timing-dependent plasticity): a projection's weights as one array in
//! connectivity order, which the learning rule rewrites, with an index by postsynaptic neuron.

use super::Connections;
use neurotype_units::Real;
use neurotype_units::{InvalidParameter, Unitful};

/// The weights of a plastic projection and the index by postsynaptic neuron that lets a
/// postsynaptic spike reach its afferent synapses in O(afferents).
#[derive(Debug, Clone)]
pub(super) struct Plastic {
    /// Weight of synapse `k` (stored numbers), `k` in connectivity order.
    pub(super) w: Vec<Real>,
    /// The afferent synapses of postsynaptic neuron `j` are `by_post[j]..by_post[j + 1]` of
    /// `afferent_pre` (their presynaptic rows) and `afferent_id` (their numbers).
    pub(super) by_post: Vec<u32>,
    pub(super) afferent_pre: Vec<u32>,
    pub(super) afferent_id: Vec<u32>,
}

/// Plastic weights (spike-timing-dependent plasticity): the projection's weights become one
/// array in connectivity order that the rule rewrites, with an index by postsynaptic neuron.
impl<W: Unitful> Connections<W> {
    /// Makes every synapse's weight its own, changeable number (a shared weight is copied to
    /// every synapse), and indexes the synapses by postsynaptic neuron. Sparse stored
    /// connectivity only, in one block (before it is partitioned).
    pub(crate) fn make_plastic(&mut self, owner: &str) -> Result<(), InvalidParameter> {
        let refuse = |what: &str| {
            Err(InvalidParameter::new(
                owner,
                "comp_method",
                what.to_string(),
                "STDP needs stored sparse weights (the default method)",
            ))
        };
        if self.regenerated.is_some() {
            return refuse("procedural");
        }
        if self.blocks.iter().any(|b| b.dense.is_some()) {
            return refuse("dense");
        }
        if self.plastic.is_some() {
            return Ok(());
        }
        assert_eq!(
            self.blocks.len(),
            1,
            "made plastic before it is partitioned"
        );
        let b = &mut self.blocks[0];
        let n = b.indices.len();
        let w = match self.homogeneous {
            Some(w) => vec![w; n],
            None => core::mem::take(&mut b.weights),
        };
        b.per_synapse = false;
        b.ids = (0..n as u32).collect();
        // the index by postsynaptic neuron: counts, offsets, then the synapses in row order
        let mut by_post = vec![0u32; self.n_post + 1];
        for &j in &b.indices {
            by_post[b.targets.start + j as usize + 1] += 1;
        }
        for j in 0..self.n_post {
            by_post[j + 1] += by_post[j];
        }
        let mut next: Vec<u32> = by_post[..self.n_post].to_vec();
        let (mut afferent_pre, mut afferent_id) = (vec![0u32; n], vec![0u32; n]);
        for i in 0..self.n_pre {
            for k in b.indptr[i] as usize..b.indptr[i + 1] as usize {
                let j = b.targets.start + b.indices[k] as usize;
                let at = next[j] as usize;
                afferent_pre[at] = i as u32;
                afferent_id[at] = k as u32;
                next[j] += 1;
            }
        }
        self.homogeneous = None;
        self.full = false;
        self.plastic = Some(Plastic {
            w,
            by_post,
            afferent_pre,
            afferent_id,
        });
        Ok(())
    }

    /// The plastic weights in connectivity order (stored numbers); `None` if not plastic.
    pub(crate) fn plastic_weights(&self) -> Option<&[Real]> {
        self.plastic.as_ref().map(|p| &p.w[..])
    }

    /// The plastic weights, to be rewritten (checkpoints, reset).
    pub(crate) fn plastic_weights_mut(&mut self) -> Option<&mut Vec<Real>> {
        self.plastic.as_mut().map(|p| &mut p.w)
    }

    /// Rewrites the weight of every synapse of presynaptic row `i`: `w ← f(w, j)` with `j`
    /// its postsynaptic neuron.
    #[inline]
    pub(crate) fn update_row(&mut self, i: usize, mut f: impl FnMut(Real, usize) -> Real) {
        let Some(p) = &mut self.plastic else {
            return;
        };
        for b in &self.blocks {
            let row = b.indptr[i] as usize..b.indptr[i + 1] as usize;
            for (&j, &k) in b.indices[row.clone()].iter().zip(&b.ids[row]) {
                let w = &mut p.w[k as usize];
                *w = f(*w, b.targets.start + j as usize);
            }
        }
    }

    /// Rewrites the weight of every afferent synapse of postsynaptic neuron `j`:
    /// `w ← f(w, i)` with `i` its presynaptic row.
    #[inline]
    pub(crate) fn update_afferents(&mut self, j: usize, mut f: impl FnMut(Real, usize) -> Real) {
        let Some(p) = &mut self.plastic else {
            return;
        };
        let span = p.by_post[j] as usize..p.by_post[j + 1] as usize;
        for (&i, &k) in p.afferent_pre[span.clone()]
            .iter()
            .zip(&p.afferent_id[span])
        {
            let w = &mut p.w[k as usize];
            *w = f(*w, i as usize);
        }
    }
}
