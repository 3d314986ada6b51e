//! Code generation: the parameter set, the builder, the model with its columns, the typed
//! equations as an `Ode`/`Linearised` implementation, the per-element kernel, and the
//! `Neuron` / `IncrementSynapse` / `EventSynapse` implementations.

use crate::diff::{Wrt, diff};
use crate::expr::{Expr, NameKind, Visit};
use crate::model::{Assign, AssignOp, Constraint, Kind, Model};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::Index;

/// The path of the runtime support.
fn rt() -> TokenStream {
    quote!(::neurotype::dsl::__rt)
}

fn call_site(id: &Ident) -> Ident {
    Ident::new(&id.to_string(), Span::call_site())
}

/// Lets used (transitively) by the given expressions, in declaration order.
fn needed_lets(m: &Model, visit: &dyn Fn(&mut Visit)) -> Vec<usize> {
    let mut need = vec![false; m.lets.len()];
    visit(&mut |_, k| {
        if let NameKind::Let(j) = k {
            need[j] = true;
        }
    });
    for j in (0..m.lets.len()).rev() {
        if need[j] {
            m.lets[j].expr.visit_names(&mut |_, k| {
                if let NameKind::Let(i) = k {
                    need[i] = true;
                }
            });
        }
    }
    (0..m.lets.len()).filter(|&j| need[j]).collect()
}

/// `let name: Type = value;` for each let in `which`.
fn let_bindings(m: &Model, which: &[usize]) -> TokenStream {
    let mut out = TokenStream::new();
    for &j in which {
        let l = &m.lets[j];
        let name = call_site(&l.name);
        let value = l.expr.typed();
        out.extend(match &l.ty {
            Some(ty) => quote!(let #name: #ty = #value;),
            None => quote!(let #name = #value;),
        });
    }
    out
}

/// The documentation text of a model: its declaration, normalised.
fn equations_text(m: &Model) -> String {
    let ty = |t: &syn::Type| t.to_token_stream().to_string().replace(' ', "");
    let mut lines = Vec::new();
    if !m.params.is_empty() {
        lines.push("params:".to_string());
        for (k, p) in m.params.iter().enumerate() {
            if Some(k) == m.refractory {
                continue;
            }
            let c: Vec<String> = p.constraints.iter().map(Constraint::text).collect();
            let c = if c.is_empty() {
                String::new()
            } else {
                format!("  where {}", c.join(" && "))
            };
            lines.push(format!(
                "    {}: {} = {}{c}",
                p.name,
                ty(&p.ty),
                p.default.text()
            ));
        }
    }
    lines.push("state:".to_string());
    for s in &m.state {
        lines.push(format!("    {}: {} = {}", s.name, ty(&s.ty), s.init.text()));
    }
    if let Some(i) = &m.input {
        lines.push(format!(
            "input {}: {}{}",
            i.name,
            ty(&i.ty),
            if i.frozen {
                "  (frozen at the start of the step)"
            } else {
                ""
            }
        ));
    }
    for l in &m.lets {
        match &l.ty {
            Some(t) => lines.push(format!("let {}: {} = {}", l.name, ty(t), l.expr.text())),
            None => lines.push(format!("let {} = {}", l.name, l.expr.text())),
        }
    }
    for e in &m.eqs {
        lines.push(format!("d({})/dt = {}", e.var, e.rhs.text()));
    }
    if let Some(s) = &m.spike {
        lines.push(format!(
            "spike when {}{}",
            s.cond.text(),
            if s.rising {
                " (and it did not hold at the start of the step)"
            } else {
                ""
            }
        ));
    }
    let assigns = |list: &[Assign]| -> String {
        list.iter()
            .map(|a| {
                let op = match a.op {
                    AssignOp::Set => "=",
                    AssignOp::Add => "+=",
                    AssignOp::Sub => "-=",
                };
                format!("{} {op} {}", a.target, a.value.text())
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    if !m.reset.is_empty() {
        lines.push(format!("reset: {}", assigns(&m.reset)));
    }
    if let Some(r) = m.refractory {
        let p = &m.params[r];
        lines.push(format!(
            "refractory {}: {} = {}",
            p.name,
            ty(&p.ty),
            p.default.text()
        ));
    }
    if !m.on_pre.is_empty() {
        lines.push(format!("on_pre: {}", assigns(&m.on_pre)));
    }
    if !m.on_spike.is_empty() {
        lines.push(format!("on_spike: {}", assigns(&m.on_spike)));
    }
    if let Some(o) = &m.output {
        lines.push(format!("output {o}"));
    }
    if m.sequential {
        lines.push("order sequential".into());
    }
    lines.push(String::new());
    lines.push("exponential Euler's slopes (exact derivatives, symbolic):".into());
    let lets: Vec<Expr> = m.lets.iter().map(|l| l.expr.clone()).collect();
    for e in &m.eqs {
        let wrt = Wrt {
            var: e.index,
            input_live: m.kind == Kind::Neuron
                && m.input.as_ref().is_some_and(|i| !i.frozen)
                && e.index == m.potential_index,
            lets: &lets,
        };
        let g = if wrt.input_live {
            format!(
                "  (g = -d{}/d{})",
                m.input
                    .as_ref()
                    .map_or(String::new(), |i| i.name.to_string()),
                e.var
            )
        } else {
            String::new()
        };
        lines.push(format!(
            "    d/d{v} [d({v})/dt] = {}{g}",
            diff(&e.rhs, &wrt).text(),
            v = e.var
        ));
    }
    lines.join("\n")
}

/// Generates everything for a model.
pub fn generate(m: &Model) -> TokenStream {
    let rt = rt();
    let name = &m.name;
    let vis = &m.vis;
    let name_str = name.to_string();
    let params_ty = format_ident!("{}Params", name);
    let scalar_ty = format_ident!("{}Scalar", name);
    let builder_ty = format_ident!("{}Builder", name);
    let ode_ty = format_ident!("__{}Ode", name);
    let inits_ty = format_ident!("{}Inits", name);
    let cols_ty = format_ident!("{}Columns", name);
    let view_ty = format_ident!("{}ColumnsView", name);
    let neuron = m.kind == Kind::Neuron;
    // where a model keeps its parameters, state, integrator and seed: a neuron in its
    // `NeuronCore` (what the stepper reads), a synapse in its own fields
    let me = if neuron {
        quote!(self.core)
    } else {
        quote!(self)
    };
    let refractory = m.refractory.is_some();
    let increment = m.kind == Kind::Synapse && !m.on_pre.is_empty();
    let event = m.kind == Kind::Synapse && !m.on_spike.is_empty();

    // ---------------------------------------------------------------- names and types
    let p_names: Vec<Ident> = m.params.iter().map(|p| call_site(&p.name)).collect();
    let p_strs: Vec<String> = m.params.iter().map(|p| p.name.to_string()).collect();
    let p_types: Vec<&syn::Type> = m.params.iter().map(|p| &p.ty).collect();
    let s_names: Vec<Ident> = m.state.iter().map(|s| call_site(&s.name)).collect();
    let s_strs: Vec<String> = m.state.iter().map(|s| s.name.to_string()).collect();
    let s_types: Vec<&syn::Type> = m.state.iter().map(|s| &s.ty).collect();
    let nstate = m.state.len();
    let integrated = m.integrated();
    let constants = m.constants();
    let eq_text = equations_text(m);

    // ---------------------------------------------------------------- parameters
    let p_docs: Vec<TokenStream> = m
        .params
        .iter()
        .map(|p| {
            let attrs = &p.attrs;
            let user_doc = attrs.iter().any(|a| a.path().is_ident("doc"));
            let mut line = format!("`{}`: default `{}`", p.name, p.default.text());
            if !p.constraints.is_empty() {
                let c: Vec<String> = p.constraints.iter().map(Constraint::text).collect();
                line.push_str(&format!(", must be {}", c.join(" and ")));
            }
            line.push('.');
            if user_doc {
                quote!(#(#attrs)* #[doc = ""] #[doc = #line])
            } else {
                quote!(#(#attrs)* #[doc = #line])
            }
        })
        .collect();
    let p_defaults: Vec<TokenStream> = m
        .params
        .iter()
        .map(|p| {
            let ty = &p.ty;
            let value = p.default.typed();
            quote!({ let __d: #ty = #value; __d })
        })
        .collect();
    let params_doc = format!("The parameters of [`{name_str}`], each shared or one per element.");
    let scalar_doc = format!("The parameters of one element of [`{name_str}`].");
    let params_def = quote! {
        #[doc = #params_doc]
        #[derive(Clone, Debug, PartialEq)]
        #vis struct #params_ty {
            #( #p_docs pub #p_names: #rt::Param<#p_types>, )*
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
    };

    // ---------------------------------------------------------------- initial values
    let inits_doc = format!("Initialisers of [`{name_str}`]'s state (`None`: the declared value).");
    let cols_doc = format!("The state of [`{name_str}`], one column per variable.");
    let s_docs: Vec<TokenStream> = m
        .state
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
    let state_structs = quote! {
        #[doc = #inits_doc]
        #[derive(Clone, Debug, Default, PartialEq)]
        #vis struct #inits_ty {
            #( #[doc = "Initialiser override."] pub #s_names: ::core::option::Option<#rt::Init<#s_types>>, )*
        }

        #rt::state_columns! {
            #[doc = #cols_doc]
            #vis struct #cols_ty / #view_ty {
                #( #s_docs #s_names: #s_types => #s_strs, )*
            }
        }
    };

    // Parameter destructuring, shared by the helper functions.
    let bind_params = quote!(let #scalar_ty { #( #p_names ),* } = *__p;);

    let init_fns: Vec<TokenStream> = m
        .state
        .iter()
        .enumerate()
        .map(|(k, s)| {
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
        })
        .collect();
    let col_locals: Vec<Ident> = m
        .state
        .iter()
        .map(|s| format_ident!("__col_{}", s.name))
        .collect();
    let init_calls: Vec<TokenStream> = (0..nstate)
        .map(|k| {
            let s = &s_names[k];
            let f = format_ident!("__init_{}", m.state[k].name);
            let col = &col_locals[k];
            let prev = &col_locals[..k];
            let idx = k as u64;
            quote! {
                let #col: ::std::vec::Vec<f64> = match &self.inits.#s {
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
    let reset_extra = {
        let mut t = TokenStream::new();
        if neuron {
            t.extend(quote!(self.core.clear();));
        }
        if increment {
            t.extend(quote!(self.pending.fill(#rt::Raw::from_raw(0.0));));
        }
        t
    };
    let reset_state_fn = quote! {
        fn __reset_state(&mut self) {
            let __n = self.n;
            #( #init_calls )*
            #( #me.state.#s_names = #rt::Column::from_raw(#col_locals); )*
            #reset_extra
        }
    };

    // ---------------------------------------------------------------- discrete clauses
    let spike_fn = match &m.spike {
        Some(s) => {
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
        None => quote!(),
    };
    let assign_fn = |fname: Ident, list: &[Assign], extra: TokenStream| -> TokenStream {
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
        let body: Vec<TokenStream> = list
            .iter()
            .map(|a| {
                let target = call_site(&a.target);
                let ty = &m.state[a.index].ty;
                let value = a.value.typed();
                let update = match a.op {
                    AssignOp::Set => quote!(#target = __v;),
                    AssignOp::Add => quote!(#target = #target + __v;),
                    AssignOp::Sub => quote!(#target = #target - __v;),
                };
                quote!({ let __v: #ty = #value; #update })
            })
            .collect();
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
    };
    let reset_fn = assign_fn(format_ident!("__reset"), &m.reset, quote!());
    let out_ty = &m.state[m.output_index].ty;
    let on_pre_fn = assign_fn(format_ident!("__on_pre"), &m.on_pre, quote!(w: #out_ty,));
    let on_spike_fn = assign_fn(format_ident!("__on_spike"), &m.on_spike, quote!());

    // ---------------------------------------------------------------- the ODE
    let int_names: Vec<&Ident> = integrated.iter().map(|&k| &s_names[k]).collect();
    let int_types: Vec<&syn::Type> = integrated.iter().map(|&k| s_types[k]).collect();
    let single = integrated.len() == 1;
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
    let const_fields: Vec<Ident> = constants
        .iter()
        .map(|&k| format_ident!("__c_{}", m.state[k].name))
        .collect();
    let input = m.input.as_ref();
    let uses_input = neuron && m.uses_input();
    let frozen = input.is_some_and(|i| i.frozen);
    let pot_name = &s_names[m.potential_index];
    let pot_ty = s_types[m.potential_index];
    // a frozen input is a current fixed at the start of the step: the stepper hands the
    // equations a source that returns it whatever the potential
    let input_binding = match input {
        Some(i) if uses_input => {
            let iname = call_site(&i.name);
            quote!(let (#iname, __g) = #rt::InputAt::<#name>::input_at(self.__input, self.__k, #pot_name);)
        }
        _ => quote!(),
    };
    let let_exprs: Vec<Expr> = m.lets.iter().map(|l| l.expr.clone()).collect();
    let all_lets: Vec<usize> = (0..m.lets.len()).collect();
    let eval_lets = let_bindings(m, &all_lets);
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
                input_live: neuron && !frozen && e.index == m.potential_index,
                lets: &let_exprs,
            };
            let slope = diff(&e.rhs, &wrt).raw();
            let rate_ty = quote_spanned!(span=> <#ty as #rt::State>::Rate);
            quote! {
                let #f: #rate_ty = #rhs;
                let #j: <#ty as #rt::State>::Slope =
                    #rt::Raw::from_raw(if __SLOPE { #slope } else { 0.0f64 });
            }
        })
        .collect();
    let ret = if single {
        quote!((#( #f_names )*, #( #j_names )*))
    } else {
        quote!(( ( #( #f_names ),* ), ( #( #j_names ),* ) ))
    };
    let (ode_generics, ode_impl_generics, ode_input_field, ode_where) = if neuron {
        (
            quote!(<'__a, __In>),
            quote!(<'__a, __In: #rt::InputAt<#name>>),
            quote!(__input: &'__a __In,),
            quote!(),
        )
    } else {
        (quote!(<'__a>), quote!(<'__a>), quote!(), quote!())
    };
    let ode_def = quote! {
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
    };

    // ---------------------------------------------------------------- the kernel
    let old: Vec<Ident> = m
        .state
        .iter()
        .map(|s| format_ident!("__o_{}", s.name))
        .collect();
    let cur: Vec<Ident> = m
        .state
        .iter()
        .map(|s| format_ident!("__x_{}", s.name))
        .collect();
    let start: Vec<Ident> = m
        .state
        .iter()
        .map(|s| format_ident!("__s_{}", s.name))
        .collect();
    let new: Vec<Ident> = m
        .state
        .iter()
        .map(|s| format_ident!("__n_{}", s.name))
        .collect();
    let cols: Vec<Ident> = m
        .state
        .iter()
        .map(|s| format_ident!("__c_{}", s.name))
        .collect();
    let acc = |x: &Ident, pos: usize| -> TokenStream {
        if single {
            quote!(#x)
        } else {
            let i = Index::from(pos);
            quote!(#x.#i)
        }
    };
    let x0 = {
        let s: Vec<&Ident> = integrated.iter().map(|&k| &start[k]).collect();
        if single {
            quote!(#( #s )*)
        } else {
            quote!(( #( #s ),* ))
        }
    };
    let x1 = format_ident!("__x1");
    let pot_pos = integrated.iter().position(|&k| k == m.potential_index);
    let add_jump = |x: &Ident| -> TokenStream {
        match (neuron, pot_pos) {
            (true, Some(pos)) => {
                let a = acc(x, pos);
                quote!(#a = #a + __jump;)
            }
            _ => quote!(),
        }
    };
    let sequential_code = {
        let x = format_ident!("__x");
        let steps: Vec<TokenStream> = (0..integrated.len())
            .map(|pos| {
                let a = acc(&x, pos);
                let f = acc(&format_ident!("__f"), pos);
                let j = acc(&format_ident!("__j"), pos);
                let jump = if Some(pos) == pot_pos {
                    add_jump(&x)
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
    };
    let exp_euler_code = if m.sequential {
        sequential_code
    } else {
        quote!(#rt::ExponentialEuler.step(&__ode, __t, &__x0, __ctx.dt))
    };
    let jump_after = add_jump(&x1);
    let jump_after = if m.sequential && neuron {
        quote! {
            if <__M as #rt::FixedStep<Self::State>>::KIND != #rt::Method::ExponentialEuler {
                #jump_after
            }
        }
    } else {
        jump_after
    };
    let new_values: Vec<TokenStream> = (0..nstate)
        .map(|k| {
            let n = &new[k];
            let ty = s_types[k];
            match integrated.iter().position(|&i| i == k) {
                Some(pos) => {
                    let a = acc(&x1, pos);
                    quote!(let mut #n: #ty = #a;)
                }
                None => {
                    let s = &start[k];
                    quote!(let mut #n: #ty = #s;)
                }
            }
        })
        .collect();
    let reset_call = if m.spike.is_some() && !m.reset.is_empty() {
        quote! {
            if Self::__spike(__p, __t, __dt, #( #old ),*) {
                Self::__reset(__p, __t, __dt, #( &mut #cur ),*);
            }
        }
    } else {
        quote!()
    };
    let on_spike_call = if event {
        quote! {
            if __spk[__k] {
                Self::__on_spike(__p, __t, __dt, #( &mut #cur ),*);
            }
        }
    } else {
        quote!()
    };
    let on_pre_call = if increment {
        quote! {
            {
                let __w: #out_ty = #rt::Raw::from_raw(__pending[__k]);
                __pending[__k] = 0.0;
                Self::__on_pre(__p, __t, __dt, __w, #( &mut #new ),*);
            }
        }
    } else {
        quote!()
    };
    let refractory_hold = match m.refractory {
        Some(r) => {
            let tau_ref = &p_names[r];
            quote! {
                if (__t - <#rt::Time as #rt::Raw>::from_raw(__last[__k])) < __p.#tau_ref {
                    #( #new = #start; )*
                }
            }
        }
        None => quote!(),
    };
    let spiked = match &m.spike {
        Some(s) if s.rising => quote! {
            Self::__spike(__p, __t, __dt, #( #new ),*) && !Self::__spike(__p, __t, __dt, #( #old ),*)
        },
        Some(_) => quote!(Self::__spike(__p, __t, __dt, #( #new ),*)),
        None => quote!(false),
    };
    let record = if refractory {
        quote! {
            __last[__k] = if __spiked { #rt::Raw::raw(__t) } else { __last[__k] };
        }
    } else {
        quote!()
    };
    let const_starts: Vec<&Ident> = constants.iter().map(|&k| &start[k]).collect();
    let store_spike = if neuron {
        quote!(__spikes[__k] = __spiked;)
    } else {
        quote!()
    };
    let begin_input = if neuron {
        quote!(#rt::InputSource::<Self>::begin(&mut __input, __k);)
    } else {
        quote!()
    };
    let ode_input_value = if neuron {
        quote!(__input: &__input,)
    } else {
        quote!()
    };
    let body = quote! {
        {
            #begin_input
            #( let #old: #s_types = #rt::Raw::from_raw(#cols[__k]); )*
            #( let mut #cur: #s_types = #old; )*
            #reset_call
            #on_spike_call
            #( let #start: #s_types = #cur; )*
            let __ode = #ode_ty {
                __p,
                #ode_input_value
                __k,
                __dt,
                #( #const_fields: #const_starts, )*
            };
            let __x0 = #x0;
            let mut #x1 = match __M {
                0 => #exp_euler_code,
                1 => #rt::Euler.step(&__ode, __t, &__x0, __ctx.dt),
                2 => #rt::Heun.step(&__ode, __t, &__x0, __ctx.dt),
                3 => #rt::Midpoint.step(&__ode, __t, &__x0, __ctx.dt),
                _ => #rt::Rk4.step(&__ode, __t, &__x0, __ctx.dt),
            };
            #jump_after
            #( #new_values )*
            #on_pre_call
            #refractory_hold
            let __spiked: bool = #spiked;
            #record
            #( #cols[__k] = #rt::Raw::raw(#new); )*
            #store_spike
        }
    };
    let method_arms = |call: &dyn Fn(u8) -> TokenStream| -> TokenStream {
        let a = [
            (quote!(ExponentialEuler), 0u8),
            (quote!(Euler), 1),
            (quote!(Rk2), 2),
            (quote!(Midpoint), 3),
            (quote!(Rk4), 4),
        ];
        let arms = a.iter().map(|(v, k)| {
            let c = call(*k);
            quote!(#rt::Method::#v => #c,)
        });
        quote!(#( #arms )*)
    };

    let kernel = if neuron {
        quote!()
    } else {
        let (arg, prep) = if event {
            (quote!(__spk: &[bool]), quote!(let __spk = &__spk[..__n];))
        } else {
            (
                quote!(),
                quote!(let __pending = &mut self.pending.raw_mut()[..__n];),
            )
        };
        quote! {
            #[inline(never)]
            #[allow(unused_variables, unused_mut, unused_parens, clippy::all)]
            fn __kernel<const __M: u8>(&mut self, __ctx: &#rt::StepCtx, #arg) {
                use #rt::{Integrator as _, State as _};
                let __n = self.n;
                let (__t, __dt) = (__ctx.t, __ctx.dt.get());
                #prep
                let __params = &self.params;
                #( let #cols = &mut self.state.#s_names.raw_mut()[..__n]; )*
                // one loop with the parameters as loop constants when they are shared (the
                // common case: the loop then vectorises), one gathering them otherwise
                match __params.uniform() {
                    ::core::option::Option::Some(__shared) => {
                        let __p = &__shared;
                        for __k in 0..__n #body
                    }
                    ::core::option::Option::None => {
                        for __k in 0..__n {
                            let __own = __params.at(__k);
                            let __p = &__own;
                            #body
                        }
                    }
                }
            }
        }
    };

    // ---------------------------------------------------------------- the equations (neurons)
    // A neuron's equations for the stepper of `neurotype-models`: the same hooks as the
    // built-in models implement (threshold, reset, derivatives, jump, and the integration
    // step in the declared order).
    let dynamics = if neuron {
        let tuple_ty = |tys: &[&syn::Type]| -> TokenStream {
            if tys.len() == 1 {
                quote!(#( #tys )*)
            } else {
                quote!(( #( #tys ),* ))
            }
        };
        let tuple = |xs: &[TokenStream]| -> TokenStream {
            if xs.len() == 1 {
                quote!(#( #xs )*)
            } else {
                quote!(( #( #xs ),* ))
            }
        };
        let names_ts: Vec<TokenStream> = s_names.iter().map(|n| quote!(#n)).collect();
        let mut_names_ts: Vec<TokenStream> = s_names.iter().map(|n| quote!(mut #n)).collect();
        let all_ty = tuple_ty(&s_types);
        let all_pat = tuple(&names_ts);
        let all_mut_pat = tuple(&mut_names_ts);
        let start_ts: Vec<TokenStream> = start.iter().map(|n| quote!(#n)).collect();
        let start_pat = tuple(&start_ts);
        let new_ts: Vec<TokenStream> = new.iter().map(|n| quote!(#n)).collect();
        let new_expr = tuple(&new_ts);
        let threshold_body = if m.spike.is_some() {
            quote!(Self::__spike(__p, __ctx.t, __ctx.dt.get(), #( #s_names ),*))
        } else {
            quote!(false)
        };
        let reset_fn = if m.spike.is_some() && !m.reset.is_empty() {
            quote! {
                #[inline(always)]
                fn reset(
                    _c: &(),
                    __p: &#scalar_ty,
                    __ctx: &#rt::StepCtx,
                    __x: Self::State,
                ) -> Self::State {
                    let #all_mut_pat = __x;
                    Self::__reset(__p, __ctx.t, __ctx.dt.get(), #( &mut #s_names ),*);
                    #all_pat
                }
            }
        } else {
            quote!()
        };
        // derivatives of the whole state: the integrated variables' from the equations, zero
        // for the variables that are only set by clauses
        let rate_parts: Vec<TokenStream> = (0..nstate)
            .map(|k| match integrated.iter().position(|&i| i == k) {
                Some(pos) => acc(&format_ident!("__f"), pos),
                None => quote!(#rt::Raw::from_raw(0.0)),
            })
            .collect();
        let slope_parts: Vec<TokenStream> = (0..nstate)
            .map(|k| match integrated.iter().position(|&i| i == k) {
                Some(pos) => acc(&format_ident!("__j"), pos),
                None => quote!(#rt::Raw::from_raw(0.0)),
            })
            .collect();
        let rates = tuple(&rate_parts);
        let slopes = tuple(&slope_parts);
        let int_of_all: Vec<TokenStream> = integrated
            .iter()
            .map(|&k| {
                let n = &s_names[k];
                quote!(#n)
            })
            .collect();
        let int_expr = tuple(&int_of_all);
        let rising = m.spike.as_ref().is_some_and(|s| s.rising);
        let pot_name = &s_names[m.potential_index];
        quote! {
            #[allow(unused_variables, unused_mut, unused_parens, clippy::all)]
            impl #rt::Dynamics for #name {
                type Params = #scalar_ty;
                type ParamSet = #params_ty;
                type Config = ();
                type State = #all_ty;
                type Columns = #cols_ty;
                const RISING: bool = #rising;
                const FROZEN_INPUT: bool = #frozen;

                fn core(&self) -> &#rt::NeuronCore<Self> {
                    &self.core
                }

                fn core_mut(&mut self) -> &mut #rt::NeuronCore<Self> {
                    &mut self.core
                }

                #[inline(always)]
                fn potential(__x: &Self::State) -> #pot_ty {
                    let #all_pat = *__x;
                    #pot_name
                }

                #[inline(always)]
                fn threshold(
                    _c: &(),
                    __p: &#scalar_ty,
                    __ctx: &#rt::StepCtx,
                    __x: &Self::State,
                ) -> bool {
                    let #all_pat = *__x;
                    #threshold_body
                }

                #reset_fn

                #[inline(always)]
                fn derivatives<__I: #rt::InputAt<Self>>(
                    _c: &(),
                    __p: &#scalar_ty,
                    __ctx: &#rt::StepCtx,
                    t: #rt::Time,
                    __x: &Self::State,
                    __input: &__I,
                    __k: usize,
                ) -> (#rt::RateOf<Self::State>, #rt::SlopeOf<Self::State>) {
                    let #all_pat = *__x;
                    let __ode = #ode_ty {
                        __p,
                        __input,
                        __k,
                        __dt: __ctx.dt.get(),
                        #( #const_fields: #const_names, )*
                    };
                    let (__f, __j) = #rt::Linearised::rhs_and_slope(&__ode, t, &#int_expr);
                    (#rates, #slopes)
                }

                #[inline(always)]
                fn add_jump(__x: Self::State, __jump: #pot_ty) -> Self::State {
                    let #all_mut_pat = __x;
                    #pot_name = #pot_name + __jump;
                    #all_pat
                }

                #[inline(always)]
                fn integrate<__I: #rt::InputAt<Self>, __M: #rt::FixedStep<Self::State>>(
                    _c: &(),
                    __p: &#scalar_ty,
                    __ctx: &#rt::StepCtx,
                    _method: &__M,
                    __x0: Self::State,
                    __input: &__I,
                    __k: usize,
                    __jump: #pot_ty,
                ) -> Self::State {
                    use #rt::{Integrator as _, State as _};
                    let (__t, __dt) = (__ctx.t, __ctx.dt.get());
                    let #start_pat = __x0;
                    let __ode = #ode_ty {
                        __p,
                        __input,
                        __k,
                        __dt,
                        #( #const_fields: #const_starts, )*
                    };
                    let __x0 = #x0;
                    let mut #x1 = match <__M as #rt::FixedStep<Self::State>>::KIND {
                        #rt::Method::ExponentialEuler => #exp_euler_code,
                        #rt::Method::Euler => #rt::Euler.step(&__ode, __t, &__x0, __ctx.dt),
                        #rt::Method::Rk2 => #rt::Heun.step(&__ode, __t, &__x0, __ctx.dt),
                        #rt::Method::Midpoint => #rt::Midpoint.step(&__ode, __t, &__x0, __ctx.dt),
                        #rt::Method::Rk4 => #rt::Rk4.step(&__ode, __t, &__x0, __ctx.dt),
                    };
                    #jump_after
                    #( #new_values )*
                    #new_expr
                }
            }
        }
    } else {
        quote!()
    };

    // ---------------------------------------------------------------- the model
    let user_attrs = &m.attrs;
    let mut doc_lines: Vec<String> = vec![String::new()];
    doc_lines.push("Declared with neurotype's equation DSL:".into());
    doc_lines.push(String::new());
    doc_lines.push("```text".into());
    doc_lines.extend(eq_text.lines().map(str::to_string));
    doc_lines.push("```".into());
    if crate::channel::is_exp_channel(m) {
        doc_lines.push(String::new());
        doc_lines.push(
            "Its equation is `c·g` with a constant `c`: with shared parameters and exponential or \
             forward Euler, the postsynaptic population advances it inside its own loop (an \
             `ExpChannel`, as for the built-in `Expon`), with the same arithmetic."
                .into(),
        );
    }
    let s_init_setters: Vec<Ident> = m
        .state
        .iter()
        .map(|s| format_ident!("{}_init", s.name))
        .collect();
    let s_muts: Vec<Ident> = m
        .state
        .iter()
        .map(|s| format_ident!("{}_mut", s.name))
        .collect();
    let s_init_strs: Vec<String> = s_init_setters.iter().map(|i| i.to_string()).collect();
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
    let constraint_checks: Vec<TokenStream> = m
        .params
        .iter()
        .flat_map(|p| {
            let rt = rt.clone();
            let pn = call_site(&p.name);
            let ps = p.name.to_string();
            p.constraints.iter().map(move |c| match c {
                Constraint::Positive => quote!(__ps.#pn.check_positive(__OWNER, #ps)?;),
                Constraint::NonNegative => quote!(__ps.#pn.check_non_negative(__OWNER, #ps)?;),
                Constraint::NonZero => quote!(#rt::check_nonzero(&__ps.#pn, __OWNER, #ps)?;),
                Constraint::Relation(op, other) => {
                    let os = other.to_string();
                    let on = call_site(other);
                    let span = other.span();
                    if *op == "<" {
                        quote_spanned!(span=> #rt::check_below(__OWNER, #ps, &__ps.#pn, #os, &__ps.#on, __n)?;)
                    } else {
                        quote_spanned!(span=> #rt::check_relation(__OWNER, #ps, &__ps.#pn, #op, #os, &__ps.#on, __n)?;)
                    }
                }
            })
        })
        .collect();
    // a neuron keeps its parameters, integrator, seed, state, refractoriness and spikes in a
    // `NeuronCore`; a synapse in fields of its own
    let (model_fields_def, model_fields_init) = if neuron {
        let refractory_init = if refractory {
            quote!(::core::option::Option::Some(__refractory))
        } else {
            quote!(::core::option::Option::None)
        };
        (
            quote!(core: #rt::NeuronCore<#name>,),
            quote! {
                core: #rt::NeuronCore {
                    params: self.params,
                    config: (),
                    method: self.method,
                    seed: self.seed,
                    state: <#cols_ty as #rt::StateColumns<_>>::zeros(__n),
                    refractory: #refractory_init,
                    spikes: ::std::vec![false; __n],
                },
            },
        )
    } else {
        (
            quote! {
                params: #params_ty,
                method: #rt::Method,
                seed: u64,
                state: #cols_ty,
            },
            quote! {
                params: self.params,
                method: self.method,
                seed: self.seed,
                state: <#cols_ty as #rt::StateColumns<_>>::zeros(__n),
            },
        )
    };
    let extra_fields_def = {
        let mut t = TokenStream::new();
        if increment {
            t.extend(quote!(pending: #rt::Column<#out_ty>,));
        }
        t
    };
    let extra_fields_init = {
        let mut t = TokenStream::new();
        if increment {
            t.extend(quote!(pending: #rt::Column::zeros(__n),));
        }
        t
    };
    let make_refractory = match m.refractory {
        Some(r) => {
            let tau_ref = &p_names[r];
            quote! {
                let __refractory =
                    #rt::Refractory::new(__n, self.params.#tau_ref.clone(), false);
            }
        }
        None => quote!(),
    };
    let builder_doc = format!(
        "Builder of [`{name_str}`]: set parameters, initial states and the integrator, then `build()`."
    );
    let model_builder_doc =
        format!("A builder for `n` elements of `{name_str}` with the declared defaults.");
    let last_accessor = if refractory {
        quote! {
            /// The time of each neuron's last spike (−1e7 ms initially).
            pub fn last_spike_time(&self) -> &#rt::Column<#rt::Time> {
                &self.core.refractory.as_ref().expect("declared refractory").last_spike_time
            }
        }
    } else {
        quote!()
    };

    let accessor_docs: Vec<String> = s_strs
        .iter()
        .map(|s| format!("The column of `{s}`."))
        .collect();
    let accessor_mut_docs: Vec<String> = s_strs
        .iter()
        .map(|s| format!("The column of `{s}`, mutable (to set a state by hand)."))
        .collect();

    let model_def = quote! {
        #( #user_attrs )*
        #( #[doc = #doc_lines] )*
        #[derive(Clone, Debug)]
        #vis struct #name {
            n: usize,
            inits: #inits_ty,
            #model_fields_def
            #extra_fields_def
        }

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

            /// The integrator (default: exponential Euler).
            pub fn method(mut self, method: #rt::Method) -> Self {
                self.method = method;
                self
            }

            /// Seed of random initial states (default 0).
            pub fn seed(mut self, seed: u64) -> Self {
                self.seed = seed;
                self
            }

            /// Validates every parameter and initialiser, and builds the model.
            pub fn build(self) -> ::core::result::Result<#name, #rt::InvalidParameter> {
                const __OWNER: &str = #name_str;
                let __n = self.n;
                {
                    let __ps = &self.params;
                    #( __ps.#p_names.check_shape(__OWNER, #p_strs, __n)?; )*
                    #( #constraint_checks )*
                }
                #(
                    if let ::core::option::Option::Some(__init) = &self.inits.#s_names {
                        __init.check(__OWNER, #s_init_strs, __n)?;
                    }
                )*
                #make_refractory
                let mut __m = #name {
                    n: __n,
                    inits: self.inits,
                    #model_fields_init
                    #extra_fields_init
                };
                __m.__reset_state();
                ::core::result::Result::Ok(__m)
            }
        }

        impl #rt::ModelBuilder for #builder_ty {
            type Model = #name;

            fn set(mut self, name: &str, text: &str) -> ::core::result::Result<Self, #rt::InvalidParameter> {
                const __OWNER: &str = #name_str;
                match name {
                    "method" => self.method = #rt::parse_method(__OWNER, text)?,
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

            /// The integrator.
            pub fn method(&self) -> #rt::Method {
                #me.method
            }

            /// Number of elements.
            pub fn len(&self) -> usize {
                self.n
            }

            /// Whether there are none.
            pub fn is_empty(&self) -> bool {
                self.n == 0
            }

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

            #last_accessor

            fn __state_vars(&self) -> ::std::vec::Vec<#rt::StateVar<'_>> {
                #rt::StateColumns::vars(&#me.state)
            }

            #reset_state_fn
            #( #init_fns )*
            #spike_fn
            #reset_fn
            #on_pre_fn
            #on_spike_fn
            #kernel
        }
    };

    // ---------------------------------------------------------------- trait impls
    let traits = if neuron {
        let in_ty = &input.expect("neuron input").ty;
        quote! {
            impl #rt::NeuronUnits for #name {
                type Potential = #pot_ty;
                type Input = #in_ty;
                type Conductance = <#in_ty as ::core::ops::Div<#pot_ty>>::Output;
                type Jump = #pot_ty;
            }

            impl #rt::Neuron for #name {
                fn model_name(&self) -> &'static str {
                    #name_str
                }
                fn potential(&self) -> &#rt::Column<#pot_ty> {
                    &self.core.state.#pot_name
                }
                fn reset_state(&mut self) {
                    self.__reset_state()
                }
            }
        }
    } else {
        let out = call_site(&m.state[m.output_index].name);
        let out_span = m.output.as_ref().map_or(Span::call_site(), Ident::span);
        let dispatch_step = method_arms(&|k| quote!(self.__kernel::<#k>(ctx)));
        let dispatch_update = method_arms(&|k| quote!(self.__kernel::<#k>(ctx, spikes)));
        if increment {
            let channel_fn = if crate::channel::is_exp_channel(m) {
                exp_channel_fn(&ode_ty, &out_ty.to_token_stream(), &out)
            } else {
                quote!()
            };
            quote! {
                impl #name {
                    /// Increments queued for the next step (`w` of `on_pre`).
                    pub fn pending_mut(&mut self) -> &mut #rt::Column<#out_ty> {
                        &mut self.pending
                    }

                    /// One step: integrate, then apply `on_pre` with the queued increments.
                    pub fn step(&mut self, ctx: &#rt::StepCtx) {
                        match self.method { #dispatch_step }
                    }

                    /// Queues `x` (one increment per element) and steps.
                    pub fn update(&mut self, ctx: &#rt::StepCtx, x: &[#out_ty]) {
                        ::core::assert_eq!(x.len(), self.n, "one increment per element");
                        for (__k, __x) in x.iter().enumerate() {
                            self.pending.add(__k, *__x);
                        }
                        self.step(ctx);
                    }
                }

                impl #rt::IncrementSynapse for #name {
                    type G = #out_ty;
                    fn model_name(&self) -> &'static str {
                        #name_str
                    }
                    fn len(&self) -> usize {
                        self.n
                    }
                    fn pending_mut(&mut self) -> &mut #rt::Column<#out_ty> {
                        &mut self.pending
                    }
                    fn step(&mut self, ctx: &#rt::StepCtx) {
                        #name::step(self, ctx)
                    }
                    fn g(&self) -> &#rt::Column<#out_ty> {
                        &self.state.#out
                    }
                    fn state_vars(&self) -> ::std::vec::Vec<#rt::StateVar<'_>> {
                        self.__state_vars()
                    }
                    fn reset_state(&mut self) {
                        self.__reset_state()
                    }
                    fn same_dynamics(&self, other: &Self) -> bool {
                        (&self.params, self.method, &self.inits, self.seed)
                            == (&other.params, other.method, &other.inits, other.seed)
                    }
                    #channel_fn
                }
            }
        } else {
            let open = quote_spanned!(out_span=> &self.state.#out);
            quote! {
                impl #name {
                    /// One step with the presynaptic spikes of each element: `on_spike` where
                    /// there is one, then integrate.
                    pub fn update(&mut self, ctx: &#rt::StepCtx, spikes: &[bool]) {
                        ::core::assert_eq!(spikes.len(), self.n, "one spike flag per element");
                        match self.method { #dispatch_update }
                    }
                }

                impl #rt::EventSynapse for #name {
                    fn model_name(&self) -> &'static str {
                        #name_str
                    }
                    fn len(&self) -> usize {
                        self.n
                    }
                    fn update(
                        &mut self,
                        ctx: &#rt::StepCtx,
                        spikes: &[bool],
                        _efficacy: ::core::option::Option<&#rt::Column<#rt::Ratio>>,
                    ) {
                        #name::update(self, ctx, spikes)
                    }
                    fn open(&self) -> &#rt::Column<#rt::Ratio> {
                        #open
                    }
                    fn state_vars(&self) -> ::std::vec::Vec<#rt::StateVar<'_>> {
                        self.__state_vars()
                    }
                    fn reset_state(&mut self) {
                        self.__reset_state()
                    }
                }
            }
        }
    };

    quote! {
        #params_def
        #state_structs
        #ode_def
        #model_def
        #traits
        #dynamics
    }
}

/// `IncrementSynapse::channel` for a synapse that is an exponential channel (see
/// [`crate::channel`]): `j` is the slope the step uses, `φ` the factor its integrator applies
/// to the rate (`dt·exprel(dt·j)` for exponential Euler, `dt` for forward Euler), so that
/// `g + φ·(j·g) + pending` is the step's `g + φ·f(g)` followed by `on_pre g += w`, bit for
/// bit. `None` for per-element parameters and for the other integrators.
fn exp_channel_fn(ode_ty: &Ident, g_ty: &TokenStream, g: &Ident) -> TokenStream {
    let rt = rt();
    quote! {
        #[allow(unused_variables, clippy::all)]
        fn channel(
            &mut self,
            ctx: &#rt::StepCtx,
            out: #rt::Affine,
        ) -> ::core::option::Option<#rt::ExpChannel<'_>> {
            let __exponential = match self.method {
                #rt::Method::ExponentialEuler => true,
                #rt::Method::Euler => false,
                _ => return ::core::option::Option::None,
            };
            let __shared = self.params.uniform()?;
            let __dt = ctx.dt.get();
            let __ode = #ode_ty { __p: &__shared, __k: 0, __dt };
            let __one: #g_ty = #rt::Raw::from_raw(1.0);
            let (__f, __j) = #rt::Linearised::rhs_and_slope(&__ode, ctx.t, &__one);
            let (__f, __j) = (#rt::Raw::raw(__f), #rt::Raw::raw(__j));
            // f(g) = c·g: the slope must be c itself, to the last bit
            if __f.to_bits() != __j.to_bits() {
                return ::core::option::Option::None;
            }
            let __dt = #rt::Raw::raw(__dt);
            let __phi = if __exponential {
                __dt * #rt::raw::exprel(__dt * __j)
            } else {
                __dt
            };
            ::core::option::Option::Some(#rt::ExpChannel {
                g: self.state.#g.raw_mut(),
                pending: self.pending.raw_mut(),
                decay: #rt::Decay { phi: __phi, j: __j },
                out,
            })
        }
    }
}
