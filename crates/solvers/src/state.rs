//! Typed state vectors: one quantity, or tuples and arrays of states.

use core::ops::{Add, Div, Mul};
use neurotype_units::Real;
use neurotype_units::math::exprel;
use neurotype_units::{Quantity, Ratio, Raw, Time};
use uom::si::Dimension;

/// A state that an integrator can advance: a single typed quantity (a voltage, a gate), or a
/// tuple or array of states.
///
/// Its time derivative has type [`State::Rate`] (for a voltage: voltage per time) and the
/// diagonal of its Jacobian has type [`State::Slope`]: ∂(dx/dt)/∂x, which for every
/// component is a rate, 1/time. Both types are *derived* from the state type by dimensional
/// arithmetic, never declared by hand, so `exprel(dt · slope)` type-checks only because
/// `dt · slope` is dimensionless.
pub trait State: Copy {
    /// dx/dt.
    type Rate: Copy;
    /// ∂(dx/dt)/∂x component by component (1/time each).
    type Slope: Copy;
    /// Exponential Euler's step factor `dt·exprel(dt·J)` component by component (a time each).
    type Factors: Copy;
    /// Number of scalar components.
    const DIM: usize;

    /// `x + dt · rate` (one explicit Euler increment), rounded once (a fused multiply-add).
    fn advance(&self, dt: Time, rate: &Self::Rate) -> Self;

    /// `x + dt · exprel(dt · slope) · rate`, component by component: the exponential-Euler
    /// update, exact when dx/dt is linear in x.
    #[inline(always)]
    fn exp_advance(&self, dt: Time, rate: &Self::Rate, slope: &Self::Slope) -> Self {
        self.advance_by(&Self::exp_factors(dt, slope), rate)
    }

    /// Exponential Euler's factors `dt · exprel(dt · slope)`: computed once per step when the
    /// slope is the same for many states (a linear equation with shared parameters).
    fn exp_factors(dt: Time, slope: &Self::Slope) -> Self::Factors;

    /// `x + factors · rate`, component by component ([`State::exp_advance`] with its factors
    /// given), rounded once (a fused multiply-add).
    fn advance_by(&self, factors: &Self::Factors, rate: &Self::Rate) -> Self;

    /// The linear combination Σ wᵢ·kᵢ of derivatives (Runge-Kutta stages).
    fn combine<const N: usize>(weights: [Real; N], rates: [&Self::Rate; N]) -> Self::Rate;

    /// The stored value of scalar component `i` (for error norms and recording).
    fn component(&self, i: usize) -> Real;

    /// The stored value of scalar component `i` of a derivative.
    fn rate_component(rate: &Self::Rate, i: usize) -> Real;

    /// `x + scale(i)·σ` component by component, `i` numbering the scalar components (a
    /// stochastic increment: `scale(i)` is `√(dt/τ)` times a standard normal draw).
    fn add_scaled(&self, sigma: &Self, scale: &mut impl FnMut(usize) -> Real) -> Self;
}

/// The derivative type of a state.
pub type RateOf<S> = <S as State>::Rate;
/// The Jacobian-diagonal type of a state.
pub type SlopeOf<S> = <S as State>::Slope;

/// The rate (x/time) of a quantity type.
type QRate<D> = <Quantity<D> as Div<Time>>::Output;
/// The slope (rate/x) of a quantity type.
type QSlope<D> = <QRate<D> as Div<Quantity<D>>>::Output;

impl<D> State for Quantity<D>
where
    D: Dimension + ?Sized,
    Quantity<D>: Add<Output = Quantity<D>> + Div<Time>,
    QRate<D>: Raw + Div<Quantity<D>>,
    QSlope<D>: Raw,
    Time: Mul<QRate<D>, Output = Quantity<D>> + Mul<QSlope<D>, Output = Ratio>,
{
    type Rate = QRate<D>;
    type Slope = QSlope<D>;
    type Factors = Time;
    const DIM: usize = 1;

    #[inline(always)]
    fn advance(&self, dt: Time, rate: &Self::Rate) -> Self {
        // one fused multiply-add, as exponential Euler's `advance_by`
        Raw::from_raw(dt.raw().mul_add(rate.raw(), self.raw()))
    }

    #[inline(always)]
    fn exp_factors(dt: Time, slope: &Self::Slope) -> Time {
        let z: Ratio = dt * *slope;
        dt * exprel(z)
    }

    #[inline(always)]
    fn advance_by(&self, factors: &Time, rate: &Self::Rate) -> Self {
        // x + (dt·φ)·f as one fused multiply-add (BrainPy's order, the product not rounded)
        Raw::from_raw(factors.raw().mul_add(rate.raw(), self.raw()))
    }

    #[inline(always)]
    fn combine<const N: usize>(weights: [Real; N], rates: [&Self::Rate; N]) -> Self::Rate {
        let mut sum = 0.0;
        for k in 0..N {
            sum += weights[k] * rates[k].raw();
        }
        Raw::from_raw(sum)
    }

    #[inline(always)]
    fn component(&self, _i: usize) -> Real {
        self.value
    }

    #[inline(always)]
    fn rate_component(rate: &Self::Rate, _i: usize) -> Real {
        rate.raw()
    }

    #[inline(always)]
    fn add_scaled(&self, sigma: &Self, scale: &mut impl FnMut(usize) -> Real) -> Self {
        Raw::from_raw(self.raw() + scale(0) * sigma.raw())
    }
}

macro_rules! tuple_state {
    ($($name:ident : $idx:tt),+) => {
        impl<$($name: State),+> State for ($($name,)+) {
            type Rate = ($($name::Rate,)+);
            type Slope = ($($name::Slope,)+);
            type Factors = ($($name::Factors,)+);
            const DIM: usize = 0 $(+ $name::DIM)+;

            #[inline(always)]
            fn advance(&self, dt: Time, rate: &Self::Rate) -> Self {
                ($(self.$idx.advance(dt, &rate.$idx),)+)
            }

            #[inline(always)]
            fn exp_factors(dt: Time, slope: &Self::Slope) -> Self::Factors {
                ($($name::exp_factors(dt, &slope.$idx),)+)
            }

            #[inline(always)]
            fn advance_by(&self, factors: &Self::Factors, rate: &Self::Rate) -> Self {
                ($(self.$idx.advance_by(&factors.$idx, &rate.$idx),)+)
            }

            #[inline(always)]
            fn combine<const N: usize>(weights: [Real; N], rates: [&Self::Rate; N]) -> Self::Rate {
                ($($name::combine(weights, rates.map(|r| &r.$idx)),)+)
            }

            #[inline(always)]
            fn component(&self, i: usize) -> Real {
                let mut offset = 0;
                $(
                    if i < offset + $name::DIM {
                        return self.$idx.component(i - offset);
                    }
                    offset += $name::DIM;
                )+
                let _ = offset;
                panic!("component {i} out of range for a state of dimension {}", Self::DIM)
            }

            #[inline(always)]
            fn rate_component(rate: &Self::Rate, i: usize) -> Real {
                let mut offset = 0;
                $(
                    if i < offset + $name::DIM {
                        return $name::rate_component(&rate.$idx, i - offset);
                    }
                    offset += $name::DIM;
                )+
                let _ = offset;
                panic!("component {i} out of range for a state of dimension {}", Self::DIM)
            }

            #[inline(always)]
            fn add_scaled(&self, sigma: &Self, scale: &mut impl FnMut(usize) -> Real) -> Self {
                // each element's first component: the sum of the dimensions before it
                let dims = [$($name::DIM),+];
                let mut start = dims;
                let mut next = 0;
                for (s, d) in start.iter_mut().zip(dims) {
                    *s = next;
                    next += d;
                }
                ($(self.$idx.add_scaled(&sigma.$idx, &mut |i| scale(start[$idx] + i)),)+)
            }
        }
    };
}

tuple_state!(A: 0);
tuple_state!(A: 0, B: 1);
tuple_state!(A: 0, B: 1, C: 2);
tuple_state!(A: 0, B: 1, C: 2, E: 3);
tuple_state!(A: 0, B: 1, C: 2, E: 3, F: 4);
tuple_state!(A: 0, B: 1, C: 2, E: 3, F: 4, G: 5);
tuple_state!(A: 0, B: 1, C: 2, E: 3, F: 4, G: 5, H: 6);
tuple_state!(A: 0, B: 1, C: 2, E: 3, F: 4, G: 5, H: 6, I: 7);
tuple_state!(A: 0, B: 1, C: 2, E: 3, F: 4, G: 5, H: 6, I: 7, J: 8);
tuple_state!(A: 0, B: 1, C: 2, E: 3, F: 4, G: 5, H: 6, I: 7, J: 8, K: 9);
tuple_state!(A: 0, B: 1, C: 2, E: 3, F: 4, G: 5, H: 6, I: 7, J: 8, K: 9, L: 10);
tuple_state!(A: 0, B: 1, C: 2, E: 3, F: 4, G: 5, H: 6, I: 7, J: 8, K: 9, L: 10, M: 11);

impl<S: State, const M: usize> State for [S; M] {
    type Rate = [S::Rate; M];
    type Slope = [S::Slope; M];
    type Factors = [S::Factors; M];
    const DIM: usize = M * S::DIM;

    #[inline(always)]
    fn advance(&self, dt: Time, rate: &Self::Rate) -> Self {
        core::array::from_fn(|j| self[j].advance(dt, &rate[j]))
    }

    #[inline(always)]
    fn exp_factors(dt: Time, slope: &Self::Slope) -> Self::Factors {
        core::array::from_fn(|j| S::exp_factors(dt, &slope[j]))
    }

    #[inline(always)]
    fn advance_by(&self, factors: &Self::Factors, rate: &Self::Rate) -> Self {
        core::array::from_fn(|j| self[j].advance_by(&factors[j], &rate[j]))
    }

    #[inline(always)]
    fn combine<const N: usize>(weights: [Real; N], rates: [&Self::Rate; N]) -> Self::Rate {
        core::array::from_fn(|j| S::combine(weights, rates.map(|r| &r[j])))
    }

    #[inline(always)]
    fn component(&self, i: usize) -> Real {
        self[i / S::DIM].component(i % S::DIM)
    }

    #[inline(always)]
    fn rate_component(rate: &Self::Rate, i: usize) -> Real {
        S::rate_component(&rate[i / S::DIM], i % S::DIM)
    }

    #[inline(always)]
    fn add_scaled(&self, sigma: &Self, scale: &mut impl FnMut(usize) -> Real) -> Self {
        core::array::from_fn(|j| self[j].add_scaled(&sigma[j], &mut |i| scale(j * S::DIM + i)))
    }
}
