//! The check behind `method exact;`: every right-hand side is linear in the integrated
//! variables, and their coefficients stay constant through a run (parameters, literals,
//! unit constants, `dt`). Terms free of the integrated variables may vary (the input, `t`,
//! variables without an equation): the exact step holds them at their start-of-step values,
//! as Brian2's `exact` holds external variables.
//!
//! A nonlinear term is refused over exactly that term, in words: "`v * v` in d(v)/dt
//! multiplies `v` by `v`".

use super::Model;
use super::dimensions::error;
use crate::expr::{BinOp, Cond, Expr, NameKind};

/// What a sub-expression is, from the most to the least constrained.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Order {
    /// Constant through the run.
    Const,
    /// Varies, but does not depend on the integrated variables.
    Varying,
    /// Linear in the integrated variables (or constant in them only by accident).
    Linear,
}

/// A sub-expression's [`Order`], the integrated variables it depends on and, when it varies,
/// what makes it vary.
#[derive(Clone, Debug)]
struct Lin {
    order: Order,
    vars: Vec<String>,
    varying: Option<String>,
}

impl Lin {
    fn constant() -> Self {
        Lin {
            order: Order::Const,
            vars: Vec::new(),
            varying: None,
        }
    }

    fn join(mut self, other: Lin) -> Lin {
        self.order = self.order.max(other.order);
        for v in other.vars {
            if !self.vars.contains(&v) {
                self.vars.push(v);
            }
        }
        self.varying = self.varying.or(other.varying);
        self
    }

    fn names(&self) -> String {
        let quoted: Vec<String> = self.vars.iter().map(|v| format!("`{v}`")).collect();
        match quoted.len() {
            0 => String::new(),
            1 => quoted[0].clone(),
            _ => format!(
                "{} and {}",
                quoted[..quoted.len() - 1].join(", "),
                quoted[quoted.len() - 1]
            ),
        }
    }
}

struct Check<'m> {
    m: &'m Model,
    integrated: Vec<usize>,
    /// Each let's analysis, once computed (`None` inside: it was refused).
    lets: Vec<Option<Option<Lin>>>,
    /// The equation being checked, for the messages.
    eq: String,
    errors: Vec<syn::Error>,
}

const ADVICE: &str = "`method exact;` needs equations linear in their variables with constant \
                      coefficients; without it the model is integrated numerically";

impl Check<'_> {
    fn refuse(&mut self, e: &Expr, what: String) -> Option<Lin> {
        let message = format!("`{}` in {} {what}; {ADVICE}", e.text(), self.eq);
        self.errors.push(error(e.bounds(), message));
        None
    }

    fn name(&mut self, id: &proc_macro2::Ident, kind: NameKind) -> Option<Lin> {
        let varying = |what: String| {
            Some(Lin {
                order: Order::Varying,
                vars: Vec::new(),
                varying: Some(what),
            })
        };
        match kind {
            NameKind::State(k) if self.integrated.contains(&k) => Some(Lin {
                order: Order::Linear,
                vars: vec![id.to_string()],
                varying: None,
            }),
            NameKind::State(_) => varying(format!("`{id}` is a variable without an equation")),
            NameKind::Input => varying(format!("`{id}` is the input")),
            NameKind::Time => varying("`t` is the time".into()),
            NameKind::Let(k) => self.of_let(k),
            _ => Some(Lin::constant()),
        }
    }

    fn of_let(&mut self, k: usize) -> Option<Lin> {
        if let Some(done) = &self.lets[k] {
            return done.clone();
        }
        let m = self.m;
        let eq = std::mem::replace(&mut self.eq, format!("`let {}`", m.lets[k].name));
        let out = self.expr(&m.lets[k].expr);
        self.eq = eq;
        self.lets[k] = Some(out.clone());
        out
    }

    fn cond(&mut self, c: &Cond) -> Option<Lin> {
        match c {
            Cond::Cmp { l, r, .. } => Some(self.expr(l)?.join(self.expr(r)?)),
            Cond::And(a, _, b) | Cond::Or(a, _, b) => Some(self.cond(a)?.join(self.cond(b)?)),
        }
    }

    fn expr(&mut self, e: &Expr) -> Option<Lin> {
        match e {
            Expr::Num { .. } | Expr::Quantity { .. } => Some(Lin::constant()),
            Expr::Name(id, kind) => self.name(id, *kind),
            Expr::Paren { e, .. } | Expr::Neg { e, .. } => self.expr(e),
            Expr::Bin { op, l, r, .. } => {
                let (a, b) = (self.expr(l)?, self.expr(r)?);
                match op {
                    BinOp::Add | BinOp::Sub => Some(a.join(b)),
                    BinOp::Mul => {
                        if a.order == Order::Linear && b.order == Order::Linear {
                            return self.refuse(
                                e,
                                format!(
                                    "multiplies `{}` by `{}`, both depending on the integrated \
                                     variables ({})",
                                    l.text(),
                                    r.text(),
                                    a.clone().join(b).names()
                                ),
                            );
                        }
                        self.coefficient(e, &a, &b, r)?;
                        self.coefficient(e, &b, &a, l)?;
                        Some(a.join(b))
                    }
                    BinOp::Div => {
                        if b.order == Order::Linear {
                            return self.refuse(
                                e,
                                format!(
                                    "divides by `{}`, which depends on {}",
                                    r.text(),
                                    b.names()
                                ),
                            );
                        }
                        self.coefficient(e, &a, &b, r)?;
                        Some(a.join(b))
                    }
                }
            }
            Expr::Call { func, args, .. } => {
                let mut all = Lin::constant();
                for arg in args {
                    all = all.join(self.expr(arg)?);
                }
                if all.order == Order::Linear {
                    let arg = args.iter().map(Expr::text).collect::<Vec<_>>().join(", ");
                    return self.refuse(
                        e,
                        format!(
                            "applies `{func}` to `{arg}`, which depends on {}: not a linear term",
                            all.names()
                        ),
                    );
                }
                Some(all)
            }
            Expr::If {
                cond, then, els, ..
            } => {
                let c = self.cond(cond)?;
                let branches = self.expr(then)?.join(self.expr(els)?);
                if c.order == Order::Linear {
                    return self.refuse(
                        e,
                        format!(
                            "switches on `{}`, a condition on {}",
                            cond.text(),
                            c.names()
                        ),
                    );
                }
                if c.order == Order::Varying && branches.order == Order::Linear {
                    let why = c.varying.clone().unwrap_or_default();
                    return self.refuse(
                        e,
                        format!(
                            "switches between two forms in {} on `{}`, which changes during \
                             the run ({why})",
                            branches.names(),
                            cond.text()
                        ),
                    );
                }
                Some(c.join(branches))
            }
        }
    }

    /// Refuses `e` when `linear` is linear and its factor `coef` (the sub-expression `c`)
    /// varies.
    fn coefficient(&mut self, e: &Expr, linear: &Lin, coef: &Lin, c: &Expr) -> Option<()> {
        if linear.order == Order::Linear && coef.order == Order::Varying {
            let why = coef.varying.clone().unwrap_or_default();
            self.refuse(
                e,
                format!(
                    "gives {} the coefficient `{}`, which changes during the run ({why})",
                    linear.names(),
                    c.text()
                ),
            )?;
        }
        Some(())
    }
}

impl Model {
    /// For `method exact;`: every equation linear in the integrated variables with constant
    /// coefficients (see the module documentation).
    pub(super) fn check_linear(&self) -> syn::Result<()> {
        let Some(exact) = &self.exact else {
            return Ok(());
        };
        if self.sequential {
            return Err(syn::Error::new(
                exact.span(),
                "`method exact;` integrates the equations together; it cannot be combined \
                 with `order sequential;`",
            ));
        }
        if self.eqs.is_empty() {
            return Err(syn::Error::new(
                exact.span(),
                "`method exact;` needs at least one equation `d(x)/dt = ...`",
            ));
        }
        let mut check = Check {
            m: self,
            integrated: self.integrated(),
            lets: vec![None; self.lets.len()],
            eq: String::new(),
            errors: Vec::new(),
        };
        for eq in &self.eqs {
            check.eq = format!("d({})/dt", eq.var);
            let _ = check.expr(&eq.rhs);
        }
        let mut errors = check.errors.into_iter();
        match errors.next() {
            None => Ok(()),
            Some(mut first) => {
                for e in errors {
                    first.combine(e);
                }
                Err(first)
            }
        }
    }
}
