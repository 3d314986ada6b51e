//! Mathematical functions of dimensionless quantities.
//!
//! `exp`, `expm1`, `exprel`, `ln`, `tanh`, `cosh` and `sigmoid` are defined **only** for
//! [`Ratio`]: the argument of a transcendental function must be a pure number. A modeller writes
//! the ratio explicitly, e.g. `exp((v - v_t) / delta_t)` or `exprel(dt * jacobian)`, and passing a
//! voltage or a time is a compile error rather than the run-time failure BrainPy reports
//! (`exprel requires a dimensionless "x"`). There is no `unit_to_scale` escape hatch: scaling a
//! voltage by "its number of millivolts" is written `v / mV`, which is itself a ratio.
//!
//! The `f64` twins in [`scalar`] are what the hot loops call on raw values; the typed functions
//! are thin wrappers and cost nothing.

use crate::Real;
use crate::system::Ratio;

/// Builds a dimensionless quantity from a plain number.
#[inline(always)]
pub fn ratio(x: Real) -> Ratio {
    Ratio {
        dimension: core::marker::PhantomData,
        units: core::marker::PhantomData,
        value: x,
    }
}

macro_rules! ratio_fn {
    ($($(#[$meta:meta])* $name:ident;)*) => {
        $(
            $(#[$meta])*
            #[inline(always)]
            pub fn $name(x: Ratio) -> Ratio {
                ratio(scalar::$name(x.value))
            }
        )*
    };
}

ratio_fn! {
    /// e^x.
    exp;
    /// e^x − 1, accurate for small x.
    expm1;
    /// (e^x − 1)/x with the removable singularity filled (exprel(0) = 1); the integrating factor
    /// of exponential Euler and the safe form of HH rate functions `x/(1 − e^{−x})`.
    exprel;
    /// Natural logarithm.
    ln;
    /// Hyperbolic tangent.
    tanh;
    /// Hyperbolic cosine.
    cosh;
    /// Logistic sigmoid 1/(1 + e^{−x}).
    sigmoid;
    /// Square root of a dimensionless number.
    sqrt;
}

/// Raises a ratio to an integer power.
#[inline(always)]
pub fn powi(x: Ratio, n: i32) -> Ratio {
    ratio(x.value.powi(n))
}

/// Raises a ratio to a real power.
#[inline(always)]
pub fn powf(x: Ratio, p: Ratio) -> Ratio {
    ratio(x.value.powf(p.value))
}

/// The same functions on raw [`Real`] numbers, for inner loops that already work on stored
/// values.
pub mod scalar {
    use crate::Real;

    /// Below this magnitude `exprel` uses its Taylor polynomial (the float64 threshold BrainPy's
    /// saiunit uses, so the two agree to the last bits; float32's in an `f32` build).
    #[cfg(not(feature = "f32"))]
    pub const EXPREL_TAYLOR_LIMIT: Real = 1e-7;
    /// Below this magnitude `exprel` uses its Taylor polynomial (float32's threshold).
    #[cfg(feature = "f32")]
    pub const EXPREL_TAYLOR_LIMIT: Real = 1e-3;

    /// e^x.
    #[inline(always)]
    pub fn exp(x: Real) -> Real {
        x.exp()
    }

    /// e^x − 1.
    #[inline(always)]
    pub fn expm1(x: Real) -> Real {
        x.exp_m1()
    }

    /// (e^x − 1)/x, with exprel(0) = 1. Uses the degree-5 Taylor polynomial for
    /// |x| ≤ [`EXPREL_TAYLOR_LIMIT`] and `expm1(x)/x` otherwise; relative error ≲ 2 ulp
    /// everywhere.
    #[inline(always)]
    pub fn exprel(x: Real) -> Real {
        if x.abs() <= EXPREL_TAYLOR_LIMIT {
            1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0 + x / 720.0))))
        } else {
            x.exp_m1() / x
        }
    }

    /// Natural logarithm.
    #[inline(always)]
    pub fn ln(x: Real) -> Real {
        x.ln()
    }

    /// Hyperbolic tangent.
    #[inline(always)]
    pub fn tanh(x: Real) -> Real {
        x.tanh()
    }

    /// Hyperbolic cosine.
    #[inline(always)]
    pub fn cosh(x: Real) -> Real {
        x.cosh()
    }

    /// Logistic sigmoid, evaluated without overflow for large |x|.
    #[inline(always)]
    pub fn sigmoid(x: Real) -> Real {
        if x >= 0.0 {
            1.0 / (1.0 + (-x).exp())
        } else {
            let e = x.exp();
            e / (1.0 + e)
        }
    }

    /// Square root.
    #[inline(always)]
    pub fn sqrt(x: Real) -> Real {
        x.sqrt()
    }

    /// The constants of the vectorisable exponential for the build's float type: ln 2 split
    /// so that `k·LN2_HI` is exact for every `k` the reduction produces (Cody-Waite), the
    /// clamp that keeps 2^k a normal number, the exponent bias and mantissa width, and the
    /// coefficients of a polynomial for (e^r − 1)/r on |r| ≤ ln2/2, highest first.
    #[cfg(not(feature = "f32"))]
    mod format {
        pub type Bits = u64;
        pub const LN2_HI: f64 = f64::from_bits(0x3FE6_2E42_FEE0_0000); // 0.693147180369123816490
        pub const LN2_LO: f64 = f64::from_bits(0x3DEA_39EF_3579_3C76); // 1.90821492927058770002e-10
        pub const LIMIT: f64 = 708.0;
        pub const BIAS: f64 = 1023.0;
        pub const MANTISSA: u32 = 52;
        /// Degree 10, fitted to (e^r − 1)/r on [−ln2/2, ln2/2] in the Chebyshev sense
        /// (`mpmath.chebyfit`, 50 digits, then rounded): 2.0e-17 from the function with the
        /// rounded coefficients, where the degree-12 Taylor polynomial is 1.3e-17 from it,
        /// with two fused multiply-adds fewer.
        pub const POLY: [f64; 11] = [
            f64::from_bits(0x3E5A_F4DD_D848_82FE), // 2.510520637395701e-08
            f64::from_bits(0x3E92_8A2C_0A72_09FB), // 2.7626357241447223e-07
            f64::from_bits(0x3EC7_1DE0_2375_656C), // 2.7557255425746435e-06
            f64::from_bits(0x3EFA_019A_66A7_5DD4), // 2.4801504346997686e-05
            f64::from_bits(0x3F2A_01A0_1ABE_62DD), // 0.00019841269874800493
            f64::from_bits(0x3F56_C16C_17F4_3A58), // 0.0013888888932488599
            f64::from_bits(0x3F81_1111_1111_00DF), // 0.008333333333326141
            f64::from_bits(0x3FA5_5555_5555_20AF), // 0.04166666666657314
            f64::from_bits(0x3FC5_5555_5555_5557), // 0.1666666666666667
            f64::from_bits(0x3FE0_0000_0000_0005), // 0.5000000000000006
            f64::from_bits(0x3FF0_0000_0000_0000), // 1.0
        ];
    }

    /// The constants of the vectorisable exponential for `f32` (see the `f64` twin).
    #[cfg(feature = "f32")]
    mod format {
        pub type Bits = u32;
        pub const LN2_HI: f32 = f32::from_bits(0x3F31_7200); // 0.693145751953125
        pub const LN2_LO: f32 = f32::from_bits(0x35BF_BE8E); // 1.428606765330187e-06
        pub const LIMIT: f32 = 87.0;
        pub const BIAS: f32 = 127.0;
        pub const MANTISSA: u32 = 23;
        /// The Taylor coefficients 1/(n+1)!, degree 7.
        pub const POLY: [f32; 8] = [
            1.0 / 40_320.0,
            1.0 / 5_040.0,
            1.0 / 720.0,
            1.0 / 120.0,
            1.0 / 24.0,
            1.0 / 6.0,
            0.5,
            1.0,
        ];
    }

    /// `x = k·ln2 + r` with |r| ≤ ln2/2, and 2^k as a float, x clamped to ±`LIMIT` so that 2^k
    /// is normal (see [`reduce_within`]).
    #[inline(always)]
    fn reduce(x: Real) -> (Real, Real) {
        reduce_within(x.clamp(-format::LIMIT, format::LIMIT))
    }

    /// [`reduce`] for |x| ≤ `LIMIT`, without the clamp. k is x·log₂e rounded to the nearest
    /// whole number (ties to even) by adding a shifter, `1.5·2^m + bias` (m the mantissa
    /// width), in one fused multiply-add: the sum is exact, so its low mantissa bits are
    /// `k + bias`, which shifted into the exponent field give 2^k, and subtracting the shifter
    /// again gives k. No rounding instruction and no float-to-integer conversion (which does
    /// not vectorise). `k·LN2_HI` is exact, so `x − k·LN2_HI` as one fused multiply-add is the
    /// same number as the product and the difference rounded apart; the low part is not fused,
    /// its product is rounded as Cody-Waite's reduction has it.
    #[inline(always)]
    fn reduce_within(x: Real) -> (Real, Real) {
        let shifter = 1.5 * ((1 as format::Bits) << format::MANTISSA) as Real + format::BIAS;
        let s = x.mul_add(core::f64::consts::LOG2_E as Real, shifter);
        let k = s - shifter;
        let r = (-k).mul_add(format::LN2_HI, x) - k * format::LN2_LO;
        (r, Real::from_bits(s.to_bits() << format::MANTISSA))
    }

    /// (e^r − 1)/r for |r| ≤ ln2/2: a polynomial of degree 10 in `f64` (fitted, see
    /// `format::POLY`), the Taylor polynomial Σ r^n/(n+1)! of degree 7 in `f32`, by
    /// Estrin's scheme: neighbouring terms are paired (`c₂ᵢ + c₂ᵢ₊₁·r`), then neighbouring
    /// pairs with r², r⁴, r⁸, all with fused multiply-adds. Its chain of dependent operations
    /// is less than half of Horner's (4 instead of 10 in `f64`), which matters where a loop is
    /// bound by latency rather than by the number of operations: with 16 vector registers
    /// (AVX2), the Hodgkin-Huxley loops cannot overlap enough Horner chains to hide it.
    #[inline(always)]
    fn exprel_reduced(r: Real) -> Real {
        const N: usize = format::POLY.len();
        // coefficients lowest first; each pass halves them: level[i] ← level[2i] + level[2i+1]·x
        let mut level: [Real; N] = std::array::from_fn(|n| format::POLY[N - 1 - n]);
        let (mut len, mut x) = (N, r);
        while len > 1 {
            for i in 0..len.div_ceil(2) {
                level[i] = if 2 * i + 1 < len {
                    level[2 * i + 1].mul_add(x, level[2 * i])
                } else {
                    level[2 * i]
                };
            }
            len = len.div_ceil(2);
            x = x * x;
        }
        level[0]
    }

    /// The largest |x| the fast exponentials compute; beyond it they saturate (708 in `f64`,
    /// 87 in an `f32` build: 2^k stays a normal number).
    pub const EXP_FAST_LIMIT: Real = format::LIMIT;

    /// e^x without a library call, so that loops calling it vectorise: Cody-Waite range
    /// reduction `x = k·ln2 + r`, |r| ≤ ln2/2, a polynomial for (e^r − 1)/r, and the exponent
    /// bits for 2^k. Within 2 ulp of `f64::exp` for |x| ≤ 708 (|x| ≤ 87 in an `f32` build);
    /// saturates instead of reaching 0 or ∞ outside that range, so it suits bounded arguments (gating rates,
    /// propagators), not overflow detection.
    #[inline(always)]
    pub fn exp_fast(x: Real) -> Real {
        exp_reduced(reduce(x))
    }

    /// e^x − 1 without a library call (see [`exp_fast`]): `2^k·(e^r − 1) + (2^k − 1)`, which
    /// is `r·exprel(r)` itself for |x| < ln2/2, so the relative accuracy holds down to 0.
    /// Within 4 ulp of `f64::exp_m1` for |x| ≤ 708 (|x| ≤ 87 in an `f32` build).
    #[inline(always)]
    pub fn expm1_fast(x: Real) -> Real {
        expm1_reduced(reduce(x))
    }

    /// `(e^x, e^x − 1)` from one range reduction and one polynomial: the bits of
    /// `(exp_fast(x), expm1_fast(x))` for the cost of one of them, for a formula that needs
    /// both of one argument (each keeps its own relative accuracy, near 0 and far below it).
    #[inline(always)]
    pub fn exp_expm1_fast(x: Real) -> (Real, Real) {
        pair_reduced(reduce(x))
    }

    /// [`exp_fast`] for an argument its caller keeps within ±[`EXP_FAST_LIMIT`] (a bounded
    /// potential, say): the same bits there, without the clamp (two operations fewer per
    /// call). Outside that range the result is meaningless (a debug build panics), so it is
    /// only for arguments bounded by construction.
    #[inline(always)]
    pub fn exp_fast_within(x: Real) -> Real {
        exp_reduced(reduce_within(checked_within(x)))
    }

    /// [`expm1_fast`] for an argument within ±[`EXP_FAST_LIMIT`] (see [`exp_fast_within`]).
    #[inline(always)]
    pub fn expm1_fast_within(x: Real) -> Real {
        expm1_reduced(reduce_within(checked_within(x)))
    }

    /// [`exp_expm1_fast`] for an argument within ±[`EXP_FAST_LIMIT`] (see
    /// [`exp_fast_within`]).
    #[inline(always)]
    pub fn exp_expm1_fast_within(x: Real) -> (Real, Real) {
        pair_reduced(reduce_within(checked_within(x)))
    }

    /// `x`, which a debug build checks is within the fast exponentials' range (or NaN,
    /// which passes through as it would through the clamp).
    #[inline(always)]
    fn checked_within(x: Real) -> Real {
        debug_assert!(
            x.is_nan() || x.abs() <= format::LIMIT,
            "{x} is beyond ±{} (use the clamping fast exponential)",
            format::LIMIT
        );
        x
    }

    /// e^x from its reduction `(r, 2^k)` and the polynomial `p = exprel(r)`: `(1 + r·p)·2^k`.
    #[inline(always)]
    fn exp_from(r: Real, p: Real, scale: Real) -> Real {
        r.mul_add(p, 1.0) * scale
    }

    /// e^x − 1 from the same: `2^k·(r·p) + (2^k − 1)`.
    #[inline(always)]
    fn expm1_from(r: Real, p: Real, scale: Real) -> Real {
        (r * p).mul_add(scale, scale - 1.0)
    }

    #[inline(always)]
    fn exp_reduced((r, scale): (Real, Real)) -> Real {
        exp_from(r, exprel_reduced(r), scale)
    }

    #[inline(always)]
    fn expm1_reduced((r, scale): (Real, Real)) -> Real {
        expm1_from(r, exprel_reduced(r), scale)
    }

    #[inline(always)]
    fn pair_reduced((r, scale): (Real, Real)) -> (Real, Real) {
        let p = exprel_reduced(r);
        (exp_from(r, p, scale), expm1_from(r, p, scale))
    }

    /// `x/(e^x − 1)` (1 at 0) without a library call: the shape of the Hodgkin-Huxley
    /// opening rates `a(θ − V)/(e^{(θ−V)/s} − 1)`. One division; vectorises.
    #[inline(always)]
    pub fn inv_exprel_fast(x: Real) -> Real {
        let e = expm1_fast(x);
        if x == 0.0 { 1.0 } else { x / e }
    }

    #[cfg(test)]
    mod reduction_tests {
        use super::{
            EXP_FAST_LIMIT, Real, exp_expm1_fast, exp_expm1_fast_within, exp_fast, exp_fast_within,
            expm1_fast, expm1_fast_within, format, reduce,
        };
        use proptest::prelude::*;

        /// k of a reduction, read back from the exponent bits of its 2^k.
        fn k_of(scale: Real) -> i64 {
            let bits = scale.to_bits() as i64;
            (bits >> format::MANTISSA) - format::BIAS as i64
        }

        /// For every whole k the clamp lets through, the scale is exactly 2^k (a normal
        /// number), at k·ln2 and on either side of the points halfway between.
        #[test]
        fn the_scale_is_two_to_the_k() {
            let kmax = (format::LIMIT * core::f64::consts::LOG2_E as Real).floor() as i64;
            for k in -kmax..=kmax {
                for off in [0.0, 0.49, -0.49] {
                    let x = (k as Real + off) * core::f64::consts::LN_2 as Real;
                    let (_, scale) = reduce(x);
                    assert_eq!(k_of(scale), k, "x = {x}");
                    assert_eq!(scale, (2.0 as Real).powi(k as i32), "k = {k}");
                }
            }
        }

        proptest! {
            /// `reduce` picks the nearest whole k to x·log₂e, and its fused high part gives
            /// the bits of Cody-Waite's reduction with every product rounded apart, for
            /// every argument the clamp lets through.
            #[test]
            fn the_reduction_is_cody_waite_at_the_nearest_k(x in -format::LIMIT..format::LIMIT) {
                let (r, scale) = reduce(x);
                let k = k_of(scale) as Real;
                let t = x * core::f64::consts::LOG2_E as Real;
                prop_assert!((t - k).abs() <= 0.5 + 1e-6, "k = {k} for x·log2e = {t}");
                let unfused = (x - k * format::LN2_HI) - k * format::LN2_LO;
                prop_assert_eq!(r.to_bits(), unfused.to_bits());
            }

            /// The pair is the bits of the two functions it replaces.
            #[test]
            fn pair_is_exp_and_expm1(x in -format::LIMIT..format::LIMIT) {
                let (e, em1) = exp_expm1_fast(x);
                prop_assert_eq!(e.to_bits(), exp_fast(x).to_bits());
                prop_assert_eq!(em1.to_bits(), expm1_fast(x).to_bits());
            }

            /// Within the range, the unclamped functions are the bits of the clamping ones.
            #[test]
            fn within_the_range_the_clamp_changes_nothing(x in -EXP_FAST_LIMIT..EXP_FAST_LIMIT) {
                prop_assert_eq!(exp_fast_within(x).to_bits(), exp_fast(x).to_bits());
                prop_assert_eq!(expm1_fast_within(x).to_bits(), expm1_fast(x).to_bits());
                let (a, b) = exp_expm1_fast_within(x);
                let (c, d) = exp_expm1_fast(x);
                prop_assert_eq!((a.to_bits(), b.to_bits()), (c.to_bits(), d.to_bits()));
            }
        }
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn exprel_is_one_at_zero_and_continuous() {
        assert_eq!(scalar::exprel(0.0), 1.0);
        for &x in &[1e-12, -1e-12, 1e-8, -1e-8, 1e-7, -1e-7, 2e-7, -2e-7] {
            // compare with the series to high order
            let series = 1.0 + x / 2.0 + x * x / 6.0 + x * x * x / 24.0;
            assert!((scalar::exprel(x) - series).abs() < 4e-16, "x = {x}");
        }
    }

    #[test]
    fn exprel_matches_definition_away_from_zero() {
        for &x in &[-30.0, -1.0, -0.1, 0.3, 1.0, 5.0, 20.0] {
            let direct = (f64::exp(x) - 1.0) / x;
            assert!(
                (scalar::exprel(x) - direct).abs() <= 1e-14 * direct.abs(),
                "x = {x}"
            );
        }
    }

    #[test]
    fn sigmoid_is_symmetric_and_bounded() {
        assert_eq!(scalar::sigmoid(0.0), 0.5);
        assert_eq!(scalar::sigmoid(1000.0), 1.0);
        assert_eq!(scalar::sigmoid(-1000.0), 0.0);
        let x = 0.7;
        assert!((scalar::sigmoid(x) + scalar::sigmoid(-x) - 1.0).abs() < 1e-15);
    }

    proptest! {
        #[test]
        fn exprel_times_x_is_expm1(x in -50.0f64..50.0) {
            prop_assume!(x.abs() > 1e-3);
            let lhs = scalar::exprel(x) * x;
            let rhs = x.exp_m1();
            prop_assert!((lhs - rhs).abs() <= 1e-14 * rhs.abs().max(1e-300));
        }

        #[test]
        fn exprel_is_positive_and_monotone(a in -40.0f64..40.0, d in 1e-6f64..1.0) {
            let lo = scalar::exprel(a);
            let hi = scalar::exprel(a + d);
            prop_assert!(lo > 0.0);
            prop_assert!(hi >= lo);
        }

        #[test]
        fn fast_exp_is_within_two_ulp(x in -700.0f64..700.0) {
            let exact = x.exp();
            let fast = scalar::exp_fast(x);
            let ulp = f64::EPSILON * exact;
            prop_assert!((fast - exact).abs() <= 2.0 * ulp, "x = {x}: {fast} vs {exact}");
        }

        #[test]
        fn fast_expm1_is_within_four_ulp(x in -700.0f64..700.0) {
            let exact = x.exp_m1();
            let fast = scalar::expm1_fast(x);
            prop_assert!((fast - exact).abs() <= 4.0 * f64::EPSILON * exact.abs(), "x = {x}: {fast} vs {exact}");
        }

        #[test]
        fn fast_expm1_keeps_relative_accuracy_near_zero(m in -1.0f64..1.0, e in -300i32..0) {
            let x = m * 10f64.powi(e);
            let exact = x.exp_m1();
            prop_assert!((scalar::expm1_fast(x) - exact).abs() <= 2.0 * f64::EPSILON * exact.abs());
        }

        #[test]
        fn fast_inverse_exprel_matches_its_definition(h in 1e-3f64..1.0, j in -100.0f64..100.0) {
            let x = h * j;
            let inv = 1.0 / scalar::exprel(x);
            prop_assert!((scalar::inv_exprel_fast(x) - inv).abs() <= 8.0 * f64::EPSILON * inv);
        }

        #[test]
        fn fast_exp_is_accurate_near_zero(x in -1.0f64..1.0) {
            let exact = x.exp();
            prop_assert!((scalar::exp_fast(x) - exact).abs() <= 2.0 * f64::EPSILON * exact);
        }

        #[test]
        fn typed_functions_are_the_scalar_ones(x in -10.0f64..10.0) {
            prop_assert_eq!(exp(ratio(x)).value, scalar::exp(x));
            prop_assert_eq!(exprel(ratio(x)).value, scalar::exprel(x));
            prop_assert_eq!(tanh(ratio(x)).value, scalar::tanh(x));
        }
    }
}
