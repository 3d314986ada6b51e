//! proptest strategies for connectivity, weights, delays and inputs (cargo feature
//! `proptest`), in two kinds:
//!
//! - **valid** ones ([`connector`], [`weights`], [`delay`], [`waveform`], [`init`]) draw only
//!   what the builders accept, for property tests of a network's behaviour;
//! - **any** ones ([`any_number`], [`any_size`], [`any_connector`], [`any_weights`],
//!   [`any_delay`], [`any_waveform`], [`any_init`]) draw whatever a user could hand in — NaN,
//!   ±∞, subnormals, ±1e300, sizes no machine holds — for checking that every input is refused
//!   with a typed error or runs to a finite state, never a panic.
//!
//! ```
//! use neurotype_models::prelude::*;
//! use neurotype_network::prelude::*;
//! use neurotype_network::strategy::{connector, weights};
//! use proptest::prelude::*;
//!
//! proptest!(ProptestConfig::with_cases(8), |(c in connector(), w in weights(0.1 * nS, 10.0 * nS))| {
//!     let mut net = Network::new(0.1 * ms)?.progress(Progress::Never);
//!     let src = net.add_source(PoissonGroup::new(20, 50.0 * Hz, 1)?);
//!     let post = net.add("post", Lif::builder(10).build()?);
//!     let proj = AlignPostProj::new(src, post)
//!         .comm(Comm::new(20, 10, c, w))
//!         .syn(Expon::builder(10).build()?)
//!         .out(Coba::new(0.0 * mV)?);
//!     prop_assert!(net.connect(proj).is_ok());
//! });
//! ```

pub use neurotype_models::strategy::*;

use crate::connectivity::{Connector, Count};
use crate::delay::Delay;
use crate::input::Waveform;
use crate::weights::WeightInit;
use neurotype_models::param::Init;
use neurotype_units::prelude::{
    ElectricCurrent, ElectricPotential, ElectricalConductance, Hz, Time, mV, ms, nA, nS,
};
use neurotype_units::{Raw, Real, Unitful, narrow};
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use std::sync::Arc;

/// Connectors the builders accept for any sizes: all-to-all, a probability in [0, 1], a
/// fraction in [0, 1] of partners with or without replacement.
pub fn connector() -> BoxedStrategy<Connector> {
    let fraction = 0.0..=1.0f64;
    prop_oneof![
        Just(Connector::all_to_all()),
        fraction.clone().prop_map(Connector::fixed_prob),
        (fraction.clone(), any::<bool>()).prop_map(|(p, r)| Connector::FixedPostNum {
            num: Count::Fraction(p),
            with_replacement: r,
            include_self: true,
        }),
        (fraction, any::<bool>()).prop_map(|(p, r)| Connector::FixedPreNum {
            num: Count::Fraction(p),
            with_replacement: r,
            include_self: true,
        }),
    ]
    .boxed()
}

/// Weight initialisers within `[low, high]` (0 ≤ low < high): a constant, uniform, a normal
/// truncated to the range, and explicit values.
pub fn weights<Q: Unitful + core::fmt::Debug + Send + Sync + 'static>(
    low: Q,
    high: Q,
) -> BoxedStrategy<WeightInit<Q>> {
    let (a, b) = (low.raw(), high.raw());
    assert!(0.0 <= a && a < b, "a weight range needs 0 <= low < high");
    let w = move || (a..=b).prop_map(Q::from_raw);
    prop_oneof![
        w().prop_map(WeightInit::Constant),
        (w(), w()).prop_map(|(x, y)| {
            let (lo, hi) = if x.raw() <= y.raw() { (x, y) } else { (y, x) };
            if lo.raw() < hi.raw() {
                WeightInit::Uniform(lo, hi)
            } else {
                WeightInit::Constant(lo)
            }
        }),
        w().prop_map(move |mean| WeightInit::TruncatedNormal {
            mean,
            std: Q::from_raw((b - a) / 4.0),
            low: Q::from_raw(a),
            high: Q::from_raw(b),
        }),
    ]
    .boxed()
}

/// Delays the builders accept: none, up to `max_steps` steps, or a time of up to that many
/// steps of `dt`.
pub fn delay(max_steps: usize, dt: Time) -> BoxedStrategy<Delay> {
    let dt_raw = dt.raw();
    prop_oneof![
        Just(Delay::None),
        (0..=max_steps).prop_map(Delay::Steps),
        (0..=max_steps).prop_map(move |k| Delay::Time(Time::from_raw(k as Real * dt_raw))),
    ]
    .boxed()
}

/// Input waveforms with values within `[low, high]` and durations up to `longest`: constant,
/// steps, ramps and sinusoids.
pub fn waveform<Q: Unitful + core::fmt::Debug + Send + Sync + 'static>(
    low: Q,
    high: Q,
    longest: Time,
) -> BoxedStrategy<Waveform<Q>> {
    let (a, b, t) = (low.raw(), high.raw(), longest.raw());
    assert!(
        a < b && t > 0.0,
        "a waveform needs low < high and a positive duration"
    );
    let v = move || (a..=b).prop_map(Q::from_raw);
    let d = move || (t / 100.0..=t).prop_map(Time::from_raw);
    prop_oneof![
        (v(), prop::option::of(d()))
            .prop_map(|(value, duration)| Waveform::Constant { value, duration }),
        (v(), v(), d(), d()).prop_map(|(start, end, duration, t_start)| Waveform::Ramp {
            start,
            end,
            duration,
            t_start,
        }),
        (v(), v(), 1.0..100.0f64).prop_map(|(amplitude, bias, f)| Waveform::Sinusoidal {
            amplitude,
            frequency: narrow(f) * Hz,
            duration: None,
            bias,
        }),
    ]
    .boxed()
}

/// Initialisers within `[low, high]`: a constant, uniform, or normal (mean in the range,
/// standard deviation a quarter of it).
pub fn init<Q: Unitful + core::fmt::Debug + Send + Sync + 'static>(
    low: Q,
    high: Q,
) -> BoxedStrategy<Init<Q>> {
    let (a, b) = (low.raw(), high.raw());
    assert!(a < b, "an initialiser range needs low < high");
    let v = move || (a..=b).prop_map(Q::from_raw);
    prop_oneof![
        v().prop_map(Init::Constant),
        Just(Init::Uniform(low, high)),
        v().prop_map(move |m| Init::Normal(m, Q::from_raw((b - a) / 4.0))),
    ]
    .boxed()
}

/// Any number a user could hand in, the awkward ones often: NaN, ±∞, ±0, subnormals, ±1e300,
/// the largest float, ordinary values, powers of ten and any bit pattern.
pub fn any_number() -> BoxedStrategy<f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(0.0),
        Just(-0.0),
        Just(f64::MIN_POSITIVE / 4.0),
        Just(-f64::MIN_POSITIVE / 4.0),
        Just(1e300),
        Just(-1e300),
        Just(f64::MAX),
        -100.0..100.0f64,
        (-30i32..30).prop_map(|e| 10f64.powi(e)),
        any::<f64>(),
    ]
    .boxed()
}

/// Any quantity of a kind, its number drawn by [`any_number`] in the unit `unit`.
fn any_of<Q: Unitful + core::ops::Mul<Real, Output = Q> + core::fmt::Debug + 'static>(
    unit: Q,
) -> impl Strategy<Value = Q> {
    any_number().prop_map(move |x| unit * narrow(x))
}

/// Sizes: small ones mostly, and 0, 2³³ (beyond 32-bit indices) and `usize::MAX`.
pub fn any_size() -> BoxedStrategy<usize> {
    prop_oneof![
        8 => 1..=12usize,
        1 => Just(0usize),
        1 => Just(1usize << 33),
        1 => Just(usize::MAX),
    ]
    .boxed()
}

/// Any connector, its numbers drawn by [`any_number`] and its counts up to absurd.
pub fn any_connector() -> BoxedStrategy<Connector> {
    prop_oneof![
        Just(Connector::all_to_all()),
        any_number().prop_map(Connector::fixed_prob),
        (any_number(), any::<bool>()).prop_map(|(p, r)| Connector::FixedPostNum {
            num: Count::Fraction(p),
            with_replacement: r,
            include_self: true,
        }),
        (prop_oneof![0..20usize, Just(usize::MAX)], any::<bool>()).prop_map(|(k, r)| {
            Connector::FixedPreNum {
                num: Count::Exactly(k),
                with_replacement: r,
                include_self: true,
            }
        }),
        (prop_oneof![0..200usize, Just(1usize << 40)], any::<bool>()).prop_map(|(k, r)| {
            Connector::FixedTotalNum {
                num: k,
                with_replacement: r,
            }
        }),
        prop::collection::vec((0..12usize, 0..12usize), 0..20).prop_map(Connector::Pairs),
    ]
    .boxed()
}

/// Any weight initialiser of conductances, its numbers drawn by [`any_number`] (in nS).
pub fn any_weights() -> BoxedStrategy<WeightInit<ElectricalConductance>> {
    let w = || any_of(nS);
    prop_oneof![
        w().prop_map(WeightInit::Constant),
        (w(), w()).prop_map(|(a, b)| WeightInit::Uniform(a, b)),
        (w(), w()).prop_map(|(a, b)| WeightInit::Normal(a, b)),
        (w(), w(), w(), w()).prop_map(|(mean, std, low, high)| WeightInit::TruncatedNormal {
            mean,
            std,
            low,
            high,
        }),
        (any_number(), any_number()).prop_map(|(mu, sigma)| WeightInit::LogNormal {
            mu,
            sigma,
            unit: 1.0 * nS,
        }),
        prop::collection::vec(w(), 0..30).prop_map(WeightInit::Values),
    ]
    .boxed()
}

/// Any delay: step counts up to 2⁴⁰ and times drawn by [`any_number`] (in ms).
pub fn any_delay() -> BoxedStrategy<Delay> {
    prop_oneof![
        Just(Delay::None),
        prop_oneof![0..30usize, Just(usize::MAX)].prop_map(Delay::Steps),
        any_of(ms).prop_map(Delay::Time),
        prop::collection::vec(prop_oneof![0..10usize, Just(1usize << 40)], 0..14)
            .prop_map(Delay::PerNeuronSteps),
        prop::collection::vec(any_of(ms), 0..14).prop_map(Delay::PerNeuronTime),
    ]
    .boxed()
}

/// Any current waveform, its numbers drawn by [`any_number`] (nA, ms, Hz).
pub fn any_waveform() -> BoxedStrategy<Waveform<ElectricCurrent>> {
    let (i, t) = (|| any_of(nA), || any_of(ms));
    prop_oneof![
        (i(), prop::option::of(t()))
            .prop_map(|(value, duration)| Waveform::Constant { value, duration }),
        (
            prop::collection::vec(i(), 0..4),
            prop::collection::vec(t(), 0..4)
        )
            .prop_map(|(values, durations)| Waveform::Section { values, durations }),
        (
            prop::collection::vec(i(), 0..4),
            prop::collection::vec(t(), 0..4)
        )
            .prop_map(|(amplitudes, times)| Waveform::Step { amplitudes, times }),
        (i(), i(), t(), t()).prop_map(|(start, end, duration, t_start)| Waveform::Ramp {
            start,
            end,
            duration,
            t_start,
        }),
        (i(), any_of(Hz), prop::option::of(t()), i()).prop_map(
            |(amplitude, frequency, duration, bias)| Waveform::Sinusoidal {
                amplitude,
                frequency,
                duration,
                bias,
            }
        ),
    ]
    .boxed()
}

/// Any initialiser of potentials, its numbers drawn by [`any_number`] (in mV), including a
/// function that returns one such value for one element.
pub fn any_init() -> BoxedStrategy<Init<ElectricPotential>> {
    let v = || any_of(mV);
    prop_oneof![
        v().prop_map(Init::Constant),
        (v(), v()).prop_map(|(a, b)| Init::Uniform(a, b)),
        (v(), v()).prop_map(|(a, b)| Init::Normal(a, b)),
        prop::collection::vec(v(), 0..10).prop_map(Init::Values),
        (v(), 0..10usize).prop_map(|(x, k)| Init::Func(Arc::new(move |i: usize| {
            if i == k { x } else { -60.0 * mV }
        }))),
    ]
    .boxed()
}
