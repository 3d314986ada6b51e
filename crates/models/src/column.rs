//! Typed columns: one state variable of a population, stored as contiguous `f64`.

use core::marker::PhantomData;
use neurotype_units::Raw;

/// One state variable (or input) of `n` elements, stored as plain `f64` in neurotype's base
/// units and read and written as the quantity type `Q`. Struct-of-arrays storage that hot loops
/// vectorise, with the unit still in the type.
#[derive(Clone, PartialEq)]
pub struct Column<Q> {
    data: Vec<f64>,
    _unit: PhantomData<fn() -> Q>,
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
    pub fn from_raw(data: Vec<f64>) -> Self {
        Self {
            data,
            _unit: PhantomData,
        }
    }

    /// Element `i`.
    #[inline(always)]
    pub fn get(&self, i: usize) -> Q {
        Q::from_raw(self.data[i])
    }

    /// Sets element `i`.
    #[inline(always)]
    pub fn set(&mut self, i: usize, value: Q) {
        self.data[i] = value.raw();
    }

    /// Adds to element `i`.
    #[inline(always)]
    pub fn add(&mut self, i: usize, value: Q) {
        self.data[i] += value.raw();
    }

    /// Sets every element to `value`.
    pub fn fill(&mut self, value: Q) {
        self.data.fill(value.raw());
    }

    /// Number of elements.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The elements as quantities.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Q> + '_ {
        self.data.iter().map(|&x| Q::from_raw(x))
    }

    /// The stored numbers (base units: ms, mV, µA, mS, ...).
    #[inline(always)]
    pub fn raw(&self) -> &[f64] {
        &self.data
    }

    /// The stored numbers, mutable.
    #[inline(always)]
    pub fn raw_mut(&mut self) -> &mut [f64] {
        &mut self.data
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
