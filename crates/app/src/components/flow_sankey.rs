//! Patient flows as a Sankey chart (issue 7, indicators.md §4 "Flows"): who referred the
//! cohort's patients (GP, out-of-hours service, specialist, other, not given) to which care level
//! (inpatient stay; day treatment and outpatient contacts on request), and where the inpatient
//! stays ended. One area (the country or an area of the chosen level) and the first group
//! chosen above; beside the chart every link as a table row.
//!
//! The links are the engine's `flow.<referrer>_to_<level>` and `flow.discharged_<destination>`
//! counts. A suppressed link is not drawn and has no number anywhere: the table shows "–" with
//! the reason, and the note under the chart says how many links were hidden. The stay node's
//! height is the larger of its in-flow (stays admitted in the year) and out-flow (stays
//! discharged in the year), which differ by the stays that cross the year's ends.
//!
//! [`sankey`] (nodes, links → ECharts option) is shared with the care-ladder view.

use crate::charts::{escape_html, ChartSpec, PALETTE};
use crate::components::indicator::reason_text;
use crate::i18n::{tr, Key};
use crate::protocol::ReportView;
use crate::selection::{series_for, Selection};
use crate::AppState;
use charming::component::Title;
use charming::element::{
    Emphasis, EmphasisFocus, ItemStyle, LineStyle, TextStyle, Tooltip, Trigger,
};
use charming::series::{Sankey, SankeyLink, SankeyNode};
use charming::Chart;
use forlop_core::output::{Cell, Level};
use forlop_core::text::{Lang, Text};
use leptos::prelude::*;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;

const fn t(nb: &'static str, en: &'static str) -> Text {
    Text { nb, en }
}

/// Referrers, as in `modules/flow.rs`: id stem and name.
pub const REFERRERS: [(&str, Text); 5] = [
    ("gp", t("Fastlege", "GP")),
    ("out_of_hours", t("Legevakt", "Out-of-hours service")),
    ("specialist", t("Spesialist", "Specialist")),
    ("other", t("Annen henviser", "Other referrer")),
    ("unknown", t("Henviser ikke oppgitt", "Referrer not given")),
];

/// Care levels: id stem and name. The first (inpatient stays) is the only one discharged.
pub const LEVELS: [(&str, Text); 3] = [
    ("inpatient", t("Døgnopphold", "Inpatient stay")),
    ("day", t("Dagbehandling", "Day treatment")),
    ("outpatient", t("Poliklinisk kontakt", "Outpatient contact")),
];

/// Discharge destinations: id stem and name.
pub const DESTINATIONS: [(&str, Text); 7] = [
    ("home", t("Hjem", "Home")),
    (
        "home_with_services",
        t("Hjem med tjenester", "Home with services"),
    ),
    ("nursing_home", t("Sykehjem", "Nursing home")),
    (
        "other_institution",
        t("Annen institusjon", "Another institution"),
    ),
    ("dead", t("Død", "Died")),
    ("other", t("Annet", "Other destination")),
    (
        "unknown",
        t("Destinasjon ikke oppgitt", "Destination not given"),
    ),
];

/// A node of a Sankey chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Unique name (ECharts joins links to nodes by it), e.g. `ref:gp`.
    pub id: String,
    /// Label as shown.
    pub label: String,
    /// Column, from the left.
    pub depth: u32,
}

/// A link and the engine's cell for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Source node (index in the nodes).
    pub from: usize,
    /// Target node.
    pub to: usize,
    /// The count; `None` when the indicator was not computed.
    pub cell: Option<Cell>,
}

/// A Sankey chart's nodes and links.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Graph {
    /// Every node, whether or not a link is drawn to it.
    pub nodes: Vec<Node>,
    /// Every link, suppressed or not.
    pub links: Vec<Link>,
}

impl Graph {
    /// Links drawn: those with a count above 0.
    pub fn drawn(&self) -> usize {
        self.links
            .iter()
            .filter(|l| matches!(l.cell, Some(Cell::Value { value, .. }) if value > 0.0))
            .count()
    }

    /// Links hidden because they are suppressed.
    pub fn hidden(&self) -> usize {
        self.links
            .iter()
            .filter(|l| matches!(l.cell, Some(Cell::Suppressed(_))))
            .count()
    }
}

fn result_of(report: &ReportView, id: &str) -> Option<usize> {
    report.results.iter().position(|r| r.id == id)
}

/// The flow of group `group` in area `area`: referrer → care level → destination. Day and
/// outpatient contacts only with `contacts`.
pub fn flow_graph(
    report: &ReportView,
    group: usize,
    area: usize,
    contacts: bool,
    lang: Lang,
) -> Graph {
    let cell = |id: String| -> Option<Cell> {
        let r = result_of(report, &id)?;
        report.cell(&report.results[r], group, area)
    };
    let mut g = Graph::default();
    let levels = if contacts { LEVELS.len() } else { 1 };
    for (id, name) in &REFERRERS {
        g.nodes.push(Node {
            id: format!("ref:{id}"),
            label: name.get(lang).to_string(),
            depth: 0,
        });
    }
    for (id, name) in LEVELS.iter().take(levels) {
        g.nodes.push(Node {
            id: format!("lvl:{id}"),
            label: name.get(lang).to_string(),
            depth: 1,
        });
    }
    for (id, name) in &DESTINATIONS {
        g.nodes.push(Node {
            id: format!("dst:{id}"),
            label: name.get(lang).to_string(),
            depth: 2,
        });
    }
    for (r, (rid, _)) in REFERRERS.iter().enumerate() {
        for (l, (lid, _)) in LEVELS.iter().take(levels).enumerate() {
            g.links.push(Link {
                from: r,
                to: REFERRERS.len() + l,
                cell: cell(format!("flow.{rid}_to_{lid}")),
            });
        }
    }
    for (d, (did, _)) in DESTINATIONS.iter().enumerate() {
        g.links.push(Link {
            from: REFERRERS.len(),
            to: REFERRERS.len() + levels + d,
            cell: cell(format!("flow.discharged_{did}")),
        });
    }
    g
}

/// Texts of a Sankey chart.
pub struct SankeyLabels<'a> {
    /// Title.
    pub title: &'a str,
    /// Subtitle.
    pub subtitle: &'a str,
    /// A count as shown.
    pub count: &'a dyn Fn(f64) -> String,
}

/// The Sankey chart of `graph`: only links with a count above 0 are drawn, and only nodes that
/// such a link touches. Every node carries its label in words and every link a tooltip
/// "from → to: n", so nothing is told by colour alone.
pub fn sankey(graph: &Graph, labels: &SankeyLabels<'_>) -> ChartSpec {
    let drawn: Vec<(&Link, f64)> = graph
        .links
        .iter()
        .filter_map(|l| match l.cell {
            Some(Cell::Value { value, .. }) if value > 0.0 => Some((l, value)),
            _ => None,
        })
        .collect();
    let used: Vec<usize> = (0..graph.nodes.len())
        .filter(|&n| drawn.iter().any(|(l, _)| l.from == n || l.to == n))
        .collect();
    let nodes: Vec<SankeyNode> = used
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            SankeyNode::new(graph.nodes[n].id.as_str())
                .depth(graph.nodes[n].depth)
                .item_style(ItemStyle::new().color(PALETTE[i % PALETTE.len()]))
        })
        .collect();
    let links: Vec<SankeyLink> = drawn
        .iter()
        .map(|(l, v)| SankeyLink {
            source: graph.nodes[l.from].id.clone(),
            target: graph.nodes[l.to].id.clone(),
            value: *v,
        })
        .collect();
    let per_column = (0..3)
        .map(|d| used.iter().filter(|&&n| graph.nodes[n].depth == d).count())
        .max()
        .unwrap_or(1) as u32;
    let chart = Chart::new()
        .animation(false)
        .title(
            Title::new()
                .text(labels.title)
                .subtext(labels.subtitle)
                .left(0)
                .text_style(TextStyle::new().font_size(15)),
        )
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .series(
            Sankey::new()
                .top(70)
                .bottom(16)
                .left(8)
                .right(170)
                .emphasis(Emphasis::new().focus(EmphasisFocus::Adjacency))
                .line_style(LineStyle::new().color("gradient").opacity(0.45))
                .nodes(nodes)
                .links(links),
        );
    let mut option = serde_json::to_value(&chart).unwrap_or(Value::Null);
    // What charming 0.6 cannot express: node labels that differ from the node's unique name,
    // per-node and per-link tooltips, `confine`, and `aria` (see charts.rs).
    if let Some(o) = option.as_object_mut() {
        o.insert(
            "aria".into(),
            json!({ "enabled": true, "decal": { "show": false } }),
        );
    }
    if let Some(tooltip) = option.get_mut("tooltip").and_then(Value::as_object_mut) {
        tooltip.insert("confine".into(), Value::Bool(true));
    }
    if let Some(s) = option
        .get_mut("series")
        .and_then(|s| s.get_mut(0))
        .and_then(Value::as_object_mut)
    {
        if let Some(data) = s.get_mut("data").and_then(Value::as_array_mut) {
            for (item, &n) in data.iter_mut().zip(&used) {
                let label = &graph.nodes[n].label;
                if let Some(item) = item.as_object_mut() {
                    item.insert("label".into(), json!({ "formatter": label }));
                    item.insert("tooltip".into(), json!({ "formatter": escape_html(label) }));
                }
            }
        }
        if let Some(ls) = s.get_mut("links").and_then(Value::as_array_mut) {
            for (item, (l, v)) in ls.iter_mut().zip(&drawn) {
                let tip = format!(
                    "{} → {}: {}",
                    escape_html(&graph.nodes[l.from].label),
                    escape_html(&graph.nodes[l.to].label),
                    (labels.count)(*v)
                );
                if let Some(item) = item.as_object_mut() {
                    item.insert("tooltip".into(), json!({ "formatter": tip }));
                }
            }
        }
    }
    ChartSpec {
        option,
        height: (110 + 46 * per_column).clamp(260, 700),
    }
}

/// A link's count as shown: the number, or "–" with the reason.
pub fn show_count(cell: Option<Cell>, lang: Lang) -> (String, Option<String>) {
    match cell {
        Some(Cell::Value { value, .. }) => (crate::fmt::number(value, 0, lang), None),
        Some(Cell::Suppressed(r)) => ("–".into(), Some(reason_text(r, lang))),
        Some(Cell::NotEstimable { .. }) => ("–".into(), Some(tr(Key::NotEstimable, lang).into())),
        None => (String::new(), None),
    }
}

/// "n links below k are hidden (not drawn)".
pub fn hidden_note(hidden: usize, lang: Lang) -> String {
    match (hidden, lang) {
        (0, Lang::Nb) => "Ingen strømmer er prikket.".into(),
        (0, Lang::En) => "No flow is suppressed.".into(),
        (1, Lang::Nb) => "1 strøm er prikket (under k eller avledbar) og ikke tegnet; den står som – i tabellen.".into(),
        (1, Lang::En) => "1 flow is suppressed (below k or derivable) and not drawn; the table shows it as –.".into(),
        (n, Lang::Nb) => format!("{n} strømmer er prikket (under k eller avledbare) og ikke tegnet; de står som – i tabellen."),
        (n, Lang::En) => format!("{n} flows are suppressed (below k or derivable) and not drawn; the table shows them as –."),
    }
}

/// A choice of area for a one-area view: the country, then the areas of the page's level.
/// `None` in `chosen` = the country; an area no longer of the level falls back to the country.
pub fn area_choice(report: &ReportView, level: Level, chosen: Option<usize>) -> Option<usize> {
    let country = report.areas_at(Level::Country).first().copied();
    chosen
        .filter(|a| report.areas.get(*a).is_some_and(|x| x.level == level))
        .or(country)
}

/// The `<select>` of a one-area view (country + areas of the page's level).
#[component]
pub fn AreaSelect(
    /// The element id.
    id: &'static str,
    /// The chosen area (`None` = the country).
    chosen: RwSignal<Option<usize>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    view! {
        <div class="field inline no-print">
            <label for=id>{move || tr(Key::Area, lang.get())}</label>
            <select id=id on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())>
                {move || {
                    let l = lang.get();
                    let level = sel.level.get();
                    state.report.with(|r| {
                        let Some(r) = r else { return Vec::new() };
                        let current = area_choice(r, level, chosen.get());
                        let mut areas = r.areas_at(Level::Country);
                        if level != Level::Country {
                            areas.extend(r.areas_at(level));
                        }
                        areas.into_iter().map(|a| {
                            let value = if r.areas[a].level == Level::Country { String::new() } else { a.to_string() };
                            view! { <option value=value selected=current == Some(a)>{r.area_label(a, l)}</option> }
                        }).collect::<Vec<_>>()
                    })
                }}
            </select>
        </div>
    }
}

/// Draws `spec` into `el` (its height set through CSSOM: the page's CSP forbids inline styles).
pub fn draw(el: Option<web_sys::HtmlDivElement>, spec: ChartSpec) {
    if let Some(el) = el {
        let el: web_sys::HtmlElement = el.unchecked_into();
        let _ = el
            .style()
            .set_property("height", &format!("{}px", spec.height));
        crate::echarts::schedule(el, spec.option, spec.height);
    }
}

/// The flow chart and its table, only while the flow module is shown.
#[component]
pub fn FlowSankey() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    let chosen = RwSignal::new(None::<usize>);
    let contacts = RwSignal::new(false);
    let chart_ref = NodeRef::<leptos::html::Div>::new();
    let shown = Memo::new(move |_| {
        state.report.with(|r| {
            r.as_ref().is_some_and(|r| {
                r.modules
                    .get(sel.module.get())
                    .is_some_and(|m| m.id == "flow" && m.computed())
            })
        })
    });
    let group = Memo::new(move |_| {
        let decl = forlop_core::modules::find("flow")?;
        series_for(decl, &sel.bases.get(), false).first().copied()
    });
    // (graph, area label, group label)
    let graph = Memo::new(move |_| {
        if !shown.get() {
            return None;
        }
        let l = lang.get();
        let g = group.get()?;
        let level = sel.level.get();
        let with_contacts = contacts.get();
        let decl = forlop_core::modules::find("flow")?;
        state.report.with(|r| {
            let r = r.as_ref()?;
            let a = area_choice(r, level, chosen.get())?;
            Some((
                flow_graph(r, g, a, with_contacts, l),
                r.area_label(a, l),
                decl.group_label(g, l),
            ))
        })
    });
    Effect::new(move |_| {
        let Some((g, area, group)) = graph.get() else {
            return;
        };
        let l = lang.get();
        let (year, unsuppressed) = state.report.with(|r| {
            r.as_ref()
                .map(|r| (r.settings.year, r.unsuppressed))
                .unwrap_or((0, false))
        });
        let mut subtitle = format!("{group} · {area} · {year}");
        if unsuppressed {
            subtitle = format!("{} · {subtitle}", tr(Key::NotSuppressed, l));
        }
        let count = move |v: f64| crate::fmt::number(v, 0, l);
        let spec = sankey(
            &g,
            &SankeyLabels {
                title: t(
                    "Henvist av → omsorgsnivå → utskrevet til",
                    "Referred by → care level → discharged to",
                )
                .get(l),
                subtitle: &subtitle,
                count: &count,
            },
        );
        draw(chart_ref.get(), spec);
    });
    let table = move || {
        let l = lang.get();
        let (g, _, _) = graph.get()?;
        Some(view! {
            <table class="data" id="flow-table">
                <caption>{t("Strømmene i diagrammet", "The flows of the chart").get(l)}</caption>
                <thead><tr>
                    <th scope="col">{t("Fra", "From").get(l)}</th>
                    <th scope="col">{t("Til", "To").get(l)}</th>
                    <th scope="col" class="num">{tr(Key::Value, l)}</th>
                </tr></thead>
                <tbody>
                    {g.links.iter().filter(|k| k.cell.is_some()).map(|k| {
                        let (text, reason) = show_count(k.cell, l);
                        let suppressed = reason.is_some();
                        let tip = reason.clone().unwrap_or_default();
                        view! {
                            <tr class:suppressed=suppressed data-from=g.nodes[k.from].id.clone() data-to=g.nodes[k.to].id.clone()>
                                <td>{g.nodes[k.from].label.clone()}</td>
                                <td>{g.nodes[k.to].label.clone()}</td>
                                <td class="num value" title=tip>
                                    {text}
                                    {reason.map(|r| view! { <span class="visually-hidden">{format!(" ({r})")}</span> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        })
    };
    view! {
        <Show when=move || shown.get()>
            <section class="card flow-sankey" id="flow-sankey" aria-labelledby="flow-heading">
                <h3 id="flow-heading">{move || t("Pasientstrømmer", "Patient flows").get(lang.get())}</h3>
                <p>{move || t(
                    "Hvem som henviste, til hvilket omsorgsnivå, og hvor døgnoppholdene endte, for ett område og den første gruppen valgt over. Bredden er antallet.",
                    "Who referred, to which care level, and where the inpatient stays ended, for one area and the first group chosen above. The width is the number.",
                ).get(lang.get())}</p>
                <div class="inline-controls no-print">
                    <AreaSelect id="flow-area" chosen=chosen />
                    <label class="check" for="flow-contacts">
                        <input type="checkbox" id="flow-contacts" prop:checked=move || contacts.get()
                            on:change=move |ev| contacts.set(event_target_checked(&ev)) />
                        {move || t("Ta med dagbehandling og polikliniske kontakter", "Include day treatment and outpatient contacts").get(lang.get())}
                    </label>
                </div>
                <div class="chart" id="flow-chart" node_ref=chart_ref role="img"
                    aria-label=move || t("Sankey-diagram av pasientstrømmene; tallene står i tabellen under", "Sankey chart of the patient flows; the numbers are in the table below").get(lang.get())></div>
                <p class="gap-note" id="flow-hidden">{move || graph.get().map(|(g, _, _)| hidden_note(g.hidden(), lang.get()))}</p>
                <details class="numbers" open=move || sel.print.get()>
                    <summary>{move || tr(Key::ShowTable, lang.get())}</summary>
                    <div class="table-scroll">{table}</div>
                </details>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use forlop_core::output::SuppressReason;

    fn count(n: u64) -> Option<Cell> {
        Some(Cell::Value {
            numerator: Some(n),
            denominator: None,
            value: n as f64,
        })
    }

    fn graph() -> Graph {
        let node = |id: &str, depth| Node {
            id: id.into(),
            label: format!("<{id}>"),
            depth,
        };
        Graph {
            nodes: vec![
                node("a", 0),
                node("b", 0),
                node("s", 1),
                node("x", 2),
                node("y", 2),
            ],
            links: vec![
                Link {
                    from: 0,
                    to: 2,
                    cell: count(201),
                },
                Link {
                    from: 1,
                    to: 2,
                    cell: Some(Cell::Suppressed(SuppressReason::Primary)),
                },
                Link {
                    from: 2,
                    to: 3,
                    cell: count(0),
                },
                Link {
                    from: 2,
                    to: 4,
                    cell: count(38),
                },
            ],
        }
    }

    #[test]
    fn suppressed_and_zero_links_are_not_drawn_and_their_nodes_left_out() {
        let g = graph();
        assert_eq!(g.drawn(), 2);
        assert_eq!(g.hidden(), 1);
        let fmt = |v: f64| format!("{v}");
        let o = sankey(
            &g,
            &SankeyLabels {
                title: "t",
                subtitle: "s",
                count: &fmt,
            },
        )
        .option;
        let s = &o["series"][0];
        assert_eq!(s["type"], json!("sankey"));
        // a → s (201) and s → y (38); b (suppressed only) and x (0 only) are not drawn.
        assert_eq!(s["links"].as_array().unwrap().len(), 2);
        assert_eq!(s["links"][0]["source"], json!("a"));
        assert_eq!(s["links"][0]["value"], json!(201.0));
        let names: Vec<&str> = s["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, vec!["a", "s", "y"]);
        // Labels in words; tooltips escaped.
        assert_eq!(s["data"][0]["label"]["formatter"], json!("<a>"));
        assert_eq!(
            s["links"][1]["tooltip"]["formatter"],
            json!("&lt;s&gt; → &lt;y&gt;: 38")
        );
        assert!(!o.to_string().contains("Suppressed"));
    }

    #[test]
    fn the_flow_graph_joins_referrers_levels_and_destinations_by_id() {
        let ids: Vec<String> = [
            "flow.gp_to_inpatient",
            "flow.discharged_home",
            "flow.gp_to_outpatient",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let r = crate::components::followup::tests::report(&ids);
        // Inpatient stays only: 5 referrers × 1 level + 7 destinations = 12 links.
        let g = flow_graph(&r, 1, 2, false, Lang::En);
        assert_eq!(g.links.len(), 12);
        assert_eq!(g.nodes.len(), 5 + 1 + 7);
        let gp = g
            .links
            .iter()
            .find(|l| g.nodes[l.from].id == "ref:gp")
            .unwrap();
        assert_eq!(g.nodes[gp.to].id, "lvl:inpatient");
        // Result 0, group 1, area 2: 0 + 10 + 2 = 12.
        assert_eq!(gp.cell.and_then(|c| c.value()), Some(12.0));
        let home = g
            .links
            .iter()
            .find(|l| g.nodes[l.to].id == "dst:home")
            .unwrap();
        assert_eq!(g.nodes[home.from].id, "lvl:inpatient");
        assert_eq!(home.cell.and_then(|c| c.value()), Some(112.0));
        // Not computed: no cell (no table row, not counted as hidden).
        assert_eq!(g.links.iter().filter(|l| l.cell.is_some()).count(), 2);
        assert_eq!(g.hidden(), 0);
        // With contacts: 5 × 3 + 7 links; GP → outpatient is result 2: 200 + 10 + 2.
        let g = flow_graph(&r, 1, 2, true, Lang::En);
        assert_eq!(g.links.len(), 22);
        let out = g
            .links
            .iter()
            .find(|l| g.nodes[l.to].id == "lvl:outpatient" && g.nodes[l.from].id == "ref:gp")
            .unwrap();
        assert_eq!(out.cell.and_then(|c| c.value()), Some(212.0));
    }

    #[test]
    fn every_id_the_views_read_is_in_the_registry() {
        use crate::components::{care_ladder, followup};
        let find = |id: String| assert!(forlop_core::indicator::find(&id).is_some(), "{id}");
        for (r, _) in &REFERRERS {
            for (l, _) in &LEVELS {
                find(format!("flow.{r}_to_{l}"));
            }
        }
        for (d, _) in &DESTINATIONS {
            find(format!("flow.discharged_{d}"));
        }
        for w in followup::WINDOWS {
            for (k, _) in &followup::KINDS {
                find(format!("path.{k}_{w}"));
            }
            find(format!("path.censored_{w}"));
        }
        for (a, _) in &care_ladder::LEVELS {
            for (b, _) in &care_ladder::LEVELS {
                if a != b {
                    find(format!("ladder.{a}_to_{b}"));
                }
            }
        }
        find("ladder.persons".into());
        // And no flow, path or ladder indicator is left out of the views.
        let read = REFERRERS.len() * LEVELS.len()
            + DESTINATIONS.len()
            + followup::WINDOWS.len() * (followup::KINDS.len() + 1)
            + care_ladder::LEVELS.len() * (care_ladder::LEVELS.len() - 1)
            + 1;
        let registry = ["flow", "path", "ladder"]
            .iter()
            .map(|m| forlop_core::modules::find(m).unwrap().indicators.len())
            .sum::<usize>();
        assert_eq!(read, registry);
    }

    #[test]
    fn hidden_note_counts_in_both_languages() {
        assert!(hidden_note(3, Lang::Nb).starts_with("3 strømmer"));
        assert!(hidden_note(1, Lang::En).starts_with("1 flow is"));
        assert_eq!(hidden_note(0, Lang::En), "No flow is suppressed.");
    }
}
