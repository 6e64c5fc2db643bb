//! The analysis modules. Each is a folder or file of its own that declares what it counts
//! ([`crate::module::ModuleDecl`]) and builds its units and facts
//! ([`crate::module::AnalysisModule::run`]); adding one is its own file plus one line below
//! (`docs/architecture.md`, "How to add a module").

use crate::module::{AnalysisModule, ModuleDecl};

/// Declares each module's folder or file and lists it, in the order of the registry, the
/// report and the app's navigation. One line per module.
macro_rules! register_modules {
    ($($name:ident),* $(,)?) => {
        $(pub mod $name;)*

        /// Every registered module, in registration order.
        pub fn all() -> &'static [&'static dyn AnalysisModule] {
            static ALL: &[&dyn AnalysisModule] = &[$(&$name::MODULE),*];
            ALL
        }
    };
}

register_modules! {
    smi,
    ready,
    door,
    pathways,
    flow,
    ladder,
    example,
}

/// A module's declaration by id.
pub fn find(id: &str) -> Option<&'static ModuleDecl> {
    all().iter().map(|m| m.decl()).find(|d| d.id == id)
}
