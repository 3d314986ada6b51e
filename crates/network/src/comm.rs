//! The communication layer of a projection: connectivity plus weights, with their sizes.

use crate::connectivity::Connectivity;
use crate::connectivity::{BernoulliRow, Connector, Count, Lines};
use crate::error::NetworkError;
use crate::weights::{IntoWeights, Sampler, WeightInit, Weights};
use core::ops::Range;
use neurotype_models::rng;
use neurotype_units::Real;
use neurotype_units::{InvalidParameter, Unitful, check};

mod plastic;
use plastic::Plastic;

/// How a projection computes with its connectivity. All give identical numbers; the choice is
/// about speed and memory (dense suits all-to-all or dense random connectivity; procedural
/// stores no synapses at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CompMethod {
    /// Compressed rows by presynaptic neuron, event-driven (BrainPy's `'sparse'`).
    #[default]
    Sparse,
    /// A dense `n_pre × n_post` weight matrix (BrainPy's `'dense'`).
    Dense,
    /// No synapse stored: a spiking neuron's targets and weights are drawn again from their
    /// seeds each time it spikes (procedural connectivity, BrainPy's `jitconn`, GeNN's
    /// procedural connectivity). Random [`Connector::FixedProb`] connectivity with a constant
    /// or randomly drawn weight only; it gives the synapses a stored `FixedProb` has.
    Procedural,
}

impl core::str::FromStr for CompMethod {
    type Err = InvalidParameter;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sparse" => Ok(CompMethod::Sparse),
            "dense" => Ok(CompMethod::Dense),
            "procedural" => Ok(CompMethod::Procedural),
            other => Err(InvalidParameter::new(
                "Comm",
                "comp_method",
                format!("\"{other}\""),
                "must be \"sparse\", \"dense\" or \"procedural\"",
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
///
/// ```
/// use neurotype_models::prelude::*;
/// use neurotype_network::prelude::*;
///
/// // BrainPy's `EventFixedProb(80, 40, conn_num=0.1, weight=0.6 nS)`: 4 targets each
/// let comm = Comm::event_fixed_prob(80, 40, 0.1, 0.6 * nS).seed(7);
/// let drawn = comm.build("E→I", 0)?;
/// assert_eq!(drawn.n_synapses(), 80 * 4);
/// assert!(drawn.weights().all(|w| (in_units(w, nS) - 0.6).abs() < 1e-6));
///
/// let mut net = Network::new(0.1 * ms)?.progress(Progress::Never);
/// let pre = net.add_source(PoissonGroup::new(80, 20.0 * Hz, 1)?);
/// let post = net.add("I", Lif::builder(40).build()?);
/// net.connect(AlignPostProj::new(pre, post).comm(comm)
///     .syn(Expon::builder(40).tau(5.0 * ms).build()?)
///     .out(Coba::new(0.0 * mV)?))?;
/// assert_eq!(net.n_synapses(), 320);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
        weights: impl IntoWeights<Weight = W>,
    ) -> Self {
        Self {
            n_pre,
            n_post,
            connector,
            weights: weights.into_weights(),
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
        weight: impl IntoWeights<Weight = W>,
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
    pub fn all_to_all(n_pre: usize, n_post: usize, weight: impl IntoWeights<Weight = W>) -> Self {
        Self::new(n_pre, n_post, Connector::all_to_all(), weight)
    }

    /// Neuron i to neuron i.
    pub fn one_to_one(n: usize, weight: impl IntoWeights<Weight = W>) -> Self {
        Self::new(n, n, Connector::OneToOne, weight)
    }

    /// Bernoulli(p) per ordered pair (Brian2's `connect(p=...)`), self-connections allowed.
    pub fn fixed_prob(
        n_pre: usize,
        n_post: usize,
        p: f64,
        weight: impl IntoWeights<Weight = W>,
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

    /// Stores no synapse: each spike's targets and weights are drawn again from their seeds
    /// (see [`CompMethod::Procedural`]; [`Comm::fixed_prob`] only). Same synapses, same
    /// spikes, no memory for synapses; delivery then costs a random draw per synapse.
    pub fn procedural(mut self) -> Self {
        self.method = CompMethod::Procedural;
        self
    }

    /// Draws the connectivity and the weights, stored for delivery.
    pub fn build(&self, owner: &str, default_seed: u64) -> Result<Connections<W>, NetworkError> {
        self.build_onto(owner, default_seed, 0..self.n_post)
    }

    /// Draws only the synapses onto the postsynaptic neurons `onto` (a rank's part of the
    /// network): exactly the synapses, with the same weights, that the whole has onto them,
    /// whatever the range. Connectivity and weights are drawn line by line (see
    /// [`Lines`]), line `l` from streams `l` of the seed, so no
    /// range depends on another; only the synapses onto `onto` are kept.
    pub fn build_onto(
        &self,
        owner: &str,
        default_seed: u64,
        onto: Range<usize>,
    ) -> Result<Connections<W>, NetworkError> {
        if let Some(e) = &self.invalid {
            return Err(e.clone().into());
        }
        let (n_pre, n_post) = (self.n_pre, self.n_post);
        let onto = onto.start.min(n_post)..onto.end.min(n_post);
        let seed = self.seed.unwrap_or(default_seed);
        let (conn_seed, weight_seed) = (rng::derive(seed, 0), rng::derive(seed, 1));
        // BrainPy's fans come from the weight array's shape: (n_pre, k) for a fixed out-degree
        let fan_out = match &self.connector {
            Connector::FixedPostNum { num, .. } => num.resolve(self.connector.name(), n_post)?,
            _ => n_post,
        };
        let sampler = self.weights.sampler(owner, n_pre, fan_out)?;
        if self.method == CompMethod::Procedural {
            let rule = Regenerated::new(owner, &self.connector, sampler, conn_seed, weight_seed)?;
            return Ok(Connections::regenerated(n_pre, n_post, onto, rule));
        }
        // before anything is drawn: the synapses onto `onto` (a target index each, a weight
        // each unless shared; connectors drawn by columns or whole hold 16 bytes per synapse
        // while they are sorted) and the dense matrix must fit
        let share = onto.len() as f64 / n_post.max(1) as f64;
        let synapses = self.connector.expected_count(n_pre, n_post) * share;
        let per_synapse = match (self.connector.lines(), sampler.is_constant()) {
            (Lines::Rows, true) => 4.0,
            (Lines::Rows, false) => 12.0,
            _ => 28.0,
        };
        let dense = match self.method {
            CompMethod::Dense => n_pre as f64 * onto.len() as f64 * 8.0,
            _ => 0.0,
        };
        check::memory(owner, "synapses", synapses * per_synapse + dense)?;
        let mut block = Block::onto(n_pre, onto.clone(), !sampler.is_constant());
        let mut count = 0;
        if self.connector.lines() == Lines::Rows {
            // rows come in order: each one's kept synapses are the block's row
            self.connector
                .draw_lines(n_pre, n_post, conn_seed, onto.clone(), &mut |l, line| {
                    let mut rng = rng::stream(weight_seed, l as u64);
                    for &(_, j) in line {
                        let w = sampler.weight(count, &mut rng);
                        count += 1;
                        if onto.contains(&(j as usize)) {
                            block.push(j, w);
                        }
                    }
                    block.end_row();
                })?;
        } else {
            // explicit values are numbered in connectivity order: every synapse is needed
            let explicit = matches!(sampler, Sampler::Values(_));
            let drawn = if explicit { 0..n_post } else { onto.clone() };
            let mut kept: Vec<(u32, u32, Real)> = Vec::new();
            self.connector
                .draw_lines(n_pre, n_post, conn_seed, drawn, &mut |l, line| {
                    let mut rng = rng::stream(weight_seed, l as u64);
                    for &(i, j) in line {
                        let w = if explicit {
                            0.0
                        } else {
                            sampler.weight(0, &mut rng)
                        };
                        if explicit || onto.contains(&(j as usize)) {
                            kept.push((i, j, w));
                        }
                    }
                })?;
            // connectivity order: by presynaptic neuron, drawing order within
            kept.sort_by_key(|&(i, _, _)| i);
            count = kept.len();
            let mut rng = rng::stream(weight_seed, 0);
            let mut next = kept.iter().enumerate().peekable();
            for i in 0..n_pre as u32 {
                while let Some((k, &(_, j, w))) = next.next_if(|(_, s)| s.0 == i) {
                    let w = if explicit {
                        sampler.weight(k, &mut rng)
                    } else {
                        w
                    };
                    if onto.contains(&(j as usize)) {
                        block.push(j, w);
                    }
                }
                block.end_row();
            }
        }
        sampler.check_count(owner, count)?;
        let homogeneous = match sampler {
            Sampler::Constant(w) => Some(neurotype_units::narrow(w)),
            _ => None,
        };
        Ok(Connections::from_block(
            n_pre,
            n_post,
            homogeneous,
            block,
            self.method,
        ))
    }
}

/// A projection's synapses as delivery reads them: for every presynaptic neuron, its
/// targets and weights, stored in blocks by postsynaptic range (one block per part of the
/// postsynaptic population a worker owns; one block for the whole by default). Within a
/// block, the targets of each presynaptic neuron keep their connectivity order, so the sums a
/// delivery makes are the same for any partition. Procedural connectivity keeps only the
/// blocks' ranges and the rule that draws a row again.
#[derive(Debug, Clone)]
pub struct Connections<W> {
    n_pre: usize,
    n_post: usize,
    n_synapses: usize,
    /// The shared weight (stored number), when every synapse has it.
    homogeneous: Option<Real>,
    blocks: Vec<Block>,
    /// Procedural: the rule that draws a row when it is needed (the blocks are then empty).
    regenerated: Option<Regenerated>,
    /// Plastic: one weight per synapse, numbered in connectivity order whatever the blocks
    /// (the blocks then hold each synapse's number instead of its weight).
    plastic: Option<Plastic>,
    /// Whether every presynaptic neuron reaches every postsynaptic one exactly once, in order,
    /// with the shared weight (all-to-all): then `Σ_i w·s_i` is `w·Σ_i s_i` for every target.
    full: bool,
    _w: core::marker::PhantomData<fn() -> W>,
}

/// Refuses negative weights onto an output whose synaptic variable is a conductance.
pub(crate) fn check_conductance_weights<W: Unitful>(
    owner: &str,
    conductance: bool,
    connections: &Connections<W>,
) -> Result<(), InvalidParameter> {
    match connections.first_negative() {
        Some((k, w)) if conductance => Err(InvalidParameter::new(
            owner,
            format!("weights[{k}]"),
            w.show().to_string(),
            "must be >= 0: the output (COBA, Mg block) takes it as a conductance",
        )),
        _ => Ok(()),
    }
}

/// Bernoulli(p) connectivity that is drawn again, row by row, each time a presynaptic neuron
/// spikes: row `i` from stream `i` of the connectivity seed and its weights from stream `i` of
/// the weight seed, the streams a stored [`Connector::FixedProb`] is drawn from, so the
/// synapses and weights are those it would store.
#[derive(Debug, Clone)]
struct Regenerated {
    p: f64,
    include_self: bool,
    conn_seed: u64,
    weight_seed: u64,
    /// Constant or random (explicit per-synapse values need storage).
    sampler: Sampler,
}

impl Regenerated {
    /// The rule for `connector`'s synapses with weights from `sampler` (checked: Bernoulli
    /// connectivity with a probability in [0, 1], weights not given one by one).
    fn new(
        owner: &str,
        connector: &Connector,
        sampler: Sampler,
        conn_seed: u64,
        weight_seed: u64,
    ) -> Result<Self, InvalidParameter> {
        let &Connector::FixedProb { p, include_self } = connector else {
            return Err(InvalidParameter::new(
                owner,
                "comp_method",
                format!("procedural with {}", connector.name()),
                "procedural connectivity needs FixedProb (Bernoulli) connectivity",
            ));
        };
        neurotype_units::check::unit_interval(owner, "prob", p)?;
        if matches!(sampler, Sampler::Values(_)) {
            return Err(InvalidParameter::new(
                owner,
                "weights",
                "explicit values",
                "procedural connectivity needs a constant or randomly drawn weight",
            ));
        }
        Ok(Self {
            p,
            include_self,
            conn_seed,
            weight_seed,
            sampler,
        })
    }

    /// Calls `f(j, w)` for every synapse `i → j` with `j` in `targets`, in increasing `j`
    /// (stored weights), drawing the row only as far as `targets` reaches.
    #[inline]
    fn row(
        &self,
        i: usize,
        n_pre: usize,
        n_post: usize,
        targets: &Range<usize>,
        f: impl FnMut(usize, Real),
    ) {
        #[cfg(target_arch = "x86_64")]
        if neurotype_models::isa::level() != neurotype_models::isa::Level::Base {
            /// The draw with SSE4.1's rounding instruction: `floor` inline, not a call into
            /// the C library (the same numbers: rounding down is exact).
            #[target_feature(enable = "sse4.1")]
            fn sse41(
                rule: &Regenerated,
                (i, n_pre, n_post): (usize, usize, usize),
                targets: &Range<usize>,
                f: impl FnMut(usize, Real),
            ) {
                rule.row_body(i, n_pre, n_post, targets, f);
            }
            // SAFETY: the level is at least AVX2, which comes with SSE4.1
            return unsafe { sse41(self, (i, n_pre, n_post), targets, f) };
        }
        self.row_body(i, n_pre, n_post, targets, f);
    }

    /// [`Regenerated::row`]'s body, inlined into each instruction set's version.
    #[inline(always)]
    fn row_body(
        &self,
        i: usize,
        n_pre: usize,
        n_post: usize,
        targets: &Range<usize>,
        mut f: impl FnMut(usize, Real),
    ) {
        let mut conn = rng::stream(self.conn_seed, i as u64);
        let exclude = (!self.include_self && n_pre == n_post).then_some(i);
        let row = BernoulliRow::new(&mut conn, n_post, self.p, exclude);
        // false once past the targets: the rest of the row is not drawn
        let mut keep = |j: usize, w: Real| {
            if j >= targets.end {
                return false;
            }
            if j >= targets.start {
                f(j, w);
            }
            true
        };
        match &self.sampler {
            Sampler::Constant(w) => {
                for j in row {
                    if !keep(j, neurotype_units::narrow(*w)) {
                        break;
                    }
                }
            }
            sampler => {
                // every synapse of the row draws its weight, kept or not, as when stored
                let mut draws = rng::stream(self.weight_seed, i as u64);
                for (k, j) in row.enumerate() {
                    if !keep(j, sampler.weight(k, &mut draws)) {
                        break;
                    }
                }
            }
        }
    }

    /// The expected number of synapses onto `targets` (the exact number is known only by
    /// drawing every row).
    fn expected(&self, n_pre: usize, n_post: usize, targets: &Range<usize>) -> usize {
        let selfs = if !self.include_self && n_pre == n_post {
            targets.len()
        } else {
            0
        };
        (self.p.clamp(0.0, 1.0) * (n_pre * targets.len() - selfs) as f64).round() as usize
    }
}

/// The synapses onto one range of postsynaptic neurons.
#[derive(Debug, Clone)]
struct Block {
    /// The postsynaptic neurons of the block.
    targets: core::ops::Range<usize>,
    /// Sparse: the synapses of presynaptic neuron `i` are `indptr[i]..indptr[i + 1]`, with
    /// targets relative to `targets.start` and per-synapse weights (when not homogeneous).
    indptr: Vec<u32>,
    indices: Vec<u32>,
    weights: Vec<Real>,
    /// Whether `weights` holds one weight per synapse (else the shared weight is used).
    per_synapse: bool,
    /// Plastic: each synapse's number in the projection's plastic weights.
    ids: Vec<u32>,
    /// Dense: row-major `n_pre × targets.len()` weights.
    dense: Option<Vec<Real>>,
}

impl Block {
    /// An empty block onto `targets`, filled row by row with [`Block::push`] and
    /// [`Block::end_row`].
    fn onto(n_pre: usize, targets: Range<usize>, per_synapse: bool) -> Self {
        let mut indptr = Vec::with_capacity(n_pre + 1);
        indptr.push(0);
        Self {
            targets,
            indptr,
            indices: Vec::new(),
            weights: Vec::new(),
            per_synapse,
            ids: Vec::new(),
            dense: None,
        }
    }

    /// A synapse of the current row onto postsynaptic neuron `j` (in the block's range).
    #[inline]
    fn push(&mut self, j: u32, w: Real) {
        self.indices.push(j - self.targets.start as u32);
        if self.per_synapse {
            self.weights.push(w);
        }
    }

    /// A block of procedural synapses onto `targets`: nothing stored.
    fn range(targets: Range<usize>) -> Self {
        Self {
            targets,
            indptr: Vec::new(),
            indices: Vec::new(),
            weights: Vec::new(),
            per_synapse: false,
            ids: Vec::new(),
            dense: None,
        }
    }

    /// Ends the current row (the next presynaptic neuron's synapses follow).
    #[inline]
    fn end_row(&mut self) {
        self.indptr.push(self.indices.len() as u32);
    }
}

impl<W: Unitful> Connections<W> {
    /// The synapses of `conn` with `weights`, in one block.
    pub fn new(conn: &Connectivity, weights: &Weights<W>, method: CompMethod) -> Self {
        let homogeneous = weights.homogeneous().map(|w| w.raw());
        let mut block = Block::onto(conn.n_pre(), 0..conn.n_post(), homogeneous.is_none());
        for i in 0..conn.n_pre() {
            for k in conn.row(i) {
                block.push(conn.indices()[k], weights.raw(k));
            }
            block.end_row();
        }
        Self::from_block(conn.n_pre(), conn.n_post(), homogeneous, block, method)
    }

    /// One block of synapses (with a dense matrix made of it for the dense method).
    fn from_block(
        n_pre: usize,
        n_post: usize,
        homogeneous: Option<Real>,
        mut block: Block,
        method: CompMethod,
    ) -> Self {
        // drawn by pushing: give back what the vectors grew beyond their contents
        block.indices.shrink_to_fit();
        block.weights.shrink_to_fit();
        if method == CompMethod::Dense {
            let n = block.targets.len();
            let mut m = vec![0.0; n_pre * n];
            for i in 0..n_pre {
                for k in block.indptr[i] as usize..block.indptr[i + 1] as usize {
                    m[i * n + block.indices[k] as usize] +=
                        homogeneous.unwrap_or_else(|| block.weights[k]);
                }
            }
            block.dense = Some(m);
        }
        let full = homogeneous.is_some()
            && block.targets == (0..n_post)
            && (0..n_pre).all(|i| {
                let row = &block.indices[block.indptr[i] as usize..block.indptr[i + 1] as usize];
                row.len() == n_post && row.iter().enumerate().all(|(j, &k)| k as usize == j)
            });
        Self {
            n_pre,
            n_post,
            n_synapses: block.indices.len(),
            homogeneous,
            blocks: vec![block],
            regenerated: None,
            plastic: None,
            full,
            _w: core::marker::PhantomData,
        }
    }

    /// Procedural synapses onto `onto`: nothing stored but the rule.
    fn regenerated(n_pre: usize, n_post: usize, onto: Range<usize>, rule: Regenerated) -> Self {
        let homogeneous = match rule.sampler {
            Sampler::Constant(w) => Some(neurotype_units::narrow(w)),
            _ => None,
        };
        Self {
            n_pre,
            n_post,
            n_synapses: rule.expected(n_pre, n_post, &onto),
            homogeneous,
            blocks: vec![Block::range(onto)],
            regenerated: Some(rule),
            plastic: None,
            full: false,
            _w: core::marker::PhantomData,
        }
    }

    /// Number of presynaptic neurons.
    pub fn n_pre(&self) -> usize {
        self.n_pre
    }

    /// Number of postsynaptic neurons.
    pub fn n_post(&self) -> usize {
        self.n_post
    }

    /// Number of synapses held (on a rank of a distributed run: those onto its neurons); for
    /// procedural connectivity the expected number, `p` times the pairs.
    pub fn n_synapses(&self) -> usize {
        self.n_synapses
    }

    /// Bytes of synapse storage held (targets, row offsets, weights; none when procedural).
    pub fn bytes(&self) -> usize {
        let plastic = self.plastic.as_ref().map_or(0, |p| {
            8 * p.w.capacity()
                + 4 * (p.by_post.capacity() + p.afferent_pre.capacity() + p.afferent_id.capacity())
        });
        plastic
            + self
                .blocks
                .iter()
                .map(|b| {
                    4 * (b.indptr.capacity() + b.indices.capacity() + b.ids.capacity())
                        + 8 * (b.weights.capacity() + b.dense.as_ref().map_or(0, Vec::capacity))
                })
                .sum::<usize>()
    }

    /// The shared weight of an all-to-all projection (every presynaptic neuron onto every
    /// postsynaptic one once, one weight): its sums can be taken once for all targets, as
    /// BrainPy's `AllToAll` layer takes them (`w·Σ_i s_i`).
    pub fn all_to_all_weight(&self) -> Option<Real> {
        let whole = self.blocks.len() == 1 && self.blocks[0].targets == (0..self.n_post);
        if self.full && whole && self.plastic.is_none() {
            self.homogeneous
        } else {
            None
        }
    }

    /// The shared weight, when every synapse has it (then it is stored once).
    pub fn homogeneous(&self) -> Option<W> {
        self.homogeneous.map(W::from_raw)
    }

    /// Every synapse's weight, block by block and row by row (connectivity order for one
    /// block; procedural synapses are drawn again).
    pub fn weights(&self) -> impl Iterator<Item = W> + '_ {
        let plastic = self.plastic.as_ref().map(|p| p.w.clone());
        let blocks = if plastic.is_some() {
            &[][..]
        } else {
            &self.blocks[..]
        };
        let plastic = plastic.into_iter().flatten().map(W::from_raw);
        plastic.chain(blocks.iter().flat_map(move |b| {
            let drawn: Vec<Real> = match &self.regenerated {
                Some(rule) => {
                    let mut w = Vec::new();
                    for i in 0..self.n_pre {
                        rule.row(i, self.n_pre, self.n_post, &b.targets, |_, x| w.push(x));
                    }
                    w
                }
                None => (0..b.indices.len())
                    .map(|k| self.homogeneous.unwrap_or_else(|| b.weights[k]))
                    .collect(),
            };
            drawn.into_iter().map(W::from_raw)
        }))
    }

    /// The first negative weight and its synapse number (connectivity order within the
    /// blocks), for outputs whose weights are conductances. Procedural synapses with a random
    /// weight are not drawn for this (a check would draw the whole network); a constant one
    /// is checked.
    pub fn first_negative(&self) -> Option<(usize, W)> {
        if let Some(w) = self.homogeneous {
            return (w < 0.0).then(|| (0, W::from_raw(w)));
        }
        if self.regenerated.is_some() {
            return None;
        }
        if let Some(p) = &self.plastic {
            let k = p.w.iter().position(|&w| w < 0.0)?;
            return Some((k, W::from_raw(p.w[k])));
        }
        self.blocks
            .iter()
            .flat_map(|b| b.weights.iter())
            .position(|&w| w < 0.0)
            .map(|k| (k, self.weights().nth(k).expect("k is a synapse")))
    }

    /// Number of synapses of presynaptic neuron `i`.
    pub fn row_len(&self, i: usize) -> usize {
        if let Some(rule) = &self.regenerated {
            let mut k = 0;
            for b in &self.blocks {
                rule.row(i, self.n_pre, self.n_post, &b.targets, |_, _| k += 1);
            }
            return k;
        }
        self.blocks
            .iter()
            .map(|b| (b.indptr[i + 1] - b.indptr[i]) as usize)
            .sum()
    }

    /// Adds `scale · w_ij` to `out[j]` for every target `j` of `i` (stored numbers; `out` has
    /// one element per postsynaptic neuron) and returns the number of synapses of `i`.
    #[inline]
    pub fn scatter(&self, i: usize, scale: Real, out: &mut [Real]) -> u64 {
        (0..self.blocks.len())
            .map(|b| {
                let targets = self.blocks[b].targets.clone();
                self.scatter_block(i, scale, b, &mut out[targets])
            })
            .sum()
    }

    /// [`Connections::scatter`] restricted to block `b`: `out` has one element per neuron of
    /// the block's postsynaptic range.
    #[inline(always)]
    pub fn scatter_block(&self, i: usize, scale: Real, b: usize, out: &mut [Real]) -> u64 {
        let b = &self.blocks[b];
        if let Some(rule) = &self.regenerated {
            let (start, mut events) = (b.targets.start, 0);
            rule.row(i, self.n_pre, self.n_post, &b.targets, |j, w| {
                out[j - start] += scale * w;
                events += 1;
            });
            return events;
        }
        let row = b.indptr[i] as usize..b.indptr[i + 1] as usize;
        let events = row.len() as u64;
        if let Some(p) = &self.plastic {
            for (&j, &k) in b.indices[row.clone()].iter().zip(&b.ids[row]) {
                out[j as usize] += scale * p.w[k as usize];
            }
            return events;
        }
        match (&b.dense, self.homogeneous) {
            (Some(m), _) => {
                let n = out.len();
                for (o, w) in out.iter_mut().zip(&m[i * n..(i + 1) * n]) {
                    *o += scale * w;
                }
            }
            (None, Some(w)) => {
                let w = scale * w;
                for &j in &b.indices[row] {
                    out[j as usize] += w;
                }
            }
            (None, None) => {
                for (&j, &w) in b.indices[row.clone()].iter().zip(&b.weights[row]) {
                    out[j as usize] += scale * w;
                }
            }
        }
        events
    }

    /// Asks the processor to fetch every cache line of row `i` of block `b` (its targets, and
    /// its weights or synapse ids where it has them) into the cache (a hint: it changes no
    /// result).
    #[inline(always)]
    pub fn prefetch_block(&self, i: usize, b: usize) {
        let b = &self.blocks[b];
        if b.dense.is_some() || self.regenerated.is_some() {
            return;
        }
        let row = b.indptr[i] as usize..b.indptr[i + 1] as usize;
        prefetch_lines(&b.indices[row.clone()]);
        if b.per_synapse {
            prefetch_lines(&b.weights[row.clone()]);
        }
        if self.plastic.is_some() {
            prefetch_lines(&b.ids[row]);
        }
    }

    /// Number of blocks (postsynaptic parts) the synapses are cut into.
    pub fn n_blocks(&self) -> usize {
        self.blocks.len()
    }

    /// The postsynaptic ranges of the blocks.
    pub fn parts(&self) -> impl Iterator<Item = core::ops::Range<usize>> + '_ {
        self.blocks.iter().map(|b| b.targets.clone())
    }

    /// Re-cuts the storage into one block per postsynaptic range of `parts` (contiguous,
    /// covering every neuron). Each presynaptic row keeps its targets in their order, so every
    /// neuron receives its sums in the same order whatever the cut.
    pub fn partition(&mut self, parts: &[core::ops::Range<usize>]) {
        if self.parts().eq(parts.iter().cloned()) {
            return;
        }
        if self.regenerated.is_some() {
            self.blocks = parts.iter().cloned().map(Block::range).collect();
            return;
        }
        let homogeneous = self.homogeneous.is_some() || self.plastic.is_some();
        let plastic = self.plastic.is_some();
        let blocks = parts
            .iter()
            .map(|part| {
                let n = part.len();
                let mut indptr = Vec::with_capacity(self.n_pre + 1);
                indptr.push(0u32);
                let (mut indices, mut weights, mut ids) = (Vec::new(), Vec::new(), Vec::new());
                let mut dense = self
                    .blocks
                    .iter()
                    .any(|b| b.dense.is_some())
                    .then(|| vec![0.0; self.n_pre * n]);
                for i in 0..self.n_pre {
                    for b in &self.blocks {
                        for k in b.indptr[i] as usize..b.indptr[i + 1] as usize {
                            let j = b.targets.start + b.indices[k] as usize;
                            if part.contains(&j) {
                                indices.push((j - part.start) as u32);
                                if !homogeneous {
                                    weights.push(b.weights[k]);
                                }
                                if plastic {
                                    ids.push(b.ids[k]);
                                }
                            }
                        }
                        if let (Some(d), Some(m)) = (&mut dense, &b.dense) {
                            let (lo, hi) =
                                (part.start.max(b.targets.start), part.end.min(b.targets.end));
                            let width = b.targets.len();
                            for j in lo..hi {
                                d[i * n + j - part.start] = m[i * width + j - b.targets.start];
                            }
                        }
                    }
                    indptr.push(indices.len() as u32);
                }
                Block {
                    targets: part.clone(),
                    indptr,
                    indices,
                    weights,
                    per_synapse: !homogeneous,
                    ids,
                    dense,
                }
            })
            .collect::<Vec<Block>>();
        self.n_synapses = blocks.iter().map(|b| b.indices.len()).sum();
        self.blocks = blocks;
    }
}

/// The cache line size assumed by the prefetches (64 bytes on x86-64 and most ARM cores).
const LINE: usize = 64;

/// The start addresses of the cache lines that hold part of `items`, first to last.
#[inline(always)]
fn lines<T>(items: &[T]) -> impl Iterator<Item = usize> {
    let span = items.as_ptr_range();
    let (start, end) = (span.start as usize, span.end as usize);
    // an empty row holds no line (even where its address is not a line's start)
    let first = if start == end {
        end
    } else {
        start & !(LINE - 1)
    };
    (first..end).step_by(LINE)
}

/// [`prefetch`] of every cache line that holds part of `items`.
#[inline(always)]
fn prefetch_lines<T>(items: &[T]) {
    for line in lines(items) {
        prefetch(line as *const u8);
    }
}

/// A hint to fetch the cache line holding `p` (no effect where there is no such hint).
#[inline(always)]
fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch never faults, whatever the address (SSE is part of x86_64).
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

#[cfg(test)]
mod tests {
    use super::{LINE, lines};
    use std::collections::BTreeSet;

    /// The lines a row's prefetch asks for are exactly the lines its bytes lie in, for
    /// every start (aligned or not) and length (empty included).
    #[test]
    fn the_lines_of_a_row_are_those_its_bytes_lie_in() {
        let data = vec![0u32; 256];
        for start in 0..40 {
            for len in 0..60 {
                let row = &data[start..start + len];
                let begin = row.as_ptr() as usize;
                let want: BTreeSet<usize> = (begin..begin + 4 * len)
                    .map(|byte| byte & !(LINE - 1))
                    .collect();
                let got: Vec<usize> = lines(row).collect();
                assert_eq!(
                    got,
                    want.into_iter().collect::<Vec<_>>(),
                    "start {start}, len {len}"
                );
            }
        }
    }
}
