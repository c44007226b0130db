using Jisr.Bench.Api;

// Benchmarks that print figures. Run with:
//   dotnet run --project bench/Jisr.Bench -c Release -- api   [--seconds 10] [--postgres CONNECTION-STRING]
//   dotnet run --project bench/Jisr.Bench -c Release -- audit [--entries 1000000] [--postgres CONNECTION-STRING]
//   dotnet run --project bench/Jisr.Bench -c Release -- probe PATH-TO-SQLITE-DB   (where a record read spends its time)
switch (args.FirstOrDefault())
{
    case "api":
        await ApiBench.RunAsync(BenchOptions.Parse(args[1..]));
        return 0;
    case "audit":
        await AuditBench.RunAsync(BenchOptions.Parse(args[1..]));
        return 0;
    case "probe" when args.Length == 2:
        await ReadPathProbe.RunAsync(args[1]);
        return 0;
    default:
        Console.Error.WriteLine("usage: Jisr.Bench api|audit [--postgres CONNECTION-STRING] [--seconds N] [--entries N] | probe SQLITE-PATH");
        return 2;
}
