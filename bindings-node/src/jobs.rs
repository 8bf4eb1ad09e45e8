//! A queue of jobs for the worker threads of a batch. (The Python binding has the same small
//! type: each binding crate stands alone.)

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Jobs for worker threads: pushed by one thread, taken by any; once closed, taking returns
/// `None` at once and pushing drops the job.
pub struct Jobs<T> {
    queue: Mutex<Option<VecDeque<T>>>,
    wake: Condvar,
}

impl<T> Jobs<T> {
    pub fn new() -> Jobs<T> {
        Jobs { queue: Mutex::new(Some(VecDeque::new())), wake: Condvar::new() }
    }

    fn lock(&self) -> MutexGuard<'_, Option<VecDeque<T>>> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn push(&self, job: T) {
        if let Some(q) = self.lock().as_mut() {
            q.push_back(job);
        }
        self.wake.notify_one();
    }

    /// A job if one is waiting.
    pub fn try_take(&self) -> Option<T> {
        self.lock().as_mut().and_then(VecDeque::pop_front)
    }

    /// The next job, waiting for one; `None` once closed.
    pub fn take(&self) -> Option<T> {
        let mut q = self.lock();
        loop {
            match q.as_mut()?.pop_front() {
                Some(job) => return Some(job),
                None => q = self.wake.wait(q).unwrap_or_else(PoisonError::into_inner),
            }
        }
    }

    /// How many jobs wait.
    pub fn len(&self) -> usize {
        self.lock().as_ref().map_or(0, VecDeque::len)
    }

    /// A guard that closes the queue when dropped (also when its thread panics).
    pub fn closer(&self) -> Closer<'_, T> {
        Closer(self)
    }
}

pub struct Closer<'a, T>(&'a Jobs<T>);

impl<T> Drop for Closer<'_, T> {
    fn drop(&mut self) {
        *self.0.lock() = None;
        self.0.wake.notify_all();
    }
}
