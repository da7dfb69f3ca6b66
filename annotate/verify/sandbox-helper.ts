/**
 * The pre-forked helper that runs inside one sandbox and starts every tool of
 * a batch of checks, so a check pays a fork+exec instead of a bubblewrap start
 * (~45–110 ms on a loaded 2-core machine; issue 15 asks ≤ 20 ms per check).
 *
 * Why Python and not a shell loop: it spawns (posix_spawn, through util-linux prlimit so the rlimits hold from the tool's first instruction), kills the job's
 * process group at the wall-clock limit, caps the output, and measures CPU
 * exactly with wait4() rusage (a shell's `times` truncates to 10 ms ticks per
 * run); as a child subreaper it also reaps — and counts — the orphans a killed
 * tool leaves. /usr/bin/python3 ships with Debian and is visible inside
 * bubblewrap (only /usr is mounted). Node would need its own prefix mounted and
 * cannot read a child's rusage.
 *
 * Protocol: one JSON job per line on stdin
 *   {cwd, argv, env, timeout (s), as, cpu, fsize, nofile, maxOut}
 * one JSON answer per line on stdout
 *   {exit, signal, timedOut, cpuMs, wallMs, out, truncated}
 * The tool's own stdout/stderr go to a pipe the helper reads; the protocol
 * channel is never inherited.
 */
export const HELPER_SOURCE = String.raw`
import ctypes, errno, json, os, resource, select, signal, sys, time
try:
    ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
except Exception:
    pass
LIMITS = (('as', resource.RLIMIT_AS), ('cpu', resource.RLIMIT_CPU), ('fsize', resource.RLIMIT_FSIZE), ('nofile', resource.RLIMIT_NOFILE))
# util-linux prlimit (Debian: essential) sets the limits on itself and execs the tool, so they hold
# from the tool's first instruction. Setting them on the spawned pid afterwards left a window: a
# shell could fork a writer before the limits arrived (a 5 MB write under a 1 MB RLIMIT_FSIZE, seen
# once on a loaded machine).
PRLIMIT = '/usr/bin/prlimit' if os.access('/usr/bin/prlimit', os.X_OK) else None

def start(job, w):
    # posix_spawn (vfork-style) costs a third of fork+exec of this interpreter; the
    # signals Python ignores are reset so RLIMIT_FSIZE kills with SIGXFSZ.
    os.chdir(job['cwd'])
    argv = job['argv']
    if PRLIMIT:
        # A missing tool stays an OSError here (exit 127 below), not prlimit's own message.
        if not os.path.isfile(argv[0]):
            raise OSError(errno.ENOENT, os.strerror(errno.ENOENT))
        if not os.access(argv[0], os.X_OK):
            raise OSError(errno.EACCES, os.strerror(errno.EACCES))
        argv = [PRLIMIT, '--as=%d' % int(job['as']), '--cpu=%d' % int(job['cpu']), '--fsize=%d' % int(job['fsize']),
                '--nofile=%d' % int(job['nofile']), '--core=0', '--'] + argv
    pid = os.posix_spawn(argv[0], argv, job['env'], setsid=True,
        setsigdef=(signal.SIGPIPE, signal.SIGXFSZ, signal.SIGXCPU),
        file_actions=[(os.POSIX_SPAWN_OPEN, 0, '/dev/null', os.O_RDONLY, 0), (os.POSIX_SPAWN_DUP2, w, 1), (os.POSIX_SPAWN_DUP2, w, 2)])
    if not PRLIMIT:
        # No prlimit binary: limits on the new process right after it starts (the window above).
        try:
            for key, res in LIMITS:
                resource.prlimit(pid, res, (job[key], job[key]))
            resource.prlimit(pid, resource.RLIMIT_CORE, (0, 0))
        except ProcessLookupError:
            pass  # already finished
    return pid

def killgroup(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass

def children():
    me = str(os.getpid())
    found = []
    for p in os.listdir('/proc'):
        if not p.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % p) as f:
                if f.read().rsplit(')', 1)[1].split()[1] == me:
                    found.append(int(p))
        except (OSError, IndexError):
            pass
    return found

def reap_orphans():
    cpu = 0.0
    while True:
        try:
            pid, _, u = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return cpu
        if pid == 0:
            for c in children():
                try:
                    os.kill(c, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                pid, _, u = os.wait4(-1, 0)
            except ChildProcessError:
                return cpu
        cpu += u.ru_utime + u.ru_stime

def run(job):
    r, w = os.pipe()
    t0 = time.monotonic()
    try:
        pid = start(job, w)
    except OSError as e:
        os.close(r)
        return {'exit': 127, 'signal': None, 'timedOut': False, 'cpuMs': 0, 'wallMs': 0, 'out': 'sandbox: cannot run %s: %s\n' % (job['argv'][0], e.strerror), 'truncated': False}
    finally:
        os.close(w)
    pidfd = os.pidfd_open(pid)
    poller = select.poll()
    poller.register(r, select.POLLIN)
    poller.register(pidfd, select.POLLIN)
    out = bytearray()
    truncated = timed_out = eof = exited = False
    deadline = t0 + job['timeout']
    while not (eof and exited):
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = not exited
            break
        for fd, _ in poller.poll(left * 1000):
            if fd == r:
                chunk = os.read(r, 65536)
                if not chunk:
                    eof = True
                    poller.unregister(r)
                else:
                    room = job['maxOut'] - len(out)
                    if len(chunk) > room:
                        truncated = True
                    if room > 0:
                        out += chunk[:room]
            elif not exited:
                exited = True
                poller.unregister(pidfd)
                killgroup(pid)  # stragglers holding the pipe open die with the leader
    killgroup(pid)
    _, status, usage = os.wait4(pid, 0)
    os.close(pidfd)
    os.set_blocking(r, False)
    try:
        while len(out) < job['maxOut']:
            chunk = os.read(r, 65536)
            if not chunk:
                break
            out += chunk[:job['maxOut'] - len(out)]
    except BlockingIOError:
        pass
    os.close(r)
    cpu = usage.ru_utime + usage.ru_stime + reap_orphans()
    code = os.waitstatus_to_exitcode(status)
    return {
        'exit': code if code >= 0 else None,
        'signal': signal.Signals(-code).name if code < 0 else None,
        'timedOut': timed_out,
        'cpuMs': round(cpu * 1000, 3),
        'wallMs': round((time.monotonic() - t0) * 1000, 3),
        'out': out.decode('utf-8', 'replace'),
        'truncated': truncated,
    }

while True:
    line = sys.stdin.readline()
    if not line:
        break
    try:
        answer = run(json.loads(line))
    except Exception as e:
        answer = {'error': '%s: %s' % (type(e).__name__, e)}
    sys.stdout.write(json.dumps(answer) + '\n')
    sys.stdout.flush()
`;
