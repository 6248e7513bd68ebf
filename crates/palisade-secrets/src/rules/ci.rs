//! Travis CI rules.

use crate::rule::{SecretRule, BASE};

pub static TRAVIS: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "travisci-access-token",
        title: "Travis CI access token",
        provider: "Travis CI",
        severity: High,
        related: &["travisci-access-token"],
        refs: &[],
        bad: concat!("TRAVIS_TOKEN=", "EXAMPLESPOcSeVce2LWxm0"),
        good: r#"token = os.environ["TRAVIS_CI_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["travis"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:travis)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9]{22}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!("TRAVIS_TOKEN=", "EXAMPLESPOcSeVce2LWxm0")],
    false_positives: &[r#"travis_token = """#],
    ..BASE
};

pub static DRONE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "droneci-access-token",
        title: "Drone CI access token",
        provider: "Drone CI",
        severity: High,
        related: &["droneci-access-token"],
        refs: &[],
        bad: concat!("DRONE_TOKEN=", "EXAMPLE90I5Qe43W6T8ygpnnhcc826ZW"),
        good: r#"token = os.environ["DRONE_CI_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["drone"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:drone)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9]{32}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!("DRONE_TOKEN=", "EXAMPLE90I5Qe43W6T8ygpnnhcc826ZW")],
    false_positives: &[r#"drone_token = """#],
    ..BASE
};

pub static CODECOV: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "codecov-access-token",
        title: "Codecov upload token",
        provider: "Codecov",
        severity: Medium,
        related: &["codecov-access-token"],
        refs: &[],
        bad: concat!("CODECOV_TOKEN=", "7d3e91a2-4b8f-4c61-9e05-b2f8a6c41d97"),
        good: r#"token = os.environ["CODECOV_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["codecov"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:codecov)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-f0-9]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "CODECOV_TOKEN=",
        "7d3e91a2-4b8f-4c61-9e05-b2f8a6c41d97"
    )],
    false_positives: &[r#"codecov_token = """#],
    ..BASE
};

pub static HARNESS: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "harness-api-key",
        title: "Harness API key",
        provider: "Harness",
        severity: High,
        related: &["harness-api-key"],
        refs: &[],
        bad: concat!("pa", "t.EXAMPLEOR2HcSGKgVP8Kd0.EXAMPLEbBHXgwETdIKnT30fK.EXAMPLE0skBaHmsWWdaw"),
        good: r#"token = os.environ["HARNESS_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["pat.", "sat."],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])((?:pat|sat)\.[a-zA-Z0-9_-]{22}\.[a-zA-Z0-9]{24}\.[a-zA-Z0-9]{20})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "pa",
        "t.EXAMPLEOR2HcSGKgVP8Kd0.EXAMPLEbBHXgwETdIKnT30fK.EXAMPLE0skBaHmsWWdaw"
    )],
    false_positives: &["pat.abc"],
    ..BASE
};

pub static OCTOPUS: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "octopus-deploy-api-key",
        title: "Octopus Deploy API key",
        provider: "Octopus Deploy",
        severity: High,
        related: &["octopus-deploy-api-key"],
        refs: &[],
        bad: concat!(r#"set apikey="AP"#, r#"I-EXAMPLE5G5L5W6QKSNO5KHF59G""#),
        good: r#"token = os.environ["OCTOPUS_DEPLOY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["api-"],
    regex: r#"(?m)\b(API-[A-Z0-9]{26})\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        r#"set apikey="AP"#,
        r#"I-EXAMPLE5G5L5W6QKSNO5KHF59G""#
    )],
    false_positives: &[r#"msgid "KRBGSSAPI-AUTHENTICATIONFAILEDHERE1.""#],
    ..BASE
};

pub static HASHICORP_TF: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "hashicorp-tf-api-token",
        title: "Terraform Cloud / HCP Terraform API token",
        provider: "HashiCorp Terraform",
        severity: Critical,
        related: &["hashicorp-tf-api-token"],
        refs: &[],
        bad: concat!("exampleuwgzzf1.atlas", "v1.EXAMPLE4PbxntqB5IGky4Oo8DiIMWSWMPcwLuHj31CQJVukDCSXqLoivDP4SpGmrtWT"),
        good: r#"token = os.environ["HASHICORP_TERRAFORM_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["atlasv1"],
    regex: r#"(?im)(?:^|[^A-Za-z0-9_])([a-z0-9]{14}\.atlasv1\.[a-z0-9=_-]{60,70})(?:[^a-z0-9=_-]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "exampleuwgzzf1.atlas",
        "v1.EXAMPLE4PbxntqB5IGky4Oo8DiIMWSWMPcwLuHj31CQJVukDCSXqLoivDP4SpGmrtWT"
    )],
    false_positives: &[
        r#"token        = "xxxxxxxxxxxxxx.atlasv1.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx""#,
    ],
    ..BASE
};

pub static VAULT_SERVICE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "vault-service-token",
        title: "HashiCorp Vault service token",
        provider: "HashiCorp Vault",
        severity: Critical,
        related: &["vault-service-token"],
        refs: &[],
        bad: concat!("hv", "s.EXAMPLEttFPSuEPyHnvnzXtsMM3JznnJAX7ebZ3CL7csGZaF31DDxp63OHm1FZuG296c0xPbX_neGBuzSm6A8cVR06AxYpThGJWZ"),
        good: r#"token = os.environ["HASHICORP_VAULT_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["hvs.", "s."],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(hvs\.[\w-]{90,120}|s\.[a-zA-Z0-9]{24})(?:[^\w.-]|$)"#,
    entropy: 3.5,
    validate: Some(crate::validate::vault_token),
    true_positives: &[
        concat!("hv", "s.EXAMPLEttFPSuEPyHnvnzXtsMM3JznnJAX7ebZ3CL7csGZaF31DDxp63OHm1FZuG296c0xPbX_neGBuzSm6A8cVR06AxYpThGJWZ"),
        concat!("token: s", ".Zc9EEXAMPLEdaeA6AOSRwLqg"),
    ],
    false_positives: &[
        "s.ALLCAPSWORDSWITHOUTDIGIT",
        "s.loadUserProfileFromCache()",
        "s.openConnectionPoolTimeout ",
    ],
    ..BASE
};

pub static VAULT_BATCH: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "vault-batch-token",
        title: "HashiCorp Vault batch token",
        provider: "HashiCorp Vault",
        severity: Critical,
        related: &["vault-batch-token"],
        refs: &[],
        bad: concat!("hv", "b.EXAMPLECMZCY7Bvqiy8CsT07Lq8TDIWG2x9aJTFMP9_2kUtMXhkPrSbbAjLGmsDx5StAZvlMz-Bk4opH1Dr8-h97s_F-vauP7-L7V21jxUdcfQm9_seB1qRmUR8AK3R2GgLLT-ZQISA-pQyOMqlfZZ"),
        good: r#"token = os.environ["HASHICORP_VAULT_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["hvb."],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(hvb\.[\w-]{138,300})(?:[^\w-]|$)"#,
    entropy: 3.5,
    true_positives: &[
        concat!("hv", "b.EXAMPLECMZCY7Bvqiy8CsT07Lq8TDIWG2x9aJTFMP9_2kUtMXhkPrSbbAjLGmsDx5StAZvlMz-Bk4opH1Dr8-h97s_F-vauP7-L7V21jxUdcfQm9_seB1qRmUR8AK3R2GgLLT-ZQISA-pQyOMqlfZZ"),
    ],
    false_positives: &[
        "hvb.short",
    ],
    ..BASE
};

pub static DOPPLER: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "doppler-api-token",
        title: "Doppler API token",
        provider: "Doppler",
        severity: High,
        related: &["doppler-api-token"],
        refs: &[],
        bad: concat!("dp", ".pt.EXAMPLEIKdztgacm06EMXQdYG6INyNjORSSM4RfncQO"),
        good: r#"token = os.environ["DOPPLER_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["dp.pt."],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(dp\.pt\.[a-zA-Z0-9]{43})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "dp",
        ".pt.EXAMPLEIKdztgacm06EMXQdYG6INyNjORSSM4RfncQO"
    )],
    false_positives: &["dp.pt.x"],
    ..BASE
};

pub static PULUMI: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "pulumi-api-token",
        title: "Pulumi access token",
        provider: "Pulumi",
        severity: High,
        related: &["pulumi-api-token"],
        refs: &[],
        bad: concat!("pu", "l-c0ffeee5351d30b49895d1a0d1f13dce20c4fd32"),
        good: r#"token = os.environ["PULUMI_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["pul-"],
    regex: r#"(?m)\b(pul-[a-f0-9]{40})\b"#,
    entropy: 3.0,
    true_positives: &[concat!("pu", "l-c0ffeee5351d30b49895d1a0d1f13dce20c4fd32")],
    false_positives: &[r#"<a href="/img/catapul-0c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d.png">"#],
    ..BASE
};

pub static PREFECT: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "prefect-api-token",
        title: "Prefect API key",
        provider: "Prefect",
        severity: High,
        related: &["prefect-api-token"],
        refs: &[],
        bad: concat!("pn", "u_EXAMPLEPEn5jOaBaaRQh92fn3hiEbrUKpCUV"),
        good: r#"token = os.environ["PREFECT_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["pnu_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(pnu_[a-zA-Z0-9]{36})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("pn", "u_EXAMPLEPEn5jOaBaaRQh92fn3hiEbrUKpCUV")],
    false_positives: &[r#"prefect_key: pnu_YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY"#],
    ..BASE
};

pub static POSTMAN: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "postman-api-token",
        title: "Postman API key",
        provider: "Postman",
        severity: High,
        related: &["postman-api-token"],
        refs: &[],
        bad: concat!("PM", "AK-c0ffee51b429fe8110102c99-c0ffee5f1abef543b5dfce8a981a049d7c"),
        good: r#"token = os.environ["POSTMAN_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["pmak-"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(PMAK-[a-f0-9]{24}-[a-f0-9]{34})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "PM",
        "AK-c0ffee51b429fe8110102c99-c0ffee5f1abef543b5dfce8a981a049d7c"
    )],
    false_positives: &["PMAK-x"],
    ..BASE
};

pub static SONAR: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sonar-api-token",
        title: "SonarQube / SonarCloud token",
        provider: "SonarQube",
        severity: High,
        related: &["sonar-api-token"],
        refs: &[],
        bad: concat!(r#"SONAR_TOKEN = "sq"#, r#"u_c0ffeecc7e90a88d519448fb2fc6791ce680ce2b""#),
        good: r#"token = os.environ["SONARQUBE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sonar"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:sonar)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?:squ_|sqp_|sqa_)?[a-z0-9]{40})(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    true_positives: &[concat!(
        r#"SONAR_TOKEN = "sq"#,
        r#"u_c0ffeecc7e90a88d519448fb2fc6791ce680ce2b""#
    )],
    false_positives: &[r#"sonar_host = "https://sonarcloud.io""#],
    ..BASE
};

pub static SNYK: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "snyk-api-token",
        title: "Snyk API token",
        provider: "Snyk",
        severity: High,
        related: &["snyk-api-token"],
        refs: &[],
        bad: concat!(r#"SNYK_TOKEN = ""#, r#"c0ffee27-c0ff-c0ff-c0ff-c0ffeec8af66""#),
        good: r#"token = os.environ["SNYK_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["snyk"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:snyk)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    true_positives: &[concat!(
        r#"SNYK_TOKEN = ""#,
        r#"c0ffee27-c0ff-c0ff-c0ff-c0ffeec8af66""#
    )],
    false_positives: &[r#"snyk_org = "acme""#],
    ..BASE
};

pub static SOURCEGRAPH: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sourcegraph-access-token",
        title: "Sourcegraph access token",
        provider: "Sourcegraph",
        severity: High,
        related: &["sourcegraph-access-token"],
        refs: &[],
        bad: concat!("sg", "p_local_c0ffee66259bbc471fb3be24a0b80316f688d3e4"),
        good: r#"token = os.environ["SOURCEGRAPH_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sgp_", "sourcegraph"],
    regex: r#"(?m)(?:(?:^|[^A-Za-z0-9_])(sgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}|sgp_[a-fA-F0-9]{40})\b|(?i:sourcegraph)[\w.-]{0,20}\s*[:=]\s*[\'"]?([a-fA-F0-9]{40})\b)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("sg", "p_local_c0ffee66259bbc471fb3be24a0b80316f688d3e4"),
        concat!("sg", "p_c0ffee81a65c2011bef2c328a72c5e5b77518b10"),
    ],
    false_positives: &["sgp_0000000000aaaaaaaaaa0000000000aaaaaaaaaa"],
    ..BASE
};

pub static JFROG_API: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "jfrog-api-key",
        title: "JFrog Artifactory API key",
        provider: "JFrog Artifactory",
        severity: High,
        related: &["artifactory-api-key", "jfrog-api-key"],
        refs: &[],
        bad: concat!("AK", "CpEXAMPLE16dqYGTVPWEdgjuWa8mRVtLLCWPgEuxqyhxEykCpZj6R5aDT6mZck71oe7N3x4"),
        good: r#"token = os.environ["JFROG_ARTIFACTORY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["akcp"],
    regex: r#"(?m)\b(AKCp[A-Za-z0-9]{69})\b"#,
    entropy: 4.5,
    true_positives: &[concat!(
        "AK",
        "CpEXAMPLE16dqYGTVPWEdgjuWa8mRVtLLCWPgEuxqyhxEykCpZj6R5aDT6mZck71oe7N3x4"
    )],
    false_positives: &[
        "artifactory: AKCpXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    ],
    ..BASE
};

pub static JFROG_REF: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "jfrog-reference-token",
        title: "JFrog Artifactory reference token",
        provider: "JFrog Artifactory",
        severity: High,
        related: &["artifactory-reference-token", "jfrog-identity-token"],
        refs: &[],
        bad: concat!("cmV", "mdEXAMPLEViXC9g77y1bOeCvu0oEhOxjvoVdlTCJ4jC3jrAApjbrK1svZkqFg"),
        good: r#"token = os.environ["JFROG_ARTIFACTORY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["cmvmd"],
    regex: r#"(?m)\b(cmVmd[A-Za-z0-9]{59})\b"#,
    entropy: 4.5,
    true_positives: &[concat!(
        "cmV",
        "mdEXAMPLEViXC9g77y1bOeCvu0oEhOxjvoVdlTCJ4jC3jrAApjbrK1svZkqFg"
    )],
    false_positives: &[
        "artifactory: cmVmdXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    ],
    ..BASE
};
