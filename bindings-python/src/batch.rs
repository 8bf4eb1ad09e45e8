//! The batch calls' shape: read each item into Rust (needs the GIL), decide it in the core (does
//! not), build its Python result (needs the GIL).
//!
//! Items go chunk by chunk. On one core, each chunk is decided with the GIL released, so other
//! Python threads run meanwhile. With more cores, deciding is handed to worker threads: this
//! thread reads chunks ahead and turns decided chunks into Python objects, in order, while the
//! workers decide the next ones; when it has nothing to read or convert it decides a chunk
//! itself, and it waits for a worker only with the GIL released. For triage, whose deciding
//! and converting cost about the same, that nearly halves the time of a batch. (An earlier
//! pipeline that handed each chunk across and waited for it lost on refunds, whose deciding
//! is cheap: here no one waits while there is work to do.)

use std::collections::VecDeque;
use std::sync::mpsc;
use std::sync::{Mutex, PoisonError};

use aftersales::Error;
use pyo3::prelude::*;
use pyo3::types::PyList;
use serde::Serialize;

use crate::convert::{Keys, to_py};
use crate::{GcPause, error_entry};

/// Items decided per chunk: small enough that their results are still in cache when they
/// become Python objects.
pub const CHUNK: usize = 64;

/// Chunks read ahead of the one being converted, at most: bounds the memory of a huge batch.
const AHEAD: usize = 64;

/// At most this many worker threads per batch.
const MAX_WORKERS: usize = 7;

type Chunk<T> = Vec<Result<T, Error>>;

/// Chunks read and not yet taken, with their positions; `None` once nothing more will come.
type Queue<T> = Mutex<Option<VecDeque<(usize, Chunk<T>)>>>;

/// Whether a batch hands deciding to worker threads.
#[derive(Clone, Copy)]
pub enum Deciding {
    /// About as costly as reading and converting (classification, triage): worker threads
    /// decide while this thread converts.
    Costly,
    /// Much cheaper than reading and converting (a refund: about 1 µs of 8): on this thread, as
    /// handing results across cores would cost more than deciding them (measured).
    Cheap,
}

/// Runs `read` on every item (holding the GIL), `decide` on each item read (without the GIL)
/// and `write` on each result with its index, in order. A read error is passed to `write` as
/// that item's result.
pub fn run<'py, I: Send, O: Send>(
    py: Python<'py>,
    deciding: Deciding,
    items: &[Bound<'py, PyAny>],
    mut read: impl FnMut(&Bound<'py, PyAny>) -> Result<I, Error>,
    decide: impl Fn(I) -> Result<O, Error> + Sync,
    mut write: impl FnMut(usize, Result<O, Error>) -> PyResult<()>,
) -> PyResult<()> {
    let decide_chunk = |chunk: Chunk<I>| -> Chunk<O> { chunk.into_iter().map(|r| r.and_then(&decide)).collect() };
    let chunks: Vec<&[Bound<'py, PyAny>]> = items.chunks(CHUNK).collect();
    let workers = match deciding {
        Deciding::Costly => workers(chunks.len()),
        Deciding::Cheap => 0,
    };
    if workers == 0 {
        for (n, chunk) in chunks.iter().enumerate() {
            let read: Chunk<I> = chunk.iter().map(&mut read).collect();
            let decided = py.detach(|| decide_chunk(read));
            for (i, r) in decided.into_iter().enumerate() {
                write(n * CHUNK + i, r)?;
            }
        }
        return Ok(());
    }
    let queue: Queue<I> = Mutex::new(Some(VecDeque::new()));
    let wake = std::sync::Condvar::new();
    let take = || -> Option<(usize, Chunk<I>)> {
        let mut q = queue.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            match q.as_mut() {
                None => return None,
                Some(jobs) => match jobs.pop_front() {
                    Some(job) => return Some(job),
                    None => q = wake.wait(q).unwrap_or_else(PoisonError::into_inner),
                },
            }
        }
    };
    let close = || {
        *queue.lock().unwrap_or_else(PoisonError::into_inner) = None;
        wake.notify_all();
    };
    std::thread::scope(|scope| {
        let (sender, decided) = mpsc::channel::<(usize, Chunk<O>)>();
        for _ in 0..workers {
            let sender = sender.clone();
            let (take, decide_chunk) = (&take, &decide_chunk);
            scope.spawn(move || {
                while let Some((k, chunk)) = take() {
                    if sender.send((k, decide_chunk(chunk))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        // In a mutex only so that waiting on it can happen with the GIL released (which needs
        // `Sync`); this thread alone receives.
        let decided = Mutex::new(decided);
        let received = |block: bool| {
            let r = decided.lock().unwrap_or_else(PoisonError::into_inner);
            if block { r.recv().ok() } else { r.try_recv().ok() }
        };
        let result = (|| {
            let mut done: Vec<Option<Chunk<O>>> = chunks.iter().map(|_| None).collect();
            let (mut read_next, mut write_next) = (0, 0);
            while write_next < chunks.len() {
                while let Some((k, d)) = received(false) {
                    done[k] = Some(d);
                }
                if let Some(d) = done[write_next].take() {
                    for (i, r) in d.into_iter().enumerate() {
                        write(write_next * CHUNK + i, r)?;
                    }
                    write_next += 1;
                    continue;
                }
                if read_next < chunks.len() && read_next < write_next + AHEAD {
                    let read: Chunk<I> = chunks[read_next].iter().map(&mut read).collect();
                    if let Some(jobs) = queue.lock().unwrap_or_else(PoisonError::into_inner).as_mut() {
                        jobs.push_back((read_next, read));
                    }
                    wake.notify_one();
                    read_next += 1;
                    continue;
                }
                let job = queue.lock().unwrap_or_else(PoisonError::into_inner).as_mut().and_then(VecDeque::pop_front);
                match job {
                    Some((k, chunk)) => done[k] = Some(py.detach(|| decide_chunk(chunk))),
                    None => match py.detach(|| received(true)) {
                        Some((k, d)) => done[k] = Some(d),
                        // Every worker is gone: one panicked, and the scope re-raises it.
                        None => break,
                    },
                }
            }
            Ok(())
        })();
        close();
        result
    })
}

/// Worker threads for a batch of `chunks` chunks: one per core besides this thread, none for a
/// batch too small to share or on one core.
fn workers(chunks: usize) -> usize {
    if chunks < 2 {
        // Without asking the system, which reads files on Linux (cgroup quotas).
        return 0;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (cores - 1).min(MAX_WORKERS).min(chunks - 1)
}

/// [`run`] with each result written as a Python object (or an error entry) into a new list,
/// with the garbage collector paused and the result strings shared across the batch.
pub fn to_list<'py, I: Send, O: Send + Serialize>(
    py: Python<'py>,
    deciding: Deciding,
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
    run(py, deciding, items, read, decide, write)?;
    Ok(out)
}
