//! Datadog rules.

use crate::rule::{SecretRule, BASE};

pub static DATADOG: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "datadog-access-token",
        title: "Datadog API or application key",
        provider: "Datadog",
        severity: High,
        related: &["datadog-access-token"],
        refs: &[],
        bad: concat!("DD_API_KEY=", "c0ffee266908d35e59c7a80268422c92"),
        good: r#"token = os.environ["DATADOG_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["datadog", "dd_api", "dd_app"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:datadog|dd_api|dd_app)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-f0-9]{32}|[a-f0-9]{40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("DD_API_KEY=", "c0ffee266908d35e59c7a80268422c92")],
    false_positives: &[r#"datadog_site = "datadoghq.eu""#],
    ..BASE
};

pub static NEWRELIC: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "new-relic-api-key",
        title: "New Relic API key",
        provider: "New Relic",
        severity: High,
        related: &["new-relic-user-api-key", "new-relic-insert-key", "new-relic-browser-api-token", "new-relic-user-api-id"],
        refs: &[],
        bad: concat!("NR", "AK-EXAMPLEEE8AEXEJ9H56R2LGQTZ0"),
        good: r#"token = os.environ["NEW_RELIC_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["nrak-", "nrii-", "nrjs-"],
    regex: r#"(?m)\b(NRAK-[a-zA-Z0-9]{27}|NRII-[a-zA-Z0-9_-]{32}|NRJS-[a-f0-9]{19})\b"#,
    entropy: 3.0,
    true_positives: &[concat!("NR", "AK-EXAMPLEEE8AEXEJ9H56R2LGQTZ0")],
    false_positives: &["NRAK-x"],
    ..BASE
};

pub static SENTRY_ORG: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sentry-org-token",
        title: "Sentry organization auth token",
        provider: "Sentry",
        severity: High,
        related: &["sentry-org-token"],
        refs: &[],
        bad: concat!("sntr", "ys_eyJpYXQiOjE3EXAMPLESSlCU4g37Dvu1nby1Yog2nZwQvrNa2me5fkYQQLtQqlcjEg1dyqPfKLodesar27i79wxIUlixYVqxxkHQh3_EXAMPLEp6YksWy7WboPm4oWy2xpP5Eq3adgQy1xpsbE"),
        good: r#"token = os.environ["SENTRY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sntrys_"],
    regex: r#"(?m)\b(sntrys_eyJ[a-zA-Z0-9+/=]{80,}_[a-zA-Z0-9+/]{43})"#,
    entropy: 3.0,
    true_positives: &[
        concat!("sntr", "ys_eyJpYXQiOjE3EXAMPLESSlCU4g37Dvu1nby1Yog2nZwQvrNa2me5fkYQQLtQqlcjEg1dyqPfKLodesar27i79wxIUlixYVqxxkHQh3_EXAMPLEp6YksWy7WboPm4oWy2xpP5Eq3adgQy1xpsbE"),
    ],
    false_positives: &[
        "sntrys_eyJ",
    ],
    ..BASE
};

pub static SENTRY_USER: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sentry-user-token",
        title: "Sentry user auth token",
        provider: "Sentry",
        severity: High,
        related: &["sentry-user-token", "sentry-access-token"],
        refs: &[],
        bad: concat!("sntr", "yu_c0ffeeef33ef2c3ff57de13628bef7a127f6c31d175a632f8ee42ea368b23ff8"),
        good: r#"token = os.environ["SENTRY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sntryu_", "sentry"],
    regex: r#"(?m)(?:\b(sntryu_[a-f0-9]{64})\b|(?i:sentry)[\w.-]{0,20}\s*[\'"]?\s*(?:=|:)\s*[\'"]?([a-f0-9]{64})\b)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "sntr",
        "yu_c0ffeeef33ef2c3ff57de13628bef7a127f6c31d175a632f8ee42ea368b23ff8"
    )],
    false_positives: &["sntryu_x"],
    ..BASE
};

pub static GRAFANA_CLOUD: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "grafana-cloud-api-token",
        title: "Grafana Cloud access token",
        provider: "Grafana",
        severity: High,
        related: &["grafana-cloud-api-token", "grafana-api-key"],
        refs: &[],
        bad: concat!("gl", "c_eyJvIjoiEXAMPLElGaOPZG5bPERVcIPoXFQMiPxjyZ48uVc22xQ5PlSobMD5UfCn2csCi1mtVuLm8ezbRkax8EoeExG28VFRnN5nm1EmtYDr="),
        good: r#"token = os.environ["GRAFANA_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["glc_", "eyjrijoi"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(glc_[A-Za-z0-9+/]{32,400}={0,3}|eyJrIjoi[A-Za-z0-9]{70,400}={0,3})(?:[^A-Za-z0-9+/=]|$)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("gl", "c_eyJvIjoiEXAMPLElGaOPZG5bPERVcIPoXFQMiPxjyZ48uVc22xQ5PlSobMD5UfCn2csCi1mtVuLm8ezbRkax8EoeExG28VFRnN5nm1EmtYDr="),
    ],
    false_positives: &[
        r#"GRAFANA="glc_2222222222222222222222222222222222222222=""#,
    ],
    ..BASE
};

pub static GRAFANA_SA: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "grafana-service-account-token",
        title: "Grafana service account token",
        provider: "Grafana",
        severity: High,
        related: &["grafana-service-account-token"],
        refs: &[],
        bad: concat!("gl", "sa_EXAMPLEo9WucAlvAQTbKxXkp01ajMZqM_c0ffeeef"),
        good: r#"token = os.environ["GRAFANA_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["glsa_"],
    regex: r#"(?m)\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "gl",
        "sa_EXAMPLEo9WucAlvAQTbKxXkp01ajMZqM_c0ffeeef"
    )],
    false_positives: &["glsa_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX_AAAAAAAA"],
    ..BASE
};

pub static DYNATRACE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "dynatrace-api-token",
        title: "Dynatrace API token",
        provider: "Dynatrace",
        severity: High,
        related: &["dynatrace-api-token"],
        refs: &[],
        bad: concat!("dt0c", "01.EXAMPLE99YIQP9HR0JI7IUDK.EXAMPLEO1KF20QOJR0GD1GBSESLI0E7YT6H2P57X79M1EQYLQP0X7QED4NUA24VL"),
        good: r#"token = os.environ["DYNATRACE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["dt0c01."],
    regex: r#"(?m)\b(dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b"#,
    entropy: 3.0,
    true_positives: &[
        concat!("dt0c", "01.EXAMPLE99YIQP9HR0JI7IUDK.EXAMPLEO1KF20QOJR0GD1GBSESLI0E7YT6H2P57X79M1EQYLQP0X7QED4NUA24VL"),
    ],
    false_positives: &[
        "dt0c01.x",
    ],
    ..BASE
};

pub static SUMO_ID: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sumologic-access-id",
        title: "Sumo Logic access ID",
        provider: "Sumo Logic",
        severity: Medium,
        related: &["sumologic-access-id"],
        refs: &[],
        bad: concat!(r#"SUMO_ACCESS_ID = "s"#, r#"uEXAMPLED9uYo""#),
        good: r#"token = os.environ["SUMO_LOGIC_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sumo"],
    regex: r#"(?im)(?:^|[^a-z])sumo(?:logic)?[_.-][\w.-]{0,20}?[\s\'"]{0,3}(?::{1,3}=|=>|=|:)[\s\'"]{0,5}(?-i:(su[a-zA-Z0-9]{12}))\b"#,
    entropy: 3.0,
    true_positives: &[concat!(r#"SUMO_ACCESS_ID = "s"#, r#"uEXAMPLED9uYo""#)],
    false_positives: &[
        "sumOfSquares = suAbCdEfGh1jKl",
        "export SUMOLOGIC_ACCESSID=XXXXXXXXXXXXXX",
    ],
    ..BASE
};

pub static SUMO_KEY: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sumologic-access-token",
        title: "Sumo Logic access key",
        provider: "Sumo Logic",
        severity: High,
        related: &["sumologic-access-token"],
        refs: &[],
        bad: concat!("SUMO_ACCESS_KEY: ", "EXAMPLEBf9nIAz9i5VoxVTxyQFXxioOn4rhcGi4zNAPeELD8vKIwwTWBulZESbRR"),
        good: r#"token = os.environ["SUMO_LOGIC_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sumo"],
    regex: r#"(?im)(?:^|[^a-z])sumo(?:logic)?[_.-][\w.-]{0,20}?[\s\'"]{0,3}(?::{1,3}=|=>|=|:)[\s\'"]{0,5}(?-i:([a-zA-Z0-9]{64}))\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "SUMO_ACCESS_KEY: ",
        "EXAMPLEBf9nIAz9i5VoxVTxyQFXxioOn4rhcGi4zNAPeELD8vKIwwTWBulZESbRR"
    )],
    false_positives: &["SUMO_ACCESS_KEY: Short123"],
    ..BASE
};

pub static OKTA: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "okta-access-token",
        title: "Okta API token",
        provider: "Okta",
        severity: High,
        related: &["okta-access-token"],
        refs: &[],
        bad: concat!(r#""oktaApiToken": "0"#, r#"0EXAMPLEuYVoLAFzVMGui6fzb0IdiawkFawDwHEcd""#),
        good: r#"token = os.environ["OKTA_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["okta"],
    regex: r#"(?im)(?:^|[^a-z])(?:okta)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:00[\w=-]{40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 4.0,
    true_positives: &[concat!(
        r#""oktaApiToken": "0"#,
        r#"0EXAMPLEuYVoLAFzVMGui6fzb0IdiawkFawDwHEcd""#
    )],
    false_positives: &[
        "oktaKey = 0000000000000000000000000000000000000000ab",
        "brookTail = 00Zq8r3LmP0xVt7KwNa1b2c3d4e5f6g7h8i9j0k1l2",
    ],
    ..BASE
};

pub static OPENSHIFT: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "openshift-user-token",
        title: "OpenShift user token",
        provider: "OpenShift",
        severity: High,
        related: &["openshift-user-token"],
        refs: &[],
        bad: concat!("sha256", "~EXAMPLEoklzt8QjSOL19HQhkHuHligHqQR_sygt2XLc"),
        good: r#"token = os.environ["OPENSHIFT_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sha256~"],
    regex: r#"(?m)\b(sha256~[\w-]{43})(?:[^\w-]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "sha256",
        "~EXAMPLEoklzt8QjSOL19HQhkHuHligHqQR_sygt2XLc"
    )],
    false_positives: &["oc login --token=sha256~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ..BASE
};

pub static ONEPASSWORD_SECRET: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "1password-secret-key",
        title: "1Password secret key",
        provider: "1Password",
        severity: Critical,
        related: &["1password-secret-key"],
        refs: &[],
        bad: concat!("A3-", "ASWWYB-798JRY-Q7RT2-EXAMP-EXAMP-EXAMP"),
        good: r#"token = os.environ["1PASSWORD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["a3-"],
    regex: r#"(?m)\b(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\b"#,
    entropy: 3.0,
    true_positives: &[concat!("A3-", "ASWWYB-798JRY-Q7RT2-EXAMP-EXAMP-EXAMP")],
    false_positives: &["A3-XXXXXX-XXXXXXXXXXX-XXXXX-XXXXX-XXXXX"],
    ..BASE
};

pub static ONEPASSWORD_SA: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "1password-service-account-token",
        title: "1Password service account token",
        provider: "1Password",
        severity: Critical,
        related: &["1password-service-account-token"],
        refs: &[],
        bad: concat!("ops_", "eyJEXAMPLEotZeZEgeLjmYTCZDY0oNf0QEKBiam7Lng1ODpWqGBHIvUdboUboGsnOTSDNm5lntQ5qikdoDXv0TTR9SYZtzuHUtdXMufsduGpjl7O4pDbmuhYGTH3xRTEHtXegQeNyBEeqZQGoCu2E8TAXTxICX7U7uNdgXDfO7ric286JieDRNctQe2WQXvBHfjzSgT9Vdcs6XQiHgSeuk0IM1AkplyWZBTvxh5pDJhfq8V85U5yEo9lMZsWDzTmUYiVm69Fg30GvZpbqGE0Sj2NuulUV2vRmQAd0a3oKwaYWqM"),
        good: r#"token = os.environ["1PASSWORD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["ops_eyj"],
    regex: r#"(?m)(ops_eyJ[a-zA-Z0-9+/]{250,}={0,3})"#,
    entropy: 4.0,
    true_positives: &[
        concat!("ops_", "eyJEXAMPLEotZeZEgeLjmYTCZDY0oNf0QEKBiam7Lng1ODpWqGBHIvUdboUboGsnOTSDNm5lntQ5qikdoDXv0TTR9SYZtzuHUtdXMufsduGpjl7O4pDbmuhYGTH3xRTEHtXegQeNyBEeqZQGoCu2E8TAXTxICX7U7uNdgXDfO7ric286JieDRNctQe2WQXvBHfjzSgT9Vdcs6XQiHgSeuk0IM1AkplyWZBTvxh5pDJhfq8V85U5yEo9lMZsWDzTmUYiVm69Fg30GvZpbqGE0Sj2NuulUV2vRmQAd0a3oKwaYWqM"),
    ],
    false_positives: &[
        "ops_eyJhbGciOi..[hidden]",
    ],
    ..BASE
};

pub static AGE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "age-secret-key",
        title: "age encryption secret key",
        provider: "age",
        severity: Critical,
        related: &["age-secret-key"],
        refs: &[],
        bad: concat!("AGE-SECRET-", "KEY-1ZZ5W53HNHKECJ8WQ60R2FNS5CMNG04RKT5GRA47AD4H0YX85PPWHYYLRVA"),
        good: r#"token = os.environ["AGE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["age-secret-key-1"],
    regex: r#"(?m)(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "AGE-SECRET-",
        "KEY-1ZZ5W53HNHKECJ8WQ60R2FNS5CMNG04RKT5GRA47AD4H0YX85PPWHYYLRVA"
    )],
    false_positives: &["AGE-SECRET-KEY-1"],
    ..BASE
};

pub static FLYIO: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "flyio-access-token",
        title: "Fly.io access token",
        provider: "Fly.io",
        severity: High,
        related: &["flyio-access-token"],
        refs: &[],
        bad: concat!("fo", "1_EXAMPLEZN9WN8OSNTni951bDAAUUpe73dq2lxLTmChC"),
        good: r#"token = os.environ["FLY_IO_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["fo1_", "fm1", "fm2_"],
    regex: r#"(?m)\b((?:fo1_[\w-]{43}|fm1[ar]_[a-zA-Z0-9+/]{100,}={0,3}|fm2_[a-zA-Z0-9+/]{100,}={0,3}))"#,
    entropy: 4.0,
    true_positives: &[concat!(
        "fo",
        "1_EXAMPLEZN9WN8OSNTni951bDAAUUpe73dq2lxLTmChC"
    )],
    false_positives: &[r#"FLY_API_TOKEN="fo1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx""#],
    ..BASE
};

pub static NOTION: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "notion-api-token",
        title: "Notion integration token",
        provider: "Notion",
        severity: High,
        related: &["notion-api-token"],
        refs: &[],
        bad: concat!("nt", "n_56261635458EXAMPLEUlFIWGaQ3jM9y1J5Yklb6PJ4Wh3K"),
        good: r#"token = os.environ["NOTION_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["ntn_"],
    regex: r#"(?m)\b(ntn_[0-9]{11}[A-Za-z0-9]{35})\b"#,
    entropy: 4.0,
    true_positives: &[concat!(
        "nt",
        "n_56261635458EXAMPLEUlFIWGaQ3jM9y1J5Yklb6PJ4Wh3K"
    )],
    false_positives: &["ntn_999999999999999999999999999999999999999999999999999999999999"],
    ..BASE
};

pub static INFRACOST: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "infracost-api-token",
        title: "Infracost API key",
        provider: "Infracost",
        severity: Medium,
        related: &["infracost-api-token"],
        refs: &[],
        bad: concat!(r#""ic"#, r#"o-EXAMPLExd7dnGb5G25T5T9nGD7jJnjjO""#),
        good: r#"token = os.environ["INFRACOST_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["ico-"],
    regex: r#"(?m)(?:^|[\s\'"=:])(ico-[a-zA-Z0-9]{32})\b"#,
    entropy: 3.0,
    true_positives: &[concat!(r#""ic"#, r#"o-EXAMPLExd7dnGb5G25T5T9nGD7jJnjjO""#)],
    false_positives: &["ico-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"],
    ..BASE
};

pub static INTRA42: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "intra42-client-secret",
        title: "42 Intra client secret",
        provider: "42 Intra",
        severity: Medium,
        related: &["intra42-client-secret"],
        refs: &[],
        bad: concat!("s-s4", "t2ud-c0ffeee0d4887d6e120a578757563e68d1f0e22d4ae56ad7675dbd9956e246a3"),
        good: r#"token = os.environ["42_INTRA_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["s-s4t2"],
    regex: r#"(?m)\b(s-s4t2(?:ud|af)-[a-f0-9]{64})\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "s-s4",
        "t2ud-c0ffeee0d4887d6e120a578757563e68d1f0e22d4ae56ad7675dbd9956e246a3"
    )],
    false_positives: &["s-s4t2ud-x"],
    ..BASE
};

pub static SCALINGO: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "scalingo-api-token",
        title: "Scalingo API token",
        provider: "Scalingo",
        severity: High,
        related: &["scalingo-api-token"],
        refs: &[],
        bad: concat!("tk-", "us-EXAMPLELx194_8J8z8svDjTXiZmT2QTYt7af9TZ3MuasUZPC"),
        good: r#"token = os.environ["SCALINGO_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["tk-us-"],
    regex: r#"(?m)\b(tk-us-[\w-]{48})(?:[^\w-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "tk-",
        "us-EXAMPLELx194_8J8z8svDjTXiZmT2QTYt7af9TZ3MuasUZPC"
    )],
    false_positives: &["tk-us-x"],
    ..BASE
};

pub static README: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "readme-api-token",
        title: "ReadMe API key",
        provider: "ReadMe",
        severity: Medium,
        related: &["readme-api-token"],
        refs: &[],
        bad: concat!("rd", "me_examplevk99zlshibu425rx7bw98u4hvqyqbxyex8arvs5kybemndijtood1qhgj99fj1m"),
        good: r#"token = os.environ["README_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["rdme_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(rdme_[a-z0-9]{70})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "rd",
        "me_examplevk99zlshibu425rx7bw98u4hvqyqbxyex8arvs5kybemndijtood1qhgj99fj1m"
    )],
    false_positives: &[
        "readme: 'rdme_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';",
    ],
    ..BASE
};

pub static LINEAR: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "linear-api-key",
        title: "Linear API key",
        provider: "Linear",
        severity: High,
        related: &["linear-api-key", "linear-client-secret"],
        refs: &[],
        bad: concat!("lin", "_api_EXAMPLEcVF2UyBfO3TWlMitcfdkhcbuTSOkhDkgl"),
        good: r#"token = os.environ["LINEAR_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["lin_api_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(lin_api_[a-zA-Z0-9]{40})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "lin",
        "_api_EXAMPLEcVF2UyBfO3TWlMitcfdkhcbuTSOkhDkgl"
    )],
    false_positives: &["lin_api_x"],
    ..BASE
};

pub static HUBSPOT: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "hubspot-api-key",
        title: "HubSpot API key",
        provider: "HubSpot",
        severity: High,
        related: &["hubspot-api-key"],
        refs: &[],
        bad: concat!(r#"HUBSPOT_API_KEY = ""#, r#"c0ffee6b-c0ff-c0ff-c0ff-c0ffee6b3dac""#),
        good: r#"token = os.environ["HUBSPOT_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["hubspot"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:hubspot)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    true_positives: &[concat!(
        r#"HUBSPOT_API_KEY = ""#,
        r#"c0ffee6b-c0ff-c0ff-c0ff-c0ffee6b3dac""#
    )],
    false_positives: &[r#"hubspot_portal = "x""#],
    ..BASE
};

pub static NETLIFY: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "netlify-access-token",
        title: "Netlify access token",
        provider: "Netlify",
        severity: High,
        related: &["netlify-access-token"],
        refs: &[],
        bad: concat!("NETLIFY_AUTH_TOKEN=", "EXAMPLE0G5D9dwvxtSh5e4b54cRYsgs-wXuaaU1yW0Q"),
        good: r#"token = os.environ["NETLIFY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["netlify"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:netlify)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[\w=-]{40,46}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "NETLIFY_AUTH_TOKEN=",
        "EXAMPLE0G5D9dwvxtSh5e4b54cRYsgs-wXuaaU1yW0Q"
    )],
    false_positives: &[r#"netlify_site = "x""#],
    ..BASE
};

pub static FASTLY: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "fastly-api-token",
        title: "Fastly API token",
        provider: "Fastly",
        severity: High,
        related: &["fastly-api-token"],
        refs: &[],
        bad: concat!("FASTLY_API_TOKEN=", "EXAMPLE9uOWyIBaPOHRu_Jk_ft2k1L2a"),
        good: r#"token = os.environ["FASTLY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["fastly"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:fastly)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[\w=-]{32}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "FASTLY_API_TOKEN=",
        "EXAMPLE9uOWyIBaPOHRu_Jk_ft2k1L2a"
    )],
    false_positives: &[r#"fastly_service = "x""#],
    ..BASE
};

pub static ETSY: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "etsy-access-token",
        title: "Etsy API key",
        provider: "Etsy",
        severity: Medium,
        related: &["etsy-access-token"],
        refs: &[],
        bad: concat!("ETSY_API_KEY=", "examplefigyrh12qf2xgc5tn"),
        good: r#"token = os.environ["ETSY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["etsy"],
    regex: r#"(?im)(?:^|[^a-z])(?:etsy)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9]{24}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("ETSY_API_KEY=", "examplefigyrh12qf2xgc5tn")],
    false_positives: &["resetSysctl: abcdefghijklmnopqrstuvwx12"],
    ..BASE
};

pub static MERAKI: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "cisco-meraki-api-key",
        title: "Cisco Meraki API key",
        provider: "Cisco Meraki",
        severity: High,
        related: &["cisco-meraki-api-key"],
        refs: &[],
        bad: concat!("MERAKI_API_KEY=", "c0ffee288b6d8eacf314914bc781ef02216ef29a"),
        good: r#"token = os.environ["CISCO_MERAKI_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["meraki"],
    regex: r#"(?im)(?:^|[^a-z])(?:meraki)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[0-9a-f]{40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.3,
    true_positives: &[concat!(
        "MERAKI_API_KEY=",
        "c0ffee288b6d8eacf314914bc781ef02216ef29a"
    )],
    false_positives: &[
        "CameraKitVersion: 9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b",
        "meraki: 1111111111aaaaaaaaaa2222222222bbbbbbbbbb",
    ],
    ..BASE
};

pub static BEAMER: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "beamer-api-token",
        title: "Beamer API key",
        provider: "Beamer",
        severity: Medium,
        related: &["beamer-api-token"],
        refs: &[],
        bad: concat!("BEAMER_KEY=", "b_examplelihl6qvkko4oqqdoktey82ng04udyo347mqk7"),
        good: r#"token = os.environ["BEAMER_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["beamer"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:beamer)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:b_[a-z0-9=_-]{44}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "BEAMER_KEY=",
        "b_examplelihl6qvkko4oqqdoktey82ng04udyo347mqk7"
    )],
    false_positives: &[r#"beamer_url = "x""#],
    ..BASE
};

pub static EASYPOST: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "easypost-api-token",
        title: "EasyPost API key",
        provider: "EasyPost",
        severity: High,
        related: &["easypost-api-token", "easypost-test-api-token"],
        refs: &[],
        bad: concat!("EZ", "AKEXAMPLERhJuz4k6i5EEF7rKxgJFWLvkv4gxy9hiFLs9vyKJluXbunD"),
        good: r#"token = os.environ["EASYPOST_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["ezak", "eztk"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9+/])((?:EZAK|EZTK)[a-zA-Z0-9]{54})(?:[^A-Za-z0-9+/]|$)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("EZ", "AKEXAMPLERhJuz4k6i5EEF7rKxgJFWLvkv4gxy9hiFLs9vyKJluXbunD"),
    ],
    false_positives: &[
        "...kQ9dPz3/Lm+EZAKr7Tq2Wx9Vb4Nc6Md8Fe0Gh1Jk3Lp5Qs7Rt9Uv2Wy4Xz6Ab8Cd0Ef2Gh4Jk6Lm8Np0Qr/Zx1c...",
    ],
    ..BASE
};

pub static TWITTER_BEARER: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "twitter-bearer-token",
        title: "X (Twitter) bearer token",
        provider: "X (Twitter)",
        severity: High,
        related: &["twitter-bearer-token"],
        refs: &[],
        bad: concat!("AAAAAAAAAAAAAAAAAAAAA", "AEXAMPLEh9sDOxKX88RSxE87OmI93QQlxmMmtsTpTLeAanJenGGQhW1pQhRs7gmRLTQardBfru5KSaGAw5TLI0laKml"),
        good: r#"token = os.environ["X_(TWITTER)_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["aaaaaaaaaaaaaaaaaaaaa"],
    regex: r#"(?m)\b(A{22}[a-zA-Z0-9%]{80,120})\b"#,
    entropy: 3.0,
    true_positives: &[
        concat!("AAAAAAAAAAAAAAAAAAAAA", "AEXAMPLEh9sDOxKX88RSxE87OmI93QQlxmMmtsTpTLeAanJenGGQhW1pQhRs7gmRLTQardBfru5KSaGAw5TLI0laKml"),
    ],
    false_positives: &[
        "AAAA",
    ],
    ..BASE
};

pub static TWITTER_KEYS: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "twitter-api-secret",
        title: "X (Twitter) API key, secret or access token",
        provider: "X (Twitter)",
        severity: High,
        related: &["twitter-api-key", "twitter-api-secret", "twitter-access-token", "twitter-access-secret"],
        refs: &[],
        bad: concat!("TWITTER_API_SECRET=", "EXAMPLE51ogn7hrL4VG9uR9yzSbeM1SBh1V5rGjBx3Qb9bdBNI"),
        good: r#"token = os.environ["X_(TWITTER)_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["twitter"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:twitter)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9]{25}|[a-zA-Z0-9]{45,50}|[0-9]{15,25}-[a-zA-Z0-9]{20,40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "TWITTER_API_SECRET=",
        "EXAMPLE51ogn7hrL4VG9uR9yzSbeM1SBh1V5rGjBx3Qb9bdBNI"
    )],
    false_positives: &[r#"twitter_handle = "acme""#],
    ..BASE
};

pub static FACEBOOK_SECRET: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "facebook-secret",
        title: "Facebook app secret",
        provider: "Meta (Facebook)",
        severity: High,
        related: &["facebook-secret"],
        refs: &[],
        bad: concat!(r#"facebook_app_secret = ""#, r#"c0ffeec5bb4bb84554433593fde017d4""#),
        good: r#"token = os.environ["META_(FACEBOOK)_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["facebook"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:facebook)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-f0-9]{32}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        r#"facebook_app_secret = ""#,
        r#"c0ffeec5bb4bb84554433593fde017d4""#
    )],
    false_positives: &[r#"facebook_page = "acme""#],
    ..BASE
};

pub static FACEBOOK_ACCESS: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "facebook-access-token",
        title: "Facebook app access token",
        provider: "Meta (Facebook)",
        severity: High,
        related: &["facebook-access-token"],
        refs: &[],
        bad: concat!("facebook ", "1303531796657030|EXAMPLE5EexziHkQlRk2Nj5FtwN"),
        good: r#"token = os.environ["META_(FACEBOOK)_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["facebook"],
    regex: r#"(?im)facebook.{0,40}?\b([0-9]{15,16}(?:\||%7C)[0-9a-z_-]{27})\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "facebook ",
        "1303531796657030|EXAMPLE5EexziHkQlRk2Nj5FtwN"
    )],
    false_positives: &["facebook 12|abc"],
    ..BASE
};

pub static FACEBOOK_PAGE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "facebook-page-access-token",
        title: "Facebook page or user access token",
        provider: "Meta (Facebook)",
        severity: High,
        related: &["facebook-page-access-token"],
        refs: &[],
        bad: concat!("EA", "AMEXAMPLEBu76gTGB7kLcFh2VPVk0OYdsGcvdgHVVTmGzkoQnBqQDfp5DaSoQzgmAfIRsxvprQQvoczAS2BejfedImq6OgyGRFqmgQ7FKZCse7L05EijeEBiQRbSlLUcYTYZehZupdoL8UrwkS1xAT0r"),
        good: r#"token = os.environ["META_(FACEBOOK)_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["eaam", "eaac"],
    regex: r#"(?m)\b(EAA[MC][a-zA-Z0-9]{100,})\b"#,
    entropy: 4.0,
    true_positives: &[
        concat!("EA", "AMEXAMPLEBu76gTGB7kLcFh2VPVk0OYdsGcvdgHVVTmGzkoQnBqQDfp5DaSoQzgmAfIRsxvprQQvoczAS2BejfedImq6OgyGRFqmgQ7FKZCse7L05EijeEBiQRbSlLUcYTYZehZupdoL8UrwkS1xAT0r"),
    ],
    false_positives: &[
        "eaaaD1c86b0430aefe3e0b13c58f1228942c93d1",
    ],
    ..BASE
};

pub static LAUNCHDARKLY: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "launchdarkly-access-token",
        title: "LaunchDarkly access token",
        provider: "LaunchDarkly",
        severity: High,
        related: &["launchdarkly-access-token"],
        refs: &[],
        bad: concat!("LAUNCHDARKLY_TOKEN=", "examplek22laif81pjqhhyfoajcwftu928mt7n4v"),
        good: r#"token = os.environ["LAUNCHDARKLY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["launchdarkly"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:launchdarkly)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9=_-]{40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "LAUNCHDARKLY_TOKEN=",
        "examplek22laif81pjqhhyfoajcwftu928mt7n4v"
    )],
    false_positives: &[r#"launchdarkly_env = "x""#],
    ..BASE
};

pub static MAPBOX: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "mapbox-api-token",
        title: "Mapbox secret access token",
        provider: "Mapbox",
        severity: Medium,
        related: &["mapbox-api-token"],
        refs: &[],
        bad: concat!("sk.", "eyJ1IjoiEXAMPLEixwGJLoNrQGiGbABQMlcIsrhXOTCXxHEp.EXAMPLEWLLZeG9PB5TN6Ul"),
        good: r#"token = os.environ["MAPBOX_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sk.eyj"],
    regex: r#"(?m)\b(sk\.eyJ[a-zA-Z0-9]{30,}\.[a-zA-Z0-9_-]{20,})"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "sk.",
        "eyJ1IjoiEXAMPLEixwGJLoNrQGiGbABQMlcIsrhXOTCXxHEp.EXAMPLEWLLZeG9PB5TN6Ul"
    )],
    false_positives: &["sk.eyJ"],
    ..BASE
};

pub static PLANETSCALE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "planetscale-token",
        title: "PlanetScale password or token",
        provider: "PlanetScale",
        severity: High,
        related: &["planetscale-password", "planetscale-api-token", "planetscale-oauth-token"],
        refs: &[],
        bad: concat!("pscale", "_pw_EXAMPLEUAD3GUcIhRU0e3NDRR8nx_nVzI_fqR14K1tO"),
        good: r#"token = os.environ["PLANETSCALE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["pscale_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(pscale_(?:pw|tkn|oauth)_[\w.=-]{32,64})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "pscale",
        "_pw_EXAMPLEUAD3GUcIhRU0e3NDRR8nx_nVzI_fqR14K1tO"
    )],
    false_positives: &["pscale_pw_x"],
    ..BASE
};

pub static SHIPPO: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "shippo-api-token",
        title: "Shippo API token",
        provider: "Shippo",
        severity: High,
        related: &["shippo-api-token"],
        refs: &[],
        bad: concat!("shippo", "_live_c0ffee455b817a151dd64b338ec80cc5c0b3aa41"),
        good: r#"token = os.environ["SHIPPO_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["shippo_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(shippo_(?:live|test)_[a-fA-F0-9]{40})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "shippo",
        "_live_c0ffee455b817a151dd64b338ec80cc5c0b3aa41"
    )],
    false_positives: &["shippo_live_x"],
    ..BASE
};

pub static TYPEFORM: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "typeform-api-token",
        title: "Typeform personal access token",
        provider: "Typeform",
        severity: Medium,
        related: &["typeform-api-token"],
        refs: &[],
        bad: concat!("tf", "p_examplemnbosgmpo4uhcu7f63hpn2t0xaohvzp1pvpyc79tr443ady3ol49"),
        good: r#"token = os.environ["TYPEFORM_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["tfp_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(tfp_[a-z0-9_.=-]{59})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "tf",
        "p_examplemnbosgmpo4uhcu7f63hpn2t0xaohvzp1pvpyc79tr443ady3ol49"
    )],
    false_positives: &["tfp_x"],
    ..BASE
};

pub static FRAMEIO: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "frameio-api-token",
        title: "Frame.io API token",
        provider: "Frame.io",
        severity: Medium,
        related: &["frameio-api-token"],
        refs: &[],
        bad: concat!("fio", "-u-EXAMPLEXunH4lN7BaillxVa306LSVvm-oVLACXTQJKkVoUPrQoRu1cUCZauz5UZH"),
        good: r#"token = os.environ["FRAME_IO_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["fio-u-"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(fio-u-[\w=-]{64})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "fio",
        "-u-EXAMPLEXunH4lN7BaillxVa306LSVvm-oVLACXTQJKkVoUPrQoRu1cUCZauz5UZH"
    )],
    false_positives: &["fio-u-x"],
    ..BASE
};

pub static DUFFEL: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "duffel-api-token",
        title: "Duffel API token",
        provider: "Duffel",
        severity: Medium,
        related: &["duffel-api-token"],
        refs: &[],
        bad: concat!("duffel", "_test_EXAMPLEDw6vVhdWCPZf-8zwiwxHrvOLr9orJNMzC4Oq"),
        good: r#"token = os.environ["DUFFEL_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["duffel_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(duffel_(?:test|live)_[\w=-]{43})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "duffel",
        "_test_EXAMPLEDw6vVhdWCPZf-8zwiwxHrvOLr9orJNMzC4Oq"
    )],
    false_positives: &["duffel_test_x"],
    ..BASE
};

pub static ADAFRUIT: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "adafruit-api-key",
        title: "Adafruit IO key",
        provider: "Adafruit IO",
        severity: Medium,
        related: &["adafruit-api-key"],
        refs: &[],
        bad: concat!("ADAFRUIT_IO_KEY=", "examplex529kdgfc6jrel7bbo2f38plm"),
        good: r#"token = os.environ["ADAFRUIT_IO_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["adafruit"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:adafruit)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9_-]{32}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "ADAFRUIT_IO_KEY=",
        "examplex529kdgfc6jrel7bbo2f38plm"
    )],
    false_positives: &[r#"adafruit_user = "x""#],
    ..BASE
};

pub static AIRTABLE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "airtable-api-key",
        title: "Airtable API key or personal access token",
        provider: "Airtable",
        severity: High,
        related: &["airtable-api-key", "airtable-personnal-access-token"],
        refs: &[],
        bad: concat!("pa", "tEXAMPLEu5OvMbi.c0ffeeab22031598926e8019792f4cece6788749c1736ebebf0bc65bfc54d5f6"),
        good: r#"token = os.environ["AIRTABLE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["pat", "airtable"],
    regex: r#"(?m)\b(pat[a-zA-Z0-9]{14}\.[a-f0-9]{64})\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "pa",
        "tEXAMPLEu5OvMbi.c0ffeeab22031598926e8019792f4cece6788749c1736ebebf0bc65bfc54d5f6"
    )],
    false_positives: &["pat.x"],
    ..BASE
};

pub static ALGOLIA: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "algolia-api-key",
        title: "Algolia admin API key",
        provider: "Algolia",
        severity: Medium,
        related: &["algolia-api-key"],
        refs: &[],
        bad: concat!("ALGOLIA_ADMIN_KEY=", "examplempwgqrwh4synu1atqi99iksg1"),
        good: r#"token = os.environ["ALGOLIA_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["algolia"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:algolia)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9]{32}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "ALGOLIA_ADMIN_KEY=",
        "examplempwgqrwh4synu1atqi99iksg1"
    )],
    false_positives: &[r#"algolia_index = "x""#],
    ..BASE
};

pub static ASANA: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "asana-client-secret",
        title: "Asana client secret",
        provider: "Asana",
        severity: Medium,
        related: &["asana-client-secret", "asana-client-id"],
        refs: &[],
        bad: concat!("ASANA_CLIENT_SECRET=", "example311mgj0l6juo1yrjglmk48m26"),
        good: r#"token = os.environ["ASANA_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["asana"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:asana)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9]{32}|[0-9]{16}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "ASANA_CLIENT_SECRET=",
        "example311mgj0l6juo1yrjglmk48m26"
    )],
    false_positives: &[r#"asana_project = "x""#],
    ..BASE
};

pub static CONTENTFUL: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "contentful-delivery-api-token",
        title: "Contentful delivery API token",
        provider: "Contentful",
        severity: Medium,
        related: &["contentful-delivery-api-token"],
        refs: &[],
        bad: concat!("CONTENTFUL_TOKEN=", "example5gbm2cg81ntolwxg4ektjq9gddmpnfqqfq5l"),
        good: r#"token = os.environ["CONTENTFUL_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["contentful"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:contentful)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9=_-]{43}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "CONTENTFUL_TOKEN=",
        "example5gbm2cg81ntolwxg4ektjq9gddmpnfqqfq5l"
    )],
    false_positives: &[r#"contentful_space = "x""#],
    ..BASE
};

pub static CONFLUENT: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "confluent-secret-key",
        title: "Confluent Cloud API key or secret",
        provider: "Confluent",
        severity: High,
        related: &["confluent-access-token", "confluent-secret-key"],
        refs: &[],
        bad: concat!("CONFLUENT_API_SECRET=", "EXAMPLEqat6DoxpY4UAhWo3ahvVgCSFXbonwcuWyAP7IzotAeN8ZGVCRBLXH1WEr"),
        good: r#"token = os.environ["CONFLUENT_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["confluent"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:confluent)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9]{16}|[a-zA-Z0-9+/]{64}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "CONFLUENT_API_SECRET=",
        "EXAMPLEqat6DoxpY4UAhWo3ahvVgCSFXbonwcuWyAP7IzotAeN8ZGVCRBLXH1WEr"
    )],
    false_positives: &[r#"confluent_cluster = "x""#],
    ..BASE
};

pub static DROPBOX: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "dropbox-api-token",
        title: "Dropbox access token",
        provider: "Dropbox",
        severity: High,
        related: &["dropbox-api-token", "dropbox-short-lived-api-token", "dropbox-long-lived-api-token"],
        refs: &[],
        bad: concat!("s", "l.EXAMPLEw00BgB7FpkV3bbH_uy8qM3AsYaLcW4PDRiqgkKfLNuoliMdVwY1pp7M_4Xn3DWzP9WYJof5Hzt4XJUtv2tIEpc1ke4M4innZMcWUq8lcdtCklyjrL14GEOgm0Nhom2iBJ-Lx3"),
        good: r#"token = os.environ["DROPBOX_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["dropbox", "sl."],
    regex: r#"(?m)(?:\b(sl\.[a-zA-Z0-9_-]{130,152})(?:[^\w-]|$)|(?i:dropbox)[\w.-]{0,20}\s*[\'"]?\s*(?:=|:)\s*[\'"]?([a-zA-Z0-9]{11}AAAAAAAAAA[a-zA-Z0-9_=-]{43}|[a-z0-9]{15})\b)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("s", "l.EXAMPLEw00BgB7FpkV3bbH_uy8qM3AsYaLcW4PDRiqgkKfLNuoliMdVwY1pp7M_4Xn3DWzP9WYJof5Hzt4XJUtv2tIEpc1ke4M4innZMcWUq8lcdtCklyjrL14GEOgm0Nhom2iBJ-Lx3"),
    ],
    false_positives: &[
        r#"dropbox_folder = "x""#,
    ],
    ..BASE
};

pub static YANDEX: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "yandex-api-key",
        title: "Yandex API key or token",
        provider: "Yandex",
        severity: High,
        related: &["yandex-api-key", "yandex-access-token", "yandex-aws-access-token"],
        refs: &[],
        bad: concat!("YANDEX_API_KEY=", "AQVNEXAMPLEcK6PMJkm-RDVoOLNVF0JE37GArqbk"),
        good: r#"token = os.environ["YANDEX_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["yandex"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:yandex)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:AQVN[A-Za-z0-9_-]{35,38}|t1\.[A-Z0-9a-z_-]+={0,2}\.[A-Z0-9a-z_-]{86}={0,2}|YC[a-zA-Z0-9_-]{38}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "YANDEX_API_KEY=",
        "AQVNEXAMPLEcK6PMJkm-RDVoOLNVF0JE37GArqbk"
    )],
    false_positives: &[r#"yandex_region = "x""#],
    ..BASE
};

pub static SETTLEMINT: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "settlemint-token",
        title: "SettleMint access token",
        provider: "SettleMint",
        severity: Medium,
        related: &["settlemint-application-access-token", "settlemint-personal-access-token", "settlemint-service-access-token"],
        refs: &[],
        bad: concat!("sm_", "pat_EXAMPLEq3TlxqSN7"),
        good: r#"token = os.environ["SETTLEMINT_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sm_aat_", "sm_pat_", "sm_sat_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(sm_(?:aat|pat|sat)_[a-zA-Z0-9]{16})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("sm_", "pat_EXAMPLEq3TlxqSN7")],
    false_positives: &["sm_pat_x"],
    ..BASE
};

pub static AUTHRESS: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "authress-service-client-access-key",
        title: "Authress service client access key",
        provider: "Authress",
        severity: High,
        related: &["authress-service-client-access-key"],
        refs: &[],
        bad: concat!("sc", "_examplemz3.examp.acc_examplelgtgl470cmzz1.examplemx9szz6zmyj6v93cfpe9lxr34vtxl8lkfj7n4vg7jj9ovstfrnza1"),
        good: r#"token = os.environ["AUTHRESS_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sc_", "ext_", "scauth_", "authress_"],
    regex: r#"(?m)\b((?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\.[a-z0-9]{4,6}\.acc[_-][a-z0-9-]{10,32}\.[a-z0-9+/_=-]{30,120})"#,
    entropy: 2.0,
    true_positives: &[
        concat!("sc", "_examplemz3.examp.acc_examplelgtgl470cmzz1.examplemx9szz6zmyj6v93cfpe9lxr34vtxl8lkfj7n4vg7jj9ovstfrnza1"),
    ],
    false_positives: &[
        "sc_x",
    ],
    ..BASE
};

pub static SIDEKIQ_SECRET: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sidekiq-secret",
        title: "Sidekiq Pro / Enterprise credentials",
        provider: "Sidekiq",
        severity: High,
        related: &["sidekiq-secret"],
        refs: &[],
        bad: concat!("export BUNDLE_ENTERPRISE__CONTRIB", "SYS__COM=cafebabe:c0ffee7c"),
        good: r#"token = os.environ["SIDEKIQ_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &[
        "bundle_enterprise__contribsys__com",
        "bundle_gems__contribsys__com",
    ],
    regex: r#"(?im)BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM\s*[\'"]?\s*(?::|=)\s*[\'"]?([a-f0-9]{8}:[a-f0-9]{8})\b"#,
    true_positives: &[concat!(
        "export BUNDLE_ENTERPRISE__CONTRIB",
        "SYS__COM=cafebabe:c0ffee7c"
    )],
    false_positives: &["BUNDLE_GEMS__CONTRIBSYS__COM: ${SIDEKIQ}"],
    ..BASE
};

pub static SIDEKIQ_URL: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sidekiq-sensitive-url",
        title: "Sidekiq Pro / Enterprise credentials in a URL",
        provider: "Sidekiq",
        severity: High,
        related: &["sidekiq-sensitive-url"],
        refs: &[],
        bad: concat!("https://cafebabe:c0ffeee0@gems.contrib", "sys.com/"),
        good: r#"token = os.environ["SIDEKIQ_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["contribsys.com"],
    regex: r#"(?i)\bhttps?://([a-f0-9]{8}:[a-f0-9]{8})@(?:gems|enterprise)\.contribsys\.com(?:[/|#?:]|$)"#,
    true_positives: &[concat!(
        "https://cafebabe:c0ffeee0@gems.contrib",
        "sys.com/"
    )],
    false_positives: &["https://gems.contribsys.com/"],
    ..BASE
};
