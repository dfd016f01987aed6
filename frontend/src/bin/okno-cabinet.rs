//! The subscriber cabinet, served at `/cabinet`.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(okno_web::apps::cabinet::CabinetApp);
}
