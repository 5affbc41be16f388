//! The mock's accept loop: HTTP/1 connections with a header-read timeout, a ceiling on open
//! connections, and a way for an injected fault to reset a connection.
//!
//! `axum::serve` (axum 0.8) builds its hyper connections without a timer, so hyper's header
//! timeout never runs and a client that sends headers slowly holds its connection forever;
//! it offers no way to configure the connection builder. This loop uses hyper's HTTP/1
//! builder with tokio's timer instead.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt as _;

/// What the accept loop allows a client.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnectionLimits {
    /// How long a client may take to send a request's headers (and how long an idle
    /// keep-alive connection stays open).
    pub(crate) header_read_timeout: Duration,
    /// Open connections at most; further clients wait in the listen backlog.
    pub(crate) max_connections: usize,
}

/// Asks the accept loop to reset the request's connection (TCP RST, no response). Found in the
/// request's extensions when the request came through [`serve`].
#[derive(Debug, Clone)]
pub(crate) struct ResetHandle(Arc<AtomicBool>);

impl ResetHandle {
    /// Resets the connection at its next read or write.
    pub(crate) fn trigger(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// A TCP stream that fails every read and write once its reset flag is set, after setting
/// `SO_LINGER` to 0 so that closing it sends RST.
struct ResettableStream {
    inner: TcpStream,
    reset: Arc<AtomicBool>,
}

impl ResettableStream {
    fn check(&self) -> io::Result<()> {
        if self.reset.load(Ordering::SeqCst) {
            // Best effort: without it the close is a FIN, still a connection lost mid-request.
            let _ = self.inner.set_zero_linger();
            return Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "credkit mock fault: reset",
            ));
        }
        Ok(())
    }
}

impl AsyncRead for ResettableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for ResettableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Serves `app` on `listener` until the task is dropped.
pub(crate) async fn serve(listener: TcpListener, app: Router, limits: ConnectionLimits) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) => {
                // Out of file descriptors and the like: wait instead of spinning.
                tracing::warn!(%error, "mock cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let reset = Arc::new(AtomicBool::new(false));
        let handle = ResetHandle(Arc::clone(&reset));
        let io = TokioIo::new(ResettableStream {
            inner: stream,
            reset,
        });
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(handle.clone());
            app.clone().oneshot(request.map(Body::new))
        });
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read_timeout);
            if let Err(error) = builder.serve_connection(io, service).await {
                tracing::debug!(%error, "mock connection ended");
            }
            drop(slot);
        });
    }
}
