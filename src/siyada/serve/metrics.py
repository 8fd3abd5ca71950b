"""Prometheus metrics, one registry per app so tests and several servers never collide."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("siyada_requests", "HTTP requests by route and status", ["route", "status"], registry=r)
        self.tokens = Counter("siyada_tokens", "Tokens processed by model and kind", ["model", "kind"], registry=r)
        self.latency = Histogram(
            "siyada_request_latency_seconds",
            "Request latency by route",
            ["route"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.ttft = Histogram(
            "siyada_time_to_first_token_seconds",
            "Time to first generated token by model",
            ["model"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.queue_depth = Gauge("siyada_queue_depth", "Requests waiting for a model", ["model"], registry=r)
        self.in_flight = Gauge("siyada_generations_in_flight", "Generations running", ["model"], registry=r)

    def render(self) -> bytes:
        return generate_latest(self.registry)
