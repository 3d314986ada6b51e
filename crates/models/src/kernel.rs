//! Loop helpers shared by model kernels.

use neurotype_units::Real;

/// Runs `body(i, &params)` for every element: one loop when all parameters are shared (the
/// common case; the parameters are then loop constants and the loop vectorises), one that
/// gathers each element's parameters otherwise; compiled for the best instruction set this
/// processor has ([`dispatch`](crate::isa::dispatch)).
#[inline(always)]
pub fn for_each_element<S: Copy>(
    n: usize,
    uniform: Option<S>,
    gather: impl Fn(usize) -> S,
    mut body: impl FnMut(usize, &S),
) {
    // compiled for the best instruction set of this processor
    crate::isa::dispatch(
        #[inline(always)]
        || match uniform {
            Some(p) => {
                for i in 0..n {
                    body(i, &p);
                }
            }
            None => {
                for i in 0..n {
                    let p = gather(i);
                    body(i, &p);
                }
            }
        },
    )
}

/// Heaviside with H(0) = 1: BrainPy's spike function in the forward pass.
#[inline(always)]
pub fn heaviside(x: Real) -> bool {
    x >= 0.0
}
