//! Benchmark: the cost of a frame of the desktop app with a 1,000,000-trial result on
//! screen. Drives the app headless (egui_kittest: the whole window at 1280x800, layout and
//! painting, then tessellation of the frame's shapes as an integration does; no GPU upload or
//! drawing), waits for the run to finish, then times many frames while the pointer moves over
//! the plots (so hover tooltips and plot interaction are included). Prints the median and
//! 95th percentile.
//!
//! cargo run --release --features bench --example bench_frame

use std::time::{Duration, Instant};

use armistice::{Action, ArmisticeApp, Settings};
use egui_kittest::Harness;

fn main() {
    let app = match ArmisticeApp::new(None, Settings::default(), None) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut ArmisticeApp| app.frame(ui), app);
    h.step();
    let mut sc = h.state().state.doc.scenario.clone();
    sc.simulation.trials = 1_000_000;
    h.state_mut().state.push(Action::Edit {
        scenario: Box::new(sc),
        key: "simulation.trials".into(),
    });
    let start = Instant::now();
    loop {
        h.step();
        let s = &h.state().state;
        if s.result
            .as_ref()
            .is_some_and(|r| r.stamp.trials == 1_000_000)
            && !s.runner.is_busy()
        {
            break;
        }
        if start.elapsed() > Duration::from_secs(300) {
            eprintln!("the 1M-trial run did not finish");
            std::process::exit(1);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let run_s = start.elapsed().as_secs_f64();
    for _ in 0..10 {
        h.step();
    }
    let frames = 300;
    let mut times = Vec::with_capacity(frames);
    let mut meshes_total = 0usize;
    for i in 0..frames {
        // Sweep the pointer across the plot area.
        let x = 380.0 + (i % 100) as f32 * 8.5;
        let y = 160.0 + ((i / 100) % 3) as f32 * 220.0;
        h.hover_at(egui::pos2(x, y));
        let t = Instant::now();
        h.step();
        // What an integration does next on the CPU: turn the frame's shapes into triangles.
        let shapes = h.output().shapes.clone();
        let ppp = h.ctx.pixels_per_point();
        let meshes = h.ctx.tessellate(shapes, ppp);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        meshes_total += meshes.len();
    }
    times.sort_by(f64::total_cmp);
    let median = times[frames / 2];
    let p95 = times[frames * 95 / 100];
    println!(
        "frame with a 1,000,000-trial result on screen (1280x800, pointer over the plots): \
         median {median:.2} ms, p95 {p95:.2} ms over {frames} frames \
         ({} meshes a frame on average; the run itself took {run_s:.1} s in the app)",
        meshes_total / frames
    );
}
