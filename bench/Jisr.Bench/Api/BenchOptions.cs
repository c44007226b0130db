using System.Globalization;

namespace Jisr.Bench.Api;

internal sealed record BenchOptions(string? Postgres, int Seconds, int Entries)
{
    public static BenchOptions Parse(string[] args)
    {
        string? postgres = Environment.GetEnvironmentVariable("JISR_BENCH_POSTGRES");
        int seconds = 10, entries = 1_000_000;
        for (var i = 0; i < args.Length - 1; i += 2)
        {
            switch (args[i])
            {
                case "--postgres": postgres = args[i + 1]; break;
                case "--seconds": seconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--entries": entries = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        return new BenchOptions(postgres, seconds, entries);
    }
}
