//! One integration binary (it links once); modules by subject.

mod formats;
mod golden;
mod malformed;
mod properties;
mod sql;
mod util;
