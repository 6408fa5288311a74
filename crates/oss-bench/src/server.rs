//! The server every client talks to: the emulator as a separate process (default), inside
//! this process, the null OSS as a separate process, or an endpoint given on the command line.

use std::io::BufRead as _;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;

use crate::{Args, ServerChoice};

pub(crate) struct Server {
    /// `http://127.0.0.1:PORT`, or `https://…` with `--tls`.
    pub(crate) endpoint: String,
    /// True when `endpoint` is `https://`.
    pub(crate) tls: bool,
    /// `127.0.0.1:PORT`.
    pub(crate) authority: String,
    /// The server process, when it is a separate one we can read `/proc` of.
    pub(crate) pid: Option<u32>,
    /// What the server is, for the report.
    pub(crate) description: String,
    /// True for the null OSS (no auth, no storage).
    pub(crate) null: bool,
    child: Mutex<Option<Child>>,
    in_process: Mutex<Option<oss_emulator::EmulatorHandle>>,
    /// The certificate and key files written for a separate emulator, removed at the end.
    tls_files: Vec<std::path::PathBuf>,
}

fn spawn_and_wait_for_endpoint(
    mut command: Command,
    what: &str,
) -> Result<(Child, String), String> {
    let mut child = command
        .stdout(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {what}: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| format!("reading {what}'s first line: {e}"))?;
    let endpoint = line
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("{what} printed {line:?} instead of `listening on URL`"))?
        .to_owned();
    Ok((child, endpoint))
}

fn remove_files(files: &[std::path::PathBuf]) {
    for file in files {
        let _ = std::fs::remove_file(file);
    }
}

impl Server {
    pub(crate) async fn start(args: &Args) -> Result<Server, String> {
        let null = args.server == ServerChoice::Null;
        if let Some(endpoint) = &args.endpoint {
            if args.tls != endpoint.starts_with("https://") {
                return Err(format!(
                    "--endpoint {endpoint}: give an https:// endpoint with --tls, and only with it"
                ));
            }
            return Ok(Self::new(
                endpoint.clone(),
                None,
                format!("already running server at {endpoint}"),
                null,
                None,
                None,
            ));
        }
        if null {
            let exe = std::env::current_exe().map_err(|e| e.to_string())?;
            let mut command = Command::new(exe);
            command.args([
                "null-server",
                "--object-size",
                &(args.object_kib * 1024).to_string(),
            ]);
            let (child, endpoint) = spawn_and_wait_for_endpoint(command, "the null server")?;
            let pid = child.id();
            return Ok(Self::new(
                endpoint,
                Some(pid),
                "null OSS (oss-bench null-server: no auth, no storage), separate process".into(),
                true,
                Some(child),
                None,
            ));
        }
        if args.in_process {
            let mut builder = oss_emulator::Emulator::builder()
                .credentials(args.access_key_id.clone(), args.access_key_secret.clone())
                .region(args.region.clone())
                .max_object_size(64 << 30);
            if args.tls {
                builder = builder.tls(crate::tls::CERT_PEM.to_vec(), crate::tls::KEY_PEM.to_vec());
            }
            let handle = builder
                .start()
                .await
                .map_err(|e| format!("cannot start the emulator: {e}"))?;
            return Ok(Self::new(
                handle.endpoint().to_owned(),
                None,
                "oss-emulator in this process (CPU and RSS include the server)".into(),
                false,
                None,
                Some(handle),
            ));
        }
        let bin = match &args.emulator_bin {
            Some(bin) => bin.clone(),
            None => std::env::current_exe()
                .map_err(|e| e.to_string())?
                .with_file_name("oss-emulator"),
        };
        if !bin.is_file() {
            return Err(format!(
                "{} not found: build it (`cargo build --release -p oss-emulator -p oss-bench`), \
                 pass --emulator-bin, or use --in-process",
                bin.display()
            ));
        }
        let mut command = Command::new(&bin);
        command
            .args([
                "--listen",
                "127.0.0.1:0",
                "--access-key-id",
                &args.access_key_id,
                "--region",
                &args.region,
                "--max-object-size",
                &(64u64 << 30).to_string(),
            ])
            .env("OSS_EMULATOR_ACCESS_KEY_SECRET", &args.access_key_secret);
        let mut tls_files = Vec::new();
        if args.tls {
            let dir = args.work_dir.clone().unwrap_or_else(std::env::temp_dir);
            let (cert, key) = crate::tls::write_files(&dir)?;
            command
                .arg("--tls-cert")
                .arg(&cert)
                .arg("--tls-key")
                .arg(&key);
            tls_files = vec![cert, key];
        }
        let started = spawn_and_wait_for_endpoint(command, "the emulator");
        let (child, endpoint) = match started {
            Ok(started) => started,
            Err(e) => {
                remove_files(&tls_files);
                return Err(e);
            }
        };
        let pid = child.id();
        let mut server = Self::new(
            endpoint,
            Some(pid),
            format!("oss-emulator, separate process ({})", bin.display()),
            false,
            Some(child),
            None,
        );
        server.tls_files = tls_files;
        Ok(server)
    }

    fn new(
        endpoint: String,
        pid: Option<u32>,
        description: String,
        null: bool,
        child: Option<Child>,
        in_process: Option<oss_emulator::EmulatorHandle>,
    ) -> Self {
        let tls = endpoint.starts_with("https://");
        let authority = endpoint
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let description = if tls {
            format!("{description}, HTTPS (TLS: the emulator's test certificate)")
        } else {
            description
        };
        Self {
            endpoint,
            tls,
            authority,
            pid,
            description,
            null,
            child: Mutex::new(child),
            in_process: Mutex::new(in_process),
            tls_files: Vec::new(),
        }
    }

    /// CPU time of the server process so far.
    pub(crate) fn cpu(&self) -> Option<std::time::Duration> {
        self.pid.and_then(oss_bench::usage::process_cpu)
    }

    pub(crate) fn stop(&self) {
        if let Some(mut child) = self.child.lock().ok().and_then(|mut c| c.take()) {
            let _ = child.kill();
            let _ = child.wait();
        }
        drop(self.in_process.lock().ok().and_then(|mut h| h.take()));
        remove_files(&self.tls_files);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
