"""monitoring → a `ServiceMonitor` per service that exposes metrics, and a `PrometheusRule` with
the basic alerts where the overlay turns alerts on (prod).

The platform's Prometheus selects every ServiceMonitor, PodMonitor and PrometheusRule (its chart
values say so), so these carry no release label; the guardrails already admit scrapes from the
monitoring namespace. The alerts only use kube-state-metrics, kubelet and `up`, which the
kube-prometheus-stack always provides, plus CloudNativePG's exporter when there is a database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infraforge.render.capabilities.common import custom_resource, enabled, source_of
from infraforge.render.meta import WAVE_WORKLOADS
from infraforge.render.workloads import metrics_port_name, selector_labels

if TYPE_CHECKING:
    from infraforge.resolve.units import ResolvedService, Unit

API = "monitoring.coreos.com/v1"


def render(unit: Unit) -> list[dict[str, Any]]:
    settings = unit.settings["monitoring"]
    if not settings["enabled"]:
        return []
    objects = [service_monitor(unit, s) for s in unit.services if s.settings["metrics"]["enabled"]]
    if settings["alerts"]:
        objects.append(alert_rules(unit))
    return objects


def service_monitor(unit: Unit, service: ResolvedService) -> dict[str, Any]:
    endpoint = {"port": metrics_port_name(service), "path": service.settings["metrics"]["path"],
                "interval": "30s"}
    spec = {"selector": {"matchLabels": selector_labels(service)},
            "namespaceSelector": {"matchNames": [unit.namespace]}, "endpoints": [endpoint]}
    return custom_resource(unit, API, "ServiceMonitor", service.name, service.file, spec,
                           WAVE_WORKLOADS)


def _alert(name: str, expr: str, wait: str, severity: str, summary: str) -> dict[str, Any]:
    return {"alert": name, "expr": expr, "for": wait, "labels": {"severity": severity},
            "annotations": {"summary": summary}}


def alert_rules(unit: Unit) -> dict[str, Any]:
    ns = f'namespace="{unit.namespace}"'
    rules = [
        _alert("TargetDown", f"up{{{ns}}} == 0", "5m", "critical",
               "A scrape target in {{ $labels.namespace }} has been down for 5 minutes"),
        _alert("DeploymentReplicasUnavailable",
               f"kube_deployment_status_replicas_unavailable{{{ns}}} > 0", "10m", "warning",
               "Deployment {{ $labels.deployment }} is missing replicas"),
        _alert("PodCrashLooping",
               f"increase(kube_pod_container_status_restarts_total{{{ns}}}[15m]) > 3", "5m",
               "warning", "Pod {{ $labels.pod }} keeps restarting"),
        _alert("VolumeFillingUp",
               f"kubelet_volume_stats_available_bytes{{{ns}}}"
               f" / kubelet_volume_stats_capacity_bytes{{{ns}}} < 0.1", "15m", "warning",
               "Volume {{ $labels.persistentvolumeclaim }} is over 90% full"),
        _alert("QuotaNearlyExhausted",
               f'kube_resourcequota{{{ns},type="used"}}'
               f' / ignoring(type) kube_resourcequota{{{ns},type="hard"}} > 0.9', "15m",
               "warning", "{{ $labels.resource }} is over 90% of the namespace quota"),
    ]
    if enabled(unit, "database"):
        rules.append(_alert("DatabaseDown", f"cnpg_collector_up{{{ns}}} == 0", "5m", "critical",
                            "PostgreSQL instance {{ $labels.pod }} is down"))
    spec = {"groups": [{"name": f"{unit.namespace}.basic", "rules": rules}]}
    return custom_resource(unit, API, "PrometheusRule", "tenant-alerts",
                           source_of(unit, "monitoring", "alerts"), spec, WAVE_WORKLOADS)
