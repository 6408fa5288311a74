//! `docs/operations.md` stays true: it lists each Go v2 operation once (the list is kept in
//! `tests/data/go-v2-operations.txt`), every method it names is a public `Client` method, and
//! an operation it calls not typed has no method of its name.

use std::path::Path;

/// The text of every source file of the crate.
fn crate_source() -> String {
    let mut text = String::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                text.push_str(&std::fs::read_to_string(path).unwrap());
            }
        }
    }
    text
}

/// Whether `source` has `pub [async] fn method(&self…`, the receiver possibly on the next
/// line.
fn has_method(source: &str, method: &str) -> bool {
    ["pub fn ", "pub async fn "].iter().any(|start| {
        source
            .match_indices(&format!("{start}{method}("))
            .any(|(at, found)| source[at + found.len()..].trim_start().starts_with("&self"))
    })
}

/// `PutBucketCors` -> `put_bucket_cors`, `GetBucketRtc` -> `get_bucket_rtc`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[test]
fn the_table_lists_every_operation_and_only_real_methods() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let table = std::fs::read_to_string(root.join("../../docs/operations.md")).unwrap();
    let go_names = include_str!("data/go-v2-operations.txt");
    let source = crate_source();
    let rows: Vec<Vec<&str>> = table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Go v2"))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    let listed: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    let expected: Vec<&str> = go_names
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(listed, expected);
    assert_eq!(listed.len(), 154);
    for row in &rows {
        let method = row[1].trim_matches('`');
        if method == "—" {
            let named = snake_case(row[0]);
            assert!(
                !has_method(&source, &named),
                "{}: the table says not typed, but {named} exists",
                row[0]
            );
        } else {
            assert!(
                has_method(&source, method),
                "{}: no public method {method}",
                row[0]
            );
        }
        assert!(
            ["served", "stored only", "501"].contains(&row[2]),
            "{}: unknown emulator state {:?}",
            row[0],
            row[2]
        );
    }
}
