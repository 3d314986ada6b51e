//! Dimensional analysis at expansion time.
//!
//! Every parameter, state variable, input and typed `let` declares a quantity type; every unit
//! literal names a constant; every operator combines dimensions in a known way. So the macro
//! can compute the dimension of each sub-expression and, where two do not fit, say so in
//! words over exactly the sub-expression at fault ("`2.0 ms` is a time, but it is added to
//! `v_rest - v`, a voltage"), before rustc sees the generated code and reports the mismatch
//! in type-level integers. Types the table does not know (a user's own alias) make a
//! sub-expression's dimension unknown: nothing is said about it here and rustc's type check
//! stays the backstop.

use super::*;
use crate::units::table::{self, Exponents};
use quote::quote;

/// A dimension, or `None` when it is not known (an unknown type, or a sub-expression that
/// is itself in error and reported already).
type Dim = Option<Exponents>;

const NONE: Exponents = [0; 7];
const TIME: Exponents = [0, 0, 1, 0, 0, 0, 0];

fn words(d: &Exponents) -> String {
    table::words(d)
}

fn mul(a: Dim, b: Dim) -> Dim {
    Some(table::combine(&a?, &b?, 1))
}

fn div(a: Dim, b: Dim) -> Dim {
    Some(table::combine(&a?, &b?, -1))
}

fn scale(d: &Exponents, n: i32) -> Option<Exponents> {
    let mut out = NONE;
    for (o, e) in out.iter_mut().zip(d) {
        *o = i8::try_from(i32::from(*e) * n).ok()?;
    }
    Some(out)
}

/// `d` to the power `1/n`, when every exponent divides.
fn root(d: &Exponents, n: i32) -> Option<Exponents> {
    let mut out = NONE;
    for (o, e) in out.iter_mut().zip(d) {
        let e = i32::from(*e);
        if e % n != 0 {
            return None;
        }
        *o = i8::try_from(e / n).ok()?;
    }
    Some(out)
}

/// The dimension of a declared type: the last segment of its path, looked up in the table.
fn type_dim(ty: &Type) -> Dim {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    if !last.arguments.is_empty() {
        return None;
    }
    table::kind_of_type(&last.ident.to_string()).map(|k| k.exponents)
}

/// An error underlining from `first` to `last`.
pub(super) fn error(bounds: (Span, Span), message: String) -> syn::Error {
    let a = Ident::new("a", bounds.0);
    let b = Ident::new("b", bounds.1);
    syn::Error::new_spanned(quote!(#a #b), message)
}

/// Functions of a dimensionless number.
const RATIO_FUNCTIONS: &[&str] = &[
    "exp", "expm1", "exprel", "ln", "tanh", "cosh", "sigmoid", "powf",
];

struct Analysis<'m> {
    m: &'m Model,
    lets: Vec<Dim>,
    errors: Vec<syn::Error>,
}

impl Analysis<'_> {
    fn name(&self, id: &Ident, kind: NameKind) -> Dim {
        match kind {
            NameKind::Param => self
                .m
                .params
                .iter()
                .find(|p| p.name == *id)
                .and_then(|p| type_dim(&p.ty)),
            NameKind::State(k) => type_dim(&self.m.state.get(k)?.ty),
            NameKind::Let(k) => *self.lets.get(k)?,
            NameKind::Input => type_dim(&self.m.input.as_ref()?.ty),
            NameKind::Increment => {
                let out = self.m.output.as_ref()?;
                let s = self.m.state.iter().find(|s| s.name == *out)?;
                type_dim(&s.ty)
            }
            NameKind::Time | NameKind::Dt => Some(TIME),
            NameKind::Unit => table::unit_exponents(&id.to_string()),
            NameKind::Unresolved => None,
        }
    }

    /// The dimension of `e`, or `None` if unknown or inconsistent. Says nothing.
    fn infer(&self, e: &Expr) -> Dim {
        match e {
            Expr::Num { .. } => Some(NONE),
            Expr::Quantity { unit, .. } => table::unit_exponents(&unit.to_string()),
            Expr::Name(id, kind) => self.name(id, *kind),
            Expr::Neg { e, .. } | Expr::Paren { e, .. } => self.infer(e),
            Expr::Bin { op, l, r, .. } => {
                let (a, b) = (self.infer(l), self.infer(r));
                match op {
                    BinOp::Add | BinOp::Sub => (a? == b?).then_some(a?),
                    BinOp::Mul => mul(a, b),
                    BinOp::Div => div(a, b),
                }
            }
            Expr::Call {
                func, args, int, ..
            } => {
                let f = func.to_string();
                let a = self.infer(args.first()?);
                match f.as_str() {
                    _ if RATIO_FUNCTIONS.contains(&f.as_str()) => Some(NONE),
                    "sqrt" => root(&a?, 2),
                    "powi" => scale(&a?, int.as_ref()?.0),
                    "min" | "max" | "clip" => {
                        let a = a?;
                        let same = args[1..].iter().all(|x| self.infer(x) == Some(a));
                        same.then_some(a)
                    }
                    _ => a,
                }
            }
            Expr::If { then, els, .. } => {
                let (a, b) = (self.infer(then), self.infer(els));
                (a? == b?).then_some(a?)
            }
        }
    }

    /// Finds the sub-expressions of `e` whose dimensions do not fit, `expected` being the
    /// dimension the context needs of `e` (used to tell which operand of a sum is at fault).
    fn check(&mut self, e: &Expr, expected: Dim) {
        match e {
            Expr::Num { .. } | Expr::Quantity { .. } | Expr::Name(..) => {}
            Expr::Neg { e, .. } | Expr::Paren { e, .. } => self.check(e, expected),
            Expr::Bin { op, l, r, .. } => {
                let (a, b) = (self.infer(l), self.infer(r));
                match op {
                    BinOp::Add | BinOp::Sub => {
                        if let (Some(da), Some(db)) = (a, b) {
                            if da != db {
                                self.mismatched_sum(*op, l, da, r, db, expected);
                                return;
                            }
                        }
                        let target = expected.or(a).or(b);
                        self.check(l, target);
                        self.check(r, target);
                    }
                    BinOp::Mul => {
                        self.check(l, div(expected, b));
                        self.check(r, div(expected, a));
                    }
                    BinOp::Div => {
                        self.check(l, mul(expected, b));
                        self.check(r, div(a, expected));
                    }
                }
            }
            Expr::Call {
                func, args, int, ..
            } => self.check_call(func, args, *int, expected),
            Expr::If {
                cond, then, els, ..
            } => {
                self.check_cond(cond);
                let (a, b) = (self.infer(then), self.infer(els));
                if let (Some(da), Some(db)) = (a, b) {
                    if da != db {
                        self.errors.push(error(
                            els.bounds(),
                            format!(
                                "the two branches of this `if` differ: `{}` is {}, but `{}` is {}",
                                then.text(),
                                words(&da),
                                els.text(),
                                words(&db)
                            ),
                        ));
                        return;
                    }
                }
                let target = expected.or(a).or(b);
                self.check(then, target);
                self.check(els, target);
            }
        }
    }

    fn mismatched_sum(
        &mut self,
        op: BinOp,
        l: &Expr,
        dl: Exponents,
        r: &Expr,
        dr: Exponents,
        expected: Dim,
    ) {
        // the operand that does not fit the context is at fault; without a context, the
        // right one (the term added last)
        let left_at_fault = expected.is_some_and(|x| x == dr && x != dl);
        let (bad, db, good, dg) = if left_at_fault {
            (l, dl, r, dr)
        } else {
            (r, dr, l, dl)
        };
        let (bad_text, good_text) = (bad.text(), good.text());
        let (bad_words, good_words) = (words(&db), words(&dg));
        let mut message = match (op, left_at_fault) {
            (BinOp::Sub, true) => format!(
                "`{bad_text}` is {bad_words}, but `{good_text}`, {good_words}, is subtracted from it"
            ),
            (BinOp::Sub, false) => format!(
                "`{bad_text}` is {bad_words}, but it is subtracted from `{good_text}`, {good_words}"
            ),
            _ => format!(
                "`{bad_text}` is {bad_words}, but it is added to `{good_text}`, {good_words}"
            ),
        };
        message.push_str(&self.plain_number_hint(bad, &dg));
        self.errors.push(error(bad.bounds(), message));
    }

    /// " — write it with a unit: `2.0 mV`" for a plain number where a quantity is needed.
    fn plain_number_hint(&self, e: &Expr, needed: &Exponents) -> String {
        let (Expr::Num { text, .. }, Some(unit)) = (e, table::unit_for(needed)) else {
            return String::new();
        };
        format!(" — write it with a unit: `{text} {unit}`")
    }

    /// A parameter of dimension `d`, for suggestions.
    fn param_of(&self, d: &Exponents) -> Option<&Ident> {
        self.m
            .params
            .iter()
            .find(|p| type_dim(&p.ty).as_ref() == Some(d))
            .map(|p| &p.name)
    }

    fn check_call(&mut self, func: &Ident, args: &[Expr], int: Option<(i32, Span)>, expected: Dim) {
        let f = func.to_string();
        let Some(first) = args.first() else { return };
        let a = self.infer(first);
        if RATIO_FUNCTIONS.contains(&f.as_str()) {
            // every argument (powf's exponent too) is a pure number
            for other in &args[1..] {
                self.check_call(func, core::slice::from_ref(other), int, expected);
            }
            match a {
                Some(da) if da != NONE => {
                    let kind = words(&da);
                    let same: Vec<String> = self
                        .m
                        .params
                        .iter()
                        .filter(|p| type_dim(&p.ty) == Some(da))
                        .map(|p| format!("`{}`", p.name))
                        .collect();
                    let by = match (same.as_slice(), table::unit_for(&da)) {
                        ([], Some(u)) => format!(" — divide it by {kind} (e.g. `1.0 {u}`)"),
                        ([], None) => format!(" — divide it by {kind}"),
                        ([one], _) => format!(" — divide it by {kind} such as {one}"),
                        ([init @ .., last], _) => format!(
                            " — divide it by {kind} such as {} or {last}",
                            init.join(", ")
                        ),
                    };
                    self.errors.push(error(
                        first.bounds(),
                        format!(
                            "`{f}` takes a dimensionless number, but `{}` is {kind}{by}",
                            first.text(),
                        ),
                    ));
                }
                _ => self.check(first, Some(NONE)),
            }
            return;
        }
        match f.as_str() {
            "sqrt" => match a {
                Some(da) if root(&da, 2).is_none() => self.errors.push(error(
                    first.bounds(),
                    format!(
                        "`sqrt` of `{}`, {}, has no unit: its dimension ({}) is not a square",
                        first.text(),
                        words(&da),
                        table::unit_formula(&da)
                    ),
                )),
                _ => self.check(first, expected.and_then(|x| scale(&x, 2))),
            },
            "powi" => {
                let inner = match (expected, int) {
                    (Some(x), Some((n, _))) if n != 0 => root(&x, n),
                    _ => None,
                };
                self.check(first, inner);
            }
            "min" | "max" | "clip" => {
                let what = if f == "clip" {
                    "keeps a quantity between two bounds of its kind"
                } else {
                    "compares two quantities of one kind"
                };
                let mut target = expected.or(a);
                for other in &args[1..] {
                    let b = self.infer(other);
                    if let (Some(da), Some(db)) = (a, b) {
                        if da != db {
                            self.errors.push(error(
                                other.bounds(),
                                format!(
                                    "`{f}` {what}, but `{}` is {} and `{}` is {}{}",
                                    first.text(),
                                    words(&da),
                                    other.text(),
                                    words(&db),
                                    self.plain_number_hint(other, &da)
                                ),
                            ));
                            return;
                        }
                    }
                    target = target.or(b);
                }
                for x in args {
                    self.check(x, target);
                }
            }
            _ => self.check(first, expected),
        }
    }

    fn check_cond(&mut self, c: &Cond) {
        match c {
            Cond::Cmp { l, r, .. } => {
                let (a, b) = (self.infer(l), self.infer(r));
                if let (Some(da), Some(db)) = (a, b) {
                    if da != db {
                        let (bad, dbad, good, dgood) = if matches!(l, Expr::Num { .. }) {
                            (l, da, r, db)
                        } else {
                            (r, db, l, da)
                        };
                        self.errors.push(error(
                            bad.bounds(),
                            format!(
                                "`{}` is {}, but it is compared with `{}`, {}{}",
                                bad.text(),
                                words(&dbad),
                                good.text(),
                                words(&dgood),
                                self.plain_number_hint(bad, &dgood)
                            ),
                        ));
                        return;
                    }
                }
                let target = a.or(b);
                self.check(l, target);
                self.check(r, target);
            }
            Cond::And(x, _, y) | Cond::Or(x, _, y) => {
                self.check_cond(x);
                self.check_cond(y);
            }
        }
    }

    /// `what` (e.g. "the default of `tau`") must have dimension `needed`.
    /// Returns whether it has (or may have).
    fn expect(
        &mut self,
        e: &Expr,
        needed: Dim,
        what: impl FnOnce(&Exponents, &Exponents) -> String,
    ) -> bool {
        if let (Some(n), Some(d)) = (needed, self.infer(e)) {
            if n != d {
                let mut message = what(&d, &n);
                message.push_str(&self.plain_number_hint(e, &n));
                self.errors.push(error(e.bounds(), message));
                return false;
            }
        }
        self.check(e, needed);
        true
    }

    fn equation(&mut self, eq: &Equation) {
        let var_dim = type_dim(&self.m.state[eq.index].ty);
        let needed = div(var_dim, Some(TIME));
        let (Some(v), Some(_)) = (var_dim, needed) else {
            self.check(&eq.rhs, None);
            return;
        };
        let tau = self.param_of(&TIME).map(|p| p.to_string());
        let var = &eq.var;
        let _ = self.expect(&eq.rhs, needed, |d, n| {
            let hint = if *d == v {
                match &tau {
                    Some(tau) => format!(" — missing `/ {tau}`?"),
                    None => " — missing a division by a time constant?".to_string(),
                }
            } else if Some(*d) == div(Some(*n), Some(TIME)) {
                " — divided by a time once too often?".to_string()
            } else if Some(*d) == mul(Some(v), Some(TIME)) {
                match &tau {
                    Some(tau) => format!(" — `* {tau}` where `/ {tau}` was meant?"),
                    None => " — multiplied by a time where it should divide?".to_string(),
                }
            } else {
                String::new()
            };
            format!(
                "the right-hand side of d({var})/dt is {}, but {} is needed, since `{var}` is {}{hint}",
                words(d),
                words(n),
                words(&v)
            )
        });
    }

    fn assignment(&mut self, a: &Assign, clause: &str) {
        let Some(s) = self.m.state.get(a.index) else {
            return;
        };
        let target = &a.target;
        let needed = type_dim(&s.ty);
        let _ = self.expect(&a.value, needed, |d, n| {
            let verb = match a.op {
                AssignOp::Set => format!("{clause} sets `{target}`, {}, to it", words(n)),
                AssignOp::Add => format!("{clause} adds it to `{target}`, {}", words(n)),
                AssignOp::Sub => format!("{clause} subtracts it from `{target}`, {}", words(n)),
            };
            format!("`{}` is {}, but {verb}", a.value.text(), words(d))
        });
    }
}

impl Model {
    /// The dimension of every expression, against the types declared for it.
    pub(super) fn check_dimensions(&self) -> syn::Result<()> {
        let mut an = Analysis {
            m: self,
            lets: Vec::new(),
            errors: Vec::new(),
        };
        for p in &self.params {
            let name = &p.name;
            let _ = an.expect(&p.default, type_dim(&p.ty), |d, n| {
                format!(
                    "the default of `{name}` is {}, but `{name}` is declared {}",
                    words(d),
                    words(n)
                )
            });
        }
        // a rule's weight has no initial value of its own (the projection's weights are)
        let weight = self.rule.as_ref().map(|r| r.weight_index());
        for (k, s) in self.state.iter().enumerate() {
            if Some(k) == weight {
                continue;
            }
            let name = &s.name;
            let _ = an.expect(&s.init, type_dim(&s.ty), |d, n| {
                format!(
                    "the initial value of `{name}` is {}, but `{name}` is declared {}",
                    words(d),
                    words(n)
                )
            });
        }
        for l in &self.lets {
            let declared = l.ty.as_ref().and_then(type_dim);
            let name = &l.name;
            if l.ty.is_some() {
                let fits = an.expect(&l.expr, declared, |d, n| {
                    format!(
                        "`{name}` is declared {}, but its expression is {}",
                        words(n),
                        words(d)
                    )
                });
                // after a mismatch, uses of the `let` are not judged again
                an.lets.push(declared.filter(|_| fits));
            } else {
                an.check(&l.expr, None);
                let d = an.infer(&l.expr);
                an.lets.push(d);
            }
        }
        for eq in &self.eqs {
            an.equation(eq);
        }
        if let Some(s) = &self.spike {
            an.check_cond(&s.cond);
        }
        for a in &self.reset {
            an.assignment(a, "the reset");
        }
        for a in &self.on_pre {
            an.assignment(a, "`on_pre`");
        }
        for a in &self.on_spike {
            an.assignment(a, "`on_spike`");
        }
        for a in &self.on_post {
            an.assignment(a, "`on_post`");
        }
        let mut errors = an.errors.into_iter();
        match errors.next() {
            None => Ok(()),
            Some(mut first) => {
                first.extend(errors);
                Err(first)
            }
        }
    }
}
