//! The Alibaba Cloud RPC ("POP") signature, version 1.0, used by STS `AssumeRole` (HMAC-SHA1)
//! and by KMS `GetSecretValue` with a ClientKey (SHA256withRSA).
//!
//! StringToSign = `METHOD&%2F&` + percent-encode(the parameters sorted by name, each
//! `name=value` percent-encoded, joined with `&`). Percent-encoding keeps only
//! `A-Z a-z 0-9 - _ . ~` (space is `%20`, never `+`).

use base64::Engine as _;
use ring::hmac;

use crate::sign::{uri_encode, uri_encode_into};

/// `name=value` pairs sorted by name, percent-encoded and joined with `&`.
pub fn canonicalized_query(params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    let mut out = String::new();
    for (i, (name, value)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        uri_encode_into(&mut out, name, false);
        out.push('=');
        uri_encode_into(&mut out, value, false);
    }
    out
}

/// `METHOD&%2F&<percent-encoded canonicalized query>`.
pub fn string_to_sign(method: &str, params: &[(String, String)]) -> String {
    format!(
        "{method}&%2F&{}",
        uri_encode(&canonicalized_query(params), false)
    )
}

/// `Base64(HMAC-SHA1(secret + "&", string_to_sign))`.
pub fn hmac_sha1_signature(access_key_secret: &str, string_to_sign: &str) -> String {
    let mut key = zeroize::Zeroizing::new(Vec::with_capacity(access_key_secret.len() + 1));
    key.extend_from_slice(access_key_secret.as_bytes());
    key.push(b'&');
    let tag = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &key),
        string_to_sign.as_bytes(),
    );
    base64::engine::general_purpose::STANDARD.encode(tag.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Vec<(String, String)> {
        [
            ("AccessKeyId", "testid"),
            ("Action", "AssumeRole"),
            ("DurationSeconds", "3600"),
            ("Format", "JSON"),
            ("RoleArn", "acs:ram::123456789012****:role/adminrole"),
            ("RoleSessionName", "alice"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2024-01-01T00:00:00Z"),
            ("Version", "2015-04-01"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    fn set(params: &mut Vec<(String, String)>, name: &str, value: &str) {
        params.retain(|(n, _)| n != name);
        params.push((name.to_owned(), value.to_owned()));
    }

    // Vectors of the project's credentials research (§0.2): the first matches
    // alibabacloud-credentials 1.0.12 and aliyunsdkcore byte for byte.
    #[test]
    fn assume_role_vectors() {
        let params = base();
        let sts = string_to_sign("GET", &params);
        assert_eq!(
            sts,
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DAssumeRole%26DurationSeconds%3D3600%26Format%3DJSON%26RoleArn%3Dacs%253Aram%253A%253A123456789012%252A%252A%252A%252A%253Arole%252Fadminrole%26RoleSessionName%3Dalice%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2015-04-01"
        );
        assert_eq!(
            hmac_sha1_signature("testsecret", &sts),
            "eR6+EoNFi2Ulo+X3b7onE26R+ZQ="
        );
        assert_eq!(
            hmac_sha1_signature("testsecret", &string_to_sign("POST", &params)),
            "rHY7flIc1YFSAKUcjH/xivrcXTE="
        );

        let mut chained = base();
        set(&mut chained, "AccessKeyId", "STS.testid");
        set(&mut chained, "SecurityToken", "tok/en+=");
        set(&mut chained, "ExternalId", "abcd1234");
        assert_eq!(
            hmac_sha1_signature("testsecret", &string_to_sign("GET", &chained)),
            "pCp2Y6Qa/NidqDj2GVQk5rhodyw="
        );

        let mut with_policy = base();
        set(
            &mut with_policy,
            "Policy",
            r#"{"Statement": [{"Action": ["oss:*"],"Effect": "Allow","Resource": ["*"]}],"Version":"1"}"#,
        );
        assert_eq!(
            hmac_sha1_signature("testsecret", &string_to_sign("GET", &with_policy)),
            "n6gC2XRA9TCMTYBshSSPCfbOtas="
        );
        assert_eq!(uri_encode("a b*c~d/é", false), "a%20b%2Ac~d%2F%C3%A9");
    }
}
