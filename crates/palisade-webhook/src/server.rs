//! Accepting connections: TLS handshake, HTTP/1.1 or HTTP/2 by ALPN, graceful shutdown.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use arc_swap::ArcSwap;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use palisade_engine::admission::Controller;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;

use crate::metrics::Metrics;
use crate::tls::{self, CertStore};
use crate::{handler, ServerConfig, WebhookError};

/// The controller answering reviews, replaceable while serving (configuration reload): each
/// request takes the controller current when it starts, so a swap never splits a review.
#[derive(Debug, Clone)]
pub struct ControllerSlot(Arc<ArcSwap<Controller>>);

impl ControllerSlot {
    pub fn new(controller: Arc<Controller>) -> Self {
        ControllerSlot(Arc::new(ArcSwap::new(controller)))
    }

    /// Serves `controller` from the next request on.
    pub fn store(&self, controller: Arc<Controller>) {
        self.0.store(controller);
    }

    /// The current controller.
    pub fn load(&self) -> Arc<Controller> {
        self.0.load_full()
    }
}

impl From<Arc<Controller>> for ControllerSlot {
    fn from(controller: Arc<Controller>) -> Self {
        ControllerSlot::new(controller)
    }
}

impl From<Controller> for ControllerSlot {
    fn from(controller: Controller) -> Self {
        ControllerSlot::new(Arc::new(controller))
    }
}

/// What every request handler shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub cfg: ServerConfig,
    pub controller: ControllerSlot,
    pub metrics: Metrics,
    pub certs: Arc<CertStore>,
}

/// A bound, not yet serving, webhook server. Binding first lets the caller learn the port
/// (`listen` port 0) and report startup errors before serving.
pub struct Server {
    listener: TcpListener,
    local_addr: SocketAddr,
    acceptor: TlsAcceptor,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("local_addr", &self.local_addr)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Loads the certificate and binds the listening socket.
    pub async fn bind(
        cfg: ServerConfig,
        controller: impl Into<ControllerSlot>,
    ) -> Result<Server, WebhookError> {
        let certs = CertStore::load(&cfg.tls_cert, &cfg.tls_key)?;
        if let Err(why) = certs.check_valid() {
            eprintln!(
                "palisade-webhook: warning: {why} ({})",
                cfg.tls_cert.display()
            );
        }
        let acceptor = TlsAcceptor::from(Arc::new(tls::server_config(&certs)?));
        let listener =
            TcpListener::bind(cfg.listen)
                .await
                .map_err(|source| WebhookError::Bind {
                    addr: cfg.listen,
                    source,
                })?;
        let local_addr = listener.local_addr().map_err(|source| WebhookError::Bind {
            addr: cfg.listen,
            source,
        })?;
        let shared = Arc::new(Shared {
            cfg,
            controller: controller.into(),
            metrics: Metrics::default(),
            certs,
        });
        Ok(Server {
            listener,
            local_addr,
            acceptor,
            shared,
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// A handle to swap the controller while serving.
    pub fn controller(&self) -> ControllerSlot {
        self.shared.controller.clone()
    }

    /// Serves until `shutdown` completes, then stops accepting, lets in-flight requests finish
    /// (HTTP/2 clients get GOAWAY, idle HTTP/1.1 connections close) for up to
    /// `shutdown_grace`, and returns.
    pub async fn serve(self, shutdown: impl Future<Output = ()>) -> Result<(), WebhookError> {
        let Server {
            listener,
            acceptor,
            shared,
            ..
        } = self;
        let cfg = &shared.cfg;
        let watcher = tokio::spawn(shared.certs.clone().watch(cfg.cert_poll_interval));
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(cfg.header_read_timeout);
        builder
            .http2()
            .timer(TokioTimer::new())
            .max_concurrent_streams(256);
        let builder = Arc::new(builder);
        let graceful = GracefulShutdown::new();
        let slots = Arc::new(Semaphore::new(cfg.max_connections.max(1)));
        tokio::pin!(shutdown);
        loop {
            let permit = tokio::select! {
                biased;
                () = &mut shutdown => break,
                p = slots.clone().acquire_owned() => match p {
                    Ok(p) => p,
                    Err(_) => break,
                },
            };
            let (tcp, _peer) = tokio::select! {
                biased;
                () = &mut shutdown => break,
                accepted = listener.accept() => match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // EMFILE and friends: back off instead of spinning.
                        eprintln!("palisade-webhook: accept: {e}");
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        continue;
                    }
                },
            };
            let _ = tcp.set_nodelay(true);
            let (acceptor, builder, shared) = (acceptor.clone(), builder.clone(), shared.clone());
            let watch = graceful.watcher();
            tokio::spawn(async move {
                let _permit = permit;
                let handshake = acceptor.accept(tcp);
                let tls =
                    match tokio::time::timeout(shared.cfg.header_read_timeout, handshake).await {
                        Ok(Ok(tls)) => tls,
                        // Handshake failures (scanners, clients not trusting the CA, slow lorises)
                        // are the client's problem and too frequent to log.
                        _ => return,
                    };
                let service = service_fn(move |req| {
                    let shared = shared.clone();
                    async move { Ok::<_, Infallible>(handler::handle(&shared, req).await) }
                });
                let conn = builder.serve_connection(TokioIo::new(tls), service);
                // Connection errors are resets and timeouts of individual clients.
                let _ = watch.watch(conn).await;
            });
        }
        drop(listener);
        watcher.abort();
        if tokio::time::timeout(shared.cfg.shutdown_grace, graceful.shutdown())
            .await
            .is_err()
        {
            eprintln!(
                "palisade-webhook: connections still open after {:?}; closing them",
                shared.cfg.shutdown_grace
            );
        }
        Ok(())
    }
}

/// Binds and serves until `shutdown` completes (see [`Server::serve`]).
pub async fn serve(
    cfg: ServerConfig,
    controller: impl Into<ControllerSlot>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), WebhookError> {
    Server::bind(cfg, controller).await?.serve(shutdown).await
}
