"""The deployment files: Dockerfile, deploy/ (Kubernetes, Kustomize) and compose.yaml.

No Docker engine or cluster is needed: the Kubernetes objects are rendered with
`kubectl kustomize` (where kubectl is installed; the base is also read file by
file without it) and validated offline against the Kubernetes JSON schemas that
kubernetes-validate bundles, in strict mode (an unknown or misspelt field is an
error). compose.yaml is validated against the Compose Specification's schema.
On top of the schemas, the `*_problems` functions check what this service
promises (non-root, read-only root, probes, secrets not written in, ...), and
each check is shown to fail on a manifest broken in that one way.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
KUBECTL = shutil.which("kubectl")
# The oldest Kubernetes version the manifests are meant for (HPA autoscaling/v2,
# PDB policy/v1 and the namespace Pod Security labels are all older) and the
# newest whose schemas kubernetes-validate bundles.
K8S_VERSIONS = ("1.30.0", "1.37.0")
APP = "children-timescales"
UID = 10001
SECRET_NAMES = ("API_KEYS", "DATABASE_URL", "PASSWORD", "SECRET", "TOKEN")
HEALTH_CODE = (
    "import os, urllib.request; urllib.request.urlopen("
    "'http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=2)"
)

Doc = dict[str, Any]


# --- rendering ------------------------------------------------------------------


def _kustomization(folder: Path) -> Doc:
    return yaml.safe_load((folder / "kustomization.yaml").read_text())


def _kubectl_kustomize(folder: Path) -> list[Doc]:
    assert KUBECTL is not None
    out = subprocess.run(
        [KUBECTL, "kustomize", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def _read_resources(folder: Path) -> list[Doc]:
    """The base without kubectl: it has only a resources list of files."""
    kz = _kustomization(folder)
    assert set(kz) <= {"apiVersion", "kind", "resources"}, "needs kubectl kustomize"
    docs: list[Doc] = []
    for name in kz["resources"]:
        docs += [d for d in yaml.safe_load_all((folder / name).read_text()) if d]
    return docs


def render(target: str, tmp_path: Path) -> list[Doc]:
    if target == "base":
        return _kubectl_kustomize(DEPLOY / "base") if KUBECTL else _read_resources(DEPLOY / "base")
    if KUBECTL is None:
        pytest.skip("kubectl is not installed: overlays and components need kubectl kustomize")
    if target == "production":
        return _kubectl_kustomize(DEPLOY / "overlays" / "production")
    # A component renders only inside a kustomization: the base with it added.
    # Kustomize takes no absolute paths, so the temporary one names them relatively.
    base = os.path.relpath(DEPLOY / "base", tmp_path)
    component = os.path.relpath(DEPLOY / "components" / target, tmp_path)
    (tmp_path / "kustomization.yaml").write_text(
        yaml.safe_dump(
            {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": [base],
                "components": [component],
            }
        )
    )
    return _kubectl_kustomize(tmp_path)


TARGETS = ["base", "production", "postgres"]


def _one(docs: list[Doc], kind: str, name: str = APP) -> Doc | None:
    found = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    return found[0] if found else None


# --- what the Kubernetes objects must say -------------------------------------------


def _labels_match(selector: dict[str, str] | None, labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in (selector or {}).items())


def _security_problems(where: str, sc: Doc) -> list[str]:
    problems = []
    if sc.get("runAsNonRoot") is not True:
        problems.append(f"{where}: runAsNonRoot is not true")
    if sc.get("runAsUser") != UID:
        problems.append(f"{where}: runAsUser is {sc.get('runAsUser')}, not {UID}")
    if sc.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        problems.append(f"{where}: seccompProfile is not RuntimeDefault")
    return problems


def kubernetes_problems(docs: list[Doc]) -> list[str]:
    """What this service's manifests promise, beyond the schemas."""
    problems: list[str] = []
    deployment = _one(docs, "Deployment")
    config = _one(docs, "ConfigMap")
    if deployment is None or config is None:
        return ["no Deployment or ConfigMap named " + APP]
    pod = deployment["spec"]["template"]
    spec = pod["spec"]
    labels = pod["metadata"].get("labels", {})
    if not _labels_match(deployment["spec"]["selector"]["matchLabels"], labels):
        problems.append("Deployment: selector does not match the pod labels")
    if "replicas" in deployment["spec"]:
        problems.append("Deployment: replicas is set, but the autoscaler owns it")
    problems += _security_problems("pod securityContext", spec.get("securityContext", {}))
    if spec.get("automountServiceAccountToken") is not False:
        problems.append("pod: a service account token is mounted")
    notes = pod["metadata"].get("annotations", {})
    if notes.get("prometheus.io/scrape") != "true" or notes.get("prometheus.io/path") != "/metrics":
        problems.append("pod: no prometheus scrape annotations for /metrics")
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    containers = spec["containers"]
    if len(containers) != 1:
        return [*problems, "pod: expected one container"]
    c = containers[0]
    ports = {p.get("name"): p["containerPort"] for p in c.get("ports", [])}
    if ports.get("http") != int(config["data"].get("PORT", "0")):
        problems.append("container: port http is not the ConfigMap's PORT")
    if notes.get("prometheus.io/port") != str(ports.get("http")):
        problems.append("pod: prometheus.io/port is not the http port")
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        got = c.get(probe, {}).get("httpGet", {})
        if got.get("path") != path or got.get("port") not in ("http", ports.get("http")):
            problems.append(f"container: {probe} is not GET {path} on the http port")
    resources = c.get("resources", {})
    for part in ("requests", "limits"):
        for what in ("cpu", "memory"):
            if what not in resources.get(part, {}):
                problems.append(f"container: no {what} {part}")
    sc = c.get("securityContext", {})
    problems += _security_problems("container securityContext", {**spec["securityContext"], **sc})
    if sc.get("readOnlyRootFilesystem") is not True:
        problems.append("container: readOnlyRootFilesystem is not true")
    if sc.get("allowPrivilegeEscalation") is not False:
        problems.append("container: allowPrivilegeEscalation is not false")
    if sc.get("privileged"):
        problems.append("container: privileged")
    if sc.get("capabilities", {}).get("drop") != ["ALL"] or sc["capabilities"].get("add"):
        problems.append("container: capabilities are not drop ALL (and add nothing)")
    mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}
    tmp = volumes.get(mounts.get("/tmp", ""), {}).get("emptyDir")
    if tmp is None:
        problems.append("container: /tmp is not an emptyDir")
    elif tmp.get("medium", "") != "" or not tmp.get("sizeLimit"):
        problems.append("container: the /tmp emptyDir is not on disk with a sizeLimit")
    if set(mounts) != {"/tmp"}:
        problems.append(f"container: writable mounts other than /tmp: {sorted(set(mounts))}")
    for env in c.get("env", []):
        secretive = any(s in env["name"].upper() for s in SECRET_NAMES)
        if secretive and "secretKeyRef" not in env.get("valueFrom", {}):
            problems.append(f"container: {env['name']} is not from a Secret")
    for key in config["data"]:
        if any(s in key.upper() for s in SECRET_NAMES):
            problems.append(f"ConfigMap: {key} belongs in a Secret")
    if config["data"].get("AUTH_REQUIRED") != "true":
        problems.append("ConfigMap: AUTH_REQUIRED is not true")
    refs = [e.get("configMapRef", {}).get("name") for e in c.get("envFrom", [])]
    if config["metadata"]["name"] not in refs:
        problems.append("container: env is not from the ConfigMap")

    service = _one(docs, "Service")
    if service is None or not _labels_match(service["spec"].get("selector"), labels):
        problems.append("Service: missing, or its selector does not match the pods")
    elif any(
        p.get("targetPort") not in ("http", ports.get("http")) for p in service["spec"]["ports"]
    ):
        problems.append("Service: a targetPort is not the http port")
    hpa = _one(docs, "HorizontalPodAutoscaler")
    if hpa is None or hpa["spec"]["scaleTargetRef"] != {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": deployment["metadata"]["name"],
    }:
        problems.append("HorizontalPodAutoscaler: missing, or not scaling the Deployment")
    elif hpa["spec"].get("minReplicas", 1) < 2:
        problems.append("HorizontalPodAutoscaler: minReplicas below 2")
    elif [m["resource"]["name"] for m in hpa["spec"]["metrics"]] != ["cpu"]:
        problems.append("HorizontalPodAutoscaler: does not scale on CPU")
    pdb = _one(docs, "PodDisruptionBudget")
    if pdb is None or not _labels_match(pdb["spec"]["selector"]["matchLabels"], labels):
        problems.append("PodDisruptionBudget: missing, or its selector does not match the pods")
    problems += network_problems(docs, labels)
    return problems


def network_problems(docs: list[Doc], labels: dict[str, str]) -> list[str]:
    problems = []
    policies = [d for d in docs if d["kind"] == "NetworkPolicy"]
    main = _one(docs, "NetworkPolicy")
    if main is None:
        return ["NetworkPolicy: missing"]
    if sorted(main["spec"].get("policyTypes", [])) != ["Egress", "Ingress"]:
        problems.append("NetworkPolicy: does not restrict both ingress and egress")
    for policy in policies:
        spec = policy["spec"]
        name = policy["metadata"]["name"]
        if not _labels_match(spec["podSelector"].get("matchLabels"), labels):
            problems.append(f"NetworkPolicy {name}: does not select the pods")
        for rule in spec.get("ingress", []):
            if [p.get("port") for p in rule.get("ports", [])] != ["http"]:
                problems.append(f"NetworkPolicy {name}: ingress to other than the http port")
            for peer in rule.get("from", []):
                if "ipBlock" in peer or not peer.get("namespaceSelector", {}).get("matchLabels"):
                    problems.append(f"NetworkPolicy {name}: ingress from outside named namespaces")
        for rule in spec.get("egress", []):
            ports = {p.get("port") for p in rule.get("ports", [])}
            if not ports or not ports <= {53, 443, 5432}:
                problems.append(f"NetworkPolicy {name}: egress to ports {sorted(ports)}")
            if 5432 in ports and name == APP:
                problems.append(f"NetworkPolicy {name}: PostgreSQL egress outside the component")
            for peer in rule.get("to", []):
                block = peer.get("ipBlock")
                if (
                    block
                    and block["cidr"] == "0.0.0.0/0"
                    and "169.254.0.0/16" not in block.get("except", [])
                ):
                    problems.append(f"NetworkPolicy {name}: egress reaches the metadata endpoint")
    return problems


# --- the Kubernetes tests -------------------------------------------------------------


@pytest.mark.parametrize(
    "folder", ["base", "overlays/production", "components/postgres"], ids=lambda f: f
)
def test_every_file_is_listed_in_its_kustomization(folder: str) -> None:
    here = DEPLOY / folder
    kz = _kustomization(here)
    local = {r for r in kz.get("resources", []) if (here / r).is_file()}
    patches = {p["path"] for p in kz.get("patches", [])}
    files = {p.name for p in here.iterdir() if p.is_file()} - {"kustomization.yaml"}
    assert files == local | patches
    for ref in kz.get("resources", []) + kz.get("components", []):
        assert (here / ref).exists(), ref


def test_deploy_has_no_stray_files() -> None:
    folders = {"base", "overlays/production", "components/postgres", "compose"}
    for path in DEPLOY.rglob("*"):
        if path.is_file():
            assert str(path.parent.relative_to(DEPLOY)) in folders, path


def validate_strictly(doc: Doc, version: str) -> None:
    kubernetes_validate.validate(doc, version, strict=True)


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("target", TARGETS)
def test_manifests_validate_against_the_kubernetes_schemas(
    target: str, version: str, tmp_path: Path
) -> None:
    docs = render(target, tmp_path)
    assert len(docs) >= 7
    for doc in docs:
        # SchemaNotFoundError (an unknown kind or apiVersion) fails too.
        validate_strictly(doc, version)


@pytest.mark.parametrize("target", TARGETS)
def test_manifests_keep_the_services_promises(target: str, tmp_path: Path) -> None:
    assert kubernetes_problems(render(target, tmp_path)) == []


def test_production_overlay_is_namespaced_and_enforces_restricted(tmp_path: Path) -> None:
    docs = render("production", tmp_path)
    namespace = _one(docs, "Namespace")
    assert namespace is not None
    labels = namespace["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
    for doc in docs:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == namespace["metadata"]["name"], doc["kind"]
    deployment = _one(docs, "Deployment")
    assert deployment is not None
    image = deployment["spec"]["template"]["spec"]["containers"][0]["image"]
    assert "/" in image and not image.endswith(":latest")
    config = _one(docs, "ConfigMap")
    assert config is not None and config["data"]["AUTH_REQUIRED"] == "true"


def test_only_the_postgres_component_opens_5432(tmp_path: Path) -> None:
    def ports(docs: list[Doc]) -> set[int]:
        return {
            p["port"]
            for d in docs
            if d["kind"] == "NetworkPolicy"
            for rule in d["spec"].get("egress", [])
            for p in rule["ports"]
        }

    assert 5432 not in ports(render("base", tmp_path))
    assert 5432 in ports(render("postgres", tmp_path))


def _base() -> list[Doc]:
    return copy.deepcopy(_read_resources(DEPLOY / "base"))


def _deployment(docs: list[Doc]) -> Doc:
    found = _one(docs, "Deployment")
    assert found is not None
    return found


def _container(docs: list[Doc]) -> Doc:
    return _deployment(docs)["spec"]["template"]["spec"]["containers"][0]


def _pod(docs: list[Doc]) -> Doc:
    return _deployment(docs)["spec"]["template"]["spec"]


def _config(docs: list[Doc]) -> Doc:
    found = _one(docs, "ConfigMap")
    assert found is not None
    return found["data"]


def _policy(docs: list[Doc]) -> Doc:
    found = _one(docs, "NetworkPolicy")
    assert found is not None
    return found["spec"]


BREAKAGES: dict[str, tuple[Callable[[list[Doc]], None], str]] = {
    "pod runs as root": (lambda d: _pod(d)["securityContext"].update(runAsUser=0), "runAsUser"),
    "container runs as root": (
        lambda d: _container(d)["securityContext"].update(runAsUser=0),
        "runAsUser is 0",
    ),
    "runAsNonRoot off": (
        lambda d: _container(d)["securityContext"].update(runAsNonRoot=False),
        "runAsNonRoot",
    ),
    "no readiness probe": (lambda d: _container(d).pop("readinessProbe"), "readinessProbe"),
    "liveness on /readyz": (
        lambda d: _container(d)["livenessProbe"]["httpGet"].update(path="/readyz"),
        "livenessProbe",
    ),
    "writable root": (
        lambda d: _container(d)["securityContext"].update(readOnlyRootFilesystem=False),
        "readOnlyRootFilesystem",
    ),
    "privilege escalation": (
        lambda d: _container(d)["securityContext"].update(allowPrivilegeEscalation=True),
        "allowPrivilegeEscalation",
    ),
    "privileged": (
        lambda d: _container(d)["securityContext"].update(privileged=True),
        "privileged",
    ),
    "a capability added": (
        lambda d: _container(d)["securityContext"]["capabilities"].update(add=["NET_ADMIN"]),
        "capabilities",
    ),
    "no seccomp": (lambda d: _pod(d)["securityContext"].pop("seccompProfile"), "seccomp"),
    "no memory limit": (lambda d: _container(d)["resources"]["limits"].pop("memory"), "memory"),
    "no /tmp": (lambda d: _container(d).pop("volumeMounts"), "/tmp"),
    "/tmp in memory": (
        lambda d: _pod(d)["volumes"][0]["emptyDir"].update(medium="Memory"),
        "sizeLimit",
    ),
    "/tmp unbounded": (lambda d: _pod(d)["volumes"][0]["emptyDir"].pop("sizeLimit"), "sizeLimit"),
    "API keys written in": (
        lambda d: _container(d)["env"].__setitem__(0, {"name": "API_KEYS", "value": "k1"}),
        "API_KEYS is not from a Secret",
    ),
    "secret in the ConfigMap": (
        lambda d: _config(d).update(DATABASE_URL="postgresql+psycopg://u:p@db/c"),
        "belongs in a Secret",
    ),
    "authentication off": (lambda d: _config(d).update(AUTH_REQUIRED="false"), "AUTH_REQUIRED"),
    "token mounted": (lambda d: _pod(d).pop("automountServiceAccountToken"), "token"),
    "replicas set": (lambda d: _deployment(d)["spec"].update(replicas=3), "replicas"),
    "no scrape annotations": (
        lambda d: _deployment(d)["spec"]["template"]["metadata"].pop("annotations"),
        "prometheus",
    ),
    "Service to another port": (
        lambda d: _one(d, "Service")["spec"]["ports"][0].update(targetPort=9000),  # type: ignore[index]
        "targetPort",
    ),
    "HPA scales something else": (
        lambda d: _one(d, "HorizontalPodAutoscaler")["spec"]["scaleTargetRef"].update(name="x"),  # type: ignore[index]
        "HorizontalPodAutoscaler",
    ),
    "PDB selects other pods": (
        lambda d: _one(d, "PodDisruptionBudget")["spec"]["selector"].update(  # type: ignore[index]
            matchLabels={"app": "other"}
        ),
        "PodDisruptionBudget",
    ),
    "ingress from anywhere": (
        lambda d: _policy(d)["ingress"][0]["from"].append({"ipBlock": {"cidr": "0.0.0.0/0"}}),
        "ingress from outside",
    ),
    "ingress on every port": (lambda d: _policy(d)["ingress"][0].pop("ports"), "ingress to other"),
    "egress to every port": (lambda d: _policy(d)["egress"][1].pop("ports"), "egress to ports"),
    "egress to the metadata endpoint": (
        lambda d: _policy(d)["egress"][1]["to"][0]["ipBlock"].pop("except"),
        "metadata",
    ),
    "ingress only": (lambda d: _policy(d).update(policyTypes=["Ingress"]), "both ingress"),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_a_broken_manifest_is_refused(breakage: str) -> None:
    docs = _base()
    assert kubernetes_problems(docs) == []
    mutate, expected = BREAKAGES[breakage]
    mutate(docs)
    problems = kubernetes_problems(docs)
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: _pod(d).update(securityContex={"runAsUser": 0}),
        lambda d: _deployment(d)["spec"].update(replicas="two"),
        lambda d: _container(d)["livenessProbe"]["httpGet"].pop("port"),
        lambda d: _pod(d)["volumes"][0]["emptyDir"].update(sizeLimit=[1]),
    ],
    ids=["misspelt field", "wrong type", "required field missing", "bad quantity"],
)
def test_the_schema_validator_refuses_an_invalid_deployment(
    mutate: Callable[[list[Doc]], None],
) -> None:
    docs = _base()
    mutate(docs)
    with pytest.raises(kubernetes_validate.ValidationError):
        validate_strictly(_deployment(docs), K8S_VERSIONS[-1])


def test_the_schema_validator_refuses_an_unknown_kind() -> None:
    with pytest.raises(kubernetes_validate.SchemaNotFoundError):
        validate_strictly({"apiVersion": "apps/v1", "kind": "Deploymnt"}, K8S_VERSIONS[-1])


# --- Dockerfile -------------------------------------------------------------------------


def dockerfile_instructions(text: str) -> list[tuple[int, str, str]]:
    """(stage, INSTRUCTION, arguments) with continuations joined, comments dropped."""
    out: list[tuple[int, str, str]] = []
    stage, pending = -1, ""
    for line in text.splitlines():
        if line.lstrip().startswith("#") or not (pending or line.strip()):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        instr, _, args = whole.partition(" ")
        instr = instr.upper()
        if instr == "FROM":
            stage += 1
        out.append((stage, instr, args.strip()))
    return out


def _exec_form(args: str) -> list[str] | None:
    try:
        parsed = json.loads(args)
    except json.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, list) and all(isinstance(a, str) for a in parsed) else None


def dockerfile_problems(text: str) -> list[str]:
    steps = dockerfile_instructions(text)
    last = max(s for s, _, _ in steps)
    final = [(i, a) for s, i, a in steps if s == last]
    problems = []
    if last < 1:
        problems.append("not a multi-stage build")
    users = [a for i, a in final if i == "USER"]
    uid, _, gid = (users[-1] if users else "").partition(":")
    if not (uid.isdigit() and gid.isdigit() and int(uid) == UID and int(gid) != 0):
        problems.append(f"final USER is {users[-1] if users else None!r}, not {UID}:{UID}")
    checks = [a for i, a in final if i == "HEALTHCHECK"]
    command = checks[-1].split(" CMD ", 1)[-1].strip() if checks else ""
    argv = _exec_form(command)
    if argv is None or argv[:2] != ["python", "-c"] or "/healthz" not in argv[2]:
        problems.append("HEALTHCHECK is not exec form python -c on /healthz")
    cmds = [a for i, a in final if i == "CMD"]
    if not cmds or _exec_form(cmds[-1]) != ["python", "-m", "app.server"]:
        problems.append("CMD is not exec form python -m app.server")
    args = {a.split("=")[0] for s, i, a in steps if i == "ARG"}
    for needed in ("PIP_INDEX_URL", "PIP_TRUSTED_HOST", "EXTRAS", "BASE_IMAGE"):
        if needed not in args:
            problems.append(f"no ARG {needed}")
    env = " ".join(a for i, a in final if i == "ENV")
    for needed in ("PYTHONDONTWRITEBYTECODE=1", "TMPDIR=/tmp"):
        if needed not in env.split():
            problems.append(f"final stage has no ENV {needed}")
    installs = [a for s, i, a in steps if i == "RUN" and "pip install" in a]
    if not installs or "-c constraints.txt" not in installs[0]:
        problems.append("the install is not pinned with -c constraints.txt")
    elif "--mount=type=secret,id=pip_cert" not in installs[0]:
        problems.append("the install takes no pip_cert secret")
    if any(i == "RUN" and "pip" in a for i, a in final):
        problems.append("the final stage installs packages")
    return problems


DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_dockerfile_keeps_its_promises() -> None:
    assert dockerfile_problems(DOCKERFILE) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("USER 10001:10001", "USER app", "final USER"),
        ("USER 10001:10001", "USER 0:0", "final USER"),
        ('CMD ["python", "-m", "app.server"]', "CMD python -m app.server", "CMD is not"),
        ('CMD ["python", "-c", "import os', 'CMD ["sh", "-c", "import os', "HEALTHCHECK"),
        ("    TMPDIR=/tmp \\\n", "", "TMPDIR"),
        ("ARG EXTRAS=\n", "", "EXTRAS"),
        ("install -c constraints.txt", "install", "pinned"),
    ],
)
def test_a_broken_dockerfile_is_refused(old: str, new: str, expected: str) -> None:
    assert old in DOCKERFILE
    problems = dockerfile_problems(DOCKERFILE.replace(old, new))
    assert any(expected in p for p in problems), problems


def _healthcheck_argv() -> list[str]:
    checks = [a for _, i, a in dockerfile_instructions(DOCKERFILE) if i == "HEALTHCHECK"]
    argv = _exec_form(checks[-1].split(" CMD ", 1)[1])
    assert argv is not None
    return argv


@pytest.fixture
def health_server() -> Iterator[Callable[[int], int]]:
    """A loopback server answering /healthz with the status it is given."""
    status = {"code": 200}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status["code"] if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def answer(code: int) -> int:
        status["code"] = code
        return server.server_address[1]

    yield answer
    server.shutdown()
    server.server_close()


def _run_check(argv: list[str], port: int) -> int:
    env = {**os.environ, "PORT": str(port)}
    return subprocess.run([sys.executable, *argv[1:]], env=env, timeout=20).returncode


def test_the_healthcheck_passes_on_200_and_fails_otherwise(
    health_server: Callable[[int], int],
) -> None:
    argv = _healthcheck_argv()
    assert _run_check(argv, health_server(200)) == 0
    assert _run_check(argv, health_server(503)) != 0
    # A port nothing listens on any more: the connection is refused.
    with HTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as closed:
        port = closed.server_address[1]
    assert _run_check(argv, port) != 0


def _install_script() -> str:
    run = next(a for _, i, a in dockerfile_instructions(DOCKERFILE) if "pip install" in a)
    return run.split(None, 1)[1]  # without the --mount flag


@pytest.mark.parametrize(
    ("extras", "index", "expected_target", "expected_index"),
    [
        ("", "", ".", None),
        ("postgres", "", ".[postgres]", None),
        ("", "https://mirror.example.invalid/simple", ".", "https://mirror.example.invalid/simple"),
    ],
)
def test_the_install_step_passes_extras_and_index(
    tmp_path: Path, extras: str, index: str, expected_target: str, expected_index: str | None
) -> None:
    """The image's RUN line under sh, with pip replaced by a recorder."""
    record = tmp_path / "pip.json"
    pip = tmp_path / "pip"
    pip.write_text(
        f"#!{sys.executable}\nimport json, os, sys\n"
        f"json.dump({{'argv': sys.argv[1:], 'index': os.environ.get('PIP_INDEX_URL'),"
        f" 'trusted': os.environ.get('PIP_TRUSTED_HOST')}}, open({str(record)!r}, 'w'))\n"
    )
    pip.chmod(0o755)
    script = _install_script()
    assert "/venv/bin/pip " in script
    env = {
        "PATH": os.environ["PATH"],
        "EXTRAS": extras,
        "PIP_INDEX_URL": index,
        "PIP_TRUSTED_HOST": "",
    }
    subprocess.run(
        ["sh", "-c", script.replace("/venv/bin/pip ", f"{pip} ")], env=env, check=True, timeout=20
    )
    got = json.loads(record.read_text())
    assert got["argv"] == ["install", "-c", "constraints.txt", expected_target]
    assert got["index"] == expected_index
    assert got["trusted"] is None


def test_the_manifests_and_compose_agree_with_the_image() -> None:
    docs = _base()
    steps = dockerfile_instructions(DOCKERFILE)
    assert f"EXPOSE {_container(docs)['ports'][0]['containerPort']}" in [
        f"{i} {a}" for _, i, a in steps
    ]
    assert _pod(docs)["securityContext"]["runAsUser"] == UID
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert compose["services"]["api"]["healthcheck"]["test"] == ["CMD", *_healthcheck_argv()]
    assert _healthcheck_argv()[2] == HEALTH_CODE


# --- compose.yaml -----------------------------------------------------------------------

COMPOSE_SCHEMA = json.loads((DEPLOY / "compose" / "compose-spec.json").read_text())


def compose_problems(doc: Doc) -> list[str]:
    problems = [
        f"schema: {'.'.join(map(str, e.path))}: {e.message}"
        for e in jsonschema.Draft7Validator(COMPOSE_SCHEMA).iter_errors(doc)
    ]
    services = doc.get("services", {})
    if set(services) != {"api", "postgres"}:
        return [*problems, f"services are {sorted(services)}, not api and postgres"]
    api, db = services["api"], services["postgres"]
    if api.get("read_only") is not True:
        problems.append("api: read_only is not true")
    if not any(t.split(":")[0] == "/tmp" for t in api.get("tmpfs", [])):
        problems.append("api: no tmpfs on /tmp")
    test = api.get("healthcheck", {}).get("test", [])
    if not isinstance(test, list) or test[:1] != ["CMD"]:
        problems.append("api: healthcheck is not exec form")
    if api.get("build", {}).get("args", {}).get("EXTRAS") != "postgres":
        problems.append("api: not built with EXTRAS=postgres")
    url = api.get("environment", {}).get("DATABASE_URL", "")
    if not url.startswith("postgresql+psycopg://") or "@postgres:5432/" not in url:
        problems.append("api: DATABASE_URL does not name the postgres service")
    if "${POSTGRES_PASSWORD:?" not in url:
        problems.append("api: the database password is written in")
    if api.get("depends_on", {}).get("postgres", {}).get("condition") != "service_healthy":
        problems.append("api: does not wait for a healthy postgres")
    if any(not str(p).startswith("127.0.0.1:") for p in api.get("ports", [])):
        problems.append("api: published beyond the loopback interface")
    if "ALL" not in api.get("cap_drop", []):
        problems.append("api: capabilities not dropped")
    image = db.get("image", "")
    name, _, tag = image.partition(":")
    if name != "postgres" or not tag[:1].isdigit() or "." not in tag:
        problems.append(f"postgres: image {image!r} is not the official one pinned to a version")
    if db.get("healthcheck", {}).get("test", [None, None])[1] != "pg_isready":
        problems.append("postgres: healthcheck is not pg_isready")
    if "ports" in db:
        problems.append("postgres: published")
    volumes = [v.split(":")[0] for v in db.get("volumes", [])]
    if not volumes or volumes[0] not in (doc.get("volumes") or {}):
        problems.append("postgres: data is not on a named volume")
    if db.get("environment", {}).get("POSTGRES_PASSWORD", "").startswith("${") is False:
        problems.append("postgres: the password is written in")
    return problems


COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_keeps_its_promises() -> None:
    assert compose_problems(COMPOSE) == []


BROKEN_COMPOSE: dict[str, tuple[Callable[[Doc], None], str]] = {
    "misspelt key": (lambda c: c["services"]["api"].update(readonly=True), "schema"),
    "wrong type": (lambda c: c["services"]["api"]["healthcheck"].update(interval=30), "schema"),
    "writable": (lambda c: c["services"]["api"].update(read_only=False), "read_only"),
    "no tmpfs": (lambda c: c["services"]["api"].pop("tmpfs"), "tmpfs"),
    "shell healthcheck": (
        lambda c: c["services"]["api"]["healthcheck"].update(test="curl -f localhost"),
        "exec form",
    ),
    "no extras": (lambda c: c["services"]["api"]["build"]["args"].pop("EXTRAS"), "EXTRAS"),
    "password written in": (
        lambda c: c["services"]["postgres"]["environment"].update(POSTGRES_PASSWORD="secret"),
        "password",
    ),
    "latest postgres": (
        lambda c: c["services"]["postgres"].update(image="postgres:latest"),
        "pinned",
    ),
    "published on all interfaces": (
        lambda c: c["services"]["api"].update(ports=["8000:8000"]),
        "loopback",
    ),
    "no pg_isready": (lambda c: c["services"]["postgres"].pop("healthcheck"), "pg_isready"),
    "no named volume": (lambda c: c.pop("volumes"), "named volume"),
}


@pytest.mark.parametrize("breakage", list(BROKEN_COMPOSE))
def test_a_broken_compose_file_is_refused(breakage: str) -> None:
    doc = copy.deepcopy(COMPOSE)
    mutate, expected = BROKEN_COMPOSE[breakage]
    mutate(doc)
    problems = compose_problems(doc)
    assert any(expected in p for p in problems), problems


def _docker_compose() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, timeout=20)
    return probe.returncode == 0


@pytest.mark.skipif(not _docker_compose(), reason="the docker compose plugin is not installed")
def test_docker_compose_accepts_the_file() -> None:
    env = {**os.environ, "POSTGRES_PASSWORD": "only-for-this-check"}
    subprocess.run(
        ["docker", "compose", "-f", str(ROOT / "compose.yaml"), "config", "--quiet"],
        env=env,
        check=True,
        timeout=60,
    )
