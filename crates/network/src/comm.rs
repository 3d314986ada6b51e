//! The communication layer of a projection: connectivity plus weights, with their sizes.

use crate::connectivity::{Connectivity, Connector, Count};
use crate::error::NetworkError;
use crate::weights::{WeightInit, Weights};
use neurotype_models::rng;
use neurotype_units::{InvalidParameter, Unitful};

/// How a projection computes with its connectivity. Both give identical numbers; the choice
/// is about speed (dense suits all-to-all or dense random connectivity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CompMethod {
    /// Compressed rows by presynaptic neuron, event-driven (BrainPy's `'sparse'`).
    #[default]
    Sparse,
    /// A dense `n_pre × n_post` weight matrix (BrainPy's `'dense'`).
    Dense,
}

impl core::str::FromStr for CompMethod {
    type Err = InvalidParameter;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sparse" => Ok(CompMethod::Sparse),
            "dense" => Ok(CompMethod::Dense),
            other => Err(InvalidParameter::new(
                "Comm",
                "comp_method",
                format!("\"{other}\""),
                "must be \"sparse\" or \"dense\"",
            )),
        }
    }
}

/// A count of connections per neuron as BrainPy's `conn_num` writes it: a float is a
/// fraction (`int(n·p)`), an integer an exact count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConnNum(pub(crate) Result<Count, i64>);

impl From<f64> for ConnNum {
    fn from(p: f64) -> Self {
        ConnNum(Ok(Count::Fraction(p)))
    }
}

impl From<usize> for ConnNum {
    fn from(k: usize) -> Self {
        ConnNum(Ok(Count::Exactly(k)))
    }
}

impl From<i32> for ConnNum {
    fn from(k: i32) -> Self {
        ConnNum(
            usize::try_from(k)
                .map(Count::Exactly)
                .map_err(|_| i64::from(k)),
        )
    }
}

/// Connectivity and weights between `n_pre` and `n_post` neurons (BrainPy's `comm`):
/// `EventFixedProb`, `AllToAll`, `OneToOne`, `FixedProb`, or any [`Connector`].
#[derive(Debug, Clone)]
pub struct Comm<W> {
    /// Presynaptic size.
    pub n_pre: usize,
    /// Postsynaptic size.
    pub n_post: usize,
    /// Who connects to whom.
    pub connector: Connector,
    /// The weights.
    pub weights: WeightInit<W>,
    /// Seed of the random connectivity and weights (default: derived from the network seed).
    pub seed: Option<u64>,
    /// Sparse or dense computation.
    pub method: CompMethod,
    invalid: Option<InvalidParameter>,
}

impl<W: Unitful + PartialOrd> Comm<W> {
    /// Any connector with any weights.
    pub fn new(
        n_pre: usize,
        n_post: usize,
        connector: Connector,
        weights: impl Into<WeightInit<W>>,
    ) -> Self {
        Self {
            n_pre,
            n_post,
            connector,
            weights: weights.into(),
            seed: None,
            method: CompMethod::Sparse,
            invalid: None,
        }
    }

    /// BrainPy's `EventFixedProb(n_pre, n_post, conn_num, conn_weight)`: a fixed number of
    /// targets per presynaptic neuron — `int(n_post·p)` for a float `p`, the count itself for an
    /// integer — drawn with replacement, self-connections allowed.
    pub fn event_fixed_prob(
        n_pre: usize,
        n_post: usize,
        conn_num: impl Into<ConnNum>,
        weight: impl Into<WeightInit<W>>,
    ) -> Self {
        let (num, invalid) = match conn_num.into().0 {
            Ok(num) => (num, None),
            Err(k) => (
                Count::Exactly(0),
                Some(InvalidParameter::new(
                    "EventFixedProb",
                    "conn_num",
                    k.to_string(),
                    "must be a non-negative count or a fraction in [0, 1]",
                )),
            ),
        };
        let mut comm = Self::new(
            n_pre,
            n_post,
            Connector::FixedPostNum {
                num,
                with_replacement: true,
                include_self: true,
            },
            weight,
        );
        comm.invalid = invalid;
        comm
    }

    /// Every presynaptic neuron to every postsynaptic one (BrainPy's `AllToAll`, self
    /// included).
    pub fn all_to_all(n_pre: usize, n_post: usize, weight: impl Into<WeightInit<W>>) -> Self {
        Self::new(n_pre, n_post, Connector::all_to_all(), weight)
    }

    /// Neuron i to neuron i.
    pub fn one_to_one(n: usize, weight: impl Into<WeightInit<W>>) -> Self {
        Self::new(n, n, Connector::OneToOne, weight)
    }

    /// Bernoulli(p) per ordered pair (Brian2's `connect(p=...)`), self-connections allowed.
    pub fn fixed_prob(
        n_pre: usize,
        n_post: usize,
        p: f64,
        weight: impl Into<WeightInit<W>>,
    ) -> Self {
        Self::new(n_pre, n_post, Connector::fixed_prob(p), weight)
    }

    /// Fixes the seed of this layer's random connectivity and weights.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Computes with a dense weight matrix (same results, different speed).
    pub fn dense(mut self) -> Self {
        self.method = CompMethod::Dense;
        self
    }

    /// Draws the connectivity and the weights.
    pub fn build(&self, owner: &str, default_seed: u64) -> Result<Built<W>, NetworkError> {
        if let Some(e) = &self.invalid {
            return Err(e.clone().into());
        }
        let seed = self.seed.unwrap_or(default_seed);
        let conn = self.connector.build(self.n_pre, self.n_post, seed)?;
        // BrainPy's fans come from the weight array's shape: (n_pre, k) for a fixed out-degree
        let fan_out = match &self.connector {
            Connector::FixedPostNum { .. } => conn.n_synapses() / conn.n_pre().max(1),
            _ => self.n_post,
        };
        let mut rng = rng::stream(seed, 1);
        let weights = self.weights.build(owner, &conn, fan_out, &mut rng)?;
        let dense = match self.method {
            CompMethod::Sparse => None,
            CompMethod::Dense => {
                let mut m = vec![0.0; self.n_pre * self.n_post];
                for i in 0..conn.n_pre() {
                    for k in conn.row(i) {
                        m[i * self.n_post + conn.indices()[k] as usize] += weights.raw(k);
                    }
                }
                Some(m)
            }
        };
        Ok(Built {
            conn,
            weights,
            dense,
        })
    }
}

/// A built communication layer.
#[derive(Debug, Clone)]
pub struct Built<W> {
    /// Connectivity.
    pub conn: Connectivity,
    /// Weights in connectivity order.
    pub weights: Weights<W>,
    /// Row-major dense weights, for dense computation.
    pub dense: Option<Vec<f64>>,
}

impl<W: Unitful> Built<W> {
    /// Adds `scale · w_ij` to `out[j]` for every target `j` of `i` (stored numbers).
    #[inline(always)]
    pub fn scatter(&self, i: usize, scale: f64, out: &mut [f64]) {
        match &self.dense {
            Some(m) => {
                let n_post = out.len();
                let row = &m[i * n_post..(i + 1) * n_post];
                for (o, w) in out.iter_mut().zip(row) {
                    *o += scale * w;
                }
            }
            None => {
                let range = self.conn.row(i);
                let targets = &self.conn.indices()[range.clone()];
                match self.weights.homogeneous() {
                    Some(w) => {
                        let w = scale * w.raw();
                        for &j in targets {
                            out[j as usize] += w;
                        }
                    }
                    None => {
                        for (k, &j) in range.zip(targets) {
                            out[j as usize] += scale * self.weights.raw(k);
                        }
                    }
                }
            }
        }
    }
}
