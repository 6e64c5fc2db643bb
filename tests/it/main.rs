//! One integration binary (it links once); modules by subject.

mod formats;
mod golden;
mod properties;
mod util;
