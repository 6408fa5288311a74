//! Single-object commands: `stat` (HeadObject), `cat` (GetObject, optionally a byte range),
//! `presign` (a presigned URL) and `hash` (CRC-64 and MD5 of a file or an object).

use std::io::Write as _;
use std::path::Path;

use base64::Engine as _;
use futures_util::TryStreamExt as _;
use http::Method;
use oss_client::Client;
use oss_client::types::ByteRange;
use serde_json::json;

use crate::args::{CatArgs, PresignArgs};
use crate::checksum::{self, Hashes};
use crate::commands::ls::time;
use crate::error::CliError;
use crate::location::{Location, Remote};
use crate::output::Output;

/// `stat`: the object's properties (HeadObject).
pub(crate) async fn stat(client: &Client, path: &str, output: &Output) -> Result<(), CliError> {
    let remote = object(path)?;
    let head = client
        .head_object()
        .bucket(&remote.bucket)
        .key(&remote.key)
        .send()
        .await?;
    let metadata: serde_json::Map<String, serde_json::Value> = head
        .metadata
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let fields = json!({
        "key": remote.to_string(),
        "size": head.content_length,
        "etag": head.etag,
        "last_modified": time(head.last_modified),
        "crc64": head.crc64.map(|c| c.to_string()),
        "content_type": head.content_type,
        "object_type": head.object_type,
        "storage_class": head.storage_class,
        "version_id": head.version_id,
        "tagging_count": head.tagging_count,
        "metadata": metadata,
    });
    if output.is_json() {
        output.json_line(&fields);
    } else if let Some(map) = fields.as_object() {
        for (name, value) in map {
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::String(s) => println!("{name:<14} {s}"),
                other => println!("{name:<14} {other}"),
            }
        }
    }
    Ok(())
}

/// `cat`: the object's bytes (or a range of them) to stdout, CRC-64 checked for whole objects.
pub(crate) async fn cat(client: &Client, args: &CatArgs) -> Result<(), CliError> {
    let remote = object(&args.path)?;
    let mut request = client.get_object().bucket(&remote.bucket).key(&remote.key);
    if let Some(range) = &args.range {
        request = request.range(parse_range(range)?);
    }
    let mut body = request.send().await?.body;
    // A command with one stream: blocking writes to stdout are fine here.
    let mut stdout = std::io::stdout();
    while let Some(chunk) = body.try_next().await? {
        stdout.write_all(&chunk)?;
    }
    stdout.flush()?;
    Ok(())
}

/// `FIRST-LAST`, `FIRST-` or `-LENGTH`.
fn parse_range(text: &str) -> Result<ByteRange, CliError> {
    let bad = || {
        CliError::usage(format!(
            "--range {text:?}: expected FIRST-LAST, FIRST- or -LENGTH"
        ))
    };
    let (first, last) = text.split_once('-').ok_or_else(bad)?;
    let number = |s: &str| s.trim().parse::<u64>().map_err(|_| bad());
    Ok(match (first.trim().is_empty(), last.trim().is_empty()) {
        (false, false) => ByteRange::inclusive(number(first)?, number(last)?)?,
        (false, true) => ByteRange::from(number(first)?),
        (true, false) => ByteRange::suffix(number(last)?)?,
        (true, true) => return Err(bad()),
    })
}

/// `presign`: a URL valid for `--expires` with `--method`.
pub(crate) async fn presign(
    client: &Client,
    args: &PresignArgs,
    output: &Output,
) -> Result<(), CliError> {
    let remote = object(&args.path)?;
    let method = Method::from_bytes(args.method.as_bytes())
        .map_err(|_| CliError::usage(format!("--method {}", args.method)))?;
    let signed = client
        .presign(method)
        .bucket(&remote.bucket)
        .key(&remote.key)
        .expires_in(args.expires)
        .send()
        .await?;
    if output.is_json() {
        output.json_line(&json!({
            "method": signed.method.as_str(),
            "url": signed.url,
            "expiration": time(Some(signed.expiration)),
        }));
    } else {
        println!("{}", signed.url);
    }
    Ok(())
}

/// `hash`: CRC-64 and MD5 of a local file, or of an object's bytes as downloaded (the
/// client checks the object's CRC-64 against OSS's).
pub(crate) async fn hash(client: &Client, path: &str, output: &Output) -> Result<(), CliError> {
    let location = Location::parse(path)?;
    let hashes = match &location {
        Location::Local(path) => local_hashes(path).await?,
        Location::Remote(remote) => {
            let remote = object(&remote.to_string())?;
            let body = client
                .get_object()
                .bucket(&remote.bucket)
                .key(&remote.key)
                .send()
                .await?
                .body;
            checksum::stream(body).await?
        }
    };
    let md5_base64 = base64::engine::general_purpose::STANDARD.encode(hashes.md5);
    if output.is_json() {
        output.json_line(&json!({
            "path": location.to_string(),
            "size": hashes.size,
            "crc64": hashes.crc64.to_string(),
            "md5": checksum::hex(&hashes.md5),
            "md5_base64": md5_base64,
        }));
    } else {
        println!("crc64  {}", hashes.crc64);
        println!("md5    {}  ({md5_base64})", checksum::hex(&hashes.md5));
        println!("size   {}", hashes.size);
    }
    Ok(())
}

async fn local_hashes(path: &Path) -> Result<Hashes, CliError> {
    checksum::file(path)
        .await
        .map_err(|e| CliError::failed(format!("{}: {e}", path.display())))
}

/// An `oss://bucket/key` argument that must name an object.
fn object(path: &str) -> Result<Remote, CliError> {
    let remote = Remote::parse(path)?;
    if remote.key.is_empty() {
        return Err(CliError::usage(format!("{path}: no object key")));
    }
    Ok(remote)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(
            parse_range("0-99").unwrap(),
            ByteRange::inclusive(0, 99).unwrap()
        );
        assert_eq!(parse_range("100-").unwrap(), ByteRange::from(100));
        assert_eq!(parse_range("-5").unwrap(), ByteRange::suffix(5).unwrap());
        assert!(parse_range("-").is_err());
        assert!(parse_range("9-1").is_err());
        assert!(parse_range("x").is_err());
    }
}
