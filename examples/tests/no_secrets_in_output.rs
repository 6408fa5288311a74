//! Runs every example with tracing at TRACE and checks that no AccessKeySecret, SecurityToken,
//! signature or presigned query appears in anything it prints.

use std::path::PathBuf;
use std::process::Command;

const EXAMPLES: &[(&str, &[&str])] = &[
    ("quickstart", &[]),
    ("credentials_access_key", &[]),
    ("credentials_kms", &[]),
    ("credentials_sts_token", &[]),
    ("credentials_ram_role_arn", &[]),
    ("credentials_ecs_ram_role", &[]),
    ("credentials_oidc_role_arn", &[]),
    ("credentials_function_compute", &[]),
    ("credentials_uri", &[]),
    ("credentials_custom", &[]),
    (
        "batch_upload",
        &[
            "--files",
            "12",
            "--max-file-mib",
            "2",
            "--part-size-mib",
            "1",
        ],
    ),
    ("batch_download", &["--files", "8", "--max-file-mib", "2"]),
];

/// Secrets the examples use, and markers of signatures.
fn forbidden() -> Vec<String> {
    let password = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../crates/oss-emulator/tests/data/kms/client_key_password.txt"
    ))
    .unwrap();
    vec![
        oss_emulator::DEFAULT_ACCESS_KEY_SECRET.to_owned(),
        "demo-sts-secret".to_owned(),
        "CAIS+demo/token==".to_owned(),
        "fc-secret".to_owned(),
        "fc-security-token".to_owned(),
        password.trim().to_owned(),
        "Signature=".to_owned(),
        "x-oss-signature=".to_owned(),
        "OSSAccessKeyId=".to_owned(),
        "x-oss-security-token:".to_owned(),
    ]
}

fn examples_dir() -> PathBuf {
    // target/<profile>/deps/<this test> -> target/<profile>/examples
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("examples")
}

#[test]
fn examples_print_no_secrets_at_trace_level() {
    let dir = examples_dir();
    let forbidden = forbidden();
    for (name, args) in EXAMPLES {
        let path = dir.join(name);
        assert!(
            path.is_file(),
            "{} is not built (cargo test builds the examples)",
            path.display()
        );
        let output = Command::new(&path)
            .args(*args)
            .env("RUST_LOG", "trace")
            .env_remove("OSS_ENDPOINT")
            .env_remove("OSS_REGION")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "{name} failed:\n{stdout}\n{stderr}"
        );
        assert!(
            stderr.contains("oss_request"),
            "{name}: tracing output was captured"
        );
        for secret in &forbidden {
            assert!(
                !stdout.contains(secret.as_str()),
                "{name} printed {secret:?} on stdout"
            );
            assert!(
                !stderr.contains(secret.as_str()),
                "{name} printed {secret:?} in its trace"
            );
        }
    }
}
