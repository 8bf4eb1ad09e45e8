//! Shared corpora for the benchmarks (see `classify.rs`).
