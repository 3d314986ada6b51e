//! The parameter set (`NameParams`, each parameter shared or one per element), its
//! per-element values (`NameScalar`) and their `ParamSet` impl.

use super::Ctx;
use proc_macro2::TokenStream;
use quote::quote;

/// `NameParams` with its defaults, `NameScalar`, and the `ParamSet` impl.
pub(super) fn definitions(cx: &Ctx) -> TokenStream {
    let Ctx {
        rt,
        vis,
        name_str,
        params_ty,
        scalar_ty,
        p_names,
        p_strs,
        p_types,
        p_docs,
        ..
    } = cx;
    let p_defaults: Vec<TokenStream> =
        cx.m.params
            .iter()
            .map(|p| {
                let ty = &p.ty;
                let value = p.default.typed();
                quote!({ let __d: #ty = #value; __d })
            })
            .collect();
    let p_constraints: Vec<TokenStream> =
        cx.m.params
            .iter()
            .map(|p| super::builder::constraint_tokens(&p.constraints))
            .collect();
    let params_doc = format!("The parameters of [`{name_str}`], each shared or one per element.");
    let scalar_doc = format!("The parameters of one element of [`{name_str}`].");
    quote! {
        #[doc = #params_doc]
        #[derive(Clone, PartialEq)]
        #vis struct #params_ty {
            #( #p_docs pub #p_names: #rt::Param<#p_types>, )*
        }

        #rt::__constrained_params! {
            #params_ty { #( #p_names: #p_types, #p_strs #p_constraints ; )* }
        }

        impl ::core::default::Default for #params_ty {
            #[allow(unused_parens, clippy::all)]
            fn default() -> Self {
                Self { #( #p_names: #rt::Param::Scalar(#p_defaults), )* }
            }
        }

        #[doc = #scalar_doc]
        #[derive(Clone, Copy, Debug, PartialEq)]
        #vis struct #scalar_ty {
            #( #p_docs pub #p_names: #p_types, )*
        }

        impl #params_ty {
            /// The parameter names, as the builder and [`ModelBuilder::set`](::neurotype::models::ModelBuilder::set) spell them.
            pub const NAMES: &'static [&'static str] = &[ #( #p_strs ),* ];

            /// The shared values, when every parameter is shared.
            #[inline(always)]
            pub fn uniform(&self) -> ::core::option::Option<#scalar_ty> {
                ::core::option::Option::Some(#scalar_ty { #( #p_names: self.#p_names.scalar()?, )* })
            }

            /// The values of element `i`.
            #[inline(always)]
            pub fn at(&self, i: usize) -> #scalar_ty {
                #scalar_ty { #( #p_names: self.#p_names.at(i), )* }
            }
        }

        impl #rt::ParamSet<#scalar_ty> for #params_ty {
            #[inline(always)]
            fn uniform(&self) -> ::core::option::Option<#scalar_ty> {
                #params_ty::uniform(self)
            }
            #[inline(always)]
            fn at(&self, i: usize) -> #scalar_ty {
                #params_ty::at(self, i)
            }
        }
    }
}
