use armistice::analysis::sobol::*;
use armistice::sim::Control;
fn main() {
    let (s1, st) = ishigami_indices(7.0, 0.1);
    let pi = std::f64::consts::PI;
    let mut fails = 0;
    for seed in 0..40u64 {
        let opts = SobolOptions { samples: 8192, bootstrap: 500, confidence: 0.95, seed };
        let e = saltelli_jansen(3, &opts, &|_, u| -pi + 2.0 * pi * u, || (), |_, x| ishigami(x, 7.0, 0.1), &Control::new(), &|_| {}).unwrap();
        let mut ok = true;
        for i in 0..3 { let x = &e.indices[i];
            if !(x.s1_low <= s1[i] && s1[i] <= x.s1_high) { ok = false; print!(" s1[{i}]"); }
            if !(x.st_low <= st[i] && st[i] <= x.st_high) { ok = false; print!(" st[{i}]"); }
        }
        if seed == 20 { println!("{:?}", e.indices); }
        if !ok { fails += 1; println!(" seed {seed} fails"); }
    }
    println!("fails {fails}/40");
}
