//! The equations as a struct `__NameOde` implementing `Ode` and `Linearised`: the integrated
//! variables are its state; parameters, the variables without an equation, the element's
//! index and (for a neuron) the input source are its fields.

use super::{Ctx, call_site, let_bindings};
use crate::diff::{Wrt, diff};
use crate::expr::Expr;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote, quote_spanned};

/// The ODE struct, its `__eval` and its `Ode` / `Linearised` impls.
pub(super) fn definition(cx: &Ctx) -> TokenStream {
    let Ctx {
        m,
        rt,
        name,
        scalar_ty,
        ode_ty,
        neuron,
        s_names,
        s_types,
        integrated,
        constants,
        const_fields,
        bind_params,
        pot_name,
        ..
    } = cx;
    let int_names: Vec<&Ident> = integrated.iter().map(|&k| &s_names[k]).collect();
    let int_types: Vec<&syn::Type> = integrated.iter().map(|&k| s_types[k]).collect();
    let single = cx.single();
    let state_ty = if single {
        quote!(#(#int_types)*)
    } else {
        quote!(( #( #int_types ),* ))
    };
    let rate_ty = if single {
        quote!(#( <#int_types as #rt::State>::Rate )*)
    } else {
        quote!(( #( <#int_types as #rt::State>::Rate ),* ))
    };
    let slope_ty = if single {
        quote!(#( <#int_types as #rt::State>::Slope )*)
    } else {
        quote!(( #( <#int_types as #rt::State>::Slope ),* ))
    };
    let unpack_x = if single {
        quote!(let #( #int_names )* = *__x;)
    } else {
        quote!(let ( #( #int_names ),* ) = *__x;)
    };
    let const_names: Vec<&Ident> = constants.iter().map(|&k| &s_names[k]).collect();
    let const_types: Vec<&syn::Type> = constants.iter().map(|&k| s_types[k]).collect();
    let uses_input = *neuron && m.uses_input();
    // a frozen input is a current fixed at the start of the step: the stepper hands the
    // equations a source that returns it whatever the potential
    let input_binding = match &m.input {
        Some(i) if uses_input => {
            let iname = call_site(&i.name);
            quote!(let (#iname, __g) = #rt::InputAt::<#name>::input_at(self.__input, self.__k, #pot_name);)
        }
        _ => quote!(),
    };
    let all_lets: Vec<usize> = (0..m.lets.len()).collect();
    let eval_lets = let_bindings(m, &all_lets);
    let (eq_code, ret) = equations(cx);
    let (ode_generics, ode_impl_generics, ode_input_field, ode_where) = if *neuron {
        (
            quote!(<'__a, __In>),
            quote!(<'__a, __In: #rt::InputAt<#name>>),
            quote!(__input: &'__a __In,),
            quote!(),
        )
    } else {
        (quote!(<'__a>), quote!(<'__a>), quote!(), quote!())
    };
    quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        struct #ode_ty #ode_generics {
            __p: &'__a #scalar_ty,
            #ode_input_field
            __k: usize,
            __dt: #rt::Time,
            #( #const_fields: #const_types, )*
        }

        #[allow(unused_variables, unused_parens, clippy::all)]
        impl #ode_impl_generics #ode_ty #ode_generics #ode_where {
            /// Every right-hand side, and (with `__SLOPE`) its exact derivative with respect to
            /// its own variable.
            #[inline(always)]
            fn __eval<const __SLOPE: bool>(&self, t: #rt::Time, __x: &#state_ty) -> (#rate_ty, #slope_ty) {
                let __p = self.__p;
                let dt = self.__dt;
                let __k = self.__k;
                #bind_params
                #unpack_x
                #( let #const_names: #const_types = self.#const_fields; )*
                #input_binding
                #eval_lets
                #( #eq_code )*
                #ret
            }
        }

        impl #ode_impl_generics #rt::Ode for #ode_ty #ode_generics #ode_where {
            type State = #state_ty;
            #[inline(always)]
            fn rhs(&self, t: #rt::Time, x: &#state_ty) -> #rate_ty {
                self.__eval::<false>(t, x).0
            }
        }

        impl #ode_impl_generics #rt::Linearised for #ode_ty #ode_generics #ode_where {
            #[inline(always)]
            fn slope(&self, t: #rt::Time, x: &#state_ty) -> #slope_ty {
                self.__eval::<true>(t, x).1
            }
            #[inline(always)]
            fn rhs_and_slope(&self, t: #rt::Time, x: &#state_ty) -> (#rate_ty, #slope_ty) {
                self.__eval::<true>(t, x)
            }
        }
    }
}

/// Each equation's right-hand side `__f_x` and exact slope `__j_x` (computed only with
/// `__SLOPE`), and the value `__eval` returns: the rates and the slopes.
fn equations(cx: &Ctx) -> (Vec<TokenStream>, TokenStream) {
    let Ctx { m, rt, .. } = cx;
    let let_exprs: Vec<Expr> = m.lets.iter().map(|l| l.expr.clone()).collect();
    let f_names: Vec<Ident> = m
        .eqs
        .iter()
        .map(|e| format_ident!("__f_{}", e.var))
        .collect();
    let j_names: Vec<Ident> = m
        .eqs
        .iter()
        .map(|e| format_ident!("__j_{}", e.var))
        .collect();
    let eq_code: Vec<TokenStream> = m
        .eqs
        .iter()
        .enumerate()
        .map(|(q, e)| {
            let ty = &m.state[e.index].ty;
            let f = &f_names[q];
            let j = &j_names[q];
            let rhs = e.rhs.typed();
            let span = e.var.span();
            let wrt = Wrt {
                var: e.index,
                input_live: cx.neuron && !cx.frozen && e.index == m.potential_index,
                lets: &let_exprs,
            };
            let slope = diff(&e.rhs, &wrt).raw();
            let rate_ty = quote_spanned!(span=> <#ty as #rt::State>::Rate);
            quote! {
                let #f: #rate_ty = #rhs;
                let #j: <#ty as #rt::State>::Slope =
                    #rt::Raw::from_raw(if __SLOPE { #slope } else { 0.0 });
            }
        })
        .collect();
    let ret = if cx.single() {
        quote!((#( #f_names )*, #( #j_names )*))
    } else {
        quote!(( ( #( #f_names ),* ), ( #( #j_names ),* ) ))
    };
    (eq_code, ret)
}
