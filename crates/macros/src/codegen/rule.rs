//! A plasticity rule (`synapse!` with `pre`, `post` and `weight`): its parameters, a builder,
//! the rule type, its kernel (parameters, and each side's propagator for the step), and its
//! `PlasticityRule` impl, whose hooks are the declared blocks as typed code on the element's
//! stored numbers.

use super::builder::constraint_checks;
use super::clauses::assignment;
use super::{Ctx, call_site, params};
use crate::model::{Assign, RuleDecl};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// One side's variables: declaration indices, and which of them have an equation (with the
/// equation's index in `m.eqs`).
struct Side {
    vars: Vec<usize>,
    /// `(position in vars, equation index)` of the integrated variables, in equation order.
    integrated: Vec<(usize, usize)>,
}

impl Side {
    fn new(cx: &Ctx, vars: core::ops::Range<usize>) -> Self {
        let vars: Vec<usize> = vars.collect();
        let integrated =
            cx.m.eqs
                .iter()
                .enumerate()
                .filter_map(|(q, e)| vars.iter().position(|&k| k == e.index).map(|pos| (pos, q)))
                .collect();
        Side { vars, integrated }
    }
}

/// Everything for a rule.
pub(super) fn generate(cx: &Ctx, r: &RuleDecl) -> TokenStream {
    let Ctx {
        m,
        rt,
        vis,
        name,
        name_str,
        params_ty,
        scalar_ty,
        builder_ty,
        p_names,
        p_strs,
        p_types,
        p_docs,
        eq_text,
        ..
    } = cx;
    let params_def = params::definitions(cx);
    let kernel_ty = format_ident!("{}Kernel", name);
    let pre = Side::new(cx, 0..r.n_pre);
    let post = Side::new(cx, r.n_pre..r.n_pre + r.n_post);
    let w_ty = &m.state[r.weight_index()].ty;
    let constraint_checks = constraint_checks(cx);
    let user_attrs = &m.attrs;
    let doc_lines: Vec<String> = [
        "",
        "A plasticity rule declared with neurotype's equation DSL:",
        "",
        "```text",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(eq_text.lines().map(str::to_string))
    .chain(["```".to_string()])
    .collect();
    let builder_doc = format!("Builder of [`{name_str}`]: set parameters, then `build()`.");
    let kernel_doc = format!("One step's numbers of [`{name_str}`]: parameters and propagators.");
    let (pre_ty, pre_fns, pre_init) = side_parts(cx, &pre, "pre");
    let (post_ty, post_fns, post_init) = side_parts(cx, &post, "post");
    let pre_strs: Vec<String> = pre.vars.iter().map(|&k| cx.s_strs[k].clone()).collect();
    let post_strs: Vec<String> = post.vars.iter().map(|&k| cx.s_strs[k].clone()).collect();
    let init_pre = initial(cx, &pre);
    let init_post = initial(cx, &post);
    let advance_pre = advance(&pre, "pre");
    let advance_post = advance(&post, "post");
    let pre_spike = element_update(cx, r, &cx.m.on_pre, &pre, "__x");
    let post_spike = element_update(cx, r, &cx.m.on_post, &post, "__y");
    let on_pre = weight_update(cx, r, &cx.m.on_pre, &pre, &post);
    let on_post = weight_update(cx, r, &cx.m.on_post, &pre, &post);
    quote! {
        #params_def

        #( #user_attrs )*
        #( #[doc = #doc_lines] )*
        #[derive(Clone, Debug, PartialEq)]
        #vis struct #name {
            params: #scalar_ty,
        }

        #[doc = #builder_doc]
        #[derive(Clone, Debug)]
        #vis struct #builder_ty {
            params: #params_ty,
        }

        #[doc = #kernel_doc]
        #[doc(hidden)]
        #[derive(Clone, Copy, Debug)]
        #vis struct #kernel_ty {
            p: #scalar_ty,
            dt: #rt::Time,
            pre: #pre_ty,
            b_pre: [::neurotype::units::Real; #pre_init],
            pre_free: bool,
            post: #post_ty,
            b_post: [::neurotype::units::Real; #post_init],
            post_free: bool,
        }

        impl #builder_ty {
            #(
                #p_docs
                pub fn #p_names(mut self, value: #p_types) -> Self {
                    self.params.#p_names = #rt::Param::Scalar(value);
                    self
                }
            )*

            /// Validates every parameter and builds the rule.
            pub fn build(self) -> ::core::result::Result<#name, #rt::InvalidParameter> {
                const __OWNER: &str = #name_str;
                let __n = 1usize;
                {
                    let __ps = &self.params;
                    #( __ps.#p_names.check_shape(__OWNER, #p_strs, __n)?; )*
                    #( #constraint_checks )*
                }
                let __p = self.params.uniform().expect("a rule's parameters are scalars");
                let __rule = #name { params: __p };
                // the propagators' matrices must be finite (a time constant of zero)
                let __unit = <#rt::Time as #rt::Raw>::from_raw(1.0);
                let __a = #name::__pre_matrix(&__p, __unit);
                let __b = #name::__post_matrix(&__p, __unit);
                if __a.iter().flatten().chain(__b.iter().flatten()).any(|__v| !__v.is_finite()) {
                    return ::core::result::Result::Err(#rt::InvalidParameter::new(
                        __OWNER,
                        "equations",
                        "an infinite coefficient",
                        "needs finite coefficients: check the parameters the equations divide by",
                    ));
                }
                ::core::result::Result::Ok(__rule)
            }
        }

        #[allow(unused_variables, unused_mut, unused_parens, clippy::all)]
        impl #name {
            /// The rule's name.
            pub const NAME: &'static str = #name_str;
            /// The declaration, as text.
            pub const EQUATIONS: &'static str = #eq_text;

            /// A builder with the declared defaults.
            pub fn builder() -> #builder_ty {
                #builder_ty { params: ::core::default::Default::default() }
            }

            /// The parameters.
            pub fn params(&self) -> &#scalar_ty {
                &self.params
            }

            #pre_fns
            #post_fns
        }

        #[allow(unused_variables, unused_mut, unused_parens, clippy::all)]
        impl #rt::PlasticityRule for #name {
            type W = #w_ty;
            type Kernel = #kernel_ty;
            const PRE_VARS: &'static [&'static str] = &[ #( #pre_strs ),* ];
            const POST_VARS: &'static [&'static str] = &[ #( #post_strs ),* ];

            fn name(&self) -> &'static str {
                #name_str
            }

            fn kernel(&self, __dt: #rt::Time) -> #kernel_ty {
                let __p = &self.params;
                let __raw = #rt::Raw::raw(__dt);
                let b_pre = Self::__pre_b(__p, __dt);
                let b_post = Self::__post_b(__p, __dt);
                #kernel_ty {
                    p: *__p,
                    dt: __dt,
                    pre: <#pre_ty>::new(Self::__pre_matrix(__p, __dt), __raw),
                    pre_free: b_pre.iter().all(|__v| *__v == 0.0),
                    b_pre,
                    post: <#post_ty>::new(Self::__post_matrix(__p, __dt), __raw),
                    post_free: b_post.iter().all(|__v| *__v == 0.0),
                    b_post,
                }
            }

            fn init_pre(&self, __x: &mut [::neurotype::units::Real]) {
                #init_pre
            }

            fn init_post(&self, __x: &mut [::neurotype::units::Real]) {
                #init_post
            }

            fn check_weight(
                &self,
                owner: &str,
                what: &str,
                w: #w_ty,
            ) -> ::core::result::Result<(), #rt::InvalidParameter> {
                if #rt::Raw::raw(w).is_finite() {
                    ::core::result::Result::Ok(())
                } else {
                    ::core::result::Result::Err(#rt::InvalidParameter::new(
                        owner,
                        what,
                        #rt::Unitful::show(w).to_string(),
                        "must be finite",
                    ))
                }
            }

            #[inline(always)]
            fn advance_pre(__k: &#kernel_ty, __x: &mut [::neurotype::units::Real]) {
                #advance_pre
            }

            #[inline(always)]
            fn advance_post(__k: &#kernel_ty, __x: &mut [::neurotype::units::Real]) {
                #advance_post
            }

            #[inline(always)]
            fn pre_spike(__k: &#kernel_ty, __x: &mut [::neurotype::units::Real]) {
                #pre_spike
            }

            #[inline(always)]
            fn post_spike(__k: &#kernel_ty, __y: &mut [::neurotype::units::Real]) {
                #post_spike
            }

            #[inline(always)]
            fn on_pre(__k: &#kernel_ty, __w: ::neurotype::units::Real, __x: &[::neurotype::units::Real], __y: &[::neurotype::units::Real])-> ::neurotype::units::Real {
                #on_pre
            }

            #[inline(always)]
            fn on_post(__k: &#kernel_ty, __w: ::neurotype::units::Real, __x: &[::neurotype::units::Real], __y: &[::neurotype::units::Real])-> ::neurotype::units::Real {
                #on_post
            }
        }
    }
}

/// A side's propagator type, `__<side>_matrix` / `__<side>_b`, and the number of its
/// integrated variables: `__<side>_matrix` / `__<side>_b`: the
/// system matrix of its equations over its integrated variables, and the right-hand sides at a
/// zero state.
fn side_parts(cx: &Ctx, side: &Side, which: &str) -> (TokenStream, TokenStream, Literal) {
    let Ctx {
        m,
        rt,
        scalar_ty,
        bind_params,
        s_names,
        s_types,
        ..
    } = cx;
    let n = side.integrated.len();
    let n_lit = Literal::usize_unsuffixed(n);
    let ty = quote!(#rt::Propagator<#n_lit>);
    let matrix_fn = format_ident!("__{}_matrix", which);
    let b_fn = format_ident!("__{}_b", which);
    let vars: Vec<usize> = side
        .integrated
        .iter()
        .map(|&(pos, _)| side.vars[pos])
        .collect();
    let rows: Vec<TokenStream> = side
        .integrated
        .iter()
        .map(|&(_, q)| super::exact::matrix_row(&m.eqs[q].rhs, &vars, &[]))
        .collect();
    let zero_names: Vec<&Ident> = side.vars.iter().map(|&k| &s_names[k]).collect();
    let zero_types: Vec<&syn::Type> = side.vars.iter().map(|&k| s_types[k]).collect();
    let rhs: Vec<TokenStream> = side
        .integrated
        .iter()
        .map(|&(_, q)| {
            let e = m.eqs[q].rhs.typed();
            quote!(#rt::Raw::raw(#e))
        })
        .collect();
    let fns = quote! {
        /// The system matrix of this side's equations (stored numbers).
        fn #matrix_fn(__p: &#scalar_ty, __dt: #rt::Time) -> [[::neurotype::units::Real; #n_lit]; #n_lit] {
            let dt = __dt;
            #bind_params
            [ #( #rows ),* ]
        }

        /// This side's right-hand sides at a zero state (stored numbers).
        fn #b_fn(__p: &#scalar_ty, __dt: #rt::Time) -> [::neurotype::units::Real; #n_lit] {
            let dt = __dt;
            #bind_params
            #( let #zero_names: #zero_types = #rt::Raw::from_raw(0.0); )*
            [ #( #rhs ),* ]
        }
    };
    (ty, fns, n_lit)
}

/// `init_<side>`: the declared initial values (of parameters and the side's earlier
/// variables).
fn initial(cx: &Ctx, side: &Side) -> TokenStream {
    let Ctx {
        rt,
        bind_params,
        s_names,
        s_types,
        ..
    } = cx;
    let names: Vec<&Ident> = side.vars.iter().map(|&k| &s_names[k]).collect();
    let types: Vec<&syn::Type> = side.vars.iter().map(|&k| s_types[k]).collect();
    let values: Vec<TokenStream> = side
        .vars
        .iter()
        .map(|&k| cx.m.state[k].init.typed())
        .collect();
    let pos: Vec<usize> = (0..side.vars.len()).collect();
    quote! {
        let __p = &self.params;
        #bind_params
        #( let #names: #types = #values; __x[#pos] = #rt::Raw::raw(#names); )*
    }
}

/// `advance_<side>`: the integrated variables by the side's propagator.
fn advance(side: &Side, which: &str) -> TokenStream {
    if side.integrated.is_empty() {
        return quote!();
    }
    let prop = format_ident!("{}", which);
    let b = format_ident!("b_{}", which);
    let free = format_ident!("{}_free", which);
    let load: Vec<TokenStream> = side
        .integrated
        .iter()
        .map(|&(pos, _)| quote!(__x[#pos]))
        .collect();
    let store: Vec<TokenStream> = side
        .integrated
        .iter()
        .enumerate()
        .map(|(i, &(pos, _))| quote!(__x[#pos] = __n[#i];))
        .collect();
    quote! {
        let __s = [ #( #load ),* ];
        let __n = if __k.#free {
            __k.#prop.advance_free(__s)
        } else {
            __k.#prop.advance(__s, __k.#b)
        };
        #( #store )*
    }
}

/// The assignments of `list` to the side's own variables, on the slice `slice`.
fn element_update(
    cx: &Ctx,
    r: &RuleDecl,
    list: &[Assign],
    side: &Side,
    slice: &str,
) -> TokenStream {
    let Ctx {
        rt,
        bind_params,
        s_names,
        s_types,
        ..
    } = cx;
    let slice = format_ident!("{}", slice);
    let own: Vec<&Assign> = list
        .iter()
        .filter(|a| a.index != r.weight_index())
        .collect();
    if own.is_empty() {
        return quote!();
    }
    let names: Vec<&Ident> = side.vars.iter().map(|&k| &s_names[k]).collect();
    let types: Vec<&syn::Type> = side.vars.iter().map(|&k| s_types[k]).collect();
    let pos: Vec<usize> = (0..side.vars.len()).collect();
    let body: Vec<TokenStream> = own.iter().map(|a| assignment(cx, a)).collect();
    quote! {
        let __p = &__k.p;
        let dt = __k.dt;
        #bind_params
        #( let mut #names: #types = #rt::Raw::from_raw(#slice[#pos]); )*
        #( #body )*
        #( #slice[#pos] = #rt::Raw::raw(#names); )*
    }
}

/// The assignments of `list` to the weight, reading both sides' variables: the new weight.
fn weight_update(cx: &Ctx, r: &RuleDecl, list: &[Assign], pre: &Side, post: &Side) -> TokenStream {
    let Ctx {
        rt,
        bind_params,
        s_names,
        s_types,
        ..
    } = cx;
    let wi = r.weight_index();
    let updates: Vec<&Assign> = list.iter().filter(|a| a.index == wi).collect();
    if updates.is_empty() {
        return quote!(__w);
    }
    let w = call_site(&r.weight);
    let w_ty = s_types[wi];
    let pre_names: Vec<&Ident> = pre.vars.iter().map(|&k| &s_names[k]).collect();
    let pre_types: Vec<&syn::Type> = pre.vars.iter().map(|&k| s_types[k]).collect();
    let pre_pos: Vec<usize> = (0..pre.vars.len()).collect();
    let post_names: Vec<&Ident> = post.vars.iter().map(|&k| &s_names[k]).collect();
    let post_types: Vec<&syn::Type> = post.vars.iter().map(|&k| s_types[k]).collect();
    let post_pos: Vec<usize> = (0..post.vars.len()).collect();
    let body: Vec<TokenStream> = updates.iter().map(|a| assignment(cx, a)).collect();
    quote! {
        let __p = &__k.p;
        let dt = __k.dt;
        #bind_params
        #( let #pre_names: #pre_types = #rt::Raw::from_raw(__x[#pre_pos]); )*
        #( let #post_names: #post_types = #rt::Raw::from_raw(__y[#post_pos]); )*
        let mut #w: #w_ty = #rt::Raw::from_raw(__w);
        #( #body )*
        #rt::Raw::raw(#w)
    }
}
