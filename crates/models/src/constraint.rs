//! What a parameter must satisfy, written once: the builder checks it, and with the cargo
//! feature `proptest` the same constraint generates the values a property test draws
//! ([`strategy`](crate::strategy)) and the values just outside it that the builder refuses.
//!
//! Built-in models declare their constraints beside their parameters (`tau: Time = 10.0 * ms,
//! "tau" where > 0;`), models of the equation DSL in their `params` block (`tau: Time = 10.0 ms
//! where > 0`). Either way a parameter set has `CONSTRAINTS` (every parameter's), a
//! `check_constraints` that builders call, and, with `proptest`, `strategy()` and
//! `violations()`.

use crate::param::Param;
use neurotype_units::{InvalidParameter, Real, Unitful};

/// How a parameter compares with another of the same set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// `<`
    Below,
    /// `<=`
    AtMost,
    /// `>`
    Above,
    /// `>=`
    AtLeast,
    /// `!=`
    Differs,
}

impl Order {
    /// From the operator as written: `"<"`, `"<="`, `">"`, `">="`.
    pub const fn from_op(op: &str) -> Self {
        match op.as_bytes() {
            b"<" => Order::Below,
            b"<=" => Order::AtMost,
            b">" => Order::Above,
            b"!=" => Order::Differs,
            _ => Order::AtLeast,
        }
    }

    /// The operator as written.
    pub const fn op(self) -> &'static str {
        match self {
            Order::Below => "<",
            Order::AtMost => "<=",
            Order::Above => ">",
            Order::AtLeast => ">=",
            Order::Differs => "!=",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Order::Below => "below",
            Order::AtMost => "at most",
            Order::Above => "above",
            Order::AtLeast => "at least",
            Order::Differs => "different from",
        }
    }

    /// Whether `a op b`.
    pub fn holds(self, a: Real, b: Real) -> bool {
        match self {
            Order::Below => a < b,
            Order::AtMost => a <= b,
            Order::Above => a > b,
            Order::AtLeast => a >= b,
            Order::Differs => a != b,
        }
    }
}

/// One constraint on one parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Constraint {
    /// `> 0` (and finite).
    Positive,
    /// `>= 0` (and finite).
    NonNegative,
    /// `!= 0`: a divisor, such as a slope factor.
    NonZero,
    /// `in [0, 1]`: a probability or a fraction.
    UnitInterval,
    /// Compared with another parameter of the same kind, named by its field (`< v_th`).
    Relation(Order, &'static str),
}

impl Constraint {
    /// As written in a declaration: `> 0`, `in [0, 1]`, `< v_th`.
    pub fn text(self) -> String {
        match self {
            Constraint::Positive => "> 0".into(),
            Constraint::NonNegative => ">= 0".into(),
            Constraint::NonZero => "!= 0".into(),
            Constraint::UnitInterval => "in [0, 1]".into(),
            Constraint::Relation(order, other) => format!("{} {other}", order.op()),
        }
    }

    /// Checks a parameter against a constraint on its own value (a relation is checked by
    /// [`check_relation`], which needs the other parameter). The error names the parameter,
    /// its value with its unit (`tau[3]` for element 3 of a per-element parameter) and what is
    /// allowed.
    pub fn check<Q: Unitful>(
        self,
        param: &Param<Q>,
        owner: &str,
        name: &str,
    ) -> Result<(), InvalidParameter> {
        use neurotype_units::check;
        param.check_each(owner, name, |o, n, q| match self {
            Constraint::Positive => check::positive(o, n, q).map(drop),
            Constraint::NonNegative => check::non_negative(o, n, q).map(drop),
            Constraint::NonZero if q.raw() != 0.0 => Ok(()),
            Constraint::NonZero => Err(InvalidParameter::new(
                o,
                n,
                q.show().to_string(),
                "must be nonzero",
            )),
            Constraint::UnitInterval => {
                check::unit_interval(o, n, neurotype_units::wide(q.raw())).map(drop)
            }
            Constraint::Relation(..) => Ok(()),
        })
    }

    /// Raw values just outside the constraint, for a parameter whose values are about
    /// `scale` (a positive raw number): what a builder must refuse. Empty for a relation
    /// (its violation depends on the other parameter: [`Constraint::outside_relation`]).
    pub fn outside(self, scale: Real) -> Vec<Real> {
        let eps = scale * 1e-3;
        match self {
            Constraint::Positive => vec![0.0, -eps, -scale],
            Constraint::NonNegative => vec![-eps, -scale],
            Constraint::NonZero => vec![0.0],
            Constraint::UnitInterval => vec![-1e-3, 1.0 + 1e-3],
            Constraint::Relation(..) => Vec::new(),
        }
    }

    /// For a relation `op other`, a raw value just outside it given the other's raw value.
    pub fn outside_relation(order: Order, other: Real, scale: Real) -> Real {
        let eps = scale * 1e-3;
        match order {
            Order::Below => other,
            Order::AtMost => other + eps,
            Order::Above => other,
            Order::AtLeast => other - eps,
            Order::Differs => other,
        }
    }
}

/// Requires `value[i] op other[i]` for every element (`V_reset < V_th`); the error names both
/// parameters and both values.
pub fn check_relation<Q: Unitful>(
    owner: &str,
    name: &str,
    value: &Param<Q>,
    order: Order,
    other_name: &str,
    other: &Param<Q>,
    n: usize,
) -> Result<(), InvalidParameter> {
    let count = match (value, other) {
        (Param::Scalar(_), Param::Scalar(_)) => 1,
        _ => n,
    };
    for i in 0..count {
        let (a, b) = (value.at(i), other.at(i));
        if !order.holds(a.raw(), b.raw()) {
            let shown = if count == 1 {
                name.to_string()
            } else {
                format!("{name}[{i}]")
            };
            return Err(InvalidParameter::new(
                owner,
                shown,
                a.show().to_string(),
                format!("must be {} `{other_name}` = {}", order.words(), b.show()),
            ));
        }
    }
    Ok(())
}

/// The size of a parameter's values, for drawing and for stepping just outside: its default's
/// magnitude, or one canonical unit (1 ms, 1 mV, 1 nS) when the default is zero.
pub fn scale_of<Q: Unitful>(default: Q) -> Real {
    let d = default.raw().abs();
    if d > 0.0 && d.is_finite() {
        d
    } else {
        Q::FAMILY[Q::CANONICAL].1 as Real
    }
}

/// A parameter set's declared constraints: `(field, keyword, constraints)` of every
/// parameter, as [`ConstrainedParams::CONSTRAINTS`] lists them.
pub type ConstraintTable = &'static [(&'static str, &'static str, &'static [Constraint])];

/// A parameter set whose constraints are declared (every built-in model's and every DSL
/// model's): the builder checks them, and with `proptest` they generate its strategy.
pub trait ConstrainedParams: Clone + Default + PartialEq + core::fmt::Debug {
    /// `(field, keyword, constraints)` of every parameter.
    const CONSTRAINTS: ConstraintTable;
    /// Checks every declared constraint for a population of `n`.
    fn check_constraints(&self, owner: &str, n: usize) -> Result<(), InvalidParameter>;
    /// Puts the parameter of this field back to its default.
    fn set_default(&mut self, field: &str);
    /// The value of the parameter of this field with its unit (`10 ms`).
    fn shown(&self, field: &str) -> String;
    /// The keyword of a field (`"V_th"` for `v_th`), for messages.
    fn keyword(field: &str) -> &'static str {
        Self::CONSTRAINTS
            .iter()
            .find(|(f, _, _)| *f == field)
            .map_or("?", |(_, k, _)| k)
    }
}

/// Turns one declared constraint into its [`Constraint`] value: `> 0`, `>= 0`, `!= 0`,
/// `in [0, 1]`, `< other`, `<= other`, `> other`, `>= other`.
#[doc(hidden)]
#[macro_export]
macro_rules! __constraint {
    (> 0) => {
        $crate::constraint::Constraint::Positive
    };
    (>= 0) => {
        $crate::constraint::Constraint::NonNegative
    };
    (!= 0) => {
        $crate::constraint::Constraint::NonZero
    };
    (in [0, 1]) => {
        $crate::constraint::Constraint::UnitInterval
    };
    ($op:tt $other:ident) => {
        $crate::constraint::Constraint::Relation(
            $crate::constraint::Order::from_op(stringify!($op)),
            stringify!($other),
        )
    };
}

/// Checks one declared constraint of field `$f` (keyword `$kw`) of the set `$s`.
#[doc(hidden)]
#[macro_export]
macro_rules! __check_constraint {
    ($s:ident, $owner:ident, $n:ident, $f:ident, $kw:expr, $op:tt 0) => {
        $crate::__constraint!($op 0).check(&$s.$f, $owner, $kw)?
    };
    ($s:ident, $owner:ident, $n:ident, $f:ident, $kw:expr, in [0, 1]) => {
        $crate::__constraint!(in [0, 1]).check(&$s.$f, $owner, $kw)?
    };
    ($s:ident, $owner:ident, $n:ident, $f:ident, $kw:expr, $op:tt $other:ident) => {
        $crate::constraint::check_relation(
            $owner,
            $kw,
            &$s.$f,
            $crate::constraint::Order::from_op(stringify!($op)),
            <Self as $crate::constraint::ConstrainedParams>::keyword(stringify!($other)),
            &$s.$other,
            $n,
        )?
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use neurotype_units::prelude::*;

    #[test]
    fn each_constraint_refuses_its_outside_values_and_names_them() {
        let tau: Param<Time> = (5.0 * ms).into();
        assert!(Constraint::Positive.check(&tau, "M", "tau").is_ok());
        for raw in Constraint::Positive.outside(scale_of(5.0 * ms)) {
            let bad: Param<Time> = Time::from_raw(raw).into();
            let e = Constraint::Positive.check(&bad, "M", "tau").unwrap_err();
            assert_eq!(e.name, "tau");
            assert!(e.value.ends_with(" ms") || e.value.ends_with('s'), "{e}");
        }
        let u: Param<Ratio> = vec![ratio(0.5), ratio(1.001)].into();
        let e = Constraint::UnitInterval.check(&u, "STP", "U").unwrap_err();
        assert_eq!(e.name, "U[1]");
        let low: Param<ElectricPotential> = (-50.0 * mV).into();
        let high: Param<ElectricPotential> = (-50.0 * mV).into();
        let e = check_relation("LIF", "V_reset", &low, Order::Below, "V_th", &high, 1);
        assert!(e.unwrap_err().to_string().contains("V_th"));
        assert!(check_relation("LIF", "V_reset", &low, Order::AtMost, "V_th", &high, 1).is_ok());
    }
}
