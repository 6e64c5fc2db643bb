//! The worker's side: calls into forlop-core and forlop-synth and turns their results into the
//! view structs of [`crate::protocol`]. Pure Rust (no web APIs), so it is tested natively.
//! The app computes nothing itself: every number comes from `forlop_core::analyse`.

use crate::protocol::{
    AreaView, Bilingual, ExampleView, FileView, Grid, LoadView, MappingNeed, ModuleView, Phase,
    ProblemView, ReportView, ResultView, UnknownValues, YearReason, YearView, YearsView,
};
use forlop_core::ingest::{self, ReadOptions, SourceFile};
use forlop_core::model::{TableKind, Tables};
use forlop_core::module::{DistributionAxis, ModuleDecl, SummaryItem, SummaryKind};
use forlop_core::output::{Cell, Level};
use forlop_core::quality::{Issue, QualityReport, Severity};
use forlop_core::settings::Settings;
use forlop_core::text::Lang;
use forlop_core::years::YearChoice;
use forlop_core::Report;

/// At most this many examples reach the page.
pub const MAX_EXAMPLES: usize = 30;

/// A file held by the worker: its name and bytes, kept so a corrected table kind can be re-read.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldFile {
    /// File name.
    pub name: String,
    /// Raw bytes.
    pub bytes: Vec<u8>,
}

/// The worker's state between jobs.
#[derive(Debug, Default)]
pub struct Held {
    /// The files last read.
    pub files: Vec<HeldFile>,
    /// The tables read from them.
    pub tables: Option<Tables>,
    /// The last report, of the year shown, for the exports (its long table is written only
    /// then).
    pub last: Option<Report>,
    /// The other years computed in the same run, ascending; exports hold them too.
    pub other_years: Vec<Report>,
    /// The rest of the last analysis, still to compute: the view of its shown year (of the
    /// module shown) went to the page first ([`analyse_shown_year`]).
    pub pending: Option<PendingRest>,
}

/// What [`analyse_other_years`] needs after [`analyse_shown_year`].
#[derive(Debug)]
pub struct PendingRest {
    /// The analysis's settings.
    pub settings: Settings,
    /// Every year to compute, and the reasons.
    pub years: YearsView,
    /// The year shown.
    pub shown: i32,
    /// The shown year's report, or its first module's.
    pub first: FirstReport,
    /// The worker's step timings so far (the whole report carries them on).
    pub timings: Vec<(String, f64)>,
}

/// What [`analyse_shown_year`] computed of the shown year.
#[derive(Debug)]
pub enum FirstReport {
    /// Its report, whole (a list of one).
    Whole(Vec<Report>),
    /// The report of the module the page shows alone ([`first_module`]); the rest adds the
    /// other modules' ([`merge_module_reports`]).
    OneModule(Box<Report>),
}

impl Held {
    /// Every report of the last run, ascending by year.
    pub fn reports(&self) -> Vec<&Report> {
        let mut all: Vec<&Report> = self.last.iter().chain(&self.other_years).collect();
        all.sort_by_key(|r| r.settings.year);
        all
    }

    /// Keeps the reports of a run, `shown` as [`Held::last`]; nothing is pending after it.
    pub fn keep(&mut self, mut reports: Vec<Report>, shown: usize) {
        self.last = (shown < reports.len()).then(|| reports.remove(shown));
        self.other_years = reports;
        self.pending = None;
    }

    /// Puts off the rest of a run whose shown year's view went to the page first: until
    /// [`Held::finish_pending`] no report is kept (an export then would lack years or modules).
    pub fn put_off(&mut self, pending: PendingRest) {
        self.keep(Vec::new(), 0);
        self.pending = Some(pending);
    }

    /// Computes the rest [`Held::put_off`] with the held tables, keeps every year's report,
    /// and returns the whole view with the timings the pending years carried; `None` when
    /// nothing waits (or no tables are held, and then nothing will).
    pub fn finish_pending(&mut self) -> Option<(ReportView, Vec<(String, f64)>)> {
        let pending = self.pending.take()?;
        let tables = self.tables.as_ref()?;
        let PendingRest {
            settings,
            years,
            shown,
            first,
            timings,
        } = pending;
        let (reports, at, view) = analyse_other_years(tables, &settings, (years, shown), first);
        self.keep(reports, at);
        Some((view, timings))
    }

    /// Makes `year`'s report the last one (the year the page shows); false when not computed.
    pub fn show_year(&mut self, year: i32) -> bool {
        let Some(i) = self
            .other_years
            .iter()
            .position(|r| r.settings.year == year)
        else {
            return self.last.as_ref().is_some_and(|r| r.settings.year == year);
        };
        let chosen = self.other_years.remove(i);
        if let Some(old) = self.last.replace(chosen) {
            self.other_years.push(old);
            self.other_years.sort_by_key(|r| r.settings.year);
        }
        true
    }
}

/// Progress callback: phase, file name, fraction 0..=1.
pub type OnProgress<'a> = &'a mut dyn FnMut(Phase, &str, f32);

/// Makes the demo extract in memory with forlop-synth: canonical CSV, no defects.
///
/// # Errors
/// When the generator produced no files.
pub fn demo_files(
    persons: u32,
    seed: u64,
    year: i32,
    progress: OnProgress<'_>,
) -> Result<Vec<HeldFile>, Bilingual> {
    let config = forlop_synth::SynthConfig {
        persons: persons as usize,
        seed,
        year,
        defects: false,
        format: forlop_synth::FileFormat::Canonical,
    };
    let extract = forlop_synth::generate_with_progress(&config, &mut |f| {
        progress(Phase::Generating, "", f);
        true
    });
    match extract {
        Some(e) if !e.files.is_empty() => Ok(e
            .files
            .into_iter()
            .map(|f| HeldFile {
                name: f.name,
                bytes: f.bytes,
            })
            .collect()),
        _ => Err(Bilingual {
            nb: "Demodata kunne ikke lages.".into(),
            en: "The demo data could not be made.".into(),
        }),
    }
}

fn both(f: impl Fn(Lang) -> String) -> Bilingual {
    Bilingual {
        nb: f(Lang::Nb),
        en: f(Lang::En),
    }
}

fn example(issue: &Issue) -> ExampleView {
    ExampleView {
        location: issue.location.to_string(),
        message: both(|l| issue.kind.message(l)),
    }
}

/// The quality report as the page shows it; files in the order of `files` (the user's order).
pub fn load_view(files: &[HeldFile], quality: &QualityReport) -> LoadView {
    let mut used = vec![false; quality.files.len()];
    let mut out = LoadView::default();
    for f in files {
        let found = quality
            .files
            .iter()
            .enumerate()
            .find(|(i, r)| !used[*i] && r.name == f.name);
        let Some((i, r)) = found else { continue };
        used[i] = true;
        out.files.push(FileView {
            name: r.name.clone(),
            kind: r.kind,
            rows_read: r.rows_read,
            rows_used: r.rows_used,
            rows_rejected: r.rows_rejected,
        });
    }
    // Whole-file failures first: they explain an empty result.
    for r in &quality.files {
        if let Some(issue) = &r.fatal {
            out.examples.push(example(issue));
        }
    }
    for (code, count) in quality.counts_by_code() {
        let mut first = None;
        let mut rejects = false;
        for r in &quality.files {
            for issue in r.examples.get(code).into_iter().flatten() {
                first.get_or_insert(issue);
                rejects |= issue.severity == Severity::Rejected;
                if out.examples.len() < MAX_EXAMPLES && r.fatal.as_ref() != Some(issue) {
                    out.examples.push(example(issue));
                }
            }
        }
        out.problems.push(ProblemView {
            code: code.to_string(),
            count,
            rejects,
            text: first
                .map(|i| both(|l| i.kind.message(l)))
                .unwrap_or_default(),
        });
    }
    out
}

/// The most the browser reads in one upload: bytes of all files together. Above it the page
/// stops at once (before reading a byte) and says so, instead of letting the worker run out of
/// its 4 GiB of WebAssembly memory half-way. Measured (BENCHMARKS.md, "Uploads of 1 M and
/// 10 M rows"): 594 MB, 10.2 M rows, took 2.1 GB of worker memory (3.6× the files; 59 MB took
/// 2.7×); 800 MB at that rate is 2.9 GB, which leaves room under 4 GiB for a large table's
/// vector doubling (old and new both held while it moves) and for a smaller machine's tab.
/// `?max_upload_mb=N` lowers (or raises) it for a tab; the e2e test uses that.
pub const MAX_UPLOAD_BYTES: u64 = 800_000_000;

/// Bytes of CSV per row of a `forlop synth` extract (59.2 MB for 1.02 million rows), to say a
/// limit in rows as well as in megabytes.
pub const BYTES_PER_ROW: u64 = 58;

/// Bytes as megabytes: one decimal below 10 MB (so 0.3 and 0.6 MB differ), whole above.
fn megabytes(bytes: u64, lang: Lang) -> String {
    let mb = bytes as f64 / 1e6;
    crate::fmt::number(mb, if mb < 10.0 { 1 } else { 0 }, lang)
}

/// The limit in words: megabytes and about how many rows.
fn limit_words(limit: u64, lang: Lang) -> String {
    let mb = megabytes(limit, lang);
    // Rows rounded to two significant digits: an estimate, not a count.
    let rows = limit / BYTES_PER_ROW;
    let unit = 10u64.pow((rows.max(1).ilog10()).saturating_sub(1));
    let rows = crate::fmt::count(rows / unit * unit, lang);
    match lang {
        Lang::Nb => format!("{mb} MB (omtrent {rows} rader)"),
        Lang::En => format!("{mb} MB (about {rows} rows)"),
    }
}

/// The message when the files together are larger than `limit` bytes; `None` when they fit.
pub fn upload_too_large(total: u64, limit: u64) -> Option<Bilingual> {
    if total <= limit {
        return None;
    }
    let total_mb = |lang| megabytes(total, lang);
    Some(Bilingual {
        nb: format!(
            "Filene er til sammen {} MB. Nettleseren kan lese uttrekk på opptil {} uten å gå tom \
             for minne, så de er ikke lest. Bruk kommandolinjeverktøyet forlop for større \
             uttrekk, eller last opp et mindre uttrekk.",
            total_mb(Lang::Nb),
            limit_words(limit, Lang::Nb)
        ),
        en: format!(
            "The files add up to {} MB. The browser can read extracts of up to {} without \
             running out of memory, so they were not read. Use the command-line tool forlop for \
             larger extracts, or upload a smaller extract.",
            total_mb(Lang::En),
            limit_words(limit, Lang::En)
        ),
    })
}

/// The message when the worker ran out of memory all the same (an extract below `limit` whose
/// tables were larger than measured): what it can take, and that nothing was kept.
pub fn out_of_memory(limit: u64) -> Bilingual {
    Bilingual {
        nb: format!(
            "Nettleseren gikk tom for minne under arbeidet, og det som var lest er forkastet. \
             Den kan lese uttrekk på opptil omtrent {}; bruk kommandolinjeverktøyet forlop for \
             større uttrekk.",
            limit_words(limit, Lang::Nb)
        ),
        en: format!(
            "The browser ran out of memory while working, and what had been read was dropped. \
             It can read extracts of up to about {}; use the command-line tool forlop for larger \
             extracts.",
            limit_words(limit, Lang::En)
        ),
    }
}

/// Where the files come from, which decides whether [`load`] looks for what needs mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The user's files: headers and codes are checked for the mapping panel.
    UserFiles,
    /// The generator's canonical files: nothing to map, and looking would parse every row a
    /// second time.
    Demo,
}

fn sources<'a>(files: &'a [HeldFile], kinds: &[Option<TableKind>]) -> Vec<SourceFile<'a>> {
    files
        .iter()
        .enumerate()
        .map(|(i, f)| SourceFile {
            name: &f.name,
            bytes: &f.bytes,
            kind: kinds.get(i).copied().flatten(),
        })
        .collect()
}

/// Reads piece `index` of `count` of the big tables (`ingest::read_piece`), for the worker that
/// joins them ([`load`]).
pub fn read_piece(
    files: &[HeldFile],
    kinds: &[Option<TableKind>],
    options: &ReadOptions,
    (index, count): (usize, usize),
    progress: OnProgress<'_>,
) -> ingest::PieceSet {
    let mut report = |p: ingest::LoadProgress| {
        let fraction = p.bytes_done as f32 / p.bytes_total.max(1) as f32;
        progress(Phase::Parsing, &p.file, fraction);
        true
    };
    let sources = sources(files, kinds);
    let options = &with_clock(options);
    // Our callback never cancels, so Err cannot happen.
    ingest::read_piece(&sources, options, index, count, &mut report).unwrap_or_default()
}

/// Reads the files into tables and the quality view, the big tables joined from `pieces` read
/// by other workers where they fit (`ingest::load_with_pieces`; none: read here). The same
/// tables and view either way.
pub fn load(
    files: &[HeldFile],
    kinds: &[Option<TableKind>],
    options: &ReadOptions,
    source: Source,
    pieces: Vec<ingest::PieceSet>,
    progress: OnProgress<'_>,
) -> (Tables, LoadView, bool) {
    let (tables, view, usable, _) =
        load_joined(files, kinds, options, source, (pieces, None), progress);
    (tables, view, usable)
}

/// What each file needs mapped ([`mapping_needs`]) for the held files.
pub fn mapping_of(
    files: &[HeldFile],
    kinds: &[Option<TableKind>],
    options: &ReadOptions,
) -> Vec<MappingNeed> {
    mapping_needs(&sources(files, kinds), options)
}

/// [`load`], with what the files need mapped when already known ([`mapping_of`], worked out
/// while the helpers read their pieces), also saying how many files were joined from `pieces`.
pub fn load_joined(
    files: &[HeldFile],
    kinds: &[Option<TableKind>],
    options: &ReadOptions,
    source: Source,
    (pieces, mapping): (Vec<ingest::PieceSet>, Option<Vec<MappingNeed>>),
    progress: OnProgress<'_>,
) -> (Tables, LoadView, bool, usize) {
    let sources = sources(files, kinds);
    let mut report = |p: ingest::LoadProgress| {
        let fraction = p.bytes_done as f32 / p.bytes_total.max(1) as f32;
        progress(Phase::Parsing, &p.file, fraction);
        true
    };
    let options = &with_clock(options);
    // Our callback never cancels (Cancel terminates the worker instead), so Err cannot happen.
    let loaded =
        ingest::load_with_pieces(&sources, options, pieces, &mut report).unwrap_or_default();
    let usable = loaded.quality.has_usable_data();
    let mut view = load_view(files, &loaded.quality);
    if source == Source::UserFiles {
        view.mapping = mapping.unwrap_or_else(|| mapping_needs(&sources, options));
    }
    (loaded.tables, view, usable, loaded.joined)
}

/// `options` with the user's calendar year, when the page did not give one: a birth year after
/// it is invalid (the engine has no clock). Every worker of an upload reads under it; a piece
/// read under another year (a helper that read the clock across New Year) is not joined.
fn with_clock(options: &ReadOptions) -> ReadOptions {
    ReadOptions {
        current_year: options.current_year.or_else(this_year),
        ..options.clone()
    }
}

/// Persons in the worker's warm-up extract ([`warm_up`]): about 4 000 rows, some tens of
/// milliseconds.
pub const WARM_UP_PERSONS: u32 = 300;

/// How many times the warm-up reads and analyses its extract. V8 moves a WebAssembly function
/// to optimised code once it has run enough of its code (its "tiering budget"); one round of
/// 300 persons spends the reader's budget but not the analysis's, whose loops run once per
/// person or per stay rather than per field. Twelve rounds were measured too: in the
/// benchmark harness (one warm-up round there) the read of 1 M rows went from 330–346 to
/// 302–308 ms, in the worker (after four) it did not move (BENCHMARKS.md, "The shown module
/// first"). The worker runs the rounds one task each, so an upload waits for one at most.
pub const WARM_UP_ROUNDS: u32 = 4;

/// The worker's warm-up: a small synthetic extract read and analysed [`WARM_UP_ROUNDS`] times,
/// the results thrown away, so that the reader's and the analysis's code has run before the
/// user's upload does. V8 first compiles WebAssembly with its baseline compiler and moves a
/// function to optimised code only on a later call once it is hot; a function that runs a
/// whole upload in one call stays on baseline code to its end. Warmed up, the upload's read
/// and analysis run optimised code from the start (BENCHMARKS.md, "The worker warmed up"). The
/// tables of one round are dropped before the next, so the worker's memory grows by one
/// round's.
pub struct WarmUp {
    files: Vec<HeldFile>,
    settings: Settings,
    rounds: u32,
    in_pieces: bool,
    /// The first round's data-quality report and shown year's report, until taken
    /// ([`WarmUp::take_rehearsal`]).
    rehearsal: Option<(LoadView, ReportView)>,
}

/// The smallest piece the warm-up cuts its extract into ([`WarmUp::pieces_round`]): its big
/// files (12–470 kB) in two pieces each.
const WARM_UP_PIECE_BYTES: usize = 4096;

impl WarmUp {
    /// Makes the extract ([`WARM_UP_PERSONS`]); `None` when the generator made nothing.
    /// `in_pieces`: uploads may be read in pieces by helper workers (from
    /// `client::MIN_CORES_FOR_PIECES` logical processors), so each round reads the extract in
    /// pieces too ([`WarmUp::pieces_round`]).
    pub fn new(in_pieces: bool) -> Option<WarmUp> {
        let year = Settings::default().year;
        let files = demo_files(WARM_UP_PERSONS, 1, year, &mut |_, _, _| {}).ok()?;
        Some(WarmUp {
            files,
            settings: Settings::for_year(year),
            rounds: 0,
            in_pieces,
            rehearsal: None,
        })
    }

    /// The extract read in two pieces as a helper and the main worker read an upload
    /// ([`read_piece`] of each, the helper's set as bytes and back, [`load_joined`] joining
    /// them): any worker may take either part. Those paths differ from a whole read down to
    /// the loop over the rows, and a path that first runs at the upload runs on V8's baseline
    /// code to its end: with two workers on 2 cores the first chart came at 782–891 ms
    /// without this, 616–647 with it (BENCHMARKS.md, "The pieces warmed up"). Returns how
    /// many files were joined from the pieces.
    pub fn pieces_round(&self) -> usize {
        let quiet = &mut |_: Phase, _: &str, _: f32| {};
        let kinds = vec![None; self.files.len()];
        let options = ReadOptions {
            min_piece_bytes: Some(WARM_UP_PIECE_BYTES),
            ..ReadOptions::default()
        };
        let helper = read_piece(&self.files, &kinds, &options, (1, 2), quiet);
        let helper = ingest::PieceSet::from_bytes(&helper.to_bytes()).unwrap_or_default();
        let own = read_piece(&self.files, &kinds, &options, (0, 2), quiet);
        let sets = (vec![own, helper], Some(Vec::new()));
        let (tables, _, _, joined) = load_joined(
            &self.files,
            &kinds,
            &options,
            Source::UserFiles,
            sets,
            quiet,
        );
        std::hint::black_box(tables);
        joined
    }

    /// What the page draws off screen so that its own code has run before the first real
    /// report (the app's `rehearsal` module): the first round's data-quality report and the
    /// report of its shown year, once, after that round.
    pub fn take_rehearsal(&mut self) -> Option<(LoadView, ReportView)> {
        self.rehearsal.take()
    }

    /// One round: the extract read and analysed as the worker reads and analyses an upload.
    /// Returns the rows read (0: nothing was).
    pub fn round(&mut self) -> u64 {
        let quiet = &mut |_: Phase, _: &str, _: f32| {};
        let kinds = vec![None; self.files.len()];
        let options = ReadOptions::default();
        let (tables, load_view, usable) = load(
            &self.files,
            &kinds,
            &options,
            Source::UserFiles,
            Vec::new(),
            quiet,
        );
        if self.in_pieces {
            self.pieces_round();
        }
        let settings = &self.settings;
        if usable {
            // The shown year every round; once, the rest of the analysis and its view packed
            // as bytes (V8 compiles a function at its first call: none waits for that at the
            // upload). The shown year's view is packed when the worker posts it to the page
            // as the rehearsal ([`WarmUp::take_rehearsal`]), not here as well.
            let (years, shown) = plan_years(&tables, None, settings.year);
            let (first, view) = analyse_shown_year(&tables, settings, &years, (shown, None), quiet);
            if self.rounds == 0 {
                if !view.is_whole() {
                    let (_, _, whole) =
                        analyse_other_years(&tables, settings, (years, shown), first);
                    std::hint::black_box(crate::protocol::report_to_bytes(&whole));
                }
                self.rehearsal = Some((load_view, view));
            }
        }
        self.rounds += 1;
        tables.episodes.as_ref().map_or(0, |e| e.len() as u64) + tables.persons.len() as u64
    }
}

/// Every round of the warm-up at once ([`WarmUp`]); returns the rows read in a round.
pub fn warm_up() -> u64 {
    let Some(mut warm) = WarmUp::new(false) else {
        return 0;
    };
    (0..WARM_UP_ROUNDS)
        .map(|_| warm.round())
        .last()
        .unwrap_or(0)
}

/// The calendar year on the user's clock.
fn this_year() -> Option<i32> {
    #[cfg(target_arch = "wasm32")]
    let seconds = (js_sys::Date::now() / 1000.0) as i64;
    #[cfg(not(target_arch = "wasm32"))]
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())?;
    ingest::year_at(seconds)
}

/// What each file needs mapped: headers that match nothing (an optional column under an unknown
/// name is worth mapping too), required columns missing, and code values not recognised. Only
/// files that need something are listed.
pub fn mapping_needs(sources: &[SourceFile<'_>], options: &ReadOptions) -> Vec<MappingNeed> {
    let mut out = Vec::new();
    for src in sources {
        let Ok(p) = ingest::inspect(src, options) else {
            continue;
        };
        let unmatched_headers: Vec<String> = p
            .headers
            .iter()
            .zip(&p.matched)
            .filter(|(h, m)| m.is_none() && !h.trim().is_empty())
            .map(|(h, _)| h.clone())
            .collect();
        let need = MappingNeed {
            name: p.name.clone(),
            kind: p.kind,
            missing_required: p.missing_required.iter().map(|c| c.to_string()).collect(),
            unrecognised: p
                .unrecognised
                .iter()
                .filter(|u| !u.values.is_empty())
                .map(|u| UnknownValues {
                    column: u.column.to_string(),
                    header: u.header.clone(),
                    values: u.values.clone(),
                })
                .collect(),
            unmatched_headers,
        };
        if !need.missing_required.is_empty()
            || !need.unrecognised.is_empty()
            || !need.unmatched_headers.is_empty()
        {
            out.push(need);
        }
    }
    out
}

/// The message when nothing usable was read.
pub fn nothing_usable(view: &LoadView) -> Bilingual {
    let first = view.examples.first();
    Bilingual {
        nb: match first {
            Some(e) => format!(
                "Fant ingen brukbare personer. {}: {}",
                e.location, e.message.nb
            ),
            None => "Fant ingen brukbare personer (mangler personer-filen?).".into(),
        },
        en: match first {
            Some(e) => format!(
                "No usable persons were found. {}: {}",
                e.location, e.message.en
            ),
            None => "No usable persons were found (is the persons file missing?).".into(),
        },
    }
}

fn cell_text(c: &Cell, k: u64, lang: Lang) -> String {
    match c {
        Cell::Value { value, .. } => crate::fmt::number(*value, 0, lang),
        Cell::NotEstimable { .. } => "–".to_string(),
        Cell::Suppressed(_) => match lang {
            Lang::Nb => format!("under {k} (prikket)"),
            Lang::En => format!("fewer than {k} (suppressed)"),
        },
    }
}

/// A module's distributions as counts per bin (`None` = suppressed), axis by axis in the order
/// the module gave them.
fn distributions(summary: &[SummaryItem]) -> Vec<(DistributionAxis, Vec<Option<u64>>)> {
    let mut out: Vec<(DistributionAxis, Vec<Option<u64>>)> = Vec::new();
    for item in summary {
        let SummaryKind::Distribution { axis, bin } = item.what else {
            continue;
        };
        let count = item.cell.value().map(|v| v as u64);
        let at = match out.iter().position(|(a, _)| *a == axis) {
            Some(i) => i,
            None => {
                out.push((axis, Vec::new()));
                out.len() - 1
            }
        };
        let bins = &mut out[at].1;
        if bins.len() <= bin as usize {
            bins.resize(bin as usize + 1, None);
        }
        bins[bin as usize] = count;
    }
    out
}

/// One line of a module's summary in words, with the group labels of its declaration.
pub fn summary_line(decl: &ModuleDecl, item: &SummaryItem, k: u64) -> Bilingual {
    use crate::i18n::{tr, Key};
    let base = |b: usize, l: Lang| decl.bases.get(b).map_or("?", |g| g.label.get(l));
    both(|l| {
        let n = cell_text(&item.cell, k, l);
        match item.what {
            SummaryKind::CohortSize => format!(
                "{} ({}): {n}",
                tr(Key::CohortSize, l),
                decl.unit.label().get(l)
            ),
            SummaryKind::GroupSize(b) => format!("{}: {n}", base(b, l)),
            SummaryKind::InSeveralGroups => format!("{}: {n}", tr(Key::InSeveralGroups, l)),
            SummaryKind::GroupPair(a, b) => {
                format!("{} {} {}: {n}", base(a, l), tr(Key::And, l), base(b, l))
            }
            SummaryKind::LargestPair(a, b) => format!(
                "{}: {} {} {}: {n}",
                tr(Key::LargestOverlap, l),
                base(a, l),
                tr(Key::And, l),
                base(b, l)
            ),
            // Drawn as a chart from `ModuleView::distributions`, not written as a line; said in
            // words here only if a caller asks.
            SummaryKind::Distribution { axis, bin } => format!("{axis:?} {bin}: {n}"),
        }
    })
}

/// The report as the page takes it in: areas once, modules by id, each indicator's cells as a
/// [`Grid`]; notes and summaries in words.
pub fn report_view(report: &Report, tables: &Tables) -> ReportView {
    let k = report.settings.min_cell;
    let notes = |ns: &[forlop_core::Note]| -> Vec<Bilingual> {
        ns.iter().map(|n| both(|l| n.text(l))).collect()
    };
    let region_index = |name: &str| {
        report
            .areas
            .iter()
            .position(|a| a.level == Level::Region && a.name == name)
    };
    let community_index = |name: &str| {
        report
            .areas
            .iter()
            .position(|a| a.level == Level::HealthCommunity && a.name == name)
    };
    let areas = report
        .areas
        .iter()
        .map(|a| {
            // The first row of a municipality counts, as in the engine's areas.
            let from_table = |pick: &dyn Fn(&forlop_core::model::AreaRow) -> bool| {
                tables.areas.iter().flatten().find(|r| pick(r))
            };
            let (municipality_name, region, health_community) = match a.level {
                Level::Municipality => {
                    let row = from_table(&|r| r.municipality.to_string() == a.name);
                    (
                        row.and_then(|r| r.municipality_name.clone()),
                        row.and_then(|r| region_index(&r.region)),
                        row.and_then(|r| community_index(&r.health_community)),
                    )
                }
                Level::HealthCommunity => (
                    None,
                    from_table(&|r| r.health_community == a.name)
                        .and_then(|r| region_index(&r.region)),
                    None,
                ),
                Level::Region | Level::Country => (None, None, None),
            };
            AreaView {
                level: a.level,
                name: a.name.clone(),
                municipality_name,
                region,
                health_community,
            }
        })
        .collect();
    ReportView {
        settings: report.settings.clone(),
        unsuppressed: report.unsuppressed,
        rows: report.row_count(),
        areas,
        modules: report
            .modules
            .iter()
            .map(|m| ModuleView {
                id: m.decl.id.to_string(),
                missing: m.missing.clone(),
                units: m.units,
                summary: m
                    .summary
                    .iter()
                    .filter(|s| !matches!(s.what, SummaryKind::Distribution { .. }))
                    .map(|s| summary_line(m.decl, s, k))
                    .collect(),
                notes: notes(&m.notes),
                distributions: distributions(&m.summary),
                pending: false,
            })
            .collect(),
        results: report
            .results
            .iter()
            .map(|r| ResultView {
                id: r.def.id.to_string(),
                module: r.module,
                cells: Grid::from_cells(&r.cells),
                intervals: ResultView::interval_bytes(&r.intervals),
                variation: r.variation.clone(),
            })
            .collect(),
        unavailable: report
            .unavailable
            .iter()
            .map(|u| (u.indicator.to_string(), u.missing.clone()))
            .collect(),
        notes: notes(&report.notes),
        timings: Vec::new(),
        years: YearsView {
            computed: vec![report.settings.year],
            ..YearsView::default()
        },
        other_years: Vec::new(),
        pending_years: Vec::new(),
    }
}

/// Years computed at most: the shown year and the nine before it.
pub const MAX_YEARS: i32 = 10;

/// Which years to compute and which to show: [`YearsView::computed`] and `shown`.
///
/// The years of the data are its years of activity (`forlop_core::years::activity_years`; with
/// the analysis year from the same pass, `activity_and_analysis_year`).
/// Without the user's year: the engine's rule, the same as the CLI's
/// (`forlop_core::years::analysis_year`); then every year of the data up to it (at most
/// [`MAX_YEARS`]), only years with population when there is a population table. With the user's year: that year is shown and computed beside them.
/// Without dated rows: `fallback` (the start form's year).
pub fn plan_years(tables: &Tables, year_override: Option<i32>, fallback: i32) -> (YearsView, i32) {
    // Years of activity (stays, contacts): a service start years back is not a year of the data.
    let (present, analysis_year) = forlop_core::years::activity_and_analysis_year(tables);
    let population = forlop_core::years::population_years(tables);
    let with_population = |y: i32| population.is_empty() || population.contains(&y);
    let (latest, reason) = match analysis_year {
        Some((
            year,
            YearChoice::LatestComplete {
                latest_date,
                passed_over_partial_year,
                passed_over_without_population,
            },
        )) => (
            year,
            YearReason::LatestComplete {
                latest_date: latest_date.to_string(),
                passed_over_partial_year,
                passed_over_without_population,
            },
        ),
        Some((year, YearChoice::PartialYear { latest_date })) => (
            year,
            YearReason::PartialYear {
                latest_date: latest_date.to_string(),
            },
        ),
        None => (fallback, YearReason::NoDates),
    };
    let (shown, reason) = match year_override {
        Some(y) => (y, YearReason::Override),
        None => (latest, reason),
    };
    let mut computed: Vec<i32> = present
        .iter()
        .copied()
        .filter(|&y| y <= latest && y > latest - MAX_YEARS && with_population(y))
        .chain([latest, shown])
        .collect();
    computed.sort_unstable();
    computed.dedup();
    (
        YearsView {
            present,
            population,
            computed,
            reason,
        },
        shown,
    )
}

/// The shown year's analysis, first of the two an analysis is posted in: the page draws its
/// cards from it while the worker computes the rest ([`analyse_other_years`]). When more than
/// one module is computed, only the module the page shows ([`first_module`]) is: the page
/// shows one module at a time, and the others took 40 % of the analysis before the first chart
/// (BENCHMARKS.md, "The shown module first"). The view's `years.computed` is the shown year
/// alone, its `pending_years` the other years, and its other modules are listed
/// [`ModuleView::pending`]; it is whole ([`ReportView::is_whole`]) when nothing is put off.
pub fn analyse_shown_year(
    tables: &Tables,
    settings: &Settings,
    years: &YearsView,
    (shown, wanted): (i32, Option<&str>),
    progress: OnProgress<'_>,
) -> (FirstReport, ReportView) {
    let alone = YearsView {
        computed: vec![shown],
        ..years.clone()
    };
    let at_shown = Settings {
        year: shown,
        ..settings.clone()
    };
    if let Some(first) = first_module(tables, &at_shown, wanted) {
        let one = analyse(tables, &only(&at_shown, &[first]), progress);
        if let Some(mut view) = first_module_view(&one, tables, &at_shown, alone.clone()) {
            view.pending_years = years_besides(years, shown);
            return (FirstReport::OneModule(Box::new(one)), view);
        }
    }
    let first = analyse_years(tables, settings, &[shown], progress);
    let mut view = years_view(&first, 0, tables, alone);
    view.pending_years = years_besides(years, shown);
    (FirstReport::Whole(first), view)
}

/// `settings` computing the modules `ids` only.
fn only(settings: &Settings, ids: &[&str]) -> Settings {
    Settings {
        modules: Some(ids.iter().map(|id| id.to_string()).collect()),
        ..settings.clone()
    }
}

/// The modules `settings` computes, in registry order: those of the whole report.
fn modules_run(settings: &Settings) -> impl Iterator<Item = &'static ModuleDecl> + '_ {
    forlop_core::modules::all()
        .iter()
        .map(|m| m.decl())
        .filter(|d| settings.runs(d))
}

/// The module computed first: the one the page shows (`wanted`, its id) when it is computed,
/// else the first computed one — the page's own rule for the module it shows
/// (`pages/results.rs`). `None` when fewer than two modules are computed: nothing to put off.
pub fn first_module(
    tables: &Tables,
    settings: &Settings,
    wanted: Option<&str>,
) -> Option<&'static str> {
    let computed: Vec<&'static str> = modules_run(settings)
        .filter(|d| tables.missing(d.tables).is_empty())
        .map(|d| d.id)
        .collect();
    if computed.len() < 2 {
        return None;
    }
    wanted
        .and_then(|w| computed.iter().copied().find(|&id| id == w))
        .or(computed.first().copied())
}

/// The view of `one`, the report of one module of `settings.year`, listed among every module
/// the whole report will have, in its order: the others missing a table as missing (as the
/// whole report has them), the rest [`ModuleView::pending`]. `None` when the year gives no
/// modules at all (an unusable year: nothing to put off).
fn first_module_view(
    one: &Report,
    tables: &Tables,
    settings: &Settings,
    years: YearsView,
) -> Option<ReportView> {
    let first = one.modules.first()?.decl.id;
    let mut view = years_view(std::slice::from_ref(one), 0, tables, years);
    let computed = view.modules.pop().filter(|_| view.modules.is_empty())?;
    view.settings = settings.clone();
    let mut index = 0;
    view.modules = modules_run(settings)
        .enumerate()
        .map(|(i, d)| {
            if d.id == first {
                index = i;
                return computed.clone();
            }
            let missing = tables.missing(d.tables);
            ModuleView {
                id: d.id.to_string(),
                pending: missing.is_empty(),
                missing,
                units: None,
                summary: Vec::new(),
                notes: Vec::new(),
                distributions: Vec::new(),
            }
        })
        .collect();
    for result in &mut view.results {
        result.module = index;
    }
    Some(view)
}

/// The report of one year computed in two parts of its modules (`parts`, each the report of
/// some modules under `settings`), as the report of all of them at once: the modules, their
/// results and their unavailable indicators in registry order, each result pointing at its
/// module's new place. Everything else of a report does not depend on the modules but its
/// last note, the standard rate's note, which the first standardised indicator whose strata
/// cannot be built adds: the strata fail alike over adults and over everyone (a population
/// row without age or sex fails both; a standard year without rows fails both but for a
/// population of children only in that year, which the rows of the other year would not
/// standardise either), so two parts that have it have the same one.
fn merge_module_reports(parts: [Report; 2], settings: Settings) -> Report {
    let rank = |id: &str| {
        forlop_core::modules::all()
            .iter()
            .position(|m| m.decl().id == id)
            .unwrap_or(usize::MAX)
    };
    let [a, b] = parts;
    let notes = if b.notes.len() > a.notes.len() {
        b.notes.clone()
    } else {
        a.notes.clone()
    };
    let (unsuppressed, population_basis) = (a.unsuppressed, a.population_basis);
    let (areas, unusable_tables) = (a.areas.clone(), a.unusable_tables.clone());
    let mut results: Vec<(&'static str, forlop_core::IndicatorResult)> = Vec::new();
    let mut modules: Vec<forlop_core::ModuleSection> = Vec::new();
    let mut unavailable: Vec<forlop_core::Unavailable> = Vec::new();
    for part in [a, b] {
        for r in part.results {
            let id = part.modules.get(r.module).map_or("", |m| m.decl.id);
            results.push((id, r));
        }
        modules.extend(part.modules);
        unavailable.extend(part.unavailable);
    }
    modules.sort_by_key(|m| rank(m.decl.id));
    results.sort_by_key(|(id, _)| rank(id));
    unavailable.sort_by_key(|u| {
        forlop_core::indicator::find(u.indicator).map_or(usize::MAX, |d| rank(d.module))
    });
    let results = results
        .into_iter()
        .map(|(id, mut r)| {
            r.module = modules.iter().position(|m| m.decl.id == id).unwrap_or(0);
            r
        })
        .collect();
    Report {
        settings,
        unsuppressed,
        population_basis,
        notes,
        areas,
        modules,
        results,
        unavailable,
        unusable_tables,
    }
}

/// The years of `years.computed` other than `shown`, ascending: the ones
/// [`analyse_shown_year`] leaves to [`analyse_other_years`].
fn years_besides(years: &YearsView, shown: i32) -> Vec<i32> {
    years
        .computed
        .iter()
        .copied()
        .filter(|&y| y != shown)
        .collect()
}

/// The rest after [`analyse_shown_year`] (no progress: the page shows results by then): the
/// other years, and the shown year's other modules when only its first was computed; every
/// year's report in year order, the shown one's index among them, and the whole view — the
/// same as analysing every year at once.
pub fn analyse_other_years(
    tables: &Tables,
    settings: &Settings,
    (years, shown): (YearsView, i32),
    first: FirstReport,
) -> (Vec<Report>, usize, ReportView) {
    let first = match first {
        FirstReport::Whole(reports) => reports,
        FirstReport::OneModule(one) => {
            let at_shown = Settings {
                year: shown,
                ..settings.clone()
            };
            let done: Vec<&str> = one.modules.iter().map(|m| m.decl.id).collect();
            let others: Vec<&str> = modules_run(&at_shown)
                .map(|d| d.id)
                .filter(|id| !done.contains(id))
                .collect();
            let rest = analyse(tables, &only(&at_shown, &others), &mut |_, _, _| {});
            vec![merge_module_reports([*one, rest], at_shown)]
        }
    };
    let rest = analyse_years(
        tables,
        settings,
        &years_besides(&years, shown),
        &mut |_, _, _| {},
    );
    let mut reports: Vec<Report> = first.into_iter().chain(rest).collect();
    reports.sort_by_key(|r| r.settings.year);
    let at = reports
        .iter()
        .position(|r| r.settings.year == shown)
        .unwrap_or(0);
    let view = years_view(&reports, at, tables, years);
    (reports, at, view)
}

/// Computes every year of `years.computed` (progress across all of them) and returns the
/// reports in that order.
pub fn analyse_years(
    tables: &Tables,
    settings: &Settings,
    years: &[i32],
    progress: OnProgress<'_>,
) -> Vec<Report> {
    let n = years.len().max(1) as f32;
    years
        .iter()
        .enumerate()
        .map(|(i, &year)| {
            let settings = Settings {
                year,
                ..settings.clone()
            };
            analyse(tables, &settings, &mut |p, d, f| {
                progress(p, d, (i as f32 + f) / n)
            })
        })
        .collect()
}

/// The page's view of several years' reports: the report of `shown` in full
/// ([`report_view`]), the others as [`YearView`]s aligned with its results, `rows` the long
/// table of all of them (what an export holds).
pub fn years_view(
    reports: &[Report],
    shown: usize,
    tables: &Tables,
    years: YearsView,
) -> ReportView {
    let Some(main) = reports.get(shown) else {
        return ReportView {
            years,
            ..ReportView::default()
        };
    };
    let mut view = report_view(main, tables);
    view.rows = reports.iter().map(Report::row_count).sum();
    view.other_years = reports
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != shown)
        .map(|(_, r)| {
            let v = report_view(r, tables);
            let cells = view
                .results
                .iter()
                .map(|res| {
                    v.results
                        .iter()
                        .find(|x| x.id == res.id)
                        .map(|x| x.cells.clone())
                        .unwrap_or_default()
                })
                .collect();
            YearView {
                year: r.settings.year,
                modules: v.modules,
                cells,
                unavailable: v.unavailable,
                notes: v.notes,
            }
        })
        .collect();
    view.years = years;
    view
}

/// Runs the engine; the report stays in the worker, [`report_view`] is what the page gets.
pub fn analyse(tables: &Tables, settings: &Settings, progress: OnProgress<'_>) -> Report {
    let mut step = |phase: forlop_core::Phase, f: f32| {
        let name = match phase {
            forlop_core::Phase::Stays => "1/5",
            forlop_core::Phase::Cohort => "2/5",
            forlop_core::Phase::Aggregate => "3/5",
            forlop_core::Phase::Indicators => "4/5",
            forlop_core::Phase::Output => "5/5",
        };
        progress(Phase::Computing, name, f);
        true
    };
    match forlop_core::analyse_with_progress(tables, settings, &mut step) {
        Ok(r) => r,
        // Our callback never cancels (Cancel terminates the worker instead).
        Err(_) => forlop_core::analyse(tables, settings),
    }
}

/// The tables of a small `forlop synth` extract (canonical files, no defects), read as the app
/// reads them: test data for the engine's and the report's tests.
#[cfg(test)]
pub(crate) fn synth_tables(persons: usize, year: i32) -> Tables {
    let files: Vec<HeldFile> = forlop_synth::generate(&forlop_synth::SynthConfig {
        persons,
        seed: 7,
        year,
        defects: false,
        format: forlop_synth::FileFormat::Canonical,
    })
    .files
    .into_iter()
    .map(|f| HeldFile {
        name: f.name,
        bytes: f.bytes,
    })
    .collect();
    load(
        &files,
        &vec![None; files.len()],
        &ReadOptions::default(),
        Source::Demo,
        Vec::new(),
        &mut |_, _, _| {},
    )
    .0
}

/// Every year [`plan_years`] computes for a small extract ending in `year` (without a year
/// override; the analysis year 2024 as a fallback), analysed and packed as the worker packs
/// them: the engine's reports, in year order, and the page's view of the shown year.
#[cfg(test)]
pub(crate) fn synth_years_view(persons: usize, year: i32) -> (Tables, Vec<Report>, ReportView) {
    let tables = synth_tables(persons, year);
    let settings = Settings::for_year(2024);
    let (years, shown) = plan_years(&tables, None, 2024);
    let reports = analyse_years(&tables, &settings, &years.computed, &mut |_, _, _| {});
    let at = reports
        .iter()
        .position(|r| r.settings.year == shown)
        .unwrap_or(0);
    let view = years_view(&reports, at, &tables, years);
    (tables, reports, view)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> HeldFile {
        HeldFile {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn the_warm_up_reads_a_small_extract_and_keeps_nothing() {
        // 300 persons and their episodes are read (more rows than persons), nothing is held.
        let rows = warm_up();
        assert!(rows > u64::from(WARM_UP_PERSONS) && rows < 50_000, "{rows}");
    }

    /// Read in pieces, the warm-up's three big files (episodes, services, primary care) are
    /// each cut and joined from the two pieces: the pieces' paths have run.
    #[test]
    fn the_warm_up_in_pieces_cuts_and_joins_every_big_file() {
        let warm = WarmUp::new(true).unwrap();
        assert_eq!(warm.pieces_round(), 3);
    }

    #[test]
    fn the_warm_up_hands_its_first_round_to_the_page_once() {
        let mut warm = WarmUp::new(false).unwrap();
        assert!(warm.take_rehearsal().is_none(), "nothing before a round");
        warm.round();
        let (load, report) = warm.take_rehearsal().expect("the first round's results");
        // Every file of the extract, each read and used: the quality panel has rows to show.
        assert_eq!(load.files.len(), warm.files.len());
        assert!(load
            .files
            .iter()
            .all(|f| f.kind.is_some() && f.rows_used > 0));
        // The page shows the first computed module: it has cards to draw.
        let first = report.modules.iter().position(|m| m.computed()).unwrap();
        assert!(!report.results_of(first).is_empty());
        assert!(warm.take_rehearsal().is_none(), "taken once");
        warm.round();
        assert!(warm.take_rehearsal().is_none(), "the first round's only");
    }

    #[test]
    fn an_upload_over_the_limit_is_refused_with_the_size_it_can_take() {
        assert_eq!(upload_too_large(5_000_000, 5_000_000), None);
        let msg = upload_too_large(1_234_567_890, 800_000_000).unwrap_or_default();
        // 1 234 567 890 B → 1 235 MB; 8e8 B / 58 B a row = 13 793 103 rows → 13 000 000 (two
        // significant digits, rounded down).
        assert_eq!(
            msg.en,
            "The files add up to 1,235 MB. The browser can read extracts of up to 800 MB (about \
             13,000,000 rows) without running out of memory, so they were not read. Use the \
             command-line tool forlop for larger extracts, or upload a smaller extract."
        );
        assert!(
            msg.nb.starts_with(
                "Filene er til sammen 1\u{202F}235 MB. Nettleseren kan lese uttrekk på opptil \
                 800 MB (omtrent 13\u{202F}000\u{202F}000 rader)"
            ),
            "{}",
            msg.nb
        );
        // A small limit, in MB with one decimal: 300 000 B / 58 = 5 172 rows → 5 100.
        let small = upload_too_large(612_345, 300_000).unwrap_or_default();
        assert!(
            small.en.contains("up to 0.3 MB (about 5,100 rows)"),
            "{}",
            small.en
        );
        assert!(
            small.en.starts_with("The files add up to 0.6 MB."),
            "{}",
            small.en
        );
        assert!(
            small.nb.starts_with("Filene er til sammen 0,6 MB."),
            "{}",
            small.nb
        );
        // 2e6 / 58 = 34 482 → 34 000.
        let oom = out_of_memory(2_000_000);
        assert!(
            oom.en.contains("up to about 2.0 MB (about 34,000 rows)"),
            "{}",
            oom.en
        );
        assert!(
            oom.nb
                .contains("opptil omtrent 2,0 MB (omtrent 34\u{202F}000 rader)"),
            "{}",
            oom.nb
        );
    }

    #[test]
    fn malformed_file_is_named_with_a_line_and_nothing_usable() {
        let files = vec![file("rubbish.csv", "")];
        let (_, view, usable) = load(
            &files,
            &[None],
            &ReadOptions::default(),
            Source::UserFiles,
            Vec::new(),
            &mut |_, _, _| {},
        );
        assert!(!usable);
        assert_eq!(view.files.len(), 1);
        assert_eq!(view.files[0].name, "rubbish.csv");
        let msg = nothing_usable(&view);
        assert!(msg.en.contains("rubbish.csv:1"), "{}", msg.en);
    }

    #[test]
    fn the_view_holds_every_cell_of_the_report_and_the_opt_in_module_when_asked() {
        let tables = synth_tables(300, 2024);
        let settings = Settings {
            modules: Some(vec!["smi".into(), "example".into()]),
            ..Settings::for_year(2024)
        };
        let report = analyse(&tables, &settings, &mut |_, _, _| {});
        let view = report_view(&report, &tables);
        assert_eq!(view.rows, report.row_count());
        assert_eq!(view.areas.len(), report.areas.len());
        let ids: Vec<&str> = view.modules.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["smi", "example"]);
        for (r, v) in report.results.iter().zip(&view.results) {
            assert_eq!(v.id, r.def.id);
            for (i, c) in r.cells.iter().enumerate() {
                assert_eq!(v.cells.cell(i).as_ref(), Some(c));
            }
        }
        assert!(view.results.iter().any(|r| r.id == "example.gp_patients"));
        // Summaries are in words, with the declaration's labels.
        let smi = &view.modules[0];
        assert!(!smi.summary.is_empty());
    }

    #[test]
    fn a_two_year_extract_shows_its_latest_year_and_computes_both() {
        // forlop synth --year 2021 writes 2020 and 2021 (population for both).
        let tables = synth_tables(300, 2021);
        let (years, shown) = plan_years(&tables, None, 2024);
        assert_eq!(shown, 2021);
        assert_eq!(years.computed, vec![2020, 2021]);
        assert_eq!(years.population, vec![2020, 2021]);
        assert!(matches!(
            years.reason,
            YearReason::LatestComplete {
                passed_over_without_population: false,
                ..
            }
        ));
        // The user's year is shown and computed beside the data's.
        let (over, shown) = plan_years(&tables, Some(2023), 2024);
        assert_eq!((over.computed, shown), (vec![2020, 2021, 2023], 2023));
        assert_eq!(over.reason, YearReason::Override);
        // Without dates: the form's year.
        let (none, shown) = plan_years(&Tables::default(), None, 2024);
        assert_eq!(
            (none.computed, shown, none.reason),
            (vec![2024], 2024, YearReason::NoDates)
        );
    }

    #[test]
    fn the_shown_year_and_module_first_then_the_rest_make_the_view_of_every_year_at_once() {
        let (tables, reports, at_once) = synth_years_view(300, 2021);
        assert_eq!(at_once.years.computed, vec![2020, 2021]);
        let settings = Settings::for_year(2024);
        let every: Vec<&str> = at_once.modules.iter().map(|m| m.id.as_str()).collect();
        // The synthetic extract has every table: every module but the opt-in example computes.
        assert_eq!(every, ["smi", "ready", "door", "path", "flow", "ladder"]);
        // The latest year shown (2021), and the earlier one asked for (2020); the page showing
        // no module yet, the third one, or one this build does not know.
        for (year_override, shown, pending) in [(None, 2021, 2020), (Some(2020), 2020, 2021)] {
            for (wanted, first) in [(None, "smi"), (Some("door"), "door"), (Some("gone"), "smi")] {
                let (years, planned) = plan_years(&tables, year_override, 2024);
                assert_eq!(planned, shown);
                let (reports_first, view) = analyse_shown_year(
                    &tables,
                    &settings,
                    &years,
                    (shown, wanted),
                    &mut |_, _, _| {},
                );
                assert!(matches!(reports_first, FirstReport::OneModule(_)) && !view.is_whole());
                // The first view: the shown year alone, the other one named as still to come;
                // the wanted module computed, the others listed in their places, pending.
                assert_eq!(
                    view.settings,
                    Settings {
                        year: shown,
                        ..settings.clone()
                    }
                );
                assert_eq!(
                    (view.years.computed.clone(), view.pending_years.clone()),
                    (vec![shown], vec![pending])
                );
                assert!(view.other_years.is_empty());
                let ids: Vec<&str> = view.modules.iter().map(|m| m.id.as_str()).collect();
                assert_eq!(ids, every);
                let computed: Vec<&str> = view
                    .modules
                    .iter()
                    .filter(|m| m.computed())
                    .map(|m| m.id.as_str())
                    .collect();
                assert_eq!(computed, [first]);
                assert!(view.modules.iter().all(|m| m.pending == (m.id != first)));
                let (all, at, whole) =
                    analyse_other_years(&tables, &settings, (years.clone(), shown), reports_first);
                // Whole: the same reports, in year order, and the same view as computing both
                // at once.
                assert_eq!(
                    all.iter().map(|r| r.settings.year).collect::<Vec<_>>(),
                    vec![2020, 2021]
                );
                assert_eq!(all[at].settings.year, shown);
                assert_eq!(
                    all.iter().map(Report::row_count).collect::<Vec<_>>(),
                    reports.iter().map(Report::row_count).collect::<Vec<_>>()
                );
                let expected = years_view(&reports, at, &tables, years);
                assert_eq!(whole, expected);
                assert!(whole.is_whole());
                // The cards drawn from the first view stay right: its module's results are the
                // whole view's, at the same module index, in the same order.
                let index = every.iter().position(|&id| id == first).unwrap();
                let of_first: Vec<_> = whole
                    .results
                    .iter()
                    .filter(|r| r.module == index)
                    .cloned()
                    .collect();
                assert_eq!(view.results, of_first);
                assert!(!view.results.is_empty());
                assert_eq!(view.modules[index], whole.modules[index]);
                assert_eq!(view.areas, whole.areas);
            }
        }
        // One module asked for: nothing to put off but the other year.
        let smi_only = Settings {
            modules: Some(vec!["smi".into()]),
            ..settings.clone()
        };
        let (years, shown) = plan_years(&tables, None, 2024);
        let (reports_first, view) = analyse_shown_year(
            &tables,
            &smi_only,
            &years,
            (shown, Some("door")),
            &mut |_, _, _| {},
        );
        assert!(matches!(reports_first, FirstReport::Whole(_)));
        assert_eq!(view.modules.len(), 1);
        assert!(!view.modules[0].pending && view.pending_years == vec![2020]);
        // One year, one module computed (the others miss a table): the first view is whole.
        let mut one = synth_tables(300, 2021);
        one.primary_care = None;
        one.municipal_services = None;
        let mut years = plan_years(&one, None, 2024).0;
        years.computed = vec![2021];
        let smi_and_ladder = Settings {
            modules: Some(vec!["smi".into(), "ladder".into()]),
            ..settings.clone()
        };
        let (reports_first, view) = analyse_shown_year(
            &one,
            &smi_and_ladder,
            &years,
            (2021, None),
            &mut |_, _, _| {},
        );
        assert!(view.is_whole() && matches!(reports_first, FirstReport::Whole(_)));
        assert_eq!(
            view.modules
                .iter()
                .map(|m| (m.id.as_str(), m.computed()))
                .collect::<Vec<_>>(),
            [("smi", true), ("ladder", false)]
        );
    }

    #[test]
    fn two_parts_of_the_modules_merge_into_the_report_of_all_at_once() {
        let tables = synth_tables(300, 2021);
        let settings = Settings::for_year(2021);
        // The standard rates' note in both parts, in one, or in none: a population row without
        // age, a standard year without rows, no population at all.
        let mut without_age = tables.clone();
        if let Some(row) = without_age
            .population
            .iter_mut()
            .flatten()
            .find(|r| r.year == 2021)
        {
            row.age = None;
        }
        let mut no_population = tables.clone();
        no_population.population = None;
        let no_standard_year = Settings {
            comparison: forlop_core::settings::ComparisonSettings {
                standard_year: Some(1999),
                ..settings.comparison.clone()
            },
            ..settings.clone()
        };
        use forlop_core::Note;
        let without_year = Note::StandardWithoutYear { year: 1999 };
        let cases = [
            (&tables, &settings, None),
            (&without_age, &settings, Some(Note::StandardWithoutAgeOrSex)),
            (&no_population, &settings, None),
            (&tables, &no_standard_year, Some(without_year)),
        ];
        for (tables, settings, note) in cases {
            let at_once = analyse(tables, settings, &mut |_, _, _| {});
            let standard = |n: &&Note| {
                matches!(
                    n,
                    Note::StandardWithoutAgeOrSex | Note::StandardWithoutYear { .. }
                )
            };
            assert_eq!(at_once.notes.iter().find(standard), note.as_ref());
            let every: Vec<&str> = at_once.modules.iter().map(|m| m.decl.id).collect();
            assert!(every.len() >= 6);
            for first in &every {
                let rest: Vec<&str> = every.iter().copied().filter(|id| id != first).collect();
                let parts = [
                    analyse(tables, &only(settings, &[first]), &mut |_, _, _| {}),
                    analyse(tables, &only(settings, &rest), &mut |_, _, _| {}),
                ];
                let merged = merge_module_reports(parts, settings.clone());
                assert_eq!(
                    format!("{merged:?}"),
                    format!("{at_once:?}"),
                    "{first} first"
                );
            }
        }
    }

    #[test]
    fn years_put_off_are_computed_before_anything_reads_the_reports() {
        let (tables, reports, at_once) = synth_years_view(300, 2021);
        let settings = Settings::for_year(2024);
        let (years, shown) = plan_years(&tables, None, 2024);
        let (first, _) =
            analyse_shown_year(&tables, &settings, &years, (shown, None), &mut |_, _, _| {});
        let mut held = Held {
            tables: Some(tables),
            ..Held::default()
        };
        held.put_off(PendingRest {
            settings,
            years,
            shown,
            first,
            timings: vec![("read".into(), 1.0)],
        });
        // Meanwhile no report is kept: an export must finish them first (the worker does).
        assert!(held.reports().is_empty() && held.last.is_none());
        let (whole, timings) = held.finish_pending().expect("the other year waited");
        assert_eq!(timings, vec![("read".to_string(), 1.0)]);
        assert_eq!(whole, at_once);
        // Every year kept, the shown one as `last`: the export is the one of both at once.
        let kept: Vec<i32> = held.reports().iter().map(|r| r.settings.year).collect();
        assert_eq!(kept, vec![2020, 2021]);
        assert_eq!(held.last.as_ref().map(|r| r.settings.year), Some(2021));
        let expected: Vec<&Report> = reports.iter().collect();
        assert_eq!(
            crate::export::long_table_csv_of(&held.reports()),
            crate::export::long_table_csv_of(&expected)
        );
        // Done once: nothing waits any more.
        assert!(held.finish_pending().is_none());
    }

    #[test]
    fn an_extract_of_part_of_one_year_shows_that_year_not_an_empty_one() {
        let mut tables = synth_tables(300, 2021);
        // Keep only stays admitted and discharged January–May 2021.
        fn in_spring(d: impl ToString) -> bool {
            let d = d.to_string();
            ("2021-01-01".."2021-06-01").contains(&d.as_str())
        }
        if let Some(e) = tables.episodes.as_mut() {
            e.retain(|e| in_spring(e.admit_date) && e.discharge_date.is_some_and(in_spring));
        }
        tables.primary_care = None;
        tables.municipal_services = None;
        let (years, shown) = plan_years(&tables, None, 2024);
        assert_eq!((shown, years.computed.clone()), (2021, vec![2021]));
        assert!(matches!(years.reason, YearReason::PartialYear { .. }));
    }

    #[test]
    fn without_population_for_the_latest_year_the_year_before_is_shown() {
        let mut tables = synth_tables(300, 2021);
        if let Some(p) = tables.population.as_mut() {
            p.retain(|r| r.year == 2020);
        }
        let (years, shown) = plan_years(&tables, None, 2024);
        assert_eq!((shown, years.computed), (2020, vec![2020]));
        assert!(matches!(
            years.reason,
            YearReason::LatestComplete {
                passed_over_without_population: true,
                ..
            }
        ));
    }

    #[test]
    fn every_year_of_the_view_and_its_trend_equal_the_engines_reports() {
        let (_, reports, view) = synth_years_view(300, 2021);
        assert_eq!(reports.len(), 2);
        assert_eq!(view.settings.year, 2021);
        assert_eq!(view.rows, reports[0].row_count() + reports[1].row_count());
        assert_eq!(view.other_years.len(), 1);
        assert_eq!(view.other_years[0].year, 2020);
        // Each year's cells, through the trend and through the swapped view, are the engine's.
        let n_areas = view.areas.len();
        for (i, res) in view.results.iter().enumerate() {
            for (y, report) in [(2020, &reports[0]), (2021, &reports[1])] {
                let engine = report.results.iter().find(|r| r.def.id == res.id).unwrap();
                let swapped = view.showing(y).unwrap();
                assert_eq!(swapped.settings.year, y);
                for (c, cell) in engine.cells.iter().enumerate() {
                    let (g, a) = (c / n_areas, c % n_areas);
                    let trend = view.trend(i, g, a);
                    assert_eq!(trend.len(), 2);
                    let k = if y == 2020 { 0 } else { 1 };
                    assert_eq!(trend[k], (y, Some(*cell)));
                    assert_eq!(swapped.cell(&swapped.results[i], g, a), Some(*cell));
                }
            }
        }
        // Swapping back gives the original view.
        assert_eq!(view.showing(2020).unwrap().showing(2021).unwrap(), view);
        assert_eq!(view.showing(2019), None);
        // The worker's held reports follow the year shown; the export holds both years.
        let mut held = Held::default();
        let at = reports
            .iter()
            .position(|r| r.settings.year == 2021)
            .unwrap();
        held.keep(reports, at);
        assert!(held.show_year(2020));
        assert_eq!(held.last.as_ref().unwrap().settings.year, 2020);
        let years: Vec<i32> = held.reports().iter().map(|r| r.settings.year).collect();
        assert_eq!(years, vec![2020, 2021]);
        assert!(!held.show_year(2019));
    }
}
