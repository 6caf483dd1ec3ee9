//! The desktop app (feature `gui`): a window with the scenario's inputs as controls, live
//! Monte Carlo results, interactive plots, comparison with a pinned baseline, exports, and a
//! presentation mode for classrooms.
//!
//! Layout: [`state`] holds everything; each frame its logic polls the background work, then
//! `ui/` draws and records intents ([`actions`]), and after drawing its one handler carries
//! them out (loads, saves, edits, exports) and starts the run that is due; [`runner`]
//! schedules the background passes through `crate::job`; [`analysis`] runs the analyses;
//! [`native_dialog`] shows the system's file dialog (the built-in one in tests).
//! Every plot is a figure of `crate::figure`, painted by `ui/figure_view.rs`: the screen
//! and the exported files draw the same description. Only the one-trial view
//! (`ui/trial.rs`) uses egui_plot.

pub mod actions;
pub mod analysis;
pub mod disk;
pub mod document;
pub mod lesson;
pub mod merge;
pub mod native_dialog;
pub mod recovery;
pub mod runner;
pub mod settings;
pub mod state;
pub mod theme;
pub mod ui;

use std::path::PathBuf;

pub use actions::Action;
pub use settings::Settings;
pub use state::AppState;

/// The app as eframe sees it.
pub struct ArmisticeApp {
    /// Everything the app holds (public for the tests, which drive the app by meaning).
    pub state: AppState,
    cache: ui::plots::PlotCache,
}

impl ArmisticeApp {
    /// The app on `file` (or the built-in baseline), with persisted settings, autosaving
    /// unsaved changes to `recovery_dir` (none: no autosave).
    pub fn new(
        file: Option<PathBuf>,
        settings: Settings,
        recovery_dir: Option<PathBuf>,
    ) -> Result<Self, crate::scenario::LoadError> {
        Ok(ArmisticeApp {
            state: AppState::new(file, settings, recovery_dir)?,
            cache: ui::plots::PlotCache::default(),
        })
    }

    /// One frame's work and drawing, without eframe (used by tests).
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        self.state.logic(ui.ctx());
        self.draw(ui);
        self.state.open_pending_dialog(None);
    }

    fn draw(&mut self, ui: &mut egui::Ui) {
        ui::root_ui(&mut self.state, &mut self.cache, ui);
        let ctx = ui.ctx().clone();
        self.state.handle_all(&ctx);
    }
}

impl eframe::App for ArmisticeApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.state.logic(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.draw(ui);
        self.state.open_pending_dialog(Some(frame));
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.state.settings);
    }

    /// Settings (theme, scale, recent files) are small: keep them current on disk.
    fn auto_save_interval(&self) -> std::time::Duration {
        std::time::Duration::from_secs(5)
    }
}

/// The window's icon: the 256 px rendering of `assets/icons/hicolor/scalable/apps/armistice.svg`
/// (the package installs the same icon for the desktop's menu).
const ICON_PNG: &[u8] = include_bytes!("../../assets/icons/hicolor/256x256/apps/armistice.png");

/// The decoded window icon, or `None` (with a message) if it cannot be decoded: the window
/// then opens with the desktop's default icon.
fn window_icon() -> Option<egui::IconData> {
    match eframe::icon_data::from_png_bytes(ICON_PNG) {
        Ok(icon) => Some(icon),
        Err(e) => {
            eprintln!("armistice: the window icon cannot be decoded: {e}");
            None
        }
    }
}

/// Opens the window. `ARMISTICE_RENDERER` may name the renderer; this build draws with
/// OpenGL (glow), which works with software rendering on machines without a GPU.
pub fn run_native(file: Option<PathBuf>) -> Result<(), String> {
    if let Ok(r) = std::env::var("ARMISTICE_RENDERER")
        && r != "glow"
    {
        eprintln!("armistice: renderer \"{r}\" is not built in; using glow (OpenGL)");
    }
    // The app id names the desktop entry (armistice.desktop), so that Wayland compositors
    // find its icon and X11 window managers group the window under it (WM_CLASS).
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Armistice")
        .with_app_id("armistice")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([640.0, 420.0])
        .with_drag_and_drop(true);
    if let Some(icon) = window_icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    eframe::run_native(
        "armistice",
        options,
        Box::new(move |cc| {
            let settings: Settings = cc
                .storage
                .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
                .unwrap_or_default();
            let mut app = ArmisticeApp::new(file, settings, recovery::Recovery::default_dir())
                .map_err(|e| e.to_string())?;
            app.state.file_dialogs = native_dialog::DialogBackend::for_desktop();
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| format!("{e}. If no window opens, see the README: a desktop Linux needs libxkbcommon-x11-0, libxcursor1, libxi6 and libegl1."))
}

#[cfg(test)]
mod tests {
    #[test]
    fn window_icon_decodes_at_256_px() {
        let icon = super::window_icon().expect("the embedded icon decodes");
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
        // Not blank: the corners are transparent, the middle is drawn.
        assert_eq!(icon.rgba[3], 0);
        let middle = (128 * 256 + 128) * 4;
        assert_eq!(icon.rgba[middle + 3], 255);
    }
}
