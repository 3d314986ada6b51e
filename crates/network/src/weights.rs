//! Synaptic weights: one shared value, or one per synapse from an initialiser.
//!
//! Initialisers follow `braintools.init`: fans come from the shape of the weight matrix,
//! `(n_pre, n_post)` for dense and all-to-all connectivity and `(n_pre, k)` for a fixed
//! out-degree `k`, as BrainPy computes them; the variance-scaling family sets
//! `variance = scale / max(1, fan)`.

use crate::connectivity::Connectivity;
use neurotype_models::rng::Rng;
use neurotype_units::{InvalidParameter, Unitful, check};
use neurotype_units::{Real, narrow, wide};
use rand_distr::{Distribution, LogNormal, Normal, Uniform};

/// Which fan a variance-scaling initialiser uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fan {
    /// Number of inputs per unit (the first axis, `n_pre`).
    In,
    /// Number of outputs per unit (the last axis).
    Out,
    /// Their mean.
    Average,
}

/// How synaptic weights are drawn. `Q` is the weight's quantity (a conductance for COBA
/// synapses, a voltage for δ-projections, ...).
#[derive(Debug, Clone, PartialEq)]
pub enum WeightInit<Q> {
    /// The same value for every synapse (stored once).
    Constant(Q),
    /// Uniform on `[low, high)`.
    Uniform(Q, Q),
    /// Normal(mean, std).
    Normal(Q, Q),
    /// Normal(mean, std) redrawn until it falls in `[low, high]`.
    TruncatedNormal {
        /// Mean.
        mean: Q,
        /// Standard deviation.
        std: Q,
        /// Lower bound.
        low: Q,
        /// Upper bound.
        high: Q,
    },
    /// `unit · exp(N(mu, sigma))`: log-normal with the given parameters of the log.
    LogNormal {
        /// Mean of the log.
        mu: f64,
        /// Standard deviation of the log.
        sigma: f64,
        /// Scale (the weight when the exponent is 0).
        unit: Q,
    },
    /// Variance scaling (`braintools.init.VarianceScaling`): `std = unit·√(scale/max(1, fan))`,
    /// normal or uniform (`limit = √3·std`).
    VarianceScaling {
        /// Scale (2 for Kaiming/He, 1 for Xavier/Glorot and LeCun).
        scale: f64,
        /// Which fan.
        fan: Fan,
        /// Uniform instead of normal.
        uniform: bool,
        /// The weight unit.
        unit: Q,
    },
    /// Explicit weights, one per synapse in connectivity order.
    Values(Vec<Q>),
}

impl<Q: Copy> WeightInit<Q> {
    /// He/Kaiming normal: `std = unit·√(2/fan_in)`.
    pub fn kaiming_normal(unit: Q) -> Self {
        WeightInit::VarianceScaling {
            scale: 2.0,
            fan: Fan::In,
            uniform: false,
            unit,
        }
    }

    /// He/Kaiming uniform: `limit = unit·√(6/fan_in)`.
    pub fn kaiming_uniform(unit: Q) -> Self {
        WeightInit::VarianceScaling {
            scale: 2.0,
            fan: Fan::In,
            uniform: true,
            unit,
        }
    }

    /// Glorot/Xavier normal: `std = unit·√(2/(fan_in + fan_out))`.
    pub fn xavier_normal(unit: Q) -> Self {
        WeightInit::VarianceScaling {
            scale: 1.0,
            fan: Fan::Average,
            uniform: false,
            unit,
        }
    }

    /// Glorot/Xavier uniform.
    pub fn xavier_uniform(unit: Q) -> Self {
        WeightInit::VarianceScaling {
            scale: 1.0,
            fan: Fan::Average,
            uniform: true,
            unit,
        }
    }
}

impl<Q> From<Q> for WeightInit<Q> {
    fn from(q: Q) -> Self {
        WeightInit::Constant(q)
    }
}

/// What connectivity constructors take as weights: one quantity (the same for every synapse)
/// or a [`WeightInit`]. The weight's type follows from the argument alone, so that
/// `.comm(Comm::all_to_all(n, m, init))` needs no annotation.
pub trait IntoWeights {
    /// The weight quantity.
    type Weight;
    /// The initialiser.
    fn into_weights(self) -> WeightInit<Self::Weight>;
}

impl<Q: Unitful> IntoWeights for Q {
    type Weight = Q;
    fn into_weights(self) -> WeightInit<Q> {
        WeightInit::Constant(self)
    }
}

impl<Q> IntoWeights for WeightInit<Q> {
    type Weight = Q;
    fn into_weights(self) -> WeightInit<Q> {
        self
    }
}

/// Weights of a projection, aligned with its [`Connectivity`].
#[derive(Debug, Clone, PartialEq)]
pub enum Weights<Q> {
    /// One value for every synapse.
    Homogeneous(Q),
    /// One value per synapse, in connectivity order.
    PerSynapse(Vec<Real>, core::marker::PhantomData<Q>),
}

impl<Q: Unitful> Weights<Q> {
    /// The weight of synapse `k`, as a stored number.
    #[inline(always)]
    pub fn raw(&self, k: usize) -> Real {
        match self {
            Weights::Homogeneous(q) => q.raw(),
            Weights::PerSynapse(w, _) => w[k],
        }
    }

    /// The weight of synapse `k`.
    pub fn get(&self, k: usize) -> Q {
        Q::from_raw(self.raw(k))
    }

    /// The shared weight, if homogeneous.
    pub fn homogeneous(&self) -> Option<Q> {
        match self {
            Weights::Homogeneous(q) => Some(*q),
            Weights::PerSynapse(..) => None,
        }
    }
}

/// One weight after another, as an initialiser draws them (parameters checked, fans resolved).
#[derive(Clone)]
pub enum Sampler {
    /// The same stored number for every synapse.
    Constant(f64),
    /// A draw from a distribution.
    Random(std::sync::Arc<dyn Fn(&mut Rng) -> f64 + Send + Sync>),
    /// Explicit stored numbers, one per synapse in connectivity order.
    Values(Vec<Real>),
}

impl core::fmt::Debug for Sampler {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Sampler::Constant(w) => write!(f, "Constant({w})"),
            Sampler::Random(_) => write!(f, "Random"),
            Sampler::Values(v) => write!(f, "Values({} weights)", v.len()),
        }
    }
}

impl Sampler {
    /// The weight of synapse number `k` (connectivity order), drawn from `rng` if random; NaN
    /// past the end of explicit values ([`Sampler::check_count`] then refuses them).
    #[inline]
    pub fn weight(&self, k: usize, rng: &mut Rng) -> Real {
        match self {
            // drawn in double precision whatever the build, so an f32 network has the f64
            // network's weights rounded once
            Sampler::Constant(w) => narrow(*w),
            Sampler::Random(f) => narrow(f(rng)),
            // too few values: the count check after drawing refuses the projection
            Sampler::Values(v) => v.get(k).copied().unwrap_or(Real::NAN),
        }
    }

    /// Whether every synapse gets one shared value.
    pub fn is_constant(&self) -> bool {
        matches!(self, Sampler::Constant(_))
    }

    /// Checks that explicit values hold one weight per synapse.
    pub fn check_count(&self, owner: &str, n_synapses: usize) -> Result<(), InvalidParameter> {
        match self {
            Sampler::Values(v) if v.len() != n_synapses => Err(InvalidParameter::new(
                owner,
                "weights",
                format!("{} values", v.len()),
                format!("must hold one weight per synapse ({n_synapses})"),
            )),
            _ => Ok(()),
        }
    }
}

impl<Q: Unitful + PartialOrd> WeightInit<Q> {
    /// Checks the parameters and returns the sampler that draws the weights of a weight matrix
    /// of shape `(fan_in, fan_out)` (BrainPy's fans: `(n_pre, k)` for a fixed out-degree `k`,
    /// `(n_pre, n_post)` otherwise).
    pub fn sampler(
        &self,
        owner: &str,
        fan_in: usize,
        fan_out: usize,
    ) -> Result<Sampler, InvalidParameter> {
        let random = |f: Box<dyn Fn(&mut Rng) -> f64 + Send + Sync>| Sampler::Random(f.into());
        Ok(match self {
            WeightInit::Constant(q) => {
                check::finite(owner, "weight", *q)?;
                Sampler::Constant(wide(q.raw()))
            }
            WeightInit::Uniform(lo, hi) => {
                check::finite(owner, "weight (uniform low)", *lo)?;
                check::finite(owner, "weight (uniform high)", *hi)?;
                check::less_than(owner, "weight (uniform low)", *lo, "high", *hi)?;
                check::finite_span(owner, "weight (uniform)", *lo, *hi)?;
                let d = Uniform::new(wide(lo.raw()), wide(hi.raw())).expect("low < high");
                random(Box::new(move |rng| d.sample(rng)))
            }
            WeightInit::Normal(m, s) => {
                check::finite(owner, "weight (normal mean)", *m)?;
                check::non_negative(owner, "weight (normal std)", *s)?;
                let d = Normal::new(wide(m.raw()), wide(s.raw())).expect("std >= 0");
                random(Box::new(move |rng| d.sample(rng)))
            }
            WeightInit::TruncatedNormal {
                mean,
                std,
                low,
                high,
            } => {
                check::finite(owner, "weight (normal mean)", *mean)?;
                check::non_negative(owner, "weight (normal std)", *std)?;
                check::finite(owner, "weight (truncation low)", *low)?;
                check::finite(owner, "weight (truncation high)", *high)?;
                check::less_than(owner, "weight (truncation low)", *low, "high", *high)?;
                // the rejection loop below ends only if the range holds some of the mass
                let mass = truncated_mass(
                    wide(mean.raw()),
                    wide(std.raw()),
                    wide(low.raw()),
                    wide(high.raw()),
                );
                if mass < MIN_TRUNCATED_MASS {
                    return Err(InvalidParameter::new(
                        owner,
                        "weight (truncation range)",
                        format!("{} .. {}", low.show(), high.show()),
                        format!(
                            "must hold at least {MIN_TRUNCATED_MASS:e} of N({}, {}) (it holds {mass:.1e})",
                            mean.show(),
                            std.show()
                        ),
                    ));
                }
                let d = Normal::new(wide(mean.raw()), wide(std.raw())).expect("std >= 0");
                let (lo, hi) = (wide(low.raw()), wide(high.raw()));
                random(Box::new(move |rng| {
                    loop {
                        let x = d.sample(rng);
                        if (lo..=hi).contains(&x) {
                            break x;
                        }
                    }
                }))
            }
            WeightInit::LogNormal { mu, sigma, unit } => {
                check::finite(owner, "mu", neurotype_units::math::ratio(narrow(*mu)))?;
                check::non_negative(owner, "sigma", neurotype_units::math::ratio(narrow(*sigma)))?;
                check::finite(owner, "weight (log-normal unit)", *unit)?;
                let d = LogNormal::new(*mu, *sigma).map_err(|_| {
                    InvalidParameter::new(
                        owner,
                        "sigma",
                        sigma.to_string(),
                        "must be finite and >= 0",
                    )
                })?;
                let u = wide(unit.raw());
                random(Box::new(move |rng| u * d.sample(rng)))
            }
            WeightInit::VarianceScaling {
                scale,
                fan,
                uniform,
                unit,
            } => {
                let (fan_in, fan_out) = (fan_in as f64, fan_out as f64);
                let f = match fan {
                    Fan::In => fan_in,
                    Fan::Out => fan_out,
                    Fan::Average => 0.5 * (fan_in + fan_out),
                };
                let std = wide(unit.raw()) * (scale / f.max(1.0)).sqrt();
                if *uniform {
                    let limit = 3f64.sqrt() * std;
                    let d = Uniform::new(-limit, limit).map_err(|_| {
                        InvalidParameter::new(owner, "scale", scale.to_string(), "must be > 0")
                    })?;
                    random(Box::new(move |rng| d.sample(rng)))
                } else {
                    let d = Normal::new(0.0, std).map_err(|_| {
                        InvalidParameter::new(owner, "scale", scale.to_string(), "must be >= 0")
                    })?;
                    random(Box::new(move |rng| d.sample(rng)))
                }
            }
            WeightInit::Values(v) => {
                for (k, q) in v.iter().enumerate() {
                    check::finite(owner, &format!("weights[{k}]"), *q)?;
                }
                Sampler::Values(v.iter().map(|q| q.raw()).collect())
            }
        })
    }

    /// Draws the weights of `conn` in connectivity order from `rng` (fans from the
    /// weight-matrix shape `(n_pre, fan_out)`).
    pub fn build(
        &self,
        owner: &str,
        conn: &Connectivity,
        fan_out: usize,
        rng: &mut Rng,
    ) -> Result<Weights<Q>, InvalidParameter> {
        let sampler = self.sampler(owner, conn.n_pre(), fan_out)?;
        let n = conn.n_synapses();
        sampler.check_count(owner, n)?;
        Ok(match sampler {
            Sampler::Constant(w) => Weights::Homogeneous(Q::from_raw(narrow(w))),
            s => Weights::PerSynapse(
                (0..n).map(|k| s.weight(k, rng)).collect(),
                core::marker::PhantomData,
            ),
        })
    }
}

/// The smallest share of a normal distribution a truncation range may hold (below it, drawing
/// by rejection would take millions of tries per weight, or never end).
const MIN_TRUNCATED_MASS: f64 = 1e-6;

/// The share of N(mean, std) in [low, high] (std = 0: 1 if the mean is inside, else 0).
fn truncated_mass(mean: f64, std: f64, low: f64, high: f64) -> f64 {
    if std == 0.0 {
        return f64::from(u8::from((low..=high).contains(&mean)));
    }
    let z = |x: f64| (x - mean) / (std * core::f64::consts::SQRT_2);
    0.5 * (libm::erfc(z(low)) - libm::erfc(z(high)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectivity::Connector;
    use neurotype_models::rng;
    use neurotype_units::prelude::*;

    #[test]
    fn variance_scaling_uses_brainpy_fans() {
        let conn = Connector::all_to_all().build(400, 100, 0).unwrap();
        let w = WeightInit::kaiming_normal(1.0 * mS)
            .build("test", &conn, 100, &mut rng::seeded(1))
            .unwrap();
        let Weights::PerSynapse(v, _) = w else {
            panic!()
        };
        let var = v.iter().map(|x| x * x).sum::<f64>() / v.len() as f64;
        assert!(
            (var - 2.0 / 400.0).abs() < 0.05 * 2.0 / 400.0,
            "variance {var}"
        );
        let w = WeightInit::xavier_normal(1.0 * mS)
            .build("test", &conn, 100, &mut rng::seeded(1))
            .unwrap();
        let Weights::PerSynapse(v, _) = w else {
            panic!()
        };
        let var = v.iter().map(|x| x * x).sum::<f64>() / v.len() as f64;
        assert!((var - 1.0 / 250.0).abs() < 0.05 / 250.0, "variance {var}");
    }

    #[test]
    fn truncated_normal_respects_bounds_and_homogeneous_is_stored_once() {
        let conn = Connector::fixed_prob(0.5).build(50, 50, 2).unwrap();
        let w = WeightInit::TruncatedNormal {
            mean: 1.0 * nS,
            std: 2.0 * nS,
            low: 0.0 * nS,
            high: 2.0 * nS,
        }
        .build("test", &conn, 50, &mut rng::seeded(3))
        .unwrap();
        assert!((0..conn.n_synapses()).all(|k| (0.0..=2.0).contains(&in_units(w.get(k), nS))));
        let w = WeightInit::Constant(0.6 * nS)
            .build("test", &conn, 50, &mut rng::seeded(3))
            .unwrap();
        assert_eq!(w.homogeneous(), Some(0.6 * nS));
        assert!(
            WeightInit::Values(vec![1.0 * nS; 3])
                .build("test", &conn, 50, &mut rng::seeded(3))
                .is_err()
        );
    }
}
