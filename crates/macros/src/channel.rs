//! Which increment synapses are exponential channels: the postsynaptic population can advance
//! them inside its own loop (`neurotype_models::drive::ExpChannel`), as it does the built-in
//! `Expon`.
//!
//! An `ExpChannel` computes `g ← f·g` with one decay factor `f` for every element (a network
//! has added the step's increments to g already, each divided by `f`). The generated step
//! takes the same factor, `e^{dt·c}` for exponential Euler (exact on this equation) or
//! `1 + dt·c` for forward Euler, then applies `on_pre` (with nothing queued), when the
//! synapse has one state variable, `on_pre` is `g += w`, and the right-hand side is written
//! as a product `c * g` or `g * c` (possibly negated or in parentheses) with `c` built from
//! parameters, numbers and unit constants only: then `f(g) = c·g` and the symbolic slope is
//! `c` itself. Other forms of the same equation (such as `-g / tau`) keep the integrator's
//! step. The generated step and `channel` also check at run time that `f(1)` and the slope
//! are the same number before they take the factor.

use crate::expr::{BinOp, Expr, NameKind};
use crate::model::{AssignOp, Kind, Model};

fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Paren { e, .. } => strip(e),
        e => e,
    }
}

/// Whether `m` is an increment synapse whose step is an exponential channel's.
pub fn is_exp_channel(m: &Model) -> bool {
    if m.kind != Kind::Synapse
        || m.on_pre.is_empty()
        || !m.on_spike.is_empty()
        || m.spike.is_some()
        || !m.reset.is_empty()
        || m.state.len() != 1
        || m.eqs.len() != 1
    {
        return false;
    }
    let var = m.eqs[0].index;
    // on_pre is exactly `g += w`
    let [a] = m.on_pre.as_slice() else {
        return false;
    };
    if a.op != AssignOp::Add
        || a.index != var
        || !matches!(strip(&a.value), Expr::Name(_, NameKind::Increment))
    {
        return false;
    }
    let deps = m.let_dependencies();
    let constant = |e: &Expr| {
        let mut ok = true;
        e.visit_names(&mut |_, kind| {
            ok &= match kind {
                NameKind::Param | NameKind::Unit => true,
                NameKind::Let(j) => deps[j].state.is_empty() && !deps[j].input && !deps[j].time,
                _ => false,
            }
        });
        ok
    };
    let is_var = |e: &Expr| matches!(strip(e), Expr::Name(_, NameKind::State(k)) if *k == var);
    let mut rhs = strip(&m.eqs[0].rhs);
    while let Expr::Neg { e, .. } = rhs {
        rhs = strip(e);
    }
    match rhs {
        Expr::Bin {
            op: BinOp::Mul,
            l,
            r,
            ..
        } => (is_var(r) && constant(l)) || (is_var(l) && constant(r)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_exp_channel;
    use crate::model::SynapseInput;

    fn is_channel(body: &str) -> bool {
        let src = format!(
            "S {{ params {{ tau: Time = 5.0 ms, a: Ratio = 2.0 }} \
             state {{ g: ElectricalConductance = 0.0 mS }} {body} output g; }}"
        );
        let m = syn::parse_str::<SynapseInput>(&src).expect("parses").0;
        is_exp_channel(&m)
    }

    #[test]
    fn products_of_a_constant_and_the_variable_are_channels() {
        for body in [
            "d(g)/dt = -1.0 / tau * g; on_pre g += w;",
            "d(g)/dt = g * (-1.0 / tau); on_pre g += w;",
            "d(g)/dt = -(a / tau * g); on_pre g += w;",
            "d(g)/dt = (-1.0 / (2.0 ms)) * (g); on_pre g += (w);",
            "let k = -1.0 / tau; d(g)/dt = k * g; on_pre g += w;",
        ] {
            assert!(is_channel(body), "{body}");
        }
    }

    #[test]
    fn other_forms_keep_their_own_step() {
        for body in [
            // the same equation, rounded differently
            "d(g)/dt = -g / tau; on_pre g += w;",
            // not homogeneous, or not linear
            "d(g)/dt = -1.0 / tau * g + 1.0 nS / tau; on_pre g += w;",
            "d(g)/dt = -g / tau * g / (1.0 nS); on_pre g += w;",
            // a coefficient that depends on the time or on the state
            "d(g)/dt = -t / (tau * tau) * g; on_pre g += w;",
            "let k = -g / (tau * 1.0 nS); d(g)/dt = k * g; on_pre g += w;",
            // other increments
            "d(g)/dt = -1.0 / tau * g; on_pre g += a * w;",
            "d(g)/dt = -1.0 / tau * g; on_pre g = w;",
        ] {
            assert!(!is_channel(body), "{body}");
        }
    }
}
