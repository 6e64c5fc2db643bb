//! The page's side of the worker: start it, send jobs, cancel by terminating it.
//!
//! Cancel terminates the worker and starts a fresh one: the engine runs synchronously inside the
//! worker, so a polite "please stop" message would only be read after the work is done.

use crate::protocol::{decode, encode, ExportFormat, FromWorker, ToWorker};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

/// Trunk's loader shim for the no-modules worker build (`importScripts` + init).
const WORKER_URL: &str = "./worker_loader.js";

type Handler = Rc<dyn Fn(FromWorker)>;

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
        let msg = js_sys::Reflect::get(&data, &"msg".into())
            .ok()
            .and_then(|m| decode::<FromWorker>(m).ok())
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

/// Sends a job, with the user's `File` objects when it reads files.
pub fn send(job: &ToWorker, files: Option<&js_sys::Array>) {
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"job".into(), &encode(job));
    if let Some(f) = files {
        let _ = js_sys::Reflect::set(&msg, &"files".into(), f);
    }
    if !READY.with(|r| r.get()) {
        PENDING.with(|p| p.borrow_mut().push(msg.into()));
        return;
    }
    CLIENT.with(|c| {
        if let Some(c) = c.borrow().as_ref() {
            let _ = c.worker.post_message(&msg);
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
