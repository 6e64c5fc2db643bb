//! How the page reads a [`ReportView`]: the cell of an indicator for a group and an area, the
//! areas of a level, labels, and each module's declaration. Pure, tested natively; nothing here
//! scans by string.

use crate::i18n::{tr, Key};
use crate::protocol::{ModuleView, ReportView, ResultView};
use forlop_core::module::ModuleDecl;
use forlop_core::output::{Cell, Level};
use forlop_core::text::Lang;

impl ReportView {
    /// The cell of `result` for group `group` (index in its module's groups) and area `area`.
    pub fn cell(&self, result: &ResultView, group: usize, area: usize) -> Option<Cell> {
        result.cells.cell(group * self.areas.len() + area)
    }

    /// The 95 % confidence interval of that cell, when it has one.
    pub fn interval(
        &self,
        result: &ResultView,
        group: usize,
        area: usize,
    ) -> Option<forlop_core::ci::Interval> {
        result.interval(group * self.areas.len() + area)
    }

    /// The areas of `level`, in the engine's order (by their text).
    pub fn areas_at(&self, level: Level) -> Vec<usize> {
        (0..self.areas.len())
            .filter(|&a| self.areas[a].level == level)
            .collect()
    }

    /// The levels that have areas, from the top.
    pub fn levels(&self) -> Vec<Level> {
        Level::ALL
            .into_iter()
            .filter(|l| self.areas.iter().any(|a| a.level == *l))
            .collect()
    }

    /// An area as shown: the country by name, a municipality as `0301 Oslo` when the areas file
    /// names it; regions and health communities are already names.
    pub fn area_label(&self, area: usize, lang: Lang) -> String {
        let Some(a) = self.areas.get(area) else {
            return String::new();
        };
        match (a.level, &a.municipality_name) {
            (Level::Country, _) => tr(Key::National, lang).to_string(),
            (Level::Municipality, Some(name)) => format!("{} {name}", a.name),
            _ => a.name.clone(),
        }
    }

    /// The computed indicators of module `module`, with their index in `results`: every one,
    /// except a standardised rate with no value anywhere (the population lacks age or sex, or the
    /// standard year; the report's note says so and the crude rate stands alone).
    pub fn results_of(&self, module: usize) -> Vec<usize> {
        (0..self.results.len())
            .filter(|&i| self.results[i].module == module && shown(&self.results[i]))
            .collect()
    }
}

/// Years and "my area" (issue 12).
impl ReportView {
    /// Whether nothing of its analysis is still to come: no year and no module pending (the
    /// worker posts the shown year's view of the shown module first, `engine::analyse_shown_year`).
    pub fn is_whole(&self) -> bool {
        self.pending_years.is_empty() && !self.modules.iter().any(|m| m.pending)
    }

    /// The years computed, ascending (just the shown one for a report of one year).
    pub fn years_computed(&self) -> Vec<i32> {
        if self.years.computed.is_empty() {
            vec![self.settings.year]
        } else {
            self.years.computed.clone()
        }
    }

    /// The same report showing `year` (one of [`ReportView::years_computed`]): its cells,
    /// modules, notes and unavailable indicators swapped in, the shown year's moved to
    /// `other_years`. `None` when the year was not computed.
    pub fn showing(&self, year: i32) -> Option<ReportView> {
        if year == self.settings.year {
            return Some(self.clone());
        }
        let i = self.other_years.iter().position(|y| y.year == year)?;
        let mut out = self.clone();
        let chosen = out.other_years.remove(i);
        let old = crate::protocol::YearView {
            year: self.settings.year,
            modules: std::mem::replace(&mut out.modules, chosen.modules),
            cells: out
                .results
                .iter_mut()
                .zip(
                    chosen
                        .cells
                        .into_iter()
                        .chain(std::iter::repeat_with(Default::default)),
                )
                .map(|(r, c)| std::mem::replace(&mut r.cells, c))
                .collect(),
            unavailable: std::mem::replace(&mut out.unavailable, chosen.unavailable),
            notes: std::mem::replace(&mut out.notes, chosen.notes),
        };
        out.settings.year = year;
        out.other_years.push(old);
        out.other_years.sort_by_key(|y| y.year);
        Some(out)
    }

    /// Result `result`'s cell for `group` and `area` in every computed year, ascending.
    pub fn trend(&self, result: usize, group: usize, area: usize) -> Vec<(i32, Option<Cell>)> {
        let at = group * self.areas.len() + area;
        self.years_computed()
            .into_iter()
            .map(|y| {
                let cell = if y == self.settings.year {
                    self.results.get(result).and_then(|r| r.cells.cell(at))
                } else {
                    self.other_years
                        .iter()
                        .find(|o| o.year == y)
                        .and_then(|o| o.cells.get(result))
                        .and_then(|g| g.cell(at))
                };
                (y, cell)
            })
            .collect()
    }

    /// The index of the area `name` at `level` (as the long table writes it).
    pub fn find_area(&self, level: Level, name: &str) -> Option<usize> {
        self.areas
            .iter()
            .position(|a| a.level == level && a.name == name)
    }

    /// The area of `level` that holds area `area`: itself at its own level, its health
    /// community or region above it, the country at the top; `None` below it or unknown.
    pub fn area_within(&self, area: usize, level: Level) -> Option<usize> {
        let a = self.areas.get(area)?;
        if a.level == level {
            return Some(area);
        }
        match level {
            Level::Country => self.areas_at(Level::Country).first().copied(),
            Level::Region => a.region,
            Level::HealthCommunity => a.health_community,
            Level::Municipality => None,
        }
    }
}

/// Whether a result gets a card (see [`ReportView::results_of`]).
fn shown(r: &ResultView) -> bool {
    let standardised = forlop_core::indicator::find(&r.id)
        .and_then(forlop_core::indicator::standardised_base)
        .is_some();
    !standardised || (0..r.cells.len()).any(|i| matches!(r.cells.cell(i), Some(Cell::Value { .. })))
}

impl ModuleView {
    /// The module's declaration, from this build's registry (the worker's is the same).
    pub fn decl(&self) -> Option<&'static ModuleDecl> {
        forlop_core::modules::find(&self.id)
    }

    /// Whether it was computed (no table missing).
    pub fn computed(&self) -> bool {
        self.missing.is_empty() && self.units.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_standardised_rate_without_any_value_gets_no_card() {
        let result = |id: &str, cells: &[Cell]| ResultView {
            id: id.into(),
            module: 0,
            cells: Grid::from_cells(cells),
            intervals: Default::default(),
            variation: Vec::new(),
        };
        let none = [Cell::NotEstimable {
            numerator: Some(7),
            denominator: Some(4500),
        }];
        let one = [Cell::Value {
            numerator: Some(7),
            denominator: Some(4500),
            value: 1.5,
        }];
        let report = ReportView {
            results: vec![
                result("smi.patients_per_1000", &none),
                result("smi.patients_per_1000_std", &none),
                result("ready.patients_per_1000_std", &one),
            ],
            ..ReportView::default()
        };
        // The crude rate always; a standardised one only with a value somewhere.
        assert_eq!(report.results_of(0), vec![0, 2]);
    }
    use crate::protocol::{AreaView, Grid};
    use forlop_core::output::SuppressReason;

    fn area(level: Level, name: &str, municipality_name: Option<&str>) -> AreaView {
        AreaView {
            level,
            name: name.into(),
            municipality_name: municipality_name.map(str::to_string),
            region: None,
            health_community: None,
        }
    }

    #[test]
    fn cells_are_found_by_group_and_area_index() {
        let value = |v: f64| Cell::Value {
            numerator: Some(v as u64),
            denominator: None,
            value: v,
        };
        // Two groups × three areas.
        let cells = [
            value(10.0),
            value(4.0),
            Cell::Suppressed(SuppressReason::Primary),
            value(7.0),
            value(3.0),
            value(4.0),
        ];
        let report = ReportView {
            areas: vec![
                area(Level::Country, "NO", None),
                area(Level::Municipality, "0301", Some("Oslo")),
                area(Level::Municipality, "4601", None),
            ],
            results: vec![ResultView {
                id: "smi.patients".into(),
                module: 0,
                cells: Grid::from_cells(&cells),
                intervals: ResultView::interval_bytes(&[
                    None,
                    Some(forlop_core::ci::Interval {
                        low: 1.5,
                        high: 9.25,
                    }),
                    None,
                    None,
                    None,
                    None,
                ]),
                variation: Vec::new(),
            }],
            ..ReportView::default()
        };
        let r = &report.results[0];
        assert_eq!(report.cell(r, 1, 0), Some(value(7.0)));
        assert_eq!(report.cell(r, 0, 2), Some(cells[2]));
        assert_eq!(report.cell(r, 2, 0), None);
        assert_eq!(
            report.interval(r, 0, 1),
            Some(forlop_core::ci::Interval {
                low: 1.5,
                high: 9.25
            })
        );
        assert_eq!(report.interval(r, 0, 0), None);
        assert_eq!(report.interval(r, 2, 0), None);
        assert_eq!(report.areas_at(Level::Municipality), vec![1, 2]);
        assert_eq!(report.levels(), vec![Level::Country, Level::Municipality]);
        assert_eq!(report.area_label(1, Lang::Nb), "0301 Oslo");
        assert_eq!(report.area_label(2, Lang::Nb), "4601");
        assert_eq!(report.area_label(0, Lang::En), "Country");
        assert_eq!(report.results_of(0), vec![0]);
    }
}
