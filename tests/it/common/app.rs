//! The desktop app under egui_kittest, shared by the UI tests: the app on the built-in
//! baseline, a 1280x800 harness, stepping until the background runs finish, and an edit of the
//! scenario as the inputs panel makes one.

use std::time::{Duration, Instant};

use armistice::{Action, ArmisticeApp, Scenario, Settings};
use egui_kittest::Harness;

/// The app on the built-in baseline, with default settings and no autosave.
pub fn app() -> ArmisticeApp {
    ArmisticeApp::new(None, Settings::default(), None).expect("the built-in baseline loads")
}

/// `app` in a 1280x800 window, one frame per step.
pub fn harness(app: ArmisticeApp) -> Harness<'static, ArmisticeApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut ArmisticeApp| app.frame(ui), app)
}

/// Steps frames until no run is in flight and a result is shown (bounded).
pub fn settle(h: &mut Harness<'static, ArmisticeApp>) {
    let start = Instant::now();
    loop {
        h.step();
        let s = &h.state().state;
        if s.result.is_some() && !s.runner.is_busy() {
            h.step();
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the runs did not finish"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Changes the open scenario as one edit (as the inputs panel does) and steps two frames.
pub fn edit(h: &mut Harness<'static, ArmisticeApp>, change: impl FnOnce(&mut Scenario)) {
    let mut sc = h.state().state.doc.scenario.clone();
    change(&mut sc);
    h.state_mut().state.push(Action::Edit {
        scenario: Box::new(sc),
        key: "test".into(),
    });
    h.step();
    h.step();
}

/// Steps frames until `done` holds (bounded), then one more; `what` names the wait.
pub fn step_until(
    h: &mut Harness<'static, ArmisticeApp>,
    what: &str,
    done: impl Fn(&ArmisticeApp) -> bool,
) {
    let start = Instant::now();
    while !done(h.state()) {
        h.step();
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "{what} did not happen"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    h.step();
}

/// The title of the scenario in the file at `path`, as loaded.
pub fn title_in_file(path: &std::path::Path) -> String {
    armistice::load_file(path)
        .expect("the file loads")
        .scenario()
        .meta
        .title
        .clone()
}
