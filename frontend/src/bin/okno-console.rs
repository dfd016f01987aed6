//! The operator console, served at `/`.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(okno_web::apps::console::ConsoleApp);
}
