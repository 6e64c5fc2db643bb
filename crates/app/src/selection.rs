//! What the user chose to see on the results page — module, groups, split, area level — as one
//! context that the page provides and the cards read. It lives here, not in the page, so that
//! components never import pages (pages import components, never the other way round).
//!
//! "My area" is kept in the page's URL only, as `?area=<level>:<area>` (level and area spelled
//! as in the long table, the area URL-encoded: `?area=municipality:0301`,
//! `?area=health_community:Helsefellesskapet%20Vest`): never in storage, so it is shared with the
//! link and forgotten with the tab. [`my_area`] reads it, [`set_my_area`] writes it;
//! `AppState::my_area` is the signal the page reads.

use crate::i18n::{tr, Key};
use crate::query::{param_name, percent_encode, query_param};
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

/// The query parameter of "my area".
pub const AREA_PARAM: &str = "area";

/// "My area" in a query string (`?area=municipality:0301`); `None` without it or when the
/// level is not one of the long table's (the country is not an area of one's own).
pub fn area_from_query(query: &str) -> Option<(Level, String)> {
    let value = query_param(query, AREA_PARAM)?;
    let (level, area) = value.split_once(':')?;
    let level = Level::parse(level).filter(|l| *l != Level::Country)?;
    let area = area.trim();
    (!area.is_empty()).then(|| (level, area.to_string()))
}

/// The query string with "my area" set (or removed with `None`), other parameters kept in order.
pub fn query_with_area(query: &str, area: Option<(Level, &str)>) -> String {
    let mut pairs: Vec<String> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && param_name(p) != AREA_PARAM)
        .map(str::to_string)
        .collect();
    if let Some((level, name)) = area {
        pairs.push(format!(
            "{AREA_PARAM}={}",
            percent_encode(&format!("{}:{name}", level.as_str()))
        ));
    }
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

/// "My area" from the page's URL (`?area=<level>:<area>`), for the maps and the report too.
pub fn my_area() -> Option<(Level, String)> {
    let query = web_sys::window().and_then(|w| w.location().search().ok())?;
    area_from_query(&query)
}

/// Writes "my area" into the page's URL (replacing the history entry: no reload, no storage).
pub fn set_my_area(area: Option<(Level, &str)>) {
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    let query = loc.search().unwrap_or_default();
    let url = format!(
        "{}{}{}",
        loc.pathname().unwrap_or_default(),
        query_with_area(&query, area),
        loc.hash().unwrap_or_default()
    );
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
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
    fn my_area_round_trips_through_the_query_string() {
        assert_eq!(
            area_from_query("?demo=1&area=municipality:0301"),
            Some((Level::Municipality, "0301".into()))
        );
        // Encoded by encodeURIComponent: ':' is %3A, 'ø' is %C3%B8, ' ' is %20.
        assert_eq!(
            area_from_query("?area=health_community%3AHelsefellesskapet%20Bod%C3%B8"),
            Some((Level::HealthCommunity, "Helsefellesskapet Bodø".into()))
        );
        assert_eq!(area_from_query("?area=country:NO"), None);
        assert_eq!(area_from_query("?area=county:03"), None);
        assert_eq!(area_from_query("?area=region:"), None);
        assert_eq!(area_from_query("?area=%ZZ"), None);
        assert_eq!(area_from_query("?demo=1"), None);
        let q = query_with_area(
            "?demo=1&area=region:X&lang=en",
            Some((Level::HealthCommunity, "Vest & Bodø")),
        );
        assert_eq!(
            q,
            "?demo=1&lang=en&area=health_community%3AVest%20%26%20Bod%C3%B8"
        );
        assert_eq!(
            area_from_query(&q),
            Some((Level::HealthCommunity, "Vest & Bodø".into()))
        );
        assert_eq!(query_with_area("?area=region:X", None), "");
    }

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
