//! Object FC access points and WriteGetObjectResponse against the emulator: what our client
//! creates and configures is read back equal, listed page by page and kept across a restart
//! with a data directory; what OSS refuses comes back as its error codes. The official Python
//! SDK (alibabacloud-oss-v2) has no FC access point operations, so there is no cross-read.

use futures_util::TryStreamExt as _;
use http::Method;
use oss_client::operation::bucket_public_access_block::PublicAccessBlockConfiguration;
use oss_client::operation::object_fc_access_point::{
    CreateAccessPointForObjectProcess, CreateAccessPointForObjectProcessConfiguration,
    DeleteAccessPointForObjectProcess, GetAccessPointForObjectProcess,
    ListAccessPointsForObjectProcess,
};
use oss_client::operation::object_fc_access_point_config::{
    AccessPointConfigForObjectProcess, FcAccessPointInput, PutAccessPointConfigForObjectProcess,
    PutAccessPointPolicyForObjectProcess,
};
use oss_client::operation::object_process_model::{
    AllowedFeatures, FunctionCompute, ObjectProcessConfiguration, TransformationConfiguration,
};
use oss_client::operation::write_get_object_response::WriteGetObjectResponse;
use oss_client::{Client, SignatureVersion};

use crate::support::{bucket, client, emulator, emulator_in};

const FUNCTION: &str = "acs:fc:cn-hangzhou:1234567890:services/test-oss-fc.LATEST/functions/fc-01";
const ROLE: &str = "acs:ram::1234567890:role/aliyunfcdefaultrole";
const POLICY: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject"],"Principal":["1234567890"],"Resource":["acs:oss:cn-hangzhou:1234567890:accesspointforobjectprocess/fc-ap-01/object/*"]}]}"#;

fn processing(function_arn: &str) -> ObjectProcessConfiguration {
    let mut p = ObjectProcessConfiguration::new([TransformationConfiguration::get_object(
        FunctionCompute::new(function_arn, ROLE),
    )]);
    p.allowed_features = Some(AllowedFeatures::new(["GetObject-Range"]));
    p
}

fn create(bucket: &str, name: &str, function_arn: &str) -> CreateAccessPointForObjectProcess {
    CreateAccessPointForObjectProcess::default()
        .bucket(bucket)
        .access_point_for_object_process_name(name)
        .configuration(CreateAccessPointForObjectProcessConfiguration::new(
            "ap-01",
            processing(function_arn),
        ))
}

fn named(bucket: &str, name: &str) -> FcAccessPointInput {
    FcAccessPointInput::default()
        .bucket(bucket)
        .access_point_for_object_process_name(name)
}

fn get(bucket: &str, name: &str) -> GetAccessPointForObjectProcess {
    GetAccessPointForObjectProcess::default()
        .bucket(bucket)
        .access_point_for_object_process_name(name)
}

fn code(error: &oss_client::Error) -> &str {
    error
        .code()
        .unwrap_or_else(|| panic!("not a service error: {error:?}"))
}

fn status(error: &oss_client::Error) -> u16 {
    error
        .as_service_error()
        .map(|e| e.status().as_u16())
        .unwrap_or_else(|| panic!("not a service error: {error:?}"))
}

async fn setup(name: &str) -> (oss_emulator::EmulatorHandle, Client, String) {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, name).await;
    (emu, client, b)
}

#[tokio::test]
async fn an_fc_access_point_is_created_described_and_deleted() {
    let (_emu, client, b) = setup("fcap-life").await;
    let created = client
        .create_access_point_for_object_process(create(&b, "fc-ap-01", FUNCTION))
        .await
        .unwrap();
    assert!(
        created
            .access_point_for_object_process_arn
            .ends_with(":accesspointforobjectprocess/fc-ap-01")
    );
    assert!(
        created
            .access_point_for_object_process_alias
            .starts_with("fc-ap-01-")
    );
    assert!(
        created
            .access_point_for_object_process_alias
            .ends_with("-opapalias")
    );

    let got = client
        .get_access_point_for_object_process(get(&b, "fc-ap-01"))
        .await
        .unwrap()
        .access_point;
    assert_eq!(got.access_point_name_for_object_process, "fc-ap-01");
    assert_eq!(got.access_point_name, "ap-01");
    assert_eq!(got.status, "enable");
    assert_eq!(
        got.access_point_for_object_process_arn,
        created.access_point_for_object_process_arn
    );
    assert_eq!(
        got.access_point_for_object_process_alias,
        created.access_point_for_object_process_alias
    );
    assert!(got.creation_date.parse::<u64>().unwrap() > 1_700_000_000);
    assert!(
        got.endpoints
            .public_endpoint
            .ends_with(".oss-cn-hangzhou.oss-object-process.aliyuncs.com")
    );
    assert_eq!(
        got.public_access_block_configuration,
        Some(PublicAccessBlockConfiguration::new(true))
    );

    // A GetObject through the alias would run the function: not served.
    let through_alias = client
        .get_object()
        .bucket(&created.access_point_for_object_process_alias)
        .key("photo.png")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&through_alias), "NotImplemented");

    let taken = client
        .create_access_point_for_object_process(create(&b, "fc-ap-01", FUNCTION))
        .await
        .unwrap_err();
    assert_eq!(code(&taken), "AccessPointForObjectProcessAlreadyExists");
    assert_eq!(status(&taken), 409);

    let deleted = client
        .delete_access_point_for_object_process(
            DeleteAccessPointForObjectProcess::default()
                .bucket(&b)
                .access_point_for_object_process_name("fc-ap-01"),
        )
        .await
        .unwrap();
    assert_eq!(deleted.raw.status, 204);
    let gone = client
        .get_access_point_for_object_process(get(&b, "fc-ap-01"))
        .await
        .unwrap_err();
    assert_eq!(code(&gone), "NoSuchAccessPointForObjectProcess");
    assert_eq!(status(&gone), 404);
    let gone_again = client
        .delete_access_point_for_object_process(get(&b, "fc-ap-01"))
        .await
        .unwrap_err();
    assert_eq!(code(&gone_again), "NoSuchAccessPointForObjectProcess");
}

#[tokio::test]
async fn creation_refuses_what_oss_refuses() {
    let (_emu, client, b) = setup("fcap-refuse").await;
    let not_fc = client
        .create_access_point_for_object_process(create(&b, "fc-ap-01", "arn:aws:lambda:f"))
        .await
        .unwrap_err();
    assert_eq!(code(&not_fc), "InvalidArgument");
    let no_bucket = client
        .create_access_point_for_object_process(create("fcap-missing", "fc-ap-01", FUNCTION))
        .await
        .unwrap_err();
    assert_eq!(code(&no_bucket), "NoSuchBucket");
    // A document without a transformation, sent by hand (our client refuses it before I/O).
    let malformed = client
        .invoke(Method::PUT)
        .bucket(&b)
        .query("accessPointForObjectProcess", None)
        .header("x-oss-access-point-for-object-process-name", "fc-ap-02")
        .body("<CreateAccessPointForObjectProcessConfiguration><AccessPointName>ap-01</AccessPointName><ObjectProcessConfiguration><TransformationConfigurations/></ObjectProcessConfiguration></CreateAccessPointForObjectProcessConfiguration>")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&malformed), "MalformedXML");
    let bad_name = client
        .invoke(Method::GET)
        .bucket(&b)
        .query("accessPointForObjectProcess", None)
        .header("x-oss-access-point-for-object-process-name", "Not_Valid")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&bad_name), "InvalidArgument");
}

#[tokio::test]
async fn the_configuration_is_replaced_and_read_back() {
    let (_emu, client, b) = setup("fcap-config").await;
    client
        .create_access_point_for_object_process(create(&b, "fc-ap-cfg", FUNCTION))
        .await
        .unwrap();
    let initial = client
        .get_access_point_config_for_object_process(named(&b, "fc-ap-cfg"))
        .await
        .unwrap()
        .configuration;
    assert_eq!(initial.object_process_configuration, processing(FUNCTION));
    assert_eq!(
        initial.public_access_block_configuration,
        Some(PublicAccessBlockConfiguration::new(true))
    );

    let other = "acs:fc:cn-hangzhou:1234567890:services/test-oss-fc.LATEST/functions/fc-02";
    let mut configuration = AccessPointConfigForObjectProcess::new(processing(other));
    configuration.public_access_block_configuration =
        Some(PublicAccessBlockConfiguration::new(false));
    configuration.allow_anonymous_access_for_object_process = Some("on".into());
    client
        .put_access_point_config_for_object_process(
            PutAccessPointConfigForObjectProcess::default()
                .bucket(&b)
                .access_point_for_object_process_name("fc-ap-cfg")
                .configuration(configuration.clone()),
        )
        .await
        .unwrap();
    let read = client
        .get_access_point_config_for_object_process(named(&b, "fc-ap-cfg"))
        .await
        .unwrap();
    assert_eq!(read.configuration, configuration);

    let missing = client
        .put_access_point_config_for_object_process(
            PutAccessPointConfigForObjectProcess::default()
                .bucket(&b)
                .access_point_for_object_process_name("fc-ap-none")
                .configuration(configuration),
        )
        .await
        .unwrap_err();
    assert_eq!(code(&missing), "NoSuchAccessPointForObjectProcess");
    let missing_read = client
        .get_access_point_config_for_object_process(named(&b, "fc-ap-none"))
        .await
        .unwrap_err();
    assert_eq!(code(&missing_read), "NoSuchAccessPointForObjectProcess");
}

#[tokio::test]
async fn the_policy_is_put_read_deleted_and_refused() {
    let (_emu, client, b) = setup("fcap-policy").await;
    client
        .create_access_point_for_object_process(create(&b, "fc-ap-01", FUNCTION))
        .await
        .unwrap();
    let none = client
        .get_access_point_policy_for_object_process(named(&b, "fc-ap-01"))
        .await
        .unwrap_err();
    assert_eq!(code(&none), "NoSuchAccessPointPolicyForObjectProcess");
    let put = |policy: &str| {
        PutAccessPointPolicyForObjectProcess::default()
            .bucket(&b)
            .access_point_for_object_process_name("fc-ap-01")
            .policy(policy)
    };
    client
        .put_access_point_policy_for_object_process(put(POLICY))
        .await
        .unwrap();
    let read = client
        .get_access_point_policy_for_object_process(named(&b, "fc-ap-01"))
        .await
        .unwrap();
    assert_eq!(read.policy, POLICY);
    assert_eq!(read.raw.header("content-type"), Some("application/json"));
    let refused = client
        .put_access_point_policy_for_object_process(put(r#"{"Version":"2","Statement":[]}"#))
        .await
        .unwrap_err();
    assert_eq!(code(&refused), "InvalidPolicyDocument");

    let deleted = client
        .delete_access_point_policy_for_object_process(named(&b, "fc-ap-01"))
        .await
        .unwrap();
    assert_eq!(deleted.raw.status, 204);
    let gone = client
        .get_access_point_policy_for_object_process(named(&b, "fc-ap-01"))
        .await
        .unwrap_err();
    assert_eq!(code(&gone), "NoSuchAccessPointPolicyForObjectProcess");
    let no_access_point = client
        .delete_access_point_policy_for_object_process(named(&b, "fc-ap-none"))
        .await
        .unwrap_err();
    assert_eq!(code(&no_access_point), "NoSuchAccessPointForObjectProcess");
}

#[tokio::test]
async fn the_listing_pages_through_every_bucket_in_name_order() {
    let (_emu, client, b) = setup("fcap-list-a").await;
    let other = bucket(&client, "fcap-list-b").await;
    for (bucket, name) in [(&b, "fc-c"), (&other, "fc-a"), (&b, "fc-b")] {
        client
            .create_access_point_for_object_process(create(bucket, name, FUNCTION))
            .await
            .unwrap();
    }
    let first = client
        .list_access_points_for_object_process(
            ListAccessPointsForObjectProcess::default().max_keys(2u32),
        )
        .await
        .unwrap();
    assert!(first.is_truncated);
    assert_eq!(first.next_continuation_token.as_deref(), Some("fc-c"));
    assert!(!first.account_id.is_empty());
    let pages: Vec<_> = client
        .list_access_points_for_object_process_paginator(
            ListAccessPointsForObjectProcess::default().max_keys(2u32),
        )
        .try_collect()
        .await
        .unwrap();
    let names: Vec<Vec<String>> = pages
        .iter()
        .map(|p| {
            p.access_points
                .iter()
                .map(|a| a.access_point_name_for_object_process.clone())
                .collect()
        })
        .collect();
    assert_eq!(names, [vec!["fc-a", "fc-b"], vec!["fc-c"]]);
    assert_eq!(pages[1].access_points[0].status, "enable");

    let refused = client
        .invoke(Method::GET)
        .query("accessPointForObjectProcess", None)
        .query("max-keys", Some("1001"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&refused), "InvalidArgument");
}

#[tokio::test]
async fn fc_access_points_survive_a_restart_with_a_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let emu = emulator_in(dir.path()).await;
    let first = client(&emu, SignatureVersion::V4);
    let b = bucket(&first, "fcap-durable").await;
    first
        .create_access_point_for_object_process(create(&b, "fc-ap-01", FUNCTION))
        .await
        .unwrap();
    first
        .put_access_point_policy_for_object_process(
            PutAccessPointPolicyForObjectProcess::default()
                .bucket(&b)
                .access_point_for_object_process_name("fc-ap-01")
                .policy(POLICY),
        )
        .await
        .unwrap();
    emu.shutdown().await;

    let emu = emulator_in(dir.path()).await;
    let again = client(&emu, SignatureVersion::V4);
    let got = again
        .get_access_point_for_object_process(get(&b, "fc-ap-01"))
        .await
        .unwrap();
    assert_eq!(got.access_point.access_point_name, "ap-01");
    let policy = again
        .get_access_point_policy_for_object_process(named(&b, "fc-ap-01"))
        .await
        .unwrap();
    assert_eq!(policy.policy, POLICY);
}

#[tokio::test]
async fn write_get_object_response_checks_its_headers_then_answers_501() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let valid = WriteGetObjectResponse::default()
        .request_route("fc-ap-01-1234567890-opap.oss-cn-hangzhou.oss-object-process.aliyuncs.com")
        .request_token("token")
        .fwd_status(200u16)
        .fwd_header_content_type("text/plain")
        .body(bytes::Bytes::from_static(b"transformed"));
    let answered = client.write_get_object_response(valid).await.unwrap_err();
    assert_eq!(code(&answered), "NotImplemented");
    assert_eq!(status(&answered), 501);

    let without_token = client
        .invoke(Method::POST)
        .query("x-oss-write-get-object-response", None)
        .header("x-oss-request-route", "route")
        .header("x-oss-fwd-status", "200")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&without_token), "InvalidArgument");
    let bad_status = client
        .invoke(Method::POST)
        .query("x-oss-write-get-object-response", None)
        .header("x-oss-request-route", "route")
        .header("x-oss-request-token", "token")
        .header("x-oss-fwd-status", "20x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&bad_status), "InvalidArgument");
}
