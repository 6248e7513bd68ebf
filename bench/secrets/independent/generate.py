#!/usr/bin/env python3
"""Generates Palisade's independent labelled secret set.

usage: bench/secrets/independent/generate.py OUT_DIR [--seed N]

Writes one file per case under OUT_DIR/{pos,neg}/PROVIDER/NNN.EXT and OUT_DIR/labels.jsonl
(one JSON object per case: path, label, provider, kind, line, note).

Every positive is a fresh random value in the format the provider documents (prefix, length,
alphabet, checksum where one is documented: GitHub's and npm's CRC32, Cloudflare's scannable
format, Azure's identifiable-key signatures), placed in a realistic file: an env file, YAML,
JSON, code, a Dockerfile, a shell script, a URL, an HTTP header. The `line` of a positive is
the line that holds the credential.

Negatives are what such files also hold and a scanner must leave alone: placeholders and
template references, masked and truncated values in prose, public identifiers that sit beside
the secret (client IDs, account SIDs, publishable keys, key IDs), hashes, UUIDs used as IDs,
identifiers and settings whose names mention the credential.

The formats come from the providers' documentation: SOURCES below names, per provider, the
page(s) each format was taken from (prefix, length, alphabet, checksum, where the value is
written), and the generator refuses to run for a provider without one. Nothing here is read
from Palisade's rules, so the set can show what the rules miss. Where a provider documents only
that a value is opaque (Entra refresh tokens, legacy Azure keys), the shape is the one its own
documentation or SDK samples show, and the source says so.
"""

import argparse
import base64
import json
import os
import random
import string
import zlib
from pathlib import Path

B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
ALNUM = string.ascii_letters + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"

R = random.Random()


def rs(alphabet, n):
    return "".join(R.choice(alphabet) for _ in range(n))


def mixed(alphabet, n):
    """A random string that has at least one digit and one letter (as real tokens do;
    an all-letter 20-char draw from base62 is rare but would be a poor test case)."""
    while True:
        s = rs(alphabet, n)
        if any(c.isdigit() for c in s) and any(c.isalpha() for c in s):
            return s


def b62(n, width):
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = B62[r] + out
    return out.rjust(width, "0")


def crc_token(prefix, body_len):
    """GitHub's and npm's format: prefix, random base62, then the CRC32 of the random part
    in 6 base62 digits (github.blog 2021-04-05, "Behind GitHub's new authentication token
    formats"; npm's 2021-09-23 announcement uses the same scheme)."""
    body = mixed(ALNUM, body_len)
    return prefix + body + b62(zlib.crc32(body.encode()) & 0xFFFFFFFF, 6)


def b64_bytes(n, alphabet_url=False):
    raw = bytes(R.getrandbits(8) for _ in range(n))
    return (base64.urlsafe_b64encode(raw) if alphabet_url else base64.b64encode(raw)).decode()


def uuid4():
    h = rs(HEX, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{R.choice('89ab')}{h[17:20]}-{h[20:]}"


def azure64(sig):
    """Azure identifiable 64-byte key: 76 base64 chars, the service signature, 5 more and
    one of [AQgw] then `==` (Microsoft security-utilities, Azure64ByteIdentifiableKey)."""
    return rs(B64, 76) + sig + rs(B64, 5) + R.choice("AQgw") + "=="


def azure32(sig):
    return rs(B64, 33) + sig + R.choice("ABCDEFGHIJKLMNOP") + rs(B64, 5) + "="


def jwt_like(payload):
    head = base64.urlsafe_b64encode(b'{"alg":"RS256","typ":"JWT"}').decode().rstrip("=")
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    return f"{head}.{body}.{b64_bytes(256, True).rstrip('=')}"


# ---------------------------------------------------------------------------------------
# Credential types: (provider, kind, generator, variable names a project would use, host)
# A generator returns the secret value; `ctx` is a dict the file templates may use.

def T(provider, kind, gen, names, host=None, header=None):
    return dict(provider=provider, kind=kind, gen=gen, names=names, host=host, header=header)


def gh_pat_fine():
    return "github_pat_" + mixed(ALNUM, 22) + "_" + mixed(ALNUM, 59)


def ghs_stateless():
    # 2026 format: ghs_APPID_JWT, ~520 characters (docs.github.com, installation tokens).
    return "ghs_" + str(R.randint(100000, 3999999)) + "_" + jwt_like(
        {"iss": "github", "inst": R.randint(10**7, 10**8), "exp": R.randint(1.7e9, 1.9e9), "p": rs(B64URL, 180)})


def slack_bot():
    return f"xoxb-{R.randint(10**10, 10**12)}-{R.randint(10**12, 10**13)}-{mixed(ALNUM, 24)}"


def slack_user():
    return f"xoxp-{R.randint(10**10, 10**12)}-{R.randint(10**10, 10**12)}-{R.randint(10**12, 10**13)}-{rs(HEX, 32)}"


def slack_app():
    return f"xapp-1-A{rs(UPPER_ALNUM, 10)}-{R.randint(10**12, 10**13)}-{rs(HEX, 64)}"


def azure_sas():
    sig = base64.b64encode(bytes(R.getrandbits(8) for _ in range(32))).decode()
    sig = sig.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    return f"sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2027-0{R.randint(1, 9)}-1{R.randint(0, 9)}T0{R.randint(0, 9)}:00:00Z&st=2026-01-01T00:00:00Z&spr=https&sig={sig}"


def entra_secret():
    return rs(ALNUM + "_~.-", 3) + R.choice("78") + "Q~" + rs(ALNUM + "_~.-", 34)


def entra_refresh():
    # Microsoft identity platform refresh tokens are opaque; observed v2 tokens start `0.A`
    # or `1.A` and run to several hundred URL-safe characters.
    return R.choice("01") + ".A" + mixed(B64URL, 400 + R.randint(0, 300))


def atlassian_token():
    body = mixed(B64URL, 180)
    return "ATATT3xFfGF0" + body + "=" + rs(HEX.upper(), 8)


def cf_scannable(prefix):
    # Cloudflare: prefix, 40 characters, then a checksum (token-formats page).
    return prefix + mixed(ALNUM, 40) + rs(ALNUM, 8)


def nr_license():
    return rs(HEX, 36) + "NRAL"


def twilio_pair():
    return "AC" + rs(HEX, 32), rs(HEX, 32)


def docker_auth():
    user = R.choice(["ci-bot", "deploy", "robot$ci", "jenkins"])
    pw = mixed(ALNUM, 24)
    return base64.b64encode(f"{user}:{pw}".encode()).decode()


def gcp_sa_key():
    pem = "\\n".join(rs(B64, 64) for _ in range(25))
    return "-----BEGIN PRIVATE KEY-----\\n" + pem + "\\n-----END PRIVATE KEY-----\\n"


def pem_key(kind):
    lines = [rs(B64, 64) for _ in range(20)] + [rs(B64, 40) + "=="]
    return f"-----BEGIN {kind}-----\n" + "\n".join(lines) + f"\n-----END {kind}-----"


TYPES = [
    # GitHub
    T("GitHub", "classic PAT", lambda: crc_token("ghp_", 30), ["GITHUB_TOKEN", "GH_TOKEN"], "api.github.com", "Authorization: token"),
    T("GitHub", "OAuth token", lambda: crc_token("gho_", 30), ["GITHUB_OAUTH_TOKEN"], "api.github.com", "Authorization: Bearer"),
    T("GitHub", "user-to-server token", lambda: crc_token("ghu_", 30), ["GITHUB_USER_TOKEN"], "api.github.com"),
    T("GitHub", "installation token", lambda: crc_token("ghs_", 30), ["GITHUB_APP_TOKEN", "INSTALLATION_TOKEN"], "api.github.com"),
    T("GitHub", "stateless installation token", ghs_stateless, ["GITHUB_APP_TOKEN", "GH_INSTALLATION_TOKEN"], "api.github.com"),
    T("GitHub", "refresh token", lambda: crc_token("ghr_", 70), ["GITHUB_REFRESH_TOKEN"]),
    T("GitHub", "fine-grained PAT", gh_pat_fine, ["GITHUB_PAT", "GH_PAT"], "api.github.com", "Authorization: Bearer"),
    T("GitHub", "OAuth app client secret", lambda: rs(HEX, 40), ["GITHUB_CLIENT_SECRET", "github_client_secret"]),
    # GitLab
    T("GitLab", "personal access token", lambda: "glpat-" + mixed(B64URL, 20), ["GITLAB_TOKEN", "CI_JOB_PAT"], "gitlab.com", "PRIVATE-TOKEN:"),
    T("GitLab", "runner token", lambda: "glrt-" + mixed(B64URL, 20), ["RUNNER_TOKEN"]),
    T("GitLab", "pipeline trigger token", lambda: "glptt-" + rs(HEX, 40), ["TRIGGER_TOKEN"]),
    # Slack
    T("Slack", "bot token", slack_bot, ["SLACK_BOT_TOKEN"], "slack.com", "Authorization: Bearer"),
    T("Slack", "user token", slack_user, ["SLACK_USER_TOKEN"], "slack.com"),
    T("Slack", "app-level token", slack_app, ["SLACK_APP_TOKEN"]),
    # Stripe
    T("Stripe", "secret key", lambda: "sk_live_" + mixed(ALNUM, 99), ["STRIPE_SECRET_KEY", "STRIPE_API_KEY"], "api.stripe.com", "Authorization: Bearer"),
    T("Stripe", "restricted key", lambda: "rk_live_" + mixed(ALNUM, 99), ["STRIPE_RESTRICTED_KEY"]),
    T("Stripe", "webhook signing secret", lambda: "whsec_" + mixed(ALNUM, 32), ["STRIPE_WEBHOOK_SECRET"]),
    # Azure / Microsoft Entra
    T("Azure", "storage key (identifiable)", lambda: azure64("+ASt"), ["AZURE_STORAGE_KEY", "storage_account_key"]),
    T("Azure", "storage key (legacy, outside AccountKey=)", lambda: b64_bytes(64), ["AZURE_STORAGE_KEY", "AZURE_STORAGE_ACCESS_KEY", "azure_storage_account_key"]),
    T("Azure", "SAS token", azure_sas, ["AZURE_STORAGE_SAS_TOKEN", "SAS_TOKEN"]),
    T("Azure", "Cosmos DB key", lambda: azure64("ACDb"), ["COSMOS_KEY", "AZURE_COSMOS_KEY"]),
    T("Azure", "Cosmos DB key (legacy)", lambda: b64_bytes(64), ["COSMOS_DB_KEY", "COSMOSDB_PRIMARY_KEY", "AZURE_COSMOS_KEY"]),
    T("Azure", "Entra client secret", entra_secret, ["AZURE_CLIENT_SECRET", "AAD_CLIENT_SECRET"]),
    T("Azure", "Entra refresh token", entra_refresh, ["AZURE_REFRESH_TOKEN", "refresh_token"]),
    T("Azure", "OpenAI key", lambda: rs(HEX, 32), ["AZURE_OPENAI_API_KEY", "AZURE_OPENAI_KEY"]),
    T("Azure", "Container Registry key", lambda: rs(ALNUM, 42) + "+ACR" + R.choice("ABCD") + rs(ALNUM, 5), ["ACR_PASSWORD", "REGISTRY_PASSWORD"]),
    T("Azure", "Function key", lambda: rs(B64URL, 44) + "AzFu" + rs(B64URL, 5) + R.choice("AQgw") + "==", ["AZURE_FUNCTION_KEY", "FUNCTIONS_KEY"]),
    T("Azure", "AI Search admin key", lambda: rs(ALNUM, 42) + "AzSe" + R.choice("ABCD") + rs(ALNUM, 5), ["AZURE_SEARCH_ADMIN_KEY", "SEARCH_API_KEY"]),
    T("Azure", "API Management key", lambda: azure64("APIM"), ["APIM_SUBSCRIPTION_KEY", "Ocp-Apim-Subscription-Key"]),
    T("Azure", "App Configuration connection string", lambda: b64_bytes(32), ["APP_CONFIG_CONNECTION_STRING"]),
    T("Azure", "Service Bus key", lambda: azure32("+ASb"), ["SERVICEBUS_KEY", "SERVICE_BUS_SHARED_ACCESS_KEY"]),
    T("Azure", "Event Grid key", lambda: rs(ALNUM, 33) + "AZEG" + rs(ALNUM, 6) + "=", ["EVENTGRID_KEY", "AEG_SAS_KEY"]),
    # Atlassian
    T("Atlassian", "API token", atlassian_token, ["JIRA_API_TOKEN", "CONFLUENCE_TOKEN", "ATLASSIAN_API_TOKEN"], "example.atlassian.net"),
    T("Atlassian", "Bitbucket app password", lambda: "ATBB" + mixed(ALNUM, 32), ["BITBUCKET_APP_PASSWORD"]),
    # Cloudflare
    T("Cloudflare", "user API token (cfut_)", lambda: cf_scannable("cfut_"), ["CLOUDFLARE_API_TOKEN", "CF_API_TOKEN"], "api.cloudflare.com", "Authorization: Bearer"),
    T("Cloudflare", "account API token (cfat_)", lambda: cf_scannable("cfat_"), ["CLOUDFLARE_ACCOUNT_TOKEN"]),
    T("Cloudflare", "global API key (cfk_)", lambda: cf_scannable("cfk_"), ["CLOUDFLARE_API_KEY", "CF_API_KEY"]),
    T("Cloudflare", "global API key (legacy)", lambda: rs(HEX, 37), ["CLOUDFLARE_API_KEY", "CF_API_KEY", "X-Auth-Key"]),
    # New Relic
    T("New Relic", "user API key", lambda: "NRAK-" + mixed(UPPER_ALNUM, 27), ["NEW_RELIC_API_KEY", "NEWRELIC_API_KEY"]),
    T("New Relic", "license (ingest) key", nr_license, ["NEW_RELIC_LICENSE_KEY", "license_key"]),
    T("New Relic", "insert key", lambda: "NRII-" + mixed(B64URL, 32), ["NEW_RELIC_INSERT_KEY"]),
    T("New Relic", "browser key", lambda: "NRJS-" + rs(HEX, 19), ["NEW_RELIC_BROWSER_KEY"]),
    T("New Relic", "REST API key", lambda: "NRRA-" + rs(HEX, 42), ["NEW_RELIC_REST_API_KEY"]),
    T("New Relic", "admin key", lambda: "NRAA-" + rs(HEX, 27), ["NEW_RELIC_ADMIN_KEY"]),
    T("New Relic", "Insights query key", lambda: "NRIQ-" + mixed(B64URL, 32), ["NEW_RELIC_QUERY_KEY"]),
    # Twilio
    T("Twilio", "auth token (with account SID)", None, ["TWILIO_AUTH_TOKEN"]),
    T("Twilio", "API key secret (with its SK key SID)", None, ["TWILIO_API_SECRET"]),
    # HashiCorp
    T("HashiCorp Vault", "AppRole secret ID", uuid4, ["VAULT_SECRET_ID", "approle_secret_id", "VAULT_APPROLE_SECRET_ID"]),
    T("HashiCorp Vault", "service token", lambda: "hvs." + mixed(B64URL, 90), ["VAULT_TOKEN"]),
    T("HashiCorp Vault", "batch token", lambda: "hvb." + mixed(B64URL, 138), ["VAULT_TOKEN"]),
    T("HashiCorp Terraform Cloud", "API token", lambda: mixed(ALNUM, 14) + ".atlasv1." + mixed(ALNUM, 67), ["TFE_TOKEN", "TF_TOKEN_app_terraform_io"]),
    # AWS
    T("AWS", "access key ID", lambda: "AKIA" + rs("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16), ["AWS_ACCESS_KEY_ID"]),
    T("AWS", "secret access key", lambda: mixed(B64, 40), ["AWS_SECRET_ACCESS_KEY", "aws_secret_access_key"]),
    T("AWS", "AppSync API key", lambda: "da2-" + mixed(LOWER_ALNUM, 26), ["APPSYNC_API_KEY", "AWS_APPSYNC_API_KEY", "x-api-key"]),
    # Google
    T("Google Cloud", "API key", lambda: "AIza" + mixed(B64URL, 35), ["GOOGLE_API_KEY", "MAPS_API_KEY"]),
    T("Google Cloud", "OAuth client secret", lambda: "GOCSPX-" + mixed(B64URL, 28), ["GOOGLE_CLIENT_SECRET"]),
    T("Google Cloud", "application-default credentials (refresh token)", lambda: "1//0" + mixed(B64URL, 99), ["refresh_token"]),
    T("Google Cloud", "service account key", gcp_sa_key, ["private_key"]),
    # Docker
    T("Docker", "config.json auths", docker_auth, ["auth"]),
    T("Docker", "auths JSON embedded in a string", docker_auth, ["DOCKER_AUTH_CONFIG"]),
    T("Docker", "Docker Hub PAT", lambda: "dckr_pat_" + mixed(B64URL, 27), ["DOCKERHUB_TOKEN", "DOCKER_PASSWORD"]),
    # Okta
    T("Okta", "API token", lambda: "00" + mixed(B64URL, 40), ["OKTA_API_TOKEN", "okta_token"], "dev-123456.okta.com", "Authorization: SSWS"),
    # AI providers
    T("OpenAI", "project key", lambda: "sk-proj-" + mixed(B64URL, 74) + "T3BlbkFJ" + mixed(B64URL, 74), ["OPENAI_API_KEY"], "api.openai.com", "Authorization: Bearer"),
    T("Anthropic", "API key", lambda: "sk-ant-api03-" + mixed(B64URL, 93) + "AA", ["ANTHROPIC_API_KEY"], "api.anthropic.com", "x-api-key:"),
    T("Hugging Face", "access token", lambda: "hf_" + rs(string.ascii_letters, 34), ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"]),
    T("Groq", "API key", lambda: "gsk_" + mixed(ALNUM, 52), ["GROQ_API_KEY"], "api.groq.com", "Authorization: Bearer"),
    T("Replicate", "API token", lambda: "r8_" + mixed(ALNUM, 37), ["REPLICATE_API_TOKEN"]),
    T("Perplexity", "API key", lambda: "pplx-" + mixed(ALNUM, 48), ["PERPLEXITY_API_KEY"]),
    T("xAI", "API key", lambda: "xai-" + mixed(ALNUM, 80), ["XAI_API_KEY"]),
    T("LangChain", "LangSmith API key", lambda: "lsv2_" + R.choice(["pt", "sk"]) + "_" + rs(HEX, 32) + "_" + rs(HEX, 10), ["LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"]),
    T("Pinecone", "API key", lambda: "pcsk_" + mixed(ALNUM, 5) + "_" + mixed(ALNUM, 63), ["PINECONE_API_KEY"]),
    T("Databricks", "PAT", lambda: "dapi" + rs(HEX, 32), ["DATABRICKS_TOKEN"]),
    # Package registries
    T("npm", "access token", lambda: crc_token("npm_", 30), ["NPM_TOKEN"], "registry.npmjs.org"),
    T("PyPI", "upload token", lambda: "pypi-AgEIcHlwaS5vcmc" + mixed(B64URL, 150), ["PYPI_TOKEN", "TWINE_PASSWORD"]),
    T("RubyGems", "API key", lambda: "rubygems_" + rs(HEX, 48), ["GEM_HOST_API_KEY"]),
    T("NuGet", "API key", lambda: "oy2" + mixed(LOWER_ALNUM, 43), ["NUGET_API_KEY"]),
    T("Clojars", "deploy token", lambda: "CLOJARS_" + rs(HEX, 60), ["CLOJARS_PASSWORD"]),
    # Messaging / email
    T("SendGrid", "API key", lambda: "SG." + mixed(B64URL, 22) + "." + mixed(B64URL, 43), ["SENDGRID_API_KEY"]),
    T("Mailgun", "API key", lambda: "key-" + rs(HEX, 32), ["MAILGUN_API_KEY"]),
    T("Mailchimp", "API key", lambda: rs(HEX, 32) + "-us" + str(R.randint(1, 21)), ["MAILCHIMP_API_KEY"]),
    T("Brevo", "API key", lambda: "xkeysib-" + rs(HEX, 64) + "-" + mixed(ALNUM, 16), ["BREVO_API_KEY", "SENDINBLUE_API_KEY"]),
    T("Telegram", "bot token", lambda: f"{R.randint(10**8, 10**10)}:AA{mixed(B64URL, 33)}", ["TELEGRAM_BOT_TOKEN"]),
    T("Discord", "bot token", lambda: R.choice("MN") + mixed(ALNUM, 25) + "." + mixed(B64URL, 6) + "." + mixed(B64URL, 38), ["DISCORD_TOKEN", "DISCORD_BOT_TOKEN"]),
    # Commerce / payments
    T("Shopify", "admin API access token", lambda: "shpat_" + rs(HEX, 32), ["SHOPIFY_ACCESS_TOKEN"]),
    T("Shopify", "app shared secret", lambda: "shpss_" + rs(HEX, 32), ["SHOPIFY_API_SECRET"]),
    T("Square", "access token", lambda: "EAAA" + mixed(B64URL, 60), ["SQUARE_ACCESS_TOKEN"]),
    T("Flutterwave", "secret key", lambda: "FLWSECK-" + rs(HEX, 32) + "-X", ["FLW_SECRET_KEY"]),
    T("Shippo", "live API token", lambda: "shippo_live_" + rs(HEX, 40), ["SHIPPO_API_KEY"]),
    T("Duffel", "live access token", lambda: "duffel_live_" + mixed(B64URL, 43), ["DUFFEL_ACCESS_TOKEN"]),
    T("EasyPost", "production API key", lambda: "EZAK" + rs(HEX, 54), ["EASYPOST_API_KEY"]),
    # Cloud / platforms
    T("DigitalOcean", "PAT", lambda: "dop_v1_" + rs(HEX, 64), ["DIGITALOCEAN_TOKEN", "DO_TOKEN"]),
    T("Heroku", "API key", lambda: "HRKU-AA" + mixed(B64URL, 58), ["HEROKU_API_KEY"]),
    T("Fly.io", "access token", lambda: "fo1_" + mixed(B64URL, 43), ["FLY_API_TOKEN"]),
    T("Alibaba Cloud", "AccessKey ID", lambda: "LTAI" + mixed(ALNUM, 20), ["ALIBABA_CLOUD_ACCESS_KEY_ID"]),
    T("Tencent Cloud", "SecretId", lambda: "AKID" + mixed(ALNUM, 32), ["TENCENTCLOUD_SECRET_ID"]),
    T("Supabase", "personal access token", lambda: "sbp_" + rs(HEX, 40), ["SUPABASE_ACCESS_TOKEN"]),
    T("Tailscale", "auth key", lambda: "tskey-auth-k" + mixed(ALNUM, 11) + "CNTRL-" + mixed(ALNUM, 33), ["TS_AUTHKEY", "TAILSCALE_AUTHKEY"]),
    T("PlanetScale", "service token", lambda: "pscale_tkn_" + mixed(B64URL, 43), ["PLANETSCALE_SERVICE_TOKEN"]),
    T("Doppler", "personal token", lambda: "dp.pt." + mixed(ALNUM, 43), ["DOPPLER_TOKEN"]),
    T("Pulumi", "access token", lambda: "pul-" + rs(HEX, 40), ["PULUMI_ACCESS_TOKEN"]),
    T("1Password", "service account token", lambda: "ops_eyJ" + mixed(B64, 250), ["OP_SERVICE_ACCOUNT_TOKEN"]),
    # Dev tools / observability
    T("Buildkite", "API access token", lambda: "bkua_" + rs(HEX, 40), ["BUILDKITE_API_TOKEN"]),
    T("CircleCI", "personal API token", lambda: "CCIPAT_" + mixed(ALNUM, 22) + "_" + rs(HEX, 40), ["CIRCLECI_TOKEN", "CIRCLE_TOKEN"]),
    T("Postman", "API key", lambda: "PMAK-" + rs(HEX, 24) + "-" + rs(HEX, 34), ["POSTMAN_API_KEY"]),
    T("Sentry", "org auth token", lambda: "sntrys_eyJ" + mixed(B64, 100) + "_" + mixed(B64, 43), ["SENTRY_AUTH_TOKEN"]),
    T("Sentry", "user auth token", lambda: "sntryu_" + rs(HEX, 64), ["SENTRY_AUTH_TOKEN"]),
    T("Grafana", "service account token", lambda: "glsa_" + mixed(ALNUM, 32) + "_" + rs(HEX, 8), ["GRAFANA_TOKEN"]),
    T("Datadog", "API key", lambda: rs(HEX, 32), ["DD_API_KEY", "DATADOG_API_KEY"]),
    T("Datadog", "application key", lambda: rs(HEX, 40), ["DD_APP_KEY", "DATADOG_APP_KEY"]),
    T("Dynatrace", "API token", lambda: "dt0c01." + rs(UPPER_ALNUM, 24) + "." + rs(UPPER_ALNUM, 64), ["DT_API_TOKEN"]),
    T("Sonar", "user token", lambda: "squ_" + rs(HEX, 40), ["SONAR_TOKEN"]),
    T("Snyk", "API token", uuid4, ["SNYK_TOKEN"]),
    T("Sourcegraph", "access token", lambda: "sgp_" + rs(HEX, 16) + "_" + rs(HEX, 40), ["SRC_ACCESS_TOKEN"]),
    T("JFrog", "reference token", lambda: "cmVmdGtuOjAxOj" + mixed(ALNUM, 50), ["ARTIFACTORY_TOKEN", "JFROG_ACCESS_TOKEN"]),
    T("Linear", "API key", lambda: "lin_api_" + mixed(ALNUM, 40), ["LINEAR_API_KEY"]),
    T("Notion", "integration token", lambda: "ntn_" + str(R.randint(10**10, 10**11)) + mixed(ALNUM, 35), ["NOTION_TOKEN"]),
    T("Airtable", "personal access token", lambda: "pat" + mixed(ALNUM, 14) + "." + rs(HEX, 64), ["AIRTABLE_TOKEN"]),
    T("Contentful", "management token", lambda: "CFPAT-" + mixed(B64URL, 43), ["CONTENTFUL_MANAGEMENT_TOKEN"]),
    T("Figma", "personal access token", lambda: "figd_" + mixed(B64URL, 40), ["FIGMA_TOKEN"]),
    T("HubSpot", "private app token", lambda: "pat-na1-" + uuid4(), ["HUBSPOT_ACCESS_TOKEN"]),
    T("Adafruit", "IO key", lambda: "aio_" + mixed(ALNUM, 28), ["ADAFRUIT_IO_KEY"]),
    T("Prefect", "API key", lambda: "pnu_" + mixed(ALNUM, 36), ["PREFECT_API_KEY"]),
    T("Infracost", "API key", lambda: "ico-" + mixed(ALNUM, 32), ["INFRACOST_API_KEY"]),
    T("Frame.io", "developer token", lambda: "fio-u-" + mixed(B64URL, 64), ["FRAMEIO_TOKEN"]),
    T("age", "secret key", lambda: "AGE-SECRET-KEY-1" + rs("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58), ["AGE_KEY"]),
    T("OpenSSH", "private key", lambda: pem_key("OPENSSH PRIVATE KEY"), ["id_ed25519"]),
    T("PostgreSQL", "password in a connection URL", lambda: mixed(ALNUM, 20), ["DATABASE_URL"]),
]


# ---------------------------------------------------------------------------------------
# Where each format comes from. Every provider of TYPES must have an entry (checked in main).
SOURCES = {
    "GitHub": [
        "https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/ (prefixes, base62, CRC32 checksum in 6 base62 digits)",
        "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats",
        "https://github.blog/changelog/2026-04 'Notice about upcoming new format for GitHub App installation tokens' (ghs_APPID_JWT, ~520 characters)",
        "https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps (OAuth app client secret: 40 hex characters as the settings page shows it)",
    ],
    "GitLab": ["https://docs.gitlab.com/security/tokens/#token-prefixes"],
    "Slack": ["https://api.slack.com/authentication/token-types (xoxb-, xoxp-, xapp-)"],
    "Stripe": ["https://docs.stripe.com/keys (sk_live_, rk_live_, pk_live_)", "https://docs.stripe.com/webhooks#verify-webhook-signatures (whsec_)"],
    "Azure": [
        "https://github.com/microsoft/security-utilities/blob/main/docs/ReleaseHistory.md and src/Microsoft.Security.Utilities.Core/IdentifiableSecrets.cs (identifiable keys: 64/32 random bytes in base64 with a service signature +ASt, ACDb, APIM, AzFu, AzSe, +ACR, +ASb, AZEG at a fixed offset)",
        "https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage (legacy storage keys: 64 bytes, base64, 88 characters)",
        "https://learn.microsoft.com/azure/cosmos-db/secure-access-to-data#primary-keys (Cosmos DB primary keys: 88-character base64)",
        "https://learn.microsoft.com/rest/api/storageservices/create-account-sas (SAS query: sv, ss, srt, sp, se, st, spr, sig = URL-encoded base64 HMAC-SHA256)",
        "https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials (client secrets; value shape `xxx8Q~...`, 40 characters, as the portal issues them)",
        "https://learn.microsoft.com/entra/identity-platform/refresh-tokens (refresh tokens are opaque; shape `0.A…`/`1.A…` as MSAL token caches show)",
        "https://learn.microsoft.com/azure/ai-services/openai/reference#authentication (32-hex api-key header)",
        "https://learn.microsoft.com/azure/azure-app-configuration/concept-key-value#connection-strings (Endpoint=…;Id=…;Secret=…)",
        "https://learn.microsoft.com/azure/service-bus-messaging/service-bus-sas (SharedAccessKey: 32 bytes base64)",
    ],
    "Atlassian": [
        "https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/ (API tokens; the page documents no format, so the shape, ATATT3xFfGF0 + ~180 base64url + `=` + 8 hex, is the one the page issues)",
        "https://support.atlassian.com/bitbucket-cloud/docs/app-passwords/ (ATBB prefix)",
    ],
    "Cloudflare": [
        "https://developers.cloudflare.com/fundamentals/api/get-started/token-formats/ (cfk_/cfut_/cfat_ + 40 characters + checksum)",
        "https://developers.cloudflare.com/fundamentals/api/get-started/keys/ (legacy global API key, 37 hex, X-Auth-Key header)",
    ],
    "New Relic": ["https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/ (license key 40 characters ending NRAL; NRAK user, NRII insert, NRIQ query, NRJS browser, NRAA admin, NRRA REST keys)"],
    "Twilio": ["https://www.twilio.com/docs/iam/api/authtoken (auth token: 32 hex)", "https://www.twilio.com/docs/glossary/what-is-a-sid (AC/MG/SK + 32 hex)",
               "https://www.twilio.com/docs/iam/api-keys (an API key is an SK SID and a 32-character secret)"],
    "HashiCorp Vault": [
        "https://developer.hashicorp.com/vault/docs/auth/approle (role_id and secret_id are UUIDs; `vault write auth/approle/login role_id=… secret_id=…`)",
        "https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes (hvs., hvb.)",
    ],
    "HashiCorp Terraform Cloud": ["https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens (<14>.atlasv1.<67>)"],
    "AWS": [
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids (AKIA + 16)",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html (40-character secret access key)",
        "https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#api-key-authorization (da2- API keys, x-api-key header)",
    ],
    "Google Cloud": [
        "https://cloud.google.com/docs/authentication/api-keys (AIza + 35)",
        "https://cloud.google.com/docs/authentication/application-default-credentials (authorized_user JSON with client_id, client_secret, refresh_token)",
        "https://developers.google.com/identity/protocols/oauth2 (GOCSPX- client secrets; 1// refresh tokens)",
        "https://cloud.google.com/iam/docs/keys-create-delete (service-account key JSON)",
    ],
    "Docker": [
        "https://docs.docker.com/reference/cli/docker/login/#credential-stores (config.json auths: base64 of user:password)",
        "https://docs.gitlab.com/ci/docker/using_docker_images/#access-an-image-from-a-private-container-registry (DOCKER_AUTH_CONFIG as a JSON string)",
        "https://kubernetes.io/docs/concepts/configuration/secret/#docker-config-secrets (.dockerconfigjson)",
        "https://docs.docker.com/security/for-developers/access-tokens/ (dckr_pat_)",
    ],
    "Okta": ["https://developer.okta.com/docs/guides/create-an-api-token/main/ (42-character token starting 00, `Authorization: SSWS <token>`)"],
    "OpenAI": ["https://platform.openai.com/docs/api-reference/authentication (sk-proj- keys)"],
    "Anthropic": ["https://docs.anthropic.com/en/api/overview#authentication (sk-ant-api03- keys, x-api-key header)"],
    "Hugging Face": ["https://huggingface.co/docs/hub/security-tokens (hf_ tokens)"],
    "Groq": ["https://console.groq.com/docs/quickstart (gsk_ keys)"],
    "Replicate": ["https://replicate.com/docs/topics/security/api-tokens (r8_ tokens)"],
    "Perplexity": ["https://docs.perplexity.ai/guides/getting-started (pplx- keys)"],
    "xAI": ["https://docs.x.ai/docs/overview (xai- keys)"],
    "LangChain": ["https://docs.smith.langchain.com/administration/how_to_guides/organization_management/create_account_api_key (lsv2_pt_/lsv2_sk_)"],
    "Pinecone": ["https://docs.pinecone.io/guides/projects/manage-api-keys (pcsk_ keys)"],
    "Databricks": ["https://docs.databricks.com/aws/en/dev-tools/auth/pat (dapi + 32 hex)"],
    "npm": ["https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/ (npm_ + 36 with CRC32)"],
    "PyPI": ["https://pypi.org/help/#apitoken (pypi- macaroons starting pypi-AgEIcHlwaS5vcmc)"],
    "RubyGems": ["https://guides.rubygems.org/api-key-scopes/ (rubygems_ + 48 hex)"],
    "NuGet": ["https://learn.microsoft.com/nuget/nuget-org/scoped-api-keys (oy2 + 43 lower-case)"],
    "Clojars": ["https://github.com/clojars/clojars-web/wiki/Deploy-Tokens (CLOJARS_ + 60 hex)"],
    "SendGrid": ["https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys (SG.<22>.<43>)"],
    "Mailgun": ["https://documentation.mailgun.com/docs/mailgun/api-reference/authentication (key- + 32 hex)"],
    "Mailchimp": ["https://mailchimp.com/developer/marketing/guides/quick-start/ (32 hex + -usNN data-center suffix)"],
    "Brevo": ["https://developers.brevo.com/docs/getting-started (xkeysib-)"],
    "Telegram": ["https://core.telegram.org/bots/api#authorizing-your-bot (<bot id>:AA…)"],
    "Discord": ["https://discord.com/developers/docs/reference#authentication (bot tokens: base64 user id . timestamp . HMAC)"],
    "Shopify": ["https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens (shpat_, shpss_ + 32 hex)"],
    "Square": ["https://developer.squareup.com/docs/build-basics/access-tokens (EAAA production tokens)"],
    "Flutterwave": ["https://developer.flutterwave.com/docs/authentication (FLWSECK- … -X)"],
    "Shippo": ["https://docs.goshippo.com/docs/guides_general/authentication/ (shippo_live_ + 40 hex)"],
    "Duffel": ["https://duffel.com/docs/api/overview/making-requests/authentication (duffel_live_)"],
    "EasyPost": ["https://docs.easypost.com/docs/authentication (EZAK production keys)"],
    "DigitalOcean": ["https://docs.digitalocean.com/reference/api/create-personal-access-token/ (dop_v1_ + 64 hex)"],
    "Heroku": ["https://devcenter.heroku.com/articles/authentication (HRKU- API keys)"],
    "Fly.io": ["https://fly.io/docs/security/tokens/ (fo1_ tokens)"],
    "Alibaba Cloud": ["https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair (LTAI AccessKey IDs)"],
    "Tencent Cloud": ["https://www.tencentcloud.com/document/product/598/32675 (AKID SecretId, 36 characters)"],
    "Supabase": ["https://supabase.com/docs/reference/api/introduction (sbp_ personal access tokens)"],
    "Tailscale": ["https://tailscale.com/kb/1085/auth-keys (tskey-auth-…-…)"],
    "PlanetScale": ["https://planetscale.com/docs/concepts/service-tokens (pscale_tkn_)"],
    "Doppler": ["https://docs.doppler.com/reference/auth-token-formats (dp.pt. + 43)"],
    "Pulumi": ["https://www.pulumi.com/docs/pulumi-cloud/access-management/access-tokens/ (pul- + 40 hex)"],
    "1Password": ["https://developer.1password.com/docs/service-accounts/ (ops_eyJ… service account tokens)"],
    "Buildkite": ["https://buildkite.com/docs/apis/managing-api-tokens (bkua_ + 40 hex)"],
    "CircleCI": ["https://circleci.com/docs/managing-api-tokens/ (CCIPAT_ personal tokens)"],
    "Postman": ["https://learning.postman.com/docs/developer/postman-api/authentication/ (PMAK-<24 hex>-<34 hex>)"],
    "Sentry": ["https://docs.sentry.io/account/auth-tokens/ (sntrys_ org tokens, sntryu_ user tokens)"],
    "Grafana": ["https://grafana.com/docs/grafana/latest/administration/service-accounts/ (glsa_ tokens)"],
    "Datadog": ["https://docs.datadoghq.com/account_management/api-app-keys/ (API key 32 hex, application key 40 hex)"],
    "Dynatrace": ["https://docs.dynatrace.com/docs/manage/identity-access-management/access-tokens-and-oauth-clients/access-tokens (dt0c01.<24>.<64>)"],
    "Sonar": ["https://docs.sonarsource.com/sonarqube-server/latest/user-guide/managing-tokens/ (squ_ user tokens)"],
    "Snyk": ["https://docs.snyk.io/snyk-api/authentication-for-api (API token: a UUID)"],
    "Sourcegraph": ["https://sourcegraph.com/docs/cli/how-tos/creating_an_access_token (sgp_<16 hex>_<40 hex>)"],
    "JFrog": ["https://jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens (reference tokens: base64 of reftkn:01:…)"],
    "Linear": ["https://linear.app/developers/graphql#personal-api-keys (lin_api_)"],
    "Notion": ["https://developers.notion.com/docs/authorization (ntn_ integration tokens)"],
    "Airtable": ["https://airtable.com/developers/web/guides/personal-access-tokens (pat<14>.<64 hex>)"],
    "Contentful": ["https://www.contentful.com/developers/docs/references/authentication/ (CFPAT- management tokens)"],
    "Figma": ["https://www.figma.com/developers/api#access-tokens (figd_ tokens)"],
    "HubSpot": ["https://developers.hubspot.com/docs/api/private-apps (pat-na1-<uuid>)"],
    "Adafruit": ["https://io.adafruit.com/api/docs/#authentication (aio_ keys)"],
    "Prefect": ["https://docs.prefect.io/v3/manage/cloud/manage-users/api-keys (pnu_ keys)"],
    "Infracost": ["https://www.infracost.io/docs/integrations/environment_variables/ (ico- keys)"],
    "Frame.io": ["https://developer.frame.io/docs/getting-started/authentication (fio-u- developer tokens)"],
    "age": ["https://age-encryption.org/v1 (AGE-SECRET-KEY-1 + Bech32)"],
    "OpenSSH": ["https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key (BEGIN OPENSSH PRIVATE KEY)"],
    "PostgreSQL": ["https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS (scheme://user:password@host)"],
}


# ---------------------------------------------------------------------------------------
# File templates. Each returns (filename, text, line of the secret).

def ctx_lines(pre, line, post):
    return pre + [line] + post, len(pre) + 1


def as_env(var, val):
    lines, n = ctx_lines(["# service settings", "APP_ENV=production", "LOG_LEVEL=info"], f"{var}={val}", ["PORT=8080"])
    return ".env", lines, n


def as_env_quoted(var, val):
    lines, n = ctx_lines(["NODE_ENV=production"], f'{var}="{val}"', ["TIMEOUT_SECONDS=30"])
    return "app.env", lines, n


def as_yaml(var, val):
    key = var.lower()
    lines, n = ctx_lines(["service:", "  name: billing", "  replicas: 2", "  credentials:"], f"    {key}: {val}", ["  region: eu-west-1"])
    return "config.yaml", lines, n


def as_json(var, val):
    key = var.lower()
    lines, n = ctx_lines(["{", '  "name": "worker",', '  "retries": 3,'], f'  "{key}": "{val}",', ['  "debug": false', "}"])
    return "settings.json", lines, n


def as_python(var, val):
    lines, n = ctx_lines(["import os", "import requests", ""], f'{var} = "{val}"', ["", "def client():", "    return requests.Session()"])
    return "settings.py", lines, n


def as_js(var, val):
    name = var.lower().split("_")
    name = name[0] + "".join(w.title() for w in name[1:])
    lines, n = ctx_lines(["'use strict';", "const axios = require('axios');"], f"const {name} = '{val}';", ["module.exports = { axios };"])
    return "config.js", lines, n


def as_shell(var, val):
    lines, n = ctx_lines(["#!/bin/sh", "set -eu"], f"export {var}={val}", ['exec "$@"'])
    return "entrypoint.sh", lines, n


def as_dockerfile(var, val):
    lines, n = ctx_lines(["FROM python:3.12-slim", "WORKDIR /app"], f"ENV {var}={val}", ["COPY . .", 'CMD ["python", "main.py"]'])
    return "Dockerfile", lines, n


def as_k8s(var, val):
    lines, n = ctx_lines(["apiVersion: v1", "kind: Secret", "metadata:", "  name: app-credentials", "type: Opaque", "stringData:"], f"  {var}: \"{val}\"", [])
    return "secret.yaml", lines, n


def as_go(var, val):
    name = "".join(w.title() for w in var.lower().split("_"))
    lines, n = ctx_lines(["package config", "", "const ("], f'\t{name} = "{val}"', [")"])
    return "config.go", lines, n


def as_header(t, val):
    host = t["host"] or "api.example-service.io"
    header = t["header"] or "Authorization: Bearer"
    lines, n = ctx_lines(["#!/bin/sh", "# nightly sync"], f'curl -sS -H "{header} {val}" https://{host}/v1/status', [])
    return "sync.sh", lines, n


PLAIN = [as_env, as_env_quoted, as_yaml, as_json, as_python, as_js, as_shell, as_dockerfile, as_k8s, as_go]


def positive_files(t):
    """Up to 7 realistic files carrying one fresh value each."""
    kind = t["kind"]
    out = []
    if t["provider"] == "Twilio" and kind.startswith("auth token"):
        for i in range(6):
            sid, tok = twilio_pair()
            f = R.choice([0, 1, 2])
            if f == 0:
                lines = ["# Twilio", f"TWILIO_ACCOUNT_SID={sid}", f"TWILIO_AUTH_TOKEN={tok}"]
                out.append((".env", lines, 3))
            elif f == 1:
                lines = ["from twilio.rest import Client", "", f'client = Client("{sid}", "{tok}")']
                out.append(("sms.py", lines, 3))
            else:
                lines = ["twilio:", f"  account_sid: {sid}", f"  auth_token: {tok}"]
                out.append(("twilio.yaml", lines, 3))
        return out
    if t["provider"] == "Twilio" and kind.startswith("API key secret"):
        # The SK… SID names the key (an identifier); the 32-character secret beside it is the
        # credential (twilio.com/docs/iam/api-keys).
        for i in range(6):
            sid, secret = "SK" + rs(HEX, 32), mixed(ALNUM, 32)
            if i % 2:
                out.append((".env", [f"TWILIO_API_KEY={sid}", f"TWILIO_API_SECRET={secret}"], 2))
            else:
                out.append(("sms.py", ["from twilio.rest import Client", "",
                                       f'client = Client("{sid}", "{secret}", account_sid=ACCOUNT_SID)'], 3))
        return out
    if kind == "config.json auths":
        for i in range(6):
            auth = t["gen"]()
            reg = R.choice(["https://index.docker.io/v1/", "ghcr.io", "registry.gitlab.com", "myregistry.azurecr.io", "quay.io"])
            lines = ["{", '  "auths": {', f'    "{reg}": {{', f'      "auth": "{auth}"', "    }", "  }", "}"]
            out.append(("config.json", lines, 4))
        return out
    if kind == "auths JSON embedded in a string":
        for i in range(6):
            auth = t["gen"]()
            reg = R.choice(["https://index.docker.io/v1/", "ghcr.io", "registry.example-corp.io:5000"])
            blob = '{"auths":{"' + reg + '":{"auth":"' + auth + '"}}}'
            esc = blob.replace('"', '\\"')
            f = i % 3
            if f == 0:
                out.append(("values.yaml", ["imagePullSecret:", f'  dockerconfigjson: "{esc}"'], 2))
            elif f == 1:
                out.append((".gitlab-ci.yml", ["variables:", f"  DOCKER_AUTH_CONFIG: '{blob}'"], 2))
            else:
                out.append(("deploy.json", ["{", f'  "registryAuth": "{esc}"', "}"], 2))
        return out
    if kind == "service account key":
        for i in range(5):
            proj = R.choice(["acme-prod", "billing-42", "data-lake-7"])
            lines = ["{", '  "type": "service_account",', f'  "project_id": "{proj}",', f'  "private_key_id": "{rs(HEX, 40)}",',
                     f'  "private_key": "{t["gen"]()}",', f'  "client_email": "ci@{proj}.iam.gserviceaccount.com"', "}"]
            # The key is the whole object: a finding on any of its lines names it.
            out.append(("sa.json", lines, list(range(2, 8))))
        return out
    if kind.startswith("application-default"):
        for i in range(6):
            tok = t["gen"]()
            secret = "GOCSPX-" + mixed(B64URL, 28)
            lines = ["{", f'  "account": "",', f'  "client_id": "{R.randint(10**11, 10**12)}-{rs(LOWER_ALNUM, 32)}.apps.googleusercontent.com",',
                     f'  "client_secret": "{secret}",', f'  "refresh_token": "{tok}",', '  "type": "authorized_user"', "}"]
            out.append(("application_default_credentials.json", lines, 5))
        return out
    if kind == "private key":
        for i in range(5):
            key = t["gen"]()
            lines = key.split("\n")
            out.append(("id_ed25519", lines, 1))
        return out
    if kind == "password in a connection URL":
        for i in range(6):
            pw = t["gen"]()
            scheme = R.choice(["postgres", "postgresql", "mysql", "mongodb+srv", "redis", "amqp"])
            host = R.choice(["db.internal", "10.0.3.12", "prod-db.cluster-c1x.eu-west-1.rds.amazonaws.com", "cache.prod.svc"])
            lines = ["APP_ENV=production", f"DATABASE_URL={scheme}://app_user:{pw}@{host}:5432/app"]
            out.append((".env", lines, 2))
        return out
    if kind == "AppRole secret ID":
        # Half of the cases are the login itself: role ID and secret ID on one command line.
        for i in range(3):
            lines = ["#!/bin/sh", "export VAULT_ADDR=https://vault.internal:8200",
                     f"vault write auth/approle/login role_id={uuid4()} secret_id={t['gen']()}"]
            out.append(("login.sh", lines, 3))
        for i in range(4):
            out.append(PLAIN[R.randint(0, len(PLAIN) - 1)](R.choice(t["names"]), t["gen"]()))
        return out
    if kind == "App Configuration connection string":
        for i in range(6):
            store = R.choice(["acme-config", "appcs-prod", "featureflags42"])
            cred = f"{rs(ALNUM, 4)}-{rs(ALNUM, 2)}-{rs(ALNUM, 2)}:{rs(ALNUM, 20)}"
            conn = f"Endpoint=https://{store}.azconfig.io;Id={cred};Secret={t['gen']()}"
            if i % 2:
                out.append(("appsettings.json", ["{", '  "ConnectionStrings": {', f'    "AppConfig": "{conn}"', "  }", "}"], 3))
            else:
                out.append((".env", ["ASPNETCORE_ENVIRONMENT=Production", f"APP_CONFIG_CONNECTION_STRING={conn}"], 2))
        return out
    if kind == "Entra refresh token":
        for i in range(6):
            tok = t["gen"]()
            f = i % 3
            if f == 0:
                out.append(("token_cache.json", ["{", '  "token_type": "Bearer",', f'  "refresh_token": "{tok}",', '  "scope": "https://graph.microsoft.com/.default offline_access"', "}"], 3))
            elif f == 1:
                out.append((".env", ["AZURE_TENANT_ID=" + uuid4(), f"AZURE_REFRESH_TOKEN={tok}"], 2))
            else:
                out.append(("msal.py", ["app = msal.PublicClientApplication(CLIENT_ID)", f'result = app.acquire_token_by_refresh_token("{tok}", scopes=SCOPES)'], 2))
        return out
    if kind == "SAS token":
        for i in range(7):
            tok = t["gen"]()
            acct = R.choice(["acmeprod", "logs2026", "mediastore"])
            f = i % 3
            if f == 0:
                out.append((".env", [f"AZURE_STORAGE_ACCOUNT={acct}", f"AZURE_STORAGE_SAS_TOKEN=?{tok}"], 2))
            elif f == 1:
                out.append(("upload.sh", ["#!/bin/sh", f'azcopy copy ./dist "https://{acct}.blob.core.windows.net/site?{tok}" --recursive'], 2))
            else:
                out.append(("appsettings.json", ["{", f'  "BlobSasUrl": "https://{acct}.blob.core.windows.net/uploads?{tok}"', "}"], 2))
        return out
    for i in range(7):
        val = t["gen"]()
        var = R.choice(t["names"])
        if i == 6 and (t["host"] or t["header"]):
            out.append(as_header(t, val))
            continue
        if "-" in var or var.islower():
            tmpl = R.choice([as_yaml, as_json])
        else:
            tmpl = PLAIN[(i + len(out) * 3 + R.randint(0, 9)) % len(PLAIN)]
        out.append(tmpl(var, val))
    return out


# ---------------------------------------------------------------------------------------
# Negatives.

PUBLIC_IDS = {
    # provider -> (variable, generator) pairs for values that are public by design.
    "GitHub": [("GITHUB_CLIENT_ID", lambda: "Iv1." + rs(HEX, 16)), ("GITHUB_APP_ID", lambda: str(R.randint(10**5, 10**7)))],
    "Stripe": [("STRIPE_PUBLISHABLE_KEY", lambda: "pk_live_" + mixed(ALNUM, 99))],
    "Azure": [("AZURE_CLIENT_ID", uuid4), ("AZURE_TENANT_ID", uuid4), ("AZURE_SUBSCRIPTION_ID", uuid4)],
    "Twilio": [("TWILIO_ACCOUNT_SID", lambda: "AC" + rs(HEX, 32)), ("TWILIO_MESSAGING_SERVICE_SID", lambda: "MG" + rs(HEX, 32)),
               ("TWILIO_API_KEY", lambda: "SK" + rs(HEX, 32))],
    "Google Cloud": [("GOOGLE_CLIENT_ID", lambda: f"{R.randint(10**11, 10**12)}-{rs(LOWER_ALNUM, 32)}.apps.googleusercontent.com")],
    "AWS": [("AWS_ACCOUNT_ID", lambda: str(R.randint(10**11, 10**12))), ("AWS_ROLE_ARN", lambda: f"arn:aws:iam::{R.randint(10**11, 10**12)}:role/deploy")],
    "HashiCorp Vault": [("VAULT_ROLE_ID", uuid4), ("VAULT_ADDR", lambda: "https://vault.internal:8200")],
    "Okta": [("OKTA_CLIENT_ID", lambda: "0oa" + mixed(ALNUM, 17))],
    "Cloudflare": [("CLOUDFLARE_ACCOUNT_ID", lambda: rs(HEX, 32)), ("CLOUDFLARE_ZONE_ID", lambda: rs(HEX, 32))],
    "New Relic": [("NEW_RELIC_ACCOUNT_ID", lambda: str(R.randint(10**6, 10**7))), ("NEW_RELIC_APP_NAME", lambda: "billing-api")],
    "Datadog": [("DD_SITE", lambda: "datadoghq.eu"), ("DD_SERVICE", lambda: "checkout")],
    "Slack": [("SLACK_CHANNEL_ID", lambda: "C0" + rs(UPPER_ALNUM, 9)), ("SLACK_TEAM_ID", lambda: "T0" + rs(UPPER_ALNUM, 9))],
    "Atlassian": [("JIRA_BASE_URL", lambda: "https://acme.atlassian.net"), ("JIRA_USER", lambda: "ci@acme.io")],
    "Docker": [("DOCKER_USERNAME", lambda: "acmebot"), ("DOCKER_REGISTRY", lambda: "ghcr.io")],
    "Sentry": [("SENTRY_DSN", lambda: f"https://{rs(HEX, 32)}@o{R.randint(10**5, 10**6)}.ingest.sentry.io/{R.randint(10**6, 10**7)}")],
    "Mapbox": [],
}


def masked(val):
    keep = max(3, min(8, len(val) // 6))
    return val[:keep] + "*" * 16


def documented_prefix(sample):
    """The literal part a provider puts in front of the random part (`ghp_`, `NRAK-`, `dp.pt.`):
    up to the first separator when what precedes it is a short word."""
    for sep in ("_", "-", "."):
        head = sample.split(sep)[0]
        if sep in sample and len(head) <= 8 and head.isalnum() and not head.isdigit():
            return head + sep
    return ""


def wrong_charset(body):
    """The same length with characters outside a token alphabet: the shape of a value that a
    format check must reject (a hex body with non-hex letters, a base62 body with `.` and `!`)."""
    if all(c in HEX for c in body):
        return "".join(R.choice("ghijklmnopqrstuvwxyz") if c.isalpha() else c for c in body)
    out = list(body)
    for i in range(2, len(out), 5):
        out[i] = R.choice("!.$")
    return "".join(out)


VARIABLE_LENGTH = {("GitHub", "stateless installation token"), ("Azure", "Entra refresh token"), ("Atlassian", "API token"),
                   ("Sentry", "org auth token"), ("Google Cloud", "service account key"), ("OpenSSH", "private key"),
                   ("PostgreSQL", "password in a connection URL"), ("Azure", "SAS token")}


def negative_files(t, count):
    """`count` negatives for a credential type: lookalikes a scanner must not report.

    Two pools: near-misses of the value itself (placeholders, documentation examples, wrong
    length or alphabet in a format validator's tests, masked and truncated copies, digests and
    UUIDs where the credential would sit) and near-misses of its context (references, lookups
    and settings whose names mention the credential). Most cases come from the first pool."""
    var = t["names"][0]
    # The two Twilio pair types have no single-value generator: an auth token is 32 hex, an API
    # key secret 32 alphanumerics.
    sample = t["gen"]() if t["gen"] else (rs(HEX, 32) if t["kind"].startswith("auth token") else mixed(ALNUM, 32))
    prefix = documented_prefix(sample)
    head = prefix or sample[:4]
    body = sample[len(prefix):]
    low = var.lower()
    near = []
    near.append(("docs: xxx placeholder", as_env(var, head + "x" * max(8, len(sample) - len(head)))))
    near.append(("docs: EXAMPLE value", ("README.md", ["## Configuration", "", "```sh", f"export {var}={sample[:-7]}EXAMPLE", "```"], 4)))
    near.append(("docs: sequential placeholder", as_yaml(var, head + ("1234567890abcdef" * 12)[: max(8, len(body))])))
    near.append(("docs: truncated value", ("README.md", ["## Configuration", "", f"Set `{var}` to the key from the dashboard; it starts with `{head}` and", f"looks like `{sample[:max(6, len(prefix) + 4)]}...`."], 4)))
    near.append(("masked value in a log", ("deploy.log", ["2026-01-04T10:00:01Z loaded credentials", f"2026-01-04T10:00:02Z {var}={masked(sample)} (masked)"], 2)))
    near.append(("digest of the credential", as_json(low + "_sha256", rs(HEX, 64))))
    near.append(("UUID as a resource ID", ("deployment.yaml", ["apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: api", f"  uid: {uuid4()}", "  annotations:", f"    secret-checksum: {rs(HEX, 40)}"], 5)))
    near.append(("lockfile integrity hash", ("package-lock.json", ["{", '  "packages": {', f'    "node_modules/{low.split("_")[0]}-sdk": {{', '      "version": "4.2.1",',
                 f'      "integrity": "sha512-{b64_bytes(64)}"', "    }", "  }", "}"], 5)))
    # Truncation is a near-miss only where the documentation fixes the length; Stripe keys,
    # macaroons, JWT-shaped and opaque tokens vary in length, so half of one is no evidence.
    if len(body) >= 16 and (t["provider"], t["kind"]) not in VARIABLE_LENGTH and t["provider"] not in ("Stripe", "PyPI", "1Password"):
        short = prefix + body[: len(body) // 2]
        near.append(("wrong length in a validator test", ("test_tokens.py", ["import pytest", "from app.tokens import looks_like_token", "",
                     "def test_rejects_truncated_token():", f'    assert not looks_like_token("{short}")'], 5)))
        near.append(("wrong alphabet in a validator test", ("test_tokens.py", ["from app.tokens import looks_like_token", "",
                     "def test_rejects_bad_characters():", f'    assert not looks_like_token("{prefix + wrong_charset(body)}")'], 4)))
    for pv, gen in PUBLIC_IDS.get(t["provider"], []):
        near.append(("public identifier", as_env(pv, gen())))
    ctx = []
    ctx.append(("placeholder", as_env(var, f"<your-{low.replace('_', '-')}>")))
    ctx.append(("template reference", as_yaml(var, "${" + var + "}")))
    ctx.append(("CI secret reference", (".github/workflows/ci.yml", ["jobs:", "  test:", "    env:", f"      {var}: ${{{{ secrets.{var} }}}}"], 4)))
    ctx.append(("runtime lookup", as_python(var + "_NAME", var)))
    ctx.append(("environment read", ("settings.py", ["import os", f'{low} = os.environ["{var}"]'], 2)))
    ctx.append(("setting about the credential", as_yaml(var + "_TTL", str(R.choice([3600, 86400, 900])))))
    ctx.append(("identifier", as_js(var + "_HEADER", "X-" + "-".join(w.title() for w in var.split("_")))))
    ctx.append(("commit SHA", ("Makefile", ["# pinned", f"SDK_COMMIT := {rs(HEX, 40)}", "build:", "\tgo build ./..."], 2)))
    R.shuffle(near)
    R.shuffle(ctx)
    n_near = min(len(near), count - count // 3)
    return near[:n_near] + ctx[: count - n_near]


def write_case(root, label, t, idx, case, note, labels):
    fname, lines, line = case
    prov = "".join(c if c.isalnum() else "-" for c in t["provider"].lower()).strip("-")
    kind = "".join(c if c.isalnum() else "-" for c in t["kind"].lower()).strip("-")
    rel = Path(label) / prov / f"{kind}-{idx:02d}" / fname
    p = Path(root) / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text("\n".join(lines) + "\n")
    lines_ok = (line if isinstance(line, list) else [line]) if label == "pos" else None
    labels.append(dict(path=str(rel), label=label, provider=t["provider"], kind=t["kind"], lines=lines_ok, note=note))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20261201)
    a = ap.parse_args()
    R.seed(a.seed)
    undocumented = sorted({t["provider"] for t in TYPES} - set(SOURCES))
    if undocumented:
        raise SystemExit(f"no documentation source for: {', '.join(undocumented)}")
    labels = []
    for t in TYPES:
        for i, case in enumerate(positive_files(t)):
            write_case(a.out, "pos", t, i, case, "documented format", labels)
        for i, (note, case) in enumerate(negative_files(t, 7)):
            write_case(a.out, "neg", t, i, case, note, labels)
    with open(Path(a.out) / "labels.jsonl", "w") as f:
        for l in labels:
            f.write(json.dumps(l) + "\n")
    pos = sum(1 for l in labels if l["label"] == "pos")
    provs = {l["provider"] for l in labels}
    print(f"{pos} positives, {len(labels) - pos} negatives, {len(provs)} providers, {len(TYPES)} credential types -> {a.out}")


if __name__ == "__main__":
    main()
