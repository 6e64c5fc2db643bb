//! What the user chose to see on the results page — module, groups, split, area level — as one
//! context that the page provides and the cards read. It lives here, not in the page, so that
//! components never import pages (pages import components, never the other way round).

use crate::i18n::{tr, Key};
use forlop_core::module::ModuleDecl;
use forlop_core::output::Level;
use forlop_core::text::Lang;
use leptos::prelude::*;

/// At most this many series in one chart.
pub const MAX_SERIES: usize = 5;

/// The user's choices; provided as context by the results page.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    /// The module shown: an index into the report's modules.
    pub module: RwSignal<usize>,
    /// Chosen base groups of that module (indices into its `bases`).
    pub bases: RwSignal<Vec<usize>>,
    /// Split each base group into the parts of the module's split.
    pub split: RwSignal<bool>,
    /// Area level of the bars.
    pub level: RwSignal<Level>,
    /// Print view: every panel open.
    pub print: RwSignal<bool>,
}

impl Selection {
    /// Everything at its start: first module, its first base group, no split.
    pub fn new() -> Self {
        Selection {
            module: RwSignal::new(0),
            bases: RwSignal::new(vec![0]),
            split: RwSignal::new(false),
            level: RwSignal::new(Level::Region),
            print: RwSignal::new(false),
        }
    }

    /// Shows another module, starting again from its first group.
    pub fn choose_module(&self, module: usize) {
        if self.module.get_untracked() != module {
            self.bases.set(vec![0]);
            self.split.set(false);
            self.module.set(module);
        }
    }
}

impl Default for Selection {
    fn default() -> Self {
        Selection::new()
    }
}

/// The groups to draw (indices into `decl.groups`): each chosen base, or its split parts when
/// split (and the module has a split); at most [`MAX_SERIES`].
pub fn series_for(decl: &ModuleDecl, bases: &[usize], split: bool) -> Vec<usize> {
    let split = split && decl.split.is_some();
    let mut out: Vec<usize> = Vec::new();
    for &b in bases {
        out.extend(
            decl.groups
                .iter()
                .enumerate()
                .filter(|(_, g)| g.base == b && g.part.is_some() == split)
                .map(|(i, _)| i),
        );
    }
    out.truncate(MAX_SERIES);
    out
}

/// The level's label.
pub fn level_label(level: Level, lang: Lang) -> &'static str {
    tr(
        match level {
            Level::Country => Key::LevelCountry,
            Level::Region => Key::LevelRegion,
            Level::HealthCommunity => Key::LevelHealthCommunity,
            Level::Municipality => Key::LevelMunicipality,
        },
        lang,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_follow_the_declaration_split_and_are_capped_at_five() {
        let smi = forlop_core::modules::find("smi").unwrap();
        assert_eq!(series_for(smi, &[0], false), vec![0]);
        // Three bases × two parts = 6 → the first five, parts in declaration order.
        let s = series_for(smi, &[0, 1, 2], true);
        assert_eq!(s.len(), 5);
        assert!(s.iter().all(|&g| smi.groups[g].part.is_some()));
        assert_eq!(smi.groups[s[0]].base, 0);
        assert_eq!(smi.groups[s[4]].base, 2);
        // A module without a split ignores the switch.
        let example = forlop_core::modules::find("example").unwrap();
        assert_eq!(series_for(example, &[0], true), vec![0]);
    }
}
