//! The page's side of the worker: start it, send jobs, cancel by terminating it.
//!
//! Cancel terminates the worker and starts a fresh one: the engine runs synchronously inside the
//! worker, so a polite "please stop" message would only be read after the work is done.
//!
//! Helper workers (same script) read pieces of the big tables of an upload in parallel
//! ([`helpers`]): started ahead of time, each given the files and a piece to read; its bytes
//! are handed on to the main worker, which joins them. Each helper is ended after its job
//! (its memory never shrinks) and a fresh one started.

use crate::protocol::{decode, encode, ExportFormat, FromWorker, ToWorker};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

/// Trunk's loader shim for the no-modules worker build (`importScripts` + init).
const WORKER_URL: &str = "./worker_loader.js";

type Handler = Rc<dyn Fn(FromWorker)>;

/// From this many logical processors the page starts helper workers that read uploads in
/// pieces (`helpers::workers`), and the workers' warm-up reads in pieces too
/// (`engine::WarmUp::new`). Below it the main worker reads alone: on 2 cores the helper's copy
/// of the files and the main worker's joining cost about what the second piece saves. Two
/// workers on 2 cores were slower than one (BENCHMARKS.md, "Parsing in more than one worker"),
/// and level with one once the pieces' code was warmed up ("The pieces warmed up"); one helper
/// reading only the tables the main worker reads last was slower too ("A helper for the tail
/// tables").
pub const MIN_CORES_FOR_PIECES: u32 = 4;

/// The name the page gives its helper workers (a worker reads its own as `self.name`): a
/// helper reads pieces and posts nothing else, not even the warm-up's rehearsal.
pub const HELPER_NAME: &str = "helper";

struct Client {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

thread_local! {
    /// Whether the current worker has said `Ready`: its wasm starts asynchronously, and a
    /// message posted before its handler exists would be lost, so jobs wait in `PENDING`.
    static READY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static PENDING: RefCell<Vec<JsValue>> = const { RefCell::new(Vec::new()) };
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
    static HANDLER: RefCell<Option<Handler>> = const { RefCell::new(None) };
    /// Whether the current worker said it panicked: the trap that follows is that panic, already
    /// shown in words.
    static PANICKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn flush() {
    READY.with(|r| r.set(true));
    // The helpers once the main worker runs: their start-up (fetching and compiling the same
    // wasm) then does not compete with the main worker's, which the demo waits for.
    helpers::start();
    let pending = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
    CLIENT.with(|c| {
        if let Some(c) = c.borrow().as_ref() {
            for msg in pending {
                let _ = c.worker.post_message(&msg);
            }
        }
    });
}

fn dispatch(msg: FromWorker) {
    if msg == FromWorker::Ready {
        flush();
    }
    let done = match &msg {
        FromWorker::Report(view) => view.is_whole(),
        FromWorker::OtherYears(_) | FromWorker::Failed { .. } => true,
        _ => false,
    };
    if done {
        // The job is done: fresh helpers for the next upload, started now rather than beside
        // the main worker's analysis.
        helpers::refill();
    }
    if let Some(h) = HANDLER.with(|h| h.borrow().clone()) {
        h(msg);
    }
}

/// The worker `boot.js` started before the page's wasm loaded, with the messages it has posted
/// so far; taken once (a worker after Cancel is always new).
fn early_worker() -> Option<(Worker, js_sys::Array)> {
    let window = web_sys::window()?;
    let early = js_sys::Reflect::get(&window, &"forlopEarlyWorker".into()).ok()?;
    let _ = js_sys::Reflect::delete_property(&window, &"forlopEarlyWorker".into());
    let worker = js_sys::Reflect::get(&early, &"worker".into())
        .ok()?
        .dyn_into::<Worker>()
        .ok()?;
    let said = js_sys::Reflect::get(&early, &"said".into())
        .ok()?
        .dyn_into::<js_sys::Array>()
        .ok()?;
    Some((worker, said))
}

/// Starts a worker, or adopts the early one; returns it with the messages it already posted,
/// to be replayed once the client is in place.
fn spawn() -> Result<(Client, js_sys::Array), JsValue> {
    READY.with(|r| r.set(false));
    PENDING.with(|p| p.borrow_mut().clear());
    let (worker, said) = match early_worker() {
        Some(early) => early,
        None => (Worker::new(WORKER_URL)?, js_sys::Array::new()),
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
        let data = ev.data();
        if js_sys::Reflect::get(&data, &"panic".into()).is_ok_and(|v| v.is_truthy()) {
            PANICKED.with(|o| o.set(true));
        }
        let report = js_sys::Reflect::get(&data, &"report".into())
            .ok()
            .and_then(|r| r.dyn_into::<js_sys::Uint8Array>().ok());
        // `completes`: the report of every year after the shown year's (`FromWorker::OtherYears`);
        // `rehearsal`: the warm-up's, its data-quality report beside it as a `Loaded` message.
        let flag =
            |name: &str| js_sys::Reflect::get(&data, &name.into()).is_ok_and(|c| c.is_truthy());
        let (completes, rehearsal) = (flag("completes"), flag("rehearsal"));
        let message = || {
            js_sys::Reflect::get(&data, &"msg".into())
                .ok()
                .and_then(|m| decode::<FromWorker>(m).ok())
        };
        let msg = match report {
            Some(bytes) => crate::protocol::report_from_bytes(&bytes.to_vec()).and_then(|view| {
                if rehearsal {
                    match message()? {
                        FromWorker::Loaded(load) => {
                            Some(FromWorker::Rehearsal(Box::new((load, view))))
                        }
                        _ => None,
                    }
                } else if completes {
                    Some(FromWorker::OtherYears(Box::new(view)))
                } else {
                    Some(FromWorker::Report(Box::new(view)))
                }
            }),
            None => message(),
        }
        .unwrap_or(FromWorker::Failed {
            nb: "Uventet svar fra arbeideren.".into(),
            en: "Unexpected answer from the worker.".into(),
        });
        // An exported file: `{ msg: File { name, mime }, file: Uint8Array }`.
        if let FromWorker::File { name, mime } = &msg {
            let file = js_sys::Reflect::get(&data, &"file".into()).unwrap_or_default();
            if let Some(bytes) = file.dyn_ref::<js_sys::Uint8Array>() {
                if let Err(e) = crate::export::download_bytes(bytes, mime, name) {
                    web_sys::console::warn_1(&e);
                }
            }
        }
        dispatch(msg);
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // A panic in the worker, or its memory running out, ends up here, not as a silent hang.
    // The worker's state after a trap cannot be trusted (a job may have stopped half-way with
    // its state borrowed), so it is replaced, as after Cancel; the data it held is gone.
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(|ev: web_sys::Event| {
        let detail = js_sys::Reflect::get(&ev, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_default();
        // A little later, not from inside this handler (replacing the worker drops this
        // closure), and after the worker's last messages: a panic's own message, posted just
        // before its trap, may arrive after the error event.
        let later = Closure::once_into_js(move || {
            if !PANICKED.with(|p| p.replace(false)) {
                dispatch(failure(&detail, crate::pages::start::upload_limit()));
            }
            cancel();
        });
        if let Some(w) = web_sys::window() {
            let _ =
                w.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), 100);
        }
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok((
        Client {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        },
        said,
    ))
}

/// What the page says when the worker stopped with `detail` and no panic message: a trap
/// (`RuntimeError: unreachable`) or a failed `memory.grow` without a panic is Rust's abort when
/// WebAssembly memory has run out, said with the size the browser can take (`limit` bytes);
/// anything else (the worker's script failed to load) as it is.
pub fn failure(detail: &str, limit: u64) -> FromWorker {
    let lower = detail.to_lowercase();
    if lower.contains("unreachable") || lower.contains("memory") {
        let crate::protocol::Bilingual { nb, en } = crate::engine::out_of_memory(limit);
        return FromWorker::Failed { nb, en };
    }
    FromWorker::Failed {
        nb: format!("Arbeideren stoppet med en feil. {detail}"),
        en: format!("The worker stopped with an error. {detail}"),
    }
}

/// Hands the messages an adopted worker posted before the page listened to the page's handler.
fn replay(said: &js_sys::Array) {
    let handler = CLIENT.with(|c| c.borrow().as_ref().and_then(|c| c.worker.onmessage()));
    if let Some(handler) = handler {
        for ev in said.iter() {
            let _ = handler.call1(&JsValue::NULL, &ev);
        }
    }
}

/// Starts the worker and routes its messages to `handler`.
///
/// # Errors
/// When the browser refuses to start the worker.
pub fn start(handler: impl Fn(FromWorker) + 'static) -> Result<(), JsValue> {
    HANDLER.with(|h| *h.borrow_mut() = Some(Rc::new(handler)));
    let (client, said) = spawn()?;
    CLIENT.with(|c| *c.borrow_mut() = Some(client));
    replay(&said);
    Ok(())
}

/// Sends a job, with the user's `File` objects when it reads files. An upload is read in
/// pieces by the main worker and the helpers when there are helpers and the files are not too
/// large ([`helpers::pieces_for`]).
pub fn send(job: &ToWorker, files: Option<&js_sys::Array>) {
    if let (ToWorker::Files { .. }, Some(list)) = (job, files) {
        let count = helpers::pieces_for(list);
        let mut job = job.clone();
        if let ToWorker::Files {
            pieces,
            kinds,
            options,
            ..
        } = &mut job
        {
            *pieces = count;
            for index in 1..count {
                let piece = ToWorker::ReadPiece {
                    index,
                    count,
                    kinds: kinds.clone(),
                    options: options.clone(),
                };
                helpers::send(index as usize - 1, &piece, list);
            }
        }
        return send_message(&job, &[("files", list.into())], None);
    }
    let extra: Vec<(&str, JsValue)> = files.map(|f| ("files", f.into())).into_iter().collect();
    send_message(job, &extra, None);
}

/// Posts `job` with `extra` fields beside it (and `transfer`) to the main worker, or keeps it
/// until the worker is ready.
fn send_message(job: &ToWorker, extra: &[(&str, JsValue)], transfer: Option<&js_sys::Array>) {
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"job".into(), &encode(job));
    for (key, value) in extra {
        let _ = js_sys::Reflect::set(&msg, &(*key).into(), value);
    }
    if !READY.with(|r| r.get()) {
        PENDING.with(|p| p.borrow_mut().push(msg.into()));
        return;
    }
    CLIENT.with(|c| {
        if let Some(c) = c.borrow().as_ref() {
            let _ = match transfer {
                Some(t) => c.worker.post_message_with_transfer(&msg, t),
                None => c.worker.post_message(&msg),
            };
        }
    });
}

/// Asks the worker for the long table of the last report as a file; it is downloaded when it
/// arrives.
pub fn request_export(format: ExportFormat) {
    send(&ToWorker::Export(format), None);
}

/// Stops the running job at once (terminate) and starts a fresh worker. The loaded data is gone.
pub fn cancel() {
    PANICKED.with(|p| p.set(false));
    helpers::restart_all();
    CLIENT.with(|c| {
        if let Some(old) = c.borrow_mut().take() {
            old.worker.terminate();
        }
        // A fresh worker: the early one was adopted at start, so nothing to replay.
        if let Ok((fresh, _)) = spawn() {
            *c.borrow_mut() = Some(fresh);
        }
    });
}

/// The helper workers that read pieces of an upload's big tables.
mod helpers {
    use super::{encode, send_message, FromWorker, ToWorker, WORKER_URL};
    use std::cell::RefCell;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{MessageEvent, Worker};

    /// Above this many bytes of files one worker reads them all: every helper holds a copy of
    /// the files (docs/choices.md, "The browser's parse workers").
    pub const MAX_BYTES: f64 = 256e6;
    /// At most this many workers read an upload (the main one and its helpers).
    pub const MAX_WORKERS: u32 = 4;

    struct Helper {
        worker: Worker,
        /// Said `Ready`: a message posted before would be lost.
        ready: bool,
        /// The job waiting for `ready`.
        pending: Option<JsValue>,
        /// The piece it is reading.
        busy: Option<u32>,
        _on_message: Closure<dyn FnMut(MessageEvent)>,
        _on_error: Closure<dyn FnMut(web_sys::Event)>,
    }

    thread_local! {
        static HELPERS: RefCell<Vec<Option<Helper>>> = const { RefCell::new(Vec::new()) };
    }

    /// How many workers read an upload: `?workers=N` (1 = the main worker alone, as the e2e
    /// test compares), else the browser's logical processors, at most [`MAX_WORKERS`], and 1
    /// below [`super::MIN_CORES_FOR_PIECES`].
    pub fn workers() -> u32 {
        let window = web_sys::window();
        let query = window
            .as_ref()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        if let Some(n) = crate::query::query_param(&query, "workers").and_then(|n| n.parse().ok()) {
            return u32::clamp(n, 1, MAX_WORKERS);
        }
        let cores = window.map_or(1.0, |w| w.navigator().hardware_concurrency()) as u32;
        if cores < super::MIN_CORES_FOR_PIECES {
            return 1;
        }
        cores.min(MAX_WORKERS)
    }

    /// Starts the helpers (`workers() - 1`), so their wasm is compiled before a file is picked;
    /// once (later calls find them started).
    pub fn start() {
        if HELPERS.with(|h| !h.borrow().is_empty()) {
            return;
        }
        let n = workers().saturating_sub(1) as usize;
        HELPERS.with(|h| h.borrow_mut().resize_with(n, || None));
        for slot in 0..n {
            restart(slot);
        }
    }

    /// Starts a fresh helper in every slot whose helper was ended after its job.
    pub fn refill() {
        let empty: Vec<usize> = HELPERS.with(|h| {
            let h = h.borrow();
            (0..h.len()).filter(|&i| h[i].is_none()).collect()
        });
        for slot in empty {
            restart(slot);
        }
    }

    /// Ends every helper (cancel, or the main worker stopped) and starts fresh ones.
    pub fn restart_all() {
        let n = HELPERS.with(|h| h.borrow().len());
        for slot in 0..n {
            restart(slot);
        }
    }

    /// Into how many pieces the upload `files` is read: one per worker, or 1 (the main worker
    /// alone) without helpers or above [`MAX_BYTES`].
    pub fn pieces_for(files: &js_sys::Array) -> u32 {
        let total: f64 = files
            .iter()
            .filter_map(|f| f.dyn_into::<web_sys::Blob>().ok())
            .map(|f| f.size())
            .sum();
        let helpers = HELPERS.with(|h| h.borrow().iter().filter(|h| h.is_some()).count());
        if total > MAX_BYTES || helpers == 0 {
            return 1;
        }
        helpers as u32 + 1
    }

    /// Gives helper `slot` a piece to read, with the files.
    pub fn send(slot: usize, job: &ToWorker, files: &js_sys::Array) {
        if HELPERS.with(|h| {
            h.borrow()
                .get(slot)
                .is_some_and(|h| h.as_ref().is_some_and(|h| h.busy.is_some()))
        }) {
            // Still busy with an earlier upload's piece: a fresh one.
            restart(slot);
        }
        let index = match job {
            ToWorker::ReadPiece { index, .. } => *index,
            _ => return,
        };
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &"job".into(), &encode(job));
        let _ = js_sys::Reflect::set(&msg, &"files".into(), files);
        let sent = HELPERS.with(|h| {
            let mut h = h.borrow_mut();
            let Some(Some(helper)) = h.get_mut(slot) else {
                return false;
            };
            helper.busy = Some(index);
            if helper.ready {
                helper.worker.post_message(&msg).is_ok()
            } else {
                helper.pending = Some(msg.into());
                true
            }
        });
        if !sent {
            hand_on(index, None);
        }
    }

    /// Hands a helper's piece (or its failure: `None`) on to the main worker.
    fn hand_on(index: u32, piece: Option<js_sys::Uint8Array>) {
        let job = ToWorker::PieceRead { index };
        match piece {
            Some(bytes) => {
                let transfer = js_sys::Array::of1(&bytes.buffer());
                send_message(&job, &[("piece", bytes.into())], Some(&transfer));
            }
            None => send_message(&job, &[], None),
        }
    }

    /// Ends helper `slot` (if any) and starts a fresh one in its place (none if the browser
    /// refuses: its pieces are then read by the main worker).
    fn restart(slot: usize) {
        let old = HELPERS.with(|h| h.borrow_mut().get_mut(slot).and_then(Option::take));
        if let Some(old) = old {
            old.worker.terminate();
        }
        let fresh = spawn(slot).ok();
        HELPERS.with(|h| {
            if let Some(place) = h.borrow_mut().get_mut(slot) {
                *place = fresh;
            }
        });
    }

    /// Ends helper `slot` after its job (its memory never shrinks), from a timer (not inside its
    /// own handler, whose closure that drops), and hands on its failure if it had not answered.
    /// A fresh one is started when the main worker's job is done ([`refill`]).
    fn finished(slot: usize, piece: Option<(u32, js_sys::Uint8Array)>) {
        let busy = HELPERS.with(|h| {
            h.borrow_mut()
                .get_mut(slot)
                .and_then(|h| h.as_mut().and_then(|h| h.busy.take()))
        });
        match (busy, piece) {
            (Some(_), Some((index, bytes))) => hand_on(index, Some(bytes)),
            (Some(index), None) => hand_on(index, None),
            // Not reading a piece: nothing is waiting for it.
            (None, _) => {}
        }
        let later = Closure::once_into_js(move || {
            let old = HELPERS.with(|h| h.borrow_mut().get_mut(slot).and_then(Option::take));
            if let Some(old) = old {
                old.worker.terminate();
            }
        });
        if let Some(w) = web_sys::window() {
            let _ =
                w.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), 0);
        }
    }

    fn spawn(slot: usize) -> Result<Helper, JsValue> {
        let options = web_sys::WorkerOptions::new();
        options.set_name(super::HELPER_NAME);
        let worker = Worker::new_with_options(WORKER_URL, &options)?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let data = ev.data();
            let msg = js_sys::Reflect::get(&data, &"msg".into())
                .ok()
                .and_then(|m| crate::protocol::decode::<FromWorker>(m).ok());
            match msg {
                Some(FromWorker::Ready) => {
                    let pending = HELPERS.with(|h| {
                        let mut h = h.borrow_mut();
                        let helper = h.get_mut(slot)?.as_mut()?;
                        helper.ready = true;
                        Some((helper.worker.clone(), helper.pending.take()?))
                    });
                    if let Some((worker, msg)) = pending {
                        if worker.post_message(&msg).is_err() {
                            finished(slot, None);
                        }
                    }
                }
                Some(FromWorker::Piece { index }) => {
                    let piece = js_sys::Reflect::get(&data, &"piece".into())
                        .ok()
                        .and_then(|p| p.dyn_into::<js_sys::Uint8Array>().ok());
                    finished(slot, piece.map(|p| (index, p)));
                }
                Some(FromWorker::Failed { .. }) | None => finished(slot, None),
                // Its progress is not shown: the main worker's bar stands for all.
                Some(_) => {}
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // A trap (its memory ran out) or a script that failed to load: the main worker reads
        // the piece itself.
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            finished(slot, None);
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Helper {
            worker,
            ready: false,
            pending: None,
            busy: None,
            _on_message: on_message,
            _on_error: on_error,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::failure;
    use crate::protocol::FromWorker;

    #[test]
    fn a_trap_without_a_panic_is_said_as_memory_running_out_anything_else_as_it_is() {
        let FromWorker::Failed { en, .. } =
            failure("Uncaught RuntimeError: unreachable", 800_000_000)
        else {
            panic!("not a failure")
        };
        // 8e8 / 58 = 13 793 103 rows → 13 000 000 (two significant digits, rounded down).
        assert!(en.starts_with("The browser ran out of memory"), "{en}");
        assert!(
            en.contains("up to about 800 MB (about 13,000,000 rows)"),
            "{en}"
        );
        let FromWorker::Failed { nb, en } =
            failure("Failed to fetch worker_loader.js", 800_000_000)
        else {
            panic!("not a failure")
        };
        assert_eq!(
            en,
            "The worker stopped with an error. Failed to fetch worker_loader.js"
        );
        assert_eq!(
            nb,
            "Arbeideren stoppet med en feil. Failed to fetch worker_loader.js"
        );
    }
}
