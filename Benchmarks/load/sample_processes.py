"""Samples CPU and memory of named processes (and their descendants, e.g. an instance's Chromium) from /proc.

    python3 sample_processes.py OUT.jsonl INTERVAL_SECONDS name=pid [name=pid ...]

Writes one JSON line per sample until killed (SIGTERM/SIGINT): {"t", "loadavg", "machine", "procs": {name: {"cpu_s",
"rss_kb", "child_cpu_s", "child_rss_kb"}}}, where cpu_s is the process's own user+system time so far and child_* sum its
live descendants, and machine is the whole machine's time so far by state (/proc/stat: user, nice, system, idle,
steal; seconds summed over the cores). report.py turns the differences into CPU % per interval.
"""
import json
import os
import signal
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def read_stat(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open("/proc/%d/status" % pid) as f:
            rss = next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
        # after the name: state(0) ppid(1) ... utime(11) stime(12)
        return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS, rss
    except (OSError, IndexError, ValueError):
        return None


def read_machine():
    """The machine's processor time so far by state, in seconds summed over all cores (the first line of /proc/stat)."""
    with open("/proc/stat") as f:
        ticks = [int(v) for v in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (ticks + [0] * 8)[:8]
    return {"user": user / TICKS, "nice": nice / TICKS, "system": (system + irq + softirq) / TICKS,
            "idle": (idle + iowait) / TICKS, "steal": steal / TICKS}


def main():
    out_path, interval = sys.argv[1], float(sys.argv[2])
    named = {arg.split("=", 1)[0]: int(arg.split("=", 1)[1]) for arg in sys.argv[3:]}
    running = [True]
    signal.signal(signal.SIGTERM, lambda *_: running.__setitem__(0, False))
    signal.signal(signal.SIGINT, lambda *_: running.__setitem__(0, False))
    with open(out_path, "a") as out:
        while running[0]:
            table = {}
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    stat = read_stat(int(entry))
                    if stat:
                        table[int(entry)] = stat
            children = {}
            for pid, (ppid, _, _) in table.items():
                children.setdefault(ppid, []).append(pid)
            procs = {}
            for name, pid in named.items():
                if pid not in table:
                    continue
                child_cpu, child_rss, stack = 0.0, 0, list(children.get(pid, []))
                while stack:
                    c = stack.pop()
                    child_cpu += table[c][1]
                    child_rss += table[c][2]
                    stack.extend(children.get(c, []))
                procs[name] = {"cpu_s": table[pid][1], "rss_kb": table[pid][2], "child_cpu_s": child_cpu, "child_rss_kb": child_rss}
            with open("/proc/loadavg") as f:
                load = f.read().split()[:3]
            out.write(json.dumps({"t": time.time(), "loadavg": load, "machine": read_machine(), "procs": procs}) + "\n")
            out.flush()
            end = time.time() + interval
            while running[0] and time.time() < end:
                time.sleep(0.2)


if __name__ == "__main__":
    main()
