//! A neuron's equations for the stepper of `neurotype-models` (`impl Dynamics`): the same
//! hooks as the built-in models implement (threshold, reset, derivatives, jump, and the
//! integration step in the declared order). The state is the tuple of all variables.

use super::Ctx;
use super::step::{Step, acc};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// `(a, b, c)`, or `a` alone.
fn tuple<T: quote::ToTokens>(xs: &[T]) -> TokenStream {
    if xs.len() == 1 {
        quote!(#( #xs )*)
    } else {
        quote!(( #( #xs ),* ))
    }
}

/// `(mut a, mut b, mut c)`, or `mut a` alone.
fn mut_pattern(names: &[Ident]) -> TokenStream {
    let muts: Vec<TokenStream> = names.iter().map(|n| quote!(mut #n)).collect();
    tuple(&muts)
}

/// `impl Dynamics for Name`.
pub(super) fn neuron_dynamics(cx: &Ctx, step: &Step) -> TokenStream {
    let Ctx {
        m,
        rt,
        name,
        params_ty,
        scalar_ty,
        cols_ty,
        s_names,
        s_types,
        pot_name,
        pot_ty,
        frozen,
        ..
    } = cx;
    let all_ty = tuple(s_types);
    let all_pat = tuple(s_names);
    let all_mut_pat = mut_pattern(s_names);
    let threshold_body = if m.spike.is_some() {
        quote!(Self::__spike(__p, __ctx.t, __ctx.dt.get(), #( #s_names ),*))
    } else {
        quote!(false)
    };
    let reset_fn = reset_hook(cx);
    let derivatives_fn = derivatives_hook(cx);
    let integrate_fn = integrate_hook(cx, step);
    let rising = m.spike.as_ref().is_some_and(|s| s.rising);
    let (config_ty, prepare_fn) = if cx.exact {
        let ty = super::exact::propagator_ty(cx);
        (
            quote!(::core::option::Option<#ty>),
            super::exact::neuron_prepare(cx),
        )
    } else {
        (quote!(()), quote!())
    };
    quote! {
        #[allow(unused_variables, unused_mut, unused_parens, clippy::all)]
        impl #rt::Dynamics for #name {
            type Params = #scalar_ty;
            type ParamSet = #params_ty;
            type Config = #config_ty;
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

            #prepare_fn

            #[inline(always)]
            fn potential(__x: &Self::State) -> #pot_ty {
                let #all_pat = *__x;
                #pot_name
            }

            #[inline(always)]
            fn threshold(
                _c: &Self::Config,
                __p: &#scalar_ty,
                __ctx: &#rt::StepCtx,
                __x: &Self::State,
            ) -> bool {
                let #all_pat = *__x;
                #threshold_body
            }

            #reset_fn

            #derivatives_fn

            #[inline(always)]
            fn add_jump(__x: Self::State, __jump: #pot_ty) -> Self::State {
                let #all_mut_pat = __x;
                #pot_name = #pot_name + __jump;
                #all_pat
            }

            #integrate_fn
        }
    }
}

/// `Dynamics::reset`: the `reset` clause on the whole state, if the neuron resets.
fn reset_hook(cx: &Ctx) -> TokenStream {
    let Ctx {
        m,
        rt,
        scalar_ty,
        s_names,
        ..
    } = cx;
    if m.spike.is_none() || m.reset.is_empty() {
        return quote!();
    }
    let all_pat = tuple(s_names);
    let all_mut_pat = mut_pattern(s_names);
    quote! {
        #[inline(always)]
        fn reset(
            _c: &Self::Config,
            __p: &#scalar_ty,
            __ctx: &#rt::StepCtx,
            __x: Self::State,
        ) -> Self::State {
            let #all_mut_pat = __x;
            Self::__reset(__p, __ctx.t, __ctx.dt.get(), #( &mut #s_names ),*);
            #all_pat
        }
    }
}

/// `Dynamics::derivatives`: the derivatives of the whole state, the integrated variables'
/// from the equations, zero for the variables that are only set by clauses.
fn derivatives_hook(cx: &Ctx) -> TokenStream {
    let Ctx {
        m,
        rt,
        scalar_ty,
        ode_ty,
        s_names,
        integrated,
        constants,
        const_fields,
        ..
    } = cx;
    let all_pat = tuple(s_names);
    let const_names: Vec<_> = constants.iter().map(|&k| &s_names[k]).collect();
    let parts = |x: &str| -> Vec<TokenStream> {
        let x = format_ident!("{}", x);
        (0..m.state.len())
            .map(|k| match integrated.iter().position(|&i| i == k) {
                Some(pos) => acc(cx, &x, pos),
                None => quote!(#rt::Raw::from_raw(0.0)),
            })
            .collect()
    };
    let rates = tuple(&parts("__f"));
    let slopes = tuple(&parts("__j"));
    let int_names: Vec<_> = integrated.iter().map(|&k| &s_names[k]).collect();
    let int_expr = tuple(&int_names);
    quote! {
        #[inline(always)]
        fn derivatives<__I: #rt::InputAt<Self>>(
            _c: &Self::Config,
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
    }
}

/// `Dynamics::integrate`: one step of the chosen integrator from `__x0`, the jump added to
/// the potential.
fn integrate_hook(cx: &Ctx, step: &Step) -> TokenStream {
    let Ctx {
        rt,
        scalar_ty,
        ode_ty,
        const_fields,
        pot_ty,
        ..
    } = cx;
    let Step {
        start,
        new,
        const_starts,
        x0,
        x1,
        exp_euler,
        jump_after,
        new_values,
        ..
    } = step;
    let start_pat = tuple(start);
    let new_expr = tuple(new);
    let advance = if cx.exact {
        super::exact::advance(cx, quote!(_c.as_ref()), x1)
    } else {
        quote! {
            let mut #x1 = match <__M as #rt::FixedStep<Self::State>>::KIND {
                #rt::Method::ExponentialEuler => #exp_euler,
                #rt::Method::Euler => #rt::Euler.step(&__ode, __t, &__x0, __ctx.dt),
                #rt::Method::Rk2 => #rt::Heun.step(&__ode, __t, &__x0, __ctx.dt),
                #rt::Method::Midpoint => #rt::Midpoint.step(&__ode, __t, &__x0, __ctx.dt),
                #rt::Method::Rk4 => #rt::Rk4.step(&__ode, __t, &__x0, __ctx.dt),
            };
        }
    };
    quote! {
        #[inline(always)]
        fn integrate<__I: #rt::InputAt<Self>, __M: #rt::FixedStep<Self::State>>(
            _c: &Self::Config,
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
            #advance
            #jump_after
            #( #new_values )*
            #new_expr
        }
    }
}
