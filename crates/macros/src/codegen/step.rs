//! The integration step of one element, shared by a synapse's kernel and a neuron's
//! `Dynamics::integrate`: the names of the element's state at each stage, the integrator
//! dispatch (exponential Euler in the declared order for `order sequential`), the jump added
//! to the potential, and the new values of the whole state.

use super::Ctx;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use syn::Index;

/// The pieces of the per-element step.
pub(super) struct Step {
    /// The state as stored at the start of the step (`__o_x`).
    pub old: Vec<Ident>,
    /// The state as the discrete clauses before integration leave it (`__x_x`).
    pub cur: Vec<Ident>,
    /// The state integration starts from (`__s_x`).
    pub start: Vec<Ident>,
    /// The state after the step (`__n_x`).
    pub new: Vec<Ident>,
    /// The raw columns (`__c_x`).
    pub cols: Vec<Ident>,
    /// The starting values of the variables without an equation.
    pub const_starts: Vec<Ident>,
    /// The integrated variables at the start, as the ODE's state.
    pub x0: TokenStream,
    /// The integrated variables after the step.
    pub x1: Ident,
    /// Exponential Euler: the integrator's step, or one variable at a time in declared order.
    pub exp_euler: TokenStream,
    /// Adds the neuron's jump to the potential after integration (already done by sequential
    /// exponential Euler).
    pub jump_after: TokenStream,
    /// `let mut __n_x = ...;` for every variable: from `x1` for the integrated ones, the start
    /// value for the others.
    pub new_values: Vec<TokenStream>,
}

/// Position `pos` of the ODE state `x`: `x` itself when one variable is integrated.
pub(super) fn acc(cx: &Ctx, x: &Ident, pos: usize) -> TokenStream {
    if cx.single() {
        quote!(#x)
    } else {
        let i = Index::from(pos);
        quote!(#x.#i)
    }
}

/// `x.pot = x.pot + __jump;` for a neuron whose potential is integrated.
fn add_jump(cx: &Ctx, x: &Ident) -> TokenStream {
    match (cx.neuron, pot_pos(cx)) {
        (true, Some(pos)) => {
            let a = acc(cx, x, pos);
            quote!(#a = #a + __jump;)
        }
        _ => quote!(),
    }
}

/// The potential's position in the ODE state, if it is integrated.
fn pot_pos(cx: &Ctx) -> Option<usize> {
    cx.integrated
        .iter()
        .position(|&k| k == cx.m.potential_index)
}

impl Step {
    pub(super) fn new(cx: &Ctx) -> Self {
        let Ctx {
            m,
            rt,
            neuron,
            s_types,
            integrated,
            constants,
            ..
        } = cx;
        let names = |prefix: &str| -> Vec<Ident> {
            m.state
                .iter()
                .map(|s| format_ident!("{}{}", prefix, s.name))
                .collect()
        };
        let start = names("__s_");
        let new = names("__n_");
        let x0 = {
            let s: Vec<&Ident> = integrated.iter().map(|&k| &start[k]).collect();
            if cx.single() {
                quote!(#( #s )*)
            } else {
                quote!(( #( #s ),* ))
            }
        };
        let x1 = format_ident!("__x1");
        let exp_euler = if m.sequential {
            sequential(cx)
        } else {
            quote!(#rt::ExponentialEuler.step(&__ode, __t, &__x0, __ctx.dt))
        };
        let jump_after = add_jump(cx, &x1);
        let jump_after = if m.sequential && *neuron {
            quote! {
                if <__M as #rt::FixedStep<Self::State>>::KIND != #rt::Method::ExponentialEuler {
                    #jump_after
                }
            }
        } else {
            jump_after
        };
        let new_values = (0..m.state.len())
            .map(|k| {
                let n = &new[k];
                let ty = s_types[k];
                match integrated.iter().position(|&i| i == k) {
                    Some(pos) => {
                        let a = acc(cx, &x1, pos);
                        quote!(let mut #n: #ty = #a;)
                    }
                    None => {
                        let s = &start[k];
                        quote!(let mut #n: #ty = #s;)
                    }
                }
            })
            .collect();
        Step {
            old: names("__o_"),
            cur: names("__x_"),
            cols: names("__c_"),
            const_starts: constants.iter().map(|&k| start[k].clone()).collect(),
            start,
            new,
            x0,
            x1,
            exp_euler,
            jump_after,
            new_values,
        }
    }
}

/// Exponential Euler one variable at a time, in declared order (`order sequential`): each
/// sees the ones before it already advanced, and the potential gets the jump as it advances.
fn sequential(cx: &Ctx) -> TokenStream {
    let rt = &cx.rt;
    let x = format_ident!("__x");
    let pot_pos = pot_pos(cx);
    let steps: Vec<TokenStream> = (0..cx.integrated.len())
        .map(|pos| {
            let a = acc(cx, &x, pos);
            let f = acc(cx, &format_ident!("__f"), pos);
            let j = acc(cx, &format_ident!("__j"), pos);
            let jump = if Some(pos) == pot_pos {
                add_jump(cx, &x)
            } else {
                quote!()
            };
            quote! {
                {
                    let (__f, __j) = #rt::Linearised::rhs_and_slope(&__ode, __t, &#x);
                    #a = #a.exp_advance(__dt, &#f, &#j);
                    #jump
                }
            }
        })
        .collect();
    quote! {
        {
            let mut #x = __x0;
            #( #steps )*
            #x
        }
    }
}
