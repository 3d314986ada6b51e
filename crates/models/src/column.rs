//! Typed columns: one state variable of a population, stored as contiguous numbers
//! ([`Real`]: `f64`, or `f32` in an `f32` build).

use core::marker::PhantomData;
use neurotype_units::Raw;
use neurotype_units::Real;

/// Bytes of a cache line: where a column's first element starts.
pub const LINE: usize = 64;

/// Numbers whose first element starts a cache line. Threads own parts of a population cut on
/// multiples of 64 elements, so with aligned columns no cache line is written by two threads
/// in one step (on unaligned ones, the line at every part boundary of every column moved
/// between the cores each step).
struct Lines {
    /// `len` numbers from `start` on; the rest is padding.
    buf: Vec<Real>,
    start: usize,
    len: usize,
}

impl Lines {
    fn new(data: Vec<Real>) -> Self {
        if data.as_ptr().addr().is_multiple_of(LINE) {
            let len = data.len();
            return Self {
                buf: data,
                start: 0,
                len,
            };
        }
        let pad = LINE / size_of::<Real>();
        let mut buf = vec![0.0; data.len() + pad];
        let start = buf.as_ptr().align_offset(LINE).min(pad);
        buf[start..start + data.len()].copy_from_slice(&data);
        Self {
            buf,
            start,
            len: data.len(),
        }
    }

    #[inline(always)]
    fn get(&self) -> &[Real] {
        &self.buf[self.start..][..self.len]
    }

    #[inline(always)]
    fn get_mut(&mut self) -> &mut [Real] {
        &mut self.buf[self.start..][..self.len]
    }
}

impl Clone for Lines {
    fn clone(&self) -> Self {
        Self::new(self.get().to_vec())
    }
}

/// One state variable (or input) of `n` elements, stored as plain numbers in neurotype's base
/// units (from the start of a cache line) and read and written as the quantity type `Q`.
/// Struct-of-arrays storage that hot loops vectorise, with the unit still in the type.
#[derive(Clone)]
pub struct Column<Q> {
    data: Lines,
    _unit: PhantomData<fn() -> Q>,
}

impl<Q> PartialEq for Column<Q> {
    fn eq(&self, other: &Self) -> bool {
        self.data.get() == other.data.get()
    }
}

impl<Q: Raw> Column<Q> {
    /// `n` copies of `value`.
    pub fn filled(n: usize, value: Q) -> Self {
        Self::from_raw(vec![value.raw(); n])
    }

    /// `n` zeros.
    pub fn zeros(n: usize) -> Self {
        Self::from_raw(vec![0.0; n])
    }

    /// From quantities.
    pub fn from_values(values: impl IntoIterator<Item = Q>) -> Self {
        Self::from_raw(values.into_iter().map(Raw::raw).collect())
    }

    /// From stored numbers (base units).
    pub fn from_raw(data: Vec<Real>) -> Self {
        Self {
            data: Lines::new(data),
            _unit: PhantomData,
        }
    }

    /// Element `i`.
    #[inline(always)]
    pub fn get(&self, i: usize) -> Q {
        Q::from_raw(self.data.get()[i])
    }

    /// Sets element `i`.
    #[inline(always)]
    pub fn set(&mut self, i: usize, value: Q) {
        self.data.get_mut()[i] = value.raw();
    }

    /// Adds to element `i`.
    #[inline(always)]
    pub fn add(&mut self, i: usize, value: Q) {
        self.data.get_mut()[i] += value.raw();
    }

    /// Sets every element to `value`.
    pub fn fill(&mut self, value: Q) {
        self.data.get_mut().fill(value.raw());
    }

    /// Number of elements.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.data.len
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.data.len == 0
    }

    /// The elements as quantities.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Q> + '_ {
        self.data.get().iter().map(|&x| Q::from_raw(x))
    }

    /// The stored numbers (base units: ms, mV, µA, mS, ...).
    #[inline(always)]
    pub fn raw(&self) -> &[Real] {
        self.data.get()
    }

    /// The stored numbers, mutable.
    #[inline(always)]
    pub fn raw_mut(&mut self) -> &mut [Real] {
        self.data.get_mut()
    }

    /// The elements as quantities, collected.
    pub fn to_vec(&self) -> Vec<Q> {
        self.iter().collect()
    }
}

impl<Q: Raw + neurotype_units::Unitful> core::fmt::Debug for Column<Q> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list()
            .entries(self.iter().map(|q| q.show().to_string()))
            .finish()
    }
}

/// The state columns of a model, as its population loop reads and writes them: one value of
/// `S` (the state of one element: a quantity, or a tuple of them) per element. Declared with
/// [`state_columns!`](crate::state_columns).
pub trait StateColumns<S>: Send + Clone + core::fmt::Debug {
    /// The columns of a range of elements, sliced for a loop.
    type View<'a>: StateView<S> + Send
    where
        Self: 'a;

    /// Every variable zero for `n` elements.
    fn zeros(n: usize) -> Self;

    /// The columns of `n` elements from `start` on; element `k` of the view is element
    /// `start + k`.
    fn view(&mut self, start: usize, n: usize) -> Self::View<'_>;

    /// Views of every variable, by BrainPy's name (for monitors).
    fn vars(&self) -> Vec<crate::StateVar<'_>>;

    /// Mutable views of every variable, by BrainPy's name (to set a state by hand or from a
    /// file).
    fn vars_mut(&mut self) -> Vec<crate::StateVarMut<'_>>;

    /// Typed handles to the variables of `owner`: a struct with one
    /// [`StateKey`](crate::StateKey) field per variable, named as the column.
    type Keys<O: Copy>: Copy;

    /// The handles to the variables of `owner`.
    fn keys<O: Copy>(owner: O) -> Self::Keys<O>;
}

/// A range of a model's state columns, element by element.
pub trait StateView<S> {
    /// The state of element `k`.
    fn load(&self, k: usize) -> S;
    /// Stores the state of element `k`.
    fn store(&mut self, k: usize, x: S);
    /// The view cut in two at element `mid`: elements `..mid` and `mid..` (for two workers).
    fn split_at(self, mid: usize) -> (Self, Self)
    where
        Self: Sized;
}

/// Declares a model's state columns: a struct with one typed [`Column`] per variable (named
/// with BrainPy's name for monitors), its [`StateColumns`] implementation over the tuple of the
/// variables' quantities, and views for monitors.
///
/// ```
/// use neurotype_models::state_columns;
/// use neurotype_units::prelude::*;
///
/// state_columns! {
///     /// The state of an adaptive neuron.
///     pub struct AdaptiveState / AdaptiveView / AdaptiveKeys {
///         /// Membrane potential.
///         v: ElectricPotential => "V",
///         /// Adaptation current.
///         w: ElectricCurrent => "w",
///     }
/// }
/// use neurotype_models::column::StateColumns;
/// let s = AdaptiveState::zeros(3);
/// assert_eq!(s.vars()[1].name, "w");
/// ```
#[macro_export]
macro_rules! state_columns {
    (
        $(#[$meta:meta])*
        $vis:vis struct $Name:ident / $View:ident / $Keys:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty => $bp:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        $vis struct $Name {
            $( $(#[$fmeta])* pub $field: $crate::Column<$ty>, )+
        }

        #[doc = concat!("Typed handles to the variables of [`", stringify!($Name), "`], of `O` (in a network, a population handle).")]
        #[derive(Clone, Copy, Debug)]
        $vis struct $Keys<O> {
            $( $(#[$fmeta])* pub $field: $crate::StateKey<O, $ty>, )+
        }

        #[doc = concat!("A range of [`", stringify!($Name), "`], sliced for a population loop.")]
        $vis struct $View<'a> {
            $( $field: &'a mut [$crate::__private::Real], )+
        }

        #[allow(unused_parens)]
        impl $crate::column::StateColumns<( $($ty),+ )> for $Name {
            type View<'a> = $View<'a>;

            fn zeros(n: usize) -> Self {
                Self { $( $field: $crate::Column::zeros(n), )+ }
            }

            #[inline(always)]
            fn view(&mut self, start: usize, n: usize) -> $View<'_> {
                $View { $( $field: &mut self.$field.raw_mut()[start..][..n], )+ }
            }

            fn vars(&self) -> ::std::vec::Vec<$crate::StateVar<'_>> {
                ::std::vec![ $( $crate::StateVar::of($bp, &self.$field), )+ ]
            }

            fn vars_mut(&mut self) -> ::std::vec::Vec<$crate::StateVarMut<'_>> {
                ::std::vec![ $( $crate::StateVarMut::of($bp, &mut self.$field), )+ ]
            }

            type Keys<O: Copy> = $Keys<O>;

            fn keys<O: Copy>(owner: O) -> $Keys<O> {
                $Keys { $( $field: $crate::StateKey::new(owner, $bp), )+ }
            }
        }

        #[allow(unused_parens)]
        impl $crate::column::StateView<( $($ty),+ )> for $View<'_> {
            #[inline(always)]
            fn load(&self, k: usize) -> ( $($ty),+ ) {
                ( $( <$ty as $crate::__private::Raw>::from_raw(self.$field[k]) ),+ )
            }

            #[inline(always)]
            fn store(&mut self, k: usize, x: ( $($ty),+ )) {
                let ( $($field),+ ) = x;
                $( self.$field[k] = $crate::__private::Raw::raw($field); )+
            }

            fn split_at(self, mid: usize) -> (Self, Self) {
                $( let $field = self.$field.split_at_mut(mid); )+
                ($View { $( $field: $field.0, )+ }, $View { $( $field: $field.1, )+ })
            }
        }
    };
}
