//! The blocking entry point for `palisade admission serve`: a runtime, signals, the server.

use crate::server::{ControllerSlot, Server};
use crate::{ServerConfig, WebhookError};

/// Serves on a multi-threaded runtime of `cfg.worker_threads` workers until SIGTERM (what
/// the kubelet sends on pod deletion) or SIGINT, then shuts down gracefully: stop accepting,
/// finish in-flight requests. The kubelet keeps routing to a terminating pod for a few
/// seconds, so a `preStop` sleep in the Deployment is still advisable.
pub fn run(cfg: ServerConfig, controller: impl Into<ControllerSlot>) -> Result<(), WebhookError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cfg.worker_threads.max(1))
        .thread_name("palisade-webhook")
        .enable_all()
        .build()
        .map_err(WebhookError::Runtime)?;
    runtime.block_on(async {
        let server = Server::bind(cfg, controller).await?;
        let signals = shutdown_signal()?;
        eprintln!(
            "palisade-webhook: serving https://{} (POST /validate /mutate, GET /healthz /readyz /metrics)",
            server.local_addr()
        );
        server.serve(signals).await?;
        eprintln!("palisade-webhook: stopped");
        Ok(())
    })
}

/// Completes on the first SIGTERM or SIGINT. Registered before serving so that a signal
/// arriving during startup is not lost.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, WebhookError> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).map_err(WebhookError::Runtime)?;
        let mut int = signal(SignalKind::interrupt()).map_err(WebhookError::Runtime)?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {},
                _ = int.recv() => {},
            }
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
