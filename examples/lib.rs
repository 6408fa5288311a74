//! Shared pieces of the runnable examples.

use std::error::Error;

use oss_client::Client;
use oss_emulator::EmulatorHandle;

/// Prints `tracing` output to stderr when `RUST_LOG` is set (e.g. `RUST_LOG=oss_http=debug`
/// or `RUST_LOG=trace`); silent otherwise.
pub fn init_tracing() {
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .try_init();
    }
}

/// A boxed error for examples.
pub type BoxError = Box<dyn Error + Send + Sync>;

/// A client for the emulator that authenticates with `provider`.
///
/// # Errors
/// Client configuration errors.
pub fn client_for(
    emulator: &EmulatorHandle,
    provider: impl oss_client::auth::ProvideCredentials + 'static,
) -> Result<Client, BoxError> {
    Ok(Client::builder()
        .endpoint(emulator.endpoint())
        .region(emulator.region())
        .credentials_provider(provider)
        .build()?)
}

/// Creates a bucket with the emulator's root AccessKey, so the credentials under test only need
/// to put and get.
///
/// # Errors
/// Any OSS error.
pub async fn create_bucket(emulator: &EmulatorHandle, bucket: &str) -> Result<(), BoxError> {
    let root = oss_client::auth::StaticCredentialsProvider::new(
        emulator.access_key_id(),
        emulator.access_key_secret(),
    )?;
    client_for(emulator, root)?
        .put_bucket()
        .bucket(bucket)
        .send()
        .await?;
    Ok(())
}

/// Puts an object with `client`, reads it back, checks it and prints what happened.
///
/// # Errors
/// Any OSS error, or a read-back that differs.
pub async fn put_and_get(client: &Client, bucket: &str, method: &str) -> Result<(), BoxError> {
    let key = format!("credentials/{method}.txt");
    let body = format!("written with {method} credentials");
    let put = client
        .put_object()
        .bucket(bucket)
        .key(&key)
        .body(body.clone())
        .send()
        .await?;
    println!("{method}: put {bucket}/{key} (ETag {})", put.etag);
    let got = client
        .get_object()
        .bucket(bucket)
        .key(&key)
        .send()
        .await?
        .body
        .collect()
        .await?;
    if got != body.as_bytes() {
        return Err(format!("{method}: read back {} bytes that differ", got.len()).into());
    }
    println!("{method}: got it back, {} bytes, identical", got.len());
    Ok(())
}

/// A batch job's target: a real endpoint from `OSS_ENDPOINT`, `OSS_REGION` and the `OSS_*`
/// credential variables, or an in-process emulator.
#[derive(Debug)]
pub struct Target {
    /// The client.
    pub client: Client,
    /// The bucket to use.
    pub bucket: String,
    /// The emulator, when no endpoint was configured.
    pub emulator: Option<EmulatorHandle>,
}

impl Target {
    /// Connects as described on [`Target`]; with the emulator, `bucket` is created.
    ///
    /// # Errors
    /// Configuration errors; bucket creation errors.
    pub async fn connect(bucket: &str) -> Result<Self, BoxError> {
        if let (Ok(endpoint), Ok(region)) =
            (std::env::var("OSS_ENDPOINT"), std::env::var("OSS_REGION"))
        {
            let client = Client::builder()
                .endpoint(endpoint)
                .region(region)
                .credentials_provider(oss_client::auth::EnvironmentCredentialsProvider::oss())
                .build()?;
            let bucket = std::env::var("OSS_BUCKET").unwrap_or_else(|_| bucket.to_owned());
            return Ok(Self {
                client,
                bucket,
                emulator: None,
            });
        }
        let emulator = oss_emulator::start().await?;
        let root = oss_client::auth::StaticCredentialsProvider::new(
            emulator.access_key_id(),
            emulator.access_key_secret(),
        )?;
        let client = client_for(&emulator, root)?;
        client.put_bucket().bucket(bucket).send().await?;
        Ok(Self {
            client,
            bucket: bucket.to_owned(),
            emulator: Some(emulator),
        })
    }

    /// Where the job runs, for printing.
    pub fn describe(&self) -> String {
        match &self.emulator {
            Some(emu) => format!("the in-process OSS emulator at {}", emu.endpoint()),
            None => std::env::var("OSS_ENDPOINT").unwrap_or_default(),
        }
    }

    /// Ends a batch job: prints its summary (`action`, objects done, bytes, seconds, the
    /// client's retries, `failures`), then stops the emulator.
    ///
    /// # Errors
    /// When any object failed (`failures` > 0).
    pub async fn finish(
        self,
        action: &str,
        objects: usize,
        bytes: u64,
        seconds: f64,
        failures: usize,
    ) -> Result<(), BoxError> {
        let retries = self.client.stats().retries;
        let mib = bytes as f64 / (1024.0 * 1024.0);
        let rate = if seconds > 0.0 { mib / seconds } else { 0.0 };
        println!(
            "{action}: {objects} objects, {bytes} bytes ({mib:.1} MiB) in {seconds:.2} s = {rate:.1} MiB/s; {retries} retries, {failures} failures"
        );
        if let Some(emulator) = self.emulator {
            emulator.shutdown().await;
        }
        if failures > 0 {
            return Err(format!("{action}: {failures} objects failed").into());
        }
        Ok(())
    }
}

/// Writes a tree of `files` files with sizes spread from 0 bytes to `max_size` (the first
/// file is empty, the second 1 byte, the last `max_size`), in nested directories, with
/// deterministic content. Returns (relative path, size) pairs.
///
/// # Errors
/// I/O errors.
pub fn generate_tree(
    root: &std::path::Path,
    files: usize,
    max_size: u64,
) -> std::io::Result<Vec<(String, u64)>> {
    use std::io::Write as _;
    let mut made = Vec::new();
    for i in 0..files {
        let size = match i {
            0 => 0,
            1 => 1,
            _ if i + 1 == files => max_size,
            _ => (max_size as f64 * ((i * 7919) % files) as f64 / files as f64) as u64,
        };
        let relative = format!("dir{}/sub{}/file-{i:05}.bin", i % 7, i % 3);
        let path = root.join(&relative);
        std::fs::create_dir_all(path.parent().unwrap_or(root))?;
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        let block: Vec<u8> = (0..65_536u32)
            .map(|b| (b.wrapping_mul(31).wrapping_add(i as u32)) as u8)
            .collect();
        let mut left = size;
        while left > 0 {
            let n = left.min(block.len() as u64) as usize;
            file.write_all(&block[..n])?;
            left -= n as u64;
        }
        file.flush()?;
        made.push((relative, size));
    }
    Ok(made)
}

/// Every file below `root` as (relative path with `/`, size).
///
/// # Errors
/// I/O errors.
pub fn list_tree(root: &std::path::Path) -> std::io::Result<Vec<(String, u64)>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((relative, entry.metadata()?.len()));
            }
        }
    }
    out.sort();
    Ok(out)
}
