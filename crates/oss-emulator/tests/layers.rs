//! The emulator's modules import one way (crate docs, "Layout"): a module names only modules
//! of its own layer or of the layers below it, and no two modules import each other, also
//! not through others. Inside a folder (`handlers/`, `fakes/`, `store/`) the files follow
//! the same rule among themselves; `mod.rs` only lists and re-exports, so it is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Every top-level module and its layer, top (0) to bottom (5).
const LAYERS: &[(&str, u8)] = &[
    ("lib", 0),
    ("main", 0),
    ("builder", 0),
    ("handle", 0),
    ("server", 1),
    ("control_api", 1),
    ("handlers", 2),
    ("fakes", 2),
    ("admin", 2),
    ("public_access", 2),
    ("state", 3),
    ("list", 3),
    ("store", 4),
    ("operation", 5),
    ("config_family", 5),
    ("router", 5),
    ("auth", 5),
    ("keys", 5),
    ("faults", 5),
    ("other_regions", 5),
    ("http_util", 5),
    ("body", 5),
    ("pace", 5),
    ("tls", 5),
    ("error", 5),
    ("xml", 5),
    ("names", 5),
    ("conditional", 5),
    ("range", 5),
    ("time_fmt", 5),
    ("hex", 5),
    ("request_id", 5),
    ("callback", 5),
    ("image_process", 5),
    ("post_policy", 5),
    ("journal", 5),
];

/// Identifiers that follow `prefix` in `text`: `crate::store::Object` → `store`,
/// `super::{Ctx, acl}` → `Ctx`, `acl`.
fn names_after<'a>(text: &'a str, prefix: &str) -> BTreeSet<&'a str> {
    let ident = |s: &'a str| {
        let s = s.trim_start();
        let end = s
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(s.len());
        &s[..end]
    };
    let mut names = BTreeSet::new();
    for (i, _) in text.match_indices(prefix) {
        let rest = &text[i + prefix.len()..];
        match rest.strip_prefix('{') {
            Some(group) => {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                names.extend(group.split(',').map(ident));
            }
            None => {
                names.insert(ident(rest));
            }
        }
    }
    names.remove("");
    names
}

/// `(file stem, text)` of every `.rs` file directly in `dir`.
fn rust_files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Panics with the cycle when `edges` has one.
fn assert_acyclic(edges: &BTreeMap<String, BTreeSet<String>>) {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if let Some(at) = path.iter().position(|n| n == node) {
            panic!("imports run in a circle: {:?}", &path[at..]);
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, path, done);
        }
        path.pop();
        done.insert(node.to_owned());
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        visit(node, edges, &mut Vec::new(), &mut done);
    }
}

#[test]
fn top_level_modules_import_only_their_layer_or_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let layer: BTreeMap<&str, u8> = LAYERS.iter().copied().collect();
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    for (stem, text) in rust_files(&src) {
        texts.insert(stem, text);
    }
    for folder in ["handlers", "fakes", "store", "callback"] {
        let all: String = rust_files(&src.join(folder))
            .into_iter()
            .map(|(_, text)| text)
            .collect();
        texts.insert(folder.to_owned(), all);
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in &texts {
        let own = *layer
            .get(module.as_str())
            .unwrap_or_else(|| panic!("src/{module}: add it to LAYERS in tests/layers.rs"));
        for used in names_after(text, "crate::") {
            let Some(&theirs) = layer.get(used) else {
                continue; // an item of lib.rs, not a module
            };
            assert!(
                theirs >= own,
                "src/{module} (layer {own}) imports crate::{used} (layer {theirs}), a layer above it"
            );
            if used != module {
                edges
                    .entry(module.clone())
                    .or_default()
                    .insert(used.to_owned());
            }
        }
    }
    assert_acyclic(&edges);
}

#[test]
fn files_inside_a_folder_import_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for folder in ["handlers", "fakes", "store", "callback"] {
        let files = rust_files(&src.join(folder));
        let siblings: BTreeSet<&str> = files.iter().map(|(stem, _)| stem.as_str()).collect();
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (stem, text) in files.iter().filter(|(stem, _)| stem != "mod") {
            let mut used = names_after(text, "super::");
            used.extend(names_after(text, &format!("crate::{folder}::")));
            for name in used {
                if name != stem && name != "mod" && siblings.contains(name) {
                    edges
                        .entry(format!("{folder}/{stem}"))
                        .or_default()
                        .insert(format!("{folder}/{name}"));
                }
            }
        }
        assert_acyclic(&edges);
    }
}
