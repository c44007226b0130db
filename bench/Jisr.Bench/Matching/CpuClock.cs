using System.Runtime.InteropServices;

namespace Jisr.Bench.Matching;

/// <summary>
/// CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID; elsewhere the process's processor time): on a
/// machine shared with other work, throughput per CPU-second is the figure that does not depend on the load.
/// </summary>
internal static partial class CpuClock
{
    private const int ThreadCpuTime = 3;

    public static TimeSpan Thread()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ThreadCpuTime, out var spec) == 0)
        {
            return TimeSpan.FromTicks((spec.Seconds * TimeSpan.TicksPerSecond) + (spec.Nanoseconds / 100));
        }

        return System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
    }

    /// <summary>The 1-minute load average, to print next to wall-clock figures.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec spec);
}
