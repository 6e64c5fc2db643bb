//! The Web Worker: reads files, makes demo data and runs the engine off the page's thread.
//! Started by the page as `worker_loader.js` (Trunk's loader shim for the no-modules build).
//! A job arrives as `{ job: ToWorker, files: File[] }`; answers are `{ msg: FromWorker }`, with
//! `file: Uint8Array` beside an exported file (messages as JS values, `protocol::encode`); the
//! report is `{ report: Uint8Array }` (`protocol::report_to_bytes`).

use forlop_app::engine::{self, Held, HeldFile, Source};
use forlop_app::protocol::{decode, encode, Bilingual, ExportFormat, FromWorker, Phase, ToWorker};
use forlop_core::ingest::PieceSet;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent};

/// Files are copied into wasm memory 16 MiB at a time: never one JS string, never one huge buffer.
const SLICE: f64 = 16.0 * 1024.0 * 1024.0;

/// The least time between two progress messages of one phase (ms): the bar moves about 20
/// times a second, smooth to the eye, and the page is not kept re-rendering it ([`progress`]).
const PROGRESS_EVERY_MS: f64 = 50.0;

thread_local! {
    static HELD: RefCell<Held> = RefCell::new(Held::default());
    /// The patient survey read or made by the last survey job.
    static SURVEY: RefCell<Option<forlop_app::survey::SurveyHeld>> = const { RefCell::new(None) };
    /// The last progress posted: phase, file, fraction, when ([`now`]).
    static LAST_PROGRESS: RefCell<Option<(Phase, String, f32, f64)>> = const { RefCell::new(None) };
    /// The helpers' pieces handed on by the page while a [`ToWorker::Files`] job waits for
    /// them: (index, bytes; `None` = that helper failed).
    static PIECES: RefCell<Vec<(u32, Option<Vec<u8>>)>> = const { RefCell::new(Vec::new()) };
    /// Wakes the job waiting for [`PIECES`].
    static WAKE: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    /// The fraction the bar may not go below: while this worker reads its piece, then joins
    /// (whose reading of the small tables starts at 0 again), the bar only moves forward.
    static FLOOR: std::cell::Cell<f32> = const { std::cell::Cell::new(0.0) };
    /// Whether a job has arrived: a worker given one at once (the demo, a parse helper) does
    /// not warm up.
    static JOB_SEEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The working memory's blocks while they are being written ([`take_working_memory`]),
    /// freed at once when a job comes.
    static WORKING_MEMORY: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    /// How long the warm-up took (ms; 0 when it did not run), given with the next upload's
    /// timings as `warm_up`.
    static WARM_UP_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
    /// When the warm-up ended (`at_warm_up_done`, on the clock every thread shares).
    static WARM_UP_DONE_AT: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
    /// When the last message reached the worker (`at_message`; `at_job` is when its job began).
    static MESSAGE_AT: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
    /// The mapping check of the files last read, put off until the page asks
    /// ([`ToWorker::FinishJob`]).
    static MAPPING_DUE: RefCell<Option<MappingDue>> = const { RefCell::new(None) };
    /// The module the page shows ([`ToWorker::ShowModule`]): an analysis computes it first.
    static SHOWN_MODULE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// What the mapping check after the results needs besides the held files.
struct MappingDue {
    /// The load view posted before the results, posted again with what needs mapping.
    view: forlop_app::protocol::LoadView,
    kinds: Vec<Option<forlop_core::model::TableKind>>,
    options: forlop_core::ingest::ReadOptions,
}

/// What the files need mapped (`engine::mapping_of`, a second pass over every file), when
/// the last upload's check is due: the mapping panel follows the first chart by that pass,
/// instead of the first chart waiting for it (or, with the pass right after the results, the
/// page's drawing sharing two cores with it).
fn mapping_check() {
    let Some(mut due) = MAPPING_DUE.with(|m| m.borrow_mut().take()) else {
        return;
    };
    due.view.mapping =
        HELD.with(|h| engine::mapping_of(&h.borrow().files, &due.kinds, &due.options));
    if !due.view.mapping.is_empty() {
        post(&FromWorker::Loaded(due.view));
    }
}

/// Panics are said in words, flagged `panic: true` (then the worker traps, and the page,
/// which replaces it, knows the trap was this panic). A trap without such a message before it
/// is the allocator's abort when WebAssembly memory has run out (`client.rs`).
fn panic_hook(info: &std::panic::PanicHookInfo<'_>) {
    console_error_panic_hook::hook(info);
    let envelope = js_sys::Object::new();
    let msg = FromWorker::Failed {
        nb: format!("Arbeideren stoppet med en feil: {info}"),
        en: format!("The worker stopped with an error: {info}"),
    };
    let _ = js_sys::Reflect::set(&envelope, &"msg".into(), &encode(&msg));
    let _ = js_sys::Reflect::set(&envelope, &"panic".into(), &JsValue::TRUE);
    let _ = scope().post_message(&envelope);
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(msg: &FromWorker) {
    let envelope = js_sys::Object::new();
    // The report, the largest message by far, as bytes (`protocol::report_to_bytes`), its
    // buffer moved to the page. A rehearsal's data-quality report goes beside it as the
    // `Loaded` message it stands for.
    let report = match msg {
        FromWorker::Report(view) | FromWorker::OtherYears(view) => Some(&**view),
        FromWorker::Rehearsal(both) => {
            let loaded = FromWorker::Loaded(both.0.clone());
            let _ = js_sys::Reflect::set(&envelope, &"msg".into(), &encode(&loaded));
            let _ = js_sys::Reflect::set(&envelope, &"rehearsal".into(), &JsValue::TRUE);
            Some(&both.1)
        }
        _ => None,
    };
    if let Some(view) = report {
        let completes = matches!(msg, FromWorker::OtherYears(_));
        let _ = js_sys::Reflect::set(&envelope, &"completes".into(), &completes.into());
        let bytes =
            js_sys::Uint8Array::from(forlop_app::protocol::report_to_bytes(view).as_slice());
        let _ = js_sys::Reflect::set(&envelope, &"report".into(), &bytes);
        let moved = js_sys::Array::of1(&bytes.buffer());
        if scope()
            .post_message_with_transfer(&envelope, &moved)
            .is_err()
        {
            // Copied rather than moved, when the browser refuses to move the buffer.
            let _ = scope().post_message(&envelope);
        }
        return;
    }
    let _ = js_sys::Reflect::set(&envelope, &"msg".into(), &encode(msg));
    let _ = scope().post_message(&envelope);
}

/// Milliseconds since the worker started, for the step timings the perf test reads.
fn now() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| {
            let f = js_sys::Reflect::get(&p, &"now".into()).ok()?;
            f.unchecked_ref::<js_sys::Function>()
                .call0(&p)
                .ok()?
                .as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

/// [`now`] on the clock every thread of the page shares (`performance.timeOrigin + now()`), so
/// the perf test can line the worker's steps up with the page's events (`at_*` timings).
fn stamp() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .and_then(|p| js_sys::Reflect::get(&p, &"timeOrigin".into()))
        .ok()
        .and_then(|o| o.as_f64())
        .unwrap_or(0.0)
        + now()
}

/// The worker's WebAssembly memory in MB: it only grows, so this is its peak so far (the perf
/// test reads it from the timings as `memory_mb`).
fn memory_mb() -> f64 {
    js_sys::Reflect::get(&wasm_bindgen::memory(), &"buffer".into())
        .and_then(|b| js_sys::Reflect::get(&b, &"byteLength".into()))
        .ok()
        .and_then(|n| n.as_f64())
        .unwrap_or(0.0)
        / 1e6
}

/// Times a step: `(name, ms)` is added to `timings`.
fn timed<T>(timings: &mut Vec<(String, f64)>, name: &str, f: impl FnOnce() -> T) -> T {
    let t0 = now();
    let out = f();
    timings.push((name.to_string(), now() - t0));
    out
}

/// Computes the shown year (the data's, or the user's) of the module the page shows, and posts
/// its view, packed for the page. The rest (the other years the data gives, the other modules)
/// waits in [`engine::Held::pending`] until the page asks for it ([`ToWorker::FinishJob`],
/// once it has drawn its first chart) or a job needs every report ([`other_years_first`]): a
/// municipality's five years took five analyses before the first chart, the other modules 40 %
/// of one, and on two cores computing them beside the page's drawing slowed the drawing
/// (BENCHMARKS.md, "The shown year first", "The shown module first").
fn analyse_and_publish(
    tables: &forlop_core::model::Tables,
    settings: &forlop_core::Settings,
    year_override: Option<i32>,
    mut timings: Vec<(String, f64)>,
) {
    let (years, shown) = engine::plan_years(tables, year_override, settings.year);
    // "analyse": the shown year's analysis and its view.
    let wanted = SHOWN_MODULE.with(|m| m.borrow().clone());
    let (first, mut view) = timed(&mut timings, "analyse", || {
        let shown = (shown, wanted.as_deref());
        engine::analyse_shown_year(tables, settings, &years, shown, &mut progress)
    });
    let whole = view.is_whole();
    timings.push(("memory_mb".to_string(), memory_mb()));
    timings.push(("at_view_done".to_string(), stamp()));
    view.timings = timings.clone();
    HELD.with(|h| {
        let mut h = h.borrow_mut();
        match first {
            engine::FirstReport::Whole(first) if whole => h.keep(first, 0),
            first => h.put_off(engine::PendingRest {
                settings: settings.clone(),
                years,
                shown,
                first,
                timings,
            }),
        }
    });
    post(&FromWorker::Report(Box::new(view)));
}

/// Computes the rest of the last analysis (other years, other modules) when it waits
/// ([`analyse_and_publish`], [`engine::Held::finish_pending`]) and posts the whole report
/// ([`FromWorker::OtherYears`]).
fn other_years_first() {
    let asked = stamp();
    let t0 = now();
    // The held tables are read in place: nothing the engine calls here touches `HELD`.
    let Some((mut view, mut timings)) = HELD.with(|h| h.borrow_mut().finish_pending()) else {
        return;
    };
    timings.push(("at_other_years_asked".to_string(), asked));
    timings.push(("analyse_other_years".to_string(), now() - t0));
    timings.push(("memory_all_years_mb".to_string(), memory_mb()));
    timings.push(("at_other_years_done".to_string(), stamp()));
    view.timings = timings;
    post(&FromWorker::OtherYears(Box::new(view)));
}

/// Posts progress when the phase changes, otherwise at most once per [`PROGRESS_EVERY_MS`] and
/// only when the bar would move by a percent or the file or step changes: the page re-renders
/// its bar for each message, and the reader and the generator report far more often than that
/// (a message per row queued thousands of messages ahead of the report). Per percent alone
/// was not enough: the analysis's steps (its modules, each indicator) posted about a hundred
/// messages in its last 50 ms, and the report waited behind them at the page.
fn progress(phase: Phase, detail: &str, fraction: f32) {
    let fraction = match phase {
        Phase::Parsing => FLOOR.with(|f| {
            let top = f.get().max(fraction);
            f.set(top);
            top
        }),
        _ => fraction,
    };
    let worth_posting = LAST_PROGRESS.with(|last| {
        let mut last = last.borrow_mut();
        let at = match &*last {
            Some((p, d, f, at)) if *p == phase => {
                if d == detail && (fraction - f).abs() < 0.01 {
                    return false;
                }
                let t = now();
                if t - at < PROGRESS_EVERY_MS {
                    return false;
                }
                t
            }
            _ => now(),
        };
        *last = Some((phase, detail.to_string(), fraction, at));
        true
    });
    if !worth_posting {
        return;
    }
    post(&FromWorker::Progress {
        phase,
        detail: detail.to_string(),
        fraction,
    });
}

fn failed(nb: impl Into<String>, en: impl Into<String>) {
    post(&FromWorker::Failed {
        nb: nb.into(),
        en: en.into(),
    });
}

// `FileReaderSync` (dedicated workers have it in every browser) is declared here rather than
// through a web-sys feature, so the dependency tree keeps its features.
#[wasm_bindgen]
extern "C" {
    type FileReaderSync;
    #[wasm_bindgen(catch, constructor)]
    fn new() -> Result<FileReaderSync, JsValue>;
    #[wasm_bindgen(catch, method, js_name = readAsArrayBuffer)]
    fn read_as_array_buffer(
        this: &FileReaderSync,
        blob: &web_sys::Blob,
    ) -> Result<js_sys::ArrayBuffer, JsValue>;
}

/// Copies one file into memory, slice by slice, reporting progress. Synchronously through
/// `FileReaderSync` (no promise and no trip through the event loop per slice); through
/// `Blob.arrayBuffer()` where a worker has no `FileReaderSync`.
async fn read_file(file: &File) -> Result<Vec<u8>, JsValue> {
    let size = file.size();
    let name = file.name();
    let mut bytes = Vec::with_capacity(size as usize);
    let reader = FileReaderSync::new().ok();
    let mut offset = 0.0;
    while offset < size {
        let end = (offset + SLICE).min(size);
        let blob = file.slice_with_f64_and_f64(offset, end)?;
        let buffer = match &reader {
            Some(r) => r.read_as_array_buffer(&blob)?.into(),
            None => JsFuture::from(blob.array_buffer()).await?,
        };
        let chunk = js_sys::Uint8Array::new(&buffer);
        let start = bytes.len();
        bytes.resize(start + chunk.length() as usize, 0);
        chunk.copy_to(&mut bytes[start..]);
        offset = end;
        progress(Phase::Reading, &name, (offset / size.max(1.0)) as f32);
    }
    Ok(bytes)
}

/// Uploads up to this size are asked of the browser all at once, each file whole
/// ([`copy_files`]); larger ones slice by slice, one file after the other.
const AT_ONCE_BYTES: f64 = 256.0 * 1024.0 * 1024.0;

/// Copies the attached files into memory (`files: File[]` beside the job). An upload of up to
/// [`AT_ONCE_BYTES`] is asked for all at once (`Blob.arrayBuffer()` of every file), so the
/// browser reads the files side by side while this worker copies each into its memory as it
/// comes: the first read of a user's file is the browser's slowest, and 1 M rows (59 MB) came
/// in 136–186 ms against 222–274 ms slice by slice (BENCHMARKS.md, "The shown year first").
/// The files' buffers are held at once then, the upload's size again for a moment; a larger
/// upload goes 16 MiB at a time ([`read_file`]), as the browser's memory allows.
async fn copy_files(data: &JsValue) -> Result<Vec<HeldFile>, Bilingual> {
    let list: js_sys::Array = js_sys::Reflect::get(data, &"files".into())
        .map(|f| f.unchecked_into())
        .unwrap_or_default();
    let list: Vec<File> = list
        .iter()
        .filter_map(|f| f.dyn_into::<File>().ok())
        .collect();
    let total: f64 = list.iter().map(|f| f.size()).sum();
    let could_not_read = |file: &File, e: JsValue| {
        let why = e.as_string().unwrap_or_else(|| format!("{e:?}"));
        Bilingual {
            nb: format!("Kunne ikke lese {}: {why}", file.name()),
            en: format!("Could not read {}: {why}", file.name()),
        }
    };
    let mut files = Vec::with_capacity(list.len());
    if total <= AT_ONCE_BYTES {
        let asked: Vec<JsFuture> = list
            .iter()
            .map(|f| JsFuture::from(f.array_buffer()))
            .collect();
        let mut done = 0.0;
        for (file, buffer) in list.iter().zip(asked) {
            let buffer = buffer.await.map_err(|e| could_not_read(file, e))?;
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            done += file.size();
            progress(Phase::Reading, &file.name(), (done / total.max(1.0)) as f32);
            files.push(HeldFile {
                name: file.name(),
                bytes,
            });
        }
        return Ok(files);
    }
    for file in &list {
        let bytes = read_file(file).await.map_err(|e| could_not_read(file, e))?;
        files.push(HeldFile {
            name: file.name(),
            bytes,
        });
    }
    Ok(files)
}

/// Waits until the page has handed on `helpers` pieces ([`ToWorker::PieceRead`]; the page hands
/// on a failed helper's too, without bytes, so this always ends), and takes them.
async fn wait_for_pieces(helpers: usize) -> Vec<(u32, Option<Vec<u8>>)> {
    loop {
        if PIECES.with(|p| p.borrow().len()) >= helpers {
            return PIECES.with(|p| std::mem::take(&mut *p.borrow_mut()));
        }
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            WAKE.with(|w| *w.borrow_mut() = Some(resolve));
        });
        let _ = JsFuture::from(promise).await;
    }
}

#[allow(clippy::too_many_arguments)]
fn load_and_analyse(
    files: Vec<HeldFile>,
    kinds: &[Option<forlop_core::model::TableKind>],
    options: &forlop_core::ingest::ReadOptions,
    source: Source,
    settings: &forlop_core::Settings,
    year_override: Option<i32>,
    pieces: Vec<PieceSet>,
    mut timings: Vec<(String, f64)>,
) {
    if pieces.is_empty() {
        FLOOR.with(|f| f.set(0.0));
        progress(Phase::Parsing, "", 0.0);
    }
    // What the files need mapped is a second pass over every file (`engine::mapping_of`),
    // done after the results are out when there are results: the mapping panel follows the
    // first chart by that pass, instead of the first chart waiting for it (and, read in
    // pieces, instead of the join waiting for it).
    let later = source == Source::UserFiles;
    let mapping = later.then(Vec::new);
    let (tables, mut view, usable, joined) = timed(&mut timings, "read", || {
        engine::load_joined(
            &files,
            kinds,
            options,
            source,
            (pieces, mapping),
            &mut progress,
        )
    });
    if joined > 0 {
        timings.push(("joined_files".to_string(), joined as f64));
    }
    timings.push(("memory_read_mb".to_string(), memory_mb()));
    timings.push(("at_read_done".to_string(), stamp()));
    let failure = (!usable).then(|| engine::nothing_usable(&view));
    if let Some(Bilingual { nb, en }) = failure {
        // Nothing to show but what to map: the panel is what the user needs now.
        if later {
            view.mapping = engine::mapping_of(&files, kinds, options);
        }
        post(&FromWorker::Loaded(view));
        HELD.with(|h| {
            *h.borrow_mut() = Held {
                files,
                ..Held::default()
            }
        });
        return failed(nb, en);
    }
    post(&FromWorker::Loaded(view.clone()));
    if later {
        MAPPING_DUE.with(|m| {
            *m.borrow_mut() = Some(MappingDue {
                view,
                kinds: kinds.to_vec(),
                options: options.clone(),
            })
        });
    }
    analyse_and_publish(&tables, settings, year_override, timings);
    HELD.with(|h| {
        let mut h = h.borrow_mut();
        h.files = files;
        h.tables = Some(tables);
    });
}

async fn run(data: JsValue) {
    let received = stamp();
    let job = js_sys::Reflect::get(&data, &"job".into())
        .ok()
        .and_then(|j| decode::<ToWorker>(j).ok());
    let Some(job) = job else {
        return failed(
            "Ukjent melding til arbeideren.",
            "Unknown message to the worker.",
        );
    };
    // Before a job that reads the last reports, the rest of their analysis (other years and
    // modules); a job that reads or analyses anew drops it (and, reading anew, the mapping
    // check of the files before).
    match &job {
        ToWorker::Export(_) | ToWorker::ShowYear(_) | ToWorker::HtmlReport(_) => {
            other_years_first()
        }
        ToWorker::FinishJob => {
            other_years_first();
            mapping_check();
        }
        ToWorker::Demo { .. } | ToWorker::Files { .. } | ToWorker::Reread { .. } => {
            HELD.with(|h| h.borrow_mut().pending = None);
            MAPPING_DUE.with(|m| m.borrow_mut().take());
        }
        ToWorker::Analyse { .. } => HELD.with(|h| h.borrow_mut().pending = None),
        ToWorker::ReadPiece { .. }
        | ToWorker::PieceRead { .. }
        | ToWorker::Survey(_)
        | ToWorker::ShowModule(_) => {}
    }
    match job {
        ToWorker::FinishJob => {}
        ToWorker::Demo {
            persons,
            seed,
            settings,
        } => {
            progress(Phase::Generating, "", 0.0);
            let mut timings = vec![("at_job".to_string(), received)];
            let files = timed(&mut timings, "generate", || {
                engine::demo_files(persons, seed, settings.year, &mut progress)
            });
            match files {
                Ok(files) => {
                    let kinds = vec![None; files.len()];
                    load_and_analyse(
                        files,
                        &kinds,
                        &Default::default(),
                        Source::Demo,
                        &settings,
                        None,
                        Default::default(),
                        timings,
                    );
                }
                Err(Bilingual { nb, en }) => failed(nb, en),
            }
        }
        ToWorker::Files {
            kinds,
            options,
            settings,
            year_override,
            pieces,
        } => {
            PIECES.with(|p| p.borrow_mut().clear());
            let memory_at_job = memory_mb();
            let t0 = now();
            let files = match copy_files(&data).await {
                Ok(files) => files,
                Err(Bilingual { nb, en }) => return failed(nb, en),
            };
            let mut timings = vec![
                ("at_job".to_string(), received),
                ("memory_at_job_mb".to_string(), memory_at_job),
                ("copy".to_string(), now() - t0),
                ("warm_up".to_string(), WARM_UP_MS.with(std::cell::Cell::get)),
                (
                    "at_warm_up_done".to_string(),
                    WARM_UP_DONE_AT.with(std::cell::Cell::get),
                ),
                (
                    "at_message".to_string(),
                    MESSAGE_AT.with(std::cell::Cell::get),
                ),
            ];
            // Piece 0 here while the helpers read the others, then their pieces joined.
            let mut sets = Vec::new();
            let count = pieces as usize;
            FLOOR.with(|f| f.set(0.0));
            if count >= 2 {
                progress(Phase::Parsing, "", 0.0);
                let own = timed(&mut timings, "read_piece", || {
                    engine::read_piece(&files, &kinds, &options, (0, count), &mut progress)
                });
                sets.push(own);
                // What the files need mapped is worked out after the results, as with one
                // worker: here it kept the join waiting (on two cores it took the core the
                // helper's piece needed).
                let t1 = now();
                for (_, bytes) in wait_for_pieces(count - 1).await {
                    if let Some(set) = bytes.and_then(|b| PieceSet::from_bytes(&b)) {
                        sets.push(set);
                    }
                }
                timings.push(("wait_pieces".to_string(), now() - t1));
                timings.push(("pieces".to_string(), sets.len() as f64));
            }
            load_and_analyse(
                files,
                &kinds,
                &options,
                Source::UserFiles,
                &settings,
                year_override,
                sets,
                timings,
            );
        }
        ToWorker::ReadPiece {
            index,
            count,
            kinds,
            options,
        } => {
            let files = match copy_files(&data).await {
                Ok(files) => files,
                Err(Bilingual { nb, en }) => return failed(nb, en),
            };
            let set = engine::read_piece(
                &files,
                &kinds,
                &options,
                (index as usize, count as usize),
                &mut |_, _, _| {},
            );
            drop(files);
            let bytes = set.to_bytes();
            drop(set);
            let envelope = js_sys::Object::new();
            let array = js_sys::Uint8Array::from(bytes.as_slice());
            let _ = js_sys::Reflect::set(&envelope, &"piece".into(), &array);
            let _ = js_sys::Reflect::set(
                &envelope,
                &"msg".into(),
                &encode(&FromWorker::Piece { index }),
            );
            let _ =
                scope().post_message_with_transfer(&envelope, &js_sys::Array::of1(&array.buffer()));
        }
        ToWorker::PieceRead { index } => {
            let bytes = js_sys::Reflect::get(&data, &"piece".into())
                .ok()
                .and_then(|p| p.dyn_into::<js_sys::Uint8Array>().ok())
                .map(|a| a.to_vec());
            PIECES.with(|p| p.borrow_mut().push((index, bytes)));
            if let Some(wake) = WAKE.with(|w| w.borrow_mut().take()) {
                let _ = wake.call0(&JsValue::NULL);
            }
        }
        ToWorker::Reread {
            kinds,
            options,
            settings,
            year_override,
        } => {
            let files = HELD.with(|h| std::mem::take(&mut h.borrow_mut().files));
            load_and_analyse(
                files,
                &kinds,
                &options,
                Source::UserFiles,
                &settings,
                year_override,
                Default::default(),
                Vec::new(),
            );
        }
        ToWorker::Export(format) => post_export(format),
        ToWorker::Survey(job) => {
            let mut files = Vec::new();
            if job == forlop_app::survey::SurveyJob::Files {
                let list: js_sys::Array = js_sys::Reflect::get(&data, &"files".into())
                    .map(|f| f.unchecked_into())
                    .unwrap_or_default();
                for f in list.iter() {
                    let Ok(file) = f.dyn_into::<File>() else {
                        continue;
                    };
                    match read_file(&file).await {
                        Ok(bytes) => files.push((file.name(), bytes)),
                        Err(e) => {
                            let why = e.as_string().unwrap_or_else(|| format!("{e:?}"));
                            return failed(
                                format!("Kunne ikke lese {}: {why}", file.name()),
                                format!("Could not read {}: {why}", file.name()),
                            );
                        }
                    }
                }
            }
            progress(Phase::Computing, "", 0.5);
            let answer =
                SURVEY.with(|h| forlop_app::survey::handle(&mut h.borrow_mut(), job, files));
            match answer {
                Ok(answer) => post(&FromWorker::Survey(Box::new(answer))),
                Err(Bilingual { nb, en }) => failed(nb, en),
            }
        }
        ToWorker::ShowYear(year) => {
            HELD.with(|h| h.borrow_mut().show_year(year));
        }
        ToWorker::ShowModule(id) => SHOWN_MODULE.with(|m| *m.borrow_mut() = Some(id)),
        ToWorker::HtmlReport(request) => post_html_report(&request),
        ToWorker::Analyse {
            settings,
            year_override,
        } => {
            progress(Phase::Computing, "", 0.0);
            // Take the tables out while the engine runs, so no borrow of HELD spans `publish`.
            let tables = HELD.with(|h| h.borrow_mut().tables.take());
            let Some(tables) = tables else {
                return failed("Ingen data er lest ennå.", "No data has been read yet.");
            };
            analyse_and_publish(&tables, &settings, year_override, Vec::new());
            HELD.with(|h| h.borrow_mut().tables = Some(tables));
        }
    }
}

/// Writes the long table of the last report and posts it as `{ msg: File, file: Uint8Array }`
/// (the buffer is transferred, not copied).
fn post_export(format: ExportFormat) {
    let made = HELD.with(|h| {
        let h = h.borrow();
        let reports = h.reports();
        h.last.as_ref().map(|r| {
            let (ext, mime) = match format {
                ExportFormat::Csv | ExportFormat::Variation => ("csv", "text/csv;charset=utf-8"),
                ExportFormat::Xlsx => (
                    "xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
            };
            let stem = match format {
                ExportFormat::Variation => "variation",
                ExportFormat::Csv | ExportFormat::Xlsx => "long_table",
            };
            // Named by the year shown; the file holds every year computed (one row per year).
            let name = forlop_app::export::file_name(stem, r.settings.year, ext, r.unsuppressed);
            let bytes = match format {
                ExportFormat::Csv => Ok(forlop_app::export::long_table_csv_of(&reports)),
                ExportFormat::Xlsx => forlop_app::export::long_table_xlsx_of(&reports),
                ExportFormat::Variation => {
                    let mut out = Vec::new();
                    forlop_core::variation::write_variation_csv(reports.iter().copied(), &mut out);
                    Ok(out)
                }
            };
            bytes.map(|b| (b, name, mime))
        })
    });
    match made {
        Some(Ok((bytes, name, mime))) => {
            let envelope = js_sys::Object::new();
            let array = js_sys::Uint8Array::from(bytes.as_slice());
            let msg = FromWorker::File {
                name,
                mime: mime.to_string(),
            };
            let _ = js_sys::Reflect::set(&envelope, &"file".into(), &array);
            let _ = js_sys::Reflect::set(&envelope, &"msg".into(), &encode(&msg));
            let _ =
                scope().post_message_with_transfer(&envelope, &js_sys::Array::of1(&array.buffer()));
        }
        Some(Err(e)) => failed(
            format!("Eksporten kunne ikke lages: {e}"),
            format!("The export could not be made: {e}"),
        ),
        None => failed("Ingen resultater å eksportere.", "No results to export."),
    }
}

/// Writes the HTML report of the last analysis (`forlop_app::html_report`) and posts it as a
/// file. Suppression is always on in the report: when the last analysis used k below 5 (or 0),
/// it is recomputed here with k = 5 from the held tables, so the report's numbers are the long
/// table's of `forlop indicators` with that k, whatever the screen shows.
fn post_html_report(request: &forlop_app::protocol::ReportRequest) {
    use forlop_app::html_report;
    let made = HELD.with(|h| {
        let h = h.borrow();
        let (Some(last), Some(tables)) = (h.last.as_ref(), h.tables.as_ref()) else {
            return None;
        };
        let k = html_report::report_min_cell(last.settings.min_cell);
        let html = if k == last.settings.min_cell {
            html_report::render(last, tables, request)
        } else {
            let settings = forlop_core::Settings {
                min_cell: k,
                ..last.settings.clone()
            };
            let report = engine::analyse(tables, &settings, &mut |_, _, _| {});
            html_report::render(&report, tables, request)
        };
        Some((html, html_report::file_name(request, last.settings.year)))
    });
    match made {
        Some((html, name)) => {
            let envelope = js_sys::Object::new();
            let array = js_sys::Uint8Array::from(html.as_bytes());
            let msg = FromWorker::File {
                name,
                mime: "text/html;charset=utf-8".to_string(),
            };
            let _ = js_sys::Reflect::set(&envelope, &"file".into(), &array);
            let _ = js_sys::Reflect::set(&envelope, &"msg".into(), &encode(&msg));
            let _ =
                scope().post_message_with_transfer(&envelope, &js_sys::Array::of1(&array.buffer()));
        }
        None => failed(
            "Ingen resultater å lage rapport av.",
            "No results to report.",
        ),
    }
}

fn main() {
    std::panic::set_hook(Box::new(panic_hook));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
        MESSAGE_AT.with(|at| at.set(stamp()));
        JOB_SEEN.with(|seen| seen.set(true));
        free_working_memory();
        wasm_bindgen_futures::spawn_local(run(ev.data()));
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page keeps it; the handler must too.
    on_message.forget();
    post(&FromWorker::Ready);
    // While the user picks files: the reader and the analysis run on a small extract, so V8
    // has optimised them before the upload (engine::WarmUp). Not in a worker that got a job
    // meanwhile.
    let warm = Closure::once_into_js(|| wasm_bindgen_futures::spawn_local(warm_up()));
    let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(
        warm.unchecked_ref(),
        WARM_UP_AFTER_MS,
    );
}

/// The warm-up's rounds, each in a task of its own: a job that comes meanwhile goes first and
/// ends the warm-up.
async fn warm_up() {
    if job_seen() {
        return;
    }
    let t0 = now();
    let Some(mut warm) = engine::WarmUp::new(reads_in_pieces()) else {
        return;
    };
    for _ in 0..engine::WARM_UP_ROUNDS {
        warm.round();
        // The first round's results, for the page to draw off screen (`rehearsal`) while
        // this worker runs the other rounds; a helper's page never shows them.
        if let Some(rehearsal) = warm.take_rehearsal().filter(|_| !is_helper()) {
            post(&FromWorker::Rehearsal(Box::new(rehearsal)));
        }
        next_task().await;
        if job_seen() {
            return;
        }
    }
    take_working_memory().await;
    if job_seen() {
        return;
    }
    // The job handler itself, once with a job that does nothing: V8 compiles a WebAssembly
    // function when it is first called, and `run`'s is large (every job's code inlined);
    // compiled at the upload it held the job back by ~40 ms.
    let idle = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&idle, &"job".into(), &encode(&ToWorker::FinishJob));
    run(idle.into()).await;
    WARM_UP_MS.with(|ms| ms.set(now() - t0));
    WARM_UP_DONE_AT.with(|at| at.set(stamp()));
}

/// How much memory the worker takes from the browser while idle ([`take_working_memory`]):
/// what reading a 1 M-row upload (59 MB of files, a health community's year of NPR, KPR and
/// KUHR rows) takes above the warm-up's 30 MB — its files' copy and its tables. 64 MB covered
/// the copy only (BENCHMARKS.md, "Working memory taken while idle").
const WORKING_MEMORY_BYTES: usize = 96 << 20;

/// The working memory is written this much per task: a job that comes meanwhile waits for one
/// step at most (the whole took 75–165 ms here).
const WORKING_MEMORY_STEP: usize = 16 << 20;

/// Takes [`WORKING_MEMORY_BYTES`] into the worker's WebAssembly memory and writes every byte
/// once, then frees it to the worker's own allocator, which hands the same pages to the
/// upload. Memory the browser gives a WebAssembly module is mapped on its first write, page by
/// page, and an upload paid for that as it copied its files and built its tables (1 M rows:
/// copy 112 → 92 ms, read 360 → 332 ms, medians). The memory is the worker's from then on (a
/// WebAssembly memory never shrinks), as it would be after the first upload: 114 MB after
/// start-up instead of 30 (a block fits in the warm-up's freed memory), and still 114 after
/// reading 1 M rows (117 before). Written in [`WORKING_MEMORY_STEP`]s, one task each, the
/// blocks held until the last is written (so that each is new memory) and freed together, or
/// as soon as a job comes (`main`'s handler). Not in a helper (the page's helpers read pieces
/// on machines of 4 cores and more, one worker's memory each) nor on a device that says it
/// has under 4 GB (`deviceMemory`).
async fn take_working_memory() {
    if is_helper() || navigator_number("deviceMemory").is_some_and(|gb| gb < 4.0) {
        return;
    }
    let steps = WORKING_MEMORY_BYTES / WORKING_MEMORY_STEP;
    // The list first, so that it does not sit between two blocks.
    WORKING_MEMORY.with(|w| w.borrow_mut().reserve_exact(steps));
    for _ in 0..steps {
        if job_seen() {
            break;
        }
        // Written, not only allocated: an allocation never written may be left unmapped.
        let block = std::hint::black_box(vec![1u8; WORKING_MEMORY_STEP]);
        WORKING_MEMORY.with(|w| w.borrow_mut().push(block));
        next_task().await;
    }
    free_working_memory();
}

/// Frees the working memory's blocks to the allocator ([`take_working_memory`]).
fn free_working_memory() {
    WORKING_MEMORY.with(|w| drop(std::mem::take(&mut *w.borrow_mut())));
}

/// Whether a job has reached this worker ([`JOB_SEEN`]): the warm-up and the working memory
/// stop for it.
fn job_seen() -> bool {
    JOB_SEEN.with(std::cell::Cell::get)
}

/// Whether this browser's uploads are read in pieces (the page's default: helpers from
/// [`forlop_app::client::MIN_CORES_FOR_PIECES`] logical processors; `?workers=N` on the page is
/// not seen here).
fn reads_in_pieces() -> bool {
    let cores = navigator_number("hardwareConcurrency").unwrap_or(1.0);
    cores >= f64::from(forlop_app::client::MIN_CORES_FOR_PIECES)
}

/// A number the worker's `navigator` gives, by name (`WorkerNavigator` is not among web-sys's
/// features here); `None` where the browser does not give it.
fn navigator_number(name: &str) -> Option<f64> {
    js_sys::Reflect::get(&scope(), &"navigator".into())
        .and_then(|n| js_sys::Reflect::get(&n, &name.into()))
        .ok()
        .and_then(|v| v.as_f64())
}

/// Whether this worker is one of the page's helpers, which read pieces of uploads and post
/// nothing else (`client::helpers`, which names them).
fn is_helper() -> bool {
    scope().name() == forlop_app::client::HELPER_NAME
}

/// Resolves in a later task (a zero timeout): the messages waiting are handled first.
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = JsFuture::from(promise).await;
}

/// How long after start-up the worker warms up when no job has come: after the page's own
/// start (its wasm, its first view), before anyone can have picked a file.
const WARM_UP_AFTER_MS: i32 = 300;
