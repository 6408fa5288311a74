//! `mb` (PutBucket) and `rb` (DeleteBucket; OSS refuses a bucket that still holds objects
//! with `BucketNotEmpty`).

use oss_client::Client;

use crate::args::MbArgs;
use crate::error::CliError;
use crate::location::Remote;

/// `mb oss://bucket`.
pub(crate) async fn make(client: &Client, args: &MbArgs) -> Result<(), CliError> {
    let bucket = bucket_only(&args.path)?;
    let mut request = client.put_bucket().bucket(&bucket);
    if let Some(acl) = &args.acl {
        request = request.acl(acl);
    }
    if let Some(class) = &args.storage_class {
        request = request.storage_class(class);
    }
    request.send().await?;
    eprintln!("created oss://{bucket}");
    Ok(())
}

/// `rb oss://bucket`.
pub(crate) async fn remove(client: &Client, path: &str) -> Result<(), CliError> {
    let bucket = bucket_only(path)?;
    client.delete_bucket().bucket(&bucket).send().await?;
    eprintln!("deleted oss://{bucket}");
    Ok(())
}

fn bucket_only(path: &str) -> Result<String, CliError> {
    let remote = Remote::parse(path)?;
    if !remote.key.is_empty() {
        return Err(CliError::usage(format!(
            "{path}: a bucket takes no key (oss://bucket)"
        )));
    }
    Ok(remote.bucket)
}
