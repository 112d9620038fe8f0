/**
 * The resident spawner's program (see residentSpawner.ts), run as
 * `python3 -I -S -c SOURCE RUN_ID GRACE_SECONDS`.
 * Python because its subprocess module starts a child with vfork() (3.10+; fork() of this
 * small process before): the cost does not grow with the parent's size, where Node's libuv
 * forks its whole process. (Not os.posix_spawn: glibc's leaves its two internal realtime
 * signals ignored in the child, which Node's spawn does not.)
 *
 * Protocol. In, JSON lines on stdin:
 *   {"d": ENV_ID, "env": {...}}                      an environment, sent once, used by many units
 *   {"s": UNIT, "exe": FILE, "argv": [...], "cwd": DIR, "e": ENV_ID, "add": {...}}
 *                                                    start a unit: its own session and process
 *                                                    group, stdin /dev/null, stdout and stderr pipes
 *   {"c": UNIT}                                      stop reading a unit's output
 *   {"w": PGID} / {"u": PGID}                        watch / forget a process group the caller
 *                                                    started itself (a unit under a pty)
 *   {"b": 1}                                         bye: the run is over, exit
 * Out, frames on stdout: kind (1 byte), unit (uint32 LE), length (uint32 LE), payload:
 *   R ready · P started (pid) · F could not start (why) · O / E stdout / stderr bytes
 *   o / e that stream ended · X exited (code, or -N for signal N)
 * End of stdin after bye: exit. End of stdin without it: the launcher was killed (kill -9 of the
 * CLI or of its process group, a crashed extension host), so this process, in a session of its
 * own, is what is left to end the run: SIGTERM to every unit's group, to every process that
 * carries the run's marker and to every descendant of this process, SIGKILL after the grace
 * period, as cancel does. It is a child subreaper (prctl PR_SET_CHILD_SUBREAPER) where the
 * kernel allows, so a daemon that leaves its session and clears its environment is re-parented
 * here instead of to init, and stays findable. Exit status 3 before R: this Python cannot do it
 * (older than 3.7, no epoll); the caller then spawns by itself.
 */
export const SPAWNER_SOURCE = String.raw`
import errno, json, os, select, signal, struct, subprocess, sys, time

if sys.version_info < (3, 7) or not hasattr(select, "epoll"):
    sys.stderr.write("python %d.%d: needs 3.7 or later, with epoll\n" % sys.version_info[:2])
    sys.exit(3)

HEADER = struct.Struct("<cII")
OUT, IN = 1, 0
NULL = os.open(os.devnull, os.O_RDONLY)
wake_r, wake_w = os.pipe()
os.set_blocking(wake_r, False)
os.set_blocking(wake_w, False)
signal.signal(signal.SIGCHLD, lambda *_: None)
signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)

RUN_ID = sys.argv[1] if len(sys.argv) > 1 else ""
GRACE = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
envs = {}
watched = set()  # process groups to end if the launcher dies
pending = []
streams = {}   # read fd -> (unit, kind)
units = {}     # pid -> (unit, Popen)
poller = select.epoll()

def frame(kind, unit, data=b""):
    pending.append(HEADER.pack(kind, unit, len(data)))
    if data:
        pending.append(data)

def send_pending():
    data = b"".join(pending)
    pending.clear()
    view = memoryview(data)
    while view:
        view = view[os.write(OUT, view):]

def start(m):
    unit = m["s"]
    env = envs[m["e"]]
    if m.get("add"):
        env = dict(env)
        env.update(m["add"])
    try:
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        try:
            # A session of its own; signals as Node's spawn leaves them (restore_signals: the
            # SIGPIPE and SIGXFSZ Python ignores); descriptors without close-on-exec pass, as there.
            proc = subprocess.Popen(m["argv"], executable=m["exe"], stdin=NULL, stdout=out_w, stderr=err_w,
                                    cwd=m["cwd"], env=env, start_new_session=True, close_fds=False,
                                    restore_signals=True)
        except BaseException:
            os.close(out_r)
            os.close(err_r)
            raise
        finally:
            os.close(out_w)
            os.close(err_w)
    except (OSError, ValueError, UnicodeError, subprocess.SubprocessError) as e:
        why = getattr(e, "strerror", None) or str(e)
        if getattr(e, "filename", None):
            why += ": %s" % e.filename
        if errno.errorcode.get(getattr(e, "errno", None) or 0):
            why += " (%s)" % errno.errorcode[e.errno]
        frame(b"F", unit, why.encode("utf-8", "replace"))
        return
    os.set_blocking(out_r, False)
    os.set_blocking(err_r, False)
    streams[out_r] = (unit, b"O")
    streams[err_r] = (unit, b"E")
    units[proc.pid] = (unit, proc)
    watched.add(proc.pid)
    poller.register(out_r, select.EPOLLIN)
    poller.register(err_r, select.EPOLLIN)
    frame(b"P", unit, str(proc.pid).encode())

def close(fd):
    unit, kind = streams.pop(fd)
    poller.unregister(fd)
    os.close(fd)
    frame(kind.lower(), unit)

def reap():
    try:
        while os.read(wake_r, 4096):
            pass
    except BlockingIOError:
        pass
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        if pid in units:
            unit, proc = units.pop(pid)
            # Reaped here: Popen must never wait for this pid again (it may be reused).
            proc.returncode = code
            frame(b"X", unit, str(code).encode())

def run_processes():
    """Every live process of the run: the marked ones and this process's descendants."""
    me = os.getpid()
    needle = ("HPC_JOBS_RUN_ID=%s/" % RUN_ID).encode()
    children, found = {}, set()
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as f:
                stat = f.read()
            fields = stat[stat.rindex(b")") + 2:].split()
            if fields[0] in (b"Z", b"X"):
                continue
            children.setdefault(int(fields[1]), []).append(int(name))
            if RUN_ID:
                with open("/proc/%s/environ" % name, "rb") as f:
                    env = f.read()
                if env.startswith(needle) or b"\0" + needle in env:
                    found.add(int(name))
        except (OSError, ValueError, IndexError):
            pass
    todo, seen = [me, *found], set()
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.add(pid)
            found.update(children.get(pid, ()))
            todo.extend(children.get(pid, ()))
    return found

def end_run():
    """The launcher is gone without a bye: end what the run started, then exit."""
    deadline = time.monotonic() + GRACE
    for sig in (signal.SIGTERM, signal.SIGKILL):
        while True:
            live = run_processes()
            for g in watched:
                try:
                    os.killpg(g, sig)
                except OSError:
                    pass
            for pid in live:
                try:
                    os.kill(pid, sig)
                except OSError:
                    pass
            reap()
            if not live or sig == signal.SIGKILL or time.monotonic() > deadline:
                break
            time.sleep(0.05)
    os._exit(0)

poller.register(IN, select.EPOLLIN)
poller.register(wake_r, select.EPOLLIN)
frame(b"R", 0)
send_pending()
try:
    # After R, so that it costs no start-up time; before any unit starts (none is asked for yet).
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
except Exception:
    pass  # no ctypes, or not Linux: orphans go to init, as without the spawner
request = b""
try:
    while True:
        if pending:
            send_pending()
        for fd, _ in poller.poll():
            if fd == wake_r:
                reap()
            elif fd == IN:
                chunk = os.read(IN, 65536)
                if not chunk:
                    end_run()
                *lines, request = (request + chunk).split(b"\n")
                for line in lines:
                    m = json.loads(line)
                    if "s" in m:
                        start(m)
                    elif "d" in m:
                        envs[m["d"]] = m["env"]
                    elif "c" in m:
                        for f in [f for f, (u, _) in streams.items() if u == m["c"]]:
                            close(f)
                    elif "w" in m:
                        watched.add(m["w"])
                    elif "u" in m:
                        watched.discard(m["u"])
                    elif "b" in m:
                        send_pending()
                        sys.exit(0)
            elif fd in streams:
                try:
                    data = os.read(fd, 65536)
                except BlockingIOError:
                    continue  # a stale event: the fd was closed and reused in this round
                if data:
                    unit, kind = streams[fd]
                    frame(kind, unit, data)
                else:
                    close(fd)
except BrokenPipeError:
    end_run()
`;
