//! The state: its initialisers (`NameInits`) and columns (`NameColumns`), the declared initial
//! values as functions, and `__reset_state`, which fills the columns from them.

use super::{Ctx, let_bindings, needed_lets};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// `NameInits` (one optional initialiser per variable) and the columns `NameColumns`.
pub(super) fn structs(cx: &Ctx) -> TokenStream {
    let Ctx {
        rt,
        vis,
        name_str,
        inits_ty,
        cols_ty,
        view_ty,
        keys_ty,
        s_names,
        s_strs,
        s_types,
        ..
    } = cx;
    let inits_doc = format!("Initialisers of [`{name_str}`]'s state (`None`: the declared value).");
    let cols_doc = format!("The state of [`{name_str}`], one column per variable.");
    let s_docs: Vec<TokenStream> =
        cx.m.state
            .iter()
            .map(|s| {
                let attrs = &s.attrs;
                let line = format!("`{}`, initially `{}`.", s.name, s.init.text());
                if attrs.iter().any(|a| a.path().is_ident("doc")) {
                    quote!(#(#attrs)*)
                } else {
                    quote!(#[doc = #line])
                }
            })
            .collect();
    quote! {
        #[doc = #inits_doc]
        #[derive(Clone, Debug, Default, PartialEq)]
        #vis struct #inits_ty {
            #( #[doc = "Initialiser override."] pub #s_names: ::core::option::Option<#rt::Init<#s_types>>, )*
        }

        #rt::state_columns! {
            #[doc = #cols_doc]
            #vis struct #cols_ty / #view_ty / #keys_ty {
                #( #s_docs #s_names: #s_types => #s_strs, )*
            }
        }
    }
}

/// `__init_x(params, earlier variables)`: the declared initial value of each variable.
pub(super) fn init_fns(cx: &Ctx) -> TokenStream {
    let Ctx {
        m,
        scalar_ty,
        s_names,
        s_types,
        bind_params,
        ..
    } = cx;
    let init_fns = m.state.iter().enumerate().map(|(k, s)| {
        let f = format_ident!("__init_{}", s.name);
        let before_names = &s_names[..k];
        let before_types = &s_types[..k];
        let lets = needed_lets(m, &|v| s.init.visit_names(v));
        let lets = let_bindings(m, &lets);
        let ty = &s.ty;
        let value = s.init.typed();
        quote! {
            #[inline(always)]
            fn #f(__p: &#scalar_ty, #( #before_names: #before_types ),*) -> #ty {
                #bind_params
                #lets
                let __v: #ty = #value;
                __v
            }
        }
    });
    quote!(#( #init_fns )*)
}

/// `__reset_state`: every column from its initialiser, or from the declared value (each
/// variable's after the ones before it).
pub(super) fn reset_state_fn(cx: &Ctx) -> TokenStream {
    let Ctx {
        m, rt, me, s_names, ..
    } = cx;
    let col_locals: Vec<Ident> = m
        .state
        .iter()
        .map(|s| format_ident!("__col_{}", s.name))
        .collect();
    let init_calls: Vec<TokenStream> = (0..m.state.len())
        .map(|k| {
            let s = &s_names[k];
            let f = format_ident!("__init_{}", m.state[k].name);
            let col = &col_locals[k];
            let prev = &col_locals[..k];
            let idx = k as u64;
            quote! {
                let #col: ::std::vec::Vec<::neurotype::units::Real> = match &self.inits.#s {
                    ::core::option::Option::Some(__init) => {
                        __init.sample(__n, &mut #rt::rng::stream(#me.seed, #idx))
                    }
                    ::core::option::Option::None => (0..__n)
                        .map(|__k| {
                            let __p = #me.params.at(__k);
                            #rt::Raw::raw(Self::#f(&__p, #( #rt::Raw::from_raw(#prev[__k]) ),*))
                        })
                        .collect(),
                };
            }
        })
        .collect();
    let mut reset_extra = TokenStream::new();
    if cx.neuron {
        reset_extra.extend(quote!(self.core.clear();));
    }
    if cx.increment {
        reset_extra.extend(quote!(self.pending.fill(#rt::Raw::from_raw(0.0));));
    }
    quote! {
        fn __reset_state(&mut self) {
            let __n = self.n;
            #( #init_calls )*
            #( #me.state.#s_names = #rt::Column::from_raw(#col_locals); )*
            #reset_extra
        }
    }
}
