//! The care ladder (omsorgstrappen; issue 7, seed 002) as a matrix: one row per level moved
//! from, one column per level moved to, each cell the engine's `ladder.<from>_to_<to>` count of
//! transitions in the year, for one area (the country or an area of the page's level). A
//! suppressed cell shows "–" with its reason, never a number; the diagonal (no move) is empty.
//! Beside it a small Sankey of the same counts, the levels moved from on the left and moved to on
//! the right (a Sankey cannot draw a cycle, and people move both up and down the ladder).

use crate::components::flow_sankey::{
    area_choice, draw, sankey, show_count, AreaSelect, Graph, Link, Node, SankeyLabels,
};
use crate::i18n::{tr, Key};
use crate::protocol::ReportView;
use crate::selection::Selection;
use crate::AppState;
use forlop_core::output::Cell;
use forlop_core::text::{Lang, Text};
use leptos::prelude::*;

const fn t(nb: &'static str, en: &'static str) -> Text {
    Text { nb, en }
}

/// The ladder's levels from the bottom, as in `modules/ladder.rs`: id and name.
pub const LEVELS: [(&str, Text); 4] = [
    (
        "home",
        t("Hjemme uten tjenester", "At home without services"),
    ),
    (
        "home_services",
        t("Hjemme med tjenester", "At home with services"),
    ),
    ("short_stay", t("Korttidsopphold", "Short-term stay")),
    ("long_term", t("Langtidsopphold", "Long-term stay")),
];

/// The matrix: `cells[from][to]`, `None` on the diagonal and where not computed.
pub fn matrix(report: &ReportView, area: usize) -> Vec<Vec<Option<Cell>>> {
    LEVELS
        .iter()
        .enumerate()
        .map(|(a, (aid, _))| {
            LEVELS
                .iter()
                .enumerate()
                .map(|(b, (bid, _))| {
                    if a == b {
                        return None;
                    }
                    let id = format!("ladder.{aid}_to_{bid}");
                    let r = report.results.iter().position(|r| r.id == id)?;
                    report.cell(&report.results[r], 0, area)
                })
                .collect()
        })
        .collect()
}

/// The matrix as a two-column graph: levels moved from (left) → levels moved to (right).
pub fn ladder_graph(cells: &[Vec<Option<Cell>>], lang: Lang) -> Graph {
    let mut g = Graph::default();
    let (from, to) = match lang {
        Lang::Nb => ("fra", "til"),
        Lang::En => ("from", "to"),
    };
    for (side, depth, word) in [("from", 0, from), ("to", 1, to)] {
        for (id, name) in &LEVELS {
            g.nodes.push(Node {
                id: format!("{side}:{id}"),
                label: format!("{} ({word})", name.get(lang)),
                depth,
            });
        }
    }
    for (a, row) in cells.iter().enumerate() {
        for (b, c) in row.iter().enumerate() {
            if a != b {
                g.links.push(Link {
                    from: a,
                    to: LEVELS.len() + b,
                    cell: *c,
                });
            }
        }
    }
    g
}

/// "n moves are suppressed", for the note under the matrix.
pub fn hidden_moves(hidden: usize, lang: Lang) -> String {
    match (hidden, lang) {
        (0, Lang::Nb) => "Ingen overganger er prikket.".into(),
        (0, Lang::En) => "No move is suppressed.".into(),
        (1, Lang::Nb) => {
            "1 celle er prikket (under k eller avledbar): den står som – og er ikke tegnet.".into()
        }
        (1, Lang::En) => {
            "1 cell is suppressed (below k or derivable): it shows – and is not drawn.".into()
        }
        (n, Lang::Nb) => format!(
            "{n} celler er prikket (under k eller avledbare): de står som – og er ikke tegnet."
        ),
        (n, Lang::En) => format!(
            "{n} cells are suppressed (below k or derivable): they show – and are not drawn."
        ),
    }
}

/// The matrix and its Sankey, only while the care-ladder module is shown.
#[component]
pub fn CareLadder() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    let chosen = RwSignal::new(None::<usize>);
    let chart_ref = NodeRef::<leptos::html::Div>::new();
    let shown = Memo::new(move |_| {
        state.report.with(|r| {
            r.as_ref().is_some_and(|r| {
                r.modules
                    .get(sel.module.get())
                    .is_some_and(|m| m.id == "ladder" && m.computed())
            })
        })
    });
    // (matrix, area label, persons cell)
    let data = Memo::new(move |_| {
        if !shown.get() {
            return None;
        }
        let l = lang.get();
        let level = sel.level.get();
        state.report.with(|r| {
            let r = r.as_ref()?;
            let a = area_choice(r, level, chosen.get())?;
            let persons = r
                .results
                .iter()
                .find(|x| x.id == "ladder.persons")
                .and_then(|x| r.cell(x, 0, a));
            Some((matrix(r, a), r.area_label(a, l), persons))
        })
    });
    Effect::new(move |_| {
        let Some((cells, area, _)) = data.get() else {
            return;
        };
        let l = lang.get();
        let year = state
            .report
            .with(|r| r.as_ref().map(|r| r.settings.year).unwrap_or(0));
        let count = move |v: f64| crate::fmt::number(v, 0, l);
        let subtitle = format!("{area} · {year}");
        let spec = sankey(
            &ladder_graph(&cells, l),
            &SankeyLabels {
                title: t("Overganger i omsorgstrappen", "Moves on the care ladder").get(l),
                subtitle: &subtitle,
                count: &count,
            },
        );
        draw(chart_ref.get(), spec);
    });
    let table = move || {
        let l = lang.get();
        let (cells, area, persons) = data.get()?;
        let persons = show_count(persons, l).0;
        Some(view! {
            <table class="data ladder" id="ladder-matrix">
                <caption>{match l {
                    Lang::Nb => format!("Overganger i året, {area}: rader = fra, kolonner = til ({persons} personer med tjenester)"),
                    Lang::En => format!("Moves in the year, {area}: rows = from, columns = to ({persons} persons with services)"),
                }}</caption>
                <thead><tr>
                    <th scope="col">{t("Fra \\ til", "From \\ to").get(l)}</th>
                    {LEVELS.iter().map(|(id, name)| view! { <th scope="col" class="num" data-level=*id>{name.get(l)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {cells.into_iter().enumerate().map(|(a, row)| view! {
                        <tr data-level=LEVELS[a].0>
                            <th scope="row">{LEVELS[a].1.get(l)}</th>
                            {row.into_iter().enumerate().map(|(b, c)| {
                                if a == b {
                                    return view! { <td class="num diagonal" data-to=LEVELS[b].0 aria-label=t("samme nivå", "same level").get(l)>"·"</td> }.into_any();
                                }
                                let (text, reason) = show_count(c, l);
                                let suppressed = reason.is_some();
                                let tip = reason.clone().unwrap_or_default();
                                view! {
                                    <td class="num value" class:suppressed=suppressed data-to=LEVELS[b].0 title=tip>
                                        {text}
                                        {reason.map(|r| view! { <span class="visually-hidden">{format!(" ({r})")}</span> })}
                                    </td>
                                }.into_any()
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })
    };
    let hidden = move || {
        let (cells, _, _) = data.get()?;
        let n = cells
            .iter()
            .flatten()
            .filter(|c| matches!(c, Some(Cell::Suppressed(_))))
            .count();
        Some(hidden_moves(n, lang.get()))
    };
    view! {
        <Show when=move || shown.get()>
            <section class="card care-ladder" id="care-ladder" aria-labelledby="ladder-heading">
                <h3 id="ladder-heading">{move || t("Omsorgstrappen: overganger", "The care ladder: moves").get(lang.get())}</h3>
                <p>{move || t(
                    "Hvor mange ganger personer med tjenester flyttet fra ett trinn til et annet i løpet av året, for ett område. – = prikket.",
                    "How many times persons with services moved from one step to another during the year, for one area. – = suppressed.",
                ).get(lang.get())}</p>
                <AreaSelect id="ladder-area" chosen=chosen />
                <div class="table-scroll">{table}</div>
                <p class="gap-note" id="ladder-hidden">{hidden}</p>
                <div class="chart" id="ladder-chart" node_ref=chart_ref role="img"
                    aria-label=move || t("Sankey-diagram av overgangene; tallene står i tabellen over", "Sankey chart of the moves; the numbers are in the table above").get(lang.get())></div>
                <p class="suppression-note">{move || tr(Key::SuppressionNote, lang.get())}</p>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use forlop_core::output::SuppressReason;

    #[test]
    fn the_note_counts_suppressed_cells_in_both_languages() {
        assert!(hidden_moves(8, Lang::Nb).starts_with("8 celler er prikket"));
        assert!(hidden_moves(1, Lang::En).starts_with("1 cell is suppressed"));
    }

    #[test]
    fn the_matrix_puts_each_count_at_its_from_row_and_to_column() {
        let ids: Vec<String> = [
            "ladder.home_to_home_services",
            "ladder.short_stay_to_long_term",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let r = crate::components::followup::tests::report(&ids);
        // Group 0 (the ladder has only "all"), area 1 (Nord): result i gives 100·i + 1.
        let m = matrix(&r, 1);
        assert_eq!(m[0][1].and_then(|c| c.value()), Some(1.0));
        assert_eq!(m[2][3].and_then(|c| c.value()), Some(101.0));
        assert_eq!(m[3][2], None);
        assert!((0..4).all(|i| m[i][i].is_none()));
    }

    #[test]
    fn the_graph_has_from_and_to_columns_so_moves_both_ways_are_no_cycle() {
        let c = |n: u64| {
            Some(Cell::Value {
                numerator: Some(n),
                denominator: None,
                value: n as f64,
            })
        };
        let mut cells = vec![vec![None; 4]; 4];
        cells[0][1] = c(199); // home → home with services
        cells[1][0] = c(331); // and back
        cells[2][3] = Some(Cell::Suppressed(SuppressReason::Primary));
        let g = ladder_graph(&cells, Lang::En);
        assert_eq!(g.nodes.len(), 8);
        assert_eq!(g.links.len(), 12);
        assert_eq!(g.drawn(), 2);
        assert_eq!(g.hidden(), 1);
        let up = g.links.iter().find(|l| l.cell == c(199)).unwrap();
        assert_eq!(g.nodes[up.from].id, "from:home");
        assert_eq!(g.nodes[up.to].id, "to:home_services");
        let down = g.links.iter().find(|l| l.cell == c(331)).unwrap();
        assert_eq!(g.nodes[down.from].id, "from:home_services");
        assert_eq!(g.nodes[down.to].id, "to:home");
    }
}
