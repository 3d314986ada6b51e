//! The builder (`NameBuilder`): one setter per parameter and initial state, the integrator
//! and the seed, a `build` that validates them, and its `ModelBuilder` impl (parameters set
//! by name from text).

use super::Ctx;
use crate::model::Constraint;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// `NameBuilder`, its setters and `build`, and `impl ModelBuilder`.
pub(super) fn builder(cx: &Ctx) -> TokenStream {
    let Ctx {
        m,
        rt,
        vis,
        name,
        name_str,
        params_ty,
        builder_ty,
        inits_ty,
        p_names,
        p_strs,
        p_types,
        p_docs,
        s_names,
        s_types,
        ..
    } = cx;
    let builder_doc = format!(
        "Builder of [`{name_str}`]: set parameters, initial states and the integrator, then `build()`."
    );
    let s_init_setters = init_setters(cx);
    let init_setter_docs: Vec<String> = m
        .state
        .iter()
        .map(|s| {
            format!(
                "Initial `{}` (default: `{}`, evaluated per element).",
                s.name,
                s.init.text()
            )
        })
        .collect();
    let build_fn = build_fn(cx);
    let (method_setter, method_key) = if cx.exact {
        (
            quote!(),
            quote! {
                "method" => return ::core::result::Result::Err(#rt::InvalidParameter::new(
                    __OWNER,
                    "method",
                    text,
                    "is not chosen: the model is declared `method exact;`",
                )),
            },
        )
    } else {
        (
            quote! {
                /// The integrator (default: exponential Euler).
                pub fn method(mut self, method: #rt::Method) -> Self {
                    self.method = method;
                    self
                }
            },
            quote!("method" => self.method = #rt::parse_method(__OWNER, text)?,),
        )
    };
    quote! {
        #[doc = #builder_doc]
        #[derive(Clone, Debug)]
        #vis struct #builder_ty {
            n: usize,
            params: #params_ty,
            method: #rt::Method,
            seed: u64,
            inits: #inits_ty,
        }

        impl #builder_ty {
            /// Sets every parameter at once (e.g. a set drawn by its `strategy()`).
            pub fn params(mut self, params: #params_ty) -> Self {
                self.params = params;
                self
            }

            #(
                #p_docs
                #[doc = ""]
                #[doc = "A quantity, or a `Vec` with one value per element."]
                pub fn #p_names(mut self, value: impl ::core::convert::Into<#rt::Param<#p_types>>) -> Self {
                    self.params.#p_names = value.into();
                    self
                }
            )*
            #(
                #[doc = #init_setter_docs]
                pub fn #s_init_setters(mut self, init: impl ::core::convert::Into<#rt::Init<#s_types>>) -> Self {
                    self.inits.#s_names = ::core::option::Option::Some(init.into());
                    self
                }
            )*

            #method_setter

            /// Seed of random initial states (default 0).
            pub fn seed(mut self, seed: u64) -> Self {
                self.seed = seed;
                self
            }

            #build_fn
        }

        impl #rt::ModelBuilder for #builder_ty {
            type Model = #name;

            fn set(mut self, name: &str, text: &str) -> ::core::result::Result<Self, #rt::InvalidParameter> {
                const __OWNER: &str = #name_str;
                match name {
                    #method_key
                    "seed" => self.seed = #rt::parse_seed(__OWNER, text)?,
                    #( #p_strs => self.params.#p_names = #rt::Param::Scalar(#rt::parse_param(__OWNER, name, text)?), )*
                    _ => return ::core::result::Result::Err(#rt::unknown_parameter(__OWNER, name, #params_ty::NAMES)),
                }
                ::core::result::Result::Ok(self)
            }

            fn build(self) -> ::core::result::Result<#name, #rt::InvalidParameter> {
                #builder_ty::build(self)
            }
        }
    }
}

/// The setters of the initial states: `x_init`.
fn init_setters(cx: &Ctx) -> Vec<Ident> {
    cx.m.state
        .iter()
        .map(|s| format_ident!("{}_init", s.name))
        .collect()
}

/// `build`: checks every parameter's shape and constraints and every initialiser, then makes
/// the model and sets its initial state.
fn build_fn(cx: &Ctx) -> TokenStream {
    let Ctx {
        rt,
        name,
        name_str,
        p_names,
        p_strs,
        s_names,
        ..
    } = cx;
    let s_init_strs: Vec<String> = init_setters(cx).iter().map(|i| i.to_string()).collect();
    let constraint_checks = constraint_checks(cx);
    let make_refractory = match cx.m.refractory {
        Some(r) => {
            let tau_ref = &p_names[r];
            quote! {
                let __refractory =
                    #rt::Refractory::new(__n, self.params.#tau_ref.clone(), false);
            }
        }
        None => quote!(),
    };
    let fields_init = fields_init(cx);
    let exact_check = if cx.exact {
        quote!(#name::__exact_check(&self.params, __n)?;)
    } else {
        quote!()
    };
    quote! {
        /// Validates every parameter and initialiser, and builds the model.
        pub fn build(self) -> ::core::result::Result<#name, #rt::InvalidParameter> {
            const __OWNER: &str = #name_str;
            let __n = self.n;
            {
                let __ps = &self.params;
                #( __ps.#p_names.check_shape(__OWNER, #p_strs, __n)?; )*
                #( #constraint_checks )*
            }
            #exact_check
            #(
                if let ::core::option::Option::Some(__init) = &self.inits.#s_names {
                    __init.check(__OWNER, #s_init_strs, __n)?;
                }
            )*
            #make_refractory
            let mut __m = #name {
                n: __n,
                inits: self.inits,
                #fields_init
            };
            __m.__reset_state();
            ::core::result::Result::Ok(__m)
        }
    }
}

/// The check of the parameters' declared constraints (`where > 0`, `where < v_th`), through
/// the parameter set's `check_constraints`: the one implementation the built-in models use.
pub(super) fn constraint_checks(_cx: &Ctx) -> Vec<TokenStream> {
    vec![quote!(__ps.check_constraints(__OWNER, __n)?;)]
}

/// A parameter's constraints as `__constrained_params!` takes them: `, > 0 && < v_th`, or
/// nothing.
pub(super) fn constraint_tokens(constraints: &[Constraint]) -> TokenStream {
    if constraints.is_empty() {
        return quote!();
    }
    let each = constraints.iter().map(|c| match c {
        Constraint::Positive => quote!(> 0),
        Constraint::NonNegative => quote!(>= 0),
        Constraint::NonZero => quote!(!= 0),
        Constraint::Relation(op, other) => {
            let op: TokenStream = op.parse().expect("a comparison operator");
            quote!(#op #other)
        }
    });
    quote!(, #( #each )&&*)
}

/// The model's fields after `n` and `inits`, as `build` makes them: a neuron's `NeuronCore`
/// (its parameters, integrator, seed, zeroed state, refractoriness and spikes), a synapse's
/// own fields, and the queued increments of an increment synapse.
fn fields_init(cx: &Ctx) -> TokenStream {
    let Ctx { rt, cols_ty, .. } = cx;
    let config = if cx.exact {
        quote!(::core::option::Option::None)
    } else {
        quote!(())
    };
    let mut fields = if cx.neuron {
        let refractory_init = if cx.refractory {
            quote!(::core::option::Option::Some(__refractory))
        } else {
            quote!(::core::option::Option::None)
        };
        quote! {
            core: #rt::NeuronCore {
                params: self.params,
                config: #config,
                method: self.method,
                seed: self.seed,
                state: <#cols_ty as #rt::StateColumns<_>>::zeros(__n),
                refractory: #refractory_init,
                spikes: ::std::vec![false; __n],
                spiked: ::std::vec::Vec::new(),
            },
        }
    } else {
        quote! {
            params: self.params,
            method: self.method,
            seed: self.seed,
            state: <#cols_ty as #rt::StateColumns<_>>::zeros(__n),
        }
    };
    if cx.exact && !cx.neuron {
        fields.extend(quote!(exact: ::core::option::Option::None,));
    }
    if cx.increment {
        fields.extend(quote!(pending: #rt::Column::zeros(__n),));
    }
    fields
}
