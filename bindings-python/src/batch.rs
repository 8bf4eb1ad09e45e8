//! The batch calls' shape: read each item into Rust (needs the GIL), decide it in the core (does
//! not), build its Python result (needs the GIL).
//!
//! Items go chunk by chunk, with the GIL released while a chunk is decided, so other Python
//! threads run meanwhile. (A two-stage pipeline, with a worker deciding chunk k while this
//! thread converts its neighbours, was measured twice on two cores: slower for refunds, whose
//! deciding is cheap, and no faster for triage and classification, 25,000 vs 24,300 tickets/s:
//! the values crossing threads cost in allocator traffic and wake-ups what the overlap saved.)

use aftersales::Error;
use pyo3::prelude::*;
use pyo3::types::PyList;
use serde::Serialize;

use crate::convert::{Keys, to_py};
use crate::{GcPause, error_entry};

/// Items decided per release of the GIL: small enough that their results are still in cache
/// when they become Python objects.
pub const CHUNK: usize = 64;

/// Runs `read` on every item (holding the GIL), `decide` on each item read (without the GIL)
/// and `write` on each result with its index, in order. A read error is passed to `write` as
/// that item's result.
pub fn run<'py, I: Send, O: Send>(
    py: Python<'py>,
    items: &[Bound<'py, PyAny>],
    mut read: impl FnMut(&Bound<'py, PyAny>) -> Result<I, Error>,
    decide: impl Fn(I) -> Result<O, Error> + Sync,
    mut write: impl FnMut(usize, Result<O, Error>) -> PyResult<()>,
) -> PyResult<()> {
    let decide_chunk = |chunk: Vec<Result<I, Error>>| -> Vec<Result<O, Error>> {
        chunk.into_iter().map(|r| r.and_then(&decide)).collect()
    };
    for (n, chunk) in items.chunks(CHUNK).enumerate() {
        let read: Vec<Result<I, Error>> = chunk.iter().map(&mut read).collect();
        let decided = py.detach(|| decide_chunk(read));
        for (i, r) in decided.into_iter().enumerate() {
            write(n * CHUNK + i, r)?;
        }
    }
    Ok(())
}

/// [`run`] with each result written as a Python object (or an error entry) into a new list,
/// with the garbage collector paused and the result strings shared across the batch.
pub fn to_list<'py, I: Send, O: Send + Serialize>(
    py: Python<'py>,
    items: &[Bound<'py, PyAny>],
    read: impl FnMut(&Bound<'py, PyAny>) -> Result<I, Error>,
    decide: impl Fn(I) -> Result<O, Error> + Sync,
) -> PyResult<Bound<'py, PyList>> {
    let mut keys = Keys::for_batch();
    let out = PyList::empty(py);
    let _pause = GcPause::new(py);
    let write = |i, r: Result<O, Error>| match r {
        Ok(o) => out.append(to_py(py, &mut keys, &o)?),
        Err(e) => out.append(error_entry(py, i, &e)?),
    };
    run(py, items, read, decide, write)?;
    Ok(out)
}
