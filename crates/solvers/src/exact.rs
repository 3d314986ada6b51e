//! Exact integration of linear equations with constant coefficients (Brian2's `exact`).
//!
//! For `dx/dt = A·x + b` with `A` constant and `b` held at its start-of-step value over a
//! step of length `dt`,
//!
//! ```text
//! x(t + dt) = Φ·x(t) + Ψ·b,    Φ = e^{A·dt},    Ψ = ∫₀^dt e^{A·s} ds.
//! ```
//!
//! Both matrices come from one matrix exponential of a block matrix (Van Loan, 1978):
//!
//! ```text
//! exp( [A  I] · dt ) = [Φ  Ψ]
//!      [0  0]          [0  I]
//! ```
//!
//! which needs no inverse of `A`, so a singular `A` (a perfect integrator, `dv/dt = i/C`) is
//! as welcome as any other. Uncoupled equations (a diagonal `A`) take each variable's own
//! `e^{a·dt}` and `dt·exprel(a·dt)` instead. Otherwise the exponential is nalgebra's (Padé approximation with scaling and
//! squaring, Higham 2005), computed once per parameter set and time step: stepping is then
//! `2·N²` multiply-adds per element.
//!
//! `neuron!` and `synapse!` models declared `method exact;` step with a [`Propagator`]; the
//! macro extracts `A` from the equations symbolically and refuses a nonlinear one.
//!
//! ```
//! use neurotype_solvers::exact::Propagator;
//!
//! // an alpha function: dg/dt = −g/τ + h, dh/dt = −h/τ (τ = 2, raw numbers)
//! let tau = 2.0;
//! let p = Propagator::new([[-1.0 / tau, 1.0], [0.0, -1.0 / tau]], 0.5);
//! let (mut x, t) = ([0.0, 1.0], 10.0);
//! for _ in 0..20 {
//!     x = p.advance(x, [0.0, 0.0]);
//! }
//! // g(t) = h₀·t·e^{−t/τ}
//! let exact = t * (-t / tau).exp();
//! assert!((x[0] - exact).abs() <= 1e-13 * exact);
//! ```

use nalgebra::DMatrix;
use neurotype_units::math::scalar::exprel;
use neurotype_units::{Real, narrow, wide};

/// The one-step propagator `(Φ, Ψ)` of `dx/dt = A·x + b` over a step `dt` (stored numbers
/// in the state's units; see the [module documentation](self)).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Propagator<const N: usize> {
    /// The step it was computed for.
    pub dt: Real,
    /// `e^{A·dt}`: how the state carries over.
    pub phi: [[Real; N]; N],
    /// `∫₀^dt e^{A·s} ds`: how a constant `b` acts over the step.
    pub psi: [[Real; N]; N],
}

impl<const N: usize> Propagator<N> {
    /// The propagator of the system matrix `a` (row `i` holds `∂fᵢ/∂xⱼ`) over `dt`.
    pub fn new(a: [[Real; N]; N], dt: Real) -> Self {
        let diagonal = (0..N).all(|i| (0..N).all(|j| i == j || a[i][j] == 0.0));
        if diagonal {
            // uncoupled equations: each its own exponential, e^{a·dt} and dt·exprel(a·dt)
            let diag = |f: &dyn Fn(Real) -> Real| {
                core::array::from_fn(|i| {
                    core::array::from_fn(|j| if i == j { f(a[i][i]) } else { 0.0 })
                })
            };
            return Self {
                dt,
                phi: diag(&|ai| (ai * dt).exp()),
                psi: diag(&|ai| dt * exprel(ai * dt)),
            };
        }
        let mut m = DMatrix::<f64>::zeros(2 * N, 2 * N);
        for (i, row) in a.iter().enumerate() {
            for (j, &aij) in row.iter().enumerate() {
                m[(i, j)] = wide(aij * dt);
            }
            m[(i, N + i)] = wide(dt);
        }
        // the exponential in double precision whatever the build (f32: rounded once at the end)
        let e = m.exp();
        Self {
            dt,
            phi: core::array::from_fn(|i| core::array::from_fn(|j| narrow(e[(i, j)]))),
            psi: core::array::from_fn(|i| core::array::from_fn(|j| narrow(e[(i, N + j)]))),
        }
    }

    /// Whether it was computed for the step `dt` (bit for bit).
    #[inline(always)]
    pub fn is_for(&self, dt: Real) -> bool {
        self.dt.to_bits() == dt.to_bits()
    }

    /// `Φ·x`: the state one step after `x` when `b` is zero (a decay), summed as
    /// [`Propagator::advance`] sums it.
    #[inline(always)]
    pub fn advance_free(&self, x: [Real; N]) -> [Real; N] {
        core::array::from_fn(|i| {
            let phi = &self.phi[i];
            let mut s = phi[0] * x[0];
            for (p, xj) in phi.iter().zip(&x).skip(1) {
                s += p * xj;
            }
            s
        })
    }

    /// `Φ·x + Ψ·b`: the state one step after `x`, with `b` constant over the step. Each row
    /// is summed in a fixed order, so the result does not depend on how the loop around it
    /// is vectorised.
    #[inline(always)]
    pub fn advance(&self, x: [Real; N], b: [Real; N]) -> [Real; N] {
        core::array::from_fn(|i| {
            let (phi, psi) = (&self.phi[i], &self.psi[i]);
            let mut s = phi[0] * x[0];
            for (p, xj) in phi.iter().zip(&x).skip(1) {
                s += p * xj;
            }
            for (p, bj) in psi.iter().zip(&b) {
                s += p * bj;
            }
            s
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Propagator;
    use neurotype_units::Real;

    fn rel(a: Real, b: Real) -> Real {
        (a - b).abs() / b.abs()
    }

    #[test]
    fn one_variable_is_the_exponential_and_its_integral() {
        for &(a, dt) in &[(-0.1, 0.1), (-3.0, 0.01), (-0.2, 5.0), (0.4, 1.0)] {
            let p = Propagator::new([[a]], dt);
            assert!(rel(p.phi[0][0], (a * dt).exp()) < 1e-15, "{a} {dt}");
            assert!(rel(p.psi[0][0], (a * dt).exp_m1() / a) < 1e-15, "{a} {dt}");
        }
    }

    #[test]
    fn a_singular_system_integrates_its_constant() {
        // dv/dt = i (no leak), di/dt = 0: v(dt) = v + i·dt, and b acts as b·dt, b·dt²/2
        let p = Propagator::new([[0.0, 1.0], [0.0, 0.0]], 0.5);
        assert_eq!(p.phi, [[1.0, 0.5], [0.0, 1.0]]);
        assert_eq!(p.psi, [[0.5, 0.125], [0.0, 0.5]]);
        assert_eq!(p.advance([1.0, 2.0], [0.0, 0.0]), [2.0, 2.0]);
    }

    #[test]
    fn a_coupled_pair_matches_its_closed_form() {
        // dv/dt = −v/τ + i/τ, di/dt = −i/τs
        let (tau, tau_s, dt) = (10.0, 2.0, 0.7);
        let p = Propagator::new([[-1.0 / tau, 1.0 / tau], [0.0, -1.0 / tau_s]], dt);
        let (v0, i0) = (1.5, 3.0);
        let [v, i] = p.advance([v0, i0], [0.0, 0.0]);
        let coupling =
            (i0 / tau) * ((-dt / tau_s).exp() - (-dt / tau).exp()) / (1.0 / tau - 1.0 / tau_s);
        assert!(rel(v, v0 * (-dt / tau).exp() + coupling) < 1e-14);
        assert!(rel(i, i0 * (-dt / tau_s).exp()) < 1e-15);
    }
}
