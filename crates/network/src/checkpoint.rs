//! Checkpoints: a network's run-time state, saved and loaded into a freshly built network of
//! the same structure, which then goes on exactly as the saved one would have.
//!
//! What is saved is what changes while a network runs: the step, every population's state
//! columns, refractory times and spike lists, every synapse group's and presynaptic
//! synapse's state, short-term plasticity, the spike history the delays read from, the random
//! generators of Poisson sources and inputs, and what the monitors have recorded. What is
//! not saved is what the code that built the network makes again: parameters, connectivity,
//! weights, plans. Loading therefore takes a network built by the same code; a network of
//! another structure (another size, another model, a projection more or less, another
//! monitor) is a typed error naming the first piece that differs, and nothing is changed.
//!
//! Every component lists its state once, in `visit_state` (see
//! [`neurotype_models::snapshot`]); saving and loading walk that one list.
//!
//! The file: the 8 bytes `NTCKPT\r\n`, the format version (little-endian u32), the payload
//! ([`postcard`]: a compact serde format, floats as their bytes, so restored values are the
//! saved bits; a single-precision build writes another version, so the two never read each
//! other's files), and an FNV-1a checksum of the payload (u64), so a truncated or damaged file is
//! rejected rather than loaded.

use crate::error::NetworkError;
use neurotype_models::rng::Rng;
use neurotype_models::snapshot::StateVisitor;
use neurotype_units::Real;
use neurotype_units::{Raw, Time, Unitful};
use serde::{Deserialize, Serialize};
use std::path::Path;

const MAGIC: &[u8; 8] = b"NTCKPT\r\n";

/// The format version of a double-precision build's files.
const F64_VERSION: u32 = 1;
/// The format version of a single-precision build's files (cargo feature `f32`: the state is
/// stored as 4-byte floats).
const F32_VERSION: u32 = 0x0100_0001;

/// Version of the file format this build writes and reads (it differs between the default
/// double-precision build and the `f32` build); files of another version are rejected.
pub const FORMAT_VERSION: u32 = if cfg!(feature = "f32") {
    F32_VERSION
} else {
    F64_VERSION
};

/// One piece of saved state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Data {
    Floats(Vec<Real>),
    Flags(Vec<bool>),
    Counters(Vec<u64>),
    ListU32(Vec<u32>),
    ListU64(Vec<u64>),
    ListF64(Vec<Real>),
    Rng(Rng),
}

impl Data {
    fn kind(&self) -> &'static str {
        match self {
            Data::Floats(_) => "numbers",
            Data::Flags(_) => "flags",
            Data::Counters(_) => "counters",
            Data::ListU32(_) | Data::ListU64(_) => "list of indices",
            Data::ListF64(_) => "list of numbers",
            Data::Rng(_) => "random generator",
        }
    }

    /// What it is, for messages.
    fn describe(&self) -> String {
        match self {
            Data::Floats(x) => format!("{} numbers", x.len()),
            Data::Flags(x) => format!("{} flags", x.len()),
            Data::Counters(x) => format!("{} counters", x.len()),
            other => other.kind().to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Record {
    path: String,
    data: Data,
}

/// The run-time state of a network at one step (see the [module](self) documentation).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    dt_bits: u64,
    step: u64,
    records: Vec<Record>,
}

impl Checkpoint {
    /// The step it was taken at.
    pub fn step(&self) -> u64 {
        self.step
    }

    /// The time step of the network it was taken from.
    pub fn dt(&self) -> Time {
        Time::from_raw(neurotype_units::narrow(f64::from_bits(self.dt_bits)))
    }

    /// Number of saved pieces of state.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether nothing was saved.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let payload = postcard::to_stdvec(self).expect("a checkpoint serialises to memory");
        let mut out = Vec::with_capacity(payload.len() + 20);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&payload);
        out.extend_from_slice(&checksum(&payload).to_le_bytes());
        out
    }

    /// Reads a checkpoint from a file's bytes; `source` names it in errors.
    pub fn from_bytes(bytes: &[u8], source: &str) -> Result<Self, NetworkError> {
        let bad = |why: String| NetworkError::Checkpoint(format!("{source}: {why}"));
        if bytes.len() < 20 || &bytes[..8] != MAGIC {
            return Err(bad("not a neurotype checkpoint".into()));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if version != FORMAT_VERSION && matches!(version, F64_VERSION | F32_VERSION) {
            let precision = |v| if v == F32_VERSION { "single" } else { "double" };
            return Err(bad(format!(
                "written by a {}-precision build; this build is {}-precision (cargo feature `f32`)",
                precision(version),
                precision(FORMAT_VERSION)
            )));
        }
        if version != FORMAT_VERSION {
            return Err(bad(format!(
                "format version {version}; this neurotype reads version {FORMAT_VERSION}"
            )));
        }
        let (payload, sum) = bytes[12..].split_at(bytes.len() - 20);
        if checksum(payload).to_le_bytes() != sum {
            return Err(bad("damaged or truncated (checksum differs)".into()));
        }
        postcard::from_bytes(payload).map_err(|e| bad(format!("cannot be decoded: {e}")))
    }

    /// Writes it to `path`: to a temporary file beside it, then renamed, so that a crash while
    /// writing leaves the previous checkpoint whole.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), NetworkError> {
        let path = path.as_ref();
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".partial");
        let tmp = std::path::PathBuf::from(tmp);
        std::fs::write(&tmp, self.to_bytes()).map_err(|e| NetworkError::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| NetworkError::io(path, e))
    }

    /// Reads the checkpoint in `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, NetworkError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| NetworkError::io(path, e))?;
        Self::from_bytes(&bytes, &path.display().to_string())
    }

    /// A checkpoint being taken (records added by [`Saver`]).
    pub(crate) fn new(dt: Time, step: u64) -> Self {
        Self {
            dt_bits: neurotype_units::wide(dt.raw()).to_bits(),
            step,
            records: Vec::new(),
        }
    }

    /// Checks that `dt` and every piece of state fit the network `walk` walks, without changing
    /// anything; then `walk` is run again to copy the state in.
    pub(crate) fn restore_into(
        &self,
        dt: Time,
        mut walk: impl FnMut(&mut dyn StateVisitor),
    ) -> Result<(), NetworkError> {
        if self.dt_bits != neurotype_units::wide(dt.raw()).to_bits() {
            return Err(NetworkError::Checkpoint(format!(
                "taken with dt = {}, loaded into a network with dt = {}",
                self.dt().show(),
                dt.show()
            )));
        }
        let mut check = Walker::new(self, false);
        walk(&mut check);
        check.finish()?;
        let mut copy = Walker::new(self, true);
        walk(&mut copy);
        copy.finish()
    }
}

/// FNV-1a, 64 bits, eight bytes at a time.
fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        h ^= u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    for &b in chunks.remainder() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Where a visitor is: the names of the parts entered.
#[derive(Default)]
struct Scope(Vec<String>);

impl Scope {
    fn path(&self, name: &str) -> String {
        let mut p = self.0.join("/");
        if !p.is_empty() {
            p.push('/');
        }
        p.push_str(name);
        p
    }
}

/// Copies every piece of state into a [`Checkpoint`].
pub(crate) struct Saver<'a> {
    out: &'a mut Checkpoint,
    scope: Scope,
}

impl<'a> Saver<'a> {
    pub(crate) fn new(out: &'a mut Checkpoint) -> Self {
        Self {
            out,
            scope: Scope::default(),
        }
    }

    fn push(&mut self, name: &str, data: Data) {
        let path = self.scope.path(name);
        self.out.records.push(Record { path, data });
    }
}

impl StateVisitor for Saver<'_> {
    fn floats(&mut self, name: &str, data: &mut [Real]) {
        self.push(name, Data::Floats(data.to_vec()));
    }
    fn flags(&mut self, name: &str, data: &mut [bool]) {
        self.push(name, Data::Flags(data.to_vec()));
    }
    fn counters(&mut self, name: &str, data: &mut [u64]) {
        self.push(name, Data::Counters(data.to_vec()));
    }
    fn list_u32(&mut self, name: &str, data: &mut Vec<u32>) {
        self.push(name, Data::ListU32(data.clone()));
    }
    fn list_u64(&mut self, name: &str, data: &mut Vec<u64>) {
        self.push(name, Data::ListU64(data.clone()));
    }
    fn list_f64(&mut self, name: &str, data: &mut Vec<Real>) {
        self.push(name, Data::ListF64(data.clone()));
    }
    fn rng(&mut self, name: &str, rng: &mut Rng) {
        self.push(name, Data::Rng(rng.clone()));
    }
    fn enter(&mut self, name: &str) {
        self.scope.0.push(name.to_string());
    }
    fn leave(&mut self) {
        self.scope.0.pop();
    }
}

/// Walks a network against a checkpoint's records, in order: checks that each piece has the
/// saved path, kind and (for fixed-size state) length, and when `copy` is set, copies it in.
struct Walker<'a> {
    saved: &'a Checkpoint,
    next: usize,
    copy: bool,
    scope: Scope,
    error: Option<String>,
}

impl<'a> Walker<'a> {
    fn new(saved: &'a Checkpoint, copy: bool) -> Self {
        Self {
            saved,
            next: 0,
            copy,
            scope: Scope::default(),
            error: None,
        }
    }

    /// The saved record for `name` if the walk still agrees with the checkpoint.
    fn take(&mut self, name: &str, here: &str) -> Option<&'a Data> {
        if self.error.is_some() {
            return None;
        }
        let path = self.scope.path(name);
        let Some(record) = self.saved.records.get(self.next) else {
            self.error = Some(format!(
                "the network has `{path}` ({here}), which the checkpoint does not"
            ));
            return None;
        };
        self.next += 1;
        if record.path != path {
            self.error = Some(format!(
                "the network has `{path}` where the checkpoint has `{}`: it was taken from a \
                 network of another structure",
                record.path
            ));
            return None;
        }
        Some(&record.data)
    }

    fn mismatch(&mut self, name: &str, here: &str, saved: &Data) {
        self.error = Some(format!(
            "`{}` is {here} in the network but {} in the checkpoint",
            self.scope.path(name),
            saved.describe()
        ));
    }

    fn finish(self) -> Result<(), NetworkError> {
        if let Some(e) = self.error {
            return Err(NetworkError::Checkpoint(e));
        }
        if let Some(extra) = self.saved.records.get(self.next) {
            return Err(NetworkError::Checkpoint(format!(
                "the checkpoint has `{}`, which the network does not",
                extra.path
            )));
        }
        Ok(())
    }
}

/// Checks a fixed-length piece and copies it.
macro_rules! fixed {
    ($self:ident, $name:ident, $data:ident, $Variant:ident, $what:literal) => {{
        let here = format!("{} {}", $data.len(), $what);
        if let Some(saved) = $self.take($name, &here) {
            match saved {
                Data::$Variant(x) if x.len() == $data.len() => {
                    if $self.copy {
                        $data.copy_from_slice(x);
                    }
                }
                other => $self.mismatch($name, &here, other),
            }
        }
    }};
}

/// Checks a variable-length piece and copies it.
macro_rules! list {
    ($self:ident, $name:ident, $data:ident, $Variant:ident, $what:literal) => {{
        if let Some(saved) = $self.take($name, $what) {
            match saved {
                Data::$Variant(x) => {
                    if $self.copy {
                        $data.clear();
                        $data.extend_from_slice(x);
                    }
                }
                other => $self.mismatch($name, $what, other),
            }
        }
    }};
}

impl StateVisitor for Walker<'_> {
    fn floats(&mut self, name: &str, data: &mut [Real]) {
        fixed!(self, name, data, Floats, "numbers")
    }
    fn flags(&mut self, name: &str, data: &mut [bool]) {
        fixed!(self, name, data, Flags, "flags")
    }
    fn counters(&mut self, name: &str, data: &mut [u64]) {
        fixed!(self, name, data, Counters, "counters")
    }
    fn list_u32(&mut self, name: &str, data: &mut Vec<u32>) {
        list!(self, name, data, ListU32, "a list of indices")
    }
    fn list_u64(&mut self, name: &str, data: &mut Vec<u64>) {
        list!(self, name, data, ListU64, "a list of indices")
    }
    fn list_f64(&mut self, name: &str, data: &mut Vec<Real>) {
        list!(self, name, data, ListF64, "a list of numbers")
    }
    fn rng(&mut self, name: &str, rng: &mut Rng) {
        if let Some(saved) = self.take(name, "a random generator") {
            match saved {
                Data::Rng(r) => {
                    if self.copy {
                        *rng = r.clone();
                    }
                }
                other => self.mismatch(name, "a random generator", other),
            }
        }
    }
    fn enter(&mut self, name: &str) {
        self.scope.0.push(name.to_string());
    }
    fn leave(&mut self) {
        self.scope.0.pop();
    }
}
