//! Monitors streamed to disk in chunks while the run goes on
//! ([`Network::stream_monitor`](crate::Network::stream_monitor)): memory stays flat however
//! long the run, and a crash loses at most the chunk being filled. [`read_spikes`] and
//! [`read_states`] load what was written, dropping a last chunk that was cut off.
//!
//! A file is a header and then chunks. Each is written as its length (u64), its payload
//! ([`postcard`]) and an FNV-1a checksum, so a partly written chunk is recognised. A chunk
//! covers the steps `from..to` and holds every row recorded in them. A chunk whose `from` is
//! before the end of the chunks before it was written by a run resumed from a checkpoint: its
//! rows replace theirs from `from` on, so a file appended to by a killed run and then by its
//! resumed run reads as one uninterrupted run.

use crate::error::NetworkError;
use crate::monitor::SpikeRecord;
use neurotype_units::{Raw, Time};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"NTSTRM\r\n";
const VERSION: u32 = 1;

/// What a stream file holds, written once at its start.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Header {
    /// A spike monitor of `n` neurons.
    Spikes {
        /// Number of neurons.
        n: usize,
        /// The time step (stored number).
        dt: f64,
    },
    /// A state monitor.
    States {
        /// The variable.
        var: String,
        /// The unit of the values.
        unit: String,
        /// The recorded neurons.
        indices: Vec<usize>,
        /// The time step (stored number).
        dt: f64,
    },
}

/// The rows a monitor hands over when a chunk is written (and forgets).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rows {
    /// Step of each row.
    pub steps: Vec<u64>,
    /// A spike monitor: the neuron of each row.
    pub neurons: Vec<u32>,
    /// A state monitor: the values of each row (in the canonical unit), row-major.
    pub values: Vec<f64>,
}

#[derive(Serialize, Deserialize)]
struct Chunk {
    from: u64,
    to: u64,
    rows: Rows,
}

fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn frame(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 16);
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&checksum(payload).to_le_bytes());
    out
}

/// The frame at the start of `bytes`: its payload and the rest, or `None` if it is cut off or
/// damaged.
fn unframe(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = usize::try_from(u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?)).ok()?;
    let payload = bytes.get(8..8usize.checked_add(len)?)?;
    let sum = bytes.get(8 + len..16 + len)?;
    (checksum(payload).to_le_bytes() == sum).then_some((payload, &bytes[16 + len..]))
}

/// A monitor's open stream file.
pub(crate) struct Stream {
    pub(crate) monitor: usize,
    path: PathBuf,
    file: std::fs::File,
    /// Steps per chunk.
    pub(crate) every: u64,
    /// The end of the steps written so far.
    pub(crate) written_to: u64,
}

impl Stream {
    /// The file it writes.
    pub(crate) fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Opens `path` for monitor `monitor`: a new file gets `header`; an existing one (a run
    /// resumed from a checkpoint) must have the same header and is appended to.
    pub(crate) fn open(
        monitor: usize,
        path: &Path,
        header: &Header,
        every: u64,
    ) -> Result<Self, NetworkError> {
        let io = |e| NetworkError::io(path, e);
        let head = {
            let mut h = MAGIC.to_vec();
            h.extend_from_slice(&VERSION.to_le_bytes());
            h.extend(frame(
                &postcard::to_stdvec(header).expect("a header serialises"),
            ));
            h
        };
        let existing = match std::fs::read(path) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(e)),
        };
        let file = match existing {
            Some(bytes) if !bytes.is_empty() => {
                if !bytes.starts_with(&head) {
                    return Err(NetworkError::Stream(format!(
                        "{}: exists and is not a stream of this monitor (remove it, or stream \
                         to another file)",
                        path.display()
                    )));
                }
                // drop a chunk cut off by a crash, so the next one starts cleanly
                let whole = head.len() + whole_chunks(&bytes[head.len()..]);
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(io)?;
                file.set_len(whole as u64).map_err(io)?;
                let mut file = file;
                std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0)).map_err(io)?;
                file
            }
            _ => {
                let mut file = std::fs::File::create(path).map_err(io)?;
                file.write_all(&head).map_err(io)?;
                file
            }
        };
        Ok(Self {
            monitor,
            path: path.to_path_buf(),
            file,
            every,
            written_to: 0,
        })
    }

    /// Writes the rows of steps `written_to..to` as one chunk (in one write, then synced to
    /// the disk's cache).
    pub(crate) fn write(&mut self, to: u64, rows: Rows) -> Result<(), NetworkError> {
        let chunk = Chunk {
            from: self.written_to,
            to,
            rows,
        };
        let bytes = frame(&postcard::to_stdvec(&chunk).expect("a chunk serialises"));
        self.file
            .write_all(&bytes)
            .and_then(|()| self.file.flush())
            .map_err(|e| NetworkError::io(&self.path, e))?;
        self.written_to = to;
        Ok(())
    }
}

/// Length of the whole chunks at the start of `bytes`.
fn whole_chunks(mut bytes: &[u8]) -> usize {
    let mut len = 0;
    while let Some((payload, rest)) = unframe(bytes) {
        len += 16 + payload.len();
        bytes = rest;
    }
    len
}

/// Reads a stream file: its header and the rows of its whole chunks, later chunks replacing
/// the rows of earlier ones from their first step on.
fn read(path: &Path) -> Result<(Header, Rows, usize, u64), NetworkError> {
    let bytes = std::fs::read(path).map_err(|e| NetworkError::io(path, e))?;
    let bad = |why: &str| NetworkError::Stream(format!("{}: {why}", path.display()));
    if bytes.len() < 12 || &bytes[..8] != MAGIC {
        return Err(bad("not a neurotype monitor stream"));
    }
    if bytes[8..12] != VERSION.to_le_bytes() {
        return Err(bad("a stream of another format version"));
    }
    let (head, mut rest) = unframe(&bytes[12..]).ok_or_else(|| bad("damaged header"))?;
    let header: Header = postcard::from_bytes(head).map_err(|_| bad("damaged header"))?;
    let width = match &header {
        Header::Spikes { .. } => 0,
        Header::States { indices, .. } => indices.len(),
    };
    let mut rows = Rows::default();
    let mut chunks = 0;
    let mut end = 0;
    while let Some((payload, next)) = unframe(rest) {
        let Ok(chunk) = postcard::from_bytes::<Chunk>(payload) else {
            break;
        };
        if chunk.from < end {
            // a resumed run: its rows replace those from its first step on
            let keep = rows.steps.partition_point(|&s| s < chunk.from);
            rows.steps.truncate(keep);
            rows.neurons.truncate(keep.min(rows.neurons.len()));
            rows.values.truncate(keep * width);
        }
        rows.steps.extend(&chunk.rows.steps);
        rows.neurons.extend(&chunk.rows.neurons);
        rows.values.extend(&chunk.rows.values);
        end = chunk.to;
        chunks += 1;
        rest = next;
    }
    Ok((header, rows, chunks, end))
}

/// The spikes a streamed spike monitor wrote to `path` (every whole chunk).
pub fn read_spikes(path: impl AsRef<Path>) -> Result<SpikeRecord, NetworkError> {
    let path = path.as_ref();
    match read(path)? {
        (Header::Spikes { n, dt }, rows, ..) => {
            Ok(SpikeRecord::from_stream(n, dt, rows.steps, rows.neurons))
        }
        _ => Err(NetworkError::Stream(format!(
            "{}: a state stream, not a spike stream",
            path.display()
        ))),
    }
}

/// What a streamed state monitor wrote: the variable, its unit, the recorded neurons, the step
/// of each row and the values (in `unit`, row-major: `values[row * indices.len() + k]`).
#[derive(Clone, Debug, PartialEq)]
pub struct StreamedStates {
    /// The variable's BrainPy name.
    pub var: String,
    /// The unit of the values.
    pub unit: String,
    /// The recorded neurons.
    pub indices: Vec<usize>,
    /// The time step.
    pub dt: Time,
    /// Step of each row.
    pub steps: Vec<u64>,
    /// The values, row-major.
    pub values: Vec<f64>,
}

/// The rows a streamed state monitor wrote to `path` (every whole chunk).
pub fn read_states(path: impl AsRef<Path>) -> Result<StreamedStates, NetworkError> {
    let path = path.as_ref();
    match read(path)? {
        (
            Header::States {
                var,
                unit,
                indices,
                dt,
            },
            rows,
            ..,
        ) => Ok(StreamedStates {
            var,
            unit,
            indices,
            dt: Time::from_raw(neurotype_units::narrow(dt)),
            steps: rows.steps,
            values: rows.values,
        }),
        _ => Err(NetworkError::Stream(format!(
            "{}: a spike stream, not a state stream",
            path.display()
        ))),
    }
}

/// How much of a run the stream file `path` holds: its number of whole chunks, and the step
/// they end at (the rows of steps before it are all there).
pub fn extent(path: impl AsRef<Path>) -> Result<(usize, u64), NetworkError> {
    read(path.as_ref()).map(|(_, _, n, end)| (n, end))
}
