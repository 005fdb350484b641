using System.Runtime.InteropServices;

namespace ChartCraft.Features.Export.Rendering;

/// <summary>
/// Gives Chromium a lower CPU priority (a higher nice value) than the requests the same machine serves. A render is
/// 50–150 ms of CPU that nobody watches tick; a chart read is 1 ms that a reader waits for. At the same priority, reads
/// queued behind renders for the processor: under 1 000 simulated users, reads had p50 14 ms but p95 252 ms.
/// </summary>
/// <remarks>
/// Linux keeps a nice value per thread, and a new process or thread starts with its parent's: so every thread of the
/// browser's processes (its zygotes among them) is lowered right after launch, and the renderers the zygotes fork for
/// new pages start lowered. Lowering needs no privilege. Elsewhere than Linux nothing happens.
/// <para>
/// A Chromium that may raise priorities (running as root, as on a developer's machine; the image runs as uid 10001 and
/// may not) sets its own per thread: 0 for its workers and −8, above the app, for its compositor and IO threads.
/// <see cref="KeepChildrenFromRaisingPriority"/> takes that right (CAP_SYS_NICE) from the processes the app starts.
/// </para>
/// </remarks>
static class RenderPriority
{
    const int PrioProcess = 0;
    const int PrCapabilityBoundingSetDrop = 24;
    const int CapSysNice = 23;

    [DllImport("libc", SetLastError = true)]
    static extern int setpriority(int which, int who, int prio);

    [DllImport("libc", SetLastError = true)]
    static extern int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    /// <summary>
    /// Drops CAP_SYS_NICE from the capabilities any program the app starts can have. Only a process that holds the
    /// right to change its capabilities (root) can, and only root needs it; otherwise this changes nothing.
    /// </summary>
    public static void KeepChildrenFromRaisingPriority()
    {
        if (OperatingSystem.IsLinux()) _ = prctl(PrCapabilityBoundingSetDrop, CapSysNice, 0, 0, 0);
    }

    /// <summary>Lowers every thread of <paramref name="rootPid"/> and its descendants to <paramref name="niceness"/>; returns how many.</summary>
    public static int Lower(int rootPid, int niceness)
    {
        if (niceness <= 0 || !OperatingSystem.IsLinux()) return 0;
        var lowered = 0;
        foreach (var pid in ProcessTree(rootPid))
            foreach (var task in Tasks(pid))
                if (setpriority(PrioProcess, task, niceness) == 0) lowered++;
        return lowered;
    }

    static IEnumerable<int> Tasks(int pid)
    {
        try
        {
            return Directory.GetDirectories($"/proc/{pid}/task").Select(Path.GetFileName).Select(int.Parse!).ToList();
        }
        catch (IOException)
        {
            return []; // the process ended meanwhile
        }
    }

    /// <summary>The process and all its descendants, from each process's parent in /proc/&lt;pid&gt;/stat.</summary>
    static List<int> ProcessTree(int rootPid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || ParentOf(pid) is not { } parent) continue;
            if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
            list.Add(pid);
        }
        var tree = new List<int> { rootPid };
        for (var i = 0; i < tree.Count; i++)
            if (children.TryGetValue(tree[i], out var below)) tree.AddRange(below);
        return tree;
    }

    static int? ParentOf(int pid)
    {
        try
        {
            // "pid (command) state ppid ...": the command may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 3);
            return int.TryParse(fields[1], out var parent) ? parent : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
