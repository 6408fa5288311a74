//! Every known-answer vector of `tests/data/signing.json` (copied from the project's shared
//! signing vectors: official SDK unit tests, alibabacloud-oss-v2 and oss2 outputs) must match.

#[path = "support/vector_runner.rs"]
mod vector_runner;

use serde_json::Value;
use vector_runner::run_vector;

const FIELDS: &[&str] = &[
    "canonical_request",
    "string_to_sign",
    "signature",
    "signing_key_hex",
    "authorization",
    "url_query_params",
];

#[test]
fn all_signing_vectors_match() {
    let text = include_str!("data/signing.json");
    let vectors: Vec<Value> = serde_json::from_str(text).unwrap();
    assert_eq!(vectors.len(), 53);
    let mut failures = Vec::new();
    let mut compared = 0;
    for v in &vectors {
        let got = run_vector(v);
        assert!(
            got.get("error").is_none(),
            "{}: {}",
            v["name"],
            got["error"]
        );
        for field in FIELDS {
            if let Some(expected) = v.get(*field) {
                compared += 1;
                if got.get(*field) != Some(expected) {
                    failures.push(format!(
                        "{} {field}:\n  expected {expected}\n  got      {}",
                        v["name"],
                        got.get(*field).unwrap_or(&Value::Null)
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(compared > 200, "only {compared} values compared");
}
