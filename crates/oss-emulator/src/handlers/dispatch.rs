//! The one place that maps a routed [`Operation`] to its handler.

use super::access_point_documents::{self as ap_documents, ApDocument};
use super::{
    Ctx, Resp, access_point, account_public_access, acl, append, bucket, bucket_config,
    bucket_info, bucket_inventory, bucket_replication, bucket_worm, callback, cloud_box, cname,
    copy, cors, delete_multiple, fc_access_point, meta_query, multipart, object, object_worm,
    policy_status, post_object, process, redundancy_transition, regions, restore, seal, select,
    service, style, symlink, tagging, traffic_limit, versioning, write_get_object_response,
};
use crate::config_family::ConfigFamily;
use crate::error::OssError;
use crate::operation::Operation;
use crate::pace::ReqBody;
use crate::router::Target;

/// Runs `op` on `target`.
pub(crate) async fn dispatch(
    ctx: &Ctx<'_>,
    op: Operation,
    target: &Target,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = target.bucket.as_deref().unwrap_or("");
    let key = target.key.as_deref().unwrap_or("");
    traffic_limit::check(ctx)?;
    match op {
        Operation::ListBuckets => service::list_buckets(ctx),
        Operation::DescribeRegions => regions::describe_regions(ctx),
        Operation::PutBucket => bucket::put_bucket(ctx, bucket, body).await,
        Operation::DeleteBucket => bucket::delete_bucket(ctx, bucket),
        Operation::ListObjects => bucket::list_objects(ctx, bucket, false),
        Operation::ListObjectsV2 => bucket::list_objects(ctx, bucket, true),
        Operation::GetBucketInfo => bucket_info::get_bucket_info(ctx, bucket),
        Operation::GetBucketLocation => bucket_info::get_bucket_location(ctx, bucket),
        Operation::GetBucketStat => bucket_info::get_bucket_stat(ctx, bucket),
        Operation::PutBucketAcl => acl::put_bucket_acl(ctx, bucket, body).await,
        Operation::GetBucketAcl => acl::get_bucket_acl(ctx, bucket),
        Operation::PutBucketVersioning => {
            versioning::put_bucket_versioning(ctx, bucket, body).await
        }
        Operation::GetBucketVersioning => versioning::get_bucket_versioning(ctx, bucket),
        Operation::ListObjectVersions => versioning::list_object_versions(ctx, bucket),
        Operation::PutBucketConfig(ConfigFamily::OverwriteConfig) => {
            bucket_config::overwrite_config::put(ctx, bucket, body).await
        }
        Operation::PutBucketConfig(f) => bucket_config::put(ctx, bucket, f, body).await,
        Operation::GetBucketConfig(f) => bucket_config::get(ctx, bucket, f),
        Operation::DeleteBucketConfig(f) => bucket_config::delete(ctx, bucket, f),
        Operation::PutBucketInventory => bucket_inventory::put(ctx, bucket, body).await,
        Operation::GetBucketInventory => bucket_inventory::get(ctx, bucket),
        Operation::ListBucketInventory => bucket_inventory::list(ctx, bucket),
        Operation::DeleteBucketInventory => bucket_inventory::delete(ctx, bucket),
        Operation::PutBucketReplication => bucket_replication::put(ctx, bucket, body).await,
        Operation::GetBucketReplication => bucket_replication::get(ctx, bucket),
        Operation::DeleteBucketReplication => bucket_replication::delete(ctx, bucket, body).await,
        Operation::GetBucketReplicationLocation => bucket_replication::location(ctx, bucket),
        Operation::GetBucketReplicationProgress => bucket_replication::progress(ctx, bucket),
        Operation::PutBucketRtc => bucket_replication::put_rtc(ctx, bucket, body).await,
        Operation::GetBucketPolicyStatus => policy_status::get_bucket_policy_status(ctx, bucket),
        Operation::OpenMetaQuery => meta_query::open(ctx, bucket),
        Operation::GetMetaQueryStatus => meta_query::status(ctx, bucket),
        Operation::DoMetaQuery => meta_query::search(ctx, bucket, body).await,
        Operation::CloseMetaQuery => meta_query::close(ctx, bucket),
        Operation::ListMultipartUploads => multipart::list_multipart_uploads(ctx, bucket),
        Operation::DeleteMultipleObjects => {
            delete_multiple::delete_multiple_objects(ctx, bucket, body).await
        }
        Operation::PutObject => {
            let write = object::put_object(ctx, bucket, key, body);
            callback::with_callback(ctx, bucket, key, "PutObject", write).await
        }
        Operation::CopyObject => copy::copy_object(ctx, bucket, key),
        Operation::GetObject => match ctx.param("x-oss-process") {
            Some(style) => process::get_processed(ctx, bucket, key, style),
            None => object::get_object(ctx, bucket, key, false),
        },
        Operation::HeadObject => object::get_object(ctx, bucket, key, true),
        Operation::GetObjectMeta => object::get_object_meta(ctx, bucket, key),
        Operation::DeleteObject => object::delete_object(ctx, bucket, key),
        Operation::AppendObject => append::append_object(ctx, bucket, key, body).await,
        Operation::PutObjectAcl => acl::put_object_acl(ctx, bucket, key),
        Operation::GetObjectAcl => acl::get_object_acl(ctx, bucket, key),
        Operation::PutObjectTagging => tagging::put_object_tagging(ctx, bucket, key, body).await,
        Operation::GetObjectTagging => tagging::get_object_tagging(ctx, bucket, key),
        Operation::DeleteObjectTagging => tagging::delete_object_tagging(ctx, bucket, key),
        Operation::PutSymlink => symlink::put_symlink(ctx, bucket, key),
        Operation::GetSymlink => symlink::get_symlink(ctx, bucket, key),
        Operation::RestoreObject => restore::restore_object(ctx, bucket, key, body).await,
        Operation::CleanRestoredObject => restore::clean_restored_object(ctx, bucket, key),
        Operation::SealAppendObject => seal::seal_append_object(ctx, bucket, key),
        Operation::OptionObject => cors::option_object(ctx, bucket),
        Operation::SelectObject => {
            let csv = ctx.param("x-oss-process") == Some("csv/select");
            select::select_object(ctx, bucket, key, body, csv).await
        }
        Operation::CreateSelectObjectMeta => {
            let csv = ctx.param("x-oss-process") == Some("csv/meta");
            select::create_select_object_meta(ctx, bucket, key, body, csv).await
        }
        Operation::InitiateMultipartUpload => multipart::initiate(ctx, bucket, key),
        Operation::UploadPart => multipart::upload_part(ctx, bucket, key, body).await,
        Operation::UploadPartCopy => multipart::upload_part_copy(ctx, bucket, key),
        Operation::CompleteMultipartUpload => {
            let write = multipart::complete(ctx, bucket, key, body);
            callback::with_callback(ctx, bucket, key, "CompleteMultipartUpload", write).await
        }
        Operation::AbortMultipartUpload => multipart::abort(ctx, bucket, key),
        Operation::ListParts => multipart::list_parts(ctx, bucket, key),
        Operation::PostObject => post_object::post_object(ctx, bucket, body).await,
        Operation::ProcessObject => process::process_object(ctx, bucket, key, body).await,
        Operation::CreateAccessPoint => access_point::create_access_point(ctx, bucket, body).await,
        Operation::GetAccessPoint => access_point::get_access_point(ctx, bucket),
        Operation::DeleteAccessPoint => access_point::delete_access_point(ctx, bucket),
        Operation::ListAccessPoints => {
            access_point::list_access_points(ctx, target.bucket.as_deref())
        }
        Operation::PutAccessPointPolicy => {
            ap_documents::put(ctx, bucket, ApDocument::Policy, body).await
        }
        Operation::GetAccessPointPolicy => ap_documents::get(ctx, bucket, ApDocument::Policy),
        Operation::DeleteAccessPointPolicy => ap_documents::delete(ctx, bucket, ApDocument::Policy),
        Operation::PutAccessPointPublicAccessBlock => {
            ap_documents::put(ctx, bucket, ApDocument::PublicAccessBlock, body).await
        }
        Operation::GetAccessPointPublicAccessBlock => {
            ap_documents::get(ctx, bucket, ApDocument::PublicAccessBlock)
        }
        Operation::DeleteAccessPointPublicAccessBlock => {
            ap_documents::delete(ctx, bucket, ApDocument::PublicAccessBlock)
        }
        Operation::PutPublicAccessBlock => account_public_access::put(ctx, body).await,
        Operation::GetPublicAccessBlock => account_public_access::get(ctx),
        Operation::DeletePublicAccessBlock => account_public_access::delete(ctx),
        Operation::CreateCnameToken => cname::create_cname_token(ctx, bucket, body).await,
        Operation::GetCnameToken => cname::get_cname_token(ctx, bucket),
        Operation::PutCname => cname::put_cname(ctx, bucket, body).await,
        Operation::ListCname => cname::list_cname(ctx, bucket),
        Operation::DeleteCname => cname::delete_cname(ctx, bucket, body).await,
        Operation::PutStyle => style::put_style(ctx, bucket, body).await,
        Operation::GetStyle => style::get_style(ctx, bucket),
        Operation::ListStyle => style::list_style(ctx, bucket),
        Operation::DeleteStyle => style::delete_style(ctx, bucket),
        Operation::CreateBucketDataRedundancyTransition => {
            redundancy_transition::create(ctx, bucket)
        }
        Operation::GetBucketDataRedundancyTransition => redundancy_transition::get(ctx, bucket),
        Operation::DeleteBucketDataRedundancyTransition => {
            redundancy_transition::delete(ctx, bucket)
        }
        Operation::ListBucketDataRedundancyTransition => {
            redundancy_transition::list_bucket(ctx, bucket)
        }
        Operation::ListUserDataRedundancyTransition => redundancy_transition::list_user(ctx),
        Operation::ListCloudBoxes => cloud_box::list_cloud_boxes(ctx),
        Operation::InitiateBucketWorm => bucket_worm::initiate(ctx, bucket, body).await,
        Operation::AbortBucketWorm => bucket_worm::abort(ctx, bucket),
        Operation::CompleteBucketWorm => bucket_worm::complete(ctx, bucket),
        Operation::ExtendBucketWorm => bucket_worm::extend(ctx, bucket, body).await,
        Operation::GetBucketWorm => bucket_worm::get(ctx, bucket),
        Operation::PutBucketObjectWormConfiguration => {
            object_worm::put_configuration(ctx, bucket, body).await
        }
        Operation::GetBucketObjectWormConfiguration => object_worm::get_configuration(ctx, bucket),
        Operation::PutObjectRetention => object_worm::put_retention(ctx, bucket, key, body).await,
        Operation::GetObjectRetention => object_worm::get_retention(ctx, bucket, key),
        Operation::PutObjectLegalHold => object_worm::put_legal_hold(ctx, bucket, key, body).await,
        Operation::GetObjectLegalHold => object_worm::get_legal_hold(ctx, bucket, key),
        Operation::CreateAccessPointForObjectProcess => {
            fc_access_point::create(ctx, bucket, body).await
        }
        Operation::GetAccessPointForObjectProcess => fc_access_point::get(ctx, bucket),
        Operation::DeleteAccessPointForObjectProcess => fc_access_point::delete(ctx, bucket),
        Operation::ListAccessPointsForObjectProcess => fc_access_point::list(ctx),
        Operation::PutAccessPointConfigForObjectProcess => {
            fc_access_point::config::put_config(ctx, bucket, body).await
        }
        Operation::GetAccessPointConfigForObjectProcess => {
            fc_access_point::config::get_config(ctx, bucket)
        }
        Operation::PutAccessPointPolicyForObjectProcess => {
            fc_access_point::config::put_policy(ctx, bucket, body).await
        }
        Operation::GetAccessPointPolicyForObjectProcess => {
            fc_access_point::config::get_policy(ctx, bucket)
        }
        Operation::DeleteAccessPointPolicyForObjectProcess => {
            fc_access_point::config::delete_policy(ctx, bucket)
        }
        Operation::WriteGetObjectResponse => {
            write_get_object_response::write_get_object_response(ctx)
        }
    }
}
