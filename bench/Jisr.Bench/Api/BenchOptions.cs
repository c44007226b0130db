using System.Globalization;

namespace Jisr.Bench.Api;

/// <summary>
/// Options of the <c>api</c> and <c>audit</c> benchmarks. <see cref="Jisr"/>: the node's <c>jisr.dll</c> (another
/// build's, to compare builds side by side); <see cref="Records"/>: how many records search and list run over (0 skips them);
/// <see cref="Cores"/>: the core counts the node is given, "all" for every core of the machine.
/// </summary>
internal sealed record BenchOptions(string? Postgres, int Seconds, int Entries, int Records, string? Jisr, IReadOnlyList<string> Cores)
{
    public static BenchOptions Parse(string[] args)
    {
        string? postgres = Environment.GetEnvironmentVariable("JISR_BENCH_POSTGRES");
        string? jisr = null;
        int seconds = 10, entries = 1_000_000, records = 100_000;
        string[] cores = ["1", "all"];
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"option {args[i]} needs a value");
            }

            switch (args[i])
            {
                case "--postgres": postgres = args[i + 1]; break;
                case "--seconds": seconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--entries": entries = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--records": records = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--jisr": jisr = Path.GetFullPath(args[i + 1]); break;
                case "--cores": cores = args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        if (cores.Any(c => c != "all" && (!int.TryParse(c, CultureInfo.InvariantCulture, out var n) || n < 1)))
        {
            throw new ArgumentException("--cores takes a comma-separated list of core counts or 'all', e.g. 1,all");
        }

        return new BenchOptions(postgres, seconds, entries, records, jisr, cores);
    }
}
