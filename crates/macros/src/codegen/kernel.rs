//! A synapse's kernel `__kernel::<M>`: the loop over its elements, with the discrete clauses
//! around the integration step (`on_spike` before it, `on_pre` after it) and the integrator
//! `M` a constant.

use super::Ctx;
use super::step::Step;
use proc_macro2::TokenStream;
use quote::quote;

/// `__kernel`: one loop with the parameters as loop constants when they are shared, one
/// gathering them otherwise.
pub(super) fn synapse_kernel(cx: &Ctx, step: &Step) -> TokenStream {
    let Ctx { rt, s_names, .. } = cx;
    let cols = &step.cols;
    let body = element_step(cx, step);
    // the propagator of `method exact`, copied out of `self` before the columns are borrowed
    let exact_cache = if cx.exact {
        quote!(let __exact = self.exact;)
    } else {
        quote!()
    };
    let (arg, pass, prep) = if cx.event {
        (
            quote!(__spk: &[bool]),
            quote!(__spk),
            quote!(let __spk = &__spk[..__n];),
        )
    } else {
        (
            quote!(),
            quote!(),
            quote!(let __pending = &mut self.pending.raw_mut()[..__n];),
        )
    };
    // the loop compiled for each instruction set of `isa`, chosen at run time (the same
    // bits on each)
    let x86 = quote!(#[cfg(target_arch = "x86_64")]);
    quote! {
        #[inline(never)]
        #[allow(unused_variables, clippy::all)]
        fn __kernel<const __M: u8>(&mut self, __ctx: &#rt::StepCtx, #arg) {
            #x86
            match #rt::isa::level() {
                // SAFETY: `level` found these features on this processor
                #rt::isa::Level::Avx512 => return unsafe { self.__kernel_avx512::<__M>(__ctx, #pass) },
                #rt::isa::Level::Avx2 => return unsafe { self.__kernel_avx2::<__M>(__ctx, #pass) },
                #rt::isa::Level::Base => {}
            }
            self.__kernel_body::<__M>(__ctx, #pass)
        }

        #x86
        #[target_feature(enable = "avx512f,avx512vl,avx512dq,avx512bw,avx2,fma,bmi1,bmi2,lzcnt")]
        #[allow(unused_variables, clippy::all)]
        fn __kernel_avx512<const __M: u8>(&mut self, __ctx: &#rt::StepCtx, #arg) {
            self.__kernel_body::<__M>(__ctx, #pass)
        }

        #x86
        #[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt")]
        #[allow(unused_variables, clippy::all)]
        fn __kernel_avx2<const __M: u8>(&mut self, __ctx: &#rt::StepCtx, #arg) {
            self.__kernel_body::<__M>(__ctx, #pass)
        }

        #[inline(always)]
        #[allow(unused_variables, unused_mut, unused_parens, clippy::all)]
        fn __kernel_body<const __M: u8>(&mut self, __ctx: &#rt::StepCtx, #arg) {
            use #rt::{Integrator as _, State as _};
            let __n = self.n;
            let (__t, __dt) = (__ctx.t, __ctx.dt.get());
            #prep
            let __params = &self.params;
            #exact_cache
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
}

/// The loop's body, for element `__k`: read its state, apply the clauses and integrate, and
/// store the new state.
fn element_step(cx: &Ctx, step: &Step) -> TokenStream {
    let Ctx {
        m,
        rt,
        ode_ty,
        s_types,
        const_fields,
        out_ty,
        ..
    } = cx;
    let Step {
        old,
        cur,
        start,
        new,
        cols,
        const_starts,
        x0,
        x1,
        exp_euler,
        jump_after,
        new_values,
    } = step;
    let reset_call = if m.spike.is_some() && !m.reset.is_empty() {
        quote! {
            if Self::__spike(__p, __t, __dt, #( #old ),*) {
                Self::__reset(__p, __t, __dt, #( &mut #cur ),*);
            }
        }
    } else {
        quote!()
    };
    let on_spike_call = if cx.event {
        quote! {
            if __spk[__k] {
                Self::__on_spike(__p, __t, __dt, #( &mut #cur ),*);
            }
        }
    } else {
        quote!()
    };
    let on_pre_call = if cx.increment {
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
    let (refractory_hold, record) = refractoriness(cx, step);
    let advance = if cx.exact {
        super::exact::advance(cx, quote!(__exact.as_ref()), x1)
    } else {
        quote! {
            let mut #x1 = match __M {
                0 => #exp_euler,
                1 => #rt::Euler.step(&__ode, __t, &__x0, __ctx.dt),
                2 => #rt::Heun.step(&__ode, __t, &__x0, __ctx.dt),
                3 => #rt::Midpoint.step(&__ode, __t, &__x0, __ctx.dt),
                _ => #rt::Rk4.step(&__ode, __t, &__x0, __ctx.dt),
            };
        }
    };
    let spiked = match &m.spike {
        Some(s) if s.rising => quote! {
            Self::__spike(__p, __t, __dt, #( #new ),*) && !Self::__spike(__p, __t, __dt, #( #old ),*)
        },
        Some(_) => quote!(Self::__spike(__p, __t, __dt, #( #new ),*)),
        None => quote!(false),
    };
    let (begin_input, ode_input_value, store_spike) = if cx.neuron {
        (
            quote!(#rt::InputSource::<Self>::begin(&mut __input, __k);),
            quote!(__input: &__input,),
            quote!(__spikes[__k] = __spiked;),
        )
    } else {
        (quote!(), quote!(), quote!())
    };
    quote! {
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
            #advance
            #jump_after
            #( #new_values )*
            #on_pre_call
            #refractory_hold
            let __spiked: bool = #spiked;
            #record
            #( #cols[__k] = #rt::Raw::raw(#new); )*
            #store_spike
        }
    }
}

/// With a refractory period: holding the state while refractory, and recording the time of a
/// spike.
fn refractoriness(cx: &Ctx, step: &Step) -> (TokenStream, TokenStream) {
    let rt = &cx.rt;
    let Step { start, new, .. } = step;
    let hold = match cx.m.refractory {
        Some(r) => {
            let tau_ref = &cx.p_names[r];
            quote! {
                if (__t - <#rt::Time as #rt::Raw>::from_raw(__last[__k])) < __p.#tau_ref {
                    #( #new = #start; )*
                }
            }
        }
        None => quote!(),
    };
    let record = if cx.refractory {
        quote! {
            __last[__k] = if __spiked { #rt::Raw::raw(__t) } else { __last[__k] };
        }
    } else {
        quote!()
    };
    (hold, record)
}
