//! Who connects to whom: connectivity generators and the compressed storage that delivery uses.
//!
//! Every generator produces a [`Connectivity`]: the targets of each presynaptic neuron stored
//! contiguously (compressed sparse rows by presynaptic neuron), so delivering the spikes of a
//! step touches only the rows of the neurons that spiked. Random generators draw from a seeded
//! generator: the same seed gives the same connections.

use crate::error::NetworkError;
use neurotype_models::rng::{self, Rng};
use neurotype_units::{InvalidParameter, check};
use rand::RngExt;

/// Synapses stored by presynaptic neuron: the targets of `i` are
/// `indices[indptr[i]..indptr[i + 1]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connectivity {
    n_pre: usize,
    n_post: usize,
    indptr: Vec<u32>,
    indices: Vec<u32>,
}

impl Connectivity {
    /// From `(pre, post)` pairs in any order; order among the targets of one neuron is kept.
    pub fn from_pairs(
        n_pre: usize,
        n_post: usize,
        pairs: impl IntoIterator<Item = (usize, usize)>,
    ) -> Result<Self, NetworkError> {
        let pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
        let mut counts = vec![0u32; n_pre + 1];
        for &(i, j) in &pairs {
            if i >= n_pre || j >= n_post {
                return Err(InvalidParameter::new(
                    "Connectivity",
                    "pair",
                    format!("({i}, {j})"),
                    format!("indices must be below ({n_pre}, {n_post})"),
                )
                .into());
            }
            counts[i + 1] += 1;
        }
        for k in 0..n_pre {
            counts[k + 1] += counts[k];
        }
        let mut fill = counts.clone();
        let mut indices = vec![0u32; pairs.len()];
        for &(i, j) in &pairs {
            indices[fill[i] as usize] = j as u32;
            fill[i] += 1;
        }
        Ok(Self {
            n_pre,
            n_post,
            indptr: counts,
            indices,
        })
    }

    /// From per-presynaptic target lists.
    pub fn from_rows(n_post: usize, rows: Vec<Vec<u32>>) -> Self {
        let mut indptr = Vec::with_capacity(rows.len() + 1);
        let mut indices = Vec::with_capacity(rows.iter().map(Vec::len).sum());
        indptr.push(0);
        for row in &rows {
            indices.extend_from_slice(row);
            indptr.push(indices.len() as u32);
        }
        Self {
            n_pre: rows.len(),
            n_post,
            indptr,
            indices,
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

    /// Number of synapses.
    pub fn n_synapses(&self) -> usize {
        self.indices.len()
    }

    /// The targets of presynaptic neuron `i`.
    #[inline(always)]
    pub fn targets(&self, i: usize) -> &[u32] {
        &self.indices[self.indptr[i] as usize..self.indptr[i + 1] as usize]
    }

    /// The synapse numbers (positions in per-synapse arrays) of presynaptic neuron `i`.
    #[inline(always)]
    pub fn row(&self, i: usize) -> core::ops::Range<usize> {
        self.indptr[i] as usize..self.indptr[i + 1] as usize
    }

    /// Row pointers (`n_pre + 1`).
    pub fn indptr(&self) -> &[u32] {
        &self.indptr
    }

    /// Targets of all synapses, row by row.
    pub fn indices(&self) -> &[u32] {
        &self.indices
    }

    /// Every synapse as `(pre, post)`.
    pub fn pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.n_pre).flat_map(move |i| self.targets(i).iter().map(move |&j| (i, j as usize)))
    }

    /// Number of synapses onto each postsynaptic neuron.
    pub fn in_degrees(&self) -> Vec<usize> {
        let mut d = vec![0; self.n_post];
        for &j in &self.indices {
            d[j as usize] += 1;
        }
        d
    }

    /// The dense 0/1 matrix (n_pre × n_post, counting multiple synapses).
    pub fn to_dense(&self) -> Vec<Vec<u32>> {
        let mut m = vec![vec![0u32; self.n_post]; self.n_pre];
        for (i, j) in self.pairs() {
            m[i][j] += 1;
        }
        m
    }
}

/// How many connections each neuron makes: an exact count, or a fraction of the other side
/// (BrainPy's `EventFixedProb(conn_num=0.1)`: `int(n · 0.1)`, truncated).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Count {
    /// Exactly this many.
    Exactly(usize),
    /// `⌊n·p⌋` of the `n` candidates.
    Fraction(f64),
}

impl Count {
    pub(crate) fn resolve(self, owner: &str, n: usize) -> Result<usize, InvalidParameter> {
        match self {
            Count::Exactly(k) => Ok(k),
            Count::Fraction(p) => {
                check::unit_interval(owner, "conn_num", p)?;
                Ok((n as f64 * p) as usize)
            }
        }
    }
}

/// A rule that generates connectivity between `n_pre` and `n_post` neurons.
#[derive(Debug, Clone, PartialEq)]
pub enum Connector {
    /// Every pair; without self-connections when `include_self` is false (same-size groups).
    AllToAll {
        /// Keep `i → i`.
        include_self: bool,
    },
    /// `i → i` (the groups must have the same size).
    OneToOne,
    /// Each ordered pair independently with probability `p` (Bernoulli; Brian2's `p=`, BrainPy's
    /// dense `FixedProb`).
    FixedProb {
        /// Connection probability.
        p: f64,
        /// Keep `i → i` (same-size groups).
        include_self: bool,
    },
    /// A fixed number of targets per presynaptic neuron (fixed out-degree; BrainPy's
    /// `EventFixedProb`, which draws with replacement by default).
    FixedPostNum {
        /// Targets per presynaptic neuron.
        num: Count,
        /// Draw targets with replacement (multiple synapses possible).
        with_replacement: bool,
        /// Allow `i → i` (same-size groups).
        include_self: bool,
    },
    /// A fixed number of sources per postsynaptic neuron (fixed in-degree).
    FixedPreNum {
        /// Sources per postsynaptic neuron.
        num: Count,
        /// Draw sources with replacement.
        with_replacement: bool,
        /// Allow `i → i` (same-size groups).
        include_self: bool,
    },
    /// A fixed total number of synapses, pairs drawn uniformly.
    FixedTotalNum {
        /// Total synapses.
        num: usize,
        /// Draw pairs with replacement.
        with_replacement: bool,
    },
    /// Explicit `(pre, post)` pairs.
    Pairs(Vec<(usize, usize)>),
    /// A dense 0/1 (or count) matrix, `n_pre` rows of `n_post`.
    Dense(Vec<Vec<bool>>),
}

impl Connector {
    /// About how many synapses it makes between `n_pre` and `n_post` neurons (before any
    /// validation of its arguments; an upper bound where that is simpler).
    pub fn expected_count(&self, n_pre: usize, n_post: usize) -> f64 {
        let (a, b) = (n_pre as f64, n_post as f64);
        let count = |num: &Count, n: f64| match num {
            Count::Exactly(k) => *k as f64,
            Count::Fraction(p) => n * p.clamp(0.0, 1.0),
        };
        match self {
            Connector::AllToAll { .. } => a * b,
            Connector::OneToOne => a.min(b),
            Connector::FixedProb { p, .. } => a * b * p.clamp(0.0, 1.0),
            Connector::FixedPostNum { num, .. } => a * count(num, b),
            Connector::FixedPreNum { num, .. } => b * count(num, a),
            Connector::FixedTotalNum { num, .. } => *num as f64,
            Connector::Pairs(p) => p.len() as f64,
            Connector::Dense(m) => m
                .iter()
                .map(|r| r.iter().filter(|&&x| x).count() as f64)
                .sum(),
        }
    }

    /// All-to-all including self-connections (BrainPy's `All2All()` default).
    pub fn all_to_all() -> Self {
        Connector::AllToAll { include_self: true }
    }

    /// Bernoulli(p) per ordered pair, self-connections allowed.
    pub fn fixed_prob(p: f64) -> Self {
        Connector::FixedProb {
            p,
            include_self: true,
        }
    }

    /// BrainPy's `EventFixedProb(n_pre, n_post, conn_num)`: `⌊n_post·p⌋` targets per
    /// presynaptic neuron, drawn with replacement, self allowed.
    pub fn event_fixed_prob(p: f64) -> Self {
        Connector::FixedPostNum {
            num: Count::Fraction(p),
            with_replacement: true,
            include_self: true,
        }
    }

    /// The name used in error messages.
    pub fn name(&self) -> &'static str {
        match self {
            Connector::AllToAll { .. } => "AllToAll",
            Connector::OneToOne => "OneToOne",
            Connector::FixedProb { .. } => "FixedProb",
            Connector::FixedPostNum { .. } => "FixedPostNum",
            Connector::FixedPreNum { .. } => "FixedPreNum",
            Connector::FixedTotalNum { .. } => "FixedTotalNum",
            Connector::Pairs(_) => "Pairs",
            Connector::Dense(_) => "Dense",
        }
    }

    /// How the connector's synapses are grouped into independently drawn lines.
    pub fn lines(&self) -> Lines {
        match self {
            Connector::AllToAll { .. }
            | Connector::OneToOne
            | Connector::FixedProb { .. }
            | Connector::FixedPostNum { .. } => Lines::Rows,
            Connector::FixedPreNum { .. } => Lines::Columns,
            Connector::FixedTotalNum { .. } | Connector::Pairs(_) | Connector::Dense(_) => {
                Lines::Whole
            }
        }
    }

    /// Generates the whole connectivity, drawing from `seed` where random.
    pub fn build(
        &self,
        n_pre: usize,
        n_post: usize,
        seed: u64,
    ) -> Result<Connectivity, NetworkError> {
        let mut pairs = Vec::new();
        self.draw_lines(n_pre, n_post, seed, 0..n_post, &mut |_, line| {
            pairs.extend_from_slice(line)
        })?;
        Connectivity::from_pairs(
            n_pre,
            n_post,
            pairs.into_iter().map(|(i, j)| (i as usize, j as usize)),
        )
    }

    /// Draws the lines that can hold synapses onto the postsynaptic neurons `onto` and calls
    /// `line(l, synapses)` for each, in line order, with the synapses of line `l` as
    /// `(pre, post)` in the order they are drawn. A line is drawn whole (a row may reach
    /// beyond `onto`; the caller keeps what it needs) from its own stream of `seed`, so a
    /// synapse is the same whichever range is drawn: the connectivity onto any set of ranges
    /// is the whole connectivity cut by those ranges. Row connectors draw every row; column
    /// connectors only the columns of `onto`; whole connectors one line.
    pub fn draw_lines(
        &self,
        n_pre: usize,
        n_post: usize,
        seed: u64,
        onto: core::ops::Range<usize>,
        line: &mut LineSink<'_>,
    ) -> Result<(), NetworkError> {
        let same = n_pre == n_post;
        let owner = self.name();
        let onto = onto.start.min(n_post)..onto.end.min(n_post);
        let mut targets = Vec::new();
        let mut pairs = Vec::new();
        // every row `i` (or column), its targets (sources) drawn by `draw(i, rng, out)`
        let mut rows =
            |n: usize, columns: bool, draw: &mut DrawLine<'_>| -> Result<(), NetworkError> {
                let lines = if columns { onto.clone() } else { 0..n };
                for l in lines {
                    targets.clear();
                    draw(l, &mut rng::stream(seed, l as u64), &mut targets)?;
                    pairs.clear();
                    pairs.extend(targets.iter().map(|&t| {
                        if columns {
                            (t, l as u32)
                        } else {
                            (l as u32, t)
                        }
                    }));
                    line(l, &pairs);
                }
                Ok(())
            };
        match self {
            Connector::AllToAll { include_self } => rows(n_pre, false, &mut |i, _, out| {
                out.extend(
                    (0..n_post as u32).filter(|&j| *include_self || !same || j as usize != i),
                );
                Ok(())
            }),
            Connector::OneToOne => {
                if !same {
                    return Err(NetworkError::size_mismatch(
                        "OneToOne", "pre", n_pre, "post", n_post,
                    ));
                }
                rows(n_pre, false, &mut |i, _, out| {
                    out.push(i as u32);
                    Ok(())
                })
            }
            Connector::FixedProb { p, include_self } => {
                check::unit_interval(owner, "prob", *p)?;
                rows(n_pre, false, &mut |i, rng, out| {
                    let exclude = (!*include_self && same).then_some(i);
                    bernoulli_row(rng, n_post, *p, exclude, out);
                    Ok(())
                })
            }
            Connector::FixedPostNum {
                num,
                with_replacement,
                include_self,
            } => {
                let k = num.resolve(owner, n_post)?;
                rows(n_pre, false, &mut |i, rng, out| {
                    let exclude = (!*include_self && same).then_some(i);
                    draw(rng, owner, n_post, k, *with_replacement, exclude, out)
                })
            }
            Connector::FixedPreNum {
                num,
                with_replacement,
                include_self,
            } => {
                let k = num.resolve(owner, n_pre)?;
                rows(n_post, true, &mut |j, rng, out| {
                    let exclude = (!*include_self && same).then_some(j);
                    draw(rng, owner, n_pre, k, *with_replacement, exclude, out)
                })
            }
            Connector::FixedTotalNum {
                num,
                with_replacement,
            } => {
                let total = n_pre * n_post;
                if !with_replacement && *num > total {
                    return Err(InvalidParameter::new(
                        owner,
                        "num",
                        num.to_string(),
                        format!("must be at most n_pre·n_post = {total} without replacement"),
                    )
                    .into());
                }
                if total > u32::MAX as usize {
                    return Err(InvalidParameter::new(
                        owner,
                        "n_pre·n_post",
                        total.to_string(),
                        format!("must be at most {} for a fixed total", u32::MAX),
                    )
                    .into());
                }
                let mut flat = Vec::new();
                draw(
                    &mut rng::stream(seed, 0),
                    owner,
                    total,
                    *num,
                    *with_replacement,
                    None,
                    &mut flat,
                )?;
                flat.sort_unstable();
                let n = n_post as u32;
                let pairs: Vec<(u32, u32)> = flat.iter().map(|&f| (f / n, f % n)).collect();
                line(0, &pairs);
                Ok(())
            }
            Connector::Pairs(pairs) => {
                if let Some(&(i, j)) = pairs.iter().find(|&&(i, j)| i >= n_pre || j >= n_post) {
                    return Err(InvalidParameter::new(
                        "Connectivity",
                        "pair",
                        format!("({i}, {j})"),
                        format!("indices must be below ({n_pre}, {n_post})"),
                    )
                    .into());
                }
                let pairs: Vec<(u32, u32)> =
                    pairs.iter().map(|&(i, j)| (i as u32, j as u32)).collect();
                line(0, &pairs);
                Ok(())
            }
            Connector::Dense(m) => {
                if m.len() != n_pre {
                    return Err(NetworkError::size_mismatch(
                        "Dense connectivity",
                        "matrix rows",
                        m.len(),
                        "pre",
                        n_pre,
                    ));
                }
                if let Some(row) = m.iter().find(|row| row.len() != n_post) {
                    return Err(NetworkError::size_mismatch(
                        "Dense connectivity",
                        "matrix columns",
                        row.len(),
                        "post",
                        n_post,
                    ));
                }
                let pairs: Vec<(u32, u32)> = m
                    .iter()
                    .enumerate()
                    .flat_map(|(i, row)| {
                        (0..n_post as u32)
                            .filter(|&j| row[j as usize])
                            .map(move |j| (i as u32, j))
                    })
                    .collect();
                line(0, &pairs);
                Ok(())
            }
        }
    }
}

/// What receives the drawn lines: `(line number, its synapses as (pre, post))`.
pub type LineSink<'a> = dyn FnMut(usize, &[(u32, u32)]) + 'a;

/// Draws line `l` (a row's targets or a column's sources) from its stream into the buffer.
type DrawLine<'a> = dyn FnMut(usize, &mut Rng, &mut Vec<u32>) -> Result<(), NetworkError> + 'a;

/// How a connector's synapses are drawn: in lines, each from its own stream of the seed, so
/// that the synapses onto any range of targets can be drawn without the rest, and are those
/// the whole network has (a rank of a distributed run draws only its part).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// One line per presynaptic neuron: its targets (all-to-all, one-to-one, Bernoulli,
    /// fixed out-degree). Every row is drawn; the targets outside a range are dropped.
    Rows,
    /// One line per postsynaptic neuron: its sources (fixed in-degree). Only the lines of the
    /// range are drawn.
    Columns,
    /// One line for the whole (a fixed total, explicit pairs or a matrix).
    Whole,
}

/// The targets of one presynaptic neuron under Bernoulli(p), into `row`: the gaps between
/// chosen targets are drawn geometrically — O(k) draws for k targets.
fn bernoulli_row(rng: &mut Rng, n: usize, p: f64, exclude: Option<usize>, row: &mut Vec<u32>) {
    row.extend(BernoulliRow::new(rng, n, p, exclude).map(|j| j as u32));
}

/// The targets of one row of Bernoulli(p) connectivity over `0..n`, in increasing order, drawn
/// from `rng` by geometric skipping (the gap to the next success is `⌊ln U / ln(1 − p)⌋`):
/// the one place a `FixedProb` row is drawn, whether it is stored or regenerated at each
/// spike (procedural connectivity).
pub(crate) struct BernoulliRow<'r> {
    rng: &'r mut Rng,
    n: f64,
    log_q: f64,
    /// The last position drawn.
    j: f64,
    exclude: Option<usize>,
    /// Every target (p ≥ 1), or none (p ≤ 0).
    all: Option<bool>,
}

impl<'r> BernoulliRow<'r> {
    /// The row over `0..n` with probability `p`, leaving out `exclude`.
    #[inline]
    pub(crate) fn new(rng: &'r mut Rng, n: usize, p: f64, exclude: Option<usize>) -> Self {
        let all = if p <= 0.0 || n == 0 {
            Some(false)
        } else if p >= 1.0 {
            Some(true)
        } else {
            None
        };
        Self {
            rng,
            n: n as f64,
            // ln(1 − p); for p below 2^-53, 1 − p rounds to 1 and its logarithm to 0 (skips
            // would be −∞ and the row endless): ln(1 − p) ≈ −p there
            log_q: match (1.0 - p).ln() {
                0.0 => -p,
                l => l,
            },
            j: -1.0,
            exclude,
            all,
        }
    }
}

impl Iterator for BernoulliRow<'_> {
    type Item = usize;

    #[inline(always)]
    fn next(&mut self) -> Option<usize> {
        loop {
            match self.all {
                Some(false) => return None,
                Some(true) => self.j += 1.0,
                None => {
                    let u: f64 = self.rng.random::<f64>();
                    self.j += 1.0 + ((1.0 - u).ln() / self.log_q).floor();
                }
            }
            if self.j >= self.n {
                return None;
            }
            if Some(self.j as usize) != self.exclude {
                return Some(self.j as usize);
            }
        }
    }
}

/// `k` indices out of `0..n`, into `out` (sorted when drawn without replacement).
fn draw(
    rng: &mut Rng,
    owner: &str,
    n: usize,
    k: usize,
    with_replacement: bool,
    exclude: Option<usize>,
    out: &mut Vec<u32>,
) -> Result<(), NetworkError> {
    let available = n - usize::from(exclude.is_some_and(|e| e < n));
    if k > 0 && available == 0 {
        return Err(InvalidParameter::new(
            owner,
            "num",
            k.to_string(),
            "no candidates to connect to",
        )
        .into());
    }
    if with_replacement {
        let start = out.len();
        while out.len() - start < k {
            let j = rng.random_range(0..n);
            if Some(j) != exclude {
                out.push(j as u32);
            }
        }
        Ok(())
    } else {
        if k > available {
            return Err(InvalidParameter::new(
                owner,
                "num",
                k.to_string(),
                format!("must be at most {available} without replacement"),
            )
            .into());
        }
        // Floyd's algorithm: k distinct draws in O(k)
        let mut chosen = std::collections::HashSet::with_capacity(k);
        let start = out.len();
        let m = available;
        for t in m - k..m {
            let r = rng.random_range(0..=t);
            let pick = if chosen.contains(&r) { t } else { r };
            chosen.insert(pick);
            // map 0..available onto 0..n skipping `exclude`
            out.push(match exclude {
                Some(e) if pick >= e => (pick + 1) as u32,
                _ => pick as u32,
            });
        }
        out[start..].sort_unstable();
        Ok(())
    }
}

/// The number of synapses a Bernoulli(p) connectivity would have on average: n_pre·n_post·p.
pub fn expected_synapses(n_pre: usize, n_post: usize, p: f64) -> f64 {
    n_pre as f64 * n_post as f64 * p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_to_all_and_one_to_one() {
        let c = Connector::all_to_all().build(3, 4, 0).unwrap();
        assert_eq!(c.n_synapses(), 12);
        let c = Connector::AllToAll {
            include_self: false,
        }
        .build(3, 3, 0)
        .unwrap();
        assert_eq!(c.n_synapses(), 6);
        assert!(c.pairs().all(|(i, j)| i != j));
        let c = Connector::OneToOne.build(5, 5, 0).unwrap();
        assert!(c.pairs().all(|(i, j)| i == j));
        assert!(matches!(
            Connector::OneToOne.build(5, 4, 0),
            Err(NetworkError::SizeMismatch { .. })
        ));
    }

    #[test]
    fn fixed_prob_has_binomial_statistics_and_is_seeded() {
        let (n, p) = (2000, 0.02);
        let c = Connector::fixed_prob(p).build(n, n, 42).unwrap();
        let expected = expected_synapses(n, n, p);
        let sd = (expected * (1.0 - p)).sqrt();
        assert!(
            (c.n_synapses() as f64 - expected).abs() < 5.0 * sd,
            "{}",
            c.n_synapses()
        );
        assert_eq!(c, Connector::fixed_prob(p).build(n, n, 42).unwrap());
        assert_ne!(c, Connector::fixed_prob(p).build(n, n, 43).unwrap());
        let c = Connector::FixedProb {
            p: 0.5,
            include_self: false,
        }
        .build(50, 50, 1)
        .unwrap();
        assert!(c.pairs().all(|(i, j)| i != j));
        assert!(Connector::fixed_prob(1.2).build(3, 3, 0).is_err());
    }

    #[test]
    fn fixed_out_and_in_degrees() {
        let c = Connector::event_fixed_prob(0.1).build(100, 50, 3).unwrap();
        assert!((0..100).all(|i| c.targets(i).len() == 5));
        let c = Connector::FixedPostNum {
            num: Count::Exactly(10),
            with_replacement: false,
            include_self: false,
        }
        .build(20, 20, 3)
        .unwrap();
        for i in 0..20 {
            let t = c.targets(i);
            assert_eq!(t.len(), 10);
            assert!(!t.contains(&(i as u32)));
            assert!(t.windows(2).all(|w| w[0] < w[1]), "distinct and sorted");
        }
        let c = Connector::FixedPreNum {
            num: Count::Exactly(7),
            with_replacement: false,
            include_self: true,
        }
        .build(30, 40, 5)
        .unwrap();
        assert!(c.in_degrees().iter().all(|&d| d == 7));
        let c = Connector::FixedTotalNum {
            num: 123,
            with_replacement: false,
        }
        .build(20, 30, 9)
        .unwrap();
        assert_eq!(c.n_synapses(), 123);
        let mut pairs: Vec<_> = c.pairs().collect();
        pairs.dedup();
        assert_eq!(pairs.len(), 123);
    }

    #[test]
    fn explicit_connectivity() {
        let c = Connector::Pairs(vec![(1, 2), (0, 1), (1, 0)])
            .build(2, 3, 0)
            .unwrap();
        assert_eq!(c.targets(0), &[1]);
        assert_eq!(c.targets(1), &[2, 0]);
        assert!(Connector::Pairs(vec![(2, 0)]).build(2, 3, 0).is_err());
        let c = Connector::Dense(vec![vec![true, false], vec![true, true]])
            .build(2, 2, 0)
            .unwrap();
        assert_eq!(c.n_synapses(), 3);
        assert!(Connector::Dense(vec![vec![true]]).build(2, 2, 0).is_err());
    }
}
