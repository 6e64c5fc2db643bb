//! Generates an extract and prints rows per file and the time taken; optionally writes it.
//!
//! `cargo run --release -p forlop-synth --example synth_timing -- 90000 [seed] [nor] [defects] [out_dir]`

use std::time::Instant;

use forlop_synth::{generate, injected_json, FileFormat, SynthConfig};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let persons = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let seed = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(7);
    let norwegian = args.iter().any(|a| a == "nor");
    let defects = args.iter().any(|a| a == "defects");
    let out = args.iter().skip(2).find(|a| a.contains('/'));
    let config = SynthConfig {
        persons,
        seed,
        year: 2024,
        defects,
        format: if norwegian {
            FileFormat::Norwegian
        } else {
            FileFormat::Canonical
        },
    };
    let t = Instant::now();
    let extract = generate(&config);
    let secs = t.elapsed().as_secs_f64();
    let mut total_rows = 0;
    let mut total_bytes = 0;
    for f in &extract.files {
        let rows = f.bytes.iter().filter(|&&b| b == b'\n').count() - 1;
        total_rows += rows;
        total_bytes += f.bytes.len();
        println!(
            "{:<24} {:>10} rows {:>12} bytes",
            f.name,
            rows,
            f.bytes.len()
        );
    }
    println!("total {total_rows} rows, {total_bytes} bytes, {secs:.2} s for {persons} persons");
    println!("injected {}", injected_json(&extract));
    if let Some(dir) = out {
        std::fs::create_dir_all(dir).expect("create output directory");
        for f in &extract.files {
            std::fs::write(format!("{dir}/{}", f.name), &f.bytes).expect("write file");
        }
        std::fs::write(
            format!("{dir}/injected_defects.json"),
            injected_json(&extract),
        )
        .expect("write json");
    }
}
