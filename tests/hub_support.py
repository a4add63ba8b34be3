"""A real JupyterHub for the course, started on loopback, and learners that use it.

Used by tests/test_hub.py (five learners) and benchmarks/bench_hub.py (a class's
load). ``Hub`` writes a ``jupyterhub_config.py`` made of the course's hub
settings, taken from the instructor guide (docs/instructor_notes.md, the
``# jupyterhub_config.py`` block, so the guide says what is run here), plus the
parts that only a test needs: free loopback ports, files in a temporary
directory, an admin service token. It starts JupyterHub, which starts
configurable-http-proxy (npm) and, per learner, a single-user Jupyter server
from the course environment (this .venv: requirements.txt plus jupyterhub and
nbgitpuller).

``Learner.run_lesson`` is a learner's first minutes of a class, all through
HTTP and websockets the way a browser talks to the hub: log in on the login
form, get a token from the hub's REST API, start a server, pull the course
with the nbgitpuller link, open a lesson through the contents API, start a
kernel and run the lesson's setup cell and an explorer's update over the
kernel's websocket. Every process it learns of (hub, proxy, single-user
servers, kernels) is recorded with its PID, so the caller can stop each one by
PID and check that it is gone.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests
import websocket

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "instructor_notes.md"
BIN = Path(sys.executable).parent
PROXY = ROOT / ".venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "class-password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def guide_hub_config() -> str:
    """The ``# jupyterhub_config.py`` code block of the instructor guide, as text."""
    text = GUIDE.read_text()
    match = re.search(r"```python\n(# jupyterhub_config\.py.*?)```", text, re.S)
    if not match:
        raise LookupError(f"{GUIDE} has no ```python block starting with '# jupyterhub_config.py'")
    return match.group(1)


def process_state(pid: int) -> str | None:
    """The state letter of process ``pid`` from /proc (R, S, Z...), or None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def is_running(pid: int) -> bool:
    """True while ``pid`` is a live process (a zombie waiting to be reaped has stopped)."""
    return process_state(pid) not in (None, "Z", "X")


def rss_bytes(pid: int) -> int:
    """Resident memory of process ``pid`` in bytes (0 if it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) * 1024 if match else 0


def stop_pid(pid: int, timeout: float = 15.0) -> bool:
    """SIGTERM ``pid``, then SIGKILL if it is still running after ``timeout``; True once gone."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_running(pid):
            return True
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if not is_running(pid):
            return True
        time.sleep(0.1)
    return False


class Hub:
    """JupyterHub + configurable-http-proxy on loopback, in directory ``workdir``."""

    def __init__(self, workdir: Path, *, concurrent_spawn_limit: int = 100):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.admin_token = secrets.token_hex(16)
        self.concurrent_spawn_limit = concurrent_spawn_limit
        self.process: subprocess.Popen | None = None
        self.log_path = self.workdir / "jupyterhub.log"
        self.proxy_pid_file = self.workdir / "proxy.pid"

    def config(self) -> str:
        hub_port, proxy_api_port = free_port(), free_port()
        singleuser_args = ["--allow-root"] if os.geteuid() == 0 else []
        test_only = f"""
# ---- test-only settings: loopback, free ports, files in {self.workdir} ----
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {self.port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.ConfigurableHTTPProxy.pid_file = {str(self.proxy_pid_file)!r}
c.JupyterHub.db_url = "sqlite:///{self.workdir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(self.workdir / 'cookie_secret')!r}
c.JupyterHub.pid_file = {str(self.workdir / 'jupyterhub.pid')!r}
c.JupyterHub.cleanup_servers = False   # the test stops every server itself, by PID
c.JupyterHub.concurrent_spawn_limit = {self.concurrent_spawn_limit}
c.JupyterHub.active_server_limit = 0
c.SimpleLocalProcessSpawner.home_dir_template = {str(self.workdir / 'home' / '{username}')!r}
c.Spawner.cmd = [{str(BIN / 'jupyterhub-singleuser')!r}]   # the course environment
c.Spawner.args = {singleuser_args!r}   # Jupyter Server refuses to run as root unless told
c.DummyAuthenticator.password = {PASSWORD!r}
c.JupyterHub.services = [{{"name": "course-admin", "api_token": {self.admin_token!r}}}]
c.JupyterHub.load_roles = [{{"name": "admin", "services": ["course-admin"]}}]
"""
        return guide_hub_config() + test_only

    def start(self, timeout: float = 60.0) -> None:
        if not PROXY.exists():
            raise FileNotFoundError(f"configurable-http-proxy not found at {PROXY}; "
                                    "`make setup` installs it from npm")
        config = self.workdir / "jupyterhub_config.py"
        config.write_text(self.config())
        env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [str(BIN / "jupyterhub"), "-f", str(config)], cwd=self.workdir, env=env,
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with {self.process.returncode}:\n"
                                   + self.log_path.read_text()[-3000:])
            with contextlib.suppress(requests.ConnectionError):
                if requests.get(f"{self.url}/hub/api/", timeout=5).ok:
                    return
            time.sleep(0.3)
        raise TimeoutError(f"JupyterHub did not answer within {timeout} s:\n"
                           + self.log_path.read_text()[-3000:])

    @property
    def proxy_pid(self) -> int:
        return int(self.proxy_pid_file.read_text().strip())

    def api(self, method: str, path: str, token: str | None = None, **kwargs):
        """Call the hub's REST API (``/hub/api`` + ``path``) with ``token`` (default: admin)."""
        response = requests.request(
            method, f"{self.url}/hub/api{path}", timeout=60,
            headers={"Authorization": f"token {token or self.admin_token}"}, **kwargs)
        if not response.ok:
            raise RuntimeError(f"{method} /hub/api{path} answered {response.status_code}: "
                               f"{response.text[:500]}")
        return response.json() if response.content else None

    def server_pid(self, name: str) -> int:
        """The PID of ``name``'s single-user server, from the spawner state (admin API)."""
        user = self.api("GET", f"/users/{name}")
        return int(user["servers"][""]["state"]["pid"])

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text()[-chars:] if self.log_path.exists() else ""

    def stop(self) -> bool:
        """Stop the hub by its PID (the proxy and the servers are stopped by the caller)."""
        if self.process is None:
            return True
        pid = self.process.pid
        with contextlib.suppress(ProcessLookupError):
            self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.log.close()
        return not is_running(pid)


def course_upstream(workdir: Path) -> Path:
    """A git repository with the course on branch ``main``, for the nbgitpuller link.

    (A class would use the course's public repository URL; here a clone of this
    checkout's HEAD stands in for it, so the test needs no network.)
    """
    upstream = Path(workdir) / "course-upstream"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(upstream)],
                   check=True)
    subprocess.run(["git", "-C", str(upstream), "checkout", "-q", "-B", "main"], check=True)
    return upstream


def nbgitpuller_link(hub_url: str, repo: str, lesson: str, branch: str = "main") -> str:
    """The link an instructor sends: pulls the course into ~/course and opens ``lesson``."""
    from urllib.parse import urlencode
    query = urlencode({"repo": repo, "branch": branch, "targetpath": "course",
                       "urlpath": f"lab/tree/course/lessons/{lesson}"})
    return f"{hub_url}/hub/user-redirect/git-pull?{query}"


class Kernel:
    """A kernel of a single-user server, driven over its websocket (Jupyter protocol 5.3)."""

    def __init__(self, ws_url: str, token: str):
        self.ws = websocket.create_connection(
            ws_url, header=[f"Authorization: token {token}"], timeout=120)
        self.session = uuid.uuid4().hex

    def execute(self, code: str, timeout: float = 120.0) -> dict:
        """Run ``code``; return its text outputs, error (if any) and when the first output came."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "learner", "session": self.session,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
        }))
        result = {"text": "", "error": None, "first_output_at": None, "reply": None}
        idle = False
        deadline = time.monotonic() + timeout
        while not (idle and result["reply"]):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no reply to {code[:60]!r} within {timeout} s")
            msg = _decode(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind in ("stream", "execute_result", "display_data", "error"):
                if result["first_output_at"] is None:
                    result["first_output_at"] = time.monotonic()
            if kind == "stream":
                result["text"] += content["text"]
            elif kind in ("execute_result", "display_data"):
                result["text"] += content["data"].get("text/plain", "") + "\n"
            elif kind == "error":
                result["error"] = f"{content['ename']}: {content['evalue']}"
            elif kind == "execute_reply":
                result["reply"] = content["status"]
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
        return result

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.ws.close()


def _decode(frame) -> dict:
    """A websocket frame as a message: text is JSON; binary frames carry buffers.

    Binary frames (Jupyter Server's format: the number of parts, their offsets as
    4-byte big-endian integers, then the parts) start with the JSON message.
    """
    if isinstance(frame, str):
        return json.loads(frame)
    count = int.from_bytes(frame[:4], "big")
    offsets = [int.from_bytes(frame[4 + 4 * i:8 + 4 * i], "big") for i in range(count)]
    end = offsets[1] if count > 1 else len(frame)
    return json.loads(frame[offsets[0]:end])


def stored_text(cell) -> str:
    """The text a stored notebook cell shows (streams and text/plain results)."""
    text = ""
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            text += "".join(out["text"])
        elif out["output_type"] in ("execute_result", "display_data"):
            text += "".join(out["data"].get("text/plain", "")) + "\n"
    return text


class Learner:
    """One learner of the class, talking to the hub over HTTP like a browser would."""

    def __init__(self, hub: Hub, name: str):
        self.hub, self.name = hub, name
        self.times: dict[str, float] = {}
        self.pids: dict[str, int] = {}
        self.kernel_id: str | None = None

    def _user(self, method, path, **kwargs):
        response = requests.request(
            method, f"{self.hub.url}/user/{self.name}{path}", timeout=120,
            headers={"Authorization": f"token {self.token}"}, **kwargs)
        if not response.ok:
            raise RuntimeError(f"{method} /user/{self.name}{path} answered "
                               f"{response.status_code}: {response.text[:500]}")
        return response

    def log_in(self) -> None:
        """Log in on the hub's login form (DummyAuthenticator), then get an API token."""
        start = self.times["start"] = time.monotonic()
        browser = requests.Session()
        browser.get(f"{self.hub.url}/hub/login", timeout=60).raise_for_status()
        response = browser.post(
            f"{self.hub.url}/hub/login", allow_redirects=False, timeout=60,
            data={"username": self.name, "password": PASSWORD,
                  "_xsrf": browser.cookies.get("_xsrf", "")})
        if response.status_code != 302:
            raise RuntimeError(f"login of {self.name} answered {response.status_code}, "
                               f"not a redirect: {response.text[:300]}")
        self.token = self.hub.api("POST", f"/users/{self.name}/tokens",
                                  json={"note": "class test", "expires_in": 3600})["token"]
        self.times["logged_in"] = time.monotonic() - start

    def start_server(self, timeout: float = 180.0) -> None:
        """Ask the hub for this learner's server (with the learner's own token); wait for it."""
        self.hub.api("POST", f"/users/{self.name}/server", token=self.token)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.hub.api("GET", f"/users/{self.name}", token=self.token)["servers"]
            if server.get("", {}).get("ready"):
                break
            time.sleep(0.25)
        else:
            raise TimeoutError(f"{self.name}'s server was not ready within {timeout} s")
        self.pids["server"] = self.hub.server_pid(self.name)
        self.times["server_ready"] = time.monotonic() - self.times["start"]

    def pull_course(self, repo: Path) -> None:
        """Follow the nbgitpuller link's sync step: clone the course into ~/course."""
        response = self._user("GET", "/git-pull/api", stream=True, params={
            "repo": str(repo), "branch": "main", "targetpath": "course"})
        phases = []
        for line in response.iter_lines(decode_unicode=True):
            if line and line.startswith("data: "):
                event = json.loads(line[len("data: "):])
                phases.append(event.get("phase"))
                if event.get("phase") == "error":
                    raise RuntimeError(f"nbgitpuller failed for {self.name}: {event['message']}")
                if event.get("phase") == "finished":
                    break
        if "finished" not in phases:
            raise RuntimeError(f"nbgitpuller never finished for {self.name}: {phases}")
        self.times["course_pulled"] = time.monotonic() - self.times["start"]

    def open_lesson(self, lesson: str) -> dict:
        """The lesson notebook from the learner's own copy, through the contents API."""
        model = self._user("GET", f"/api/contents/course/lessons/{lesson}",
                           params={"type": "notebook", "content": "1"}).json()
        self.times["lesson_opened"] = time.monotonic() - self.times["start"]
        return model["content"]

    def start_kernel(self) -> Kernel:
        self.kernel_id = self._user("POST", "/api/kernels", json={"name": "python3"}).json()["id"]
        ws_url = (self.hub.url.replace("http://", "ws://")
                  + f"/user/{self.name}/api/kernels/{self.kernel_id}/channels")
        kernel = Kernel(ws_url, self.token)
        pid = kernel.execute("import os; print(os.getpid())")
        self.pids["kernel"] = int(pid["text"])
        return kernel

    def run_lesson(self, repo: Path, lesson: str, explorer_call: str, update: str,
                   also: str = "") -> dict:
        """A learner's first minutes: log in ... see an explorer's update. Returns the outputs.

        ``explorer_call`` picks the lesson's explorer cell (its source contains it);
        ``update`` is the keyword arguments of its ``update``, e.g. ``"w3=-1.0"``;
        ``also``: code run after it in the same kernel (its outputs are returned too).
        """
        self.log_in()
        self.start_server()
        self.pull_course(repo)
        notebook = self.open_lesson(lesson)
        code_cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        setup = code_cells[0]
        explorer = next(c for c in code_cells if explorer_call in c["source"])
        kernel = self.start_kernel()
        try:
            setup_run = kernel.execute(setup["source"])
            self.times["setup_done"] = time.monotonic() - self.times["start"]
            update_run = kernel.execute(f"_explorer = (\n{explorer['source']}\n)\n"
                                        f"print(_explorer.update({update}))")
            also_run = kernel.execute(also) if also else None
        finally:
            kernel.close()
        if update_run["first_output_at"] is not None:
            self.times["first_output"] = update_run["first_output_at"] - self.times["start"]
        return {"setup": setup_run, "setup_stored": stored_text(setup),
                "explorer_source": explorer["source"], "update": update_run, "also": also_run}
