//! `method exact;`: the equations are linear with constant coefficients (checked while
//! parsing), so one step is `x ← Φ·x + Ψ·b` with the propagator of `neurotype_solvers::exact`.
//!
//! - `A = ∂f/∂x` comes from the symbolic derivatives of the equations (`__exact_matrix`, on
//!   stored numbers; only parameters, literals, unit constants and `dt` appear in it);
//! - `b = f(0)` is the equations themselves at a zero state, with the input and `t` at their
//!   start-of-step values: the equations exist once, and the exact step reads them;
//! - the propagator is computed once per parameter set and time step: a neuron keeps it as
//!   its `Dynamics::Config` (refreshed by `Dynamics::prepare`), a synapse in a field of its
//!   own; with per-element parameters it is computed per element.

use super::step::acc;
use super::{Ctx, let_bindings};
use crate::diff::{Wrt, diff};
use crate::expr::{Expr, NameKind};
use crate::model::Model;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// `Propagator<N>` for the model's integrated variables.
pub(super) fn propagator_ty(cx: &Ctx) -> TokenStream {
    let rt = &cx.rt;
    let n = Literal::usize_unsuffixed(cx.integrated.len());
    quote!(#rt::Propagator<#n>)
}

/// Lets whose value is constant through a run (parameters, literals, units, `dt` and other
/// such lets): the only ones the system matrix can refer to.
fn constant_lets(m: &Model) -> Vec<usize> {
    let mut constant: Vec<bool> = Vec::with_capacity(m.lets.len());
    for l in &m.lets {
        let mut ok = true;
        l.expr.visit_names(&mut |_, k| match k {
            NameKind::Param | NameKind::Unit | NameKind::Dt => {}
            NameKind::Let(j) => ok &= constant[j],
            _ => ok = false,
        });
        constant.push(ok);
    }
    (0..m.lets.len()).filter(|&j| constant[j]).collect()
}

/// One row of a system matrix: `[∂rhs/∂x_j, ...]` over the variables `vars` (declaration
/// indices), as code on stored numbers, from the symbolic derivatives.
pub(super) fn matrix_row(rhs: &Expr, vars: &[usize], lets: &[Expr]) -> TokenStream {
    let row = vars.iter().map(|&j| {
        let w = Wrt {
            var: j,
            input_live: false,
            lets,
        };
        diff(rhs, &w).raw()
    });
    quote!([ #( #row ),* ])
}

/// `__exact_matrix(p, dt)`: row `i` holds `∂fᵢ/∂xⱼ` over the integrated variables; and
/// `__exact_check(params, n)`: the matrix finite for every element, as `build` requires.
pub(super) fn helpers(cx: &Ctx) -> TokenStream {
    let Ctx {
        m,
        rt,
        scalar_ty,
        params_ty,
        integrated,
        bind_params,
        s_strs,
        ..
    } = cx;
    let lets: Vec<Expr> = m.lets.iter().map(|l| l.expr.clone()).collect();
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    for eq in &m.eqs {
        rows.push(matrix_row(&eq.rhs, integrated, &lets));
        for &j in integrated {
            labels.push(format!("∂(d({})/dt)/∂{}", eq.var, s_strs[j]));
        }
    }
    let n = integrated.len();
    let bind_lets = let_bindings(m, &constant_lets(m));
    quote! {
        /// The system matrix `A = ∂f/∂x` of the linear equations, on stored numbers (row
        /// `i`: equation `i`; column `j`: integrated variable `j`).
        #[allow(unused_variables, unused_parens, clippy::all)]
        fn __exact_matrix(__p: &#scalar_ty, __dt: #rt::Time) -> [[::neurotype::units::Real; #n]; #n] {
            let dt = __dt;
            #bind_params
            #bind_lets
            [ #( #rows ),* ]
        }

        /// Refuses parameters that make the system matrix infinite or NaN (a time constant
        /// of zero the declaration did not exclude).
        fn __exact_check(
            __params: &#params_ty,
            __n: usize,
        ) -> ::core::result::Result<(), #rt::InvalidParameter> {
            const __LABELS: &[&str] = &[ #( #labels ),* ];
            let __dt = <#rt::Time as #rt::Raw>::from_raw(1.0);
            let __count = if __params.uniform().is_some() { 1 } else { __n };
            for __k in 0..__count {
                let __a = Self::__exact_matrix(&__params.at(__k), __dt);
                for (__i, __v) in __a.iter().flatten().enumerate() {
                    if !__v.is_finite() {
                        return ::core::result::Result::Err(#rt::InvalidParameter::new(
                            Self::NAME,
                            "method exact",
                            ::std::format!("{} = {} (element {})", __LABELS[__i], __v, __k),
                            "needs finite coefficients: check the parameters the equations \
                             divide by",
                        ));
                    }
                }
            }
            ::core::result::Result::Ok(())
        }
    }
}

/// `let mut x1 = ...;`: one exact step of the element, with the propagator `cache` holds
/// when it is for this step (see [`propagator`]).
pub(super) fn advance(cx: &Ctx, cache: TokenStream, x1: &proc_macro2::Ident) -> TokenStream {
    let prop = propagator(cx, cache);
    let step = step(cx);
    quote! {
        let __prop = #prop;
        let mut #x1 = #step;
    }
}

/// The propagator for the element's parameters `__p` and the step `__dt`: `cache` (an
/// `Option<&Propagator>`) when it was computed for this step, otherwise a new one.
fn propagator(cx: &Ctx, cache: TokenStream) -> TokenStream {
    let rt = &cx.rt;
    let ty = propagator_ty(cx);
    quote! {
        match #cache {
            ::core::option::Option::Some(__c) if __c.is_for(#rt::Raw::raw(__dt)) => *__c,
            _ => <#ty>::new(Self::__exact_matrix(__p, __dt), #rt::Raw::raw(__dt)),
        }
    }
}

/// One exact step from `__x0` (the ODE's state) with `__ode` and the propagator `__prop`:
/// `b` is the right-hand side at a zero state.
fn step(cx: &Ctx) -> TokenStream {
    let rt = &cx.rt;
    let n = cx.integrated.len();
    let zeros: Vec<TokenStream> = (0..n).map(|_| quote!(#rt::Raw::from_raw(0.0))).collect();
    let zero = if cx.single() {
        quote!(#( #zeros )*)
    } else {
        quote!(( #( #zeros ),* ))
    };
    let (x0, b) = (format_ident!("__x0"), format_ident!("__b"));
    let x_raw: Vec<TokenStream> = (0..n)
        .map(|pos| {
            let a = acc(cx, &x0, pos);
            quote!(#rt::Raw::raw(#a))
        })
        .collect();
    let b_raw: Vec<TokenStream> = (0..n)
        .map(|pos| {
            let a = acc(cx, &b, pos);
            quote!(#rt::Raw::raw(#a))
        })
        .collect();
    let out: Vec<TokenStream> = (0..n)
        .map(|i| quote!(#rt::Raw::from_raw(__y[#i])))
        .collect();
    let out = if cx.single() {
        quote!(#( #out )*)
    } else {
        quote!(( #( #out ),* ))
    };
    quote! {
        {
            let __b = #rt::Ode::rhs(&__ode, __t, &#zero);
            let __y = __prop.advance([ #( #x_raw ),* ], [ #( #b_raw ),* ]);
            #out
        }
    }
}

/// A neuron's `Dynamics::prepare`: the shared propagator, computed when the step changes.
pub(super) fn neuron_prepare(cx: &Ctx) -> TokenStream {
    let rt = &cx.rt;
    let ty = propagator_ty(cx);
    quote! {
        fn prepare(&mut self, __ctx: &#rt::StepCtx) {
            let __dt = __ctx.dt.get();
            let __raw = #rt::Raw::raw(__dt);
            if !self.core.config.is_some_and(|__c| __c.is_for(__raw)) {
                self.core.config = self
                    .core
                    .params
                    .uniform()
                    .map(|__p| <#ty>::new(Self::__exact_matrix(&__p, __dt), __raw));
            }
        }
    }
}

/// A synapse's `__exact_refresh`: as [`neuron_prepare`], in the synapse's `exact` field.
pub(super) fn synapse_refresh(cx: &Ctx) -> TokenStream {
    let rt = &cx.rt;
    let ty = propagator_ty(cx);
    quote! {
        fn __exact_refresh(&mut self, __ctx: &#rt::StepCtx) {
            let __dt = __ctx.dt.get();
            let __raw = #rt::Raw::raw(__dt);
            if !self.exact.is_some_and(|__c| __c.is_for(__raw)) {
                self.exact = self
                    .params
                    .uniform()
                    .map(|__p| <#ty>::new(Self::__exact_matrix(&__p, __dt), __raw));
            }
        }
    }
}
