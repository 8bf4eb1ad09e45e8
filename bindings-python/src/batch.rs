//! The batch calls' shape: read each item into Rust (needs the GIL), decide it in the core (does
//! not), build its Python result (needs the GIL).
//!
//! Items go chunk by chunk. On one core, each chunk is decided with the GIL released, so other
//! Python threads run meanwhile. With more cores, deciding is handed to worker threads: this
//! thread reads chunks ahead and turns decided chunks into Python objects, in order, while the
//! workers decide the next ones; when it has nothing to read or convert it decides a chunk
//! itself, and it waits for a worker only with the GIL released. For triage and classification,
//! whose deciding and converting cost about the same, that nearly halves the time of a batch;
//! it needs mimalloc (`lib.rs`), as with the system allocator, freeing on one thread what
//! another allocated ate most of the gain. Refunds, whose deciding is cheap, stay on this
//! thread ([`Deciding::Cheap`]).

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, mpsc};

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
    let jobs: Jobs<(usize, Chunk<I>)> = Jobs::new();
    std::thread::scope(|scope| {
        // Closes the queue however this thread leaves the scope, a panic included: the scope
        // waits for the workers, which must not be left waiting for jobs.
        let _closer = jobs.closer();
        let (sender, decided) = mpsc::channel::<(usize, Chunk<O>)>();
        for _ in 0..workers {
            let sender = sender.clone();
            let (jobs, decide_chunk) = (&jobs, &decide_chunk);
            scope.spawn(move || {
                // A worker that panics closes the queue too, so the others stop and this
                // thread's wait for results ends.
                let _closer = jobs.closer();
                while let Some((k, chunk)) = jobs.take() {
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
        (|| {
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
                    jobs.push((read_next, chunks[read_next].iter().map(&mut read).collect()));
                    read_next += 1;
                    continue;
                }
                match jobs.try_take() {
                    Some((k, chunk)) => done[k] = Some(py.detach(|| decide_chunk(chunk))),
                    None => match py.detach(|| received(true)) {
                        Some((k, d)) => done[k] = Some(d),
                        // Every worker is gone: one panicked, and the scope re-raises it.
                        None => break,
                    },
                }
            }
            Ok(())
        })()
    })
}

/// Jobs for worker threads: pushed by one thread, taken by any; once closed, taking returns
/// `None` at once and pushing drops the job.
struct Jobs<T> {
    queue: Mutex<Option<VecDeque<T>>>,
    wake: Condvar,
}

impl<T> Jobs<T> {
    fn new() -> Jobs<T> {
        Jobs { queue: Mutex::new(Some(VecDeque::new())), wake: Condvar::new() }
    }

    fn lock(&self) -> MutexGuard<'_, Option<VecDeque<T>>> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn push(&self, job: T) {
        if let Some(q) = self.lock().as_mut() {
            q.push_back(job);
        }
        self.wake.notify_one();
    }

    /// A job if one is waiting.
    fn try_take(&self) -> Option<T> {
        self.lock().as_mut().and_then(VecDeque::pop_front)
    }

    /// The next job, waiting for one; `None` once closed.
    fn take(&self) -> Option<T> {
        let mut q = self.lock();
        loop {
            match q.as_mut()?.pop_front() {
                Some(job) => return Some(job),
                None => q = self.wake.wait(q).unwrap_or_else(PoisonError::into_inner),
            }
        }
    }

    /// A guard that closes the queue when dropped (also when its thread panics).
    fn closer(&self) -> Closer<'_, T> {
        Closer(self)
    }
}

struct Closer<'a, T>(&'a Jobs<T>);

impl<T> Drop for Closer<'_, T> {
    fn drop(&mut self) {
        *self.0.lock() = None;
        self.0.wake.notify_all();
    }
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
