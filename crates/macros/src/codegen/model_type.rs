//! The model type itself: its struct (documented with its declaration) and its inherent impl
//! (name, equations, builder, accessors, and the private helpers the other artefacts call).

use super::{Ctx, docs};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// `struct Name`: a neuron keeps its parameters, integrator, seed, state, refractoriness and
/// spikes in a `NeuronCore`; a synapse in fields of its own.
pub(super) fn model_struct(cx: &Ctx) -> TokenStream {
    let Ctx {
        m,
        rt,
        vis,
        name,
        params_ty,
        inits_ty,
        cols_ty,
        out_ty,
        ..
    } = cx;
    let user_attrs = &m.attrs;
    let doc_lines = docs::model_doc_lines(cx);
    let mut fields = if cx.neuron {
        quote!(core: #rt::NeuronCore<#name>,)
    } else {
        quote! {
            params: #params_ty,
            method: #rt::Method,
            seed: u64,
            state: #cols_ty,
        }
    };
    if cx.exact && !cx.neuron {
        let ty = super::exact::propagator_ty(cx);
        fields.extend(quote!(exact: ::core::option::Option<#ty>,));
    }
    if cx.increment {
        fields.extend(quote!(pending: #rt::Column<#out_ty>,));
    }
    quote! {
        #( #user_attrs )*
        #( #[doc = #doc_lines] )*
        #[derive(Clone, Debug)]
        #vis struct #name {
            n: usize,
            inits: #inits_ty,
            #fields
        }
    }
}

/// `impl Name`: `NAME`, `EQUATIONS`, `builder`, the accessors, and `helpers` (the private
/// functions of the other artefacts).
pub(super) fn inherent_impl(cx: &Ctx, helpers: &[TokenStream]) -> TokenStream {
    let Ctx {
        rt,
        name,
        name_str,
        params_ty,
        builder_ty,
        me,
        eq_text,
        ..
    } = cx;
    let model_builder_doc =
        format!("A builder for `n` elements of `{name_str}` with the declared defaults.");
    let accessors = column_accessors(cx);
    let method_getter = if cx.exact {
        quote! {
            /// Whether the model is integrated exactly (declared `method exact;`).
            pub const EXACT: bool = true;
        }
    } else {
        quote! {
            /// The integrator.
            pub fn method(&self) -> #rt::Method {
                #me.method
            }
        }
    };
    let last_accessor = if cx.refractory {
        quote! {
            /// The time of each neuron's last spike (−1e7 ms initially).
            pub fn last_spike_time(&self) -> &#rt::Column<#rt::Time> {
                &self.core.refractory.as_ref().expect("declared refractory").last_spike_time()
            }
        }
    } else {
        quote!()
    };
    quote! {
        #[allow(unused_variables, unused_mut, unused_parens, clippy::all)]
        impl #name {
            /// The model's name.
            pub const NAME: &'static str = #name_str;
            /// The declaration, as text.
            pub const EQUATIONS: &'static str = #eq_text;

            #[doc = #model_builder_doc]
            pub fn builder(n: usize) -> #builder_ty {
                #builder_ty {
                    n,
                    params: ::core::default::Default::default(),
                    method: ::core::default::Default::default(),
                    seed: 0,
                    inits: ::core::default::Default::default(),
                }
            }

            /// The parameters.
            pub fn params(&self) -> &#params_ty {
                &#me.params
            }

            #method_getter

            /// Number of elements.
            pub fn len(&self) -> usize {
                self.n
            }

            /// Whether there are none.
            pub fn is_empty(&self) -> bool {
                self.n == 0
            }

            #accessors

            #last_accessor

            fn __state_vars(&self) -> ::std::vec::Vec<#rt::StateVar<'_>> {
                #rt::StateColumns::vars(&#me.state)
            }

            #( #helpers )*
        }
    }
}

/// `x()` and `x_mut()`: each state column, shared and mutable.
fn column_accessors(cx: &Ctx) -> TokenStream {
    let Ctx {
        m,
        rt,
        me,
        s_names,
        s_strs,
        s_types,
        ..
    } = cx;
    let s_muts: Vec<Ident> = m
        .state
        .iter()
        .map(|s| format_ident!("{}_mut", s.name))
        .collect();
    let accessor_docs: Vec<String> = s_strs
        .iter()
        .map(|s| format!("The column of `{s}`."))
        .collect();
    let accessor_mut_docs: Vec<String> = s_strs
        .iter()
        .map(|s| format!("The column of `{s}`, mutable (to set a state by hand)."))
        .collect();
    quote! {
        #(
            #[doc = #accessor_docs]
            pub fn #s_names(&self) -> &#rt::Column<#s_types> {
                &#me.state.#s_names
            }

            #[doc = #accessor_mut_docs]
            pub fn #s_muts(&mut self) -> &mut #rt::Column<#s_types> {
                &mut #me.state.#s_names
            }
        )*
    }
}
