//! `url-credentials`: Password embedded in a URL (`scheme://user:password@host`).

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "url-credentials",
        title: "Password embedded in a URL",
        provider: "the service the URL points at",
        severity: High,
        related: &[],
        refs: &["https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1"],
        bad: concat!("DATABASE_URL=postgres://app:", "q7Rv2Xk9m9LwTz4@db.internal:5432/app"),
        good: r#"DATABASE_URL=postgres://app@db.internal:5432/app  # password from PGPASSFILE / a mounted secret"#,
    ),
    keywords: &["://"],
    // `key` spans user, password and host so the validator can judge the password in its
    // context (the user name again, a documentation host); group 2 is the password itself.
    regex: r#"(?i)\b[a-z][a-z0-9+.-]{1,20}://(?P<key>[^\s/:@'"\x60<>]{1,64}:([^\s/@'"\x60<>]{1,128})@[a-z0-9\[][a-z0-9.:\]-]*)"#,
    secret_group: 2,
    validate: Some(crate::validate::url_password),
    true_positives: &[
        concat!(
            "DATABASE_URL=postgres://app:",
            "q7Rv2Xk9m9LwTz4@db.internal:5432/app"
        ),
        concat!(
            "broker_url = 'amqp://celery:",
            "Zt8pQr2Nw3Kq@rabbit:5672//'"
        ),
    ],
    false_positives: &[
        "postgres://user:password@localhost/db",
        "mysql://root:root@127.0.0.1/test",
        "redis://:${REDIS_PASSWORD}@redis:6379/0",
        "https://user:<password>@example.com/",
        "postgresql://$PGUSER:$PGPASSWORD@db/app",
        "ftp://anonymous:guest@ftp.example.org/",
        "see http://user:pass@host for the syntax",
        "http://user:pa%2Fssword@dummy.faketld/",
        "http://jane:p%40ssword@google.com",
        r#"uri.to_s  #=> "http://sam:V3ry_S3cr3t_P@ss@my.example.com""#,
        "https://user:he%2F%2Fo@pypi.company.com/simple",
        "http://john:S3nsit1ve@my.example.com",
        "MultiHostUrl('https://foo.com:123,foo:bar@bar.com/path')",
        "http://%3Fam:pa%3Fsword@google.com",
        concat!("mysql://app:", "q7Rv2Xk9m9LwTz4@db.example.org/app"),
        concat!("smtp://mailer:", "q7Rv2Xk9m9LwTz4@smtp.test:25"),
    ],
    ..BASE
};
