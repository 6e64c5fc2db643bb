//! One integration binary (it links once); modules by subject.

mod formats;
mod golden;
mod intervals;
mod malformed;
mod passes;
mod properties;
mod sql;
mod util;
