//! The batch calls' shape: read a chunk of items into Rust (needs the GIL), decide them in
//! the core and write their results into an encoded [`Part`] (does not), build the Python
//! results from the part (needs the GIL).
//!
//! On one core, each chunk is decided with the GIL released, so other Python threads run
//! meanwhile. With more cores, deciding is handed to worker threads: this thread reads chunks
//! ahead and builds the results of decided chunks, in order, while the workers decide the next
//! ones; when it has nothing to read or build it decides a chunk itself, and it waits for a
//! worker only with the GIL released. The workers also do the result's share of serialising
//! (`encode.rs`), so this thread only creates objects. It needs mimalloc (`lib.rs`): with the
//! system allocator, freeing on one thread what another allocated ate most of the gain.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, mpsc};

use aftersales::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::PyList;
use serde::Serialize;

use crate::encode::{Builder, Part};
use crate::{GcPause, error_entry};

/// Items decided per chunk: small enough that their results are still in cache when they
/// become Python objects.
pub const CHUNK: usize = 256;

/// Chunks read ahead of the one being converted, at most: bounds the memory of a huge batch.
const AHEAD: usize = 64;

/// At most this many worker threads per batch.
const MAX_WORKERS: usize = 7;

/// Runs `read` on every chunk of `items` (holding the GIL), `decide` on each chunk read
/// (without the GIL) and `write` on each decided chunk with its number, in order.
pub fn run<'py, I: Send, O: Send>(
    py: Python<'py>,
    items: &[Bound<'py, PyAny>],
    mut read: impl FnMut(&[Bound<'py, PyAny>]) -> I,
    decide: impl Fn(I) -> O + Sync,
    mut write: impl FnMut(usize, O) -> PyResult<()>,
) -> PyResult<()> {
    let chunks: Vec<&[Bound<'py, PyAny>]> = items.chunks(CHUNK).collect();
    let workers = workers(chunks.len());
    if workers == 0 {
        for (n, chunk) in chunks.iter().enumerate() {
            let read = read(chunk);
            let decided = py.detach(|| decide(read));
            write(n, decided)?;
        }
        return Ok(());
    }
    let jobs: Jobs<(usize, I)> = Jobs::new();
    std::thread::scope(|scope| {
        // Closes the queue however this thread leaves the scope, a panic included: the scope
        // waits for the workers, which must not be left waiting for jobs.
        let _closer = jobs.closer();
        let (sender, decided) = mpsc::channel::<(usize, O)>();
        for _ in 0..workers {
            let sender = sender.clone();
            let (jobs, decide) = (&jobs, &decide);
            scope.spawn(move || {
                // A worker that panics closes the queue too, so the others stop and this
                // thread's wait for results ends.
                let _closer = jobs.closer();
                while let Some((k, chunk)) = jobs.take() {
                    if sender.send((k, decide(chunk))).is_err() {
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
            let mut done: Vec<Option<O>> = chunks.iter().map(|_| None).collect();
            let (mut read_next, mut write_next) = (0, 0);
            while write_next < chunks.len() {
                while let Some((k, d)) = received(false) {
                    done[k] = Some(d);
                }
                if let Some(d) = done[write_next].take() {
                    write(write_next, d)?;
                    write_next += 1;
                    continue;
                }
                if read_next < chunks.len() && read_next < write_next + AHEAD {
                    jobs.push((read_next, read(chunks[read_next])));
                    read_next += 1;
                    continue;
                }
                match jobs.try_take() {
                    Some((k, chunk)) => done[k] = Some(py.detach(|| decide(chunk))),
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

/// A chunk as read: what its items share (`S`, such as the `Documents` they were written
/// into) and each item, or the error that kept it from being read.
pub type Read<S, I> = (S, Vec<Result<I, Error>>);

/// Each item read on its own, sharing nothing.
pub fn each<'py, I>(
    mut read: impl FnMut(&Bound<'py, PyAny>) -> Result<I, Error>,
) -> impl FnMut(&[Bound<'py, PyAny>], ()) -> Read<(), I> {
    move |chunk, ()| ((), chunk.iter().map(&mut read).collect())
}

/// A decided chunk: the results that went well, encoded in order, each item's fate (an
/// error, or `None` for its result in the part), and the chunk's shared state, returned for
/// the next chunk to reuse.
struct Decided<S> {
    part: Part,
    errors: Vec<Option<Error>>,
    shared: S,
}

/// [`run`] with the items of each chunk read by `read`, decided by `decide`, and written as
/// Python objects (or error entries) into a new list, with the garbage collector paused.
///
/// `read` is given a used `S` to fill (cleared or not: it is the reader's) and the workers
/// reuse used parts: buffers that have grown stay grown, and are not freed on one thread
/// while another allocates fresh ones.
pub fn to_list<'py, S: Send + Default, I: Send, O: Serialize>(
    py: Python<'py>,
    items: &[Bound<'py, PyAny>],
    mut read: impl FnMut(&[Bound<'py, PyAny>], S) -> Read<S, I>,
    decide: impl Fn(&S, I) -> Result<O, Error> + Sync,
) -> PyResult<Bound<'py, PyList>> {
    let parts: Mutex<Vec<Part>> = Mutex::new(Vec::new());
    let decide_chunk = |(shared, items): Read<S, I>| -> Decided<S> {
        let mut part = parts.lock().unwrap_or_else(PoisonError::into_inner).pop().unwrap_or_default();
        let errors = items
            .into_iter()
            .map(|item| {
                let decided = item.and_then(|i| decide(&shared, i))?;
                part.push(&decided)
                    .map_err(|e| Error::new(ErrorKind::InvalidInput, None, format!("a result has no Python form: {e}")))
            })
            .map(Result::err)
            .collect();
        Decided { part, errors, shared }
    };
    // Both on this thread: chunks' shared states come back with their results.
    let used: RefCell<Vec<S>> = RefCell::new(Vec::new());
    let read_chunk = |chunk: &[Bound<'py, PyAny>]| {
        let shared = used.borrow_mut().pop().unwrap_or_default();
        read(chunk, shared)
    };
    let mut builder = Builder::default();
    let out = PyList::empty(py);
    let _pause = GcPause::new(py);
    let write = |n: usize, mut decided: Decided<S>| -> PyResult<()> {
        let mut results = builder.read(py, &decided.part);
        for (i, error) in decided.errors.iter().enumerate() {
            match error {
                None => out.append(results.next_value()?)?,
                Some(e) => out.append(error_entry(py, n * CHUNK + i, e)?)?,
            }
        }
        decided.part.clear();
        parts.lock().unwrap_or_else(PoisonError::into_inner).push(decided.part);
        used.borrow_mut().push(decided.shared);
        Ok(())
    };
    run(py, items, read_chunk, decide_chunk, write)?;
    Ok(out)
}
