//! One HTTP request: routing, body limits and deadlines, the review, the metrics.

use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode, Version};
use palisade_engine::admission::{BadReview, ReviewKind, Reviewed};
use tokio::time::Instant as TokioInstant;

use crate::metrics::Endpoint;
use crate::server::Shared;

type Resp = Response<Full<Bytes>>;

/// Answers one request and counts it.
pub(crate) async fn handle(shared: &Shared, req: Request<Incoming>) -> Resp {
    let start = Instant::now();
    let endpoint = match req.uri().path() {
        "/validate" => Endpoint::Validate,
        "/mutate" => Endpoint::Mutate,
        "/healthz" => Endpoint::Healthz,
        "/readyz" => Endpoint::Readyz,
        "/metrics" => Endpoint::Metrics,
        _ => Endpoint::Other,
    };
    let resp = match endpoint {
        Endpoint::Validate | Endpoint::Mutate if req.method() != Method::POST => {
            not_allowed("POST")
        }
        Endpoint::Validate => review(shared, ReviewKind::Validate, endpoint, req, start).await,
        Endpoint::Mutate => review(shared, ReviewKind::Mutate, endpoint, req, start).await,
        Endpoint::Other => text(StatusCode::NOT_FOUND, "not found\n"),
        _ if req.method() != Method::GET && req.method() != Method::HEAD => not_allowed("GET"),
        Endpoint::Healthz => text(StatusCode::OK, "ok\n"),
        Endpoint::Readyz => match shared.certs.check_valid() {
            // The controller is loaded by construction: a server cannot exist without one.
            Ok(()) => text(StatusCode::OK, "ok\n"),
            Err(why) => text(StatusCode::SERVICE_UNAVAILABLE, format!("{why}\n")),
        },
        Endpoint::Metrics => {
            let mut r = text(StatusCode::OK, shared.metrics.render(&shared.certs));
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            );
            r
        }
    };
    shared
        .metrics
        .request(endpoint, resp.status().as_u16(), start.elapsed());
    resp
}

/// `POST /validate` and `POST /mutate`.
async fn review(
    shared: &Shared,
    kind: ReviewKind,
    endpoint: Endpoint,
    req: Request<Incoming>,
    start: Instant,
) -> Resp {
    let cfg = &shared.cfg;
    let deadline = TokioInstant::from_std(start) + cfg.request_timeout;
    let http1 = req.version() < Version::HTTP_2;
    if !is_json(req.headers().get(header::CONTENT_TYPE)) {
        return text(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json\n",
        );
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > cfg.max_body as u64) {
        return closing(http1, too_large(cfg.max_body));
    }
    let body = Limited::new(req.into_body(), cfg.max_body).collect();
    let body = match tokio::time::timeout_at(deadline, body).await {
        Err(_) => {
            return closing(
                http1,
                text(
                    StatusCode::REQUEST_TIMEOUT,
                    "request body not received in time\n",
                ),
            )
        }
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
            return closing(http1, too_large(cfg.max_body))
        }
        Ok(Err(e)) => return text(StatusCode::BAD_REQUEST, format!("reading body: {e}\n")),
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    if body.is_empty() {
        return text(
            StatusCode::BAD_REQUEST,
            "empty body: expected an AdmissionReview\n",
        );
    }
    let controller = shared.controller.load();
    let outcome: Result<Result<Reviewed, BadReview>, Resp> = if cfg.review_on_blocking_pool {
        // Reviews are CPU-bound (0.3–3 ms with real policies). On the blocking pool they
        // cannot stall the two async workers that run TLS handshakes, probes and body reads
        // for every other connection; the hop costs tens of microseconds. Measured (debug
        // build, 2 workers, 15 HTTP/2 clients posting a Pod review of 0.14 ms plus one
        // polling /healthz, loaded 2-core machine): blocking pool 3,500–3,750 reviews/s,
        // review p99 9–10 ms, /healthz p50 2.2–2.5 ms; inline 3,280–3,420/s, p99 9.5–10 ms,
        // /healthz p50 4.1 ms. The gap widens as reviews get heavier.
        let (worker, body_for_job) = (controller.clone(), body.clone());
        let job = tokio::task::spawn_blocking(move || worker.review(kind, &body_for_job));
        // A well-formed review that cannot be evaluated (the thread died, the deadline
        // passed) is still answered with a review: the configured `onError` decides, with
        // the reason, instead of a 5xx the API server would only read as "webhook down".
        match tokio::time::timeout_at(deadline, job).await {
            Ok(Ok(r)) => Ok(r),
            Ok(Err(_)) => Ok(controller.unanswered(&body, "the evaluation failed unexpectedly")),
            Err(_) => Ok(controller.unanswered(
                &body,
                &format!(
                    "evaluation did not finish within the server's {} ms deadline",
                    cfg.request_timeout.as_millis()
                ),
            )),
        }
    } else {
        Ok(controller.review(kind, &body))
    };
    match outcome {
        Err(resp) => resp,
        Ok(Err(bad)) => text(StatusCode::BAD_REQUEST, format!("{bad}\n")),
        Ok(Ok(reviewed)) => {
            shared.metrics.decision(
                endpoint,
                reviewed.allowed,
                &reviewed.reason,
                reviewed.eval_errors,
            );
            match serde_json::to_vec(&reviewed.response) {
                Ok(json) => {
                    let mut r = Response::new(Full::new(Bytes::from(json)));
                    r.headers_mut().insert(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    );
                    r
                }
                Err(e) => text(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("encoding response: {e}\n"),
                ),
            }
        }
    }
}

/// `application/json`, with or without parameters (`; charset=utf-8`), any case.
fn is_json(v: Option<&HeaderValue>) -> bool {
    v.and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

fn too_large(max: usize) -> Resp {
    text(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("request body over {max} bytes\n"),
    )
}

/// Marks an HTTP/1.1 response as the connection's last: the rest of the body was not read,
/// so the connection cannot carry another request. (HTTP/2 resets just the stream.)
fn closing(http1: bool, mut r: Resp) -> Resp {
    if http1 {
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    r
}

fn not_allowed(allow: &'static str) -> Resp {
    let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
    r.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    r
}

fn text(status: StatusCode, body: impl Into<Bytes>) -> Resp {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}
