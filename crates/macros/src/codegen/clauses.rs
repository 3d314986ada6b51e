//! The discrete clauses as functions of the model: the spike condition (`__spike`) and the
//! assignments of `reset` (`__reset`), `on_pre` (`__on_pre`) and `on_spike` (`__on_spike`).

use super::{Ctx, call_site, let_bindings, needed_lets};
use crate::model::{Assign, AssignOp};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// `__spike(params, t, dt, state) -> bool`, if the model spikes.
pub(super) fn spike_fn(cx: &Ctx) -> TokenStream {
    let Ctx {
        m,
        rt,
        scalar_ty,
        s_names,
        s_types,
        bind_params,
        ..
    } = cx;
    let Some(s) = &m.spike else {
        return quote!();
    };
    let lets = needed_lets(m, &|v| s.cond.visit_names(v));
    let lets = let_bindings(m, &lets);
    let cond = s.cond.typed();
    quote! {
        #[inline(always)]
        fn __spike(__p: &#scalar_ty, t: #rt::Time, dt: #rt::Time, #( #s_names: #s_types ),*) -> bool {
            #bind_params
            #lets
            #cond
        }
    }
}

/// `__reset(params, t, dt, &mut state)`, if the model resets.
pub(super) fn reset_fn(cx: &Ctx) -> TokenStream {
    assign_fn(cx, format_ident!("__reset"), &cx.m.reset, quote!())
}

/// `__on_pre(params, t, dt, w, &mut state)`, if the synapse takes increments.
pub(super) fn on_pre_fn(cx: &Ctx) -> TokenStream {
    let out_ty = cx.out_ty;
    assign_fn(
        cx,
        format_ident!("__on_pre"),
        &cx.m.on_pre,
        quote!(w: #out_ty,),
    )
}

/// `__on_spike(params, t, dt, &mut state)`, if the synapse takes presynaptic spikes.
pub(super) fn on_spike_fn(cx: &Ctx) -> TokenStream {
    assign_fn(cx, format_ident!("__on_spike"), &cx.m.on_spike, quote!())
}

/// One assignment as typed code on the state variables in scope:
/// `{ let __v: T = value; x = x + __v; }`.
pub(super) fn assignment(cx: &Ctx, a: &Assign) -> TokenStream {
    let target = call_site(&a.target);
    let ty = &cx.m.state[a.index].ty;
    let value = a.value.typed();
    let update = match a.op {
        AssignOp::Set => quote!(#target = __v;),
        AssignOp::Add => quote!(#target = #target + __v;),
        AssignOp::Sub => quote!(#target = #target - __v;),
    };
    quote!({ let __v: #ty = #value; #update })
}

/// A function `fname` applying the assignments `list` to the state, in order (nothing if
/// there are none); `extra` are arguments before the state's.
fn assign_fn(cx: &Ctx, fname: Ident, list: &[Assign], extra: TokenStream) -> TokenStream {
    let Ctx {
        m,
        rt,
        scalar_ty,
        s_names,
        s_types,
        bind_params,
        ..
    } = cx;
    if list.is_empty() {
        return quote!();
    }
    let muts: Vec<Ident> = m
        .state
        .iter()
        .map(|s| format_ident!("__m_{}", s.name))
        .collect();
    let lets = needed_lets(m, &|v| {
        for a in list {
            a.value.visit_names(v);
        }
    });
    let lets = let_bindings(m, &lets);
    let body: Vec<TokenStream> = list.iter().map(|a| assignment(cx, a)).collect();
    quote! {
        #[inline(always)]
        fn #fname(__p: &#scalar_ty, t: #rt::Time, dt: #rt::Time, #extra #( #muts: &mut #s_types ),*) {
            #bind_params
            #( let mut #s_names: #s_types = *#muts; )*
            #lets
            #( #body )*
            #( *#muts = #s_names; )*
        }
    }
}
