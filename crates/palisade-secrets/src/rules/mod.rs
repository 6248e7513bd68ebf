//! Registry of built-in secret rules (one file per rule, named by its ID, with its metadata and docs next to its pattern).

use crate::rule::SecretRule;
use palisade_core::RuleMeta;

mod adafruit_api_key;
mod age_secret_key;
mod airtable_api_key;
mod algolia_api_key;
mod alibaba_access_key_id;
mod alibaba_access_key_secret;
mod anthropic_admin_api_key;
mod anthropic_api_key;
mod asana_client_secret;
mod atlassian_api_token;
mod authress_service_client_access_key;
mod aws_access_key_id;
mod aws_bedrock_api_key;
mod aws_bedrock_short_term_api_key;
mod aws_secret_access_key;
mod azure_ad_client_secret;
mod azure_devops_pat;
mod azure_storage_account_key;
mod beamer_api_token;
mod bitbucket_client_id;
mod bitbucket_client_secret;
mod bittrex_access_key;
mod cisco_meraki_api_key;
mod clickhouse_cloud_api_secret_key;
mod clojars_api_token;
mod cloudflare_api_token;
mod cloudflare_global_api_key;
mod cloudflare_origin_ca_key;
mod codecov_access_token;
mod cohere_api_token;
mod coinbase_access_token;
mod confluent_secret_key;
mod contentful_delivery_api_token;
mod curl_auth_header;
mod curl_auth_user;
mod databricks_api_token;
mod datadog_access_token;
mod digitalocean_oauth_token;
mod digitalocean_pat;
mod digitalocean_refresh_token;
mod discord_bot_token;
mod discord_client_id;
mod discord_client_secret;
mod discord_webhook_url;
mod docker_config_auth;
mod docker_hub_pat;
mod doppler_api_token;
mod droneci_access_token;
mod dropbox_api_token;
mod duffel_api_token;
mod dynatrace_api_token;
mod easypost_api_token;
mod etsy_access_token;
mod facebook_access_token;
mod facebook_page_access_token;
mod facebook_secret;
mod fastly_api_token;
mod flutterwave_secret_key;
mod flyio_access_token;
mod frameio_api_token;
mod gcp_api_key;
mod gcp_service_account_key;
mod generic_api_key;
mod github_app_token;
mod github_fine_grained_pat;
mod github_oauth_token;
mod github_pat;
mod github_refresh_token;
mod gitlab_pat;
mod gitlab_pipeline_trigger_token;
mod gitlab_runner_auth_token;
mod gitlab_runner_registration_token;
mod gitlab_session_cookie;
mod gitlab_token;
mod gitter_access_token;
mod gocardless_api_token;
mod grafana_cloud_api_token;
mod grafana_service_account_token;
mod harness_api_key;
mod hashicorp_tf_api_token;
mod heroku_api_key;
mod heroku_api_key_v2;
mod hubspot_api_key;
mod huggingface_access_token;
mod huggingface_organization_api_token;
mod infracost_api_token;
mod intercom_api_key;
mod intra42_client_secret;
mod jfrog_api_key;
mod jfrog_reference_token;
mod jwt;
mod kraken_access_token;
mod kucoin_secret_key;
mod launchdarkly_access_token;
mod linear_api_key;
mod mailchimp_api_key;
mod mailgun_private_api_token;
mod mapbox_api_token;
mod mattermost_access_token;
mod messagebird_api_token;
mod messagebird_client_id;
mod microsoft_teams_webhook;
mod netlify_access_token;
mod new_relic_api_key;
mod notion_api_token;
mod npm_access_token;
mod nuget_api_key;
mod nuget_config_password;
mod octopus_deploy_api_key;
mod okta_access_token;
mod onepassword_secret_key;
mod onepassword_service_account_token;
mod openai_api_key;
mod openshift_user_token;
mod paypal_braintree_access_token;
mod perplexity_api_key;
mod plaid_secret_key;
mod planetscale_token;
mod postman_api_token;
mod prefect_api_token;
mod private_key;
mod privateai_api_token;
mod pulumi_api_token;
mod pypi_upload_token;
mod readme_api_token;
mod rubygems_api_token;
mod scalingo_api_token;
mod sendgrid_api_token;
mod sendinblue_api_token;
mod sentry_org_token;
mod sentry_user_token;
mod settlemint_token;
mod shippo_api_token;
mod shopify_access_token;
mod sidekiq_secret;
mod sidekiq_sensitive_url;
mod slack_app_token;
mod slack_bot_token;
mod slack_config_access_token;
mod slack_config_refresh_token;
mod slack_legacy_token;
mod slack_user_token;
mod slack_webhook_url;
mod snyk_api_token;
mod sonar_api_token;
mod sourcegraph_access_token;
mod square_access_token;
mod square_secret;
mod stripe_access_token;
mod sumologic_access_id;
mod sumologic_access_token;
mod telegram_bot_api_token;
mod travisci_access_token;
mod twilio_api_key;
mod twitter_api_secret;
mod twitter_bearer_token;
mod typeform_api_token;
mod url_credentials;
mod vault_batch_token;
mod vault_service_token;
mod yandex_api_key;
mod zendesk_secret_key;

/// Every built-in rule, in a stable order.
pub fn builtin() -> &'static [&'static SecretRule] {
    &ALL
}

static ALL: [&SecretRule; 162] = [
    &aws_access_key_id::RULE,
    &aws_secret_access_key::RULE,
    &aws_bedrock_api_key::RULE,
    &aws_bedrock_short_term_api_key::RULE,
    &gcp_api_key::RULE,
    &gcp_service_account_key::RULE,
    &azure_ad_client_secret::RULE,
    &azure_storage_account_key::RULE,
    &azure_devops_pat::RULE,
    &alibaba_access_key_id::RULE,
    &alibaba_access_key_secret::RULE,
    &digitalocean_pat::RULE,
    &digitalocean_oauth_token::RULE,
    &digitalocean_refresh_token::RULE,
    &cloudflare_global_api_key::RULE,
    &cloudflare_api_token::RULE,
    &cloudflare_origin_ca_key::RULE,
    &heroku_api_key::RULE,
    &heroku_api_key_v2::RULE,
    &github_pat::RULE,
    &github_fine_grained_pat::RULE,
    &github_oauth_token::RULE,
    &github_app_token::RULE,
    &github_refresh_token::RULE,
    &gitlab_pat::RULE,
    &gitlab_pipeline_trigger_token::RULE,
    &gitlab_runner_registration_token::RULE,
    &gitlab_runner_auth_token::RULE,
    &gitlab_token::RULE,
    &gitlab_session_cookie::RULE,
    &bitbucket_client_id::RULE,
    &bitbucket_client_secret::RULE,
    &atlassian_api_token::RULE,
    &travisci_access_token::RULE,
    &droneci_access_token::RULE,
    &codecov_access_token::RULE,
    &harness_api_key::RULE,
    &octopus_deploy_api_key::RULE,
    &hashicorp_tf_api_token::RULE,
    &vault_service_token::RULE,
    &vault_batch_token::RULE,
    &doppler_api_token::RULE,
    &pulumi_api_token::RULE,
    &prefect_api_token::RULE,
    &postman_api_token::RULE,
    &sonar_api_token::RULE,
    &snyk_api_token::RULE,
    &sourcegraph_access_token::RULE,
    &jfrog_api_key::RULE,
    &jfrog_reference_token::RULE,
    &slack_bot_token::RULE,
    &slack_user_token::RULE,
    &slack_app_token::RULE,
    &slack_config_access_token::RULE,
    &slack_config_refresh_token::RULE,
    &slack_legacy_token::RULE,
    &slack_webhook_url::RULE,
    &discord_bot_token::RULE,
    &discord_client_id::RULE,
    &discord_client_secret::RULE,
    &discord_webhook_url::RULE,
    &telegram_bot_api_token::RULE,
    &microsoft_teams_webhook::RULE,
    &mattermost_access_token::RULE,
    &gitter_access_token::RULE,
    &twilio_api_key::RULE,
    &sendgrid_api_token::RULE,
    &sendinblue_api_token::RULE,
    &mailgun_private_api_token::RULE,
    &mailchimp_api_key::RULE,
    &messagebird_api_token::RULE,
    &messagebird_client_id::RULE,
    &intercom_api_key::RULE,
    &zendesk_secret_key::RULE,
    &stripe_access_token::RULE,
    &square_access_token::RULE,
    &square_secret::RULE,
    &paypal_braintree_access_token::RULE,
    &shopify_access_token::RULE,
    &flutterwave_secret_key::RULE,
    &gocardless_api_token::RULE,
    &coinbase_access_token::RULE,
    &plaid_secret_key::RULE,
    &kraken_access_token::RULE,
    &kucoin_secret_key::RULE,
    &bittrex_access_key::RULE,
    &npm_access_token::RULE,
    &pypi_upload_token::RULE,
    &rubygems_api_token::RULE,
    &nuget_api_key::RULE,
    &nuget_config_password::RULE,
    &clojars_api_token::RULE,
    &docker_hub_pat::RULE,
    &docker_config_auth::RULE,
    &openai_api_key::RULE,
    &anthropic_api_key::RULE,
    &anthropic_admin_api_key::RULE,
    &perplexity_api_key::RULE,
    &huggingface_access_token::RULE,
    &huggingface_organization_api_token::RULE,
    &cohere_api_token::RULE,
    &databricks_api_token::RULE,
    &privateai_api_token::RULE,
    &clickhouse_cloud_api_secret_key::RULE,
    &datadog_access_token::RULE,
    &new_relic_api_key::RULE,
    &sentry_org_token::RULE,
    &sentry_user_token::RULE,
    &grafana_cloud_api_token::RULE,
    &grafana_service_account_token::RULE,
    &dynatrace_api_token::RULE,
    &sumologic_access_id::RULE,
    &sumologic_access_token::RULE,
    &okta_access_token::RULE,
    &openshift_user_token::RULE,
    &onepassword_secret_key::RULE,
    &onepassword_service_account_token::RULE,
    &age_secret_key::RULE,
    &flyio_access_token::RULE,
    &notion_api_token::RULE,
    &infracost_api_token::RULE,
    &intra42_client_secret::RULE,
    &scalingo_api_token::RULE,
    &readme_api_token::RULE,
    &linear_api_key::RULE,
    &hubspot_api_key::RULE,
    &netlify_access_token::RULE,
    &fastly_api_token::RULE,
    &etsy_access_token::RULE,
    &cisco_meraki_api_key::RULE,
    &beamer_api_token::RULE,
    &easypost_api_token::RULE,
    &twitter_bearer_token::RULE,
    &twitter_api_secret::RULE,
    &facebook_secret::RULE,
    &facebook_access_token::RULE,
    &facebook_page_access_token::RULE,
    &launchdarkly_access_token::RULE,
    &mapbox_api_token::RULE,
    &planetscale_token::RULE,
    &shippo_api_token::RULE,
    &typeform_api_token::RULE,
    &frameio_api_token::RULE,
    &duffel_api_token::RULE,
    &adafruit_api_key::RULE,
    &airtable_api_key::RULE,
    &algolia_api_key::RULE,
    &asana_client_secret::RULE,
    &contentful_delivery_api_token::RULE,
    &confluent_secret_key::RULE,
    &dropbox_api_token::RULE,
    &yandex_api_key::RULE,
    &settlemint_token::RULE,
    &authress_service_client_access_key::RULE,
    &sidekiq_secret::RULE,
    &sidekiq_sensitive_url::RULE,
    &private_key::RULE,
    &jwt::RULE,
    &curl_auth_user::RULE,
    &curl_auth_header::RULE,
    &url_credentials::RULE,
    &generic_api_key::RULE,
];

/// Metadata of the built-in rules, for `palisade rules`.
pub fn rules() -> Vec<&'static RuleMeta> {
    ALL.iter().map(|r| &r.meta).collect()
}
