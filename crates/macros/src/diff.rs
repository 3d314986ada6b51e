//! Symbolic differentiation of an equation's right-hand side with respect to its own
//! variable, for exponential Euler's Jacobian diagonal.
//!
//! The derivative is built as a small expression tree over the *values* of the original
//! subexpressions and simplified as it is built (zeros and ones removed, negations pulled out,
//! a factor cancelled against an equal divisor), so that it comes out in the form a modeller
//! would write by hand: `d/dV [(V_rest − V + R·I(V))/τ] = (−1 − R·g)/τ`, not
//! `((0 − 1) + (0·I + R·(−g)))·τ/τ²`. It is emitted as arithmetic on stored numbers: it is the
//! derivative of an expression whose units rustc has already checked, and emitting it untyped
//! keeps one unit error from being reported twice.

use crate::expr::{BinOp, CmpOp, Cond, Expr, NameKind};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::rc::Rc;

/// A derivative expression (on stored numbers).
#[derive(Clone, Debug)]
pub enum D {
    Zero,
    One,
    /// A plain constant.
    Num(f64),
    /// The value of an original subexpression.
    Val(Rc<Expr>),
    /// `−dI/dV`, the conductance the drive reports with the input.
    G,
    Neg(Box<D>),
    Add(Box<D>, Box<D>),
    Sub(Box<D>, Box<D>),
    Mul(Box<D>, Box<D>),
    Div(Box<D>, Box<D>),
    /// A function of the runtime's `raw` module applied to values.
    Call(&'static str, Vec<D>),
    /// `powi(x, n)`.
    Powi(Box<D>, i32),
    /// `if c { a } else { b }`.
    If(Rc<RawCond>, Box<D>, Box<D>),
}

/// A condition of a derivative.
#[derive(Clone, Debug)]
pub enum RawCond {
    /// The user's condition.
    User(Cond),
    /// `a op b` on two subexpressions.
    Cmp(Rc<Expr>, CmpOp, Rc<Expr>),
    /// `a >= 0`.
    NonNegative(Rc<Expr>),
}

impl RawCond {
    fn key(&self) -> String {
        match self {
            RawCond::User(c) => c.key(),
            RawCond::Cmp(a, op, b) => format!("({}{}{})", a.key(), op.text(), b.key()),
            RawCond::NonNegative(a) => format!("({}>=0)", a.key()),
        }
    }

    fn text(&self) -> String {
        match self {
            RawCond::User(c) => c.text(),
            RawCond::Cmp(a, op, b) => format!("{} {} {}", a.text(), op.text(), b.text()),
            RawCond::NonNegative(a) => format!("{} >= 0", a.text()),
        }
    }

    fn raw(&self) -> TokenStream {
        match self {
            RawCond::User(c) => c.raw(),
            RawCond::Cmp(a, op, b) => {
                let (a, b) = (a.raw(), b.raw());
                let op: TokenStream = op.text().parse().expect("a comparison operator");
                quote!((#a #op #b))
            }
            RawCond::NonNegative(a) => {
                let a = a.raw();
                quote!((#a >= 0.0))
            }
        }
    }
}

impl D {
    fn is_zero(&self) -> bool {
        matches!(self, D::Zero)
    }

    fn is_one(&self) -> bool {
        matches!(self, D::One)
    }

    /// A key equal for structurally equal derivatives.
    pub fn key(&self) -> String {
        match self {
            D::Zero => "0".into(),
            D::One => "1".into(),
            D::Num(x) => format!("{x:?}"),
            D::Val(e) => e.key(),
            D::G => "__g".into(),
            D::Neg(a) => format!("(-{})", a.key()),
            D::Add(a, b) => format!("({}+{})", a.key(), b.key()),
            D::Sub(a, b) => format!("({}-{})", a.key(), b.key()),
            D::Mul(a, b) => format!("({}*{})", a.key(), b.key()),
            D::Div(a, b) => format!("({}/{})", a.key(), b.key()),
            D::Call(f, args) => {
                let a: Vec<String> = args.iter().map(D::key).collect();
                format!("{f}({})", a.join(","))
            }
            D::Powi(a, n) => format!("powi({},{n})", a.key()),
            D::If(c, a, b) => format!("if({};{};{})", c.key(), a.key(), b.key()),
        }
    }

    /// The derivative as readable text (`g` is the drive's conductance, −dI/dV).
    pub fn text(&self) -> String {
        let paren = |d: &D| match d {
            D::Add(..) | D::Sub(..) | D::Mul(..) | D::Div(..) | D::Neg(..) | D::If(..) => {
                format!("({})", d.text())
            }
            D::Val(e) if matches!(**e, Expr::Bin { .. } | Expr::Neg { .. } | Expr::If { .. }) => {
                format!("({})", d.text())
            }
            _ => d.text(),
        };
        match self {
            D::Zero => "0".into(),
            D::One => "1".into(),
            D::Num(x) => format!("{x:?}"),
            D::Val(e) => e.text(),
            D::G => "g".into(),
            D::Neg(a) => format!("-{}", paren(a)),
            D::Add(a, b) => format!("{} + {}", a.text(), paren(b)),
            D::Sub(a, b) => format!("{} - {}", a.text(), paren(b)),
            D::Mul(a, b) => format!("{} * {}", paren(a), paren(b)),
            D::Div(a, b) => format!("{} / {}", paren(a), paren(b)),
            D::Call(f, args) => {
                let a: Vec<String> = args.iter().map(D::text).collect();
                format!("{f}({})", a.join(", "))
            }
            D::Powi(a, n) => format!("powi({}, {n})", a.text()),
            D::If(c, a, b) => format!("if {} {{ {} }} else {{ {} }}", c.text(), a.text(), b.text()),
        }
    }

    /// The derivative as Rust code on stored numbers (an `f64`).
    pub fn raw(&self) -> TokenStream {
        match self {
            D::Zero => quote!((0.0 as ::neurotype::units::Real)),
            D::One => quote!((1.0 as ::neurotype::units::Real)),
            D::Num(x) => {
                let lit = Literal::f64_unsuffixed(*x);
                quote!((#lit as ::neurotype::units::Real))
            }
            D::Val(e) => e.raw(),
            D::G => quote!(::neurotype::units::Raw::raw(__g)),
            D::Neg(a) => {
                let a = a.raw();
                quote!((-#a))
            }
            D::Add(a, b) => {
                let (a, b) = (a.raw(), b.raw());
                quote!((#a + #b))
            }
            D::Sub(a, b) => {
                let (a, b) = (a.raw(), b.raw());
                quote!((#a - #b))
            }
            D::Mul(a, b) => {
                let (a, b) = (a.raw(), b.raw());
                quote!((#a * #b))
            }
            D::Div(a, b) => {
                let (a, b) = (a.raw(), b.raw());
                quote!((#a / #b))
            }
            D::Call(f, args) => {
                let f = proc_macro2::Ident::new(f, proc_macro2::Span::call_site());
                let args: Vec<TokenStream> = args.iter().map(D::raw).collect();
                quote!(::neurotype::dsl::__rt::raw::#f(#(#args),*))
            }
            D::Powi(a, n) => {
                let a = a.raw();
                let n = Literal::i32_suffixed(*n);
                quote!(::neurotype::dsl::__rt::raw::powi(#a, #n))
            }
            D::If(c, a, b) => {
                let (c, a, b) = (c.raw(), a.raw(), b.raw());
                quote!((if #c { #a } else { #b }))
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// Simplifying constructors. Each rule is an identity of real arithmetic that is also exact in
// IEEE arithmetic for finite values (x + 0 = x, x·1 = x, a·(−b) = −(a·b), ...), except the
// cancellation a·(b/a) = b, which is exact in the reals and removes rounding.

pub fn neg(a: D) -> D {
    match a {
        D::Zero => D::Zero,
        D::Neg(x) => *x,
        D::If(c, x, y) => D::If(c, Box::new(neg(*x)), Box::new(neg(*y))),
        a => D::Neg(Box::new(a)),
    }
}

pub fn add(a: D, b: D) -> D {
    if a.is_zero() {
        return b;
    }
    if b.is_zero() {
        return a;
    }
    D::Add(Box::new(a), Box::new(b))
}

pub fn sub(a: D, b: D) -> D {
    if b.is_zero() {
        return a;
    }
    if a.is_zero() {
        return neg(b);
    }
    D::Sub(Box::new(a), Box::new(b))
}

/// Factors of a product: numerator and denominator lists.
fn factors(d: &D, num: &mut Vec<D>, den: &mut Vec<D>) {
    match d {
        D::One => {}
        D::Mul(a, b) => {
            factors(a, num, den);
            factors(b, num, den);
        }
        D::Div(a, b) => {
            factors(a, num, den);
            factors(b, den, num);
        }
        other => num.push(other.clone()),
    }
}

/// `a·b` with one common factor of a numerator and a denominator cancelled, if there is one.
fn cancel(a: &D, b: &D) -> Option<D> {
    let (mut num, mut den) = (Vec::new(), Vec::new());
    factors(a, &mut num, &mut den);
    factors(b, &mut num, &mut den);
    let mut cancelled = false;
    let mut k = 0;
    while k < num.len() {
        let key = num[k].key();
        if let Some(j) = den.iter().position(|d| d.key() == key) {
            num.remove(k);
            den.remove(j);
            cancelled = true;
        } else {
            k += 1;
        }
    }
    if !cancelled {
        return None;
    }
    let mut out = D::One;
    for f in num {
        out = mul_plain(out, f);
    }
    for f in den {
        out = div_plain(out, f);
    }
    Some(out)
}

fn mul_plain(a: D, b: D) -> D {
    if a.is_one() {
        return b;
    }
    if b.is_one() {
        return a;
    }
    D::Mul(Box::new(a), Box::new(b))
}

fn div_plain(a: D, b: D) -> D {
    if b.is_one() {
        return a;
    }
    D::Div(Box::new(a), Box::new(b))
}

pub fn mul(a: D, b: D) -> D {
    if a.is_zero() || b.is_zero() {
        return D::Zero;
    }
    if a.is_one() {
        return b;
    }
    if b.is_one() {
        return a;
    }
    if let D::Neg(x) = a {
        return neg(mul(*x, b));
    }
    if let D::Neg(y) = b {
        return neg(mul(a, *y));
    }
    if let D::If(c, x, y) = a {
        return if_(c, mul(*x, b.clone()), mul(*y, b));
    }
    if let D::If(c, x, y) = b {
        return if_(c, mul(a.clone(), *x), mul(a, *y));
    }
    if let Some(c) = cancel(&a, &b) {
        return c;
    }
    D::Mul(Box::new(a), Box::new(b))
}

pub fn div(a: D, b: D) -> D {
    if a.is_zero() {
        return D::Zero;
    }
    if b.is_one() {
        return a;
    }
    if let D::Neg(x) = a {
        return neg(div(*x, b));
    }
    if let D::If(c, x, y) = a {
        return if_(c, div(*x, b.clone()), div(*y, b));
    }
    if let Some(c) = cancel(&a, &D::Div(Box::new(D::One), Box::new(b.clone()))) {
        return c;
    }
    D::Div(Box::new(a), Box::new(b))
}

pub fn if_(c: Rc<RawCond>, a: D, b: D) -> D {
    if a.is_zero() && b.is_zero() {
        return D::Zero;
    }
    D::If(c, Box::new(a), Box::new(b))
}

fn val(e: &Expr) -> D {
    D::Val(Rc::new(strip(e).clone()))
}

fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Paren { e, .. } => strip(e),
        e => e,
    }
}

/// What to differentiate with respect to, and how names behave.
pub struct Wrt<'a> {
    /// The state variable (declaration index).
    pub var: usize,
    /// Whether the input `I(V)` depends on this variable (it is the potential and the input
    /// is evaluated at the current potential): then `dI/dvar = −g`.
    pub input_live: bool,
    /// The defining expression of each `let`.
    pub lets: &'a [Expr],
}

/// d(e)/d(var).
pub fn diff(e: &Expr, w: &Wrt) -> D {
    match e {
        Expr::Num { .. } | Expr::Quantity { .. } => D::Zero,
        Expr::Name(_, kind) => match kind {
            NameKind::State(k) if *k == w.var => D::One,
            NameKind::Let(k) => diff(&w.lets[*k], w),
            NameKind::Input if w.input_live => neg(D::G),
            _ => D::Zero,
        },
        Expr::Paren { e, .. } => diff(e, w),
        Expr::Neg { e, .. } => neg(diff(e, w)),
        Expr::Bin { op, l, r, .. } => {
            let (dl, dr) = (diff(l, w), diff(r, w));
            match op {
                BinOp::Add => add(dl, dr),
                BinOp::Sub => sub(dl, dr),
                BinOp::Mul => add(mul(dl, val(r)), mul(val(l), dr)),
                BinOp::Div => {
                    if dr.is_zero() {
                        div(dl, val(r))
                    } else {
                        // l'/r − l·r'/r²
                        sub(div(dl, val(r)), div(mul(val(l), dr), mul(val(r), val(r))))
                    }
                }
            }
        }
        Expr::Call {
            func, args, int, ..
        } => {
            let name = func.to_string();
            let du = diff(&args[0], w);
            match name.as_str() {
                "min" | "max" => {
                    let db = diff(&args[1], w);
                    if du.is_zero() && db.is_zero() {
                        return D::Zero;
                    }
                    let op = if name == "min" { CmpOp::Lt } else { CmpOp::Gt };
                    let c = RawCond::Cmp(
                        Rc::new(strip(&args[0]).clone()),
                        op,
                        Rc::new(strip(&args[1]).clone()),
                    );
                    if_(Rc::new(c), du, db)
                }
                "powf" => {
                    // d(x^p) = p·x^(p−1)·dx + x^p·ln(x)·dp
                    let dp = diff(&args[1], w);
                    let x = val(&args[0]);
                    let by_x = mul(
                        mul(
                            val(&args[1]),
                            D::Call("powf", vec![x.clone(), sub(val(&args[1]), D::One)]),
                        ),
                        du,
                    );
                    add(by_x, mul(mul(val(e), D::Call("ln", vec![x])), dp))
                }
                "clip" => {
                    // x below lo: lo; above hi: hi; else x
                    let (dlo, dhi) = (diff(&args[1], w), diff(&args[2], w));
                    if du.is_zero() && dlo.is_zero() && dhi.is_zero() {
                        return D::Zero;
                    }
                    let cmp = |k: usize, op: CmpOp| {
                        Rc::new(RawCond::Cmp(
                            Rc::new(strip(&args[0]).clone()),
                            op,
                            Rc::new(strip(&args[k]).clone()),
                        ))
                    };
                    if_(cmp(1, CmpOp::Lt), dlo, if_(cmp(2, CmpOp::Gt), dhi, du))
                }
                _ if du.is_zero() => D::Zero,
                "exp" => mul(val(e), du),
                "expm1" => mul(D::Call("exp", vec![val(&args[0])]), du),
                "exprel" => mul(D::Call("exprel_d", vec![val(&args[0])]), du),
                "ln" => div(du, val(&args[0])),
                "sqrt" => div(du, mul(D::Num(2.0), val(e))),
                "tanh" => mul(sub(D::One, mul(val(e), val(e))), du),
                "cosh" => mul(D::Call("sinh", vec![val(&args[0])]), du),
                "sigmoid" => mul(mul(val(e), sub(D::One, val(e))), du),
                "powi" => {
                    let n = int.expect("powi has an exponent").0;
                    let inner = match n {
                        0 => return D::Zero,
                        1 => D::One,
                        2 => val(&args[0]),
                        _ => D::Powi(Box::new(val(&args[0])), n - 1),
                    };
                    mul(mul(D::Num(n as f64), inner), du)
                }
                "abs" => {
                    let c = RawCond::NonNegative(Rc::new(strip(&args[0]).clone()));
                    if_(Rc::new(c), du.clone(), neg(du))
                }
                other => unreachable!("unknown function {other} passed the parser"),
            }
        }
        Expr::If {
            cond, then, els, ..
        } => if_(
            Rc::new(RawCond::User((**cond).clone())),
            diff(then, w),
            diff(els, w),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Expr;
    use syn::parse::Parser;

    /// Parses `src` and resolves names: `v` is state 0, `w` state 1, `i` the input, anything
    /// else a parameter.
    fn parse(src: &str) -> Expr {
        let mut e = Expr::parse.parse_str(src).expect("parses");
        e.visit_names_mut(&mut |id, k| {
            *k = match id.to_string().as_str() {
                "v" => NameKind::State(0),
                "w" => NameKind::State(1),
                "i" => NameKind::Input,
                "ms" | "mV" => NameKind::Unit,
                _ => NameKind::Param,
            }
        });
        e
    }

    fn d(src: &str) -> String {
        let w = Wrt {
            var: 0,
            input_live: true,
            lets: &[],
        };
        diff(&parse(src), &w).key()
    }

    #[test]
    fn derivatives_come_out_in_hand_written_form() {
        // LIF: (−1 − R·g)/τ as (−1 + −(R·g))/τ
        assert_eq!(d("(-v + v_rest + r * i) / tau"), "(((-1)+(-(r*__g)))/tau)");
        // Izhikevich: 2·p1·v + p2 − g
        assert_eq!(
            d("p1 * v * v + p2 * v + p3 - w + i"),
            "((((p1*v)+(p1*v))+p2)+(-__g))"
        );
        // a gate: −α − β
        assert_eq!(d("a * (1.0 - v) - b * v"), "((-a)-b)");
        // a decay written −1/τ·g
        assert_eq!(d("-1.0 / tau * v"), "((-1.0)/tau)");
        // the ExpIF term: the ΔT of the exponent cancels
        assert_eq!(
            d("-(v - v_rest) + delta_t * exp(min((v - v_t) / delta_t, 20.0))"),
            "((-1)+if((((v-v_t)/delta_t)<20.0);exp(min(((v-v_t)/delta_t),20.0));0))"
        );
        // other variables and constants are constants
        assert_eq!(d("(w - 3.0 mV) / tau"), "0");
    }

    #[test]
    fn quotient_and_functions() {
        assert_eq!(d("1.0 / v"), "(-(1.0/(v*v)))");
        assert_eq!(d("ln(v / mV)"), "((1/mV)/(v/mV))");
        assert_eq!(d("exprel(v / mV)"), "(exprel_d((v/mV))*(1/mV))");
        assert_eq!(d("powi(v / mV, 3)"), "((3.0*powi((v/mV),2))*(1/mV))");
        assert_eq!(
            d("powf(v / mV, 1.5)"),
            "((1.5*powf((v/mV),(1.5-1)))*(1/mV))"
        );
    }
}
