//! End-to-end tests of `analyse` on tiny hand-made tables.
