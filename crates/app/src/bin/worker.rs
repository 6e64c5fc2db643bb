//! The Web Worker: reads files, makes demo data and runs the engine off the page's thread.
//! Started by the page as `worker_loader.js` (Trunk's loader shim for the no-modules build).
//! A job arrives as `{ job: <JSON ToWorker>, files: File[] }`; answers are JSON `FromWorker`.

use forlop_app::engine::{self, Held, HeldFile};
use forlop_app::protocol::{decode, encode, Bilingual, FromWorker, Phase, ToWorker};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent};

/// Files are copied into wasm memory 16 MiB at a time: never one JS string, never one huge buffer.
const SLICE: f64 = 16.0 * 1024.0 * 1024.0;

thread_local! {
    static HELD: RefCell<Held> = RefCell::new(Held::default());
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(msg: &FromWorker) {
    let _ = scope().post_message(&JsValue::from_str(&encode(msg)));
}

fn progress(phase: Phase, detail: &str, fraction: f32) {
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

/// Copies one file into memory, slice by slice, reporting progress.
async fn read_file(file: &File) -> Result<Vec<u8>, JsValue> {
    let size = file.size();
    let name = file.name();
    let mut bytes = Vec::with_capacity(size as usize);
    let mut offset = 0.0;
    while offset < size {
        let end = (offset + SLICE).min(size);
        let blob = file.slice_with_f64_and_f64(offset, end)?;
        let buffer = JsFuture::from(blob.array_buffer()).await?;
        let chunk = js_sys::Uint8Array::new(&buffer);
        let start = bytes.len();
        bytes.resize(start + chunk.length() as usize, 0);
        chunk.copy_to(&mut bytes[start..]);
        offset = end;
        progress(Phase::Reading, &name, (offset / size.max(1.0)) as f32);
    }
    Ok(bytes)
}

fn load_and_analyse(
    files: Vec<HeldFile>,
    kinds: &[Option<forlop_core::model::TableKind>],
    options: &forlop_core::ingest::ReadOptions,
    settings: &forlop_core::Settings,
) {
    progress(Phase::Parsing, "", 0.0);
    let (tables, view, usable) = engine::load(&files, kinds, options, &mut progress);
    let failure = (!usable).then(|| engine::nothing_usable(&view));
    post(&FromWorker::Loaded(view));
    if let Some(Bilingual { nb, en }) = failure {
        HELD.with(|h| {
            *h.borrow_mut() = Held {
                files,
                ..Held::default()
            }
        });
        return failed(nb, en);
    }
    let report = engine::analyse(&tables, settings, &mut progress);
    HELD.with(|h| {
        *h.borrow_mut() = Held {
            files,
            tables: Some(tables),
            last: Some((report.rows.clone(), report.unsuppressed)),
        }
    });
    post(&FromWorker::Report(Box::new(report)));
}

async fn run(data: JsValue) {
    let job = js_sys::Reflect::get(&data, &"job".into())
        .ok()
        .and_then(|j| j.as_string())
        .and_then(|j| decode::<ToWorker>(&j).ok());
    let Some(job) = job else {
        return failed(
            "Ukjent melding til arbeideren.",
            "Unknown message to the worker.",
        );
    };
    match job {
        ToWorker::Demo {
            persons,
            seed,
            settings,
        } => {
            progress(Phase::Generating, "", 0.0);
            match engine::demo_files(persons, seed, settings.year, &mut progress) {
                Ok(files) => {
                    let kinds = vec![None; files.len()];
                    load_and_analyse(files, &kinds, &Default::default(), &settings);
                }
                Err(Bilingual { nb, en }) => failed(nb, en),
            }
        }
        ToWorker::Files {
            kinds,
            options,
            settings,
        } => {
            let list: js_sys::Array = js_sys::Reflect::get(&data, &"files".into())
                .map(|f| f.unchecked_into())
                .unwrap_or_default();
            let mut files = Vec::new();
            for f in list.iter() {
                let Ok(file) = f.dyn_into::<File>() else {
                    continue;
                };
                match read_file(&file).await {
                    Ok(bytes) => files.push(HeldFile {
                        name: file.name(),
                        bytes,
                    }),
                    Err(e) => {
                        let why = e.as_string().unwrap_or_else(|| format!("{e:?}"));
                        return failed(
                            format!("Kunne ikke lese {}: {why}", file.name()),
                            format!("Could not read {}: {why}", file.name()),
                        );
                    }
                }
            }
            load_and_analyse(files, &kinds, &options, &settings);
        }
        ToWorker::Reread {
            kinds,
            options,
            settings,
        } => {
            let files = HELD.with(|h| std::mem::take(&mut h.borrow_mut().files));
            load_and_analyse(files, &kinds, &options, &settings);
        }
        ToWorker::Xlsx => post_xlsx(),
        ToWorker::Analyse { settings } => {
            progress(Phase::Computing, "", 0.0);
            let report = HELD.with(|h| {
                h.borrow()
                    .tables
                    .as_ref()
                    .map(|t| engine::analyse(t, &settings, &mut progress))
            });
            match report {
                Some(r) => {
                    HELD.with(|h| h.borrow_mut().last = Some((r.rows.clone(), r.unsuppressed)));
                    post(&FromWorker::Report(Box::new(r)));
                }
                None => failed("Ingen data er lest ennå.", "No data has been read yet."),
            }
        }
    }
}

/// Builds the XLSX of the last report and posts it as `{ file: Uint8Array }` beside the JSON.
fn post_xlsx() {
    let bytes = HELD.with(|h| {
        h.borrow()
            .last
            .as_ref()
            .map(|(rows, unsuppressed)| forlop_app::export::long_table_xlsx(rows, *unsuppressed))
    });
    match bytes {
        Some(Ok(bytes)) => {
            let msg = js_sys::Object::new();
            let array = js_sys::Uint8Array::from(bytes.as_slice());
            let _ = js_sys::Reflect::set(&msg, &"file".into(), &array);
            let _ =
                js_sys::Reflect::set(&msg, &"json".into(), &encode(&FromWorker::FileReady).into());
            let _ = scope().post_message_with_transfer(&msg, &js_sys::Array::of1(&array.buffer()));
        }
        Some(Err(e)) => failed(
            format!("XLSX kunne ikke lages: {e}"),
            format!("The XLSX could not be made: {e}"),
        ),
        None => failed("Ingen resultater å eksportere.", "No results to export."),
    }
}

fn main() {
    console_error_panic_hook::set_once();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
        wasm_bindgen_futures::spawn_local(run(ev.data()));
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page keeps it; the handler must too.
    on_message.forget();
    post(&FromWorker::Ready);
}
