//! Mounts the app (STYLE P11: nothing else here).
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(forlop_app::App);
}
