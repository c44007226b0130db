using Jisr.Bench.Api;

// Benchmarks that print figures. Run with:
//   dotnet run --project bench/Jisr.Bench -c Release -- api [--postgres CONNECTION-STRING] [--seconds 10]
//   dotnet run --project bench/Jisr.Bench -c Release -- audit [--entries 1000000] [--postgres CONNECTION-STRING]
//   dotnet run --project bench/Jisr.Bench -c Release -- matching
var command = args.Length > 0 ? args[0] : "help";
var options = BenchOptions.Parse(args.Skip(1).ToArray());
switch (command)
{
    case "api":
        await ApiBench.RunAsync(options);
        return 0;
    case "audit":
        await AuditBench.RunAsync(options);
        return 0;
    default:
        Console.Error.WriteLine("usage: Jisr.Bench api|audit|matching [--postgres CONNECTION-STRING] [--seconds N] [--entries N]");
        return 2;
}
