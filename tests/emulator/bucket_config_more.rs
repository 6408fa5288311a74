//! Five more bucket configuration families against the emulator (access monitor, archive
//! direct read, HTTPS config, resource group, real-time log fields) and
//! GetBucketPolicyStatus: OSS's default before any put, what our client puts read back
//! equal, durable across a restart with a data directory, documents OSS refuses answered
//! with its error codes.

use http::Method;
use oss_client::operation::bucket_access_monitor::AccessMonitorConfiguration;
use oss_client::operation::bucket_archive_direct_read::ArchiveDirectReadConfiguration;
use oss_client::operation::bucket_config::{DeleteBucketConfig, GetBucketConfig, PutBucketConfig};
use oss_client::operation::bucket_https_config::HttpsConfiguration;
use oss_client::operation::bucket_policy::{GetBucketPolicyStatus, PutBucketPolicy};
use oss_client::operation::bucket_resource_group::BucketResourceGroupConfiguration;
use oss_client::operation::bucket_user_defined_log_fields::UserDefinedLogFieldsConfiguration;
use oss_client::{Client, SignatureVersion};

use crate::support::{bucket, client, emulator, emulator_in};

fn put<C>(bucket: &str, configuration: C) -> PutBucketConfig<C>
where
    C: oss_client::operation::bucket_config::BucketConfig,
{
    PutBucketConfig::default()
        .bucket(bucket)
        .configuration(configuration)
}

fn get<C: oss_client::operation::bucket_config::BucketConfig>(bucket: &str) -> GetBucketConfig<C> {
    GetBucketConfig::default().bucket(bucket)
}

async fn setup(name: &str) -> (oss_emulator::EmulatorHandle, Client, String) {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, name).await;
    (emu, client, b)
}

fn service_code(error: &oss_client::Error) -> &str {
    error
        .code()
        .unwrap_or_else(|| panic!("not a service error: {error:?}"))
}

/// PUT `/bucket?<sub_resource>` with `xml` as sent, bypassing our client's checks; the
/// service error code.
async fn refused_put(client: &Client, bucket: &str, sub_resource: &str, xml: &str) -> String {
    let error = client
        .invoke(Method::PUT)
        .bucket(bucket)
        .query(sub_resource, None)
        .body(xml.to_owned())
        .send()
        .await
        .unwrap_err();
    service_code(&error).to_owned()
}

#[tokio::test]
async fn access_monitor_defaults_to_disabled_and_is_validated() {
    let (_emu, client, b) = setup("more-access-monitor").await;
    let before = client.get_bucket_access_monitor(get(&b)).await.unwrap();
    assert_eq!(before.configuration.status, "Disabled");
    let enabled = AccessMonitorConfiguration::new("Enabled");
    client
        .put_bucket_access_monitor(put(&b, enabled.clone()))
        .await
        .unwrap();
    let read = client.get_bucket_access_monitor(get(&b)).await.unwrap();
    assert_eq!(read.configuration, enabled);
    let xml = "<AccessMonitorConfiguration><Status>On</Status></AccessMonitorConfiguration>";
    assert_eq!(
        refused_put(&client, &b, "accessmonitor", xml).await,
        "MalformedXML"
    );
}

#[tokio::test]
async fn archive_direct_read_defaults_to_false_and_is_validated() {
    let (_emu, client, b) = setup("more-archive-read").await;
    let before = client
        .get_bucket_archive_direct_read(get(&b))
        .await
        .unwrap();
    assert!(!before.configuration.enabled);
    client
        .put_bucket_archive_direct_read(put(&b, ArchiveDirectReadConfiguration::new(true)))
        .await
        .unwrap();
    let read = client
        .get_bucket_archive_direct_read(get(&b))
        .await
        .unwrap();
    assert!(read.configuration.enabled);
    let xml =
        "<ArchiveDirectReadConfiguration><Enabled>yes</Enabled></ArchiveDirectReadConfiguration>";
    assert_eq!(
        refused_put(&client, &b, "bucketArchiveDirectRead", xml).await,
        "MalformedXML"
    );
}

#[tokio::test]
async fn https_config_defaults_to_every_version_and_refuses_unknown_ones() {
    let (_emu, client, b) = setup("more-https").await;
    let before = client.get_bucket_https_config(get(&b)).await.unwrap();
    assert!(!before.configuration.tls.enable);
    assert!(before.configuration.tls.versions.is_empty());
    let only = HttpsConfiguration::only(["TLSv1.2", "TLSv1.3"]);
    client
        .put_bucket_https_config(put(&b, only.clone()))
        .await
        .unwrap();
    let read = client.get_bucket_https_config(get(&b)).await.unwrap();
    assert_eq!(read.configuration, only);
    for xml in [
        "<HttpsConfiguration><TLS><Enable>true</Enable><TLSVersion>SSLv3</TLSVersion></TLS></HttpsConfiguration>",
        "<HttpsConfiguration><TLS><Enable>true</Enable></TLS></HttpsConfiguration>",
    ] {
        assert_eq!(
            refused_put(&client, &b, "httpsConfig", xml).await,
            "InvalidArgument"
        );
    }
}

#[tokio::test]
async fn resource_group_defaults_to_the_default_group_and_is_validated() {
    let (_emu, client, b) = setup("more-resource-group").await;
    let before = client.get_bucket_resource_group(get(&b)).await.unwrap();
    assert_eq!(before.configuration.resource_group_id, "");
    let group = BucketResourceGroupConfiguration::new("rg-aekz2x3y4");
    client
        .put_bucket_resource_group(put(&b, group.clone()))
        .await
        .unwrap();
    let read = client.get_bucket_resource_group(get(&b)).await.unwrap();
    assert_eq!(read.configuration, group);
    let refused = client
        .put_bucket_resource_group(put(&b, BucketResourceGroupConfiguration::new("group 7")))
        .await
        .unwrap_err();
    assert_eq!(service_code(&refused), "InvalidArgument");
}

#[tokio::test]
async fn log_fields_are_put_read_deleted_and_validated() {
    let (_emu, client, b) = setup("more-log-fields").await;
    let absent = client
        .get_user_defined_log_fields_config(get(&b))
        .await
        .unwrap_err();
    assert_eq!(service_code(&absent), "NoSuchUserDefinedLogFieldsConfig");
    let fields = UserDefinedLogFieldsConfiguration::new(["x-trace-id", "user-agent"], ["uid"]);
    client
        .put_user_defined_log_fields_config(put(&b, fields.clone()))
        .await
        .unwrap();
    let read = client
        .get_user_defined_log_fields_config(get(&b))
        .await
        .unwrap();
    assert_eq!(read.configuration, fields);
    client
        .delete_user_defined_log_fields_config(DeleteBucketConfig::default().bucket(&b))
        .await
        .unwrap();
    let gone = client
        .get_user_defined_log_fields_config(get(&b))
        .await
        .unwrap_err();
    assert_eq!(service_code(&gone), "NoSuchUserDefinedLogFieldsConfig");
    let six: String = (0..6).map(|i| format!("<header>h{i}</header>")).collect();
    let xml = format!(
        "<UserDefinedLogFieldsConfiguration><HeaderSet>{six}</HeaderSet></UserDefinedLogFieldsConfiguration>"
    );
    assert_eq!(
        refused_put(&client, &b, "userDefinedLogFieldsConfig", &xml).await,
        "InvalidArgument"
    );
    assert_eq!(
        refused_put(&client, &b, "userDefinedLogFieldsConfig", "<Other/>").await,
        "MalformedXML"
    );
}

#[tokio::test]
async fn policy_status_follows_the_stored_policy() {
    let (_emu, client, b) = setup("more-policy-status").await;
    let status = |b: &str| GetBucketPolicyStatus::default().bucket(b);
    assert!(
        !client
            .get_bucket_policy_status(status(&b))
            .await
            .unwrap()
            .is_public
    );
    let public = format!(
        r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":["oss:GetObject"],"Principal":["*"],"Resource":["acs:oss:*:*:{b}/*"]}}]}}"#
    );
    client
        .put_bucket_policy(PutBucketPolicy::default().bucket(&b).policy(public.clone()))
        .await
        .unwrap();
    assert!(
        client
            .get_bucket_policy_status(status(&b))
            .await
            .unwrap()
            .is_public
    );
    let private = public.replace(r#"["*"]"#, r#"["20214760404935xxxx"]"#);
    client
        .put_bucket_policy(PutBucketPolicy::default().bucket(&b).policy(private))
        .await
        .unwrap();
    assert!(
        !client
            .get_bucket_policy_status(status(&b))
            .await
            .unwrap()
            .is_public
    );
    let missing = client
        .get_bucket_policy_status(status("more-no-such-bucket"))
        .await
        .unwrap_err();
    assert_eq!(service_code(&missing), "NoSuchBucket");
}

#[tokio::test]
async fn documents_survive_a_restart_with_a_data_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let emu = emulator_in(tmp.path()).await;
    let c = client(&emu, SignatureVersion::V4);
    let b = bucket(&c, "more-durable").await;
    let fields = UserDefinedLogFieldsConfiguration::new(["x-trace-id"], ["uid"]);
    c.put_user_defined_log_fields_config(put(&b, fields.clone()))
        .await
        .unwrap();
    c.put_bucket_https_config(put(&b, HttpsConfiguration::only(["TLSv1.3"])))
        .await
        .unwrap();
    emu.shutdown().await;

    let emu = emulator_in(tmp.path()).await;
    let c = client(&emu, SignatureVersion::V4);
    let read = c.get_user_defined_log_fields_config(get(&b)).await.unwrap();
    assert_eq!(read.configuration, fields);
    let https = c.get_bucket_https_config(get(&b)).await.unwrap();
    assert_eq!(https.configuration.tls.versions, ["TLSv1.3"]);
    emu.shutdown().await;
}
