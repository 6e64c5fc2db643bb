//! One integration binary (it links once); modules by subject.
