//! The KMS fake: `GetSecretValue` on the shared gateway, RPC style (`POST /`, parameters in
//! the query and/or a form body), authenticated with a ClientKey: `SignatureMethod=
//! SHA256withRSA`, `SignatureType=PRIVATEKEY`, `AccessKeyId=<ClientKey KeyId>`, and
//! `Signature` = base64 RSASSA-PKCS1-v1_5-SHA256 of the POP string to sign, verified with the
//! configured public key. The secret holds a long-term AccessKey of the key store as
//! `SecretData` JSON; [`FakeControl::rotate_kms_secret`](super::control::FakeControl::rotate_kms_secret)
//! replaces it.

use std::time::Duration;

use base64::Engine as _;
use http::{Method, StatusCode};
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};

use super::shared::{FakeShared, KmsSecret, lock};
use super::{
    FakeRequest, PopError, check_nonce, check_timestamp, issue, json, param, signed_params,
};
use crate::http_util::Resp;

const VERSION: &str = "2016-01-20";
const ROTATION_INTERVAL: Duration = Duration::from_secs(86_400);

/// The KeyId of the ClientKey committed under `tests/data/kms/` (the default).
pub(crate) const DEFAULT_CLIENT_KEY_ID: &str = "KAAP.emulator-client-key";
/// Its RSA public key (SubjectPublicKeyInfo DER).
pub(crate) const DEFAULT_CLIENT_PUBLIC_KEY: &[u8] =
    include_bytes!("../../tests/data/kms/public_key.der");

/// Creates the secret's first AccessKey.
pub(crate) fn init_secret(shared: &FakeShared) {
    let (access_key_id, access_key_secret) = issue::long_term(shared);
    *lock(&shared.kms_secret) = Some(KmsSecret {
        access_key_id,
        access_key_secret,
        version: 1,
        created: shared.now(),
    });
}

/// Serves one KMS request.
pub(crate) fn handle(shared: &FakeShared, req: &FakeRequest) -> Resp {
    let host = req.host();
    match respond(shared, req) {
        Ok(resp) => resp,
        Err(e) => {
            tracing::info!(code = %e.code, "KMS request refused");
            e.into_response(&host)
        }
    }
}

fn respond(shared: &FakeShared, req: &FakeRequest) -> Result<Resp, PopError> {
    let (params, action) = super::rpc_action(req, VERSION)?;
    if action != "GetSecretValue" {
        return Err(PopError::new(
            400,
            "InvalidAction.NotFound",
            format!("Specified api is not found, please check your url and method: {action}."),
        ));
    }
    authenticate(shared, &req.method, &params)?;
    let name = param(&params, "SecretName").ok_or_else(|| PopError::missing("SecretName"))?;
    let stage = param(&params, "VersionStage").unwrap_or("ACSCurrent");
    if name != shared.config.kms_secret_name || stage != "ACSCurrent" {
        return Err(PopError::new(
            404,
            "Forbidden.ResourceNotFound",
            format!("The resource is not found: secret '{name}' at stage '{stage}'."),
        ));
    }
    let Some(secret) = lock(&shared.kms_secret).clone() else {
        return Err(PopError::new(
            404,
            "Forbidden.ResourceNotFound",
            "The secret has no value.",
        ));
    };
    let secret_data = serde_json::json!({
        "AccessKeyId": secret.access_key_id,
        "AccessKeySecret": secret.access_key_secret,
        "GenerateTimestamp": issue::plain_datetime(secret.created),
    });
    let body = serde_json::json!({
        "RequestId": super::request_id(),
        "SecretName": shared.config.kms_secret_name,
        "VersionId": format!("v{}", secret.version),
        "SecretData": secret_data.to_string(),
        "SecretDataType": "text",
        "VersionStages": { "VersionStage": ["ACSCurrent"] },
        "CreateTime": issue::iso8601_seconds(secret.created),
        "SecretType": "RAMCredentials",
        "AutomaticRotation": "Enabled",
        "RotationInterval": format!("{}s", ROTATION_INTERVAL.as_secs()),
        "LastRotationDate": issue::iso8601_seconds(secret.created),
        "NextRotationDate": issue::iso8601_seconds(secret.created + ROTATION_INTERVAL),
        "ExtendedConfig": serde_json::json!({
            "SecretSubType": "RamUserAccessKey",
            "UserName": "emulator-user",
            "CustomData": {},
        }).to_string(),
    });
    Ok(json(StatusCode::OK, &body))
}

fn authenticate(
    shared: &FakeShared,
    method: &Method,
    params: &[(String, String)],
) -> Result<(), PopError> {
    let now = shared.now();
    let method_param =
        param(params, "SignatureMethod").ok_or_else(|| PopError::missing("SignatureMethod"))?;
    if method_param != "SHA256withRSA" {
        return Err(PopError::new(
            400,
            "InvalidParameter.SignatureMethod",
            format!("A ClientKey signs with SHA256withRSA, not {method_param}."),
        ));
    }
    let signature_type = param(params, "SignatureType").unwrap_or("");
    if signature_type != "PRIVATEKEY" {
        return Err(PopError::new(
            400,
            "InvalidParameter.SignatureType",
            format!("A ClientKey needs SignatureType=PRIVATEKEY, not '{signature_type}'."),
        ));
    }
    let key_id = param(params, "AccessKeyId").ok_or_else(|| PopError::missing("AccessKeyId"))?;
    let provided = param(params, "Signature").ok_or_else(|| PopError::missing("Signature"))?;
    check_timestamp(params, now)?;
    if key_id != shared.config.kms_key_id {
        return Err(PopError::new(
            404,
            "InvalidAccessKeyId.NotFound",
            format!("Specified access key is not found: {key_id}."),
        ));
    }
    let string_to_sign = oss_auth::pop::string_to_sign(method.as_str(), &signed_params(params));
    let signature = base64::engine::general_purpose::STANDARD
        .decode(provided)
        .unwrap_or_default();
    let key = UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &shared.config.kms_public_key);
    if key.verify(string_to_sign.as_bytes(), &signature).is_err() {
        return Err(PopError::new(
            400,
            "SignatureDoesNotMatch",
            format!(
                "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
            ),
        ));
    }
    check_nonce(shared, params, now)
}

/// One DER element: (tag, content, rest).
fn der_element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// The PKCS#1 `RSAPublicKey` DER of an RSA public key given as SubjectPublicKeyInfo DER or
/// already as PKCS#1 DER; `None` for anything else.
pub(crate) fn rsa_public_key_pkcs1(der: &[u8]) -> Option<Vec<u8>> {
    const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    let (tag, outer, trailing) = der_element(der)?;
    if tag != 0x30 || !trailing.is_empty() {
        return None;
    }
    let (first_tag, first, rest) = der_element(outer)?;
    match first_tag {
        // PKCS#1: SEQUENCE { modulus INTEGER, publicExponent INTEGER }
        0x02 => Some(der.to_vec()),
        // SPKI: SEQUENCE { AlgorithmIdentifier, BIT STRING }
        0x30 => {
            let (oid_tag, oid, _) = der_element(first)?;
            if oid_tag != 0x06 || oid != RSA_ENCRYPTION {
                return None;
            }
            let (bits_tag, bits, _) = der_element(rest)?;
            let (&unused, key) = bits.split_first()?;
            (bits_tag == 0x03 && unused == 0).then(|| key.to_vec())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spki_to_pkcs1() {
        let pkcs1 = rsa_public_key_pkcs1(DEFAULT_CLIENT_PUBLIC_KEY).unwrap();
        assert_eq!(pkcs1[0], 0x30);
        assert_eq!(rsa_public_key_pkcs1(&pkcs1).unwrap(), pkcs1);
        assert!(rsa_public_key_pkcs1(b"junk").is_none());
        assert!(rsa_public_key_pkcs1(&[0x30, 0x03, 0x04, 0x01, 0x00]).is_none());
    }
}
