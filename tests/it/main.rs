//! One integration binary (it links once); modules by subject.

mod formats;
mod golden;
mod intervals;
mod malformed;
mod properties;
mod sql;
mod util;
