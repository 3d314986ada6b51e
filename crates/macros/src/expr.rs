//! Expressions of the DSL: parsing, name resolution, the typed code that rustc checks, the
//! raw code of derivatives, and the text shown in generated documentation.
//!
//! The grammar is Rust's arithmetic with Rust's precedences, plus a number followed by a unit
//! (`-65.0 mV`, read as `-(65.0 * mV)`):
//!
//! ```text
//! expr    := if-expr | sum
//! if-expr := "if" cond "{" expr "}" "else" ("{" expr "}" | if-expr)
//! cond    := cmp (("&&" | "||") cmp)*
//! cmp     := sum ("<" | "<=" | ">" | ">=" | "==" | "!=") sum
//! sum     := product (("+" | "-") product)*
//! product := unary (("*" | "/") unary)*
//! unary   := "-" unary | atom
//! atom    := number unit? | name | name "(" args ")" | "(" expr ")" | if-expr
//! ```

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::parse::ParseStream;
use syn::{LitFloat, LitInt, Token};

/// An arithmetic operator.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    pub fn symbol(self) -> char {
        match self {
            BinOp::Add => '+',
            BinOp::Sub => '-',
            BinOp::Mul => '*',
            BinOp::Div => '/',
        }
    }
}

/// A comparison.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl CmpOp {
    pub fn text(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
        }
    }

    fn tokens(self, span: Span) -> TokenStream {
        let chars: Vec<char> = self.text().chars().collect();
        let mut out = TokenStream::new();
        for (k, c) in chars.iter().enumerate() {
            let spacing = if k + 1 < chars.len() {
                Spacing::Joint
            } else {
                Spacing::Alone
            };
            let mut p = Punct::new(*c, spacing);
            p.set_span(span);
            out.extend(Some(proc_macro2::TokenTree::Punct(p)));
        }
        out
    }
}

/// What a name refers to, once resolved.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NameKind {
    /// Not resolved yet.
    Unresolved,
    /// A parameter.
    Param,
    /// State variable number `k` (declaration order).
    State(usize),
    /// `let` number `k`.
    Let(usize),
    /// The neuron's input.
    Input,
    /// The increment a synapse receives (`w` in `on_pre`).
    Increment,
    /// The time of the step (or stage), `t`.
    Time,
    /// The time step, `dt`.
    Dt,
    /// A unit constant of `neurotype_units::constants`.
    Unit,
}

/// A callback on each resolved name.
pub type Visit<'a> = dyn FnMut(&Ident, NameKind) + 'a;
/// A callback on each name, to resolve it.
pub type VisitMut<'a> = dyn FnMut(&mut Ident, &mut NameKind) + 'a;

/// The mathematical functions the DSL knows.
pub const FUNCTIONS: &[(&str, usize)] = &[
    ("exp", 1),
    ("expm1", 1),
    ("exprel", 1),
    ("ln", 1),
    ("sqrt", 1),
    ("tanh", 1),
    ("cosh", 1),
    ("sigmoid", 1),
    ("powi", 2),
    ("powf", 2),
    ("min", 2),
    ("max", 2),
    ("abs", 1),
    ("clip", 3),
];

/// An expression.
#[derive(Clone, Debug)]
pub enum Expr {
    /// A plain (dimensionless) number.
    Num {
        value: f64,
        text: String,
        span: Span,
    },
    /// A number with a unit: `65.0 mV`.
    Quantity {
        value: f64,
        text: String,
        span: Span,
        unit: Ident,
    },
    /// A name (parameter, state variable, let, input, t, dt or unit constant).
    Name(Ident, NameKind),
    /// `-e`.
    Neg { span: Span, e: Box<Expr> },
    /// `l op r`.
    Bin {
        op: BinOp,
        span: Span,
        l: Box<Expr>,
        r: Box<Expr>,
    },
    /// `(e)`.
    Paren { span: Span, e: Box<Expr> },
    /// `f(args)`; `powi`'s exponent is the integer `int`.
    Call {
        func: Ident,
        paren: Span,
        args: Vec<Expr>,
        int: Option<(i32, Span)>,
    },
    /// `if c { a } else { b }`.
    If {
        span: Span,
        cond: Box<Cond>,
        then: Box<Expr>,
        then_brace: Span,
        else_span: Span,
        els: Box<Expr>,
        /// `None` for `else if`.
        else_brace: Option<Span>,
    },
}

/// A condition: comparisons joined by `&&` and `||` (left to right).
#[derive(Clone, Debug)]
pub enum Cond {
    Cmp {
        l: Expr,
        op: CmpOp,
        span: Span,
        r: Expr,
    },
    And(Box<Cond>, Span, Box<Cond>),
    Or(Box<Cond>, Span, Box<Cond>),
}

// ------------------------------------------------------------------------------------------
// Parsing

fn number(input: ParseStream) -> syn::Result<(f64, String, Span)> {
    if input.peek(LitFloat) {
        let lit: LitFloat = input.parse()?;
        if !matches!(lit.suffix(), "" | "f64") {
            return Err(syn::Error::new(lit.span(), "a number here is an f64"));
        }
        let v = lit.base10_parse::<f64>()?;
        Ok((v, lit.base10_digits().to_string(), lit.span()))
    } else {
        let lit: LitInt = input.parse()?;
        if !matches!(lit.suffix(), "" | "f64") {
            return Err(syn::Error::new(lit.span(), "a number here is an f64"));
        }
        let v = lit
            .base10_digits()
            .parse::<f64>()
            .map_err(|_| syn::Error::new(lit.span(), "this number does not fit an f64"))?;
        Ok((v, lit.base10_digits().to_string(), lit.span()))
    }
}

impl Expr {
    /// Parses an expression (stops at the first token that cannot continue it).
    pub fn parse(input: ParseStream) -> syn::Result<Expr> {
        if input.peek(Token![if]) {
            return Self::parse_if(input);
        }
        Self::parse_sum(input)
    }

    fn parse_if(input: ParseStream) -> syn::Result<Expr> {
        let if_tok: Token![if] = input.parse()?;
        let cond = Cond::parse(input)?;
        let content;
        let then_brace = syn::braced!(content in input);
        let then = Expr::parse(&content)?;
        expect_end(&content)?;
        let else_tok: Token![else] = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "an `if` of the DSL needs an `else` (it is a value)",
            )
        })?;
        let (els, else_brace) = if input.peek(Token![if]) {
            (Self::parse_if(input)?, None)
        } else {
            let content;
            let b = syn::braced!(content in input);
            let e = Expr::parse(&content)?;
            expect_end(&content)?;
            (e, Some(b.span.join()))
        };
        Ok(Expr::If {
            span: if_tok.span,
            cond: Box::new(cond),
            then: Box::new(then),
            then_brace: then_brace.span.join(),
            else_span: else_tok.span,
            els: Box::new(els),
            else_brace,
        })
    }

    fn parse_sum(input: ParseStream) -> syn::Result<Expr> {
        let mut l = Self::parse_product(input)?;
        loop {
            let op = if input.peek(Token![+]) && !input.peek(Token![+=]) {
                let t: Token![+] = input.parse()?;
                (BinOp::Add, t.span)
            } else if input.peek(Token![-]) && !input.peek(Token![-=]) && !input.peek(Token![->]) {
                let t: Token![-] = input.parse()?;
                (BinOp::Sub, t.span)
            } else {
                break;
            };
            let r = Self::parse_product(input)?;
            l = Expr::Bin {
                op: op.0,
                span: op.1,
                l: Box::new(l),
                r: Box::new(r),
            };
        }
        Ok(l)
    }

    fn parse_product(input: ParseStream) -> syn::Result<Expr> {
        let mut l = Self::parse_unary(input)?;
        loop {
            let op = if input.peek(Token![*]) && !input.peek(Token![*=]) {
                let t: Token![*] = input.parse()?;
                (BinOp::Mul, t.span)
            } else if input.peek(Token![/]) && !input.peek(Token![/=]) {
                let t: Token![/] = input.parse()?;
                (BinOp::Div, t.span)
            } else {
                break;
            };
            let r = Self::parse_unary(input)?;
            l = Expr::Bin {
                op: op.0,
                span: op.1,
                l: Box::new(l),
                r: Box::new(r),
            };
        }
        Ok(l)
    }

    fn parse_unary(input: ParseStream) -> syn::Result<Expr> {
        if input.peek(Token![-]) {
            let t: Token![-] = input.parse()?;
            let e = Self::parse_unary(input)?;
            return Ok(Expr::Neg {
                span: t.span,
                e: Box::new(e),
            });
        }
        Self::parse_atom(input)
    }

    fn parse_atom(input: ParseStream) -> syn::Result<Expr> {
        if input.peek(LitFloat) || input.peek(LitInt) {
            let (value, text, span) = number(input)?;
            if input.peek(syn::Ident) {
                let unit: Ident = input.parse()?;
                return Ok(Expr::Quantity {
                    value,
                    text,
                    span,
                    unit,
                });
            }
            return Ok(Expr::Num { value, text, span });
        }
        if input.peek(Token![if]) {
            return Self::parse_if(input);
        }
        if input.peek(syn::token::Paren) {
            let content;
            let p = syn::parenthesized!(content in input);
            let e = Expr::parse(&content)?;
            expect_end(&content)?;
            return Ok(Expr::Paren {
                span: p.span.join(),
                e: Box::new(e),
            });
        }
        if input.peek(syn::Ident) {
            let name: Ident = input.parse()?;
            if input.peek(syn::token::Paren) {
                let content;
                let p = syn::parenthesized!(content in input);
                let fname = name.to_string();
                let Some(&(_, arity)) = FUNCTIONS.iter().find(|(f, _)| *f == fname) else {
                    let known: Vec<&str> = FUNCTIONS.iter().map(|(f, _)| *f).collect();
                    return Err(syn::Error::new(
                        name.span(),
                        format!(
                            "unknown function `{fname}`; the DSL knows {}",
                            known.join(", ")
                        ),
                    ));
                };
                let mut args = Vec::new();
                let mut int = None;
                if fname == "powi" {
                    args.push(Expr::parse(&content)?);
                    let _: Token![,] = content.parse()?;
                    let neg = if content.peek(Token![-]) {
                        let _: Token![-] = content.parse()?;
                        true
                    } else {
                        false
                    };
                    let n: LitInt = content.parse().map_err(|e| {
                        syn::Error::new(e.span(), "the exponent of `powi` is an integer literal")
                    })?;
                    let v: i32 = n.base10_parse()?;
                    int = Some((if neg { -v } else { v }, n.span()));
                    let _ = content.parse::<Option<Token![,]>>()?;
                } else {
                    while !content.is_empty() {
                        args.push(Expr::parse(&content)?);
                        if content.is_empty() {
                            break;
                        }
                        let _: Token![,] = content.parse()?;
                    }
                    if args.len() != arity {
                        return Err(syn::Error::new(
                            name.span(),
                            format!(
                                "`{fname}` takes {arity} argument{}, not {}",
                                if arity == 1 { "" } else { "s" },
                                args.len()
                            ),
                        ));
                    }
                }
                expect_end(&content)?;
                return Ok(Expr::Call {
                    func: name,
                    paren: p.span.join(),
                    args,
                    int,
                });
            }
            return Ok(Expr::Name(name, NameKind::Unresolved));
        }
        Err(input.error("expected a number, a name, a function call or `(`"))
    }

    /// Calls `f` on every name, mutably (resolution).
    pub fn visit_names_mut(&mut self, f: &mut VisitMut) {
        match self {
            Expr::Num { .. } | Expr::Quantity { .. } => {}
            Expr::Name(id, k) => f(id, k),
            Expr::Neg { e, .. } | Expr::Paren { e, .. } => e.visit_names_mut(f),
            Expr::Bin { l, r, .. } => {
                l.visit_names_mut(f);
                r.visit_names_mut(f);
            }
            Expr::Call { args, .. } => args.iter_mut().for_each(|a| a.visit_names_mut(f)),
            Expr::If {
                cond, then, els, ..
            } => {
                cond.visit_names_mut(f);
                then.visit_names_mut(f);
                els.visit_names_mut(f);
            }
        }
    }

    /// Calls `f` on every resolved name.
    pub fn visit_names(&self, f: &mut Visit) {
        match self {
            Expr::Num { .. } | Expr::Quantity { .. } => {}
            Expr::Name(id, k) => f(id, *k),
            Expr::Neg { e, .. } | Expr::Paren { e, .. } => e.visit_names(f),
            Expr::Bin { l, r, .. } => {
                l.visit_names(f);
                r.visit_names(f);
            }
            Expr::Call { args, .. } => args.iter().for_each(|a| a.visit_names(f)),
            Expr::If {
                cond, then, els, ..
            } => {
                cond.visit_names(f);
                then.visit_names(f);
                els.visit_names(f);
            }
        }
    }

    /// The spans of the expression's first and last tokens, so that a message can underline
    /// the whole sub-expression.
    pub fn bounds(&self) -> (Span, Span) {
        match self {
            Expr::Num { span, .. } => (*span, *span),
            Expr::Quantity { span, unit, .. } => (*span, unit.span()),
            Expr::Name(id, _) => (id.span(), id.span()),
            Expr::Neg { span, e } => (*span, e.bounds().1),
            Expr::Bin { l, r, .. } => (l.bounds().0, r.bounds().1),
            Expr::Paren { span, .. } => (*span, *span),
            Expr::Call { func, paren, .. } => (func.span(), *paren),
            Expr::If {
                span,
                els,
                else_brace,
                ..
            } => (*span, else_brace.unwrap_or_else(|| els.bounds().1)),
        }
    }

    // --------------------------------------------------------------------------------------
    // Typed code: the user's tokens, with their spans, as a uom expression.

    /// The expression as typed Rust, every token carrying the span of the user's token it
    /// comes from, so that rustc's unit errors point into the user's equation.
    pub fn typed(&self) -> TokenStream {
        match self {
            Expr::Num { value, span, .. } => {
                let lit = float_lit(*value, *span);
                quote_spanned!(*span=> ::neurotype::units::math::ratio(#lit))
            }
            Expr::Quantity {
                value, span, unit, ..
            } => {
                let lit = float_lit(*value, *span);
                let inner = quote_spanned!(*span=> #lit * ::neurotype::units::constants::#unit);
                group(Delimiter::Parenthesis, inner, *span)
            }
            Expr::Name(id, NameKind::Unit) => {
                quote_spanned!(id.span()=> ::neurotype::units::constants::#id)
            }
            Expr::Name(id, _) => id.to_token_stream(),
            Expr::Neg { span, e } => {
                let minus = punct('-', *span);
                let e = e.typed();
                quote!(#minus #e)
            }
            Expr::Bin { op, span, l, r } => {
                let op = punct(op.symbol(), *span);
                let (l, r) = (l.typed(), r.typed());
                quote!(#l #op #r)
            }
            Expr::Paren { span, e } => group(Delimiter::Parenthesis, e.typed(), *span),
            Expr::Call {
                func,
                paren,
                args,
                int,
            } => {
                let name = func.to_string();
                let path = if matches!(name.as_str(), "min" | "max" | "abs" | "clip") {
                    quote_spanned!(func.span()=> ::neurotype::dsl::__rt::#func)
                } else {
                    quote_spanned!(func.span()=> ::neurotype::units::math::#func)
                };
                let mut inner = TokenStream::new();
                for (k, a) in args.iter().enumerate() {
                    if k > 0 {
                        inner.extend(quote_spanned!(*paren=> ,));
                    }
                    inner.extend(a.typed());
                }
                if let Some((n, span)) = int {
                    let lit = Literal::i32_unsuffixed(*n);
                    inner.extend(quote_spanned!(*span=> , #lit));
                }
                let args = group(Delimiter::Parenthesis, inner, *paren);
                quote!(#path #args)
            }
            Expr::If {
                span,
                cond,
                then,
                then_brace,
                else_span,
                els,
                else_brace,
            } => {
                let if_kw = Ident::new("if", *span);
                let else_kw = Ident::new("else", *else_span);
                let cond = cond.typed();
                let then = group(Delimiter::Brace, then.typed(), *then_brace);
                let els = match else_brace {
                    Some(b) => group(Delimiter::Brace, els.typed(), *b),
                    None => els.typed(),
                };
                quote!(#if_kw #cond #then #else_kw #els)
            }
        }
    }

    // --------------------------------------------------------------------------------------
    // Raw code: the same arithmetic on stored f64 numbers (for derivatives).

    /// The expression on stored numbers: the same floating-point operations as the typed
    /// code (uom's arithmetic is the arithmetic of the stored values), fully parenthesised.
    pub fn raw(&self) -> TokenStream {
        match self {
            Expr::Num { value, .. } => {
                let lit = Literal::f64_unsuffixed(*value);
                quote!((#lit as ::neurotype::units::Real))
            }
            Expr::Quantity { value, unit, .. } => {
                let lit = Literal::f64_unsuffixed(*value);
                let unit = Ident::new(&unit.to_string(), Span::call_site());
                quote!((#lit * ::neurotype::units::Raw::raw(::neurotype::units::constants::#unit)))
            }
            Expr::Name(id, NameKind::Unit) => {
                let id = Ident::new(&id.to_string(), Span::call_site());
                quote!(::neurotype::units::Raw::raw(::neurotype::units::constants::#id))
            }
            Expr::Name(id, _) => {
                let id = Ident::new(&id.to_string(), Span::call_site());
                quote!(::neurotype::units::Raw::raw(#id))
            }
            Expr::Neg { e, .. } => {
                let e = e.raw();
                quote!((-#e))
            }
            Expr::Bin { op, l, r, .. } => {
                let op = punct(op.symbol(), Span::call_site());
                let (l, r) = (l.raw(), r.raw());
                quote!((#l #op #r))
            }
            Expr::Paren { e, .. } => e.raw(),
            Expr::Call {
                func, args, int, ..
            } => {
                let f = Ident::new(&func.to_string(), Span::call_site());
                let args: Vec<TokenStream> = args.iter().map(Expr::raw).collect();
                match int {
                    Some((n, _)) => {
                        let lit = Literal::i32_suffixed(*n);
                        quote!(::neurotype::dsl::__rt::raw::#f(#(#args),*, #lit))
                    }
                    None => quote!(::neurotype::dsl::__rt::raw::#f(#(#args),*)),
                }
            }
            Expr::If {
                cond, then, els, ..
            } => {
                let (c, a, b) = (cond.raw(), then.raw(), els.raw());
                quote!((if #c { #a } else { #b }))
            }
        }
    }

    // --------------------------------------------------------------------------------------
    // Text: for documentation and structural comparison.

    /// The expression as the user wrote it (normalised spacing).
    pub fn text(&self) -> String {
        match self {
            Expr::Num { text, .. } => text.clone(),
            Expr::Quantity { text, unit, .. } => format!("{text} {unit}"),
            Expr::Name(id, _) => id.to_string(),
            Expr::Neg { e, .. } => format!("-{}", e.text()),
            Expr::Bin { op, l, r, .. } => format!("{} {} {}", l.text(), op.symbol(), r.text()),
            Expr::Paren { e, .. } => format!("({})", e.text()),
            Expr::Call {
                func, args, int, ..
            } => {
                let mut parts: Vec<String> = args.iter().map(Expr::text).collect();
                if let Some((n, _)) = int {
                    parts.push(n.to_string());
                }
                format!("{func}({})", parts.join(", "))
            }
            Expr::If {
                cond, then, els, ..
            } => format!(
                "if {} {{ {} }} else {{ {} }}",
                cond.text(),
                then.text(),
                els.text()
            ),
        }
    }

    /// A key equal for structurally equal expressions (parentheses ignored).
    pub fn key(&self) -> String {
        match self {
            Expr::Num { value, .. } => format!("{value:?}"),
            Expr::Quantity { value, unit, .. } => format!("({value:?}*{unit})"),
            Expr::Name(id, _) => id.to_string(),
            Expr::Neg { e, .. } => format!("(-{})", e.key()),
            Expr::Bin { op, l, r, .. } => format!("({}{}{})", l.key(), op.symbol(), r.key()),
            Expr::Paren { e, .. } => e.key(),
            Expr::Call {
                func, args, int, ..
            } => {
                let mut parts: Vec<String> = args.iter().map(Expr::key).collect();
                if let Some((n, _)) = int {
                    parts.push(n.to_string());
                }
                format!("{func}({})", parts.join(","))
            }
            Expr::If {
                cond, then, els, ..
            } => format!("if({};{};{})", cond.key(), then.key(), els.key()),
        }
    }
}

impl Cond {
    /// Parses comparisons joined by `&&`/`||`.
    pub fn parse(input: ParseStream) -> syn::Result<Cond> {
        let mut c = Self::parse_cmp(input)?;
        loop {
            if input.peek(Token![&&]) {
                let t: Token![&&] = input.parse()?;
                let r = Self::parse_cmp(input)?;
                c = Cond::And(Box::new(c), t.spans[0], Box::new(r));
            } else if input.peek(Token![||]) {
                let t: Token![||] = input.parse()?;
                let r = Self::parse_cmp(input)?;
                c = Cond::Or(Box::new(c), t.spans[0], Box::new(r));
            } else {
                return Ok(c);
            }
        }
    }

    fn parse_cmp(input: ParseStream) -> syn::Result<Cond> {
        let l = Expr::parse_sum(input)?;
        let (op, span) = if input.peek(Token![<=]) {
            let t: Token![<=] = input.parse()?;
            (CmpOp::Le, t.spans[0])
        } else if input.peek(Token![>=]) {
            let t: Token![>=] = input.parse()?;
            (CmpOp::Ge, t.spans[0])
        } else if input.peek(Token![==]) {
            let t: Token![==] = input.parse()?;
            (CmpOp::Eq, t.spans[0])
        } else if input.peek(Token![!=]) {
            let t: Token![!=] = input.parse()?;
            (CmpOp::Ne, t.spans[0])
        } else if input.peek(Token![<]) {
            let t: Token![<] = input.parse()?;
            (CmpOp::Lt, t.span)
        } else if input.peek(Token![>]) {
            let t: Token![>] = input.parse()?;
            (CmpOp::Gt, t.span)
        } else {
            return Err(input.error("expected a comparison (<, <=, >, >=, ==, !=)"));
        };
        let r = Expr::parse_sum(input)?;
        Ok(Cond::Cmp { l, op, span, r })
    }

    pub fn visit_names_mut(&mut self, f: &mut VisitMut) {
        match self {
            Cond::Cmp { l, r, .. } => {
                l.visit_names_mut(f);
                r.visit_names_mut(f);
            }
            Cond::And(a, _, b) | Cond::Or(a, _, b) => {
                a.visit_names_mut(f);
                b.visit_names_mut(f);
            }
        }
    }

    pub fn visit_names(&self, f: &mut Visit) {
        match self {
            Cond::Cmp { l, r, .. } => {
                l.visit_names(f);
                r.visit_names(f);
            }
            Cond::And(a, _, b) | Cond::Or(a, _, b) => {
                a.visit_names(f);
                b.visit_names(f);
            }
        }
    }

    /// Typed code: `l op r` on quantities (comparing two kinds does not compile).
    pub fn typed(&self) -> TokenStream {
        match self {
            Cond::Cmp { l, op, span, r } => {
                let (l, r) = (l.typed(), r.typed());
                let op = op.tokens(*span);
                quote!(#l #op #r)
            }
            Cond::And(a, span, b) => {
                let (a, b) = (a.typed(), b.typed());
                let op = CmpLike::and(*span);
                quote!(#a #op #b)
            }
            Cond::Or(a, span, b) => {
                let (a, b) = (a.typed(), b.typed());
                let op = CmpLike::or(*span);
                quote!(#a #op #b)
            }
        }
    }

    /// The same test on stored numbers.
    pub fn raw(&self) -> TokenStream {
        match self {
            Cond::Cmp { l, op, r, .. } => {
                let (l, r) = (l.raw(), r.raw());
                let op = op.tokens(Span::call_site());
                quote!((#l #op #r))
            }
            Cond::And(a, _, b) => {
                let (a, b) = (a.raw(), b.raw());
                quote!((#a && #b))
            }
            Cond::Or(a, _, b) => {
                let (a, b) = (a.raw(), b.raw());
                quote!((#a || #b))
            }
        }
    }

    pub fn text(&self) -> String {
        match self {
            Cond::Cmp { l, op, r, .. } => format!("{} {} {}", l.text(), op.text(), r.text()),
            Cond::And(a, _, b) => format!("{} && {}", a.text(), b.text()),
            Cond::Or(a, _, b) => format!("{} || {}", a.text(), b.text()),
        }
    }

    pub fn key(&self) -> String {
        match self {
            Cond::Cmp { l, op, r, .. } => format!("({}{}{})", l.key(), op.text(), r.key()),
            Cond::And(a, _, b) => format!("({}&&{})", a.key(), b.key()),
            Cond::Or(a, _, b) => format!("({}||{})", a.key(), b.key()),
        }
    }
}

struct CmpLike;

impl CmpLike {
    fn two(c: char, span: Span) -> TokenStream {
        let mut a = Punct::new(c, Spacing::Joint);
        a.set_span(span);
        let mut b = Punct::new(c, Spacing::Alone);
        b.set_span(span);
        let mut out = TokenStream::new();
        out.extend([
            proc_macro2::TokenTree::Punct(a),
            proc_macro2::TokenTree::Punct(b),
        ]);
        out
    }
    fn and(span: Span) -> TokenStream {
        Self::two('&', span)
    }
    fn or(span: Span) -> TokenStream {
        Self::two('|', span)
    }
}

/// Fails unless `input` is exhausted.
pub fn expect_end(input: ParseStream) -> syn::Result<()> {
    if input.is_empty() {
        Ok(())
    } else {
        Err(input.error("unexpected tokens: an operator or `;` was expected before them"))
    }
}

/// An `f64` literal carrying `span`.
pub fn float_lit(value: f64, span: Span) -> Literal {
    let mut lit = Literal::f64_unsuffixed(value);
    lit.set_span(span);
    lit
}

fn punct(c: char, span: Span) -> Punct {
    let mut p = Punct::new(c, Spacing::Alone);
    p.set_span(span);
    p
}

/// A delimited group carrying `span`.
pub fn group(delimiter: Delimiter, inner: TokenStream, span: Span) -> TokenStream {
    let mut g = Group::new(delimiter, inner);
    g.set_span(span);
    g.into_token_stream()
}
