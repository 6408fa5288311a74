//! Signs every vector of a JSON file (the format of `tests/data/signing.json`) and prints a JSON
//! array with one object per vector: `name`, `string_to_sign`, `signature`, and
//! `canonical_request` (V4), `authorization` (header algorithms), `url_query_params` (presign).
//!
//! `cargo run -q -p oss-auth --example sign_vectors -- FILE.json`

#[path = "../tests/support/vector_runner.rs"]
mod vector_runner;

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: sign_vectors FILE.json");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let vectors: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{path} is not JSON: {e}");
            return ExitCode::from(2);
        }
    };
    let list = match vectors {
        serde_json::Value::Array(list) => list,
        serde_json::Value::Object(ref map) if map.get("vectors").is_some_and(|v| v.is_array()) => {
            map["vectors"].as_array().cloned().unwrap_or_default()
        }
        single @ serde_json::Value::Object(_) => vec![single],
        _ => {
            eprintln!("{path}: expected a JSON array of vectors");
            return ExitCode::from(2);
        }
    };
    let results: Vec<_> = list.iter().map(vector_runner::run_vector).collect();
    println!(
        "{}",
        serde_json::to_string_pretty(&results).expect("JSON values always serialize")
    );
    ExitCode::SUCCESS
}
