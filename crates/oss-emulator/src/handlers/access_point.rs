//! Access points (`?accessPoint`, OSS API reference "CreateAccessPoint", "GetAccessPoint",
//! "DeleteAccessPoint", "ListAccessPoints"): named entries to one bucket, each stored as a
//! JSON record in its bucket's documents (`accessPoint/<name>`, durable with a data
//! directory). Names are unique in the account (every bucket of the emulator); the ARN,
//! alias and endpoints are built from the emulator's region and owner id. Requests through
//! an access point's alias or endpoints are not served (the README says so).

use std::time::UNIX_EPOCH;

use http::StatusCode;
use md5::{Digest as _, Md5};
use serde::{Deserialize, Serialize};

use super::access_point_documents::{block_public_access, remove_documents};
use super::access_point_lookup::{PREFIX, document_name, named, no_such_access_point};
use super::bucket_config::read_document;
use super::{Ctx, Resp, empty, xml_response};
use crate::error::{ErrorCode, OssError};
use crate::handlers::xml_body;
use crate::pace::ReqBody;
use crate::store::Bucket;
use crate::xml::XmlWriter;

/// What the emulator keeps of one access point.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Record {
    name: String,
    network_origin: String,
    vpc_id: Option<String>,
    alias: String,
    /// Unix seconds.
    created: u64,
}

/// OSS's naming rule: 3 to 19 characters, lower-case letters, digits and `-`, neither
/// first nor last, not ending in `-ossalias`.
fn valid_name(name: &str) -> bool {
    (3..=19).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.ends_with("-ossalias")
}

/// The record `CreateAccessPointConfiguration` asks for; 400 `MalformedXML` or
/// `InvalidArgument` for what OSS refuses.
fn parse_create(body: &[u8], alias_seed: &str, created: u64) -> Result<Record, OssError> {
    let doc = xml_body::parse(body, "CreateAccessPointConfiguration")?;
    let name = doc
        .child_text("AccessPointName")
        .ok_or_else(xml_body::malformed)?;
    if !valid_name(name) {
        return Err(OssError::invalid_argument(
            "The access point name is invalid.",
            "AccessPointName",
            name,
        ));
    }
    let origin = doc
        .child_text("NetworkOrigin")
        .ok_or_else(xml_body::malformed)?;
    let vpc_id = doc
        .child("VpcConfiguration")
        .and_then(|v| v.child_text("VpcId"))
        .filter(|v| !v.is_empty());
    match (origin, vpc_id) {
        ("vpc", Some(_)) | ("internet", None) => {}
        ("vpc", None) => {
            return Err(OssError::invalid_argument(
                "A vpc access point needs a VpcId.",
                "VpcId",
                "",
            ));
        }
        ("internet", Some(id)) => {
            return Err(OssError::invalid_argument(
                "An internet access point takes no VpcId.",
                "VpcId",
                id,
            ));
        }
        (other, _) => {
            return Err(OssError::invalid_argument(
                "NetworkOrigin is vpc or internet.",
                "NetworkOrigin",
                other,
            ));
        }
    }
    let digest = crate::hex::upper_hex(&Md5::digest(alias_seed.as_bytes())).to_ascii_lowercase();
    Ok(Record {
        name: name.to_owned(),
        network_origin: origin.to_owned(),
        vpc_id: vpc_id.map(str::to_owned),
        alias: format!("{name}-{}-ossalias", &digest[..24]),
        created,
    })
}

/// The access point ARN (`acs:oss:<region>:<account>:accesspoint/<name>`).
fn arn(ctx: &Ctx<'_>, name: &str) -> String {
    format!(
        "acs:oss:{}:{}:accesspoint/{name}",
        ctx.state.region, ctx.state.owner_id
    )
}

/// CreateAccessPoint: 200 with the ARN and alias; 409 `AccessPointAlreadyExists` when the
/// account has one by that name.
pub(crate) async fn create_access_point(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let body = read_document(ctx, body, |_, _| Ok(())).await?;
    let created = ctx
        .now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let record = parse_create(
        body.as_bytes(),
        &format!("{bucket_name}/{created}"),
        created,
    )?;
    let taken = ctx
        .state
        .store
        .buckets()
        .iter()
        .any(|b| b.document(&document_name(&record.name)).is_some());
    if taken {
        return Err(OssError::new(
            ErrorCode::AccessPointAlreadyExists,
            "The access point you tried to create already exists.",
        )
        .with("AccessPointName", &record.name));
    }
    let json = serde_json::to_string(&record).map_err(|_| xml_body::malformed())?;
    bucket.set_document(&document_name(&record.name), Some(json))?;
    let mut w = XmlWriter::new();
    w.open("CreateAccessPointResult")
        .elem("AccessPointArn", &arn(ctx, &record.name))
        .elem("Alias", &record.alias)
        .close("CreateAccessPointResult");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

/// The records of `bucket`, by name.
fn records(bucket: &Bucket) -> Vec<Record> {
    bucket
        .config()
        .documents
        .iter()
        .filter(|(k, _)| k.starts_with(PREFIX))
        .filter_map(|(_, v)| serde_json::from_str(v).ok())
        .collect()
}

/// The `<NetworkOrigin>`, `<VpcConfiguration>` and `<Alias>`-style fields both answers share.
fn write_origin(w: &mut XmlWriter, record: &Record) {
    w.elem("NetworkOrigin", &record.network_origin);
    if let Some(vpc) = &record.vpc_id {
        w.open("VpcConfiguration")
            .elem("VpcId", vpc)
            .close("VpcConfiguration");
    }
}

/// GetAccessPoint: the `GetAccessPointResult` document.
pub(crate) fn get_access_point(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let name = named(ctx, &bucket)?;
    let record = records(&bucket)
        .into_iter()
        .find(|r| r.name == name)
        .ok_or_else(|| no_such_access_point(&name))?;
    let (region, owner) = (&ctx.state.region, &ctx.state.owner_id);
    let host = format!("{name}-{owner}.oss-{region}");
    let mut w = XmlWriter::new();
    w.open("GetAccessPointResult")
        .elem("AccessPointName", &name)
        .elem("Bucket", bucket_name)
        .elem("AccountId", owner);
    write_origin(&mut w, &record);
    w.elem("AccessPointArn", &arn(ctx, &name))
        .elem("CreationDate", &record.created.to_string())
        .elem("Alias", &record.alias)
        .elem("Status", "enable")
        .open("Endpoints")
        .elem(
            "PublicEndpoint",
            &format!("{host}.oss-accesspoint.aliyuncs.com"),
        )
        .elem(
            "InternalEndpoint",
            &format!("{host}-internal.oss-accesspoint.aliyuncs.com"),
        )
        .close("Endpoints")
        .open("PublicAccessBlockConfiguration")
        .elem(
            "BlockPublicAccess",
            &block_public_access(&bucket, &name).to_string(),
        )
        .close("PublicAccessBlockConfiguration")
        .close("GetAccessPointResult");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

/// DeleteAccessPoint: removes the access point with its policy and public access block; 200
/// (OSS's documented answer, where the other deletes answer 204).
pub(crate) fn delete_access_point(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let name = named(ctx, &bucket)?;
    remove_documents(&bucket, &name)?;
    bucket.set_document(&document_name(&name), None)?;
    Ok(empty(StatusCode::OK))
}

/// ListAccessPoints, of one bucket (`GET /bucket?accessPoint`, `max-keys` 1 to 100) or of
/// the account (`GET /?accessPoint`, 1 to 1000; the default is the most), by name from
/// `continuation-token` (the first name not yet answered); 400 `InvalidArgument` for another
/// `max-keys`.
pub(crate) fn list_access_points(
    ctx: &Ctx<'_>,
    bucket_name: Option<&str>,
) -> Result<Resp, OssError> {
    let (buckets, most) = match bucket_name {
        Some(name) => (vec![ctx.state.store.bucket(name)?], 100),
        None => (ctx.state.store.buckets(), 1000),
    };
    let max_keys = match ctx.param("max-keys").filter(|v| !v.is_empty()) {
        None => most,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=most).contains(n))
            .ok_or_else(|| {
                OssError::invalid_argument("max-keys is out of range.", "max-keys", v)
            })?,
    };
    let from = ctx.param("continuation-token").unwrap_or("");
    let mut all: Vec<(String, Record)> = buckets
        .iter()
        .flat_map(|b| records(b).into_iter().map(|r| (b.name.clone(), r)))
        .filter(|(_, r)| r.name.as_str() >= from)
        .collect();
    all.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let next = all.get(max_keys).map(|(_, r)| r.name.clone());
    let mut w = XmlWriter::new();
    w.open("ListAccessPointsResult")
        .elem("IsTruncated", &next.is_some().to_string())
        .elem_opt("NextContinuationToken", next.as_deref())
        .elem("AccountId", &ctx.state.owner_id)
        .elem("MaxKeys", &max_keys.to_string())
        .open("AccessPoints");
    for (bucket, record) in all.iter().take(max_keys) {
        w.open("AccessPoint")
            .elem("Bucket", bucket)
            .elem("AccessPointName", &record.name)
            .elem("Alias", &record.alias);
        write_origin(&mut w, record);
        w.elem("Status", "enable").close("AccessPoint");
    }
    w.close("AccessPoints").close("ListAccessPointsResult");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_oss_rules() {
        for good in ["ap-01", "abc", "a1234567890123456789"[..19].as_ref()] {
            assert!(valid_name(good), "{good}");
        }
        for bad in [
            "ab",
            "-ap",
            "ap-",
            "Ap-01",
            "ap_01",
            "a12345678901234567890",
            "x-ossalias",
        ] {
            assert!(!valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn create_checks_the_origin_and_vpc() {
        let doc = |origin: &str, vpc: &str| {
            format!(
                "<CreateAccessPointConfiguration><AccessPointName>ap-01</AccessPointName>\
                 <NetworkOrigin>{origin}</NetworkOrigin>{vpc}</CreateAccessPointConfiguration>"
            )
        };
        let vpc = "<VpcConfiguration><VpcId>vpc-1</VpcId></VpcConfiguration>";
        let record = parse_create(doc("vpc", vpc).as_bytes(), "b/1", 1).unwrap();
        assert_eq!(record.vpc_id.as_deref(), Some("vpc-1"));
        assert!(record.alias.starts_with("ap-01-") && record.alias.ends_with("-ossalias"));
        assert!(parse_create(doc("internet", "").as_bytes(), "b/1", 1).is_ok());
        for (origin, vpc) in [("vpc", ""), ("internet", vpc), ("intranet", "")] {
            let e = parse_create(doc(origin, vpc).as_bytes(), "b/1", 1).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidArgument, "{origin}");
        }
    }
}
